/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <inttypes.h>

#include "json.h"
#include "table.h"
#include "util.h"

enum field_type {
        FIELD_STRING,
        FIELD_STRV,
        FIELD_BOOL,
        FIELD_UINT,
        FIELD_SECONDS,
        FIELD_TABLE,
        FIELD_TABLES,
};

struct field {
        const char *key, *label;
        enum field_type type;
        char *string;
        char **strv;
        int boolean;
        uint64_t number;
        int64_t usec; /* FIELD_SECONDS: < 0 is null */
        struct table **tables;
        size_t n_tables;
        char *text;        /* how the value reads in text; NULL: the value itself */
        char **text_lines; /* FIELD_STRV and FIELD_TABLES: NULL: the values */
};

struct table {
        struct field *fields;
        size_t n;
        int status;
};

struct table *table_new(void)
{
        return calloc(1, sizeof(struct table));
}

static void field_done(struct field *f)
{
        free(f->string);
        strv_free(f->strv);
        for (size_t i = 0; i < f->n_tables; i++)
                table_free(f->tables[i]);
        free(f->tables);
        free(f->text);
        strv_free(f->text_lines);
}

struct table *table_free(struct table *t)
{
        if (!t)
                return NULL;
        for (size_t i = 0; i < t->n; i++)
                field_done(&t->fields[i]);
        free(t->fields);
        free(t);
        return NULL;
}

int table_status(const struct table *t)
{
        return t ? t->status : -ENOMEM;
}

void table_fail(struct table *t)
{
        t->status = -ENOMEM;
}

/* A new field at the end, or NULL (remembered) when there is no memory for it. */
static struct field *field_new(struct table *t, const char *key, const char *label,
                               enum field_type type, const char *text)
{
        struct field *m;

        if (t->status < 0)
                return NULL;
        m = realloc(t->fields, sizeof(*m) * (t->n + 1));
        if (!m) {
                t->status = -ENOMEM;
                return NULL;
        }
        t->fields = m;
        m = &t->fields[t->n];
        *m = (struct field){.key = key, .label = label, .type = type};
        if (text && !(m->text = strdup(text))) {
                t->status = -ENOMEM;
                return NULL;
        }
        t->n++;
        return m;
}

void table_add_string(struct table *t, const char *key, const char *label, const char *value,
                      const char *text)
{
        struct field *f = field_new(t, key, label, FIELD_STRING, text);

        if (!f)
                return;
        f->string = value ? strdup(value) : NULL;
        if (value && !f->string)
                t->status = -ENOMEM;
}

void table_add_strv(struct table *t, const char *key, const char *label, char *const *value,
                    const char *text_empty)
{
        struct field *f = field_new(t, key, label, FIELD_STRV, text_empty);

        if (!f)
                return;
        f->strv = value ? strv_copy(value) : calloc(1, sizeof(char *));
        if (!f->strv)
                t->status = -ENOMEM;
}

void table_add_strv_lines(struct table *t, const char *key, const char *label, char *const *value,
                          char **lines, const char *text_empty)
{
        struct field *f = field_new(t, key, label, FIELD_STRV, text_empty);

        if (!f) {
                strv_free(lines);
                return;
        }
        f->strv = value ? strv_copy(value) : calloc(1, sizeof(char *));
        f->text_lines = lines;
        if (!f->strv)
                t->status = -ENOMEM;
}

void table_add_bool(struct table *t, const char *key, const char *label, int value,
                    const char *text)
{
        struct field *f = field_new(t, key, label, FIELD_BOOL, text);

        if (f)
                f->boolean = value;
}

void table_add_uint(struct table *t, const char *key, const char *label, uint64_t value)
{
        struct field *f = field_new(t, key, label, FIELD_UINT, NULL);

        if (f)
                f->number = value;
}

void table_add_seconds(struct table *t, const char *key, const char *label, int64_t usec,
                       const char *text)
{
        struct field *f = field_new(t, key, label, FIELD_SECONDS, text);

        if (f)
                f->usec = usec;
}

void table_add_table(struct table *t, const char *key, const char *label, struct table *sub,
                     const char *text)
{
        struct field *f = field_new(t, key, label, FIELD_TABLE, text);

        if (!f || (sub && sub->status < 0)) {
                t->status = -ENOMEM;
                table_free(sub);
                return;
        }
        if (!sub)
                return;
        f->tables = malloc(sizeof(struct table *));
        if (!f->tables) {
                t->status = -ENOMEM;
                table_free(sub);
                return;
        }
        f->tables[0] = sub;
        f->n_tables = 1;
}

