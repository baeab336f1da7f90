/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "config-files.h"
#include "disk-unlock.h"
#include "kmod-context.h"
#include "module-graph.h"
#include "module-name.h"
#include "plan-internal.h"
#include "prepare.h"
#include "private-file.h"
#include "proc-modules.h"
#include "syscalls.h"
#include "systemd-bus.h"
#include "trusted-file.h"
#include "util.h"

const char plan_needs_root[] =
        "loading and booting a kernel needs root (CAP_SYS_BOOT); run it with sudo";

int check_privileges(struct plan *p, const struct root *r)
{
        if (!root_is_host(r))
                return 0; /* a tree standing for a machine: nobody's privileges to check */
        p->privileged = sys->can_boot();
        if (p->privileged)
                return add_check(p, "privileges", CHECK_PASS, "running with CAP_SYS_BOOT");
        /* plan needs no privileges; the verbs that do refuse before building one. */
        return add_check(p, "privileges", CHECK_WARN, "%s", plan_needs_root);
}

int check_kexec_support(struct plan *p)
{
        const struct host_state *h = &p->host;

        if (h->kexec_file == 1)
                return add_check(p, "kexec-support", CHECK_PASS, "CONFIG_KEXEC_FILE=y in %s",
                                 h->config_path);
        if (h->kexec_file == 0)
                return add_check(p, "kexec-support", CHECK_FAIL,
                                 "the running kernel is built without kexec_file_load "
                                 "(CONFIG_KEXEC_FILE is off in %s)",
                                 h->config_path);
        if (h->kexec_loaded >= 0)
                return add_check(p, "kexec-support", CHECK_WARN,
                                 "no kernel config to confirm CONFIG_KEXEC_FILE; "
                                 "/sys/kernel/kexec_loaded shows kexec is built in");
        return add_check(p, "kexec-support", CHECK_WARN,
                         "no kernel config and no /sys/kernel/kexec_loaded: kexec support "
                         "is unknown");
}
/* A check on a 0/1 flag of the kernel's: what each value means, and -1 for a file that is
 * absent or unreadable. */
struct flag_check {
        const char *name;
        enum check_status if_set;
        const char *clear, *set, *unknown;
};

static int check_flag(struct plan *p, const struct flag_check *c, int value)
{
        if (value == 0)
                return add_check(p, c->name, CHECK_PASS, "%s", c->clear);
        if (value == 1)
                return add_check(p, c->name, c->if_set, "%s", c->set);
        return add_check(p, c->name, CHECK_WARN, "%s", c->unknown);
}

int check_load_disabled(struct plan *p)
{
        static const struct flag_check c = {
                "kexec-load-disabled",
                CHECK_FAIL,
                "kexec_load_disabled is 0",
                "kexec is disabled until the next cold boot "
                "(/proc/sys/kernel/kexec_load_disabled is 1 and cannot be reset)",
                "/proc/sys/kernel/kexec_load_disabled is absent or unreadable",
        };

        return check_flag(p, &c, p->host.load_disabled);
}

/* Why a file cannot serve as the kernel or an initrd: 0 with *ret_problem NULL when it can,
 * 0 with the sentence in *ret_problem when it cannot, -ENOMEM. */
static int file_problem(const struct file_facts *f, const char *path, const char *what,
                        char **ret_problem)
{
        char *problem;

        if (f->open_err < 0)
                problem = strdup_printf("cannot open the %s %s: %s", what, path,
                                        strerror(-f->open_err));
        else if (!f->regular)
                problem = strdup_printf("the %s %s is not a regular file", what, path);
        else if (f->size == 0)
                problem = strdup_printf("the %s %s is empty", what, path);
        else {
                *ret_problem = NULL;
                return 0;
        }
        if (!problem)
                return -ENOMEM;
        *ret_problem = problem;
        return 0;
}

