#!/bin/bash
# End-to-end test of warmboot's trial (issue 10): a warm reboot whose new kernel panics or
# hangs comes back through the firmware into GRUB's default entry by itself, and every reboot
# leaves a report that the next boot completes. The uefi-grub image (OVMF, GRUB by
# grub-install and update-grub) with `-device i6300esb -action watchdog=reset` and no
# -no-reboot; the host lets the guest's panic=10 reset it (VM_UEFI_PANIC_RESETS=1).
#
#   sudo tests/vm/uefi-trial.sh           # WARMBOOT_BIN=... to test another binary
#
# One QEMU run, six boots (guest/uefi-trial-test), eight kernels:
# Boot 1, cold: plan --json (panic=10, the watchdog does not survive kexec: a "watchdog"
#   warning), status --json (no last reboot); `warmboot reboot --append
#   rdinit=/does-not-exist`: the new kernel panics ("VFS: Unable to mount root fs"), resets.
# Boot 2, cold (GRUB's default): status --json "fell-back" with the requested kernel, the
#   failed trial in the journal; [Trial] WatchdogSec=120; a good `warmboot reboot`.
# Boot 3, warm: "completed", panic=10, watchdog.stop_on_reboot=0 and warmboot.trial=ID on the
#   command line, the phases against the host's clock; plan: the watchdog survives now;
#   `warmboot reboot` (arms the watchdog before the hand-over).
# Boot 4, warm: "completed"; still up WatchdogSec + 30 s after the hand-over; `warmboot
#   reboot --append init=/usr/bin/sleep --append infinity`: the new kernel's init sleeps and
#   the watchdog resets the machine within WatchdogSec.
# Boot 5, cold: "fell-back"; kexec_load_disabled=1, `warmboot reboot --fallback-cold`.
# Boot 6, cold: the record says "cold"; power off.
# Afterwards the host reads the disk (debugfs, e2fsck -fn, fsck.fat -n). One line per check,
# then "N passed, M failed".
#
# Never runs warmboot on the host: it only runs inside the guest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"

TIMEOUT=${WARMBOOT_VM_TIMEOUT:-2400}
# as the guest's /etc/warmboot.conf sets it from boot 2 on (guest/uefi-trial-test)
WATCHDOG_SEC=120
PANIC_SEC=10

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}" "${VM_UEFI_PKGS[@]}"
vm_check_binary

res=$(vm_results_dir uefi-trial)
t=$SECONDS
udir=$(vm_uefi_grub)
vm_say "image ready in $((SECONDS - t))s: $udir"
NEW=$(tail -n1 "$udir/releases")

# ---- the disk -----------------------------------------------------------------------------
vm_say "building the disk (kernel $NEW, warmboot $WARMBOOT_BIN)"
payload=$res/payload
mkdir -p "$payload"
vm_payload_warmboot "$payload" "$udir/rootfs"
vm_unit_payload "$payload" warmboot-vm-test "$here/guest/uefi-trial-test" simple
disk=$res/disk.raw
t=$SECONDS
vm_uefi_grub_disk "$udir" "$payload" "$disk"
rm -rf "$payload"
vm_uefi_vars "$res/OVMF_VARS_4M.fd"
vm_say "disk and firmware variables ready in $((SECONDS - t))s"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
stamps=$res/serial.stamped
vm_say "booting through OVMF with an i6300esb (timeout ${TIMEOUT}s), serial log: $log"
# shellcheck disable=SC2034 # read by _vm_uefi_reader: the guest's panic=10 resets it
VM_UEFI_PANIC_RESETS=1
# A hung kernel that the watchdog does not reset would stay hung until the time-out: end
# this run's QEMU when the firmware has not started WatchdogSec + 90 s after boot 4's jump.
: >"$stamps"
(
	until grep -q 'WBTEST boot=4 handover' "$stamps" 2>/dev/null; do sleep 5; done
	until awk '/WBTEST boot=4 handover/ { h = 1 } h && /kexec_core: Starting new kernel/ { f = 1 } END { exit !f }' "$stamps"; do
		sleep 5
	done
	sleep $((WATCHDOG_SEC + 90))
	if ! awk '/WBTEST boot=4 handover/ { h = 1 } h && /BdsDxe: starting/ { f = 1 } END { exit !f }' "$stamps"; then
		pid=$(cat "$res/serial.pid" 2>/dev/null || true)
		case $pid in
		'' | *[!0-9]*) ;;
		*)
			if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = qemu-system-x86 ]; then
				vm_say "no reset $((WATCHDOG_SEC + 90)) s after the hung kernel's jump: ending QEMU"
				: >"$res/hang-not-reset"
				kill "$pid" 2>/dev/null || true
			fi
			;;
		esac
	fi
) &
hang_watch=$!
# Now and then this emulator hangs in the reset itself: after the kernel's last line
# ("reboot: machine restart") nothing comes, not even OVMF's first line, with QEMU busy on
# a CPU (seen once in five runs, after --fallback-cold's reboot). That is QEMU's and OVMF's,
# past anything the guest can do: the host then resets the machine through QMP, says so,
# and counts it in host-resets.
qmp=$res/qmp.sock
rm -f "$qmp" "$res/host-resets"
(
	while sleep 10; do
		last=$(tail -n 1 "$stamps" 2>/dev/null || true)
		case $last in
		*"reboot: machine restart"*) ;;
		*) continue ;;
		esac
		[ $(($(vm_us "$EPOCHREALTIME") - ${last%% *})) -gt 120000000 ] || continue
		vm_say "nothing from the guest 120 s after 'reboot: machine restart': resetting it through QMP"
		echo "${last%% *}" >>"$res/host-resets"
		python3 - "$qmp" <<'PY' || true
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
f = s.makefile("rw")
f.readline()
for cmd in ("qmp_capabilities", "system_reset"):
    f.write(json.dumps({"execute": cmd}) + "\n")
    f.flush()
    f.readline()
