#!/bin/bash
# End-to-end test of warmboot's machine preparation (graphical target, GPU driver unload,
# device holders, rollback) in a debootstrapped Debian 12 guest with a virtio-gpu, under
# QEMU (TCG).
#
#   sudo tests/vm/gpu.sh            # WARMBOOT_BIN=... to test another binary
#
# The guest boots to graphical.target; fake-display.service (wanted by graphical.target
# only) keeps /dev/dri/card0 open like a display server; /etc/warmboot.conf.d/50-test.conf
# has [Modules] Unload=virtio_gpu. One QEMU run, three boots (see guest/gpu-test):
#   boot 1 (cold): plan --json; a stray process holding /dev/dri/card0 is refused (exit 3,
#          nothing changed); a module that cannot be removed (--unload zram, /dev/zram0 open)
#          makes warmboot roll back after isolating and unloading virtio_gpu; SIGTERM while
#          warmboot waits for a holder that ignores SIGTERM rolls back too; then
#          `warmboot reboot --kill` through systemd with 1 MiB written and not synced.
#   boot 2 (warm): virtio_gpu back, data intact, no ext4 recovery; `warmboot reboot --now`
#          from a terminal that the isolate closes.
#   boot 3 (warm): the same checks for the direct hand-over; power off.
# The host judges the serial log and the disk image, one line per check, then
# "N passed, M failed".
#
# Never runs warmboot on the host: it only runs inside the guest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"

TIMEOUT=${WARMBOOT_VM_TIMEOUT:-600}

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}" python3
vm_check_binary

res=$(vm_results_dir gpu)
ddir=$(vm_debian)
R=$(cat "$ddir/release")
tree=$ddir/rootfs

# ---- the disk ----------------------------------------------------------------------------
vm_say "building the Debian disk image (kernel $R, warmboot $WARMBOOT_BIN)"
payload=$res/payload
mkdir -p "$payload/etc/warmboot.conf.d" "$payload/etc/systemd/system/graphical.target.wants"
vm_payload_warmboot "$payload" "$tree"
vm_unit_payload "$payload" warmboot-gpu-test "$here/guest/gpu-test" simple
printf '[Modules]\nUnload=virtio_gpu\n' >"$payload/etc/warmboot.conf.d/50-test.conf"
# a display server: part of graphical.target only, so that isolating multi-user.target stops it
cat >"$payload/usr/local/lib/warmboot-vm/fake-display" <<'EOF'
#!/bin/sh
# waits for the driver (udev loads it), then keeps /dev/dri/card0 open
for _ in $(seq 300); do
	[ -e /dev/dri/card0 ] && break
	sleep 0.2
done
exec sleep infinity </dev/dri/card0
EOF
chmod 0755 "$payload/usr/local/lib/warmboot-vm/fake-display"
cat >"$payload/etc/systemd/system/fake-display.service" <<'EOF'
[Unit]
Description=Stands for a display server: keeps /dev/dri/card0 open

[Service]
ExecStart=/usr/local/lib/warmboot-vm/fake-display

[Install]
WantedBy=graphical.target
EOF
ln -sf ../fake-display.service "$payload/etc/systemd/system/graphical.target.wants/fake-display.service"
ln -sf /lib/systemd/system/graphical.target "$payload/etc/systemd/system/default.target"
disk=$res/disk.img
vm_debian_disk "$ddir" "$payload" "$disk"
rm -rf "$payload"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
append="console=ttyS0 root=/dev/vda rw panic=-1 BOOT_IMAGE=/boot/vmlinuz-$R initrd=/boot/initrd.img-$R"
vm_say "booting the Debian guest with a virtio-gpu (timeout ${TIMEOUT}s), serial log: $log"
vm_boot "$TIMEOUT" "$log" -no-reboot -vga none -device virtio-gpu-pci \
	-kernel "$tree/boot/vmlinuz-$R" -initrd "$tree/boot/initrd.img-$R" \
	-append "$append" -drive "file=$disk,format=raw,if=virtio"
qrc=$VM_QEMU_RC elapsed=$VM_QEMU_SECS

# ---- judge the log and the disk -----------------------------------------------------------
L=$res/serial.txt
vm_clean_log "$log" "$L"

