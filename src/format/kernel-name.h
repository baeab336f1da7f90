/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * Which files in /boot are kernels, told by name: one rule for every scan of /boot (the boot
 * entries and the running kernel's image), so that list and plan agree.
 *
 * A kernel's name is "vmlinuz", or "vmlinuz-", "kernel-" or "vmlinux-" and a stem. Hidden
 * names, kdump, fallback and rescue images, and the copies of boot_name_is_spare() are none.
 *
 * A name whose stem, or a part of the stem after a '-', starts with a digit names a release
 * (vmlinuz-6.8.0-55-generic, kernel-6.1.0-gentoo, genkernel's
 * kernel-genkernel-x86_64-6.6.13-gentoo, Slackware's vmlinuz-generic-6.1.66): that part to the
 * end is the release, and the file is a kernel only when its boot header carries exactly it.
 * So vmlinuz-R.dpkg-tmp, vmlinuz-R.efi.signed or vmlinuz-R.anything holding R are none.
 *
 * Any other stem is a flavour (vmlinuz-linux, vmlinuz-lts, vmlinuz-linux-zen): the package
 * puts whichever release it installs there, so any release fits, but a flavour has no '.'
 * or '~', which is how every tool marks its copies (vmlinuz-linux.bak, vmlinuz-lts.apk-new).
 */
enum kernel_name {
        KERNEL_NAME_NONE,      /* no kernel's name */
        KERNEL_NAME_FLAVOUR,   /* vmlinuz-linux, vmlinuz-lts, vmlinuz: any release */
        KERNEL_NAME_VERSIONED, /* vmlinuz-R, kernel-R, kernel-genkernel-ARCH-R: R alone */
};

enum kernel_name kernel_name_classify(const char *name);

/* Whether a file of this name whose boot header carries release is a kernel; false for a
 * NULL release (no readable header). */
bool kernel_name_matches_release(const char *name, const char *release);

/*
 * The part of a kernel's name that its initrd's name repeats ("6.8.0-55-generic" for
 * vmlinuz-6.8.0-55-generic: initrd.img-6.8.0-55-generic; "linux" for vmlinuz-linux:
 * initramfs-linux.img; "0-rescue-ID" for dracut's rescue image), when the name fits the
 * release its image carries (release NULL: when the name is a kernel's). NULL for copies
 * (vmlinuz-R.bak), names that disagree with the image, and "vmlinuz".
 */
const char *kernel_name_initrd_key(const char *name, const char *release);

/*
 * Files kept aside, never booted nor loaded as an initrd: hidden names, kdump and fallback
 * images, backups (.old, .bak, .orig, .save, ~), temporaries and leftovers of package
 * managers and editors (.tmp, .swp, .dpkg-*, .ucf-*, .rpmnew, .rpmsave, .rpmorig, .pacnew,
 * .pacsave, .apk-new), detached signatures and signed copies (.sig, .p7s, .signed).
 */
bool boot_name_is_spare(const char *name);

/*
 * Turns a BOOT_IMAGE= value into a path: drops a GRUB device prefix "(hd0,gpt2)" and a ZFS
 * dataset "/ROOT/debian@". -EINVAL when the value names no absolute path, -ENOMEM.
 */
int boot_image_path(const char *value, char **ret);

/* Whether a boot loader entry's image is a memory tester (memtest86+x64.efi,
 * memtest86+ia32.bin, memtest86.bin), which boot loaders start like a kernel but which is
 * none: GRUB's 20_memtest86+ adds such entries. */
bool boot_name_is_memory_test(const char *name);