PY
	done
) &
reset_watch=$!
vm_uefi_boot "$TIMEOUT" "$log" "$stamps" "$res/OVMF_VARS_4M.fd" "$disk" -device i6300esb -action watchdog=reset \
	-qmp "unix:$qmp,server=on,wait=off"
kill "$hang_watch" "$reset_watch" 2>/dev/null || true
wait "$hang_watch" "$reset_watch" 2>/dev/null || true
if [ -s "$res/host-resets" ]; then
	printf '      the host reset the hung emulator %s time(s) after "reboot: machine restart" (QEMU/OVMF, not the guest)\n' \
		"$(wc -l <"$res/host-resets")"
fi

# ---- the host's view of each way into a boot ----------------------------------------------
# trial_way B OUT: the time-stamped serial lines from boot B's "handover" fact to boot B+1's
# "start" fact, as JSON in OUT: host seconds since the handover fact of the first jump
# (kexec_core: Starting new kernel), the last "watchdog did not stop!" before it (the
# watchdog left counting: armed), panic, "Rebooting in", "reboot: Restarting system",
# OVMF's "BdsDxe: starting", "Welcome to GRUB!", the next "start"; for every kernel its
# banner, "Command line:", "Run /init" and its start on the host's clock (the least arrival
# time less printk time of its lines up to "Run /init": the serial port shows a line at
# the earliest when it is printed); the last kernel line before the firmware; "ready": when
# boot B+1's warmboot-confirm.service started (its confirm-time fact maps the guest's
# monotonic clock onto the host's); the handover fact's host time in microseconds (t0_us)
trial_way() {
	python3 - "$stamps" "$1" "$2" <<'PY'
import json, re, sys
path, b, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ev, kernels, state, t0, last_kernel = {}, [], 0, None, None
stamp = re.compile(r"\[ *(\d+\.\d+)\] ")
for raw in open(path, errors="replace"):
    us, _, line = raw.rstrip("\n").partition(" ")
    if not us.isdigit():
        continue
    t = int(us)
    if state == 0:
        if "WBTEST boot=%d handover" % b in line:
            t0, state = t, 1
        continue
    s = (t - t0) / 1e6
    if state == 2:
        if "WBTEST boot=%d confirm-time " % (b + 1) in line:
            f = dict(w.split("=", 1) for w in line.split() if "=" in w)
            try:
                ev["ready"] = s - (float(f["uptime"]) - int(f["start_mono"]) / 1e6)
            except (KeyError, ValueError):
                pass
            break
        continue
    def first(key):
        ev.setdefault(key, s)
    if "WBTEST boot=%d start" % (b + 1) in line:
        first("start")
        state = 2
        continue
    if "watchdog did not stop!" in line and "jump" not in ev: ev["armed"] = s
    if "kexec_core: Starting new kernel" in line: first("jump")
    if "Kernel panic - not syncing" in line: first("panic"); ev.setdefault("panic_line", line)
    if "Rebooting in " in line: first("rebooting")
    if "reboot: Restarting system" in line: first("restart")
    if "BdsDxe: starting" in line: first("firmware")
    if "Welcome to GRUB!" in line: first("grub")
    if re.search(r"Linux version [0-9]", line):
        kernels.append({"banner": s, "start": None, "cmdline": None, "init": None})
    p = stamp.search(line)
    if kernels:
        k = kernels[-1]
        if k["cmdline"] is None and "] Command line: " in line:
            k["cmdline"] = line.split("] Command line: ", 1)[1]
        if p and k["init"] is None:
            est = s - float(p.group(1))
            if k["start"] is None or est < k["start"]:
                k["start"] = est
        if k["init"] is None and "Run /init as init process" in line:
            k["init"] = s
    if p and "firmware" not in ev:
        last_kernel = s
ev["kernels"] = kernels
ev["last_kernel_line"] = last_kernel
ev["t0_us"] = t0
json.dump(ev, open(out, "w"), indent=1)
PY
}
for b in 1 2 3 4 5; do trial_way "$b" "$res/way-$b.json"; done
# way B EXPR: a Python expression on way B's events (d), or nothing
way() { vm_json "$res/way-$1.json" "$2" 2>/dev/null || true; }
# way_line B: boot B's way in one line, for the log
way_line() {
	way "$1" '(" ".join("%s=%.1f" % (k, d[k]) for k in ("armed", "jump", "panic", "rebooting", "restart",
		"last_kernel_line", "firmware", "grub", "start") if d.get(k) is not None)
		+ " kernels=" + ",".join("%.1f" % k["banner"] for k in d["kernels"]))'
}
# le A B: A <= B, as numbers (false when either is empty)
le() { [ -n "$1" ] && [ -n "$2" ] && python3 -c 'import sys; sys.exit(not float(sys.argv[1]) <= float(sys.argv[2]))' "$1" "$2"; }

