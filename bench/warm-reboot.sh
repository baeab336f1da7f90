#!/bin/bash
# bench/warm-reboot.sh: how long a reboot takes, warm and cold, in a debootstrapped Debian 12
# guest under QEMU (TCG), measured on the host from timestamped serial lines.
#
#   sudo bench/warm-reboot.sh            # BENCH_RUNS=5 for more rounds; WARMBOOT_BIN=...
#   bench/warm-reboot.sh                 # with BENCH_LOG=FILE: only analyse a timestamped
#                                        # serial log of an earlier run (no QEMU)
#
# One QEMU run; the guest (bench/guest/warm-reboot) cycles through the variants, BENCH_RUNS
# rounds (default 3):
#   script           kexec -l /boot/vmlinuz-R --initrd=/boot/initrd.img-R --reuse-cmdline
#                    && systemctl kexec      (the script warmboot replaces; load timed)
#   systemctl-kexec  systemctl kexec with the kernel already loaded (load not timed)
#   warmboot         warmboot reboot         (through systemd)
#   warmboot-now     warmboot reboot --now   (warmboot's own shutdown)
#   cold             SYSTEMCTL_SKIP_AUTO_KEXEC=1 systemctl reboot (firmware, QEMU -kernel)
# Each measurement runs from the guest's "go" marker (the command starts) to the next boot's
# "up" marker (its first unit starts), split at the old kernel's last line ("kexec_core:
# Starting new kernel" / "reboot: Restarting system"): before the hand-over, then the
# hand-over and the new kernel's boot. Medians go to stdout and bench/results/latest.md.
#
# Not part of the test suite: timings under software emulation are slow and noisy.
# Never runs warmboot or kexec on the host: only inside the guest.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../tools/lib-vm.sh
. "$here/../tools/lib-vm.sh"

