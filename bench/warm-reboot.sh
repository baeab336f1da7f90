#!/bin/bash
# bench/warm-reboot.sh: how long a reboot takes, warm and cold, on the uefi-grub guest (OVMF,
# GRUB as Debian installs it with GRUB_TIMEOUT=5, Debian 12 with systemd) under QEMU (TCG),
# measured on the host clock from time-stamped serial lines.
#
#   sudo bench/warm-reboot.sh [--runs N]     # N QEMU runs (default 3); WARMBOOT_BIN=...
#   bench/warm-reboot.sh --analyse DIR       # only the report, from the time-stamped serial
#                                            # logs of an earlier run's DIR (no QEMU, no root)
#
# One guest per run: one QEMU run, power-on through OVMF and GRUB, then one reboot of each
# variant (bench/guest/warm-reboot), in an order rotated from run to run:
#   script           kexec -l /boot/vmlinuz-R --initrd=/boot/initrd.img-R
#                    --command-line="$(cat /proc/cmdline)" && systemctl kexec   (the seed's
#                    script with systemd's shutdown; the load is timed)
#   systemctl-kexec  systemctl kexec, the kernel loaded as above beforehand (load not timed)
#   warmboot         warmboot reboot
#   warmboot-now     warmboot reboot --now (systemd's forced kexec: systemd-shutdown)
#   cold             SYSTEMCTL_SKIP_AUTO_KEXEC=1 systemctl reboot: OVMF, GRUB, its 5 s menu
# Each measurement runs from the guest's "go" marker (the command starts) to the next boot's
# "up" marker (its first unit), in four phases: before the hand-over (to the old kernel's last
# line: "kexec_core: Starting new kernel" or "reboot: Restarting system"), the hand-over (to
# the new kernel's first line, its "Linux version" banner: purgatory and the jump, or the
# firmware and GRUB), the kernel (to "Run /init"), userspace (initramfs and systemd to the
# unit). Medians over the runs go to bench/results/warm-reboot.json; the table (medians,
# min-max, ratios against the script and systemctl-kexec of the same run) to stdout and
# bench/results/warm-reboot.md.
#
# Not part of the test suite: timings under software emulation are slow and noisy.
# Never runs warmboot or kexec on the host: only inside the guest.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../tools/lib-vm.sh
. "$here/../tools/lib-vm.sh"

