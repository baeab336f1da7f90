/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "table.h"
#include "plan.h"
#include "reboot-report-file.h"
#include "running-kernel.h"
#include "util.h"

static const char *source_words(const char *source)
{
        if (!source)
                return "";
        if (streq(source, SOURCE_OPTION))
                return "given with --kernel";
        if (streq(source, SOURCE_BOOT_IMAGE))
                return "the BOOT_IMAGE= the boot loader left in /proc/cmdline";
        if (streq(source, SOURCE_LAYOUT))
                return "the distribution's name for the running release";
        if (streq(source, SOURCE_SCAN))
                return "an image in /boot, by the release in its boot header";
        if (streq(source, SOURCE_MODULES))
                return "the copy in /usr/lib/modules";
        if (streq(source, SOURCE_LOADER_ENTRY))
                return "the boot entry systemd-boot booted (LoaderEntrySelected)";
        if (streq(source, "bls"))
                return "a Boot Loader Specification entry";
        if (streq(source, "grub"))
                return "GRUB's menu (grub.cfg)";
        if (streq(source, "nixos"))
                return "a NixOS system profile";
        if (streq(source, "uki"))
                return "a unified kernel image in EFI/Linux";
        return source;
}
static char *join(char *const *l)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);

        if (!f)
                return NULL;
        for (size_t i = 0; l && l[i]; i++)
                fprintf(f, "%s%s", i ? ", " : "", l[i]);
        fclose(f);
        return out;
}
static const char *const handover_steps[] = {
        [HANDOVER_SYSTEMD] = "hand over through systemd (services stop, file systems unmount)",
        [HANDOVER_FORCED] = "hand over through systemd at once, as systemctl --force kexec "
                            "(no service stops: systemd-shutdown ends every process, unmounts "
                            "or makes the file systems read-only, then kexec)",
        [HANDOVER_DIRECT] = "hand over directly (processes end, sync, file systems read-only, "
                            "then kexec)",
};
static const char *const handover_words[] = {
        [HANDOVER_SYSTEMD] = "through systemd",
        [HANDOVER_FORCED] = "through systemd at once (its forced kexec)",
        [HANDOVER_DIRECT] = "directly",
};
/* What reboot does, in order, as sentences: the same list for text and JSON. */
static char **plan_steps(const struct plan *p)
{
        _cleanup_free_ char *units = join(p->stop_units), *mods = join(p->modules);
        char **steps = calloc(1, sizeof(char *));
        int err = 0;

        if (!steps || !units || !mods)
                goto fail;
        if (!p->kernel)
                return steps; /* nothing to do: the kernel check says why */
        err = strv_extend(&steps, p->reuse ? "use the kernel loaded ahead with 'warmboot load'"
                                           : "load the kernel with kexec_file_load");
        if (err >= 0 && p->isolate)
                err = strv_push(&steps, strdup_printf("isolate %s (a graphical target is active)",
                                                      p->config.isolate_target));
        if (err >= 0 && p->stop_units && p->stop_units[0])
                err = strv_push(&steps, strdup_printf("stop %s", units));
        if (err >= 0 && p->modules && p->modules[0])
                err = strv_push(&steps, strdup_printf("unload %s", mods));
        /* The boot loader would use up its one-shot choice on booting it: so does this boot. */
        if (err >= 0 && p->oneshot == ONESHOT_GRUB_NEXT_ENTRY)
                err = strv_push(&steps,
                                strdup_printf("clear GRUB's next_entry in %s", p->oneshot_path));
        if (err >= 0 && p->oneshot == ONESHOT_LOADER_ENTRY)
                err = strv_extend(&steps, "delete the EFI variable LoaderEntryOneShot");
        if (err >= 0 && p->trial.on)
                err = strv_extend(&steps, "write the reboot report " REBOOT_REPORT_PATH
                                          " (the next boot completes it)");
        if (err >= 0 && p->trial.arm_sec > 0)
                err = strv_push(&steps,
                                p->trial.systemd_drives
                                        ? strdup_printf("have systemd keep %s counting through "
                                                        "the kexec (KExecWatchdogSec=%u)",
                                                        p->trial.watchdog->device, p->trial.arm_sec)
                                        : strdup_printf("arm %s for %u s: a new kernel that "
                                                        "hangs is reset through the firmware",
                                                        p->trial.watchdog->device,
                                                        p->trial.arm_sec));
        if (err >= 0)
                err = strv_extend(&steps, handover_steps[p->handover]);
        if (err >= 0)
                return steps;
fail:
        strv_free(steps);
        return NULL;
}
static struct table *image_table(const struct plan *p, char **ret_text)
{
        struct table *t = table_new();
        _cleanup_free_ char *protocol =
                strdup_printf("%u.%02u", p->image.protocol >> 8, p->image.protocol & 0xff);
        const char *release = p->image.release[0] ? p->image.release : NULL;
        size_t max = bzimage_cmdline_max(&p->image);

