/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Where the time of one run goes, for benchmarks and for anyone asking why a reboot took as
 * long as it did. With WARMBOOT_TIMING=1 in the environment, every timing_mark() prints one
 * line on stderr:
 *
 *   warmboot: timing: PHASE WALL ms, cpu CPU ms, at BOOTTIME s
 *
 * WALL and CPU (user + system of this process) are the phase's own: since the previous mark,
 * or, for the first, since the process was started (so the first includes exec and the
 * dynamic loader). BOOTTIME is CLOCK_BOOTTIME at the mark, the clock of /proc/uptime, so a
 * line can be placed on the machine's own time line. Without the variable nothing is
 * printed and a mark costs one branch.
 */
void timing_init(void);
void timing_mark(const char *phase);
