/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The new kernel on trial: what plan says and adds to the line, what reboot arms and
 * writes, what confirm concludes in the next boot, and what status shows of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <syslog.h>

#include "plan.h"
#include "reboot-report-file.h"
#include "testlib.h"
#include "trial-report.h"
#include "util.h"
#include "verbs.h"

#define BOOT_ID_OLD "0d3f5a6c-8b1e-4f2a-9c7d-3e5b1a2f4c6d"
#define BOOT_ID_NEW "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
#define TRIAL_ID "5f0c2a9e8d7b4c1a9e3f6b2d8a4c7e10"
#define DEBIAN_LINE                                                                                \
        "BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=UUID=5b1f2c3e-8d4a-4f6b-9c1d-2e3f4a5b6c7d "  \
        "ro quiet"
#define WDT "sys/devices/pci0000:00/0000:00:04.0/watchdog/watchdog0/"

struct env {
        char *dir;
        struct verb_context ctx;
};

/* The debian machine (systemd as PID 1) with warmboot-confirm.service installed, this
 * boot's id BOOT_ID_OLD, and, when given, the sysfs of a watchdog fixture. */
static struct env *env_new(const char *watchdog)
{
        struct env *e = calloc(1, sizeof(*e));

        assert_non_null(e);
        fake_install();
        e->dir = fixture_materialise("debian");
        fixture_write(e->dir, "usr/lib/systemd/system/warmboot-confirm.service",
                      "[Service]\nExecStart=/usr/sbin/warmboot confirm\n");
        fixture_write(e->dir, "proc/sys/kernel/random/boot_id", BOOT_ID_OLD "\n");
        if (watchdog)
                fixture_overlay(e->dir, watchdog, "sys");
        assert_int_equal(root_new(e->dir, &e->ctx.root), 0);
        e->ctx.quiet = true;
        return e;
}

static void env_free(struct env *e)
{
        root_free(e->ctx.root);
        fixture_remove(e->dir);
        free(e);
}

static void plan_of(struct env *e, struct plan *p)
{
        assert_int_equal(plan_build(e->ctx.root, &e->ctx.options, p), 0);
}

static const char *check_status(const struct plan *p, const char *name)
{
        const struct check *k = plan_find_check(p, name);
        return k ? check_status_to_string(k->status) : "absent";
}

static void expect_trace(const char *want)
{
        _cleanup_free_ char *got = fake_trace();

        if (!streq(got, want)) {
                print_error(" got: %s\nwant: %s\n", got, want);
                fail();
        }
}

/* The report as the machine keeps it: 0700 directory, 0600 file. */
static void put_report(struct env *e, const char *text)
{
        fixture_write_private(e->dir, "var/lib/warmboot/last-reboot", text);
}

static void read_report(struct env *e, struct reboot_report *ret)
{
        _cleanup_free_ char *why = NULL;
        assert_int_equal(reboot_report_read(e->ctx.root, ret, &why), 0);
}

static const char pending_report[] = "warmboot-reboot-report 1\n"
                                     "id=" TRIAL_ID "\n"
                                     "boot_id=" BOOT_ID_OLD "\n"
                                     "handover=systemd\n"
                                     "kernel=/boot/vmlinuz-6.1.0-28-amd64\n"
                                     "release=6.1.0-28-amd64\n"
                                     "watchdog=armed /dev/watchdog0 600\n"
                                     "requested_at=1796150000000000\n"
                                     "handover_at=1796150005300000\n"
                                     "firmware_usec=14200000\n"
                                     "outcome=pending\n";

static void test_plan_puts_the_new_kernel_on_trial(void **state)
{
        struct env *e = env_new(NULL);
        struct plan p;

        plan_of(e, &p);
        /* panic= and a fresh id; no watchdog on this machine, so no stop_on_reboot=. */
        assert_trial_cmdline(p.cmdline, "root=UUID=5b1f2c3e-8d4a-4f6b-9c1d-2e3f4a5b6c7d ro quiet");
        assert_string_equal(check_status(&p, "trial"), "pass");
        assert_string_equal(check_status(&p, "watchdog"), "absent");
        assert_null(strstr(p.cmdline, "watchdog.stop_on_reboot"));
        plan_done(&p);
        env_free(e);
}

