#!/bin/bash
# A fault for every step of a warm reboot, injected in a debootstrapped Debian 12 guest with
# systemd, a virtio-gpu and an i6300esb watchdog, under QEMU (TCG). One QEMU run, two boots
# (see guest/faults-test):
#
#   sudo tests/vm/faults.sh            # WARMBOOT_BIN=... to test another binary
#
# The guest boots to graphical.target with fake-display.service holding /dev/dri/card0 and
# Unload=virtio_gpu, so every `warmboot reboot` loads, isolates multi-user.target and
# unloads virtio_gpu + virtio_dma_buf. Each fault must end with one sentence from warmboot
# (besides the rollback's "restored: ..." report), the exit status of warmboot(8)'s EXIT
# STATUS, the guest still up and nothing changed: the loaded modules, the active units,
# graphical.target, /sys/kernel/kexec_loaded, /run/warmboot, /var/lib/warmboot and the
# watchdog's state the same before and after.
#   boot 1: 1 corrupt image, 2 truncated, 3 arm64 Image, 3b ELF of another machine,
#           4 missing initrd, 5 initrd with I/O errors (dm "error" target), 5b a FIFO,
#           6 initrd larger than the RAM, 7 command line too long, 10 isolate fails,
#           11 isolate times out, 12 holder ignoring SIGTERM, 13 the same with --kill,
#           14 module busy, 15 module file gone for the rollback, 16 blocking inhibitor,
#           16b kexec.target masked, 18 warmboot killed (SIGKILL) mid-way, then
#           17 /var/lib/warmboot full: a warning, the watchdog disarmed, the warm reboot goes on.
#   boot 2: 9 lockdown with an unsigned image, 8 kexec_load_disabled=1; power off.
# The host judges the serial log, one line per check, then "N passed, M failed".
#
# Never runs warmboot on the host: it only runs inside the guest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"

TIMEOUT=${WARMBOOT_VM_TIMEOUT:-900}
started=$SECONDS

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}" python3 sbsigntool
vm_check_binary

res=$(vm_results_dir faults)
ddir=$(vm_debian)
R=$(cat "$ddir/release")
tree=$ddir/rootfs

# ---- the disk ----------------------------------------------------------------------------
vm_say "building the Debian disk image (kernel $R, warmboot $WARMBOOT_BIN)"
payload=$res/payload
mkdir -p "$payload/etc/warmboot.conf.d" "$payload/etc/systemd/system/graphical.target.wants" \
	"$payload/root/faults"
chmod 0700 "$payload/root/faults"
vm_payload_warmboot "$payload" "$tree"
vm_unit_payload "$payload" warmboot-faults-test "$here/guest/faults-test" simple
printf '[Modules]\nUnload=virtio_gpu\n' >"$payload/etc/warmboot.conf.d/50-test.conf"
# fault 9: this kernel without its signature
cp "$tree/boot/vmlinuz-$R" "$payload/root/faults/vmlinuz-unsigned"
sbattach --remove "$payload/root/faults/vmlinuz-unsigned" >"$res/sbattach.log" 2>&1 ||
	vm_die "sbattach --remove failed: $(cat "$res/sbattach.log")"
chmod 0600 "$payload/root/faults/vmlinuz-unsigned"
vm_fake_display_payload "$payload"
disk=$res/disk.img
vm_debian_disk "$ddir" "$payload" "$disk"
rm -rf "$payload"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
append="console=ttyS0 root=/dev/vda rw panic=-1 watchdog.stop_on_reboot=0"
append+=" BOOT_IMAGE=/boot/vmlinuz-$R initrd=/boot/initrd.img-$R"
vm_say "booting the Debian guest with a virtio-gpu and a watchdog (timeout ${TIMEOUT}s), serial log: $log"
vm_boot "$TIMEOUT" "$log" -no-reboot -vga none -device virtio-gpu-pci -device i6300esb \
	-kernel "$tree/boot/vmlinuz-$R" -initrd "$tree/boot/initrd.img-$R" \
	-append "$append" -drive "file=$disk,format=raw,if=virtio"

