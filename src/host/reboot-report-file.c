/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "efivars.h"
#include "private-file.h"
#include "reboot-report-file.h"
#include "syscalls.h"
#include "util.h"

#define FPDT_BOOT "/sys/firmware/acpi/fpdt/boot/"

int reboot_report_read(const struct root *r, struct reboot_report *ret, char **ret_why)
{
        _cleanup_free_ char *text = NULL;
        int err;

        err = private_file_read(r, REBOOT_REPORT_PARENT, REBOOT_REPORT_DIRNAME, REBOOT_REPORT_NAME,
                                REBOOT_REPORT_MAX, &text, ret_why);
        if (err < 0)
                return err;
        err = reboot_report_parse(text, ret);
        if (err == -EBADMSG)
                *ret_why = strdup_printf("%s is not a valid reboot report: ignoring it",
                                         REBOOT_REPORT_PATH);
        return err;
}

int reboot_report_save(const struct root *r, const struct reboot_report *rep)
{
        _cleanup_free_ char *text = NULL;
        int err = reboot_report_format(rep, &text);

        if (err < 0)
                return err;
        return private_file_write(r, REBOOT_REPORT_PARENT, REBOOT_REPORT_DIRNAME,
                                  REBOOT_REPORT_NAME, text);
}

int reboot_report_remove(const struct root *r)
{
        return private_file_remove(r, REBOOT_REPORT_PARENT, REBOOT_REPORT_DIRNAME,
                                   REBOOT_REPORT_NAME);
}

/* A decimal number in a sysfs file: 0 and *ret, or a negative errno. */
static int read_u64_file(const struct root *r, const char *path, uint64_t *ret)
{
        _cleanup_free_ char *s = NULL;
        unsigned long long v;
        char *end;
        int err = root_read_string(r, path, ROOT_VALUE_MAX, &s);

        if (err < 0)
                return err;
        strip_trailing_space(s);
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno != 0 || end == s || *end || s[0] == '-')
                return -EBADMSG;
        *ret = v;
        return 0;
}

int firmware_boot_usec(const struct root *r, int64_t *ret)
{
        _cleanup_free_ char *exec = NULL, *problem = NULL;
        uint64_t ns;
        unsigned long long us;
        char *end;

        /* FPDT's times count from the processor's reset: the end of ExitBootServices() is
         * when the kernel got the machine. */
        if (read_u64_file(r, FPDT_BOOT "exitbootservice_end_ns", &ns) >= 0 && ns > 0 &&
            ns < (uint64_t)INT64_MAX) {
                *ret = (int64_t)(ns / 1000);
                return 0;
        }
        /* systemd-boot's: from the reset to the kernel's start, in microseconds. */
        if (efivar_read_loader_string(r, "LoaderTimeExecUSec", &exec, &problem) < 0)
                return -ENOENT;
        errno = 0;
        us = strtoull(exec, &end, 10);
        if (errno != 0 || end == exec || *end || exec[0] == '-' || us == 0 ||
            us > (unsigned long long)INT64_MAX)
                return -ENOENT;
        *ret = (int64_t)us;
        return 0;
}

static int64_t clock_usec(clockid_t id)
{
        struct timespec ts;

        if (clock_gettime(id, &ts) < 0)
                return -1;
        return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* PID 1's start, in clock ticks after the boot: the 22nd field of /proc/1/stat, counted
 * after the command name's closing parenthesis (the name may hold spaces). */
static int64_t pid1_start_ticks(const struct root *r)
{
        _cleanup_free_ char *stat = NULL;
        const char *p;
        unsigned long long ticks;
        char *end;

        if (root_read_string(r, "/proc/1/stat", 4096, &stat) < 0)
                return -1;
        p = strrchr(stat, ')');
        if (!p)
                return -1;
        /* After ") " come fields 3 (state) to 22 (starttime). */
        for (int field = 2; field < 22 && p; field++)
                p = strchr(p + 1, ' ');
        if (!p)
                return -1;
        errno = 0;
        ticks = strtoull(p + 1, &end, 10);
        if (errno != 0 || end == p + 1 || ticks > (unsigned long long)INT64_MAX / 1000000)
                return -1;
        return (int64_t)ticks;
}

void boot_timeline_read(const struct root *r, int64_t *ret_kernel_start,
                        int64_t *ret_userspace_start)
{
        int64_t real = clock_usec(CLOCK_REALTIME), up = clock_usec(CLOCK_BOOTTIME);
        int64_t ticks = pid1_start_ticks(r);
        long hz = sysconf(_SC_CLK_TCK);

        *ret_kernel_start = real >= 0 && up >= 0 && real > up ? real - up : -1;
        *ret_userspace_start = *ret_kernel_start >= 0 && ticks >= 0 && hz > 0
                                       ? *ret_kernel_start + ticks * 1000000 / hz
                                       : -1;
}
