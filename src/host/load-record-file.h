/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>

#include "load-record.h"
#include "rootdir.h"

/*
 * The load record on the machine (format/load-record.h): written after a load through the
 * seam (sys->write_private_file), read back before a reboot, removed with the kernel.
 */
#define LOAD_RECORD_PARENT "/run"
#define LOAD_RECORD_DIRNAME "warmboot"
#define LOAD_RECORD_NAME "load-record"
#define LOAD_RECORD_PATH "/run/warmboot/load-record"

/* The identity of a file as a record keeps it (device, inode, size, modification and change
 * times) and, with hash, its SHA-256 (else the empty string). 0, or a negative errno (also
 * -EOPNOTSUPP when libcrypto cannot be loaded for the hash, -ECANCELED when stop, which may
 * be NULL, was set while hashing: a large file takes long to read). */
int load_record_file_read(const struct root *r, const char *path, bool hash,
                          const atomic_bool *stop, struct load_record_file *ret);
/* /proc/sys/kernel/random/boot_id without its newline. Caller frees. */
int boot_id_read(const struct root *r, char **ret);

/* Reads and checks the record: the directory must be 0700 at most and the file a regular
 * 0600 one at most, both owned by root (in a tree that is not this machine: by root or by
 * the user running warmboot). 0 with *ret filled; -ENOENT when there is no record; another
 * negative errno when it cannot be used, with *ret_why one sentence naming the file. */
int load_record_read(const struct root *r, struct load_record *ret, char **ret_why);
int load_record_save(const struct root *r, const struct load_record *rec);
/* Removes the record: 0 also when there is none. */
int load_record_remove(const struct root *r);