# ---- judge the log ------------------------------------------------------------------------
f() { vm_field "$1" "$2" || true; }
# said TEXT: warmboot's own sentences in TEXT (its stderr), without warnings and without the
# rollback's report ("restored: ...", "could not ...", "the machine runs as before", ...)
said() {
	grep '^warmboot: ' <<<"$1" |
		grep -vE '^warmboot: (warning: |restored: |could not |the machine runs as before|the new kernel is still loaded|unloaded the new kernel|every process has been ended)' ||
		true
}
# fault B N CODE TEXT WHAT: fault N of boot B (WHAT) exited CODE with one sentence, which
# contains TEXT, and left the machine up and as it was
fault() {
	local b=$1 n=$2 code=$3 text=$4 what=$5 pat="boot=$1 fault=$2 " line err s k
	line=$(wbline "$pat")
	err=$(wbdump "boot=$b f$n-err")
	s=$(said "$err")
	k=$(grep -c . <<<"$s" || true)
	printf '      fault %s, %s: rc=%s same=%s up=%s\n' "$n" "$what" "$(f "$line" rc)" "$(f "$line" same)" "$(f "$line" up)"
	vm_indent "$err" "        stderr: "
	vm_indent "$(wbdump "boot=$b f$n-diff")" "        changed: "
	vm_expect "fault $n ($what): exit status $code" "$pat" "rc=$code"
	vm_check "fault $n: one sentence from warmboot" "$k sentences" test "$k" -eq 1
	vm_check "fault $n: it says '$text'" "${s:-nothing}" vm_contains "$text" "$s"
	if [ "$n" != 15 ]; then
		vm_expect "fault $n: nothing changed (modules, units, target, kexec_loaded, /run/warmboot, /var/lib/warmboot, watchdog)" \
			"$pat" same=yes
	fi
	# 15 leaves virtio_gpu out, so the display cannot come back until the file is back
	if [ "$n" != 15 ]; then
		vm_expect "fault $n: the guest is still up (graphical.target, display, virtio_gpu in use)" "$pat" up=yes
	fi
	# 5 and 6 fail at the load, the first change: nothing to roll back
	if [ "$code" = 1 ] && [ "$n" != 5 ] && [ "$n" != 6 ] && [ "$n" != 15 ]; then
		vm_check "fault $n: the rollback ends with 'the machine runs as before'" "" \
			vm_contains "warmboot: the machine runs as before" "$(tail -n1 <<<"$err")"
	fi
}

vm_check_qemu
vm_check_boots 2
printf '      boot 1: %s\n' "$(wbline 'boot=1 facts ')"
vm_expect "boot 1: up: graphical.target, fake-display holding card0, watchdog present" 'boot=1 facts ' \
	kexec_loaded=0 virtio_gpu=yes graphical=active fake_display=active watchdog=inactive
vm_expect "boot 1: warmboot plan --json exits 0 (the machine is ready for a warm reboot)" 'boot=1 plan-json rc=' rc=0
wbdump 'boot=1 plan-json' >"$res/plan.json"
vm_check "boot 1: the plan isolates multi-user.target and unloads virtio_gpu" "" \
	test "$(vm_json "$res/plan.json" 'd["isolate"] == "multi-user.target" and "virtio_gpu" in d["modules"]' 2>/dev/null || true)" = true

faults=/root/faults
fault 1 1 3 "$faults/vmlinuz-corrupt is not a kernel warmboot can load" "corrupt image (setup header overwritten)"
fault 1 2 3 "cannot boot $faults/vmlinuz-truncated" "truncated image (first 2 MiB)"
fault 1 3 3 "$faults/Image-arm64 is not a kernel warmboot can load: the file is an arm64 or RISC-V kernel Image" "arm64 Image"
fault 1 3b 3 "$faults/elf-aarch64 is not a kernel warmboot can load: the file is an ELF file built for another architecture" "ELF executable for AArch64"
fault 1 4 3 "cannot open the initrd $faults/initrd-missing.img: No such file or directory" "missing initrd"
printf '      %s\n' "$(wbline 'boot=1 eio-setup ')"
fault 1 5 1 "the kernel could not read /boot/vmlinuz-$R or its initrd (an I/O error)" "initrd on a disk giving I/O errors"
fault 1 5b 3 "the initrd $faults/initrd-fifo is not a regular file" "a FIFO in the initrd's place"
printf '      %s\n' "$(wbline 'boot=1 memory ')"
fault 1 6 1 "not enough memory to stage the new kernel and initrd" "initrd of 1.5 GiB, larger than the RAM"
fault 1 7 3 "shorten it with --remove or --cmdline" "command line of more than 3000 bytes"
fault 1 10 1 "isolating multi-user.target failed" "isolate job fails (a dependency fails)"
fault 1 11 1 "isolating multi-user.target failed: the job did not finish within 8 s" \
	"isolate job times out (a stop of 14 s, TimeoutSec=8)"
