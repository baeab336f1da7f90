/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "mountinfo.h"
#include "util.h"

/* Undoes mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
        char *w = s;

        for (char *p = s; *p; p++) {
                if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
                    p[3] >= '0' && p[3] <= '7') {
                        *w++ = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 | (p[3] - '0'));
                        p += 3;
                } else
                        *w++ = *p;
        }
        *w = 0;
}

int mountinfo_foreach(const char *text, int (*fn)(const struct mount_entry *m, void *userdata),
                      void *userdata)
{
        _cleanup_free_ char *copy = strdup(text);
        char *save = NULL;

        if (!copy)
                return -ENOMEM;
        /* ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER */
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *field[6], *sep = strstr(line, " - "), *s2 = NULL;
                struct mount_entry m;
                size_t n = 0;
                int r;

                if (!sep)
                        continue;
                *sep = 0;
                m.fstype = strtok_r(sep + 3, " ", &s2);
                m.source = m.fstype ? strtok_r(NULL, " ", &s2) : NULL;
                for (char *w = strtok_r(line, " ", &s2); w && n < 6; w = strtok_r(NULL, " ", &s2))
                        field[n++] = w;
                if (n < 6 || !m.fstype)
                        continue;
                unescape(field[4]);
                m.root = field[3];
                m.mount_point = field[4];
                m.options = field[5];
                r = fn(&m, userdata);
                if (r != 0)
                        return r;
        }
        return 0;
}
