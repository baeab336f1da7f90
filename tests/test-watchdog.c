/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hardware watchdogs: what /sys/class/watchdog says (a QEMU guest's i6300ESB, a PC's
 * iTCO_wdt on a 5.4 kernel without stop_on_reboot, softdog beside iTCO_wdt), whether each
 * keeps counting through a kexec, and the calls that arm and disarm one, through the
 * recording seam: nothing here opens a real /dev/watchdog.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <linux/watchdog.h>

#include "testlib.h"
#include "util.h"
#include "watchdog.h"

struct machine {
        char *dir;
        struct root *root;
        struct watchdog *l;
        size_t n;
};

static void machine_open(struct machine *m, const char *fixture)
{
        m->dir = fixture ? fixture_materialise(fixture) : fixture_empty();
        assert_non_null(m->dir);
        assert_int_equal(root_new(m->dir, &m->root), 0);
        m->l = NULL;
        m->n = 99;
        assert_int_equal(watchdog_list(m->root, &m->l, &m->n), 0);
        fake_reset();
}

static void machine_close(struct machine *m)
{
        watchdog_list_free(m->l, m->n);
        root_free(m->root);
        fixture_remove(m->dir);
}

static bool why_says(const char *why, const char *part)
{
        return why && strstr(why, part);
}

/* ---- What sysfs says ---- */

static void test_no_watchdog(void **state)
{
        struct machine m;

        /* No /sys/class/watchdog at all (no watchdog core), then an empty one. */
        machine_open(&m, "watchdog-none");
        assert_int_equal(m.n, 0);
        assert_int_equal(watchdog_stop_on_reboot(m.root), -ENOENT);
        machine_close(&m);

        machine_open(&m, NULL);
        fixture_write(m.dir, "sys/class/watchdog/.keep", "");
        watchdog_list_free(m.l, m.n);
        assert_int_equal(watchdog_list(m.root, &m.l, &m.n), 0);
        assert_int_equal(m.n, 0);
        machine_close(&m);
}

static void test_i6300esb_stopped_by_its_driver(void **state)
{
        struct machine m;
        const char *why = NULL;

        machine_open(&m, "watchdog-i6300esb");
        assert_int_equal(m.n, 1);
        assert_string_equal(m.l[0].name, "watchdog0");
        assert_string_equal(m.l[0].device, "/dev/watchdog0");
        assert_string_equal(m.l[0].identity, "i6300ESB timer");
        assert_string_equal(m.l[0].driver, "i6300ESB timer");
        assert_int_equal(m.l[0].timeout, 30);
        assert_int_equal(m.l[0].min_timeout, 1);
        assert_int_equal(m.l[0].max_timeout, 2046);
        assert_int_equal(m.l[0].options, WDIOF_SETTIMEOUT | WDIOF_KEEPALIVEPING | WDIOF_MAGICCLOSE);
        assert_int_equal(m.l[0].active, 0);
        assert_int_equal(m.l[0].nowayout, 0);

        assert_int_equal(watchdog_stop_on_reboot(m.root), -1);
        assert_false(watchdog_survives_kexec(&m.l[0], -1, &why));
        assert_true(why_says(why, "its driver stops it"));
        assert_true(why_says(why, "watchdog.stop_on_reboot=0"));
        /* Booted with watchdog.stop_on_reboot=1: stopped whatever the driver says. */
        assert_false(watchdog_survives_kexec(&m.l[0], 1, &why));
        assert_true(why_says(why, "watchdog.stop_on_reboot=1"));
        machine_close(&m);
}

static void test_i6300esb_kept_by_the_parameter(void **state)
{
        struct machine m;
        const char *why = NULL;

        machine_open(&m, "watchdog-i6300esb-kept");
        assert_int_equal(m.n, 1);
        assert_int_equal(m.l[0].active, 1);
        assert_int_equal(watchdog_stop_on_reboot(m.root), 0);
        assert_true(watchdog_survives_kexec(&m.l[0], 0, &why));
        assert_true(why_says(why, "keeps counting"));
        assert_true(watchdog_survives_kexec(&m.l[0], 0, NULL));
        machine_close(&m);
}

