/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Shell-like KEY=VALUE files that programs read without running a shell: os-release(5), and
 * /etc/default/grub as far as its plain assignments go.
 */

/*
 * The value of the last assignment of key, as a shell sourcing the text would leave it for
 * plain assignments: the rest of the line after "KEY=", with one pair of matching quotes
 * ('...' or "...") around all of it removed. No escapes, expansions or line continuations
 * are undone; a line must start with the key (no blanks, no "export" before it). 0 with
 * *ret NULL when key is not assigned (or text is NULL), -ENOMEM. Caller frees.
 */
int env_file_get(const char *text, const char *key, char **ret);
