#!/bin/bash
# End-to-end test of warmboot's default (systemd) hand-over in a debootstrapped Debian 12
# guest under QEMU (TCG).
#
#   sudo tests/vm/debian.sh            # WARMBOOT_BIN=... to test another binary
#
# Boot 1 (cmdline simulates GRUB: BOOT_IMAGE= initrd=): a oneshot unit writes 1 MiB of
# random data and its sha256 without syncing, then runs
# `warmboot reboot --append warmboot.test=second` (systemctl kexec under systemd).
# Boot 2: warmboot.test= exactly once, no BOOT_IMAGE=/initrd=, the data survived, the ext4
# root needed no journal recovery; power off.
# The host judges the serial log and the disk image (debugfs), prints one line per check and
# then "N passed, M failed".
#
# Never runs warmboot on the host: it only runs inside the guest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"

TIMEOUT=${WARMBOOT_VM_TIMEOUT:-600}

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}"
vm_check_binary

res=$(vm_results_dir debian)
ddir=$(vm_debian)
R=$(cat "$ddir/release")
tree=$ddir/rootfs

# ---- the disk ----------------------------------------------------------------------------
vm_say "building the Debian disk image (kernel $R, warmboot $WARMBOOT_BIN)"
payload=$res/payload
mkdir -p "$payload"
vm_payload_warmboot "$payload" "$tree"
vm_unit_payload "$payload" warmboot-vm-test "$here/guest/debian-test"
disk=$res/disk.img
vm_debian_disk "$ddir" "$payload" "$disk"
rm -rf "$payload"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
append="console=ttyS0 root=/dev/vda rw panic=-1 BOOT_IMAGE=/boot/vmlinuz-$R initrd=/boot/initrd.img-$R"
vm_say "booting the Debian guest (timeout ${TIMEOUT}s), serial log: $log"
vm_boot "$TIMEOUT" "$log" -no-reboot -kernel "$tree/boot/vmlinuz-$R" -initrd "$tree/boot/initrd.img-$R" \
	-append "$append" -drive "file=$disk,format=raw,if=virtio"
qrc=$VM_QEMU_RC elapsed=$VM_QEMU_SECS

# ---- judge the log and the disk -----------------------------------------------------------
L=$res/serial.txt
vm_clean_log "$log" "$L"

lacks_word() { ! grep -q -- "^$1" <<<"$2"; }

vm_check "qemu exited by itself (no timeout)" "status $qrc" test "$qrc" -ne 124 -a "$qrc" -ne 137
n=$(vm_count "$L" 'Linux version [0-9]')
vm_check "two kernels booted (cold boot + 1 warm reboot)" "saw $n 'Linux version' banners" test "$n" -eq 2
n=$(vm_count "$L" 'Kernel panic')
vm_check "no kernel panic" "saw $n" test "$n" -eq 0
n=$(vm_count "$L" 'WBTEST FAIL')
vm_check "no FAIL marker from the guest" "$(grep -m3 'WBTEST FAIL' "$L" | tr '\n' ' ')" test "$n" -eq 0
for b in 1 2; do
	n=$(vm_count "$L" "WBTEST boot=$b start")
	vm_check "boot $b seen exactly once" "seen $n times" test "$n" -eq 1
done
n=$(vm_count "$L" "WBTEST boot=3 start")
vm_check "no third boot" "seen $n times" test "$n" -eq 0

line=$(wbline 'boot=1 plan rc=')
vm_check "boot 1: warmboot plan exits 0" "$line" test "$(vm_field "$line" rc || true)" = 0
line=$(wbline 'boot=1 reboot rc=')
if [ -n "$line" ]; then
	# `warmboot reboot` may or may not get to print before systemd stops the unit
	vm_check "boot 1: warmboot reboot exits 0 (hand-over queued)" "$line" \
		test "$(vm_field "$line" rc || true)" = 0
fi
n=$(vm_count "$L" 'systemd-shutdown.*kexec|Rebooting with kexec')
vm_check "boot 1: systemd performed the kexec (clean shutdown path)" \
	"no systemd-shutdown kexec message" test "$n" -ge 1

line=$(wbline "boot=2 cmdline=")
cl=${line#*cmdline=}
printf '      boot 2 /proc/cmdline: %s\n' "$cl"
words=$(tr ' ' '\n' <<<"$cl")
n=$(grep -c '^warmboot\.test=' <<<"$words" || true)
vm_check "boot 2: warmboot.test= appears exactly once" "seen $n times" test "$n" -eq 1
vm_check "boot 2: warmboot.test=second" "" has_word 'warmboot\.test=second' "$words"
vm_check "boot 2: no BOOT_IMAGE=" "" lacks_word "BOOT_IMAGE=" "$words"
vm_check "boot 2: no initrd=" "" lacks_word "initrd=" "$words"
vm_check "boot 2: root=/dev/vda kept" "" has_word root=/dev/vda "$words"
vm_check "boot 2: console=ttyS0 kept" "" has_word console=ttyS0 "$words"

sum1=$(vm_field "$(wbline 'boot=1 data sha256=')" sha256 || true)
line=$(wbline 'boot=2 data saved=')
saved=$(vm_field "$line" saved || true)
now=$(vm_field "$line" now || true)
printf '      data written in boot 1: %s; boot 2 reads saved=%s now=%s\n' "${sum1:-?}" "${saved:-?}" "${now:-?}"
vm_check "boot 2: the unsynced 1 MiB file survived (sha256 matches)" "$line" \
	test -n "$sum1" -a "$sum1" = "$saved" -a "$sum1" = "$now"
fsl=$(grep -F 'WBTEST fslog| ' "$L" | sed 's/.*WBTEST fslog| //' || true)
while IFS= read -r l; do [ -z "$l" ] || printf '      boot 2 dmesg: %s\n' "$l"; done <<<"$fsl"
vm_check "boot 2: the root file system mounted (EXT4-fs (vda) line in dmesg)" "" \
	grep -qF "EXT4-fs (vda): mounted filesystem" <<<"$fsl"
vm_check "boot 2: no ext4 journal recovery or orphan cleanup" "$(grep -iE 'recover|orphan' <<<"$fsl" | tr '\n' ' ')" \
	test -z "$(grep -iE 'recover|orphan' <<<"$fsl" || true)"
vm_check "boot 2: scenario finished" "" test "$(vm_count "$L" 'WBTEST boot=2 done')" -eq 1

# after QEMU: read the disk without mounting it
count=$(debugfs -R 'cat /var/lib/warmboot-vm/boot-count' "$disk" 2>/dev/null | tr -d '[:space:]' || true)
vm_check "disk: boot counter is 2" "boot-count=$count" test "$count" = 2
disksum=$(debugfs -R 'cat /var/lib/warmboot-vm/data.bin' "$disk" 2>/dev/null | sha256sum | cut -d' ' -f1)
vm_check "disk: data file on disk matches boot 1's sha256" "disk=$disksum boot1=${sum1:-?}" \
	test -n "$sum1" -a "$disksum" = "$sum1"

if [ "$VM_FAILED" -ne 0 ]; then
	vm_show_tail "$L" 80
fi
[ "${WARMBOOT_VM_KEEP:-0}" = 1 ] || rm -f "$disk"
vm_say "serial log: $log (${elapsed}s in QEMU)"
vm_summary
[ "$VM_FAILED" -eq 0 ]
