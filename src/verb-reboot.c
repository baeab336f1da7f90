/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "handover.h"
#include "kexec.h"
#include "util.h"
#include "verbs.h"

/* After a failed hand-over the machine still runs; take the kernel back out, so that a later
 * plain 'systemctl reboot' does not kexec into it unasked. */
static void unload_after_failure(void)
{
        int err = kexec_unload();
        if (err < 0)
                log_error("the new kernel is still loaded and could not be unloaded (%s); "
                          "'warmboot unload' removes it",
                          strerror(-err));
        else
                log_error("the new kernel was unloaded again; the machine keeps running as "
                          "before");
}

int verb_reboot(const struct verb_context *c)
{
        struct plan p;
        int code, r;

        if (c->dry_run)
                return verb_plan(c);
        code = load_plan_checked(c, &p);
        if (code != EXIT_OK)
                return code;

        if (p.handover == HANDOVER_SYSTEMD) {
                if (!c->quiet)
                        printf("Warm reboot into %s through systemd.\n", p.kernel);
                fflush(stdout);
                r = handover_systemd(c->root);
                plan_done(&p);
                if (r == 0)
                        return EXIT_OK; /* systemd now stops the machine and kexecs */
                if (r < 0)
                        log_error("cannot run systemctl kexec: %s", strerror(-r));
                else
                        log_error("systemctl kexec failed with exit status %d", r);
                unload_after_failure();
                return EXIT_FAILED;
        }

        if (!c->options.now && !c->quiet)
                log_warning("systemd is not PID 1: handing over directly, as with --now");
        if (!c->quiet)
                printf("Warm reboot into %s now.\n", p.kernel);
        fflush(stdout);
        plan_done(&p);
        r = handover_direct();
        log_error("%s (%s)", reboot_error(r), strerror(-r));
        unload_after_failure();
        return EXIT_FAILED;
}
