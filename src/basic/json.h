/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* Writes a JSON string; bytes that are not valid UTF-8 become U+FFFD. */
void json_string(FILE *f, const char *s);
/* Writes a string or null. */
void json_string_or_null(FILE *f, const char *s);
void json_strv(FILE *f, char *const *l);
