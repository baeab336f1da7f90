/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct root;

/*
 * The one seam through which warmboot touches the running kernel. Every call that loads or
 * unloads a kernel or a module, signals a process, remounts a file system, changes a boot
 * loader's file (grubenv, an EFI variable) or hands over goes through sys_ops, so unit tests swap
 * in a recorder and nothing privileged ever runs on the test machine. warmboot starts no
 * program itself; only module_insert's libkmod runs modprobe.d's install commands, with a
 * fixed minimal environment (syscalls.c). All functions return 0 or a negative errno.
 */
#define KEXEC_FILE_UNLOAD_FLAG 0x1
#define KEXEC_FILE_NO_INITRAMFS_FLAG 0x4

struct sys_ops {
        int (*kexec_file_load)(int kernel_fd, int initrd_fd, const char *cmdline,
                               unsigned long flags);
        int (*reboot_kexec)(void);
        void (*sync)(void);
        /* Whether this process may load and boot a kernel (CAP_SYS_BOOT). */
        bool (*can_boot)(void);
        /* Removes one kernel module (libkmod, no waiting): -EBUSY while it is in use. */
        int (*module_remove)(const char *name);
        /* Loads a module again with its dependencies (libkmod, like modprobe). */
        int (*module_insert)(const char *name);
        int (*kill)(int pid, int sig);
        /* Whether a process still exists. */
        bool (*alive)(int pid);
        void (*sleep_ms)(unsigned ms);
        /* Makes the file system mounted at path read-only (MS_REMOUNT|MS_RDONLY). */
        int (*remount_ro)(const char *path);
        /* The boot loaders' one-shot choices, in a directory opened inside the root
         * (file-ops.h): grubenv rewritten in place of the old one, an EFI variable deleted
         * or written back. */
        int (*replace_file)(int dir_fd, const char *name, const void *data, size_t len);
        int (*create_file)(int dir_fd, const char *name, const void *data, size_t len);
        int (*remove_file)(int dir_fd, const char *name);
        /* warmboot's own state (/run/warmboot/load-record): see fileops_write_private(). */
        int (*write_private_file)(int parent_fd, const char *dir, const char *name,
                                  const void *data, size_t len);
        /* A watchdog device (watchdog.h): opened write-only inside the root, which starts
         * it; an ioctl of <linux/watchdog.h>; a write, which pings it ('V' lets the next
         * close stop it); the close. */
        int (*watchdog_open)(const struct root *r, const char *device);
        int (*watchdog_ioctl)(int fd, unsigned long request, void *arg);
        int (*watchdog_write)(int fd, const void *data, size_t len);
        int (*watchdog_close)(int fd);
};

extern const struct sys_ops *sys;
extern const struct sys_ops sys_real;
