/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "load-record-file.h"
#include "private-file.h"
#include "run-journal-file.h"
#include "util.h"

/* Whether the journal's process still runs, and is a warmboot (pids are reused). */
static bool owner_running(const struct root *r, int pid)
{
        _cleanup_free_ char *path = strdup_printf("/proc/%d/comm", pid);
        _cleanup_free_ char *comm = NULL;

        if (!path || root_read_string(r, path, ROOT_VALUE_MAX, &comm) < 0)
                return false;
        strip_trailing_space(comm);
        return streq(comm, "warmboot");
}

int run_journal_read(const struct root *r, struct run_journal *ret,
                     enum run_journal_state *ret_state, char **ret_why)
{
        _cleanup_free_ char *text = NULL, *boot_id = NULL;
        struct run_journal j = {};
        int err;

        *ret_state = RUN_JOURNAL_NONE;
        err = private_file_read(r, RUN_JOURNAL_PARENT, RUN_JOURNAL_DIRNAME, RUN_JOURNAL_NAME,
                                RUN_JOURNAL_MAX, &text, ret_why);
        if (err == -ENOENT)
                return 0;
        if (err < 0)
                return err;
        err = run_journal_parse(text, &j);
        if (err == -EBADMSG)
                *ret_why = strdup_printf("%s is not a journal of warmboot's steps; if no "
                                         "warmboot runs, remove it",
                                         RUN_JOURNAL_PATH);
        if (err < 0)
                return err;
        /* /run is cleared by a boot; where it is not, the journal is of a machine gone. */
        if (j.boot_id && boot_id_read(r, &boot_id) >= 0 && !streq(boot_id, j.boot_id)) {
                run_journal_done(&j);
                return 0;
        }
        *ret_state = owner_running(r, j.pid) ? RUN_JOURNAL_RUNNING : RUN_JOURNAL_INTERRUPTED;
        *ret = j;
        return 0;
}

int run_journal_save(const struct root *r, const struct run_journal *j)
{
        _cleanup_free_ char *text = NULL;
        int err = run_journal_format(j, &text);

        if (err < 0)
                return err;
        return private_file_write(r, RUN_JOURNAL_PARENT, RUN_JOURNAL_DIRNAME, RUN_JOURNAL_NAME,
                                  text);
}

int run_journal_remove(const struct root *r)
{
        return private_file_remove(r, RUN_JOURNAL_PARENT, RUN_JOURNAL_DIRNAME, RUN_JOURNAL_NAME);
}
