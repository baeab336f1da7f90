/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Input: a file name, optionally followed by a NUL and the release its header carries.
 * Properties: a name that is no kernel's, or a spare copy's, fits no release; a versioned
 * name fits only the release it ends with; an initrd key is the tail of a name that is not
 * a spare copy's; a BOOT_IMAGE= path is an absolute tail of the value.
 */
#include "fuzz.h"
#include "kernel-name.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *name = fuzz_string(data, size), *path = NULL;
        const char *release, *key;
        enum kernel_name kind;
        size_t n;
        int r;

        if (!name)
                return 0;
        n = strlen(name);
        release = n < size ? name + n + 1 : NULL;
        kind = kernel_name_classify(name);

        FUZZ_CHECK(!kernel_name_matches_release(name, NULL));
        if (kind == KERNEL_NAME_NONE || boot_name_is_spare(name))
                FUZZ_CHECK(!release || !kernel_name_matches_release(name, release));
        if (kind != KERNEL_NAME_NONE)
                FUZZ_CHECK(!boot_name_is_spare(name));
        if (release && kind == KERNEL_NAME_VERSIONED && kernel_name_matches_release(name, release))
                FUZZ_CHECK(*release && endswith(name, release));

        key = kernel_name_initrd_key(name, release);
        if (key)
                FUZZ_CHECK(*key && endswith(name, key) && !boot_name_is_spare(name));

        r = boot_image_path(name, &path);
        FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ENOMEM);
        if (r == 0)
                FUZZ_CHECK(path[0] == '/' && endswith(name, path));
        return 0;
}
