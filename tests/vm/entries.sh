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
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/sbin,etc,proc,sys,dev,tmp,run,boot,root}
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
install -m 0755 "$here/guest/entries-init" "$root/init"
for kd in "$olddir" "$newdir"; do
	r=$(cat "$kd/release")
	cp "$kd/vmlinuz" "$root/boot/vmlinuz-$r"
	cp "$kd/config" "$root/boot/config-$r"
	mkdir -p "$root/lib/modules/$r"
	cp "$kd/modules/"* "$root/lib/modules/$r/"
done
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
# the guest without the UKI: the UKI's .initrd (chicken and egg: the UKI cannot hold itself)
(cd "$root" && find . -print | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$res/inner.cpio.gz"
uki=$res/test.efi
vm_uki "$uki" "$stub" "$olddir/vmlinuz" "$res/inner.cpio.gz" "$UKI_CMDLINE" \
	"PRETTY_NAME=\"$UKI_PRETTY\"" "$OLD"
objdump -h "$uki" >"$res/uki-sections.txt"
# the first boot's initramfs: the same guest plus the UKI in /root/uki/ (a second cpio
# appended: the kernel unpacks concatenated archives in order)
mkdir -p "$res/extra/root/uki"
cp "$uki" "$res/extra/root/uki/test.efi"
(cd "$res/extra" && find ./root -print | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$res/extra.cpio.gz"
cat "$res/inner.cpio.gz" "$res/extra.cpio.gz" >"$res/initramfs.cpio.gz"
rm -rf "$root" "$res/extra" "$res/extra.cpio.gz"
vm_say "UKI $(stat -c %s "$uki") bytes, initramfs $(stat -c %s "$res/initramfs.cpio.gz") bytes"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
append="BOOT_IMAGE=/boot/vmlinuz-$OLD initrd=/boot/initrd.img-$OLD console=ttyS0 panic=-1"
vm_say "booting the guest (timeout ${TIMEOUT}s), serial log: $log"
vm_boot "$TIMEOUT" "$log" -no-reboot -kernel "$olddir/vmlinuz" -initrd "$res/initramfs.cpio.gz" \
	-append "$append"
qrc=$VM_QEMU_RC elapsed=$VM_QEMU_SECS

# ---- judge the log ------------------------------------------------------------------------
L=$res/serial.txt
vm_clean_log "$log" "$L"

# wbdump NAME: the lines the guest dumped with "WBTEST NAME| "
# wbrc NAME: the exit status the guest reported for NAME
wbrc() { vm_field "$(wbline "$1 rc=")" rc || echo none; }
# show_stderr NAME: print what a command wrote on stderr, if anything
show_stderr() {
	local e
	e=$(wbdump "$1-stderr")
	[ -z "$e" ] || printf '      stderr of %s: %s\n' "$1" "$(tr '\n' ' ' <<<"$e")"
}
# jq FILE EXPR: evaluate a Python expression on the JSON document in FILE (as d); strings
# are printed as they are, anything else as JSON
jq() {
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = eval(sys.argv[2], {"d": d})
print(r if isinstance(r, str) else json.dumps(r))
PY
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
# lacks RE TEXT: no line of TEXT matches RE
lacks() { ! grep -qE -- "$1" <<<"$2"; }
# words CMDLINE: one parameter per line
words() { tr ' ' '\n' <<<"$1" | sed '/^$/d'; }

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
banners=$(grep -oE 'Linux version [^ ]+' "$L" | cut -d' ' -f3 | tr '\n' ' ')
printf '      kernel banners in order: %s\n' "$banners"
vm_check "banners: $OLD, $NEW, $OLD" "saw: $banners" test "$banners" = "$OLD $NEW $OLD "

# ---- boot 1: the scanned images -----------------------------------------------------------
rel=$(vm_field "$(wbline 'boot=1 start')" release || echo none)
vm_check "boot 1: runs the older kernel $OLD" "release=$rel" test "$rel" = "$OLD"
line=$(wbline 'boot=1 boot-files=')
printf '      boot 1 /boot: %s\n' "${line#*boot-files=}"

wbdump list1 >"$res/list1.txt"
wbdump json1 >"$res/list1.json"
printf '      boot 1 warmboot list:\n'
sed 's/^/        /' "$res/list1.txt"
show_stderr list1
vm_check "boot 1: warmboot list exits 0" "rc=$(wbrc list1)" test "$(wbrc list1)" = 0
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
	lacks '\(running\)' "$b"

show_stderr json1
vm_check "boot 1: warmboot list --json exits 0" "rc=$(wbrc json1)" test "$(wbrc json1)" = 0
if jq "$res/list1.json" 'len(d)' >/dev/null 2>&1; then
	vm_pass "boot 1: list --json is valid JSON"
	ids=$(jq "$res/list1.json" '" ".join(e["id"] for e in d)')
	vm_check "boot 1: list --json has exactly the two images" "ids: $ids" \
		test "$ids" = "vmlinuz-$OLD vmlinuz-$NEW" -o "$ids" = "vmlinuz-$NEW vmlinuz-$OLD"
	v=$(jq "$res/list1.json" '" ".join(sorted(str(e["version"]) + ":" + str(e["source"]) + ":" + str(e["uki"]) for e in d))')
	vm_check "boot 1: list --json versions, source scan, uki false" "$v" \
		test "$v" = "$OLD:scan:False $NEW:scan:False"
	run=$(jq "$res/list1.json" '" ".join(e["id"] for e in d if e["running"])')
	vm_check "boot 1: list --json: running is vmlinuz-$OLD only" "running: $run" test "$run" = "vmlinuz-$OLD"
	v=$(jq "$res/list1.json" '[e["kernel"] for e in d if e["id"] == "vmlinuz-'"$NEW"'"]')
	vm_check "boot 1: list --json: kernel of vmlinuz-$NEW is /boot/vmlinuz-$NEW" "$v" \
		test "$v" = "[\"/boot/vmlinuz-$NEW\"]"
	v=$(jq "$res/list1.json" '[e["initrds"] for e in d if e["id"] == "vmlinuz-'"$NEW"'"]')
	vm_check "boot 1: list --json: initrds of vmlinuz-$NEW" "$v" test "$v" = "[[\"/boot/initrd.img-$NEW\"]]"
	v=$(jq "$res/list1.json" '[e["default"] for e in d]')
	vm_check "boot 1: list --json: no default among scanned images" "$v" test "$v" = "[false, false]"
else
	vm_fail "boot 1: list --json is valid JSON" "$(head -c 300 "$res/list1.json")"
fi

wbdump plan1 >"$res/plan1.txt"
show_stderr plan1
vm_check "boot 1: plan --latest exits 0" "rc=$(wbrc plan1)" test "$(wbrc plan1)" = 0
vm_check "boot 1: plan --latest names /boot/vmlinuz-$NEW" "$(head -c 400 "$res/plan1.txt")" \
	grep -qF "/boot/vmlinuz-$NEW" "$res/plan1.txt"
vm_check "boot 1: plan --latest names /boot/initrd.img-$NEW" "" grep -qF "/boot/initrd.img-$NEW" "$res/plan1.txt"
vm_check "boot 1: plan --latest: Cmdline: console=ttyS0 panic=-1 warmboot.test=latest" "" \
	has_lines "$(cat "$res/plan1.txt")" "Cmdline:  console=ttyS0 panic=-1 warmboot.test=latest"
b1=$(sed -n '/WBTEST boot=1 handover/,/Linux version [0-9]/p' "$L")
printf '      boot 1 warmboot reboot said: %s\n' "$(grep -E 'warmboot|Warm reboot' <<<"$b1" | sed 's/^\[ *[0-9.]*\] //' | tr '\n' ' ')"
vm_check "boot 1: reboot --latest says it boots /boot/vmlinuz-$NEW" "" grep -qF "Warm reboot into /boot/vmlinuz-$NEW" <<<"$b1"

# ---- boot 2: --latest -------------------------------------------------------------------
rel=$(vm_field "$(wbline 'boot=2 start')" release || echo none)
un=$(vm_field "$(wbline 'boot=2 uname=')" uname || echo none)
vm_check "boot 2 (--latest): runs the newer kernel $NEW" "osrelease=$rel uname=$un" \
	test "$rel" = "$NEW" -a "$un" = "$NEW"
line=$(wbline 'boot=2 cmdline=')
cl=${line#*cmdline=}
printf '      boot 2 /proc/cmdline: %s\n' "$cl"
w=$(words "$cl")
n=$(grep -c '^warmboot\.test=' <<<"$w" || true)
vm_check "boot 2: warmboot.test= exactly once" "seen $n times" test "$n" -eq 1
vm_check "boot 2: warmboot.test=latest" "" grep -qx 'warmboot\.test=latest' <<<"$w"
vm_check "boot 2: running command line kept (console=ttyS0, panic=-1)" "" \
	has_lines "$w" console=ttyS0 panic=-1
vm_check "boot 2: no BOOT_IMAGE= or initrd=" "" lacks '^(BOOT_IMAGE|initrd)=' "$w"

# ---- boot 2: the UKI ----------------------------------------------------------------------
wbdump list2 >"$res/list2.txt"
wbdump json2 >"$res/list2.json"
printf '      boot 2 warmboot list:\n'
sed 's/^/        /' "$res/list2.txt"
show_stderr list2
vm_check "boot 2: warmboot list exits 0" "rc=$(wbrc list2)" test "$(wbrc list2)" = 0
b=$(block "$res/list2.txt" test.efi)
vm_check "boot 2: list shows test.efi" "" test -n "$b"
vm_check "boot 2: list: title \"$UKI_PRETTY ($OLD)\"" "$(head -n1 <<<"$b")" \
	grep -qE "^ *title: $UKI_PRETTY \\($OLD\\)( |$)" <<<"$b"
vm_check "boot 2: list: source uki /boot/EFI/Linux/test.efi, version $OLD" "" \
	has_lines "$b" "source: uki /boot/EFI/Linux/test.efi" "version: $OLD"
vm_check "boot 2: list: options are the UKI's .cmdline" "" has_lines "$b" "options: $UKI_CMDLINE"
show_stderr json2
vm_check "boot 2: warmboot list --json exits 0" "rc=$(wbrc json2)" test "$(wbrc json2)" = 0
if jq "$res/list2.json" 'len(d)' >/dev/null 2>&1; then
	vm_pass "boot 2: list --json is valid JSON"
	e=$(jq "$res/list2.json" '[e for e in d if e["id"] == "test.efi"]')
	printf '      boot 2 list --json entry: %s\n' "$e"
	v=$(jq "$res/list2.json" '[(e["source"], e["uki"], e["title"], e["version"], e["cmdline"], e["kernel"], e["running"]) for e in d if e["id"] == "test.efi"]')
	want=$(python3 -c 'import json,sys; print(json.dumps([["uki", True, sys.argv[1] + " (" + sys.argv[2] + ")", sys.argv[2], sys.argv[3], "/boot/EFI/Linux/test.efi", False]]))' \
		"$UKI_PRETTY" "$OLD" "$UKI_CMDLINE")
	vm_check "boot 2: list --json: test.efi source uki, uki true, title, version, cmdline, kernel, not running" \
		"got $v" test "$v" = "$want"
	ids=$(jq "$res/list2.json" '" ".join(e["id"] for e in d)')
	vm_check "boot 2: list --json: only the UKI (the first source with entries wins, warmboot(8))" \
		"ids: $ids" test "$ids" = test.efi
else
	vm_fail "boot 2: list --json is valid JSON" "$(head -c 300 "$res/list2.json")"
fi
wbdump plan2 >"$res/plan2.txt"
show_stderr plan2
vm_check "boot 2: plan --entry test.efi exits 0" "rc=$(wbrc plan2)" test "$(wbrc plan2)" = 0
vm_check "boot 2: plan --entry test.efi names the UKI" "$(head -c 400 "$res/plan2.txt")" \
	grep -qF /boot/EFI/Linux/test.efi "$res/plan2.txt"
vm_check "boot 2: plan --entry test.efi: the UKI's own initrd and command line" "" \
	has_lines "$(cat "$res/plan2.txt")" "Initrd:   (the UKI's own .ucode and .initrd)" "Cmdline:  $UKI_CMDLINE"
b2=$(sed -n '/WBTEST boot=2 handover/,/Linux version [0-9]/p' "$L")
printf '      boot 2 warmboot reboot said: %s\n' "$(grep -E 'warmboot|Warm reboot' <<<"$b2" | sed 's/^\[ *[0-9.]*\] //' | tr '\n' ' ')"
vm_check "boot 2: reboot --entry test.efi says it boots the UKI" "" grep -qF "Warm reboot into /boot/EFI/Linux/test.efi" <<<"$b2"

# ---- boot 3: --entry test.efi -------------------------------------------------------------
rel=$(vm_field "$(wbline 'boot=3 start')" release || echo none)
un=$(vm_field "$(wbline 'boot=3 uname=')" uname || echo none)
vm_check "boot 3 (--entry test.efi): runs the UKI's kernel $OLD" "osrelease=$rel uname=$un" \
	test "$rel" = "$OLD" -a "$un" = "$OLD"
line=$(wbline 'boot=3 cmdline=')
cl=${line#*cmdline=}
printf '      boot 3 /proc/cmdline: %s\n' "$cl"
w=$(words "$cl")
n=$(grep -c '^warmboot\.test=' <<<"$w" || true)
vm_check "boot 3: warmboot.test= exactly once" "seen $n times" test "$n" -eq 1
vm_check "boot 3: warmboot.test=uki (the UKI's embedded line)" "" grep -qx 'warmboot\.test=uki' <<<"$w"
vm_check "boot 3: command line is the UKI's .cmdline" "got: $cl" test "$(tr '\n' ' ' <<<"$w")" = "$UKI_CMDLINE "
v=$(vm_field "$(wbline 'boot=3 uki-present=')" uki-present || echo none)
vm_check "boot 3: booted the UKI's .initrd (no /root/uki/test.efi in it)" "uki-present=$v" test "$v" = no
wbdump json3 >"$res/list3.json"
show_stderr json3
if jq "$res/list3.json" 'len(d)' >/dev/null 2>&1; then
	run=$(jq "$res/list3.json" '" ".join(e["id"] for e in d if e["running"])')
	vm_check "boot 3: list --json: running is vmlinuz-$OLD" "running: $run" test "$run" = "vmlinuz-$OLD"
else
	vm_fail "boot 3: list --json is valid JSON" "$(head -c 300 "$res/list3.json")"
fi
n=$(vm_count "$L" 'WBTEST boot=3 still-running')
vm_check "boot 3: guest ran to the end" "" test "$n" -eq 1

if [ "$VM_FAILED" -ne 0 ]; then
	vm_show_tail "$L" 80
fi
[ -n "${WARMBOOT_VM_KEEP:-}" ] || rm -f "$res/inner.cpio.gz" "$res/initramfs.cpio.gz" "$uki"
vm_say "serial log: $log (${elapsed}s in QEMU)"
vm_summary
[ "$VM_FAILED" -eq 0 ]
