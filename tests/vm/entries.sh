#!/bin/bash
# End-to-end test of warmboot's boot entries (list, --latest, --entry with a unified kernel
# image) in a busybox initramfs guest under QEMU (TCG). One QEMU run, three boots:
#
# Boot 1: the OLDER of two Debian kernels (cold, command line as GRUB would start it). /boot
# has vmlinuz-R and config-R of both and no boot loader configuration, so warmboot lists the
# images (source scan); the guest makes initrd.img-R for both. list, list --json and
# plan --latest are reported, then `warmboot reboot --now --latest --append warmboot.test=latest`.
# Boot 2: must run the NEWER kernel with the marker once. The guest moves a UKI built here
# (stub from Debian's systemd-boot-efi, .linux the older kernel, .initrd the guest's own
# initramfs, .cmdline with warmboot.test=uki, .osrel, .uname) to /boot/EFI/Linux/test.efi;
# list / list --json must show it (source uki), then `warmboot reboot --now --entry test.efi`.
# Boot 3: must run the older kernel again, with the UKI's embedded command line.
# The host judges the serial log and prints one line per check, then "N passed, M failed".
#
#   sudo tests/vm/entries.sh            # WARMBOOT_BIN=... to test another binary
#
# Never runs warmboot on the host: it only runs inside the guest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"

TIMEOUT=${WARMBOOT_VM_TIMEOUT:-300}
UKI_CMDLINE="console=ttyS0 panic=-1 warmboot.test=uki"
UKI_PRETTY="warmboot test UKI"

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}" binutils python3
vm_check_binary

res=$(vm_results_dir entries)
newdir=$(vm_kernel)
NEW=$(cat "$newdir/release")
olddir=$(vm_kernel_older "$NEW")
OLD=$(cat "$olddir/release")
stub=$(vm_efi_stub)
vm_say "kernels: older $OLD ($olddir), newer $NEW ($newdir); EFI stub $(cat "$(dirname "$stub")/version")"

# ---- the initramfs and the UKI -----------------------------------------------------------
vm_say "building the guest initramfs and the UKI (warmboot $WARMBOOT_BIN)"
root=$res/root
vm_busybox_root "$root" "$here/guest/entries-init"
vm_root_kernel "$root" "$olddir"
vm_root_kernel "$root" "$newdir"
# the guest without the UKI: the UKI's .initrd (chicken and egg: the UKI cannot hold itself)
vm_cpio "$root" "$res/inner.cpio.gz"
uki=$res/test.efi
vm_uki "$uki" "$stub" "$olddir/vmlinuz" "$res/inner.cpio.gz" "$UKI_CMDLINE" \
	"PRETTY_NAME=\"$UKI_PRETTY\"" "$OLD"
objdump -h "$uki" >"$res/uki-sections.txt"
# the first boot's initramfs: the same guest plus the UKI in /root/uki/ (a second cpio
# appended: the kernel unpacks concatenated archives in order)
mkdir -p "$res/extra/root/uki"
cp "$uki" "$res/extra/root/uki/test.efi"
vm_cpio "$res/extra" "$res/extra.cpio.gz"
cat "$res/inner.cpio.gz" "$res/extra.cpio.gz" >"$res/initramfs.cpio.gz"
rm -rf "$root" "$res/extra" "$res/extra.cpio.gz"
vm_say "UKI $(stat -c %s "$uki") bytes, initramfs $(stat -c %s "$res/initramfs.cpio.gz") bytes"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
append="BOOT_IMAGE=/boot/vmlinuz-$OLD initrd=/boot/initrd.img-$OLD console=ttyS0 panic=-1"
vm_say "booting the guest (timeout ${TIMEOUT}s), serial log: $log"
vm_boot "$TIMEOUT" "$log" -no-reboot -kernel "$olddir/vmlinuz" -initrd "$res/initramfs.cpio.gz" \
	-append "$append"

