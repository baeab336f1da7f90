# shellcheck shell=bash
# The UEFI guests of warmboot's QEMU test rig (tests/vm/uefi-grub.sh): OVMF firmware, a GPT
# disk with an EFI system partition and an ext4 root, GRUB installed into the image by its own
# grub-install and update-grub. Sourced by tools/lib-vm.sh (which it needs); defines functions
# and variables only.
#
# Safety: everything that mounts, chroots or removes works inside a build directory
# $VM_CACHE/.uefi-grub.XXXXXX and checks that first (_vm_uefi_guard); loop devices and mounts
# are released by a trap of the build's own subshell; nothing is removed while something is
# still mounted below it. Nothing here boots or kexecs anything on the host.
#
# Knobs: WARMBOOT_VM_OVMF_CODE, WARMBOOT_VM_OVMF_VARS (default Debian's OVMF_*_4M.fd).

VM_OVMF_CODE=${WARMBOOT_VM_OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
VM_OVMF_VARS=${WARMBOOT_VM_OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
# what the host needs for the UEFI guests besides VM_HOST_PKGS (mkfs.vfat, mcopy, sfdisk)
# shellcheck disable=SC2034
VM_UEFI_PKGS=(ovmf mtools dosfstools fdisk python3)

# The disk (512-byte sectors): GPT, the ESP (FAT32, 128 MiB) at 1 MiB, the ext4 root (3 GiB)
# after it, 1 MiB spare at the end for the backup GPT. Fixed identifiers: every image is the
# same, and the per-run root file system gets the UUID GRUB's image and grub.cfg search for.
VM_UEFI_ESP_START=2048
VM_UEFI_ESP_SECTORS=262144
VM_UEFI_ROOT_START=264192
VM_UEFI_ROOT_SECTORS=6291456
VM_UEFI_DISK_SECTORS=$((VM_UEFI_ROOT_START + VM_UEFI_ROOT_SECTORS + 2048))
VM_UEFI_ROOT_UUID=3f9d5c2e-7b1a-4e6f-9a8d-2c5b7e1f4a90
VM_UEFI_ESP_ID=5EC71A2B
VM_UEFI_DISK_GUID=8E2B6F4A-1C3D-4E5F-9A7B-0D1E2F3A4B5C
VM_UEFI_ESP_PARTUUID=2A6C4E8F-0B1D-4F3A-8C5E-7D9F1B3A5C7E
VM_UEFI_ROOT_PARTUUID=6B8D0F2A-4C6E-4A1B-9D3F-5E7A9C1B3D5F
# the guests' only added GRUB setting: a drop-in (Debian's /etc/default/grub stays as shipped)
VM_UEFI_GRUB_DROPIN=/etc/default/grub.d/50-warmboot-vm-serial.cfg

# ---------------------------------------------------------------------------------------
# guards: paths a root shell may mount on, chroot into or remove

# _vm_uefi_cache_ok: VM_CACHE is an absolute path other than /.
_vm_uefi_cache_ok() {
	case $VM_CACHE in
	/?*) ;;
	*) vm_die "WARMBOOT_VM_CACHE must be an absolute path (is '$VM_CACHE')" ;;
	esac
	[ "$(realpath -m "$VM_CACHE")" != / ] || vm_die "WARMBOOT_VM_CACHE must not be /"
}

# _vm_uefi_guard DIR [FILE]: die unless DIR is an existing directory (not a symbolic link)
# that is a build directory $VM_CACHE/.uefi-grub.* or inside one and, if given, DIR/FILE
# exists.
_vm_uefi_guard() {
	local d=$1 real
	_vm_uefi_cache_ok
	case $d in
	"$VM_CACHE"/.uefi-grub.?* | "$VM_CACHE"/.uefi-sb.?* | "$VM_CACHE"/.uefi-sdboot.?*) ;;
	*) vm_die "refusing to work on '$d': not inside a $VM_CACHE/.uefi-grub.* build directory" ;;
	esac
	if [ ! -d "$d" ] || [ -L "$d" ]; then vm_die "refusing to work on '$d': not a directory"; fi
	real=$(realpath -e "$d")
	[ "$real" = "$d" ] || vm_die "refusing to work on '$d': it resolves to '$real'"
	[ $# -lt 2 ] || [ -e "$d/$2" ] || vm_die "refusing to work on '$d': it has no $2"
}

