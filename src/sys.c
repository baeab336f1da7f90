/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <linux/capability.h>
#include <linux/reboot.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "sys.h"
#include "util.h"

extern char **environ;

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

static int real_run(char *const argv[])
{
        pid_t pid;
        int status, err;

        err = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
        if (err != 0)
                return -err;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static bool real_can_boot(void)
{
        struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct d[2] = {};

        if (syscall(SYS_capget, &h, d) < 0)
                return geteuid() == 0;
        return d[CAP_SYS_BOOT / 32].effective & (1u << (CAP_SYS_BOOT % 32));
}

const struct sys_ops sys_real = {
        .kexec_file_load = real_kexec_file_load,
        .reboot_kexec = real_reboot_kexec,
        .sync = real_sync,
        .run = real_run,
        .can_boot = real_can_boot,
};

const struct sys_ops *sys = &sys_real;
