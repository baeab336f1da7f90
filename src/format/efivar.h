/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * EFI variables as efivarfs shows them (/sys/firmware/efi/efivars/NAME-GUID): 4 bytes of
 * attributes, little-endian, then the value. systemd-boot's variables (the Boot Loader
 * Interface) hold UTF-16LE strings, usually NUL-terminated.
 */

/* systemd's vendor GUID for the loader variables, as efivarfs spells it in file names. */
#define EFI_LOADER_GUID "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"

#define EFI_VARIABLE_NON_VOLATILE 0x1u
#define EFI_VARIABLE_BOOTSERVICE_ACCESS 0x2u
#define EFI_VARIABLE_RUNTIME_ACCESS 0x4u

/* The longest string value taken, in UTF-16 code units: an entry id is a file name. */
#define EFIVAR_STRING_MAX 1024u
/* The most bytes of such a file worth reading: attributes, the string and its NUL. */
#define EFIVAR_FILE_MAX (4u + 2u * (EFIVAR_STRING_MAX + 1u))

/*
 * Parses the len bytes of an efivarfs file holding a string. Returns 0 with *ret_attributes
 * and *ret (UTF-8, caller frees; "" for an empty value); -EBADMSG when the file is shorter
 * than its attributes, the value has an odd length, an unpaired surrogate or a NUL before
 * its end; -EFBIG past EFIVAR_STRING_MAX units; -ENOMEM. On failure *ret_problem, when not
 * NULL, says what is wrong ("the value has an odd length"), a static string.
 */
int efivar_string_parse(const uint8_t *data, size_t len, uint32_t *ret_attributes, char **ret,
                        const char **ret_problem);

/*
 * The file efivar_string_parse() reads back as (attributes, s): the attributes, s in
 * UTF-16LE and a NUL, the way systemd writes its variables. -EINVAL when s is not valid
 * UTF-8 (or holds a code point UTF-16 cannot), -EFBIG past EFIVAR_STRING_MAX units, -ENOMEM.
 */
int efivar_string_format(uint32_t attributes, const char *s, uint8_t **ret, size_t *ret_len);
