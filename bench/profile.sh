#!/bin/bash
# bench/profile.sh: where warmboot's time goes before the hand-over, on the uefi-grub guest
# (OVMF, GRUB, Debian 12 with systemd) under QEMU (TCG), without handing over: one guest,
# ROUNDS rounds of `warmboot plan`, `warmboot load` (each load unloaded again), kexec-tools'
# `kexec -l` and `kexec -s -l` (bench/guest/profile), then `warmboot load` under strace.
#
#   sudo bench/profile.sh [--rounds N]      # default 5; WARMBOOT_BIN=...
#   bench/profile.sh --analyse DIR          # only the report, from an earlier run's serial log
#
# Writes bench/results/profile.json (medians, min and max per command and per warmboot phase,
# wall and CPU, from the guest's own clocks: WARMBOOT_TIMING=1 and bash's EPOCHREALTIME and
# `times`) and bench/results/profile.md (the tables and strace -c's summary).
#
# Not part of the test suite. Never runs warmboot or kexec on the host: only inside the guest.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../tools/lib-vm.sh
. "$here/../tools/lib-vm.sh"

ROUNDS=5
analyse=
usage() {
	printf 'usage: %s [--rounds N] | --analyse DIR\n' "${0##*/}" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--rounds)
		[ $# -ge 2 ] || usage
		ROUNDS=$2
		shift 2
		;;
	--analyse)
		[ $# -ge 2 ] || usage
		analyse=$2
		shift 2
		;;
	*) usage ;;
	esac
done
case $ROUNDS in '' | *[!0-9]* | 0*) vm_die "--rounds must be a positive number (is '$ROUNDS')" ;; esac
TIMEOUT=${WARMBOOT_VM_TIMEOUT:-1800}

if [ -z "$analyse" ]; then
	vm_need_root
	vm_ensure_pkgs "${VM_HOST_PKGS[@]}" "${VM_UEFI_PKGS[@]}" strace
	vm_check_binary
	res=$(vm_results_dir profile)
	udir=$(vm_uefi_grub)
	tree=$udir/rootfs
	payload=$res/payload
	mkdir -p "$payload/var/lib/warmboot-bench"
	vm_payload_warmboot "$payload" "$tree"
	vm_payload_binary "$payload" "$tree" "$(command -v strace)" /usr/local/bin/strace
	vm_unit_payload "$payload" warmboot-profile "$here/guest/profile" simple
	printf '%s\n' "$ROUNDS" >"$payload/var/lib/warmboot-bench/rounds"
	vm_uefi_grub_disk "$udir" "$payload" "$res/disk.raw"
	rm -rf "$payload"
	vm_uefi_vars "$res/OVMF_VARS_4M.fd"
	vm_say "profiling on the uefi-grub guest: $ROUNDS rounds (load $(cut -d' ' -f1-3 /proc/loadavg)); timeout ${TIMEOUT}s"
	vm_uefi_boot "$TIMEOUT" "$res/serial.log" "$res/serial.stamped" "$res/OVMF_VARS_4M.fd" "$res/disk.raw"
	rm -f "$res/disk.raw"
	[ "$VM_QEMU_RC" = 0 ] || vm_say "QEMU ended with status $VM_QEMU_RC"
	"$WARMBOOT_BIN" --version 2>/dev/null | head -n1 >"$res/version" || echo '?' >"$res/version"
	git -C "$VM_REPO" describe --always --dirty >"$res/commit" 2>/dev/null || echo '?' >"$res/commit"
	cut -d' ' -f1-3 /proc/loadavg >"$res/load-after"
else
	res=$analyse
	[ -f "$res/serial.log" ] || vm_die "no serial.log in $res: not the directory of an earlier profile run"
fi

mkdir -p "$here/results"
python3 - "$res" "$here/results" <<'PY'
import json, os, re, statistics, sys

res, out = sys.argv[1:]


def read(path, default="?"):
    try:
        return open(path).read().strip()
    except OSError:
        return default


lines = [re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", l.rstrip("\r\n"))
         for l in open(os.path.join(res, "serial.log"), errors="replace")]
