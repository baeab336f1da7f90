/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "rootdir.h"

/*
 * What the LUKS header of an encrypted disk says about unlocking it through a TPM2, read
 * with libcryptsetup (opened with dlopen) and its tokens' JSON with json-c:
 *
 *   systemd-tpm2  systemd-cryptenroll's token: "tpm2-pcrs" (PCRs in the policy),
 *                 "tpm2_pubkey_pcrs" (PCRs of a signed policy), "tpm2_pcrlock"
 *   clevis        a JWE whose protected header (base64url JSON) holds
 *                 "clevis": {"pin": "tpm2", "tpm2": {"pcr_ids": "0,7", ...}}, or an "sss"
 *                 pin whose "jwe" list nests more pins, t of which must unlock
 *
 * A clevis binding survives kexec when it can unlock without a PCR-bound tpm2 pin (tang,
 * or an sss whose threshold the other pins meet).
 */
struct luks_tpm2 {
        bool luks2;            /* the header is LUKS2 (LUKS1 has no tokens) */
        unsigned systemd_tpm2; /* systemd-tpm2 tokens */
        unsigned clevis_tpm2;  /* clevis tokens that need a tpm2 pin */
        uint32_t pcrs;         /* the PCRs those tokens' policies are bound to */
        bool pcrlock;          /* a systemd-tpm2 token with a pcrlock policy */
        bool clevis_survives;  /* a clevis token unlocks without a PCR-bound pin */
        unsigned tpm2_no_pcrs; /* TPM2 tokens whose policy has no PCR */
};

/*
 * Reads the LUKS header of the device at path inside the root (a block device, or in a
 * fixture tree a regular file holding a header). 0 with *ret filled; -EOPNOTSUPP when
 * libcryptsetup or json-c cannot be loaded (*ret_why says which, static), -EINVAL when the
 * device holds no valid LUKS header (bad magic, checksum or metadata), -ENOENT, -EACCES and
 * other errors of opening it.
 */
int luks_tpm2_read(const struct root *r, const char *path, struct luks_tpm2 *ret,
                   const char **ret_why);

/* The PCRs of a mask as systemd writes them: "7", "0+7". NULL when out of memory. */
char *pcr_mask_to_string(uint32_t mask);
