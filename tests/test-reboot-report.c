/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The reboot report's text: what reboot writes, confirm completes and status reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "reboot-report.h"
#include "testlib.h"
#include "util.h"

#define HEAD "warmboot-reboot-report 1\n"
#define ID "id=5f0c2a9e8d7b4c1a9e3f6b2d8a4c7e10\n"
#define REQUIRED                                                                                   \
        ID "boot_id=0d3f5a6c-8b1e-4f2a-9c7d-3e5b1a2f4c6d\nhandover=systemd\n"                      \
           "kernel=/boot/vmlinuz-6.1.0-28-amd64\n"

static void expect_bad(const char *text)
{
        struct reboot_report r;

        if (reboot_report_parse(text, &r) != -EBADMSG) {
                print_error("accepted:\n%s\n", text);
                fail();
        }
}

static void test_round_trip(void **state)
{
        struct reboot_report r, again;
        _cleanup_free_ char *text = NULL, *text2 = NULL;

        reboot_report_init(&r);
        assert_int_equal(reboot_report_set(&r, REBOOT_ID, "5f0c2a9e8d7b4c1a9e3f6b2d8a4c7e10"), 0);
        assert_int_equal(reboot_report_set(&r, REBOOT_BOOT_ID, "0d3f5a6c"), 0);
        assert_int_equal(reboot_report_set(&r, REBOOT_HANDOVER_KIND, "forced"), 0);
        assert_int_equal(reboot_report_set(&r, REBOOT_KERNEL, "/boot/vmlinuz-6.1.0-28-amd64"), 0);
        assert_int_equal(reboot_report_set(&r, REBOOT_CMDLINE, "root=/dev/vda2 ro panic=10"), 0);
        r.time[REBOOT_REQUESTED] = 1796150000000000;
        r.time[REBOOT_HANDOVER] = 0; /* the epoch is a time too */
        r.outcome = REBOOT_FELL_BACK;
        assert_int_equal(reboot_report_format(&r, &text), 0);
        assert_non_null(strstr(text, "\nhandover_at=0\n"));
        assert_non_null(strstr(text, "\noutcome=fell-back\n"));
        assert_null(strstr(text, "ready_at")); /* unknown: absent */
        assert_int_equal(reboot_report_parse(text, &again), 0);
        assert_int_equal(again.outcome, REBOOT_FELL_BACK);
        assert_string_equal(again.text[REBOOT_CMDLINE], "root=/dev/vda2 ro panic=10");
        assert_int_equal(again.time[REBOOT_REQUESTED], 1796150000000000);
        assert_int_equal(again.time[REBOOT_HANDOVER], 0);
        assert_int_equal(again.time[REBOOT_READY], -1);
        assert_int_equal(reboot_report_format(&again, &text2), 0);
        assert_string_equal(text, text2);
        reboot_report_done(&r);
        reboot_report_done(&again);
}

static void test_format_refuses_what_parse_would(void **state)
{
        struct reboot_report r;
        char *text = NULL;

        reboot_report_init(&r);
        assert_int_equal(reboot_report_format(&r, &text), -EINVAL); /* nothing required */
        assert_int_equal(reboot_report_set(&r, REBOOT_ID, "not-an-id"), 0);
        assert_int_equal(reboot_report_set(&r, REBOOT_BOOT_ID, "b"), 0);
        assert_int_equal(reboot_report_set(&r, REBOOT_HANDOVER_KIND, "systemd"), 0);
        assert_int_equal(reboot_report_set(&r, REBOOT_KERNEL, "/k"), 0);
        assert_int_equal(reboot_report_format(&r, &text), -EINVAL); /* a bad id */
        assert_int_equal(reboot_report_set(&r, REBOOT_ID, "5f0c2a9e8d7b4c1a9e3f6b2d8a4c7e10"), 0);
        assert_int_equal(reboot_report_set(&r, REBOOT_CMDLINE, "a\nb"), 0);
        assert_int_equal(reboot_report_format(&r, &text), -EINVAL); /* a newline in a value */
        assert_null(text);
        reboot_report_done(&r);
}

static void test_bad_reports(void **state)
{
        expect_bad("");
        expect_bad("warmboot-reboot-report 2\n" REQUIRED "outcome=pending\n");
        expect_bad(HEAD REQUIRED);                                   /* no outcome */
        expect_bad(HEAD REQUIRED "outcome=maybe\n");                 /* an unknown outcome */
        expect_bad(HEAD REQUIRED "outcome=pending\noutcome=cold\n"); /* twice */
        expect_bad(HEAD REQUIRED "outcome=pending");                 /* the last line cut */
        expect_bad(HEAD REQUIRED "color=blue\noutcome=pending\n");   /* an unknown key */
        expect_bad(HEAD REQUIRED ID "outcome=pending\n");            /* a key twice */
        expect_bad(HEAD REQUIRED "ready_at=-5\noutcome=pending\n");
        expect_bad(HEAD REQUIRED "ready_at=012\noutcome=pending\n");
        expect_bad(HEAD REQUIRED "ready_at=99999999999999999999\noutcome=pending\n");
        expect_bad(HEAD "id=5F0C2A9E8D7B4C1A9E3F6B2D8A4C7E10\nboot_id=b\nhandover=systemd\n"
                        "kernel=/k\noutcome=pending\n");                      /* upper-case id */
        expect_bad(HEAD ID "boot_id=b\nhandover=systemd\noutcome=pending\n"); /* no kernel */
        expect_bad(HEAD ID "boot_id=\nhandover=systemd\nkernel=/k\noutcome=pending\n");
}

static void test_trial_ids(void **state)
{
        assert_true(trial_id_valid("5f0c2a9e8d7b4c1a9e3f6b2d8a4c7e10"));
        assert_false(trial_id_valid("5f0c2a9e8d7b4c1a9e3f6b2d8a4c7e1"));
        assert_false(trial_id_valid("5f0c2a9e8d7b4c1a9e3f6b2d8a4c7e100"));
        assert_false(trial_id_valid("5f0c2a9e-8d7b-4c1a-9e3f-6b2d8a4c7e"));
        assert_false(trial_id_valid(NULL));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_round_trip),
                cmocka_unit_test(test_format_refuses_what_parse_would),
                cmocka_unit_test(test_bad_reports),
                cmocka_unit_test(test_trial_ids),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
