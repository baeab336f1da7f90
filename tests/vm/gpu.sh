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
#          (systemd's forced kexec) from a terminal that the isolate closes.
#   boot 3 (warm): the same checks for the --now hand-over; power off.
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
vm_fake_display_payload "$payload"
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
# ---- judge the log and the disk -----------------------------------------------------------
f() { vm_field "$1" "$2" || true; }
no_watchdog() { [ -z "$1" ] && [ "$(vm_count "$VM_MARKERS" 'WBTEST boot=3 start')" -eq 1 ]; }
# the machine as it was before warmboot ran (kernel not loaded, driver loaded and held by the
# display unit, graphical target active), as a "facts" line has it
STATE_OK=('kexec_loaded=0' 'virtio_gpu=yes' 'virtio_dma_buf=yes' 'graphical=active' 'fake_display=active' 'refcnt!=0')

vm_check_qemu
vm_check_boots 3

# ---- boot 1: the starting point and the plan
printf '      boot 1: %s\n' "$(wbline 'boot=1 facts ')"
printf '      boot 1: %s\n' "$(wbline 'boot=1 lsmod ')"
vm_expect "boot 1: virtio_gpu loaded by udev, graphical.target active, card0 held by fake-display" \
	'boot=1 facts ' "${STATE_OK[@]}"

line=$(wbline 'boot=1 plan-json rc=')
wbdump 'boot=1 plan-json' >"$res/plan.json"
printf '      plan --json rc=%s\n' "$(f "$line" rc)"
pj() { vm_json "$res/plan.json" "$1" 2>/dev/null; }
mods=$(pj '" ".join(d["modules"])' || true)
printf '      plan modules: %s; isolate: %s; stop_units: %s\n' "${mods:-?}" \
	"$(pj 'd["isolate"]' || echo '?')" "$(pj '" ".join(d["stop_units"])' || echo '?')"
printf '      plan holders: %s\n' "$(pj '"; ".join("%s %s %s %s" % (h["pid"], h["comm"], h["unit"], h["device"]) for h in d["holders"])' || echo '?')"
vm_check_json "boot 1: plan --json is valid JSON" "$res/plan.json"
vm_check "boot 1: plan unloads virtio_gpu, then virtio_dma_buf (same family, left unused)" \
	"modules: $mods" test "$mods" = "virtio_gpu virtio_dma_buf"
vm_check "boot 1: plan isolates multi-user.target (graphical.target is active)" "" \
	test "$(pj 'd["isolate"]' || true)" = multi-user.target
vm_check "boot 1: plan lists fake-display.service holding /dev/dri/card0" "" \
	test "$(pj 'any(h["unit"] == "fake-display.service" and h["device"] == "/dev/dri/card0" for h in d["holders"])' || true)" = true
steps=$(pj '" | ".join(d["steps"])' || true)
printf '      plan steps: %s\n' "$steps"
vm_check "boot 1: plan steps: load, isolate, unload, the reboot report, hand over through systemd" "$steps" \
	test "$(pj 'len(d["steps"]) >= 5 and d["steps"][0].startswith("load") and d["steps"][1].startswith("isolate multi-user.target") and d["steps"][-3] == "unload virtio_gpu, virtio_dma_buf" and d["steps"][-2].startswith("write the reboot report") and "systemd" in d["steps"][-1]' || true)" = true
vm_check "boot 1: plan --json exits 0" "rc=$(f "$line" rc); stderr: $(wbdump 'boot=1 plan-json-stderr' | tr '\n' ' ')" \
	test "$(f "$line" rc)" = 0

# ---- boot 1 (c): a stray holder is refused before anything changes
hogpid=$(f "$(wbline 'boot=1 hog name=gpu-hog ')" pid)
line=$(wbline 'boot=1 case=hog rc=')
msg=$(wbmsg "$line")
printf '      stray holder: pid %s; warmboot reboot rc=%s msg=%s\n' "$hogpid" "$(f "$line" rc)" "$msg"
vm_expect "stray holder: warmboot reboot refuses with exit 3" 'boot=1 case=hog rc=' rc=3
vm_check "stray holder: the message names the pid and the process name" "msg=$msg" \
	vm_contains "pid $hogpid (gpu-hog" "$msg"
vm_expect "stray holder: nothing changed (no kernel loaded, virtio_gpu loaded, still graphical)" \
	'boot=1 case=hog-after kexec_loaded=' "${STATE_OK[@]}"
vm_expect "stray holder: the process was left alone" 'boot=1 case=hog-after hog_alive=' hog_alive=yes

# ---- boot 1 (d): rmmod fails after the isolate: everything is rolled back
vm_expect "rollback: plan --unload zram accepts it (zram has no holders)" 'boot=1 case=rollback-plan rc=' rc=0
line=$(wbline 'boot=1 case=rollback rc=')
err=$(wbdump 'boot=1 rollback-stderr')
printf '      warmboot reboot --unload zram: rc=%s, stderr:\n' "$(f "$line" rc)"
vm_indent "$err"
vm_expect "rollback: warmboot reboot exits 1" 'boot=1 case=rollback rc=' rc=1
vm_check "rollback: the failure is the zram unload (it got past isolate and virtio_gpu)" "" \
	vm_contains "cannot unload zram" "$err"
