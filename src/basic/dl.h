/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <json-c/json.h>
#include <libcryptsetup.h>
#include <libkmod.h>
#include <openssl/evp.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-journal.h>

/*
 * libkmod and libsystemd are opened only by the code that needs them. Reading boot entries
 * and planning with --root use neither, and together with what they pull in (libcrypto
 * through libkmod) they would double the memory and start-up time of every run.
 * Call dl_kmod() or dl_sdbus() first; then the sym_ pointers below are set.
 */
/* Each library's symbols, listed once: declared here, defined and resolved in dl.c. */
#define DL_KMOD_SYMBOLS(X)                                                                         \
        X(kmod_new)                                                                                \
        X(kmod_unref)                                                                              \
        X(kmod_set_log_fn)                                                                         \
        X(kmod_list_next)                                                                          \
        X(kmod_module_new_from_loaded)                                                             \
        X(kmod_module_new_from_name)                                                               \
        X(kmod_module_get_module)                                                                  \
        X(kmod_module_get_name)                                                                    \
        X(kmod_module_get_refcnt)                                                                  \
        X(kmod_module_get_holders)                                                                 \
        X(kmod_module_unref)                                                                       \
        X(kmod_module_unref_list)                                                                  \
        X(kmod_module_remove_module)                                                               \
        X(kmod_module_probe_insert_module)

#define DL_SDBUS_SYMBOLS(X)                                                                        \
        X(sd_bus_open_system)                                                                      \
        X(sd_bus_new)                                                                              \
        X(sd_bus_set_address)                                                                      \
        X(sd_bus_start)                                                                            \
        X(sd_bus_get_fd)                                                                           \
        X(sd_bus_flush_close_unref)                                                                \
        X(sd_bus_ref)                                                                              \
        X(sd_bus_unref)                                                                            \
        X(sd_bus_is_open)                                                                          \
        X(sd_bus_call_method)                                                                      \
        X(sd_bus_error_free)                                                                       \
        X(sd_bus_error_is_set)                                                                     \
        X(sd_bus_get_property_string)                                                              \
        X(sd_bus_get_property_strv)                                                                \
        X(sd_bus_get_property_trivial)                                                             \
        X(sd_bus_set_property)                                                                     \
        X(sd_journal_send)                                                                         \
        X(sd_bus_match_signal)                                                                     \
        X(sd_bus_message_enter_container)                                                          \
        X(sd_bus_message_read)                                                                     \
        X(sd_bus_message_unref)                                                                    \
        X(sd_bus_process)                                                                          \
        X(sd_bus_slot_unref)                                                                       \
        X(sd_bus_wait)

/* SHA-256 of the kernel and initrds in the load record (host/load-record-file.c). */
#define DL_CRYPTO_SYMBOLS(X)                                                                       \
        X(EVP_MD_CTX_new)                                                                          \
        X(EVP_MD_CTX_free)                                                                         \
        X(EVP_sha256)                                                                              \
        X(EVP_DigestInit_ex)                                                                       \
        X(EVP_DigestUpdate)                                                                        \
        X(EVP_DigestFinal_ex)

/* The LUKS2 headers of encrypted disks and their tokens' JSON (host/luks2-header.c). */
#define DL_CRYPTSETUP_SYMBOLS(X)                                                                   \
        X(crypt_init)                                                                              \
        X(crypt_load)                                                                              \
        X(crypt_free)                                                                              \
        X(crypt_get_type)                                                                          \
        X(crypt_set_log_callback)                                                                  \
        X(crypt_token_json_get)

#define DL_JSONC_SYMBOLS(X)                                                                        \
        X(json_tokener_parse)                                                                      \
        X(json_object_put)                                                                         \
        X(json_object_object_get_ex)                                                               \
        X(json_object_is_type)                                                                     \
        X(json_object_get_string)                                                                  \
        X(json_object_get_boolean)                                                                 \
        X(json_object_get_int64)                                                                   \
        X(json_object_array_length)                                                                \
        X(json_object_array_get_idx)

#define DL_DECLARE(name) extern typeof(name) *sym_##name;
DL_KMOD_SYMBOLS(DL_DECLARE)
DL_SDBUS_SYMBOLS(DL_DECLARE)
DL_CRYPTO_SYMBOLS(DL_DECLARE)
DL_CRYPTSETUP_SYMBOLS(DL_DECLARE)
DL_JSONC_SYMBOLS(DL_DECLARE)

#define sym_kmod_list_foreach(i, list)                                                             \
        for ((i) = (list); (i); (i) = sym_kmod_list_next((list), (i)))

/* Open the library once and resolve its symbols: 0, or -EOPNOTSUPP with *ret_why saying
 * which library or symbol is missing (static; NULL allowed). */
int dl_kmod(const char **ret_why);
int dl_sdbus(const char **ret_why);
int dl_crypto(const char **ret_why);
/* libcryptsetup and json-c together: the one reads the header, the other its tokens. */
int dl_cryptsetup(const char **ret_why);