# ---- judge the log ------------------------------------------------------------------------
# show_stderr B NAME: print what boot B's report_run NAME wrote on stderr, if anything
show_stderr() {
	local e
	e=$(wbdump "boot=$1 $2-stderr")
	[ -z "$e" ] || printf '      stderr of %s: %s\n' "$2" "$(tr '\n' ' ' <<<"$e")"
}
# block FILE ID: the block of `warmboot list` (text) whose id line is ID
block() {
	awk -v id="$2" 'BEGIN { RS = "" }
		{ n = split($0, l, "\n"); for (i = 1; i <= n; i++) { s = l[i]; sub(/^ +/, "", s); if (s == "id: " id) { print; exit } } }' "$1"
}
# has_lines TEXT LINE...: TEXT has every LINE (leading blanks ignored)
has_lines() {
	local text=$1 want l found
	shift
	for want in "$@"; do
		found=
		while IFS= read -r l; do
			if [ "${l#"${l%%[! ]*}"}" = "$want" ]; then found=1; break; fi
		done <<<"$text"
		[ -n "$found" ] || return 1
	done
}

vm_check_qemu
vm_check_boots 3
banners=$(grep -oE 'Linux version [^ ]+' "$VM_MARKERS" | cut -d' ' -f3 | tr '\n' ' ')
printf '      kernel banners in order: %s\n' "$banners"
vm_check "banners: $OLD, $NEW, $OLD" "saw: $banners" test "$banners" = "$OLD $NEW $OLD "

# ---- boot 1: the scanned images -----------------------------------------------------------
vm_expect "boot 1: runs the older kernel $OLD" 'boot=1 start ' "release=$OLD"
line=$(wbline 'boot=1 boot-files=')
printf '      boot 1 /boot: %s\n' "${line#*boot-files=}"

wbdump 'boot=1 list1' >"$res/list1.txt"
wbdump 'boot=1 json1' >"$res/list1.json"
printf '      boot 1 warmboot list:\n'
sed 's/^/        /' "$res/list1.txt"
show_stderr 1 list1
vm_expect "boot 1: warmboot list exits 0" 'boot=1 list1 rc=' rc=0
for r in "$OLD" "$NEW"; do
	b=$(block "$res/list1.txt" "vmlinuz-$r")
	vm_check "boot 1: list shows vmlinuz-$r" "" test -n "$b"
	vm_check "boot 1: list: vmlinuz-$r has title Linux $r" "$(head -n1 <<<"$b")" \
		grep -qE "^ *title: Linux $r( |$)" <<<"$b"
	vm_check "boot 1: list: vmlinuz-$r: source scan, version, linux /boot/vmlinuz-$r, initrd /boot/initrd.img-$r" \
		"$(tr '\n' '|' <<<"$b")" has_lines "$b" "source: scan" "version: $r" "linux: /boot/vmlinuz-$r" \
		"initrd: /boot/initrd.img-$r"
done
b=$(block "$res/list1.txt" "vmlinuz-$OLD")
vm_check "boot 1: list marks vmlinuz-$OLD (running)" "$(head -n1 <<<"$b")" grep -q '^ *title: .*(running)' <<<"$b"
b=$(block "$res/list1.txt" "vmlinuz-$NEW")
vm_check "boot 1: list does not mark vmlinuz-$NEW running" "$(head -n1 <<<"$b")" \
	vm_lacks '\(running\)' "$b"

