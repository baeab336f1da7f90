/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"
#include "reboot-report.h"
#include "util.h"

/* A report that parses formats again to a text that parses to the same report. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size);
        _cleanup_free_ char *again = NULL;
        struct reboot_report r, r2;

        reboot_report_init(&r2);
        if (!text || reboot_report_parse(text, &r) < 0)
                return 0;
        FUZZ_CHECK(trial_id_valid(r.text[REBOOT_ID]) && r.text[REBOOT_KERNEL]);
        if (reboot_report_format(&r, &again) == 0) {
                FUZZ_CHECK(reboot_report_parse(again, &r2) == 0);
                FUZZ_CHECK(r2.outcome == r.outcome);
                for (size_t i = 0; i < _REBOOT_TEXT_MAX; i++)
                        FUZZ_CHECK(!r.text[i] == !r2.text[i] &&
                                   (!r.text[i] || streq(r.text[i], r2.text[i])));
                for (size_t i = 0; i < _REBOOT_TIME_MAX; i++)
                        FUZZ_CHECK(r.time[i] == r2.time[i]);
        }
        reboot_report_done(&r);
        reboot_report_done(&r2);
        return 0;
}
