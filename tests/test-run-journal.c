/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The run journal's text (format/run-journal.h): what a killed run leaves is read back
 * whole, and anything else is refused rather than half believed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "run-journal.h"
#include "util.h"

static const char killed[] = "warmboot-journal 1\n"
                             "pid=2817\n"
                             "started=1796150000000000\n"
                             "boot_id=0d3f5a6c-8b1e-4f2a-9c7d-3e5b1a2f4c6d\n"
                             "kernel=/boot/vmlinuz-6.1.0-28-amd64\n"
                             "isolated_from=graphical.target\n"
                             "stopped_unit=nvidia-persistenced.service\n"
                             "removed_module=nvidia_drm\n"
                             "removed_module=nvidia_modeset\n";

static void test_journal_reads_back_whole(void **state)
{
        struct run_journal j = {};
        _cleanup_free_ char *again = NULL;

        assert_int_equal(run_journal_parse(killed, &j), 0);
        assert_int_equal(j.pid, 2817);
        assert_true(j.started == 1796150000000000);
        assert_string_equal(j.kernel, "/boot/vmlinuz-6.1.0-28-amd64");
        assert_string_equal(j.isolated_from, "graphical.target");
        assert_int_equal(strv_length(j.stopped_units), 1);
        assert_int_equal(strv_length(j.removed_modules), 2);
        assert_string_equal(j.removed_modules[1], "nvidia_modeset");
        /* What warmboot writes is what it reads. */
        assert_int_equal(run_journal_format(&j, &again), 0);
        assert_string_equal(again, killed);
        run_journal_done(&j);
}

static void test_first_write_has_only_the_run(void **state)
{
        struct run_journal j = {}, back = {};
        _cleanup_free_ char *text = NULL;

        j.pid = 7;
        j.started = 5;
        assert_int_equal(run_journal_format(&j, &text), 0);
        assert_string_equal(text, "warmboot-journal 1\npid=7\nstarted=5\n");
        assert_int_equal(run_journal_parse(text, &back), 0);
        assert_null(back.boot_id);
        assert_null(back.kernel);
        run_journal_done(&back);
}

static void test_damaged_journals_are_refused(void **state)
{
        static const char *const bad[] = {
                "",
                "warmboot-journal 2\npid=7\nstarted=5\n",                 /* another version */
                "warmboot-journal 1\nstarted=5\n",                        /* no pid */
                "warmboot-journal 1\npid=7\n",                            /* no start */
                "warmboot-journal 1\npid=0\nstarted=5\n",                 /* no such process */
                "warmboot-journal 1\npid=07\nstarted=5\n",                /* leading zero */
                "warmboot-journal 1\npid=-7\nstarted=5\n",                /* a sign */
                "warmboot-journal 1\npid=4294967303\nstarted=5\n",        /* beyond a pid */
                "warmboot-journal 1\npid=7\npid=8\nstarted=5\n",          /* twice */
                "warmboot-journal 1\npid=7\nstarted=5\nkernel=vmlinuz\n", /* relative */
                "warmboot-journal 1\npid=7\nstarted=5\nstopped_unit=\n",  /* empty */
                "warmboot-journal 1\npid=7\nstarted=5\nisolated_from=a\nisolated_from=b\n",
                "warmboot-journal 1\npid=7\nstarted=5\nprocesses_ended=1\n",   /* unknown key */
                "warmboot-journal 1\npid=7\nstarted=5\nremoved_module=nvidia", /* cut short */
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                struct run_journal j = {};
                if (run_journal_parse(bad[i], &j) != -EBADMSG) {
                        print_error("accepted: '%s'\n", bad[i]);
                        fail();
                }
        }
}

static void test_values_with_newlines_are_not_written(void **state)
{
        char *units[] = {(char *)"a.service\nremoved_module=evil", NULL};
        struct run_journal j = {.pid = 7, .started = 5, .stopped_units = units};
        _cleanup_free_ char *text = NULL;

        assert_int_equal(run_journal_format(&j, &text), -EINVAL);
        assert_null(text);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_journal_reads_back_whole),
                cmocka_unit_test(test_first_write_has_only_the_run),
                cmocka_unit_test(test_damaged_journals_are_refused),
                cmocka_unit_test(test_values_with_newlines_are_not_written),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
