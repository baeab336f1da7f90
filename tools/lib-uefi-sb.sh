# shellcheck shell=bash
# The Secure Boot guest of warmboot's QEMU test rig (tests/vm/uefi-secureboot.sh): OVMF built
# for Secure Boot (OVMF_CODE_4M.secboot.fd, SMM on a q35 machine) with Microsoft's keys
# enrolled (a per-run copy of OVMF_VARS_4M.ms.fd), and Debian's signed chain in the image:
# shim-signed, grub-efi-amd64-signed and the signed linux-image-amd64, installed by the
# image's own grub-install as Debian installs them. Sourced after tools/lib-vm.sh (which
# sources tools/lib-uefi.sh): it reuses the GPT layout, the disk builder, the per-run disk
# and the boot and judge helpers of lib-uefi.sh, and adds the image's own tree and cache
# (prefix uefi-sb-, build directories .uefi-sb.*, both known to lib-uefi.sh's guards).
#
# Safety: as lib-uefi.sh: every mount, chroot and removal happens inside a guarded build
# directory $VM_CACHE/.uefi-sb.XXXXXX, released by the build subshell's trap. Nothing here
# boots or kexecs anything on the host.
#
# Knobs: WARMBOOT_VM_OVMF_SB_CODE, WARMBOOT_VM_OVMF_SB_VARS.

VM_OVMF_SB_CODE=${WARMBOOT_VM_OVMF_SB_CODE:-/usr/share/OVMF/OVMF_CODE_4M.secboot.fd}
VM_OVMF_SB_VARS=${WARMBOOT_VM_OVMF_SB_VARS:-/usr/share/OVMF/OVMF_VARS_4M.ms.fd}
# the secure variant of OVMF keeps its variables in SMM: a q35 machine with SMM, and flash
# that only SMM code may write (the disk stays virtio: q35 has PCI for it)
# shellcheck disable=SC2034 # read by the scenario
VM_UEFI_SB_QEMU=(-machine "q35,smm=on" -global "driver=cfi.pflash01,property=secure,value=on")
# on the host: sbattach (the unsigned copy), objcopy (the UKIs) besides VM_UEFI_PKGS
# shellcheck disable=SC2034
VM_UEFI_SB_PKGS=(sbsigntool binutils)

# _vm_uefi_sb_build_tree TREE: debootstrap bookworm (minbase + systemd, udev, kmod, dbus,
# kexec-tools, dosfstools, grub-efi-amd64 with grub-efi-amd64-signed and shim-signed,
# linux-image-amd64: Debian's kernel package is the signed one) into TREE, then configure it
# as uefi-grub's image is (fstab by UUID, ESP on /boot/efi, the serial-console drop-in).
_vm_uefi_sb_build_tree() {
	local tree=$1 log
	_vm_uefi_guard "$(dirname "$tree")"
	log=$(dirname "$tree")/debootstrap.log
	if ! debootstrap --variant=minbase \
		--include=systemd-sysv,udev,kmod,dbus,kexec-tools,dosfstools,grub-efi-amd64,grub-efi-amd64-signed,shim-signed,linux-image-amd64 \
		"$VM_DEBIAN_SUITE" "$tree" "$VM_DEBIAN_MIRROR" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		vm_die "debootstrap failed (log: $log)"
	fi
	_vm_uefi_guard "$tree" etc/debian_version
	[ "$(find "$tree/boot" -maxdepth 1 -name 'vmlinuz-*' | wc -l)" -eq 1 ] ||
		vm_die "the image should have one kernel: $(ls "$tree/boot")"
	[ -f "$tree/usr/lib/shim/shimx64.efi.signed" ] || vm_die "shim-signed left no shimx64.efi.signed"
	[ -f "$tree/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed" ] ||
		vm_die "grub-efi-amd64-signed left no grubx64.efi.signed"
	rm -rf "$tree/var/cache/apt/archives/"*.deb "$tree/var/lib/apt/lists/"*
	printf 'warmboot-uefi-sb\n' >"$tree/etc/hostname"
	printf '%s\n' "# <file system> <mount point> <type> <options> <dump> <pass>" \
		"UUID=$VM_UEFI_ROOT_UUID / ext4 errors=remount-ro 0 1" \
		"UUID=${VM_UEFI_ESP_ID:0:4}-${VM_UEFI_ESP_ID:4:4} /boot/efi vfat umask=0077 0 1" >"$tree/etc/fstab"
	mkdir -p "$tree/boot/efi"
	if [ -f "$tree/etc/default/kexec" ]; then
		sed -i 's/^LOAD_KEXEC=.*/LOAD_KEXEC=false/' "$tree/etc/default/kexec"
	fi
	mkdir -p "$tree/etc/default/grub.d"
	# shellcheck disable=SC2016 # $GRUB_CMDLINE_LINUX is for grub-mkconfig to expand
	printf '%s\n' "# warmboot QEMU test guest: the kernel's messages on the serial console" \
		'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX console=ttyS0,115200n8 ignore_loglevel"' \
		>"$tree$VM_UEFI_GRUB_DROPIN"
	chroot "$tree" passwd -d root >/dev/null
}

