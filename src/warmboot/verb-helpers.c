/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the verbs that change the machine share: the plan they act on, checked, and the
 * load. */
#include "load.h"
#include "syscalls.h"
#include "util.h"
#include "verbs.h"

int plan_for_change(const struct verb_context *c, bool prepare, struct plan *ret)
{
        struct plan_options o = c->options;
        struct plan p;
        int err, code;

        /* Whatever the plan would say, nothing can be loaded without CAP_SYS_BOOT: refuse
         * before reading the machine, as unload does. */
        if (!sys->can_boot()) {
                log_error("%s", plan_needs_root);
                return EXIT_PRIVILEGE;
        }
        o.prepare = prepare;
        err = plan_build(c->root, &o, &p);
        if (err < 0) {
                log_error("cannot build the plan: %s", strerror(-err));
                return EXIT_FAILED;
        }
        /* A refusal says only why, one sentence per failed check; warnings are for runs
         * that go ahead. Exit code 3 tells scripts that nothing was changed. */
        code = plan_has_failure(&p) ? EXIT_CHECK : EXIT_OK;
        for (size_t i = 0; i < p.n_checks; i++) {
                const struct check *k = &p.checks[i];
                if (k->status == CHECK_FAIL)
                        log_error("%s", k->detail);
                else if (k->status == CHECK_WARN && code == EXIT_OK && !c->quiet)
                        log_warning("%s", k->detail);
        }
        if (code != EXIT_OK) {
                plan_done(&p);
                return code;
        }
        *ret = p;
        return EXIT_OK;
}

int load_plan_checked(const struct verb_context *c, bool prepare, struct plan *ret)
{
        struct plan p;
        int code, err;

        code = plan_for_change(c, prepare, &p);
        if (code != EXIT_OK)
                return code;
        err = kexec_load_plan(c->root, &p);
        if (err < 0) {
                _cleanup_free_ char *why = kexec_load_error(err, &p);
                log_error("%s", why ? why : strerror(-err));
                plan_done(&p);
                return EXIT_FAILED;
        }
        *ret = p;
        return EXIT_OK;
}
