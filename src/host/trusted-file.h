/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "rootdir.h"

/*
 * Files that decide what warmboot loads or stops (the kernel, initrds, the boot entry, the
 * configuration) must be ones only root can change, as sudo and sshd's StrictModes demand:
 * the file and every directory on the way to it from the root owned by root
 * (root_trusts_owner()) and writable by neither group nor others, a sticky directory
 * included. Links are followed inside the root: their targets are judged, and the
 * directories that hold the links too, since whoever can write there can point them
 * elsewhere.
 */

/* 0 when only root can change the file at path; -EPERM with *ret_why one sentence naming
 * the file or directory at fault, its owner and its mode; -ENOENT when it is absent;
 * another negative errno when it cannot be looked at (-ELOOP: too many links). */
int trusted_file_check(const struct root *r, const char *path, char **ret_why);
