/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cmdline.h"
#include "plan.h"
#include "util.h"

/* Parses text, applies removes then appends, and returns the formatted line. */
static char *edit(const char *text, const char *const *removes, const char *const *appends)
{
        struct cmdline c;
        char *out;

        assert_int_equal(cmdline_parse(text, &c), 0);
        for (size_t i = 0; removes && removes[i]; i++)
                cmdline_remove(&c, removes[i]);
        for (size_t i = 0; appends && appends[i]; i++)
                assert_int_equal(cmdline_append(&c, appends[i]), 0);
        out = cmdline_format(&c);
        cmdline_done(&c);
        return out;
}

static void test_parse_keeps_quoted_values_whole(void **state)
{
        struct cmdline c;

        assert_int_equal(cmdline_parse("  root=/dev/sda1  acpi_osi=\"Windows 2015\" \"dyndbg=file "
                                       "x.c +p\"\tquiet\n",
                                       &c),
                         0);
        assert_int_equal(strv_length(c.params), 4);
        assert_string_equal(c.params[1], "acpi_osi=\"Windows 2015\"");
        assert_string_equal(c.params[2], "\"dyndbg=file x.c +p\"");
        _cleanup_free_ char *v = cmdline_get(&c, "acpi_osi");
        assert_string_equal(v, "Windows 2015");
        _cleanup_free_ char *d = cmdline_get(&c, "dyndbg");
        assert_string_equal(d, "file x.c +p");
        assert_null(c.init_args);
        cmdline_done(&c);
}

static void test_init_arguments_are_kept_apart(void **state)
{
        _cleanup_free_ char *out = NULL;
        const char *appends[] = {"quiet", "single=1", NULL};
        const char *removes[] = {"single", NULL};
        struct cmdline c;

        /* After "--" the words are init's: an edit must neither match nor land there. */
        out = edit("root=/dev/vda -- single emergency", removes, appends);
        assert_string_equal(out, "root=/dev/vda quiet single=1 -- single emergency");

        assert_int_equal(cmdline_parse("root=/dev/vda --", &c), 0);
        _cleanup_free_ char *f = cmdline_format(&c);
        assert_string_equal(f, "root=/dev/vda --");
        cmdline_done(&c);
}

static void test_append_replaces_and_never_grows(void **state)
{
        const char *appends[] = {"warmboot.boot=2", NULL};
        _cleanup_free_ char *once = edit("root=/dev/vda warmboot.boot=1 quiet", NULL, appends);
        _cleanup_free_ char *twice = edit(once, NULL, appends);
        _cleanup_free_ char *thrice = edit(twice, NULL, appends);

        /* Replaced where it stood, and the line is the same however often it is applied. */
        assert_string_equal(once, "root=/dev/vda warmboot.boot=2 quiet");
        assert_string_equal(thrice, once);
}

static void test_append_drops_duplicates_and_adds_flags_once(void **state)
{
        const char *appends[] = {"console=ttyS0,115200", "quiet", "nomodeset", "nomodeset", NULL};
        _cleanup_free_ char *out = edit("console=tty0 quiet console=ttyS1 splash", NULL, appends);

        assert_string_equal(out, "console=ttyS0,115200 quiet splash nomodeset");
}

static void test_dash_and_underscore_name_the_same_parameter(void **state)
{
        const char *removes[] = {"transparent-hugepage", NULL};
        const char *appends[] = {"rd_luks=0", NULL};
        _cleanup_free_ char *out =
                edit("transparent_hugepage=never rd.luks=1 rd-luks=1 quiet", removes, appends);

        /* '.' is not '_': rd.luks stays, rd-luks is the same name as rd_luks and is replaced. */
        assert_string_equal(out, "rd.luks=1 rd_luks=0 quiet");
}

static void test_remove_exact_value_only(void **state)
{
        const char *removes[] = {"console=ttyS0", NULL};
        _cleanup_free_ char *out = edit("console=tty0 console=ttyS0 quiet", removes, NULL);

        assert_string_equal(out, "console=tty0 quiet");
}

