/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * A kernel command line split the way the kernel splits it: parameters separated by
 * white space, double quotes keeping a value with spaces together (key="a b"), and
 * everything after a lone "--" handed to init untouched.
 */
struct cmdline {
        char **params;   /* raw parameters, quotes kept as written */
        char *init_args; /* text after "--", or NULL when there is no separator */
};

int cmdline_parse(const char *text, struct cmdline *ret);
void cmdline_done(struct cmdline *c);

/* The parameter name: the text before '=', without a leading quote. Caller frees. */
char *cmdline_param_key(const char *param);
/* The value of the first parameter named key, quotes removed; NULL if absent. Caller frees. */
char *cmdline_get(const struct cmdline *c, const char *key);
/* How many parameters are named key. */
size_t cmdline_count(const struct cmdline *c, const char *key);

/*
 * Removes every parameter named key; when key has a '=' itself, only parameters equal to it.
 * Returns how many were removed.
 */
int cmdline_remove(struct cmdline *c, const char *key);
/*
 * Adds one parameter. A name already present is replaced where it stands (the first
 * occurrence; later ones go), so repeating the same edit never grows the line.
 * -EINVAL when param is not exactly one well-formed parameter.
 */
int cmdline_append(struct cmdline *c, const char *param);
/* Checks that text is one parameter: not empty, no unquoted space, quotes balanced, printable. */
bool cmdline_param_valid(const char *text);

char *cmdline_format(const struct cmdline *c);
