/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "dl.h"

#define DL_DEFINE(name) typeof(name) *sym_##name;
DL_KMOD_SYMBOLS(DL_DEFINE)
DL_SDBUS_SYMBOLS(DL_DEFINE)
DL_CRYPTO_SYMBOLS(DL_DEFINE)
DL_CRYPTSETUP_SYMBOLS(DL_DEFINE)
DL_JSONC_SYMBOLS(DL_DEFINE)

struct dl_symbol {
        void **ptr;
        const char *name;
};

#define DL_ENTRY(name) {(void **)&sym_##name, #name},

static const struct dl_symbol kmod_symbols[] = {DL_KMOD_SYMBOLS(DL_ENTRY){}};
static const struct dl_symbol sdbus_symbols[] = {DL_SDBUS_SYMBOLS(DL_ENTRY){}};
static const struct dl_symbol crypto_symbols[] = {DL_CRYPTO_SYMBOLS(DL_ENTRY){}};
static const struct dl_symbol cryptsetup_symbols[] = {DL_CRYPTSETUP_SYMBOLS(DL_ENTRY){}};
static const struct dl_symbol jsonc_symbols[] = {DL_JSONC_SYMBOLS(DL_ENTRY){}};

struct dl_library {
        const char *soname;
        const struct dl_symbol *symbols;
        int result; /* 1: not tried yet */
        char why[256];
};

static struct dl_library kmod_library = {"libkmod.so.2", kmod_symbols, 1, ""};
static struct dl_library sdbus_library = {"libsystemd.so.0", sdbus_symbols, 1, ""};
static struct dl_library crypto_library = {"libcrypto.so.3", crypto_symbols, 1, ""};
static struct dl_library cryptsetup_library = {"libcryptsetup.so.12", cryptsetup_symbols, 1, ""};
static struct dl_library jsonc_library = {"libjson-c.so.5", jsonc_symbols, 1, ""};

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

int dl_crypto(const char **ret_why)
{
        return dl_open(&crypto_library, ret_why);
}

int dl_cryptsetup(const char **ret_why)
{
        int err = dl_open(&cryptsetup_library, ret_why);

        return err < 0 ? err : dl_open(&jsonc_library, ret_why);
}
