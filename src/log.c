/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>

#include "verbs.h"

/* Messages for the user, one line each on stderr. Library code returns errors; only the
 * verbs print them. */
void log_error(const char *fmt, ...)
{
        va_list ap;

        fputs("warmboot: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}

void log_warning(const char *fmt, ...)
{
        va_list ap;

        fputs("warmboot: warning: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
}
