#!/bin/bash
# bench/warm-reboot.sh: how long a reboot takes, warm and cold, on the uefi-grub guest (OVMF,
# GRUB as Debian installs it with GRUB_TIMEOUT=5, Debian 12 with systemd) under QEMU (TCG),
# measured on the host clock from time-stamped serial lines.
#
#   sudo bench/warm-reboot.sh [--runs N]     # N QEMU runs (default 5); WARMBOOT_BIN=...
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
#   warmboot-preloaded, warmboot-now-preloaded   the same after `warmboot load` (not timed)
#   cold             SYSTEMCTL_SKIP_AUTO_KEXEC=1 systemctl reboot: OVMF, GRUB, its 5 s menu
# Each measurement runs from the guest's "go" marker (the command starts) to the next boot's
# "up" marker (its first unit), phase by phase (bench/README.md): warmboot's own work, the
# load, the preparation (warmboot's WARMBOOT_TIMING lines), systemd's shutdown (to the old
# kernel's last line, on its printk clock), the jump (to the new kernel's first line, on the
# host clock), the kernel (its printk time of "Run /init") and userspace (to the unit, on
# the guest's CLOCK_BOOTTIME). bench/warm-reboot-report.py writes the medians with min and
# max to bench/results/warm-reboot.json and the tables to stdout and warm-reboot.md; the
# README's table is made from the JSON (warm-reboot-report.py readme).
#
# Not part of the test suite: timings under software emulation are slow and noisy.
# Never runs warmboot or kexec on the host: only inside the guest.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../tools/lib-vm.sh
. "$here/../tools/lib-vm.sh"

VARIANTS=(script systemctl-kexec warmboot warmboot-preloaded warmboot-now warmboot-now-preloaded cold)
RUNS=5
analyse=
icount=
usage() {
	printf 'usage: %s [--runs N] [--variants "V..."] [--icount SHIFT] | --analyse DIR\n' "${0##*/}" >&2
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
	--variants)
		[ $# -ge 2 ] || usage
		read -r -a VARIANTS <<<"$2"
		shift 2
		;;
	--icount)
		[ $# -ge 2 ] || usage
		icount=$2
		shift 2
		;;
	-h | --help) usage ;;
	*) usage ;;
	esac
done
case $RUNS in '' | *[!0-9]* | 0*) vm_die "--runs must be a positive number (is '$RUNS')" ;; esac
for v in "${VARIANTS[@]}"; do
	case $v in
	script | systemctl-kexec | warmboot | warmboot-preloaded | warmboot-now | warmboot-now-preloaded | cold) ;;
	*) vm_die "unknown variant '$v'" ;;
	esac
done
[ "${#VARIANTS[@]}" -gt 0 ] || vm_die "--variants names no variant"
# --icount SHIFT: the guest's clocks count instructions (2^SHIFT ns each), not the host's
# time, so that other work on the host does not change the guest's figures, and an idle
# guest jumps to its next timer (sleep=on). One vCPU: with two, Debian's 6.1 kernel hangs
# at "x86: Booting SMP configuration" under -icount (QEMU 7.2, sleep=on and off alike).
qemu_extra=()
case $icount in
'') ;;
[0-9] | 10)
	qemu_extra=(-icount "shift=$icount,sleep=on")
	export WARMBOOT_VM_SMP=1
	;;
*) vm_die "--icount takes a shift of 0 to 10 (is '$icount')" ;;
esac
# eight boots a run: about 8 minutes on an idle 2-core host, much more when it is shared
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
		vm_uefi_boot "$TIMEOUT" "$rdir/serial.log" "$rdir/serial.stamped" "$rdir/OVMF_VARS_4M.fd" "$rdir/disk.raw" \
			"${qemu_extra[@]}"
		wait "$sampler" || true
		printf '%s\n' "$VM_QEMU_RC" >"$rdir/qemu-rc"
		printf '%s\n' "$VM_QEMU_SECS" >"$rdir/qemu-secs"
		load >"$rdir/load-after"
		[ "${WARMBOOT_VM_KEEP:-0}" = 1 ] || rm -f "$rdir/disk.raw"
	done
	printf '%s\n' "$((SECONDS - start))" >"$res/wall-secs"
	printf '%s\n' "$(basename "$udir")" >"$res/image"
	printf '%s\n' "${icount:-none}" >"$res/icount"
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
python3 "$here/warm-reboot-report.py" measure "$res" "$here/results" "$R" "$qemu" "$(nproc)" \
	"${WARMBOOT_VM_SMP:-2}" "${WARMBOOT_BENCH_NAME:-warm-reboot}" || st=$?
vm_say "written: $here/results/${WARMBOOT_BENCH_NAME:-warm-reboot}.json and .md; serial logs in $res/run-*/"
[ "$st" -eq 0 ] || vm_say "incomplete: some reboots were not measured (see the problems above)"
exit "$st"
