# shellcheck shell=bash
# Shared helpers for warmboot's QEMU test rig (tests/vm/*.sh) and tools/demo-vm.
#
# Source it from a bash script that runs with `set -euo pipefail`:
#     . "$repo/tools/lib-vm.sh"
#
# Safety: nothing here ever runs warmboot (other than `--help`/`plan` at most), kexec or a
# reboot on the host. warmboot only runs inside the QEMU guests this file builds.
#
# Environment knobs (all optional):
#   WARMBOOT_BIN             the warmboot binary to test       (default $repo/build/warmboot)
#   WARMBOOT_VM_CACHE        cache of kernels / Debian trees   (default /var/cache/warmboot-tests)
#   WARMBOOT_VM_LOGS         serial logs and per-run files     (default $repo/build/vm-logs)
#   WARMBOOT_DEBIAN_MIRROR   mirror for debootstrap            (default: the one apt uses here)
#   WARMBOOT_VM_KEEP=1       keep the disk images after a run
#   WARMBOOT_VM_SMP          guest CPUs                        (default 2)
#   WARMBOOT_VM_MEM          guest RAM in MiB, for vm_qemu     (default 1024)
#   WARMBOOT_VM_TIMEOUT      seconds before QEMU is killed     (busybox 240, debian, demo 900)

VM_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_REPO=$(cd "$VM_LIB_DIR/.." && pwd)
VM_CACHE=${WARMBOOT_VM_CACHE:-/var/cache/warmboot-tests}
VM_LOGS=${WARMBOOT_VM_LOGS:-$VM_REPO/build/vm-logs}
# The Debian mirror this machine's apt already uses (deb822 sources, else sources.list).
vm_apt_mirror() {
	local uri
	uri=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -v -- '-security' | head -n 1)
	[[ -n $uri ]] || uri=$(awk '$1 == "deb" && $2 ~ /debian\/?$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
	printf '%s\n' "$uri"
}
VM_DEBIAN_MIRROR=${WARMBOOT_DEBIAN_MIRROR:-$(vm_apt_mirror)}
VM_DEBIAN_SUITE=bookworm
# what the guest scenarios source to report their results (see "serial-log helpers" below)
VM_GUEST_REPORT=$VM_REPO/tests/vm/guest/report.sh
WARMBOOT_BIN=${WARMBOOT_BIN:-$VM_REPO/build/warmboot}

# ---------------------------------------------------------------------------------------
# messages

vm_say() { printf '==> %s\n' "$*" >&2; }
vm_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

vm_need_root() {
	[ "$(id -u)" -eq 0 ] || vm_die "${0##*/} must run as root (debootstrap, mknod, apt-get)"
}

# ---------------------------------------------------------------------------------------
# packages

# vm_ensure_pkgs PKG...: apt-get install the packages that are not installed yet.
vm_ensure_pkgs() {
	local missing=() p
	for p in "$@"; do
		if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
			missing+=("$p")
		fi
	done
	[ "${#missing[@]}" -eq 0 ] && return 0
	vm_need_root
	vm_say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	local log
	log=$(mktemp /tmp/warmboot-apt.XXXXXX)
	if ! { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		vm_die "apt-get failed (full log: $log)"
	fi
	rm -f "$log"
}

# Everything the guests need on the host (used by the scripts that source this file).
# shellcheck disable=SC2034
VM_HOST_PKGS=(qemu-system-x86 debootstrap busybox-static cpio e2fsprogs kmod coreutils findutils
	gzip util-linux)

# ---------------------------------------------------------------------------------------
# results / checks

VM_PASSED=0
VM_FAILED=0

# vm_pass NAME: count and print a passed check
vm_pass() { VM_PASSED=$((VM_PASSED + 1)); printf 'PASS  %s\n' "$1"; }
# vm_fail NAME [DETAIL]: count and print a failed check, with what was seen
vm_fail() {
	VM_FAILED=$((VM_FAILED + 1))
	if [ $# -gt 1 ] && [ -n "$2" ]; then
		printf 'FAIL  %s -- %s\n' "$1" "$2"
	else
		printf 'FAIL  %s\n' "$1"
	fi
}

# vm_check NAME DETAIL CMD...: pass if CMD succeeds, else fail with DETAIL.
vm_check() {
	local name=$1 detail=$2
	shift 2
	if "$@"; then vm_pass "$name"; else vm_fail "$name" "$detail"; fi
}

# vm_summary: the closing line, "N passed, N failed" (tools/run-tests reads it)
vm_summary() { printf '%d passed, %d failed\n' "$VM_PASSED" "$VM_FAILED"; }

# vm_add_summary FILE: add the last "N passed, N failed" line of FILE to the counts and keep
# it in VM_SUMMARY_LINE; fails when FILE has no such line
vm_add_summary() {
	local p f
	VM_SUMMARY_LINE=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n1 || true)
	[ -n "$VM_SUMMARY_LINE" ] || return 1
	p=${VM_SUMMARY_LINE%% passed*}
	f=${VM_SUMMARY_LINE#*passed, }
	f=${f%% failed}
	VM_PASSED=$((VM_PASSED + p))
	VM_FAILED=$((VM_FAILED + f))
}

# ---------------------------------------------------------------------------------------
# serial-log helpers (the log has CRLF line ends and may interleave kernel messages)
#
# The guest scenarios report through tests/vm/guest/report.sh, one line each:
#   WBTEST boot=B NAME [KEY=VALUE ...] [msg=free text to the end of the line]   a fact
#   WBTEST boot=B FAIL what                                     the scenario itself broke
#   WBTEST boot=B TAG| line                                     one line of a dumped output

# vm_clean_log RAW OUT: strip CRs and escape sequences. The marker helpers below read OUT.
vm_clean_log() {
	sed -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' "$1" >"$2"
	VM_MARKERS=$2
}

# wbline PATTERN: the first marker line matching (without anything before "WBTEST ").
wbline() {
	local l
	l=$(grep -m1 -E -- "WBTEST $1" "$VM_MARKERS" || true)
	printf '%s' "${l#*WBTEST }"
}
# wbdump TAG: the lines of an output the guest dumped as "WBTEST TAG| ..." (TAG: "boot=B name").
wbdump() { grep -F "WBTEST $1| " "$VM_MARKERS" | sed "s/.*WBTEST $1| //" || true; }
# wbmsg LINE: the msg=... part of a marker line.
wbmsg() { case "$1" in *msg=*) printf '%s' "${1#*msg=}" ;; esac; }
# has_word WORD TEXT: TEXT (one word a line) has WORD as a whole line.
has_word() { grep -qxF -- "$1" <<<"$2"; }
# vm_contains STRING TEXT: TEXT contains STRING (fixed string).
vm_contains() { grep -qF -- "$1" <<<"$2"; }
# vm_lacks ERE TEXT: no line of TEXT matches ERE.
vm_lacks() { ! grep -qE -- "$1" <<<"$2"; }
# vm_words TEXT: the blank-separated words of TEXT, one a line.
vm_words() { tr ' ' '\n' <<<"$1" | sed '/^$/d'; }

# vm_without_trial TEXT: TEXT's words on one line without the parameters of warmboot's trial
# (panic=10, watchdog.stop_on_reboot=0, warmboot.trial=ID): what a boot entry's line and a
# plan's or a warm boot's line have in common.
vm_without_trial() {
	vm_words "$1" | grep -vE '^(warmboot\.trial=[0-9a-f]{32}|panic=10|watchdog\.stop_on_reboot=0)$' |
		tr '\n' ' ' | sed 's/ $//'
}

# vm_count FILE ERE: number of lines matching.
vm_count() { grep -cE -- "$2" "$1" || true; }

# vm_field LINE KEY: the value of KEY=... (up to the next space) in LINE.
vm_field() {
	local line=" $1" key=$2
	case "$line" in
	*" $key="*) line=${line#*" $key="}; printf '%s' "${line%% *}" ;;
	*) return 1 ;;
	esac
}

