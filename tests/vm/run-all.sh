#!/bin/bash
# Run every QEMU end-to-end test of warmboot and print a combined "N passed, M failed" line.
#
#   sudo tests/vm/run-all.sh           # WARMBOOT_BIN=... to test another binary
#
# Exits non-zero if any check failed or a test script did not complete.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"

vm_need_root
mkdir -p "$VM_LOGS"

passed=0
failed=0
broken=()
start=$SECONDS
for t in busybox debian gpu entries; do
	out=$VM_LOGS/$t.out
	printf '\n#### %s (output also in %s)\n' "$t" "$out"
	t0=$SECONDS
	rc=0
	"$here/$t.sh" 2>&1 | tee "$out" || rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n1 || true)
	if [ -z "$line" ]; then
		printf '#### %s did not complete (status %s)\n' "$t" "$rc"
		broken+=("$t")
		failed=$((failed + 1))
		continue
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed}
	passed=$((passed + p))
	failed=$((failed + f))
	printf '#### %s: %s (%ss)\n' "$t" "$line" "$((SECONDS - t0))"
done

echo
[ "${#broken[@]}" -eq 0 ] || echo "did not complete: ${broken[*]}"
echo "total time: $((SECONDS - start))s; logs in $VM_LOGS"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
