/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bzimage.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct bzimage_info info;
        enum bzimage_status s = bzimage_parse(data, size, &info);

        FUZZ_CHECK(bzimage_status_to_string(s) != NULL);
        if (s != BZIMAGE_OK)
                return 0;
        /* The strings are NUL terminated within their arrays, release a prefix of version. */
        FUZZ_CHECK(memchr(info.release, 0, sizeof(info.release)) != NULL);
        FUZZ_CHECK(memchr(info.version, 0, sizeof(info.version)) != NULL);
        FUZZ_CHECK(strncmp(info.version, info.release, strlen(info.release)) == 0);
        (void)bzimage_kexec_problem(&info);
        (void)bzimage_size_problem(&info, size);
        FUZZ_CHECK(bzimage_cmdline_fits(&info, bzimage_cmdline_max(&info)) ||
                   bzimage_cmdline_max(&info) == 0);
        return 0;
}
