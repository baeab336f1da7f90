/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdint.h>

/*
 * The kernel's log as /dev/kmsg hands it out: one record per line,
 * "PRIORITY,SEQUENCE,MICROSECONDS,FLAGS[,MORE];MESSAGE", continuation lines starting with a
 * space (Documentation/ABI/testing/dev-kmsg).
 */

/* When the kernel started its first userspace program ("Run /init as init process", or
 * /sbin/init and the other fall-backs), in microseconds since the boot, from text (records
 * separated by newlines). 0 with *ret, -ENOENT when no record says so (the ring buffer may
 * have wrapped). Malformed records are skipped. */
int kmsg_init_started(const char *text, uint64_t *ret);
