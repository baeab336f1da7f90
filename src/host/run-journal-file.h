/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "rootdir.h"
#include "run-journal.h"

/*
 * The run journal on the machine (format/run-journal.h): written through the seam
 * (sys->write_private_file) before each step of the preparation, removed when the run
 * ends, by a hand-over or a complete rollback. One left behind tells of a run that was
 * killed, or of one still at work.
 */
#define RUN_JOURNAL_PARENT "/run"
#define RUN_JOURNAL_DIRNAME "warmboot"
#define RUN_JOURNAL_NAME "journal"
#define RUN_JOURNAL_PATH "/run/warmboot/journal"

enum run_journal_state {
        RUN_JOURNAL_NONE,        /* no journal, or a stale one of another boot */
        RUN_JOURNAL_RUNNING,     /* its warmboot still runs */
        RUN_JOURNAL_INTERRUPTED, /* its warmboot is gone and left the machine changed */
};

/* Reads and checks the journal as private_file_read() does. 0 with *ret filled and
 * *ret_state; 0 with RUN_JOURNAL_NONE and *ret empty when there is none or it is of
 * another boot; a negative errno when it cannot be used, with *ret_why one sentence
 * naming the file. */
int run_journal_read(const struct root *r, struct run_journal *ret,
                     enum run_journal_state *ret_state, char **ret_why);
int run_journal_save(const struct root *r, const struct run_journal *j);
/* Removes the journal: 0 also when there is none. */
int run_journal_remove(const struct root *r);
