/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/stat.h>

#include "boot-entries.h"
#include "cmdline.h"
#include "efivars.h"
#include "plan-internal.h"
#include "running-kernel.h"
#include "util.h"

/* Takes a boot entry's kernel, initrds (unless given) and command line. */
static int take_entry(struct plan *p, const struct plan_options *o, const struct boot_entry *e)
{
        p->uki = e->uki;
        p->kernel = strdup(e->kernel);
        p->source = strdup(e->source);
        if (e->options)
                p->entry_cmdline = strdup(e->options);
        if (e->file)
                p->entry_file = strdup(e->file);
        if (!o->initrds && !o->no_initrd && e->initrds[0])
                p->initrds = strv_copy(e->initrds);
        return !p->kernel || !p->source || (e->options && !p->entry_cmdline) ||
                               (e->file && !p->entry_file) ||
                               (!o->initrds && !o->no_initrd && e->initrds[0] && !p->initrds)
                       ? -ENOMEM
                       : 0;
}
/* --default took the boot loader's choice for one boot: it is used up with the boot. */
static int take_oneshot(struct plan *p, const struct entry_list *l)
{
        enum oneshot_kind kind =
                l->default_from == DEFAULT_FROM_NEXT_ENTRY       ? ONESHOT_GRUB_NEXT_ENTRY
                : l->default_from == DEFAULT_FROM_LOADER_ONESHOT ? ONESHOT_LOADER_ENTRY
                                                                 : ONESHOT_NONE;

        if (kind == ONESHOT_NONE)
                return 0;
        if (!l->default_file)
                return -ENOMEM;
        p->oneshot_path = strdup(l->default_file);
        if (!p->oneshot_path)
                return -ENOMEM;
        p->oneshot = kind;
        return 0;
}
/* --entry, --default, --latest: the kernel, initrds and command line of a boot entry. */
static int choose_entry(struct plan *p, const struct root *r, const struct plan_options *o)
{
        struct entry_list l;
        ssize_t i;
        int err;

        err = entries_discover(r, p->host.release, NULL, p->host.cmdline, &l);
        if (err < 0)
                return err == -ENOMEM
                               ? err
                               : add_check(p, "kernel", CHECK_FAIL,
                                           "cannot read the boot entries: %s", strerror(-err));
        i = o->entry    ? entries_find(&l, o->entry)
            : o->latest ? entries_latest(&l)
                        : l.default_index;
        if (i < 0)
                err = add_check(p, "kernel", CHECK_FAIL, "%s; 'warmboot list' shows the entries",
                                o->entry    ? "no boot entry has that id, title or position"
                                : o->latest ? "no boot entry has a version"
                                            : "the boot loader's default entry cannot be told");
        else
                err = take_entry(p, o, &l.entries[i]);
        if (err >= 0 && i >= 0 && !o->entry && !o->latest)
                err = take_oneshot(p, &l);
        entry_list_done(&l);
        return err;
}
/* The running release has no image where distributions put one (a UKI-only or NixOS
 * machine): the boot entry of that release stands for it. 1 when one was taken. */
static int running_entry(struct plan *p, const struct root *r, const struct plan_options *o)
{
        struct entry_list l;
        int err;

        if (entries_discover(r, p->host.release, NULL, p->host.cmdline, &l) < 0)
                return 0;
        err = l.running_index >= 0 ? take_entry(p, o, &l.entries[l.running_index]) : 0;
        if (err >= 0 && l.running_index >= 0)
                err = 1;
        entry_list_done(&l);
        return err;
}
/* systemd-boot booted the running kernel from an entry (LoaderEntrySelected) of the running
 * release: that entry's own kernel and initrds are the running ones, the command line stays
 * the running one. 1 when one was taken. */
