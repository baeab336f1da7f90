/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bls.h"
#include "fuzz.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        /* What Fedora's grubenv gives $kernelopts and friends. */
        static char kernelopts[] = "kernelopts=root=/dev/mapper/root ro rhgb quiet",
                    tuned_params[] = "tuned_params=", tuned_initrd[] = "tuned_initrd=";
        char *const env[] = {kernelopts, tuned_params, tuned_initrd, NULL};
        _cleanup_free_ char *text = fuzz_string(data, size), *error = NULL;
        struct boot_entry e = {};

        if (!text)
                return 0;
        if (bls_entry_parse(text, "entry.conf", "entry", env, &e, &error) == 0) {
                FUZZ_CHECK(e.kernel != NULL);
                FUZZ_CHECK(e.initrds != NULL);
                boot_entry_done(&e);
        }
        return 0;
}
