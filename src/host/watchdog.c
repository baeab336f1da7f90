/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <limits.h>
#include <linux/watchdog.h>

#include "syscalls.h"
#include "util.h"
#include "watchdog.h"

#define CLASS_DIR "/sys/class/watchdog"
#define STOP_ON_REBOOT_PARAM "/sys/module/watchdog/parameters/stop_on_reboot"

void watchdog_done(struct watchdog *w)
{
        if (!w)
                return;
        free(w->name);
        free(w->device);
        free(w->identity);
        free(w->driver);
        *w = (struct watchdog){};
}

void watchdog_list_free(struct watchdog *l, size_t n)
{
        for (size_t i = 0; l && i < n; i++)
                watchdog_done(&l[i]);
        free(l);
}

/* The N of "watchdogN", or -1 for any other name. */
static int watchdog_number(const char *name)
{
        const char *n = startswith(name, "watchdog");
        unsigned v;

        if (!n || !all_digits(n) || safe_atou(n, &v) < 0 || v > INT_MAX)
                return -1;
        return (int)v;
}

/* One attribute of CLASS_DIR/name, without its newline; NULL when unreadable or empty. */
static char *read_attribute(const struct root *r, const char *name, const char *attribute)
{
        _cleanup_free_ char *path = strdup_printf(CLASS_DIR "/%s/%s", name, attribute);
        char *s = NULL;

        if (!path || root_read_string(r, path, ROOT_VALUE_MAX, &s) < 0)
                return NULL;
        strip_trailing_space(s);
        if (!*s) {
                free(s);
                return NULL;
        }
        return s;
}

static unsigned read_seconds(const struct root *r, const char *name, const char *attribute)
{
        _cleanup_free_ char *s = read_attribute(r, name, attribute);
        unsigned v;

        return s && safe_atou(s, &v) == 0 ? v : 0;
}

static int read_flag(const struct root *r, const char *name, const char *attribute)
{
        _cleanup_free_ char *s = read_attribute(r, name, attribute);

        if (s && streq(s, "1"))
                return 1;
        return s && streq(s, "0") ? 0 : -1;
}

static int read_state(const struct root *r, const char *name)
{
        _cleanup_free_ char *s = read_attribute(r, name, "state");

        if (s && streq(s, "active"))
                return 1;
        return s && streq(s, "inactive") ? 0 : -1;
}

/* "options" is "0x8180" (sysfs prints it in hex). */
static long read_options(const struct root *r, const char *name)
{
        _cleanup_free_ char *s = read_attribute(r, name, "options");
        const char *hex = s ? startswith(s, "0x") : NULL;
        unsigned long v;
        char *end;

        if (!hex || !*hex)
                return -1;
        errno = 0;
        v = strtoul(hex, &end, 16);
        return errno || *end || v > UINT_MAX ? -1 : (long)v;
}

/* The driver of the watchdog's parent device: the name its device/driver link points at. */
static char *read_driver(const struct root *r, const char *name)
{
        _cleanup_free_ char *path = strdup_printf(CLASS_DIR "/%s/device/driver", name);
        _cleanup_free_ char *target = NULL;

        if (!path || root_readlink(r, path, &target) < 0)
                return NULL;
        return *path_basename(target) ? strdup(path_basename(target)) : NULL;
}

static int watchdog_read(const struct root *r, const char *name, struct watchdog *ret)
{
        struct watchdog w = {
                .name = strdup(name),
                .device = strdup_printf("/dev/%s", name),
                .identity = read_attribute(r, name, "identity"),
                .driver = read_driver(r, name),
                .timeout = read_seconds(r, name, "timeout"),
                .min_timeout = read_seconds(r, name, "min_timeout"),
                .max_timeout = read_seconds(r, name, "max_timeout"),
                .options = read_options(r, name),
                .active = read_state(r, name),
                .nowayout = read_flag(r, name, "nowayout"),
        };

        if (!w.name || !w.device) {
                watchdog_done(&w);
                return -ENOMEM;
        }
        *ret = w;
        return 0;
}

static int by_number(const void *a, const void *b)
{
        int x = watchdog_number(((const struct watchdog *)a)->name);
        int y = watchdog_number(((const struct watchdog *)b)->name);

        return (x > y) - (x < y);
}

