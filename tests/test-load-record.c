/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "load-record.h"
#include "util.h"

#define SHA "45b9e8c082cccf6a2e6452f3a2b5d1df4ab83e12da36b9f7b8fc4c4e80aa7d9d"
#define GOOD                                                                                       \
        "warmboot-load-record 2\n"                                                                 \
        "time=1764600000\n"                                                                        \
        "boot_id=5e1f0c2a-7b3d-4c8e-9f10-2a3b4c5d6e7f\n"                                           \
        "options=--entry='Debian GNU/Linux'\n"                                                     \
        "cmdline=root=UUID=5b1f ro quiet\n"                                                        \
        "file=2049 131 8192 1700000000123456789 1700000001987654321 " SHA                          \
        " /boot/vmlinuz-6.1.0-28-amd64\n"                                                          \
        "file=2049 132 6 1700000000000000000 1700000000000000000 " SHA " /boot/initrd img\n"

static void test_good_record(void **state)
{
        struct load_record rec = {};
        _cleanup_free_ char *again = NULL;

        assert_int_equal(load_record_parse(GOOD, &rec), 0);
        assert_int_equal(rec.time, 1764600000);
        assert_string_equal(rec.options, "--entry='Debian GNU/Linux'");
        assert_string_equal(rec.cmdline, "root=UUID=5b1f ro quiet");
        assert_int_equal(rec.n_files, 2);
        assert_int_equal(rec.files[0].dev, 2049);
        assert_int_equal(rec.files[0].ino, 131);
        assert_int_equal(rec.files[0].size, 8192);
        assert_int_equal(rec.files[0].mtime_ns, 1700000000123456789);
        assert_int_equal(rec.files[0].ctime_ns, 1700000001987654321);
        assert_string_equal(rec.files[0].sha256, SHA);
        assert_string_equal(rec.files[1].path, "/boot/initrd img");
        /* Formatting gives back the same text. */
        assert_int_equal(load_record_format(&rec, &again), 0);
        assert_string_equal(again, GOOD);
        load_record_done(&rec);
}

static void assert_bad(const char *text)
{
        struct load_record rec = {};

        if (load_record_parse(text, &rec) != -EBADMSG) {
                print_error("accepted:\n%s\n", text);
                fail();
        }
}

static void test_bad_records(void **state)
{
        const char *head = "warmboot-load-record 2\ntime=1\nboot_id=b\noptions=\ncmdline=c\n";
        _cleanup_free_ char *no_file = strdup(head);
        /* A record of the first version, before CTIME_NS, is not one of this version. */
        _cleanup_free_ char *version1 =
                strdup_printf("warmboot-load-record "
                              "1\ntime=1\nboot_id=b\noptions=\ncmdline=c\nfile=1 2 3 4 %s /k\n",
                              SHA);
        _cleanup_free_ char *no_ctime = strdup_printf("%sfile=1 2 3 4 %s /k\n", head, SHA);
        _cleanup_free_ char *short_sha = strdup_printf("%sfile=1 2 3 4 5 %.63s /k\n", head, SHA);
        _cleanup_free_ char *upper =
                strdup_printf("%sfile=1 2 3 4 5 %s /k\n", head,
                              "45B9e8c082cccf6a2e6452f3a2b5d1df4ab83e12da36b9f7b8fc4c4e80aa7d9d");
        _cleanup_free_ char *relative = strdup_printf("%sfile=1 2 3 4 5 %s k\n", head, SHA);
        _cleanup_free_ char *negative = strdup_printf("%sfile=1 2 -3 4 5 %s /k\n", head, SHA);
        _cleanup_free_ char *overflow =
                strdup_printf("%sfile=1 2 18446744073709551616 4 5 %s /k\n", head, SHA);
        _cleanup_free_ char *cut = strdup_printf("%sfile=1 2 3 4 5 %s /k", head, SHA);
        _cleanup_free_ char *twice =
                strdup_printf("%scmdline=d\nfile=1 2 3 4 5 %s /k\n", head, SHA);
        _cleanup_free_ char *unknown =
                strdup_printf("%sfile=1 2 3 4 5 %s /k\nextra=1\n", head, SHA);

        assert_bad("");
        assert_bad("warmboot-load-record 2\n");
        assert_bad(version1);
        assert_bad(no_ctime);
        assert_bad(GOOD + 1);
        assert_bad(no_file);
        assert_bad(short_sha);
        assert_bad(upper);
        assert_bad(relative);
        assert_bad(negative);
        assert_bad(overflow);
        assert_bad(cut);
        assert_bad(twice);
        assert_bad(unknown);
}

static void test_format_refuses_newlines(void **state)
{
        struct load_record rec = {.time = 1, .n_files = 1};
        char *text = NULL;

        rec.boot_id = (char *)"b";
        rec.options = (char *)"";
        rec.cmdline = (char *)"a\nfile=1 2 3 4";
        rec.files[0].path = (char *)"/k";
        memcpy(rec.files[0].sha256, SHA, 65);
        assert_int_equal(load_record_format(&rec, &text), -EINVAL);
        assert_null(text);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_good_record),
                cmocka_unit_test(test_bad_records),
                cmocka_unit_test(test_format_refuses_newlines),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