VARIANTS=(script systemctl-kexec warmboot warmboot-now cold)
RUNS=3
analyse=
usage() {
	printf 'usage: %s [--runs N] | --analyse DIR\n' "${0##*/}" >&2
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
# six boots a run: about 6 minutes on an idle 2-core host, much more when it is shared
TIMEOUT=${WARMBOOT_VM_TIMEOUT:-2400}

# order R: the variants rotated by R-1 places (run R's order of reboots)
order() {
	local r=$1 i n=${#VARIANTS[@]} out=()
	for ((i = 0; i < n; i++)); do out+=("${VARIANTS[(i + r - 1) % n]}"); done
	printf '%s\n' "${out[*]}"
}

# load: the host's load averages and how many QEMU guests run beside this one
load() {
	local q
	q=$(pgrep -c -x qemu-system-x86 || true)
	printf 'load %s; %s QEMU processes' "$(cut -d' ' -f1-3 /proc/loadavg)" "${q:-0}"
}

# sample_load RUNDIR: every 5 s until QEMU has ended (vm_uefi_boot writes serial.rc), the
# host's 1-minute load average as "MICROSECONDS LOAD" lines in RUNDIR/load.samples
sample_load() {
	local last=0
	while [ "$last" = 0 ]; do
		[ ! -e "$1/serial.rc" ] || last=1
		printf '%s %s\n' "$(vm_us "$EPOCHREALTIME")" "$(cut -d' ' -f1 /proc/loadavg)"
		sleep 5
	done >"$1/load.samples"
}

if [ -z "$analyse" ]; then
	vm_need_root
	vm_ensure_pkgs "${VM_HOST_PKGS[@]}" "${VM_UEFI_PKGS[@]}"
	vm_check_binary
	res=$(vm_results_dir bench)
	udir=$(vm_uefi_grub)
	tree=$udir/rootfs
	[ -x "$tree/usr/sbin/kexec" ] || [ -x "$tree/sbin/kexec" ] || vm_die "the uefi-grub image has no kexec-tools"
	start=$SECONDS
	for ((r = 1; r <= RUNS; r++)); do
		rdir=$res/run-$r
		mkdir -p "$rdir"
		payload=$rdir/payload
		mkdir -p "$payload/var/lib/warmboot-bench"
		vm_payload_warmboot "$payload" "$tree"
		vm_unit_payload "$payload" warmboot-bench "$here/guest/warm-reboot" simple
		order "$r" >"$payload/var/lib/warmboot-bench/order"
		cp "$payload/var/lib/warmboot-bench/order" "$rdir/order"
		vm_uefi_grub_disk "$udir" "$payload" "$rdir/disk.raw"
		rm -rf "$payload"
		vm_uefi_vars "$rdir/OVMF_VARS_4M.fd"
		load >"$rdir/load-before"
		vm_say "run $r of $RUNS: $(cat "$rdir/order") ($(cat "$rdir/load-before")); timeout ${TIMEOUT}s"
		sample_load "$rdir" &
		sampler=$!
		vm_uefi_boot "$TIMEOUT" "$rdir/serial.log" "$rdir/serial.stamped" "$rdir/OVMF_VARS_4M.fd" "$rdir/disk.raw"
		wait "$sampler" || true
		printf '%s\n' "$VM_QEMU_RC" >"$rdir/qemu-rc"
		printf '%s\n' "$VM_QEMU_SECS" >"$rdir/qemu-secs"
		load >"$rdir/load-after"
		[ "${WARMBOOT_VM_KEEP:-0}" = 1 ] || rm -f "$rdir/disk.raw"
	done
	printf '%s\n' "$((SECONDS - start))" >"$res/wall-secs"
	printf '%s\n' "$(basename "$udir")" >"$res/image"
	"$WARMBOOT_BIN" --version 2>/dev/null | head -n1 >"$res/version" || echo '?' >"$res/version"
	git -C "$VM_REPO" describe --always --dirty >"$res/commit" 2>/dev/null || echo '?' >"$res/commit"
	R=$(cat "$udir/release")
else
	res=$analyse
	[ -d "$res/run-1" ] || vm_die "no run-1/ in $res: not the directory of an earlier bench run"
	R=$(grep -m1 -oE 'Linux version [^ ]+' "$res/run-1/serial.stamped" | cut -d' ' -f3)
fi

# ---- measure and report -------------------------------------------------------------------
mkdir -p "$here/results"
qemu=$(qemu-system-x86_64 --version 2>/dev/null | head -n1 | sed 's/.*version \([^ ]*\).*/\1/')
st=0
python3 - "$res" "$here/results" "${VARIANTS[*]}" "$R" "$qemu" "$(nproc)" "${WARMBOOT_VM_SMP:-2}" <<'PY' || st=$?
import glob, json, os, re, statistics, sys, time

res, out_dir, variants, release, qemu, ncpu, smp = sys.argv[1:]
variants = variants.split()
PHASES = ["total_s", "before_handover_s", "handover_s", "kernel_s", "userspace_s"]


def read(path, default=""):
    try:
        return open(path).read().strip()
    except OSError:
        return default


def load_samples(path):
    out = []
    for raw in open(path) if os.path.exists(path) else []:
        w = raw.split()
        if len(w) == 2 and w[0].isdigit():
            out.append((int(w[0]), float(w[1])))
    return out


def load_between(samples, a, z):
    """The mean 1-minute load average sampled between a and z (microseconds), or None."""
    xs = [l for t, l in samples if a <= t <= z]
    return sum(xs) / len(xs) if xs else None


def measure(path, samples):
    """The reboots of one run's time-stamped serial log: {variant: {phase: seconds}}, problems."""
    lines = []
    for raw in open(path, errors="replace"):
        us, _, text = raw.rstrip("\n").partition(" ")
        if us.isdigit():
            lines.append((int(us), re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)))
    got, problems = {}, []
    for i, (t, text) in enumerate(lines):
        m = re.search(r"WBBENCH go boot=(\d+) variant=(\S+)", text)
        if not m:
            continue
        boot, v = int(m.group(1)), m.group(2)
        last = banner = init = up = None
        firmware = kexec = False
        for t2, x in lines[i + 1:]:
            if last is None:
                if "kexec_core: Starting new kernel" in x:
                    last, kexec = t2, True
                elif "reboot: Restarting system" in x:
                    last = t2
                continue
            if "BdsDxe: starting" in x or "Welcome to GRUB" in x:
                firmware = True
            if banner is None:
                if re.search(r"Linux version [0-9]", x):
                    banner = t2
                continue
            if init is None and "Run /init as init process" in x:
                init = t2
            if re.search(r"WBBENCH up boot=%d\b" % (boot + 1), x):
                up = t2
                break
        if None in (last, banner, init, up):
            problems.append("%s (boot %d): no end seen" % (v, boot))
            continue
        warm = v != "cold"
        if warm != kexec or warm == firmware:
            problems.append("%s (boot %d): went %s" % (v, boot, "through the firmware" if firmware else "by kexec"))
            continue
        got.setdefault("_load", {})[v] = load_between(samples, t, up)
        got[v] = {"total_s": (up - t) / 1e6, "before_handover_s": (last - t) / 1e6,
                  "handover_s": (banner - last) / 1e6, "kernel_s": (init - banner) / 1e6,
                  "userspace_s": (up - init) / 1e6}
    for t, text in lines:
        if "WBBENCH error" in text:
            problems.append(text[text.index("WBBENCH error") + 8:])
    return got, problems


runs = sorted(glob.glob(os.path.join(res, "run-*")), key=lambda d: int(d.rsplit("-", 1)[1]))
per_run, notes = [], []
for d in runs:
    got, problems = measure(os.path.join(d, "serial.stamped"), load_samples(os.path.join(d, "load.samples")))
    rc = read(os.path.join(d, "qemu-rc"), "?")
    if rc != "0":
        problems.append("QEMU status %s" % rc)
    per_run.append(got)
    notes.append({"run": d.rsplit("-", 1)[1], "order": read(os.path.join(d, "order")),
                  "secs": read(os.path.join(d, "qemu-secs"), "?"),
                  "before": read(os.path.join(d, "load-before"), "?"),
                  "after": read(os.path.join(d, "load-after"), "?"), "problems": problems})

med, span = {}, {}
for v in variants:
    med[v], span[v] = {}, {}
    for p in PHASES:
        xs = [r[v][p] for r in per_run if v in r]
        if xs:
            med[v][p] = round(statistics.median(xs), 2)
            span[v][p] = (min(xs), max(xs))


def ratios(v, base):
    return [r[v]["total_s"] / r[base]["total_s"] for r in per_run if v in r and base in r and r[base]["total_s"] > 0]


doc = {"guest": {"firmware": "ovmf", "loader": "grub"}, "runs": len(runs),
       "variants": {v: {p: med[v].get(p) for p in PHASES} for v in variants}}
with open(os.path.join(out_dir, "warm-reboot.json"), "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")

what = {"script": "kexec -l ... && systemctl kexec (the seed's script)",
        "systemctl-kexec": "systemctl kexec (kernel loaded beforehand)",
        "warmboot": "warmboot reboot", "warmboot-now": "warmboot reboot --now",
        "cold": "cold: systemctl reboot (OVMF, GRUB)"}


def cell(v, p):
    if p not in med[v]:
        return "n/a"
    lo, hi = span[v][p]
    return "%.2f (%.2f-%.2f)" % (med[v][p], lo, hi)


def rcell(v, base):
    xs = ratios(v, base)
    if not xs:
        return "n/a"
    return "%.2fx (%.2f-%.2f)" % (statistics.median(xs), min(xs), max(xs))


def lcell(v):
    xs = [r["_load"][v] for r in per_run if v in r and r.get("_load", {}).get(v) is not None]
    if not xs:
        return "n/a"
    return "%.1f (%.1f-%.1f)" % (statistics.median(xs), min(xs), max(xs))


heads = ["variant", "n", "total", "before hand-over", "hand-over", "kernel", "userspace",
         "vs script", "vs systemctl-kexec", "host load"]
rows = [[what[v], str(sum(1 for r in per_run if v in r))] + [cell(v, p) for p in PHASES]
        + [rcell(v, "script"), rcell(v, "systemctl-kexec"), lcell(v)] for v in variants]
md = []
md.append("# warm reboot benchmark: the uefi-grub guest")
md.append("")
md.append("%s; %s (%s); guest: Debian 12, kernel %s, systemd, booted by OVMF and GRUB (GRUB_TIMEOUT=5);"
          % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime(os.path.join(runs[-1], "serial.stamped"))
                                                              if runs else time.time())), read(os.path.join(res, "version"), "?"),
             read(os.path.join(res, "commit"), "?"), release))
