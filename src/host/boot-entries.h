/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "boot-entry.h"
#include "rootdir.h"

/*
 * Every bootable kernel the machine has, as its boot loaders describe them: Boot Loader
 * Specification entries (with GRUB blscfg's grubenv variables), GRUB's grub.cfg menu,
 * unified kernel images in EFI/Linux, NixOS system profiles, else plain /boot. Kernel and
 * initrd paths are mapped to the paths the machine sees.
 */
/* Which setting makes the default entry the default; list's "default_from". */
enum default_from {
        DEFAULT_FROM_NONE,           /* no default (default_index -1) */
        DEFAULT_FROM_FIRST,          /* nothing names one: the first entry */
        DEFAULT_FROM_LOADER_ONESHOT, /* systemd-boot: LoaderEntryOneShot, once */
        DEFAULT_FROM_LOADER_DEFAULT, /* systemd-boot: LoaderEntryDefault (bootctl set-default) */
        DEFAULT_FROM_LOADER_SAVED,   /* systemd-boot: "@saved", LoaderEntryLastBooted */
        DEFAULT_FROM_LOADER_CONF,    /* systemd-boot: loader.conf's default pattern */
        DEFAULT_FROM_NEXT_ENTRY,     /* GRUB: grubenv's next_entry (grub-reboot), once */
        DEFAULT_FROM_SAVED_ENTRY,    /* GRUB: grubenv's saved_entry (grub-set-default) */
        DEFAULT_FROM_GRUB_DEFAULT,   /* GRUB: GRUB_DEFAULT in /etc/default/grub */
        DEFAULT_FROM_PROFILE,        /* NixOS: the system profile's current generation */
};
const char *default_from_to_string(enum default_from f);

struct entry_list {
        struct boot_entry *entries;
        size_t n;
        ssize_t default_index;          /* what a cold boot would start, -1 when unknown */
        enum default_from default_from; /* and why */
        char *default_file;             /* the file holding that setting, NULL for none */
        ssize_t running_index;          /* the running kernel's entry, -1 when none matches */
        bool running_by_loader;         /* that is the entry systemd-boot says it booted */
        char **warnings;                /* skipped files, "FILE:LINE: sentence" */
};

/*
 * running_cmdline: the running command line, NULL when unknown. Without BOOT_IMAGE= on it
 * (systemd-boot writes none), the entry that systemd-boot's LoaderEntrySelected names is
 * the running one, when it holds the running release.
 */
int entries_discover(const struct root *r, const char *running_release, const char *running_kernel,
                     const char *running_cmdline, struct entry_list *ret);
void entry_list_done(struct entry_list *l);
/* entries_discover() for the machine behind the root, with its running release and kernel. */
int entries_of_machine(const struct root *r, struct entry_list *ret);

/* --entry: an id, a title (GRUB's "Submenu>Entry" too) or a position in the list (0 first). */
ssize_t entries_find(const struct entry_list *l, const char *what);
/* --latest: the highest version, by version_compare(). */
ssize_t entries_latest(const struct entry_list *l);
