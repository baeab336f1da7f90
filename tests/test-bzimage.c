/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "bzimage.h"
#include "testlib.h"
#include "util.h"

static enum bzimage_status parse(const struct fake_image *spec, size_t cut,
                                 struct bzimage_info *info)
{
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len = fake_image_build(spec, &buf);

        return bzimage_parse(buf, cut ? cut : len, info);
}

static void test_valid_image(void **state)
{
        struct fake_image spec = {.release = "6.1.0-28-amd64"};
        struct bzimage_info info;

        assert_int_equal(parse(&spec, 0, &info), BZIMAGE_OK);
        assert_string_equal(info.release, "6.1.0-28-amd64");
        assert_true(strstr(info.version, "#1 SMP") != NULL);
        assert_int_equal(info.protocol, 0x020f);
        assert_int_equal(info.cmdline_size, 2047);
        assert_null(bzimage_kexec_problem(&info));
        assert_false(info.pe);
}

static void test_signed_pe_image(void **state)
{
        struct fake_image spec = {.release = "6.1.0-28-amd64", .pe = true, .signature = true};
        struct fake_image unsigned_spec = {.release = "6.1.0-28-amd64", .pe = true};
        struct bzimage_info info;

        assert_int_equal(parse(&spec, 0, &info), BZIMAGE_OK);
        assert_true(info.pe);
        assert_true(info.signature);
        assert_int_equal(parse(&unsigned_spec, 0, &info), BZIMAGE_OK);
        assert_true(info.pe);
        assert_false(info.signature);
}

static void test_truncated(void **state)
{
        struct fake_image spec = {.release = "6.1.0-28-amd64"};
        struct bzimage_info info;

        assert_int_equal(parse(&spec, 0x200, &info), BZIMAGE_TRUNCATED);
        /* The header is whole but the version string lies past the end. */
        assert_int_equal(parse(&spec, 0x1004, &info), BZIMAGE_TRUNCATED);
}

static void test_wrong_magic(void **state)
{
        _cleanup_free_ uint8_t *buf = NULL;
        struct fake_image spec = {.release = "6.1.0-28-amd64"};
        size_t len = fake_image_build(&spec, &buf);
        struct bzimage_info info;

        memcpy(buf + 0x202, "HdrZ", 4);
        assert_int_equal(bzimage_parse(buf, len, &info), BZIMAGE_NO_MAGIC);
        memcpy(buf + 0x202, "HdrS", 4);
        buf[0x1fe] = 0;
        assert_int_equal(bzimage_parse(buf, len, &info), BZIMAGE_NO_MAGIC);
}

/* Another architecture's kernel is named as such, not only as "no HdrS". */
static void test_other_architectures(void **state)
{
        uint8_t image[0x1000] = {'M', 'Z'};
        uint8_t elf[64] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
        struct bzimage_info info;

        memcpy(image + 0x38, "ARM\x64", 4);
        assert_int_equal(bzimage_parse(image, sizeof(image), &info), BZIMAGE_OTHER_ARCH);
        assert_non_null(strstr(bzimage_status_to_string(BZIMAGE_OTHER_ARCH), "arm64"));
        memcpy(image + 0x38, "RSC\x05", 4);
        assert_int_equal(bzimage_parse(image, sizeof(image), &info), BZIMAGE_OTHER_ARCH);
        /* Shorter than the x86 boot header: still told apart from a truncated bzImage. */
        assert_int_equal(bzimage_parse(image, 0x100, &info), BZIMAGE_OTHER_ARCH);
        elf[18] = 183; /* EM_AARCH64 */
        assert_int_equal(bzimage_parse(elf, sizeof(elf), &info), BZIMAGE_OTHER_ARCH_ELF);
        elf[18] = 62; /* EM_X86_64: a vmlinux */
        assert_int_equal(bzimage_parse(elf, sizeof(elf), &info), BZIMAGE_ELF);
        elf[5] = 2; /* big-endian: e_machine 62 << 8 is no x86-64 */
        assert_int_equal(bzimage_parse(elf, sizeof(elf), &info), BZIMAGE_OTHER_ARCH_ELF);
        memset(image + 0x38, 0, 4);
        assert_int_equal(bzimage_parse(image, sizeof(image), &info), BZIMAGE_NO_MAGIC);
}

static void test_old_protocol_cannot_be_kexeced(void **state)
{
        struct fake_image spec = {.release = "2.6.32", .protocol = 0x020a};
        struct bzimage_info info;

        assert_int_equal(parse(&spec, 0, &info), BZIMAGE_OK);
        assert_string_equal(info.release, "2.6.32");
        assert_non_null(strstr(bzimage_kexec_problem(&info), "2.12"));
}

static void test_ancient_protocol_has_short_cmdline(void **state)
{
        struct fake_image spec = {.release = "2.4.0", .protocol = 0x0202};
        struct bzimage_info info;

        assert_int_equal(parse(&spec, 0, &info), BZIMAGE_OK);
        assert_int_equal(info.cmdline_size, 255);
}

