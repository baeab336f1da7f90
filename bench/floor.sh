#!/bin/bash
# bench/floor.sh: the floor of a kexec_file_load warm reboot, in numbers: how long the load and
# the jump take as the initrd and the kernel's init_size grow, on the busybox guest of
# tests/vm/busybox.sh (Debian's kernel, QEMU TCG), timed on the host clock from serial lines.
#
#   sudo bench/floor.sh [--runs N] [--points "MIB:ADD ..."]   # WARMBOOT_BIN=..., WARMBOOT_VM_MEM=...
#   bench/floor.sh --analyse DIR     # only the report, from an earlier run's DIR (no QEMU, no root)
#
# One QEMU run, one chain of kexecs (bench/guest/floor): each point MIB:ADD is an initrd of
# about MIB MiB (the guest's own gzip'd cpio, padded with an uncompressed cpio member of
# zeros) and Debian's kernel with its init_size raised by ADD MiB (the boot header field at
# 0x260, patched in the guest; 0: the image as it is). kexec_file_load makes init_size the
# kernel segment's memsz and the initrd a segment of its own; purgatory hashes (SHA-256) and
# the jump copies every segment's memsz, so both grow by the same "hashed" MiB. Every point
# runs N times (default 5), the order rotated from run to run. A step is
#   warmboot plan --kernel K --initrd I --cmdline ...   warmboot's checks alone, timed in the
#   warmboot load --kernel K --initrd I --cmdline ...   guest (/proc/uptime), and the load
#   kexec -e (kexec-tools)                              the jump into the loaded kernel
# and the jump is measured from the old kernel's last line ("kexec_core: Starting new
# kernel") to the new kernel's first one (its "Linux version" banner, printed once its
# serial console registers): relocate_kernel's copy, purgatory's hash, the decompressor and
# the kernel's start up to its console. The report (a table, and a least-squares fit of the
# jump and the load against the hashed MiB) goes to bench/results/floor.json and floor.md.
#
# Not part of the test suite: timings under software emulation are slow and noisy.
# Never runs warmboot or kexec on the host: only inside the guest.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../tools/lib-vm.sh
. "$here/../tools/lib-vm.sh"

# the initrd sweep with the kernel as it is, the init_size sweep with the smallest initrd, and
# both at their largest (is the cost additive?)
POINTS=(10:0 35:0 100:0 10:64 10:192 100:192)
RUNS=5
analyse=
usage() {
	printf 'usage: %s [--runs N] [--points "MIB:ADD ..."] | --analyse DIR\n' "${0##*/}" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--runs)
		[ $# -ge 2 ] || usage
		RUNS=$2
		shift 2
		;;
	--runs=*)
		RUNS=${1#--runs=}
		shift
		;;
	--points)
		[ $# -ge 2 ] || usage
		read -r -a POINTS <<<"$2"
		shift 2
		;;
	--analyse)
		[ $# -ge 2 ] || usage
		analyse=$2
		shift 2
		;;
	-h | --help) usage ;;
	*) usage ;;
	esac
done
case $RUNS in '' | *[!0-9]* | 0*) vm_die "--runs must be a positive number (is '$RUNS')" ;; esac
[ "${#POINTS[@]}" -gt 0 ] || vm_die "--points is empty"
for p in "${POINTS[@]}"; do
	[[ $p =~ ^[1-9][0-9]*:[0-9]+$ ]] || vm_die "a point is MIB:ADD, two numbers (is '$p')"
done
# a warm-up and 30 kexecs of up to 360 MiB hashed, about 20 s each on a 2-core host: 11 minutes
TIMEOUT=${WARMBOOT_VM_TIMEOUT:-2400}
# a 100 MiB initrd and a 256 MiB kernel segment are held twice while loading (the files and
# the kernel's copies), and the new kernel unpacks the initrd beside it
export WARMBOOT_VM_MEM=${WARMBOOT_VM_MEM:-1536}

