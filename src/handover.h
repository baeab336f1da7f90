/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"
#include "root.h"

/*
 * Hands the machine to the loaded kernel. Returns only on failure, with a negative errno
 * (direct) or a positive exit status of systemctl; the kernel is still loaded then.
 */
int handover_direct(void);
int handover_systemd(const struct root *r);

/* The systemctl the systemd hand-over runs; NULL when there is none. */
const char *systemctl_path(const struct root *r);