show_stderr 1 json1
vm_expect "boot 1: warmboot list --json exits 0" 'boot=1 json1 rc=' rc=0
if vm_json "$res/list1.json" 'len(d)' >/dev/null 2>&1; then
	vm_pass "boot 1: list --json is valid JSON"
	ids=$(vm_json "$res/list1.json" '" ".join(e["id"] for e in d)')
	vm_check "boot 1: list --json has exactly the two images" "ids: $ids" \
		test "$ids" = "vmlinuz-$OLD vmlinuz-$NEW" -o "$ids" = "vmlinuz-$NEW vmlinuz-$OLD"
	v=$(vm_json "$res/list1.json" '" ".join(sorted(str(e["version"]) + ":" + str(e["source"]) + ":" + str(e["uki"]) for e in d))')
	vm_check "boot 1: list --json versions, source scan, uki false" "$v" \
		test "$v" = "$OLD:scan:False $NEW:scan:False"
	run=$(vm_json "$res/list1.json" '" ".join(e["id"] for e in d if e["running"])')
	vm_check "boot 1: list --json: running is vmlinuz-$OLD only" "running: $run" test "$run" = "vmlinuz-$OLD"
	v=$(vm_json "$res/list1.json" '[e["kernel"] for e in d if e["id"] == "vmlinuz-'"$NEW"'"]')
	vm_check "boot 1: list --json: kernel of vmlinuz-$NEW is /boot/vmlinuz-$NEW" "$v" \
		test "$v" = "[\"/boot/vmlinuz-$NEW\"]"
	v=$(vm_json "$res/list1.json" '[e["initrds"] for e in d if e["id"] == "vmlinuz-'"$NEW"'"]')
	vm_check "boot 1: list --json: initrds of vmlinuz-$NEW" "$v" test "$v" = "[[\"/boot/initrd.img-$NEW\"]]"
	v=$(vm_json "$res/list1.json" '[e["default"] for e in d]')
	vm_check "boot 1: list --json: no default among scanned images" "$v" test "$v" = "[false, false]"
else
	vm_fail "boot 1: list --json is valid JSON" "$(head -c 300 "$res/list1.json")"
fi

wbdump 'boot=1 plan1' >"$res/plan1.txt"
show_stderr 1 plan1
vm_expect "boot 1: plan --latest exits 0" 'boot=1 plan1 rc=' rc=0
vm_check "boot 1: plan --latest names /boot/vmlinuz-$NEW" "$(head -c 400 "$res/plan1.txt")" \
	grep -qF "/boot/vmlinuz-$NEW" "$res/plan1.txt"
vm_check "boot 1: plan --latest names /boot/initrd.img-$NEW" "" grep -qF "/boot/initrd.img-$NEW" "$res/plan1.txt"
vm_check "boot 1: plan --latest: Cmdline: console=ttyS0 panic=-1 warmboot.test=latest warmboot.trial=ID (its own panic=, no panic=10)" "" \
	grep -qE '^Cmdline:   console=ttyS0 panic=-1 warmboot.test=latest warmboot.trial=[0-9a-f]{32}$' "$res/plan1.txt"
b1=$(vm_handover 1)
printf '      boot 1 warmboot reboot said: %s\n' "$(vm_said "$b1")"
vm_check "boot 1: reboot --latest says it boots /boot/vmlinuz-$NEW" "" vm_contains "Warm reboot into /boot/vmlinuz-$NEW" "$b1"

# ---- boot 2: --latest -------------------------------------------------------------------
vm_expect "boot 2 (--latest): runs the newer kernel $NEW (osrelease)" 'boot=2 start ' "release=$NEW"
vm_expect "boot 2 (--latest): runs the newer kernel $NEW (uname)" 'boot=2 uname=' "uname=$NEW"
vm_check_cmdline 2 latest console=ttyS0 panic=-1

# ---- boot 2: the UKI ----------------------------------------------------------------------
wbdump 'boot=2 list2' >"$res/list2.txt"
wbdump 'boot=2 json2' >"$res/list2.json"
printf '      boot 2 warmboot list:\n'
sed 's/^/        /' "$res/list2.txt"
show_stderr 2 list2
vm_expect "boot 2: warmboot list exits 0" 'boot=2 list2 rc=' rc=0
b=$(block "$res/list2.txt" test.efi)
vm_check "boot 2: list shows test.efi" "" test -n "$b"
vm_check "boot 2: list: title \"$UKI_PRETTY ($OLD)\"" "$(head -n1 <<<"$b")" \
	grep -qE "^ *title: $UKI_PRETTY \\($OLD\\)( |$)" <<<"$b"
vm_check "boot 2: list: source uki /boot/EFI/Linux/test.efi, version $OLD" "" \
	has_lines "$b" "source: uki /boot/EFI/Linux/test.efi" "version: $OLD"
