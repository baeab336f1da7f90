/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The systemd unit of a process from its /proc/PID/cgroup text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cgroup.h"
#include "testlib.h"
#include "util.h"

static void test_cgroup_unit(void **state)
{
        static const struct {
                const char *text, *unit;
        } cases[] = {
                {"0::/system.slice/gdm.service\n", "gdm.service"},
                {"0::/user.slice/user-1000.slice/session-2.scope", "session-2.scope"},
                {"0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
                 "app-gnome-firefox-1234.scope\n",
                 "app-gnome-firefox-1234.scope"},
                {"0::/user.slice/user-1000.slice/user@1000.service/init.scope", "init.scope"},
                {"0::/system.slice/docker-abc.scope/init", "docker-abc.scope"},
                {"0::/init.scope", "init.scope"},
                {"0::/", NULL},
                {"0::/user.slice/user-1000.slice", NULL},
                {"0::/system.slice/.service", NULL},
                {"0::/system.slice/gone.service (deleted)", "gone.service"},
                /* v1: the name=systemd hierarchy, whatever its number. */
                {"12:pids:/system.slice/other.service\n"
                 "11:memory:/\n"
                 "1:name=systemd:/system.slice/x.service\n",
                 "x.service"},
                /* Hybrid: the unified line wins when it names a unit. */
                {"1:name=systemd:/system.slice/v1.service\n0::/system.slice/v2.service\n",
                 "v2.service"},
                /* v1 host with a cgroup2 mount elsewhere: "0::/" says nothing. */
                {"1:name=systemd:/system.slice/v1.service\n0::/\n", "v1.service"},
                {"", NULL},
                {"garbage\n:::\n0:\n0:/x.service\n1::/y.service\n", NULL},
                {"\n\n0::/system.slice/late.service\n", "late.service"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *unit = (char *)"untouched";

                assert_int_equal(cgroup_unit(cases[i].text, &unit), 0);
                if (!streq_ptr(unit, cases[i].unit))
                        fail_msg("%s: got %s, want %s", cases[i].text, unit ?: "(null)",
                                 cases[i].unit ?: "(null)");
        }
}

static void test_cgroup_unit_null_text(void **state)
{
        char *unit = (char *)"untouched";

        assert_int_equal(cgroup_unit(NULL, &unit), 0);
        assert_null(unit);
}

static void test_cgroup_in_user_manager(void **state)
{
        /* Plasma 6's compositor and Firefox run under the user's manager; a session scope,
         * the user manager itself and system services do not count as its units. */
        assert_true(cgroup_in_user_manager("0::/user.slice/user-1000.slice/user@1000.service/"
                                           "session.slice/plasma-kwin_wayland.service\n"));
        assert_true(cgroup_in_user_manager("0::/user.slice/user-1000.slice/user@1000.service/"
                                           "app.slice/app-firefox@8d1c2f0a.service\n"));
        assert_true(cgroup_in_user_manager("12:name=systemd:/user.slice/user-1000.slice/"
                                           "user@1000.service/init.scope\n0::/\n"));
        assert_false(cgroup_in_user_manager("0::/user.slice/user-1000.slice/session-3.scope\n"));
        assert_false(cgroup_in_user_manager("0::/user.slice/user-1000.slice/user@1000.service\n"));
        assert_false(cgroup_in_user_manager("0::/system.slice/gdm.service\n"));
        assert_false(cgroup_in_user_manager(NULL));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_cgroup_unit),
                cmocka_unit_test(test_cgroup_unit_null_text),
                cmocka_unit_test(test_cgroup_in_user_manager),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
