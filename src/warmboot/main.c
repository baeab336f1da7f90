/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <getopt.h>
#include <stdarg.h>

#include "cmdline.h"
#include "module-name.h"
#include "build-config.h"
#include "signals.h"
#include "timing.h"
#include "util.h"
#include "verbs.h"

enum {
        OPT_SELECT = 1 << 0, /* --kernel --initrd --no-initrd --append --remove --cmdline */
        OPT_JSON = 1 << 1,
        OPT_NOW = 1 << 2,
        OPT_DRY_RUN = 1 << 3,
        OPT_PREPARE = 1 << 4, /* --unload --keep --kill --ignore-inhibitors */
        OPT_FORCE = 1 << 5,
        OPT_FALLBACK = 1 << 6, /* --fallback-cold */
        ACTS = 1 << 7,         /* changes the running kernel: refuses --root */
};

struct verb {
        const char *name;
        int (*run)(const struct verb_context *c);
        unsigned flags;
};

static const struct verb verbs[] = {
        {"plan", verb_plan, OPT_SELECT | OPT_JSON | OPT_PREPARE},
        {"load", verb_load, OPT_SELECT | OPT_FORCE | ACTS},
        {"unload", verb_unload, ACTS},
        {"status", verb_status, OPT_JSON},
        {"list", verb_list, OPT_JSON},
        {"reboot", verb_reboot,
         OPT_SELECT | OPT_JSON | OPT_NOW | OPT_DRY_RUN | OPT_PREPARE | OPT_FALLBACK | ACTS},
        {"confirm", verb_confirm, ACTS},
        {"restore", verb_restore, ACTS},
};

static const char *arg_root;
static bool arg_json, arg_quiet, arg_now, arg_dry_run, arg_no_initrd, arg_kill,
        arg_ignore_inhibitors, arg_force, arg_no_trial, arg_fallback_cold,
        arg_allow_passphrase_prompt;
static const char *arg_kernel, *arg_cmdline, *arg_entry;
static bool arg_default, arg_latest;
static char **arg_initrds, **arg_append, **arg_remove, **arg_unload, **arg_keep;
static unsigned arg_used;

