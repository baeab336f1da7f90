#!/bin/bash
# End-to-end test of warmboot on a Debian 12 guest that boots through real firmware and a
# real boot loader: OVMF (UEFI), a GPT disk with an EFI system partition (FAT32, /boot/efi)
# and an ext4 root, GRUB installed into the image by its own grub-install and menu made by
# its own update-grub (Debian's /etc/default/grub as shipped, GRUB_TIMEOUT=5; two kernels,
# so the menu has "Advanced options" with normal and recovery entries). Issue 8, "uefi-grub".
#
#   sudo tests/vm/uefi-grub.sh            # WARMBOOT_BIN=... to test another binary
#
# One QEMU run, five boots (guest/uefi-grub-test):
# Boot 1, cold (OVMF, GRUB's default entry): list, list --json, plan --json and
#   plan --default --json; `warmboot load --append warmboot.test=second` (the record in
#   /run/warmboot: root's, 0700 and 0600; status says where the loaded kernel came from);
#   then `warmboot reboot --append warmboot.test=second` (systemd) uses that kernel.
# Boot 2, warm: data, file systems; grub-reboot "Advanced options...>..., with Linux OLD";
#   list --json, plan --default --json; then `SYSTEMCTL_SKIP_AUTO_KEXEC=1 systemctl reboot`.
# Boot 3, cold (OVMF; GRUB boots the older kernel once, as grub-reboot asked): list --json,
#   plan --default --json; grub-reboot the same entry again; then
#   `warmboot reboot --default --append warmboot.test=default`.
# Boot 4, warm: must be what the cold boot 3 booted for that next_entry (kernel, command
#   line), and warmboot must have used next_entry up as GRUB does; cold reboot.
# Boot 5, cold: GRUB is back at its saved default (boot 1's kernel and command line).
# The host reads GRUB's menu from the image's grub.cfg itself, judges the serial log and the
# disk (debugfs, e2fsck, fsck.fat), prints host-clock timings of each way into a boot (not
# judged), one line per check, then "N passed, M failed".
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

res=$(vm_results_dir uefi-grub)
t=$SECONDS
udir=$(vm_uefi_grub)
vm_say "image ready in $((SECONDS - t))s: $udir"
tree=$udir/rootfs
OLD=$(head -n1 "$udir/releases")
NEW=$(tail -n1 "$udir/releases")
UUID=$VM_UEFI_ROOT_UUID
TOP="Debian GNU/Linux"
NEXT="Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux $OLD"

# ---- GRUB's menu as the host reads it from the image's grub.cfg ---------------------------
# grub_menu CFG OUT: every menuentry of CFG, as JSON: title and id (a submenu's joined with
# '>'), kernel, initrds and command line of its linux/initrd lines
grub_menu() {
	python3 - "$1" "$2" <<'PY'
import json, re, sys
stack, out, cur = [], [], None
for raw in open(sys.argv[1]):
    line = raw.strip()
    m = re.match(r"(menuentry|submenu)\s+'([^']*)'.*\$menuentry_id_option\s+'([^']*)'\s*\{$", line)
    if m:
        stack.append(m.groups())
        if m.group(1) == "menuentry":
            cur = {"title": ">".join(s[1] for s in stack if s[0] != "block"),
                   "id": ">".join(s[2] for s in stack if s[0] != "block"),
                   "kernel": None, "initrds": [], "cmdline": None}
        continue
    if line.endswith("{"):
        stack.append(("block", None, None))
        continue
    if line == "}":
        if stack.pop()[0] == "menuentry":
            out.append(cur)
            cur = None
        continue
    w = line.split()
    if cur is not None and w and w[0] == "linux":
        cur["kernel"], cur["cmdline"] = w[1], " ".join(w[2:])
    elif cur is not None and w and w[0] == "initrd":
        cur["initrds"] = w[1:]
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
}
menu=$res/menu.json
grub_menu "$udir/grub.cfg" "$menu"
# menu_field TITLE KEY: KEY of the menu entry TITLE
menu_field() { vm_json "$menu" "[e['$2'] for e in d if e['title'] == '''$1'''][0]"; }