# _vm_build_uefi_sb DIR: the whole image into DIR: rootfs/, disk.raw (the ESP filled by the
# image's grub-install, which with the signed packages installed puts shim, the signed GRUB
# and MokManager in EFI/debian and, --force-extra-removable, shim as EFI/BOOT/BOOTX64.EFI;
# update-grub's grub.cfg), release, grub.cfg, the logs. lib-uefi.sh's disk builder does the
# partitioning and the install, unchanged.
_vm_build_uefi_sb() (
	dir=$1
	_vm_uefi_cache_ok
	b=$(mktemp -d "$VM_CACHE/.uefi-sb.XXXXXX")
	# shellcheck disable=SC2064 # b is fixed here
	trap "_vm_uefi_release '$b' || echo 'warning: mounts left below $b' >&2" EXIT
	_vm_uefi_sb_build_tree "$b/rootfs"
	_vm_uefi_build_disk "$b"
	cp "$b/rootfs/boot/grub/grub.cfg" "$b/grub.cfg"
	_vm_uefi_release "$b" || vm_die "mounts left below $b"
	trap - EXIT
	[ ! -e "$dir" ] || _vm_uefi_rm "$dir"
	mv "$b" "$dir"
	find "$dir/rootfs/boot" -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sed 's/^vmlinuz-//' >"$dir/release"
)

# vm_uefi_sb: echo the cache dir of the Secure Boot image (built if needed, a few minutes).
# The key covers this file's builders and the lib-uefi.sh functions they call.
vm_uefi_sb() {
	local key
	_vm_uefi_cache_ok
	key=$(vm_hash "$(declare -f _vm_build_uefi_sb _vm_uefi_sb_build_tree _vm_uefi_build_disk \
		_vm_uefi_partitions _vm_uefi_dev)" "$VM_DEBIAN_SUITE" "$VM_DEBIAN_MIRROR" \
		"$VM_UEFI_ESP_START $VM_UEFI_ESP_SECTORS $VM_UEFI_ROOT_START $VM_UEFI_ROOT_SECTORS" \
		"$VM_UEFI_ROOT_UUID $VM_UEFI_ESP_ID $VM_UEFI_DISK_GUID $VM_UEFI_ESP_PARTUUID $VM_UEFI_ROOT_PARTUUID")
	_vm_uefi_cached uefi-sb "$key" "the Secure Boot image (debootstrap with shim-signed, grub-efi-amd64-signed, grub-install: a few minutes, once)" \
		_vm_build_uefi_sb
}

# vm_uefi_sb_vars OUT: a fresh copy of the Secure Boot variable store (Microsoft's KEK and db
# enrolled, Secure Boot on) for one guest.
vm_uefi_sb_vars() {
	if [ ! -f "$VM_OVMF_SB_CODE" ] || [ ! -f "$VM_OVMF_SB_VARS" ]; then
		vm_die "no Secure Boot OVMF ($VM_OVMF_SB_CODE, $VM_OVMF_SB_VARS): apt-get install ovmf"
	fi
	cp "$VM_OVMF_SB_VARS" "$1"
}

# vm_uefi_sb_boot TIMEOUT LOG STAMPS VARS DISK [QEMU-ARGS...]: vm_uefi_boot with the Secure
# Boot firmware on the q35 machine it needs.
vm_uefi_sb_boot() {
	VM_OVMF_CODE=$VM_OVMF_SB_CODE vm_uefi_boot "$@" "${VM_UEFI_SB_QEMU[@]}"
}
