/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "rootdir.h"

#define CMDLINE_READ_MAX 65536

/* What the running machine (or the tree standing for it) says about kexec. Values the
 * machine does not show are -1 or NULL. */
struct host_state {
        char *release;     /* /proc/sys/kernel/osrelease */
        char *cmdline;     /* /proc/cmdline */
        int kexec_loaded;  /* /sys/kernel/kexec_loaded */
        int load_disabled; /* /proc/sys/kernel/kexec_load_disabled */
        char *lockdown;    /* the selected word of /sys/kernel/security/lockdown */
        int kexec_file;    /* CONFIG_KEXEC_FILE in /boot/config-R: 1 y, 0 not set */
        char *config_path; /* where that was read */
        bool systemd;      /* systemd runs as PID 1 (/run/systemd/system) */
        int graphical;     /* graphical.target active: 1, 0, -1 unknown; trees only, see below */
        int release_err;   /* why release is NULL */
        int cmdline_err;   /* why cmdline is NULL */
};

/*
 * On the running machine graphical is -1: whether graphical.target is active is systemd's to
 * say over D-Bus (the plan asks it). A tree cannot be asked, so it is read from the files: a
 * machine boots into its default target, and the tree is taken to show a machine that has
 * not left it since. default.target is looked up as systemd does (/etc/systemd/system, then
 * /run, /usr/lib and /lib); a link to graphical.target (or its alias runlevel5.target) means
 * 1, a link to any other target 0, no systemd as PID 1 0, no link (or a plain file) -1.
 * systemd.unit= on the kernel command line is not looked at.
 */
int host_state_read(const struct root *r, struct host_state *ret);
void host_state_done(struct host_state *h);

/* Reads a 0/1 sysctl-like file: 0, 1, or -1 when absent or unreadable. */
int read_flag(const struct root *r, const char *path);
