/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "rootdir.h"

/* Where the choice of kernel came from; the JSON "source" values. */
#define SOURCE_OPTION "option"         /* --kernel */
#define SOURCE_BOOT_IMAGE "boot-image" /* BOOT_IMAGE= left by GRUB */
#define SOURCE_LAYOUT "layout"         /* a distribution's name for the running release */
#define SOURCE_SCAN "scan"             /* an image in /boot whose header names the release */
#define SOURCE_MODULES "modules-dir"   /* /usr/lib/modules/R/vmlinuz */
/* The entry systemd-boot says it booted (LoaderEntrySelected). */
#define SOURCE_LOADER_ENTRY "loader-entry"

struct kernel_choice {
        char *kernel;  /* path as the target sees it */
        char *source;  /* one of SOURCE_* */
        char *release; /* release read from the image header, NULL if unreadable */
};

void kernel_choice_done(struct kernel_choice *c);

/*
 * Finds the image of the running release: the BOOT_IMAGE= path first, then each
 * distribution's names, then any image in /boot that kernel-name.h calls a kernel of the
 * release. When no image has the release, the boot loader's choice or an image named after
 * a flavour (vmlinuz-linux) is still returned and ret->release tells. -EBADMSG when nothing
 * fits and a file under the running release's own name is there but is not its kernel
 * (/boot/vmlinuz-R, kernel-R, MACHINE-ID/R/linux or /usr/lib/modules/R/vmlinuz damaged or
 * holding another release; the BOOT_IMAGE= path damaged, or holding another release than
 * its name says): then *ret_problem (when not NULL) is a sentence naming the first such
 * file, "/boot/vmlinuz-R has no valid x86 boot header" or "/boot/vmlinuz-R holds release
 * X". ret is untouched on failure. -ENOENT when there is no candidate at all.
 */
int locate_kernel(const struct root *r, const char *release, const char *boot_image,
                  struct kernel_choice *ret, char **ret_problem);

/*
 * The initrd that belongs to a kernel: Debian's initrd.img-R, Fedora's initramfs-R.img,
 * openSUSE's initrd-R, Gentoo's initramfs-genkernel-*, Arch's initramfs-linux.img,
 * kernel-install's .../R/initrd, named after the kernel's name when that fits its release
 * (kernel_name_initrd_key()), else after the release. Never a kdump, fallback or spare
 * copy (boot_name_is_spare()). -ENOENT when none.
 */
int locate_initrd(const struct root *r, const char *kernel, const char *release, char **ret);

/* Reads the release from an image's boot header; -EBADMSG when it is not a bzImage. */
int image_release(const struct root *r, const char *path, char **ret);

/* Microcode images that boot loaders load before the initrd, when /boot has them. */
extern const char *const microcode_images[];

/*
 * What a boot loader loads with a kernel found in /boot: the microcode images (in /boot,
 * then beside the kernel), then the kernel's initrd (locate_initrd()). An empty list when
 * the kernel has no initrd: microcode alone is none. The one answer for plan and list.
 */
int kernel_initrds(const struct root *r, const char *kernel, const char *release, char ***ret);
