#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Discovery cost as the machine grows: time and peak memory of `warmboot --root T list` and
# `warmboot --root T plan --latest` on generated trees (bench/gen-tree.py) with 10, 100 and 200
# kernels in /boot, 400 BLS entries and a 3,000-line grub.cfg, against systemd's
# `bootctl list` on the BLS tree and `ls T/boot` as a floor, on the same run.
#
# Target (the issue): under 5 ms and 4 MiB at the largest size, growing no faster than
# linearly.
#
# Usage: bench/discovery.sh [--strict]
#   --strict      exit 1 when a target is missed (default: report it and exit 0)
# Environment:
#   WARMBOOT      the binary to measure (default: build/warmboot, built when missing)
#   RUNS, WARMUP  hyperfine runs and warm-up runs (default 30 and 3)
#   RSS_RUNS      runs of /usr/bin/time whose largest peak RSS is reported (default 5)
#   RESULTS       the report to write (default bench/results/discovery.md)
#   WB_IMAGE_SIZE size of each generated kernel image (default 72 KiB, see gen-tree.py)
#   HYPERFINE=none  time with the plain loop even when hyperfine is installed
#
# No root needed. As root it installs hyperfine and time from the distribution when they are
# missing; without hyperfine it times a plain loop. It never loads or boots a kernel: --root
# points warmboot at the generated tree, which it only reads.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(dirname "$here")
WARMBOOT=${WARMBOOT:-$top/build/warmboot}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
RSS_RUNS=${RSS_RUNS:-5}
RESULTS=${RESULTS:-$here/results/discovery.md}
STRICT=0
[[ ${1:-} == --strict ]] && STRICT=1

TARGET_MS=5
TARGET_KIB=4096
SCAN_SIZES=(10 100 200)
BLS_SIZE=400
GRUB_LINES=3000

say() { printf '%s\n' "$*" >&2; }

# bootctl wants its --esp-path to be the root of a file system: the whole run goes into a
# private mount namespace (as root, else an unprivileged user namespace) where the BLS tree's
# /boot is bind-mounted onto itself. Nothing outside the namespace sees the mount.
if [[ -z ${WB_DISCOVERY_NS:-} ]]; then
        WB_DISCOVERY_REAL_UID=$(id -u)
        export WB_DISCOVERY_REAL_UID
        if [[ $WB_DISCOVERY_REAL_UID == 0 ]] && unshare -m true 2>/dev/null; then
                WB_DISCOVERY_NS=1 exec unshare -m bash "${BASH_SOURCE[0]}" "$@"
        elif unshare -rm true 2>/dev/null; then
                WB_DISCOVERY_NS=1 exec unshare -rm bash "${BASH_SOURCE[0]}" "$@"
        fi
        WB_DISCOVERY_NS=none
fi
is_root() { [[ ${WB_DISCOVERY_REAL_UID:-$(id -u)} == 0 ]]; }

