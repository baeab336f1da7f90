/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cgroup.h"
#include "util.h"

/* What the kernel appends to the path of a cgroup that was removed while the process was
 * still in it. */
#define DELETED_SUFFIX " (deleted)"

static bool is_unit_name(const char *name, size_t len)
{
        static const char *const suffixes[] = {".service", ".scope"};

        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
                size_t n = strlen(suffixes[i]);
                if (len > n && memcmp(name + len - n, suffixes[i], n) == 0)
                        return true;
        }
        return false;
}

/* The last unit-looking component of a cgroup path ("/a.slice/b.service/sub" → b.service),
 * NULL for none. */
static const char *unit_in_path(const char *path, size_t len, size_t *ret_len)
{
        const char *best = NULL;
        size_t best_len = 0;

        if (len >= strlen(DELETED_SUFFIX) && memcmp(path + len - strlen(DELETED_SUFFIX),
                                                    DELETED_SUFFIX, strlen(DELETED_SUFFIX)) == 0)
                len -= strlen(DELETED_SUFFIX);
        for (size_t i = 0; i < len;) {
                const char *c = path + i;
                const char *slash = memchr(c, '/', len - i);
                size_t n = slash ? (size_t)(slash - c) : len - i;

                if (is_unit_name(c, n)) {
                        best = c;
                        best_len = n;
                }
                i += n + 1;
        }
        *ret_len = best_len;
        return best;
}

/* The cgroup path of the line for hierarchy "0:" (unified) or "name=systemd" (v1). */
static bool cgroup_line_path(const char *line, size_t len, bool unified, const char **ret,
                             size_t *ret_len)
{
        const char *c1 = memchr(line, ':', len), *c2;

        if (!c1)
                return false;
        c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line));
        if (!c2)
                return false;
        if (unified) {
                if (!(c1 - line == 1 && line[0] == '0' && c2 == c1 + 1))
                        return false;
        } else {
                /* The controller list is comma-separated: "1:name=systemd:" or, rarely,
                 * combined with others. */
                const char *p = c1 + 1;
                bool found = false;

                while (p < c2) {
                        const char *comma = memchr(p, ',', (size_t)(c2 - p));
                        size_t n = comma ? (size_t)(comma - p) : (size_t)(c2 - p);
                        if (n == strlen("name=systemd") && memcmp(p, "name=systemd", n) == 0)
                                found = true;
                        p += n + 1;
                }
                if (!found)
                        return false;
        }
        *ret = c2 + 1;
        *ret_len = len - (size_t)(c2 + 1 - line);
        return true;
}

static const char *cgroup_path_of(const char *text, bool unified, size_t *ret_len)
{
        const char *line = text;

        while (*line) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t)(nl - line) : strlen(line);
                const char *path;
                size_t path_len;

                if (cgroup_line_path(line, len, unified, &path, &path_len)) {
                        *ret_len = path_len;
                        return path;
                }
                line += len;
                if (*line == '\n')
                        line++;
        }
        return NULL;
}

/* The unit in the path of the line for this hierarchy: 0 with *ret NULL for none. */
static int unit_of(const char *text, bool unified, char **ret)
{
        const char *path, *unit = NULL;
        size_t len, unit_len = 0;
        char *copy = NULL;

        path = cgroup_path_of(text, unified, &len);
        if (path)
                unit = unit_in_path(path, len, &unit_len);
        if (unit) {
                copy = strndup(unit, unit_len);
                if (!copy)
                        return -ENOMEM;
        }
        *ret = copy;
        return 0;
}

int cgroup_unit(const char *text, char **ret)
{
        char *unit = NULL;
        int err;

        if (!text) {
                *ret = NULL;
                return 0;
        }
        /* The unified line is the systemd tree on v2 and hybrid hosts. On a v1 host that has
         * cgroup2 mounted somewhere it reads "0::/", and the name=systemd line is the truth. */
        err = unit_of(text, true, &unit);
        if (err >= 0 && !unit)
                err = unit_of(text, false, &unit);
        if (err < 0)
                return err;
        *ret = unit;
        return 0;
}

/* Whether the path has a component user@UID.service before its last one. */
static bool path_in_user_manager(const char *path, size_t len)
{
        const char *end = path + len;

        for (const char *c = path; c < end;) {
                const char *slash = memchr(c, '/', (size_t)(end - c));
                size_t n = slash ? (size_t)(slash - c) : (size_t)(end - c);

                if (slash && n > strlen("user@.service") && strncmp(c, "user@", 5) == 0 &&
                    is_unit_name(c, n) && memcmp(c + n - 8, ".service", 8) == 0)
                        return true;
                c += n + 1;
        }
        return false;
}

bool cgroup_in_user_manager(const char *text)
{
        const char *path;
        size_t len;

        if (!text)
                return false;
        path = cgroup_path_of(text, true, &len);
        if (!path || !unit_in_path(path, len, &(size_t){0}))
                path = cgroup_path_of(text, false, &len);
        return path && path_in_user_manager(path, len);
}
