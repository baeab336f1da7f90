/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "rootdir.h"

/*
 * warmboot's own short shutdown, for machines without systemd as PID 1: every process but
 * PID 1 and warmboot gets SIGTERM, then after grace_sec SIGKILL; sync; every writable file
 * system is made read-only (a failure is fatal: no hand-over with a file system that might
 * lose data); then reboot(LINUX_REBOOT_CMD_KEXEC). Not with systemd as PID 1: it would
 * start again the services that have Restart=, which keep the file systems busy.
 * Returns only on failure, with *ret_why saying what failed (caller frees) and
 * *ret_ended set once the processes have been signalled: no way back from there.
 */
int handover_direct(const struct root *r, unsigned grace_sec, bool *ret_ended, char **ret_why);

/* The systemd hand-over: kexec.target is started, systemd does the rest; forced (--now):
 * the manager's KExec(), systemd-shutdown does it at once. */
int handover_systemd(bool forced, char **ret_why);
