#!/bin/bash
# End-to-end test of warmboot on a Debian 12 guest that boots through real firmware and
# systemd-boot: OVMF (UEFI), a GPT disk with a 512 MiB EFI system partition (FAT32, /boot/efi)
# and an ext4 root, systemd-boot installed by the image's own `bootctl install`, and the two
# kernel packages of bookworm put on the ESP by Debian's own hooks (kernel-install: Boot
# Loader Specification entries loader/entries/MACHINE-ID-R.conf, MACHINE-ID/R/linux and
# initrd), loader.conf with a `default` line. Issue 8, "uefi-sdboot".
#
#   sudo tests/vm/uefi-sdboot.sh           # WARMBOOT_BIN=... to test another binary
#
# One QEMU run, seven boots (guest/uefi-sdboot-test); NEW and OLD are the two kernels:
# Boot 1, cold (loader.conf's default: NEW): bootctl list against warmboot list; plan with no
#   selection (no BOOT_IMAGE=: systemd-boot writes none); plan --entry with bootctl's id
#   (MACHINE-ID-R.conf); `warmboot reboot`.
# Boot 2, warm: `bootctl set-oneshot OLD`: list and plan --default follow it;
#   `warmboot reboot --default`.
# Boot 3, warm, OLD; LoaderEntryOneShot is gone; cold `systemctl reboot`.
# Boot 4, cold, back at the default (NEW, as boot 1); `bootctl set-default OLD`;
#   `warmboot reboot --default`.
# Boot 5, warm, OLD; `bootctl set-oneshot NEW`; cold `systemctl reboot`.
# Boot 6, cold: systemd-boot takes the one-shot (NEW), as boot 5's plan --default said;
#   cold `systemctl reboot`.
# Boot 7, cold: systemd-boot takes LoaderEntryDefault (OLD), as boot 6's plan --default
#   said, and boots what boot 5's warm `reboot --default` booted; power off.
# The host reads the entries from the image's ESP itself, judges the serial log and the disk
# (debugfs, e2fsck, fsck.fat), prints host-clock timings of each way into a boot (not
# judged), one line per check, then "N passed, M failed".
#
# Never runs warmboot on the host: it only runs inside the guest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"
# shellcheck source=SCRIPTDIR/../../tools/lib-uefi-sdboot.sh
. "$here/../../tools/lib-uefi-sdboot.sh"

TIMEOUT=${WARMBOOT_VM_TIMEOUT:-1500}
BOOTS=7

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}" "${VM_UEFI_PKGS[@]}"
vm_check_binary

res=$(vm_results_dir uefi-sdboot)
t=$SECONDS
udir=$(vm_uefi_sdboot)
vm_say "image ready in $((SECONDS - t))s: $udir"
tree=$udir/rootfs
OLD=$(head -n1 "$udir/releases")
NEW=$(tail -n1 "$udir/releases")
MID=$(cat "$udir/machine-id")
NEW_ENTRY=$MID-$NEW.conf
OLD_ENTRY=$MID-$OLD.conf

# ---- the entries as the host reads them from the image's ESP ------------------------------
# bls_entries DIR OUT: every DIR/*.conf as JSON {id: {title, version, linux, initrd, options}}
bls_entries() {
	python3 - "$1" "$2" <<'PY'
import glob, json, os, sys
out = {}
for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.conf"))):
    e = {"initrd": [], "options": []}
    for raw in open(p):
        w = raw.strip().split(None, 1)
        if not w or w[0].startswith("#"):
            continue
        k, v = w[0], (w[1] if len(w) > 1 else "")
        if k in ("initrd", "options"):
            e[k].append(v)
        else:
            e[k] = v
    e["options"] = " ".join(e["options"])
    out[os.path.basename(p)] = e
json.dump(out, open(sys.argv[2], "w"), indent=1)
PY
}
entries=$res/entries.json
bls_entries "$udir/esp/loader/entries" "$entries"
# entry_field ID KEY: KEY of the entry ID (JSON for lists)
entry_field() { vm_json "$entries" "d['''$1''']['$2']"; }