# vm_indent TEXT [PREFIX]: print the non-empty lines of TEXT, each after PREFIX (8 blanks).
vm_indent() {
	local l
	while IFS= read -r l; do [ -z "$l" ] || printf '%s%s\n' "${2:-        }" "$l"; done <<<"$1"
}

# vm_handover B: the serial lines from boot B's "handover" fact to the next kernel's banner.
vm_handover() { sed -n "/WBTEST boot=$1 handover/,/Linux version [0-9]/p" "$VM_MARKERS"; }
# vm_said TEXT: warmboot's own messages in TEXT (kernel log time stamps dropped), one line.
vm_said() {
	grep -E 'warmboot|systemd is not|Warm reboot' <<<"$1" | sed 's/^\[ *[0-9.]*\] //' | tr '\n' ' ' || true
}

# vm_json FILE EXPR: a Python expression on the JSON document in FILE (as d); strings printed
# as they are, anything else as JSON. Fails when FILE is not JSON.
vm_json() {
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = eval(sys.argv[2], {"d": d})
print(r if isinstance(r, str) else json.dumps(r))
PY
}

# vm_show_tail LOG [N]: print the last N lines of a serial log (on failures).
vm_show_tail() {
	local n=${2:-60}
	printf -- '---- last %d lines of %s ----\n' "$n" "$1"
	sed -e 's/\r//g' "$1" | tail -n "$n"
	printf -- '---- end of serial log ----\n'
}

# ---------------------------------------------------------------------------------------
# judging a guest run (the checks every test makes the same way)

VM_COUNT_WORDS=(none one two three four five six seven)
VM_ORDINALS=(zeroth first second third fourth fifth sixth seventh eighth)

# vm_expect NAME PATTERN [KEY=VALUE | KEY!=VALUE]...: the judge of the guest's facts: pass if
# a fact matches "WBTEST PATTERN" and its first such line has every KEY, equal (=) or not
# equal (!=) to VALUE; else fail with the line as seen.
vm_expect() {
	local name=$1 pat=$2 line cond key want got
	shift 2
	line=$(wbline "$pat")
	if [ -z "$line" ]; then
		vm_fail "$name" "no 'WBTEST $pat' line"
		return 0
	fi
	for cond in "$@"; do
		case $cond in
		*!=*)
			key=${cond%%!=*} want=${cond#*!=}
			if got=$(vm_field "$line" "$key") && [ "$got" != "$want" ]; then continue; fi
			;;
		*)
			key=${cond%%=*} want=${cond#*=}
			if got=$(vm_field "$line" "$key") && [ "$got" = "$want" ]; then continue; fi
			;;
		esac
		vm_fail "$name" "$line"
		return 0
	done
	vm_pass "$name"
}

# vm_check_qemu: QEMU ended by itself (the guest powered off), status 0, not the time-out.
vm_check_qemu() {
	vm_check "qemu exited by itself (status 0, no timeout)" "status ${VM_QEMU_RC:-none}" \
		test "${VM_QEMU_RC:-none}" = 0
}

# vm_check_boots N: N kernel banners, no kernel panic, no FAIL line from the guest, boots 1..N
# each started once and no boot N+1.
vm_check_boots() {
	local want=$1 n b warm=$(($1 - 1)) s=s
	[ "$warm" -ne 1 ] || s=
	n=$(vm_count "$VM_MARKERS" 'Linux version [0-9]')
	vm_check "${VM_COUNT_WORDS[want]} kernels booted (cold boot + $warm warm reboot$s)" \
		"saw $n 'Linux version' banners" test "$n" -eq "$want"
	n=$(vm_count "$VM_MARKERS" 'Kernel panic')
	vm_check "no kernel panic" "saw $n" test "$n" -eq 0
	n=$(vm_count "$VM_MARKERS" 'WBTEST (boot=[^ ]+ )?FAIL')
	vm_check "no FAIL line from the guest" \
		"$(grep -m3 -E 'WBTEST (boot=[^ ]+ )?FAIL' "$VM_MARKERS" | tr '\n' ' ')" test "$n" -eq 0
	for ((b = 1; b <= want + 1; b++)); do
		n=$(vm_count "$VM_MARKERS" "WBTEST boot=$b start")
		if [ "$b" -le "$want" ]; then
			vm_check "boot $b seen exactly once" "seen $n times" test "$n" -eq 1
		else
			vm_check "no ${VM_ORDINALS[b]} boot" "seen $n times" test "$n" -eq 0
		fi
	done
}

