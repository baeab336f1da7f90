/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "dl.h"

#define DL_DEFINE(name) typeof(name) *sym_##name

DL_DEFINE(kmod_new);
DL_DEFINE(kmod_unref);
DL_DEFINE(kmod_set_log_fn);
DL_DEFINE(kmod_list_next);
DL_DEFINE(kmod_module_new_from_loaded);
DL_DEFINE(kmod_module_new_from_name);
DL_DEFINE(kmod_module_get_module);
DL_DEFINE(kmod_module_get_name);
DL_DEFINE(kmod_module_get_refcnt);
DL_DEFINE(kmod_module_get_holders);
DL_DEFINE(kmod_module_unref);
DL_DEFINE(kmod_module_unref_list);
DL_DEFINE(kmod_module_remove_module);
DL_DEFINE(kmod_module_probe_insert_module);

DL_DEFINE(sd_bus_open_system);
DL_DEFINE(sd_bus_flush_close_unref);
DL_DEFINE(sd_bus_call_method);
DL_DEFINE(sd_bus_error_free);
DL_DEFINE(sd_bus_error_is_set);
DL_DEFINE(sd_bus_get_property_string);
DL_DEFINE(sd_bus_get_property_strv);
DL_DEFINE(sd_bus_match_signal);
DL_DEFINE(sd_bus_message_enter_container);
DL_DEFINE(sd_bus_message_read);
DL_DEFINE(sd_bus_message_unref);
DL_DEFINE(sd_bus_process);
DL_DEFINE(sd_bus_slot_unref);
DL_DEFINE(sd_bus_wait);

struct dl_symbol {
        void **ptr;
        const char *name;
};

#define SYM(name)                                                                                  \
        {                                                                                          \
                (void **)&sym_##name, #name                                                        \
        }

static const struct dl_symbol kmod_symbols[] = {
        SYM(kmod_new),
        SYM(kmod_unref),
        SYM(kmod_set_log_fn),
        SYM(kmod_list_next),
        SYM(kmod_module_new_from_loaded),
        SYM(kmod_module_new_from_name),
        SYM(kmod_module_get_module),
        SYM(kmod_module_get_name),
        SYM(kmod_module_get_refcnt),
        SYM(kmod_module_get_holders),
        SYM(kmod_module_unref),
        SYM(kmod_module_unref_list),
        SYM(kmod_module_remove_module),
        SYM(kmod_module_probe_insert_module),
        {},
};

static const struct dl_symbol sdbus_symbols[] = {
        SYM(sd_bus_open_system),
        SYM(sd_bus_flush_close_unref),
        SYM(sd_bus_call_method),
        SYM(sd_bus_error_free),
        SYM(sd_bus_error_is_set),
        SYM(sd_bus_get_property_string),
        SYM(sd_bus_get_property_strv),
        SYM(sd_bus_match_signal),
        SYM(sd_bus_message_enter_container),
        SYM(sd_bus_message_read),
        SYM(sd_bus_message_unref),
        SYM(sd_bus_process),
        SYM(sd_bus_slot_unref),
        SYM(sd_bus_wait),
        {},
};

struct dl_library {
        const char *soname;
        const struct dl_symbol *symbols;
        int result; /* 1: not tried yet */
        char why[256];
};

static struct dl_library kmod_library = {"libkmod.so.2", kmod_symbols, 1, ""};
static struct dl_library sdbus_library = {"libsystemd.so.0", sdbus_symbols, 1, ""};

static int dl_open(struct dl_library *l, const char **ret_why)
{
        void *handle;

        if (l->result <= 0)
                goto out;
        handle = dlopen(l->soname, RTLD_NOW | RTLD_NODELETE);
        if (!handle) {
                snprintf(l->why, sizeof(l->why), "cannot load %s: %s", l->soname, dlerror());
                l->result = -EOPNOTSUPP;
                goto out;
        }
        for (const struct dl_symbol *s = l->symbols; s->name; s++) {
                *s->ptr = dlsym(handle, s->name);
                if (!*s->ptr) {
                        snprintf(l->why, sizeof(l->why), "%s has no %s (too old?)", l->soname,
                                 s->name);
                        dlclose(handle);
                        l->result = -EOPNOTSUPP;
                        goto out;
                }
        }
        /* RTLD_NODELETE: the symbols stay valid; the handle is not needed any more. */
        dlclose(handle);
        l->result = 0;
out:
        if (ret_why)
                *ret_why = l->result < 0 ? l->why : NULL;
        return l->result;
}

int dl_kmod(const char **ret_why)
{
        return dl_open(&kmod_library, ret_why);
}

int dl_sdbus(const char **ret_why)
{
        return dl_open(&sdbus_library, ret_why);
}
