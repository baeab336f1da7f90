/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "load-record.h"
#include "plan.h"
#include "rootdir.h"

/*
 * A kernel loaded ahead of time: `warmboot load` records what it loaded
 * (/run/warmboot/load-record), and `warmboot reboot` with the same selection uses that
 * kernel instead of loading it again, when the files, the command line and the boot are
 * still the same and the kernel is still loaded.
 */

/* The selection options (what chose kernel, initrds and command line) as one line, the
 * same for the same options. Caller frees; NULL on -ENOMEM. */
char *reuse_options_line(const struct plan_options *o);

/* The record of a load, made beside it: reuse_record_begin() starts reading and hashing the
 * plan's files in a thread of their own, so that the hashing takes no time of the load on
 * a machine with a second CPU; reuse_record_end() waits for it and, when the load succeeded,
 * writes the record (0 or a negative errno). The plan and options must outlive the two. */
struct reuse_recording {
        const struct root *root;
        const struct plan *plan;
        const struct plan_options *options;
        pthread_t thread;
        bool started;
        atomic_bool stop; /* set when the load failed: the hashing stops */
        int err;
        struct load_record rec;
};
void reuse_record_begin(const struct root *r, const struct plan *p, const struct plan_options *o,
                        struct reuse_recording *ret);
int reuse_record_end(struct reuse_recording *j, bool loaded);

struct reuse_verdict {
        bool reuse;    /* the loaded kernel is the plan's */
        bool recorded; /* a load record was there (reboot says nothing without one) */
        char *why;     /* one line: what reboot says ("using the kernel loaded at ...", or why
                          it loads afresh) */
        char *warning; /* a record that cannot be used: one sentence naming the file */
        int64_t loaded_at;
        char *cmdline; /* reused: the loaded kernel's command line, its own trial id in it */
};

/* Decides whether the kernel waiting in memory is the plan's. -EINVAL when the plan has
 * no kernel or command line, -ENOMEM. */
int reuse_decide(const struct root *r, const struct plan *p, const struct plan_options *o,
                 struct reuse_verdict *ret);
void reuse_verdict_done(struct reuse_verdict *v);

/* Decides (reuse_decide) and puts the verdict into the plan: plan's Reuse, and the loaded
 * check, which otherwise warns that a load replaces the kernel waiting in memory, says that
 * this kernel is the one booted. A plan without kernel or command line is left undecided.
 * 0 with *ret holding the rest of the verdict (why is the plan's), -ENOMEM. */
int reuse_into_plan(const struct root *r, struct plan *p, const struct plan_options *o,
                    struct reuse_verdict *ret);

/* When the record was written, as the local time. Caller frees. */
char *reuse_time_text(int64_t t);
