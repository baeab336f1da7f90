/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"
#include "mountinfo.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size);
        _cleanup_strv_free_ char **mounts = NULL;

        if (!text || writable_mounts(text, &mounts) < 0)
                return 0;
        for (size_t i = 0; mounts[i]; i++)
                FUZZ_CHECK(mounts[i][0] == '/');
        return 0;
}
