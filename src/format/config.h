/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * /etc/warmboot.conf, then the files /etc/warmboot.conf.d/NAME.conf in lexical order,
 * systemd-style ini:
 *
 *   [Modules]
 *   # more modules to unload before the hand-over; never unload those in Keep=
 *   Unload=virtio_gpu vgem
 *   Keep=amdgpu
 *   [Holders]
 *   # units to stop when they hold a driver's device; --kill's SIGTERM-to-SIGKILL wait
 *   StopUnits=my-gpu-job.service
 *   KillGraceSec=5
 *   [Isolate]
 *   # what to isolate when a graphical target runs, and how long to wait for it
 *   Target=multi-user.target
 *   TimeoutSec=90
 *   [Trial]
 *   # the new kernel on trial: panic=N on its command line (0: none), and the hardware
 *   # watchdog armed for this long across the jump where it survives kexec (0: never)
 *   PanicSec=10
 *   WatchdogSec=600
 *
 * Lists are white-space separated and add up across files; an empty assignment ("Unload=")
 * clears what came before, as in systemd. '#' and ';' start comments at the start of a line.
 */
struct config {
        char **unload;
        char **keep;
        char **stop_units;
        unsigned kill_grace_sec;      /* default 5 */
        char *isolate_target;         /* default "multi-user.target" */
        unsigned isolate_timeout_sec; /* default 90 */
        unsigned panic_sec;           /* default 10 */
        unsigned watchdog_sec;        /* default 600 */
};

/* The defaults. isolate_target is NULL only when out of memory; config_load() reports it. */
void config_init(struct config *c);
void config_done(struct config *c);

/*
 * Parses one file's text into c (on top of what is there). On a bad line returns -EINVAL
 * and *ret_error = "FILE:LINE: what is wrong" (caller frees). Unknown sections and keys,
 * a line without '=', bad numbers and module or unit names with characters they cannot
 * have are all errors.
 */
int config_parse(const char *text, const char *filename, struct config *c, char **ret_error);
