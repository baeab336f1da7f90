/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * systemd-boot's loader.conf: "key value" lines, read the way systemd-boot reads them.
 * Lines end at "\n" or "\r"; blanks around a line are dropped; "#" starts a comment line;
 * the key runs to the first blank and the value starts after the blanks that follow; one
 * pair of double quotes around the value is removed.
 */

/*
 * The pattern of the last "default" line (later lines override earlier ones, as in
 * systemd-boot): a glob over entry ids, such as "arch-*" or "@saved" (systemd-boot's
 * LoaderEntryLastBooted, which no id matches here). 0 with *ret NULL when there is no
 * such line, -ENOMEM. Caller frees.
 */
int loader_conf_default(const char *text, char **ret);

/* Whether the pattern picks the entry with this id (a file name, with or without its
 * ".conf"): systemd-boot folds both to lower case before it matches. */
bool loader_entry_matches(const char *pattern, const char *id);
