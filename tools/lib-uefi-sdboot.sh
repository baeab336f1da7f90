# shellcheck shell=bash
# The systemd-boot guest of warmboot's QEMU test rig (tests/vm/uefi-sdboot.sh): OVMF, a GPT
# disk with a 512 MiB EFI system partition and an ext4 root, systemd-boot installed into the
# image by its own `bootctl install` and the kernels put on the ESP by Debian's own hooks
# (the kernel packages' postinst.d/zz-systemd-boot and initramfs-tools' post-update.d hook,
# both running kernel-install). Sourced after tools/lib-vm.sh (which sources lib-uefi.sh:
# the guards, the boot and the judges come from there); defines functions and variables only.
#
# Safety: as in lib-uefi.sh. Everything that mounts, chroots or removes works inside a build
# directory $VM_CACHE/.uefi-sdboot.XXXXXX and checks that first (_vm_uefi_guard); the
# build's subshell releases its mounts however it ends. The chroot never gets a sysfs while
# bootctl runs, and bootctl runs with --no-variables: nothing can reach the host's firmware
# variables. Nothing here boots or kexecs anything on the host.

# The disk (512-byte sectors): GPT, the ESP (FAT32, 512 MiB: two kernels and two initrds of
# ~40 MB each, with room for a third) at 1 MiB, the ext4 root (3 GiB) after it, 1 MiB spare
# for the backup GPT. The identifiers are lib-uefi.sh's: the image is not the GRUB one.
VM_SDBOOT_ESP_START=2048
VM_SDBOOT_ESP_SECTORS=1048576
VM_SDBOOT_ROOT_START=1050624
VM_SDBOOT_ROOT_SECTORS=6291456
VM_SDBOOT_DISK_SECTORS=$((VM_SDBOOT_ROOT_START + VM_SDBOOT_ROOT_SECTORS + 2048))
# the kernel command line every entry gets (kernel-install reads /etc/kernel/cmdline; without
# it, it would take the build host's /proc/cmdline): the root by UUID, Debian's `quiet`, and
# what QEMU's serial console needs (as in the GRUB guest's drop-in)
VM_SDBOOT_CMDLINE="root=UUID=$VM_UEFI_ROOT_UUID ro quiet console=ttyS0,115200n8 ignore_loglevel"

# _vm_sdboot_chroot TREE LOG WHAT CMD...: run CMD in the image's chroot, with
# SYSTEMD_RELAX_ESP_CHECKS=1 (the ESP is a tmpfs here, not a FAT partition) and no
# interactive questions; output to LOG; die with its tail naming WHAT on failure.
_vm_sdboot_chroot() {
	local tree=$1 log=$2 what=$3
	shift 3
	_vm_uefi_guard "$tree" etc/debian_version
	if ! DEBIAN_FRONTEND=noninteractive SYSTEMD_RELAX_ESP_CHECKS=1 chroot "$tree" "$@" >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		vm_die "$what failed in the image (log: $log)"
	fi
}

