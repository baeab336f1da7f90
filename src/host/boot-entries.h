/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <sys/types.h>

#include "boot-entry.h"
#include "rootdir.h"

/*
 * Every bootable kernel the machine has, as its boot loaders describe them: Boot Loader
 * Specification entries (with GRUB blscfg's grubenv variables), GRUB's grub.cfg menu,
 * unified kernel images in EFI/Linux, NixOS system profiles, else plain /boot. Kernel and
 * initrd paths are mapped to the paths the machine sees.
 */
struct entry_list {
        struct boot_entry *entries;
        size_t n;
        ssize_t default_index; /* what a cold boot would start, -1 when unknown */
        ssize_t running_index; /* the running kernel's entry, -1 when none matches */
        char **warnings;       /* skipped files, "FILE:LINE: sentence" */
};

int entries_discover(const struct root *r, const char *running_release, const char *running_kernel,
                     struct entry_list *ret);
void entry_list_done(struct entry_list *l);
/* entries_discover() for the machine behind the root, with its running release and kernel. */
int entries_of_machine(const struct root *r, struct entry_list *ret);

/* --entry: an id, a title (GRUB's "Submenu>Entry" too) or a position in the list (0 first). */
ssize_t entries_find(const struct entry_list *l, const char *what);
/* --latest: the highest version, by version_compare(). */
ssize_t entries_latest(const struct entry_list *l);
