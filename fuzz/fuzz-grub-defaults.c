/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Input: the text of /etc/default/grub, optionally followed by a NUL and an environment
 * block (so a defaults file is a seed as it is). Properties: next_entry, when set, is the
 * answer; an answer from GRUB_DEFAULT is a piece of one line of the text; a GRUB_DEFAULT line
 * appended last decides.
 */
#include "env-file.h"
#include "fuzz.h"
#include "grub-defaults.h"
#include "grubenv.h"
#include "util.h"

static void check_appended_line_wins(const char *text)
{
        _cleanup_free_ char *longer = strdup_printf("%s\nGRUB_DEFAULT=\"fuzz entry\"\n", text);
        _cleanup_free_ char *got = NULL;

        if (!longer || grub_default_entry(longer, NULL, &got, NULL) < 0)
                return;
        FUZZ_CHECK(got && streq(got, "fuzz entry"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size), *got = NULL, *value = NULL;
        _cleanup_strv_free_ char **env = NULL;
        const char *next, *saved;
        size_t n;

        if (!text)
                return 0;
        n = strlen(text);
        if (n < size && grubenv_parse(text + n + 1, size - n - 1, &env) < 0)
                env = NULL;
        if (grub_default_entry(text, env, &got, NULL) < 0 ||
            env_file_get(text, "GRUB_DEFAULT", &value) < 0)
                return 0;
        next = env_get(env, "next_entry");
        saved = env_get(env, "saved_entry");

        FUZZ_CHECK(!got || *got);
        if (next && *next)
                FUZZ_CHECK(got && streq(got, next));
        else if (!value || streq(value, "saved"))
                FUZZ_CHECK(streq_ptr(got, saved && *saved ? saved : NULL));
        else {
                FUZZ_CHECK(streq_ptr(got, *value ? value : NULL));
                FUZZ_CHECK(!strchr(value, '\n') && strstr(text, value));
        }
        check_appended_line_wins(text);
        return 0;
}
