/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which entry GRUB boots by default, from the text of /etc/default/grub and the environment
 * block; and the KEY=VALUE reader under it, which os-release is read with too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "env-file.h"
#include "grub-defaults.h"
#include "testlib.h"
#include "util.h"

/* The environment block of a machine where grub-set-default picked an older kernel. */
static char *const saved_env[] = {(char *)"saved_entry=gnulinux-5.15.0-89-generic",
                                  (char *)"boot_success=1", NULL};

static void expect_default(const char *defaults, char *const *env, const char *want)
{
        char *got = (char *)"untouched";

        assert_int_equal(grub_default_entry(defaults, env, &got, NULL), 0);
        if (!streq_ptr(got, want))
                fail_msg("GRUB_DEFAULT text '%s': got %s, want %s", defaults ?: "(none)",
                         got ?: "(first entry)", want ?: "(first entry)");
        free(got);
}

static void test_unquoted_and_quoted_values(void **state)
{
        expect_default("GRUB_DEFAULT=2\n", saved_env, "2");
        expect_default("GRUB_DEFAULT=\"Advanced options for Ubuntu>Ubuntu, with Linux 6.1\"\n",
                       saved_env, "Advanced options for Ubuntu>Ubuntu, with Linux 6.1");
        expect_default("GRUB_DEFAULT='1>2'", saved_env, "1>2");
        /* Quotes only count in pairs around the whole value. */
        expect_default("GRUB_DEFAULT=\"half\n", saved_env, "\"half");
        expect_default("GRUB_DEFAULT=\"mixed'\n", saved_env, "\"mixed'");
        expect_default("GRUB_DEFAULT=\"\n", saved_env, "\"");
}

static void test_saved_takes_saved_entry(void **state)
{
        expect_default("GRUB_TIMEOUT=5\nGRUB_DEFAULT=saved\nGRUB_SAVEDEFAULT=true\n", saved_env,
                       "gnulinux-5.15.0-89-generic");
        expect_default("GRUB_DEFAULT=\"saved\"\n", saved_env, "gnulinux-5.15.0-89-generic");
        /* Nothing saved yet: GRUB boots the first entry. */
        expect_default("GRUB_DEFAULT=saved\n", NULL, NULL);
        expect_default("GRUB_DEFAULT=saved\n", (char *[]){(char *)"saved_entry=", NULL}, NULL);
}

static void test_without_grub_default(void **state)
{
        /* No file, or no GRUB_DEFAULT line: saved_entry, as blscfg distributions have it. */
        expect_default(NULL, saved_env, "gnulinux-5.15.0-89-generic");
        expect_default("GRUB_TIMEOUT=5\n", saved_env, "gnulinux-5.15.0-89-generic");
        expect_default(NULL, NULL, NULL);
        /* Commented out, indented or exported: not a plain assignment this reader takes. */
        expect_default("#GRUB_DEFAULT=3\n", saved_env, "gnulinux-5.15.0-89-generic");
        expect_default("GRUB_DEFAULT_X=3\nXGRUB_DEFAULT=3\n", saved_env,
                       "gnulinux-5.15.0-89-generic");
}

static void test_empty_value_is_the_first_entry(void **state)
{
        /* grub-mkconfig turns an empty GRUB_DEFAULT into 0. */
        expect_default("GRUB_DEFAULT=\n", saved_env, NULL);
        expect_default("GRUB_DEFAULT=\"\"\n", saved_env, NULL);
}

static void test_last_assignment_wins(void **state)
{
        expect_default("GRUB_DEFAULT=0\nGRUB_DEFAULT=saved\n", saved_env,
                       "gnulinux-5.15.0-89-generic");
        expect_default("GRUB_DEFAULT=saved\nGRUB_TIMEOUT=5\nGRUB_DEFAULT=\"3\"", saved_env, "3");
}

static void test_next_entry_comes_first(void **state)
{
        char *const once[] = {(char *)"saved_entry=old", (char *)"next_entry=once", NULL};
        char *const cleared[] = {(char *)"saved_entry=old", (char *)"next_entry=", NULL};

        /* grub-reboot: the next boot only, whatever GRUB_DEFAULT says. */
        expect_default("GRUB_DEFAULT=0\n", once, "once");
        expect_default(NULL, once, "once");
        /* GRUB clears it on the way: an empty one is no choice. */
        expect_default("GRUB_DEFAULT=saved\n", cleared, "old");
        expect_default("GRUB_DEFAULT=1\n", cleared, "1");
}

static void test_env_file_get(void **state)
{
        const char *osrel = "NAME=\"Arch Linux\"\n"
                            "PRETTY_NAME='Arch Linux'\n"
                            "ID=arch\n"
                            "EMPTY=\n"
                            "ID=arch2";
        char *v = (char *)"untouched";

        assert_int_equal(env_file_get(osrel, "NAME", &v), 0);
        assert_string_equal(v, "Arch Linux");
        free(v);
        assert_int_equal(env_file_get(osrel, "PRETTY_NAME", &v), 0);
        assert_string_equal(v, "Arch Linux");
        free(v);
        assert_int_equal(env_file_get(osrel, "ID", &v), 0);
        assert_string_equal(v, "arch2"); /* a shell would leave the last one */
        free(v);
        assert_int_equal(env_file_get(osrel, "EMPTY", &v), 0);
        assert_string_equal(v, "");
        free(v);
        assert_int_equal(env_file_get(osrel, "NAM", &v), 0);
        assert_null(v);
        v = (char *)"untouched";
        assert_int_equal(env_file_get(NULL, "NAME", &v), 0);
        assert_null(v);
        assert_int_equal(env_file_get("", "NAME", &v), 0);
        assert_null(v);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_unquoted_and_quoted_values),
                cmocka_unit_test(test_saved_takes_saved_entry),
                cmocka_unit_test(test_without_grub_default),
                cmocka_unit_test(test_empty_value_is_the_first_entry),
                cmocka_unit_test(test_last_assignment_wins),
                cmocka_unit_test(test_next_entry_comes_first),
                cmocka_unit_test(test_env_file_get),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
