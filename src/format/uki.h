/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Where the parts of a Type #2 unified kernel image (a PE file) are in the file. A section
 * that is absent has size 0. */
struct uki_section {
        uint64_t offset; /* in the file (PointerToRawData) */
        uint64_t size;   /* min(VirtualSize, SizeOfRawData): the bytes that are data */
};

struct uki {
        struct uki_section linux_, initrd, ucode, cmdline, osrel, uname;
};

/*
 * Parses the PE headers at the start of a UKI: buf holds the first len bytes of a file of
 * file_size bytes. -EBADMSG when it is not a PE file, the section table lies outside buf,
 * a section lies outside the file, or there is no .linux section. Pure: bytes in, offsets
 * out.
 */
int uki_parse(const uint8_t *buf, size_t len, uint64_t file_size, struct uki *ret);
