/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/*
 * Decodes base64url (RFC 4648 section 5: '-' and '_' for '+' and '/'), the encoding of a
 * JWE's protected header. Padding is optional, as JOSE leaves it out; anything else outside
 * the alphabet, or a length that cannot end a group, is -EINVAL. The result gets a NUL
 * after its *ret_len bytes (caller frees). -ENOMEM.
 */
int base64url_decode(const char *text, size_t len, char **ret, size_t *ret_len);