# schedule: the plan of the whole chain, one "MIB ADD" line per kexec: first a warm-up with the
# largest point (not measured: it translates the code and touches the memory the later steps
# use), then run R with the points rotated by R-1 places
schedule() {
	local r i n=${#POINTS[@]} p big=${POINTS[0]}
	for p in "${POINTS[@]}"; do
		if [ $((${p%%:*} + ${p#*:})) -gt $((${big%%:*} + ${big#*:})) ]; then big=$p; fi
	done
	printf '%s %s\n' "${big%%:*}" "${big#*:}"
	for ((r = 1; r <= RUNS; r++)); do
		for ((i = 0; i < n; i++)); do
			p=${POINTS[(i + r - 1) % n]}
			printf '%s %s\n' "${p%%:*}" "${p#*:}"
		done
	done
}

# load: the host's load averages and how many QEMU guests run beside this one
load() {
	local q
	q=$(pgrep -c -x qemu-system-x86 || true)
	printf 'load %s; %s QEMU processes' "$(cut -d' ' -f1-3 /proc/loadavg)" "${q:-0}"
}

# sample_load DIR: every 5 s until QEMU has ended (vm_boot_stamped writes serial.rc), the
# host's 1-minute load average as "MICROSECONDS LOAD" lines in DIR/load.samples
sample_load() {
	local last=0
	while [ "$last" = 0 ]; do
		[ ! -e "$1/serial.rc" ] || last=1
		printf '%s %s\n' "$(vm_us "$EPOCHREALTIME")" "$(cut -d' ' -f1 /proc/loadavg)"
		sleep 5
	done >"$1/load.samples"
}

# floor_kexec ROOT TREE: kexec-tools' kexec of the Debian tree TREE as ROOT/usr/sbin/kexec,
# with the libraries it needs (ELF NEEDED, recursively, read by objdump: nothing is run)
# that ROOT lacks, from TREE
floor_kexec() {
	local root=$1 tree=$2 todo=(usr/sbin/kexec) seen=' ' f n lib
	install -D -m 0755 "$tree/usr/sbin/kexec" "$root/usr/sbin/kexec"
	while [ "${#todo[@]}" -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for n in $(objdump -p "$tree/$f" | awk '$1 == "NEEDED" { print $2 }'); do
			case $seen in *" $n "*) continue ;; esac
			seen+="$n "
			lib=usr/lib/x86_64-linux-gnu/$n
			[ -f "$tree/$lib" ] || vm_die "$tree has no /$lib, which kexec needs"
			todo+=("$lib")
			if [ ! -e "$root/lib/x86_64-linux-gnu/$n" ] && [ ! -e "$root/$lib" ] && [ ! -e "$root/lib64/$n" ]; then
				install -D -m 0644 "$tree/$lib" "$root/lib/x86_64-linux-gnu/$n"
			fi
		done
	done
}

if [ -z "$analyse" ]; then
	vm_need_root
	vm_ensure_pkgs "${VM_HOST_PKGS[@]}" binutils
	vm_check_binary
	res=$(vm_results_dir floor)
	kdir=$(vm_kernel)
	R=$(cat "$kdir/release")
	tree=$(vm_debian)/rootfs
	[ -x "$tree/usr/sbin/kexec" ] || vm_die "the Debian tree $tree has no kexec-tools"

	vm_say "building the busybox initramfs (kernel $R, warmboot $WARMBOOT_BIN, kexec-tools)"
	root=$res/root
	vm_busybox_root "$root" "$here/guest/floor"
	vm_root_kernel "$root" "$kdir"
	floor_kexec "$root" "$tree"
	mkdir -p "$root/etc/warmboot-floor"
	schedule >"$root/etc/warmboot-floor/plan"
	cp "$root/etc/warmboot-floor/plan" "$res/plan"
	echo 1 >"$res/warmup"
	vm_cpio "$root" "$res/initramfs.cpio.gz"
	rm -rf "$root"

	load >"$res/load-before"
	steps=$(wc -l <"$res/plan")
	vm_say "one chain of $steps kexecs: ${POINTS[*]} x $RUNS ($(cat "$res/load-before")); -m $WARMBOOT_VM_MEM, timeout ${TIMEOUT}s"
	start=$SECONDS
	rm -f "$res/serial.rc"
	sample_load "$res" &
	sampler=$!
	# -mem-prealloc: the host backs all of the guest's RAM before it starts, so that no step pays
	# for the host's first touch of its pages
	vm_boot_stamped "$TIMEOUT" "$res/serial.log" "$res/serial.stamped" -no-reboot -mem-prealloc \
		-kernel "$kdir/vmlinuz" -initrd "$res/initramfs.cpio.gz" -append "console=ttyS0 panic=-1"
	wait "$sampler" || true
	load >"$res/load-after"
	printf '%s\n' "$VM_QEMU_RC" >"$res/qemu-rc"
	printf '%s\n' "$((SECONDS - start))" >"$res/wall-secs"
	printf '%s\n' "$WARMBOOT_VM_MEM" >"$res/mem"
	printf '%s\n' "$R" >"$res/release"
	getconf CLK_TCK >"$res/clk-tck"
	"$WARMBOOT_BIN" --version 2>/dev/null | head -n1 >"$res/version" || echo '?' >"$res/version"
	git -C "$VM_REPO" describe --always --dirty >"$res/commit" 2>/dev/null || echo '?' >"$res/commit"
	dpkg-query --admindir="$tree/var/lib/dpkg" -W -f='${Version}\n' kexec-tools >"$res/kexec-tools" 2>/dev/null ||
		echo '?' >"$res/kexec-tools"
else
	res=$analyse
	[ -f "$res/serial.stamped" ] || vm_die "no serial.stamped in $res: not the directory of an earlier floor run"
fi

# ---- measure and report -------------------------------------------------------------------
mkdir -p "$here/results"
qemu=$(qemu-system-x86_64 --version 2>/dev/null | head -n1 | sed 's/.*version \([^ ]*\).*/\1/')
st=0
python3 - "$res" "$here/results" "$qemu" "$(nproc)" "${WARMBOOT_VM_SMP:-2}" <<'PY' || st=$?
import json, os, re, statistics, sys, time

res, out_dir, qemu, ncpu, smp = sys.argv[1:]
MIB = 1048576.0
PAGE = 4096


def read(name, default="?"):
    try:
        return open(os.path.join(res, name)).read().strip()
    except OSError:
        return default


def fields(text):
    return dict(re.findall(r"(\w+)=(\S*)", text.split(" msg=")[0]))


# QEMU's CPU time beside every serial line (serial.cpu, clock ticks), where it was recorded
try:
    cpu_raw = open(os.path.join(res, "serial.cpu")).read().split("\n")
except OSError:
    cpu_raw = []
tck = float(read("clk-tck", "100"))
lines, cpu = [], []
for n, raw in enumerate(open(os.path.join(res, "serial.stamped"), errors="replace")):
    us, _, text = raw.rstrip("\n").partition(" ")
    if us.isdigit():
        lines.append((int(us), re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)))
        c = cpu_raw[n].strip() if n < len(cpu_raw) else ""
        cpu.append(int(c) / tck if c.isdigit() else None)


def cpu_between(i, j):
    """QEMU's CPU seconds between serial lines i and j, or None."""
    return None if cpu[i] is None or cpu[j] is None else cpu[j] - cpu[i]



def first(pattern, start, stop=None):
    """The first line from index start on matching pattern, before one matching stop: (i, t)."""
    for i in range(start, len(lines)):
        if stop and i > start and re.search(stop, lines[i][1]):
            return None
        if re.search(pattern, lines[i][1]):
            return i, lines[i][0]
    return None


plan = [tuple(int(x) for x in l.split()) for l in read("plan", "").splitlines() if l.strip()]
warmup = int(read("warmup", "0"))
steps, problems, warm = [], [], []
for s, (mib, add) in enumerate(plan):
    got = first(r"WBTEST boot=\d+ floor step=%d " % s, 0)
    if not got:
        problems.append("step %d (%d:%d): never started" % (s, mib, add))
        continue
    i, _ = got
    f = fields(lines[i][1][lines[i][1].index("floor step="):])
    a = first(r"WBTEST boot=\d+ floor load step=%d$" % s, i)
    b = first(r"WBTEST boot=\d+ floor loaded step=%d " % s, i)
    j = first(r"WBTEST boot=\d+ floor jump step=%d$" % s, i)
    if not (a and b and j):
        problems.append("step %d (%d:%d): no load or no jump (%s)" % (s, mib, add, lines[b[0]][1] if b else "no loaded line"))
        continue
    lf = fields(lines[b[0]][1][lines[b[0]][1].index("floor loaded"):])
    c = first(r"WBTEST boot=\d+ floor plan step=%d " % s, i)
    pf = fields(lines[c[0]][1][lines[c[0]][1].index("floor plan"):]) if c else {}
    last = first(r"kexec_core: Starting new kernel", j[0], r"Linux version [0-9]")
    banner = first(r"Linux version [0-9]", j[0])
    init = first(r"Run /init as init process", banner[0]) if banner else None
    nxt = first(r"WBTEST boot=%d cmdline=" % (s + 2), banner[0]) if banner else None
    if not (last and banner and init and nxt):
        problems.append("step %d (%d:%d): the jump was not seen whole" % (s, mib, add))
        continue
    if ("floor.step=%d" % (s + 1)) not in lines[nxt[0]][1].split():
        problems.append("step %d: the next boot has the wrong command line: %s" % (s, lines[nxt[0]][1]))
        continue
    init_size = int(f["init_size"])
    initrd = int(f["initrd_bytes"])
    (warm if s < warmup else steps).append({"step": s, "mib": mib, "add": add, "init_size": init_size, "initrd_bytes": initrd,
                  "kernel_bytes": int(f["kernel_bytes"]), "base_bytes": int(f["base_bytes"]),
                  "hashed": (init_size + PAGE - 1) // PAGE * PAGE + initrd,
                  "load_s": int(lf["load_cs"]) / 100.0, "load_host_s": (b[1] - a[1]) / 1e6,
                  "plan_s": int(pf["plan_cs"]) / 100.0 if pf.get("rc") == "0" else None,
                  "jump_s": (banner[1] - last[1]) / 1e6, "boot_s": (init[1] - banner[1]) / 1e6,
                  "jump_cpu_s": cpu_between(last[0], banner[0]), "load_cpu_s": cpu_between(a[0], b[0])})
for t, text in lines:
    if re.search(r"WBTEST (boot=\S+ )?FAIL", text):
        problems.append(text[text.index("WBTEST"):])
if not first(r"WBTEST boot=\d+ floor end steps=%d" % len(plan), 0):
    problems.append("the chain did not reach its end (%d steps planned)" % len(plan))
if read("qemu-rc") not in ("0", "?"):
    problems.append("QEMU status %s" % read("qemu-rc"))


def spread(xs):
    return {"median": round(statistics.median(xs), 3), "min": round(min(xs), 3), "max": round(max(xs), 3)}


def fit(xs, ys):
    """Least squares y = c0 + c1 x1 + ... over rows xs (tuples) and ys: ([c0, c1, ...], r2), or None."""
    k = len(xs[0]) + 1 if xs else 0
    if len(xs) <= k:
        return None
    rows = [(1.0,) + tuple(x) for x in xs]
    # the normal equations, solved by Gaussian elimination with partial pivoting
    m = [[sum(r[i] * r[j] for r in rows) for j in range(k)] + [sum(r[i] * y for r, y in zip(rows, ys))] for i in range(k)]
    for c in range(k):
        p = max(range(c, k), key=lambda i: abs(m[i][c]))
        if abs(m[p][c]) < 1e-12:
            return None
        m[c], m[p] = m[p], m[c]
        for i in range(k):
            if i != c:
                f = m[i][c] / m[c][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[c])]
    coef = [m[i][k] / m[i][i] for i in range(k)]
    my = sum(ys) / len(ys)
    ss = sum((y - my) ** 2 for y in ys)
    res = sum((y - sum(c * v for c, v in zip(coef, r))) ** 2 for r, y in zip(rows, ys))
    return coef, (1 - res / ss if ss > 0 else 1.0)


order = []
for mib, add in plan[warmup:]:
    if (mib, add) not in order:
        order.append((mib, add))
points = []
for key in order:
    ss = [s for s in steps if (s["mib"], s["add"]) == key]
    if not ss:
        continue
    m = lambda k: statistics.median(s[k] for s in ss)
    points.append({"initrd_mib": round(m("initrd_bytes") / MIB, 2), "init_size_mib": round(m("init_size") / MIB, 2),
                   "kernel_file_mib": round(m("kernel_bytes") / MIB, 2), "hashed_mib": round(m("hashed") / MIB, 2),
                   "init_size_added_mib": key[1], "n": len(ss),
                   "load_s": spread([s["load_s"] for s in ss]), "jump_s": spread([s["jump_s"] for s in ss]),
                   "checks_s": spread(xs) if (xs := [s["plan_s"] for s in ss if s["plan_s"] is not None]) else None,
                   "boot_s": spread([s["boot_s"] for s in ss])})
    for k in ("jump_cpu_s", "load_cpu_s"):
        xs = [s[k] for s in ss if s[k] is not None]
        points[-1][k] = spread(xs) if xs else None

FITTED = (("jump_s", "jump, host clock"), ("jump_cpu_s", "jump, QEMU's CPU time"),
          ("load_s", "load, guest clock"), ("load_cpu_s", "load, QEMU's CPU time"))
fits = {}
for y, _ in FITTED:
    sts = [st for st in steps if st[y] is not None]
    ys = [st[y] for st in sts]
    one = fit([(st["hashed"] / MIB,) for st in sts], ys)
    if one:
        fits[y] = {"intercept_s": round(one[0][0], 3), "s_per_hashed_mib": round(one[0][1], 5), "r2": round(one[1], 4)}
    two = fit([(st["initrd_bytes"] / MIB, (st["init_size"] + PAGE - 1) // PAGE * PAGE / MIB) for st in sts], ys)
    if two:
        fits[y + "_two"] = {"intercept_s": round(two[0][0], 3), "s_per_initrd_mib": round(two[0][1], 5),
                            "s_per_init_size_mib": round(two[0][2], 5), "r2": round(two[1], 4)}
    # the floor: each point's fastest step (noise on this host only ever adds time)
    pts = [p for p in points if p.get(y)]
    low = fit([(p["hashed_mib"],) for p in pts], [p[y]["min"] for p in pts])
    if low:
        fits[y + "_min"] = {"intercept_s": round(low[0][0], 3), "s_per_hashed_mib": round(low[0][1], 5),
                            "r2": round(low[1], 4)}
as_is = [s for s in steps if s["add"] == 0]
k0 = statistics.median(s["init_size"] for s in as_is) if as_is else None
kfile = statistics.median(s["kernel_bytes"] for s in as_is) if as_is else None
kpage = (int(k0) + PAGE - 1) // PAGE * PAGE if k0 else None

doc = {"guest": {"kernel": read("release"), "qemu": qemu, "accel": "tcg", "smp": int(smp), "mem_mib": read("mem"),
                 "load": "warmboot load --kernel --initrd --cmdline (kexec_file_load)", "jump": "kexec -e (kexec-tools)",
                 "padding": "uncompressed newc cpio member of zeros after the gzip'd cpio"},
       "runs": max((sum(1 for s in steps if (s["mib"], s["add"]) == k) for k in order), default=0),
       "kernel": {"init_size_bytes": int(k0) if k0 else None, "file_bytes": int(kfile) if kfile else None},
       "points": points, "fit": fits}
for y in ("jump_s", "jump_cpu_s", "jump_s_min", "jump_cpu_s_min"):
    if y in fits and kpage:
        # the Debian kernel as it is, no initrd
        fits[y]["no_initrd_s"] = round(fits[y]["intercept_s"] + fits[y]["s_per_hashed_mib"] * kpage / MIB, 3)
with open(os.path.join(out_dir, "floor.json"), "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")


def cell(d):
    if d is None:
        return "n/a"
    return "%.2f (%.2f-%.2f)" % (d["median"], d["min"], d["max"])


heads = ["initrd MiB", "init_size MiB", "kernel file MiB", "hashed MiB", "n", "load s", "of it checks s",
         "load, QEMU CPU s", "jump s", "jump, QEMU CPU s", "banner to /init s"]
rows = [["%.1f" % p["initrd_mib"], "%.1f%s" % (p["init_size_mib"], " (+%d)" % p["init_size_added_mib"] if p["init_size_added_mib"] else ""),
         "%.2f" % p["kernel_file_mib"], "%.1f" % p["hashed_mib"], str(p["n"]), cell(p["load_s"]), cell(p["checks_s"]),
         cell(p["load_cpu_s"]), cell(p["jump_s"]), cell(p["jump_cpu_s"]),
         cell(p["boot_s"])] for p in points]
when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime(os.path.join(res, "serial.stamped"))))
md = ["# The floor of a kexec_file_load warm reboot: the busybox guest", ""]
md.append("%s; %s (%s); guest: busybox initramfs, Debian kernel %s (bzImage %s bytes, init_size %s bytes);"
          % (when, read("version"), read("commit"), read("release"), doc["kernel"]["file_bytes"], doc["kernel"]["init_size_bytes"]))
md.append("QEMU %s TCG (software emulation), -smp %s, -m %s; host %s CPUs; kexec-tools %s. One QEMU run, one chain"
          % (qemu, smp, read("mem"), ncpu, read("kexec-tools")))
md.append("of %d kexecs, the points in rotated order; each step `warmboot load --kernel K --initrd I --cmdline C`"
          % len(plan))
md.append("(kexec_file_load), then `kexec -e`. Median (min-max) over the runs, in seconds:")
md.append("")
md.append("| " + " | ".join(heads) + " |")
md.append("|" + "---:|" * len(heads))
for r in rows:
    md.append("| " + " | ".join(r) + " |")
md.append("")
md.append("- hashed: what kexec_file_load hashes at the load and purgatory hashes again before the jump, every")
md.append("  segment's memsz but purgatory's: the kernel segment (init_size, page-aligned) plus the initrd (the")
md.append("  boot_params segment, a few KiB, left out). The kernel file itself counts only through init_size.")
md.append("- load: `warmboot load` in the guest, CLOCK_BOOTTIME (/proc/uptime, 10 ms steps): warmboot's checks and")
md.append("  kexec_file_load (read both files, check the image's signature, copy into the segments, SHA-256).")
md.append("  Of it checks: `warmboot plan` with the same options just before, timed the same way.")
md.append("- jump: host clock, from the old kernel's last serial line (\"kexec_core: Starting new kernel\") to the")
md.append("  new kernel's first (\"Linux version\", printed when its console registers): relocate_kernel's copy,")
md.append("  purgatory's SHA-256, the decompressor (xz) and the kernel's start up to console_init.")
md.append("- banner to /init: from there to \"Run /init as init process\" (unpacking the initrd falls in here).")
md.append("- QEMU CPU: the CPU time (user and system) QEMU used between the same two serial lines, read from")
md.append("  /proc/PID/stat as each line arrived (10 ms ticks). During the jump only one vCPU runs (the others are")
md.append("  stopped and halted), so where the host clock runs ahead of it, QEMU was waiting for a host CPU.")
md.append("- initrd: the guest's own root as a gzip'd newc cpio (%s bytes), and above that size an uncompressed"
          % (steps[0]["base_bytes"] if steps else "?"))
md.append("  newc cpio member of zeros appended. Zeros, uncompressed: SHA-256 and the copies cost the same for any")
md.append("  bytes, an uncompressed member is as large in memory as on disk (gzip would shrink zeros to nothing,")
md.append("  and random data would have to be made in the guest, slowly under TCG), and the new kernel only copies")
md.append("  it out (no decompression) into a file the next boot deletes first thing.")
md.append("- init_size +N: a copy of the image with the 4-byte field at 0x260 raised by N MiB in the guest (its")
md.append("  signature no longer matches; the guest has no lockdown, so kexec_file_load takes it).")
md.append("")
md.append("Least-squares fits, seconds against the hashed MiB: over every step, and over each point's fastest")
md.append("step (the floor: on a shared host noise only ever adds time); \"two sizes\" fits the initrd's MiB and the")
md.append("kernel segment's MiB apart (does a MiB of initrd cost what a MiB of init_size does?):")
md.append("")
md.append("| what | over | intercept s | s per hashed MiB | s per initrd MiB | s per init_size MiB | r² |")
md.append("|---|---|---:|---:|---:|---:|---:|")
for y, what in FITTED:
    for suffix, over in (("", "every step"), ("_min", "fastest of each point"), ("_two", "every step, two sizes")):
        v = fits.get(y + suffix)
        if not v:
            continue
        if suffix == "_two":
            md.append("| %s | %s | %.2f | | %.4f | %.4f | %.3f |"
                      % (what, over, v["intercept_s"], v["s_per_initrd_mib"], v["s_per_init_size_mib"], v["r2"]))
        else:
            md.append("| %s | %s | %.2f | %.4f | | | %.3f |" % (what, over, v["intercept_s"], v["s_per_hashed_mib"], v["r2"]))
md.append("")
if "jump_s_min" in fits and "jump_s" in fits and kpage:
    v, e = fits["jump_s_min"], fits["jump_s"]
    md.append("The floor of the jump (host clock, fastest step of each point): %.2f s with nothing hashed (the"
              % v["intercept_s"])
    md.append("intercept: the decompressor and the kernel's start to its console, extrapolated: the smallest step")
    md.append("hashes %.0f MiB), %.2f s for Debian's kernel as it is (init_size %.1f MiB) and no initrd, and %.1f ms"
              % (min(st["hashed"] for st in steps) / MIB, v["no_initrd_s"], kpage / MIB, v["s_per_hashed_mib"] * 1000))
    md.append("more for every further hashed MiB. Over every step: %.2f s, %.2f s and %.1f ms (r² %.2f)."
              % (e["intercept_s"], e["no_initrd_s"], e["s_per_hashed_mib"] * 1000, e["r2"]))
    md.append("")
for st in warm:
    md.append("Not counted: the warm-up step (%d MiB initrd, init_size +%d MiB) before the runs: load %.2f s, jump %.2f s."
              % (st["mib"], st["add"], st["load_s"], st["jump_s"]))
    md.append("")
samples = []
for raw in open(os.path.join(res, "load.samples")) if os.path.exists(os.path.join(res, "load.samples")) else []:
    w = raw.split()
    if len(w) == 2 and w[0].isdigit():
        samples.append(float(w[1]))
md.append("Host: %s at the start, %s at the end%s; %s s in QEMU."
          % (read("load-before"), read("load-after"),
             "; 1-minute load %.1f-%.1f while it ran" % (min(samples), max(samples)) if samples else "", read("wall-secs")))
md.append("The host (a 2-CPU virtual machine) was shared with other guests. QEMU's CPU time spreads as much as the")
md.append("host clock: the slow steps did not wait for a CPU, QEMU ran slower per CPU second (the cause is not")
md.append("measured here). The points' order is rotated from run to run so that a slow minute does not fall on")
md.append("one point only, and the fastest step of each point is the floor.")
if problems:
    md.append("")
    md.append("Problems: " + "; ".join(problems))
text = "\n".join(md) + "\n"
with open(os.path.join(out_dir, "floor.md"), "w") as f:
    f.write(text)

w = [max(len(r[i]) for r in [heads] + rows) for i in range(len(heads))]
print()
for r in [heads] + rows:
    print("  ".join(c.rjust(w[i]) for i, c in enumerate(r)))
print()
for y, v in fits.items():
    print("fit %-22s %s" % (y, json.dumps(v)))
for s in steps:
    print("step %2d  %3d:%-3d initrd %6.1f MiB hashed %6.1f MiB  load %5.2f s (host %5.2f, cpu %s)  jump %5.2f s (cpu %s)"
          "  to /init %5.2f s" % (s["step"], s["mib"], s["add"], s["initrd_bytes"] / MIB, s["hashed"] / MIB, s["load_s"],
                                  s["load_host_s"], "%.2f" % s["load_cpu_s"] if s["load_cpu_s"] is not None else "-",
                                  s["jump_s"], "%.2f" % s["jump_cpu_s"] if s["jump_cpu_s"] is not None else "-", s["boot_s"]))
for p in problems:
    print("PROBLEM: " + p)
sys.exit(1 if problems or not steps else 0)
PY
vm_say "written: $here/results/floor.json and floor.md; serial log in $res/serial.stamped"
[ "$st" -eq 0 ] || vm_say "incomplete: some steps were not measured (see the problems above)"
exit "$st"
