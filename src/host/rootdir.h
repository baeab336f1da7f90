/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/*
 * Every read of host state goes through a root: "/" on a real machine, a fixture tree in
 * tests (--root). Paths are always given as the target machine sees them ("/proc/cmdline"),
 * and symbolic links are resolved inside the root with openat2(RESOLVE_IN_ROOT), so an
 * absolute link in a fixture tree cannot reach the machine running the tests. Where the
 * kernel has no openat2 (before Linux 5.6), root_new() refuses every root but "/" with
 * -EOPNOTSUPP rather than follow such links out of the tree.
 */
struct root;

/* Limits for reading the machine's small files: a value file in /proc or /sys ("1\n",
 * "[none] integrity"), a configuration file (loader.conf, /etc/default/grub, grubenv,
 * kernel-params, a UKI's text sections), and the mount table. */
#define ROOT_VALUE_MAX 256u
#define ROOT_CONFIG_MAX 65536u

int root_new(const char *path, struct root **ret);
struct root *root_free(struct root *r);
static inline void root_freep(struct root **r)
{
        root_free(*r);
}
#define _cleanup_root_ __attribute__((cleanup(root_freep)))

/* True when the root is the running machine itself rather than a tree standing for one. */
bool root_is_host(const struct root *r);
const char *root_path(const struct root *r);
/* Whether uid counts as root for files that only root may change: uid 0, and in a tree that
 * is not this machine also the user running warmboot (a fixture tree in a checkout belongs
 * to its developer). */
bool root_trusts_owner(const struct root *r, uid_t uid);

int root_open(const struct root *r, const char *path, int flags);
int root_stat(const struct root *r, const char *path, struct stat *ret);
/* Whether path is a regular file (links resolved inside the root). Answers from a cached
 * listing of its directory when it can: call root_drop_cache() when the tree may have
 * changed, and at the end of a scan. */
bool root_is_regular(const struct root *r, const char *path);
void root_drop_cache(const struct root *r);
bool root_exists(const struct root *r, const char *path);
/* Reads a whole small text file; fails with -EFBIG past max bytes and -EBADMSG on a NUL. */
int root_read_string(const struct root *r, const char *path, size_t max, char **ret);
/* Reads at most max bytes from the start of a file. */
int root_read_head(const struct root *r, const char *path, size_t max, uint8_t **ret,
                   size_t *ret_len);
/* The target of a symbolic link, as stored in the link. */
int root_readlink(const struct root *r, const char *path, char **ret);
/* Sorted names in a directory, without "." and "..". */
int root_list_dir(const struct root *r, const char *path, char ***ret);
/* The same, only subdirectories (and names whose type the file system does not tell). */
int root_list_subdirs(const struct root *r, const char *path, char ***ret);
