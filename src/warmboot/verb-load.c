/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "load.h"
#include "util.h"
#include "verbs.h"

/*
 * Whether the machine needs preparing before a kexec: modules to unload or a graphical
 * target to leave, as reboot would plan it. A kernel left loaded there is a trap: a plain
 * `systemctl reboot` kexecs it with those drivers still loaded. 1, 0, or a negative errno.
 */
static int needs_preparation(const struct verb_context *c)
{
        _cleanup_(plan_done) struct plan p = {};
        struct plan_options o = c->options;
        int err;

        o.prepare = true;
        err = plan_build(c->root, &o, &p);
        if (err < 0)
                return err;
        return (p.modules && p.modules[0]) || p.isolate;
}

int verb_load(const struct verb_context *c)
{
        _cleanup_(plan_done) struct plan p = {};
        int code, r;

        code = plan_for_change(c, false, NULL, &p);
        if (code != EXIT_OK)
                return code;
        if (!c->force) {
                r = needs_preparation(c);
                if (r < 0) {
                        log_error("cannot build the plan: %s", strerror(-r));
                        return EXIT_FAILED;
                }
                if (r > 0) {
                        log_error("this machine needs preparing before a kexec (drivers to "
                                  "unload or a graphical session to leave), and with a kernel "
                                  "left loaded a plain 'systemctl reboot' would kexec it with "
                                  "those drivers still loaded: use 'warmboot reboot', or "
                                  "'warmboot load --force' to load anyway");
                        return EXIT_CHECK;
                }
        }
        return load_and_record(c, &p);
}