# _vm_uefi_mounts_under DIR: the mount points at or below DIR, deepest first.
_vm_uefi_mounts_under() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# _vm_uefi_release DIR: unmount everything at or below DIR and detach the loop devices of its
# disk images; fails if a mount is left.
_vm_uefi_release() {
	local d=$1 m f l
	[ -n "$d" ] || return 1
	while read -r m; do
		[ -n "$m" ] || continue
		umount "$m" 2>/dev/null || umount -l "$m" || true
	done < <(_vm_uefi_mounts_under "$d")
	for f in "$d"/*.raw; do
		[ -f "$f" ] || continue
		while read -r l; do
			if [ -n "$l" ]; then losetup -d "$l" 2>/dev/null || true; fi
		done < <(losetup -j "$f" -n -O NAME 2>/dev/null)
	done
	[ -z "$(_vm_uefi_mounts_under "$d")" ]
}

# _vm_uefi_rm DIR: remove a build or cache directory of the UEFI guests, never across a mount.
_vm_uefi_rm() {
	local d=$1
	_vm_uefi_cache_ok
	case $d in
	"$VM_CACHE"/.uefi-grub.?* | "$VM_CACHE"/uefi-grub-?* | "$VM_CACHE"/.uefi-sb.?* | "$VM_CACHE"/uefi-sb-?* | \
		"$VM_CACHE"/.uefi-sdboot.?* | "$VM_CACHE"/uefi-sdboot-?*) ;;
	*) vm_die "refusing to remove '$d'" ;;
	esac
	[ -e "$d" ] || return 0
	_vm_uefi_release "$d" || vm_die "something is still mounted below $d: not removing it"
	rm -rf --one-file-system -- "$d"
}

# _vm_uefi_mount DIR ARGS...: mount ARGS... on DIR (a guarded directory in a build dir).
_vm_uefi_mount() {
	local d=$1
	shift
	_vm_uefi_guard "$d"
	mount "$@" "$d"
}

# ---------------------------------------------------------------------------------------
# the image: debootstrap, a second kernel, a GPT disk, grub-install and update-grub in it

# _vm_uefi_older_kernel TREE: the newest linux-image-6.1.0-NN-amd64 of the tree's own package
# lists (the suite debootstrap used) below the installed one; the suite carries two.
_vm_uefi_older_kernel() {
	local tree=$1 have r
	have=$(find "$tree/boot" -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V | tail -n1)
	chroot "$tree" apt-cache search --names-only '^linux-image-[0-9.]+-[0-9]+-amd64$' | cut -d' ' -f1 |
		sed 's/^linux-image-//' | while read -r r; do
			if dpkg --compare-versions "$r" lt "$have"; then printf '%s\n' "$r"; fi
		done | sort -V | tail -n1
}

# _vm_uefi_build_tree TREE: debootstrap bookworm (minbase + systemd, udev, kmod, dbus,
# kexec-tools, dosfstools, grub-efi-amd64, linux-image-amd64) into TREE, add the suite's
# other kernel, then configure it as a Debian installer would (fstab by UUID, ESP on
# /boot/efi) plus the serial-console drop-in for GRUB.
_vm_uefi_build_tree() {
	local tree=$1 old log
	_vm_uefi_guard "$(dirname "$tree")"
	log=$(dirname "$tree")/debootstrap.log
	if ! debootstrap --variant=minbase \
		--include=systemd-sysv,udev,kmod,dbus,kexec-tools,dosfstools,grub-efi-amd64,linux-image-amd64 \
		"$VM_DEBIAN_SUITE" "$tree" "$VM_DEBIAN_MIRROR" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		vm_die "debootstrap failed (log: $log)"
	fi
	_vm_uefi_guard "$tree" etc/debian_version
	old=$(_vm_uefi_older_kernel "$tree")
	[ -n "$old" ] || vm_die "the $VM_DEBIAN_SUITE package lists in $tree name no second linux-image-*-amd64"
	vm_say "installing linux-image-$old beside $(basename "$(ls "$tree"/boot/vmlinuz-*)") (the suite's second kernel)"
	_vm_uefi_mount "$tree/proc" -t proc proc
	_vm_uefi_mount "$tree/sys" -t sysfs sysfs
	if ! DEBIAN_FRONTEND=noninteractive chroot "$tree" apt-get install -y --no-install-recommends \
		"linux-image-$old" >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		vm_die "apt-get install linux-image-$old failed in the image (log: $log)"
	fi
	_vm_uefi_release "$tree" || vm_die "cannot unmount what is mounted below $tree"
	[ "$(find "$tree/boot" -maxdepth 1 -name 'vmlinuz-*' | wc -l)" -eq 2 ] ||
		vm_die "the image should have two kernels: $(ls "$tree/boot")"
	[ "$(find "$tree/boot" -maxdepth 1 -name 'initrd.img-*' | wc -l)" -eq 2 ] ||
		vm_die "the image should have two initrds: $(ls "$tree/boot")"
	# trim what a test VM does not need
	rm -rf "$tree/var/cache/apt/archives/"*.deb "$tree/var/lib/apt/lists/"*
	printf 'warmboot-uefi\n' >"$tree/etc/hostname"
	printf '%s\n' "# <file system> <mount point> <type> <options> <dump> <pass>" \
		"UUID=$VM_UEFI_ROOT_UUID / ext4 errors=remount-ro 0 1" \
		"UUID=${VM_UEFI_ESP_ID:0:4}-${VM_UEFI_ESP_ID:4:4} /boot/efi vfat umask=0077 0 1" >"$tree/etc/fstab"
	mkdir -p "$tree/boot/efi"
	# kexec-tools must not turn every reboot into a kexec of its own (LOAD_KEXEC)
	if [ -f "$tree/etc/default/kexec" ]; then
		sed -i 's/^LOAD_KEXEC=.*/LOAD_KEXEC=false/' "$tree/etc/default/kexec"
	fi
	# The only GRUB setting the test adds, as a drop-in: QEMU's only console is the serial
	# port (-nographic), so the kernel must write there (console=ttyS0), and Debian's `quiet`
	# (kept) would hide the kernel's lines the host reads, the "Linux version" banner first
	# (ignore_loglevel). GRUB_TIMEOUT, GRUB_DEFAULT and GRUB's own terminal stay Debian's.
	mkdir -p "$tree/etc/default/grub.d"
	# shellcheck disable=SC2016 # $GRUB_CMDLINE_LINUX is for grub-mkconfig to expand
	printf '%s\n' "# warmboot QEMU test guest: the kernel's messages on the serial console" \
		'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX console=ttyS0,115200n8 ignore_loglevel"' \
		>"$tree$VM_UEFI_GRUB_DROPIN"
	# no password for root: the console is only for debugging by hand
	chroot "$tree" passwd -d root >/dev/null
}

