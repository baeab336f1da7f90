/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <signal.h>

#include "handover.h"
#include "signals.h"
#include "load.h"
#include "mountinfo.h"
#include "syscalls.h"
#include "systemd-bus.h"
#include "timing.h"
#include "util.h"

/* Whether any process other than PID 1 and this one is left. Kernel threads and zombies
 * have an empty cmdline and do not count; the cmdline of any other process holds NUL
 * separators, so it is read as bytes. */
static bool others_left(const struct root *r)
{
        _cleanup_strv_free_ char **pids = NULL;
        pid_t self = getpid();

        if (root_list_dir(r, "/proc", &pids) < 0)
                return false;
        for (char **p = pids; *p; p++) {
                _cleanup_free_ char *path = NULL;
                _cleanup_free_ uint8_t *head = NULL;
                size_t len = 0;
                unsigned pid;

                if (safe_atou(*p, &pid) < 0 || pid == 1 || (pid_t)pid == self)
                        continue;
                path = strdup_printf("/proc/%u/cmdline", pid);
                if (path && root_read_head(r, path, 1, &head, &len) >= 0 && len > 0)
                        return true;
        }
        return false;
}

int handover_direct(const struct root *r, unsigned grace_sec, bool *ret_ended, char **ret_why)
{
        _cleanup_free_ char *mountinfo = NULL;
        _cleanup_strv_free_ char **mounts = NULL;
        int err;

        signals_ignore_for_shutdown();
        *ret_ended = true;
        (void)sys->kill(-1, SIGTERM);
        for (unsigned waited = 0; waited < grace_sec * 1000 && others_left(r); waited += 100)
                sys->sleep_ms(100);
        (void)sys->kill(-1, SIGKILL);
        sys->sync();

        err = root_read_string(r, "/proc/self/mountinfo", MOUNTINFO_READ_MAX, &mountinfo);
        if (err >= 0)
                err = writable_mounts(mountinfo, &mounts);
        if (err < 0) {
                *ret_why = strdup_printf("cannot read the mount table (%s): not handing over "
                                         "without making the file systems read-only",
                                         strerror(-err));
                return err;
        }
        for (size_t i = 0; mounts[i]; i++) {
                err = sys->remount_ro(mounts[i]);
                if (err < 0) {
                        *ret_why = strdup_printf("cannot make %s read-only (%s): not handing "
                                                 "over, to keep its data safe",
                                                 mounts[i], strerror(-err));
                        return err;
                }
        }
        sys->sync();
        timing_mark("own shutdown");
        err = sys->reboot_kexec();
        *ret_why = strdup_printf("%s (%s)", reboot_error(err), strerror(-err));
        return err;
}

int handover_systemd(bool forced, char **ret_why)
{
        _cleanup_free_ char *error = NULL;
        int err = forced ? systemd->kexec_forced(&error) : systemd->start_kexec(&error);

        if (err < 0)
                *ret_why = strdup_printf("systemd refused %s: %s",
                                         forced ? "the forced kexec (KExec())"
                                                : "to start " KEXEC_TARGET,
                                         error ? error : strerror(-err));
        return err;
}
