/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "boot-entries.h"
#include "table.h"
#include "util.h"
#include "verbs.h"

/* One entry as list shows it: the same fields as text and as JSON. */
static struct table *entry_table(const struct entry_list *l, size_t i)
{
        const struct boot_entry *e = &l->entries[i];
        bool is_default = (ssize_t)i == l->default_index, running = (ssize_t)i == l->running_index;
        const char *from = is_default ? default_from_to_string(l->default_from) : NULL;
        _cleanup_free_ char *title = NULL, *source = NULL, *why = NULL;
        struct table *t = table_new();

        if (!t)
                return NULL;
        /* Why it is the default, where a setting says so: the first entry needs no reason. */
        why = !is_default ? strdup("")
              : !from || l->default_from == DEFAULT_FROM_FIRST
                      ? strdup(" (default)")
                      : strdup_printf(" (default: %s)", from);
        title = why ? strdup_printf("%s%s%s", e->title ? e->title : e->id, why,
                                    running ? " (running)" : "")
                    : NULL;
        source = strdup_printf("%s%s%s", e->source, e->file ? " " : "", e->file ? e->file : "");
        if (!title || !source)
                table_fail(t);
        table_add_string(t, "title", "title", e->title, title);
        table_add_string(t, "id", "id", e->id, NULL);
        table_add_string(t, "source", "source", e->source, source);
        table_add_string(t, "file", NULL, e->file, NULL); /* in source's text */
        table_add_string(t, "version", "version", e->version, NULL);
        table_add_string(t, "kernel", "linux", e->kernel, NULL);
        table_add_strv(t, "initrds", "initrd", e->initrds,
                       e->uki ? "(the UKI's own .ucode and .initrd)" : "(none)");
        /* An entry without a line of its own boots with the running one, edited. */
        table_add_string(t, "cmdline", "options", e->options,
                         e->options ? NULL : "(none: the running command line is used)");
        table_add_bool(t, "uki", NULL, e->uki, NULL);          /* source "uki" says it */
        table_add_bool(t, "default", NULL, is_default, NULL);  /* in title's text */
        table_add_string(t, "default_from", NULL, from, NULL); /* so is this */
        table_add_bool(t, "running", NULL, running, NULL);
        return t;
}

int entry_list_print(const struct entry_list *l, bool json, FILE *f)
{
        struct table **tables = calloc(l->n + 1, sizeof(struct table *));
        int err = tables ? 0 : -ENOMEM;

        for (size_t i = 0; err >= 0 && i < l->n; i++) {
                tables[i] = entry_table(l, i);
                err = table_status(tables[i]);
        }
        if (err >= 0 && json)
                tables_print_json(tables, l->n, f);
        for (size_t i = 0; err >= 0 && !json && i < l->n; i++) {
                if (i)
                        fputc('\n', f);
                table_print_text(tables[i], f, TABLE_RIGHT, 8);
        }
        for (size_t i = 0; tables && i < l->n; i++)
                table_free(tables[i]);
        free(tables);
        return err;
}

int verb_list(const struct verb_context *c)
{
        struct entry_list l;
        int err;

        err = entries_of_machine(c->root, &l);
        if (err < 0) {
                log_error_errno(err, "cannot read the boot entries");
                return EXIT_FAILED;
        }
        for (size_t i = 0; l.warnings && l.warnings[i]; i++)
                log_warning("%s", l.warnings[i]);
        err = entry_list_print(&l, c->json, stdout);
        entry_list_done(&l);
        if (err < 0) {
                log_error_errno(err, "cannot show the boot entries");
                return EXIT_FAILED;
        }
        return EXIT_OK;
}
