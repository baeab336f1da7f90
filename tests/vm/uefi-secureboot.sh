#!/bin/bash
# End-to-end test of warmboot under UEFI Secure Boot: a Debian 12 guest on OVMF built for
# Secure Boot (OVMF_CODE_4M.secboot.fd, q35 with SMM) with Microsoft's keys enrolled (a
# per-run copy of OVMF_VARS_4M.ms.fd), booting Debian's signed chain: shim (shim-signed, as
# the removable EFI/BOOT/BOOTX64.EFI and in EFI/debian), the signed GRUB
# (grub-efi-amd64-signed) and the signed kernel (linux-image-amd64), all installed by the
# image's own grub-install and update-grub. The kernel locks itself down (integrity).
# Issue 8, "secure boot".
#
#   sudo tests/vm/uefi-secureboot.sh       # WARMBOOT_BIN=... to test another binary
#
# The host makes, from the image's kernel: a copy with its signature removed
# (sbattach --remove), a UKI whose .linux is that copy and one around the signed kernel
# (objcopy onto systemd-boot-efi's stub, as entries.sh builds its UKI).
# One QEMU run, two boots (guest/uefi-secureboot-test):
# Boot 1, cold (OVMF, shim, GRUB): Secure Boot and lockdown on; plan of the unsigned copy is
#   refused (exit 3) before anything changes; load --force of it gets the kernel's own
#   refusal in one sentence, nothing loaded; plan of the unsigned UKI is refused with the
#   sentence about its inner .linux, the signed UKI passes; then `warmboot reboot` (systemd).
# Boot 2, warm: what a kexec'd kernel keeps of Secure Boot and lockdown (kexec_file_load
#   passes boot_params.secure_boot on, so the new kernel locks itself down again);
#   data, file systems; power off.
# The host judges the serial log and the disk (debugfs, e2fsck, fsck.fat), prints host-clock
# timings (not judged), one line per check, then "N passed, M failed".
#
# Never runs warmboot on the host: it only runs inside the guest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"
# shellcheck source=SCRIPTDIR/../../tools/lib-uefi-sb.sh
. "$here/../../tools/lib-uefi-sb.sh"

TIMEOUT=${WARMBOOT_VM_TIMEOUT:-900}
COPY=/root/secboot/vmlinuz-unsigned

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}" "${VM_UEFI_PKGS[@]}" "${VM_UEFI_SB_PKGS[@]}"
vm_check_binary

res=$(vm_results_dir uefi-secureboot)
t=$SECONDS
udir=$(vm_uefi_sb)
vm_say "image ready in $((SECONDS - t))s: $udir"
tree=$udir/rootfs
R=$(cat "$udir/release")
UUID=$VM_UEFI_ROOT_UUID
stub=$(vm_efi_stub)

# ---- the payload: warmboot, the scenario, the unsigned copy and the two UKIs ---------------
vm_say "building the disk (kernel $R, warmboot $WARMBOOT_BIN)"
payload=$res/payload
mkdir -p "$payload/root/secboot"
vm_payload_warmboot "$payload" "$tree"
vm_unit_payload "$payload" warmboot-vm-test "$here/guest/uefi-secureboot-test"
signed=$tree/boot/vmlinuz-$R
cp "$signed" "$payload$COPY"
sbattach --remove "$payload$COPY" >"$res/sbattach.log" 2>&1 || vm_die "sbattach --remove failed: $(cat "$res/sbattach.log")"
sbverify --list "$signed" >"$res/sbverify-signed.txt" 2>&1 || true
sbverify --list "$payload$COPY" >"$res/sbverify-copy.txt" 2>&1 || true
printf 'warmboot secure boot test: not an initramfs\n' >"$res/tiny.initrd"
uki_cmdline="root=UUID=$UUID ro console=ttyS0,115200n8"
vm_uki "$payload/root/secboot/unsigned.efi" "$stub" "$payload$COPY" "$res/tiny.initrd" "$uki_cmdline" \
	'PRETTY_NAME="warmboot test UKI, unsigned .linux"' "$R"
vm_uki "$payload/root/secboot/signed.efi" "$stub" "$signed" "$res/tiny.initrd" "$uki_cmdline" \
	'PRETTY_NAME="warmboot test UKI, signed .linux"' "$R"
disk=$res/disk.raw
t=$SECONDS
vm_uefi_grub_disk "$udir" "$payload" "$disk"
rm -rf "$payload"
vm_uefi_sb_vars "$res/OVMF_VARS_4M.ms.fd"
vm_say "disk and firmware variables ready in $((SECONDS - t))s"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
stamps=$res/serial.stamped
vm_say "booting through OVMF with Secure Boot (timeout ${TIMEOUT}s), serial log: $log"
vm_uefi_sb_boot "$TIMEOUT" "$log" "$stamps" "$res/OVMF_VARS_4M.ms.fd" "$disk"