# ---- the guest's JSON outputs -------------------------------------------------------------
# js B NAME EXPR: a Python expression on boot B's report NAME (a JSON document), or nothing
js() {
	local doc=$res/$2-$1.json
	[ -f "$doc" ] || wbdump "boot=$1 $2" >"$doc"
	vm_json "$doc" "$3" 2>/dev/null || true
}
# check_json B NAME WHAT: boot B's report NAME exited 0 and is a JSON document
check_json() {
	vm_show_stderr "$1" "$2" 300
	vm_expect "boot $1: $3 exits 0" "boot=$1 $2 rc=" rc=0
	js "$1" "$2" 'None' >/dev/null
	vm_check_json "boot $1: $3 prints JSON" "$res/$2-$1.json"
}
# lr B EXPR: a Python expression on boot B's status --json "last_reboot" (as d)
lr() { js "$1" status-json "(lambda d: $2)(d.get('last_reboot'))"; }
# trial_id_of TEXT: the ID of the one warmboot.trial= in TEXT
trial_id_of() { vm_words "$1" | sed -n 's/^warmboot\.trial=//p' | tr '\n' ' ' | sed 's/ $//'; }

vm_check_qemu
vm_check "the host did not have to end QEMU (the hung kernel was reset within WatchdogSec + 90 s)" \
	"QEMU ended by the host $((WATCHDOG_SEC + 90)) s after the hung kernel's jump" test ! -e "$res/hang-not-reset"
printf '      kernel banners: %s\n' "$(vm_count "$VM_MARKERS" 'Linux version [0-9]')"
n=$(vm_count "$VM_MARKERS" 'Linux version [0-9]')
vm_check "eight kernels booted: six boots, the kernel that panicked and the one that hung" \
	"saw $n 'Linux version' banners" test "$n" -eq 8
n=$(vm_count "$VM_MARKERS" 'Kernel panic - not syncing')
vm_check "exactly one kernel panic (the rdinit=/does-not-exist kernel)" "saw $n" test "$n" -eq 1
n=$(vm_count "$VM_MARKERS" 'WBTEST (boot=[^ ]+ )?FAIL')
vm_check "no FAIL line from the guest" \
	"$(grep -m3 -E 'WBTEST (boot=[^ ]+ )?FAIL' "$VM_MARKERS" | tr '\n' ' ')" test "$n" -eq 0
for b in 1 2 3 4 5 6 7; do
	n=$(vm_count "$VM_MARKERS" "WBTEST boot=$b start")
	if [ "$b" -le 6 ]; then
		vm_check "boot $b seen exactly once" "seen $n times" test "$n" -eq 1
	else
		vm_check "no seventh boot" "seen $n times" test "$n" -eq 0
	fi
done
for b in 1 2 3 4 5; do printf '      way into boot %s (host s after the hand-over): %s\n' $((b + 1)) "$(way_line "$b")"; done
for b in 1 2 3 4 5 6; do
	printf '      boot %s: %s | %s\n' "$b" "$(wbline "boot=$b firmware ")" "$(wbline "boot=$b watchdog ")"
	vm_expect "boot $b: systemd is up: is-system-running says running, no failed unit" \
		"boot=$b system " state=running failed=none
	vm_expect "boot $b: i6300esb loaded by udev, /dev/watchdog0 is the \"i6300ESB_timer\"" \
		"boot=$b watchdog " driver=1 identity=i6300ESB_timer
	vm_expect "boot $b: warmboot-confirm.service ran and succeeded" "boot=$b confirm " \
		unit=loaded result=success status=0