# _vm_lacks_prefix PREFIX WORDS: no line of WORDS starts with PREFIX (a fixed string).
_vm_lacks_prefix() {
	local w
	while IFS= read -r w; do [[ $w != "$1"* ]] || return 1; done <<<"$2"
}

# vm_check_cmdline B MARKER [PARAM | !PREFIX]...: boot B's command line (its cmdline= fact)
# has warmboot.test= once, warmboot.test=MARKER, neither BOOT_IMAGE= nor initrd= (a boot
# loader's), every PARAM and no parameter starting with PREFIX. Leaves it in VM_CMDLINE.
vm_check_cmdline() {
	local b=$1 want=$2 line words n p
	shift 2
	line=$(wbline "boot=$b cmdline=")
	VM_CMDLINE=${line#*cmdline=}
	printf '      boot %s /proc/cmdline: %s\n' "$b" "$VM_CMDLINE"
	words=$(vm_words "$VM_CMDLINE")
	n=$(grep -c '^warmboot\.test=' <<<"$words" || true)
	vm_check "boot $b: warmboot.test= appears exactly once" "seen $n times" test "$n" -eq 1
	vm_check "boot $b: warmboot.test=$want" "" has_word "warmboot.test=$want" "$words"
	vm_check "boot $b: no BOOT_IMAGE=" "" vm_lacks '^BOOT_IMAGE=' "$words"
	vm_check "boot $b: no initrd=" "" vm_lacks '^initrd=' "$words"
	for p in "$@"; do
		case $p in
		!*) vm_check "boot $b: no ${p#!}" "" _vm_lacks_prefix "${p#!}" "$words" ;;
		*) vm_check "boot $b: $p kept" "" has_word "$p" "$words" ;;
		esac
	done
}

# _vm_same A B...: every argument is non-empty and they are all equal.
_vm_same() {
	local a
	for a in "$@"; do [ -n "$a" ] && [ "$a" = "$1" ] || return 1; done
}

# vm_check_data B NAME HOW: the 1 MiB the guest wrote without sync as NAME in boot B-1
# (data_write) reads back in boot B with the same sha256 (data_check) after the hand-over
# HOW. Leaves the sha256 written in VM_DATA_SUM.
vm_check_data() {
	local b=$1 name=$2 how=$3 line saved now
	VM_DATA_SUM=$(vm_field "$(wbline "boot=$((b - 1)) data name=$name ")" sha256 || true)
	line=$(wbline "boot=$b data-check name=$name ")
	saved=$(vm_field "$line" saved || true)
	now=$(vm_field "$line" now || true)
	printf '      data written before the %s: %s; boot %s reads saved=%s now=%s\n' "$how" \
		"${VM_DATA_SUM:-?}" "$b" "${saved:-?}" "${now:-?}"
	vm_check "boot $b: the unsynced 1 MiB file survived the $how (sha256 matches)" "${line:-no data-check line}" \
		_vm_same "$VM_DATA_SUM" "$saved" "$now"
}

# _vm_clean_fslog TEXT: TEXT has lines, none about recovery or orphans.
_vm_clean_fslog() { [ -n "$1" ] && ! grep -qiE 'recover|orphan' <<<"$1"; }

# vm_check_fslog B HOW: boot B's ext4 kernel messages (report_fslog) show the root file
# system mounted and no journal recovery or orphan cleanup: the hand-over HOW left it clean.
vm_check_fslog() {
	local b=$1 how=$2 fsl
	fsl=$(wbdump "boot=$b fslog")
	vm_indent "$fsl" "      boot $b dmesg: "
	vm_check "boot $b: the root file system mounted (EXT4-fs (vda) line in dmesg)" "" \
		vm_contains "EXT4-fs (vda): mounted filesystem" "$fsl"
	vm_check "boot $b: no ext4 journal recovery or orphan cleanup after the $how" \
		"$(grep -iE 'recover|orphan' <<<"$fsl" | tr '\n' ' ')" _vm_clean_fslog "$fsl"
}

# vm_check_disk DISK BOOTS [NAME=SHA256]...: the guest's disk image after QEMU, read without
# mounting it: the boot counter is BOOTS, each data file NAME.bin has SHA256, and e2fsck -fn
# finds the file system clean.
vm_check_disk() {
	local disk=$1 boots=$2 count d sum fsck frc
	shift 2
	count=$(debugfs -R 'cat /var/lib/warmboot-vm/boot-count' "$disk" 2>/dev/null | tr -d '[:space:]' || true)
	vm_check "disk: boot counter is $boots" "boot-count=$count" test "$count" = "$boots"
	for d in "$@"; do
		sum=$(debugfs -R "cat /var/lib/warmboot-vm/${d%%=*}.bin" "$disk" 2>/dev/null | sha256sum | cut -d' ' -f1)
		vm_check "disk: ${d%%=*}.bin on the disk has the sha256 the guest wrote" \
			"disk=$sum guest=${d#*=}" _vm_same "${d#*=}" "$sum"
	done
	fsck=$(e2fsck -fn "$disk" 2>&1) && frc=0 || frc=$?
	vm_check "disk: e2fsck -fn finds the file system clean" \
		"rc=$frc: $(tail -n 3 <<<"$fsck" | tr '\n' ' ')" test "$frc" -eq 0
}

# vm_check_done B: boot B's scenario ran to its end (report_done).
vm_check_done() {
	vm_check "boot $1: scenario finished" "" test "$(vm_count "$VM_MARKERS" "WBTEST boot=$1 done")" -eq 1
}

# vm_check_json NAME FILE: FILE is valid JSON (python3; without it: starts like an object
# or an array).
vm_check_json() {
	if command -v python3 >/dev/null; then
		vm_check "$1" "$(head -c 300 "$2")" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$2"
	else
		vm_check "$1 (looks like JSON: no python3)" "$(head -c 300 "$2")" grep -qE '^[[:space:]]*[[{]' "$2"
	fi
}

