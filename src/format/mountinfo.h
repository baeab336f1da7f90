/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* /proc/self/mountinfo of a machine with thousands of mounts (containers) fits. */
#define MOUNTINFO_READ_MAX (1u << 20)

/* One line of /proc/PID/mountinfo; the strings point into the parser's copy of the text. */
struct mount_entry {
        const char *devnum;      /* "MAJOR:MINOR" of the file system's device */
        const char *root;        /* the part of the file system mounted ("/" for all of it) */
        const char *mount_point; /* with mountinfo's octal escapes undone */
        const char *options;     /* per-mount options ("rw,relatime") */
        const char *fstype;
        const char *source; /* "/dev/vda1", or NULL */
};

/* Calls fn for every well-formed line, in order; lines that are not are skipped. Stops at
 * the first non-zero return of fn and returns it; 0 after the last line, -ENOMEM. */
int mountinfo_foreach(const char *text, int (*fn)(const struct mount_entry *m, void *userdata),
                      void *userdata);

/* The mount points of writable, disk-backed file systems in /proc/self/mountinfo text,
 * innermost first (the order to make them read-only). */
int writable_mounts(const char *mountinfo, char ***ret);
