/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What host_state_read() tells from a tree that no systemd can be asked about: whether the
 * machine it stands for runs graphical.target, read from its default target.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "machine-state.h"
#include "testlib.h"
#include "util.h"

/* debian has /run/systemd/system and no default.target of its own. */
static int graphical_with(const char *path, const char *link_target, const char *file_text)
{
        char *dir = fixture_materialise("debian");
        struct host_state h;
        struct root *r;
        int graphical;

        if (link_target) {
                _cleanup_free_ char *full = path_join(dir, path);
                fixture_write(dir, path, "");
                assert_int_equal(unlink(full), 0);
                assert_int_equal(symlink(link_target, full), 0);
        } else if (file_text)
                fixture_write(dir, path, file_text);
        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(host_state_read(r, &h), 0);
        graphical = h.graphical;
        host_state_done(&h);
        root_free(r);
        fixture_remove(dir);
        return graphical;
}

static void test_default_target_link(void **state)
{
        /* Absolute, relative, and the SysV alias: the name of the link's target counts. */
        assert_int_equal(graphical_with("etc/systemd/system/default.target",
                                        "/lib/systemd/system/graphical.target", NULL),
                         1);
        assert_int_equal(graphical_with("etc/systemd/system/default.target",
                                        "../../../usr/lib/systemd/system/graphical.target", NULL),
                         1);
        assert_int_equal(graphical_with("etc/systemd/system/default.target",
                                        "/usr/lib/systemd/system/runlevel5.target", NULL),
                         1);
        assert_int_equal(graphical_with("etc/systemd/system/default.target",
                                        "/usr/lib/systemd/system/multi-user.target", NULL),
                         0);
}

static void test_vendor_default_target(void **state)
{
        /* Without a link in /etc, the distribution's own, as systemd looks it up. */
        assert_int_equal(
                graphical_with("usr/lib/systemd/system/default.target", "graphical.target", NULL),
                1);
        assert_int_equal(
                graphical_with("lib/systemd/system/default.target", "multi-user.target", NULL), 0);
}

static void test_unknown_default_target(void **state)
{
        /* No default.target at all, or a unit file whose name says nothing. */
        assert_int_equal(graphical_with(NULL, NULL, NULL), -1);
        assert_int_equal(graphical_with("etc/systemd/system/default.target", NULL,
                                        "[Unit]\nDescription=Custom\n"),
                         -1);
}

static void test_no_systemd_no_graphical_target(void **state)
{
        char *dir = fixture_materialise("alpine");
        struct host_state h;
        struct root *r;

        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(host_state_read(r, &h), 0);
        assert_false(h.systemd);
        assert_int_equal(h.graphical, 0);
        host_state_done(&h);
        root_free(r);
        fixture_remove(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_default_target_link),
                cmocka_unit_test(test_vendor_default_target),
                cmocka_unit_test(test_unknown_default_target),
                cmocka_unit_test(test_no_systemd_no_graphical_target),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
