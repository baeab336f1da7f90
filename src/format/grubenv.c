/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "grubenv.h"
#include "util.h"

#define GRUBENV_SIGNATURE "# GRUB Environment Block\n"

const char *env_get(char *const *env, const char *key)
{
        for (size_t i = 0; env && env[i]; i++) {
                const char *v = startswith(env[i], key);
                if (v && *v == '=')
                        return v + 1;
        }
        return NULL;
}

/* The end of the value starting at p: the first newline not escaped by a backslash, with
 * *ret_len the length of the value once unescaped; NULL when the block ends first (an
 * unterminated last line, which GRUB ignores, or an escape at the very end). */
static const char *value_end(const char *p, const char *end, size_t *ret_len)
{
        size_t n = 0;

        for (; p < end && *p != '\n'; p++, n++)
                if (*p == '\\' && ++p == end)
                        return NULL;
        *ret_len = n;
        return p < end ? p : NULL;
}

/* "key=value" from the raw value in [p, nl), escapes undone. */
static char *assignment_new(const char *key, size_t key_len, const char *p, const char *nl,
                            size_t value_len)
{
        char *kv = malloc(key_len + 1 + value_len + 1), *w;

        if (!kv)
                return NULL;
        memcpy(kv, key, key_len);
        kv[key_len] = '=';
        w = kv + key_len + 1;
        for (; p < nl; p++) {
                if (*p == '\\')
                        p++;
                *w++ = *p;
        }
        *w = '\0';
        return kv;
}

/* Adds "key=value", replacing an earlier value of key: GRUB's load_env sets the variables
 * in order, so the last one wins. */
static int env_set(char ***env, char *kv, size_t key_len)
{
        for (size_t i = 0; *env && (*env)[i]; i++)
                if (strncmp((*env)[i], kv, key_len + 1) == 0) {
                        free((*env)[i]);
                        (*env)[i] = kv;
                        return 0;
                }
        return strv_push(env, kv);
}

int grubenv_parse(const char *text, size_t len, char ***ret)
{
        _cleanup_strv_free_ char **env = NULL;
        const char *p, *end;
        const size_t sig_len = strlen(GRUBENV_SIGNATURE);

        if ((!text && len > 0) || !ret)
                return -EINVAL;
        if (len < sig_len || memcmp(text, GRUBENV_SIGNATURE, sig_len) != 0)
                return -EBADMSG;

        env = calloc(1, sizeof(char *));
        if (!env)
                return -ENOMEM;

        /* A NUL ends the block: a file zero-filled past its last line holds nothing more
         * (GRUB itself stops at the first line it cannot parse). */
        end = memchr(text, 0, len) ?: text + len;
        p = text + sig_len;

        while (p < end) {
                const char *key = p, *eq, *nl;
                size_t value_len;
                char *kv;
                int r;

                if (*p == '#' || *p == '\n') { /* padding, comments, empty lines */
                        nl = memchr(p, '\n', end - p);
                        p = nl ? nl + 1 : end;
                        continue;
                }

                for (eq = p; eq < end && *eq != '=' && *eq != '\n'; eq++)
                        ;
                if (eq == end || *eq != '=' || eq == key)
                        return -EBADMSG;
                nl = value_end(eq + 1, end, &value_len);
                if (!nl)
                        return -EBADMSG;
                kv = assignment_new(key, eq - key, eq + 1, nl, value_len);
                if (!kv)
                        return -ENOMEM;
                r = env_set(&env, kv, eq - key);
                if (r < 0)
                        return r;
                p = nl + 1;
        }

        *ret = TAKE_PTR(env);
        return 0;
}

int grubenv_clear(const char *text, size_t len, const char *key, char **ret)
{
        _cleanup_strv_free_ char **env = NULL;
        const size_t sig_len = strlen(GRUBENV_SIGNATURE), key_len = strlen(key);
        const char *p, *end = text + len;
        char *out, *w;
        int err;

        err = grubenv_parse(text, len, &env);
        if (err < 0)
                return err;
        if (memchr(text, 0, len))
                return -EBADMSG;
        out = malloc(len + 1);
        if (!out)
                return -ENOMEM;
        memcpy(out, text, sig_len);
        w = out + sig_len;
        /* The same walk as the parse: an assignment's value runs to its first unescaped
         * newline, so a "key=" after an escaped one is part of another value. */
        for (p = text + sig_len; p < end;) {
                const char *nl, *eq;
                size_t value_len, n;

                if (*p == '#' || *p == '\n') {
                        nl = memchr(p, '\n', (size_t)(end - p));
                } else {
                        for (eq = p; eq < end && *eq != '=' && *eq != '\n'; eq++)
                                ;
                        /* The parse above accepted the block: eq is a '=', and the value
                         * ends at a newline. */
                        nl = value_end(eq + 1, end, &value_len);
                        if (nl && (size_t)(eq - p) == key_len && memcmp(p, key, key_len) == 0) {
                                memcpy(w, p, key_len + 1);
                                w += key_len + 1;
                                *w++ = '\n';
                                p = nl + 1;
                                continue;
                        }
                }
                n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
                memcpy(w, p, n);
                w += n;
                p = nl ? nl + 1 : end;
        }
        memset(w, '#', (size_t)(out + len - w));
        out[len] = 0;
        *ret = out;
        return 0;
}