void table_add_table_lines(struct table *t, const char *key, const char *label, struct table *sub,
                           char **lines, const char *text_empty)
{
        size_t n = t->n;

        table_add_table(t, key, label, sub, text_empty);
        if (t->n == n + 1 && t->status >= 0)
                t->fields[n].text_lines = lines;
        else
                strv_free(lines);
}

void table_add_tables(struct table *t, const char *key, const char *label, struct table **subs,
                      size_t n, char **text_lines, const char *text_empty)
{
        struct field *f = field_new(t, key, label, FIELD_TABLES, text_empty);

        if (f) {
                f->tables = subs;
                f->n_tables = n;
                f->text_lines = text_lines;
                for (size_t i = 0; i < n; i++)
                        if (!subs[i] || subs[i]->status < 0)
                                t->status = -ENOMEM;
                return;
        }
        for (size_t i = 0; i < n; i++)
                table_free(subs[i]);
        free(subs);
        strv_free(text_lines);
}

static void print_label(FILE *out, const char *label, bool first, enum table_align align, int width)
{
        if (!first)
                fprintf(out, "%*s", align == TABLE_RIGHT ? width + 2 : width, "");
        else if (align == TABLE_RIGHT)
                fprintf(out, "%*s: ", width, label);
        else
                fprintf(out, "%s:%*s", label, width - (int)strlen(label) - 1, "");
}

static void print_lines(FILE *out, const char *label, char *const *lines, const char *empty,
                        enum table_align align, int width)
{
        if (!lines || !lines[0]) {
                print_label(out, label, true, align, width);
                fprintf(out, "%s\n", empty ? empty : "(none)");
                return;
        }
        for (size_t i = 0; lines[i]; i++) {
                print_label(out, label, i == 0, align, width);
                fprintf(out, "%s\n", lines[i]);
        }
}

void table_print_text(const struct table *t, FILE *out, enum table_align align, int width)
{
        for (size_t i = 0; i < t->n; i++) {
                const struct field *f = &t->fields[i];
                const char *value = f->text;

                if (!f->label)
                        continue;
                if (f->type == FIELD_STRV) {
                        print_lines(out, f->label, f->text_lines ? f->text_lines : f->strv, f->text,
                                    align, width);
                        continue;
                }
                if (f->type == FIELD_TABLES || (f->type == FIELD_TABLE && f->text_lines)) {
                        print_lines(out, f->label, f->text_lines, f->text, align, width);
                        continue;
                }
                print_label(out, f->label, true, align, width);
                if (!value && f->type == FIELD_STRING)
                        value = f->string ? f->string : "(none)";
                if (!value && f->type == FIELD_BOOL)
                        value = f->boolean < 0 ? "unknown" : f->boolean ? "yes" : "no";
                if (value)
                        fprintf(out, "%s\n", value);
                else if (f->type == FIELD_UINT)
                        fprintf(out, "%" PRIu64 "\n", f->number);
                else if (f->type == FIELD_SECONDS && f->usec >= 0)
                        fprintf(out, "%.1f s\n", (double)f->usec / 1e6);
                else
                        fputs("(none)\n", out);
        }
}

void table_print_json(const struct table *t, FILE *out)
{
        fputc('{', out);
        for (size_t i = 0; i < t->n; i++) {
                const struct field *f = &t->fields[i];

                fprintf(out, "%s\"%s\": ", i ? ", " : "", f->key);
                switch (f->type) {
                case FIELD_STRING:
                        json_string_or_null(out, f->string);
                        break;
                case FIELD_STRV:
                        json_strv(out, f->strv);
                        break;
                case FIELD_BOOL:
                        fputs(f->boolean < 0 ? "null" : f->boolean ? "true" : "false", out);
                        break;
                case FIELD_UINT:
                        fprintf(out, "%" PRIu64, f->number);
                        break;
                case FIELD_SECONDS:
                        if (f->usec >= 0)
                                fprintf(out, "%" PRId64 ".%03" PRId64, f->usec / 1000000,
                                        f->usec % 1000000 / 1000);
                        else
                                fputs("null", out);
                        break;
                case FIELD_TABLE:
                        if (f->n_tables)
                                table_print_json(f->tables[0], out);
                        else
                                fputs("null", out);
                        break;
                case FIELD_TABLES:
                        fputc('[', out);
                        for (size_t k = 0; k < f->n_tables; k++) {
                                if (k)
                                        fputs(", ", out);
                                table_print_json(f->tables[k], out);
                        }
                        fputc(']', out);
                        break;
                }
        }
        fputc('}', out);
}

void tables_print_json(struct table *const *t, size_t n, FILE *out)
{
        fputc('[', out);
        for (size_t i = 0; i < n; i++) {
                if (i)
                        fputs(", ", out);
                table_print_json(t[i], out);
        }
        fputs("]\n", out);
}
