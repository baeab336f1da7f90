/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "handover.h"
#include "load.h"
#include "prepare.h"
#include "reuse.h"
#include "signals.h"
#include "timing.h"
#include "util.h"
#include "verbs.h"

/* Seconds between SIGTERM and SIGKILL in warmboot's own shutdown. */
#define SHUTDOWN_GRACE_SEC 5

static const char *const handover_said[] = {
        [HANDOVER_SYSTEMD] = "through systemd",
        [HANDOVER_FORCED] = "now, through systemd-shutdown",
        [HANDOVER_DIRECT] = "now",
};

int verb_reboot(const struct verb_context *c)
{
        _cleanup_strv_free_ char **report = NULL;
        _cleanup_free_ char *why = NULL;
        _cleanup_(undo_done) struct undo u = {};
        _cleanup_(plan_done) struct plan p = {};
        _cleanup_(reuse_verdict_done) struct reuse_verdict reuse = {};
        int code, r;

        if (c->dry_run)
                return verb_plan(c);
        /* From before the load until the hand-over is asked for: a lost terminal does not
         * stop warmboot half-way, and Ctrl-C puts the machine back. */
        signals_guard();
        code = plan_for_change(c, true, &reuse, &p);
        if (code != EXIT_OK)
                return code;
        /* Quiet when nothing was loaded ahead: only a reuse, or a record that does not
         * fit, is worth a line. */
        if (!c->quiet && reuse.recorded)
                printf("%s.\n", p.reuse_why);
        if (!p.reuse) {
                code = load_and_record(c, &p);
                if (code != EXIT_OK)
                        return code;
        }
        u.loaded = true;

        /* Only the load has changed the machine so far; from here every step can be undone. */
        r = prepare_machine(c->root, &p, c->options.kill, &u, &why);
        timing_mark("preparation");
        if (r >= 0)
                r = signals_check("the hand-over", &why);
        if (r >= 0) {
                /* No way back from here: a signal now would only leave the machine half
                 * shut down. */
                signals_hold();
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
                        if (r >= 0)
                                return EXIT_OK; /* systemd stops the machine and kexecs */
                }
        }
        log_error("%s", why ? why : strerror(-r));
        (void)restore_machine(c->root, &u, p.config.isolate_timeout_sec, &report);
        for (size_t i = 0; report && report[i]; i++)
                log_error("%s", report[i]);
        return EXIT_FAILED;
}