static void test_plan_drops_the_running_trial_and_keeps_its_panic(void **state)
{
        struct env *e = env_new(NULL);
        struct plan p;
        char old[] = "warmboot.trial=" TRIAL_ID;

        /* A boot that is itself a trial: its id goes, its panic=10 stays, once. */
        fixture_write(e->dir, "proc/cmdline", DEBIAN_LINE " panic=10 warmboot.trial=" TRIAL_ID);
        plan_of(e, &p);
        assert_null(strstr(p.cmdline, old));
        assert_trial_cmdline(p.cmdline,
                             "root=UUID=5b1f2c3e-8d4a-4f6b-9c1d-2e3f4a5b6c7d ro quiet panic=10");
        plan_done(&p);
        env_free(e);
}

static void test_line_own_panic_and_panicsec_zero(void **state)
{
        struct env *e = env_new(NULL);
        struct plan p;

        fixture_write(e->dir, "proc/cmdline", DEBIAN_LINE " panic=30");
        plan_of(e, &p);
        assert_int_equal(p.trial.panic_sec, 0);
        assert_trial_cmdline(p.cmdline,
                             "root=UUID=5b1f2c3e-8d4a-4f6b-9c1d-2e3f4a5b6c7d ro quiet panic=30");
        plan_done(&p);

        fixture_write(e->dir, "proc/cmdline", DEBIAN_LINE);
        fixture_write(e->dir, "etc/warmboot.conf", "[Trial]\nPanicSec=0\n");
        plan_of(e, &p);
        assert_null(strstr(p.cmdline, "panic="));
        assert_non_null(strstr(p.cmdline, "warmboot.trial="));
        plan_done(&p);
        env_free(e);
}

static void test_no_trial_adds_nothing(void **state)
{
        struct env *e = env_new("watchdog-i6300esb-kept");
        struct plan p;

        e->ctx.options.no_trial = true;
        fixture_write(e->dir, "proc/cmdline", DEBIAN_LINE " warmboot.trial=" TRIAL_ID);
        plan_of(e, &p);
        assert_string_equal(p.cmdline, "root=UUID=5b1f2c3e-8d4a-4f6b-9c1d-2e3f4a5b6c7d ro quiet");
        assert_string_equal(check_status(&p, "trial"), "absent");
        assert_false(p.trial.on);
        plan_done(&p);
        env_free(e);
}

static void test_missing_confirm_unit_warns_and_does_not_arm(void **state)
{
        struct env *e = env_new("watchdog-i6300esb-kept");
        _cleanup_free_ char *unit = NULL;
        struct plan p;

        unit = path_join(e->dir, "usr/lib/systemd/system/warmboot-confirm.service");
        assert_int_equal(unlink(unit), 0);
        plan_of(e, &p);
        assert_string_equal(check_status(&p, "trial"), "warn");
        assert_non_null(strstr(plan_find_check(&p, "trial")->detail, "is not installed"));
        assert_int_equal(p.trial.arm_sec, 0);
        plan_done(&p);
        env_free(e);
}

static void test_watchdog_that_stops_at_kexec_is_warned(void **state)
{
        struct env *e = env_new("watchdog-i6300esb");
        struct plan p;
        const struct check *k;

        plan_of(e, &p);
        k = plan_find_check(&p, "watchdog");
        assert_non_null(k);
        assert_string_equal(check_status_to_string(k->status), "warn");
        assert_non_null(strstr(k->detail, "/dev/watchdog0 (i6300ESB timer) stops at the kexec"));
        assert_non_null(strstr(k->detail, "watchdog.stop_on_reboot=0 on the boot loader's"));
        assert_int_equal(p.trial.arm_sec, 0);
        /* Added anyway: the next warm reboot from the new kernel is covered. */
        assert_non_null(strstr(p.cmdline, " watchdog.stop_on_reboot=0 "));
        plan_done(&p);
        env_free(e);
}