cmds, phases, said, strace_c, start = {}, {}, {}, [], ""
for l in lines:
    if "WBPROF " not in l:
        continue
    x = l[l.index("WBPROF ") + 7:]
    if x.startswith("start "):
        start = x[6:]
    elif x.startswith("strace-c "):
        strace_c.append(x[9:])
    m = re.match(r"round=(\d+) what=(\S+) wall_ms=([\d.]+) cpu_ms=([\d.]+) rc=(\d+)", x)
    if m:
        cmds.setdefault(m.group(2), []).append((float(m.group(3)), float(m.group(4)), int(m.group(5))))
        continue
    m = re.match(r"round=(\d+) what=(\S+) timing (.+) ([\d.]+) ms, cpu ([\d.]+) ms, at", x)
    if m:
        phases.setdefault(m.group(2), {}).setdefault(m.group(3), []).append((float(m.group(4)), float(m.group(5))))
        continue
    m = re.match(r"round=(\d+) what=(\S+) said (.*)", x)
    if m:
        said.setdefault(m.group(2), set()).add(m.group(3))


def stats(xs):
    return {"median": round(statistics.median(xs), 1), "min": round(min(xs), 1), "max": round(max(xs), 1), "n": len(xs)}


what = {"true": "/bin/true", "start": "warmboot --version", "plan": "warmboot plan", "load": "warmboot load", "kexec-l": "kexec -l (kexec-tools)",
        "kexec-s": "kexec -s -l (kexec-tools, kexec_file_load)",
        "systemctl-dry": "systemctl --dry-run kexec (a kernel loaded)",
        "reboot-dry": "warmboot reboot --dry-run (loaded by warmboot load)"}
doc = {"guest": "uefi-grub", "start": start, "commands": {}, "phases": {}}
for w, xs in cmds.items():
    doc["commands"][w] = {"wall_ms": stats([a for a, _, _ in xs]), "cpu_ms": stats([b for _, b, _ in xs]),
                          "failed": sum(1 for *_, rc in xs if rc != 0)}
for w, ph in phases.items():
    doc["phases"][w] = {p: {"wall_ms": stats([a for a, _ in v]), "cpu_ms": stats([b for _, b in v])} for p, v in ph.items()}
with open(os.path.join(out, "profile.json"), "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")


def cell(s):
    return "%.1f (%.1f-%.1f)" % (s["median"], s["min"], s["max"])


md = ["# where warmboot's time goes before the hand-over: the uefi-grub guest", "",
      "%s (%s); QEMU TCG, -smp %s; guest: %s. Medians (min-max) of %s rounds in one guest,"
      % (read(os.path.join(res, "version")), read(os.path.join(res, "commit")), os.environ.get("WARMBOOT_VM_SMP", "2"),
         start or "?", max((c["wall_ms"]["n"] for c in doc["commands"].values()), default=0)),
      "milliseconds on the guest's clocks (wall and CPU, user + system, of the command: bash's `time`;",
      "phases: warmboot's own WARMBOOT_TIMING=1 lines, whose first phase, start, runs from the fork).",
      "", "| command | wall ms | CPU ms | failed |", "|---|---:|---:|---:|"]
for w in what:
    if w in doc["commands"]:
        c = doc["commands"][w]
        md.append("| %s | %s | %s | %d |" % (what[w], cell(c["wall_ms"]), cell(c["cpu_ms"]), c["failed"]))
for w in ("plan", "load", "reboot-dry"):
    if w not in doc["phases"]:
        continue
    md += ["", "`%s`, phase by phase:" % what[w], "", "| phase | wall ms | CPU ms |", "|---|---:|---:|"]
    for p, v in doc["phases"][w].items():
        md.append("| %s | %s | %s |" % (p, cell(v["wall_ms"]), cell(v["cpu_ms"])))
for w, s in sorted(said.items()):
    md += ["", "%s said: %s" % (what.get(w, w), "; ".join(sorted(s)))]
if strace_c:
    md += ["", "`strace -c -f warmboot load` (once; strace slows every call down):", "", "```"] + strace_c + ["```"]
text = "\n".join(md) + "\n"
with open(os.path.join(out, "profile.md"), "w") as f:
    f.write(text)
print(text)
ok = "load" in doc["commands"] and doc["commands"]["load"]["failed"] == 0
sys.exit(0 if ok else 1)
PY
vm_say "written: $here/results/profile.json and profile.md; serial log in $res/serial.log"