vm_check "boot 2: list: options are the UKI's .cmdline" "" has_lines "$b" "options: $UKI_CMDLINE"
show_stderr 2 json2
vm_expect "boot 2: warmboot list --json exits 0" 'boot=2 json2 rc=' rc=0
if vm_json "$res/list2.json" 'len(d)' >/dev/null 2>&1; then
	vm_pass "boot 2: list --json is valid JSON"
	e=$(vm_json "$res/list2.json" '[e for e in d if e["id"] == "test.efi"]')
	printf '      boot 2 list --json entry: %s\n' "$e"
	v=$(vm_json "$res/list2.json" '[(e["source"], e["uki"], e["title"], e["version"], e["cmdline"], e["kernel"], e["running"]) for e in d if e["id"] == "test.efi"]')
	want=$(python3 -c 'import json,sys; print(json.dumps([["uki", True, sys.argv[1] + " (" + sys.argv[2] + ")", sys.argv[2], sys.argv[3], "/boot/EFI/Linux/test.efi", False]]))' \
		"$UKI_PRETTY" "$OLD" "$UKI_CMDLINE")
	vm_check "boot 2: list --json: test.efi source uki, uki true, title, version, cmdline, kernel, not running" \
		"got $v" test "$v" = "$want"
	ids=$(vm_json "$res/list2.json" '" ".join(e["id"] for e in d)')
	vm_check "boot 2: list --json: only the UKI (the first source with entries wins, warmboot(8))" \
		"ids: $ids" test "$ids" = test.efi
else
	vm_fail "boot 2: list --json is valid JSON" "$(head -c 300 "$res/list2.json")"
fi
wbdump 'boot=2 plan2' >"$res/plan2.txt"
show_stderr 2 plan2
vm_expect "boot 2: plan --entry test.efi exits 0" 'boot=2 plan2 rc=' rc=0
vm_check "boot 2: plan --entry test.efi names the UKI" "$(head -c 400 "$res/plan2.txt")" \
	grep -qF /boot/EFI/Linux/test.efi "$res/plan2.txt"
uki_plan() {
	has_lines "$(cat "$res/plan2.txt")" "Initrds:   (the UKI's own .ucode and .initrd)" &&
		grep -qE "^Cmdline:   $UKI_CMDLINE warmboot.trial=[0-9a-f]{32}\$" "$res/plan2.txt"
}
vm_check "boot 2: plan --entry test.efi: the UKI's own initrd and command line, and the trial's id" "" uki_plan
b2=$(vm_handover 2)
printf '      boot 2 warmboot reboot said: %s\n' "$(vm_said "$b2")"
vm_check "boot 2: reboot --entry test.efi says it boots the UKI" "" vm_contains "Warm reboot into /boot/EFI/Linux/test.efi" "$b2"

# ---- boot 3: --entry test.efi -------------------------------------------------------------
vm_expect "boot 3 (--entry test.efi): runs the UKI's kernel $OLD (osrelease)" 'boot=3 start ' "release=$OLD"
vm_expect "boot 3 (--entry test.efi): runs the UKI's kernel $OLD (uname)" 'boot=3 uname=' "uname=$OLD"
vm_check_cmdline 3 uki
vm_check "boot 3: command line is the UKI's .cmdline (and the trial's warmboot.trial=ID)" "got: $VM_CMDLINE" \
	test "$(vm_without_trial "$VM_CMDLINE")" = "$(vm_without_trial "$UKI_CMDLINE")"
vm_expect "boot 3: booted the UKI's .initrd (no /root/uki/test.efi in it)" 'boot=3 uki-present=' uki-present=no
wbdump 'boot=3 json3' >"$res/list3.json"
show_stderr 3 json3
if vm_json "$res/list3.json" 'len(d)' >/dev/null 2>&1; then
	run=$(vm_json "$res/list3.json" '" ".join(e["id"] for e in d if e["running"])')
	vm_check "boot 3: list --json: running is vmlinuz-$OLD" "running: $run" test "$run" = "vmlinuz-$OLD"
else
	vm_fail "boot 3: list --json is valid JSON" "$(head -c 300 "$res/list3.json")"
fi
vm_check "boot 3: guest still running after list --json" "" \
	test "$(vm_count "$VM_MARKERS" 'WBTEST boot=3 still-running')" -eq 1
vm_check_done 3

vm_finish "$res/inner.cpio.gz" "$res/initramfs.cpio.gz" "$uki"
