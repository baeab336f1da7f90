/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * One object's fields, in order, rendered either as text ("Label:  value" lines) or as
 * one JSON object, so that the two always show the same fields: a verb builds the table
 * once and prints it the way the user asked.
 *
 * Each field has a JSON key, a text label and a value; text, where given, is how the
 * value reads for a person ("yes, a kernel waits for the hand-over" for true). A field
 * whose label is NULL is shown in text as part of another field (a title's "(default)").
 * Adding never fails half-way silently: an allocation failure is remembered and
 * table_status() returns it, so a builder checks once at the end.
 */
struct table;

struct table *table_new(void);
struct table *table_free(struct table *t);
static inline void table_freep(struct table **t)
{
        table_free(*t);
}
#define _cleanup_table_ __attribute__((cleanup(table_freep)))

/* 0, or -ENOMEM when a field could not be added. */
int table_status(const struct table *t);
/* Marks the table as incomplete: something its builder needed could not be made. */
void table_fail(struct table *t);

/* value NULL is JSON null; text NULL shows the value, or "(none)" for NULL. */
void table_add_string(struct table *t, const char *key, const char *label, const char *value,
                      const char *text);
/* Text shows one element per line; text_empty what an empty list reads as. */
void table_add_strv(struct table *t, const char *key, const char *label, char *const *value,
                    const char *text_empty);
/* The same, but text shows lines (taken) instead of the values: "1. load the kernel". */
void table_add_strv_lines(struct table *t, const char *key, const char *label, char *const *value,
                          char **lines, const char *text_empty);
/* value < 0 is JSON null. */
void table_add_bool(struct table *t, const char *key, const char *label, int value,
                    const char *text);
void table_add_uint(struct table *t, const char *key, const char *label, uint64_t value);
/* A duration in JSON seconds with three decimals (usec < 0 is null); text NULL shows it as
 * "1.5 s", or "(none)" when unknown. */
void table_add_seconds(struct table *t, const char *key, const char *label, int64_t usec,
                       const char *text);
/* An object (takes sub; NULL is JSON null), shown in text as text. */
void table_add_table(struct table *t, const char *key, const char *label, struct table *sub,
                     const char *text);
/* The same, but text shows lines (taken), one per line, or text_empty when there are none. */
void table_add_table_lines(struct table *t, const char *key, const char *label, struct table *sub,
                           char **lines, const char *text_empty);
/* A list of objects (takes subs[0..n) and the array); text shows text_lines (taken too), one
 * per line, or text_empty. */
void table_add_tables(struct table *t, const char *key, const char *label, struct table **subs,
                      size_t n, char **text_lines, const char *text_empty);

/* Labels left-aligned ("Kernel:    ...", width counts "Label:" and the padding) or right-
 * aligned ("   title: ...", width counts the label alone). */
enum table_align { TABLE_LEFT, TABLE_RIGHT };
void table_print_text(const struct table *t, FILE *f, enum table_align align, int width);
void table_print_json(const struct table *t, FILE *f);
/* A JSON array of objects, then a newline. */
void tables_print_json(struct table *const *t, size_t n, FILE *f);
