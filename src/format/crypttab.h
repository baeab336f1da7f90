/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * /etc/crypttab, read the way systemd-cryptsetup-generator reads it: a line is
 * "NAME DEVICE [KEYFILE [OPTIONS]]", fields separated by blanks (no quoting: systemd
 * splits the line with sscanf), blanks around a line dropped, lines that start with '#'
 * and empty lines skipped. OPTIONS is a comma-separated list in which "\," stands for a
 * comma inside a value. KEYFILE "-" or "none" means no key file.
 */
#define CRYPTTAB_READ_MAX (1u << 20)

struct crypttab_entry {
        unsigned line;
        char *name;        /* the mapping: /dev/mapper/NAME */
        char *device;      /* as written: "UUID=...", "PARTUUID=...", "/dev/..." */
        char *key_file;    /* NULL: none */
        char *options;     /* as written; NULL when there is no fourth field */
        char *tpm2_device; /* the value of the last tpm2-device= ("auto", a path); NULL: none */
        char *tpm2_pcrs;   /* the value of the last tpm2-pcrs= ("7", "0+7"); NULL: none */
        bool tpm2_pcrlock; /* tpm2-pcrlock= is given: a policy over PCRs kept by pcrlock */
        bool noauto;       /* not set up at boot */
        bool nofail;       /* boot goes on without it */
};

struct crypttab {
        struct crypttab_entry *entries;
        size_t n_entries;
};

/*
 * Parses the text of a crypttab. On a bad line returns -EINVAL with *ret_error = "FILE:LINE:
 * what is wrong" (caller frees; ret_error may be NULL) and *ret untouched. Bad: a line with
 * one field or more than four (a blank inside the options, most likely), a name that cannot
 * be a device-mapper name. -ENOMEM. Free with crypttab_done().
 */
int crypttab_parse(const char *text, const char *filename, struct crypttab *ret, char **ret_error);
void crypttab_done(struct crypttab *t);
