/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "cmdline.h"
#include "dl.h"
#include "json.h"

#include "boot-entries.h"
#include "config-files.h"
#include "running-kernel.h"
#include "module-graph.h"
#include "systemd-bus.h"
#include "uki-file.h"
#include "plan.h"
#include "syscalls.h"
#include "util.h"

const char *check_status_to_string(enum check_status s)
{
        return s == CHECK_PASS ? "pass" : s == CHECK_WARN ? "warn" : "fail";
}

const char *handover_to_string(enum handover h)
{
        return h == HANDOVER_SYSTEMD ? "systemd" : "direct";
}

static int add_check(struct plan *p, const char *name, enum check_status status, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));
static int add_check(struct plan *p, const char *name, enum check_status status, const char *fmt,
                     ...)
{
        struct check *m;
        va_list ap;
        char *detail;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&detail, fmt, ap);
        va_end(ap);
        if (n < 0)
                return -ENOMEM;
        m = realloc(p->checks, sizeof(struct check) * (p->n_checks + 1));
        if (!m) {
                free(detail);
                return -ENOMEM;
        }
        p->checks = m;
        p->checks[p->n_checks++] = (struct check){name, status, detail};
        return 0;
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

static int check_privileges(struct plan *p, const struct root *r, const struct plan_options *o)
{
        if (!root_is_host(r))
                return 0; /* a tree standing for a machine: nobody's privileges to check */
        p->privileged = sys->can_boot();
        if (p->privileged)
                return add_check(p, "privileges", CHECK_PASS, "running with CAP_SYS_BOOT");
        return add_check(p, "privileges", o->need_privileges ? CHECK_FAIL : CHECK_WARN,
                         "loading and booting a kernel needs root (CAP_SYS_BOOT); run it with "
                         "sudo");
}

static int check_kexec_support(struct plan *p, const struct root *r)
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

static int check_load_disabled(struct plan *p)
{
        switch (p->host.load_disabled) {
        case 0:
                return add_check(p, "kexec-load-disabled", CHECK_PASS, "kexec_load_disabled is 0");
        case 1:
                return add_check(p, "kexec-load-disabled", CHECK_FAIL,
                                 "kexec is disabled until the next cold boot "
                                 "(/proc/sys/kernel/kexec_load_disabled is 1 and cannot be reset)");
        default:
                return add_check(p, "kexec-load-disabled", CHECK_WARN,
                                 "/proc/sys/kernel/kexec_load_disabled is absent or unreadable");
        }
}

/* Why path cannot serve as the kernel or an initrd, or NULL when it can. Caller frees. */
static char *file_problem(const struct root *r, const char *path, const char *what)
{
        _cleanup_close_ int fd = root_open(r, path, O_RDONLY | O_NOCTTY);
        struct stat st;

        if (fd < 0)
                return strdup_printf("cannot open the %s %s: %s", what, path, strerror(-fd));
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return strdup_printf("the %s %s is not a regular file", what, path);
        if (st.st_size == 0)
                return strdup_printf("the %s %s is empty", what, path);
        return NULL;
}

const char *const microcode_images[] = {
        /* GRUB's GRUB_EARLY_INITRD_LINUX_STOCK names, in its order. */
        "intel-uc.img",     "intel-ucode.img", "amd-uc.img", "amd-ucode.img",
        "early_ucode.cpio", "microcode.cpio",  NULL,
};

/* Takes a boot entry's kernel, initrds (unless given) and command line. */
static int take_entry(struct plan *p, const struct plan_options *o, const struct boot_entry *e)
{
        p->uki = e->uki;
        p->kernel = strdup(e->kernel);
        p->source = strdup(e->source);
        if (e->options)
                p->entry_cmdline = strdup(e->options);
        if (!o->initrds && !o->no_initrd && e->initrds[0])
                p->initrds = strv_copy(e->initrds);
        return !p->kernel || !p->source || (e->options && !p->entry_cmdline) ||
                               (!o->initrds && !o->no_initrd && e->initrds[0] && !p->initrds)
                       ? -ENOMEM
                       : 0;
}