# ---- judge --------------------------------------------------------------------------------
# show_stderr B NAME: print what boot B's report_run NAME wrote on stderr, if anything
show_stderr() {
	local e
	e=$(wbdump "boot=$1 $2-stderr")
	[ -z "$e" ] || vm_indent "$e" "      stderr of $2: "
}
# failed_check B NAME CHECK: the detail of boot B's plan (report NAME, text) check CHECK if
# that check failed
failed_check() {
	wbdump "boot=$1 $2" | sed -n -E "s/^(Checks: +)? *fail +$3 +//p"
}
# errors B NAME: the lines of boot B's NAME-stderr that are not warnings
errors() { wbdump "boot=$1 $2-stderr" | grep -v '^warmboot: warning: ' || true; }
# json_check FILE NAME: "STATUS DETAIL" of the plan check NAME in the JSON plan FILE
json_check() { vm_json "$1" "[c['status'] + ' ' + c['detail'] for c in d['checks'] if c['name'] == '$2'][0]"; }
# esp_get PATH OUT: copy PATH from the disk's ESP to OUT (empty OUT when it is not there)
esp_get() {
	: >"$2"
	MTOOLS_SKIP_CHECK=1 mcopy -n -i "$disk@@$((VM_UEFI_ESP_START * 512))" "::$1" "$2" 2>/dev/null || : >"$2"
}
# same FILE A B: files A and B are both there and equal
same() { [ -s "$1" ] && cmp -s "$1" "$2"; }

vm_check_qemu
vm_uefi_check_boots 2 1
vm_uefi_check_banners "banners: $R (cold), $R (warm)" "$R" "$R"

# ---- the image and its ESP ----------------------------------------------------------------
printf '      sbverify --list of the signed kernel: %s\n' "$(tr '\n' ' ' <"$res/sbverify-signed.txt" | cut -c1-200)"
printf '      sbverify --list of the copy: %s\n' "$(tr '\n' ' ' <"$res/sbverify-copy.txt")"
vm_check "host: the image's kernel is signed (sbverify --list shows a signature)" "" \
	grep -q 'signature 1' "$res/sbverify-signed.txt"
vm_check "host: the copy has no signature left (sbattach --remove)" "$(cat "$res/sbverify-copy.txt")" \
	vm_lacks 'signature [0-9]' "$(cat "$res/sbverify-copy.txt")"
MTOOLS_SKIP_CHECK=1 mdir -/ -b -i "$disk@@$((VM_UEFI_ESP_START * 512))" ::/EFI >"$res/esp-files.txt" 2>&1 || true
printf '      ESP: %s\n' "$(tr '\n' ' ' <"$res/esp-files.txt")"
esp_get /EFI/BOOT/BOOTX64.EFI "$res/BOOTX64.EFI"
esp_get /EFI/BOOT/grubx64.efi "$res/boot-grubx64.efi"
esp_get /EFI/debian/shimx64.efi "$res/shimx64.efi"
esp_get /EFI/debian/grubx64.efi "$res/debian-grubx64.efi"
vm_check "image: EFI/BOOT/BOOTX64.EFI is shim (shim-signed's shimx64.efi.signed)" "" \
	same "$res/BOOTX64.EFI" "$tree/usr/lib/shim/shimx64.efi.signed"
vm_check "image: EFI/BOOT/grubx64.efi is the signed GRUB (grub-efi-amd64-signed)" "" \
	same "$res/boot-grubx64.efi" "$tree/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed"
vm_check "image: EFI/debian/shimx64.efi is shim" "" same "$res/shimx64.efi" "$tree/usr/lib/shim/shimx64.efi.signed"
vm_check "image: EFI/debian/grubx64.efi is the signed GRUB" "" \
	same "$res/debian-grubx64.efi" "$tree/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed"
fb=$(grep -i 'fbx64' "$res/esp-files.txt" | tr '\n' ' ' || true)
printf '      shim fallback (fbx64.efi) on the ESP: %s\n' "${fb:-none}"
vm_check "image: no shim fallback EFI/BOOT/fbx64.efi (grub-install --no-nvram leaves it out)" "$fb" \
	vm_lacks '^::/EFI/BOOT/fbx64\.efi$' "$(cat "$res/esp-files.txt")"
rm -f "$res/BOOTX64.EFI" "$res/boot-grubx64.efi" "$res/shimx64.efi" "$res/debian-grubx64.efi"

