#!/bin/bash
# End-to-end test of warmboot's hand-overs in a debootstrapped Debian 12 guest with systemd
# under QEMU (TCG). One QEMU run, six boots (see guest/debian-test):
#
#   sudo tests/vm/debian.sh            # WARMBOOT_BIN=... to test another binary
#
# Boot 1 (cmdline simulates GRUB: BOOT_IMAGE= initrd=): `warmboot plan` fails with exit 3,
# the sentence and nothing loaded while the kernel image is 0666, and again while
# /etc/warmboot.conf is; then `warmboot reboot` through systemd (kexec.target over the
# system bus).
# Boots 2, 3, 4: `warmboot reboot --now`, three in a row. With systemd as PID 1 it must go
# through the manager's forced kexec (as `systemctl --force kexec`), or systemd restarts
# journald and udevd under warmboot's own shutdown and / cannot be made read-only. A
# watchdog timer reports what warmboot said if no hand-over comes. Boot 4 masks dbus.
# Boot 5: no D-Bus daemon; plan says systemd is reached over its private socket; `warmboot
# reboot --unload vgem` stops a StopUnits= unit holding /dev/dri/card0, unloads vgem and
# starts kexec.target, all through /run/systemd/private.
# Every boot after the first: warmboot.test= of that boot exactly once, no BOOT_IMAGE=/
# initrd=, the 1 MiB written without sync before the hand-over survived, the ext4 root
# needed no journal recovery. Boot 6 powers off.
# The host judges the serial log and the disk image (debugfs), prints one line per check and
# then "N passed, M failed".
#
# Never runs warmboot on the host: it only runs inside the guest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"

TIMEOUT=${WARMBOOT_VM_TIMEOUT:-1200}

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}" python3
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
names=(- systemd now1 now2 now3 private)
hows=(- "systemd hand-over" "first --now hand-over" "second --now hand-over" "third --now hand-over"
	"hand-over without D-Bus")

vm_check_qemu
vm_check_boots 6

# files anyone may change: refused before anything is loaded, modes put back afterwards
only_root="warmboot loads only files that only root can change"
for what in kernel config; do
	case $what in
	kernel) file=/boot/vmlinuz-$R ;;
	config) file=/etc/warmboot.conf ;;
	esac
	said=$(wbdump "boot=1 perm-$what")
	vm_expect "boot 1: plan with $file 0666 exits 3, nothing loaded" "boot=1 perm-$what rc=" rc=3 loaded=0
	vm_check "boot 1: plan names $file, its mode and owner" "$(grep -m1 permissions <<<"$said")" \
		vm_contains "$file is writable by others (mode 0666, owner root): $only_root" "$said"
done
vm_expect "boot 1: the kernel's and the configuration's modes put back" 'boot=1 perm-restored ' \
	kernel!=666 config!=666
vm_expect "boot 1: warmboot plan exits 0" 'boot=1 plan rc=' rc=0
if [ -n "$(wbline 'boot=1 reboot rc=')" ]; then
	# `warmboot reboot` may or may not get to print before systemd stops the unit
	vm_expect "boot 1: warmboot reboot exits 0 (hand-over queued)" 'boot=1 reboot rc=' rc=0
fi

# the plan of --now with systemd as PID 1: the manager's forced kexec
wbdump 'boot=2 plan-now' >"$res/plan-now.json"
vm_check_json "boot 2: reboot --dry-run --now --json is valid JSON" "$res/plan-now.json"
handover=$(vm_json "$res/plan-now.json" 'd["handover"]' 2>/dev/null || true)
printf '      boot 2: --now plans the hand-over "%s": %s\n' "$handover" \
	"$(vm_json "$res/plan-now.json" 'd["steps"][-1]' 2>/dev/null || true)"
vm_check "boot 2: with systemd as PID 1, --now plans systemd's forced kexec" \
	"handover=$handover" test "$handover" = forced

# each warm reboot: systemd-shutdown did the kexec, the next boot is as it should be
for b in 1 2 3 4 5; do
	said=$(vm_said "$(vm_handover "$b")")
	[ -z "$said" ] || printf '      boot %s: warmboot said: %s\n' "$b" "$said"
	vm_check "boot $b: systemd-shutdown performed the kexec (${hows[b]})" \
		"no 'Rebooting with kexec' between boot $b's hand-over and the next kernel" \
		vm_contains "Rebooting with kexec" "$(vm_handover "$b")"
	n=$((b + 1))
	vm_check_cmdline "$n" "${VM_ORDINALS[n]}" root=/dev/vda console=ttyS0
	vm_check_data "$n" "${names[b]}" "${hows[b]}"
	vm_check_fslog "$n" "${hows[b]}"
done
n=$(vm_count "$VM_MARKERS" 'the machine runs as before|cannot make .* read-only')
vm_check "no --now hand-over failed and rolled back" "$(grep -m2 -E 'runs as before|read-only' "$VM_MARKERS" | tr '\n' ' ')" \
	test "$n" -eq 0

# ---- boot 5: no D-Bus daemon
vm_expect "boot 4: dbus masked for the next boot" 'boot=4 masked dbus rc=' rc=0
printf '      boot 5: %s\n' "$(wbline 'boot=5 bus ')"
vm_expect "boot 5: no system bus (no D-Bus daemon)" 'boot=5 bus ' system_bus=no dbus!=active
printf '      boot 5: %s\n' "$(wbline 'boot=5 holder ')"
vm_expect "boot 5: vgem loaded, vgem-holder.service holds its card" 'boot=5 holder ' vgem=yes holder=active refcnt!=0
wbdump 'boot=5 plan-json' >"$res/plan-nobus.json"
vm_check_json "boot 5: plan --json is valid JSON" "$res/plan-nobus.json"
pj() { vm_json "$res/plan-nobus.json" "$1" 2>/dev/null || true; }
route=$(pj '[c["status"] + ": " + c["detail"] for c in d["checks"] if c["name"] == "systemd"][0]')
printf '      boot 5: plan check systemd: %s\n' "${route:-none}"
vm_expect "boot 5: warmboot plan exits 0 without D-Bus" 'boot=5 plan-json rc=' rc=0
vm_check "boot 5: plan says systemd is reached over its private socket" "${route:-no systemd check}" \
	vm_contains "private socket /run/systemd/private" "$route"
vm_check "boot 5: plan has no inhibitors check (logind cannot be asked)" "" \
	test "$(pj 'any(c["name"] == "inhibitors" for c in d["checks"])')" = false
vm_check "boot 5: plan stops vgem-holder.service and unloads vgem" "" \
	test "$(pj 'd["stop_units"] == ["vgem-holder.service"] and "vgem" in d["modules"]')" = true
line=$(wbline 'boot=5 reboot rc=')
printf '      boot 5: %s\n' "$line"
said=$(wbdump 'boot=6 boot5-reboot')
vm_indent "$said" "      boot 5 reboot said: "
vm_expect "boot 5: warmboot reboot exits 0 (hand-over queued over the private socket)" 'boot=5 reboot rc=' rc=0
vm_expect "boot 5: vgem-holder.service stopped and vgem unloaded before the hand-over" \
	'boot=5 reboot rc=' vgem=no holder_alive=no
vm_check "boot 5: warmboot reboot warned that logind's inhibitors are not honoured" "" \
	vm_contains "inhibitors cannot be asked and are not honoured" "$said"
vm_check "boot 5: warmboot reboot handed over through systemd" "" \
	vm_contains "through systemd." "$said"
vm_check_done 6

# after QEMU: read the disk without mounting it
vm_check_disk "$disk" 6 "private=$VM_DATA_SUM"

vm_finish "$disk"