# vm_finish [FILE...]: end a test: the serial log's tail if a check failed, FILE... removed
# (unless WARMBOOT_VM_KEEP=1), then "N passed, N failed"; fails if a check failed.
# shellcheck disable=SC2120 # FILE... is optional
vm_finish() {
	[ "$VM_FAILED" -eq 0 ] || vm_show_tail "$VM_MARKERS" 80
	[ "${WARMBOOT_VM_KEEP:-0}" = 1 ] || rm -f "$@"
	vm_say "serial log: ${VM_SERIAL_LOG:-?} (${VM_QEMU_SECS:-?}s in QEMU)"
	vm_summary
	[ "$VM_FAILED" -eq 0 ]
}

# ---------------------------------------------------------------------------------------
# cache

# vm_hash WORD...: a short hash of the given strings (function bodies, versions...).
vm_hash() { printf '%s\n' "$@" | sha256sum | cut -c1-16; }

# vm_cache_lock: serialise builds of cached artefacts (fd 9 stays open until exit).
vm_cache_lock() {
	mkdir -p "$VM_CACHE"
	exec 9>"$VM_CACHE/.lock"
	flock 9
}

# _vm_prune KIND KEEP: drop older cached KIND-* artefacts and leftovers of failed builds
# (call with the cache lock held).
_vm_prune() {
	local kind=$1 keep=$2 d
	for d in "$VM_CACHE/$kind"-* "$VM_CACHE/.$kind".*; do
		if [ ! -e "$d" ] || [ "$d" = "$keep" ]; then continue; fi
		vm_say "removing stale cache $d"
		rm -rf "$d"
	done
}

# ---------------------------------------------------------------------------------------
# the Debian kernel used by the busybox guest

# vm_kernel_pkg: the linux-image-6.1.0-NN-amd64 package that linux-image-amd64 depends on.
vm_kernel_pkg() {
	local pkg
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1)
	if [ -z "$pkg" ]; then
		apt-get update -qq >&2
		pkg=$(apt-cache depends linux-image-amd64 |
			sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1)
	fi
	[ -n "$pkg" ] || vm_die "cannot find the kernel package behind linux-image-amd64"
	printf '%s\n' "$pkg"
}

# _vm_build_kernel DIR PKG: download PKG, extract it, depmod; leaves in DIR:
#   release, vmlinuz, config, modules/ (modules.* index files of lib/modules/R, no .ko)
_vm_build_kernel() {
	local dir=$1 pkg=$2 tmp rel
	tmp=$(mktemp -d "$VM_CACHE/.kernel.XXXXXX")
	# stale package lists may name a version the archive no longer has: update, then retry
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2) ||
		{ apt-get update -qq >&2 && (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2); }
	dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/root"
	rel=${pkg#linux-image-}
	[ -f "$tmp/root/boot/vmlinuz-$rel" ] || vm_die "no /boot/vmlinuz-$rel in $pkg"
	depmod -b "$tmp/root" "$rel"
	mkdir -p "$tmp/out/modules"
	cp "$tmp/root/boot/vmlinuz-$rel" "$tmp/out/vmlinuz"
	cp "$tmp/root/boot/config-$rel" "$tmp/out/config"
	find "$tmp/root/lib/modules/$rel" -maxdepth 1 -type f -name 'modules.*' \
		-exec cp {} "$tmp/out/modules/" \;
	printf '%s\n' "$rel" >"$tmp/out/release"
	rm -rf "$dir"
	mv "$tmp/out" "$dir"
	rm -rf "$tmp"
}

# vm_kernel: echo the cache dir holding the busybox guest's kernel (built if needed).
vm_kernel() {
	local pkg key dir
	pkg=$(vm_kernel_pkg)
	key=$(vm_hash "$(declare -f _vm_build_kernel)" "$pkg")
	dir=$VM_CACHE/kernel-$key
	if [ ! -f "$dir/release" ]; then
		vm_cache_lock
		if [ ! -f "$dir/release" ]; then
			vm_say "fetching $pkg into $dir"
			_vm_prune kernel "$dir"
			_vm_build_kernel "$dir" "$pkg"
		fi
	fi
	printf '%s\n' "$dir"
}

# ---------------------------------------------------------------------------------------
# the debootstrapped Debian 12 tree used by the systemd guest and the demo

_vm_build_debian() {
	local dir=$1 tmp
	tmp=$(mktemp -d "$VM_CACHE/.debian.XXXXXX")
	# kexec-tools: for bench/warm-reboot.sh (the kexec -l + systemctl kexec baseline)
	if ! debootstrap --variant=minbase --include=systemd-sysv,kmod,udev,dbus,kexec-tools,linux-image-amd64 \
		"$VM_DEBIAN_SUITE" "$tmp/rootfs" "$VM_DEBIAN_MIRROR" >"$tmp/debootstrap.log" 2>&1; then
		tail -n 30 "$tmp/debootstrap.log" >&2
		vm_die "debootstrap failed (log: $tmp/debootstrap.log)"
	fi
	# Trim what a test VM does not need and what would only slow the boots down.
	rm -rf "$tmp/rootfs/var/cache/apt/archives/"*.deb "$tmp/rootfs/var/lib/apt/lists/"*
	printf 'warmboot-vm\n' >"$tmp/rootfs/etc/hostname"
	printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' >"$tmp/rootfs/etc/fstab"
	# kexec-tools must not turn every reboot into a kexec of its own (LOAD_KEXEC)
	if [ -f "$tmp/rootfs/etc/default/kexec" ]; then
		sed -i 's/^LOAD_KEXEC=.*/LOAD_KEXEC=false/' "$tmp/rootfs/etc/default/kexec"
	fi
	# no password for root: the console is only for debugging by hand
	chroot "$tmp/rootfs" passwd -d root >/dev/null
	ls "$tmp/rootfs/boot/vmlinuz-"* "$tmp/rootfs/boot/initrd.img-"* >/dev/null
	rm -rf "$dir"
	mkdir -p "$dir"
	mv "$tmp/rootfs" "$dir/rootfs"
	basename "$(ls "$dir/rootfs/boot/vmlinuz-"*)" | sed 's/^vmlinuz-//' >"$dir/release"
	rm -rf "$tmp"
}

