/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "env-file.h"
#include "util.h"

int env_file_get(const char *text, const char *key, char **ret)
{
        const char *value = NULL;
        size_t key_len = strlen(key), n = 0;
        char *copy;

        for (const char *line = text; line && *line;) {
                const char *end = strchrnul(line, '\n');

                if ((size_t)(end - line) > key_len && strncmp(line, key, key_len) == 0 &&
                    line[key_len] == '=') {
                        value = line + key_len + 1;
                        n = (size_t)(end - value);
                }
                line = *end ? end + 1 : end;
        }
        if (!value) {
                *ret = NULL;
                return 0;
        }
        if (n >= 2 && (value[0] == '"' || value[0] == '\'') && value[n - 1] == value[0]) {
                value++;
                n -= 2;
        }
        copy = strndup(value, n);
        if (!copy)
                return -ENOMEM;
        *ret = copy;
        return 0;
}
