/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include <stdio.h>

#include "boot-entries.h"
#include "log.h"
#include "plan.h"
#include "reuse.h"
#include "rootdir.h"

/* Exit codes, documented in --help, warmboot(8) and the README. */
enum {
        EXIT_OK = 0,
        EXIT_FAILED = 1,    /* an operation failed; what state the machine is in is said */
        EXIT_USAGE = 2,     /* bad options or arguments */
        EXIT_CHECK = 3,     /* a preflight check failed; nothing was changed */
        EXIT_PRIVILEGE = 4, /* not root / no CAP_SYS_BOOT; nothing was changed */
};

struct verb_context {
        struct root *root;
        struct plan_options options;
        bool json;
        bool quiet;
        bool dry_run;
        bool force; /* load --force: failed checks do not stop the load */
};

/* list's rendering of the boot entries, as text or one JSON array. -ENOMEM. */
int entry_list_print(const struct entry_list *l, bool json, FILE *f);

int verb_plan(const struct verb_context *c);
int verb_load(const struct verb_context *c);
int verb_unload(const struct verb_context *c);
int verb_status(const struct verb_context *c);
int verb_list(const struct verb_context *c);
int verb_reboot(const struct verb_context *c);
int verb_confirm(const struct verb_context *c);
int verb_restore(const struct verb_context *c);

/* Builds the plan for a verb that changes the machine and refuses when a check fails,
 * saying why. prepare: the verb also unloads modules (their checks run). With reuse, also
 * decides whether the kernel loaded ahead is used (reuse_into_plan()) before the checks
 * are said. Returns EXIT_OK with *ret filled, or an exit code; with --fallback-cold,
 * EXIT_CHECK leaves *ret filled too (caller frees). */
int plan_for_change(const struct verb_context *c, bool prepare, struct reuse_verdict *reuse,
                    struct plan *ret);
/* Loads the plan and writes its load record; on failure says why and returns the exit
 * code. */
int load_and_record(const struct verb_context *c, const struct plan *p);
/* Why warmboot's state could not be written in PARENT/DIR (err from the write): the
 * directory's fault as private_dir_check() says it, else err's text (caller frees). */
char *state_write_error(const struct root *r, const char *parent, const char *dir, int err);
/* Builds the plan and loads it; on failure says why and returns the exit code. */
int load_plan_checked(const struct verb_context *c, bool prepare, struct plan *ret);