/* --entry, --default, --latest: the kernel, initrds and command line of a boot entry. */
static int choose_entry(struct plan *p, const struct root *r, const struct plan_options *o)
{
        struct entry_list l;
        ssize_t i;
        int err;

        err = entries_discover(r, p->host.release, NULL, &l);
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
        entry_list_done(&l);
        return err;
}

/* The running release has no image where distributions put one (a UKI-only or NixOS
 * machine): the boot entry of that release stands for it. 1 when one was taken. */
static int running_entry(struct plan *p, const struct root *r, const struct plan_options *o)
{
        struct entry_list l;
        int err;

        if (entries_discover(r, p->host.release, NULL, &l) < 0)
                return 0;
        err = l.running_index >= 0 ? take_entry(p, o, &l.entries[l.running_index]) : 0;
        if (err >= 0 && l.running_index >= 0)
                err = 1;
        entry_list_done(&l);
        return err;
}

static int choose_kernel(struct plan *p, const struct root *r, const struct plan_options *o)
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

static int check_kernel(struct plan *p, const struct root *r)
{
        _cleanup_free_ uint8_t *buf = NULL;
        _cleanup_free_ char *problem = NULL;
        enum bzimage_status s;
        const char *unbootable;
        struct stat st;
        size_t len;
        int err;

        if (!p->kernel)
                return 0;
        problem = file_problem(r, p->kernel, "kernel");
        if (problem)
                return add_check(p, "kernel", CHECK_FAIL, "%s", problem);
        if (p->uki) {
                _cleanup_close_ int fd = -1;
                struct uki u;

                err = ukifile_open(r, p->kernel, &fd, &u);
                if (err >= 0)
                        err = ukifile_head(fd, &u.linux_, BZIMAGE_HEAD_MAX, &buf, &len);
                if (err < 0)
                        return add_check(p, "kernel", CHECK_FAIL,
                                         "cannot read the .linux section of the UKI %s: %s",
                                         p->kernel, strerror(-err));
                s = bzimage_parse(buf, len, &p->image);
                if (s != BZIMAGE_OK)
                        return add_check(p, "kernel", CHECK_FAIL,
                                         "the .linux section of %s is not a kernel warmboot "
                                         "can load: %s",
                                         p->kernel, bzimage_status_to_string(s));
                p->have_image = true;
                unbootable = bzimage_kexec_problem(&p->image);
                if (!unbootable)
                        unbootable = bzimage_size_problem(&p->image, u.linux_.size);
                if (unbootable)
                        return add_check(p, "kernel", CHECK_FAIL,
                                         "cannot boot the .linux of %s: %s", p->kernel, unbootable);
                return add_check(p, "kernel", CHECK_PASS,
                                 "%s: unified kernel image; its .linux is a bzImage, boot "
                                 "protocol %u.%02u%s",
                                 p->kernel, p->image.protocol >> 8, p->image.protocol & 0xff,
                                 p->image.signature ? ", signed" : "");
        }
        err = root_read_head(r, p->kernel, BZIMAGE_HEAD_MAX, &buf, &len);
        if (err < 0)
                return add_check(p, "kernel", CHECK_FAIL, "cannot read the kernel %s: %s",
                                 p->kernel, strerror(-err));
        s = bzimage_parse(buf, len, &p->image);
        if (s != BZIMAGE_OK)
                return add_check(p, "kernel", CHECK_FAIL,
                                 "%s is not a kernel warmboot can load: %s", p->kernel,
                                 bzimage_status_to_string(s));
        p->have_image = true;
        unbootable = bzimage_kexec_problem(&p->image);
        if (!unbootable && root_stat(r, p->kernel, &st) >= 0)
                unbootable = bzimage_size_problem(&p->image, (uint64_t)st.st_size);
        if (unbootable)
                return add_check(p, "kernel", CHECK_FAIL, "cannot boot %s: %s", p->kernel,
                                 unbootable);
        return add_check(p, "kernel", CHECK_PASS,
                         "%s: bzImage, boot protocol %u.%02u, 64-bit, "
                         "relocatable%s",
                         p->kernel, p->image.protocol >> 8, p->image.protocol & 0xff,
                         p->image.signature ? ", signed" : "");
}