int watchdog_list(const struct root *r, struct watchdog **ret, size_t *ret_n)
{
        _cleanup_strv_free_ char **names = NULL;
        struct watchdog *l = NULL;
        size_t n = 0;
        int err;

        err = root_list_dir(r, CLASS_DIR, &names);
        if (err == -ENOENT || err == -ENOTDIR) {
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }
        if (err < 0)
                return err;
        for (char **name = names; name && *name; name++) {
                struct watchdog *grown;

                if (watchdog_number(*name) < 0)
                        continue;
                grown = realloc(l, (n + 1) * sizeof(*l));
                if (!grown) {
                        watchdog_list_free(l, n);
                        return -ENOMEM;
                }
                l = grown;
                err = watchdog_read(r, *name, &l[n]);
                if (err < 0) {
                        watchdog_list_free(l, n);
                        return err;
                }
                n++;
        }
        if (n > 1)
                qsort(l, n, sizeof(*l), by_number);
        *ret = l;
        *ret_n = n;
        return 0;
}

int watchdog_stop_on_reboot(const struct root *r)
{
        _cleanup_free_ char *s = NULL;
        const char *digits;
        unsigned v;
        int err;

        err = root_read_string(r, STOP_ON_REBOOT_PARAM, ROOT_VALUE_MAX, &s);
        if (err < 0)
                return err;
        strip_trailing_space(s);
        digits = startswith(s, "-") ?: s;
        if (safe_atou(digits, &v) < 0)
                return -EBADMSG;
        if (v == 0)
                return 0;
        /* The kernel stops on any value but -1 and 0. */
        return digits != s && v == 1 ? -1 : 1;
}

/* Drivers whose probe calls watchdog_stop_on_reboot(), by identity or driver name. */
static const char *const stopping_drivers[] = {
        "i6300ESB timer",   /* i6300esb.c: identity and PCI driver name */
        "iTCO_wdt",         /* iTCO_wdt.c: identity and platform driver name */
        "SP5100 TCO timer", /* sp5100_tco.c */
        "wdat_wdt",         /* wdat_wdt.c: the ACPI WDAT table's driver */
        "Software Watchdog",
};

static bool driver_stops_on_reboot(const struct watchdog *w)
{
        for (size_t i = 0; i < ELEMENTSOF(stopping_drivers); i++)
                if (streq_ptr(w->identity, stopping_drivers[i]) ||
                    streq_ptr(w->driver, stopping_drivers[i]))
                        return true;
        return false;
}

bool watchdog_survives_kexec(const struct watchdog *w, int stop_on_reboot, const char **ret_why)
{
        const char *why;
        bool survives = false;

        /* softdog is an hrtimer of the running kernel: the kexec ends it whatever is set. */
        if (streq_ptr(w->identity, "Software Watchdog"))
                why = "it is a software timer inside the running kernel, which the kexec ends";
        else if (stop_on_reboot == 0) {
                why = "the kernel was booted with watchdog.stop_on_reboot=0, so the watchdog "
                      "keeps counting through the kexec";
                survives = true;
        } else if (stop_on_reboot == 1)
                why = "the kernel was booted with watchdog.stop_on_reboot=1, which stops every "
                      "watchdog before the kexec";
        else if (stop_on_reboot < -1)
                why = "this kernel has no watchdog.stop_on_reboot parameter (it came with Linux "
                      "5.7), and the driver stops the watchdog before the kexec";
        else if (driver_stops_on_reboot(w))
                why = "its driver stops it on every reboot and kexec unless the kernel is booted "
                      "with watchdog.stop_on_reboot=0";
        else
                why = "whether its driver stops it before the kexec does not show in sysfs, and "
                      "the kernel was not booted with watchdog.stop_on_reboot=0";
        if (ret_why)
                *ret_why = why;
        return survives;
}

const struct watchdog *watchdog_find(const struct watchdog *l, size_t n, const char *device)
{
        /* /dev/watchdog is the legacy misc device, which the core gives to watchdog0. */
        const char *name = streq(device, "/dev/watchdog") ? "watchdog0" : path_basename(device);

        for (size_t i = 0; i < n; i++)
                if (streq(l[i].name, name))
                        return &l[i];
        return NULL;
}