static int loader_entry(struct plan *p, const struct root *r, const struct plan_options *o)
{
        _cleanup_free_ char *selected = efivar_loader_path("LoaderEntrySelected");
        const struct boot_entry *e;
        struct entry_list l;
        int err = 0;

        if (!selected)
                return -ENOMEM;
        if (!root_exists(r, selected))
                return 0;
        err = entries_discover(r, p->host.release, NULL, p->host.cmdline, &l);
        if (err < 0)
                return err == -ENOMEM ? err : 0;
        if (l.running_by_loader) {
                e = &l.entries[l.running_index];
                p->uki = e->uki;
                p->kernel = strdup(e->kernel);
                p->source = strdup(SOURCE_LOADER_ENTRY);
                if (e->file)
                        p->entry_file = strdup(e->file);
                if (!o->initrds && !o->no_initrd && e->initrds[0])
                        p->initrds = strv_copy(e->initrds);
                err = !p->kernel || !p->source || (e->file && !p->entry_file) ||
                                      (!o->initrds && !o->no_initrd && e->initrds[0] && !p->initrds)
                              ? -ENOMEM
                              : 1;
        }
        entry_list_done(&l);
        return err;
}
int choose_kernel(struct plan *p, const struct root *r, const struct plan_options *o)
{
        _cleanup_free_ char *boot_image = NULL, *problem = NULL;
        struct kernel_choice choice = {};
        struct cmdline c;
        int err;

        if (o->kernel) {
                p->kernel = strdup(o->kernel);
                p->source = strdup(SOURCE_OPTION);
                return p->kernel && p->source ? 0 : -ENOMEM;
        }
        if (o->entry || o->use_default || o->latest)
                return choose_entry(p, r, o);
        if (!p->host.release)
                return add_check(p, "kernel", CHECK_FAIL,
                                 "cannot read the running release from "
                                 "/proc/sys/kernel/osrelease (%s); name the kernel with --kernel",
                                 strerror(-p->host.release_err));
        if (p->host.cmdline && cmdline_parse(p->host.cmdline, &c) >= 0) {
                boot_image = cmdline_get(&c, "BOOT_IMAGE");
                cmdline_done(&c);
        }
        if (!boot_image) {
                err = loader_entry(p, r, o);
                if (err != 0)
                        return err < 0 ? err : 0;
        }
        err = locate_kernel(r, p->host.release, boot_image, &choice, &problem);
        if (err == -EBADMSG)
                return add_check(p, "kernel", CHECK_FAIL,
                                 "%s: there is no image of the running release %s to "
                                 "boot; reinstall that kernel's package or name an image "
                                 "with --kernel",
                                 problem, p->host.release);
        if (err == -ENOENT) {
                err = running_entry(p, r, o);
                if (err != 0)
                        return err < 0 ? err : 0;
        }
        if (err == -ENOENT || (err == 0 && !choice.kernel))
                return add_check(p, "kernel", CHECK_FAIL,
                                 "no kernel image of the running release %s in /boot "
                                 "(looked for BOOT_IMAGE=, vmlinuz-%s, kernel-%s, "
                                 "MACHINE-ID/%s/linux and images naming that release); "
                                 "name one with --kernel",
                                 p->host.release, p->host.release, p->host.release,
                                 p->host.release);
        if (err < 0)
                return err;
        p->kernel = TAKE_PTR(choice.kernel);
        p->source = TAKE_PTR(choice.source);
        kernel_choice_done(&choice);
        return 0;
}
int choose_initrds(struct plan *p, const struct root *r, const struct plan_options *o)
{
        if (o->initrds) {
                p->initrds = strv_copy(o->initrds);
                return p->initrds ? 0 : -ENOMEM;
        }
        if (p->initrds)
                return 0; /* the boot entry's own list, microcode included as it says */
        p->initrds = calloc(1, sizeof(char *));
        if (!p->initrds)
                return -ENOMEM;
        if (o->no_initrd || !p->kernel || p->uki)
                return 0;
        strv_free(p->initrds);
        p->initrds = NULL;
        /* A kernel given with --kernel gets the initrd of its own release, never the
         * running kernel's by accident. */
        return kernel_initrds(
                r, p->kernel,
                o->kernel ? (p->have_image && p->image.release[0] ? p->image.release : NULL)
                          : p->host.release,
                &p->initrds);
}
int plan_compose_cmdline(const char *current, const struct plan_options *o, char **ret)
{
        struct cmdline c;
        char *out;
        int err;

        err = cmdline_parse(o->cmdline ? o->cmdline : current ? current : "", &c);
        if (err < 0)
                return err;
        if (!o->cmdline) {
                cmdline_remove(&c, "BOOT_IMAGE");
                cmdline_remove(&c, "initrd");
                /* The running boot's own trial is over; a new one gets its own id. */
                cmdline_remove(&c, TRIAL_PARAM);
        }
        for (size_t i = 0; o->remove && o->remove[i]; i++)
                cmdline_remove(&c, o->remove[i]);
        for (size_t i = 0; o->append && o->append[i]; i++) {
                err = cmdline_append(&c, o->append[i]);
                if (err < 0) {
                        cmdline_done(&c);
                        return err;
                }
        }
        out = cmdline_format(&c);
        cmdline_done(&c);
        if (!out)
                return -ENOMEM;
        *ret = out;
        return 0;
}
