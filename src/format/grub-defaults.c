/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "env-file.h"
#include "grub-defaults.h"
#include "grubenv.h"
#include "util.h"

static int strdup_or_null(const char *s, char **ret)
{
        char *copy = NULL;

        if (s && *s) {
                copy = strdup(s);
                if (!copy)
                        return -ENOMEM;
        }
        *ret = copy;
        return 0;
}

int grub_default_entry(const char *defaults, char *const *env, char **ret,
                       enum grub_default_from *ret_from)
{
        _cleanup_free_ char *value = NULL;
        const char *next = env_get(env, "next_entry"), *saved;
        enum grub_default_from from = GRUB_FROM_FIRST;
        int err;

        if (next && *next) {
                from = GRUB_FROM_NEXT_ENTRY;
                err = strdup_or_null(next, ret);
        } else {
                err = env_file_get(defaults, "GRUB_DEFAULT", &value);
                if (err < 0)
                        return err;
                if (!value || streq(value, "saved")) {
                        saved = env_get(env, "saved_entry");
                        from = saved && *saved ? GRUB_FROM_SAVED_ENTRY : GRUB_FROM_FIRST;
                        err = strdup_or_null(saved, ret);
                } else {
                        /* 00_header: an empty GRUB_DEFAULT is 0, the first entry. */
                        from = *value ? GRUB_FROM_DEFAULT : GRUB_FROM_FIRST;
                        *ret = *value ? TAKE_PTR(value) : NULL;
                }
        }
        if (err >= 0 && ret_from)
                *ret_from = from;
        return err;
}