RUNS=${BENCH_RUNS:-3}
VARIANTS=(script systemctl-kexec warmboot warmboot-now cold)
case $RUNS in '' | *[!0-9]* | 0) vm_die "BENCH_RUNS must be a positive number" ;; esac
TIMEOUT=${WARMBOOT_VM_TIMEOUT:-$((300 + RUNS * ${#VARIANTS[@]} * 90))}

qrc=0
if [ -n "${BENCH_LOG:-}" ]; then
	[ -f "$BENCH_LOG" ] || vm_die "no log $BENCH_LOG"
	res=$(mktemp -d /tmp/warmboot-bench.XXXXXX)
	tlog=$BENCH_LOG
	R=$(grep -m1 -o 'Linux version [^ ]*' "$tlog" | cut -d' ' -f3)
	RUNS=$(( $(grep -c 'WBBENCH go boot=' "$tlog" || true) / ${#VARIANTS[@]} ))
else
	vm_need_root
	vm_ensure_pkgs "${VM_HOST_PKGS[@]}"
	vm_check_binary

	res=$(vm_results_dir bench)
	ddir=$(vm_debian)
	R=$(cat "$ddir/release")
	tree=$ddir/rootfs
	[ -x "$tree/sbin/kexec" ] || [ -x "$tree/usr/sbin/kexec" ] ||
		vm_die "the cached Debian tree has no kexec-tools (rebuild it: remove $ddir)"

	# ---- the disk ----------------------------------------------------------------------------
	vm_say "building the Debian disk image (kernel $R, warmboot $WARMBOOT_BIN)"
	payload=$res/payload
	mkdir -p "$payload/var/lib/warmboot-bench"
	vm_payload_warmboot "$payload" "$tree"
	vm_unit_payload "$payload" warmboot-bench "$here/guest/warm-reboot" simple
	printf '%s\n' "$RUNS" >"$payload/var/lib/warmboot-bench/runs"
	disk=$res/disk.img
	vm_debian_disk "$ddir" "$payload" "$disk"
	rm -rf "$payload"

	# ---- run ----------------------------------------------------------------------------------
	tlog=$res/serial.log
	n_total=$((RUNS * ${#VARIANTS[@]}))
	vm_say "booting the guest: $n_total reboots, timeout ${TIMEOUT}s; timestamped serial log: $tlog"
	start=$SECONDS
	set +e
	# no -no-reboot: the cold variant reboots through the firmware; the final poweroff ends QEMU
	timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -smp "${WARMBOOT_VM_SMP:-2}" -m 1024 \
		-nographic -monitor none -serial stdio -net none \
		-kernel "$tree/boot/vmlinuz-$R" -initrd "$tree/boot/initrd.img-$R" \
		-append "console=ttyS0 root=/dev/vda rw panic=-1" \
		-drive "file=$disk,format=raw,if=virtio" </dev/null 2>"$res/qemu.stderr" | vm_stamp_lines "$tlog"
	st=("${PIPESTATUS[@]}")
	set -e
	qrc=${st[0]}
	vm_say "QEMU exited with status $qrc after $((SECONDS - start))s"
	[ "${WARMBOOT_VM_KEEP:-0}" = 1 ] || rm -f "$disk"
fi

# ---- measure ------------------------------------------------------------------------------
# at_line ERE: "LINENO TIME" of every line matching
at_lines() { grep -nE -- "$1" "$tlog" | sed -E 's/^([0-9]+):([0-9]+) .*/\1 \2/' || true; }
mapfile -t ups < <(at_lines 'WBBENCH up boot=[0-9]+')
mapfile -t gos < <(at_lines 'WBBENCH go boot=[0-9]+')
mapfile -t lasts < <(at_lines 'kexec_core: Starting new kernel|reboot: Restarting system')
errors=$(grep -E 'WBBENCH error .*rc=[1-9]' "$tlog" | sed 's/^[0-9]* //' || true)

declare -A total before after count
for v in "${VARIANTS[@]}"; do total[$v]=; before[$v]=; after[$v]=; count[$v]=0; done
bad=0
for g in "${gos[@]}"; do
	gl=${g% *} gt=${g#* }
	line=$(sed -n "${gl}p" "$tlog")
	b=$(vm_field "${line#* }" boot || true)
	v=$(vm_field "${line#* }" variant || true)
	# the first kernel-exit line after the go marker, the next boot's up marker after that
	lt='' ut='' ll=''
	for l in "${lasts[@]}"; do
		if [ "${l% *}" -gt "$gl" ]; then lt=${l#* }; ll=${l% *}; break; fi
	done
	for u in "${ups[@]}"; do
		if [ -n "$lt" ] && [ "${u% *}" -gt "$ll" ]; then
			line=$(sed -n "${u% *}p" "$tlog")
			[ "$(vm_field "${line#* }" boot || true)" = $((b + 1)) ] && ut=${u#* }
			break
		fi
	done
	if [ -z "$v" ] || [ -z "$lt" ] || [ -z "$ut" ]; then
		bad=$((bad + 1))
		continue
	fi
	total[$v]+="$((ut - gt)) "
	before[$v]+="$((lt - gt)) "
	after[$v]+="$((ut - lt)) "
	count[$v]=$((count[$v] + 1))
done

# median WORDS: the median of integers (the mean of the middle two for an even count)
median() {
	printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {
		if (NR == 0) exit 1
		if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

declare -A mt mb ma
for v in "${VARIANTS[@]}"; do
	# shellcheck disable=SC2086 # word lists of numbers
	if [ "${count[$v]}" -gt 0 ]; then
		mt[$v]=$(median ${total[$v]})
		mb[$v]=$(median ${before[$v]})
		ma[$v]=$(median ${after[$v]})
	fi
done

ratio() { # A B: A/B with two decimals
	if [ -n "${1:-}" ] && [ -n "${2:-}" ] && [ "$2" -gt 0 ]; then
		local r=$(($1 * 100 / $2))
		printf '%d.%02dx' "$((r / 100))" "$((r % 100))"
	else
		printf 'n/a'
	fi
}
s2() { if [ -n "${1:-}" ]; then vm_secs "$1" 2; else printf 'n/a'; fi; }

describe() {
	case $1 in
	script) echo 'kexec -l ... --reuse-cmdline && systemctl kexec' ;;
	systemctl-kexec) echo 'systemctl kexec (kernel loaded beforehand)' ;;
	warmboot) echo 'warmboot reboot' ;;
	warmboot-now) echo 'warmboot reboot --now' ;;
	cold) echo 'cold: systemctl reboot (firmware)' ;;
	esac
}

ver=$("$WARMBOOT_BIN" --version 2>/dev/null | head -n1 || echo '?')
commit=$(git -C "$VM_REPO" describe --always --dirty 2>/dev/null || echo '?')
report=$res/report.md
{
	echo "# warm reboot benchmark"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $ver ($commit); guest: Debian 12, kernel $R, systemd;"
	echo "QEMU $(qemu-system-x86_64 --version | head -n1 | sed 's/.*version \([^ ]*\).*/\1/') TCG (software emulation, -smp ${WARMBOOT_VM_SMP:-2}); host $(nproc) CPUs."
	echo "$RUNS runs per variant, medians in seconds on the host clock as serial lines arrived."
	echo
	echo "| variant | runs | total | before hand-over | hand-over + boot | total vs script |"
	echo "|---|---:|---:|---:|---:|---:|"
	for v in "${VARIANTS[@]}"; do
		printf '| %s | %s | %s | %s | %s | %s |\n' "$(describe "$v")" "${count[$v]}" "$(s2 "${mt[$v]:-}")" \
			"$(s2 "${mb[$v]:-}")" "$(s2 "${ma[$v]:-}")" "$(ratio "${mt[$v]:-}" "${mt[script]:-}")"
	done
	echo
	echo "total: from the reboot command to the next boot's first unit; before hand-over: to the old"
	echo "kernel's last line (\"kexec_core: Starting new kernel\", or \"reboot: Restarting system\" for"
	echo "the cold reboot); hand-over + boot: from there to the first unit of the new boot (for the"
	echo "cold reboot this includes SeaBIOS and QEMU's -kernel loader)."
	echo
	echo "Targets:"
	if [ -n "${mt[warmboot]:-}" ] && [ -n "${mt[script]:-}" ]; then
		if [ $((mt[warmboot] * 10)) -le $((mt[script] * 9)) ]; then met=met; else met="NOT met"; fi
		echo "- warmboot reboot total <= 0.9x the script: $(ratio "${mt[warmboot]}" "${mt[script]}") -- $met"
	fi
	if [ -n "${mb[warmboot-now]:-}" ]; then
		if [ "${mb[warmboot-now]}" -le 500000 ]; then met=met; else met="NOT met"; fi
		echo "- warmboot reboot --now within 0.5 s of the new kernel's own boot (before hand-over <= 0.5 s):" \
			"$(s2 "${mb[warmboot-now]}") s -- $met"
	fi
	if [ "$bad" -gt 0 ] || [ -n "$errors" ] || [ "$qrc" -ne 0 ]; then
		echo
		echo "Incomplete: QEMU status $qrc, $bad measurement(s) without an end; ${errors:-no guest errors}"
	fi
} >"$report"
cat "$report"
mkdir -p "$here/results"
cp "$report" "$here/results/latest.md"
vm_say "written to $here/results/latest.md; timestamped serial log: $tlog"
[ "$qrc" -eq 0 ] && [ "$bad" -eq 0 ]
