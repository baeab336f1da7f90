/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config-files.h"
#include "prepare.h"
#include "syscalls.h"
#include "util.h"
#include "verbs.h"

/*
 * Puts back what a killed `warmboot reboot` changed, as its journal lists it: the modules
 * loaded again, the units started, the target isolated, the kernel unloaded. Quiet when
 * there is nothing to put back.
 */
int verb_restore(const struct verb_context *c)
{
        _cleanup_(run_journal_done) struct run_journal j = {};
        _cleanup_(undo_done) struct undo u = {};
        _cleanup_strv_free_ char **report = NULL;
        _cleanup_free_ char *why = NULL, *error = NULL;
        enum run_journal_state state;
        struct config config;
        int err;

        err = run_journal_read(c->root, &j, &state, &why);
        if (err < 0) {
                log_error("%s", why ? why : strerror(-err));
                return EXIT_FAILED;
        }
        if (state == RUN_JOURNAL_NONE)
                return EXIT_OK;
        if (state == RUN_JOURNAL_RUNNING) {
                log_error("warmboot (pid %d) is preparing the machine now: it puts back what it "
                          "changed itself when it fails or gets SIGINT or SIGTERM",
                          j.pid);
                return EXIT_FAILED;
        }
        if (!sys->can_boot()) {
                log_error("restoring the machine needs root (CAP_SYS_BOOT); run it with sudo");
                return EXIT_PRIVILEGE;
        }
        /* The time-outs of the jobs; a configuration that cannot be read leaves the built-in
         * ones, for the machine must be put back all the same. */
        err = config_load(c->root, &config, &error);
        if (err == -ENOMEM) {
                log_error_errno(err, "cannot read the configuration");
                return EXIT_FAILED;
        }
        if (err < 0) {
                if (!c->quiet)
                        log_warning("%s: using the built-in time-outs", error);
                config_init(&config);
        }
        (void)undo_from_journal(c->root, &j, &u);
        err = restore_machine(c->root, &u, config.isolate_timeout_sec, &report);
        config_done(&config);
        for (size_t i = 0; report && report[i]; i++) {
                if (err < 0)
                        log_error("%s", report[i]);
                else if (!c->quiet)
                        printf("%s\n", report[i]);
        }
        return err < 0 ? EXIT_FAILED : EXIT_OK;
}
