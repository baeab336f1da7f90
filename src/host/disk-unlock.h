/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "luks2-header.h"
#include "rootdir.h"

/*
 * The encrypted disks a boot unlocks, and whether a TPM2 does it: the root file system's
 * device when it is a LUKS dm-crypt mapping (found through the mount table and
 * /sys/dev/block, /sys/block/dm-N/dm/uuid "CRYPT-LUKS2-...", slaves/ down to the disk, through
 * LVM and other mappings on the way), and every /etc/crypttab entry, its device resolved
 * inside the root (UUID=, PARTUUID=, LABEL=, PARTLABEL=, ID= through /dev/disk/by-*, or a
 * path). Entries of plain dm-crypt (plain, swap, tmp, or a key from /dev/urandom) have no
 * header and are left out.
 */
struct encrypted_disk {
        char *device;        /* as the machine names it: "/dev/vda3" */
        char *crypttab_name; /* NULL: not in /etc/crypttab */
        bool root;           /* holds the root file system */
        bool noauto, nofail; /* from its crypttab options */
        char *crypttab_tpm2; /* its tpm2-device= value, NULL: none */
        char *crypttab_pcrs; /* its tpm2-pcrs= value, NULL: none */
        bool crypttab_pcrlock;
        int header_err;         /* 0: the header was read into tpm2 */
        const char *header_why; /* with -EOPNOTSUPP: which library is missing (static) */
        struct luks_tpm2 tpm2;
};

struct disk_unlock {
        bool have_crypttab;
        char *crypttab_error; /* "FILE:LINE: ..." or why it cannot be read; then no disks */
        struct encrypted_disk *disks;
        size_t n_disks;
};

/* 0 with *ret filled (problems with the files are in it, not errors), -ENOMEM. */
int disk_unlock_read(const struct root *r, struct disk_unlock *ret);
void disk_unlock_done(struct disk_unlock *d);
