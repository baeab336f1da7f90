/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "reuse.h"
#include "util.h"
#include "verbs.h"

int verb_plan(const struct verb_context *c)
{
        struct plan_options o = c->options;
        _cleanup_(plan_done) struct plan p = {};
        _cleanup_(reuse_verdict_done) struct reuse_verdict v = {};
        int err;

        o.prepare = true; /* plan shows what reboot would do */
        err = plan_build(c->root, &o, &p);
        if (err < 0) {
                log_error("cannot build the plan: %s", strerror(-err));
                return EXIT_FAILED;
        }
        err = reuse_into_plan(c->root, &p, &c->options, &v);
        if (err < 0) {
                log_error_errno(err, "cannot show the plan");
                return EXIT_FAILED;
        }
        if (v.warning)
                log_warning("%s", v.warning);
        err = plan_print(&p, c->json, stdout);
        if (err < 0) {
                log_error_errno(err, "cannot show the plan");
                return EXIT_FAILED;
        }
        return plan_has_failure(&p) ? EXIT_CHECK : EXIT_OK;
}