# _vm_sdboot_build BUILD: BUILD/rootfs and BUILD/esp: debootstrap bookworm (minbase +
# systemd, udev, kmod, dbus, kexec-tools, dosfstools, systemd-boot), then with the ESP (a
# tmpfs on /boot/efi) mounted: `bootctl install --no-variables` as the package's postinst
# would run it, and the two kernel packages installed with apt-get, whose hooks write the
# entries and copy kernel and initrd to the ESP; a `default` line added to loader.conf.
_vm_sdboot_build() {
	local b=$1 tree=$1/rootfs log=$1/build.log old esp mid
	_vm_uefi_guard "$b"
	if ! debootstrap --variant=minbase \
		--include=systemd-sysv,udev,kmod,dbus,kexec-tools,dosfstools,systemd-boot \
		"$VM_DEBIAN_SUITE" "$tree" "$VM_DEBIAN_MIRROR" >"$b/debootstrap.log" 2>&1; then
		tail -n 30 "$b/debootstrap.log" >&2
		vm_die "debootstrap failed (log: $b/debootstrap.log)"
	fi
	_vm_uefi_guard "$tree" etc/debian_version
	[ -x "$tree/usr/bin/bootctl" ] || vm_die "debootstrap installed no bootctl (package systemd-boot)"
	mid=$(cat "$tree/etc/machine-id")
	[[ $mid =~ ^[0-9a-f]{32}$ ]] || vm_die "the image has no machine id (/etc/machine-id: '$mid')"
	# what an installer sets before the kernels come: fstab by UUID with the ESP on
	# /boot/efi, the command line of the entries, no password for root (the console is for
	# debugging by hand), kexec-tools not turning every reboot into a kexec of its own
	printf 'warmboot-sdboot\n' >"$tree/etc/hostname"
	printf '%s\n' "# <file system> <mount point> <type> <options> <dump> <pass>" \
		"UUID=$VM_UEFI_ROOT_UUID / ext4 errors=remount-ro 0 1" \
		"UUID=${VM_UEFI_ESP_ID:0:4}-${VM_UEFI_ESP_ID:4:4} /boot/efi vfat umask=0077 0 1" >"$tree/etc/fstab"
	mkdir -p "$tree/etc/kernel" "$tree/boot/efi"
	printf '%s\n' "$VM_SDBOOT_CMDLINE" >"$tree/etc/kernel/cmdline"
	if [ -f "$tree/etc/default/kexec" ]; then
		sed -i 's/^LOAD_KEXEC=.*/LOAD_KEXEC=false/' "$tree/etc/default/kexec"
	fi
	chroot "$tree" passwd -d root >/dev/null
	# the ESP: a tmpfs (the host kernel has no vfat; mtools copies it into the FAT later);
	# /proc but no /sys in the chroot: bootctl then sees no EFI firmware at all
	_vm_uefi_mount "$tree/boot/efi" -t tmpfs -o mode=0700,size=500m esp
	_vm_uefi_mount "$tree/proc" -t proc proc
	[ ! -e "$tree/sys/firmware/efi" ] || vm_die "the chroot sees EFI firmware: not running bootctl"
	_vm_sdboot_chroot "$tree" "$log" "bootctl install" \
		bootctl install --no-variables --esp-path=/boot/efi --make-machine-id-directory=auto
	[ -d "$tree/boot/efi/$mid" ] || vm_die "bootctl install made no $mid directory on the ESP: $(ls "$tree/boot/efi")"
	_vm_sdboot_chroot "$tree" "$log" "apt-get update" apt-get update
	_vm_sdboot_chroot "$tree" "$log" "apt-get install linux-image-amd64" \
		apt-get install -y --no-install-recommends linux-image-amd64
	old=$(_vm_uefi_older_kernel "$tree")
	[ -n "$old" ] || vm_die "the $VM_DEBIAN_SUITE package lists in $tree name no second linux-image-*-amd64"
	vm_say "installing linux-image-$old beside $(basename "$(ls "$tree"/boot/vmlinuz-*)") (the suite's second kernel)"
	_vm_sdboot_chroot "$tree" "$log" "apt-get install linux-image-$old" \
		apt-get install -y --no-install-recommends "linux-image-$old"
	esp=$tree/boot/efi
	[ "$(find "$esp/loader/entries" -name "$mid-*.conf" | wc -l)" -eq 2 ] ||
		vm_die "the ESP should have two entries by kernel-install: $(ls "$esp/loader/entries")"
	[ "$(find "$esp/$mid" -mindepth 2 -maxdepth 2 -name linux | wc -l)" -eq 2 ] ||
		vm_die "the ESP should have two $mid/R/linux: $(cd "$esp" && find "$mid")"
	if [ ! -f "$esp/EFI/BOOT/BOOTX64.EFI" ] || [ ! -f "$esp/EFI/systemd/systemd-bootx64.efi" ]; then
		vm_die "bootctl install put no EFI/BOOT/BOOTX64.EFI and EFI/systemd/systemd-bootx64.efi on the ESP"
	fi
	[ -f "$esp/loader/loader.conf" ] || vm_die "bootctl install wrote no loader/loader.conf"
	# loader.conf's default: bootctl install writes "default MACHINE-ID-*" itself (the newest
	# kernel's entry sorts first, so it is the default); should a version not, the same line
	if ! grep -q '^default ' "$esp/loader/loader.conf"; then
		printf 'default %s-*\n' "$mid" >>"$esp/loader/loader.conf"
	fi
	mkdir -p "$b/esp"
	cp -a "$esp/." "$b/esp/"
	_vm_uefi_release "$tree" || vm_die "cannot unmount what is mounted below $tree"
	# trim what a test VM does not need
	rm -rf "$tree/var/cache/apt/archives/"*.deb "$tree/var/lib/apt/lists/"*
	[ "$(find "$tree/boot" -maxdepth 1 -name 'vmlinuz-*' | wc -l)" -eq 2 ] ||
		vm_die "the image should have two kernels: $(ls "$tree/boot")"
	printf '%s\n' "$mid" >"$b/machine-id"
}