f() { vm_field "$1" "$2" || true; }
contains() { grep -qF -- "$1" <<<"$2"; }
lacks_re() { ! grep -qiE -- "$1" <<<"$2"; }
clean_fslog() { [ -n "$1" ] && lacks_re 'recover|orphan' "$1"; }
no_watchdog() { [ -z "$1" ] && [ "$(vm_count "$L" 'WBTEST boot=3 start')" -eq 1 ]; }
clean_cmdline() { has_word root=/dev/vda "$1" && lacks_re '^(BOOT_IMAGE|initrd)=' "$1"; }
# state_ok LINE: the machine as it was before warmboot ran (kernel not loaded, driver
# loaded and held by the display unit, graphical target active)
state_ok() {
	[ "$(f "$1" kexec_loaded)" = 0 ] && [ "$(f "$1" virtio_gpu)" = yes ] &&
		[ "$(f "$1" virtio_dma_buf)" = yes ] && [ "$(f "$1" graphical)" = active ] &&
		[ "$(f "$1" fake_display)" = active ] && [ "$(f "$1" refcnt)" != 0 ]
}

vm_check "qemu exited by itself (no timeout)" "status $qrc" test "$qrc" -eq 0
n=$(vm_count "$L" 'Linux version [0-9]')
vm_check "three kernels booted (cold boot + 2 warm reboots)" "saw $n 'Linux version' banners" test "$n" -eq 3
n=$(vm_count "$L" 'Kernel panic')
vm_check "no kernel panic" "saw $n" test "$n" -eq 0
n=$(vm_count "$L" 'WBTEST( boot=[0-9]+)? FAIL')
vm_check "no FAIL marker from the guest" "$(grep -m3 -E 'WBTEST( boot=[0-9]+)? FAIL' "$L" | tr '\n' ' ')" test "$n" -eq 0
for b in 1 2 3; do
	n=$(vm_count "$L" "WBTEST boot=$b start")
	vm_check "boot $b seen exactly once" "seen $n times" test "$n" -eq 1
done
n=$(vm_count "$L" "WBTEST boot=4 start")
vm_check "no fourth boot" "seen $n times" test "$n" -eq 0

# ---- boot 1: the starting point and the plan
line=$(wbline 'boot=1 facts ')
printf '      boot 1: %s\n' "$line"
printf '      boot 1: %s\n' "$(wbline 'boot=1 lsmod ')"
vm_check "boot 1: virtio_gpu loaded by udev, graphical.target active, card0 held by fake-display" \
	"$line" state_ok "$line"

line=$(wbline 'boot=1 plan-json rc=')
wbdump json >"$res/plan.json"
printf '      plan --json rc=%s\n' "$(f "$line" rc)"
jq_py() { python3 -c "import json,sys; p=json.load(open(sys.argv[1])); print($1)" "$res/plan.json" 2>/dev/null; }
mods=$(jq_py '" ".join(p["modules"])' || true)
printf '      plan modules: %s; isolate: %s; stop_units: %s\n' "${mods:-?}" \
	"$(jq_py 'p["isolate"]' || echo '?')" "$(jq_py '" ".join(p["stop_units"])' || echo '?')"
printf '      plan holders: %s\n' "$(jq_py '"; ".join("%s %s %s %s" % (h["pid"], h["comm"], h["unit"], h["device"]) for h in p["holders"])' || echo '?')"
vm_check "boot 1: plan --json is valid JSON" "$(head -c 300 "$res/plan.json")" \
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$res/plan.json"
vm_check "boot 1: plan unloads virtio_gpu, then virtio_dma_buf (same family, left unused)" \
	"modules: $mods" test "$mods" = "virtio_gpu virtio_dma_buf"
vm_check "boot 1: plan isolates multi-user.target (graphical.target is active)" "" \
	test "$(jq_py 'p["isolate"]' || true)" = multi-user.target
vm_check "boot 1: plan lists fake-display.service holding /dev/dri/card0" "" \
	test "$(jq_py 'any(h["unit"] == "fake-display.service" and h["device"] == "/dev/dri/card0" for h in p["holders"])' || true)" = True
steps=$(jq_py '" | ".join(p["steps"])' || true)
printf '      plan steps: %s\n' "$steps"
vm_check "boot 1: plan steps: load, isolate, unload, hand over through systemd" "$steps" \
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["steps"]; assert len(s) >= 4 and s[0].startswith("load") and s[1].startswith("isolate multi-user.target") and s[-2] == "unload virtio_gpu, virtio_dma_buf" and "systemd" in s[-1]' "$res/plan.json"
vm_check "boot 1: plan --json exits 0" "rc=$(f "$line" rc); stderr: $(wbdump json-stderr | tr '\n' ' ')" \
	test "$(f "$line" rc)" = 0

# ---- boot 1 (c): a stray holder is refused before anything changes
hog=$(wbline 'boot=1 hog name=gpu-hog ')
hogpid=$(f "$hog" pid)
line=$(wbline 'boot=1 case=hog rc=')
msg=$(wbmsg "$line")
printf '      stray holder: pid %s; warmboot reboot rc=%s msg=%s\n' "$hogpid" "$(f "$line" rc)" "$msg"
vm_check "stray holder: warmboot reboot refuses with exit 3" "rc=$(f "$line" rc)" test "$(f "$line" rc)" = 3
vm_check "stray holder: the message names the pid and the process name" "msg=$msg" \
	contains "pid $hogpid (gpu-hog" "$msg"