static void help(void)
{
        printf("Usage: warmboot [OPTIONS] [VERB]\n"
               "\n"
               "Warm-reboot Linux with kexec: load a kernel and hand over to it without\n"
               "going through the firmware.\n"
               "\n"
               "Verbs:\n"
               "  plan            Show what a warm reboot would do and check it (default)\n"
               "  load            Load the kernel, initrd and command line\n"
               "  unload          Unload a loaded kernel\n"
               "  status          Show whether a kernel is loaded and kexec is possible\n"
               "  list            List the kernels the boot loaders offer\n"
               "  reboot          Load, then hand over through systemd (or --now)\n"
               "  confirm         Confirm the warm reboot that started this boot (run by\n"
               "                  warmboot-confirm.service)\n"
               "  restore         Put back what a killed warmboot reboot changed\n"
               "\n"
               "Selection (plan, load, reboot):\n"
               "      --entry ID        Boot this boot loader entry (id, title or index)\n"
               "      --default         Boot what the boot loader would boot\n"
               "      --latest          Boot the highest installed kernel version\n"
               "      --kernel PATH     Boot this image instead of the running kernel's\n"
               "      --initrd PATH     Use this initrd; repeat to join several in order\n"
               "      --no-initrd       Boot without an initrd\n"
               "      --append ARG      Add a parameter; one already present is replaced\n"
               "      --remove KEY      Drop parameters named KEY (or equal to KEY=VALUE)\n"
               "      --cmdline STRING  Use this command line instead of the running one\n"
               "      --no-trial        No panic=, watchdog or confirmation for this reboot\n"
               "      --allow-passphrase-prompt  Go ahead although a disk unlocked by a\n"
               "                        TPM2 policy on PCRs will ask for its passphrase\n"
               "\n"
               "Preparing the machine (plan, reboot):\n"
               "      --unload MODULE   Also unload this module before the hand-over\n"
               "      --keep MODULE     Never unload this module\n"
               "      --kill            End processes that hold the drivers' devices\n"
               "      --ignore-inhibitors  Hand over although logind inhibitors block shutdown\n"
               "\n"
               "Options:\n"
               "      --now             reboot: no orderly service shutdown: systemd ends every\n"
               "                        process at once (as systemctl --force kexec), or\n"
               "                        without systemd warmboot ends them, syncs, makes file\n"
               "                        systems read-only, then kexecs\n"
               "      --dry-run         reboot: only show the plan\n"
               "      --fallback-cold   reboot: when a check fails or the kernel refuses the\n"
               "                        load, reboot through the firmware instead\n"
               "      --force           load: load although checks fail (each is printed as a\n"
               "                        warning), so that the kernel itself decides, and\n"
               "                        although reboot would prepare the machine first\n"
               "      --json            plan, status, reboot --dry-run: print one JSON object\n"
               "      --root DIR        Read the machine's state from DIR (plan, status,\n"
               "                        reboot --dry-run)\n"
               "  -q, --quiet           Do not print warnings and progress messages\n"
               "  -h, --help            Show this help\n"
               "      --version         Show the version\n"
               "\n"
               "Exit status:\n"
               "  0  success\n"
               "  1  an operation failed (the message says what state the machine is in)\n"
               "  2  invalid usage\n"
               "  3  a check failed; nothing was changed\n"
               "  4  not enough privileges (root, CAP_SYS_BOOT); nothing was changed\n"
               "\n"
               "See warmboot(8).\n");
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
        va_list ap;

        fputs("warmboot: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputs("\nTry 'warmboot --help' for more information.\n", stderr);
        return -EINVAL;
}

static int push_arg(char ***l, const char *value)
{
        return strv_extend(l, value) < 0 ? log_error_errno(-ENOMEM, "cannot keep the options") : 0;
}

/* Returns 1 when a verb is to run (its name, if any, at argv[optind]), 0 when there is
 * nothing more to do (--help, --version), or a negative errno that has been reported:
 * -EINVAL for invalid usage. */
static int parse_argv(int argc, char *argv[])
{
        enum {
                ARG_VERSION = 0x100,
                ARG_ROOT,
                ARG_JSON,
                ARG_KERNEL,
                ARG_INITRD,
                ARG_NO_INITRD,
                ARG_APPEND,
                ARG_REMOVE,
                ARG_CMDLINE,
                ARG_NOW,
                ARG_DRY_RUN,
                ARG_UNLOAD,
                ARG_KEEP,
                ARG_KILL,
                ARG_IGNORE_INHIBITORS,
                ARG_ENTRY,
                ARG_DEFAULT,
                ARG_LATEST,
                ARG_FORCE,
                ARG_NO_TRIAL,
                ARG_FALLBACK_COLD,
                ARG_ALLOW_PASSPHRASE_PROMPT,
        };
        static const struct option options[] = {
                {"help", no_argument, NULL, 'h'},
                {"version", no_argument, NULL, ARG_VERSION},
                {"quiet", no_argument, NULL, 'q'},
                {"root", required_argument, NULL, ARG_ROOT},
                {"json", no_argument, NULL, ARG_JSON},
                {"kernel", required_argument, NULL, ARG_KERNEL},
                {"initrd", required_argument, NULL, ARG_INITRD},
                {"no-initrd", no_argument, NULL, ARG_NO_INITRD},
                {"append", required_argument, NULL, ARG_APPEND},
                {"remove", required_argument, NULL, ARG_REMOVE},
                {"cmdline", required_argument, NULL, ARG_CMDLINE},
                {"now", no_argument, NULL, ARG_NOW},
                {"dry-run", no_argument, NULL, ARG_DRY_RUN},
                {"unload", required_argument, NULL, ARG_UNLOAD},
                {"keep", required_argument, NULL, ARG_KEEP},
                {"kill", no_argument, NULL, ARG_KILL},
                {"ignore-inhibitors", no_argument, NULL, ARG_IGNORE_INHIBITORS},
                {"entry", required_argument, NULL, ARG_ENTRY},
                {"default", no_argument, NULL, ARG_DEFAULT},
                {"latest", no_argument, NULL, ARG_LATEST},
                {"force", no_argument, NULL, ARG_FORCE},
                {"no-trial", no_argument, NULL, ARG_NO_TRIAL},
                {"fallback-cold", no_argument, NULL, ARG_FALLBACK_COLD},
                {"allow-passphrase-prompt", no_argument, NULL, ARG_ALLOW_PASSPHRASE_PROMPT},
                {}};
        int c, r;

        while ((c = getopt_long(argc, argv, "hq", options, NULL)) >= 0) {
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("warmboot %s\n", WARMBOOT_VERSION);
                        return 0;
                case 'q':
                        arg_quiet = true;
                        break;
                case ARG_ROOT:
                        arg_root = optarg;
                        break;
                case ARG_JSON:
                        arg_json = true;
                        arg_used |= OPT_JSON;
                        break;
                case ARG_KERNEL:
                        if (optarg[0] != '/')
                                return usage_error("--kernel takes an absolute path, not '%s'",
                                                   optarg);
                        arg_kernel = optarg;
                        arg_used |= OPT_SELECT;
                        break;
                case ARG_INITRD:
                        if (optarg[0] != '/')
                                return usage_error("--initrd takes an absolute path, not '%s'",
                                                   optarg);
                        if ((r = push_arg(&arg_initrds, optarg)) < 0)
                                return r;
                        arg_used |= OPT_SELECT;
                        break;
                case ARG_NO_INITRD:
                        arg_no_initrd = true;
                        arg_used |= OPT_SELECT;
                        break;
                case ARG_APPEND:
                        if (!cmdline_param_valid(optarg))
                                return usage_error("--append '%s' is not one kernel parameter: "
                                                   "use KEY, KEY=VALUE or KEY=\"VALUE WITH "
                                                   "SPACES\"",
                                                   optarg);
                        if ((r = push_arg(&arg_append, optarg)) < 0)
                                return r;
                        arg_used |= OPT_SELECT;
                        break;
                case ARG_REMOVE:
                        if (!cmdline_param_valid(optarg))
                                return usage_error(
                                        "--remove '%s' is neither a parameter name nor KEY=VALUE",
                                        optarg);
                        if ((r = push_arg(&arg_remove, optarg)) < 0)
                                return r;
                        arg_used |= OPT_SELECT;
                        break;
                case ARG_CMDLINE:
                        arg_cmdline = optarg;
                        arg_used |= OPT_SELECT;
                        break;
                case ARG_NOW:
                        arg_now = true;
                        arg_used |= OPT_NOW;
                        break;
                case ARG_DRY_RUN:
                        arg_dry_run = true;
                        arg_used |= OPT_DRY_RUN;
                        break;
                case ARG_UNLOAD:
                case ARG_KEEP:
                        if (!module_name_valid(optarg))
                                return usage_error("'%s' is not a module name", optarg);
                        if ((r = push_arg(c == ARG_UNLOAD ? &arg_unload : &arg_keep, optarg)) < 0)
                                return r;
                        arg_used |= OPT_PREPARE;
                        break;
                case ARG_KILL:
                        arg_kill = true;
                        arg_used |= OPT_PREPARE;
                        break;
                case ARG_ENTRY:
                        arg_entry = optarg;
                        arg_used |= OPT_SELECT;
                        break;
                case ARG_DEFAULT:
                        arg_default = true;
                        arg_used |= OPT_SELECT;
                        break;
                case ARG_LATEST:
                        arg_latest = true;
                        arg_used |= OPT_SELECT;
                        break;
                case ARG_FORCE:
                        arg_force = true;
                        arg_used |= OPT_FORCE;
                        break;
                case ARG_NO_TRIAL:
                        arg_no_trial = true;
                        arg_used |= OPT_SELECT;
                        break;
                case ARG_FALLBACK_COLD:
                        arg_fallback_cold = true;
                        arg_used |= OPT_FALLBACK;
                        break;
                case ARG_ALLOW_PASSPHRASE_PROMPT:
                        arg_allow_passphrase_prompt = true;
                        arg_used |= OPT_SELECT;
                        break;
                case ARG_IGNORE_INHIBITORS:
                        arg_ignore_inhibitors = true;
                        arg_used |= OPT_PREPARE;
                        break;
                default:
                        return usage_error("invalid option");
                }
        }
        if (!!arg_entry + arg_default + arg_latest + !!arg_kernel > 1)
                return usage_error("--entry, --default, --latest and --kernel each choose the "
                                   "kernel: give one of them");
        if (arg_no_initrd && arg_initrds)
                return usage_error("--initrd and --no-initrd contradict each other");
        if (argc - optind > 1)
                return usage_error("too many arguments: '%s'", argv[optind + 1]);
        return 1;
}

