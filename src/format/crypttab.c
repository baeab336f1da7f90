/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>

#include "crypttab.h"
#include "util.h"

#define BLANKS " \t\r\v\f"
#define DM_NAME_MAX 127 /* DM_NAME_LEN less its NUL */

static void entry_done(struct crypttab_entry *e)
{
        free(e->name);
        free(e->device);
        free(e->key_file);
        free(e->options);
        free(e->tpm2_device);
        free(e->tpm2_pcrs);
}

void crypttab_done(struct crypttab *t)
{
        if (!t)
                return;
        for (size_t i = 0; i < t->n_entries; i++)
                entry_done(&t->entries[i]);
        free(t->entries);
        *t = (struct crypttab){};
}

static int fail(char **ret_error, const char *filename, unsigned line, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static int fail(char **ret_error, const char *filename, unsigned line, const char *fmt, ...)
{
        va_list ap;
        int err;

        va_start(ap, fmt);
        err = file_line_error(ret_error, filename, line, fmt, ap);
        va_end(ap);
        return err;
}

/* Replaces *slot with a copy of value (NULL for the empty value, which resets the option
 * in systemd-cryptsetup). */
static int set_value(char **slot, const char *value)
{
        char *copy = NULL;

        if (*value) {
                copy = strdup(value);
                if (!copy)
                        return -ENOMEM;
        }
        free(*slot);
        *slot = copy;
        return 0;
}

static int apply_option(struct crypttab_entry *e, const char *word)
{
        const char *v;

        if ((v = startswith(word, "tpm2-device=")))
                return set_value(&e->tpm2_device, v);
        if ((v = startswith(word, "tpm2-pcrs=")))
                return set_value(&e->tpm2_pcrs, v);
        if ((v = startswith(word, "tpm2-pcrlock=")))
                e->tpm2_pcrlock = *v;
        else if (streq(word, "noauto"))
                e->noauto = true;
        else if (streq(word, "auto"))
                e->noauto = false;
        else if (streq(word, "nofail"))
                e->nofail = true;
        else if (streq(word, "fail"))
                e->nofail = false;
        return 0;
}

/* Walks the comma-separated options, "\," standing for a comma; empty words are skipped,
 * as systemd-cryptsetup does. */
static int parse_options(struct crypttab_entry *e, const char *options)
{
        _cleanup_free_ char *word = malloc(strlen(options) + 1);
        const char *p = options;

        if (!word)
                return -ENOMEM;
        while (*p) {
                size_t n = 0;
                int err;

                for (; *p && *p != ','; p++) {
                        if (p[0] == '\\' && p[1] == ',')
                                p++;
                        word[n++] = *p;
                }
                word[n] = 0;
                if (*p == ',')
                        p++;
                if (!n)
                        continue;
                err = apply_option(e, word);
                if (err < 0)
                        return err;
        }
        return 0;
}

static bool name_is_valid(const char *name)
{
        return strlen(name) <= DM_NAME_MAX && !strchr(name, '/') && !streq(name, ".") &&
               !streq(name, "..");
}

/* Splits line into at most five blank-separated fields, NUL-terminating them in place. */
static size_t split_fields(char *line, char *field[5])
{
        size_t n = 0;
        char *save = NULL;

        for (char *w = strtok_r(line, BLANKS, &save); w && n < 5; w = strtok_r(NULL, BLANKS, &save))
                field[n++] = w;
        return n;
}

static int parse_line(char *line, const char *filename, unsigned number, struct crypttab_entry *e,
                      char **ret_error)
{
        char *field[5];
        size_t n = split_fields(line, field);
        bool has_key;

        if (n == 1)
                return fail(ret_error, filename, number,
                            "'%s' has no device (a line is NAME DEVICE [KEYFILE [OPTIONS]])",
                            field[0]);
        if (n > 4)
                return fail(ret_error, filename, number,
                            "more than four fields: a blank after the options '%s' (a line is "
                            "NAME DEVICE [KEYFILE [OPTIONS]])",
                            field[3]);
        if (!name_is_valid(field[0]))
                return fail(ret_error, filename, number,
                            "'%s' cannot be a device-mapper name (at most %d characters, no "
                            "'/')",
                            field[0], DM_NAME_MAX);
        has_key = n > 2 && !streq(field[2], "-") && !streq(field[2], "none");
        *e = (struct crypttab_entry){.line = number};
        e->name = strdup(field[0]);
        e->device = strdup(field[1]);
        if (has_key)
                e->key_file = strdup(field[2]);
        if (n > 3)
                e->options = strdup(field[3]);
        if (!e->name || !e->device || (has_key && !e->key_file) || (n > 3 && !e->options))
                return -ENOMEM;
        return e->options ? parse_options(e, e->options) : 0;
}

int crypttab_parse(const char *text, const char *filename, struct crypttab *ret, char **ret_error)
{
        _cleanup_free_ char *copy = strdup(text);
        struct crypttab t = {};
        char *p = copy, *line;
        unsigned number = 0;

        if (!copy)
                return -ENOMEM;
        while ((line = strsep(&p, "\n"))) {
                struct crypttab_entry e = {}, *more;
                int err;

                number++;
                line += strspn(line, BLANKS);
                if (!*line || *line == '#')
                        continue;
                err = parse_line(line, filename, number, &e, ret_error);
                if (err >= 0) {
                        more = realloc(t.entries, sizeof(*more) * (t.n_entries + 1));
                        err = more ? 0 : -ENOMEM;
                        if (more) {
                                t.entries = more;
                                t.entries[t.n_entries++] = e;
                        }
                }
                if (err < 0) {
                        entry_done(&e);
                        crypttab_done(&t);
                        return err;
                }
        }
        *ret = t;
        return 0;
}