done
for b in 1 2 5 6; do vm_uefi_check_loader "$b" grub; done
for b in 3 4; do vm_uefi_check_loader "$b" kexec; done
for b in 1 2 3 4 5 6; do
	check_json "$b" status-json "status --json"
	printf '      boot %s last_reboot: %s\n' "$b" "$(js "$b" status-json 'd.get("last_reboot")' | head -c 700)"
done

# the checks of the plan's trial (boot B's plan --json): panic_sec, the watchdog's fields
# SURVIVES and ARM, PANIC (0: the running line has panic= already), the confirmation unit
check_trial_plan() {
	local b=$1 survives=$2 arm=$3 panic=$4 v
	check_json "$b" plan-json "plan --json"
	printf '      boot %s plan trial: %s\n' "$b" "$(js "$b" plan-json 'd.get("trial")')"
	printf '      boot %s plan checks: %s\n' "$b" "$(js "$b" plan-json '" ".join(c["name"] + ":" + c["status"] for c in d["checks"])')"
	v=$(js "$b" plan-json 'd["trial"]["id"]')
	vm_check "boot $b: plan's trial has an id of 32 lower-case hex digits" "id '$v'" \
		grep -qxE '[0-9a-f]{32}' <<<"$v"
	v=$(js "$b" plan-json '"%s %s" % (d["trial"]["panic_sec"], d["trial"]["confirm_unit"])')
	vm_check "boot $b: plan's trial: panic_sec $panic, confirm_unit warmboot-confirm.service" "got '$v'" \
		test "$v" = "$panic warmboot-confirm.service"
	v=$(js "$b" plan-json '" ".join(str(d["trial"]["watchdog"][k]) for k in ("device", "identity", "systemd_drives"))')
	vm_check "boot $b: plan's watchdog: /dev/watchdog0, \"i6300ESB timer\", not driven by systemd" "got '$v'" \
		test "$v" = "/dev/watchdog0 i6300ESB timer False"
	v=$(js "$b" plan-json '"%s %s" % (d["trial"]["watchdog"]["survives_kexec"], d["trial"]["watchdog"]["arm_sec"])')
	vm_check "boot $b: plan's watchdog: survives_kexec $survives, arm_sec $arm" "got '$v'" test "$v" = "$survives $arm"
	v=$(js "$b" plan-json 'd["cmdline"]')
	vm_check "boot $b: plan's command line: panic=$PANIC_SEC, watchdog.stop_on_reboot=0 and warmboot.trial=ID once each" \
		"got '$v'" test "$(vm_words "$v" | grep -cxE "panic=$PANIC_SEC|watchdog\.stop_on_reboot=0|warmboot\.trial=$(js "$b" plan-json 'd["trial"]["id"]')")-$(vm_words "$v" | grep -cE '^(panic|watchdog\.stop_on_reboot|warmboot\.trial)=')" = 3-3
}
# check_record B OUTCOME KERNEL RELEASE HANDOVER ID WHY: boot B's status --json last_reboot
# has OUTCOME, KERNEL, RELEASE, HANDOVER and ID (WHY says where that ID comes from)
check_record() {
	local b=$1 outcome=$2 kernel=$3 release=$4 handover=$5 id=$6 why=$7 v
	v=$(lr "$b" '"%s %s %s %s" % (d["outcome"], d["kernel"], d["release"], d["handover"])')
	vm_check "boot $b: status's last reboot: $outcome, $kernel ($release), hand-over $handover" "got '$v'" \
		test "$v" = "$outcome $kernel $release $handover"
	v=$(lr "$b" 'd["id"]')
	vm_check "boot $b: status's last reboot has the id $why" "status '$v', expected '$id'" \
		_vm_same "$id" "$v"
	v=$(lr "$b" 'd["requested_at"]')
	vm_check "boot $b: status's last reboot: requested_at is ISO 8601 UTC" "got '$v'" \
		grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|\+00:00)$' <<<"$v"
}
# check_timeline B: boot B's (warm) status --json phases against the host's clock on the way
# into it (way B-1), each within a second: prepare + shutdown (the request to the new
# kernel's start) against the hand-over fact to the kernel's start on the host; kernel (to
# PID 1) against the kernel's start to "Run /init"; total (to warmboot confirm) against the
# hand-over fact to the start of boot B's warmboot-confirm.service
check_timeline() {
	local b=$1 w=$(($1 - 1)) ph host v p s k u tot hks hk hready
	ph=$(lr "$b" '" ".join("%.2f" % d["phases"][k] for k in ("prepare_s", "shutdown_s", "kernel_s", "userspace_s", "total_s"))')
	host=$(way "$w" '"%.2f %.2f %.2f" % (d["kernels"][-1]["start"], d["kernels"][-1]["init"] - d["kernels"][-1]["start"], d["ready"])')
	printf '      boot %s phases (guest): prepare shutdown kernel userspace total = %s\n' "$b" "${ph:-?}"
	printf '      boot %s host clock: kernel start %s s after the hand-over fact, kernel to /init, confirm\n' \
		"$b" "${host:-?}"
	vm_check "boot $b: status's phases are all there (prepare, shutdown, kernel, userspace, total)" \
		"$(lr "$b" 'd.get("phases")')" test "$(wc -w <<<"$ph")" -eq 5
	[ "$(wc -w <<<"$ph")" -eq 5 ] && [ "$(wc -w <<<"$host")" -eq 3 ] || return 0
	read -r p s k u tot <<<"$ph"
	read -r hks hk hready <<<"$host"
	v=$(python3 -c 'import sys; a = [float(x) for x in sys.argv[1:]]; print("%.2f" % (a[0] + a[1] + a[2] + a[3] - a[4]))' "$p" "$s" "$k" "$u" "$tot")
	vm_check "boot $b: the phases add up to the total (within 0.1 s)" "sum - total = $v" \
		python3 -c 'import sys; sys.exit(abs(float(sys.argv[1])) > 0.1)' "$v"
	v=$(python3 -c 'import sys; a = [float(x) for x in sys.argv[1:]]; print("%.2f" % (a[0] + a[1] - a[2]))' "$p" "$s" "$hks")
	vm_check "boot $b: prepare + shutdown = the host's hand-over fact to the new kernel's start, within a second" \
		"guest $p + $s, host $hks: off by $v s" python3 -c 'import sys; sys.exit(abs(float(sys.argv[1])) > 1)' "$v"
	v=$(python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) - float(sys.argv[2])))' "$k" "$hk")
	vm_check "boot $b: kernel = the host's kernel start to 'Run /init', within a second" \
		"guest $k, host $hk: off by $v s" python3 -c 'import sys; sys.exit(abs(float(sys.argv[1])) > 1)' "$v"
	v=$(python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) - float(sys.argv[2])))' "$tot" "$hready")
	vm_check "boot $b: total = the host's hand-over fact to warmboot-confirm.service, within a second" \
		"guest $tot, host $hready: off by $v s" python3 -c 'import sys; sys.exit(abs(float(sys.argv[1])) > 1)' "$v"
}
# check_cold_way B WHAT: the way into boot B+1 went through a reset, OVMF and GRUB (WHAT reset it)
check_cold_way() {
	vm_check "boot $(($1 + 1)) is cold: $2, then OVMF's boot manager and GRUB" "$(way_line "$1")" \
		test "$(way "$1" '"firmware" in d and "grub" in d and d["firmware"] < d["grub"] < d["start"]')" = true
}
# check_warm_way B: the way into boot B+1 was one kexec: a jump, one kernel, no reset, firmware or GRUB
check_warm_way() {
	vm_check "boot $(($1 + 1)) is warm: one jump and one kernel, no reset, no firmware, no GRUB" "$(way_line "$1")" \
		test "$(way "$1" '"%s %s" % ("jump" in d and not any(k in d for k in ("restart", "firmware", "grub", "panic")), len(d["kernels"]))')" = "True 1"
}

