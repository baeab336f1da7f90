/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "handover.h"
#include "load-record-file.h"
#include "load.h"
#include "prepare.h"
#include "reuse.h"
#include "signals.h"
#include "syscalls.h"
#include "systemd-bus.h"
#include "timing.h"
#include "trial-report.h"
#include "util.h"
#include "verbs.h"

/* Seconds between SIGTERM and SIGKILL in warmboot's own shutdown. */
#define SHUTDOWN_GRACE_SEC 5

static const char *const handover_said[] = {
        [HANDOVER_SYSTEMD] = "through systemd",
        [HANDOVER_FORCED] = "now, through systemd-shutdown",
        [HANDOVER_DIRECT] = "now",
};

/* The first failed check's sentence, for the report of a cold fallback. */
static const char *first_failure(const struct plan *p)
{
        for (size_t i = 0; i < p->n_checks; i++)
                if (p->checks[i].status == CHECK_FAIL)
                        return p->checks[i].detail;
        return "a check failed";
}

/*
 * --fallback-cold: warm is impossible, so reboot through the firmware, through systemd. A
 * kernel left loaded is unloaded first, so that nothing kexecs it on the way. The report
 * says it was cold and why.
 */
static int reboot_cold(const struct verb_context *c, const struct plan *p, const char *why,
                       int64_t requested_at, int code)
{
        _cleanup_(reboot_report_done) struct reboot_report rep = {};
        _cleanup_free_ char *error = NULL;
        int err;

        if (!p->host.systemd) {
                log_error("cannot fall back to a cold reboot: systemd is not PID 1 here; reboot "
                          "through the firmware with the init system's own command");
                return code;
        }
        if (!c->quiet)
                log_warning("warm reboot impossible (%s): rebooting through the firmware instead "
                            "(--fallback-cold)",
                            why);
        if (p->host.kexec_loaded == 1 &&
            sys->kexec_file_load(-1, -1, "", KEXEC_FILE_UNLOAD_FLAG) >= 0)
                (void)load_record_remove(c->root);
        err = report_from_plan(c->root, p, why, requested_at, &rep);
        if (err >= 0) {
                rep.time[REBOOT_HANDOVER] = clock_usec(CLOCK_REALTIME);
                err = reboot_report_save(c->root, &rep);
                if (err < 0 && !c->quiet)
                        log_warning("cannot write %s (%s): the cold reboot goes on without a "
                                    "report",
                                    REBOOT_REPORT_PATH, strerror(-err));
        }
        err = systemd->start_reboot(&error);
        if (err < 0) {
                log_error("systemd refused to start " REBOOT_TARGET ": %s",
                          error ? error : strerror(-err));
                (void)reboot_report_remove(c->root);
                return EXIT_FAILED;
        }
        if (!c->quiet)
                printf("Cold reboot through the firmware, through systemd.\n");
        return EXIT_OK;
}

/*
 * Arms the watchdog and writes the report, the last steps before the hand-over. Without a
 * report the new boot has nothing to confirm, and nothing would stop the watchdog there:
 * then it is disarmed again and the reboot goes on with panic= alone.
 */
static void trial_begin(const struct verb_context *c, const struct plan *p,
                        struct reboot_report *rep, struct trial_arming *arming)
{
        _cleanup_free_ char *warning = NULL, *cause = NULL;
        int err;

        err = trial_arm(c->root, p, rep, arming, &warning);
        if (err >= 0 && warning && !c->quiet)
                log_warning("%s", warning);
        rep->time[REBOOT_HANDOVER] = clock_usec(CLOCK_REALTIME);
        if (err >= 0)
                err = reboot_report_save(c->root, rep);
        if (err >= 0)
                return;
        trial_disarm(c->root, arming);
        cause = state_write_error(c->root, REBOOT_REPORT_PARENT, REBOOT_REPORT_DIRNAME, err);
        if (!c->quiet)
                log_warning("cannot write %s (%s): going on without a report%s", REBOOT_REPORT_PATH,
                            cause ? cause : strerror(-err),
                            arming->armed || arming->systemd
                                    ? ", and without the watchdog, which nothing would stop "
                                      "in the new boot"
                                    : "");
        *arming = (struct trial_arming){};
}