hog=$(f "$(wbline 'boot=1 hog ')" pid)
fault 1 12 3 "pid $hog (term-hog" "a stray holder that ignores SIGTERM, without --kill"
vm_expect "fault 12: the holder is left alone" 'boot=1 f12-after ' hog_alive=yes
fault 1 13 1 "cannot unload zram: it is still in use" "the same holder with --kill (then zram busy)"
vm_expect "fault 13: --kill ended the holder (SIGTERM ignored, SIGKILL after KillGraceSec=2), zram kept" \
	'boot=1 f13-after ' hog_alive=no zram=yes
vm_check "fault 13: the rollback does not bring the ended holder back (warmboot(8) ROLLBACK)" "" \
	test "$(f "$(wbline 'boot=1 f13-after ')" hog_alive)" = no
fault 1 14 1 "cannot unload zram: it is still in use" "a module that stays busy (a mount holds zram)"
fault 1 15 1 "cannot unload zram: it is still in use" "virtio_gpu's .ko gone before the rollback"
err15=$(wbdump 'boot=1 f15-err')
vm_check "fault 15: the rollback says virtio_gpu could not be loaded again" "" \
	vm_contains "warmboot: could not load virtio_gpu again" "$err15"
vm_check "fault 15: ... and does not say the machine runs as before" "" \
	vm_lacks 'the machine runs as before' "$err15"
vm_check "fault 15: ... but put back the rest (virtio_dma_buf, graphical.target)" "" \
	vm_contains "restored: isolated graphical.target again" "$err15"
vm_check "fault 15: ... the new kernel unloaded" "" vm_contains "restored: unloaded the new kernel" "$err15"
vm_check "fault 15: only virtio_gpu (and what it alone provides) is missing afterwards" \
	"$(wbdump 'boot=1 f15-diff' | tr '\n' ' ')" \
	vm_contains "< module virtio_gpu" "$(wbdump 'boot=1 f15-diff')"
vm_expect "fault 15: with the file back, modprobe brings virtio_gpu and the display back" 'boot=1 f15-after ' now=yes virtio_gpu=yes
vm_expect "fault 15: ... and the machine is as before the fault" 'boot=1 f15-back ' same=yes
fault 1 16 3 "shutdown is inhibited by" "a blocking inhibitor (systemd-inhibit --mode=block)"
fault 1 16b 1 "systemd refused to start kexec.target" "kexec.target masked: systemd refuses the hand-over"

# ---- 18: warmboot killed with SIGKILL mid-way; its journal, status, plan and restore
line=$(wbline 'boot=1 fault=18 ')
case $line in
*skipped*)
	vm_fail "fault 18 (SIGKILL, then warmboot restore)" "skipped in the guest: $line"
	;;