for want in "restored: loaded virtio_dma_buf again" "restored: loaded virtio_gpu again" \
	"restored: isolated graphical.target again" "restored: unloaded the new kernel" \
	"the machine runs as before"; do
	vm_check "rollback: reports '$want'" "" vm_contains "$want" "$err"
done
printf '      after the rollback: %s\n' "$(wbline 'boot=1 case=rollback-after ')"
vm_expect "rollback: state restored (kernel unloaded, virtio_gpu+virtio_dma_buf loaded, graphical.target and fake-display active)" \
	'boot=1 case=rollback-after ' "${STATE_OK[@]}"

# ---- boot 1 (f): SIGTERM while warmboot waits for a holder that ignores SIGTERM
printf '      %s\n' "$(wbline 'boot=1 case=interrupt sent ')"
vm_expect "interrupt: warmboot had isolated and was waiting for the holder" \
	'boot=1 case=interrupt sent ' graphical!=active hog_alive=yes warmboot_alive=yes
line=$(wbline 'boot=1 case=interrupt rc=')
err=$(wbdump 'boot=1 interrupt-stderr')
printf '      warmboot reboot --kill, then SIGTERM: rc=%s, stderr:\n' "$(f "$line" rc)"
vm_indent "$err"
vm_expect "interrupt: warmboot died of SIGTERM after putting the machine back (rc 143)" \
	'boot=1 case=interrupt rc=' rc=143
vm_check "interrupt: says where it stopped" "" \
	vm_contains "interrupted by SIGTERM before the processes holding the devices ended" "$err"
vm_check "interrupt: reports 'the machine runs as before'" "" vm_contains "the machine runs as before" "$err"
vm_expect "interrupt: no SIGKILL for the holder after the interruption" 'boot=1 case=interrupt rc=' hog_alive=yes
vm_expect "interrupt: state restored (kernel unloaded, virtio_gpu loaded, graphical.target and fake-display active)" \
	'boot=1 case=interrupt-after ' "${STATE_OK[@]}"

# ---- boot 1 (a, b, c --kill): the warm reboot through systemd
printf '      warmboot reboot --kill: %s\n' "$(wbline 'boot=1 case=reboot rc=')"
printf '      %s\n' "$(wbline 'boot=1 case=reboot-units ')"
vm_expect "reboot --kill: exits 0 (hand-over queued)" 'boot=1 case=reboot rc=' rc=0
vm_expect "reboot --kill: the stray holder was ended" 'boot=1 case=reboot rc=' hog_alive=no
pat='boot=1 case=reboot rc='
retry=$(wbline 'boot=1 case=reboot-retry ')
if [ -n "$retry" ]; then
	printf '      --kill failed: without the stray holder, warmboot reboot again: %s\n' "$retry"
	pat='boot=1 case=reboot-retry '
fi
vm_expect "reboot: virtio_gpu and virtio_dma_buf unloaded before the hand-over" "$pat" \
	virtio_gpu=no virtio_dma_buf=no
n=$(vm_count "$VM_MARKERS" 'systemd-shutdown.*kexec|Rebooting with kexec')
vm_check "boot 1 -> 2 through systemd-shutdown, boot 2 -> 3 too (--now: its forced kexec)" \
	"saw $n 'Rebooting with kexec'" test "$n" -eq 2
# the systemd-shutdown line must come before the second kernel, not after
first2=$(grep -n -m1 'WBTEST boot=2 start' "$VM_MARKERS" | cut -d: -f1 || true)
kx=$(grep -n -m1 -E 'systemd-shutdown.*kexec|Rebooting with kexec' "$VM_MARKERS" | cut -d: -f1 || true)
vm_check "boot 1: systemd performed that kexec" "line ${kx:-none} vs boot 2 at ${first2:-none}" \
	test -n "$kx" -a -n "$first2" -a "${kx:-0}" -lt "${first2:-0}"

# ---- boots 2 and 3
for b in 2 3; do
	case $b in 2) want=second name=systemd how="systemd hand-over" ;; 3) want=third name=now how="--now hand-over" ;; esac
	vm_check_cmdline "$b" "$want" root=/dev/vda
	printf '      boot %s %s\n' "$b" "$(wbline "boot=$b lsmod ")"
	vm_expect "boot $b: virtio_gpu loaded again by udev, graphical.target and fake-display active" \
		"boot=$b facts " "${STATE_OK[@]}"
	vm_check_data "$b" "$name" "$how"
	vm_check_fslog "$b" "$how"
done
now_sum=$VM_DATA_SUM
vm_check_done 3
line=$(wbline 'boot=2 hangup-check ')
vm_expect "boot 2: the isolate closed warmboot's terminal and warmboot went on (virtio_gpu unloaded)" \
	'boot=2 hangup-check ' terminal_alive=no virtio_gpu=no
line=$(wbline 'boot=2 FAIL watchdog')
vm_check "boot 2: warmboot reboot --now (run from that terminal) got to the hand-over" \
	"${line:-no boot 3}" no_watchdog "$line"

# after QEMU: read the disk without mounting it
vm_check_disk "$disk" 3 "now=$now_sum"

vm_finish "$disk"
