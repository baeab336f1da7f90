#!/bin/bash
# Run every QEMU end-to-end test of warmboot and print a combined "N passed, M failed" line.
#
#   sudo tests/vm/run-all.sh           # WARMBOOT_BIN=... to test another binary
#
# The tests run in two lanes side by side (WARMBOOT_VM_LANES=1: one after the other), each
# lane one test at a time; a test's output is printed whole once it has ended, and kept in
# build/vm-logs/TEST.out. Exits non-zero if any check failed or a test did not complete.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"

vm_need_root
mkdir -p "$VM_LOGS"

# Seconds each takes alone on an idle machine (the CI of 2026-12-01), to balance the lanes:
# busybox 33, debian 212, gpu 232, entries 32, uefi-grub 228 (five boots, three through
# OVMF and GRUB), uefi-nodbus 86, uefi-secureboot 96 (shim and GRUB with Secure Boot),
# uefi-sdboot 323 (seven boots, four through systemd-boot), uefi-trial 570 (six boots, two
# kernels that panic or hang, mostly waiting for the watchdog: it shares the machine well);
# nvidia about 200, soak (three reboots under PostgreSQL's write load) about 300, faults
# (21 faults over two boots) about 650. The longest go first. A cached image that is
# missing is built by the first test that needs it, under the cache lock, while the other
# lane waits for it or goes on.
lane_a=(uefi-trial uefi-sdboot soak uefi-grub uefi-secureboot busybox entries)
lane_b=(faults gpu debian nvidia uefi-nodbus)
all=("${lane_a[@]}" "${lane_b[@]}")
if [[ ${WARMBOOT_VM_LANES:-2} == 1 ]]; then
	lane_a=("${all[@]}")
	lane_b=()
fi

print_lock=$VM_LOGS/.print-lock
# run_one TEST: runs it into its .out file, then prints that whole, with its time.
run_one() {
	local t=$1 out=$VM_LOGS/$1.out t0=$SECONDS rc=0
	"$here/$t.sh" >"$out" 2>&1 || rc=$?
	printf '%s\n' "$rc" >"$VM_LOGS/$t.rc"
	{
		flock 8
		printf '\n#### %s (output also in %s)\n' "$t" "$out"
		cat "$out"
		printf '#### %s ended with status %s after %ss\n' "$t" "$rc" "$((SECONDS - t0))"
	} 8>"$print_lock"
}
run_lane() {
	local t
	for t in "$@"; do run_one "$t"; done
}

start=$SECONDS
rm -f "$VM_LOGS"/*.rc
run_lane "${lane_a[@]}" &
lane_a_pid=$!
if ((${#lane_b[@]})); then
	run_lane "${lane_b[@]}" &
	lane_b_pid=$!
	wait "$lane_b_pid" || true
fi
wait "$lane_a_pid" || true

echo
broken=()
for t in "${all[@]}"; do
	out=$VM_LOGS/$t.out
	if [[ ! -f $VM_LOGS/$t.rc ]] || ! vm_add_summary "$out"; then
		printf '#### %s did not complete (status %s)\n' "$t" "$(cat "$VM_LOGS/$t.rc" 2>/dev/null || echo none)"
		broken+=("$t")
		VM_FAILED=$((VM_FAILED + 1))
		continue
	fi
	printf '#### %s: %s\n' "$t" "$VM_SUMMARY_LINE"
done
[ "${#broken[@]}" -eq 0 ] || echo "did not complete: ${broken[*]}"
echo "total time: $((SECONDS - start))s; logs in $VM_LOGS"
vm_summary
[ "$VM_FAILED" -eq 0 ]