# ---- the disk -----------------------------------------------------------------------------
vm_say "building the disk (kernels $OLD and $NEW, warmboot $WARMBOOT_BIN)"
payload=$res/payload
mkdir -p "$payload/usr/local/lib/warmboot-vm"
vm_payload_warmboot "$payload" "$tree"
vm_unit_payload "$payload" warmboot-vm-test "$here/guest/uefi-sdboot-test"
printf "NEW_ENTRY='%s'\nOLD_ENTRY='%s'\n" "$NEW_ENTRY" "$OLD_ENTRY" >"$payload/usr/local/lib/warmboot-vm/uefi-sdboot.conf"
disk=$res/disk.raw
t=$SECONDS
vm_uefi_sdboot_disk "$udir" "$payload" "$disk"
rm -rf "$payload"
vm_uefi_vars "$res/OVMF_VARS_4M.fd"
vm_say "disk and firmware variables ready in $((SECONDS - t))s"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
stamps=$res/serial.stamped
vm_say "booting through OVMF (timeout ${TIMEOUT}s), serial log: $log"
vm_uefi_boot "$TIMEOUT" "$log" "$stamps" "$res/OVMF_VARS_4M.fd" "$disk"

# ---- judge --------------------------------------------------------------------------------
# LOADER: what a boot loader or warmboot adds to a command line
LOADER='^(initrd=|BOOT_IMAGE=|warmboot\.test=)'
# efivar B TAG NAME: "yes VALUE" or "no" for systemd-boot's variable NAME in boot B's TAG facts
efivar() {
	local l
	l=$(wbline "boot=$1 $2-$3 ")
	if [ "$(vm_field "$l" set || true)" = yes ]; then printf 'yes %s' "$(wbmsg "$l")"; else printf 'no'; fi
}
# release_of_entry ID: the version line of entry ID
release_of_entry() { entry_field "$1" version; }

