/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * What `warmboot load` leaves in /run/warmboot/load-record, so that a later `warmboot
 * reboot` can tell whether the kernel waiting in memory is the one it would load itself.
 * A text file, one KEY=VALUE a line after the first line "warmboot-load-record 2":
 *
 *   time=SECONDS           when the kernel was loaded (since the epoch)
 *   boot_id=UUID           /proc/sys/kernel/random/boot_id of the boot that loaded it
 *   options=TEXT           the selection options that chose kernel, initrds and cmdline
 *   cmdline=TEXT           the new kernel's final command line
 *   file=DEV INO SIZE MTIME_NS CTIME_NS SHA256 PATH
 *                          the kernel first, then each initrd in order
 *
 * Every key but file= appears exactly once; values hold no newline. Version 1 had no
 * CTIME_NS: such a record is not valid for this version.
 */
#define LOAD_RECORD_MAGIC "warmboot-load-record 2"
#define LOAD_RECORD_MAX 65536u
#define LOAD_RECORD_FILES_MAX 32u

struct load_record_file {
        uint64_t dev, ino, size;
        int64_t mtime_ns, ctime_ns;
        char sha256[65]; /* lower-case hex */
        char *path;
};

struct load_record {
        int64_t time;
        char *boot_id;
        char *options;
        char *cmdline;
        struct load_record_file files[LOAD_RECORD_FILES_MAX]; /* [0]: the kernel */
        size_t n_files;
};

/* Parses the text of a record: 0, -EBADMSG when it is not a valid record of this version,
 * -ENOMEM. *ret is filled only on success. */
int load_record_parse(const char *text, struct load_record *ret);
/* The text of a record: -EINVAL when a value holds a newline or there is no file, -ENOMEM.
 * Caller frees. */
int load_record_format(const struct load_record *rec, char **ret);
void load_record_done(struct load_record *rec);