# _vm_uefi_partitions LOOP: print the partition devices LOOPp1 and LOOPp2 (losetup -P does not
# always create them: then partx -a, and wait for the nodes).
_vm_uefi_partitions() {
	local loop=$1 i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		if [ -b "${loop}p1" ] && [ -b "${loop}p2" ]; then
			printf '%s\n' "${loop}p1" "${loop}p2"
			return 0
		fi
		[ "$i" -ne 2 ] || partx -a "$loop" 2>/dev/null || true
		sleep 0.5
	done
	vm_die "no partition devices ${loop}p1 and ${loop}p2 (losetup -P, partx -a)"
}

# _vm_uefi_dev DIR LOOP P1 P2: a private /dev for the image's chroot on DIR (a tmpfs, never
# the host's /dev): the basic nodes, the loop device and its two partitions, and the
# /dev/disk/by-uuid and by-partuuid links udev would make (update-grub writes root=UUID=
# only when /dev/disk/by-uuid/UUID exists).
_vm_uefi_dev() {
	local d=$1 n mm
	_vm_uefi_mount "$d" -t tmpfs -o mode=0755,size=1m devtmp
	for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
		mknod -m 0666 "$d/${n%%:*}" c "$(cut -d: -f2 <<<"$n")" "$(cut -d: -f3 <<<"$n")"
	done
	for n in "$2" "$3" "$4"; do
		mm=$(stat -c '%t %T' "$n")
		mknod -m 0660 "$d/${n#/dev/}" b $((0x${mm% *})) $((0x${mm#* }))
	done
	mkdir -p "$d/disk/by-uuid" "$d/disk/by-partuuid" "$d/pts" "$d/shm"
	ln -s "../../${4#/dev/}" "$d/disk/by-uuid/$VM_UEFI_ROOT_UUID"
	ln -s "../../${3#/dev/}" "$d/disk/by-uuid/${VM_UEFI_ESP_ID:0:4}-${VM_UEFI_ESP_ID:4:4}"
	ln -s "../../${4#/dev/}" "$d/disk/by-partuuid/${VM_UEFI_ROOT_PARTUUID,,}"
	ln -s "../../${3#/dev/}" "$d/disk/by-partuuid/${VM_UEFI_ESP_PARTUUID,,}"
}

# _vm_uefi_build_disk BUILD: BUILD/disk.raw from BUILD/rootfs: GPT, an empty FAT32 ESP, the
# tree as the ext4 root; then, with the root partition mounted from a loop device, the
# image's own grub-install (EFI/debian, plus EFI/BOOT/BOOTX64.EFI: a fresh OVMF has no boot
# entry for EFI/debian) and update-grub; GRUB's files go back into the tree and, through
# mtools, into the ESP (the host kernel has no vfat).
_vm_uefi_build_disk() {
	local b=$1 disk mnt loop p1 p2 parts
	_vm_uefi_guard "$b" rootfs/etc/debian_version
	disk=$b/disk.raw
	rm -f "$disk"
	truncate -s $((VM_UEFI_DISK_SECTORS * 512)) "$disk"
	printf '%s\n' 'label: gpt' "label-id: $VM_UEFI_DISK_GUID" 'unit: sectors' \
		"start=$VM_UEFI_ESP_START, size=$VM_UEFI_ESP_SECTORS, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$VM_UEFI_ESP_PARTUUID" \
		"start=$VM_UEFI_ROOT_START, size=$VM_UEFI_ROOT_SECTORS, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=$VM_UEFI_ROOT_PARTUUID" |
		sfdisk -q "$disk" >/dev/null
	rm -f "$b/esp.img"
	mkfs.vfat -F 32 -n ESP -i "$VM_UEFI_ESP_ID" -C "$b/esp.img" $((VM_UEFI_ESP_SECTORS / 2)) >/dev/null
	dd if="$b/esp.img" of="$disk" bs=512 seek="$VM_UEFI_ESP_START" conv=notrunc,sparse status=none
	rm -f "$b/esp.img"
	mkfs.ext4 -q -F -U "$VM_UEFI_ROOT_UUID" -E "offset=$((VM_UEFI_ROOT_START * 512)),nodiscard" \
		-d "$b/rootfs" "$disk" "$((VM_UEFI_ROOT_SECTORS / 2))k" >/dev/null
	loop=$(losetup -f --show -P "$disk")
	[ -b "$loop" ] || vm_die "losetup gave no loop device for $disk"
	parts=$(_vm_uefi_partitions "$loop")
	p1=$(sed -n 1p <<<"$parts")
	p2=$(sed -n 2p <<<"$parts")
	mnt=$b/mnt
	mkdir -p "$mnt"
	_vm_uefi_mount "$mnt" -t ext4 "$p2"
	_vm_uefi_guard "$mnt" etc/debian_version
	_vm_uefi_dev "$mnt/dev" "$loop" "$p1" "$p2"
	_vm_uefi_mount "$mnt/proc" -t proc proc
	_vm_uefi_mount "$mnt/sys" -t sysfs sysfs
	# grub-install wants the ESP mounted: a tmpfs whose source names the ESP partition (its
	# FAT is probed there), from which mtools then copies the files into the FAT
	_vm_uefi_mount "$mnt/boot/efi" -t tmpfs -o mode=0700,size=120m "$p1"
	if ! chroot "$mnt" grub-install --target=x86_64-efi --efi-directory=/boot/efi --bootloader-id=debian \
		--no-nvram --force-extra-removable >"$b/grub-install.log" 2>&1; then
		cat "$b/grub-install.log" >&2
		vm_die "grub-install failed in the image"
	fi
	if ! chroot "$mnt" update-grub >"$b/update-grub.log" 2>&1; then
		cat "$b/update-grub.log" >&2
		vm_die "update-grub failed in the image"
	fi
	mkdir -p "$b/esp"
	cp -a "$mnt/boot/efi/." "$b/esp/"
	_vm_uefi_guard "$b/rootfs" boot/grub
	rm -rf --one-file-system "$b/rootfs/boot/grub"
	cp -a "$mnt/boot/grub" "$b/rootfs/boot/grub"
	# what else grub-install and update-grub changed in the image (expected: nothing)
	(cd "$mnt" && find . -xdev -newer "$b/rootfs/etc/fstab" ! -path './boot/grub*' ! -path './boot/efi*' \
		! -path './dev*' ! -path './proc*' ! -path './sys*' ! -path . -print) >"$b/changed-outside-grub.txt"
	_vm_uefi_release "$b" || vm_die "cannot unmount what is mounted below $b"
	losetup -d "$loop" 2>/dev/null || true
	[ -s "$b/rootfs/boot/grub/grub.cfg" ] || vm_die "update-grub wrote no /boot/grub/grub.cfg"
	grep -q "root=UUID=$VM_UEFI_ROOT_UUID " "$b/rootfs/boot/grub/grub.cfg" ||
		vm_die "update-grub did not name the root by UUID: $(grep -m1 -E '^[[:space:]]*linux' "$b/rootfs/boot/grub/grub.cfg")"
	# each run makes the root file system afresh (vm_uefi_grub_disk): keep its space sparse
	fallocate --punch-hole --offset $((VM_UEFI_ROOT_START * 512)) --length $((VM_UEFI_ROOT_SECTORS * 512)) "$disk"
	[ -f "$b/esp/EFI/BOOT/BOOTX64.EFI" ] || vm_die "grub-install put no EFI/BOOT/BOOTX64.EFI on the ESP"
	MTOOLS_SKIP_CHECK=1 mcopy -s -Q -m -i "$disk@@$((VM_UEFI_ESP_START * 512))" "$b/esp/"* ::/
	(cd "$b/esp" && find . -type f | sort) >"$b/esp-files.txt"
	rm -rf --one-file-system "$b/esp" "$mnt"
}

# _vm_build_uefi_grub DIR: the whole image into DIR (rootfs/, disk.raw with the ESP filled
# and the root partition left empty for vm_uefi_grub_disk, releases, logs). A subshell, so
# its trap releases mounts and loop devices however it ends.
_vm_build_uefi_grub() (
	dir=$1
	_vm_uefi_cache_ok
	b=$(mktemp -d "$VM_CACHE/.uefi-grub.XXXXXX")
	# shellcheck disable=SC2064 # b is fixed here
	trap "_vm_uefi_release '$b' || echo 'warning: mounts left below $b' >&2" EXIT
	_vm_uefi_build_tree "$b/rootfs"
	_vm_uefi_build_disk "$b"
	find "$b/rootfs/boot" -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V >"$b/releases"
	cp "$b/rootfs/boot/grub/grub.cfg" "$b/grub.cfg"
	_vm_uefi_release "$b" || vm_die "mounts left below $b"
	trap - EXIT
	[ ! -e "$dir" ] || _vm_uefi_rm "$dir"
	mv "$b" "$dir"
	printf '%s\n' "$(tail -n1 "$dir/releases")" >"$dir/release"
)

# _vm_uefi_cached PREFIX KEY WHAT BUILDER: echo $VM_CACHE/PREFIX-KEY, built first by
# `BUILDER DIR` (under the cache lock, saying "building WHAT") if it has no "release" file
# yet; older PREFIX-* images and PREFIX build directories left by killed builds go first.
_vm_uefi_cached() {
	local prefix=$1 key=$2 what=$3 builder=$4 dir d
	_vm_uefi_cache_ok
	dir=$VM_CACHE/$prefix-$key
	if [ ! -f "$dir/release" ]; then
		vm_cache_lock
		if [ ! -f "$dir/release" ]; then
			vm_say "building $what into $dir"
			# stale builds first, releasing what a killed build may have left mounted
			for d in "$VM_CACHE/$prefix"-* "$VM_CACHE/.$prefix".*; do
				if [ ! -e "$d" ] || [ "$d" = "$dir" ]; then continue; fi
				vm_say "removing stale cache $d"
				_vm_uefi_rm "$d"
			done
			"$builder" "$dir"
		fi
	fi
	printf '%s\n' "$dir"
}

# vm_uefi_grub: echo the cache dir of the UEFI GRUB image (built if needed, a few minutes):
# rootfs/ (the image's root tree), disk.raw (GPT, ESP with GRUB, empty root partition),
# releases (the two kernels, oldest first), release (the newest), grub.cfg.
vm_uefi_grub() {
	local key
	_vm_uefi_cache_ok
	key=$(vm_hash "$(declare -f _vm_build_uefi_grub _vm_uefi_build_tree _vm_uefi_build_disk \
		_vm_uefi_older_kernel _vm_uefi_partitions)" "$VM_DEBIAN_SUITE" "$VM_DEBIAN_MIRROR" \
		"$VM_UEFI_ESP_START $VM_UEFI_ESP_SECTORS $VM_UEFI_ROOT_START $VM_UEFI_ROOT_SECTORS" \
		"$VM_UEFI_ROOT_UUID $VM_UEFI_ESP_ID $VM_UEFI_DISK_GUID $VM_UEFI_ESP_PARTUUID $VM_UEFI_ROOT_PARTUUID")
	_vm_uefi_cached uefi-grub "$key" \
		"the UEFI GRUB image (debootstrap, two kernels, grub-install: a few minutes, once)" _vm_build_uefi_grub
}

# vm_uefi_disk CACHEDIR PAYLOAD DISK ROOT-START ROOT-SECTORS: a fresh disk for one run: a
# copy of the cached GPT disk CACHEDIR/disk.raw (its ESP as the image's tools left it) and a
# new ext4 root file system at ROOT-START (ROOT-SECTORS long, in 512-byte sectors) with the
# UUID the boot loader looks for, made from the cached tree CACHEDIR/rootfs with the files
# under PAYLOAD laid over it (a hard-link farm: the cached tree is never modified).
vm_uefi_disk() {
	local cache=$1 payload=$2 disk=$3 start=$4 sectors=$5 work
	rm -f "$disk"
	cp --reflink=auto --sparse=always "$cache/disk.raw" "$disk"
	find "$VM_CACHE" -maxdepth 1 -name '.work.*' -mmin +720 -exec rm -rf --one-file-system {} + 2>/dev/null || true
	work=$(mktemp -d "$VM_CACHE/.work.XXXXXX")/rootfs
	cp -al "$cache/rootfs" "$work" 2>/dev/null || { rm -rf "$work"; cp -a "$cache/rootfs" "$work"; }
	_vm_uefi_lay "$payload" "$work"
	_vm_uefi_mkroot "$work" "$disk" "$start" "$sectors"
	rm -rf --one-file-system "$(dirname "$work")"
}

# _vm_uefi_lay PAYLOAD TREE: the files under PAYLOAD laid over TREE: each one TREE has is
# removed first (a hard link into the cache is replaced, never written through).
_vm_uefi_lay() {
	(cd "$1" && find . -mindepth 1 ! -type d -print0) |
		while IFS= read -r -d '' f; do rm -f "$2/$f"; done
	cp -a --remove-destination "$1/." "$2/"
}

# _vm_uefi_mkroot TREE DISK START SECTORS: a new ext4 file system made from TREE in DISK at
# START (SECTORS long, 512-byte sectors), with the root UUID of every image.
_vm_uefi_mkroot() {
	mkfs.ext4 -q -F -U "$VM_UEFI_ROOT_UUID" -E "offset=$(($3 * 512)),nodiscard" \
		-d "$1" "$2" "$(($4 / 2))k" >/dev/null
}

# vm_uefi_grub_disk CACHEDIR PAYLOAD DISK: vm_uefi_disk for the GRUB images' layout (uefi-grub,
# uefi-sb).
vm_uefi_grub_disk() { vm_uefi_disk "$1" "$2" "$3" "$VM_UEFI_ROOT_START" "$VM_UEFI_ROOT_SECTORS"; }

# The packages of Debian 12's D-Bus daemon and system bus (dbus is split into these): a
# system without them is what `debootstrap --variant=minbase --include=systemd-sysv,...`
# without dbus gives, as many minimal VM and cloud images are.
VM_UEFI_DBUS_PKGS=(dbus dbus-daemon dbus-bin dbus-system-bus-common dbus-session-bus-common libdbus-1-3)

# _vm_nodbus_guard DIR [FILE]: die unless DIR is an existing directory (not a symbolic link)
# that is a work directory $VM_CACHE/.nodbus.* or inside one and, if given, DIR/FILE exists.
_vm_nodbus_guard() {
	local d=$1 real
	_vm_uefi_cache_ok
	case $d in
	"$VM_CACHE"/.nodbus.?*) ;;
	*) vm_die "refusing to work on '$d': not inside a $VM_CACHE/.nodbus.* work directory" ;;
	esac
	if [ ! -d "$d" ] || [ -L "$d" ]; then vm_die "refusing to work on '$d': not a directory"; fi
	real=$(realpath -e "$d")
	[ "$real" = "$d" ] || vm_die "refusing to work on '$d': it resolves to '$real'"
	[ $# -lt 2 ] || [ -e "$d/$2" ] || vm_die "refusing to work on '$d': it has no $2"
}

# _vm_nodbus_rm DIR: remove a work directory of vm_uefi_nodbus_disk, never across a mount.
_vm_nodbus_rm() {
	_vm_nodbus_guard "$1"
	[ -z "$(_vm_uefi_mounts_under "$1")" ] || vm_die "something is mounted below $1: not removing it"
	rm -rf --one-file-system -- "$1"
}

# vm_uefi_nodbus_disk CACHEDIR PAYLOAD DISK LOG: like vm_uefi_grub_disk, from a real copy of
# the cached tree (not a hard-link farm: dpkg changes files) from which the packages of
# VM_UEFI_DBUS_PKGS are purged with the image's own dpkg, in a chroot (nothing mounted in
# it: the packages' scripts only stop services when systemd runs). dpkg's output to LOG.
# The cached tree and disk are never modified.
vm_uefi_nodbus_disk() {
	local cache=$1 payload=$2 disk=$3 log=$4 work p left
	_vm_uefi_cache_ok
	find "$VM_CACHE" -maxdepth 1 -name '.nodbus.*' -mmin +720 -print 2>/dev/null |
		while read -r p; do _vm_nodbus_rm "$p"; done
	work=$(mktemp -d "$VM_CACHE/.nodbus.XXXXXX")
	_vm_nodbus_guard "$work"
	cp -a "$cache/rootfs" "$work/rootfs"
	_vm_nodbus_guard "$work/rootfs" etc/debian_version
	_vm_nodbus_guard "$work/rootfs" var/lib/dpkg/status
	# invoke-rc.d must not stop any service from the chroot (Debian's policy-rc.d: 101 denies)
	[ ! -e "$work/rootfs/usr/sbin/policy-rc.d" ] || vm_die "the image has its own /usr/sbin/policy-rc.d"
	printf '#!/bin/sh\nexit 101\n' >"$work/rootfs/usr/sbin/policy-rc.d"
	chmod 0755 "$work/rootfs/usr/sbin/policy-rc.d"
	if ! chroot "$work/rootfs" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
		dpkg --purge "${VM_UEFI_DBUS_PKGS[@]}" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		_vm_nodbus_rm "$work"
		vm_die "dpkg --purge ${VM_UEFI_DBUS_PKGS[*]} failed in the copy of the image (log: $log)"
	fi
	rm -f "$work/rootfs/usr/sbin/policy-rc.d"
	# shellcheck disable=SC2016 # a dpkg-query format
	left=$(chroot "$work/rootfs" dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "${VM_UEFI_DBUS_PKGS[@]}" \
		2>/dev/null | grep -v '^[up]n ' || true)
	if [ -n "$left" ] || [ -e "$work/rootfs/lib/systemd/system/dbus.socket" ] ||
		[ -e "$work/rootfs/lib/systemd/system/dbus.service" ]; then
		_vm_nodbus_rm "$work"
		vm_die "the copy of the image still has D-Bus after dpkg --purge: ${left:-its units}"
	fi
	_vm_uefi_lay "$payload" "$work/rootfs"
	rm -f "$disk"
	cp --reflink=auto --sparse=always "$cache/disk.raw" "$disk"
	_vm_uefi_mkroot "$work/rootfs" "$disk" "$VM_UEFI_ROOT_START" "$VM_UEFI_ROOT_SECTORS"
	_vm_nodbus_rm "$work"
}

# vm_uefi_root DISK: DISK's root partition as e2fsprogs opens it (debugfs, e2fsck: "?offset=").
vm_uefi_root() { printf '%s?offset=%s' "$1" $((VM_UEFI_ROOT_START * 512)); }

# vm_uefi_esp DISK OUT: a copy of DISK's ESP in OUT (for fsck.fat, mdir).
vm_uefi_esp() {
	dd if="$1" of="$2" bs=512 skip="$VM_UEFI_ESP_START" count="$VM_UEFI_ESP_SECTORS" conv=sparse status=none
}

# vm_uefi_vars OUT: a fresh copy of OVMF's variable store for one guest (the firmware writes it).
vm_uefi_vars() {
	if [ ! -f "$VM_OVMF_CODE" ] || [ ! -f "$VM_OVMF_VARS" ]; then
		vm_die "no OVMF firmware ($VM_OVMF_CODE, $VM_OVMF_VARS): apt-get install ovmf"
	fi
	cp "$VM_OVMF_VARS" "$1"
}

# ---------------------------------------------------------------------------------------
# booting through the firmware, with host time stamps of the serial lines

# _vm_uefi_reader LOG STAMPS PIDFILE: read the serial output on stdin; write every line (CRs
# dropped) to LOG and "MICROSECONDS LINE" to STAMPS as it arrives. A kernel panic ends QEMU
# (its pid from PIDFILE) once the panic's last line is out: without -no-reboot a panicking
# guest would otherwise sit there until the time-out. VM_UEFI_PANIC_RESETS=1 (a scenario
# whose kernel panics on purpose, with panic=N) lets the guest reset itself instead.
_vm_uefi_reader() {
	local line pid
	exec 3>"$1" 4>"$2"
	while IFS= read -r line 2>/dev/null || [ -n "$line" ]; do
		line=${line//$'\r'/}
		printf '%s\n' "$line" >&3
		printf '%s %s\n' "$(vm_us "$EPOCHREALTIME")" "$line" >&4
		case ${VM_UEFI_PANIC_RESETS:-0}:$line in
		0:*"---[ end Kernel panic"*)
			pid=$(cat "$3" 2>/dev/null || true)
			case $pid in
			'' | *[!0-9]*) ;;
			*) if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = qemu-system-x86 ]; then kill "$pid" 2>/dev/null || true; fi ;;
			esac
			;;
		esac
		line=
	done
	exec 3>&- 4>&-
}

