/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "uki.h"
#include "util.h"

/* A crafted PE image: the DOS header, "PE\0\0" at e_lfanew, the COFF header, an optional
 * header of the right size for PE32 or PE32+, the section table, and each section's raw
 * data filled with its own byte (1 for the first section, 2 for the second...). */
struct pe_section {
        const char *name; /* copied into the 8-byte field, NUL padded, cut at 8 */
        uint32_t offset;  /* PointerToRawData */
        uint32_t raw_size;
        uint32_t virtual_size;
};

struct pe_spec {
        const struct pe_section *sections;
        size_t n_sections;
        bool pe32;                  /* PE32 instead of PE32+ */
        uint32_t e_lfanew;          /* default 0x80 */
        uint32_t n_sections_header; /* NumberOfSections written, when not n_sections */
        size_t file_size;           /* default: up to the end of the last section */
};

#define PE32_OPT_SIZE 224
#define PE32PLUS_OPT_SIZE 240

static void put16(uint8_t *p, uint16_t v)
{
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
        put16(p, (uint16_t)v);
        put16(p + 2, (uint16_t)(v >> 16));
}

static size_t pe_lfanew(const struct pe_spec *spec)
{
        return spec->e_lfanew ? spec->e_lfanew : 0x80;
}

/* Where the section table ends: the bytes uki_parse() needs. */
static size_t pe_table_end(const struct pe_spec *spec)
{
        return pe_lfanew(spec) + 24 + (spec->pe32 ? PE32_OPT_SIZE : PE32PLUS_OPT_SIZE) +
               spec->n_sections * 40;
}

static size_t pe_build(const struct pe_spec *spec, uint8_t **ret)
{
        size_t pe = pe_lfanew(spec), opt = pe + 24, table, size = pe_table_end(spec);
        uint16_t opt_size = spec->pe32 ? PE32_OPT_SIZE : PE32PLUS_OPT_SIZE;
        uint8_t *buf;

        for (size_t i = 0; i < spec->n_sections; i++) {
                size_t end = (size_t)spec->sections[i].offset + spec->sections[i].raw_size;
                if (end > size)
                        size = end;
        }
        if (spec->file_size)
                size = spec->file_size;
        buf = calloc(1, size);
        assert_non_null(buf);

        memcpy(buf, "MZ", 2);
        put32(buf + 0x3c, (uint32_t)pe);
        memcpy(buf + pe, "PE\0\0", 4);
        put16(buf + pe + 4, spec->pe32 ? 0x14c : 0x8664); /* Machine */
        put16(buf + pe + 6,
              (uint16_t)(spec->n_sections_header ? spec->n_sections_header : spec->n_sections));
        put16(buf + pe + 20, opt_size);
        put16(buf + opt, spec->pe32 ? 0x10b : 0x20b);

        table = opt + opt_size;
        for (size_t i = 0; i < spec->n_sections; i++) {
                const struct pe_section *s = &spec->sections[i];
                uint8_t *h = buf + table + i * 40;
                size_t n = strlen(s->name);

                memcpy(h, s->name, n < 8 ? n : 8);
                put32(h + 8, s->virtual_size);
                put32(h + 16, s->raw_size);
                put32(h + 20, s->offset);
                for (size_t j = 0; j < s->raw_size && (size_t)s->offset + j < size; j++)
                        buf[s->offset + j] = (uint8_t)(i + 1);
        }
        *ret = buf;
        return size;
}

/* Builds the image and parses its first len bytes (all of them when len is 0). */
static int parse(const struct pe_spec *spec, size_t len, struct uki *ret)
{
        _cleanup_free_ uint8_t *buf = NULL;
        size_t size = pe_build(spec, &buf);

        return uki_parse(buf, len ? len : size, size, ret);
}

/* What ukify and objcopy produce: the stub's own sections, then the UKI parts, each
 * starting on a 512-byte boundary with its SizeOfRawData rounded up to one. */
static const struct pe_section full_uki[] = {
        {".text", 0x400, 0x200, 0x1a0},      {".sbat", 0x600, 0x200, 0x5c},
        {".osrel", 0x800, 0x200, 0x120},     {".cmdline", 0xa00, 0x200, 0x2d},
        {".uname", 0xc00, 0x200, 0x12},      {".ucode", 0xe00, 0x400, 0x3f0},
        {".initrd", 0x1200, 0x1800, 0x1700}, {".linux", 0x2a00, 0x2000, 0x1e40},
};

