/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"
#include "grubcfg.h"
#include "util.h"

static void check_find(const struct boot_entry *entries, size_t n, const char *what)
{
        int r = grub_find_entry(entries, n, what);

        FUZZ_CHECK(r == -ENOENT || (r >= 0 && (size_t)r < n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size), *error = NULL;
        struct boot_entry *entries = NULL;
        size_t n = 0;

        if (!text || grub_cfg_parse(text, "grub.cfg", &entries, &n, &error) < 0)
                return 0;
        /* Whatever GRUB_DEFAULT names, the answer is an index into entries or -ENOENT. */
        check_find(entries, n, "0");
        check_find(entries, n, "1>0");
        for (size_t i = 0; i < n; i++) {
                if (entries[i].title)
                        check_find(entries, n, entries[i].title);
                if (entries[i].id)
                        check_find(entries, n, entries[i].id);
        }
        boot_entries_free(entries, n);
        return 0;
}