static void test_32bit_only(void **state)
{
        struct fake_image spec = {.release = "6.1.0-i686",
                                  .xloadflags = 0x2,
                                  .protocol = 0x020f,
                                  .cmdline_size = 2047,
                                  .relocatable = 1,
                                  .defaults_off = true};
        struct fake_image low = {.release = "6.1.0",
                                 .xloadflags = 0x1,
                                 .protocol = 0x020f,
                                 .cmdline_size = 2047,
                                 .relocatable = 1,
                                 .defaults_off = true};
        struct bzimage_info info;

        assert_int_equal(parse(&spec, 0, &info), BZIMAGE_OK);
        assert_non_null(strstr(bzimage_kexec_problem(&info), "64-bit"));
        assert_int_equal(parse(&low, 0, &info), BZIMAGE_OK);
        assert_non_null(strstr(bzimage_kexec_problem(&info), "4 GiB"));
}

static void test_bad_version_string(void **state)
{
        _cleanup_free_ uint8_t *buf = NULL;
        struct fake_image spec = {.release = "6.1.0-28-amd64"};
        size_t len = fake_image_build(&spec, &buf);
        struct bzimage_info info;

        buf[0x1002] = 0x07;
        assert_int_equal(bzimage_parse(buf, len, &info), BZIMAGE_BAD_VERSION_STRING);
}

static void test_cmdline_limit_keeps_kexec_reserve(void **state)
{
        struct fake_image spec = {.release = "6.1.0-28-amd64"};
        struct bzimage_info info;

        assert_int_equal(parse(&spec, 0, &info), BZIMAGE_OK);
        /* bzImage64 wants len + NUL + 30 <= cmdline_size: 2047 - 31 = 2016. */
        assert_int_equal(bzimage_cmdline_max(&info), 2016);
        assert_true(bzimage_cmdline_fits(&info, 2016));
        assert_false(bzimage_cmdline_fits(&info, 2017));
}

static void test_truncated_payload(void **state)
{
        _cleanup_free_ uint8_t *buf = NULL;
        struct fake_image spec = {.release = "6.1.0-28-amd64"};
        size_t len = fake_image_build(&spec, &buf);
        struct bzimage_info info;

        buf[0x1f1] = 27;                                         /* 28 sectors of setup */
        buf[0x1f4] = 0x00, buf[0x1f5] = 0x00, buf[0x1f6] = 0x08; /* 0x80000 * 16 bytes */
        assert_int_equal(bzimage_parse(buf, len, &info), BZIMAGE_OK);
        assert_int_equal(info.min_size, 28 * 512 + (uint64_t)0x80000 * 16);
        assert_non_null(bzimage_size_problem(&info, info.min_size / 2));
        assert_null(bzimage_size_problem(&info, info.min_size));
        /* a signature after the payload makes the file longer, never shorter */
        assert_null(bzimage_size_problem(&info, info.min_size + 4096));
}

static void test_release_from_two_short_reads(void **state)
{
        _cleanup_free_ uint8_t *buf = NULL;
        struct fake_image spec = {.release = "6.1.0-28-amd64"};
        size_t len = fake_image_build(&spec, &buf), off;
        char release[65];

        off = bzimage_version_offset(buf, BZIMAGE_SETUP_HEADER_END);
        assert_int_equal(off, 0x1000);
        assert_true(bzimage_release_from(buf + off, len - off, release, sizeof(release)));
        assert_string_equal(release, "6.1.0-28-amd64");
        /* Cut before the end of the first word: not a release. */
        assert_false(bzimage_release_from(buf + off, 6, release, sizeof(release)));
        buf[off + 2] = 0x07;
        assert_false(bzimage_release_from(buf + off, len - off, release, sizeof(release)));
        memcpy(buf + 0x202, "XXXX", 4);
        assert_int_equal(bzimage_version_offset(buf, BZIMAGE_SETUP_HEADER_END), 0);
}

static void test_no_version_string(void **state)
{
        struct fake_image spec = {};
        struct bzimage_info info;

        assert_int_equal(parse(&spec, 0, &info), BZIMAGE_OK);
        assert_string_equal(info.release, "");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_valid_image),
                cmocka_unit_test(test_signed_pe_image),
                cmocka_unit_test(test_truncated),
                cmocka_unit_test(test_wrong_magic),
                cmocka_unit_test(test_other_architectures),
                cmocka_unit_test(test_old_protocol_cannot_be_kexeced),
                cmocka_unit_test(test_ancient_protocol_has_short_cmdline),
                cmocka_unit_test(test_32bit_only),
                cmocka_unit_test(test_bad_version_string),
                cmocka_unit_test(test_cmdline_limit_keeps_kexec_reserve),
                cmocka_unit_test(test_truncated_payload),
                cmocka_unit_test(test_release_from_two_short_reads),
                cmocka_unit_test(test_no_version_string),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
