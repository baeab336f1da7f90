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
# ---- judge the log and the disk -----------------------------------------------------------
vm_check_qemu
vm_check_boots 2

vm_expect "boot 1: warmboot plan exits 0" 'boot=1 plan rc=' rc=0
if [ -n "$(wbline 'boot=1 reboot rc=')" ]; then
	# `warmboot reboot` may or may not get to print before systemd stops the unit
	vm_expect "boot 1: warmboot reboot exits 0 (hand-over queued)" 'boot=1 reboot rc=' rc=0
fi
n=$(vm_count "$VM_MARKERS" 'systemd-shutdown.*kexec|Rebooting with kexec')
vm_check "boot 1: systemd performed the kexec (clean shutdown path)" \
	"no systemd-shutdown kexec message" test "$n" -ge 1

vm_check_cmdline 2 second root=/dev/vda console=ttyS0
vm_check_data 2 systemd "systemd hand-over"
vm_check_fslog 2 "systemd hand-over"
vm_check_done 2

# after QEMU: read the disk without mounting it
vm_check_disk "$disk" 2 "systemd=$VM_DATA_SUM"

vm_finish "$disk"
