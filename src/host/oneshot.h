/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "rootdir.h"

/*
 * A boot loader's choice for one boot only, used up the way the boot loader uses it up when
 * it boots it: GRUB empties next_entry in its environment block (00_header's "set
 * next_entry=" and save_env), systemd-boot deletes LoaderEntryOneShot. The change goes
 * through the seam (syscalls.h) and keeps the file's old bytes, so that a hand-over that
 * fails can put the choice back.
 */
enum oneshot_kind {
        ONESHOT_NONE,
        ONESHOT_GRUB_NEXT_ENTRY, /* grubenv's next_entry */
        ONESHOT_LOADER_ENTRY,    /* the EFI variable LoaderEntryOneShot */
};

struct oneshot_undo {
        enum oneshot_kind kind; /* ONESHOT_NONE: nothing was changed */
        char *path;             /* the grubenv file or the efivarfs file */
        uint8_t *data;          /* its bytes before the change */
        size_t len;
};

/*
 * Uses up the choice kept in path (grubenv, or LoaderEntryOneShot's efivarfs file). 0 when
 * done, with u saying how to put it back; 0 with u->kind ONESHOT_NONE when the choice is no
 * longer there. On failure a negative errno, and *ret_why a sentence naming the file.
 */
int oneshot_consume(const struct root *r, enum oneshot_kind kind, const char *path,
                    struct oneshot_undo *u, char **ret_why);
/* Writes back the bytes u kept. 0, or a negative errno with *ret_why the sentence. */
int oneshot_restore(const struct root *r, const struct oneshot_undo *u, char **ret_why);
void oneshot_undo_done(struct oneshot_undo *u);

/* "GRUB's next_entry in /boot/grub/grubenv", "the EFI variable LoaderEntryOneShot": what a
 * step or a report calls the choice. */
char *oneshot_describe(enum oneshot_kind kind, const char *path);