static int choose_initrds(struct plan *p, const struct root *r, const struct plan_options *o)
{
        char *found = NULL;
        int err;

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
        /* A kernel given with --kernel gets the initrd of its own release, never the
         * running kernel's by accident. */
        /* Separate microcode images go first, as GRUB loads them: in /boot, or beside the
         * kernel (kernel-install's MACHINE-ID/R/ directories). */
        {
                _cleanup_free_ char *dir =
                        strndup(p->kernel, (size_t)(path_basename(p->kernel) - p->kernel));
                const char *dirs[] = {"/boot", dir};

                if (!dir)
                        return -ENOMEM;
                for (size_t d = 0; d < ELEMENTSOF(dirs); d++)
                        for (size_t i = 0; microcode_images[i]; i++) {
                                _cleanup_free_ char *path = path_join(dirs[d], microcode_images[i]);
                                struct stat st;
                                if (!path)
                                        return -ENOMEM;
                                if (root_stat(r, path, &st) >= 0 && S_ISREG(st.st_mode) &&
                                    !strv_contains(p->initrds, path) &&
                                    strv_push(&p->initrds, TAKE_PTR(path)) < 0)
                                        return -ENOMEM;
                        }
        }
        err = locate_initrd(
                r, p->kernel,
                o->kernel ? (p->have_image && p->image.release[0] ? p->image.release : NULL)
                          : p->host.release,
                &found);
        if (err == -ENOENT) {
                /* Microcode alone is no initrd. */
                strv_free(p->initrds);
                p->initrds = calloc(1, sizeof(char *));
                return p->initrds ? 0 : -ENOMEM;
        }
        if (err < 0)
                return err;
        return strv_push(&p->initrds, found);
}

static int check_initrds(struct plan *p, const struct root *r, const struct plan_options *o)
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
                _cleanup_free_ char *problem = file_problem(r, p->initrds[i], "initrd");
                if (problem)
                        return add_check(p, "initrd", CHECK_FAIL, "%s", problem);
        }
        if (p->initrds[1])
                return add_check(p, "initrd", CHECK_PASS, "%zu images, joined in this order",
                                 strv_length(p->initrds));
        return add_check(p, "initrd", CHECK_PASS, "%s", p->initrds[0]);
}

static int check_release(struct plan *p, const struct plan_options *o)
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

static int check_cmdline(struct plan *p, const struct plan_options *o)
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

static int check_lockdown(struct plan *p)
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

static int check_loaded(struct plan *p)
{
        switch (p->host.kexec_loaded) {
        case 0:
                return add_check(p, "loaded", CHECK_PASS, "no kernel is loaded yet");
        case 1:
                return add_check(p, "loaded", CHECK_WARN,
                                 "a kernel is already loaded; loading replaces it, "
                                 "'warmboot unload' removes it");
        default:
                return add_check(p, "loaded", CHECK_WARN,
                                 "/sys/kernel/kexec_loaded is absent: this kernel may lack kexec");
        }
}

const char *const known_holder_units[] = {
        "nvidia-persistenced.service",
        "nvidia-powerd.service",
        "nvidia-fabricmanager.service",
        "nv-hostengine.service",
        "dcgm.service",
        "nvidia-dcgm.service",
        "display-manager.service",
        "gdm.service",
        "gdm3.service",
        "sddm.service",
        "lightdm.service",
        "lxdm.service",
        "xdm.service",
        NULL,
};

bool plan_stops_unit(const struct plan *p, const char *unit)
{
        return unit && (strv_contains((char **)known_holder_units, unit) ||
                        strv_contains(p->config.stop_units, unit));
}

static bool module_listed(char *const *l, const char *name)
{
        for (size_t i = 0; l && l[i]; i++) {
                size_t n = strlen(l[i]);
                bool same = strlen(name) == n;
                for (size_t k = 0; same && k < n; k++)
                        same = (l[i][k] == '-' ? '_' : l[i][k]) == (name[k] == '-' ? '_' : name[k]);
                if (same)
                        return true;
        }
        return false;
}

/* The module behind a sysfs device: its driver's module link ("bochs" for "bochs-drm"), else
 * the driver's name. A virtio transport (virtio-pci) stands for the virtio device below it,
 * whose driver is the GPU's (virtio_gpu). NULL when it cannot be told. */
