/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"
#include "lockdown.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size);
        _cleanup_free_ char *word = NULL;

        if (!text)
                return 0;
        word = lockdown_parse(text);
        FUZZ_CHECK(!word || (word[0] && strstr(text, word)));
        return 0;
}