static void test_reboot_arms_a_surviving_watchdog_last(void **state)
{
        struct env *e = env_new("watchdog-i6300esb-kept");
        struct reboot_report rep;

        fixture_write(e->dir, WDT "state", "inactive\n"); /* nobody drives it */
        fixture_write(e->dir, "proc/cmdline", DEBIAN_LINE " watchdog.stop_on_reboot=0");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        /* Loaded, armed, reported, then handed over: in that order. */
        expect_trace(
                "kexec_file_load|write load-record|wdt-open /dev/watchdog0|wdt-ioctl GETSUPPORT|"
                "wdt-ioctl SETTIMEOUT 600|wdt-ioctl KEEPALIVE|wdt-write \\n|wdt-close|write "
                "last-reboot|"
                "kexec.target");
        read_report(e, &rep);
        assert_int_equal(rep.outcome, REBOOT_PENDING);
        assert_string_equal(rep.text[REBOOT_WATCHDOG], "armed /dev/watchdog0 600");
        assert_string_equal(rep.text[REBOOT_BOOT_ID], BOOT_ID_OLD);
        assert_string_equal(rep.text[REBOOT_HANDOVER_KIND], "systemd");
        assert_true(rep.time[REBOOT_REQUESTED] > 0 &&
                    rep.time[REBOOT_HANDOVER] >= rep.time[REBOOT_REQUESTED]);
        /* The line it boots names this very trial. */
        assert_non_null(strstr(rep.text[REBOOT_CMDLINE], rep.text[REBOOT_ID]));
        reboot_report_done(&rep);
        env_free(e);
}

static void test_failed_handover_disarms_and_removes_the_report(void **state)
{
        struct env *e = env_new("watchdog-i6300esb-kept");
        _cleanup_free_ char *report = NULL;

        fixture_write(e->dir, WDT "state", "inactive\n");
        fixture_write(e->dir, "proc/cmdline", DEBIAN_LINE " watchdog.stop_on_reboot=0");
        fake_kexec_result = -EACCES;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        expect_trace(
                "kexec_file_load|write load-record|wdt-open /dev/watchdog0|wdt-ioctl GETSUPPORT|"
                "wdt-ioctl SETTIMEOUT 600|wdt-ioctl KEEPALIVE|wdt-write \\n|wdt-close|write "
                "last-reboot|"
                "kexec.target|wdt-open /dev/watchdog0|wdt-write V|wdt-ioctl SETOPTIONS 0x1|"
                "wdt-close|remove last-reboot|unload|remove load-record");
        report = path_join(e->dir, "var/lib/warmboot/last-reboot");
        assert_int_equal(access(report, F_OK), -1);
        env_free(e);
}

static void test_systemd_driven_watchdog_goes_through_kexec_watchdog_sec(void **state)
{
        struct env *e = env_new("watchdog-i6300esb-kept");
        struct reboot_report rep;

        e->ctx.options.ask_systemd = true;
        fake_runtime_watchdog_usec = 30 * 1000000ULL;
        fixture_write(e->dir, "proc/cmdline", DEBIAN_LINE " watchdog.stop_on_reboot=0");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        /* PID 1 holds the device: warmboot never opens it. */
        expect_trace("kexec_file_load|write load-record|set KExecWatchdogUSec 600000000|write "
                     "last-reboot|"
                     "kexec.target");
        read_report(e, &rep);
        assert_string_equal(rep.text[REBOOT_WATCHDOG], "systemd /dev/watchdog0 600");
        reboot_report_done(&rep);
        env_free(e);
}

