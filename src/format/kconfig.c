/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kconfig.h"
#include "util.h"

/* Whether p is where a line ends: at a newline or the end of the text. */
static bool ends_line(const char *p)
{
        return *p == '\n' || *p == '\0';
}

int kconfig_bool(const char *text, const char *name)
{
        size_t n = strlen(name);
        int result = -1;

        /* A config holds thousands of lines and mentions a name once or twice: go from
         * mention to mention rather than line by line. */
        for (const char *p = n ? strstr(text, name) : NULL; p; p = strstr(p + n, name)) {
                bool line_start = p == text || p[-1] == '\n';
                const char *v = p + n;

                if (line_start && *v == '=')
                        result = (v[1] == 'y' || v[1] == 'm') && ends_line(v + 2) ? 1 : 0;
                else if (p - text >= 2 && p[-1] == ' ' && p[-2] == '#' &&
                         (p - text == 2 || p[-3] == '\n') && strncmp(v, " is not set", 11) == 0 &&
                         ends_line(v + 11))
                        result = 0;
        }
        return result;
}
