/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "rootdir.h"
#include "uki.h"

/* Reading the parts of a unified kernel image through the root. */

/* Opens the UKI at path and parses its PE headers. */
int ukifile_open(const struct root *r, const char *path, int *ret_fd, struct uki *ret);
/* A text section (.cmdline, .osrel, .uname) as a string, trailing white space and NULs
 * removed; NULL when absent, longer than max or not text. Caller frees. */
char *ukifile_text(int fd, const struct uki_section *s, size_t max);
/* The first max bytes of a section (the .linux boot header). */
int ukifile_head(int fd, const struct uki_section *s, size_t max, uint8_t **ret, size_t *ret_len);
/* Appends a section's bytes to another file. */
int ukifile_copy(int fd, const struct uki_section *s, int to);