# sd_cmp WB BCJSON BCTEXT DEFAULT RUNNING: warmboot's list --json (file WB) against bootctl's
# list: its entries (--json=short in BCJSON: one object a line in systemd 252) and its
# "(default)" mark (the text in BCTEXT: 252's JSON has none), and the entries on the ESP:
# prints "ids OK|detail", "fields OK|detail", "default OK|detail", "bootctl-default
# OK|detail", "running OK|detail"
sd_cmp() {
	python3 - "$1" "$2" "$3" "$entries" "$4" "$5" <<'PY'
import json, re, sys
wb = json.load(open(sys.argv[1]))
esp = json.load(open(sys.argv[4]))
want_def, want_run = sys.argv[5], sys.argv[6]
bc, marks, cur = [], {}, None
for raw in open(sys.argv[2]):
    if raw.strip():
        e = json.loads(raw)
        if e.get("id") in esp:
            bc.append(e["id"])
for raw in open(sys.argv[3]):
    m = re.match(r"\s*(title|id):\s*(.*)$", raw)
    if m and m.group(1) == "title":
        cur = "(default)" in m.group(2)
    elif m and cur is not None:
        marks[m.group(2).strip()] = cur
        cur = None
# warmboot names a BLS entry by its file name without ".conf"; bootctl and the loader's
# variables with it
ids = [e.get("id") for e in wb]
bcids = [i[:-5] if i.endswith(".conf") else i for i in bc]
print("ids", "OK" if ids == bcids and len(ids) == len(esp) else "warmboot: %s | bootctl: %s" % (ids, bcids))
bad = []
for e in wb:
    x = esp.get((e.get("id") or "") + ".conf")
    if not x:
        continue
    for k, v in (("kernel", "/boot/efi" + x["linux"]), ("initrds", ["/boot/efi" + i for i in x["initrd"]]),
                 ("cmdline", x["options"]), ("version", x.get("version")), ("uki", False),
                 ("source", "bls"), ("file", "/boot/efi/loader/entries/" + e["id"] + ".conf")):
        if e.get(k) != v:
            bad.append("%s: %s=%r, entry %r" % (e.get("id"), k, e.get(k), v))
print("fields", "OK" if not bad else "; ".join(bad[:3]))
d = [e.get("id") + ".conf" for e in wb if e.get("default")]
r = [e.get("id") + ".conf" for e in wb if e.get("running")]
print("default", "OK" if d == [want_def] else "warmboot's default: %s" % d)
bd = [i for i in marks if marks[i]]
print("bootctl-default", "OK" if bd == [want_def] else "bootctl's default: %s" % bd)
print("running", "OK" if r == [want_run] else "warmboot's running: %s" % r)
PY
}
# sub OUT KEY: the value of line "KEY ..." in sd_cmp's output OUT
sub() { sed -n "s/^$2 //p" <<<"$1"; }
# check_lists B DEFAULT RUNNING WHY: boot B's bootctl list and warmboot list --json agree,
# with the entries on the ESP; default only DEFAULT (an entry id with .conf), running only
# RUNNING (WHY says why)
check_lists() {
	local b=$1 def=$2 run=$3 why=$4 f out
	f=$res/json$b.json
	wbdump "boot=$b json$b" >"$f"
	wbdump "boot=$b bootctl-json$b" >"$res/bootctl-json$b.json"
	wbdump "boot=$b bootctl-list$b" >"$res/bootctl-list$b.txt"
	vm_show_stderr "$b" "json$b" 400
	vm_expect "boot $b: warmboot list --json exits 0" "boot=$b json$b rc=" rc=0
	vm_check "boot $b: list --json warns about nothing (entries as kernel-install wrote them)" \
		"$(wbdump "boot=$b json$b-stderr" | head -n 3 | tr '\n' ' ')" test -z "$(wbdump "boot=$b json$b-stderr")"
	vm_expect "boot $b: bootctl list exits 0" "boot=$b bootctl-list$b rc=" rc=0
	vm_expect "boot $b: bootctl list --json=short exits 0" "boot=$b bootctl-json$b rc=" rc=0
	if ! vm_json "$f" 'len(d)' >/dev/null 2>&1; then
		vm_fail "boot $b: list --json is valid JSON" "$(head -c 300 "$f")"
		return 0
	fi
	out=$(sd_cmp "$f" "$res/bootctl-json$b.json" "$res/bootctl-list$b.txt" "$def" "$run")
	vm_check "boot $b: list --json has the entries of bootctl list --json, in its order" \
		"$(sub "$out" ids)" test "$(sub "$out" ids)" = OK
	vm_check "boot $b: list --json: each entry's kernel, initrd, options, version as on the ESP" \
		"$(sub "$out" fields)" test "$(sub "$out" fields)" = OK
	vm_check "boot $b: bootctl list: default ${def%.conf} ($why)" \
		"$(sub "$out" bootctl-default)" test "$(sub "$out" bootctl-default)" = OK
	vm_check "boot $b: list --json: default only ${def%.conf} (as bootctl)" \
		"$(sub "$out" default)" test "$(sub "$out" default)" = OK
	vm_check "boot $b: list --json: running only ${run%.conf}" \
		"$(sub "$out" running)" test "$(sub "$out" running)" = OK
}
# check_plan B NAME WHAT ENTRY: boot B's plan JSON (report NAME) boots ENTRY's kernel, initrd
# and options
check_plan() {
	local b=$1 n=$2 what=$3 id=$4 f v want
	f=$res/$n.json
	wbdump "boot=$b $n" >"$f"
	vm_show_stderr "$b" "$n" 400
	vm_expect "boot $b: $what exits 0" "boot=$b $n rc=" rc=0
	if ! vm_json "$f" 'd["kernel"]' >/dev/null 2>&1; then
		vm_fail "boot $b: $what prints a JSON plan" "$(head -c 300 "$f")"
		return 0
	fi
	v=$(vm_json "$f" 'd["kernel"] + " " + " ".join(d["initrds"])')
	want="/boot/efi$(entry_field "$id" linux) $(vm_json "$entries" "' '.join('/boot/efi' + i for i in d['''$id''']['initrd'])")"
	vm_check "boot $b: $what: ${id%.conf}'s kernel and initrd on the ESP" "got $v, want $want" test "$v" = "$want"
	v=$(vm_json "$f" 'd["cmdline"]')
	vm_check "boot $b: $what: ${id%.conf}'s options" "got '$v'" test "$(vm_without_trial "$v")" = "$(vm_without_trial "$(entry_field "$id" options)")"
}
# check_running_plan B NAME ID [STALE]: boot B's plan --json with no selection (report NAME)
# names the running kernel, entry ID, without BOOT_IMAGE=: its files (after a cold boot,
# where LoaderEntrySelected names it) or, with STALE (a warm boot: the variable still names
# STALE, the entry of the last cold boot), any image of the running release; and the
# running command line
check_running_plan() {
	local b=$1 n=$2 id=$3 stale=${4:-} f v k r
	f=$res/$n.json
	wbdump "boot=$b $n" >"$f"
	vm_show_stderr "$b" "$n" 400
	vm_expect "boot $b: plan --json (no selection) exits 0" "boot=$b $n rc=" rc=0
	if ! vm_json "$f" 'd["kernel"]' >/dev/null 2>&1; then
		vm_fail "boot $b: plan --json prints a JSON plan" "$(head -c 300 "$f")"
		return 0
	fi
	printf '      boot %s plan (no selection): source %s, kernel %s\n' "$b" \
		"$(vm_json "$f" 'd.get("source")')" "$(vm_json "$f" 'd["kernel"]')"
	v=$(vm_json "$f" 'd["release"] + " " + d["image"]["release"]')
	vm_check "boot $b: plan (no selection): the running release $(vm_release_of "$b"), an image of it" \
		"got $v (running, image)" test "$v" = "$(vm_release_of "$b") $(vm_release_of "$b")"
	v=$(vm_json "$f" 'd["kernel"] + " " + " ".join(d["initrds"])')
	k="/boot/efi$(entry_field "$id" linux) /boot/efi$(vm_json "$entries" "d['''$id''']['initrd'][0]")"
	if [ -z "$stale" ]; then
		vm_check "boot $b: plan (no selection): LoaderEntrySelected's entry ${id%.conf}, its own files on the ESP (source loader-entry)" \
			"got $(vm_json "$f" 'd.get("source")') $v" test "$(vm_json "$f" 'd.get("source")') $v" = "loader-entry $k"
	else
		r=$(vm_release_of "$b")
		vm_check "boot $b: plan (no selection): not the stale LoaderEntrySelected ${stale%.conf}: ${id%.conf}'s files or /boot/vmlinuz-$r" \
			"got $v" test "$v" = "$k" -o "$v" = "/boot/vmlinuz-$r /boot/initrd.img-$r"
	fi
	v=$(vm_json "$f" 'd["cmdline"]')
	vm_check "boot $b: plan (no selection): the running command line without initrd=" "got '$v'" \
		test "$(vm_without_trial "$v")" = "$(vm_without_trial "$(vm_without '^initrd=' "$(vm_cmdline_of "$b")")")"
}
# check_vars B TAG WHAT NAME=VALUE|NAME=...: boot B's TAG facts: each variable NAME has VALUE
# (NAME= : not set)
check_vars() {
	local b=$1 tag=$2 what=$3 c n want got
	shift 3
	for c in "$@"; do
		n=${c%%=*} want=${c#*=}
		got=$(efivar "$b" "$tag" "$n")
		if [ -z "$want" ]; then
			vm_check "boot $b: $n not set ($what)" "got: $got" test "$got" = no
		else
			vm_check "boot $b: $n=$want ($what)" "got: $got" test "$got" = "yes $want"
		fi
	done
}
# check_same_boot B A WHAT: boots B and A ran the same kernel with the same command line
# (without what a boot loader or warmboot adds)
check_same_boot() {
	local b=$1 a=$2 what=$3
	vm_check "boot $b runs what boot $a ran ($what): $(vm_release_of "$a")" "boot $b: $(vm_release_of "$b")" \
		test "$(vm_release_of "$b")" = "$(vm_release_of "$a")"
	vm_check "boot $b: command line = boot $a's ($what; without initrd=, BOOT_IMAGE=, the marker)" \
		"boot $b: $(vm_cmdline_of "$b"); boot $a: $(vm_cmdline_of "$a")" \
		test "$(vm_without "$LOADER" "$(vm_cmdline_of "$b")")" = "$(vm_without "$LOADER" "$(vm_cmdline_of "$a")")"
}
# check_predicted B A: cold boot B booted what boot A's plan --default (defaultA) said
check_predicted() {
	local b=$1 a=$2 f v
	f=$res/default$a.json
	v=$(vm_json "$f" 'd["image"]["release"] + " " + d["cmdline"]' 2>/dev/null || true)
	vm_check "boot $b (cold, systemd-boot's choice) is what boot $a's plan --default said: kernel, command line" \
		"plan: $v; boot $b: $(vm_release_of "$b") $(vm_cmdline_of "$b")" \
		test "$(vm_without_trial "$v")" = "$(vm_release_of "$b") $(vm_without_trial "$(vm_without "$LOADER" "$(vm_cmdline_of "$b")")")"
}

vm_check_qemu
vm_uefi_check_boots "$BOOTS" 4
vm_uefi_check_banners "banners: NEW cold, NEW warm, OLD warm (one-shot), NEW cold, OLD warm (set-default), NEW cold (one-shot), OLD cold (set-default)" \
	"$NEW" "$NEW" "$OLD" "$NEW" "$OLD" "$NEW" "$OLD"

# ---- the image ----------------------------------------------------------------------------
printf '      entries on the ESP (kernel-install): %s\n' "$(vm_json "$entries" '" ".join(d)')"
printf '      loader.conf: %s\n' "$(grep -v '^#' "$udir/loader.conf" | tr '\n' ' ')"
vm_check "image: kernel-install wrote two entries, $NEW_ENTRY and $OLD_ENTRY" "$(vm_json "$entries" 'sorted(d)')" \
	test "$(vm_json "$entries" 'sorted(d)')" = "$(python3 -c 'import json, sys; print(json.dumps(sorted(sys.argv[1:])))' "$NEW_ENTRY" "$OLD_ENTRY")"
for id in "$NEW_ENTRY" "$OLD_ENTRY"; do
	r=$(release_of_entry "$id")
	vm_check "image: ${id%.conf}: linux /$MID/$r/linux, initrd /$MID/$r/initrd.img-$r" \
		"$(entry_field "$id" linux) $(entry_field "$id" initrd)" \
		test "$(entry_field "$id" linux) $(entry_field "$id" initrd)" = "/$MID/$r/linux [\"/$MID/$r/initrd.img-$r\"]"
	vm_check "image: ${id%.conf}: options from /etc/kernel/cmdline" "$(entry_field "$id" options)" \
		vm_contains "$(cat "$tree/etc/kernel/cmdline")" "$(entry_field "$id" options)"
done
vm_check "image: loader.conf has a default line" "" grep -q '^default ' "$udir/loader.conf"
MTOOLS_SKIP_CHECK=1 mdir -/ -b -i "$disk@@$((VM_SDBOOT_ESP_START * 512))" ::/ >"$res/esp-files.txt" 2>&1 || true
vm_check "image: the ESP has EFI/systemd/systemd-bootx64.efi and EFI/BOOT/BOOTX64.EFI (bootctl install)" \
	"$(grep -i efi "$res/esp-files.txt" | tr '\n' ' ')" \
	test "$(grep -ciE '^::/EFI/(systemd/systemd-bootx64\.efi|BOOT/BOOTX64\.EFI)$' "$res/esp-files.txt")" -eq 2
vm_check "image: no GRUB on the ESP or in the image" "" \
	test "$(grep -ciE 'grub' "$res/esp-files.txt")-$(find "$tree/boot" -maxdepth 1 -name grub | wc -l)" = 0-0

# ---- how each boot came: firmware and systemd-boot, or kexec ------------------------------
for b in 1 4 6 7; do vm_uefi_check_cold_sdboot "$b"; done
for b in 2 3 5; do vm_uefi_check_warm "$b"; done
for ((b = 1; b <= BOOTS; b++)); do
	l=$(wbline "boot=$b firmware ")
	printf '      boot %s: %s; LoaderInfo: %s\n' "$b" "${l#*boot="$b" }" "$(efivar "$b" "vars$b" LoaderInfo)"
	vm_uefi_check_efi "$b"
done
for b in 1 4 6 7; do
	# the kernel's EFI stub writes 0x21 when a loader starts the kernel as an EFI program
	vm_expect "boot $b: started through the kernel's EFI stub (type_of_loader 0x21)" "boot=$b firmware " loader=21
	v=$(efivar "$b" "vars$b" LoaderInfo)
	vm_check "boot $b: systemd-boot ran (its LoaderInfo variable)" "got: $v" test "${v#yes systemd-boot }" != "$v"
done
for b in 2 3 5; do
	vm_uefi_check_loader "$b" kexec
done

# ---- boot 1: cold, loader.conf's default --------------------------------------------------
c1=$(vm_cmdline_of 1)
printf '      boot 1 /proc/cmdline: %s\n' "$c1"
vm_expect "boot 1: runs $NEW" 'boot=1 start ' "release=$NEW"
vm_check "boot 1: no BOOT_IMAGE= (systemd-boot writes none)" "got: $c1" vm_lacks '^BOOT_IMAGE=' "$(vm_words "$c1")"
vm_check "boot 1: the command line is the default entry's options (without initrd=)" \
	"entry: $(entry_field "$NEW_ENTRY" options)" \
	test "$(vm_without '^initrd=' "$c1")" = "$(vm_words_line "$(entry_field "$NEW_ENTRY" options)")"
check_vars 1 vars1 "a cold boot of loader.conf's default" "LoaderEntrySelected=$NEW_ENTRY" \
	LoaderEntryDefault= LoaderEntryOneShot=
wbdump 'boot=1 list1' >"$res/list1.txt"
wbdump 'boot=1 bootctl-list1' >"$res/bootctl-list1.txt"
printf '      boot 1 warmboot list:\n'
sed 's/^/        /' "$res/list1.txt"
printf '      boot 1 bootctl list:\n'
sed 's/^/        /' "$res/bootctl-list1.txt"
vm_show_stderr 1 list1 400
vm_expect "boot 1: warmboot list exits 0" 'boot=1 list1 rc=' rc=0
check_lists 1 "$NEW_ENTRY" "$NEW_ENTRY" "loader.conf's default"
check_running_plan 1 plan1 "$NEW_ENTRY"
check_plan 1 default1 "plan --default --json" "$NEW_ENTRY"
check_plan 1 entry1 "plan --entry $OLD_ENTRY --json (bootctl's id)" "$OLD_ENTRY"

# ---- boot 2: warm; set-oneshot ------------------------------------------------------------
printf '      boot 1 warmboot reboot said: %s\n' "$(vm_said "$(vm_handover 1)")"
n=$(vm_count "$VM_MARKERS" 'systemd-shutdown.*kexec|Rebooting with kexec')
vm_check "systemd performed the kexecs (clean shutdown path)" "saw $n systemd kexec messages" test "$n" -ge 3
vm_expect "boot 2: runs $NEW again" 'boot=2 start ' "release=$NEW"
vm_check_cmdline 2 second "root=UUID=$VM_UEFI_ROOT_UUID" console=ttyS0,115200n8
vm_check "boot 2: command line = boot 1's without initrd=, plus the marker" "got: $VM_CMDLINE" \
	test "$(vm_without "$LOADER" "$VM_CMDLINE")" = "$(vm_without "$LOADER" "$c1")"
vm_check_data 2 warm "warm reboot"
sum_warm=$VM_DATA_SUM
vm_uefi_check_fslog 2 "warm reboot" vda2
vm_expect "boot 2: bootctl set-oneshot ${OLD_ENTRY%.conf} exits 0" 'boot=2 set-oneshot2 ' rc=0
check_vars 2 set2 "after set-oneshot" "LoaderEntryOneShot=$OLD_ENTRY"
check_lists 2 "$OLD_ENTRY" "$NEW_ENTRY" "the one-shot"
check_plan 2 default2 "plan --default --json (one-shot set)" "$OLD_ENTRY"

# ---- boot 3: warm, reboot --default took the one-shot -------------------------------------
printf '      boot 2 warmboot reboot --default said: %s\n' "$(vm_said "$(vm_handover 2)")"
vm_expect "boot 3: runs $OLD (the one-shot)" 'boot=3 start ' "release=$OLD"
vm_check_cmdline 3 oneshot "root=UUID=$VM_UEFI_ROOT_UUID" console=ttyS0,115200n8
vm_check "boot 3: command line = ${OLD_ENTRY%.conf}'s options plus the marker" "got: $VM_CMDLINE" \
	test "$(vm_without "$LOADER" "$VM_CMDLINE")" = "$(vm_words_line "$(entry_field "$OLD_ENTRY" options)")"
vm_check_data 3 oneshot "warm reboot --default (one-shot)"
sum_oneshot=$VM_DATA_SUM
vm_uefi_check_fslog 3 "warm reboot --default" vda2
check_vars 3 vars3 "warmboot used the one-shot up, as systemd-boot would" LoaderEntryOneShot=
printf '      boot 3 LoaderEntrySelected (set by the cold boot 1, before two kexecs): %s\n' "$(efivar 3 vars3 LoaderEntrySelected)"
check_lists 3 "$NEW_ENTRY" "$OLD_ENTRY" "loader.conf's default again"
check_running_plan 3 plan3 "$OLD_ENTRY" "$NEW_ENTRY"
check_plan 3 default3 "plan --default --json" "$NEW_ENTRY"

# ---- boot 4: cold, back at the default; set-default ---------------------------------------
vm_expect "boot 4: runs $NEW (the one-shot is not taken twice)" 'boot=4 start ' "release=$NEW"
check_same_boot 4 1 "the cold default"
check_predicted 4 3
vm_check_data 4 cold "cold reboot"
sum_cold=$VM_DATA_SUM
vm_uefi_check_fslog 4 "cold reboot" vda2
check_vars 4 vars4 "a cold boot of the default" "LoaderEntrySelected=$NEW_ENTRY" LoaderEntryOneShot= LoaderEntryDefault=
vm_expect "boot 4: bootctl set-default ${OLD_ENTRY%.conf} exits 0" 'boot=4 set-default4 ' rc=0
check_vars 4 set4 "after set-default" "LoaderEntryDefault=$OLD_ENTRY"
check_lists 4 "$OLD_ENTRY" "$NEW_ENTRY" "LoaderEntryDefault"
check_plan 4 default4 "plan --default --json (set-default)" "$OLD_ENTRY"

# ---- boot 5: warm, --default = LoaderEntryDefault; set-oneshot ----------------------------
printf '      boot 4 warmboot reboot --default said: %s\n' "$(vm_said "$(vm_handover 4)")"
vm_expect "boot 5: runs $OLD (LoaderEntryDefault)" 'boot=5 start ' "release=$OLD"
vm_check_cmdline 5 default "root=UUID=$VM_UEFI_ROOT_UUID" console=ttyS0,115200n8
vm_check_data 5 default "warm reboot --default (set-default)"
sum_default=$VM_DATA_SUM
vm_uefi_check_fslog 5 "warm reboot --default" vda2
check_vars 5 vars5 "set-default stays" "LoaderEntryDefault=$OLD_ENTRY" LoaderEntryOneShot=
check_running_plan 5 plan5 "$OLD_ENTRY" "$NEW_ENTRY"
vm_expect "boot 5: bootctl set-oneshot ${NEW_ENTRY%.conf} exits 0" 'boot=5 set-oneshot5 ' rc=0
check_vars 5 set5 "after set-oneshot" "LoaderEntryOneShot=$NEW_ENTRY"
check_lists 5 "$NEW_ENTRY" "$OLD_ENTRY" "the one-shot before LoaderEntryDefault"
check_plan 5 default5 "plan --default --json (one-shot and default set)" "$NEW_ENTRY"

# ---- boot 6: cold, systemd-boot takes the one-shot ----------------------------------------
vm_expect "boot 6: runs $NEW (systemd-boot took the one-shot)" 'boot=6 start ' "release=$NEW"
check_predicted 6 5
check_same_boot 6 1 "the same entry, cold"
vm_check_data 6 cold2 "cold reboot (one-shot)"
sum_cold2=$VM_DATA_SUM
vm_uefi_check_fslog 6 "cold reboot" vda2
check_vars 6 vars6 "systemd-boot used the one-shot up" "LoaderEntrySelected=$NEW_ENTRY" LoaderEntryOneShot= \
	"LoaderEntryDefault=$OLD_ENTRY"
check_lists 6 "$OLD_ENTRY" "$NEW_ENTRY" "LoaderEntryDefault"
check_plan 6 default6 "plan --default --json" "$OLD_ENTRY"

# ---- boot 7: cold, systemd-boot takes LoaderEntryDefault ----------------------------------
vm_expect "boot 7: runs $OLD (systemd-boot took LoaderEntryDefault)" 'boot=7 start ' "release=$OLD"
check_predicted 7 6
check_same_boot 7 5 "warm reboot --default in boot 4 and a cold boot of the same default"
vm_check_data 7 cold3 "cold reboot (set-default)"
sum_cold3=$VM_DATA_SUM
vm_uefi_check_fslog 7 "cold reboot" vda2
check_vars 7 vars7 "a cold boot of LoaderEntryDefault" "LoaderEntrySelected=$OLD_ENTRY" LoaderEntryOneShot= \
	"LoaderEntryDefault=$OLD_ENTRY"
check_lists 7 "$OLD_ENTRY" "$OLD_ENTRY" "LoaderEntryDefault"
vm_check_done 7

# ---- the ESP and the root after QEMU ------------------------------------------------------
for ((b = 2; b <= BOOTS; b++)); do vm_uefi_check_fat "$b"; done
vm_check_disk "$(vm_sdboot_root "$disk")" "$BOOTS" "warm=$sum_warm" "oneshot=$sum_oneshot" "cold=$sum_cold" \
	"default=$sum_default" "cold2=$sum_cold2" "cold3=$sum_cold3"
vm_sdboot_esp "$disk" "$res/esp.img"
vm_uefi_check_fsck_fat "$res/esp.img"

# ---- timings (host clock; not judged) -----------------------------------------------------
vm_uefi_phase_table "$stamps" 26 "power-on: OVMF, sd-boot" "warm: reboot" "warm: --default (one-shot)" \
	"cold: systemctl reboot" "warm: --default (default)" "cold: one-shot" "cold: LoaderEntryDefault"
printf '      (shutdown: the reboot command to the reset or the jump; firmware: to OVMF starting the\n'
printf '      ESP loader; boot ldr: systemd-boot (no menu: loader.conf sets no timeout), or purgatory\n'
printf '      for kexec, to the kernel banner on the serial console; kernel: to /init; userspace:\n'
printf '      initramfs and systemd to the unit)\n\n'

vm_finish "$disk" "$res/OVMF_VARS_4M.fd"