# vm_uefi_boot TIMEOUT LOG STAMPS VARS DISK [QEMU-ARGS...]: boot DISK through OVMF (code
# $VM_OVMF_CODE, variables VARS: a per-guest copy) under TCG, serial lines to LOG and, time
# stamped, to STAMPS. No -no-reboot: a guest's reboot goes through the firmware again. Sets
# VM_QEMU_RC (124/137: the time-out), VM_QEMU_SECS, VM_QEMU_T0 (start, microseconds),
# VM_SERIAL_LOG; the cleaned log (*.txt) is what the checks read (VM_MARKERS).
vm_uefi_boot() {
	local timeout=$1 log=$2 stamps=$3 vars=$4 disk=$5 start=$SECONDS base
	shift 5
	base=${log%.log}
	# shellcheck disable=SC2034 # read by vm_finish and the scenario
	VM_SERIAL_LOG=$log
	rm -f "$base.pid" "$base.rc"
	# shellcheck disable=SC2034 # read by the scenario's timings
	VM_QEMU_T0=$(vm_us "$EPOCHREALTIME")
	{
		rc=0
		timeout -k 10 "$timeout" qemu-system-x86_64 -accel tcg -cpu max -smp "${WARMBOOT_VM_SMP:-2}" -m 1024 \
			-nographic -monitor none -serial stdio -net none -pidfile "$base.pid" \
			-drive "if=pflash,format=raw,readonly=on,file=$VM_OVMF_CODE" \
			-drive "if=pflash,format=raw,file=$vars" \
			-drive "file=$disk,format=raw,if=virtio" "$@" </dev/null 2>"$base.qemu-stderr" || rc=$?
		printf '%s\n' "$rc" >"$base.rc"
	} | _vm_uefi_reader "$log" "$stamps" "$base.pid"
	VM_QEMU_RC=$(cat "$base.rc" 2>/dev/null || echo none)
	VM_QEMU_SECS=$((SECONDS - start))
	vm_say "QEMU exited with status $VM_QEMU_RC after ${VM_QEMU_SECS}s"
	if [ -s "$base.qemu-stderr" ]; then
		vm_say "QEMU's messages ($base.qemu-stderr):"
		head -n 20 "$base.qemu-stderr" >&2
	fi
	vm_clean_log "$log" "$base.txt"
}

