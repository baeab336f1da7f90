/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "uki.h"
#include "unaligned.h"
#include "util.h"

/* The PE/COFF layout, from Microsoft's "PE Format" specification. */
#define DOS_HEADER_SIZE 0x40
#define OFF_E_LFANEW 0x3c
#define PE_SIGNATURE_SIZE 4
#define COFF_HEADER_SIZE 20
#define OFF_NUMBER_OF_SECTIONS 2       /* in the COFF header */
#define OFF_SIZE_OF_OPTIONAL_HEADER 16 /* in the COFF header */
#define PE32_MAGIC 0x10b
#define PE32PLUS_MAGIC 0x20b
#define SECTION_HEADER_SIZE 40
#define SECTION_NAME_SIZE 8
#define OFF_VIRTUAL_SIZE 8 /* in a section header */
#define OFF_SIZE_OF_RAW_DATA 16
#define OFF_POINTER_TO_RAW_DATA 20

/* Section names are 8 bytes padded with NULs; a name of exactly 8 bytes (".cmdline") has
 * none. Long names ("/123", an offset into the string table) never match. */
static bool section_name_is(const uint8_t *field, const char *name)
{
        size_t n = strlen(name);

        if (memcmp(field, name, n) != 0)
                return false;
        for (size_t i = n; i < SECTION_NAME_SIZE; i++)
                if (field[i] != 0)
                        return false;
        return true;
}

static const struct {
        const char *name;
        size_t offset; /* of its struct uki_section in struct uki */
} known_sections[] = {
        {".linux", offsetof(struct uki, linux_)}, {".initrd", offsetof(struct uki, initrd)},
        {".ucode", offsetof(struct uki, ucode)},  {".cmdline", offsetof(struct uki, cmdline)},
        {".osrel", offsetof(struct uki, osrel)},  {".uname", offsetof(struct uki, uname)},
};

/* The index in known_sections[] of the section called name, or -1. */
static int known_section(const uint8_t *name)
{
        for (size_t i = 0; i < ELEMENTSOF(known_sections); i++)
                if (section_name_is(name, known_sections[i].name))
                        return (int)i;
        return -1;
}

int uki_parse(const uint8_t *buf, size_t len, uint64_t file_size, struct uki *ret)
{
        struct uki u = {};
        bool seen[ELEMENTSOF(known_sections)] = {};
        uint64_t pe, coff, opt, table, table_end;
        uint16_t n_sections, opt_size, magic;

        /* Bytes past the end of the file are not part of it, whatever the caller read. */
        if ((uint64_t)len > file_size)
                len = (size_t)file_size;

        if (len < DOS_HEADER_SIZE || buf[0] != 'M' || buf[1] != 'Z')
                return -EBADMSG;
        /* All sums below are of 32-bit and 16-bit values in 64 bits: none can overflow. */
        pe = read_le32(buf + OFF_E_LFANEW);
        coff = pe + PE_SIGNATURE_SIZE;
        opt = coff + COFF_HEADER_SIZE;
        if (opt > len || memcmp(buf + pe, "PE\0\0", PE_SIGNATURE_SIZE) != 0)
                return -EBADMSG;
        n_sections = read_le16(buf + coff + OFF_NUMBER_OF_SECTIONS);
        opt_size = read_le16(buf + coff + OFF_SIZE_OF_OPTIONAL_HEADER);

        /* An image file always has an optional header, PE32 or PE32+. The two lay it out
         * differently, but nothing in it is needed here: the section table follows it,
         * wherever SizeOfOptionalHeader says. */
        if (opt_size < 2 || opt + 2 > len)
                return -EBADMSG;
        magic = read_le16(buf + opt);
        if (magic != PE32_MAGIC && magic != PE32PLUS_MAGIC)
                return -EBADMSG;

        table = opt + opt_size;
        table_end = table + (uint64_t)n_sections * SECTION_HEADER_SIZE;
        if (table_end > len)
                return -EBADMSG;

        for (uint16_t i = 0; i < n_sections; i++) {
                const uint8_t *h = buf + table + (size_t)i * SECTION_HEADER_SIZE;
                int k = known_section(h);
                struct uki_section *slot;
                uint32_t virtual_size, raw_size, raw_offset, size;

                /* A name given twice: the first one is what a loader would find. */
                if (k < 0 || seen[k])
                        continue;
                seen[k] = true;
                slot = (struct uki_section *)((uint8_t *)&u + known_sections[k].offset);

                virtual_size = read_le32(h + OFF_VIRTUAL_SIZE);
                raw_size = read_le32(h + OFF_SIZE_OF_RAW_DATA);
                raw_offset = read_le32(h + OFF_POINTER_TO_RAW_DATA);
                /* SizeOfRawData is rounded up to the file alignment; VirtualSize is what the
                 * data really is, unless the linker left it 0. */
                size = virtual_size == 0 || virtual_size > raw_size ? raw_size : virtual_size;
                if ((uint64_t)raw_offset + size > file_size)
                        return -EBADMSG;
                slot->offset = raw_offset;
                slot->size = size;
        }

        if (u.linux_.size == 0)
                return -EBADMSG;
        *ret = u;
        return 0;
}