# ---- boot 1: cold, the watchdog does not survive; a kernel that panics --------------------
c1=$(vm_cmdline_of 1)
printf '      boot 1 /proc/cmdline: %s\n' "$c1"
vm_check "boot 1: GRUB's line has no panic= and no watchdog.stop_on_reboot=" "got: $c1" \
	vm_lacks '^(panic|watchdog\.stop_on_reboot)=' "$(vm_words "$c1")"
vm_expect "boot 1: the kernel's watchdog.stop_on_reboot is its default, -1 (the driver stops it on kexec)" \
	'boot=1 watchdog ' stop_on_reboot=-1
check_trial_plan 1 False 0 "$PANIC_SEC"
v=$(js 1 plan-json '[c["status"] + ": " + c["detail"] for c in d["checks"] if c["name"] == "watchdog"]')
printf '      boot 1 plan check watchdog: %s\n' "$v"
vm_check "boot 1: plan has one \"watchdog\" check, a warning" "$v" \
	test "$(js 1 plan-json '[c["status"] for c in d["checks"] if c["name"] == "watchdog"]')" = '["warn"]'
vm_check "boot 1: ... which names the fix, watchdog.stop_on_reboot=0 on the boot loader's line" "" \
	vm_contains "watchdog.stop_on_reboot=0" "$v"
vm_check "boot 1: status --json: no last reboot (null)" "got '$(lr 1 'd')'" test "$(lr 1 'd')" = null

