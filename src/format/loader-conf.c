/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fnmatch.h>
#include <limits.h>

#include "loader-conf.h"
#include "util.h"

static bool is_blank(char c)
{
        return c == ' ' || c == '\t';
}

/* The value of a "default" line in [line, end), blanks around the line included; NULL
 * when the line is another key, a comment or has no value. */
static const char *default_value(const char *line, const char *end, size_t *ret_len)
{
        const char *v;

        while (line < end && is_blank(*line))
                line++;
        while (end > line && is_blank(end[-1]))
                end--;
        if ((size_t)(end - line) < strlen("default") + 1 ||
            memcmp(line, "default", strlen("default")) != 0 || !is_blank(line[strlen("default")]))
                return NULL;
        v = line + strlen("default");
        while (v < end && is_blank(*v))
                v++;
        if (end - v >= 2 && v[0] == '"' && end[-1] == '"') {
                v++;
                end--;
        }
        *ret_len = (size_t)(end - v);
        return v;
}

int loader_conf_default(const char *text, char **ret)
{
        const char *value = NULL;
        size_t len = 0;
        char *copy = NULL;

        for (const char *line = text; line && *line;) {
                size_t n = strcspn(line, "\r\n"), value_len;
                const char *v = default_value(line, line + n, &value_len);

                if (v) {
                        value = v;
                        len = value_len;
                }
                line += n;
                if (*line)
                        line++;
        }
        if (value) {
                copy = strndup(value, len);
                if (!copy)
                        return -ENOMEM;
        }
        *ret = copy;
        return 0;
}

bool loader_entry_matches(const char *pattern, const char *id)
{
        char conf[NAME_MAX + sizeof(".conf")];

        if (fnmatch(pattern, id, FNM_CASEFOLD) == 0)
                return true;
        /* Entry ids are file names: NAME_MAX at most. */
        if (strlen(id) > NAME_MAX)
                return false;
        snprintf(conf, sizeof(conf), "%s.conf", id);
        return fnmatch(pattern, conf, FNM_CASEFOLD) == 0;
}
