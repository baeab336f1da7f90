/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"
#include "load-record.h"
#include "util.h"

/* A record that parses formats again to a text that parses to the same record. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size);
        _cleanup_free_ char *again = NULL;
        struct load_record rec = {}, rec2 = {};

        if (!text || load_record_parse(text, &rec) < 0)
                return 0;
        FUZZ_CHECK(rec.n_files > 0 && rec.boot_id && rec.options && rec.cmdline);
        if (load_record_format(&rec, &again) == 0) {
                FUZZ_CHECK(load_record_parse(again, &rec2) == 0);
                FUZZ_CHECK(rec2.n_files == rec.n_files && streq(rec2.cmdline, rec.cmdline));
                for (size_t i = 0; i < rec.n_files; i++)
                        FUZZ_CHECK(streq(rec2.files[i].path, rec.files[i].path) &&
                                   rec2.files[i].size == rec.files[i].size);
        }
        load_record_done(&rec);
        load_record_done(&rec2);
        return 0;
}
