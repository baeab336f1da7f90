/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "load.h"
#include "util.h"
#include "verbs.h"

int verb_load(const struct verb_context *c)
{
        _cleanup_(plan_done) struct plan p = {};

        return load_plan_checked(c, false, &p);
}