int check_kernel(struct plan *p)
{
        const struct kernel_image *k = &p->kernel_image;
        _cleanup_free_ char *problem = NULL;
        const char *unbootable;
        int err;

        if (!p->kernel)
                return 0;
        err = file_problem(&k->file, p->kernel, "kernel", &problem);
        if (err < 0)
                return err;
        if (problem)
                return add_check(p, "kernel", CHECK_FAIL, "%s", problem);
        if (k->read_err < 0 && p->uki)
                return add_check(p, "kernel", CHECK_FAIL,
                                 "cannot read the .linux section of the UKI %s: %s", p->kernel,
                                 strerror(-k->read_err));
        if (k->read_err < 0)
                return add_check(p, "kernel", CHECK_FAIL, "cannot read the kernel %s: %s",
                                 p->kernel, strerror(-k->read_err));
        if (k->status != BZIMAGE_OK && p->uki)
                return add_check(p, "kernel", CHECK_FAIL,
                                 "the .linux section of %s is not a kernel warmboot can load: %s",
                                 p->kernel, bzimage_status_to_string(k->status));
        if (k->status != BZIMAGE_OK)
                return add_check(p, "kernel", CHECK_FAIL,
                                 "%s is not a kernel warmboot can load: %s", p->kernel,
                                 bzimage_status_to_string(k->status));
        unbootable = bzimage_kexec_problem(&k->info);
        if (!unbootable)
                unbootable = bzimage_size_problem(&k->info, k->image_size);
        if (unbootable)
                return add_check(p, "kernel", CHECK_FAIL, "cannot boot %s%s: %s",
                                 p->uki ? "the .linux of " : "", p->kernel, unbootable);
        if (p->uki)
                return add_check(p, "kernel", CHECK_PASS,
                                 "%s: unified kernel image; its .linux is a bzImage, boot "
                                 "protocol %u.%02u%s",
                                 p->kernel, k->info.protocol >> 8, k->info.protocol & 0xff,
                                 k->info.signature ? ", signed" : "");
        return add_check(p, "kernel", CHECK_PASS,
                         "%s: bzImage, boot protocol %u.%02u, 64-bit, relocatable%s", p->kernel,
                         k->info.protocol >> 8, k->info.protocol & 0xff,
                         k->info.signature ? ", signed" : "");
}

