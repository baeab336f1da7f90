/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <libkmod.h>

/*
 * A libkmod context for the running machine: opens libkmod (dl_kmod()), makes the context
 * with the default module directory and configuration, and silences libkmod's own logging,
 * since warmboot says what went wrong itself, in one sentence. Returns 0 with *ret set (free
 * with sym_kmod_unref() or _cleanup_(kmod_context_unrefp)); -EOPNOTSUPP with *ret_why
 * naming the missing library or symbol; -ENOMEM. ret_why may be NULL; it is set to NULL
 * otherwise.
 */
int kmod_context_open(struct kmod_ctx **ret, const char **ret_why);
void kmod_context_unrefp(struct kmod_ctx **ctx);
