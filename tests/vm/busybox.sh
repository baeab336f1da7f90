#!/bin/bash
# End-to-end test of warmboot in a minimal busybox initramfs guest under QEMU (TCG).
#
#   sudo tests/vm/busybox.sh            # WARMBOOT_BIN=... to test another binary
#
# Boot 1 (cmdline simulates GRUB: BOOT_IMAGE= initrd=): warmboot plan / plan --json, a load
# and unload, failure cases (random-bytes kernel, 4 KiB of header + garbage, the first half of
# the real kernel, missing initrd, over-long command line), then
# `warmboot reboot --now --append warmboot.test=second`.
# Boot 2: the command line must carry warmboot.test= once and no BOOT_IMAGE=/initrd=; warm
# reboot again with warmboot.test=third, this time without --now: warmboot must see that
# systemd is not PID 1, say so, and hand over directly.
# Boot 3: exactly one warmboot.test=third; a load
# with kexec_load_disabled=1 must fail and say so; power off.
# The host judges the serial log and prints one line per check, then "N passed, M failed".
#
# Never runs warmboot on the host: it only runs inside the guest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"

TIMEOUT=${WARMBOOT_VM_TIMEOUT:-240}

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}"
vm_check_binary

res=$(vm_results_dir busybox)
kdir=$(vm_kernel)
R=$(cat "$kdir/release")

# ---- the initramfs -----------------------------------------------------------------------
vm_say "building the busybox initramfs (kernel $R, warmboot $WARMBOOT_BIN)"
root=$res/root
vm_busybox_root "$root" "$here/guest/busybox-init"
vm_root_kernel "$root" "$kdir"
vm_cpio "$root" "$res/initramfs.cpio.gz"
rm -rf "$root"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
append="BOOT_IMAGE=/boot/vmlinuz-$R initrd=/boot/initrd.img-$R console=ttyS0 panic=-1"
vm_say "booting the busybox guest (timeout ${TIMEOUT}s), serial log: $log"
vm_boot "$TIMEOUT" "$log" -no-reboot -kernel "$kdir/vmlinuz" -initrd "$res/initramfs.cpio.gz" \
	-append "$append"

# ---- judge the log ------------------------------------------------------------------------
vm_check_qemu
vm_check_boots 3

# boot 1: plan
vm_expect "boot 1: warmboot plan exits 0" 'boot=1 plan rc=' rc=0
plan=$(wbdump 'boot=1 plan')
vm_check "boot 1: plan names /boot/vmlinuz-$R" "plan output: $(printf '%s' "$plan" | head -c 300)" \
	vm_contains "/boot/vmlinuz-$R" "$plan"
vm_check "boot 1: plan names /boot/initrd.img-$R" "" vm_contains "/boot/initrd.img-$R" "$plan"
vm_expect "boot 1: warmboot plan --json exits 0" 'boot=1 plan-json rc=' rc=0
wbdump 'boot=1 plan-json' >"$res/plan.json"
vm_check_json "boot 1: plan --json is valid JSON" "$res/plan.json"
vm_check "boot 1: plan --json names the kernel" "" grep -qF "vmlinuz-$R" "$res/plan.json"
errs=$(wbdump 'boot=1 plan-stderr'; wbdump 'boot=1 plan-json-stderr')
if [ -n "$errs" ]; then
	printf '      stderr of warmboot plan / plan --json:\n'
	vm_indent "$errs"
fi

# boot 1: load / status / unload
line=$(wbline 'boot=1 case=load-ok ')
printf '      warmboot load (kernel + %s initrd) took %s ms in the guest\n' \
	"$(vm_field "$(wbline 'boot=1 initrd bytes=')" bytes || echo '?')-byte" "$(vm_field "$line" ms || echo '?')"
vm_expect "boot 1: warmboot load succeeds and sets kexec_loaded=1" 'boot=1 case=load-ok ' rc=0 loaded=1
vm_expect "boot 1: warmboot load is quiet on success" 'boot=1 case=load-ok ' outbytes=0
vm_expect "boot 1: warmboot unload succeeds and clears kexec_loaded" 'boot=1 case=unload ' rc=0 loaded=0
vm_expect "boot 1: warmboot status exits 0 while loaded" 'boot=1 case=status-loaded ' rc=0
vm_expect "boot 1: warmboot status exits 0 while unloaded" 'boot=1 case=status-unloaded ' rc=0

# failure cases (boot 1, and boot 3 for kexec_load_disabled)
for c in corrupt-kernel garbage-kernel truncated-kernel missing-initrd long-cmdline load-disabled; do
	pat="boot=[13] case=$c "
	line=$(wbline "$pat")
	if [ -z "$line" ]; then
		vm_fail "case $c ran" "no 'WBTEST $pat' line"
		continue
	fi
	printf '      %s: rc=%s loaded=%s msg=%s\n' "$c" "$(vm_field "$line" rc || echo none)" \
		"$(vm_field "$line" loaded || echo none)" "$(wbmsg "$line")"
	vm_expect "case $c: exits non-zero" "$pat" rc!=0
	vm_expect "case $c: nothing left loaded" "$pat" loaded=0
	vm_check "case $c: says why on stderr" "empty message" test -n "$(wbmsg "$line")"
done
msg=$(wbmsg "$(wbline 'boot=3 case=load-disabled ')")
vm_check "case load-disabled: message mentions kexec_load_disabled" "msg=$msg" \
	vm_contains kexec_load_disabled "$msg"

# boot 2 and 3 command lines
vm_check_cmdline 2 second console=ttyS0 panic=-1 '!warmboot.pad='
vm_check_cmdline 3 third console=ttyS0 panic=-1 '!warmboot.pad='
# boot 2 -> 3: `warmboot reboot` without --now on a machine without systemd
b2=$(vm_handover 2)
printf '      boot 2 warmboot reboot (no --now) said: %s\n' "$(vm_said "$b2")"
vm_check "boot 2: warmboot reboot without --now warns 'systemd is not PID 1'" "" \
	vm_contains 'systemd is not PID 1' "$b2"
vm_check "boot 2: ... and hands over directly (boot 3 came)" "" \
	test "$(vm_count "$VM_MARKERS" 'WBTEST boot=3 start')" -eq 1
vm_check "boot 3: guest still running after the refused load" "" \
	test "$(vm_count "$VM_MARKERS" 'WBTEST boot=3 still-running')" -eq 1
vm_check_done 3

vm_finish