# ---- into boot 2: the new kernel panicked, the firmware booted GRUB's default -------------
k=$(way 1 'd["kernels"][0]["cmdline"]')
printf '      the kernel after boot 1: %s\n      its panic: %s\n' "$k" "$(way 1 'd.get("panic_line")')"
vm_check "after boot 1: the kernel jumped to (kexec) is the only kernel before the firmware" "$(way_line 1)" \
	test "$(way 1 '"jump" in d and len(d["kernels"]) == 2 and d["kernels"][0]["banner"] < d["firmware"] < d["kernels"][1]["banner"]')" = true
vm_check "after boot 1: its line has rdinit=/does-not-exist, panic=$PANIC_SEC, watchdog.stop_on_reboot=0, one warmboot.trial=" \
	"got: $k" test "$(vm_words "$k" | grep -cxE "rdinit=/does-not-exist|panic=$PANIC_SEC|watchdog\.stop_on_reboot=0|warmboot\.trial=[0-9a-f]{32}")" -eq 4
panic_id=$(trial_id_of "$k")
vm_check "after boot 1: it panics (VFS: Unable to mount root fs) and says it reboots in $PANIC_SEC seconds" "$(way 1 'd.get("panic_line")')" \
	test "$(way 1 '"Unable to mount root fs" in d.get("panic_line", "") and d["panic"] <= d.get("rebooting", -1)')" = true
v=$(way 1 '"%.1f" % (d["firmware"] - d["panic"])')
vm_check "after boot 1: the firmware starts ${PANIC_SEC} to $((PANIC_SEC + 30)) s after the panic (panic=$PANIC_SEC, no help from the host)" \
	"${v:-?} s" le "$PANIC_SEC" "${v:-0}"
le "${v:-0}" $((PANIC_SEC + 30)) || vm_fail "after boot 1: ... and not later than $((PANIC_SEC + 30)) s" "${v:-?} s"
check_cold_way 1 "panic=$PANIC_SEC reset the machine"
vm_check "after boot 1: no 'reboot: Restarting system' (the panicking kernel reset the machine, not a shutdown)" "" \
	test "$(way 1 '"restart" in d')" = false

# ---- boot 2: cold, GRUB's default; the record says fell-back ------------------------------
c2=$(vm_cmdline_of 2)
printf '      boot 2 /proc/cmdline: %s\n' "$c2"
vm_check "boot 2: GRUB's default entry again (boot 1's command line, BOOT_IMAGE=/boot/vmlinuz-$NEW)" "got: $c2" \
	test "$(vm_words_line "$c2")" = "$(vm_words_line "$c1")"
vm_expect "boot 2: runs $NEW" 'boot=2 start ' "release=$NEW"
check_record 2 fell-back "/boot/vmlinuz-$NEW" "$NEW" systemd "$panic_id" "on the panicking kernel's line"
v=$(lr 2 'd["cmdline"]')
vm_check "boot 2: status's last reboot: the requested line, with rdinit=/does-not-exist and warmboot.trial=$panic_id" \
	"got '$v'" test "$(vm_words "$v" | grep -cxE "rdinit=/does-not-exist|warmboot\.trial=$panic_id")" -eq 2
vm_expect "boot 2: the record is root's alone: /var/lib/warmboot 0700, last-reboot a regular 0600 file" \
	'boot=2 record ' dir=700:root file=600:root:regular_file
printf '      boot 2 record: %s\n' "$(wbdump 'boot=2 record' | tr '\n' ' ')"
vm_check "boot 2: the record on the disk says outcome=fell-back" "" \
	grep -qxE "outcome='?fell-back'?" <<<"$(wbdump 'boot=2 record')"
vm_expect "boot 2: the failed trial is in the journal (MESSAGE_ID=8c2f2a0d...)" 'boot=2 failed-trial ' entries!=0
printf '      boot 2 journal: %s; warmboot'"'"'s MESSAGE_IDs: %s\n' "$(wbdump 'boot=2 failed-trial' | tr '\n' ' ')" \
	"$(wbmsg "$(wbline 'boot=2 journal-ids ')")"
vm_check "boot 2: ... naming the trial's id" "" vm_contains "$panic_id" "$(wbdump 'boot=2 failed-trial')"
vm_expect "boot 2: no failed trial in boot 1's journal" 'boot=1 failed-trial ' entries=0
check_trial_plan 2 False 0 "$PANIC_SEC"

# ---- boot 3: warm, the trial completed -----------------------------------------------------
check_warm_way 2
vm_expect "boot 3: runs $NEW" 'boot=3 start ' "release=$NEW"
c3=$(vm_cmdline_of 3)
printf '      boot 3 /proc/cmdline: %s\n' "$c3"
id3=$(trial_id_of "$c3")
vm_check "boot 3: the line has panic=$PANIC_SEC, watchdog.stop_on_reboot=0 and one warmboot.trial=ID, no BOOT_IMAGE=" "got: $c3" \
	test "$(vm_words "$c3" | grep -cxE "panic=$PANIC_SEC|watchdog\.stop_on_reboot=0|warmboot\.trial=[0-9a-f]{32}")-$(vm_words "$c3" | grep -cE '^(BOOT_IMAGE|initrd|panic|warmboot\.trial|watchdog\.stop_on_reboot)=')" = 3-3
