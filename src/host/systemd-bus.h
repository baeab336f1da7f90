/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* The units warmboot names itself; the target it isolates to is the configuration's. */
#define GRAPHICAL_TARGET "graphical.target"
#define DISPLAY_MANAGER_UNIT "display-manager.service"
#define KEXEC_TARGET "kexec.target"
#define REBOOT_TARGET "reboot.target"

/* PID 1's own socket, which answers root only: systemctl's way to the manager when there is
 * no D-Bus daemon. */
#define SYSTEMD_PRIVATE_SOCKET "/run/systemd/private"

/* How warmboot reaches the manager: over the system bus, or, as root on a machine without a
 * D-Bus daemon, over SYSTEMD_PRIVATE_SOCKET. logind is on the system bus only. */
enum systemd_route { SYSTEMD_ROUTE_BUS, SYSTEMD_ROUTE_PRIVATE };

/*
 * What warmboot asks of systemd, over D-Bus (sd-bus). Like sys_ops, a seam: the real one
 * talks to PID 1 and logind, tests record. Every call to the manager tries the system bus
 * first, then the private socket. All return 0 or -errno; *ret_error, where given, receives
 * the D-Bus error text (caller frees).
 */
struct systemd_ops {
        /* Which way a connection to the manager goes now. */
        int (*manager_route)(enum systemd_route *ret, char **ret_error);
        /* Whether a unit is active (ActiveState "active" or "reloading"). */
        int (*unit_active)(const char *unit, bool *ret);
        /* StartUnit(unit, mode) and wait for the job, at most timeout_sec; -ETIME on time-out,
         * -EIO when the job ended other than "done". */
        int (*start_unit)(const char *unit, const char *mode, unsigned timeout_sec,
                          char **ret_error);
        int (*stop_unit)(const char *unit, unsigned timeout_sec, char **ret_error);
        /* The targets and units that pull a unit in: its WantedBy, RequiredBy and BoundBy. */
        int (*unit_pulled_by)(const char *unit, char ***ret);
        /* logind's inhibitors that block shutdown, as "WHO (WHY)" lines. */
        int (*shutdown_inhibitors)(char ***ret);
        /* StartUnit("kexec.target", "replace-irreversibly") without waiting: systemd stops
         * services, unmounts and performs the kexec itself. */
        int (*start_kexec)(char **ret_error);
        /* The manager's KExec(), what `systemctl --force kexec` calls: no unit is stopped;
         * PID 1 leaves its main loop at once and systemd-shutdown ends every process,
         * unmounts or remounts read-only, detaches devices and performs the kexec. 0 once
         * the manager has taken it (also when it went down before it could answer). */
        int (*kexec_forced)(char **ret_error);
        /* StartUnit("reboot.target", "replace-irreversibly") without waiting: a reboot
         * through the firmware (--fallback-cold). */
        int (*start_reboot)(char **ret_error);
        /* A manager property of type t (RuntimeWatchdogUSec, KExecWatchdogUSec), and
         * setting one (systemd >= 246 lets root set the watchdog ones). */
        int (*manager_usec)(const char *property, uint64_t *ret);
        int (*set_manager_usec)(const char *property, uint64_t usec, char **ret_error);
        /* One structured journal entry (sd_journal_send): MESSAGE, MESSAGE_ID, PRIORITY,
         * SYSLOG_IDENTIFIER=warmboot and WARMBOOT_TRIAL=trial_id. */
        int (*journal_send)(const char *message_id, int priority, const char *message,
                            const char *trial_id);
};

extern const struct systemd_ops *systemd;
extern const struct systemd_ops systemd_dbus;