# ---------------------------------------------------------------------------------------
# judging a UEFI guest run (besides the checks of lib-vm.sh)

# vm_show_stderr B NAME [BYTES]: print what boot B's report_run NAME wrote on stderr, if
# anything, on one line (its first BYTES bytes only, if given)
vm_show_stderr() {
	local e
	e=$(wbdump "boot=$1 $2-stderr")
	[ -n "$e" ] || return 0
	if [ -n "${3:-}" ]; then
		printf '      stderr of %s: %s\n' "$2" "$(tr '\n' ' ' <<<"$e" | head -c "$3")"
	else
		printf '      stderr of %s: %s\n' "$2" "$(tr '\n' ' ' <<<"$e")"
	fi
}

# vm_without ERE TEXT: the words of TEXT without those matching ERE, one line
vm_without() { vm_words "$2" | grep -vE -- "$1" | tr '\n' ' ' | sed 's/ $//'; }

# vm_words_line TEXT: TEXT's words joined by single blanks
vm_words_line() { vm_words "$1" | tr '\n' ' ' | sed 's/ $//'; }

# vm_cmdline_of B: boot B's /proc/cmdline (its cmdline= fact)
vm_cmdline_of() { local l; l=$(wbline "boot=$1 cmdline="); printf '%s' "${l#*cmdline=}"; }

