/* SPDX-License-Identifier: GPL-2.0-or-later */
/* systemd-boot's loader.conf: which pattern picks the default entry, and what it matches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "loader-conf.h"
#include "testlib.h"
#include "util.h"

static void expect_pattern(const char *text, const char *want)
{
        char *got = (char *)"untouched";

        assert_int_equal(loader_conf_default(text, &got), 0);
        if (!streq_ptr(got, want))
                fail_msg("loader.conf '%s': got %s, want %s", text ?: "(none)", got ?: "(none)",
                         want ?: "(none)");
        free(got);
}

static void test_default_line(void **state)
{
        expect_pattern("timeout 3\ndefault arch-*\neditor no\n", "arch-*");
        expect_pattern("default\tarch.conf", "arch.conf");
        expect_pattern("default   \t arch-*   \t\n", "arch-*");
        expect_pattern("\t default arch-*\n", "arch-*");
        expect_pattern("default arch-*\r\ntimeout 3\r\n", "arch-*");
        expect_pattern("default \"arch linux*\"\n", "arch linux*");
        expect_pattern("default \"\"\n", "");
        /* Only a pair of double quotes around the value is removed. */
        expect_pattern("default 'arch-*'\n", "'arch-*'");
        expect_pattern("default \"arch-*\n", "\"arch-*");
        expect_pattern("default @saved\n", "@saved");
}

static void test_last_line_wins(void **state)
{
        expect_pattern("default first-*\ntimeout 3\ndefault second-*\n", "second-*");
}

static void test_no_default(void **state)
{
        expect_pattern(NULL, NULL);
        expect_pattern("", NULL);
        expect_pattern("timeout 3\neditor no\n", NULL);
        expect_pattern("#default arch-*\n", NULL);
        expect_pattern("default\n", NULL);
        expect_pattern("default   \n", NULL);
        expect_pattern("defaults arch-*\n", NULL);
        expect_pattern("default=arch-*\n", NULL);
}

static void test_entry_matches(void **state)
{
        assert_true(loader_entry_matches("arch-*", "arch-6.7.4"));
        assert_true(loader_entry_matches("arch-6.7.4", "arch-6.7.4"));
        assert_true(loader_entry_matches("arch-6.7.4.conf", "arch-6.7.4"));
        assert_true(loader_entry_matches("*.conf", "arch-6.7.4"));
        assert_true(loader_entry_matches("ARCH-*", "arch-6.7.4"));
        assert_true(loader_entry_matches("arch-*", "Arch-6.7.4"));
        assert_true(loader_entry_matches("linux-*.efi", "linux-6.7.efi"));
        assert_false(loader_entry_matches("arch-6.7", "arch-6.7.4"));
        assert_false(loader_entry_matches("debian-*", "arch-6.7.4"));
        assert_false(loader_entry_matches("@saved", "arch-6.7.4"));
        assert_false(loader_entry_matches("", "arch-6.7.4"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_default_line),
                cmocka_unit_test(test_last_line_wins),
                cmocka_unit_test(test_no_default),
                cmocka_unit_test(test_entry_matches),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
