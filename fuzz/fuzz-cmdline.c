/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Input: a command line, optionally followed by a NUL and one parameter to append (so a
 * /proc/cmdline file is a seed as it is). Properties: formatting what was parsed and parsing
 * it again gives the same line; an append of a valid parameter succeeds, leaves exactly one
 * parameter with its name, and doing it again changes nothing.
 */
#include "cmdline.h"
#include "fuzz.h"
#include "util.h"

static bool strv_equal(char **a, char **b)
{
        size_t i;

        for (i = 0; a[i] && b[i]; i++)
                if (!streq(a[i], b[i]))
                        return false;
        return !a[i] && !b[i];
}

/* Whether the line would be split the same way again: no parameter swallows the rest of
 * the line with an unbalanced quote (the kernel reads such a line the same way). */
static bool all_params_valid(const struct cmdline *c)
{
        for (size_t i = 0; c->params[i]; i++)
                if (!cmdline_param_valid(c->params[i]))
                        return false;
        return true;
}

static void check_append(struct cmdline *c, const char *param)
{
        _cleanup_free_ char *key = NULL, *once = NULL, *twice = NULL;
        struct cmdline again = {};
        int r;

        r = cmdline_append(c, param);
        if (!cmdline_param_valid(param)) {
                FUZZ_CHECK(r == -EINVAL);
                return;
        }
        if (r == -ENOMEM)
                return;
        FUZZ_CHECK(r == 0);
        key = cmdline_param_key(param);
        if (!key)
                return;
        FUZZ_CHECK(cmdline_count(c, key) == 1);

        once = cmdline_format(c);
        if (!once || cmdline_append(c, param) < 0)
                return;
        twice = cmdline_format(c);
        if (!twice)
                return;
        FUZZ_CHECK(streq(once, twice));

        if (!all_params_valid(c) || cmdline_parse(once, &again) < 0)
                return;
        FUZZ_CHECK(cmdline_count(&again, key) == 1);
        cmdline_done(&again);

        FUZZ_CHECK(cmdline_remove(c, key) == 1);
        FUZZ_CHECK(cmdline_count(c, key) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size), *first = NULL, *second = NULL;
        struct cmdline c = {}, d = {};
        const char *param;
        size_t n;

        if (!text || cmdline_parse(text, &c) < 0)
                return 0;
        first = cmdline_format(&c);
        if (first && cmdline_parse(first, &d) == 0) {
                FUZZ_CHECK(strv_equal(c.params, d.params));
                FUZZ_CHECK(streq_ptr(c.init_args, d.init_args));
                second = cmdline_format(&d);
                FUZZ_CHECK(!second || streq(first, second));
                cmdline_done(&d);
        }

        n = strlen(text);
        param = n < size ? text + n + 1 : NULL;
        if (param)
                check_append(&c, param);
        cmdline_done(&c);
        return 0;
}