int verb_reboot(const struct verb_context *c)
{
        _cleanup_strv_free_ char **report = NULL;
        _cleanup_free_ char *why = NULL;
        _cleanup_(undo_done) struct undo u = {};
        _cleanup_(plan_done) struct plan p = {};
        _cleanup_(reuse_verdict_done) struct reuse_verdict reuse = {};
        _cleanup_(reboot_report_done) struct reboot_report rep = {};
        struct trial_arming arming = {};
        int64_t requested_at = clock_usec(CLOCK_REALTIME);
        int code, r;

        if (c->dry_run)
                return verb_plan(c);
        /* From before the load until the hand-over is asked for: a lost terminal does not
         * stop warmboot half-way, and Ctrl-C puts the machine back. */
        signals_guard();
        code = plan_for_change(c, true, &reuse, &p);
        if (code == EXIT_CHECK && c->options.fallback_cold)
                return reboot_cold(c, &p, first_failure(&p), requested_at, code);
        if (code != EXIT_OK)
                return code;
        /* Quiet when nothing was loaded ahead: only a reuse, or a record that does not
         * fit, is worth a line. */
        if (!c->quiet && reuse.recorded)
                printf("%s.\n", p.reuse_why);
        /* Before the first change, so that a run killed from here on can be put back. */
        r = undo_begin(c->root, &u, p.kernel, &why);
        if (r < 0) {
                log_error("%s", why);
                return EXIT_FAILED;
        }
        if (!p.reuse) {
                code = load_and_record(c, &p);
                if (code != EXIT_OK)
                        undo_end(&u);
                if (code != EXIT_OK && c->options.fallback_cold)
                        return reboot_cold(c, &p, "the kernel refused the load", requested_at,
                                           code);
                if (code != EXIT_OK)
                        return code;
        }
        u.loaded = true;
        r = report_from_plan(c->root, &p, NULL, requested_at, &rep);
        if (r < 0) {
                log_error("cannot keep the reboot report: %s", strerror(-r));
                (void)restore_machine(c->root, &u, p.config.isolate_timeout_sec, &report);
                return EXIT_FAILED;
        }
        rep.time[REBOOT_LOADED] = clock_usec(CLOCK_REALTIME);

        /* Only the load has changed the machine so far; from here every step can be undone. */
        r = prepare_machine(c->root, &p, c->options.kill, &u, &why);
        timing_mark("preparation");
        rep.time[REBOOT_PREPARED] = clock_usec(CLOCK_REALTIME);
        if (r >= 0)
                r = signals_check("the hand-over", &why);
        if (r >= 0) {
                /* No way back from here: a signal now would only leave the machine half
                 * shut down. */
                signals_hold();
                trial_begin(c, &p, &rep, &arming);
                timing_mark("reboot report");
                if (!c->quiet)
                        printf("Warm reboot into %s %s.\n", p.kernel, handover_said[p.handover]);
                if (p.handover == HANDOVER_DIRECT && !c->options.now && !c->quiet)
                        log_warning("systemd is not PID 1: handing over directly, as with --now");
                fflush(stdout);
                if (p.handover == HANDOVER_DIRECT)
                        r = handover_direct(c->root, SHUTDOWN_GRACE_SEC, &u.processes_ended, &why);
                else {
                        r = handover_systemd(p.handover == HANDOVER_FORCED, &why);
                        timing_mark("hand-over asked");
                        if (r >= 0) {
                                undo_end(&u);
                                return EXIT_OK; /* systemd stops the machine and kexecs */
                        }
                }
                /* The hand-over did not happen: no reboot to report, no watchdog to bite. */
                trial_disarm(c->root, &arming);
                (void)reboot_report_remove(c->root);
        }
        log_error("%s", why ? why : strerror(-r));
        (void)restore_machine(c->root, &u, p.config.isolate_timeout_sec, &report);
        for (size_t i = 0; report && report[i]; i++)
                log_error("%s", report[i]);
        return EXIT_FAILED;
}
