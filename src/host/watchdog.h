/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "rootdir.h"

/*
 * The machine's hardware watchdogs (/sys/class/watchdog/watchdogN, the kernel's watchdog
 * core) and whether one keeps counting through a kexec, so that a new kernel that hangs is
 * reset by the hardware.
 *
 * What the kernel does (drivers/watchdog/watchdog_core.c, watchdog_dev.c): a driver that
 * calls watchdog_stop_on_reboot() gets a reboot notifier that stops the watchdog on every
 * restart, and kexec is one (kernel_kexec() runs the reboot notifiers). i6300esb, iTCO_wdt,
 * sp5100_tco, wdat_wdt and softdog all do. The watchdog core's parameter stop_on_reboot
 * (Linux 5.7, read-only once booted) overrides every driver: watchdog.stop_on_reboot=0 on
 * the kernel's command line keeps them running, 1 stops them, -1 leaves it to the driver.
 * The new kernel's driver takes over when it probes: i6300esb stops the timer there, iTCO_wdt
 * finds it running and the kernel feeds it until userspace opens it (for at most
 * watchdog.open_timeout= seconds when that is set), so the reset covers a new kernel that
 * hangs before its watchdog driver loads.
 */

struct watchdog {
        char *name;     /* "watchdog0" */
        char *device;   /* "/dev/watchdog0" */
        char *identity; /* the driver's "i6300ESB timer", "iTCO_wdt"; NULL when unreadable */
        char *driver;   /* the parent device's driver; NULL when it has none (softdog) */
        unsigned timeout, min_timeout, max_timeout; /* seconds; 0: unknown */
        long options;                               /* WDIOF_* flags; -1: unknown */
        int active;   /* state "active": 1, "inactive": 0, -1 unknown */
        int nowayout; /* 1 or 0; -1 unknown */
};

void watchdog_done(struct watchdog *w);
void watchdog_list_free(struct watchdog *l, size_t n);

/* The watchdogs in /sys/class/watchdog, by number. None (or no such directory): 0 and
 * *ret_n 0. An attribute that is missing or not a number is left unknown. */
int watchdog_list(const struct root *r, struct watchdog **ret, size_t *ret_n);

/* The watchdog core's stop_on_reboot parameter: -1, 0 or 1 (any other number stops, as the
 * kernel reads it). -ENOENT when the kernel has none (before 5.7, or no watchdog core),
 * -EBADMSG when the file holds no number. */
int watchdog_stop_on_reboot(const struct root *r);

/* Whether w keeps counting through a kexec, given watchdog_stop_on_reboot()'s answer (a
 * negative errno counts as absent). *ret_why, when not NULL, is one sentence saying why
 * (static text, no capital, no full stop). Unknown drivers count as stopping: sysfs does not
 * show a driver's choice. */
bool watchdog_survives_kexec(const struct watchdog *w, int stop_on_reboot, const char **ret_why);

/* The entry of a device path ("/dev/watchdog1", or "/dev/watchdog", which is watchdog0) in
 * l, or NULL. */
const struct watchdog *watchdog_find(const struct watchdog *l, size_t n, const char *device);

/*
 * Arms the watchdog behind device for sec seconds and leaves it counting: opens it (which
 * starts it), sets the timeout, pings, and closes it without the magic 'V', so the kernel
 * stops feeding it and the hardware resets the machine sec seconds later unless someone
 * opens it again. *ret_sec_set is the timeout the driver set (it may round). Fails, leaving
 * the watchdog as it was, with -EBUSY when another process holds the device open (systemd's
 * RuntimeWatchdogSec=, a watchdog daemon), -ERANGE when sec is outside the watchdog's
 * min_timeout..max_timeout, -EOPNOTSUPP when its driver cannot set a timeout or stops it
 * on any close (no WDIOF_MAGICCLOSE).
 */
int watchdog_arm(const struct root *r, const char *device, unsigned sec, unsigned *ret_sec_set);

/*
 * Stops the watchdog behind device: opens it, writes 'V', disables it (WDIOS_DISABLECARD)
 * and closes it. -EBUSY when its nowayout is set (it cannot be stopped; it is not even
 * opened then, since opening would start it) or another process holds it open.
 */
int watchdog_disarm(const struct root *r, const char *device);
