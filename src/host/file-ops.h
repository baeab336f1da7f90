/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/*
 * The file changes behind the seam's replace_file, create_file and remove_file
 * (syscalls.h): the real seam calls them, and so does the tests' recorder, on the fixture
 * tree. Each acts on name in the directory dir_fd (opened inside the root) and returns 0 or
 * a negative errno.
 */

/* Writes len bytes to a new file beside name, syncs it, renames it over name and syncs the
 * directory: a crash leaves the old file or the new one, never a mix. The new file keeps
 * the old one's mode. */
int fileops_replace(int dir_fd, const char *name, const void *data, size_t len);

/* Creates name (it must not exist) with the data in one write, as efivarfs needs: a file
 * there is created by a single write of attributes and value. */
int fileops_create(int dir_fd, const char *name, const void *data, size_t len);

/* Removes name. efivarfs marks most variables immutable: that flag is cleared first
 * (FS_IOC_SETFLAGS); where the file system has no such flags (ENOTTY, EOPNOTSUPP) there is
 * none to clear. */
int fileops_remove(int dir_fd, const char *name);

/* Writes name in parent_fd's subdirectory dir, created 0700 when missing, as a 0600 file:
 * a temporary file beside it (O_EXCL, O_NOFOLLOW), synced, renamed over it (a link there is
 * replaced, never followed), the directory synced. -ELOOP when dir is a link, -EPERM when it
 * belongs to another user or is open to others. */
int fileops_write_private(int parent_fd, const char *dir, const char *name, const void *data,
                          size_t len);
