#!/bin/bash
# bench/soak.sh: a database under load across warm reboots, long. The Debian 12 systemd guest
# with Debian's PostgreSQL 15 (tools/lib-vm-pg.sh); a client on the host (bench/soak.py)
# commits one row per transaction (synchronous_commit on) through a QEMU port forward on
# 127.0.0.1 and records every commit it saw acknowledged; warmboot reboots the guest while it
# writes, alternating `warmboot reboot` (systemd's kexec.target: PostgreSQL's unit stops it,
# fast shutdown) and `warmboot reboot --now` (systemd's forced kexec: systemd-shutdown sends
# PostgreSQL SIGTERM, then SIGKILL after its grace period). The trial stays on (the default).
#
#   sudo bench/soak.sh [--reboots N] [--load SECS]   # N reboots (default 50); WARMBOOT_BIN=...
#
# After every boot the host checks that every acknowledged commit is in the table; the guest
# reports pg_amcheck's verdict, ext4's error count, the kernel's ext4 lines (journal recovery,
# orphan cleanup) and how PostgreSQL started (clean or crash recovery). After the run
# e2fsck -fn reads the disk. The summary goes to bench/results/soak.json: reboots,
# acknowledged, lost, recoveries, fsck_errors, durations (min/median/max) and each reboot's
# hand-over. `touch build/vm-logs/soak-bench/stop` ends a run early: the next boot checked is
# the last, and soak.json counts only the reboots that were done. tests/vm/soak.sh is the
# short version that CI runs.
#
# Never runs warmboot or kexec on the host: only inside the guest.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../tools/lib-vm.sh
. "$here/../tools/lib-vm.sh"
# shellcheck source=SCRIPTDIR/../tools/lib-vm-pg.sh
. "$here/../tools/lib-vm-pg.sh"

REBOOTS=50
LOAD=5
usage() {
	printf 'usage: %s [--reboots N] [--load SECS]\n' "${0##*/}" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--reboots)
		[ $# -ge 2 ] || usage
		REBOOTS=$2
		shift 2
		;;
	--reboots=*)
		REBOOTS=${1#--reboots=}
		shift
		;;
	--load)
		[ $# -ge 2 ] || usage
		LOAD=$2
		shift 2
		;;
	-h | --help) usage ;;
	*) usage ;;
	esac
done
case $REBOOTS in '' | *[!0-9]* | 0*) vm_die "--reboots must be a positive number (is '$REBOOTS')" ;; esac
case $LOAD in '' | *[!0-9]*) vm_die "--load must be a number of seconds (is '$LOAD')" ;; esac

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}" python3 python3-psycopg2
vm_check_binary
res=$(vm_results_dir soak-bench)
vm_soak "$res" "$REBOOTS" "$LOAD"
mkdir -p "$here/results"
cp "$res/soak.json" "$here/results/soak.json"
[ "${WARMBOOT_VM_KEEP:-0}" = 1 ] || rm -f "$res/disk.img"
vm_say "written: $here/results/soak.json; serial log, client log and acknowledged commits in $res/"
lost=$(vm_json "$here/results/soak.json" 'd["lost"]')
done=$(vm_json "$here/results/soak.json" 'd["reboots"]')
[ "$lost" = 0 ] || vm_say "LOST: $lost acknowledged commits are not in the table"
[ "$done" = "$REBOOTS" ] || vm_say "incomplete: $done of $REBOOTS reboots were checked"
[ "$lost" = 0 ] && [ "$done" = "$REBOOTS" ]
