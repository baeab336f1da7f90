/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"
#include "run-journal.h"
#include "util.h"

/* A journal that parses formats again to a text that parses to the same steps. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size);
        _cleanup_free_ char *again = NULL;
        struct run_journal j = {}, j2 = {};

        if (!text || run_journal_parse(text, &j) < 0)
                return 0;
        FUZZ_CHECK(j.pid > 0 && j.started >= 0);
        FUZZ_CHECK(!j.kernel || j.kernel[0] == '/');
        FUZZ_CHECK(run_journal_format(&j, &again) == 0);
        FUZZ_CHECK(run_journal_parse(again, &j2) == 0);
        FUZZ_CHECK(j2.pid == j.pid && j2.started == j.started);
        FUZZ_CHECK(strv_length(j2.stopped_units) == strv_length(j.stopped_units) &&
                   strv_length(j2.removed_modules) == strv_length(j.removed_modules));
        for (size_t i = 0; j.removed_modules && j.removed_modules[i]; i++)
                FUZZ_CHECK(streq(j2.removed_modules[i], j.removed_modules[i]));
        run_journal_done(&j);
        run_journal_done(&j2);
        return 0;
}
