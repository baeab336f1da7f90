/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Input: a /proc/modules text, line by line. Properties: what a line gives are module names
 * (no flags among the users), and writing it out as the kernel would and parsing that again
 * gives the same.
 */
#include "fuzz.h"
#include "module-name.h"
#include "proc-modules.h"
#include "util.h"

static void check_line(char *line)
{
        _cleanup_(proc_module_line_done) struct proc_module_line l = {}, again = {};
        _cleanup_free_ char *users = strdup(""), *written = NULL;
        int r;

        if (proc_modules_parse_line(line, &l) < 0)
                return;
        FUZZ_CHECK(module_name_valid(l.name));
        for (size_t i = 0; users && l.used_by[i]; i++) {
                char *more;

                FUZZ_CHECK(module_name_valid(l.used_by[i]));
                more = strdup_printf("%s%s,", users, l.used_by[i]);
                free(users);
                users = more;
        }
        if (!users)
                return;
        written = strdup_printf("%s 4096 %u %s Live 0x0", l.name, l.refcnt, *users ? users : "-");
        if (!written)
                return;
        r = proc_modules_parse_line(written, &again);
        if (r == -ENOMEM)
                return;
        FUZZ_CHECK(r == 0);
        FUZZ_CHECK(streq(again.name, l.name) && again.refcnt == l.refcnt);
        FUZZ_CHECK(strv_length(again.used_by) == strv_length(l.used_by));
        for (size_t i = 0; l.used_by[i]; i++)
                FUZZ_CHECK(streq(again.used_by[i], l.used_by[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size);
        char *p = text, *line;

        while (p && (line = strsep(&p, "\n")))
                check_line(line);
        return 0;
}
