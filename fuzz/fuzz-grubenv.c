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
        return 0;
}
