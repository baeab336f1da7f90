/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run-journal.h"
#include "util.h"

/* At most this many units or modules: more is not a journal warmboot wrote. */
#define RUN_JOURNAL_ITEMS_MAX 1024u

void run_journal_done(struct run_journal *j)
{
        if (!j)
                return;
        free(j->boot_id);
        free(j->kernel);
        free(j->isolated_from);
        strv_free(j->stopped_units);
        strv_free(j->removed_modules);
        *j = (struct run_journal){};
}

/* A decimal number without sign or leading zeros that fills all of s, at most max. */
static int parse_number(const char *s, int64_t max, int64_t *ret)
{
        int64_t v = 0;

        if (*s < '0' || *s > '9' || (*s == '0' && s[1]))
                return -EBADMSG;
        for (; *s >= '0' && *s <= '9'; s++) {
                if (v > (max - (*s - '0')) / 10)
                        return -EBADMSG;
                v = v * 10 + (*s - '0');
        }
        if (*s)
                return -EBADMSG;
        *ret = v;
        return 0;
}

static int set_once(char **slot, const char *v)
{
        if (*slot || !*v)
                return -EBADMSG;
        *slot = strdup(v);
        return *slot ? 0 : -ENOMEM;
}

static int add_item(char ***l, const char *v)
{
        if (!*v || strv_length(*l) >= RUN_JOURNAL_ITEMS_MAX)
                return -EBADMSG;
        return strv_extend(l, v);
}

static int parse_line(char *line, struct run_journal *j, bool *have_started)
{
        char *eq = strchr(line, '=');
        const char *v;
        int64_t n;
        int err;

        if (!eq)
                return -EBADMSG;
        *eq = 0;
        v = eq + 1;
        if (streq(line, "pid")) {
                err = parse_number(v, INT32_MAX, &n);
                if (err < 0 || n == 0 || j->pid != 0)
                        return -EBADMSG;
                j->pid = (int)n;
                return 0;
        }
        if (streq(line, "started")) {
                err = parse_number(v, INT64_MAX, &n);
                if (err < 0 || *have_started)
                        return -EBADMSG;
                j->started = n;
                *have_started = true;
                return 0;
        }
        if (streq(line, "boot_id"))
                return set_once(&j->boot_id, v);
        if (streq(line, "kernel"))
                return *v == '/' ? set_once(&j->kernel, v) : -EBADMSG;
        if (streq(line, "isolated_from"))
                return set_once(&j->isolated_from, v);
        if (streq(line, "stopped_unit"))
                return add_item(&j->stopped_units, v);
        if (streq(line, "removed_module"))
                return add_item(&j->removed_modules, v);
        return -EBADMSG; /* an unknown key: a journal of another version */
}

int run_journal_parse(const char *text, struct run_journal *ret)
{
        _cleanup_free_ char *copy = NULL;
        struct run_journal j = {};
        bool have_started = false;
        size_t magic = strlen(RUN_JOURNAL_MAGIC);
        char *line, *next;
        int err = 0;

        if (!text || strncmp(text, RUN_JOURNAL_MAGIC, magic) != 0 || text[magic] != '\n')
                return -EBADMSG;
        copy = strdup(text + magic + 1);
        if (!copy)
                return -ENOMEM;
        for (line = copy; *line && err >= 0; line = next) {
                next = strchr(line, '\n');
                if (!next) {
                        err = -EBADMSG; /* the last line is cut */
                        break;
                }
                *next++ = 0;
                err = parse_line(line, &j, &have_started);
        }
        if (err >= 0 && (j.pid == 0 || !have_started))
                err = -EBADMSG;
        if (err < 0) {
                run_journal_done(&j);
                return err;
        }
        *ret = j;
        return 0;
}

static bool value_ok(const char *s)
{
        return s && *s && !strchr(s, '\n');
}

static bool items_ok(char *const *l)
{
        size_t n = 0;

        for (; l && l[n]; n++)
                if (!value_ok(l[n]))
                        return false;
        return n <= RUN_JOURNAL_ITEMS_MAX;
}

int run_journal_format(const struct run_journal *j, char **ret)
{
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        FILE *f;

        if (j->pid <= 0 || (j->boot_id && !value_ok(j->boot_id)) || j->started < 0 ||
            (j->kernel && (!value_ok(j->kernel) || j->kernel[0] != '/')) ||
            (j->isolated_from && !value_ok(j->isolated_from)) || !items_ok(j->stopped_units) ||
            !items_ok(j->removed_modules))
                return -EINVAL;
        f = open_memstream(&text, &len);
        if (!f)
                return -ENOMEM;
        fprintf(f, "%s\npid=%d\nstarted=%" PRId64 "\n", RUN_JOURNAL_MAGIC, j->pid, j->started);
        if (j->boot_id)
                fprintf(f, "boot_id=%s\n", j->boot_id);
        if (j->kernel)
                fprintf(f, "kernel=%s\n", j->kernel);
        if (j->isolated_from)
                fprintf(f, "isolated_from=%s\n", j->isolated_from);
        for (size_t i = 0; j->stopped_units && j->stopped_units[i]; i++)
                fprintf(f, "stopped_unit=%s\n", j->stopped_units[i]);
        for (size_t i = 0; j->removed_modules && j->removed_modules[i]; i++)
                fprintf(f, "removed_module=%s\n", j->removed_modules[i]);
        if (fclose(f) != 0 || len > RUN_JOURNAL_MAX)
                return len > RUN_JOURNAL_MAX ? -EINVAL : -ENOMEM;
        *ret = TAKE_PTR(text);
        return 0;
}
