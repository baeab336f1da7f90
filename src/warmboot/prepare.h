/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"
#include "rootdir.h"
#include "run-journal-file.h"

/*
 * Everything warmboot changed on the way to the hand-over, in order, so that a failure at
 * any step can put the machine back: modules reloaded in reverse order, stopped units
 * started again, the previous target isolated again, the loaded kernel unloaded, the boot
 * loader's one-shot choice written back. Once its own shutdown has signalled every process,
 * there is no putting back but for that choice, which the cold reboot then left to do needs.
 */
struct undo {
        bool loaded;
        char *isolated_from; /* the target to isolate again */
        char **stopped_units;
        char **removed_modules;
        bool processes_ended;        /* warmboot's own shutdown sent SIGTERM and SIGKILL to all */
        struct oneshot_undo oneshot; /* the boot loader's one-shot choice, used up */
        /* The journal in /run/warmboot that tells what the run changes, should it be
         * killed: kept from undo_begin() until the run ends. */
        const struct root *journal_root;
        struct run_journal journal; /* pid, boot and start of this run; the kernel */
};

/* Begins the journal of this run, before the first change (the load of kernel): 0, or a
 * negative errno with *ret_why the sentence, and then nothing was changed. */
int undo_begin(const struct root *r, struct undo *u, const char *kernel, char **ret_why);
/* Ends it: the run has handed over, or put back what it could. */
void undo_end(struct undo *u);
/* What a journal left behind says was changed, for the user ("isolated multi-user.target
 * from graphical.target, stopped a.service, unloaded nvidia_drm and nvidia, loaded
 * /boot/vmlinuz-R"). Caller frees. */
char *journal_describe(const struct run_journal *j);
/* The one sentence about a journal left behind, for status and the check: the run that
 * still works, or the one killed half-way and how to put the machine back. Caller frees. */
char *journal_summary(const struct run_journal *j, enum run_journal_state state);
/* The undo a killed run's journal asks for: *ret is filled (undo_done() frees it), and it
 * takes the journal over, so that restore_machine() removes it. */
void undo_from_journal(const struct root *r, struct run_journal *j, struct undo *ret);

/* Isolates, stops holder units, ends holders (--kill), unloads modules, then uses up the
 * boot loader's one-shot choice the plan took (p->oneshot). On failure returns
 * a negative errno and *ret_why says what failed (caller frees); u holds what to undo. */
int prepare_machine(const struct root *r, const struct plan *p, bool kill, struct undo *u,
                    char **ret_why);

/* Undoes u in reverse order (the one-shot choice first), waiting timeout_sec at most for
 * each systemd job. Returns 0
 * when all was restored, else the last error, and in *ret_report always the report: one
 * sentence per step, "restored: ..." or what could not be put back, then "the machine runs
 * as before" when everything was. After processes_ended only the kernel is unloaded, so
 * that the usual reboot is an ordinary one, the report says the machine must be rebooted,
 * and the result is -ECANCELED. The journal of the run is removed either way: what could not
 * be put back, the report says. The caller prints the report (and frees it). */
int restore_machine(const struct root *r, struct undo *u, unsigned timeout_sec, char ***ret_report);
void undo_done(struct undo *u);