# ---- the disk -----------------------------------------------------------------------------
vm_say "building the disk (kernels $OLD and $NEW, warmboot $WARMBOOT_BIN)"
payload=$res/payload
mkdir -p "$payload/usr/local/lib/warmboot-vm"
vm_payload_warmboot "$payload" "$tree"
vm_unit_payload "$payload" warmboot-vm-test "$here/guest/uefi-grub-test"
printf "NEXT_ENTRY='%s'\n" "$NEXT" >"$payload/usr/local/lib/warmboot-vm/uefi-grub.conf"
disk=$res/disk.raw
t=$SECONDS
vm_uefi_grub_disk "$udir" "$payload" "$disk"
rm -rf "$payload"
vm_uefi_vars "$res/OVMF_VARS_4M.fd"
vm_say "disk and firmware variables ready in $((SECONDS - t))s"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
stamps=$res/serial.stamped
vm_say "booting through OVMF (timeout ${TIMEOUT}s), serial log: $log"
vm_uefi_boot "$TIMEOUT" "$log" "$stamps" "$res/OVMF_VARS_4M.fd" "$disk"

# ---- judge --------------------------------------------------------------------------------
# menu_cmp LIST DEFAULT RUNNING: list --json (file LIST) against GRUB's menu entries that boot
# a Linux kernel (/boot/vmlinuz-*): prints "titles OK|detail", "fields OK|detail", "flags
# OK|detail" (default only on DEFAULT, running only on RUNNING), "memtest OK|detail"
menu_cmp() {
	python3 - "$1" "$menu" "$2" "$3" <<'PY'
import json, sys
got, menu, want_def, want_run = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3], sys.argv[4]
t = [e["title"] for e in got]
m = [e["title"] for e in menu if (e["kernel"] or "").startswith("/boot/vmlinuz-")]
print("titles", "OK" if t == m else "list: %s | menu: %s" % (t, m))
x = [e["title"] for e in got if "memtest" in (e.get("kernel") or "") or e["title"].startswith("Memory test")]
print("memtest", "OK" if not x else "listed: %s" % x)
bad = []
for e in got:
    w = [x for x in menu if x["title"] == e["title"]]
    if not w:
        continue
    w = w[0]
    rel = w["kernel"].rsplit("/vmlinuz-", 1)[-1]
    for k, v in (("id", w["id"]), ("kernel", w["kernel"]), ("initrds", w["initrds"]),
                 ("cmdline", w["cmdline"]), ("version", rel), ("source", "grub"),
                 ("file", "/boot/grub/grub.cfg"), ("uki", False)):
        if e.get(k) != v:
            bad.append("%s: %s=%r, menu %r" % (e["title"], k, e.get(k), v))
print("fields", "OK" if not bad else "; ".join(bad[:3]))
d = [e["title"] for e in got if e.get("default")]
r = [e["title"] for e in got if e.get("running")]
print("flags", "OK" if d == [want_def] and r == [want_run] else "default: %s; running: %s" % (d, r))
PY
}
# check_list B NAME DEFAULT RUNNING WHY: boot B's list --json (report NAME) is GRUB's menu,
# default only on DEFAULT and running only on RUNNING (WHY says why)
check_list() {
	local b=$1 n=$2 def=$3 run=$4 why=$5 f out
	f=$res/$n.json
	wbdump "boot=$b $n" >"$f"
	vm_show_stderr "$b" "$n"
	vm_expect "boot $b: warmboot list --json exits 0" "boot=$b $n rc=" rc=0
	vm_check "boot $b: list --json warns about nothing (a grub.cfg as update-grub wrote it)" \
		"$(wbdump "boot=$b $n-stderr" | head -n 3 | tr '\n' ' ')" test -z "$(wbdump "boot=$b $n-stderr")"
	if ! vm_json "$f" 'len(d)' >/dev/null 2>&1; then
		vm_fail "boot $b: list --json is valid JSON" "$(head -c 300 "$f")"
		return 0
	fi
	out=$(menu_cmp "$f" "$def" "$run")
	vm_check "boot $b: list --json has exactly the Linux entries of GRUB's menu, in its order" \
		"$(sed -n 's/^titles //p' <<<"$out")" test "$(sed -n 's/^titles //p' <<<"$out")" = OK
	vm_check "boot $b: list --json has no memtest entry" \
		"$(sed -n 's/^memtest //p' <<<"$out")" test "$(sed -n 's/^memtest //p' <<<"$out")" = OK
	vm_check "boot $b: list --json: each entry's id, kernel, initrd, options, version as in grub.cfg" \
		"$(sed -n 's/^fields //p' <<<"$out")" test "$(sed -n 's/^fields //p' <<<"$out")" = OK
	vm_check "boot $b: list --json: default only '$def', running only '$run' ($why)" \
		"$(sed -n 's/^flags //p' <<<"$out")" test "$(sed -n 's/^flags //p' <<<"$out")" = OK
}
# check_plan B NAME WHAT KERNEL CMDLINE: boot B's plan --json (report NAME) boots KERNEL with
# CMDLINE (and the initrd of its release)
check_plan() {
	local b=$1 n=$2 what=$3 kernel=$4 cmdline=$5 f v
	f=$res/$n.json
	wbdump "boot=$b $n" >"$f"
	vm_show_stderr "$b" "$n"
	vm_expect "boot $b: $what exits 0" "boot=$b $n rc=" rc=0
	if ! vm_json "$f" 'd["kernel"]' >/dev/null 2>&1; then
		vm_fail "boot $b: $what prints a JSON plan" "$(head -c 300 "$f")"
		return 0
	fi
	v=$(vm_json "$f" 'd["kernel"] + " " + " ".join(d["initrds"])')
	vm_check "boot $b: $what: kernel $kernel, initrd /boot/initrd.img-${kernel#/boot/vmlinuz-}" "got $v" \
		test "$v" = "$kernel /boot/initrd.img-${kernel#/boot/vmlinuz-}"
	v=$(vm_json "$f" 'd["cmdline"]')
	vm_check "boot $b: $what: command line '$cmdline' and the trial's panic=10 warmboot.trial=ID" "got '$v'" \
		test "$(vm_without_trial "$v")" = "$(vm_without_trial "$cmdline")" -a "$(vm_without_trial "$v")" != "$(vm_words_line "$v")"
}

