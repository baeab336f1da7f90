/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "config.h"
#include "rootdir.h"

#define CONFIG_FILE "/etc/warmboot.conf"
#define CONFIG_DROPIN_DIR "/etc/warmboot.conf.d"

/* Reads CONFIG_FILE, then the drop-ins in CONFIG_DROPIN_DIR, through the root; a missing file or
 * directory is no error. Errors: -EINVAL (a bad line), -EFBIG (a file over 64 KiB), -EBADMSG (a NUL
 * byte) or the read's errno, each with *ret_error naming the file; -ENOMEM without it. */
int config_load(const struct root *r, struct config *ret, char **ret_error);
/* What config_load() reads: CONFIG_FILE, CONFIG_DROPIN_DIR and its drop-ins, those that
 * exist (caller frees). -ENOMEM. */
int config_paths(const struct root *r, char ***ret);