static void test_all_sections(void **state)
{
        struct pe_spec spec = {.sections = full_uki, .n_sections = ELEMENTSOF(full_uki)};
        _cleanup_free_ uint8_t *buf = NULL;
        size_t size = pe_build(&spec, &buf);
        struct uki u;

        assert_int_equal(uki_parse(buf, size, size, &u), 0);
        assert_int_equal(u.osrel.offset, 0x800);
        assert_int_equal(u.osrel.size, 0x120);
        assert_int_equal(u.cmdline.offset, 0xa00);
        assert_int_equal(u.cmdline.size, 0x2d);
        assert_int_equal(u.uname.offset, 0xc00);
        assert_int_equal(u.uname.size, 0x12);
        assert_int_equal(u.ucode.offset, 0xe00);
        assert_int_equal(u.ucode.size, 0x3f0);
        assert_int_equal(u.initrd.offset, 0x1200);
        assert_int_equal(u.initrd.size, 0x1700);
        assert_int_equal(u.linux_.offset, 0x2a00);
        assert_int_equal(u.linux_.size, 0x1e40);
        /* The offsets point at each section's own bytes. */
        assert_int_equal(buf[u.cmdline.offset], 4);
        assert_int_equal(buf[u.linux_.offset + u.linux_.size - 1], 8);
}

static void test_only_linux(void **state)
{
        static const struct pe_section sections[] = {{".linux", 0x400, 0x1000, 0x1000}};
        struct pe_spec spec = {.sections = sections, .n_sections = 1};
        struct uki u;

        assert_int_equal(parse(&spec, 0, &u), 0);
        assert_int_equal(u.linux_.offset, 0x400);
        assert_int_equal(u.linux_.size, 0x1000);
        /* Absent parts have size 0. */
        assert_int_equal(u.initrd.size, 0);
        assert_int_equal(u.cmdline.size, 0);
        assert_int_equal(u.osrel.size, 0);
        assert_int_equal(u.uname.size, 0);
        assert_int_equal(u.ucode.size, 0);
}

static void test_missing_linux(void **state)
{
        /* A plain EFI stub, or a signed systemd-boot: a PE file, but no kernel inside. */
        static const struct pe_section sections[] = {
                {".text", 0x400, 0x200, 0x100},
                {".cmdline", 0x600, 0x200, 0x20},
                {".initrd", 0x800, 0x200, 0x200},
        };
        /* An empty .linux holds no kernel either. */
        static const struct pe_section empty[] = {{".linux", 0x400, 0, 0}};
        struct pe_spec spec = {.sections = sections, .n_sections = ELEMENTSOF(sections)};
        struct pe_spec empty_spec = {.sections = empty, .n_sections = 1, .file_size = 0x400};
        struct uki u = {.cmdline = {.offset = 42}};

        assert_int_equal(parse(&spec, 0, &u), -EBADMSG);
        assert_int_equal(u.cmdline.offset, 42); /* untouched on failure */
        assert_int_equal(parse(&empty_spec, 0, &u), -EBADMSG);
}

static void test_section_beyond_file(void **state)
{
        static const struct pe_section sections[] = {
                {".linux", 0x400, 0x1000, 0x1000},
                {".initrd", 0x1400, 0x1000, 0x1000},
        };
        static const struct pe_section far[] = {
                {".linux", 0x400, 0x1000, 0x1000},
                {".initrd", 0xffffffff, 0xffffffff, 0},
        };
        struct pe_spec spec = {.sections = sections, .n_sections = 2};
        struct pe_spec far_spec = {.sections = far, .n_sections = 2, .file_size = 0x1400};
        _cleanup_free_ uint8_t *buf = NULL;
        size_t size = pe_build(&spec, &buf);
        struct uki u;

        assert_int_equal(size, 0x2400);
        assert_int_equal(uki_parse(buf, size, size, &u), 0);
        /* A file cut one byte short of its last section: an interrupted copy. */
        assert_int_equal(uki_parse(buf, size, size - 1, &u), -EBADMSG);
        /* Only the headers were read, but the file is whole. */
        assert_int_equal(uki_parse(buf, 0x400, size, &u), 0);
        assert_int_equal(u.initrd.offset, 0x1400);
        /* Offsets and sizes near 4 GiB must not wrap around. */
        assert_int_equal(parse(&far_spec, 0, &u), -EBADMSG);
}