# vm_debian: echo the cache dir holding rootfs/ and release (debootstraps if needed).
vm_debian() {
	local key dir
	key=$(vm_hash "$(declare -f _vm_build_debian)" "$VM_DEBIAN_SUITE" "$VM_DEBIAN_MIRROR")
	dir=$VM_CACHE/debian-$key
	if [ ! -f "$dir/release" ]; then
		vm_cache_lock
		if [ ! -f "$dir/release" ]; then
			vm_say "debootstrapping Debian $VM_DEBIAN_SUITE into $dir (a few minutes, once)"
			_vm_prune debian "$dir"
			_vm_build_debian "$dir"
		fi
	fi
	printf '%s\n' "$dir"
}

# vm_debian_disk CACHEDIR PAYLOAD DISK: a fresh ext4 disk image of the cached tree with the
# files under PAYLOAD laid over it. The cached tree is never modified: the work tree is a
# hard-link farm and payload files replace links (rm, then copy).
vm_debian_disk() {
	local cache=$1 payload=$2 disk=$3 work
	# the link farm must be on the cache's file system; drop leftovers of killed runs
	find "$VM_CACHE" -maxdepth 1 -name '.work.*' -mmin +720 -exec rm -rf {} + 2>/dev/null || true
	work=$(mktemp -d "$VM_CACHE/.work.XXXXXX")/rootfs
	cp -al "$cache/rootfs" "$work" 2>/dev/null || { rm -rf "$work"; cp -a "$cache/rootfs" "$work"; }
	(cd "$payload" && find . -mindepth 1 ! -type d -print0) |
		while IFS= read -r -d '' f; do rm -f "$work/$f"; done
	cp -a --remove-destination "$payload/." "$work/"
	rm -f "$disk"
	mkfs.ext4 -q -F -L warmboot-vm -d "$work" "$disk" 2G >/dev/null
	rm -rf "$(dirname "$work")"
}

# vm_fake_display_payload PAYLOAD: a display server for the GPU guests, fake-display.service,
# part of graphical.target only (so that isolating multi-user.target stops it); it keeps
# /dev/dri/card0 open once udev has loaded the driver. graphical.target is the default.
vm_fake_display_payload() {
	local payload=$1
	mkdir -p "$payload/usr/local/lib/warmboot-vm" "$payload/etc/systemd/system/graphical.target.wants"
	cat >"$payload/usr/local/lib/warmboot-vm/fake-display" <<'EOF'
#!/bin/sh
# waits for the driver (udev loads it), then keeps /dev/dri/card0 open
for _ in $(seq 300); do
	[ -e /dev/dri/card0 ] && break
	sleep 0.2
done
exec sleep infinity </dev/dri/card0
EOF
	chmod 0755 "$payload/usr/local/lib/warmboot-vm/fake-display"
	cat >"$payload/etc/systemd/system/fake-display.service" <<'EOF'
[Unit]
Description=Stands for a display server: keeps /dev/dri/card0 open

[Service]
ExecStart=/usr/local/lib/warmboot-vm/fake-display

[Install]
WantedBy=graphical.target
EOF
	ln -sf ../fake-display.service "$payload/etc/systemd/system/graphical.target.wants/fake-display.service"
	ln -sf /lib/systemd/system/graphical.target "$payload/etc/systemd/system/default.target"
}

# vm_unit_payload PAYLOAD NAME SCRIPT [TYPE]: install SCRIPT as /usr/local/lib/warmboot-vm/NAME
# (with the guests' report.sh beside it) and a unit NAME.service wanted by multi-user.target that runs it, output to console. TYPE is
# the service type: oneshot (the default; multi-user.target is reached only after the script
# ends) or simple (the boot goes on to graphical.target while the script runs).
vm_unit_payload() {
	local payload=$1 name=$2 script=$3 type=${4:-oneshot}
	mkdir -p "$payload/usr/local/lib/warmboot-vm" "$payload/etc/systemd/system/multi-user.target.wants"
	install -m 0755 "$script" "$payload/usr/local/lib/warmboot-vm/$name"
	install -m 0644 "$VM_GUEST_REPORT" "$payload/usr/local/lib/warmboot-vm/report.sh"
	cat >"$payload/etc/systemd/system/$name.service" <<EOF
[Unit]
Description=warmboot VM scenario ($name)
After=local-fs.target systemd-journald.service

[Service]
Type=$type
ExecStart=/usr/local/lib/warmboot-vm/$name
StandardOutput=journal+console
StandardError=journal+console
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
EOF
	ln -sf "../$name.service" "$payload/etc/systemd/system/multi-user.target.wants/$name.service"
	# no login prompt on the serial console: it only adds noise to the log
	ln -sf /dev/null "$payload/etc/systemd/system/serial-getty@ttyS0.service"
}

# ---------------------------------------------------------------------------------------
# warmboot binary

# vm_check_binary: make sure $WARMBOOT_BIN exists and is an ELF executable.
vm_check_binary() {
	[ -x "$WARMBOOT_BIN" ] || vm_die "no warmboot binary at $WARMBOOT_BIN (build it: meson setup build && ninja -C build, or set WARMBOOT_BIN)"
	case "$(head -c4 "$WARMBOOT_BIN" | od -An -c | tr -d ' ')" in
	177ELF) ;;
	*) vm_die "$WARMBOOT_BIN is not an ELF binary" ;;
	esac
}

# vm_copy_with_libs ROOT FILE DEST: copy FILE to ROOT/DEST plus every library ldd lists.
vm_copy_with_libs() {
	local root=$1 file=$2 dest=$3 lib
	install -D -m 0755 "$file" "$root$dest"
	while read -r lib; do
		[ -n "$lib" ] || continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done < <(ldd "$file" | sed -n -e 's/.*=> \(\/[^ ]*\) .*/\1/p' -e 's/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' | sort -u)
}