# vm_release_of B: boot B's release (its start fact)
vm_release_of() { vm_field "$(wbline "boot=$1 start ")" release || true; }

# vm_uefi_check_boots N COLD: N kernel banners of which COLD came through the firmware, no
# kernel panic, no FAIL line from the guest, boots 1..N each started once and no boot N+1.
vm_uefi_check_boots() {
	local want=$1 cold=$2 n b
	n=$(vm_count "$VM_MARKERS" 'Linux version [0-9]')
	vm_check "${VM_COUNT_WORDS[want]} kernels booted ($cold through the firmware, $((want - cold)) warm)" \
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

# vm_uefi_way B: the serial lines on the way into boot B: from the start (B=1) or boot B-1's
# "handover" fact to boot B's kernel banner.
vm_uefi_way() {
	if [ "$1" -eq 1 ]; then
		sed -n '1,/Linux version [0-9]/p' "$VM_MARKERS"
	else
		vm_handover $(($1 - 1))
	fi
}

# vm_uefi_check_warm B: boot B came by kexec: on the way into it the old kernel's "Starting
# new kernel", and no firmware (BdsDxe), no GRUB, no machine reset.
vm_uefi_check_warm() {
	local w
	w=$(vm_uefi_way "$1")
	vm_check "boot $1 is warm: the old kernel jumps (kexec_core: Starting new kernel)" "" \
		vm_contains "kexec_core: Starting new kernel" "$w"
	vm_check "boot $1 is warm: no reset, no firmware and no GRUB between the kernels" \
		"$(grep -m3 -E 'Restarting system|BdsDxe|Welcome to GRUB' <<<"$w" | tr '\n' ' ')" \
		vm_lacks 'reboot: Restarting system|BdsDxe|Welcome to GRUB' "$w"
}

# vm_uefi_check_cold B: boot B came through the firmware: (after boot B-1's reset) OVMF's boot
# manager started the ESP's loader and GRUB ran before the kernel; no kexec on the way.
vm_uefi_check_cold() {
	local w b=$1
	w=$(vm_uefi_way "$b")
	if [ "$b" -gt 1 ]; then
		vm_check "boot $b is cold: the old kernel resets the machine (reboot: Restarting system)" "" \
			vm_contains "reboot: Restarting system" "$w"
		vm_check "boot $b is cold: no kexec on the way" "" vm_lacks 'kexec_core: Starting new kernel' "$w"
	fi
	vm_check "boot $b is cold: OVMF starts the ESP's boot loader (BdsDxe: starting Boot...)" "" \
		vm_contains "BdsDxe: starting Boot" "$w"
	vm_check "boot $b is cold: GRUB runs (Welcome to GRUB!)" "" vm_contains "Welcome to GRUB!" "$w"
}

# vm_uefi_check_efi B: boot B's firmware fact: EFI runtime services there, the ESP mounted on
# /boot/efi as vfat.
vm_uefi_check_efi() {
	vm_expect "boot $1: EFI runtime present, the ESP mounted on /boot/efi (vfat)" "boot=$1 firmware " efi=yes esp=vfat
}

# vm_uefi_check_loader B kexec|grub [KEY=VALUE...]: boot B's firmware fact: the kernel was
# started by kexec (boot_params type_of_loader 0xd0) or by GRUB 2 (0x72: the loader id in the
# high nibble, its version low), and has each KEY=VALUE.
vm_uefi_check_loader() {
	local b=$1 by=$2
	shift 2
	case $by in
	kexec) vm_expect "boot $b: started by kexec (type_of_loader 0xd0)" "boot=$b firmware " loader=d0 "$@" ;;
	grub) vm_expect "boot $b: started by GRUB 2 (boot_params type_of_loader 0x72)" "boot=$b firmware " loader=72 "$@" ;;
	*) vm_die "vm_uefi_check_loader: no loader '$by' (kexec or grub)" ;;
	esac
}

