/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Input: a loader.conf. Properties: the pattern is a piece of one line, without the line's
 * end; a pattern without glob characters picks the id it spells, with or without ".conf";
 * a "default" line appended last decides.
 */
#include "fuzz.h"
#include "loader-conf.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size), *pattern = NULL, *longer = NULL;
        _cleanup_free_ char *last = NULL;

        if (!text || loader_conf_default(text, &pattern) < 0)
                return 0;
        if (pattern) {
                FUZZ_CHECK(!strpbrk(pattern, "\r\n") && strstr(text, pattern));
                if (*pattern && !strpbrk(pattern, "*?[\\") && strlen(pattern) <= 255)
                        FUZZ_CHECK(loader_entry_matches(pattern, pattern));
        }

        longer = strdup_printf("%s\ndefault fuzz-*\n", text);
        if (!longer || loader_conf_default(longer, &last) < 0)
                return 0;
        FUZZ_CHECK(last && streq(last, "fuzz-*"));
        FUZZ_CHECK(loader_entry_matches(last, "fuzz-6.1") && !loader_entry_matches(last, "x"));
        return 0;
}
