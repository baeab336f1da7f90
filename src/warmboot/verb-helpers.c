/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the verbs that change the machine share: the plan they act on, checked, and the
 * load. */
#include "load-record-file.h"
#include "load.h"
#include "private-file.h"
#include "reuse.h"
#include "syscalls.h"
#include "timing.h"
#include "util.h"
#include "verbs.h"

/* What a load cannot do without, whatever --force says: a kernel, a command line, and the
 * initrd it was meant to have. NULL when the plan has them all. */
static const char *plan_missing_piece(const struct plan *p)
{
        const struct check *initrd = plan_find_check(p, "initrd");

        if (!p->kernel)
                return "no kernel was found to load, so --force has nothing to go ahead with";
        if (!p->cmdline)
                return "there is no command line for the new kernel, so --force cannot go "
                       "ahead; give one with --cmdline";
        if (initrd && initrd->status == CHECK_FAIL && !(p->initrds && p->initrds[0]))
                return "no initrd was found, and --force does not boot without one; give "
                       "--initrd PATH, or --no-initrd if the kernel needs none";
        if (p->kernel_image.file.open_err < 0)
                return "the kernel cannot be opened, so --force has nothing to load";
        for (size_t i = 0; p->initrds && p->initrds[i]; i++)
                if (p->initrd_files[i].open_err < 0)
                        return "an initrd cannot be opened, so --force cannot load it";
        return NULL;
}

int plan_for_change(const struct verb_context *c, bool prepare, struct reuse_verdict *reuse,
                    struct plan *ret)
{
        struct plan_options o = c->options;
        const char *missing;
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
         * that go ahead. Exit code 3 tells scripts that nothing was changed. With --force a
         * failed check is said as a warning, even with --quiet, and the kernel decides. */
        if (reuse) {
                err = reuse_into_plan(c->root, &p, &c->options, reuse);
                timing_mark("reuse check");
                if (err < 0) {
                        log_error("cannot tell whether the loaded kernel can be used: %s",
                                  strerror(-err));
                        plan_done(&p);
                        return EXIT_FAILED;
                }
                if (reuse->warning)
                        log_warning("%s", reuse->warning);
        }
        code = plan_has_failure(&p) && !c->force ? EXIT_CHECK : EXIT_OK;
        for (size_t i = 0; i < p.n_checks; i++) {
                const struct check *k = &p.checks[i];
                if (k->status == CHECK_FAIL && c->force)
                        log_warning("%s (going ahead anyway because of --force)", k->detail);
                else if (k->status == CHECK_FAIL)
                        log_error("%s", k->detail);
                else if (k->status == CHECK_WARN && code == EXIT_OK && !c->quiet)
                        log_warning("%s", k->detail);
        }
        missing = c->force ? plan_missing_piece(&p) : NULL;
        if (missing) {
                log_error("%s", missing);
                code = EXIT_CHECK;
        }
        /* --fallback-cold reboots cold on a failed check, and its report names the kernel
         * the plan chose: the plan is kept for it. */
        if (code == EXIT_CHECK && c->options.fallback_cold) {
                *ret = p;
                return code;
        }
        if (code != EXIT_OK) {
                plan_done(&p);
                return code;
        }
        *ret = p;
        return EXIT_OK;
}

int load_and_record(const struct verb_context *c, const struct plan *p)
{
        struct reuse_recording rec;
        int err;

        reuse_record_begin(c->root, p, &c->options, &rec);
        err = kexec_load_plan(c->root, p);
        timing_mark("load");
        if (err < 0) {
                _cleanup_free_ char *why = kexec_load_error(err, p);
                (void)reuse_record_end(&rec, false);
                log_error("%s", why ? why : strerror(-err));
                return EXIT_FAILED;
        }
        /* The kernel is loaded either way; without a record a later reboot loads it again.
         * Without libcrypto (a minimal initramfs, say) there is no record to write, and
         * nothing wrong to warn about: the load itself succeeded. */
        err = reuse_record_end(&rec, true);
        if (err < 0 && err != -EOPNOTSUPP) {
                _cleanup_free_ char *cause =
                        state_write_error(c->root, LOAD_RECORD_PARENT, LOAD_RECORD_DIRNAME, err);
                log_warning("the kernel is loaded, but %s could not be written (%s): "
                            "'warmboot reboot' will load it again",
                            LOAD_RECORD_PATH, cause ? cause : strerror(-err));
        }
        timing_mark("load record");
        return EXIT_OK;
}

char *state_write_error(const struct root *r, const char *parent, const char *dir, int err)
{
        char *why = NULL;

        if (private_dir_check(r, parent, dir, &why) < 0 && why)
                return why;
        return strdup(strerror(-err));
}

int load_plan_checked(const struct verb_context *c, bool prepare, struct plan *ret)
{
        struct plan p;
        int code;

        code = plan_for_change(c, prepare, NULL, &p);
        if (code != EXIT_OK)
                return code;
        code = load_and_record(c, &p);
        /* --fallback-cold reboots cold on a failed check, and its report names the kernel
         * the plan chose: the plan is kept for it. */
        if (code == EXIT_CHECK && c->options.fallback_cold) {
                *ret = p;
                return code;
        }
        if (code != EXIT_OK) {
                plan_done(&p);
                return code;
        }
        *ret = p;
        return EXIT_OK;
}