static void test_old_kernel_without_the_parameter(void **state)
{
        struct machine m;
        const char *why = NULL;

        /* Linux 5.4 and iTCO_wdt: no stop_on_reboot, no options, min_ or max_timeout. */
        machine_open(&m, "watchdog-old-kernel");
        assert_int_equal(m.n, 1);
        assert_string_equal(m.l[0].identity, "iTCO_wdt");
        assert_string_equal(m.l[0].driver, "iTCO_wdt");
        assert_int_equal(m.l[0].timeout, 30);
        assert_int_equal(m.l[0].max_timeout, 0);
        assert_int_equal(m.l[0].options, -1);
        assert_int_equal(watchdog_stop_on_reboot(m.root), -ENOENT);
        assert_false(watchdog_survives_kexec(&m.l[0], -ENOENT, &why));
        assert_true(why_says(why, "no watchdog.stop_on_reboot parameter"));
        machine_close(&m);
}

static void test_malformed_attributes_are_unknown(void **state)
{
        struct machine m;

        machine_open(&m, "watchdog-malformed");
        assert_int_equal(m.n, 1);
        assert_string_equal(m.l[0].identity, "i6300ESB timer");
        assert_int_equal(m.l[0].timeout, 0);                         /* "thirty" */
        assert_int_equal(m.l[0].max_timeout, 0);                     /* empty */
        assert_int_equal(m.l[0].min_timeout, 0);                     /* past 32 bits */
        assert_int_equal(m.l[0].active, -1);                         /* "on" */
        assert_int_equal(m.l[0].nowayout, -1);                       /* "2" */
        assert_int_equal(m.l[0].options, -1);                        /* "0xzz" */
        assert_int_equal(watchdog_stop_on_reboot(m.root), -EBADMSG); /* "yes" */
        assert_false(watchdog_survives_kexec(&m.l[0], -EBADMSG, NULL));
        machine_close(&m);
}

static void test_two_watchdogs(void **state)
{
        struct machine m;
        const char *why = NULL;

        machine_open(&m, "watchdog-two");
        assert_int_equal(m.n, 2);
        assert_string_equal(m.l[0].identity, "iTCO_wdt");
        assert_int_equal(m.l[0].max_timeout, 0); /* iTCO_wdt sets none: its limit is 0x3ff ticks */
        assert_string_equal(m.l[1].name, "watchdog1");
        assert_string_equal(m.l[1].identity, "Software Watchdog");
        assert_null(m.l[1].driver); /* a virtual device */
        assert_int_equal(m.l[1].max_timeout, 65535);
        assert_int_equal(m.l[1].active, 1);

        assert_int_equal(watchdog_stop_on_reboot(m.root), 0);
        assert_true(watchdog_survives_kexec(&m.l[0], 0, NULL));
        /* softdog is a timer of the old kernel: nothing keeps it through the kexec. */
        assert_false(watchdog_survives_kexec(&m.l[1], 0, &why));
        assert_true(why_says(why, "software timer"));

        assert_ptr_equal(watchdog_find(m.l, m.n, "/dev/watchdog1"), &m.l[1]);
        assert_ptr_equal(watchdog_find(m.l, m.n, "/dev/watchdog"), &m.l[0]);
        assert_null(watchdog_find(m.l, m.n, "/dev/watchdog2"));
        machine_close(&m);
}

static void test_sorted_by_number(void **state)
{
        struct machine m;

        machine_open(&m, NULL);
        fixture_write(m.dir, "sys/class/watchdog/watchdog10/identity", "iTCO_wdt\n");
        fixture_write(m.dir, "sys/class/watchdog/watchdog2/identity", "i6300ESB timer\n");
        fixture_write(m.dir, "sys/class/watchdog/watchdogfoo/identity", "not one\n");
        watchdog_list_free(m.l, m.n);
        assert_int_equal(watchdog_list(m.root, &m.l, &m.n), 0);
        assert_int_equal(m.n, 2);
        assert_string_equal(m.l[0].name, "watchdog2");
        assert_string_equal(m.l[1].name, "watchdog10");
        assert_int_equal(m.l[1].timeout, 0);
        assert_int_equal(m.l[1].active, -1);
        assert_false(watchdog_survives_kexec(&m.l[1], -1, NULL));
        machine_close(&m);
}

