/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "boot-entry.h"

/*
 * The menu of a GRUB 2 grub.cfg, as far as warm rebooting needs it: menuentry and submenu
 * blocks (nested, with their titles and --id), the linux/linuxefi/linux16 line (kernel path,
 * with a "(hdX,Y)" device prefix dropped, and the rest as the command line), initrd/
 * initrdefi/initrd16 lines with one or more images, and "search ... --fs-uuid --set=root
 * UUID" in force for the entry (inside it or before it at top level). Quoting as GRUB's
 * shell: '...', "...", backslash escapes; "$var"/"${var}" are expanded from variables
 * set with "set name=value" at top level (others expand to nothing). Everything else
 * (if/fi, functions, insmod, load_env...) is skipped, never executed.
 * Entries are returned in menu order, depth first; an entry in a submenu has title
 * "Submenu>Entry" and id "submenu-id>entry-id" when both have ids. Malformed blocks
 * (unbalanced braces) give -EBADMSG with "FILE:LINE: sentence" in *ret_error.
 */
int grub_cfg_parse(const char *text, const char *file, struct boot_entry **ret, size_t *ret_n,
                   char **ret_error);

/*
 * Which entry GRUB_DEFAULT / saved_entry / next_entry names: a number (top-level index,
 * "1>2" for submenu positions), a title or id, or "Submenu>Entry" with titles or ids.
 * Returns the index into entries or -ENOENT.
 */
int grub_find_entry(const struct boot_entry *entries, size_t n, const char *what);
