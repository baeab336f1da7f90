/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "machine-state.h"
#include "json.h"
#include "util.h"
#include "verbs.h"

static void json_flag(FILE *f, const char *key, int value, bool comma)
{
        fprintf(f, "\"%s\": %s%s", key,
                value < 0 ? "null"
                : value   ? "true"
                          : "false",
                comma ? ", " : "");
}

static const char *flag_words(int value, const char *yes, const char *no)
{
        return value < 0 ? "unknown" : value ? yes : no;
}

int verb_status(const struct verb_context *c)
{
        struct host_state h;
        int err;

        err = host_state_read(c->root, &h);
        if (err < 0) {
                log_error("cannot read the machine's state: %s", strerror(-err));
                return EXIT_FAILED;
        }
        if (c->json) {
                fputs("{\"release\": ", stdout);
                json_string_or_null(stdout, h.release);
                fputs(", ", stdout);
                json_flag(stdout, "loaded", h.kexec_loaded, true);
                json_flag(stdout, "kexec_load_disabled", h.load_disabled, true);
                json_flag(stdout, "kexec_file", h.kexec_file, true);
                fputs("\"lockdown\": ", stdout);
                json_string_or_null(stdout, h.lockdown);
                fprintf(stdout, ", \"systemd\": %s, \"cmdline\": ", h.systemd ? "true" : "false");
                json_string_or_null(stdout, h.cmdline);
                fputs("}\n", stdout);
        } else {
                printf("Running:   %s\n", h.release ? h.release : "(unknown)");
                printf("Loaded:    %s\n",
                       flag_words(h.kexec_loaded, "yes, a kernel waits for the hand-over", "no"));
                printf("kexec:     %s\n",
                       flag_words(h.load_disabled,
                                  "disabled until the next cold boot (kexec_load_disabled=1)",
                                  "enabled"));
                printf("Lockdown:  %s\n", h.lockdown ? h.lockdown : "unknown");
                printf("Hand-over: %s\n",
                       h.systemd ? "through systemd" : "direct (systemd is not PID 1)");
        }
        host_state_done(&h);
        return EXIT_OK;
}