int check_initrds(struct plan *p, const struct plan_options *o)
{
        const char *base;

        if (!p->kernel)
                return 0;
        if (o->no_initrd)
                return add_check(p, "initrd", CHECK_PASS, "none: --no-initrd");
        if (p->uki && !p->initrds[0])
                return add_check(p, "initrd", CHECK_PASS,
                                 "the UKI's own .ucode and .initrd, in that order");
        if (!p->initrds[0]) {
                /* An unusable kernel has failed already; its initrd is no second problem. */
                if (!p->have_image)
                        return 0;
                base = path_basename(p->kernel);
                return add_check(p, "initrd", CHECK_FAIL,
                                 "no initrd found for %s (looked for initrd.img-, initramfs-, "
                                 "initrd- beside it; kdump and fallback images are never "
                                 "chosen); give --initrd PATH, or --no-initrd if it boots "
                                 "without one",
                                 base);
        }
        for (size_t i = 0; p->initrds[i]; i++) {
                _cleanup_free_ char *problem = NULL;
                int err = file_problem(&p->initrd_files[i], p->initrds[i], "initrd", &problem);

                if (err < 0)
                        return err;
                if (problem)
                        return add_check(p, "initrd", CHECK_FAIL, "%s", problem);
        }
        if (p->initrds[1])
                return add_check(p, "initrd", CHECK_PASS, "%zu images, joined in this order",
                                 strv_length(p->initrds));
        return add_check(p, "initrd", CHECK_PASS, "%s", p->initrds[0]);
}
int check_release(struct plan *p, const struct plan_options *o)
{
        const char *want =
                o->kernel || o->entry || o->use_default || o->latest ? NULL : p->host.release;

        if (!p->have_image)
                return 0;
        if (!p->image.release[0])
                return add_check(p, "release", CHECK_WARN,
                                 "the image carries no version string; cannot tell which "
                                 "release it is");
        if (!want)
                return add_check(p, "release", CHECK_PASS, "the image is %s", p->image.release);
        if (!streq(want, p->image.release))
                return add_check(p, "release", CHECK_WARN,
                                 "the image is %s but the running kernel is %s: the warm "
                                 "reboot starts %s, whose modules must be installed",
                                 p->image.release, want, p->image.release);
        return add_check(p, "release", CHECK_PASS, "the image is the running release %s", want);
}
int check_cmdline(struct plan *p, const struct plan_options *o)
{
        size_t len, max;
        int err;

        if (!o->cmdline && !p->entry_cmdline && !p->host.cmdline)
                return add_check(p, "cmdline", CHECK_FAIL,
                                 "cannot read /proc/cmdline (%s); give the line with --cmdline",
                                 strerror(-p->host.cmdline_err));
        err = plan_compose_cmdline(p->entry_cmdline ? p->entry_cmdline : p->host.cmdline, o,
                                   &p->cmdline);
        if (err == -EINVAL)
                return add_check(p, "cmdline", CHECK_FAIL,
                                 "an --append value is not one kernel parameter (empty, "
                                 "unbalanced quotes, a space outside quotes or a control "
                                 "character)");
        if (err >= 0)
                err = trial_apply(p);
        if (err < 0)
                return err;
        if (!p->have_image)
                return add_check(p, "cmdline", CHECK_WARN,
                                 "length not checked: no image header to compare with");
        len = strlen(p->cmdline);
        max = bzimage_cmdline_max(&p->image);
        if (len > max)
                return add_check(p, "cmdline", CHECK_FAIL,
                                 "the command line is %zu bytes but %s takes at most %zu "
                                 "(cmdline_size %u, less 31 that kexec reserves); shorten it "
                                 "with --remove or --cmdline",
                                 len, p->kernel, max, p->image.cmdline_size);
        return add_check(p, "cmdline", CHECK_PASS, "%zu of at most %zu bytes", len, max);
}
int check_lockdown(struct plan *p)
{
        const char *mode = p->host.lockdown;

        if (!mode)
                return add_check(
                        p, "lockdown", CHECK_WARN,
                        "lockdown state unknown (/sys/kernel/security/lockdown is absent)");
        if (streq(mode, "none"))
                return add_check(p, "lockdown", CHECK_PASS, "not locked down");
        if (!p->have_image)
                return add_check(p, "lockdown", CHECK_WARN,
                                 "locked down (%s): only a signed image will load", mode);
        if (p->image.signature)
                return add_check(p, "lockdown", CHECK_PASS,
                                 "locked down (%s): %s is signed; its key must be one the "
                                 "running kernel trusts",
                                 mode, p->kernel);
        if (p->uki)
                return add_check(p, "lockdown", CHECK_FAIL,
                                 "locked down (%s): the kernel checks the .linux inside %s, not "
                                 "the UKI's own signature, and that .linux carries none; boot a "
                                 "UKI whose kernel is signed itself",
                                 mode, p->kernel);
        return add_check(p, "lockdown", CHECK_FAIL,
                         "locked down (%s): the kernel will refuse %s because it carries no "
                         "signature; boot a signed kernel",
                         mode, p->kernel);
}
int check_interrupted(struct plan *p, const struct root *r)
{
        _cleanup_(run_journal_done) struct run_journal j = {};
        _cleanup_free_ char *why = NULL, *summary = NULL;
        enum run_journal_state state;
        int err;

        /* reboot keeps its journal there, and will not begin without it. */
        err = private_dir_check(r, RUN_JOURNAL_PARENT, RUN_JOURNAL_DIRNAME, &why);
        if (err >= 0)
                err = run_journal_read(r, &j, &state, &why);
        if (err == -ENOMEM)
                return err;
        if (err < 0)
                return add_check(p, "interrupted", CHECK_FAIL, "%s",
                                 why ? why : "cannot read " RUN_JOURNAL_PATH);
        /* Said only when there is something to say: the machine is as no run left it. */
        if (state == RUN_JOURNAL_NONE)
                return 0;
        summary = journal_summary(&j, state);
        if (!summary)
                return -ENOMEM;
        return add_check(p, "interrupted", CHECK_FAIL, "%s", summary);
}

