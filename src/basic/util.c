/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>

#include "util.h"

void strv_free(char **l)
{
        if (!l)
                return;
        for (char **i = l; *i; i++)
                free(*i);
        free(l);
}

bool endswith(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

size_t strv_length(char *const *l)
{
        size_t n = 0;
        if (l)
                while (l[n])
                        n++;
        return n;
}

int strv_push(char ***l, char *value)
{
        size_t n = strv_length(*l);
        char **m;

        if (!value)
                return -ENOMEM;
        m = realloc(*l, sizeof(char *) * (n + 2));
        if (!m) {
                free(value);
                return -ENOMEM;
        }
        m[n] = value;
        m[n + 1] = NULL;
        *l = m;
        return 0;
}

int strv_extend(char ***l, const char *value)
{
        return strv_push(l, strdup(value));
}

char **strv_copy(char *const *l)
{
        char **r = calloc(1, sizeof(char *));
        if (!r)
                return NULL;
        for (size_t i = 0; l && l[i]; i++)
                if (strv_extend(&r, l[i]) < 0) {
                        strv_free(r);
                        return NULL;
                }
        return r;
}

bool strv_contains(char *const *l, const char *s)
{
        for (size_t i = 0; l && l[i]; i++)
                if (streq(l[i], s))
                        return true;
        return false;
}

char *path_join(const char *a, const char *b)
{
        size_t la = strlen(a);
        char *r;

        while (la > 0 && a[la - 1] == '/')
                la--;
        while (*b == '/')
                b++;
        if (asprintf(&r, "%.*s/%s", (int)la, a, b) < 0)
                return NULL;
        return r;
}

const char *path_basename(const char *path)
{
        const char *s = strrchr(path, '/');
        return s ? s + 1 : path;
}

void strip_trailing_space(char *s)
{
        size_t n = strlen(s);
        while (n > 0 && isspace((unsigned char)s[n - 1]))
                s[--n] = 0;
}

int safe_atou(const char *s, unsigned *ret)
{
        char *end;
        unsigned long v;

        if (!s || !isdigit((unsigned char)*s))
                return -EINVAL;
        errno = 0;
        v = strtoul(s, &end, 10);
        if (errno || *end || v > UINT_MAX)
                return -ERANGE;
        *ret = (unsigned)v;
        return 0;
}

char *strdup_printf(const char *fmt, ...)
{
        va_list ap;
        char *s;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&s, fmt, ap);
        va_end(ap);
        return n < 0 ? NULL : s;
}

bool all_digits(const char *s)
{
        if (!*s)
                return false;
        for (; *s; s++)
                if (!isdigit((unsigned char)*s))
                        return false;
        return true;
}

int file_line_error(char **ret_error, const char *filename, unsigned line, const char *fmt,
                    va_list ap)
{
        _cleanup_free_ char *what = NULL;

        if (vasprintf(&what, fmt, ap) < 0) {
                what = NULL;
                return -ENOMEM;
        }
        if (ret_error) {
                *ret_error = strdup_printf("%s:%u: %s", filename, line, what);
                if (!*ret_error)
                        return -ENOMEM;
        }
        return -EINVAL;
}

int64_t clock_usec(clockid_t id)
{
        struct timespec ts;

        if (clock_gettime(id, &ts) < 0)
                return -1;
        return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
