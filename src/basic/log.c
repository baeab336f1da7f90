/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

static void log_line(const char *prefix, const char *fmt, va_list ap, int err)
{
        fputs(prefix, stderr);
        vfprintf(stderr, fmt, ap);
        if (err != 0)
                fprintf(stderr, ": %s", strerror(err < 0 ? -err : err));
        fputc('\n', stderr);
}

void log_error(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        log_line("warmboot: ", fmt, ap, 0);
        va_end(ap);
}

void log_warning(const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        log_line("warmboot: warning: ", fmt, ap, 0);
        va_end(ap);
}

int log_error_errno(int err, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        log_line("warmboot: ", fmt, ap, err);
        va_end(ap);
        return err;
}