# _vm_sdboot_build_disk BUILD: BUILD/disk.raw: GPT, the FAT32 ESP made with mtools from
# BUILD/esp, the root partition left empty (each run makes it: vm_uefi_sdboot_disk).
_vm_sdboot_build_disk() {
	local b=$1 disk
	_vm_uefi_guard "$b" esp/loader/loader.conf
	disk=$b/disk.raw
	rm -f "$disk" "$b/esp.img"
	truncate -s $((VM_SDBOOT_DISK_SECTORS * 512)) "$disk"
	printf '%s\n' 'label: gpt' "label-id: $VM_UEFI_DISK_GUID" 'unit: sectors' \
		"start=$VM_SDBOOT_ESP_START, size=$VM_SDBOOT_ESP_SECTORS, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$VM_UEFI_ESP_PARTUUID" \
		"start=$VM_SDBOOT_ROOT_START, size=$VM_SDBOOT_ROOT_SECTORS, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=$VM_UEFI_ROOT_PARTUUID" |
		sfdisk -q "$disk" >/dev/null
	mkfs.vfat -F 32 -n ESP -i "$VM_UEFI_ESP_ID" -C "$b/esp.img" $((VM_SDBOOT_ESP_SECTORS / 2)) >/dev/null
	MTOOLS_SKIP_CHECK=1 mcopy -s -Q -m -i "$b/esp.img" "$b/esp/"* ::/
	dd if="$b/esp.img" of="$disk" bs=512 seek="$VM_SDBOOT_ESP_START" conv=notrunc,sparse status=none
	rm -f "$b/esp.img"
	(cd "$b/esp" && find . -type f | sort) >"$b/esp-files.txt"
}

# _vm_build_uefi_sdboot DIR: the whole image into DIR: rootfs/, esp/ (the ESP's files as the
# tools left them), disk.raw, machine-id, releases (oldest first), release (the newest),
# loader.conf. A subshell, so its trap releases mounts however it ends.
_vm_build_uefi_sdboot() (
	dir=$1
	_vm_uefi_cache_ok
	b=$(mktemp -d "$VM_CACHE/.uefi-sdboot.XXXXXX")
	# shellcheck disable=SC2064 # b is fixed here
	trap "_vm_uefi_release '$b' || echo 'warning: mounts left below $b' >&2" EXIT
	_vm_sdboot_build "$b"
	_vm_sdboot_build_disk "$b"
	find "$b/rootfs/boot" -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' | sort -V >"$b/releases"
	cp "$b/esp/loader/loader.conf" "$b/loader.conf"
	_vm_uefi_release "$b" || vm_die "mounts left below $b"
	trap - EXIT
	[ ! -e "$dir" ] || _vm_uefi_rm "$dir"
	mv "$b" "$dir"
	printf '%s\n' "$(tail -n1 "$dir/releases")" >"$dir/release"
)