static void test_unknown_driver_counts_as_stopping(void **state)
{
        struct watchdog w = {.identity = (char *)"Vendor WDT", .driver = (char *)"vendor_wdt"};
        const char *why = NULL;

        assert_false(watchdog_survives_kexec(&w, -1, &why));
        assert_true(why_says(why, "does not show in sysfs"));
        assert_true(watchdog_survives_kexec(&w, 0, NULL));
}

/* ---- Arm and disarm ---- */

static void expect_trace(const char *expected)
{
        _cleanup_free_ char *trace = fake_trace();
        assert_string_equal(trace, expected);
}

static void test_arm_leaves_it_counting(void **state)
{
        struct machine m;
        unsigned set = 0;

        machine_open(&m, "watchdog-i6300esb-kept");
        assert_int_equal(watchdog_arm(m.root, "/dev/watchdog0", 600, &set), 0);
        assert_int_equal(set, 600);
        /* The timeout, a ping, and a close without 'V'. */
        expect_trace("wdt-open /dev/watchdog0|wdt-ioctl GETSUPPORT|wdt-ioctl SETTIMEOUT 600|"
                     "wdt-ioctl KEEPALIVE|wdt-close");
        machine_close(&m);
}

static void test_arm_reports_what_the_driver_set(void **state)
{
        struct machine m;
        unsigned set = 0;

        machine_open(&m, "watchdog-two");
        fake_watchdog_timeout_set = 599; /* iTCO_wdt counts 0.6 s ticks */
        assert_int_equal(watchdog_arm(m.root, "/dev/watchdog0", 600, &set), 0);
        assert_int_equal(set, 599);
        machine_close(&m);
}

static void test_arm_busy_when_systemd_holds_it(void **state)
{
        struct machine m;
        unsigned set = 7;

        machine_open(&m, "watchdog-i6300esb-kept");
        fake_watchdog_open_result = -EBUSY;
        assert_int_equal(watchdog_arm(m.root, "/dev/watchdog0", 600, &set), -EBUSY);
        assert_int_equal(set, 7);
        expect_trace("wdt-open /dev/watchdog0");
        machine_close(&m);
}

static void test_arm_out_of_range(void **state)
{
        struct machine m;

        /* i6300ESB takes 1..2046 s: refused before the device is opened. */
        machine_open(&m, "watchdog-i6300esb-kept");
        assert_int_equal(watchdog_arm(m.root, "/dev/watchdog0", 3600, NULL), -ERANGE);
        assert_int_equal(watchdog_arm(m.root, "/dev/watchdog0", 0, NULL), -ERANGE);
        expect_trace("");
        machine_close(&m);
}

static void test_arm_refused_by_the_driver_stops_it_again(void **state)
{
        struct machine m;

        /* iTCO_wdt has no max_timeout in sysfs; its driver says no past 0x3ff ticks. Opening
         * started the inactive watchdog, so 'V' stops it again. */
        machine_open(&m, "watchdog-two");
        fake_watchdog_settimeout_result = -EINVAL;
        assert_int_equal(watchdog_arm(m.root, "/dev/watchdog0", 900, NULL), -EINVAL);
        expect_trace("wdt-open /dev/watchdog0|wdt-ioctl GETSUPPORT|wdt-ioctl SETTIMEOUT 900|"
                     "wdt-write V|wdt-close");
        machine_close(&m);
}

static void test_arm_refused_leaves_a_running_one_running(void **state)
{
        struct machine m;

        /* It was active before (armed and closed): failing must not stop it. */
        machine_open(&m, "watchdog-i6300esb-kept");
        fake_watchdog_settimeout_result = -EINVAL;
        assert_int_equal(watchdog_arm(m.root, "/dev/watchdog0", 900, NULL), -EINVAL);
        expect_trace("wdt-open /dev/watchdog0|wdt-ioctl GETSUPPORT|wdt-ioctl SETTIMEOUT 900|"
                     "wdt-close");
        machine_close(&m);
}

