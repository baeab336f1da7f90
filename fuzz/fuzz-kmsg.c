/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"
#include "kmsg.h"
#include "util.h"

/* Any text: either no record names init, or one does and its time is kept. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size);
        uint64_t usec = 0;
        int r;

        if (!text)
                return 0;
        r = kmsg_init_started(text, &usec);
        FUZZ_CHECK(r == 0 || r == -ENOENT);
        FUZZ_CHECK(r == 0 || usec == 0);
        return 0;
}
