/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "boot-entry.h"

/*
 * Boot Loader Specification Type #1 entries (/boot/loader/entries/NAME.conf), as systemd-boot
 * and Fedora/RHEL's blscfg read them. The GRUB environment block blscfg expands their
 * variables from is parsed in grubenv.h.
 */

/*
 * Parses one entry file. id is the file name without ".conf". Keys: title, version,
 * machine-id, sort-key, linux, initrd (repeatable, in order), options (repeatable, joined
 * with spaces), devicetree/architecture (ignored), and blscfg's grub_users, grub_arg,
 * grub_class (ignored). "$name" and "${name}" in options are expanded from env (a strv of
 * "key=value"; unknown names expand to nothing, as GRUB does). Returns -EBADMSG with
 * *ret_error = "FILE:LINE: sentence" for an entry without "linux", a line that is not
 * "key value", a NUL or control byte, a line over 4096 bytes; unknown keys are ignored.
 */
int bls_entry_parse(const char *text, const char *file, const char *id, char *const *env,
                    struct boot_entry *ret, char **ret_error);

/* Sorts entries the way the specification says: by sort-key, then machine-id, then version
 * (newest first, version_compare()), entries without sort-key after those with one, by id in
 * descending version order. */
void bls_entries_sort(struct boot_entry *e, size_t n);