static void test_confirm_completes_a_trial_that_booted(void **state)
{
        struct env *e = env_new("watchdog-i6300esb-kept");
        struct reboot_report rep;

        put_report(e, pending_report);
        fixture_write(e->dir, "proc/sys/kernel/random/boot_id", BOOT_ID_NEW "\n");
        fixture_write(e->dir, "proc/cmdline",
                      "root=UUID=5b1f2c3e-8d4a-4f6b-9c1d-2e3f4a5b6c7d ro quiet panic=10 "
                      "watchdog.stop_on_reboot=0 warmboot.trial=" TRIAL_ID);
        /* What /dev/kmsg hands out, one record after the other. */
        fixture_write(e->dir, "dev/kmsg",
                      "6,812,6021337,-;Freeing unused kernel image (initmem) memory: 2956K\n"
                      "6,815,6033101,-;Run /init as init process\n"
                      "7,816,6033105,-;  with arguments:\n");
        assert_int_equal(verb_confirm(&e->ctx), EXIT_OK);
        /* The watchdog armed for the jump is stopped; the journal hears of the success. */
        expect_trace("wdt-open /dev/watchdog0|wdt-write V|wdt-ioctl SETOPTIONS 0x1|wdt-close|"
                     "write last-reboot|journal " MESSAGE_TRIAL_CONFIRMED);
        read_report(e, &rep);
        assert_int_equal(rep.outcome, REBOOT_COMPLETED);
        assert_string_equal(rep.text[REBOOT_CONFIRMED_BOOT_ID], BOOT_ID_NEW);
        assert_string_equal(rep.text[REBOOT_WATCHDOG_AFTER], "stopped");
        assert_true(rep.time[REBOOT_READY] > 0);
        /* The kernel's phase ends where it ran the initramfs's /init. */
        assert_true(rep.time[REBOOT_KERNEL_START] > 0);
        assert_int_equal(rep.time[REBOOT_USERSPACE_START] - rep.time[REBOOT_KERNEL_START], 6033101);
        reboot_report_done(&rep);

        /* Confirmed once: a second run changes nothing. */
        fake_reset();
        assert_int_equal(verb_confirm(&e->ctx), EXIT_OK);
        expect_trace("");
        env_free(e);
}

static void test_confirm_finds_a_fall_back(void **state)
{
        struct env *e = env_new(NULL);
        struct reboot_report rep;
        char *err = NULL;

        put_report(e, pending_report);
        /* The boot loader's default, booted by the firmware: no trial id on the line. */
        fixture_write(e->dir, "proc/sys/kernel/random/boot_id", BOOT_ID_NEW "\n");
        e->ctx.quiet = false;
        assert_int_equal(verb_capturing_stderr(verb_confirm, &e->ctx, &err), EXIT_OK);
        assert_non_null(strstr(err, "warm reboot " TRIAL_ID " into /boot/vmlinuz-6.1.0-28-amd64 "
                                    "failed: the machine came back through the firmware"));
        expect_trace("write last-reboot|journal " MESSAGE_TRIAL_FAILED);
        assert_int_equal(atoi(fake_journal_message), LOG_ERR);
        read_report(e, &rep);
        assert_int_equal(rep.outcome, REBOOT_FELL_BACK);
        assert_string_equal(rep.text[REBOOT_WATCHDOG_AFTER], "reset by the firmware");
        reboot_report_done(&rep);
        free(err);
        env_free(e);
}

static void test_confirm_in_the_boot_that_asked_does_nothing(void **state)
{
        struct env *e = env_new(NULL);
        struct reboot_report rep;

        put_report(e, pending_report);
        assert_int_equal(verb_confirm(&e->ctx), EXIT_OK);
        expect_trace("");
        read_report(e, &rep);
        assert_int_equal(rep.outcome, REBOOT_PENDING);
        reboot_report_done(&rep);
        env_free(e);
}

static void test_status_shows_the_last_reboot(void **state)
{
        struct env *e = env_new(NULL);
        char *out = NULL;

        put_report(e, "warmboot-reboot-report 1\n"
                      "id=" TRIAL_ID "\n"
                      "boot_id=" BOOT_ID_OLD "\n"
                      "handover=systemd\n"
                      "kernel=/boot/vmlinuz-6.1.0-28-amd64\n"
                      "release=6.1.0-28-amd64\n"
                      "cmdline=root=/dev/vda2 ro panic=10 warmboot.trial=" TRIAL_ID "\n"
                      "requested_at=1796150000000000\n"
                      "handover_at=1796150002500000\n"
                      "kernel_start=1796150004000000\n"
                      "userspace_start=1796150006250000\n"
                      "ready_at=1796150020000000\n"
                      "firmware_usec=14200000\n"
                      "outcome=completed\n");
        e->ctx.json = true;
        assert_int_equal(verb_capturing_stdout(verb_status, &e->ctx, &out), EXIT_OK);
        assert_non_null(strstr(out,
                               "\"last_reboot\": {\"outcome\": \"completed\", \"id\": \"" TRIAL_ID
                               "\", \"requested_at\": \"2026-12-01T"));
        assert_non_null(strstr(out, "\"phases\": {\"prepare_s\": 2.500, \"shutdown_s\": 1.500, "
                                    "\"kernel_s\": 2.250, \"userspace_s\": 13.750, "
                                    "\"total_s\": 20.000}, \"skipped_firmware_s\": 14.200}"));
        free(out);

        e->ctx.json = false;
        assert_int_equal(verb_capturing_stdout(verb_status, &e->ctx, &out), EXIT_OK);
        assert_non_null(strstr(out, "Last boot: completed: the new kernel booted"));
        assert_non_null(strstr(out, "timeline: prepare 2.5 s, shutdown and jump 1.5 s, kernel "
                                    "2.2 s, userspace 13.8 s, total 20.0 s"));
        assert_non_null(strstr(out, "skipped 14.2 s of firmware and boot loader"));
        free(out);
        env_free(e);
}

