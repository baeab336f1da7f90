/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "rootdir.h"

/*
 * systemd-boot's variables (the Boot Loader Interface), read from efivarfs under the root.
 */

#define EFIVARS_DIR "/sys/firmware/efi/efivars"

/* The efivarfs path of the loader variable name ("LoaderEntryOneShot"); NULL without memory. */
char *efivar_loader_path(const char *name);

/*
 * Reads the loader variable name as a string. 0 with *ret (caller frees; never empty);
 * -ENOENT when it is not set or empty; -ENOMEM; any other negative errno when it cannot be
 * read or is no string, and then *ret_problem is a sentence naming the file and what is
 * wrong with it (caller frees).
 */
int efivar_read_loader_string(const struct root *r, const char *name, char **ret,
                              char **ret_problem);