static char *sysfs_device_module(const struct root *r, const char *device_dir)
{
        _cleanup_free_ char *driver = NULL, *module = NULL, *path = NULL;

        path = path_join(device_dir, "driver");
        if (!path || root_readlink(r, path, &driver) < 0)
                return NULL;
        if (startswith(path_basename(driver), "virtio")) {
                _cleanup_strv_free_ char **subs = NULL;
                if (root_list_subdirs(r, device_dir, &subs) >= 0)
                        for (char **s = subs; *s; s++)
                                if (startswith(*s, "virtio") && !streq(*s, path_basename(driver))) {
                                        _cleanup_free_ char *child = path_join(device_dir, *s);
                                        char *m = child ? sysfs_device_module(r, child) : NULL;
                                        if (m)
                                                return m;
                                }
        }
        free(path);
        path = path_join(device_dir, "driver/module");
        if (path && root_readlink(r, path, &module) >= 0)
                return strdup(path_basename(module));
        return strdup(path_basename(driver));
}

/* The module behind a device node; NULL when it cannot be told. */
static char *device_driver(const struct root *r, const char *device)
{
        _cleanup_free_ char *dir = NULL, *clean = strdup(device);
        const char *name;
        char *deleted;

        if (!clean)
                return NULL;
        deleted = strstr(clean, " (deleted)");
        if (deleted)
                *deleted = 0;
        if (startswith(clean, "/dev/nvidia"))
                return strdup("nvidia");
        if (streq(clean, "/dev/kfd"))
                return strdup("amdgpu");
        if ((name = startswith(clean, "/dev/dri/")) && !strchr(name, '/'))
                dir = strdup_printf("/sys/class/drm/%s/device", name);
        else if ((name = startswith(clean, "/dev/")) && startswith(name, "fb"))
                dir = strdup_printf("/sys/class/graphics/%s/device", name);
        return dir ? sysfs_device_module(r, dir) : NULL;
}

bool plan_device_matters(const struct root *r, const struct plan *p, const char *device)
{
        _cleanup_free_ char *driver = device_driver(r, device);

        if (!driver)
                return true;
        /* /dev/nvidia* belongs to the whole nvidia family. */
        if (streq(driver, "nvidia")) {
                for (size_t i = 0; p->modules && p->modules[i]; i++)
                        if (startswith(p->modules[i], "nvidia"))
                                return true;
                return false;
        }
        return module_listed(p->modules, driver);
}

static int check_config(struct plan *p, const struct root *r)
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
                         root_exists(r, "/etc/warmboot.conf") ||
                                         root_exists(r, "/etc/warmboot.conf.d")
                                 ? "read /etc/warmboot.conf and /etc/warmboot.conf.d"
                                 : "no configuration files: built-in defaults");
}

/* warmboot says what went wrong itself, in one sentence; libkmod stays quiet. */
static void kmod_silent(void *data, int priority, const char *file, int line, const char *fn,
                        const char *format, va_list args)
{
}

static int load_module_graph(const struct root *r, struct module_graph *ret, const char **ret_why)
{
        struct kmod_ctx *ctx;
        int err;

        *ret_why = NULL;
        if (!root_is_host(r))
                return module_graph_from_root(r, ret);
        err = dl_kmod(ret_why);
        if (err < 0)
                return err;
        ctx = sym_kmod_new(NULL, NULL);
        if (!ctx)
                return -ENOMEM;
        sym_kmod_set_log_fn(ctx, kmod_silent, NULL);
        err = module_graph_from_kmod(ctx, ret);
        sym_kmod_unref(ctx);
        return err;
}

