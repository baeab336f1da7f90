/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"
#include "fuzz.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size), *error = NULL;
        struct config c;
        int r;

        if (!text)
                return 0;
        config_init(&c);
        r = config_parse(text, "warmboot.conf", &c, &error);
        /* A bad line is named in the message, and only then. */
        FUZZ_CHECK(r != -EINVAL || (error && startswith(error, "warmboot.conf:")));
        config_done(&c);
        return 0;
}
