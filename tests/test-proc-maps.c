/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The mapped path of a /proc/PID/maps line, where holders of a GPU are found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "proc-maps.h"
#include "testlib.h"
#include "util.h"

static void test_path_field(void **state)
{
        static const struct {
                const char *line, *path;
        } cases[] = {
                {"55d0c0a00000-55d0c0a2c000 r--p 00000000 fd:01 1311234                    "
                 "/usr/bin/bash",
                 "/usr/bin/bash"},
                {"7f3a1c000000-7f3a1c021000 rw-s 100000000 00:05 1234 /dev/dri/renderD128",
                 "/dev/dri/renderD128"},
                /* The path runs to the end of the line, spaces and all. */
                {"7f3a1c000000-7f3a1c021000 rw-s 00000000 00:05 1234   /home/u/my file (1).so",
                 "/home/u/my file (1).so"},
                {"7f3a1c000000-7f3a1c021000 rw-s 00000000 00:05 1234\t/dev/dri/card0 (deleted)",
                 "/dev/dri/card0 (deleted)"},
                {"7ffd5e7d2000-7ffd5e7f3000 rw-p 00000000 00:00 0                          [stack]",
                 "[stack]"},
                /* Anonymous mappings have no sixth field. */
                {"7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0 ", NULL},
                {"7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0", NULL},
                {"7f3a1c000000-7f3a1c021000 rw-p /dev/dri/card0", NULL},
                {"", NULL},
                {"   ", NULL},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                const char *path = proc_maps_line_path(cases[i].line);

                if (!streq_ptr(path, cases[i].path))
                        fail_msg("'%s': got %s, want %s", cases[i].line, path ?: "(null)",
                                 cases[i].path ?: "(null)");
        }
}

static void test_path_points_into_the_line(void **state)
{
        const char *line = "1000-2000 rw-s 00000000 00:05 7 /dev/fb0";

        assert_ptr_equal(proc_maps_line_path(line), line + strlen(line) - strlen("/dev/fb0"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_path_field),
                cmocka_unit_test(test_path_points_into_the_line),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
