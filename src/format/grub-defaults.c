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

int grub_default_entry(const char *defaults, char *const *env, char **ret)
{
        _cleanup_free_ char *value = NULL;
        const char *next = env_get(env, "next_entry");
        int err;

        if (next && *next)
                return strdup_or_null(next, ret);
        err = env_file_get(defaults, "GRUB_DEFAULT", &value);
        if (err < 0)
                return err;
        if (!value || streq(value, "saved"))
                return strdup_or_null(env_get(env, "saved_entry"), ret);
        /* 00_header: an empty GRUB_DEFAULT is 0, the first entry. */
        *ret = *value ? TAKE_PTR(value) : NULL;
        return 0;
}
