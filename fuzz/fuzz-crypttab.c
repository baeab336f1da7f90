/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Input: the text of /etc/crypttab. Properties: a refusal is one sentence that starts with
 * the file name and a line number within the text; an entry's name, device and key file are
 * words of its line, and the line numbers rise; a text that parsed still parses, with one
 * more entry, when a good line is appended.
 */
#include "crypttab.h"
#include "fuzz.h"
#include "util.h"

static unsigned count_lines(const char *text)
{
        unsigned n = 1;

        for (; *text; text++)
                n += *text == '\n';
        return n;
}

static void check_appended_line(const char *text, size_t n_entries)
{
        _cleanup_free_ char *longer =
                strdup_printf("%s\nfuzz /dev/fuzz - tpm2-device=auto\n", text);
        struct crypttab t = {};

        if (!longer || crypttab_parse(longer, "/etc/crypttab", &t, NULL) == -ENOMEM)
                return;
        FUZZ_CHECK(t.n_entries == n_entries + 1);
        FUZZ_CHECK(streq(t.entries[n_entries].name, "fuzz"));
        FUZZ_CHECK(streq_ptr(t.entries[n_entries].tpm2_device, "auto"));
        crypttab_done(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size), *error = NULL;
        struct crypttab t = {};
        unsigned lines, last = 0;
        int err;

        if (!text)
                return 0;
        lines = count_lines(text);
        err = crypttab_parse(text, "/etc/crypttab", &t, &error);
        if (err == -EINVAL) {
                unsigned line = 0;

                FUZZ_CHECK(error && sscanf(error, "/etc/crypttab:%u: ", &line) == 1);
                FUZZ_CHECK(line >= 1 && line <= lines && !strchr(error, '\n'));
                return 0;
        }
        if (err < 0)
                return 0;
        for (size_t i = 0; i < t.n_entries; i++) {
                const struct crypttab_entry *e = &t.entries[i];

                FUZZ_CHECK(e->line > last && e->line <= lines);
                FUZZ_CHECK(*e->name && *e->device && strstr(text, e->name) &&
                           strstr(text, e->device));
                FUZZ_CHECK(!e->key_file || strstr(text, e->key_file));
                last = e->line;
        }
        check_appended_line(text, t.n_entries);
        crypttab_done(&t);
        return 0;
}
