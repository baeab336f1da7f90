/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load-record.h"
#include "util.h"

void load_record_done(struct load_record *rec)
{
        if (!rec)
                return;
        free(rec->boot_id);
        free(rec->options);
        free(rec->cmdline);
        for (size_t i = 0; i < rec->n_files; i++)
                free(rec->files[i].path);
        *rec = (struct load_record){};
}

/* A decimal number without sign, blanks or leading zeros, up to the next space or end. */
static const char *parse_u64(const char *s, uint64_t *ret)
{
        uint64_t v = 0;
        const char *p = s;

        if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
                return NULL;
        for (; *p >= '0' && *p <= '9'; p++) {
                if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
                        return NULL;
                v = v * 10 + (uint64_t)(*p - '0');
        }
        *ret = v;
        return p;
}

static int parse_file(const char *v, struct load_record_file *ret)
{
        uint64_t n[5];
        const char *p = v;

        for (size_t i = 0; i < 5; i++) {
                p = parse_u64(p, &n[i]);
                if (!p || *p != ' ')
                        return -EBADMSG;
                p++;
        }
        if (n[3] > INT64_MAX || n[4] > INT64_MAX)
                return -EBADMSG;
        for (size_t i = 0; i < 64; i++)
                if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
                        return -EBADMSG;
        if (p[64] != ' ' || p[65] != '/')
                return -EBADMSG;
        *ret = (struct load_record_file){.dev = n[0],
                                         .ino = n[1],
                                         .size = n[2],
                                         .mtime_ns = (int64_t)n[3],
                                         .ctime_ns = (int64_t)n[4]};
        memcpy(ret->sha256, p, 64);
        ret->sha256[64] = 0;
        ret->path = strdup(p + 65);
        return ret->path ? 0 : -ENOMEM;
}

/* Stores a copy of v in *slot; a second assignment of the same key is an error. */
static int set_once(char **slot, const char *v)
{
        if (*slot)
                return -EBADMSG;
        *slot = strdup(v);
        return *slot ? 0 : -ENOMEM;
}

static int parse_line(char *line, struct load_record *rec, bool *have_time)
{
        char *eq = strchr(line, '=');
        const char *v;
        uint64_t t;

        if (!eq)
                return -EBADMSG;
        *eq = 0;
        v = eq + 1;
        if (streq(line, "time")) {
                const char *end = parse_u64(v, &t);
                if (*have_time || !end || *end || t > INT64_MAX)
                        return -EBADMSG;
                rec->time = (int64_t)t;
                *have_time = true;
                return 0;
        }
        if (streq(line, "boot_id"))
                return *v ? set_once(&rec->boot_id, v) : -EBADMSG;
        if (streq(line, "options"))
                return set_once(&rec->options, v);
        if (streq(line, "cmdline"))
                return set_once(&rec->cmdline, v);
        if (streq(line, "file")) {
                int err;
                if (rec->n_files >= LOAD_RECORD_FILES_MAX)
                        return -EBADMSG;
                err = parse_file(v, &rec->files[rec->n_files]);
                if (err < 0)
                        return err;
                rec->n_files++;
                return 0;
        }
        return -EBADMSG; /* an unknown key: a record of another version */
}

int load_record_parse(const char *text, struct load_record *ret)
{
        _cleanup_free_ char *copy = NULL;
        struct load_record rec = {};
        bool have_time = false;
        char *line, *next;
        size_t magic = strlen(LOAD_RECORD_MAGIC);
        int err = 0;

        if (!text || strncmp(text, LOAD_RECORD_MAGIC, magic) != 0 || text[magic] != '\n')
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
                err = parse_line(line, &rec, &have_time);
        }
        if (err >= 0 &&
            (!have_time || !rec.boot_id || !rec.options || !rec.cmdline || rec.n_files == 0))
                err = -EBADMSG;
        if (err < 0) {
                load_record_done(&rec);
                return err;
        }
        *ret = rec;
        return 0;
}

static bool one_line(const char *s)
{
        return s && !strchr(s, '\n');
}

int load_record_format(const struct load_record *rec, char **ret)
{
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        FILE *f;
        bool ok;

        ok = one_line(rec->boot_id) && *rec->boot_id && one_line(rec->options) &&
             one_line(rec->cmdline) && rec->n_files > 0 && rec->n_files <= LOAD_RECORD_FILES_MAX &&
             rec->time >= 0;
        for (size_t i = 0; ok && i < rec->n_files; i++)
                ok = one_line(rec->files[i].path) && rec->files[i].path[0] == '/' &&
                     rec->files[i].mtime_ns >= 0 && rec->files[i].ctime_ns >= 0 &&
                     strlen(rec->files[i].sha256) == 64;
        if (!ok)
                return -EINVAL;
        f = open_memstream(&text, &len);
        if (!f)
                return -ENOMEM;
        fprintf(f, "%s\ntime=%" PRId64 "\nboot_id=%s\noptions=%s\ncmdline=%s\n", LOAD_RECORD_MAGIC,
                rec->time, rec->boot_id, rec->options, rec->cmdline);
        for (size_t i = 0; i < rec->n_files; i++) {
                const struct load_record_file *x = &rec->files[i];
                fprintf(f,
                        "file=%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRId64 " %" PRId64 " %s %s\n",
                        x->dev, x->ino, x->size, x->mtime_ns, x->ctime_ns, x->sha256, x->path);
        }
        if (fclose(f) != 0 || len > LOAD_RECORD_MAX)
                return len > LOAD_RECORD_MAX ? -EINVAL : -ENOMEM;
        *ret = text;
        text = NULL;
        return 0;
}