# vm_uefi_check_fslog B HOW DEV: boot B's ext4 kernel messages (report_fslog) show the root
# DEV mounted, no journal recovery or orphan cleanup: the hand-over HOW left it clean.
vm_uefi_check_fslog() {
	local b=$1 how=$2 dev=$3 fsl
	fsl=$(wbdump "boot=$b fslog")
	vm_indent "$fsl" "      boot $b dmesg: "
	vm_check "boot $b: the root file system mounted (EXT4-fs ($dev) line in dmesg)" "" \
		vm_contains "EXT4-fs ($dev): mounted filesystem" "$fsl"
	vm_check "boot $b: no ext4 journal recovery or orphan cleanup after the $how" \
		"$(grep -iE 'recover|orphan' <<<"$fsl" | tr '\n' ' ')" _vm_clean_fslog "$fsl"
}

# vm_uefi_check_banners NAME RELEASE...: print the kernels' "Linux version" banners in the
# serial log, in order; check NAME: they are exactly RELEASE..., in that order.
vm_uefi_check_banners() {
	local name=$1 banners want
	shift
	banners=$(grep -oE 'Linux version [^ ]+' "$VM_MARKERS" | cut -d' ' -f3 | tr '\n' ' ')
	want=$(printf '%s ' "$@")
	printf '      kernel banners in order: %s\n' "$banners"
	vm_check "$name" "saw: $banners" test "$banners" = "$want"
}

