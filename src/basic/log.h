/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <errno.h>

/*
 * Messages for the user, one line each on stderr, prefixed "warmboot: ". Only the tool's
 * verbs print: library code returns what happened and the verb says it.
 */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "FMT: strerror(-err)" as an error and returns err (a negative errno), so that a
 * caller can write "return log_error_errno(r, "cannot read %s", path);". */
int log_error_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
