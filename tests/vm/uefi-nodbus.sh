#!/bin/bash
# End-to-end test of warmboot on the uefi-grub guest without D-Bus (issue 8, "the no-D-Bus
# case"): the Debian 12 image of tests/vm/uefi-grub.sh (OVMF, GRUB by grub-install and
# update-grub, GRUB_TIMEOUT=5) with Debian's D-Bus packages purged by the image's own dpkg,
# as on minimal VM and cloud images that have systemd but no D-Bus daemon. The per-run disk
# is made from a copy of the cached tree (vm_uefi_nodbus_disk); the cache stays as it is.
#
#   sudo tests/vm/uefi-nodbus.sh          # WARMBOOT_BIN=... to test another binary
#
# One QEMU run, two boots (guest/uefi-nodbus-test):
# Boot 1, cold (OVMF, GRUB): systemd's state, no system bus, plan --json (systemd through its
#   private socket, no inhibitors check); `warmboot reboot --append warmboot.test=nodbus`,
#   the graceful path through systemd over /run/systemd/private.
# Boot 2, warm: the same state, what warmboot said, the unsynced data, the file systems.
# Afterwards the host reads the disk (debugfs, e2fsck -fn, fsck.fat -n). One line per check,
# then "N passed, M failed".
#
# Never runs warmboot on the host: it only runs inside the guest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"

TIMEOUT=${WARMBOOT_VM_TIMEOUT:-900}

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}" "${VM_UEFI_PKGS[@]}"
vm_check_binary

res=$(vm_results_dir uefi-nodbus)
t=$SECONDS
udir=$(vm_uefi_grub)
vm_say "image ready in $((SECONDS - t))s: $udir"
NEW=$(tail -n1 "$udir/releases")

# ---- the disk: the cached tree, copied, D-Bus purged --------------------------------------
vm_say "building the disk without ${VM_UEFI_DBUS_PKGS[*]} (kernel $NEW, warmboot $WARMBOOT_BIN)"
payload=$res/payload
mkdir -p "$payload"
vm_payload_warmboot "$payload" "$udir/rootfs"
vm_unit_payload "$payload" warmboot-vm-test "$here/guest/uefi-nodbus-test" simple
disk=$res/disk.raw
t=$SECONDS
vm_uefi_nodbus_disk "$udir" "$payload" "$disk" "$res/dpkg-purge.log"
rm -rf "$payload"
vm_uefi_vars "$res/OVMF_VARS_4M.fd"
vm_say "disk and firmware variables ready in $((SECONDS - t))s"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
stamps=$res/serial.stamped
vm_say "booting through OVMF (timeout ${TIMEOUT}s), serial log: $log"
vm_uefi_boot "$TIMEOUT" "$log" "$stamps" "$res/OVMF_VARS_4M.fd" "$disk"

# ---- judge --------------------------------------------------------------------------------
printf '      dpkg --purge in the copy: %s\n' "$(grep -c '^Removing ' "$res/dpkg-purge.log" || true) packages removed and purged"
vm_check_qemu
vm_uefi_check_boots 2 1
vm_uefi_check_cold 1
vm_uefi_check_warm 2
vm_uefi_check_loader 1 grub efi=yes esp=vfat
vm_uefi_check_loader 2 kexec efi=yes esp=vfat

for b in 1 2; do
	printf '      boot %s: %s\n' "$b" "$(wbline "boot=$b system ")"
	printf '      boot %s: %s\n' "$b" "$(wbline "boot=$b bus ")"
	vm_expect "boot $b: systemd is up: is-system-running says running, no failed unit" \
		"boot=$b system " state=running failed=none
	vm_expect "boot $b: no D-Bus: the dbus package is not installed, no dbus.service, no system bus socket" \
		"boot=$b bus " system_bus=no dbus_pkg=none dbus_unit=not-found
	vm_expect "boot $b: systemd's private socket /run/systemd/private is there" "boot=$b bus " private=yes
done

# ---- boot 1: plan and the hand-over -------------------------------------------------------
f=$res/plan.json
wbdump 'boot=1 plan-json' >"$f"
vm_expect "boot 1: warmboot plan --json exits 0 without D-Bus" 'boot=1 plan-json rc=' rc=0
vm_check_json "boot 1: plan --json is valid JSON" "$f"
pj() { vm_json "$f" "$1" 2>/dev/null || true; }
route=$(pj '[c["status"] + ": " + c["detail"] for c in d["checks"] if c["name"] == "systemd"][0]')
printf '      boot 1: plan check systemd: %s\n' "${route:-none}"
printf '      boot 1 plan checks: %s\n' "$(pj '" ".join(c["name"] + ":" + c["status"] for c in d["checks"])')"
vm_check "boot 1: plan's systemd check names the private socket /run/systemd/private" "${route:-no systemd check}" \
	vm_contains "private socket /run/systemd/private" "$route"
vm_check "boot 1: plan has no inhibitors check (no logind to ask)" "" \
	test "$(pj 'any(c["name"] == "inhibitors" for c in d["checks"])')" = false
vm_check "boot 1: plan hands over through systemd (\"handover\": \"systemd\": the graceful path)" \
	"handover: $(pj 'd.get("handover")')" test "$(pj 'd.get("handover")')" = systemd

said=$(wbdump 'boot=2 boot1-reboot')
vm_indent "$said" "      boot 1 warmboot reboot said: "
vm_check "boot 1: warmboot reboot handed over through systemd" "" vm_contains "through systemd." "$said"
vm_check "boot 1: warmboot reboot said nothing about a missing system bus, and restored nothing" "" \
	vm_lacks 'cannot connect to the system bus|refused|restored' "$said"
n=$(vm_count "$VM_MARKERS" 'systemd-shutdown.*kexec|Rebooting with kexec')
vm_check "boot 1: systemd-shutdown performed the kexec (kexec.target, clean shutdown)" \
	"no systemd-shutdown kexec message" test "$n" -ge 1

# ---- boot 2: warm -------------------------------------------------------------------------
vm_expect "boot 2: runs $NEW again" 'boot=2 start ' "release=$NEW"
vm_check_cmdline 2 nodbus "root=UUID=$VM_UEFI_ROOT_UUID" ro quiet console=ttyS0,115200n8 ignore_loglevel
vm_check_data 2 nodbus "warm reboot without D-Bus"
sum=$VM_DATA_SUM
vm_uefi_check_fslog 2 "warm reboot without D-Bus" vda2
vm_uefi_check_fat 2
vm_check_done 2

# ---- the disk after QEMU ------------------------------------------------------------------
vm_check_disk "$(vm_uefi_root "$disk")" 2 "nodbus=$sum"
vm_uefi_esp "$disk" "$res/esp.img"
vm_uefi_check_fsck_fat "$res/esp.img"

# ---- timings (host clock; not judged) -----------------------------------------------------
printf '\n      host-clock seconds on the way into each boot:\n'
printf '      %-6s %-9s %9s %9s %9s %9s %10s %7s\n' boot how shutdown firmware "boot ldr" kernel userspace total
for b in 1 2; do
	# shellcheck disable=SC2153 # VM_QEMU_T0: set by vm_uefi_boot
	read -r how down fw ld kern user tot < <(vm_uefi_phases "$stamps" "$VM_QEMU_T0" "$b")
	printf '      %-6s %-9s %9s %9s %9s %9s %10s %7s\n' "$b" "$how" "$down" "$fw" "$ld" "$kern" "$user" "$tot"
done
echo

vm_finish "$disk" "$res/OVMF_VARS_4M.fd"
