/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <libkmod.h>
#include <systemd/sd-bus.h>

/*
 * libkmod and libsystemd are opened only by the code that needs them. Reading boot entries
 * and planning with --root use neither, and together with what they pull in (libcrypto
 * through libkmod) they would double the memory and start-up time of every run.
 * Call dl_kmod() or dl_sdbus() first; then the sym_ pointers below are set.
 */
#define DL_SYMBOL(name) extern typeof(name) *sym_##name

DL_SYMBOL(kmod_new);
DL_SYMBOL(kmod_unref);
DL_SYMBOL(kmod_set_log_fn);
DL_SYMBOL(kmod_list_next);
DL_SYMBOL(kmod_module_new_from_loaded);
DL_SYMBOL(kmod_module_new_from_name);
DL_SYMBOL(kmod_module_get_module);
DL_SYMBOL(kmod_module_get_name);
DL_SYMBOL(kmod_module_get_refcnt);
DL_SYMBOL(kmod_module_get_holders);
DL_SYMBOL(kmod_module_unref);
DL_SYMBOL(kmod_module_unref_list);
DL_SYMBOL(kmod_module_remove_module);
DL_SYMBOL(kmod_module_probe_insert_module);

DL_SYMBOL(sd_bus_open_system);
DL_SYMBOL(sd_bus_flush_close_unref);
DL_SYMBOL(sd_bus_call_method);
DL_SYMBOL(sd_bus_error_free);
DL_SYMBOL(sd_bus_error_is_set);
DL_SYMBOL(sd_bus_get_property_string);
DL_SYMBOL(sd_bus_get_property_strv);
DL_SYMBOL(sd_bus_match_signal);
DL_SYMBOL(sd_bus_message_enter_container);
DL_SYMBOL(sd_bus_message_read);
DL_SYMBOL(sd_bus_message_unref);
DL_SYMBOL(sd_bus_process);
DL_SYMBOL(sd_bus_slot_unref);
DL_SYMBOL(sd_bus_wait);

#define sym_kmod_list_foreach(i, list)                                                             \
        for ((i) = (list); (i); (i) = sym_kmod_list_next((list), (i)))

/* Open the library once and resolve its symbols: 0, or -EOPNOTSUPP with *ret_why saying
 * which library or symbol is missing (static; NULL allowed). */
int dl_kmod(const char **ret_why);
int dl_sdbus(const char **ret_why);
