/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cmdline.h"
#include "module-name.h"
#include "util.h"

static bool is_space(char c)
{
        /* The kernel's isspace() on the command line. */
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Length of the parameter starting at s, following the kernel's quoting rule. */
static size_t param_length(const char *s)
{
        bool quoted = false;
        size_t i;

        for (i = 0; s[i]; i++) {
                if (s[i] == '"')
                        quoted = !quoted;
                else if (!quoted && is_space(s[i]))
                        break;
        }
        return i;
}

int cmdline_parse(const char *text, struct cmdline *ret)
{
        struct cmdline c = {};
        const char *p = text;

        c.params = calloc(1, sizeof(char *));
        if (!c.params)
                return -ENOMEM;

        for (;;) {
                size_t n;
                int err;

                while (is_space(*p))
                        p++;
                if (!*p)
                        break;
                n = param_length(p);
                if (n == 2 && p[0] == '-' && p[1] == '-') {
                        p += 2;
                        while (is_space(*p))
                                p++;
                        c.init_args = strdup(p);
                        if (!c.init_args) {
                                cmdline_done(&c);
                                return -ENOMEM;
                        }
                        strip_trailing_space(c.init_args);
                        break;
                }
                err = strv_push(&c.params, strndup(p, n));
                if (err < 0) {
                        cmdline_done(&c);
                        return err;
                }
                p += n;
        }
        *ret = c;
        return 0;
}

void cmdline_done(struct cmdline *c)
{
        if (!c)
                return;
        strv_free(c->params);
        free(c->init_args);
        c->params = NULL;
        c->init_args = NULL;
}

static size_t key_length(const char *param)
{
        const char *eq = strchr(param, '=');
        return eq ? (size_t)(eq - param) : strlen(param);
}

char *cmdline_param_key(const char *param)
{
        if (*param == '"')
                param++;
        return strndup(param, key_length(param));
}

static bool param_has_key(const char *param, const char *key, size_t key_len)
{
        if (*param == '"')
                param++;
        return kernel_name_equal_n(param, key_length(param), key, key_len);
}

char *cmdline_get(const struct cmdline *c, const char *key)
{
        size_t kl = strlen(key);

        for (size_t i = 0; c->params[i]; i++) {
                const char *p = c->params[i], *eq;
                char *v, *w;

                if (!param_has_key(p, key, kl))
                        continue;
                eq = strchr(p, '=');
                v = strdup(eq ? eq + 1 : "");
                if (!v)
                        return NULL;
                /* Drop the quotes the way the kernel does: they group, they are not data. */
                w = v;
                for (char *s = v; *s; s++)
                        if (*s != '"')
                                *w++ = *s;
                *w = 0;
                return v;
        }
        return NULL;
}

size_t cmdline_count(const struct cmdline *c, const char *key)
{
        size_t n = 0, kl = strlen(key);

        for (size_t i = 0; c->params[i]; i++)
                if (param_has_key(c->params[i], key, kl))
                        n++;
        return n;
}

static void remove_at(char **params, size_t i)
{
        free(params[i]);
        memmove(params + i, params + i + 1, sizeof(char *) * (strv_length(params + i + 1) + 1));
}

int cmdline_remove(struct cmdline *c, const char *key)
{
        bool exact = strchr(key, '=') != NULL;
        size_t kl = strlen(key);
        int removed = 0;

        for (size_t i = 0; c->params[i];) {
                bool match =
                        exact ? streq(c->params[i], key) : param_has_key(c->params[i], key, kl);
                if (match) {
                        remove_at(c->params, i);
                        removed++;
                } else
                        i++;
        }
        return removed;
}

bool cmdline_param_valid(const char *text)
{
        size_t n = strlen(text);
        size_t quotes = 0;

        if (n == 0 || param_length(text) != n)
                return false;
        if (n == 2 && streq(text, "--"))
                return false;
        for (size_t i = 0; i < n; i++) {
                unsigned char ch = (unsigned char)text[i];
                if (ch < 0x20 || ch == 0x7f)
                        return false;
                if (ch == '"')
                        quotes++;
        }
        return quotes % 2 == 0 && text[0] != '=';
}

int cmdline_append(struct cmdline *c, const char *param)
{
        _cleanup_free_ char *key = NULL;
        size_t kl;
        bool replaced = false;

        if (!cmdline_param_valid(param))
                return -EINVAL;
        key = cmdline_param_key(param);
        if (!key)
                return -ENOMEM;
        kl = strlen(key);

        for (size_t i = 0; c->params[i];) {
                if (!param_has_key(c->params[i], key, kl)) {
                        i++;
                        continue;
                }
                if (replaced) {
                        remove_at(c->params, i);
                        continue;
                }
                char *copy = strdup(param);
                if (!copy)
                        return -ENOMEM;
                free(c->params[i]);
                c->params[i] = copy;
                replaced = true;
                i++;
        }
        if (replaced)
                return 0;
        return strv_extend(&c->params, param);
}

char *cmdline_format(const struct cmdline *c)
{
        size_t len = 1;
        char *out, *p;

        for (size_t i = 0; c->params[i]; i++)
                len += strlen(c->params[i]) + 2;
        if (c->init_args)
                len += strlen(c->init_args) + 4;
        out = malloc(len);
        if (!out)
                return NULL;
        p = out;
        *p = 0;
        for (size_t i = 0; c->params[i]; i++) {
                bool last = !c->params[i + 1] && !c->init_args;
                size_t quotes = 0;

                for (const char *q = c->params[i]; *q; q++)
                        quotes += *q == '"';
                p = stpcpy(stpcpy(p, i ? " " : ""), c->params[i]);
                /* An unclosed quote runs to the end of the line (that is how it was read):
                 * close it here, or whatever follows would become part of this value. */
                if (quotes % 2 && !last)
                        p = stpcpy(p, "\"");
        }
        if (c->init_args) {
                p = stpcpy(p, p == out ? "--" : " --");
                if (*c->init_args)
                        p = stpcpy(stpcpy(p, " "), c->init_args);
        }
        return out;
}