static void test_status_without_a_report_says_null(void **state)
{
        struct env *e = env_new(NULL);
        char *out = NULL;

        e->ctx.json = true;
        assert_int_equal(verb_capturing_stdout(verb_status, &e->ctx, &out), EXIT_OK);
        assert_non_null(strstr(out, "\"last_reboot\": null"));
        free(out);
        env_free(e);
}

static void test_fallback_cold_reboots_through_the_firmware(void **state)
{
        struct env *e = env_new(NULL);
        struct reboot_report rep;

        fixture_write(e->dir, "proc/sys/kernel/kexec_load_disabled", "1\n");
        e->ctx.options.fallback_cold = true;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        /* Nothing loaded, nothing prepared: the report, then systemd's reboot. */
        expect_trace("write last-reboot|start reboot.target");
        read_report(e, &rep);
        assert_string_equal(rep.text[REBOOT_HANDOVER_KIND], "cold");
        assert_non_null(strstr(rep.text[REBOOT_FALLBACK], "kexec_load_disabled"));
        reboot_report_done(&rep);

        /* Without --fallback-cold the same machine refuses, and nothing happens. */
        fake_reset();
        e->ctx.options.fallback_cold = false;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_CHECK);
        expect_trace("");
        env_free(e);
}

static void test_fallback_cold_unloads_a_waiting_kernel(void **state)
{
        struct env *e = env_new(NULL);

        /* A kernel loaded earlier would be kexec'd by a reboot that finds it: it goes. */
        fixture_write(e->dir, "sys/kernel/kexec_loaded", "1\n");
        fixture_write(e->dir, "proc/sys/kernel/kexec_load_disabled", "1\n");
        e->ctx.options.fallback_cold = true;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        expect_trace("unload|write last-reboot|start reboot.target");
        env_free(e);
}

static void test_fallback_cold_after_a_refused_load(void **state)
{
        struct env *e = env_new(NULL);

        fake_load_result = -EKEYREJECTED;
        e->ctx.options.fallback_cold = true;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        expect_trace("kexec_file_load|write last-reboot|start reboot.target");
        env_free(e);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_plan_puts_the_new_kernel_on_trial),
                cmocka_unit_test(test_plan_drops_the_running_trial_and_keeps_its_panic),
                cmocka_unit_test(test_line_own_panic_and_panicsec_zero),
                cmocka_unit_test(test_no_trial_adds_nothing),
                cmocka_unit_test(test_missing_confirm_unit_warns_and_does_not_arm),
                cmocka_unit_test(test_watchdog_that_stops_at_kexec_is_warned),
                cmocka_unit_test(test_reboot_arms_a_surviving_watchdog_last),
                cmocka_unit_test(test_failed_handover_disarms_and_removes_the_report),
                cmocka_unit_test(test_systemd_driven_watchdog_goes_through_kexec_watchdog_sec),
                cmocka_unit_test(test_confirm_completes_a_trial_that_booted),
                cmocka_unit_test(test_confirm_finds_a_fall_back),
                cmocka_unit_test(test_confirm_in_the_boot_that_asked_does_nothing),
                cmocka_unit_test(test_status_shows_the_last_reboot),
                cmocka_unit_test(test_status_without_a_report_says_null),
                cmocka_unit_test(test_fallback_cold_reboots_through_the_firmware),
                cmocka_unit_test(test_fallback_cold_unloads_a_waiting_kernel),
                cmocka_unit_test(test_fallback_cold_after_a_refused_load),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
