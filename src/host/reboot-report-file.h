/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdint.h>

#include "reboot-report.h"
#include "rootdir.h"

/*
 * The reboot report on the machine (format/reboot-report.h), kept across boots: written
 * through the seam (sys->write_private_file: a 0700 directory, a 0600 file, written beside
 * and renamed, file and directory synced), read back by status and confirm.
 */
#define REBOOT_REPORT_PARENT "/var/lib"
#define REBOOT_REPORT_DIRNAME "warmboot"
#define REBOOT_REPORT_NAME "last-reboot"
#define REBOOT_REPORT_PATH "/var/lib/warmboot/last-reboot"

/* 0 with *ret; -ENOENT when there is none; another negative errno when it cannot be used,
 * with *ret_why one sentence naming the file. */
int reboot_report_read(const struct root *r, struct reboot_report *ret, char **ret_why);
int reboot_report_save(const struct root *r, const struct reboot_report *rep);
/* Removes the report: 0 also when there is none. */
int reboot_report_remove(const struct root *r);

/* The time the firmware and the boot loader took on the way into the last cold boot, in
 * microseconds: ACPI's FPDT (the end of ExitBootServices(), counted from the reset), else
 * systemd-boot's LoaderTimeExecUSec. -ENOENT when neither tells. */
int firmware_boot_usec(const struct root *r, int64_t *ret);

/* This boot's timeline on CLOCK_REALTIME, microseconds: when its kernel started (now less
 * CLOCK_BOOTTIME) and when PID 1 started (/proc/1/stat). Unknown times are -1. */
void boot_timeline_read(const struct root *r, int64_t *ret_kernel_start,
                        int64_t *ret_userspace_start);
