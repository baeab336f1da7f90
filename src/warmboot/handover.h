/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "rootdir.h"

/*
 * warmboot's own short shutdown, for --now and machines without systemd as PID 1: every
 * process but PID 1 and warmboot gets SIGTERM, then after grace_sec SIGKILL; sync; every
 * writable file system is made read-only (a failure is fatal: no hand-over with a file
 * system that might lose data); then reboot(LINUX_REBOOT_CMD_KEXEC).
 * Returns only on failure, with *ret_why saying what failed (caller frees).
 */
int handover_direct(const struct root *r, unsigned grace_sec, char **ret_why);

/* The systemd hand-over: kexec.target is started, systemd does the rest. */
int handover_systemd(char **ret_why);