vm_check "boot 3: otherwise boot 2's line (GRUB's) without BOOT_IMAGE=" "got: $c3" \
	test "$(vm_without '^(panic|watchdog\.stop_on_reboot|warmboot\.trial)=' "$c3")" = "$(vm_without '^BOOT_IMAGE=' "$c2")"
vm_expect "boot 3: the kernel's watchdog.stop_on_reboot is 0" 'boot=3 watchdog ' stop_on_reboot=0
check_record 3 completed "/boot/vmlinuz-$NEW" "$NEW" systemd "$id3" "on boot 3's line"
check_timeline 3
printf '      boot 3 last_reboot watchdog: %s, after: %s\n' "$(lr 3 'd["watchdog"]')" "$(lr 3 'd["watchdog_after"]')"
check_trial_plan 3 True "$WATCHDOG_SEC" 0
vm_check "boot 3: plan has no watchdog warning now" "" \
	test "$(js 3 plan-json '[c["status"] for c in d["checks"] if c["name"] == "watchdog" and c["status"] != "pass"]')" = '[]'
vm_check "boot 3: plan's trial id is a new one" "" test "$(js 3 plan-json 'd["trial"]["id"]')" != "$id3"

# ---- boot 4: warm after an armed hand-over; still up past WatchdogSec ----------------------
check_warm_way 3
vm_expect "boot 4: runs $NEW" 'boot=4 start ' "release=$NEW"
c4=$(vm_cmdline_of 4)
id4=$(trial_id_of "$c4")
printf '      boot 4 /proc/cmdline: %s\n' "$c4"
vm_check "boot 4: the line has panic=$PANIC_SEC and watchdog.stop_on_reboot=0 once, a new warmboot.trial=ID" "got: $c4" \
	test "$(vm_words "$c4" | grep -cE '^(panic|watchdog\.stop_on_reboot|warmboot\.trial)=')-$(vm_words "$c4" | grep -cxE "panic=$PANIC_SEC|watchdog\.stop_on_reboot=0")-$([ -n "$id4" ] && [ "$id4" != "$id3" ] && echo new)" = 3-2-new
check_record 4 completed "/boot/vmlinuz-$NEW" "$NEW" systemd "$id4" "on boot 4's line"
check_timeline 4
v=$(lr 4 '"%s | %s" % (d["watchdog"], d["watchdog_after"])')
vm_check "boot 4: status's last reboot: the watchdog was armed for $WATCHDOG_SEC s, then stopped or left to systemd" \
	"got '$v'" grep -qE "^armed /dev/watchdog0 $WATCHDOG_SEC \| (stopped|systemd)$" <<<"$v"
printf '      boot 4: %s | %s\n' "$(wbline 'boot=4 watchdog-later ')" "$(wbline 'boot=4 alive ')"
vm_expect "boot 4: up $((WATCHDOG_SEC + 30)) s after boot 3's armed hand-over (guest clock)" 'boot=4 alive ' \
	"since_handover!=0"
v=$(vm_field "$(wbline 'boot=4 alive ')" since_handover || true)
vm_check "boot 4: ... since_handover >= $((WATCHDOG_SEC + 30))" "got ${v:-?}" le $((WATCHDOG_SEC + 30)) "${v:-0}"
v=$(python3 - "$stamps" <<'PY'
import sys
h = a = None
for raw in open(sys.argv[1], errors="replace"):
    us, _, line = raw.partition(" ")
    if "WBTEST boot=3 handover" in line and h is None: h = int(us)
    if "WBTEST boot=4 alive" in line and a is None: a = int(us)
print("%.1f" % ((a - h) / 1e6) if h and a else "")
PY
)
vm_check "boot 4: ... and on the host's clock: boot 3's hand-over to boot 4's alive fact >= $((WATCHDOG_SEC + 30)) s" \
	"got ${v:-?} s" le $((WATCHDOG_SEC + 30)) "${v:-0}"
vm_expect "boot 4: the watchdog is not running any more (stopped or handed to systemd)" 'boot=4 watchdog-later ' state!=active
check_trial_plan 4 True "$WATCHDOG_SEC" 0

