/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "util.h"
#include "verbs.h"

int verb_plan(const struct verb_context *c)
{
        struct plan p;
        bool failed;
        int err;

        struct plan_options o = c->options;

        o.prepare = true; /* plan shows what reboot would do */
        err = plan_build(c->root, &o, &p);
        if (err < 0) {
                log_error("cannot build the plan: %s", strerror(-err));
                return EXIT_FAILED;
        }
        if (c->json)
                plan_print_json(&p, stdout);
        else
                plan_print_text(&p, stdout);
        failed = plan_has_failure(&p);
        plan_done(&p);
        return failed ? EXIT_CHECK : EXIT_OK;
}
