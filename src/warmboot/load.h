/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "plan.h"
#include "rootdir.h"

/*
 * Loads the plan's kernel, initrds and command line with kexec_file_load(2). One initrd is
 * passed as its own descriptor; several are joined into a memfd, in order. Never uses
 * kexec_load(2), which would bypass signature checks.
 */
int kexec_load_plan(const struct root *r, const struct plan *p);
int kexec_unload(void);

/* One sentence saying why a load failed with err and what to do. Caller frees. */
char *kexec_load_error(int err, const struct plan *p);
/* Why reboot(LINUX_REBOOT_CMD_KEXEC) failed with err. */
const char *reboot_error(int err);
/* Joins the files into one sealed, read-only memfd. */
int initrd_join(const struct root *r, char *const *paths, int *ret_fd);
