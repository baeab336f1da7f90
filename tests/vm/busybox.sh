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
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/sbin,etc,proc,sys,dev,tmp,run,boot,root}
mkdir -p "$root/lib/modules/$R"
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
install -m 0755 "$here/guest/busybox-init" "$root/init"
cp "$kdir/vmlinuz" "$root/boot/vmlinuz-$R"
cp "$kdir/config" "$root/boot/config-$R"
cp "$kdir/modules/"* "$root/lib/modules/$R/"
vm_copy_with_libs "$root" "$WARMBOOT_BIN" /usr/local/sbin/warmboot
cat >"$root/etc/os-release" <<'EOF'
PRETTY_NAME="warmboot busybox test guest"
NAME="warmboot-busybox"
ID=warmboot-busybox
ID_LIKE=debian
EOF
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
mknod -m 0600 "$root/dev/console" c 5 1
mknod -m 0666 "$root/dev/null" c 1 3
(cd "$root" && find . -print | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$res/initramfs.cpio.gz"
rm -rf "$root"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
append="BOOT_IMAGE=/boot/vmlinuz-$R initrd=/boot/initrd.img-$R console=ttyS0 panic=-1"
vm_say "booting the busybox guest (timeout ${TIMEOUT}s), serial log: $log"
vm_boot "$TIMEOUT" "$log" -no-reboot -kernel "$kdir/vmlinuz" -initrd "$res/initramfs.cpio.gz" \
	-append "$append"
qrc=$VM_QEMU_RC elapsed=$VM_QEMU_SECS

# ---- judge the log ------------------------------------------------------------------------
L=$res/serial.txt
vm_clean_log "$log" "$L"


# has_word RE WORDS / lacks_word PREFIX-RE WORDS (WORDS: one per line)
lacks_word() { ! grep -q -- "^$1" <<<"$2"; }

# wbmsg LINE: everything after msg=

vm_check "qemu exited by itself (no timeout)" "status $qrc" test "$qrc" -ne 124 -a "$qrc" -ne 137
n=$(vm_count "$L" 'Linux version [0-9]')
vm_check "three kernels booted (cold boot + 2 warm reboots)" "saw $n 'Linux version' banners" test "$n" -eq 3
n=$(vm_count "$L" 'Kernel panic')
vm_check "no kernel panic" "saw $n" test "$n" -eq 0
n=$(vm_count "$L" 'WBTEST FAIL')
vm_check "no FAIL marker from the guest" "$(grep -m3 'WBTEST FAIL' "$L" | tr '\n' ' ')" test "$n" -eq 0

for b in 1 2 3; do
	n=$(vm_count "$L" "WBTEST boot=$b start")
	vm_check "boot $b seen exactly once" "seen $n times" test "$n" -eq 1
done

# boot 1: plan
line=$(wbline 'plan rc=')
rc=$(vm_field "$line" rc || echo none)
vm_check "boot 1: warmboot plan exits 0" "rc=$rc" test "$rc" = 0
plan=$(grep -E 'WBTEST plan\| ' "$L" | sed 's/.*WBTEST plan| //' || true)
vm_check "boot 1: plan names /boot/vmlinuz-$R" "plan output: $(printf '%s' "$plan" | head -c 300)" \
	grep -qF "/boot/vmlinuz-$R" <<<"$plan"
vm_check "boot 1: plan names /boot/initrd.img-$R" "" grep -qF "/boot/initrd.img-$R" <<<"$plan"
line=$(wbline 'plan-json rc=')
rc=$(vm_field "$line" rc || echo none)
vm_check "boot 1: warmboot plan --json exits 0" "rc=$rc" test "$rc" = 0
grep -E 'WBTEST json\| ' "$L" | sed 's/.*WBTEST json| //' >"$res/plan.json" || true
if command -v python3 >/dev/null; then
	vm_check "boot 1: plan --json is valid JSON" "$(head -c 300 "$res/plan.json")" \
		python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$res/plan.json"
else
	vm_check "boot 1: plan --json looks like a JSON object" "" grep -q '^[[:space:]]*{' "$res/plan.json"
fi
vm_check "boot 1: plan --json names the kernel" "" grep -qF "vmlinuz-$R" "$res/plan.json"
errs=$(grep -E 'WBTEST (plan|json)-stderr\| ' "$L" | sed 's/.*WBTEST [a-z-]*| //' || true)
if [ -n "$errs" ]; then
	printf '      stderr of warmboot plan / plan --json:\n'
	while IFS= read -r l; do printf '        %s\n' "$l"; done <<<"$errs"
fi

# boot 1: load / status / unload
line=$(wbline 'case=load-ok ')
printf '      warmboot load (kernel + %s initrd) took %s ms in the guest\n' \
	"$(vm_field "$(wbline 'boot=1 initrd bytes=')" bytes || echo '?')-byte" "$(vm_field "$line" ms || echo '?')"
vm_check "boot 1: warmboot load succeeds and sets kexec_loaded=1" "$line" \
	test "$(vm_field "$line" rc || true)" = 0 -a "$(vm_field "$line" loaded || true)" = 1
vm_check "boot 1: warmboot load is quiet on success" "$line" test "$(vm_field "$line" outbytes || true)" = 0
line=$(wbline 'case=unload ')
vm_check "boot 1: warmboot unload succeeds and clears kexec_loaded" "$line" \
	test "$(vm_field "$line" rc || true)" = 0 -a "$(vm_field "$line" loaded || true)" = 0
line=$(wbline 'case=status-loaded ')
vm_check "boot 1: warmboot status exits 0 while loaded" "$line" test "$(vm_field "$line" rc || true)" = 0
line=$(wbline 'case=status-unloaded ')
vm_check "boot 1: warmboot status exits 0 while unloaded" "$line" test "$(vm_field "$line" rc || true)" = 0

# failure cases (boot 1, and boot 3 for kexec_load_disabled)
for c in corrupt-kernel garbage-kernel truncated-kernel missing-initrd long-cmdline load-disabled; do
	line=$(wbline "case=$c ")
	if [ -z "$line" ]; then
		vm_fail "case $c ran" "no 'WBTEST case=$c' line"
		continue
	fi
	rc=$(vm_field "$line" rc || echo none)
	ld=$(vm_field "$line" loaded || echo none)
	msg=$(wbmsg "$line")
	printf '      %s: rc=%s loaded=%s msg=%s\n' "$c" "$rc" "$ld" "$msg"
	vm_check "case $c: exits non-zero" "rc=$rc" test "$rc" != 0 -a "$rc" != none
	vm_check "case $c: nothing left loaded" "loaded=$ld" test "$ld" = 0
	vm_check "case $c: says why on stderr" "empty message" test -n "$msg"
done
msg=$(wbmsg "$(wbline 'case=load-disabled ')")
vm_check "case load-disabled: message mentions kexec_load_disabled" "msg=$msg" \
	grep -q kexec_load_disabled <<<"$msg"

# boot 2 and 3 command lines
for b in 2 3; do
	case $b in 2) want=second ;; 3) want=third ;; esac
	line=$(wbline "boot=$b cmdline=")
	cl=${line#*cmdline=}
	printf '      boot %s /proc/cmdline: %s\n' "$b" "$cl"
	words=$(tr ' ' '\n' <<<"$cl")
	n=$(grep -c '^warmboot\.test=' <<<"$words" || true)
	vm_check "boot $b: warmboot.test= appears exactly once" "seen $n times" test "$n" -eq 1
	vm_check "boot $b: warmboot.test=$want" "" has_word "warmboot\.test=$want" "$words"
	vm_check "boot $b: no BOOT_IMAGE=" "" lacks_word "BOOT_IMAGE=" "$words"
	vm_check "boot $b: no initrd=" "" lacks_word "initrd=" "$words"
	vm_check "boot $b: console=ttyS0 kept" "" has_word console=ttyS0 "$words"
	vm_check "boot $b: panic=-1 kept" "" has_word panic=-1 "$words"
	vm_check "boot $b: no warmboot.pad= leaked from the failure case" "" \
		lacks_word "warmboot\.pad=" "$words"
done
# boot 2 -> 3: `warmboot reboot` without --now on a machine without systemd
b2=$(sed -n '/WBTEST boot=2 handover/,/Linux version [0-9]/p' "$L")
printf '      boot 2 warmboot reboot (no --now) said: %s\n' \
	"$(grep -E 'warmboot|systemd is not|Warm reboot' <<<"$b2" | sed 's/^\[ *[0-9.]*\] //' | tr '\n' ' ')"
vm_check "boot 2: warmboot reboot without --now warns 'systemd is not PID 1'" "" \
	grep -q 'systemd is not PID 1' <<<"$b2"
vm_check "boot 2: ... and hands over directly (boot 3 came)" "" \
	test "$(vm_count "$L" 'WBTEST boot=3 start')" -eq 1
n=$(vm_count "$L" 'WBTEST boot=3 still-running')
vm_check "boot 3: guest still running after the refused load" "" test "$n" -eq 1

if [ "$VM_FAILED" -ne 0 ]; then
	vm_show_tail "$L" 80
fi
vm_say "serial log: $log (${elapsed}s in QEMU)"
vm_summary
[ "$VM_FAILED" -eq 0 ]
