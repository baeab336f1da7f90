/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

#include "rootdir.h"

/*
 * warmboot's own state files (/run/warmboot/load-record, /var/lib/warmboot/last-reboot):
 * in a directory that is 0700 at most, each a regular file 0600 at most, both owned by root
 * (in a tree that is not this machine: by root or by the user running warmboot). Written
 * through the seam (sys->write_private_file), which creates them that way.
 */

/* Reads PARENT/DIR/NAME, at most max bytes, as a string without NULs: 0 with *ret (caller
 * frees); -ENOENT when the directory or the file is absent; another negative errno when
 * it cannot be used, with *ret_why one sentence naming the file (-EBADMSG: too long or not
 * text). */
int private_file_read(const struct root *r, const char *parent, const char *dir, const char *name,
                      size_t max, char **ret, char **ret_why);

/* Whether warmboot may keep its state in PARENT/DIR: 0 when it is a directory root's alone,
 * or absent (it is then made 0700); -ELOOP for a symbolic link, -ENOTDIR for anything else
 * but a directory, -EPERM for one someone else owns or may enter; each with *ret_why one
 * sentence naming it. */
int private_dir_check(const struct root *r, const char *parent, const char *dir, char **ret_why);

/* Writes text as PARENT/DIR/NAME through the seam (PARENT must exist), after
 * private_dir_check(), whose errors it returns without writing. */
int private_file_write(const struct root *r, const char *parent, const char *dir, const char *name,
                       const char *text);
/* Removes PARENT/DIR/NAME through the seam: 0 also when there is none. */
int private_file_remove(const struct root *r, const char *parent, const char *dir,
                        const char *name);
