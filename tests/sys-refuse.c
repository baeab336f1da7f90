/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The seam of warmboot-under-test: every privileged call is refused and reported, so the
 * CLI tests can run the real argument handling without any chance of a real kexec. */
#include "sys.h"
#include "util.h"

static int refuse(const char *what)
{
        fprintf(stderr, "warmboot-under-test: refused %s\n", what);
        return -EPERM;
}

static int fake_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
                                unsigned long flags)
{
        return refuse("kexec_file_load");
}

static int fake_reboot_kexec(void)
{
        return refuse("reboot");
}

static void fake_sync(void)
{
        refuse("sync");
}

static int fake_run(char *const argv[])
{
        return refuse(argv[0]);
}

static bool fake_can_boot(void)
{
        return getenv("WARMBOOT_TEST_CAN_BOOT") != NULL;
}

static const struct sys_ops refusing = {
        .kexec_file_load = fake_kexec_file_load,
        .reboot_kexec = fake_reboot_kexec,
        .sync = fake_sync,
        .run = fake_run,
        .can_boot = fake_can_boot,
};

const struct sys_ops *sys = &refusing;
