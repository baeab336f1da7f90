/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>

#include "dl.h"
#include "kmod-context.h"
#include "util.h"

static void kmod_silent(void *data, int priority, const char *file, int line, const char *fn,
                        const char *format, va_list args)
{
}

int kmod_context_open(struct kmod_ctx **ret, const char **ret_why)
{
        struct kmod_ctx *ctx;
        int err;

        err = dl_kmod(ret_why);
        if (err < 0)
                return err;
        ctx = sym_kmod_new(NULL, NULL);
        if (!ctx)
                return -ENOMEM;
        sym_kmod_set_log_fn(ctx, kmod_silent, NULL);
        *ret = ctx;
        return 0;
}

void kmod_context_unrefp(struct kmod_ctx **ctx)
{
        if (*ctx)
                sym_kmod_unref(*ctx);
}
