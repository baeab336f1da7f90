#!/bin/bash
# A database under load across warm reboots, short: the Debian 12 systemd guest with Debian's
# PostgreSQL 15 (tools/lib-vm-pg.sh), a client on the host committing one row per transaction
# through a QEMU port forward (bench/soak.py), and three warm reboots while it writes:
# `warmboot reboot` (systemd's kexec.target), `warmboot reboot --now` (systemd's forced kexec:
# PostgreSQL gets SIGTERM), `warmboot reboot` again. The long run is bench/soak.sh.
#
#   sudo tests/vm/soak.sh            # WARMBOOT_BIN=... to test another binary
#
# After every boot: every commit the client saw acknowledged is in the table, pg_amcheck
# finds the database sound, ext4 reports no errors and, after a graceful hand-over, no
# journal recovery or orphan cleanup; at the end e2fsck -fn finds the disk clean.
#
# Never runs warmboot on the host: it only runs inside the guest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"
# shellcheck source=SCRIPTDIR/../../tools/lib-vm-pg.sh
. "$here/../../tools/lib-vm-pg.sh"

REBOOTS=3
started=$SECONDS

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}" python3 python3-psycopg2
vm_check_binary

res=$(vm_results_dir soak)
vm_soak "$res" "$REBOOTS" 3
sj=$res/soak.json
s() { vm_json "$sj" "$1" 2>/dev/null || true; }

vm_check_qemu
vm_check_boots $((REBOOTS + 1))
vm_check_json "soak.json is valid JSON" "$sj"
vm_check "the client wrote through the port forward (acknowledged commits: $(s 'd["acknowledged"]'))" \
	"$(tail -n 3 "$res/client.log" | tr '\n' ' ')" test "$(s 'd["acknowledged"] > 0')" = true
vm_check "the server ran with synchronous_commit on" "$(s 'd["synchronous_commit"]')" \
	test "$(s 'd["synchronous_commit"]')" = '["on"]'
vm_check "the host checked all $REBOOTS warm reboots" "$(s 'd["problems"]')" \
	test "$(s 'd["reboots"]')" = "$REBOOTS"
for ((r = 1; r <= REBOOTS; r++)); do
	p() { s "[x for x in d[\"per_reboot\"] if x[\"reboot\"] == $r][0]$1"; }
	kind=$(p '["kind"]')
	want=systemd
	[ $((r % 2)) = 1 ] || want=now
	printf '      reboot %s (%s): %s s, writes stopped %s s, %s acknowledged before, PostgreSQL asked to stop: %s, then: %s\n' \
		"$r" "$kind" "$(p '["reboot_secs"]')" "$(p '["write_outage_secs"]')" "$(p '["acknowledged_before"]')" \
		"$(p '["pg_shutdown"]')" "$(p '["pg_start"]')"
	vm_check "reboot $r: the hand-over was $want" "kind=$kind" test "$kind" = "$want"
	vm_check "reboot $r: every acknowledged commit is in the table" "lost=$(p '["lost"]')" \
		test "$(p '["lost"]')" = 0
	vm_check "reboot $r: pg_amcheck finds the database sound" \
		"$(s "[x for x in d[\"boots\"] if x[\"boot\"] == $((r + 1))]" 2>/dev/null | head -c 300)" \
		test "$(p '["amcheck_rc"]')" = 0
	vm_check "reboot $r: ext4 counted no errors" "errors_count=$(p '["ext4_errors"]')" \
		test "$(p '["ext4_errors"]')" = 0
	if [ "$want" = systemd ]; then
		vm_check "reboot $r: no ext4 journal recovery or orphan cleanup after the systemd hand-over" \
			"$(p '["ext4_recovery"]')" test "$(p '["ext4_recovery"]')" = '[]'
		vm_check "reboot $r: PostgreSQL had shut down cleanly (no crash recovery)" \
			"$(p '["pg_start"]')" test "$(p '["pg_redo"]')" = false
	fi
done
vm_check "no acknowledged commit lost at the last check" "lost=$(s 'd["lost"]')" test "$(s 'd["lost"]')" = 0
vm_check_done $((REBOOTS + 1))
vm_check "disk: e2fsck -fn finds the file system clean" "$(s 'd["e2fsck"]')" test "$(s 'd["e2fsck_rc"]')" = 0
vm_say "tests/vm/soak.sh took $((SECONDS - started))s"
vm_finish "$res/disk.img"
