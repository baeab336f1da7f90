/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "boot-entries.h"
#include "util.h"
#include "verbs.h"

int verb_list(const struct verb_context *c)
{
        struct entry_list l;
        int err;

        err = entries_of_machine(c->root, &l);
        if (err < 0) {
                log_error("cannot read the boot entries: %s", strerror(-err));
                return EXIT_FAILED;
        }
        for (size_t i = 0; l.warnings && l.warnings[i]; i++)
                log_warning("%s", l.warnings[i]);
        if (c->json)
                entries_print_json(&l, stdout);
        else
                entries_print_text(&l, stdout);
        entry_list_done(&l);
        return EXIT_OK;
}