vm_check_qemu
vm_uefi_check_boots 5 3
vm_uefi_check_banners "banners: $NEW (cold), $NEW (warm), $OLD (cold, grub-reboot), $OLD (warm, --default), $NEW (cold)" \
	"$NEW" "$NEW" "$OLD" "$OLD" "$NEW"

# ---- the image ----------------------------------------------------------------------------
printf '      GRUB menu (grub.cfg by update-grub): %s\n' "$(vm_json "$menu" '" | ".join(e["title"] for e in d)')"
vm_check "image: /etc/default/grub is as the package installed it (ucf's checksum)" "" \
	test "$(md5sum <"$tree/etc/default/grub" | cut -d' ' -f1)" = \
	"$(awk '$2 == "/etc/default/grub" { print $1 }' "$tree/var/lib/ucf/hashfile")"
vm_check "image: GRUB_TIMEOUT=5, GRUB_DEFAULT=0 (Debian's)" "" \
	test "$(grep -cxE 'GRUB_TIMEOUT=5|GRUB_DEFAULT=0' "$tree/etc/default/grub")" -eq 2
printf '      /etc/default/grub.d: %s\n' "$(find "$tree/etc/default/grub.d" -mindepth 1 -printf '%f ')"
printf '      %s: %s\n' "$VM_UEFI_GRUB_DROPIN" "$(grep -v '^#' "$tree$VM_UEFI_GRUB_DROPIN")"
v=$(vm_json "$menu" '[e["title"] for e in d]')
want=$(python3 -c 'import json, sys; a, t, n, o = sys.argv[1:]; s = a + ">" + t + ", with Linux "
print(json.dumps([t, s + n, s + n + " (recovery mode)", s + o, s + o + " (recovery mode)"]))' \
	"Advanced options for $TOP" "$TOP" "$NEW" "$OLD")
vm_check "image: GRUB's menu: $TOP, then Advanced options with $NEW and $OLD, normal and recovery; nothing else" \
	"got $v" test "$v" = "$want"
MTOOLS_SKIP_CHECK=1 mdir -/ -b -i "$disk@@$((VM_UEFI_ESP_START * 512))" ::/EFI >"$res/esp-files.txt" 2>&1 || true
vm_check "image: the ESP has EFI/debian/grubx64.efi and EFI/BOOT/BOOTX64.EFI (grub-install)" \
	"$(tr '\n' ' ' <"$res/esp-files.txt")" \
	test "$(grep -ciE '^::/EFI/(debian/grubx64\.efi|BOOT/BOOTX64\.EFI)$' "$res/esp-files.txt")" -eq 2

# ---- how each boot came: firmware and GRUB, or kexec --------------------------------------
vm_uefi_check_cold 1
vm_uefi_check_warm 2
vm_uefi_check_cold 3
vm_uefi_check_warm 4
vm_uefi_check_cold 5
for b in 1 2 3 4 5; do
	l=$(wbline "boot=$b firmware ")
	printf '      boot %s: %s\n' "$b" "${l#*boot="$b" }"
	vm_uefi_check_efi "$b"
done
vm_uefi_check_loader 1 grub
vm_uefi_check_loader 2 kexec
vm_uefi_check_loader 3 grub
vm_uefi_check_loader 4 kexec
vm_uefi_check_loader 5 grub

# ---- boot 1: cold, GRUB's default entry ---------------------------------------------------
c1=$(vm_cmdline_of 1)
printf '      boot 1 /proc/cmdline: %s\n' "$c1"
bootimage=$(vm_words "$c1" | sed -n 's/^BOOT_IMAGE=//p')
vm_check "boot 1: GRUB wrote BOOT_IMAGE=/boot/vmlinuz-$NEW first" "got: $c1" \
	test "$(vm_words "$c1" | head -n1)" = "BOOT_IMAGE=/boot/vmlinuz-$NEW"
top_cmdline=$(menu_field "$TOP" cmdline)
vm_check "boot 1: the rest is the default entry's linux line" "entry: $top_cmdline" \
	test "$(vm_without '^BOOT_IMAGE=' "$c1")" = "$(vm_words_line "$top_cmdline")"
vm_expect "boot 1: runs $NEW" 'boot=1 start ' "release=$NEW"
vm_expect "boot 1: grubenv has no next_entry" 'boot=1 grubenv1-next ' set=no

wbdump 'boot=1 list1' >"$res/list1.txt"
printf '      boot 1 warmboot list:\n'
sed 's/^/        /' "$res/list1.txt"
vm_show_stderr 1 list1
vm_expect "boot 1: warmboot list exits 0" 'boot=1 list1 rc=' rc=0
vm_check "boot 1: list: five titles, the first marked (default: GRUB_DEFAULT) (running)" "$(grep 'title:' "$res/list1.txt" | tr '\n' '|')" \
	test "$(grep -c 'title:' "$res/list1.txt")-$(grep -m1 'title:' "$res/list1.txt" | sed 's/^ *//')" = \
	"5-title: $TOP (default: GRUB_DEFAULT) (running)"
check_list 1 json1 "$TOP" "$TOP" "GRUB_DEFAULT=0; the running kernel's first entry"
v=$(vm_json "$res/json1.json" '",".join(sorted(set(e.get("default_from") or "" for e in d if e.get("default"))))' 2>/dev/null || true)
vm_check "boot 1: list --json says the default comes from GRUB_DEFAULT (default_from)" "got '$v'" test "$v" = GRUB_DEFAULT

f=$res/plan1.json
wbdump 'boot=1 plan1' >"$f"
vm_show_stderr 1 plan1
vm_expect "boot 1: plan --json exits 0" 'boot=1 plan1 rc=' rc=0
if vm_json "$f" 'd["kernel"]' >/dev/null 2>&1; then
	v=$(vm_json "$f" 'd["source"] + " " + d["kernel"]')
	vm_check "boot 1: plan (no selection): the running kernel from the BOOT_IMAGE= GRUB wrote ($bootimage)" \
		"got $v" test "$v" = "boot-image $bootimage"
	v=$(vm_json "$f" 'd["release"] + " " + " ".join(d["initrds"])')
	vm_check "boot 1: plan: release $NEW, initrd /boot/initrd.img-$NEW" "got $v" test "$v" = "$NEW /boot/initrd.img-$NEW"
	v=$(vm_json "$f" 'd["cmdline"]')
	vm_check "boot 1: plan: the running command line without BOOT_IMAGE=, with the trial's parameters" "got '$v'" \
		test "$(vm_without_trial "$v")" = "$(vm_without '^BOOT_IMAGE=' "$c1")"
	printf '      boot 1 plan checks: %s\n' "$(vm_json "$f" '" ".join(c["name"] + ":" + c["status"] for c in d["checks"])')"
else
	vm_fail "boot 1: plan --json prints a JSON plan" "$(head -c 300 "$f")"
fi
check_plan 1 default1 "plan --default --json" "/boot/vmlinuz-$NEW" "$top_cmdline"

# loaded ahead, then reused
vm_expect "boot 1: warmboot load exits 0 and a kernel is loaded" 'boot=1 load1 rc=' rc=0 loaded=1
vm_expect "boot 1: the load record is root's alone: /run/warmboot 0700, the record a regular 0600 file" \
	'boot=1 record1 ' dir=700:root:directory file=600:root:regular_file
st1=$(wbdump 'boot=1 status1')
vm_check "boot 1: status says the loaded kernel came from warmboot load, with its options" \
	"status: $(printf '%s' "$st1" | tr '\n' '|' | head -c 400)" \
	vm_contains "/boot/vmlinuz-$NEW, loaded at " "$st1"
vm_check "boot 1: status names the command that loaded it" "" \
	vm_contains "by: warmboot load --append='warmboot.test=second'" "$st1"
vm_check "boot 1: status warns that a plain systemctl reboot would kexec the loaded kernel" "" \
	vm_contains "SYSTEMCTL_SKIP_AUTO_KEXEC" "$(wbdump 'boot=1 status1'; wbdump 'boot=1 status1-stderr')"

# ---- boot 2: warm, no selection -----------------------------------------------------------
b1=$(vm_handover 1)
printf '      boot 1 warmboot reboot said: %s\n' "$(vm_said "$b1")"
m1=$(wbmsg "$(wbline 'boot=1 warm rc=')")
vm_check "boot 1: warmboot reboot used the kernel loaded ahead (\"using the kernel loaded at ...\")" \
	"said: ${m1:-nothing}" vm_contains "using the kernel loaded at " "$m1"
vm_check "boot 1: ... and did not warn that a load would replace the kernel loaded ahead" \
	"said: ${m1:-nothing}" vm_lacks 'already loaded' "$m1"
n=$(vm_count "$VM_MARKERS" 'systemd-shutdown.*kexec|Rebooting with kexec')
vm_check "boot 1: systemd performed the kexec (clean shutdown path)" \
	"no systemd-shutdown kexec message" test "$n" -ge 1
vm_expect "boot 2: runs $NEW again" 'boot=2 start ' "release=$NEW"
vm_check_cmdline 2 second "root=UUID=$UUID" ro quiet console=ttyS0,115200n8 ignore_loglevel
vm_check "boot 2: command line = boot 1's without BOOT_IMAGE=, plus the marker and the trial's panic=10 warmboot.trial=ID" "got: $VM_CMDLINE" \
	test "$(vm_without_trial "$(vm_without '^warmboot.test=' "$VM_CMDLINE")")" = "$(vm_without '^BOOT_IMAGE=' "$c1")" -a \
	"$(vm_words "$VM_CMDLINE" | grep -cE '^(panic=10|warmboot\.trial=[0-9a-f]{32})$')" = 2
vm_check_data 2 warm "warm reboot"
sum_warm=$VM_DATA_SUM
vm_uefi_check_fslog 2 "warm reboot" vda2

vm_expect "boot 2: grub-reboot exits 0" 'boot=2 grub-reboot rc=' rc=0
l=$(wbline 'boot=2 grubenv2-next ')
vm_check "boot 2: grubenv: next_entry=$NEXT" "$l" test "$(wbmsg "$l")" = "$NEXT"
check_list 2 json2 "$NEXT" "$TOP" "next_entry set by grub-reboot"
v=$(vm_json "$res/json2.json" '",".join(sorted(set(e.get("default_from") or "" for e in d if e.get("default"))))' 2>/dev/null || true)
vm_check "boot 2: list --json says the default comes from next_entry (default_from)" "got '$v'" test "$v" = next_entry
next_cmdline=$(menu_field "$NEXT" cmdline)
check_plan 2 default2 "plan --default --json (next_entry set)" "/boot/vmlinuz-$OLD" "$next_cmdline"

# ---- boot 3: cold, GRUB boots next_entry once ---------------------------------------------
c3=$(vm_cmdline_of 3)
printf '      boot 3 /proc/cmdline: %s\n' "$c3"
vm_expect "boot 3: runs $OLD (GRUB took next_entry)" 'boot=3 start ' "release=$OLD"
vm_check "boot 3: GRUB wrote BOOT_IMAGE=/boot/vmlinuz-$OLD first" "got: $c3" \
	test "$(vm_words "$c3" | head -n1)" = "BOOT_IMAGE=/boot/vmlinuz-$OLD"
vm_check "boot 3: the rest is next_entry's linux line" "entry: $next_cmdline" \
	test "$(vm_without '^BOOT_IMAGE=' "$c3")" = "$(vm_words_line "$next_cmdline")"
v=$(vm_json "$res/default2.json" 'd["kernel"] + " " + d["cmdline"]' 2>/dev/null || true)
vm_check "boot 2's plan --default is what the cold reboot booted (boot 3: kernel, command line)" \
	"plan: $v; boot 3: $c3" test "$(vm_without_trial "$v")" = "$(vm_without '^BOOT_IMAGE=' "$c3" | sed "s|^|/boot/vmlinuz-$(vm_release_of 3) |")"
vm_check_data 3 cold "cold reboot"
sum_cold=$VM_DATA_SUM
vm_uefi_check_fslog 3 "cold reboot" vda2
vm_expect "boot 3: grubenv: GRUB used next_entry up (empty again)" 'boot=3 grubenv3-next ' set=no
check_list 3 json3 "$TOP" "$NEXT" "next_entry used up; the running kernel $OLD's first entry"
check_plan 3 default3 "plan --default --json" "/boot/vmlinuz-$NEW" "$top_cmdline"

vm_expect "boot 3: grub-reboot (again) exits 0" 'boot=3 grub-reboot3 rc=' rc=0
l=$(wbline 'boot=3 grubenv3b-next ')
vm_check "boot 3: grubenv: next_entry=$NEXT again" "$l" test "$(wbmsg "$l")" = "$NEXT"
check_plan 3 default3b "plan --default --json (next_entry set again)" "/boot/vmlinuz-$OLD" "$next_cmdline"

# ---- boot 4: warm, --default with next_entry set ------------------------------------------
b3=$(vm_handover 3)
printf '      boot 3 warmboot reboot --default said: %s\n' "$(vm_said "$b3")"
vm_check_cmdline 4 default "root=UUID=$UUID" ro quiet console=ttyS0,115200n8 ignore_loglevel
vm_check "boot 4 (--default, next_entry) runs what the cold boot 3 ran for it: $(vm_release_of 3)" \
	"boot 4: $(vm_release_of 4)" test "$(vm_release_of 4)" = "$(vm_release_of 3)"
vm_check "boot 4 (--default): command line = the cold boot 3's without BOOT_IMAGE=, plus the marker and the trial's" \
	"boot 4: $VM_CMDLINE" test "$(vm_without_trial "$(vm_without '^warmboot.test=' "$VM_CMDLINE")")" = "$(vm_without '^BOOT_IMAGE=' "$c3")"
vm_check_data 4 default "warm reboot --default"
sum_default=$VM_DATA_SUM
vm_uefi_check_fslog 4 "warm reboot --default" vda2
vm_expect "boot 4: grubenv: warmboot used next_entry up, as GRUB does (empty)" 'boot=4 grubenv4-next ' set=no
check_list 4 json4 "$TOP" "$NEXT" "next_entry used up by --default; the running kernel $OLD's entry"

# ---- boot 5: cold, GRUB's saved default again ---------------------------------------------
c5=$(vm_cmdline_of 5)
printf '      boot 5 /proc/cmdline: %s\n' "$c5"
vm_check "boot 5 (cold after the warm --default) is boot 1 again: GRUB did not boot next_entry twice" \
	"boot 5: $c5" test "$(vm_words_line "$c5")" = "$(vm_words_line "$c1")"
vm_expect "boot 5: runs $NEW" 'boot=5 start ' "release=$NEW"
vm_check_data 5 back "cold reboot"
sum_back=$VM_DATA_SUM
vm_uefi_check_fslog 5 "cold reboot" vda2
vm_expect "boot 5: grubenv still has no next_entry" 'boot=5 grubenv5-next ' set=no
vm_check_done 5

# ---- the ESP and the root after QEMU ------------------------------------------------------
for b in 2 3 4 5; do vm_uefi_check_fat "$b"; done
vm_check_disk "$(vm_uefi_root "$disk")" 5 "warm=$sum_warm" "cold=$sum_cold" "default=$sum_default" \
	"back=$sum_back"
vm_uefi_esp "$disk" "$res/esp.img"
vm_uefi_check_fsck_fat "$res/esp.img"

# ---- timings (host clock; not judged) -----------------------------------------------------
vm_uefi_phase_table "$stamps" 22 "power-on: OVMF, GRUB" "warm: reboot" "cold: systemctl reboot" \
	"warm: reboot --default" "cold: systemctl reboot"
printf '      (shutdown: the reboot command to the reset or the jump; firmware: to OVMF starting the\n'
printf '      ESP loader; boot ldr: GRUB incl. its 5 s menu, or purgatory for kexec, to the kernel banner\n'
printf '      on the serial console; kernel: to /init; userspace: initramfs and systemd to the unit)\n\n'

vm_finish "$disk" "$res/OVMF_VARS_4M.fd"
