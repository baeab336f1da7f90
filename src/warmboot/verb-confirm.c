/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `warmboot confirm`, run by warmboot-confirm.service once the new boot is up: completes the
 * reboot report. The trial passed when this boot's command line carries the report's
 * warmboot.trial=ID; a boot without it came up through the firmware instead (the new kernel
 * panicked or hung and was reset). The watchdog armed for the jump is stopped, or left to
 * systemd where PID 1 drives it.
 */
#include <syslog.h>

#include "load-record-file.h"
#include "systemd-bus.h"
#include "trial-report.h"
#include "util.h"
#include "verbs.h"
#include "watchdog.h"

/* The device of an "armed DEVICE SEC" or "systemd DEVICE SEC" watchdog field, or NULL. */
static char *armed_device(const char *field)
{
        const char *p;
        const char *end;

        if (!field)
                return NULL;
        p = startswith(field, "armed ");
        if (!p)
                p = startswith(field, "systemd ");
        if (!p || !(end = strchr(p, ' ')))
                return NULL;
        return strndup(p, (size_t)(end - p));
}

/* What happens to the watchdog in a boot that passed its trial: one word for the report. */
static const char *hand_watchdog_on(const struct verb_context *c, const struct reboot_report *rep)
{
        _cleanup_free_ char *device = NULL;
        int err;

        device = armed_device(rep->text[REBOOT_WATCHDOG]);
        if (!device)
                return "none";
        if (systemd_runtime_watchdog())
                return "systemd";
        err = watchdog_disarm(c->root, device);
        if (err >= 0)
                return "stopped";
        log_warning("cannot stop %s, armed for the warm reboot (%s): it resets the machine when "
                    "it runs out unless something feeds it",
                    device,
                    err == -EBUSY ? "its nowayout is set, or another process holds it"
                                  : strerror(-err));
        return "running";
}

int verb_confirm(const struct verb_context *c)
{
        _cleanup_(reboot_report_done) struct reboot_report rep = {};
        _cleanup_free_ char *why = NULL, *boot_id = NULL, *message = NULL;
        enum reboot_outcome o;
        int err;

        err = reboot_report_read(c->root, &rep, &why);
        if (err == -ENOENT)
                return EXIT_OK; /* no warm reboot to confirm */
        if (err < 0) {
                log_error("%s", why ? why : strerror(-err));
                return EXIT_FAILED;
        }
        o = report_outcome_now(c->root, &rep);
        if (rep.outcome != REBOOT_PENDING || o == REBOOT_PENDING)
                return EXIT_OK; /* confirmed already, or still the boot that asked */

        boot_timeline_read(c->root, &rep.time[REBOOT_KERNEL_START],
                           &rep.time[REBOOT_USERSPACE_START]);
        /* The kernel's log has wrapped: PID 1's own start is the next best. */
        if (rep.time[REBOOT_USERSPACE_START] < 0 && rep.time[REBOOT_KERNEL_START] >= 0) {
                uint64_t usec = 0;
                if (systemd->manager_usec("UserspaceTimestampMonotonic", &usec) >= 0 && usec > 0 &&
                    usec < (uint64_t)INT64_MAX / 2)
                        rep.time[REBOOT_USERSPACE_START] =
                                rep.time[REBOOT_KERNEL_START] + (int64_t)usec;
        }
        rep.time[REBOOT_READY] = clock_usec(CLOCK_REALTIME);
        rep.outcome = o;
        err = boot_id_read(c->root, &boot_id);
        if (err >= 0)
                err = reboot_report_set(&rep, REBOOT_CONFIRMED_BOOT_ID, boot_id);
        if (err >= 0)
                err = reboot_report_set(&rep, REBOOT_WATCHDOG_AFTER,
                                        o == REBOOT_COMPLETED   ? hand_watchdog_on(c, &rep)
                                        : o == REBOOT_FELL_BACK ? "reset by the firmware"
                                                                : "none");
        if (err == -ENOMEM) {
                log_error("cannot complete the reboot report: %s", strerror(-err));
                return EXIT_FAILED;
        }
        err = reboot_report_save(c->root, &rep);
        if (err < 0)
                log_error("cannot write %s: %s", REBOOT_REPORT_PATH, strerror(-err));

        if (o == REBOOT_FELL_BACK)
                message = strdup_printf("warm reboot %s into %s failed: the machine came back "
                                        "through the firmware instead (the new kernel panicked, "
                                        "hung or was reset)",
                                        rep.text[REBOOT_ID], rep.text[REBOOT_KERNEL]);
        else if (o == REBOOT_COLD)
                message = strdup_printf("reboot %s went through the firmware: %s",
                                        rep.text[REBOOT_ID],
                                        rep.text[REBOOT_FALLBACK] ? rep.text[REBOOT_FALLBACK]
                                                                  : "warm was impossible");
        else
                message = strdup_printf("warm reboot %s into %s confirmed", rep.text[REBOOT_ID],
                                        rep.text[REBOOT_KERNEL]);
        if (!message)
                return EXIT_FAILED;
        (void)systemd->journal_send(
                o == REBOOT_COMPLETED ? MESSAGE_TRIAL_CONFIRMED : MESSAGE_TRIAL_FAILED,
                o == REBOOT_COMPLETED ? LOG_INFO : LOG_ERR, message, rep.text[REBOOT_ID]);
        if (o != REBOOT_COMPLETED && !c->quiet)
                log_warning("%s", message);
        return err < 0 ? EXIT_FAILED : EXIT_OK;
}