static void test_append_rejects_what_is_not_one_parameter(void **state)
{
        struct cmdline c;

        assert_int_equal(cmdline_parse("quiet", &c), 0);
        assert_int_equal(cmdline_append(&c, "a b"), -EINVAL);
        assert_int_equal(cmdline_append(&c, ""), -EINVAL);
        assert_int_equal(cmdline_append(&c, "x=\"open"), -EINVAL);
        assert_int_equal(cmdline_append(&c, "--"), -EINVAL);
        assert_int_equal(cmdline_append(&c, "x=\001"), -EINVAL);
        assert_int_equal(cmdline_append(&c, "=value"), -EINVAL);
        assert_int_equal(cmdline_append(&c, "x=\"a b\""), 0);
        _cleanup_free_ char *f = cmdline_format(&c);
        assert_string_equal(f, "quiet x=\"a b\"");
        cmdline_done(&c);
}

static void test_default_line_drops_the_old_boot(void **state)
{
        char *append[] = {(char *)"warmboot.test=second", NULL};
        struct plan_options o = {.append = append};
        _cleanup_free_ char *out = NULL;

        assert_int_equal(
                plan_compose_cmdline("BOOT_IMAGE=(hd0,msdos2)/vmlinuz-4.18 root=ZFS=tank/ROOT "
                                     "initrd=\\EFI\\initrd.img quiet warmboot.test=first",
                                     &o, &out),
                0);
        assert_string_equal(out, "root=ZFS=tank/ROOT quiet warmboot.test=second");
}

static void test_explicit_cmdline_is_taken_as_given(void **state)
{
        char *remove[] = {(char *)"quiet", NULL};
        struct plan_options o = {.cmdline = "BOOT_IMAGE=/x root=/dev/vda quiet", .remove = remove};
        _cleanup_free_ char *out = NULL;

        assert_int_equal(plan_compose_cmdline("root=/dev/sda ro", &o, &out), 0);
        assert_string_equal(out, "BOOT_IMAGE=/x root=/dev/vda");
}

static void test_unterminated_quote_does_not_swallow_appended(void **state)
{
        const char *appends[] = {"nomodeset", NULL};
        _cleanup_free_ char *out = edit("root=/dev/sda1 a\"b quiet", NULL, appends);
        struct cmdline c;

        /* The kernel reads 'a"b quiet' as one parameter; the appended one must stand apart. */
        assert_string_equal(out, "root=/dev/sda1 a\"b quiet\" nomodeset");
        assert_int_equal(cmdline_parse(out, &c), 0);
        assert_int_equal(cmdline_count(&c, "nomodeset"), 1);
        cmdline_done(&c);
}

static void test_unterminated_quote_runs_to_the_end(void **state)
{
        struct cmdline c;

        /* The kernel's parser does the same; the rest is one parameter. */
        assert_int_equal(cmdline_parse("a=\"x y z", &c), 0);
        assert_int_equal(strv_length(c.params), 1);
        cmdline_done(&c);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_keeps_quoted_values_whole),
                cmocka_unit_test(test_init_arguments_are_kept_apart),
                cmocka_unit_test(test_append_replaces_and_never_grows),
                cmocka_unit_test(test_append_drops_duplicates_and_adds_flags_once),
                cmocka_unit_test(test_dash_and_underscore_name_the_same_parameter),
                cmocka_unit_test(test_remove_exact_value_only),
                cmocka_unit_test(test_append_rejects_what_is_not_one_parameter),
                cmocka_unit_test(test_default_line_drops_the_old_boot),
                cmocka_unit_test(test_explicit_cmdline_is_taken_as_given),
                cmocka_unit_test(test_unterminated_quote_runs_to_the_end),
                cmocka_unit_test(test_unterminated_quote_does_not_swallow_appended),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