static void test_section_table_beyond_buffer(void **state)
{
        struct pe_spec spec = {.sections = full_uki, .n_sections = ELEMENTSOF(full_uki)};
        size_t end = pe_table_end(&spec);
        struct uki u;

        assert_int_equal(parse(&spec, end, &u), 0);
        assert_int_equal(parse(&spec, end - 1, &u), -EBADMSG);
        assert_int_equal(parse(&spec, end - 40, &u), -EBADMSG);
}

static void test_truncated_headers(void **state)
{
        static const struct pe_section sections[] = {{".linux", 0x400, 0x200, 0x200}};
        struct pe_spec spec = {.sections = sections, .n_sections = 1};
        _cleanup_free_ uint8_t *buf = NULL;
        size_t size = pe_build(&spec, &buf), end = pe_table_end(&spec);
        struct uki u;

        /* Every cut inside the headers, from an empty file on. */
        for (size_t len = 0; len < end; len++)
                assert_int_equal(uki_parse(buf, len, size, &u), -EBADMSG);
        assert_int_equal(uki_parse(buf, end, size, &u), 0);
        /* A file that is shorter than what the caller claims to have read. */
        assert_int_equal(uki_parse(buf, size, end - 1, &u), -EBADMSG);
}

static void test_not_pe(void **state)
{
        static const struct pe_section sections[] = {{".linux", 0x400, 0x200, 0x200}};
        struct pe_spec spec = {.sections = sections, .n_sections = 1};
        struct pe_spec far_spec = {.sections = sections, .n_sections = 1, .e_lfanew = 0x200};
        _cleanup_free_ uint8_t *buf = NULL;
        size_t size = pe_build(&spec, &buf);
        struct uki u;

        assert_int_equal(uki_parse(buf, size, size, &u), 0);
        buf[1] = 'Y'; /* a bzImage without EFI stub starts with something else */
        assert_int_equal(uki_parse(buf, size, size, &u), -EBADMSG);
        buf[1] = 'Z';
        memcpy(buf + 0x80, "NE\0\0", 4);
        assert_int_equal(uki_parse(buf, size, size, &u), -EBADMSG);
        memcpy(buf + 0x80, "PE\0\0", 4);
        /* e_lfanew pointing far outside the file */
        put32(buf + 0x3c, 0xfffffff0);
        assert_int_equal(uki_parse(buf, size, size, &u), -EBADMSG);
        put32(buf + 0x3c, 0x80);
        /* an optional header that is neither PE32 nor PE32+ (a ROM image: 0x107) */
        put16(buf + 0x80 + 24, 0x107);
        assert_int_equal(uki_parse(buf, size, size, &u), -EBADMSG);
        /* no optional header at all: an object file, not an image */
        put16(buf + 0x80 + 24, 0x20b);
        put16(buf + 0x80 + 20, 0);
        assert_int_equal(uki_parse(buf, size, size, &u), -EBADMSG);
        /* the PE header wherever e_lfanew says */
        assert_int_equal(parse(&far_spec, 0, &u), 0);
        assert_int_equal(u.linux_.offset, 0x400);
}

static void test_huge_section_count(void **state)
{
        static const struct pe_section sections[] = {{".linux", 0x400, 0x200, 0x200}};
        struct pe_spec spec = {.sections = sections, .n_sections = 1, .n_sections_header = 0xffff};
        struct uki u;

        /* 65535 * 40 bytes of section table: far more than the file holds. */
        assert_int_equal(parse(&spec, 0, &u), -EBADMSG);
}

static void test_pe32_and_pe32plus(void **state)
{
        static const struct pe_section sections[] = {
                {".cmdline", 0x400, 0x200, 0x10},
                {".linux", 0x600, 0x800, 0x7ff},
        };
        struct pe_spec pe32 = {.sections = sections, .n_sections = 2, .pe32 = true};
        struct pe_spec pe32plus = {.sections = sections, .n_sections = 2};
        struct uki a, b;

        /* The optional headers differ in length (224 and 240 bytes): the section table
         * follows wherever SizeOfOptionalHeader says. */
        assert_int_equal(parse(&pe32, 0, &a), 0);
        assert_int_equal(parse(&pe32plus, 0, &b), 0);
        assert_memory_equal(&a, &b, sizeof(a));
        assert_int_equal(a.linux_.offset, 0x600);
        assert_int_equal(a.linux_.size, 0x7ff);
        assert_int_equal(a.cmdline.size, 0x10);
        assert_int_equal(pe_table_end(&pe32) + 16, pe_table_end(&pe32plus));
}