apt_install() {
        is_root && command -v apt-get >/dev/null || return 1
        say "discovery: installing $* from the distribution"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/warmboot-discovery.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# --- the binary ---------------------------------------------------------------------------
if [[ ! -x $WARMBOOT ]]; then
        say "discovery: building warmboot"
        (cd "$top" && { [[ -f build/build.ninja ]] || meson setup build >/dev/null; } &&
                ninja -C build >/dev/null)
        WARMBOOT=$top/build/warmboot
fi

# --- tools --------------------------------------------------------------------------------
if [[ ${HYPERFINE:-} == none ]]; then
        HYPERFINE=""
else
        command -v hyperfine >/dev/null || apt_install hyperfine || true
        HYPERFINE=$(command -v hyperfine || true)
fi
[[ -x /usr/bin/time ]] || apt_install time || true
[[ -x /usr/bin/time ]] || { say "discovery: /usr/bin/time is missing (package 'time')"; exit 1; }

# bootctl: the installed one, else the one in Debian's systemd-boot package, unpacked here
# rather than installed (installing it on Debian 12 puts systemd-boot on this machine's ESP).
BOOTCTL=$(command -v bootctl || true)
bootctl_note=""
if [[ -z $BOOTCTL ]] && command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null; then
        if (cd "$tmp" && apt-get download -qq systemd-boot >/dev/null 2>&1) &&
                dpkg-deb -x "$tmp"/systemd-boot_*.deb "$tmp/sdboot" 2>/dev/null &&
                "$tmp/sdboot/usr/bin/bootctl" --version >/dev/null 2>&1; then
                BOOTCTL=$tmp/sdboot/usr/bin/bootctl
                bootctl_note="from systemd-boot $(dpkg-deb -f "$tmp"/systemd-boot_*.deb Version), unpacked, not installed"
        fi
fi
if [[ -n $BOOTCTL && $WB_DISCOVERY_NS != 1 ]]; then
        bootctl_note="no mount namespace to make the tree's /boot a mount point (unshare failed)"
        BOOTCTL=""
fi
[[ -n $BOOTCTL && -z $bootctl_note ]] && bootctl_note="$BOOTCTL ($("$BOOTCTL" --version | head -n 1))"
[[ -z $BOOTCTL && -z $bootctl_note ]] &&
        bootctl_note="not measured: bootctl is not installed and systemd-boot could not be unpacked"
export SYSTEMD_RELAX_ESP_CHECKS=1

# --- measuring ----------------------------------------------------------------------------
# time_cmd OUT CMD...: "median_ms sd_ms" of CMD into OUT; "error rc=N" when CMD fails.
time_cmd() {
        local out=$1 rc=0
        shift
        "$@" >/dev/null 2>&1 || rc=$?
        if ((rc != 0)); then
                echo "error rc=$rc" >"$out"
                say "discovery: '$*' exits $rc; not measured"
                return
        fi
        if [[ -n $HYPERFINE ]]; then
                local cmd
                cmd=$(printf '%q ' "$@")
                "$HYPERFINE" -N --warmup "$WARMUP" --runs "$RUNS" --style none \
                        --export-json "$tmp/h.json" -- "$cmd" >/dev/null 2>&1
                python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.3f %.3f" % (r["median"] * 1e3, r["stddev"] * 1e3))' "$tmp/h.json" >"$out"
        else
                # A plain loop; bash's EPOCHREALTIME, or date +%s%N when bash is older.
                local i t0 t1
                : >"$tmp/loop"
                for ((i = 0; i < WARMUP; i++)); do "$@" >/dev/null 2>&1 || true; done
                for ((i = 0; i < RUNS; i++)); do
                        if [[ -n ${EPOCHREALTIME:-} ]]; then
                                t0=$EPOCHREALTIME
                                "$@" >/dev/null 2>&1 || true
                                t1=$EPOCHREALTIME
                                echo "${t0/[.,]/} ${t1/[.,]/} 1000" >>"$tmp/loop"
                        else
                                t0=$(date +%s%N)
                                "$@" >/dev/null 2>&1 || true
                                t1=$(date +%s%N)
                                echo "$t0 $t1 1000000" >>"$tmp/loop"
                        fi
                done
                python3 -c 'import statistics,sys
d = [(int(b) - int(a)) / int(u) for a, b, u in (l.split() for l in open(sys.argv[1]))]
print("%.3f %.3f" % (statistics.median(d), statistics.stdev(d)))' "$tmp/loop" >"$out"
        fi
}

# rss_cmd OUT CMD...: the largest peak RSS (KiB) of CMD over RSS_RUNS runs into OUT.
rss_cmd() {
        local out=$1 max=0 v i
        shift
        for ((i = 0; i < RSS_RUNS; i++)); do
                /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>&1 || true
                v=$(tail -n 1 "$tmp/rss")
                [[ $v =~ ^[0-9]+$ ]] && ((v > max)) && max=$v
        done
        echo "$max" >"$out"
}

# --- trees --------------------------------------------------------------------------------
trees=()
for n in "${SCAN_SIZES[@]}"; do trees+=("boot-scan:$n"); done
trees+=("bls:$BLS_SIZE" "grub:$GRUB_LINES")
for t in "${trees[@]}"; do
        kind=${t%%:*} size=${t#*:}
        python3 "$here/gen-tree.py" "$kind" "$size" "$tmp/$kind-$size" >/dev/null
done

# --- runs ---------------------------------------------------------------------------------
loadavg=$(cut -d ' ' -f 1-3 /proc/loadavg)
m=$tmp/m
mkdir -p "$m"
say "discovery: warmboot start-up floor (--version)"
time_cmd "$m/floor.t" "$WARMBOOT" --version
rss_cmd "$m/floor.r" "$WARMBOOT" --version
for t in "${trees[@]}"; do
        kind=${t%%:*} size=${t#*:}
        T=$tmp/$kind-$size
        say "discovery: $kind $size"
        "$WARMBOOT" --root "$T" list 2>/dev/null | grep -c '^ *title:' >"$m/$kind-$size.n" || true
        time_cmd "$m/$kind-$size.list.t" "$WARMBOOT" --root "$T" list
        time_cmd "$m/$kind-$size.plan.t" "$WARMBOOT" --root "$T" plan --latest
        rss_cmd "$m/$kind-$size.list.r" "$WARMBOOT" --root "$T" list
        rss_cmd "$m/$kind-$size.plan.r" "$WARMBOOT" --root "$T" plan --latest
        time_cmd "$m/$kind-$size.ls.t" ls "$T/boot"
        if [[ $kind == bls && -n $BOOTCTL ]]; then
                if mount --bind "$T/boot" "$T/boot" 2>"$tmp/bootctl.out" &&
                        "$BOOTCTL" --esp-path="$T/boot" list --no-pager >"$tmp/bootctl.out" 2>&1 &&
                        [[ $(grep -c '^ *title:' "$tmp/bootctl.out") -gt 0 ]]; then
                        grep -c '^ *title:' "$tmp/bootctl.out" >"$m/$kind-$size.bootctl.n"
                        time_cmd "$m/$kind-$size.bootctl.t" "$BOOTCTL" --esp-path="$T/boot" list --no-pager
                        rss_cmd "$m/$kind-$size.bootctl.r" "$BOOTCTL" --esp-path="$T/boot" list --no-pager
                else
                        bootctl_note="bootctl refused the tree: $(grep -v 'Unknown line' "$tmp/bootctl.out" | head -n 1)"
                fi
                umount "$T/boot" 2>/dev/null || true
        fi
done

# --- report -------------------------------------------------------------------------------
commit=$(git -c safe.directory='*' -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -c safe.directory='*' -C "$top" status --porcelain -- src meson.build meson_options.txt 2>/dev/null |
        awk '{print $2}' | paste -sd ' ' - || true)
buildtype=$(meson introspect "$(dirname "$WARMBOOT")" --buildoptions 2>/dev/null |
        python3 -c 'import json,sys
d = {o["name"]: o["value"] for o in json.load(sys.stdin)}
print("%s, -O%s" % (d["buildtype"], d["optimization"]))' 2>/dev/null || echo unknown)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)

python3 - "$m" "$RESULTS" "$TARGET_MS" "$TARGET_KIB" "$STRICT" <<PYEOF
import os, sys
m, results, target_ms, target_kib, strict = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
scan_sizes = [int(s) for s in "${SCAN_SIZES[*]}".split()]
trees = [("boot-scan", n) for n in scan_sizes] + [("bls", $BLS_SIZE), ("grub", $GRUB_LINES)]

def read(name):
    try:
        return open(os.path.join(m, name)).read().split()
    except FileNotFoundError:
        return None

def t(name):
    v = read(name)
    return (float(v[0]), float(v[1])) if v and v[0] != "error" else None

def r(name):
    v = read(name)
    return int(v[0]) if v and int(v[0]) > 0 else None

def fmt_t(x):
    return "%.2f ± %.2f" % x if x else "n/a"

labels = {"boot-scan": "/boot scan, kernels", "bls": "BLS entries", "grub": "grub.cfg lines"}
lines = []
out = lines.append
out("| tree | size | entries listed | list ms (median ± sd) | plan --latest ms | peak RSS KiB list / plan "
    "| bootctl list ms | list ÷ bootctl | bootctl peak KiB | ls /boot ms | list ÷ ls |")
out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
floor_t, floor_r = t("floor.t"), r("floor.r")
out("| warmboot --version (start-up floor) | | | %s | | %s | | | | | |" % (fmt_t(floor_t), floor_r or "n/a"))
for kind, size in trees:
    k = f"{kind}-{size}"
    lt, pt, ls = t(k + ".list.t"), t(k + ".plan.t"), t(k + ".ls.t")
    lr, pr = r(k + ".list.r"), r(k + ".plan.r")
    bt, br = t(k + ".bootctl.t"), r(k + ".bootctl.r")
    n = (read(k + ".n") or ["?"])[0]
    bn = read(k + ".bootctl.n")
    out("| %s | %d | %s | %s | %s | %s / %s | %s | %s | %s | %s | %s |" % (
        labels[kind], size, n + (f" (bootctl: {bn[0]})" if bn else ""),
        fmt_t(lt), fmt_t(pt), lr or "n/a", pr or "n/a",
        fmt_t(bt) if kind == "bls" else "—", "%.2f×" % (lt[0] / bt[0]) if lt and bt else "—",
        br or "—", fmt_t(ls), "%.1f×" % (lt[0] / ls[0]) if lt and ls else "n/a"))

checks = []
def check(name, ok, detail):
    checks.append((name, ok, detail))

largest = [("boot-scan", scan_sizes[-1]), ("bls", $BLS_SIZE), ("grub", $GRUB_LINES)]
for kind, size in largest:
    k = f"{kind}-{size}"
    for verb in ("list", "plan"):
        x = t(f"{k}.{verb}.t")
        check(f"{verb} on {kind} {size} under {target_ms:g} ms", x is not None and x[0] < target_ms,
              "%.2f ms" % x[0] if x else "not measured")
        y = r(f"{k}.{verb}.r")
        check(f"{verb} on {kind} {size} under {target_kib // 1024} MiB", y is not None and y < target_kib,
              f"{y} KiB" if y else "not measured")
for verb in ("list", "plan"):
    ts = [t(f"boot-scan-{n}.{verb}.t") for n in scan_sizes]
    if not all(ts):
        check(f"{verb}: growth no worse than linear", False, "not measured")
        continue
    for (a, ta), (b, tb) in zip(zip(scan_sizes, ts), zip(scan_sizes[1:], ts[1:])):
        check(f"{verb}: time({b}) / time({a}) ≤ {b // a if b % a == 0 else b / a}",
              tb[0] / ta[0] <= b / a, "%.2f" % (tb[0] / ta[0]))
    a, b = scan_sizes[0], scan_sizes[-1]
    check(f"{verb}: time({b}) / time({a}) ≤ {b // a}", ts[-1][0] / ts[0][0] <= b / a,
          "%.2f" % (ts[-1][0] / ts[0][0]))
    # The start-up floor hides a superlinear term in plain ratios: compare the cost per
    # added kernel of the last step with that of the first.
    if len(ts) >= 3:
        first = (ts[1][0] - ts[0][0]) / (scan_sizes[1] - scan_sizes[0]) * 1000
        last = (ts[-1][0] - ts[-2][0]) / (scan_sizes[-1] - scan_sizes[-2]) * 1000
        check(f"{verb}: cost per added kernel, {scan_sizes[-2]}→{scan_sizes[-1]} vs "
              f"{scan_sizes[0]}→{scan_sizes[1]}, within 1.5×", last <= 1.5 * max(first, 1e-9),
              "%.1f µs vs %.1f µs" % (last, first))

out("")
out("| check | result | measured |")
out("|---|---|---|")
for name, ok, detail in checks:
    out(f"| {name} | {'PASS' if ok else '**FAIL**'} | {detail} |")
table = "\n".join(lines)
print(table)
open(os.path.join(m, "table.md"), "w").write(table + "\n")
failed = sum(1 for c in checks if not c[1])
open(os.path.join(m, "failed"), "w").write(str(failed))
PYEOF

failed=$(cat "$m/failed")
mkdir -p "$(dirname "$RESULTS")"
{
        echo "# Discovery benchmark"
        echo
        echo "Generated by \`bench/discovery.sh\`; everything from \"## Notes\" on is kept across runs."
        echo
        echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo "- machine: $(nproc) CPUs, ${model:-unknown model}, Linux $(uname -r); load average $loadavg at the start"
        echo "- warmboot: commit $commit${dirty:+ with uncommitted changes in $dirty}; build $buildtype; $WARMBOOT"
        if [[ -n $HYPERFINE ]]; then
                echo "- timing: $($HYPERFINE --version) -N --warmup $WARMUP --runs $RUNS (median ± standard deviation)"
        else
                echo "- timing: a plain loop, $RUNS runs after $WARMUP warm-up runs (median ± standard deviation)"
        fi
        echo "- memory: largest peak RSS (/usr/bin/time -f %M) of $RSS_RUNS runs"
        if [[ -f $m/bls-$BLS_SIZE.bootctl.t ]]; then
                echo "- bootctl: $bootctl_note; run as \`bootctl --esp-path=TREE/boot list --no-pager\` with the tree's /boot bind-mounted onto itself in a private mount namespace and SYSTEMD_RELAX_ESP_CHECKS=1"
        else
                echo "- bootctl: $bootctl_note"
        fi
        echo "- trees: bench/gen-tree.py; kernel images ${WB_IMAGE_SIZE:-73728} bytes; the running kernel is the second newest; warm page cache"
        echo "- target: largest size under $TARGET_MS ms and $((TARGET_KIB / 1024)) MiB, growth no faster than linear"
        echo
        cat "$m/table.md"
        echo
        if ((failed > 0)); then
                echo "$failed check(s) missed the target."
        else
                echo "All targets met."
        fi
        if [[ -f $RESULTS ]] && grep -q '^## Notes' "$RESULTS"; then
                echo
                sed -n '/^## Notes/,$p' "$RESULTS"
        fi
} >"$RESULTS.new"
mv "$RESULTS.new" "$RESULTS"
say "discovery: wrote $RESULTS"
if ((failed > 0 && STRICT)); then exit 1; fi
exit 0
