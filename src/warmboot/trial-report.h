/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdint.h>

#include "plan.h"
#include "reboot-report-file.h"
#include "table.h"

/* Journal message ids: a trial that failed (the machine came back through the firmware) and
 * one that was confirmed. */
#define MESSAGE_TRIAL_FAILED "55b48bfd072145dbb43b85a2afd14ce8"
#define MESSAGE_TRIAL_CONFIRMED "bd560a289601403eb3c3936696e7d47d"

/* The report of the reboot the plan describes, as far as it is known before the hand-over:
 * the trial's id, this boot, the kernel, its line, the hand-over kind ("cold" with a reason
 * for --fallback-cold), the firmware time of the last cold boot. -ENOMEM. */
int report_from_plan(const struct root *r, const struct plan *p, const char *cold_reason,
                     int64_t requested_at, struct reboot_report *ret);

/* What arming did, to undo it when the hand-over fails. */
struct trial_arming {
        bool armed;        /* warmboot armed the device itself */
        bool systemd;      /* systemd's KExecWatchdogUSec was set */
        uint64_t old_usec; /* its value before */
        const char *device;
};

/*
 * Arms the plan's watchdog just before the hand-over: where systemd drives it, through its
 * KExecWatchdogUSec; else warmboot arms it itself. Writes what was done to the report's
 * watchdog field ("armed DEVICE SEC", "systemd DEVICE SEC", "none", or "off: why"). A
 * watchdog that cannot be armed is said in *ret_warning (caller frees) and the reboot goes
 * on without it. -ENOMEM only.
 */
int trial_arm(const struct root *r, const struct plan *p, struct reboot_report *rep,
              struct trial_arming *ret, char **ret_warning);
/* Undoes trial_arm() after a failed hand-over. */
void trial_disarm(const struct root *r, const struct trial_arming *a);

/*
 * What the last reboot did, for status: "outcome" as the report says, or, for a pending
 * report read in a later boot, as that boot shows it (its command line carries the trial's
 * id or not). NULL on -ENOMEM; *ret_text the one-line summary for text output.
 */
struct table *last_reboot_table(const struct root *r, const struct reboot_report *rep,
                                char ***ret_lines);

/* The outcome a pending report has in the boot that reads it; REBOOT_PENDING while this is
 * still the boot that asked. */
enum reboot_outcome report_outcome_now(const struct root *r, const struct reboot_report *rep);
