/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdarg.h>
#include <stdint.h>
#include <time.h>

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

static inline void freep(void *p)
{
        free(*(void **)p);
}

static inline void closep(int *fd)
{
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}

static inline void fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}

void strv_free(char **l);
static inline void strv_freep(char ***l)
{
        strv_free(*l);
}

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_strv_free_ _cleanup_(strv_freep)

/* Hand a pointer or descriptor out of a scope that would otherwise clean it up. */
#define TAKE_PTR(p)                                                                                \
        ({                                                                                         \
                __typeof__(p) _t = (p);                                                            \
                (p) = NULL;                                                                        \
                _t;                                                                                \
        })
#define TAKE_FD(fd)                                                                                \
        ({                                                                                         \
                int _t = (fd);                                                                     \
                (fd) = -1;                                                                         \
                _t;                                                                                \
        })

static inline bool streq(const char *a, const char *b)
{
        return strcmp(a, b) == 0;
}

static inline bool streq_ptr(const char *a, const char *b)
{
        if (!a || !b)
                return a == b;
        return streq(a, b);
}

/* Returns the rest of s after prefix, or NULL when s does not start with it. */
static inline const char *startswith(const char *s, const char *prefix)
{
        size_t n = strlen(prefix);
        return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

bool endswith(const char *s, const char *suffix);

/* A NULL-terminated array of strings; NULL stands for the empty list. */
size_t strv_length(char *const *l);
int strv_push(char ***l, char *value); /* takes value, also on failure */
int strv_extend(char ***l, const char *value);
char **strv_copy(char *const *l);
bool strv_contains(char *const *l, const char *s);

/* Joins parts with '/', collapsing duplicate slashes at the joints. */
char *path_join(const char *a, const char *b);
const char *path_basename(const char *path);

/* Strips trailing whitespace (newlines from /proc files) in place. */
void strip_trailing_space(char *s);

int safe_atou(const char *s, unsigned *ret);
/* The clock id in microseconds; -1 when it cannot be read. */
int64_t clock_usec(clockid_t id);
/* A non-empty string of decimal digits. */
bool all_digits(const char *s);

/* asprintf() that returns the string, or NULL when out of memory. */
char *strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A parser's error sentence: *ret_error = "FILE:LINE: what" (when ret_error is not NULL).
 * Returns -EINVAL, or -ENOMEM when the sentence cannot be made. */
int file_line_error(char **ret_error, const char *filename, unsigned line, const char *fmt,
                    va_list ap) __attribute__((format(printf, 4, 0)));
