/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"
#include "uki.h"

static void check(const struct uki *u, uint64_t file_size)
{
        const struct uki_section *all[] = {&u->linux_,  &u->initrd, &u->ucode,
                                           &u->cmdline, &u->osrel,  &u->uname};

        FUZZ_CHECK(u->linux_.size > 0);
        for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
                FUZZ_CHECK(all[i]->offset <= file_size &&
                           all[i]->size <= file_size - all[i]->offset);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct uki u;

        /* The whole file read. */
        if (uki_parse(data, size, size, &u) == 0)
                check(&u, size);
        /* Only its first half read, as a caller that reads the headers only would. */
        if (uki_parse(data, size / 2, size, &u) == 0)
                check(&u, size);
        /* A caller that read more than the file has: only the file counts. */
        if (uki_parse(data, size, size / 2, &u) == 0)
                check(&u, size / 2);
        return 0;
}