/* What sysfs says of device: the whole entry in *ret (zeroed, nothing known, when the
 * device has none). */
static int watchdog_lookup(const struct root *r, const char *device, struct watchdog *ret)
{
        struct watchdog *l = NULL;
        const struct watchdog *w;
        size_t n = 0;
        int err;

        err = watchdog_list(r, &l, &n);
        if (err < 0)
                return err;
        w = watchdog_find(l, n, device);
        *ret = (struct watchdog){.options = -1, .active = -1, .nowayout = -1};
        if (w) {
                *ret = *w;
                *(struct watchdog *)w = (struct watchdog){};
        }
        watchdog_list_free(l, n);
        return 0;
}

/* Closes a watchdog that opening started, stopping it again unless it ran before. */
static void watchdog_undo(int fd, bool ran_before)
{
        if (!ran_before)
                (void)sys->watchdog_write(fd, "V", 1);
        (void)sys->watchdog_close(fd);
}

int watchdog_arm(const struct root *r, const char *device, unsigned sec, unsigned *ret_sec_set)
{
        struct watchdog_info info = {};
        struct watchdog w;
        bool ran_before;
        int fd, err, timeout = (int)sec;

        if (sec == 0 || sec > INT_MAX)
                return -ERANGE;
        err = watchdog_lookup(r, device, &w);
        if (err < 0)
                return err;
        ran_before = w.active == 1;
        if ((w.min_timeout && sec < w.min_timeout) || (w.max_timeout && sec > w.max_timeout))
                err = -ERANGE;
        watchdog_done(&w);
        if (err < 0)
                return err;

        fd = sys->watchdog_open(r, device);
        if (fd < 0)
                return fd;
        /* Without WDIOF_MAGICCLOSE the core stops the watchdog on any close, and a timeout it
         * cannot set leaves the driver's default, which may be seconds. */
        err = sys->watchdog_ioctl(fd, WDIOC_GETSUPPORT, &info);
        if (err >= 0 && !(info.options & WDIOF_MAGICCLOSE))
                err = -EOPNOTSUPP;
        if (err >= 0)
                err = sys->watchdog_ioctl(fd, WDIOC_SETTIMEOUT, &timeout);
        if (err >= 0) {
                /* SETTIMEOUT pinged already; drivers without KEEPALIVEPING refuse this one. */
                err = sys->watchdog_ioctl(fd, WDIOC_KEEPALIVE, NULL);
                if (err == -EOPNOTSUPP)
                        err = 0;
        }
        if (err < 0) {
                watchdog_undo(fd, ran_before);
                return err == -ENOTTY ? -EOPNOTSUPP : err;
        }
        /* No 'V': the close leaves it counting. */
        err = sys->watchdog_close(fd);
        if (err < 0)
                return err;
        if (ret_sec_set)
                *ret_sec_set = timeout > 0 ? (unsigned)timeout : sec;
        return 0;
}

int watchdog_disarm(const struct root *r, const char *device)
{
        struct watchdog w;
        int fd, err, options = WDIOS_DISABLECARD;
        bool nowayout;

        err = watchdog_lookup(r, device, &w);
        if (err < 0)
                return err;
        nowayout = w.nowayout == 1;
        watchdog_done(&w);
        /* Opening starts it, and with nowayout nothing stops it again. */
        if (nowayout)
                return -EBUSY;

        fd = sys->watchdog_open(r, device);
        if (fd < 0)
                return fd;
        err = sys->watchdog_write(fd, "V", 1);
        if (err >= 0) {
                /* The answer the close cannot give: -EBUSY when it cannot be stopped. Old
                 * drivers without the ioctl stop on the 'V' and the close alone. */
                err = sys->watchdog_ioctl(fd, WDIOC_SETOPTIONS, &options);
                if (err == -ENOTTY || err == -EINVAL || err == -EOPNOTSUPP)
                        err = 0;
        }
        if (err < 0) {
                (void)sys->watchdog_close(fd);
                return err;
        }
        return sys->watchdog_close(fd);
}