line=$(wbline 'boot=1 case=hog-after ')
vm_check "stray holder: nothing changed (no kernel loaded, virtio_gpu loaded, still graphical)" \
	"$line" state_ok "$line"
line=$(wbline 'boot=1 case=hog-after hog_alive=')
vm_check "stray holder: the process was left alone" "$line" test "$(f "$line" hog_alive)" = yes

# ---- boot 1 (d): rmmod fails after the isolate: everything is rolled back
line=$(wbline 'boot=1 case=rollback-plan rc=')
vm_check "rollback: plan --unload zram accepts it (zram has no holders)" "$line" test "$(f "$line" rc)" = 0
line=$(wbline 'boot=1 case=rollback rc=')
err=$(wbdump rollback-stderr)
printf '      warmboot reboot --unload zram: rc=%s, stderr:\n' "$(f "$line" rc)"
while IFS= read -r l; do printf '        %s\n' "$l"; done <<<"$err"
vm_check "rollback: warmboot reboot exits 1" "rc=$(f "$line" rc)" test "$(f "$line" rc)" = 1
vm_check "rollback: the failure is the zram unload (it got past isolate and virtio_gpu)" "" \
	contains "cannot unload zram" "$err"
for want in "restored: loaded virtio_dma_buf again" "restored: loaded virtio_gpu again" \
	"restored: isolated graphical.target again" "restored: unloaded the new kernel" \
	"the machine runs as before"; do
	vm_check "rollback: reports '$want'" "" contains "$want" "$err"
done
line=$(wbline 'boot=1 case=rollback-after ')
printf '      after the rollback: %s\n' "$line"
vm_check "rollback: state restored (kernel unloaded, virtio_gpu+virtio_dma_buf loaded, graphical.target and fake-display active)" \
	"$line" state_ok "$line"

# ---- boot 1 (f): SIGTERM while warmboot waits for a holder that ignores SIGTERM
line=$(wbline 'boot=1 case=interrupt sent ')
printf '      %s\n' "$line"
vm_check "interrupt: warmboot had isolated and was waiting for the holder" "$line" \
	test "$(f "$line" graphical)" != active -a "$(f "$line" hog_alive)" = yes -a \
	"$(f "$line" warmboot_alive)" = yes
line=$(wbline 'boot=1 case=interrupt rc=')
err=$(wbdump interrupt-stderr)
printf '      warmboot reboot --kill, then SIGTERM: rc=%s, stderr:\n' "$(f "$line" rc)"
while IFS= read -r l; do printf '        %s\n' "$l"; done <<<"$err"
vm_check "interrupt: warmboot died of SIGTERM after putting the machine back (rc 143)" \
	"rc=$(f "$line" rc)" test "$(f "$line" rc)" = 143
vm_check "interrupt: says where it stopped" "" \
	contains "interrupted by SIGTERM before the processes holding the devices ended" "$err"
vm_check "interrupt: reports 'the machine runs as before'" "" contains "the machine runs as before" "$err"
vm_check "interrupt: no SIGKILL for the holder after the interruption" "$line" \
	test "$(f "$line" hog_alive)" = yes
line=$(wbline 'boot=1 case=interrupt-after ')
vm_check "interrupt: state restored (kernel unloaded, virtio_gpu loaded, graphical.target and fake-display active)" \
	"$line" state_ok "$line"

# ---- boot 1 (a, b, c --kill): the warm reboot through systemd
line=$(wbline 'boot=1 case=reboot rc=')
printf '      warmboot reboot --kill: %s\n' "$line"
printf '      %s\n' "$(wbline 'boot=1 case=reboot-units ')"
vm_check "reboot --kill: exits 0 (hand-over queued)" "$line" test "$(f "$line" rc)" = 0
vm_check "reboot --kill: the stray holder was ended" "$line" test "$(f "$line" hog_alive)" = no
retry=$(wbline 'boot=1 case=reboot-retry ')
if [ -n "$retry" ]; then
	printf '      --kill failed: without the stray holder, warmboot reboot again: %s\n' "$retry"
	line=$retry
fi
vm_check "reboot: virtio_gpu and virtio_dma_buf unloaded before the hand-over" "$line" \
	test "$(f "$line" virtio_gpu)" = no -a "$(f "$line" virtio_dma_buf)" = no