static void test_arm_without_magic_close(void **state)
{
        struct machine m;

        /* The core stops such a watchdog on any close: arming it would not last. */
        machine_open(&m, "watchdog-i6300esb");
        fake_watchdog_options = WDIOF_SETTIMEOUT | WDIOF_KEEPALIVEPING;
        assert_int_equal(watchdog_arm(m.root, "/dev/watchdog0", 600, NULL), -EOPNOTSUPP);
        expect_trace("wdt-open /dev/watchdog0|wdt-ioctl GETSUPPORT|wdt-write V|wdt-close");
        machine_close(&m);
}

static void test_disarm_writes_the_magic_character(void **state)
{
        struct machine m;

        machine_open(&m, "watchdog-i6300esb-kept");
        assert_int_equal(watchdog_disarm(m.root, "/dev/watchdog0"), 0);
        expect_trace("wdt-open /dev/watchdog0|wdt-write V|wdt-ioctl SETOPTIONS 0x1|wdt-close");
        machine_close(&m);
}

static void test_disarm_busy(void **state)
{
        struct machine m;

        machine_open(&m, "watchdog-i6300esb-kept");
        fake_watchdog_open_result = -EBUSY;
        assert_int_equal(watchdog_disarm(m.root, "/dev/watchdog0"), -EBUSY);
        expect_trace("wdt-open /dev/watchdog0");

        /* The driver cannot stop it (nowayout set after the listing): -EBUSY, closed. */
        fake_reset();
        fake_watchdog_disable_result = -EBUSY;
        assert_int_equal(watchdog_disarm(m.root, "/dev/watchdog0"), -EBUSY);
        expect_trace("wdt-open /dev/watchdog0|wdt-write V|wdt-ioctl SETOPTIONS 0x1|wdt-close");
        machine_close(&m);
}

static void test_disarm_nowayout_is_not_opened(void **state)
{
        struct machine m;

        machine_open(&m, "watchdog-i6300esb");
        fixture_write(m.dir, "sys/devices/pci0000:00/0000:00:04.0/watchdog/watchdog0/nowayout",
                      "1\n");
        assert_int_equal(watchdog_disarm(m.root, "/dev/watchdog0"), -EBUSY);
        expect_trace("");
        machine_close(&m);
}

static void test_disarm_old_driver_without_setoptions(void **state)
{
        struct machine m;

        machine_open(&m, "watchdog-old-kernel");
        fake_watchdog_disable_result = -ENOTTY;
        assert_int_equal(watchdog_disarm(m.root, "/dev/watchdog"), 0);
        expect_trace("wdt-open /dev/watchdog|wdt-write V|wdt-ioctl SETOPTIONS 0x1|wdt-close");
        machine_close(&m);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_no_watchdog),
                cmocka_unit_test(test_i6300esb_stopped_by_its_driver),
                cmocka_unit_test(test_i6300esb_kept_by_the_parameter),
                cmocka_unit_test(test_old_kernel_without_the_parameter),
                cmocka_unit_test(test_malformed_attributes_are_unknown),
                cmocka_unit_test(test_two_watchdogs),
                cmocka_unit_test(test_sorted_by_number),
                cmocka_unit_test(test_unknown_driver_counts_as_stopping),
                cmocka_unit_test(test_arm_leaves_it_counting),
                cmocka_unit_test(test_arm_reports_what_the_driver_set),
                cmocka_unit_test(test_arm_busy_when_systemd_holds_it),
                cmocka_unit_test(test_arm_out_of_range),
                cmocka_unit_test(test_arm_refused_by_the_driver_stops_it_again),
                cmocka_unit_test(test_arm_refused_leaves_a_running_one_running),
                cmocka_unit_test(test_arm_without_magic_close),
                cmocka_unit_test(test_disarm_writes_the_magic_character),
                cmocka_unit_test(test_disarm_busy),
                cmocka_unit_test(test_disarm_nowayout_is_not_opened),
                cmocka_unit_test(test_disarm_old_driver_without_setoptions),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
