/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "module-name.h"
#include "util.h"

#define MODULE_NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

bool module_name_valid(const char *s)
{
        size_t n = strspn(s, MODULE_NAME_CHARS);
        return n > 0 && n <= MODULE_NAME_MAX && !s[n];
}

static char fold(char c)
{
        return c == '-' ? '_' : c;
}

int kernel_name_cmp(const char *a, const char *b)
{
        for (;; a++, b++) {
                char x = fold(*a), y = fold(*b);
                if (x != y || !x)
                        return (unsigned char)x - (unsigned char)y;
        }
}

bool kernel_name_equal_n(const char *a, size_t na, const char *b, size_t nb)
{
        if (na != nb)
                return false;
        for (size_t i = 0; i < na; i++)
                if (fold(a[i]) != fold(b[i]))
                        return false;
        return true;
}

bool module_names_contain(char *const *list, const char *name)
{
        for (size_t i = 0; list && list[i]; i++)
                if (kernel_name_equal(list[i], name))
                        return true;
        return false;
}