/* The one place where errors become exit codes: a verb's own exit code passes through;
 * an error that stopped warmboot before a verb ran is invalid usage (-EINVAL) or a
 * failure. */
static int exit_status(int r)
{
        if (r >= 0)
                return r;
        return r == -EINVAL ? EXIT_USAGE : EXIT_FAILED;
}

int main(int argc, char *argv[])
{
        const struct verb *verb = NULL;
        const char *name;
        struct verb_context ctx = {};
        int r, sig;

        timing_init();
        timing_mark("start");
        r = parse_argv(argc, argv);
        if (r <= 0)
                goto out;

        name = optind < argc ? argv[optind] : "plan";
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(verbs[i].name, name))
                        verb = &verbs[i];
        if (!verb) {
                r = usage_error("unknown verb '%s'", name);
                goto out;
        }
        if (arg_force && !(verb->flags & OPT_FORCE)) {
                r = usage_error("--force goes with load only, not with '%s'", verb->name);
                goto out;
        }
        if (arg_used & ~verb->flags &
            (OPT_SELECT | OPT_JSON | OPT_NOW | OPT_DRY_RUN | OPT_PREPARE | OPT_FORCE |
             OPT_FALLBACK)) {
                r = usage_error("an option given does not apply to '%s'", verb->name);
                goto out;
        }
        if (arg_json && streq(verb->name, "reboot") && !arg_dry_run) {
                r = usage_error("--json goes with plan, status and reboot --dry-run");
                goto out;
        }
        if (arg_root && (verb->flags & ACTS) && !arg_dry_run) {
                r = usage_error("'%s' acts on the running kernel and does not take --root",
                                verb->name);
                goto out;
        }

        r = root_new(arg_root, &ctx.root);
        if (r < 0) {
                if (r == -EOPNOTSUPP)
                        log_error("--root needs openat2(2) (Linux 5.6 or later), so that links in "
                                  "%s resolve inside it",
                                  arg_root);
                else
                        log_error_errno(r, "cannot open the root directory %s", arg_root);
                r = -EINVAL; /* a --root that cannot be used is invalid usage */
                goto out;
        }
        ctx.options = (struct plan_options){
                .entry = arg_entry,
                .use_default = arg_default,
                .latest = arg_latest,
                .kernel = arg_kernel,
                .initrds = arg_initrds,
                .no_initrd = arg_no_initrd,
                .cmdline = arg_cmdline,
                .append = arg_append,
                .remove = arg_remove,
                .unload = arg_unload,
                .keep = arg_keep,
                .kill = arg_kill,
                .ignore_inhibitors = arg_ignore_inhibitors,
                .allow_passphrase_prompt = arg_allow_passphrase_prompt,
                .ask_systemd = !arg_root,
                .now = arg_now,
                .no_trial = arg_no_trial,
                .fallback_cold = arg_fallback_cold,
        };
        ctx.json = arg_json;
        ctx.quiet = arg_quiet;
        ctx.dry_run = arg_dry_run;
        ctx.force = arg_force;
        r = verb->run(&ctx);
        timing_mark("end");
        root_free(ctx.root);
out:
        strv_free(arg_initrds);
        strv_free(arg_append);
        strv_free(arg_remove);
        strv_free(arg_unload);
        strv_free(arg_keep);
        sig = signals_received();
        if (sig != 0 && r == EXIT_FAILED) {
                /* Interrupted, and the machine put back: die of the signal, so that a calling
                 * shell or script stops as it does for any interrupted command. */
                fflush(NULL);
                signals_die_of(sig);
        }
        return exit_status(r);
}