# ---- boot 1: cold, Secure Boot ------------------------------------------------------------
w=$(vm_uefi_way 1)
vm_uefi_check_cold 1
n=$(grep -c 'BdsDxe: starting Boot' <<<"$w" || true)
printf '      boot 1: OVMF started %s boot option(s) before the kernel: %s\n' "$n" \
	"$(grep -E 'BdsDxe: (starting|loading|failed)' <<<"$w" | tr '\n' ' ' | cut -c1-300)"
vm_check "boot 1: one firmware pass (shim's fallback did not add a boot entry and reset)" \
	"OVMF started $n boot options" test "$n" -eq 1
sbw=$(grep -iE 'secure boot|shim|mok' <<<"$w" | tr '\n' ' ' || true)
printf '      boot 1: firmware, shim and GRUB lines about Secure Boot: %s\n' "${sbw:-none}"
vm_check "boot 1: the firmware ran no unsigned or untrusted image (no Access Denied / Security Violation)" \
	"" vm_lacks 'Access Denied|Security Violation|verification failed' "$w"

# check_secureboot B HOW: boot B sees Secure Boot on and lockdown integrity
check_secureboot() {
	local b=$1 how=$2 l sbl
	l=$(wbline "boot=$b secureboot ")
	printf '      boot %s: %s; %s\n' "$b" "${l#*boot="$b" }" "$(wbline "boot=$b lockdown ")"
	vm_expect "boot $b ($how): the SecureBoot EFI variable is 1, SetupMode 0" "boot=$b secureboot " var=1 setupmode=0
	# enum efi_secureboot_mode: 0 unset, 1 unknown, 2 disabled, 3 enabled
	vm_expect "boot $b ($how): boot_params.secure_boot is 3 (enabled)" "boot=$b secureboot " boot_params=3
	l=$(wbline "boot=$b lockdown ")
	vm_check "boot $b ($how): /sys/kernel/security/lockdown shows [integrity]" "$l" \
		test "$(wbmsg "$l")" = "none [integrity] confidentiality"
	sbl=$(wbdump "boot=$b sblog")
	vm_indent "$sbl" "      boot $b dmesg: "
	vm_check "boot $b ($how): dmesg says 'Secure boot enabled'" "" vm_contains "Secure boot enabled" "$sbl"
	vm_check "boot $b ($how): dmesg says the kernel locked itself down for EFI Secure Boot" "" \
		grep -qE 'Kernel is locked down from EFI Secure Boot' <<<"$sbl"
}
vm_uefi_check_efi 1
# under shim, GRUB starts the kernel as a PE image: its EFI stub sets type_of_loader 0x21
vm_expect "boot 1: started through the kernel's EFI stub (type_of_loader 0x21), as GRUB does under shim" \
	"boot=1 firmware " loader=21
check_secureboot 1 cold

show_stderr 1 plan-unsigned
vm_expect "boot 1: plan --kernel $COPY exits 3, nothing loaded" 'boot=1 plan-unsigned rc=' rc=3 loaded=0
want="locked down (integrity): the kernel will refuse $COPY because it carries no signature; boot a signed kernel"
v=$(failed_check 1 plan-unsigned lockdown)
vm_check "boot 1: plan's lockdown check fails: the image is unsigned and the machine is locked down" \
	"got '$v'" test "$v" = "$want"
vm_check "boot 1: nothing reached the kernel for plan (no kexec message in dmesg)" \
	"$(wbdump 'boot=1 kexeclog1' | tr '\n' ' ')" test -z "$(wbdump 'boot=1 kexeclog1')"

show_stderr 1 load-unsigned
kl=$(wbdump 'boot=1 kexeclog2')
vm_indent "$kl" "      boot 1 dmesg after load --force: "
vm_expect "boot 1: load --kernel $COPY --force fails (exit 1), nothing loaded" 'boot=1 load-unsigned rc=' rc=1 loaded=0
vm_check "boot 1: load --force warns about the failed lockdown check and goes ahead" "" \
	has_word "warmboot: warning: locked down (integrity): the kernel will refuse $COPY because it carries no signature; boot a signed kernel (going ahead anyway because of --force)" \
	"$(wbdump 'boot=1 load-unsigned-stderr')"
# which errno the kernel gave: enforced signature check (Secure Boot's IMA arch policy:
# the check's own ENODATA) or lockdown alone (EPERM); its own dmesg line says which
if grep -q 'Enforced kernel signature verification failed (-61)' <<<"$kl"; then
	how="the kernel enforces signatures under Secure Boot and says ENODATA"
	want="warmboot: the kernel refused $COPY: the image carries no signature, and the running kernel loads only signed images (Secure Boot, or CONFIG_KEXEC_SIG_FORCE); boot a kernel signed by the distribution"
