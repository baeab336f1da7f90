#!/bin/bash
# The long fuzzing run, beyond CI's ten seconds a target: every parser until it has taken
# RUNS inputs (default 10 million) or SECONDS have passed (default 3600), then the counts,
# coverage and crashes of each target in bench/results/fuzz.md.
#
#   bench/fuzz-long.sh [RUNS [SECONDS [TARGET...]]]
#
# A target that crashes keeps its input in build-fuzz/fuzz-run/TARGET/ (tools/run-fuzz);
# such an input becomes a unit test.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-10000000}
seconds=${2:-3600}
shift 2 || shift $# || true
out=bench/results/fuzz.md
log=$(mktemp)
trap 'rm -f "$log"' EXIT

start=$(date -u +%Y-%m-%dT%H:%MZ)
status=0
WARMBOOT_FUZZ_RUNS=$runs tools/run-fuzz "$seconds" "$@" | tee "$log" || status=$?

{
	echo "# Long fuzzing run"
	echo
	echo "\`bench/fuzz-long.sh $runs $seconds\` on commit $(git rev-parse --short HEAD), started $start:"
	echo "libFuzzer with AddressSanitizer and UndefinedBehaviorSanitizer (tools/run-fuzz), each"
	echo "target from its seeds, until $runs inputs or $seconds s. \"cov\" and \"ft\" are libFuzzer's"
	echo "covered edges and features at the end of the run."
	echo
	echo "| target | inputs | inputs/s | cov | ft | corpus | time (s) | result |"
	echo "|---|---:|---:|---:|---:|---:|---:|---|"
	for d in build-fuzz/fuzz-run/*/; do
		t=$(basename "$d")
		[[ -f $d/fuzz.log ]] || continue
		final() { sed -n "s/^stat::$1: *//p" "$d/fuzz.log" | tail -n 1; }
		n=$(final number_of_executed_units)
		rate=$(final average_exec_per_sec)
		c=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$d/fuzz.log" | tail -n 1 || true)
		result=ok
		grep -q "^fuzz-$t: ok" "$log" || result="**FAILED**"
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$t" "$n" "$rate" \
			"$(awk '{print $2}' <<<"$c")" "$(awk '{print $4}' <<<"$c")" \
			"$(find "$d/corpus" -type f | wc -l)" \
			"$(awk -v n="${n:-0}" -v r="${rate:-0}" 'BEGIN { if (r > 0) printf "%d", n / r }')" "$result"
	done
	echo
	echo "Summary: $(tail -n 1 "$log")."
} >"$out"
echo "wrote $out"
exit "$status"