static int check_modules(struct plan *p, const struct root *r, const struct plan_options *o)
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

        if (!root_is_host(r) && !root_exists(r, "/proc/modules")) {
                p->modules = calloc(1, sizeof(char *));
                return p->modules ? add_check(p, "modules", CHECK_WARN,
                                              "no /proc/modules: loaded modules unknown")
                                  : -ENOMEM;
        }
        err = load_module_graph(r, &g, &why);
        if (err == -ENOMEM)
                return err;
        if (err < 0) {
                p->modules = calloc(1, sizeof(char *));
                return p->modules ? add_check(p, "modules", CHECK_WARN,
                                              "cannot read the loaded modules (%s)",
                                              why ? why : strerror(-err))
                                  : -ENOMEM;
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
                return add_check(p, "modules", CHECK_PASS,
                                 "no driver that needs unloading before kexec is loaded");
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

/* Whether leaving the graphical target ends this unit: a user session's scope, or a unit
 * that only graphical.target (or the display manager) pulls in. When systemd cannot say,
 * the unit is given the benefit of the doubt: it is looked at again after the isolate. */
static bool ends_with_isolate(const char *unit)
{
        _cleanup_strv_free_ char **by = NULL;

        if (startswith(unit, "session-") || startswith(unit, "user@") || startswith(unit, "app-"))
                return true;
        if (systemd->unit_pulled_by(unit, &by) < 0)
                return true;
        return !strv_contains(by, "multi-user.target") &&
               (strv_contains(by, "graphical.target") ||
                strv_contains(by, "display-manager.service"));
}

static int check_holders(struct plan *p, const struct root *r, const struct plan_options *o)
{
        size_t blocking = 0;
        int err;

        if (!p->modules || !p->modules[0])
                return 0;
        if (o->ask_systemd && p->host.systemd) {
                bool active = false;
                if (systemd->unit_active("graphical.target", &active) >= 0)
                        p->isolate = active;
        }
        err = holders_scan(r, root_is_host(r) ? getpid() : 0, &p->holders, &p->n_holders);
        if (err == -ENOMEM)
                return err;
        if (err < 0)
                return add_check(p, "holders", CHECK_WARN,
                                 "cannot scan processes for open devices (%s)", strerror(-err));
        /* A process on a GPU whose driver stays (the integrated one of a hybrid laptop) is
         * no holder of ours. */
        for (size_t i = 0; i < p->n_holders;) {
                struct holder *h = &p->holders[i];
                if (plan_device_matters(r, p, h->device)) {
                        i++;
                        continue;
                }
                free(h->comm);
                free(h->unit);
                free(h->device);
                memmove(h, h + 1, sizeof(*h) * (p->n_holders - i - 1));
                p->n_holders--;
        }
        p->stop_units = calloc(1, sizeof(char *));
        if (!p->stop_units)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_holders; i++) {
                const struct holder *h = &p->holders[i];
                if (plan_stops_unit(p, h->unit)) {
                        if (!strv_contains(p->stop_units, h->unit) &&
                            strv_extend(&p->stop_units, h->unit) < 0)
                                return -ENOMEM;
                } else if (!(p->isolate && h->unit && ends_with_isolate(h->unit)))
                        blocking++;
        }
        /* With a graphical target to leave, which units the isolate stops is systemd's
         * to say: what still holds a device afterwards is found then, and refused (or
         * ended with --kill), with everything rolled back. */
        if (blocking == 0)
                return add_check(p, "holders", CHECK_PASS, "%s",
                                 !p->n_holders ? "no process holds the drivers' devices"
                                 : p->isolate  ? "the holders' units are stopped, or end with "
                                                 "the graphical target (checked again after "
                                                 "the isolate)"
                                               : "every process that holds a device goes with its "
                                                 "unit");
        for (size_t i = 0; i < p->n_holders; i++) {
                const struct holder *h = &p->holders[i];
                if (plan_stops_unit(p, h->unit) ||
                    (p->isolate && h->unit && ends_with_isolate(h->unit)))
                        continue;
                /* Name the first; plan lists them all. */
                return add_check(
                        p, "holders", o->kill ? CHECK_WARN : CHECK_FAIL,
                        "%zu process%s hold%s the devices, first pid %d (%s%s%s) with %s; "
                        "%s",
                        blocking, blocking > 1 ? "es" : "", blocking > 1 ? "" : "s", (int)h->pid,
                        h->comm ? h->comm : "?", h->unit ? ", " : "", h->unit ? h->unit : "",
                        h->device,
                        o->kill ? "--kill ends them (SIGTERM, then SIGKILL)"
                                : "stop them, add their unit to StopUnits=, or give --kill");
        }
        return 0;
}

