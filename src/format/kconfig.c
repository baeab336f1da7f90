/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kconfig.h"
#include "util.h"

int kconfig_bool(const char *text, const char *name)
{
        size_t n = strlen(name);
        int result = -1;

        for (const char *line = text; line && *line;) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t)(nl - line) : strlen(line);
                const char *v;

                if (len > n && strncmp(line, name, n) == 0 && line[n] == '=') {
                        v = line + n + 1;
                        if (len == n + 2 && (*v == 'y' || *v == 'm'))
                                result = 1;
                        else
                                result = 0;
                } else if (len == n + 13 && strncmp(line, "# ", 2) == 0 &&
                           strncmp(line + 2, name, n) == 0 &&
                           strncmp(line + 2 + n, " is not set", 11) == 0)
                        result = 0;
                line = nl ? nl + 1 : NULL;
        }
        return result;
}