static void test_sizes(void **state)
{
        static const struct pe_section sections[] = {
                /* the usual case: data, then padding to the file alignment */
                {".linux", 0x400, 0x1000, 0xc01},
                /* a linker that leaves VirtualSize 0 */
                {".initrd", 0x1400, 0x200, 0},
                /* VirtualSize beyond the raw data: the rest is zeros in memory, not in the
                 * file */
                {".cmdline", 0x1600, 0x200, 0x1000},
                {".osrel", 0x1800, 0, 0x100},
        };
        struct pe_spec spec = {.sections = sections, .n_sections = ELEMENTSOF(sections)};
        struct uki u;

        assert_int_equal(parse(&spec, 0, &u), 0);
        assert_int_equal(u.linux_.size, 0xc01);
        assert_int_equal(u.initrd.size, 0x200);
        assert_int_equal(u.cmdline.size, 0x200);
        assert_int_equal(u.osrel.size, 0);
}

static void test_padding_beyond_file(void **state)
{
        /* The data ends inside the file though SizeOfRawData's padding would not: only the
         * data counts. */
        static const struct pe_section sections[] = {{".linux", 0x400, 0x1000, 0x800}};
        struct pe_spec spec = {.sections = sections, .n_sections = 1, .file_size = 0xc00};
        struct uki u;

        assert_int_equal(parse(&spec, 0, &u), 0);
        assert_int_equal(u.linux_.size, 0x800);
}

static void test_names(void **state)
{
        static const struct pe_section sections[] = {
                {"/4", 0x400, 0x200, 0x200},        /* a long name: in the string table */
                {".linuxx", 0x600, 0x200, 0x200},   /* not .linux */
                {".cmdlinex", 0x800, 0x200, 0x200}, /* cut to ".cmdline" by the field */
                {".linux", 0xa00, 0x200, 0x100},
                {".linux", 0xc00, 0x200, 0x200}, /* a second one: the first wins */
                {".initrd", 0xe00, 0x200, 0x200},
        };
        struct pe_spec spec = {.sections = sections, .n_sections = ELEMENTSOF(sections)};
        struct uki u;

        assert_int_equal(parse(&spec, 0, &u), 0);
        assert_int_equal(u.linux_.offset, 0xa00);
        assert_int_equal(u.linux_.size, 0x100);
        assert_int_equal(u.cmdline.offset, 0x800);
        assert_int_equal(u.initrd.offset, 0xe00);
}

static void test_name_garbage_after_nul(void **state)
{
        static const struct pe_section sections[] = {
                {".linux", 0x400, 0x200, 0x200},
                {".initrd", 0x600, 0x200, 0x200},
        };
        struct pe_spec spec = {.sections = sections, .n_sections = 2};
        _cleanup_free_ uint8_t *buf = NULL;
        size_t size = pe_build(&spec, &buf);
        size_t table = 0x80 + 24 + PE32PLUS_OPT_SIZE;
        struct uki u;

        /* ".initrd\0" must be NUL padded; ".initrd" followed by a byte is another name. */
        buf[table + 40 + 7] = 'x';
        assert_int_equal(uki_parse(buf, size, size, &u), 0);
        assert_int_equal(u.initrd.size, 0);
}

static void test_duplicate_beyond_file_ignored(void **state)
{
        /* The first .linux is what counts; a later one is never looked at. */
        static const struct pe_section sections[] = {
                {".linux", 0x400, 0x200, 0x200},
                {".linux", 0xfffff000, 0x1000, 0x1000},
        };
        struct pe_spec spec = {.sections = sections, .n_sections = 2, .file_size = 0x600};
        struct uki u;

        assert_int_equal(parse(&spec, 0, &u), 0);
        assert_int_equal(u.linux_.offset, 0x400);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_all_sections),
                cmocka_unit_test(test_only_linux),
                cmocka_unit_test(test_missing_linux),
                cmocka_unit_test(test_section_beyond_file),
                cmocka_unit_test(test_section_table_beyond_buffer),
                cmocka_unit_test(test_truncated_headers),
                cmocka_unit_test(test_not_pe),
                cmocka_unit_test(test_huge_section_count),
                cmocka_unit_test(test_pe32_and_pe32plus),
                cmocka_unit_test(test_sizes),
                cmocka_unit_test(test_padding_beyond_file),
                cmocka_unit_test(test_names),
                cmocka_unit_test(test_name_garbage_after_nul),
                cmocka_unit_test(test_duplicate_beyond_file_ignored),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
