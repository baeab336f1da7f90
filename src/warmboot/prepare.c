/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <signal.h>

#include "holders.h"
#include "load-record-file.h"
#include "load.h"
#include "gpu-policy.h"
#include "prepare.h"
#include "private-file.h"
#include "reuse.h"
#include "run-journal-file.h"
#include "signals.h"
#include "syscalls.h"
#include "systemd-bus.h"
#include "util.h"

int undo_begin(const struct root *r, struct undo *u, const char *kernel, char **ret_why)
{
        int err;

        /* Said as the plan says it, should the directory have changed since. */
        err = private_dir_check(r, RUN_JOURNAL_PARENT, RUN_JOURNAL_DIRNAME, ret_why);
        if (err < 0)
                return err;
        u->journal.pid = (int)getpid();
        u->journal.started = clock_usec(CLOCK_REALTIME);
        /* Without a boot id (a /proc without it), a journal cannot be told stale. */
        err = boot_id_read(r, &u->journal.boot_id);
        if (err >= 0 || err == -ENOENT) {
                u->journal.kernel = strdup(kernel);
                err = u->journal.kernel ? run_journal_save(r, &u->journal) : -ENOMEM;
        }
        if (err < 0) {
                *ret_why = strdup_printf("cannot keep the journal of this run in %s: %s; "
                                         "nothing was changed",
                                         RUN_JOURNAL_PATH, strerror(-err));
                return err;
        }
        u->journal_root = r;
        return 0;
}

void undo_end(struct undo *u)
{
        if (!u->journal_root)
                return;
        (void)run_journal_remove(u->journal_root);
        u->journal_root = NULL;
}

/*
 * Writes the journal before a step: what u already holds, and the step about to be taken
 * (a target isolated from, a unit stopped, a module unloaded). Without a journal the step
 * is not taken: a run killed after it would leave a change nobody knows of.
 */
static int journal_step(struct undo *u, const char *isolated_from, const char *unit,
                        const char *module, char **ret_why)
{
        _cleanup_strv_free_ char **units = NULL, **modules = NULL;
        struct run_journal j = u->journal;
        int err = 0;

        if (!u->journal_root)
                return 0;
        units = strv_copy(u->stopped_units);
        modules = strv_copy(u->removed_modules);
        if ((u->stopped_units && !units) || (u->removed_modules && !modules))
                return -ENOMEM;
        if (unit)
                err = strv_extend(&units, unit);
        if (err >= 0 && module)
                err = strv_extend(&modules, module);
        if (err < 0)
                return err;
        j.isolated_from = isolated_from ? (char *)isolated_from : u->isolated_from;
        j.stopped_units = units;
        j.removed_modules = modules;
        err = run_journal_save(u->journal_root, &j);
        if (err < 0)
                *ret_why = strdup_printf("cannot keep the journal of this run in %s: %s",
                                         RUN_JOURNAL_PATH, strerror(-err));
        return err;
}