else
	how="lockdown alone refuses it: EPERM"
	want="warmboot: the kernel refused $COPY: it is locked down (integrity) and the image carries no signature; boot a kernel signed by the distribution"
fi
printf '      boot 1: the kernel refused the unsigned copy: %s\n' "$how"
vm_check "boot 1: dmesg has the kernel's own refusal (signature verification failed, or lockdown)" "$kl" \
	grep -qE 'signature verification failed|Lockdown: .*kexec' <<<"$kl"
vm_check "boot 1: load --force explains the kernel's refusal in one sentence ($how)" \
	"$(errors 1 load-unsigned | tr '\n' ' ')" test "$(errors 1 load-unsigned)" = "$want"

show_stderr 1 plan-uki
vm_expect "boot 1: plan --entry unsigned.efi (UKI, unsigned .linux) exits 3, nothing loaded" 'boot=1 plan-uki rc=' rc=3 loaded=0
want="locked down (integrity): the kernel checks the .linux inside /boot/EFI/Linux/unsigned.efi, not the UKI's own signature, and that .linux carries none; boot a UKI whose kernel is signed itself"
v=$(failed_check 1 plan-uki lockdown)
vm_check "boot 1: plan of the UKI: its lockdown check fails for the unsigned inner .linux" \
	"got '$v'" test "$v" = "$want"
wbdump 'boot=1 plan-uki-signed' >"$res/plan-uki-signed.json"
show_stderr 1 plan-uki-signed
vm_expect "boot 1: plan --entry signed.efi (UKI, signed .linux) exits 0" 'boot=1 plan-uki-signed rc=' rc=0
v=$(json_check "$res/plan-uki-signed.json" lockdown 2>/dev/null || true)
vm_check "boot 1: plan of the signed UKI: the lockdown check passes" "$v" \
	test "$v" = "pass locked down (integrity): /boot/EFI/Linux/signed.efi is signed; its key must be one the running kernel trusts"

wbdump 'boot=1 plan-running' >"$res/plan-running.json"
show_stderr 1 plan-running
vm_expect "boot 1: plan (the running, signed kernel) exits 0" 'boot=1 plan-running rc=' rc=0
v=$(json_check "$res/plan-running.json" lockdown 2>/dev/null || true)
vm_check "boot 1: plan: the lockdown check passes for /boot/vmlinuz-$R (signed)" "$v" \
	test "$v" = "pass locked down (integrity): /boot/vmlinuz-$R is signed; its key must be one the running kernel trusts"

# ---- boot 2: warm -------------------------------------------------------------------------
b1=$(vm_handover 1)
printf '      boot 1 warmboot reboot said: %s\n' "$(vm_said "$b1")"
n=$(vm_count "$VM_MARKERS" 'systemd-shutdown.*kexec|Rebooting with kexec')
vm_check "boot 1: systemd performed the kexec of the signed kernel (clean shutdown path)" \
	"no systemd-shutdown kexec message" test "$n" -ge 1
vm_uefi_check_warm 2
vm_uefi_check_loader 2 kexec efi=yes esp=vfat
vm_expect "boot 2: runs $R again" 'boot=2 start ' "release=$R"
vm_check_cmdline 2 second "root=UUID=$UUID" ro quiet console=ttyS0,115200n8 ignore_loglevel
check_secureboot 2 "warm, kexec'd"
show_stderr 2 plan-unsigned2
vm_expect "boot 2: plan --kernel $COPY is refused in the kexec'd kernel too (exit 3)" 'boot=2 plan-unsigned2 rc=' rc=3 loaded=0
v=$(failed_check 2 plan-unsigned2 lockdown)
vm_check "boot 2: the failed check is lockdown's, as in boot 1" "got '$v'" \
	test "$v" = "locked down (integrity): the kernel will refuse $COPY because it carries no signature; boot a signed kernel"
vm_check_data 2 warm "warm reboot"
sum_warm=$VM_DATA_SUM
vm_uefi_check_fslog 2 "warm reboot" vda2
vm_uefi_check_fat 2
vm_check_done 2

# ---- the disk after QEMU ------------------------------------------------------------------
vm_check_disk "$(vm_uefi_root "$disk")" 2 "warm=$sum_warm"
vm_uefi_esp "$disk" "$res/esp.img"
vm_uefi_check_fsck_fat "$res/esp.img"

# ---- timings (host clock; not judged) -----------------------------------------------------
vm_uefi_phase_table "$stamps" 26 "power-on: OVMF, shim, GRUB" "warm: reboot"
echo

vm_finish "$disk" "$res/OVMF_VARS_4M.ms.fd"
