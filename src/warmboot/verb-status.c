/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "load-record-file.h"
#include "machine-state.h"
#include "prepare.h"
#include "reuse.h"
#include "table.h"
#include "trial-report.h"
#include "util.h"
#include "verbs.h"

static const char *flag_words(int value, const char *yes, const char *no)
{
        return value < 0 ? "unknown" : value ? yes : no;
}

/* What the load record says was loaded, and by which command; NULL when there is none
 * (or on -ENOMEM). A record that cannot be used is said in *ret_warning. */
static char *record_text(const struct root *r, char **ret_warning)
{
        _cleanup_free_ char *when = NULL;
        struct load_record rec = {};
        char *text;

        if (load_record_read(r, &rec, ret_warning) < 0)
                return NULL;
        when = reuse_time_text(rec.time);
        text = strdup_printf("%s, loaded at %s by: warmboot load%s%s", rec.files[0].path,
                             when ? when : "(unknown time)", *rec.options ? " " : "", rec.options);
        load_record_done(&rec);
        return text;
}

/* A journal left behind: who, when, and what it changed, as lists in JSON. */
static struct table *interrupted_table(const struct run_journal *j, enum run_journal_state state)
{
        struct table *t = table_new();

        if (!t)
                return NULL;
        table_add_string(t, "state", "State",
                         state == RUN_JOURNAL_RUNNING ? "running" : "interrupted", NULL);
        table_add_uint(t, "pid", "Pid", (uint64_t)j->pid);
        table_add_seconds(t, "started", "Started", j->started, NULL);
        table_add_string(t, "kernel", "Kernel", j->kernel, NULL);
        table_add_string(t, "isolated_from", "Left", j->isolated_from, NULL);
        table_add_strv(t, "stopped_units", "Stopped", j->stopped_units, "(none)");
        table_add_strv(t, "removed_modules", "Unloaded", j->removed_modules, "(none)");
        return t;
}

/* What status shows: the same fields as text and as JSON. */
static struct table *status_table(const struct host_state *h, const char *record,
                                  const struct root *r, const struct reboot_report *last,
                                  const struct run_journal *journal, enum run_journal_state state)
{
        _cleanup_free_ char *kexec_file = NULL;
        struct table *t = table_new();

        if (!t)
                return NULL;
        if (h->kexec_file >= 0)
                kexec_file = strdup_printf("%s (%s)",
                                           h->kexec_file ? "built with kexec_file_load"
                                                         : "built without kexec_file_load",
                                           h->config_path);
        table_add_string(t, "release", "Running", h->release, h->release ? NULL : "(unknown)");
        table_add_bool(t, "loaded", "Loaded", h->kexec_loaded,
                       flag_words(h->kexec_loaded, "yes, a kernel waits for the hand-over", "no"));
        if (record)
                table_add_string(t, "load_record", "From", record, NULL);
        table_add_bool(t, "kexec_load_disabled", "kexec", h->load_disabled,
                       flag_words(h->load_disabled,
                                  "disabled until the next cold boot (kexec_load_disabled=1)",
                                  "enabled"));
        table_add_bool(t, "kexec_file", "Kernel", h->kexec_file,
                       kexec_file ? kexec_file : "no kernel config to tell kexec_file_load");
        table_add_string(t, "lockdown", "Lockdown", h->lockdown, h->lockdown ? NULL : "unknown");
        table_add_bool(t, "systemd", "Hand-over", h->systemd,
                       h->systemd ? "through systemd" : "direct (systemd is not PID 1)");
        table_add_string(t, "cmdline", "Cmdline", h->cmdline, h->cmdline ? NULL : "(unreadable)");
        if (last) {
                char **lines = NULL;
                struct table *sub = last_reboot_table(r, last, &lines);
                if (!sub)
                        table_fail(t);
                table_add_table_lines(t, "last_reboot", "Last boot", sub, lines, NULL);
        } else
                table_add_table(t, "last_reboot", "Last boot", NULL,
                                "(no reboot by warmboot on record)");
        if (state != RUN_JOURNAL_NONE) {
                _cleanup_free_ char *summary = journal_summary(journal, state);
                struct table *sub = interrupted_table(journal, state);
                if (!summary || !sub)
                        table_fail(t);
                table_add_table(t, "interrupted", "Journal", sub, summary);
        } else
                table_add_table(t, "interrupted", "Journal", NULL,
                                "(no warmboot run at work, none cut short)");
        if (h->kexec_file >= 0 && !kexec_file)
                table_fail(t);
        return t;
}

int verb_status(const struct verb_context *c)
{
        _cleanup_table_ struct table *t = NULL;
        _cleanup_free_ char *record = NULL, *warning = NULL, *report_why = NULL;
        _cleanup_(reboot_report_done) struct reboot_report last = {};
        _cleanup_(run_journal_done) struct run_journal journal = {};
        _cleanup_free_ char *journal_why = NULL;
        enum run_journal_state state = RUN_JOURNAL_NONE;
        struct host_state h;
        bool have_last;
        int err;

        err = host_state_read(c->root, &h);
        if (err < 0) {
                log_error_errno(err, "cannot read the machine's state");
                return EXIT_FAILED;
        }
        /* The record tells only about a kernel that is still there. */
        if (h.kexec_loaded == 1)
                record = record_text(c->root, &warning);
        if (warning && !c->quiet)
                log_warning("%s", warning);
        /* systemd's reboot kexecs whatever kernel is loaded. */
        if (h.kexec_loaded == 1 && h.systemd && !c->quiet)
                log_warning("a kernel is loaded: a plain 'systemctl reboot' kexecs it instead of "
                            "rebooting through the firmware, unless SYSTEMCTL_SKIP_AUTO_KEXEC=1 "
                            "is set (or 'warmboot unload' removes it)");
        err = reboot_report_read(c->root, &last, &report_why);
        have_last = err >= 0;
        if (err < 0 && err != -ENOENT && !c->quiet)
                log_warning("%s", report_why ? report_why : strerror(-err));
        err = run_journal_read(c->root, &journal, &state, &journal_why);
        if (err < 0 && !c->quiet)
                log_warning("%s", journal_why ? journal_why : strerror(-err));
        /* Left changed by a run that is gone: the first thing to put right. */
        if (state == RUN_JOURNAL_INTERRUPTED && !c->quiet) {
                _cleanup_free_ char *summary = journal_summary(&journal, state);
                log_warning("%s", summary ? summary : "a warmboot run was killed half-way");
        }
        t = status_table(&h, record, c->root, have_last ? &last : NULL, &journal, state);
        host_state_done(&h);
        err = table_status(t);
        if (err < 0) {
                log_error_errno(err, "cannot show the status");
                return EXIT_FAILED;
        }
        if (c->json) {
                table_print_json(t, stdout);
                fputc('\n', stdout);
        } else
                table_print_text(t, stdout, TABLE_LEFT, 11);
        return EXIT_OK;
}