static int check_inhibitors(struct plan *p, const struct root *r, const struct plan_options *o)
{
        _cleanup_strv_free_ char **l = NULL;
        int err;

        if (!o->ask_systemd || p->handover != HANDOVER_SYSTEMD)
                return 0;
        err = systemd->shutdown_inhibitors(&l);
        if (err < 0 || !l[0])
                return 0;
        return add_check(p, "inhibitors", o->ignore_inhibitors ? CHECK_WARN : CHECK_FAIL,
                         "shutdown is inhibited by %s%s; %s", l[0], l[1] ? " and others" : "",
                         o->ignore_inhibitors ? "ignored (--ignore-inhibitors)"
                                              : "close it or give --ignore-inhibitors");
}

int plan_build(const struct root *r, const struct plan_options *o, struct plan *ret)
{
        struct plan p = {};
        int err;

        err = host_state_read(r, &p.host);
        if (err >= 0)
                err = check_privileges(&p, r, o);
        if (err >= 0)
                err = check_kexec_support(&p, r);
        if (err >= 0)
                err = check_load_disabled(&p);
        if (err >= 0)
                err = choose_kernel(&p, r, o);
        if (err >= 0)
                err = check_kernel(&p, r);
        if (err >= 0)
                err = choose_initrds(&p, r, o);
        if (err >= 0)
                err = check_initrds(&p, r, o);
        if (err >= 0)
                err = check_release(&p, o);
        if (err >= 0)
                err = check_cmdline(&p, o);
        if (err >= 0)
                err = check_lockdown(&p);
        if (err >= 0)
                err = check_loaded(&p);
        p.handover = o->now || !p.host.systemd ? HANDOVER_DIRECT : HANDOVER_SYSTEMD;
        if (err >= 0)
                err = check_config(&p, r);
        if (err >= 0 && o->prepare)
                err = check_modules(&p, r, o);
        if (err >= 0 && o->prepare)
                err = check_holders(&p, r, o);
        if (err >= 0 && o->prepare)
                err = check_inhibitors(&p, r, o);
        if (err < 0) {
                plan_done(&p);
                return err;
        }
        *ret = p;
        return 0;
}

void plan_done(struct plan *p)
{
        host_state_done(&p->host);
        free(p->kernel);
        free(p->source);
        strv_free(p->initrds);
        free(p->cmdline);
        free(p->entry_cmdline);
        for (size_t i = 0; i < p->n_checks; i++)
                free(p->checks[i].detail);
        free(p->checks);
        config_done(&p->config);
        strv_free(p->modules);
        holders_free(p->holders, p->n_holders);
        strv_free(p->stop_units);
        *p = (struct plan){};
}

bool plan_has_failure(const struct plan *p)
{
        for (size_t i = 0; i < p->n_checks; i++)
                if (p->checks[i].status == CHECK_FAIL)
                        return true;
        return false;
}

const struct check *plan_find_check(const struct plan *p, const char *name)
{
        for (size_t i = 0; i < p->n_checks; i++)
                if (streq(p->checks[i].name, name))
                        return &p->checks[i];
        return NULL;
}

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

/* What reboot does, in order, as sentences: the same list for text and JSON. */
static char **plan_steps(const struct plan *p)
{
        _cleanup_free_ char *units = join(p->stop_units), *mods = join(p->modules);
        char **steps = calloc(1, sizeof(char *));
        int err = 0;

        if (!steps || !units || !mods)
                goto fail;
        err = strv_extend(&steps, "load the kernel with kexec_file_load");
        if (err >= 0 && p->isolate)
                err = strv_push(&steps, strdup_printf("isolate %s (a graphical target is active)",
                                                      p->config.isolate_target));
        if (err >= 0 && p->stop_units && p->stop_units[0])
                err = strv_push(&steps, strdup_printf("stop %s", units));
        if (err >= 0 && p->modules && p->modules[0])
                err = strv_push(&steps, strdup_printf("unload %s", mods));
        if (err >= 0)
                err = strv_extend(&steps, p->handover == HANDOVER_SYSTEMD
                                                  ? "hand over through systemd (services stop, "
                                                    "file systems unmount)"
                                                  : "hand over directly (processes end, sync, "
                                                    "file systems read-only, then kexec)");
        if (err >= 0)
                return steps;
fail:
        strv_free(steps);
        return NULL;
}

