/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "boot-entry.h"
#include "util.h"

void boot_entry_done(struct boot_entry *e)
{
        if (!e)
                return;
        free(e->id);
        free(e->title);
        free(e->version);
        free(e->kernel);
        strv_free(e->initrds);
        free(e->options);
        free(e->sort_key);
        free(e->machine_id);
        free(e->root_uuid);
        free(e->file);
        free(e->source);
        *e = (struct boot_entry){};
}

void boot_entries_free(struct boot_entry *e, size_t n)
{
        for (size_t i = 0; e && i < n; i++)
                boot_entry_done(&e[i]);
        free(e);
}