n=$(vm_count "$L" 'systemd-shutdown.*kexec|Rebooting with kexec')
vm_check "boot 1 -> 2 through systemd-shutdown, boot 2 -> 3 directly (one 'Rebooting with kexec')" \
	"saw $n" test "$n" -eq 1
# the systemd-shutdown line must come before the second kernel, not after
first2=$(grep -n -m1 'WBTEST boot=2 start' "$L" | cut -d: -f1 || true)
kx=$(grep -n -m1 -E 'systemd-shutdown.*kexec|Rebooting with kexec' "$L" | cut -d: -f1 || true)
vm_check "boot 1: systemd performed that kexec" "line ${kx:-none} vs boot 2 at ${first2:-none}" \
	test -n "$kx" -a -n "$first2" -a "${kx:-0}" -lt "${first2:-0}"

# ---- boots 2 and 3
for b in 2 3; do
	case $b in 2) want=second name=systemd how="systemd hand-over" ;; 3) want=third name=now how="--now hand-over" ;; esac
	line=$(wbline "boot=$b cmdline=")
	cl=${line#*cmdline=}
	printf '      boot %s /proc/cmdline: %s\n' "$b" "$cl"
	words=$(tr ' ' '\n' <<<"$cl")
	n=$(grep -c '^warmboot\.test=' <<<"$words" || true)
	vm_check "boot $b: warmboot.test=$want, once" "seen $n times" \
		test "$n" -eq 1 -a -n "$(grep -x "warmboot\.test=$want" <<<"$words" || true)"
	vm_check "boot $b: root=/dev/vda kept, no BOOT_IMAGE=/initrd=" "" \
		clean_cmdline "$words"
	lsm=$(wbline "boot=$b lsmod ")
	printf '      boot %s %s\n' "$b" "$lsm"
	line=$(wbline "boot=$b facts ")
	vm_check "boot $b: virtio_gpu loaded again by udev, graphical.target and fake-display active" \
		"$line" state_ok "$line"
	sum=$(f "$(wbline "boot=$((b - 1)) data name=$name ")" sha256)
	line=$(wbline "boot=$b data-check name=$name ")
	printf '      data written before the %s: %s; boot %s reads saved=%s now=%s\n' "$how" "${sum:-?}" \
		"$b" "$(f "$line" saved)" "$(f "$line" now)"
	vm_check "boot $b: the unsynced 1 MiB file survived the $how" "$line" \
		test -n "$sum" -a "$sum" = "$(f "$line" saved)" -a "$sum" = "$(f "$line" now)"
	fsl=$(wbdump "fslog boot=$b")
	while IFS= read -r l; do [ -z "$l" ] || printf '      boot %s dmesg: %s\n' "$b" "$l"; done <<<"$fsl"
	vm_check "boot $b: the root file system mounted (EXT4-fs (vda) line in dmesg)" "" \
		contains "EXT4-fs (vda): mounted filesystem" "$fsl"
	vm_check "boot $b: no journal recovery or orphan cleanup after the $how" \
		"$(grep -iE 'recover|orphan' <<<"$fsl" | tr '\n' ' ')" \
		clean_fslog "$fsl"
done
vm_check "boot 3: scenario finished" "" test "$(vm_count "$L" 'WBTEST boot=3 done')" -eq 1
line=$(wbline 'boot=2 hangup-check ')
vm_check "boot 2: the isolate closed warmboot's terminal and warmboot went on to its shutdown" \
	"${line:-no such line}" test "$(f "$line" terminal)" != active -a \
	"$(f "$line" warmboot_running)" = yes
line=$(wbline 'boot=2 FAIL watchdog')
vm_check "boot 2: warmboot reboot --now (run from that terminal) got to the hand-over" \
	"${line:-no boot 3}" no_watchdog "$line"

# after QEMU: read the disk without mounting it
count=$(debugfs -R 'cat /var/lib/warmboot-vm/boot-count' "$disk" 2>/dev/null | tr -d '[:space:]' || true)
vm_check "disk: boot counter is 3" "boot-count=$count" test "$count" = 3
fsck=$(e2fsck -fn "$disk" 2>&1) && frc=0 || frc=$?
vm_check "disk: e2fsck -fn finds the file system clean" "rc=$frc: $(tail -n 3 <<<"$fsck" | tr '\n' ' ')" \
	test "$frc" -eq 0

if [ "$VM_FAILED" -ne 0 ]; then
	vm_show_tail "$L" 80
fi
[ "${WARMBOOT_VM_KEEP:-0}" = 1 ] || rm -f "$disk"
vm_say "serial log: $log (${elapsed}s in QEMU)"
vm_summary
[ "$VM_FAILED" -eq 0 ]