*)
	printf '      fault 18: %s\n' "$(wbline 'boot=1 f18-killed ')"
	vm_indent "$(wbdump 'boot=1 f18-journal')" "        journal: "
	st=$(wbdump 'boot=1 f18-status-stderr')
	vm_indent "$st" "        status: "
	vm_indent "$(wbdump 'boot=1 f18-plan' | grep interrupted)" "        plan: "
	out=$(wbdump 'boot=1 f18-out')
	vm_indent "$out" "        restore: "
	vm_indent "$(wbdump 'boot=1 f18-err')" "        restore stderr: "
	vm_indent "$(wbdump 'boot=1 f18-diff')" "        changed: "
	vm_expect "fault 18: killed (SIGKILL) while a StopUnits= unit stopped: graphical.target left, the kernel loaded, the journal kept" \
		'boot=1 f18-killed ' rc=137 graphical!=active kexec_loaded=1 journal=yes
	vm_check "fault 18: warmboot status warns of the killed run and names 'warmboot restore'" "$st" \
		vm_contains "'warmboot restore' puts it back" "$st"
	vm_check "fault 18: ... with what it changed (left graphical.target, stopped wb-slow-holder.service)" "$st" \
		_vm_same yes "$(vm_contains 'left graphical.target' "$st" && vm_contains 'wb-slow-holder.service' "$st" && echo yes)"
	vm_check "fault 18: status --json has \"interrupted\"" "" vm_contains '"interrupted": {' "$(wbdump 'boot=1 f18-status-json')"
	vm_expect "fault 18: warmboot plan exits 3" 'boot=1 f18-plan rc=' rc=3
	vm_check "fault 18: ... its check 'interrupted' fails" "" vm_contains "fail  interrupted" "$(wbdump 'boot=1 f18-plan')"
	vm_expect "fault 18: warmboot restore exits 0, removes the journal, and the machine is as before the killed run" \
		'boot=1 fault=18 ' rc=0 same=yes up=yes kexec_loaded=0 journal=no
	for want in "restored: started wb-slow-holder.service again" "restored: isolated graphical.target again" \
		"restored: unloaded the new kernel" "the machine runs as before"; do
		vm_check "fault 18: restore says '$want'" "" vm_contains "$want" "$out"
	done
	vm_expect "fault 18: a second restore has nothing to do (exit 0)" 'boot=1 f18-again rc=' rc=0
	vm_check "fault 18: ... and says nothing" "$(wbdump 'boot=1 f18-again')" test -z "$(wbdump 'boot=1 f18-again')"
	vm_expect "fault 18: plan passes again" 'boot=1 f18-plan-after rc=' rc=0
	;;
esac

# ---- 17: /var/lib/warmboot full
# (reported by boot 2: systemd stops boot 1's scenario as soon as the hand-over is queued)
line=$(wbline 'boot=2 fault=17 ')
err=$(wbdump 'boot=2 f17-err')
printf '      fault 17: %s\n' "$line"
vm_indent "$err" "        stderr: "
printf '      %s\n' "$(wbline 'boot=1 f17-full ')"
vm_expect "fault 17 (/var/lib/warmboot full): warmboot reboot exits 0, the warm reboot goes on" 'boot=2 fault=17 ' rc=0
vm_check "fault 17: one warning: no report, and the watchdog disarmed" "$err" \
	vm_contains "warmboot: warning: cannot write /var/lib/warmboot/last-reboot (No space left on device): going on without a report, and without the watchdog, which nothing would stop in the new boot" "$err"
vm_check "fault 17: nothing else on stderr" "$err" test "$(grep -c . <<<"$err" || true)" -eq 1
# arming leaves it counting on its close ("watchdog did not stop!" in dmesg); disarming stops it
vm_expect "fault 17: warmboot disarmed the watchdog it had armed (inactive when it returned)" 'boot=2 fault=17 ' watchdog=inactive
vm_check "fault 17: ... which it had armed (\"watchdog did not stop!\" when arming closed it)" "" \
	vm_contains "watchdog did not stop!" "$(vm_handover 1)"
vm_check_cmdline 2 second root=/dev/vda watchdog.stop_on_reboot=0
line=$(wbline 'boot=2 f17-status ')
vm_expect "fault 17: boot 2 has no reboot report to confirm" 'boot=2 f17-status ' report=no

# ---- boot 2: the one-way faults
printf '      boot 2: %s\n' "$(wbline 'boot=2 lockdown ')"
vm_check "boot 2: lockdown raised to integrity" "" vm_contains "[integrity]" "$(wbline 'boot=2 lockdown ')"
vm_expect "boot 2: under lockdown, plan of the signed kernel exits 0" 'boot=2 f9-signed-plan rc=' rc=0
fault 2 9 3 "the kernel will refuse $faults/vmlinuz-unsigned because it carries no signature" \
	"lockdown (integrity) and an unsigned image"
fault 2 8 3 "kexec is disabled until the next cold boot" "kexec_load_disabled=1"
vm_check_done 2

vm_say "faults.sh took $((SECONDS - started)) s"
vm_finish "$disk"
