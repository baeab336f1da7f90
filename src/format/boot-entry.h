/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* One bootable kernel as a boot loader configuration describes it. Paths are as written
 * in the configuration (relative to the boot partition for BLS and GRUB); the caller maps
 * them to the machine's paths. All strings owned; NULL when absent. */
struct boot_entry {
        char *id;    /* BLS: file name without ".conf"; GRUB: --id or the title path */
        char *title; /* GRUB: "Submenu>Entry" path for entries in submenus */
        char *version;
        char *kernel;
        char **initrds;   /* in load order, never NULL (may be empty) */
        char *options;    /* the command line, NULL when the entry gives none */
        char *sort_key;   /* BLS */
        char *machine_id; /* BLS */
        char *root_uuid;  /* GRUB: search --fs-uuid --set=root UUID in force for this entry */
        char *file;       /* the configuration file it came from */
        char *source;     /* "bls", "grub", "uki", "scan" or "nixos" (set by discovery) */
        bool uki;         /* kernel is a unified kernel image (PE with .linux/.initrd) */
        unsigned line;    /* and the line where it starts */
};

void boot_entry_done(struct boot_entry *e);
void boot_entries_free(struct boot_entry *e, size_t n);
