/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/*
 * GRUB's environment block (grubenv), where grub-editenv and GRUB's save_env keep
 * saved_entry and next_entry, and Fedora/RHEL's blscfg keeps kernelopts.
 */

/*
 * Parses a block: "# GRUB Environment Block" then key=value lines, padded with '#' to 1024
 * bytes. Reads len bytes of text, which need not be NUL-terminated; a NUL ends the block.
 * Returns 0 with *ret a strv of "key=value" (the last assignment of a key wins, as with
 * GRUB's load_env), GRUB's escapes (\\ \n) undone; -EBADMSG when the header is missing or a
 * line is malformed; -EINVAL for NULL text with a length.
 */
int grubenv_parse(const char *text, size_t len, char ***ret);

/*
 * The block with key's value emptied, the way GRUB leaves next_entry once it booted it
 * ("next_entry=" stays, with nothing after it): every "key=" line loses its value and the
 * bytes freed join the '#' padding at the end, so the block keeps its size (GRUB writes the
 * block in place, into the file's own sectors). Returns 0 with *ret len bytes (caller
 * frees), also when key is not set; -EBADMSG when the block is not one grubenv_parse()
 * reads, or holds a NUL (GRUB's own blocks never do); -ENOMEM.
 */
int grubenv_clear(const char *text, size_t len, const char *key, char **ret);

/* The value of key in a strv of "key=value", or NULL. */
const char *env_get(char *const *env, const char *key);
