/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <time.h>
#include <linux/reboot.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>

#include "dl.h"
#include "file-ops.h"
#include "kmod-context.h"
#include "rootdir.h"
#include "syscalls.h"
#include "util.h"

static int real_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
                                unsigned long flags)
{
        unsigned long len = cmdline ? strlen(cmdline) + 1 : 0;

        if (syscall(SYS_kexec_file_load, kernel_fd, initrd_fd, len, cmdline, flags) < 0)
                return -errno;
        return 0;
}

static int real_reboot_kexec(void)
{
        if (syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_KEXEC,
                    NULL) < 0)
                return -errno;
        return 0; /* not reached: the new kernel runs */
}

static void real_sync(void)
{
        sync();
}

static bool real_can_boot(void)
{
        struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct d[2] = {};

        if (syscall(SYS_capget, &h, d) < 0)
                return geteuid() == 0;
        return d[CAP_SYS_BOOT / 32].effective & (1u << (CAP_SYS_BOOT % 32));
}

/* What the shell that libkmod starts for an install command of modprobe.d gets as its
 * environment: a fixed PATH, nothing of warmboot's caller's. */
static char *const install_command_env[] = {(char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};

/* Loads a module with its dependencies as modprobe does, install commands included: root's
 * own modprobe.d has them, and some packages name the real module only there (Debian's
 * NVIDIA driver: "install nvidia modprobe -i nvidia-current"). libkmod runs them with
 * system(), so they see install_command_env, not this process's environment. */
static int probe_insert(struct kmod_module *mod)
{
        extern char **environ;
        char **saved = environ;
        int r;

        environ = (char **)install_command_env;
        r = sym_kmod_module_probe_insert_module(mod, KMOD_PROBE_IGNORE_LOADED, NULL, NULL, NULL,
                                                NULL);
        environ = saved;
        return r;
}

/* Removes or loads (with dependencies, like modprobe) one module through libkmod. */
static int module_op(const char *name, bool insert)
{
        _cleanup_(kmod_context_unrefp) struct kmod_ctx *ctx = NULL;
        struct kmod_module *mod;
        int r;

        r = kmod_context_open(&ctx, NULL);
        if (r < 0)
                return r;
        r = sym_kmod_module_new_from_name(ctx, name, &mod);
        if (r >= 0) {
                r = insert ? probe_insert(mod) : sym_kmod_module_remove_module(mod, 0);
                sym_kmod_module_unref(mod);
        }
        return r;
}

static int real_module_remove(const char *name)
{
        return module_op(name, false);
}

static int real_module_insert(const char *name)
{
        return module_op(name, true);
}

static int real_kill(int pid, int sig)
{
        return kill(pid, sig) < 0 ? -errno : 0;
}

static bool real_alive(int pid)
{
        return kill(pid, 0) == 0 || errno == EPERM;
}

static void real_sleep_ms(unsigned ms)
{
        struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

static int real_remount_ro(const char *path)
{
        return mount(NULL, path, NULL, MS_REMOUNT | MS_RDONLY, NULL) < 0 ? -errno : 0;
}

static int real_watchdog_open(const struct root *r, const char *device)
{
        return root_open(r, device, O_WRONLY | O_CLOEXEC | O_NOCTTY);
}

static int real_watchdog_ioctl(int fd, unsigned long request, void *arg)
{
        return ioctl(fd, request, arg) < 0 ? -errno : 0;
}

static int real_watchdog_write(int fd, const void *data, size_t len)
{
        ssize_t n = write(fd, data, len);

        if (n < 0)
                return -errno;
        return (size_t)n == len ? 0 : -EIO;
}

static int real_watchdog_close(int fd)
{
        return close(fd) < 0 ? -errno : 0;
}

const struct sys_ops sys_real = {
        .kexec_file_load = real_kexec_file_load,
        .reboot_kexec = real_reboot_kexec,
        .sync = real_sync,
        .can_boot = real_can_boot,
        .module_remove = real_module_remove,
        .module_insert = real_module_insert,
        .kill = real_kill,
        .alive = real_alive,
        .sleep_ms = real_sleep_ms,
        .remount_ro = real_remount_ro,
        .replace_file = fileops_replace,
        .create_file = fileops_create,
        .remove_file = fileops_remove,
        .write_private_file = fileops_write_private,
        .watchdog_open = real_watchdog_open,
        .watchdog_ioctl = real_watchdog_ioctl,
        .watchdog_write = real_watchdog_write,
        .watchdog_close = real_watchdog_close,
};

const struct sys_ops *sys = &sys_real;