        if (!t || !protocol)
                return table_free(t);
        table_add_string(t, "release", NULL, release, NULL);
        table_add_string(t, "protocol", NULL, protocol, NULL);
        table_add_bool(t, "signed", NULL, p->image.signature, NULL);
        table_add_uint(t, "cmdline_max", NULL, max);
        *ret_text = strdup_printf("%s%s, boot protocol %s, %s, command line up to %zu bytes",
                                  p->uki ? "UKI, its .linux " : "bzImage ",
                                  release ? release : "(no version string)", protocol,
                                  p->image.signature ? "signed" : "not signed", max);
        return t;
}

static struct table *watchdog_table(const struct trial *t)
{
        const struct watchdog *w = t->watchdog;
        struct table *s = table_new();

        if (!s)
                return NULL;
        table_add_string(s, "device", NULL, w->device, NULL);
        table_add_string(s, "identity", NULL, w->identity, NULL);
        table_add_bool(s, "survives_kexec", NULL, t->survives, NULL);
        table_add_bool(s, "systemd_drives", NULL, t->systemd_drives, NULL);
        table_add_uint(s, "arm_sec", NULL, t->arm_sec);
        return s;
}

/* The trial: JSON null without one. */
static struct table *trial_table(const struct plan *p, char **ret_text)
{
        const struct trial *t = &p->trial;
        struct table *s;
        _cleanup_free_ char *wd = NULL;

        *ret_text = NULL;
        if (!t->on)
                return NULL;
        s = table_new();
        if (!s)
                return NULL;
        table_add_string(s, "id", NULL, t->id, NULL);
        table_add_uint(s, "panic_sec", NULL, t->panic_sec);
        table_add_table(s, "watchdog", NULL, t->watchdog ? watchdog_table(t) : NULL, NULL);
        table_add_string(s, "confirm_unit", NULL, t->confirm_unit ? CONFIRM_UNIT : NULL, NULL);
        if (!t->watchdog)
                wd = strdup("no hardware watchdog");
        else if (t->arm_sec > 0)
                wd = strdup_printf("%s armed for %u s", t->watchdog->device, t->arm_sec);
        else
                wd = strdup_printf("%s not armed", t->watchdog->device);
        if (t->panic_sec > 0)
                *ret_text = strdup_printf("%s=%s, panic=%u added, %s", TRIAL_PARAM, t->id,
                                          t->panic_sec, wd ? wd : "?");
        else
                *ret_text = strdup_printf("%s=%s, no panic= added, %s", TRIAL_PARAM, t->id,
                                          wd ? wd : "?");
        return s;
}

static struct table *holder_table(const struct holder *h, char **ret_text)
{
        struct table *t = table_new();

        if (!t)
                return NULL;
        table_add_uint(t, "pid", NULL, (uint64_t)h->pid);
        table_add_string(t, "comm", NULL, h->comm, NULL);
        table_add_string(t, "unit", NULL, h->unit, NULL);
        table_add_string(t, "device", NULL, h->device, NULL);
        *ret_text = strdup_printf("%d %s%s%s holds %s", (int)h->pid, h->comm ? h->comm : "?",
                                  h->unit ? " in " : "", h->unit ? h->unit : "", h->device);
        return t;
}

static struct table *check_table(const struct check *c, char **ret_text)
{
        struct table *t = table_new();

        if (!t)
                return NULL;
        table_add_string(t, "name", NULL, c->name, NULL);
        table_add_string(t, "status", NULL, check_status_to_string(c->status), NULL);
        table_add_string(t, "detail", NULL, c->detail, NULL);
        *ret_text = strdup_printf("%s  %-20s %s", check_status_to_string(c->status), c->name,
                                  c->detail);
        return t;
}

/* Whether the kernel's text could be made (there is none to make without a kernel). */
static bool kernel_text_ok(const struct plan *p, const char *text)
{
        return text || !p->kernel || !p->source;
}

/* A list of objects and their text lines, built by one of the functions above. */
struct object_list {
        struct table **tables;
        char **lines;
        size_t n;
};

