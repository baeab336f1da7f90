/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * The one seam through which warmboot touches the running kernel. Every call that loads,
 * unloads or hands over, and every program run for a hand-over, goes through sys_ops, so
 * unit tests swap in a recorder and nothing privileged ever runs on the test machine.
 * All functions return 0 or a negative errno.
 */
#define KEXEC_FILE_UNLOAD_FLAG 0x1
#define KEXEC_FILE_NO_INITRAMFS_FLAG 0x4

struct sys_ops {
        int (*kexec_file_load)(int kernel_fd, int initrd_fd, const char *cmdline,
                               unsigned long flags);
        int (*reboot_kexec)(void);
        void (*sync)(void);
        /* Runs argv[0] (an absolute path) with argv; returns its exit status, or -errno. */
        int (*run)(char *const argv[]);
        /* Whether this process may load and boot a kernel (CAP_SYS_BOOT). */
        bool (*can_boot)(void);
};

extern const struct sys_ops *sys;
extern const struct sys_ops sys_real;
