/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/*
 * What `warmboot reboot` is changing, kept in /run/warmboot/journal while it prepares the
 * machine, so that a run killed half-way (SIGKILL, a crash, the OOM killer) leaves behind
 * what `warmboot restore` needs to put the machine back. A text file, one KEY=VALUE a line
 * after the first line "warmboot-journal 1":
 *
 *   pid=N                  the run's process
 *   boot_id=UUID           the boot it ran in, when known (a journal of another boot is
 *                          stale)
 *   started=USEC           CLOCK_REALTIME when it began
 *   kernel=PATH            the kernel it loaded, or was about to load
 *   isolated_from=UNIT     the target it left, to isolate again
 *   stopped_unit=UNIT      a unit it stopped, to start again (repeated, in order)
 *   removed_module=NAME    a module it unloaded, to load again (repeated, in order)
 *
 * Each line is written before its step is taken, so the last step named may not have
 * happened; putting it back must then do no harm (starting a running unit, loading a
 * loaded module, isolating the current target). pid and started appear exactly once,
 * boot_id, kernel and isolated_from at most once. Values hold no newline.
 */
#define RUN_JOURNAL_MAGIC "warmboot-journal 1"
#define RUN_JOURNAL_MAX 65536u

struct run_journal {
        int pid;
        char *boot_id;
        int64_t started;
        char *kernel;
        char *isolated_from;
        char **stopped_units;
        char **removed_modules;
};

/* Parses the text of a journal: 0, -EBADMSG when it is not a valid journal of this version,
 * -ENOMEM. *ret is filled only on success. */
int run_journal_parse(const char *text, struct run_journal *ret);
/* The text of a journal: -EINVAL when a value is missing or holds a newline, -ENOMEM.
 * Caller frees. */
int run_journal_format(const struct run_journal *j, char **ret);
void run_journal_done(struct run_journal *j);