static void describe_list(FILE *f, const char *verb, char *const *l, bool *first)
{
        size_t n = strv_length(l);

        if (n == 0)
                return;
        fprintf(f, "%s%s ", *first ? "" : ", ", verb);
        for (size_t i = 0; i < n; i++)
                fprintf(f, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", l[i]);
        *first = false;
}

char *journal_describe(const struct run_journal *j)
{
        char *text = NULL;
        size_t len = 0;
        bool first = true;
        FILE *f = open_memstream(&text, &len);

        if (!f)
                return NULL;
        if (j->isolated_from) {
                fprintf(f, "left %s", j->isolated_from);
                first = false;
        }
        describe_list(f, "stopped", j->stopped_units, &first);
        describe_list(f, "unloaded", j->removed_modules, &first);
        if (j->kernel)
                fprintf(f, "%sloaded %s", first ? "" : ", ", j->kernel);
        if (fclose(f) != 0) {
                free(text);
                return NULL;
        }
        return text;
}

char *journal_summary(const struct run_journal *j, enum run_journal_state state)
{
        _cleanup_free_ char *what = NULL, *when = NULL;

        if (state == RUN_JOURNAL_RUNNING)
                return strdup_printf("warmboot (pid %d) is preparing the machine for a warm "
                                     "reboot now",
                                     j->pid);
        what = journal_describe(j);
        when = reuse_time_text(j->started / 1000000);
        if (!what || !when)
                return NULL;
        return strdup_printf("a warmboot run (pid %d, begun %s) was killed half-way and left "
                             "the machine changed: %s; 'warmboot restore' puts it back",
                             j->pid, when, *what ? what : "nothing yet");
}

void undo_from_journal(const struct root *r, struct run_journal *j, struct undo *ret)
{
        struct undo u = {};

        u.loaded = j->kernel != NULL;
        u.isolated_from = TAKE_PTR(j->isolated_from);
        u.stopped_units = TAKE_PTR(j->stopped_units);
        u.removed_modules = TAKE_PTR(j->removed_modules);
        u.journal = *j;
        *j = (struct run_journal){};
        u.journal_root = r;
        *ret = u;
}

static int stop_holder_units(const struct root *r, const struct plan *p, struct undo *u,
                             char **ret_why)
{
        struct holder *h = NULL;
        size_t n = 0;
        int err;

        /* Scan again: the isolate may have ended some holders and started none. */
        err = holders_scan(r, getpid(), &h, &n);
        if (err < 0) {
                *ret_why =
                        strdup_printf("cannot scan processes for open devices: %s", strerror(-err));
                return err;
        }
        for (size_t i = 0; i < n && err >= 0; i++) {
                _cleanup_free_ char *error = NULL;

                if (!plan_stops_unit(p, h[i].unit) || strv_contains(u->stopped_units, h[i].unit) ||
                    !plan_device_matters(p, &h[i]))
                        continue;
                err = signals_check("stopping the units that hold the devices", ret_why);
                if (err >= 0)
                        err = journal_step(u, NULL, h[i].unit, NULL, ret_why);
                if (err < 0)
                        break;
                err = systemd->stop_unit(h[i].unit, p->config.isolate_timeout_sec, &error);
                if (err < 0)
                        *ret_why =
                                strdup_printf("stopping %s, which holds %s, failed: %s", h[i].unit,
                                              h[i].device, error ? error : strerror(-err));
                else
                        err = strv_extend(&u->stopped_units, h[i].unit);
        }
        holders_free(h, n);
        return err;
}

/* Ends the processes still holding a device: SIGTERM, a grace period, SIGKILL. */
static int end_holders(const struct root *r, const struct plan *p, bool kill, char **ret_why)
{
        struct holder *h = NULL;
        size_t n = 0;
        unsigned waited = 0, grace_ms = p->config.kill_grace_sec * 1000;
        int err;

        err = holders_scan(r, getpid(), &h, &n);
        if (err < 0) {
                *ret_why =
                        strdup_printf("cannot scan processes for open devices: %s", strerror(-err));
                return err;
        }
        /* Keep only the processes that hold a device of a driver being unloaded. */
        for (size_t i = 0; i < n;) {
                if (plan_device_matters(p, &h[i])) {
                        i++;
                        continue;
                }
                holder_done(&h[i]);
                memmove(h + i, h + i + 1, sizeof(*h) * (n - i - 1));
                n--;
        }
        if (n == 0) {
                holders_free(h, 0);
                return 0;
        }
        if (!kill) {
                *ret_why = strdup_printf("pid %d (%s%s%s) still holds %s; stop it, add its unit "
                                         "to StopUnits=, or give --kill",
                                         (int)h[0].pid, h[0].comm ? h[0].comm : "?",
                                         h[0].unit ? ", " : "", h[0].unit ? h[0].unit : "",
                                         h[0].device);
                holders_free(h, n);
                return -EBUSY;
        }
        for (size_t i = 0; i < n; i++)
                (void)sys->kill(h[i].pid, SIGTERM);
        for (;;) {
                bool any = false;
                for (size_t i = 0; i < n; i++)
                        any = any || sys->alive(h[i].pid);
                if (!any || waited >= grace_ms)
                        break;
                if (signals_check("the processes holding the devices ended", ret_why) < 0) {
                        holders_free(h, n);
                        return -EINTR;
                }
                sys->sleep_ms(100);
                waited += 100;
        }
        for (size_t i = 0; i < n; i++)
                if (sys->alive(h[i].pid))
                        (void)sys->kill(h[i].pid, SIGKILL);
        for (unsigned i = 0; i < 50; i++) {
                bool any = false;
                for (size_t k = 0; k < n; k++)
                        any = any || sys->alive(h[k].pid);
                if (!any)
                        break;
                sys->sleep_ms(100);
        }
        holders_free(h, n);
        return 0;
}

static int unload_modules(const struct plan *p, struct undo *u, char **ret_why)
{
        for (size_t i = 0; p->modules && p->modules[i]; i++) {
                _cleanup_free_ char *step = strdup_printf("unloading %s", p->modules[i]);
                int err = signals_check(step ? step : "unloading modules", ret_why);

                if (err >= 0)
                        err = journal_step(u, NULL, NULL, p->modules[i], ret_why);
                if (err < 0)
                        return err;
                err = sys->module_remove(p->modules[i]);
                if (err < 0) {
                        *ret_why =
                                strdup_printf("cannot unload %s: %s", p->modules[i],
                                              err == -EBUSY || err == -EAGAIN ? "it is still in use"
                                                                              : strerror(-err));
                        return err;
                }
                err = strv_extend(&u->removed_modules, p->modules[i]);
                if (err < 0)
                        return err;
        }
        return 0;
}

static int prepare_modules(const struct root *r, const struct plan *p, bool kill, struct undo *u,
                           char **ret_why)
{
        int err;

        err = signals_check("preparing the machine", ret_why);
        if (err < 0)
                return err;
        if (p->isolate) {
                _cleanup_free_ char *error = NULL;
                err = journal_step(u, GRAPHICAL_TARGET, NULL, NULL, ret_why);
                if (err < 0)
                        return err;
                err = systemd->start_unit(p->config.isolate_target, "isolate",
                                          p->config.isolate_timeout_sec, &error);
                /* Record it even when the job failed: part of the switch may have happened. */
                u->isolated_from = strdup(GRAPHICAL_TARGET);
                if (!u->isolated_from)
                        return -ENOMEM;
                if (err < 0) {
                        *ret_why =
                                strdup_printf("isolating %s failed: %s", p->config.isolate_target,
                                              error ? error : strerror(-err));
                        return err;
                }
        }
        err = stop_holder_units(r, p, u, ret_why);
        if (err >= 0)
                err = signals_check("ending the processes that hold the devices", ret_why);
        if (err >= 0)
                err = end_holders(r, p, kill, ret_why);
        if (err >= 0)
                err = unload_modules(p, u, ret_why);
        return err;
}

int prepare_machine(const struct root *r, const struct plan *p, bool kill, struct undo *u,
                    char **ret_why)
{
        int err = 0;

        if (p->modules && p->modules[0])
                err = prepare_modules(r, p, kill, u, ret_why);
        /* Last, so that nothing but the hand-over can fail once the choice is used up. */
        if (err >= 0 && p->oneshot != ONESHOT_NONE)
                err = signals_check("using up the boot loader's one-shot choice", ret_why);
        if (err >= 0 && p->oneshot != ONESHOT_NONE)
                err = oneshot_consume(r, p->oneshot, p->oneshot_path, &u->oneshot, ret_why);
        return err;
}

/* Adds one line to the report; false when it could not be kept (out of memory). */
static bool report(char ***lines, char *line)
{
        return strv_push(lines, line) >= 0;
}

/* Loads the removed modules again, starts the stopped units and isolates the target left,
 * newest first; returns the last error. */
static int restore_preparation(struct undo *u, unsigned timeout_sec, char ***lines, bool *complete)
{
        int result = 0;

        for (size_t n = strv_length(u->removed_modules); n > 0; n--) {
                const char *module = u->removed_modules[n - 1];
                int err = sys->module_insert(module);

                if (err < 0)
                        result = err;
                *complete &=
                        report(lines, err < 0 ? strdup_printf("could not load %s again: %s", module,
                                                              strerror(-err))
                                              : strdup_printf("restored: loaded %s again", module));
        }
        for (size_t n = strv_length(u->stopped_units); n > 0; n--) {
                _cleanup_free_ char *error = NULL;
                const char *unit = u->stopped_units[n - 1];
                int err = systemd->start_unit(unit, "replace", timeout_sec, &error);

                if (err < 0)
                        result = err;
                *complete &=
                        report(lines, err < 0 ? strdup_printf("could not start %s again: %s", unit,
                                                              error ? error : strerror(-err))
                                              : strdup_printf("restored: started %s again", unit));
        }
        if (u->isolated_from) {
                _cleanup_free_ char *error = NULL;
                int err = systemd->start_unit(u->isolated_from, "isolate", timeout_sec, &error);

                if (err < 0)
                        result = err;
                *complete &= report(
                        lines,
                        err < 0 ? strdup_printf("could not isolate %s again: %s", u->isolated_from,
                                                error ? error : strerror(-err))
                                : strdup_printf("restored: isolated %s again", u->isolated_from));
        }
        return result;
}

/* Puts the boot loader's one-shot choice back: the next boot, warm or cold, is to start it.
 * Done even after warmboot's own shutdown, for the cold reboot that has to follow. */
static int restore_oneshot(const struct root *r, struct undo *u, char ***lines, bool *complete)
{
        _cleanup_free_ char *what = NULL, *why = NULL;
        int err;

        if (u->oneshot.kind == ONESHOT_NONE)
                return 0;
        what = oneshot_describe(u->oneshot.kind, u->oneshot.path);
        err = oneshot_restore(r, &u->oneshot, &why);
        *complete &= what && report(lines, err < 0 ? strdup_printf("could not restore %s: %s", what,
                                                                   why ? why : strerror(-err))
                                                   : strdup_printf("restored: %s", what));
        return err;
}

int restore_machine(const struct root *r, struct undo *u, unsigned timeout_sec, char ***ret_report)
{
        _cleanup_strv_free_ char **lines = NULL;
        bool complete = true;
        int result = 0;

        /* A second Ctrl-C must not leave the machine half restored. */
        signals_hold();
        if (timeout_sec < ROLLBACK_JOB_MIN_SEC)
                timeout_sec = ROLLBACK_JOB_MIN_SEC;
        result = restore_oneshot(r, u, &lines, &complete);
        /* After warmboot's own shutdown the services are gone and nothing starts them
         * again: there is no machine as before to go back to, and its modules and units
         * are left as they are. */
        if (!u->processes_ended) {
                int err = restore_preparation(u, timeout_sec, &lines, &complete);
                if (err < 0)
                        result = err;
        }
        if (u->loaded) {
                int err = kexec_unload();

                /* The record describes a kernel that is no longer there. */
                if (err >= 0)
                        (void)load_record_remove(r);

                if (err < 0)
                        result = err;
                complete &= report(
                        &lines,
                        err < 0 ? strdup_printf("the new kernel is still loaded and could not "
                                                "be unloaded (%s); 'warmboot unload' removes it",
                                                strerror(-err))
                        : u->processes_ended ? strdup("unloaded the new kernel")
                                             : strdup("restored: unloaded the new kernel"));
        }
        if (u->processes_ended) {
                complete &= report(&lines, strdup("every process has been ended, so the machine "
                                                  "does not run as before: reboot it the usual "
                                                  "way"));
                result = -ECANCELED;
        } else if (result == 0)
                complete &= report(&lines, strdup("the machine runs as before"));
        undo_end(u);
        /* The machine is as restored as it can be; only the telling of it may be short. */
        if (!complete && result == 0)
                result = -ENOMEM;
        *ret_report = TAKE_PTR(lines);
        return result;
}

void undo_done(struct undo *u)
{
        if (!u)
                return;
        free(u->isolated_from);
        strv_free(u->stopped_units);
        strv_free(u->removed_modules);
        oneshot_undo_done(&u->oneshot);
        run_journal_done(&u->journal);
        *u = (struct undo){};
}
