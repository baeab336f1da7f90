/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "efivars.h"
#include "kmsg.h"
#include "private-file.h"
#include "reboot-report-file.h"
#include "syscalls.h"
#include "util.h"

#define FPDT_BOOT "/sys/firmware/acpi/fpdt/boot/"
#define KMSG_READ_MAX (4u << 20)

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

/* The kernel's log, as much of it as /dev/kmsg still holds: one record a read, until it
 * says there are no more (a regular file in a tree hands out all of it at once). */
static char *kmsg_read(const struct root *r)
{
        _cleanup_close_ int fd = root_open(r, "/dev/kmsg", O_RDONLY | O_NONBLOCK | O_NOCTTY);
        char *text = NULL;
        size_t len = 0;
        FILE *f;

        if (fd < 0)
                return NULL;
        f = open_memstream(&text, &len);
        if (!f)
                return NULL;
        for (size_t total = 0; total < KMSG_READ_MAX;) {
                char buf[8192];
                ssize_t n = read(fd, buf, sizeof(buf));
                if (n < 0 && errno == EPIPE)
                        continue; /* a record was overwritten: the next one follows */
                if (n <= 0)
                        break;
                fwrite(buf, 1, (size_t)n, f);
                total += (size_t)n;
        }
        if (fclose(f) != 0) {
                free(text);
                return NULL;
        }
        return text;
}

void boot_timeline_read(const struct root *r, int64_t *ret_kernel_start,
                        int64_t *ret_userspace_start)
{
        int64_t real = clock_usec(CLOCK_REALTIME), up = clock_usec(CLOCK_BOOTTIME);
        _cleanup_free_ char *log = kmsg_read(r);
        uint64_t init = 0;

        *ret_kernel_start = real >= 0 && up >= 0 && real > up ? real - up : -1;
        *ret_userspace_start = *ret_kernel_start >= 0 && log &&
                                               kmsg_init_started(log, &init) >= 0 &&
                                               init < (uint64_t)INT64_MAX / 2
                                       ? *ret_kernel_start + (int64_t)init
                                       : -1;
}
