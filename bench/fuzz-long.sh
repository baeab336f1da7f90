#!/bin/bash
# The long fuzzing run, beyond CI's ten seconds a target: every parser until it has taken
# RUNS inputs (default 10 million) or SECONDS have passed (default 3600), then the counts,
# coverage and crashes of each target in bench/results/fuzz.md.
#
#   bench/fuzz-long.sh [RUNS [SECONDS [TARGET...]]]
#   bench/fuzz-long.sh --report        # only the table, of the runs left in build-fuzz
#
# A run of some targets leaves the others' last runs in place, so that a second pass can
# give the slow targets more time; each row says how long its own run took.
#
# A target that crashes keeps its input in build-fuzz/fuzz-run/TARGET/ (tools/run-fuzz);
# such an input becomes a unit test.
set -euo pipefail
cd "$(dirname "$0")/.."

out=bench/results/fuzz.md
status=0
if [[ ${1:-} != --report ]]; then
	runs=${1:-10000000}
	seconds=${2:-3600}
	shift 2 || shift $# || true
	WARMBOOT_FUZZ_RUNS=$runs tools/run-fuzz "$seconds" "$@" || status=$?
fi

{
	echo "# Long fuzzing run"
	echo
	echo "\`bench/fuzz-long.sh\` (tools/run-fuzz with WARMBOOT_FUZZ_RUNS): libFuzzer with"
	echo "AddressSanitizer and UndefinedBehaviorSanitizer, clang -O2, each target from its seeds"
	echo "until 10 million inputs or its time cap. \"cov\" and \"ft\" are libFuzzer's covered edges"
	echo "and features at the end of the run; \"crashes\" counts what the run left behind (crash,"
	echo "leak, timeout, out-of-memory inputs)."
	echo
	echo "| target | inputs | inputs/s | cov | ft | corpus | time (s) | crashes | ended |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
	for d in build-fuzz/fuzz-run/*/; do
		t=$(basename "$d")
		[[ -f $d/fuzz.log ]] || continue
		final() { sed -n "s/^stat::$1: *//p" "$d/fuzz.log" | tail -n 1; }
		n=$(final number_of_executed_units)
		rate=$(final average_exec_per_sec)
		c=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$d/fuzz.log" | tail -n 1 || true)
		crashes=$(find "$d" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
			-o -name 'oom-*' \) | wc -l)
		when=$(date -u -r "$d/fuzz.log" +%Y-%m-%dT%H:%MZ)
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$t" "${n:-?}" "${rate:-?}" \
			"$(awk '{print $2}' <<<"$c")" "$(awk '{print $4}' <<<"$c")" \
			"$(find "$d/corpus" -type f | wc -l)" \
			"$(awk -v n="${n:-0}" -v r="${rate:-0}" 'BEGIN { if (r > 0) printf "%d", n / r }')" \
			"$crashes" "$when"
	done
	echo
	echo "Commit $(git rev-parse --short HEAD)."
} >"$out"
echo "wrote $out"
exit "$status"
