/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"
#include "grubenv.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_strv_free_ char **env = NULL;

        /* The parser takes a length: the input as it is, with no NUL after it. */
        if (grubenv_parse((const char *)data, size, &env) < 0)
                return 0;
        for (size_t i = 0; env && env[i]; i++)
                FUZZ_CHECK(strchr(env[i], '=') != NULL);
        (void)env_get(env, "saved_entry");
        {
                /* Clearing a value keeps the block's size and leaves a block that reads the
                 * same but for that value. */
                _cleanup_strv_free_ char **after = NULL;
                _cleanup_free_ char *cleared = NULL;
                const char *next;

                if (grubenv_clear((const char *)data, size, "next_entry", &cleared) < 0)
                        return 0;
                FUZZ_CHECK(strlen(cleared) == size);
                FUZZ_CHECK(grubenv_parse(cleared, size, &after) == 0);
                next = env_get(after, "next_entry");
                FUZZ_CHECK(!next || !*next);
                FUZZ_CHECK(streq_ptr(env_get(after, "saved_entry"), env_get(env, "saved_entry")));
        }
        return 0;
}
