/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libFuzzer's entry point: each target defines it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The parsers take C strings: the input up to its first NUL, in a buffer of its own so that
 * AddressSanitizer sees a read past the end. NULL when out of memory (the input is skipped). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
        char *s = malloc(size + 1);

        if (!s)
                return NULL;
        memcpy(s, data, size);
        s[size] = 0;
        return s;
}

/* A property the parser promises does not hold: a crash, so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                                           \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__,        \
                                #cond);                                                            \
                        abort();                                                                   \
                }                                                                                  \
        } while (0)
