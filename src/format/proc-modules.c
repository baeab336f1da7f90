/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "module-name.h"
#include "proc-modules.h"
#include "util.h"

/* The next space-separated field, NUL-terminated in place; NULL at the end of the line. */
static char *next_field(char **p)
{
        char *s = *p, *e;

        while (*s == ' ')
                s++;
        if (!*s)
                return NULL;
        e = strchr(s, ' ');
        if (e)
                *e++ = 0;
        *p = e ? e : s + strlen(s);
        return s;
}

static bool is_flag(const char *item)
{
        return streq(item, "[permanent]") || streq(item, "[unsafe]");
}

/* "drm_kms_helper,drm_shmem_helper," or "-": the names, as a strv of copies. */
static int parse_used_by(char *field, char ***ret)
{
        _cleanup_strv_free_ char **names = NULL;
        size_t max = 1, n = 0;
        char *p = field, *item;

        for (const char *c = field; *c; c++)
                max += *c == ',';
        names = calloc(max + 1, sizeof(char *));
        if (!names)
                return -ENOMEM;
        if (!streq(field, "-"))
                while ((item = strsep(&p, ","))) {
                        if (!*item || is_flag(item))
                                continue;
                        if (!module_name_valid(item))
                                return -EBADMSG;
                        names[n] = strdup(item);
                        if (!names[n++])
                                return -ENOMEM;
                }
        *ret = TAKE_PTR(names);
        return 0;
}

int proc_modules_parse_line(char *line, struct proc_module_line *ret)
{
        char *p = line, *name, *size, *refcnt, *used_by, **users = NULL;
        unsigned n, count = 0;
        int err;

        name = next_field(&p);
        size = next_field(&p);
        refcnt = next_field(&p);
        used_by = next_field(&p);
        if (!used_by || !module_name_valid(name) || safe_atou(size, &n) < 0)
                return -EBADMSG;
        if (!streq(refcnt, "-") && safe_atou(refcnt, &count) < 0)
                return -EBADMSG;
        err = parse_used_by(used_by, &users);
        if (err < 0)
                return err;
        *ret = (struct proc_module_line){.name = name, .refcnt = count, .used_by = users};
        return 0;
}

void proc_module_line_done(struct proc_module_line *l)
{
        if (!l)
                return;
        strv_free(l->used_by);
        *l = (struct proc_module_line){};
}
