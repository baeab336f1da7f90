/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "rootdir.h"

struct kmod_ctx;

struct module_info {
        char *name;
        unsigned refcnt; /* users: holder modules and open handles */
        char **holders;  /* modules that use this one (NULL-terminated, may be empty) */
};

struct module_graph {
        struct module_info *mods;
        size_t n;
};

/* The live graph from libkmod (/proc/modules, /sys/module/X/holders) on the running machine. */
int module_graph_from_kmod(struct kmod_ctx *ctx, struct module_graph *ret);
/* The same from a tree: proc/modules and sys/module/NAME/holders/ under the root (tests). */
int module_graph_from_root(const struct root *r, struct module_graph *ret);
void module_graph_done(struct module_graph *g);
const struct module_info *module_graph_find(const struct module_graph *g, const char *name);

/* The most of /proc/modules read (thousands of modules). */
#define PROC_MODULES_MAX (4u << 20)

/* Families of drivers whose hardware does not come back after kexec while they are loaded. */
extern const char *const modules_builtin_unload[];

/*
 * The loaded modules to remove, in order: for every wanted module that is loaded, its
 * holder modules first (recursively, like modprobe -r), then the module, then modules it
 * used that are left unused and belong to the same family (the name up to the first '_',
 * e.g. nvidia_drm -> nvidia). Modules not loaded are skipped. A module in keep is never
 * removed: when a wanted module is held by a kept one, returns -EBUSY with *ret_blocker set
 * to "KEPT holds WANTED". Module names compare with '-' and '_' alike.
 */
int modules_unload_order(const struct module_graph *g, char *const *wanted, char *const *keep,
                         char ***ret_order, char **ret_blocker);