void plan_print_text(const struct plan *p, FILE *f)
{
        _cleanup_strv_free_ char **steps = plan_steps(p);

        fprintf(f, "Running:  %s\n", p->host.release ? p->host.release : "(unknown)");
        fprintf(f, "Kernel:   %s", p->kernel ? p->kernel : "(none found)");
        if (p->have_image && p->image.release[0])
                fprintf(f, " (%s)", p->image.release);
        fputc('\n', f);
        if (p->source)
                fprintf(f, "          from %s\n", source_words(p->source));
        if ((!p->initrds || !p->initrds[0]) && p->uki)
                fputs("Initrd:   (the UKI's own .ucode and .initrd)\n", f);
        else if (!p->initrds || !p->initrds[0])
                fputs("Initrd:   (none)\n", f);
        for (size_t i = 0; p->initrds && p->initrds[i]; i++)
                fprintf(f, "%s%s\n", i ? "          " : "Initrd:   ", p->initrds[i]);
        fprintf(f, "Cmdline:  %s\n", p->cmdline ? p->cmdline : "(none)");
        for (size_t i = 0; i < p->n_holders; i++) {
                const struct holder *h = &p->holders[i];
                fprintf(f, "%s%d %s%s%s holds %s\n", i ? "          " : "Holders:  ", (int)h->pid,
                        h->comm ? h->comm : "?", h->unit ? " in " : "", h->unit ? h->unit : "",
                        h->device);
        }
        for (size_t i = 0; steps && steps[i]; i++)
                fprintf(f, "%s%zu. %s\n", i ? "          " : "Steps:    ", i + 1, steps[i]);
        fputs("Checks:\n", f);
        for (size_t i = 0; i < p->n_checks; i++)
                fprintf(f, "  %s  %-20s %s\n", check_status_to_string(p->checks[i].status),
                        p->checks[i].name, p->checks[i].detail);
}

void plan_print_json(const struct plan *p, FILE *f)
{
        fputs("{\"kernel\": ", f);
        json_string_or_null(f, p->kernel);
        fputs(", \"initrds\": ", f);
        json_strv(f, p->initrds);
        fputs(", \"cmdline\": ", f);
        json_string_or_null(f, p->cmdline);
        fputs(", \"release\": ", f);
        json_string_or_null(f, p->host.release);
        fputs(", \"source\": ", f);
        json_string_or_null(f, p->source);
        fputs(", \"image\": ", f);
        if (p->have_image) {
                fputs("{\"release\": ", f);
                json_string_or_null(f, p->image.release[0] ? p->image.release : NULL);
                fprintf(f, ", \"protocol\": \"%u.%02u\", \"signed\": %s, \"cmdline_max\": %zu}",
                        p->image.protocol >> 8, p->image.protocol & 0xff,
                        p->image.signature ? "true" : "false", bzimage_cmdline_max(&p->image));
        } else
                fputs("null", f);
        fprintf(f, ", \"handover\": \"%s\", \"modules\": ", handover_to_string(p->handover));
        json_strv(f, p->modules);
        fputs(", \"isolate\": ", f);
        json_string_or_null(f, p->isolate ? p->config.isolate_target : NULL);
        fputs(", \"stop_units\": ", f);
        json_strv(f, p->stop_units);
        fputs(", \"holders\": [", f);
        for (size_t i = 0; i < p->n_holders; i++) {
                fprintf(f, "%s{\"pid\": %d, \"comm\": ", i ? ", " : "", (int)p->holders[i].pid);
                json_string_or_null(f, p->holders[i].comm);
                fputs(", \"unit\": ", f);
                json_string_or_null(f, p->holders[i].unit);
                fputs(", \"device\": ", f);
                json_string_or_null(f, p->holders[i].device);
                fputc('}', f);
        }
        fputs("], \"steps\": ", f);
        {
                _cleanup_strv_free_ char **steps = plan_steps(p);
                json_strv(f, steps);
        }
        fputs(", \"checks\": [", f);
        for (size_t i = 0; i < p->n_checks; i++) {
                fprintf(f, "%s{\"name\": \"%s\", \"status\": \"%s\", \"detail\": ", i ? ", " : "",
                        p->checks[i].name, check_status_to_string(p->checks[i].status));
                json_string(f, p->checks[i].detail);
                fputc('}', f);
        }
        fputs("]}\n", f);
}
