/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How much of an image's start the parser needs: the kernel_version pointer is 16 bits
 * relative to 0x200. */
#define BZIMAGE_HEAD_MAX (0x10200 + 256)

#define BZIMAGE_MIN_KEXEC_PROTOCOL 0x020c
#define BZIMAGE_CMDLINE_RESERVE                                                                    \
        30 /* the kernel keeps room for "elfcorehdr=" (MAX_ELFCOREHDR_STR_LEN) */

enum bzimage_status {
        BZIMAGE_OK,
        BZIMAGE_TRUNCATED,
        BZIMAGE_NO_MAGIC,
        BZIMAGE_BAD_VERSION_STRING,
        BZIMAGE_OTHER_ARCH,     /* an arm64 or RISC-V kernel Image */
        BZIMAGE_ELF,            /* an x86-64 ELF file, such as a vmlinux */
        BZIMAGE_OTHER_ARCH_ELF, /* an ELF file of another machine */
};

struct bzimage_info {
        uint16_t protocol; /* boot protocol, 0x020f for 2.15 */
        uint8_t loadflags;
        uint8_t relocatable;
        uint16_t xloadflags;
        uint32_t cmdline_size; /* longest line the image takes, without the NUL */
        uint64_t min_size;     /* bytes the header says the file has: setup + payload */
        char release[65];      /* first word of the kernel_version string, "" when absent */
        char version[160];     /* the whole kernel_version string, cut to fit */
        bool pe;               /* has an EFI stub (a PE header) */
        bool signature;        /* the PE header names an Authenticode certificate table */
};

enum bzimage_status bzimage_parse(const uint8_t *buf, size_t len, struct bzimage_info *ret);

/* Where the kernel_version string starts, from the first BZIMAGE_SETUP_HEADER_END bytes;
 * 0 when the image has none or is no bzImage. Lets a caller read a release without reading
 * everything up to it. */
#define BZIMAGE_SETUP_HEADER_END 0x240
size_t bzimage_version_offset(const uint8_t *head, size_t len);
/* The release (the version string's first word) from the bytes at that offset; false when
 * they are not readable text. */
bool bzimage_release_from(const uint8_t *text, size_t len, char *ret, size_t ret_size);
const char *bzimage_status_to_string(enum bzimage_status s);

/* Why kexec_file_load(2) would refuse this image with ENOEXEC, or NULL if it would not. */
const char *bzimage_kexec_problem(const struct bzimage_info *info);

/* Why a file of size bytes cannot be this image (it is shorter than its header says), or
 * NULL. A signed image is longer than that: the signature follows the payload. */
const char *bzimage_size_problem(const struct bzimage_info *info, uint64_t size);

/* Whether a command line of len bytes (without the NUL) fits the image. */
bool bzimage_cmdline_fits(const struct bzimage_info *info, size_t len);
/* The longest line, without the NUL, that fits. */
size_t bzimage_cmdline_max(const struct bzimage_info *info);
