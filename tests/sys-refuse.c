/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The seam of warmboot-under-test: every privileged call is refused and reported, so the
 * CLI tests can run the real argument handling without any chance of a real kexec. */
#include "syscalls.h"
#include "systemd-bus.h"
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

static bool fake_can_boot(void)
{
        return getenv("WARMBOOT_TEST_CAN_BOOT") != NULL;
}

static int fake_module(const char *name)
{
        return refuse(name);
}

static int fake_kill(int pid, int sig)
{
        return refuse("kill");
}

static bool fake_alive(int pid)
{
        return false;
}

static void fake_sleep_ms(unsigned ms)
{
}

static int fake_remount_ro(const char *path)
{
        return refuse(path);
}

static int fake_replace_file(int dir_fd, const char *name, const void *data, size_t len)
{
        return refuse(name);
}

static int fake_remove_file(int dir_fd, const char *name)
{
        return refuse(name);
}

static int fake_write_private_file(int parent_fd, const char *dir, const char *name,
                                   const void *data, size_t len)
{
        return refuse(name);
}

static int fake_watchdog_open(const struct root *r, const char *device)
{
        return refuse(device);
}

static int fake_watchdog_ioctl(int fd, unsigned long request, void *arg)
{
        return refuse("watchdog ioctl");
}

static int fake_watchdog_write(int fd, const void *data, size_t len)
{
        return refuse("watchdog write");
}

static int fake_watchdog_close(int fd)
{
        return refuse("watchdog close");
}

static const struct sys_ops refusing = {
        .kexec_file_load = fake_kexec_file_load,
        .reboot_kexec = fake_reboot_kexec,
        .sync = fake_sync,
        .can_boot = fake_can_boot,
        .module_remove = fake_module,
        .module_insert = fake_module,
        .kill = fake_kill,
        .alive = fake_alive,
        .sleep_ms = fake_sleep_ms,
        .remount_ro = fake_remount_ro,
        .replace_file = fake_replace_file,
        .create_file = fake_replace_file,
        .remove_file = fake_remove_file,
        .write_private_file = fake_write_private_file,
        .watchdog_open = fake_watchdog_open,
        .watchdog_ioctl = fake_watchdog_ioctl,
        .watchdog_write = fake_watchdog_write,
        .watchdog_close = fake_watchdog_close,
};

const struct sys_ops *sys = &refusing;

static int no_bus_active(const char *unit, bool *ret)
{
        return -ENOTCONN;
}

static int no_bus_start(const char *unit, const char *mode, unsigned timeout_sec, char **ret_error)
{
        return refuse(unit);
}

static int no_bus_stop(const char *unit, unsigned timeout_sec, char **ret_error)
{
        return refuse(unit);
}

static int no_bus_pulled_by(const char *unit, char ***ret)
{
        return -ENOTCONN;
}

static int no_bus_inhibitors(char ***ret)
{
        *ret = calloc(1, sizeof(char *));
        return *ret ? 0 : -ENOMEM;
}

static int no_bus_kexec(char **ret_error)
{
        return refuse("kexec.target");
}

static int no_bus_reboot(char **ret_error)
{
        return refuse("reboot.target");
}

static int no_bus_usec(const char *property, uint64_t *ret)
{
        return -ENOTCONN;
}

static int no_bus_set_usec(const char *property, uint64_t usec, char **ret_error)
{
        return refuse(property);
}

static int no_bus_journal(const char *message_id, int priority, const char *message,
                          const char *trial_id)
{
        return -ENOTCONN;
}

static const struct systemd_ops no_bus = {
        .unit_active = no_bus_active,
        .start_unit = no_bus_start,
        .stop_unit = no_bus_stop,
        .unit_pulled_by = no_bus_pulled_by,
        .shutdown_inhibitors = no_bus_inhibitors,
        .start_kexec = no_bus_kexec,
        .start_reboot = no_bus_reboot,
        .manager_usec = no_bus_usec,
        .set_manager_usec = no_bus_set_usec,
        .journal_send = no_bus_journal,
};

const struct systemd_ops *systemd = &no_bus;