# vm_uefi_sdboot: echo the cache dir of the systemd-boot image (built if needed, a few
# minutes): rootfs/, esp/, disk.raw (GPT, ESP with systemd-boot and the entries, empty root
# partition), machine-id, releases (the two kernels, oldest first), release, loader.conf.
vm_uefi_sdboot() {
	local key
	_vm_uefi_cache_ok
	key=$(vm_hash "$(declare -f _vm_build_uefi_sdboot _vm_sdboot_build _vm_sdboot_build_disk \
		_vm_sdboot_chroot _vm_uefi_older_kernel)" "$VM_DEBIAN_SUITE" "$VM_DEBIAN_MIRROR" \
		"$VM_SDBOOT_ESP_START $VM_SDBOOT_ESP_SECTORS $VM_SDBOOT_ROOT_START $VM_SDBOOT_ROOT_SECTORS" \
		"$VM_UEFI_ROOT_UUID $VM_UEFI_ESP_ID $VM_UEFI_DISK_GUID $VM_UEFI_ESP_PARTUUID $VM_UEFI_ROOT_PARTUUID" \
		"$VM_SDBOOT_CMDLINE")
	_vm_uefi_cached uefi-sdboot "$key" "the UEFI systemd-boot image (debootstrap, bootctl install, two kernels: a few minutes, once)" \
		_vm_build_uefi_sdboot
}

# vm_uefi_sdboot_disk CACHEDIR PAYLOAD DISK: lib-uefi.sh's vm_uefi_disk for this image's
# layout: a copy of the cached GPT disk and a new root file system, with the UUID of the
# entries' root=, from the cached tree with PAYLOAD laid over it.
vm_uefi_sdboot_disk() { vm_uefi_disk "$1" "$2" "$3" "$VM_SDBOOT_ROOT_START" "$VM_SDBOOT_ROOT_SECTORS"; }

# vm_sdboot_root DISK: DISK's root partition as e2fsprogs opens it ("?offset=").
vm_sdboot_root() { printf '%s?offset=%s' "$1" $((VM_SDBOOT_ROOT_START * 512)); }

# vm_sdboot_esp DISK OUT: a copy of DISK's ESP in OUT (for fsck.fat, mtools).
vm_sdboot_esp() {
	dd if="$1" of="$2" bs=512 skip="$VM_SDBOOT_ESP_START" count="$VM_SDBOOT_ESP_SECTORS" conv=sparse status=none
}

# vm_uefi_check_cold_sdboot B: boot B came through the firmware and systemd-boot: (after boot
# B-1's reset) OVMF's boot manager started the ESP's loader, no GRUB, no kexec on the way.
# systemd-boot itself prints nothing with loader.conf's timeout unset (the guest reports
# its LoaderInfo variable, which only the loader sets, besides).
vm_uefi_check_cold_sdboot() {
	local w b=$1
	w=$(vm_uefi_way "$b")
	if [ "$b" -gt 1 ]; then
		vm_check "boot $b is cold: the old kernel resets the machine (reboot: Restarting system)" "" \
			vm_contains "reboot: Restarting system" "$w"
		vm_check "boot $b is cold: no kexec on the way" "" vm_lacks 'kexec_core: Starting new kernel' "$w"
	fi
	vm_check "boot $b is cold: OVMF starts the ESP's boot loader (BdsDxe: starting Boot...)" "" \
		vm_contains "BdsDxe: starting Boot" "$w"
	vm_check "boot $b is cold: no GRUB on the way" "" vm_lacks 'Welcome to GRUB' "$w"
}