# vm_uefi_check_fat B: boot B's FAT kernel messages (report fatlog) have no "not properly
# unmounted": the way into boot B left the ESP clean.
vm_uefi_check_fat() {
	local fat
	fat=$(wbdump "boot=$1 fatlog")
	vm_check "boot $1: the ESP was cleanly unmounted (no FAT 'not properly unmounted')" \
		"$(tr '\n' ' ' <<<"$fat")" vm_lacks 'not properly unmounted' "$fat"
}

# vm_uefi_check_fsck_fat IMG: fsck.fat -n finds the ESP copy IMG (vm_uefi_esp) clean; IMG is
# removed afterwards.
vm_uefi_check_fsck_fat() {
	local fsck frc
	fsck=$(fsck.fat -n "$1" 2>&1) && frc=0 || frc=$?
	vm_check "disk: fsck.fat -n finds the ESP clean" "rc=$frc: $(tail -n 3 <<<"$fsck" | tr '\n' ' ')" test "$frc" -eq 0
	rm -f "$1"
}

# vm_uefi_phases STAMPS T0 B: the host-clock phases of the way into boot B from the time
# stamped serial lines (vm_uefi_boot's STAMPS; T0 the QEMU start for boot 1): one line
# "how shutdown firmware loader kernel userspace total" in seconds, n/a where a phase is not
# there. From boot B-1's "handover" fact: shutdown to "Starting new kernel" (kexec) or
# "Restarting system" (reset); firmware from there (or QEMU's start) to OVMF's "BdsDxe:
# starting"; loader from there (kexec: from the jump) to the "Linux version" banner (printed
# when the serial console registers, a second or so into the kernel); kernel to "Run /init";
# userspace to the scenario's "start" fact in boot B.
vm_uefi_phases() {
	awk -v t0="$2" -v b="$3" '
	function sec(a, z) { return (a == "" || z == "") ? "n/a" : sprintf("%.1f", (z - a) / 1e6) }
	{ us = $1; line = substr($0, length($1) + 2) }
	state == 0 && b == 1 { s = t0; state = 1 }
	state == 0 && index(line, "WBTEST boot=" (b - 1) " handover") { s = us; state = 1; next }
	state == 1 {
		if (k == "" && index(line, "kexec_core: Starting new kernel")) k = us
		if (r == "" && index(line, "reboot: Restarting system")) r = us
		if (f == "" && index(line, "BdsDxe: starting")) f = us
		if (line ~ /Linux version [0-9]/) { lv = us; state = 2; next }
	}
	state == 2 {
		if (i == "" && index(line, "Run /init as init process")) i = us
		if (index(line, "WBTEST boot=" b " start")) { u = us; state = 3 }
	}
	END {
		if (b == 1) { how = "power-on"; down = ""; fw = sec(s, f); ld = sec(f, lv) }
		else if (k != "") { how = "warm"; down = sec(s, k); fw = "n/a"; ld = sec(k, lv) }
		else { how = "cold"; down = sec(s, r); fw = sec(r, f); ld = sec(f, lv) }
		print how, (b == 1 ? "n/a" : down), fw, ld, sec(lv, i), sec(i, u), sec(s, u)
	}' "$1"
}

# vm_uefi_phase_table STAMPS WIDTH WHAT...: print, under a heading, the host-clock phases
# (vm_uefi_phases of STAMPS) of boots 1, 2, ... one line each: boot N named by the Nth WHAT in
# a column WIDTH wide, a warm boot's loader phase marked "(kexec)". Not judged.
vm_uefi_phase_table() {
	local stamps=$1 width=$2 b=0 what how down fw ld kern user tot
	shift 2
	printf '\n      host-clock seconds on the way into each boot (serial lines as they arrived):\n'
	printf '      %-6s %-*s %9s %9s %9s %9s %10s %7s\n' boot "$width" how shutdown firmware "boot ldr" kernel userspace total
	for what in "$@"; do
		b=$((b + 1))
		read -r how down fw ld kern user tot < <(vm_uefi_phases "$stamps" "$VM_QEMU_T0" "$b")
		if [ "$how" = warm ]; then ld="$ld (kexec)"; fi
		printf '      %-6s %-*s %9s %9s %9s %9s %10s %7s\n' "$b" "$width" "$what" "$down" "$fw" "$ld" "$kern" "$user" "$tot"
	done
}
