/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "efivar.h"
#include "fuzz.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *s = NULL, *again = NULL;
        _cleanup_free_ uint8_t *file = NULL;
        const char *problem = NULL;
        uint32_t attributes;
        size_t len;
        int err;

        err = efivar_string_parse(data, size, &attributes, &s, &problem);
        if (err < 0) {
                FUZZ_CHECK(problem != NULL);
                return 0;
        }
        /* What was read is UTF-8 that the writer takes, and writes back as the same bytes:
         * the input with its NUL, added where it had none. */
        FUZZ_CHECK(efivar_string_format(attributes, s, &file, &len) == 0);
        FUZZ_CHECK(len == size || len == size + 2);
        FUZZ_CHECK(memcmp(file, data, size) == 0);
        FUZZ_CHECK(file[len - 1] == 0 && file[len - 2] == 0);
        FUZZ_CHECK(efivar_string_parse(file, len, NULL, &again, NULL) == 0);
        FUZZ_CHECK(streq(again, s));
        return 0;
}
