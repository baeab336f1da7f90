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
#   WARMBOOT_VM_TIMEOUT      seconds before QEMU is killed     (busybox 240, debian/demo 600)

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

vm_pass() { VM_PASSED=$((VM_PASSED + 1)); printf 'PASS  %s\n' "$1"; }
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

vm_summary() { printf '%d passed, %d failed\n' "$VM_PASSED" "$VM_FAILED"; }

# ---------------------------------------------------------------------------------------
# serial-log helpers (the log has CRLF line ends and may interleave kernel messages)

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
# wbdump TAG: the lines of an output the guest dumped as "WBTEST TAG| ...".
wbdump() { grep -F "WBTEST $1| " "$VM_MARKERS" | sed "s/.*WBTEST $1| //" || true; }
# wbmsg LINE: the msg=... part of a marker line.
wbmsg() { case "$1" in *msg=*) printf '%s' "${1#*msg=}" ;; esac; }
# has_word WORD TEXT: TEXT (one word a line) has WORD as a whole line.
has_word() { grep -qx -- "$1" <<<"$2"; }

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

# vm_show_tail LOG [N]: print the last N lines of a serial log (on failures).
vm_show_tail() {
	local n=${2:-60}
	printf -- '---- last %d lines of %s ----\n' "$n" "$1"
	sed -e 's/\r//g' "$1" | tail -n "$n"
	printf -- '---- end of serial log ----\n'
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

# vm_unit_payload PAYLOAD NAME SCRIPT [TYPE]: install SCRIPT as /usr/local/lib/warmboot-vm/NAME
# and a unit NAME.service wanted by multi-user.target that runs it, output to console. TYPE is
# the service type: oneshot (the default; multi-user.target is reached only after the script
# ends) or simple (the boot goes on to graphical.target while the script runs).
vm_unit_payload() {
	local payload=$1 name=$2 script=$3 type=${4:-oneshot}
	mkdir -p "$payload/usr/local/lib/warmboot-vm" "$payload/etc/systemd/system/multi-user.target.wants"
	install -m 0755 "$script" "$payload/usr/local/lib/warmboot-vm/$name"
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

# vm_payload_warmboot PAYLOAD TREE: put $WARMBOOT_BIN at PAYLOAD/usr/local/sbin/warmboot,
# plus any library ldd lists that the guest tree TREE lacks.
vm_payload_warmboot() {
	local payload=$1 tree=$2 lib dest
	install -D -m 0755 "$WARMBOOT_BIN" "$payload/usr/local/sbin/warmboot"
	while read -r lib; do
		[ -n "$lib" ] || continue
		if [ ! -e "$tree$lib" ]; then
			# Debian 12 is merged-/usr: /lib and /lib64 are symlinks into /usr
			dest=/usr${lib#/usr}
			vm_say "the guest lacks $lib: copying it from the host to $dest"
			mkdir -p "$payload$(dirname "$dest")"
			cp -L "$lib" "$payload$dest"
		fi
	done < <(ldd "$WARMBOOT_BIN" | sed -n -e 's/.*=> \(\/[^ ]*\) .*/\1/p' | sort -u)
}

# ---------------------------------------------------------------------------------------
# QEMU

# vm_qemu TIMEOUT LOG ARGS...: run qemu-system-x86_64 (TCG, serial to LOG) under timeout.
# Returns QEMU's status; 124 means the timeout hit.
vm_qemu() {
	local tmo=$1 log=$2 rc=0
	shift 2
	: >"$log"
	timeout -k 10 "$tmo" qemu-system-x86_64 -accel tcg -cpu max -smp "${WARMBOOT_VM_SMP:-2}" -m 1024 \
		-nographic -monitor none -serial "file:$log" -net none "$@" </dev/null || rc=$?
	return "$rc"
}

# vm_boot TIMEOUT LOG QEMU-ARGS...: boots a guest under vm_qemu and says how it ended;
# VM_QEMU_RC is QEMU's exit status (124/137: the time-out), VM_QEMU_SECS how long it ran.
vm_boot() {
	local timeout=$1 log=$2 start=$SECONDS
	shift 2
	VM_QEMU_RC=0
	vm_qemu "$timeout" "$log" "$@" || VM_QEMU_RC=$?
	VM_QEMU_SECS=$((SECONDS - start))
	vm_say "QEMU exited with status $VM_QEMU_RC after ${VM_QEMU_SECS}s"
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

# vm_stamp_lines OUT: read serial output on stdin and write "MICROSECONDS LINE" to OUT, one
# line per serial line as it arrives (CRs removed).
vm_stamp_lines() {
	local line
	exec 3>"$1"
	while IFS= read -r line || [ -n "$line" ]; do
		printf '%s %s\n' "$(vm_us "$EPOCHREALTIME")" "${line//$'\r'/}" >&3
	done
	exec 3>&-
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
