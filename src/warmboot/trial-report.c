/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The reboot report: what warmboot writes before the hand-over, how status shows it. */
#include <time.h>

#include "load-record-file.h"
#include "systemd-bus.h"
#include "trial-report.h"
#include "util.h"
#include "watchdog.h"

static const char *const handover_kinds[] = {
        [HANDOVER_SYSTEMD] = "systemd",
        [HANDOVER_FORCED] = "forced",
        [HANDOVER_DIRECT] = "direct",
};

int report_from_plan(const struct root *r, const struct plan *p, const char *cold_reason,
                     int64_t requested_at, struct reboot_report *ret)
{
        _cleanup_free_ char *boot_id = NULL;
        struct reboot_report rep;
        char id[TRIAL_ID_LEN + 1];
        int64_t fw;
        int err = 0;

        reboot_report_init(&rep);
        /* A reboot without a trial (or a cold one) still gets an id of its own. */
        if (p->trial.on)
                memcpy(id, p->trial.id, sizeof(id));
        else if ((err = trial_id_new(id)) < 0)
                return err;
        if (boot_id_read(r, &boot_id) < 0) {
                free(boot_id);
                boot_id = strdup("unknown");
        }
        err = reboot_report_set(&rep, REBOOT_ID, id);
        if (err >= 0)
                err = reboot_report_set(&rep, REBOOT_BOOT_ID, boot_id);
        if (err >= 0)
                err = reboot_report_set(&rep, REBOOT_HANDOVER_KIND,
                                        cold_reason ? "cold" : handover_kinds[p->handover]);
        if (err >= 0)
                err = reboot_report_set(&rep, REBOOT_KERNEL, p->kernel ? p->kernel : "(none)");
        if (err >= 0 && p->have_image && p->image.release[0])
                err = reboot_report_set(&rep, REBOOT_RELEASE, p->image.release);
        if (err >= 0 && !cold_reason)
                err = reboot_report_set(&rep, REBOOT_CMDLINE, p->cmdline);
        if (err >= 0)
                err = reboot_report_set(&rep, REBOOT_ENTRY, p->source);
        if (err >= 0)
                err = reboot_report_set(&rep, REBOOT_FALLBACK, cold_reason);
        if (err >= 0)
                err = reboot_report_set(&rep, REBOOT_WATCHDOG, "none");
        if (err < 0) {
                reboot_report_done(&rep);
                return err;
        }
        rep.time[REBOOT_REQUESTED] = requested_at;
        if (firmware_boot_usec(r, &fw) >= 0)
                rep.time[REBOOT_FIRMWARE] = fw;
        *ret = rep;
        return 0;
}

int trial_arm(const struct root *r, const struct plan *p, struct reboot_report *rep,
              struct trial_arming *ret, char **ret_warning)
{
        const struct trial *t = &p->trial;
        _cleanup_free_ char *text = NULL, *error = NULL;
        unsigned set = 0;
        int err;

        *ret = (struct trial_arming){};
        if (!t->on || !t->watchdog)
                return reboot_report_set(rep, REBOOT_WATCHDOG, "none");
        if (t->arm_sec == 0) {
                text = strdup_printf("off: %s", t->survives ? "WatchdogSec=0 or no confirmation"
                                                            : t->survives_why);
                return text ? reboot_report_set(rep, REBOOT_WATCHDOG, text) : -ENOMEM;
        }
        ret->device = t->watchdog->device;
        if (t->systemd_drives) {
                (void)systemd->manager_usec("KExecWatchdogUSec", &ret->old_usec);
                err = systemd->set_manager_usec("KExecWatchdogUSec", (uint64_t)t->arm_sec * 1000000,
                                                &error);
                if (err >= 0) {
                        ret->systemd = true;
                        text = strdup_printf("systemd %s %u", t->watchdog->device, t->arm_sec);
                } else
                        *ret_warning = strdup_printf(
                                "systemd did not take KExecWatchdogSec=%u (%s): going on without "
                                "the watchdog, so a new kernel that hangs stays hung",
                                t->arm_sec, error ? error : strerror(-err));
        } else {
                err = watchdog_arm(r, t->watchdog->device, t->arm_sec, &set);
                if (err >= 0) {
                        ret->armed = true;
                        text = strdup_printf("armed %s %u", t->watchdog->device, set);
                } else
                        *ret_warning = strdup_printf(
                                "cannot arm %s (%s): going on without it, so a new kernel that "
                                "hangs stays hung",
                                t->watchdog->device,
                                err == -EBUSY ? "another process holds it open" : strerror(-err));
        }
        if (!text)
                text = strdup_printf("off: it could not be armed");
        return text ? reboot_report_set(rep, REBOOT_WATCHDOG, text) : -ENOMEM;
}

void trial_disarm(const struct root *r, const struct trial_arming *a)
{
        _cleanup_free_ char *error = NULL;

        if (a->armed)
                (void)watchdog_disarm(r, a->device);
        if (a->systemd)
                (void)systemd->set_manager_usec("KExecWatchdogUSec", a->old_usec, &error);
}

enum reboot_outcome report_outcome_now(const struct root *r, const struct reboot_report *rep)
{
        _cleanup_free_ char *boot_id = NULL, *cmdline = NULL, *id = NULL;

        if (rep->outcome != REBOOT_PENDING)
                return rep->outcome;
        if (boot_id_read(r, &boot_id) < 0 || streq(boot_id, rep->text[REBOOT_BOOT_ID]))
                return REBOOT_PENDING; /* still the boot that asked */
        if (streq_ptr(rep->text[REBOOT_HANDOVER_KIND], "cold"))
                return REBOOT_COLD;
        if (root_read_string(r, "/proc/cmdline", 1 << 20, &cmdline) < 0)
                return REBOOT_PENDING;
        id = trial_id_of(cmdline);
        return id && streq(id, rep->text[REBOOT_ID]) ? REBOOT_COMPLETED : REBOOT_FELL_BACK;
}