static int object_list_init(struct object_list *l, size_t n)
{
        *l = (struct object_list){.tables = calloc(n + 1, sizeof(struct table *)),
                                  .lines = calloc(n + 1, sizeof(char *)),
                                  .n = n};
        if (l->tables && l->lines)
                return 0;
        free(l->tables);
        free(l->lines);
        *l = (struct object_list){};
        return -ENOMEM;
}

static void object_list_done(struct object_list *l)
{
        for (size_t i = 0; i < l->n; i++)
                table_free(l->tables[i]);
        free(l->tables);
        strv_free(l->lines);
}

/* The plan as one table: the same fields, in the same order, for text and JSON. */
static struct table *plan_table(const struct plan *p)
{
        _cleanup_strv_free_ char **steps = plan_steps(p);
        _cleanup_free_ char *kernel = NULL, *image_text = NULL;
        struct object_list holders = {}, checks = {};
        const struct check *modules = plan_find_check(p, "modules");
        struct table *t, *image, *trial;
        _cleanup_free_ char *trial_text = NULL;
        char **step_lines = NULL;

        if (!steps || object_list_init(&holders, p->n_holders) < 0 ||
            object_list_init(&checks, p->n_checks) < 0) {
                object_list_done(&holders);
                return NULL;
        }
        for (size_t i = 0; i < p->n_holders; i++)
                holders.tables[i] = holder_table(&p->holders[i], &holders.lines[i]);
        for (size_t i = 0; i < p->n_checks; i++)
                checks.tables[i] = check_table(&p->checks[i], &checks.lines[i]);
        step_lines = calloc(strv_length(steps) + 1, sizeof(char *));
        for (size_t i = 0; step_lines && steps[i]; i++)
                step_lines[i] = strdup_printf("%zu. %s", i + 1, steps[i]);
        if (p->kernel && p->source)
                kernel = strdup_printf("%s (from %s)", p->kernel, source_words(p->source));

        t = table_new();
        if (!t) {
                object_list_done(&holders);
                object_list_done(&checks);
                strv_free(step_lines);
                return NULL;
        }
        table_add_string(t, "kernel", "Kernel", p->kernel, p->kernel ? kernel : "(none found)");
        table_add_strv(t, "initrds", "Initrds", p->initrds,
                       p->uki ? "(the UKI's own .ucode and .initrd)" : "(none)");
        table_add_string(t, "cmdline", "Cmdline", p->cmdline, NULL);
        table_add_string(t, "release", "Running", p->host.release,
                         p->host.release ? NULL : "(unknown)");
        table_add_string(t, "source", NULL, p->source, NULL); /* in Kernel's text */
        image = p->have_image ? image_table(p, &image_text) : NULL;
        table_add_table(t, "image", "Image", image, p->have_image ? image_text : "(not read)");
        table_add_string(t, "handover", "Hand-over", handover_to_string(p->handover),
                         handover_words[p->handover]);
        trial = trial_table(p, &trial_text);
        table_add_table(t, "trial", "Trial", trial,
                        p->trial.on ? trial_text : "(none: --no-trial)");
        if (p->trial.on && (!trial || !trial_text))
                table_fail(t);
        if (p->reuse_decided) {
                table_add_bool(t, "reuse", "Reuse", p->reuse, p->reuse_why);
                table_add_string(t, "reuse_reason", NULL, p->reuse_why, NULL); /* in Reuse's */
        }
        table_add_strv(t, "modules", "Modules", p->modules,
                       modules && modules->status == CHECK_WARN
                               ? "(unknown: the loaded modules cannot be read)"
                               : "(none to unload)");
        table_add_string(t, "isolate", "Isolate", p->isolate ? p->config.isolate_target : NULL,
                         p->isolate ? NULL : "(no graphical target to leave)");
        table_add_strv(t, "stop_units", "Stop", p->stop_units, "(none)");
        table_add_tables(t, "holders", "Holders", holders.tables, holders.n, holders.lines,
                         "(none)");
        table_add_strv_lines(t, "steps", "Steps", steps, step_lines,
                             "(none: there is no kernel to boot)");
        table_add_tables(t, "checks", "Checks", checks.tables, checks.n, checks.lines, "(none)");
        if (!step_lines || !kernel_text_ok(p, kernel) || (p->have_image && !image_text))
                table_fail(t);
        return t;
}

int plan_print(const struct plan *p, bool json, FILE *f)
{
        _cleanup_table_ struct table *t = plan_table(p);
        int err = table_status(t);

        if (err < 0)
                return err;
        if (json) {
                table_print_json(t, f);
                fputc('\n', f);
        } else
                table_print_text(t, f, TABLE_LEFT, 11);
        return 0;
}