md.append("QEMU %s TCG (software emulation, -smp %s); host %s CPUs. %d runs, one guest (one QEMU run) each,"
          % (qemu, smp, ncpu, len(runs)))
md.append("one reboot of every variant per run. Seconds on the host clock as the serial lines arrived:")
md.append("median (min-max); ratios: total against the script's / systemctl kexec's of the same run;")
md.append("host load: the host's 1-minute load average during the measurement (sampled every 5 s).")
md.append("")
md.append("| " + " | ".join(heads) + " |")
md.append("|---|" + "---:|" * (len(heads) - 1))
for row in rows:
    md.append("| " + " | ".join(row) + " |")
md.append("")
md.append("before hand-over: the command to the old kernel's last line (\"kexec_core: Starting new kernel\",")
md.append("\"reboot: Restarting system\"); hand-over: to the new kernel's first line on the serial console")
md.append("(its \"Linux version\" banner, printed once the console registers): for kexec purgatory and the")
md.append("jump, for the cold reboot OVMF and GRUB with its 5 s menu; kernel: to \"Run /init\"; userspace:")
md.append("initramfs and systemd to the first unit. Each column is a median of its own: the phases need")
md.append("not add up to the median total. The JSON (bench/results/warm-reboot.json) holds the medians.")
md.append("")
md.append("The host while it ran (shared with other helpers' guests: the timings are only comparable")
md.append("within a run; the QEMU processes counted are other guests, this run's own not yet started or")
md.append("already ended):")
md.append("")
for n in notes:
    md.append("- run %s: %s; QEMU %s s; at the start %s, at the end %s%s"
              % (n["run"], n["order"], n["secs"], n["before"], n["after"],
                 ("; problems: " + "; ".join(n["problems"])) if n["problems"] else ""))
text = "\n".join(md) + "\n"
with open(os.path.join(out_dir, "warm-reboot.md"), "w") as f:
    f.write(text)

# the table on stdout, aligned
w = [max(len(r[i]) for r in [heads] + rows) for i in range(len(heads))]
print()
for r in [heads] + rows:
    print("  ".join(c.ljust(w[i]) if i == 0 else c.rjust(w[i]) for i, c in enumerate(r)))
print()
for n in notes:
    print("run %s: %s; %s s in QEMU; %s -> %s%s" % (n["run"], n["order"], n["secs"], n["before"], n["after"],
          ("; PROBLEMS: " + "; ".join(n["problems"])) if n["problems"] else ""))
print()
print(json.dumps(doc, indent=2))
bad = sum(len(n["problems"]) for n in notes)
sys.exit(1 if bad or not runs else 0)
PY
vm_say "written: $here/results/warm-reboot.json and warm-reboot.md; serial logs in $res/run-*/"
[ "$st" -eq 0 ] || vm_say "incomplete: some reboots were not measured (see the problems above)"
exit "$st"