/* Seconds from a to b, or -1 when either is unknown or b comes first. */
static int64_t span(const struct reboot_report *rep, enum reboot_time a, enum reboot_time b)
{
        int64_t x = rep->time[a], y = rep->time[b];

        return x >= 0 && y >= x ? y - x : -1;
}

static char *utc_text(int64_t usec)
{
        time_t t = (time_t)(usec / 1000000);
        struct tm tm;
        char buf[64];

        if (usec < 0 || !gmtime_r(&t, &tm) ||
            !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
                return NULL;
        return strdup(buf);
}

static const char *outcome_words(enum reboot_outcome o)
{
        switch (o) {
        case REBOOT_COMPLETED:
                return "completed: the new kernel booted and its boot confirmed the trial";
        case REBOOT_FELL_BACK:
                return "fell-back: the machine came up through the firmware instead of in the "
                       "kernel warmboot handed over to";
        case REBOOT_COLD:
                return "cold: warm was impossible, so the machine rebooted through the firmware";
        default:
                return "pending: the hand-over was asked for and the next boot has not confirmed "
                       "it yet";
        }
}

struct table *last_reboot_table(const struct root *r, const struct reboot_report *rep,
                                char ***ret_lines)
{
        static const struct {
                const char *key, *words;
                enum reboot_time from, to;
        } phases[] = {
                {"prepare_s", "prepare", REBOOT_REQUESTED, REBOOT_HANDOVER},
                {"shutdown_s", "shutdown and jump", REBOOT_HANDOVER, REBOOT_KERNEL_START},
                {"kernel_s", "kernel", REBOOT_KERNEL_START, REBOOT_USERSPACE_START},
                {"userspace_s", "userspace", REBOOT_USERSPACE_START, REBOOT_READY},
                {"total_s", "total", REBOOT_REQUESTED, REBOOT_READY},
        };
        enum reboot_outcome o = report_outcome_now(r, rep);
        _cleanup_free_ char *when = utc_text(rep->time[REBOOT_REQUESTED]);
        _cleanup_free_ char *timeline = NULL;
        struct table *t = table_new(), *ph = table_new();
        char **lines = calloc(1, sizeof(char *));
        int64_t skipped = o == REBOOT_COMPLETED ? rep->time[REBOOT_FIRMWARE] : -1;
        size_t len = 0;
        FILE *f;
        int err = 0;

        if (!t || !ph || !lines) {
                table_free(t);
                table_free(ph);
                free(lines);
                return NULL;
        }
        f = open_memstream(&timeline, &len);
        for (size_t i = 0; i < ELEMENTSOF(phases); i++) {
                int64_t s = span(rep, phases[i].from, phases[i].to);
                table_add_seconds(ph, phases[i].key, NULL, s, NULL);
                if (f && s >= 0)
                        fprintf(f, "%s%s %.1f s", len ? ", " : "", phases[i].words,
                                (double)s / 1e6);
                if (f)
                        fflush(f);
        }
        if (f)
                fclose(f);
        table_add_string(t, "outcome", NULL, reboot_outcome_to_string(o), NULL);
        table_add_string(t, "id", NULL, rep->text[REBOOT_ID], NULL);
        table_add_string(t, "requested_at", NULL, when, NULL);
        table_add_string(t, "kernel", NULL, rep->text[REBOOT_KERNEL], NULL);
        table_add_string(t, "release", NULL, rep->text[REBOOT_RELEASE], NULL);
        table_add_string(t, "cmdline", NULL, rep->text[REBOOT_CMDLINE], NULL);
        table_add_string(t, "handover", NULL, rep->text[REBOOT_HANDOVER_KIND], NULL);
        table_add_string(t, "fallback_reason", NULL, rep->text[REBOOT_FALLBACK], NULL);
        table_add_string(t, "watchdog", NULL, rep->text[REBOOT_WATCHDOG], NULL);
        table_add_string(t, "watchdog_after", NULL, rep->text[REBOOT_WATCHDOG_AFTER], NULL);
        table_add_table(t, "phases", NULL, ph, NULL);
        table_add_seconds(t, "skipped_firmware_s", NULL, skipped, NULL);

        err = strv_push(&lines, strdup(outcome_words(o)));
        if (err >= 0)
                err = strv_push(
                        &lines,
                        strdup_printf("asked %s, into %s%s%s%s (hand-over: %s)",
                                      when ? when : "(unknown time)", rep->text[REBOOT_KERNEL],
                                      rep->text[REBOOT_RELEASE] ? " (" : "",
                                      rep->text[REBOOT_RELEASE] ? rep->text[REBOOT_RELEASE] : "",
                                      rep->text[REBOOT_RELEASE] ? ")" : "",
                                      rep->text[REBOOT_HANDOVER_KIND]));
        if (err >= 0 && rep->text[REBOOT_FALLBACK])
                err = strv_push(&lines, strdup_printf("why cold: %s", rep->text[REBOOT_FALLBACK]));
        if (err >= 0 && timeline && *timeline)
                err = strv_push(&lines, strdup_printf("timeline: %s", timeline));
        if (err >= 0 && skipped >= 0)
                err = strv_push(&lines, strdup_printf("skipped %.1f s of firmware and boot "
                                                      "loader (the last cold boot's)",
                                                      (double)skipped / 1e6));
        if (err < 0 || !timeline)
                table_fail(t);
        *ret_lines = lines;
        return t;
}