int check_loaded(struct plan *p)
{
        static const struct flag_check c = {
                "loaded",
                CHECK_WARN,
                "no kernel is loaded yet",
                "a kernel is already loaded; loading replaces it, 'warmboot unload' removes it",
                "/sys/kernel/kexec_loaded is absent: this kernel may lack kexec",
        };

        return check_flag(p, &c, p->host.kexec_loaded);
}

int check_config(struct plan *p, const struct root *r)
{
        _cleanup_free_ char *error = NULL;
        int err;

        err = config_load(r, &p->config, &error);
        if (err == -ENOMEM)
                return err;
        if (err < 0) {
                config_init(&p->config);
                return add_check(p, "config", CHECK_FAIL, "%s",
                                 error ? error : "cannot read the configuration");
        }
        return add_check(p, "config", CHECK_PASS, "%s",
                         root_exists(r, CONFIG_FILE) || root_exists(r, CONFIG_DROPIN_DIR)
                                 ? "read " CONFIG_FILE " and " CONFIG_DROPIN_DIR
                                 : "no configuration files: built-in defaults");
}
/* The files that decide what is loaded and stopped, in the order they are judged. */
static int permission_paths(struct plan *p, const struct root *r, char ***ret)
{
        _cleanup_strv_free_ char **paths = calloc(1, sizeof(char *)), **config = NULL;
        int err;

        if (!paths)
                return -ENOMEM;
        if (p->kernel && strv_extend(&paths, p->kernel) < 0)
                return -ENOMEM;
        for (size_t i = 0; p->initrds && p->initrds[i]; i++)
                if (strv_extend(&paths, p->initrds[i]) < 0)
                        return -ENOMEM;
        if (p->entry_file && p->entry_file[0] == '/' && !streq_ptr(p->entry_file, p->kernel) &&
            strv_extend(&paths, p->entry_file) < 0)
                return -ENOMEM;
        err = config_paths(r, &config);
        if (err < 0)
                return err;
        for (size_t i = 0; config[i]; i++)
                if (strv_extend(&paths, config[i]) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(paths);
        return 0;
}

/* "the kernel, the initrd, the boot entry and the configuration, and the directories that
 * hold them", as far as there are; "" for none. */
static char *permission_subjects(const struct plan *p, const struct root *r)
{
        _cleanup_free_ char *initrds = NULL;
        const char *parts[4];
        size_t n = 0, k = strv_length(p->initrds);

        if (p->kernel)
                parts[n++] = p->uki ? "the UKI" : "the kernel";
        if (k > 1 && !(initrds = strdup_printf("the %zu initrds", k)))
                return NULL;
        if (k > 0)
                parts[n++] = k > 1 ? initrds : "the initrd";
        if (p->entry_file && p->entry_file[0] == '/' && !streq_ptr(p->entry_file, p->kernel))
                parts[n++] = "the boot entry";
        if (root_exists(r, CONFIG_FILE) || root_exists(r, CONFIG_DROPIN_DIR))
                parts[n++] = "the configuration";
        if (n == 0)
                return strdup("");
        if (n == 1)
                return strdup_printf("%s, and the directories that hold it", parts[0]);
        if (n == 2)
                return strdup_printf("%s and %s, and the directories that hold them", parts[0],
                                     parts[1]);
        if (n == 3)
                return strdup_printf("%s, %s and %s, and the directories that hold them", parts[0],
                                     parts[1], parts[2]);
        return strdup_printf("%s, %s, %s and %s, and the directories that hold them", parts[0],
                             parts[1], parts[2], parts[3]);
}

int check_permissions(struct plan *p, const struct root *r)
{
        _cleanup_strv_free_ char **paths = NULL;
        _cleanup_free_ char *subjects = NULL;
        int err;

        err = permission_paths(p, r, &paths);
        if (err < 0)
                return err;
        for (size_t i = 0; paths[i]; i++) {
                _cleanup_free_ char *why = NULL;

                err = trusted_file_check(r, paths[i], &why);
                if (err == -ENOMEM)
                        return err;
                if (err == -EPERM)
                        return add_check(p, "permissions", CHECK_FAIL, "%s", why);
                /* Absent files are the kernel's, initrd's or config's check to report; one
                 * this user may not look into is root's to judge when it runs. */
                if (err == -EACCES)
                        return add_check(p, "permissions", CHECK_WARN,
                                         "cannot tell who can change %s: %s", paths[i],
                                         strerror(-err));
                if (err < 0 && err != -ENOENT)
                        return add_check(p, "permissions", CHECK_FAIL,
                                         "cannot tell who can change %s: %s", paths[i],
                                         strerror(-err));
        }
        subjects = permission_subjects(p, r);
        if (!subjects)
                return -ENOMEM;
        if (!*subjects)
                return 0; /* nothing chosen to load and no configuration: nothing to judge */
        return add_check(p, "permissions", CHECK_PASS, "only root can change %s", subjects);
}
int check_systemd(struct plan *p, const struct plan_options *o)
{
        _cleanup_free_ char *error = NULL;
        enum systemd_route route;
        int err;

        if (!o->ask_systemd || !p->host.systemd)
                return 0;
        err = systemd->manager_route(&route, &error);
        /* Only root reaches the manager without a bus: as anyone else, reboot is refused
         * for want of privileges anyway. */
        if (err < 0)
                return add_check(p, "systemd", sys->can_boot() ? CHECK_FAIL : CHECK_WARN,
                                 "systemd is PID 1 but cannot be asked: %s",
                                 error ? error : strerror(-err));
        p->system_bus = route == SYSTEMD_ROUTE_BUS;
        if (p->system_bus)
                return add_check(p, "systemd", CHECK_PASS, "reached over the system bus");
        return add_check(p, "systemd", CHECK_WARN,
                         "no D-Bus daemon: systemd is reached over its private socket %s, and "
                         "logind's inhibitors cannot be asked and are not honoured",
                         SYSTEMD_PRIVATE_SOCKET);
}
static int load_module_graph(const struct root *r, struct module_graph *ret, const char **ret_why)
{
        _cleanup_(kmod_context_unrefp) struct kmod_ctx *ctx = NULL;
        int err;

        *ret_why = NULL;
        if (!root_is_host(r))
                return module_graph_from_root(r, ret);
        err = kmod_context_open(&ctx, ret_why);
        if (err < 0)
                return err;
        return module_graph_from_kmod(ctx, ret);
}

static const char nothing_to_unload[] = "no driver that needs unloading before kexec is loaded";

/* The modules check when no module is to be unloaded: an empty list and one line. */
static int no_modules(struct plan *p, enum check_status status, const char *detail)
{
        p->modules = calloc(1, sizeof(char *));
        return p->modules ? add_check(p, "modules", status, "%s", detail) : -ENOMEM;
}

/* Whether a module of wanted is loaded at all, from /proc/modules alone: on most machines
 * none is, and then libkmod need not be loaded to say so. true also when it cannot tell:
 * the full reading then says why. */
static bool some_wanted_loaded(const struct root *r, char *const *wanted)
{
        _cleanup_free_ char *text = NULL;
        char *p, *line;

        if (root_read_string(r, "/proc/modules", PROC_MODULES_MAX, &text) < 0)
                return true;
        p = text;
        while ((line = strsep(&p, "\n"))) {
                struct proc_module_line m;
                bool hit;

                if (!*line)
                        continue;
                if (proc_modules_parse_line(line, &m) < 0)
                        return true;
                hit = module_names_contain(wanted, m.name);
                proc_module_line_done(&m);
                if (hit)
                        return true;
        }
        return false;
}

int check_modules(struct plan *p, const struct root *r, const struct plan_options *o)
{
        _cleanup_strv_free_ char **wanted = strv_copy((char **)modules_builtin_unload);
        _cleanup_strv_free_ char **keep = strv_copy(p->config.keep);
        _cleanup_free_ char *blocker = NULL, *list = NULL;
        struct module_graph g = {};
        const char *why = NULL;
        int err;

        if (!wanted || !keep)
                return -ENOMEM;
        for (size_t i = 0; p->config.unload && p->config.unload[i]; i++)
                if (strv_extend(&wanted, p->config.unload[i]) < 0)
                        return -ENOMEM;
        for (size_t i = 0; o->unload && o->unload[i]; i++)
                if (strv_extend(&wanted, o->unload[i]) < 0)
                        return -ENOMEM;
        for (size_t i = 0; o->keep && o->keep[i]; i++)
                if (strv_extend(&keep, o->keep[i]) < 0)
                        return -ENOMEM;

        if (!root_is_host(r) && !root_exists(r, "/proc/modules"))
                return no_modules(p, CHECK_WARN, "no /proc/modules: loaded modules unknown");
        if (!some_wanted_loaded(r, wanted))
                return no_modules(p, CHECK_PASS, nothing_to_unload);
        err = load_module_graph(r, &g, &why);
        if (err == -ENOMEM)
                return err;
        if (err < 0) {
                _cleanup_free_ char *d = strdup_printf("cannot read the loaded modules (%s)",
                                                       why ? why : strerror(-err));
                return d ? no_modules(p, CHECK_WARN, d) : -ENOMEM;
        }
        err = modules_unload_order(&g, wanted, keep, &p->modules, &blocker);
        module_graph_done(&g);
        if (err == -EBUSY)
                return add_check(p, "modules", CHECK_FAIL,
                                 "%s, and it is kept (--keep or Keep=): it cannot be unloaded",
                                 blocker);
        if (err < 0)
                return err;
        if (!p->modules[0])
                return add_check(p, "modules", CHECK_PASS, "%s", nothing_to_unload);
        for (size_t i = 0; p->modules[i]; i++) {
                char *m =
                        strdup_printf("%s%s%s", list ? list : "", list ? ", " : "", p->modules[i]);
                if (!m)
                        return -ENOMEM;
                free(list);
                list = m;
        }
        return add_check(p, "modules", CHECK_PASS, "unload in this order: %s", list);
}
int check_inhibitors(struct plan *p, const struct root *r, const struct plan_options *o)
{
        _cleanup_strv_free_ char **l = NULL;
        int err;

        /* --now does not ask logind (nor does systemctl --force kexec), and nobody can
         * without a system bus. */
        if (!o->ask_systemd || p->handover != HANDOVER_SYSTEMD || !p->system_bus)
                return 0;
        err = systemd->shutdown_inhibitors(&l);
        if (err < 0 || !l[0])
                return 0;
        return add_check(p, "inhibitors", o->ignore_inhibitors ? CHECK_WARN : CHECK_FAIL,
                         "shutdown is inhibited by %s%s; %s", l[0], l[1] ? " and others" : "",
                         o->ignore_inhibitors ? "ignored (--ignore-inhibitors)"
                                              : "close it or give --ignore-inhibitors");
}

/* How a disk unlocks after kexec, worst last. */
enum unlock_outcome {
        UNLOCK_FINE,       /* not through the TPM, or not through the PCRs */
        UNLOCK_UNREADABLE, /* cannot tell: the header cannot be read */
        UNLOCK_PROMPT,     /* a TPM2 policy on PCRs: it will ask for a passphrase */
        UNLOCK_CORRUPT,    /* no valid LUKS header: it will not unlock at all */
};

struct unlock_finding {
        enum unlock_outcome outcome;
        char *what; /* "is unlocked by ...", for the sentence after the device */
        bool needed;
};

static bool disk_needed(const struct encrypted_disk *d)
{
        return d->root || (!d->noauto && !d->nofail);
}

static char *disk_label(const struct encrypted_disk *d)
{
        if (d->crypttab_name && d->root)
                return strdup_printf("%s (crypttab entry %s, the root file system)", d->device,
                                     d->crypttab_name);
        if (d->crypttab_name)
                return strdup_printf("%s (crypttab entry %s)", d->device, d->crypttab_name);
        return strdup_printf("%s (the root file system)", d->device);
}

static char *pcrs_phrase(uint32_t mask)
{
        _cleanup_free_ char *list = pcr_mask_to_string(mask);

        if (!list)
                return NULL;
        return strdup_printf("%s %s", strchr(list, '+') ? "PCRs" : "PCR", list);
}

/* What the header (or, where it cannot be read, crypttab) says. -ENOMEM. */
static int disk_finding(const struct encrypted_disk *d, struct unlock_finding *f)
{
        const struct luks_tpm2 *t = &d->tpm2;
        _cleanup_free_ char *pcrs = NULL;

        *f = (struct unlock_finding){UNLOCK_FINE, NULL, disk_needed(d)};
        if (d->header_err == 0) {
                bool bound = t->pcrs || t->pcrlock;
                const char *by = t->systemd_tpm2 ? "a TPM2 policy" : "a clevis tpm2 pin";

                if (bound && (pcrs = pcrs_phrase(t->pcrs)) == NULL)
                        return -ENOMEM;
                if (bound && (t->clevis_survives || t->tpm2_no_pcrs))
                        f->what = strdup_printf("is bound to %s but also unlocks without them",
                                                t->pcrs ? pcrs : "pcrlock's PCRs");
                else if (bound) {
                        f->outcome = UNLOCK_PROMPT;
                        f->what = t->pcrs ? strdup_printf(
                                                    "is unlocked by %s bound to %s%s", by, pcrs,
                                                    t->systemd_tpm2 ? " (systemd-tpm2 token)" : "")
                                          : strdup("is unlocked by a TPM2 pcrlock policy over this "
                                                   "boot's PCRs");
                } else if (t->tpm2_no_pcrs)
                        f->what = strdup("is unlocked by a TPM2 policy on no PCR, which kexec "
                                         "does not change");
                else
                        return 0;
                return f->what ? 0 : -ENOMEM;
        }
        if (d->header_err == -EINVAL) {
                f->outcome = UNLOCK_CORRUPT;
                f->what = strdup("holds no valid LUKS header (bad magic, checksum or metadata)");
        } else if (d->crypttab_tpm2) {
                f->outcome = UNLOCK_PROMPT;
                f->what = strdup_printf("asks for tpm2-device=%s in /etc/crypttab (%s%s), and "
                                        "its LUKS header cannot be read (%s)",
                                        d->crypttab_tpm2,
                                        d->crypttab_pcrs ? "tpm2-pcrs="
                                                         : "PCR 7 unless the "
                                                           "header says other",
                                        d->crypttab_pcrs ? d->crypttab_pcrs : "",
                                        d->header_why ? d->header_why : strerror(-d->header_err));
        } else {
                f->outcome = UNLOCK_UNREADABLE;
                f->what =
                        d->header_why ? strdup_printf("cannot be checked: %s", d->header_why)
                        : d->header_err == -EACCES || d->header_err == -EPERM
                                ? strdup("cannot be checked: its LUKS header is readable "
                                         "only by root")
                                : strdup_printf("cannot be checked: %s", strerror(-d->header_err));
        }
        return f->what ? 0 : -ENOMEM;
}

/* fail unless the user allowed the prompt; a warning for a disk the boot does not wait for. */
static enum check_status unlock_status(const struct unlock_finding *f, const struct plan_options *o)
{
        if (f->outcome == UNLOCK_FINE)
                return CHECK_PASS;
        if (f->outcome == UNLOCK_UNREADABLE || !f->needed || o->allow_passphrase_prompt)
                return CHECK_WARN;
        return CHECK_FAIL;
}

static int unlock_check(struct plan *p, const struct encrypted_disk *d,
                        const struct unlock_finding *f, const struct plan_options *o, size_t others)
{
        _cleanup_free_ char *label = disk_label(d), *more = NULL;
        enum check_status status = unlock_status(f, o);
        const char *consequence = "";

        if (!label)
                return -ENOMEM;
        if (others) {
                more = strdup_printf(" (%zu more disk%s too)", others, others > 1 ? "s" : "");
                if (!more)
                        return -ENOMEM;
        }
        if (f->outcome == UNLOCK_PROMPT && !f->needed)
                consequence = ": after kexec it will ask for its passphrase when it is set up, "
                              "which the boot does not wait for";
        else if (f->outcome == UNLOCK_PROMPT && status == CHECK_FAIL)
                consequence = ": after kexec the PCRs keep this boot's measurements, so the new "
                              "kernel would stop at a passphrase prompt; "
                              "--allow-passphrase-prompt goes ahead anyway";
        else if (f->outcome == UNLOCK_PROMPT)
                consequence = ": after kexec the PCRs keep this boot's measurements, so the new "
                              "kernel will stop at a passphrase prompt (--allow-passphrase-prompt)";
        else if (f->outcome == UNLOCK_CORRUPT && status == CHECK_FAIL)
                consequence = ", so it cannot be unlocked after the reboot; "
                              "--allow-passphrase-prompt goes ahead anyway";
        return add_check(p, "disk-unlock", status, "%s %s%s%s", label, f->what, consequence,
                         more ? more : "");
}

int check_disk_unlock(struct plan *p, const struct root *r, const struct plan_options *o)
{
        _cleanup_(disk_unlock_done) struct disk_unlock u = {};
        struct unlock_finding worst = {};
        size_t worst_i = 0, others = 0;
        int err;

        err = disk_unlock_read(r, &u);
        if (err < 0)
                return err;
        if (!u.have_crypttab && u.n_disks == 0)
                return 0; /* nothing encrypted: no check, as for the inhibitors */
        if (u.crypttab_error)
                return add_check(
                        p, "disk-unlock", o->allow_passphrase_prompt ? CHECK_WARN : CHECK_FAIL,
                        "%s; cannot tell which disks unlock through the TPM%s", u.crypttab_error,
                        o->allow_passphrase_prompt ? " (--allow-passphrase-prompt)"
                                                   : "; fix the line, or give "
                                                     "--allow-passphrase-prompt");
        for (size_t i = 0; i < u.n_disks; i++) {
                struct unlock_finding f;

                err = disk_finding(&u.disks[i], &f);
                if (err < 0) {
                        free(worst.what);
                        return err;
                }
                /* The worst finding decides; a needed disk before one the boot skips. */
                if (!worst.what || unlock_status(&f, o) > unlock_status(&worst, o) ||
                    (unlock_status(&f, o) == unlock_status(&worst, o) &&
                     f.outcome > worst.outcome)) {
                        if (worst.what && worst.outcome != UNLOCK_FINE)
                                others++;
                        free(worst.what);
                        worst = f;
                        worst_i = i;
                } else {
                        if (f.what && f.outcome != UNLOCK_FINE)
                                others++;
                        free(f.what);
                }
        }
        if (!worst.what)
                return add_check(p, "disk-unlock", CHECK_PASS,
                                 "no disk is unlocked through the TPM");
        err = unlock_check(p, &u.disks[worst_i], &worst, o, others);
        free(worst.what);
        return err;
}