# ---- into boot 5: the new kernel hung; the watchdog reset the machine -----------------------
k=$(way 4 'd["kernels"][0]["cmdline"]')
printf '      the kernel after boot 4: %s\n' "$k"
vm_check "after boot 4: one kernel jumped to (kexec), then the firmware" "$(way_line 4)" \
	test "$(way 4 '"jump" in d and len(d["kernels"]) == 2 and d["kernels"][0]["banner"] < d["firmware"] < d["kernels"][1]["banner"]')" = true
vm_check "after boot 4: its line has init=/usr/bin/sleep, infinity, panic=$PANIC_SEC, a warmboot.trial=" "got: $k" \
	test "$(vm_words "$k" | grep -cxE "init=/usr/bin/sleep|infinity|panic=$PANIC_SEC|warmboot\.trial=[0-9a-f]{32}")" -eq 4
hang_id=$(trial_id_of "$k")
vm_check "after boot 4: it ran its initramfs (Run /init) and did not panic" "$(way_line 4)" \
	test "$(way 4 'd["kernels"][0]["init"] is not None and "panic" not in d')" = true
vm_check "after boot 4: no 'reboot: Restarting system': the watchdog reset the machine, not the kernel" "" \
	test "$(way 4 '"restart" in d')" = false
vm_check "after boot 4: the old kernel left the watchdog counting before the jump (\"watchdog did not stop!\")" \
	"$(way_line 4)" test "$(way 4 'd.get("armed", 1e9) < d["jump"]')" = true
v=$(way 4 '"%.1f" % (d["firmware"] - d["armed"])')
printf '      after boot 4: armed to firmware %s s, jump to firmware %s s\n' "${v:-?}" "$(way 4 '"%.1f" % (d["firmware"] - d["jump"])')"
# OVMF prints its first line 3 to 20 s after a reset here
vm_check "after boot 4: the firmware starts WatchdogSec ($WATCHDOG_SEC s) after the arming, not sooner, at most 30 s later" \
	"${v:-?} s" le "$WATCHDOG_SEC" "${v:-0}"
le "${v:-9999}" $((WATCHDOG_SEC + 30)) || vm_fail "after boot 4: ... at most $((WATCHDOG_SEC + 30)) s after the arming" "${v:-?} s"
vm_check "after boot 4: ... not before the hung kernel's init ran" "$(way_line 4)" \
	test "$(way 4 'd["kernels"][0]["init"] < d["firmware"]')" = true
check_cold_way 4 "the watchdog reset the machine"

# ---- boot 5: cold, fell back; then --fallback-cold with kexec_load_disabled=1 --------------
c5=$(vm_cmdline_of 5)
vm_check "boot 5: GRUB's default entry again (boot 1's command line)" "got: $c5" \
	test "$(vm_words_line "$c5")" = "$(vm_words_line "$c1")"
check_record 5 fell-back "/boot/vmlinuz-$NEW" "$NEW" systemd "$hang_id" "on the hung kernel's line"
v=$(lr 5 'd["cmdline"]')
vm_check "boot 5: status's last reboot: the requested line, with init=/usr/bin/sleep" "got '$v'" \
	has_word init=/usr/bin/sleep "$(vm_words "$v")"
vm_expect "boot 5: the failed trial is in the journal" 'boot=5 failed-trial ' entries!=0
vm_expect "boot 5: kexec_load_disabled is 1" 'boot=5 kexec_load_disabled ' value=1

# ---- boot 6: cold, reported as such --------------------------------------------------------
said5=$(wbdump 'boot=6 reboot5-said')
printf '      boot 5 warmboot reboot --fallback-cold said: %s\n' "$(tr '\n' ' ' <<<"$said5")"
vm_check "boot 5: warmboot reboot --fallback-cold says why (kexec_load_disabled)" "" \
	vm_contains kexec_load_disabled "$said5"
vm_check "boot 6 is cold: the old kernel reset the machine (reboot: Restarting system), no kexec" "$(way_line 5)" \
	test "$(way 5 '"restart" in d and "jump" not in d')" = true
check_cold_way 5 "a firmware reboot through systemd"
v=$(lr 6 '"%s %s" % (d["handover"], d["outcome"])')
vm_check "boot 6: status's last reboot: hand-over cold, outcome cold" "got '$v'" test "$v" = "cold cold"
printf '      boot 6 record: %s\n' "$(wbdump 'boot=6 record' | tr '\n' ' ')"
v=$(lr 6 'd["fallback_reason"]')
vm_check "boot 6: status's last reboot names the reason for the cold reboot (fallback_reason: kexec_load_disabled)" \
	"got '$v'" vm_contains kexec_load_disabled "$v"
vm_check_done 6

# ---- the disk after QEMU -------------------------------------------------------------------
vm_check_disk "$(vm_uefi_root "$disk")" 6
vm_uefi_esp "$disk" "$res/esp.img"
vm_uefi_check_fsck_fat "$res/esp.img"

vm_finish "$disk" "$res/OVMF_VARS_4M.fd"