# ---------------------------------------------------------------------------------------
# busybox initramfs guests (tests/vm/busybox.sh, tests/vm/entries.sh)

# vm_busybox_root ROOT INIT: a busybox root file system in ROOT with INIT as /init, the guests'
# report.sh, $WARMBOOT_BIN (and its libraries) as /usr/local/sbin/warmboot, a Debian-like
# os-release, root in passwd and group, /dev/console and /dev/null.
vm_busybox_root() {
	local root=$1 applet
	if [ -z "$root" ] || [ "$root" = / ]; then vm_die "vm_busybox_root: no root directory given"; fi
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/sbin,usr/local/lib/warmboot-vm,etc,proc,sys,dev,tmp,run,boot,root}
	cp /bin/busybox "$root/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
	done
	install -m 0755 "$2" "$root/init"
	install -m 0644 "$VM_GUEST_REPORT" "$root/usr/local/lib/warmboot-vm/report.sh"
	vm_copy_with_libs "$root" "$WARMBOOT_BIN" /usr/local/sbin/warmboot
	cat >"$root/etc/os-release" <<'EOF'
PRETTY_NAME="warmboot busybox test guest"
NAME="warmboot-busybox"
ID=warmboot-busybox
ID_LIKE=debian
EOF
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\n' >"$root/etc/group"
	mknod -m 0600 "$root/dev/console" c 5 1
	mknod -m 0666 "$root/dev/null" c 1 3
}

# vm_root_kernel ROOT KDIR: the kernel of the cache dir KDIR (vm_kernel) in ROOT's /boot
# (vmlinuz-R, config-R) and its modules.* index files in /lib/modules/R.
vm_root_kernel() {
	local root=$1 r
	if [ -z "$root" ] || [ "$root" = / ]; then vm_die "vm_root_kernel: no root directory given"; fi
	r=$(cat "$2/release")
	mkdir -p "$root/boot" "$root/lib/modules/$r"
	cp "$2/vmlinuz" "$root/boot/vmlinuz-$r"
	cp "$2/config" "$root/boot/config-$r"
	cp "$2/modules/"* "$root/lib/modules/$r/"
}

