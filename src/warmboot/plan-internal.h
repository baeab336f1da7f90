/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"
#include "rootdir.h"

/*
 * The steps of plan_build(), shared by the files that implement them: the choice of
 * kernel, initrds and command line (plan-select.c), the checks (plan-checks.c) and the
 * holder policy (gpu-policy.c). Each returns 0, a check recorded in the plan, or a negative
 * errno for a failure to build the plan at all (only -ENOMEM, in practice).
 */

/* Records a check with its sentence. */
int add_check(struct plan *p, const char *name, enum check_status status, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

int choose_kernel(struct plan *p, const struct root *r, const struct plan_options *o);
int choose_initrds(struct plan *p, const struct root *r, const struct plan_options *o);

int check_privileges(struct plan *p, const struct root *r);
int check_kexec_support(struct plan *p);
int check_load_disabled(struct plan *p);
int check_kernel(struct plan *p);
int check_initrds(struct plan *p, const struct plan_options *o);
int check_release(struct plan *p, const struct plan_options *o);
int check_cmdline(struct plan *p, const struct plan_options *o);
int check_lockdown(struct plan *p);
int check_loaded(struct plan *p);
/* Fails when a warmboot run is at work, or one was killed and left a journal of what it
 * changed (/run/warmboot/journal); adds no check when there is none. */
int check_interrupted(struct plan *p, const struct root *r);
int check_config(struct plan *p, const struct root *r);
int check_permissions(struct plan *p, const struct root *r);
int check_systemd(struct plan *p, const struct plan_options *o);
int check_modules(struct plan *p, const struct root *r, const struct plan_options *o);
int check_holders(struct plan *p, const struct root *r, const struct plan_options *o);
int check_inhibitors(struct plan *p, const struct root *r, const struct plan_options *o);
/* plan-trial.c: decides the trial (after the configuration is read), adds its parameters to
 * the composed command line (before its length is checked), and says it as checks. */
int plan_trial(struct plan *p, const struct root *r, const struct plan_options *o);
int trial_apply(struct plan *p);
int check_trial(struct plan *p);
void trial_done(struct trial *t);
int check_disk_unlock(struct plan *p, const struct root *r, const struct plan_options *o);
