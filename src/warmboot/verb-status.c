/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "machine-state.h"
#include "table.h"
#include "util.h"
#include "verbs.h"

static const char *flag_words(int value, const char *yes, const char *no)
{
        return value < 0 ? "unknown" : value ? yes : no;
}

/* What status shows: the same fields as text and as JSON. */
static struct table *status_table(const struct host_state *h)
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
        if (h->kexec_file >= 0 && !kexec_file)
                table_fail(t);
        return t;
}

int verb_status(const struct verb_context *c)
{
        _cleanup_table_ struct table *t = NULL;
        struct host_state h;
        int err;

        err = host_state_read(c->root, &h);
        if (err < 0) {
                log_error_errno(err, "cannot read the machine's state");
                return EXIT_FAILED;
        }
        t = status_table(&h);
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
