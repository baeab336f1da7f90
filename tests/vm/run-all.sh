#!/bin/bash
# Run every QEMU end-to-end test of warmboot and print a combined "N passed, M failed" line.
#
#   sudo tests/vm/run-all.sh           # WARMBOOT_BIN=... to test another binary
#
# Exits non-zero if any check failed or a test script did not complete.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"

vm_need_root
mkdir -p "$VM_LOGS"

broken=()
start=$SECONDS
# uefi-grub: about 4 to 6 minutes (five boots, three through OVMF and GRUB), 2 more to build
# its image the first time; uefi-nodbus: about 2 minutes (two boots, the same image without
# D-Bus); uefi-secureboot: two boots, one through OVMF, shim and GRUB with Secure Boot, plus
# its own image the first time; uefi-sdboot: 7 to 15 minutes (seven boots, four through OVMF
# and systemd-boot), 2 more for its image; uefi-trial: six boots and two kernels that panic
# or hang, with a watchdog wait of over two minutes and one of up to two
for t in busybox debian gpu entries uefi-grub uefi-nodbus uefi-secureboot uefi-sdboot uefi-trial; do
	out=$VM_LOGS/$t.out
	printf '\n#### %s (output also in %s)\n' "$t" "$out"
	t0=$SECONDS
	rc=0
	"$here/$t.sh" 2>&1 | tee "$out" || rc=$?
	if ! vm_add_summary "$out"; then
		printf '#### %s did not complete (status %s)\n' "$t" "$rc"
		broken+=("$t")
		VM_FAILED=$((VM_FAILED + 1))
		continue
	fi
	printf '#### %s: %s (%ss)\n' "$t" "$VM_SUMMARY_LINE" "$((SECONDS - t0))"
done

echo
[ "${#broken[@]}" -eq 0 ] || echo "did not complete: ${broken[*]}"
echo "total time: $((SECONDS - start))s; logs in $VM_LOGS"
vm_summary
[ "$VM_FAILED" -eq 0 ]