# vm_cpio DIR OUT: DIR as a gzip-compressed newc cpio archive (an initramfs), owned by root.
vm_cpio() { (cd "$1" && find . -print | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$2"; }

# vm_payload_binary PAYLOAD TREE FILE DEST: put the host's FILE at PAYLOAD/DEST, plus any
# library ldd lists that the guest tree TREE lacks (the guest's own are kept).
vm_payload_binary() {
	local payload=$1 tree=$2 file=$3 lib dest
	install -D -m 0755 "$file" "$payload$4"
	while read -r lib; do
		[ -n "$lib" ] || continue
		if [ ! -e "$tree$lib" ]; then
			# Debian 12 is merged-/usr: /lib and /lib64 are symlinks into /usr
			dest=/usr${lib#/usr}
			vm_say "the guest lacks $lib: copying it from the host to $dest"
			mkdir -p "$payload$(dirname "$dest")"
			cp -L "$lib" "$payload$dest"
		fi
	done < <(ldd "$file" | sed -n -e 's/.*=> \(\/[^ ]*\) .*/\1/p' | sort -u)
}

# vm_payload_warmboot PAYLOAD TREE: $WARMBOOT_BIN at PAYLOAD/usr/local/sbin/warmboot, with
# what it needs of the host's libraries (vm_payload_binary), and warmboot-confirm.service
# installed as meson installs it under /usr/local (wanted by multi-user.target).
vm_payload_warmboot() {
	local units=$1/usr/local/lib/systemd/system
	vm_payload_binary "$1" "$2" "$WARMBOOT_BIN" /usr/local/sbin/warmboot
	mkdir -p "$units/multi-user.target.wants"
	sed 's|@SBINDIR@|/usr/local/sbin|' "$VM_REPO/units/warmboot-confirm.service.in" \
		>"$units/warmboot-confirm.service"
	ln -sfn ../warmboot-confirm.service "$units/multi-user.target.wants/warmboot-confirm.service"
}

# ---------------------------------------------------------------------------------------
# QEMU

# _vm_qemu_run TIMEOUT ARGS...: qemu-system-x86_64 under timeout: TCG, WARMBOOT_VM_SMP CPUs,
# WARMBOOT_VM_MEM MiB, no display, monitor or network; ARGS say where the serial goes.
_vm_qemu_run() {
	local tmo=$1
	shift
	timeout -k 10 "$tmo" qemu-system-x86_64 -accel tcg -cpu max -smp "${WARMBOOT_VM_SMP:-2}" \
		-m "${WARMBOOT_VM_MEM:-1024}" -nographic -monitor none -net none "$@" </dev/null
}

# vm_qemu TIMEOUT LOG ARGS...: run qemu-system-x86_64 (TCG, serial to LOG) under timeout.
# Returns QEMU's status; 124 means the timeout hit.
vm_qemu() {
	local tmo=$1 log=$2 rc=0
	shift 2
	: >"$log"
	_vm_qemu_run "$tmo" -serial "file:$log" "$@" || rc=$?
	return "$rc"
}

# vm_boot TIMEOUT LOG QEMU-ARGS...: boots a guest under vm_qemu and says how it ended;
# VM_QEMU_RC is QEMU's exit status (124/137: the time-out), VM_QEMU_SECS how long it ran.
# The serial log LOG (*.log) is cleaned into *.txt beside it, which the checks then read
# (VM_MARKERS; VM_SERIAL_LOG is LOG).
vm_boot() {
	local timeout=$1 log=$2 start=$SECONDS
	shift 2
	VM_QEMU_RC=0
	VM_SERIAL_LOG=$log
	vm_qemu "$timeout" "$log" "$@" || VM_QEMU_RC=$?
	VM_QEMU_SECS=$((SECONDS - start))
	vm_say "QEMU exited with status $VM_QEMU_RC after ${VM_QEMU_SECS}s"
	vm_clean_log "$log" "${log%.log}.txt"
}

# vm_boot_stamped TIMEOUT LOG STAMPS QEMU-ARGS...: vm_boot, with the serial output read
# through a pipe and every line time-stamped on the host as it arrives ("MICROSECONDS LINE"
# in STAMPS, see vm_stamp_lines), and QEMU's CPU time so far beside each line in *.cpu (one
# line of clock ticks for every line of STAMPS); LOG gets the lines without the stamps. Sets
# VM_QEMU_RC, VM_QEMU_SECS and VM_SERIAL_LOG as vm_boot does; QEMU's own messages go to
# *.qemu-stderr.
vm_boot_stamped() {
	local timeout=$1 log=$2 stamps=$3 start=$SECONDS base
	shift 3
	base=${log%.log}
	VM_SERIAL_LOG=$log
	rm -f "$base.rc" "$base.pid"
	{
		rc=0
		_vm_qemu_run "$timeout" -serial stdio -pidfile "$base.pid" "$@" 2>"$base.qemu-stderr" || rc=$?
		printf '%s\n' "$rc" >"$base.rc"
	} | vm_stamp_lines "$stamps" "$base.cpu" "$base.pid"
	VM_QEMU_RC=$(cat "$base.rc" 2>/dev/null || echo none)
	VM_QEMU_SECS=$((SECONDS - start))
	cut -d' ' -f2- "$stamps" >"$log"
	vm_say "QEMU exited with status $VM_QEMU_RC after ${VM_QEMU_SECS}s"
	if [ -s "$base.qemu-stderr" ]; then
		vm_say "QEMU's messages ($base.qemu-stderr):"
		head -n 20 "$base.qemu-stderr" >&2
	fi
	vm_clean_log "$log" "${log%.log}.txt"
}

# vm_results_dir NAME: a fresh directory for one run's logs and scratch files.
vm_results_dir() {
	local d=$VM_LOGS/$1
	mkdir -p "$VM_LOGS"
	rm -rf "$d"
	mkdir -p "$d"
	printf '%s\n' "$d"
}

# ---------------------------------------------------------------------------------------
# host timestamps of serial lines (tools/demo-vm, bench/warm-reboot.sh)

# vm_us TIMESTAMP: $EPOCHREALTIME ("s.uuuuuu") as integer microseconds
vm_us() { local t=$1; printf '%s' "$((10#${t%.*} * 1000000 + 10#${t#*.}))"; }

# vm_secs MICROSECONDS [DIGITS]: seconds with DIGITS decimals (default 1), e.g. "12.3"
vm_secs() {
	local u=$1 d=${2:-1} sign='' scale=1
	if [ "$u" -lt 0 ]; then sign=-; u=$((-u)); fi
	[ "$d" -gt 0 ] || { printf '%s%d' "$sign" "$(((u + 500000) / 1000000))"; return; }
	scale=$((10 ** d))
	u=$(((u * scale + 500000) / 1000000))
	printf '%s%d.%0*d' "$sign" "$((u / scale))" "$d" "$((u % scale))"
}

# vm_stamp_lines OUT [CPU PIDFILE]: read serial output on stdin and write "MICROSECONDS LINE"
# to OUT, one line per serial line as it arrives (CRs removed). With CPU and PIDFILE, also one
# line in CPU for every line of OUT: the CPU time the process named in PIDFILE (QEMU) has used
# until then, user plus system, in clock ticks (getconf CLK_TCK of them a second), or "-"
# while it is not known. Unlike the host clock, that time does not grow while other processes
# have the host's CPUs.
vm_stamp_lines() {
	local line pid='' stat cpu f=()
	exec 3>"$1"
	[ -z "${2:-}" ] || exec 4>"$2"
	while IFS= read -r line || [ -n "$line" ]; do
		printf '%s %s\n' "$(vm_us "$EPOCHREALTIME")" "${line//$'\r'/}" >&3
		[ -n "${2:-}" ] || continue
		if [ -z "$pid" ]; then read -r pid 2>/dev/null <"$3" || pid=''; fi
		cpu=-
		if [ -n "$pid" ] && read -r stat 2>/dev/null <"/proc/$pid/stat"; then
			# the fields after "PID (COMM) ": utime and stime are the 12th and 13th
			read -r -a f <<<"${stat##*) }"
			cpu=$((f[11] + f[12]))
		fi
		printf '%s\n' "$cpu" >&4
	done
	exec 3>&-
	[ -z "${2:-}" ] || exec 4>&-
}

# ---------------------------------------------------------------------------------------
# a second, older Debian kernel and systemd-boot's EFI stub (tests/vm/entries.sh)

# _vm_build_kernel_tree DIR TREE REL: the same layout as _vm_build_kernel (release, vmlinuz,
# config, modules/), copied from the kernel REL installed in the Debian tree TREE.
_vm_build_kernel_tree() {
	local dir=$1 tree=$2 rel=$3 tmp
	tmp=$(mktemp -d "$VM_CACHE/.older-kernel.XXXXXX")
	mkdir -p "$tmp/out/modules"
	cp "$tree/boot/vmlinuz-$rel" "$tmp/out/vmlinuz"
	cp "$tree/boot/config-$rel" "$tmp/out/config"
	find "$tree/usr/lib/modules/$rel" -maxdepth 1 -type f -name 'modules.*' \
		-exec cp {} "$tmp/out/modules/" \;
	printf '%s\n' "$rel" >"$tmp/out/release"
	rm -rf "$dir"
	mv "$tmp/out" "$dir"
	rm -rf "$tmp"
}

# vm_kernel_older NEWER: echo a cache dir laid out as vm_kernel's, holding a Debian kernel
# whose release is older than NEWER (e.g. 6.1.0-56-amd64). Taken from, in this order: the
# package WARMBOOT_VM_OLD_KERNEL (e.g. linux-image-6.1.0-50-amd64); the kernel of an already
# cached Debian tree (vm_debian), when it is older; the newest linux-image-X-NN-FLAVOUR of
# the same X and FLAVOUR below NEWER that apt can download.
vm_kernel_older() {
	local newer=$1 pkg='' tree='' rel='' t r key dir re
	if [ -n "${WARMBOOT_VM_OLD_KERNEL:-}" ]; then
		pkg=$WARMBOOT_VM_OLD_KERNEL
	else
		for t in "$VM_CACHE"/debian-*/rootfs; do
			[ -f "${t%/rootfs}/release" ] || continue
			r=$(cat "${t%/rootfs}/release")
			if [ -f "$t/boot/vmlinuz-$r" ] && [ -f "$t/boot/config-$r" ] &&
				dpkg --compare-versions "$r" lt "$newer"; then
				tree=$t rel=$r
				break
			fi
		done
		if [ -z "$tree" ]; then
			re="^linux-image-${newer%-*-*}-[0-9]+-${newer##*-}\$"
			re=${re//./\\.}
			pkg=$(apt-cache search --names-only "$re" 2>/dev/null | cut -d' ' -f1 |
				sed 's/^linux-image-//' | while read -r r; do
					if dpkg --compare-versions "$r" lt "$newer"; then printf '%s\n' "$r"; fi
				done | sort -V | tail -n1)
			[ -n "$pkg" ] || vm_die "no Debian kernel older than $newer found (set WARMBOOT_VM_OLD_KERNEL=linux-image-...)"
			pkg=linux-image-$pkg
		fi
	fi
	if [ -n "$tree" ]; then
		key=$(vm_hash "$(declare -f _vm_build_kernel_tree)" "$tree" "$rel")
	else
		key=$(vm_hash "$(declare -f _vm_build_kernel)" "$pkg")
	fi
	dir=$VM_CACHE/older-kernel-$key
	if [ ! -f "$dir/release" ]; then
		vm_cache_lock
		if [ ! -f "$dir/release" ]; then
			_vm_prune older-kernel "$dir"
			if [ -n "$tree" ]; then
				vm_say "copying kernel $rel from $tree into $dir"
				_vm_build_kernel_tree "$dir" "$tree" "$rel"
			else
				vm_say "fetching $pkg into $dir"
				_vm_build_kernel "$dir" "$pkg"
			fi
		fi
	fi
	printf '%s\n' "$dir"
}

# _vm_build_efi_stub DIR: systemd-boot's x86-64 EFI stub, from Debian's systemd-boot-efi
# package, downloaded and unpacked (never installed: that could touch the host's ESP).
_vm_build_efi_stub() {
	local dir=$1 tmp
	tmp=$(mktemp -d "$VM_CACHE/.efistub.XXXXXX")
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root systemd-boot-efi >&2) ||
		{ apt-get update -qq >&2 && (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root systemd-boot-efi >&2); }
	dpkg-deb -x "$tmp"/systemd-boot-efi_*.deb "$tmp/root"
	[ -f "$tmp/root/usr/lib/systemd/boot/efi/linuxx64.efi.stub" ] ||
		vm_die "no linuxx64.efi.stub in systemd-boot-efi"
	mkdir -p "$tmp/out"
	cp "$tmp/root/usr/lib/systemd/boot/efi/linuxx64.efi.stub" "$tmp/out/"
	dpkg-deb -f "$tmp"/systemd-boot-efi_*.deb Version >"$tmp/out/version"
	rm -rf "$dir"
	mv "$tmp/out" "$dir"
	rm -rf "$tmp"
}

# vm_efi_stub: echo the path of the cached linuxx64.efi.stub (downloaded if needed).
vm_efi_stub() {
	local key dir
	key=$(vm_hash "$(declare -f _vm_build_efi_stub)")
	dir=$VM_CACHE/efistub-$key
	if [ ! -f "$dir/version" ]; then
		vm_cache_lock
		if [ ! -f "$dir/version" ]; then
			vm_say "fetching systemd-boot-efi into $dir"
			_vm_prune efistub "$dir"
			_vm_build_efi_stub "$dir"
		fi
	fi
	printf '%s\n' "$dir/linuxx64.efi.stub"
}

# vm_uki OUT STUB VMLINUZ INITRD CMDLINE OSREL UNAME: build a unified kernel image with
# objcopy: the stub plus .osrel, .cmdline, .uname, .linux and .initrd sections placed after
# the stub's own (each section's address rounded up to 1 MiB past the previous one).
vm_uki() {
	local out=$1 stub=$2 linux=$3 initrd=$4 tmp end sz vma_linux vma_initrd
	tmp=$(mktemp -d)
	printf '%s' "$5" >"$tmp/cmdline"
	printf '%s\n' "$6" >"$tmp/osrel"
	printf '%s' "$7" >"$tmp/uname"
	# the end of the stub's last section (VMA + size), from objdump -h
	end=0
	while read -r sz vma_linux; do
		[ $((0x$vma_linux + 0x$sz)) -le "$end" ] || end=$((0x$vma_linux + 0x$sz))
	done < <(objdump -h "$stub" | awk '$1 ~ /^[0-9]+$/ { print $3, $4 }')
	[ "$end" -lt $((0x20000)) ] || vm_die "the EFI stub $stub ends at $end, past 0x20000"
	vma_linux=$((0x2000000))
	sz=$(stat -c %s "$linux")
	vma_initrd=$(((vma_linux + sz + 0xfffff) / 0x100000 * 0x100000))
	objcopy \
		--add-section .osrel="$tmp/osrel" --change-section-vma .osrel=0x20000 \
		--add-section .cmdline="$tmp/cmdline" --change-section-vma .cmdline=0x30000 \
		--add-section .uname="$tmp/uname" --change-section-vma .uname=0x40000 \
		--add-section .linux="$linux" --change-section-vma .linux="$(printf '0x%x' "$vma_linux")" \
		--add-section .initrd="$initrd" --change-section-vma .initrd="$(printf '0x%x' "$vma_initrd")" \
		"$stub" "$out"
	rm -rf "$tmp"
}

# ---------------------------------------------------------------------------------------
# UEFI guests: OVMF, a GPT disk with an ESP, GRUB installed in the image (tests/vm/uefi-grub.sh)

# shellcheck source=SCRIPTDIR/lib-uefi.sh
. "$VM_LIB_DIR/lib-uefi.sh"
