/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The new kernel on trial: panic=N, the hardware watchdog, and the nonce that the next boot
 * confirms (warmboot.trial=ID). Decided with the rest of the plan, before anything changes. */
#include <sys/random.h>

#include "cmdline.h"
#include "plan-internal.h"
#include "systemd-bus.h"
#include "util.h"

/* Where systemd looks for the confirming unit, and warmboot's package puts it. */
static const char *const confirm_unit_dirs[] = {
        "/etc/systemd/system",     "/run/systemd/system", "/usr/local/lib/systemd/system",
        "/usr/lib/systemd/system", "/lib/systemd/system",
};

char *trial_id_of(const char *cmdline)
{
        struct cmdline c;
        char *id;

        if (!cmdline || cmdline_parse(cmdline, &c) < 0)
                return NULL;
        id = cmdline_get(&c, TRIAL_PARAM);
        cmdline_done(&c);
        return id;
}

bool cmdline_same_but_trial(const char *a, const char *b)
{
        struct cmdline ca, cb;
        _cleanup_free_ char *fa = NULL, *fb = NULL;
        bool same;

        if (cmdline_parse(a, &ca) < 0)
                return false;
        if (cmdline_parse(b, &cb) < 0) {
                cmdline_done(&ca);
                return false;
        }
        same = cmdline_count(&ca, TRIAL_PARAM) == cmdline_count(&cb, TRIAL_PARAM);
        cmdline_remove(&ca, TRIAL_PARAM);
        cmdline_remove(&cb, TRIAL_PARAM);
        fa = cmdline_format(&ca);
        fb = cmdline_format(&cb);
        cmdline_done(&ca);
        cmdline_done(&cb);
        return same && fa && fb && streq(fa, fb);
}

/* A fresh id: 128 random bits in hex. */
int trial_id_new(char ret[TRIAL_ID_LEN + 1])
{
        uint8_t b[TRIAL_ID_LEN / 2];

        if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
                return -errno ? -errno : -EIO;
        for (size_t i = 0; i < sizeof(b); i++)
                snprintf(ret + 2 * i, 3, "%02x", b[i]);
        return 0;
}

static bool confirm_unit_installed(const struct root *r)
{
        for (size_t i = 0; i < ELEMENTSOF(confirm_unit_dirs); i++) {
                _cleanup_free_ char *path =
                        strdup_printf("%s/%s", confirm_unit_dirs[i], CONFIRM_UNIT);
                if (path && root_exists(r, path))
                        return true;
        }
        return false;
}

/* Whether systemd (PID 1) drives the watchdog (RuntimeWatchdogSec=): asked on this machine;
 * in a tree, a watchdog already running counts as driven. */
static bool systemd_drives(const struct plan *p, const struct plan_options *o,
                           const struct watchdog *w)
{
        if (!p->host.systemd)
                return false;
        if (!o->ask_systemd)
                return w->active == 1;
        return systemd_runtime_watchdog();
}

bool systemd_runtime_watchdog(void)
{
        uint64_t usec = 0;

        return systemd->manager_usec("RuntimeWatchdogUSec", &usec) >= 0 && usec > 0 &&
               usec != UINT64_MAX;
}

int plan_trial(struct plan *p, const struct root *r, const struct plan_options *o)
{
        struct trial *t = &p->trial;
        int err;

        t->on = !o->no_trial;
        if (!t->on)
                return 0;
        err = trial_id_new(t->id);
        if (err < 0)
                return err;
        t->panic_sec = p->config.panic_sec;
        t->confirm_unit = p->host.systemd && confirm_unit_installed(r);
        err = watchdog_list(r, &t->watchdogs, &t->n_watchdogs);
        if (err == -ENOMEM)
                return err;
        if (err < 0 || t->n_watchdogs == 0)
                return 0;
        /* /dev/watchdog is watchdog0: the one systemd and most daemons use. */
        t->watchdog = &t->watchdogs[0];
        t->stop_on_reboot = watchdog_stop_on_reboot(r);
        t->survives = watchdog_survives_kexec(t->watchdog, t->stop_on_reboot, &t->survives_why);
        t->systemd_drives = systemd_drives(p, o, t->watchdog);
        /* Armed only where it survives the jump, and where the next boot stops it again:
         * without systemd nothing is known to run 'warmboot confirm' there. */
        if (t->survives && t->confirm_unit)
                t->arm_sec = p->config.watchdog_sec;
        return 0;
}

int trial_apply(struct plan *p)
{
        struct trial *t = &p->trial;
        _cleanup_free_ char *id = NULL;
        struct cmdline c;
        char *out;
        int err = 0;

        if (!t->on || !p->cmdline)
                return 0;
        err = cmdline_parse(p->cmdline, &c);
        if (err < 0)
                return err;
        t->line_panic = cmdline_get(&c, "panic");
        if (t->line_panic)
                t->panic_sec = 0; /* the line's own panic= decides */
        if (t->panic_sec > 0) {
                _cleanup_free_ char *param = strdup_printf("panic=%u", t->panic_sec);
                err = param ? cmdline_append(&c, param) : -ENOMEM;
        }
        if (err >= 0 && t->watchdog && cmdline_count(&c, "watchdog.stop_on_reboot") == 0)
                err = cmdline_append(&c, "watchdog.stop_on_reboot=0");
        if (err >= 0) {
                id = strdup_printf(TRIAL_PARAM "=%s", t->id);
                err = id ? cmdline_append(&c, id) : -ENOMEM;
        }
        out = err >= 0 ? cmdline_format(&c) : NULL;
        cmdline_done(&c);
        if (err < 0)
                return err;
        if (!out)
                return -ENOMEM;
        free(p->cmdline);
        p->cmdline = out;
        return 0;
}

int check_trial(struct plan *p)
{
        struct trial *t = &p->trial;
        const struct watchdog *w = t->watchdog;
        const char *name;
        int err;

        if (!t->on || !p->cmdline)
                return 0;
        if (!t->confirm_unit && p->host.systemd) {
                err = add_check(p, "trial", CHECK_WARN,
                                "%s is not installed, so the new boot cannot confirm itself: the "
                                "reboot report stays pending and the watchdog is not armed",
                                CONFIRM_UNIT);
                if (err < 0)
                        return err;
        } else {
                err = add_check(
                        p, "trial", CHECK_PASS,
                        "%s; the new boot confirms " TRIAL_PARAM "=%s with %s",
                        t->line_panic && streq(t->line_panic, "0")
                                ? "the line's own panic=0 leaves a panicking new kernel "
                                  "hanging"
                        : t->panic_sec > 0 ? "panic= is added: a new kernel that panics reboots "
                                             "through the firmware into the boot loader's default"
                                           : "the line's own panic= decides what a panic does",
                        t->id,
                        p->host.systemd ? CONFIRM_UNIT : "'warmboot confirm', if its init runs it");
                if (err < 0)
                        return err;
        }
        if (!w)
                return 0;
        name = w->identity ? w->identity : w->name;
        if (!t->survives)
                return add_check(p, "watchdog", CHECK_WARN,
                                 "%s (%s) stops at the kexec (%s), so a new kernel that hangs "
                                 "stays hung; to keep it counting, boot with "
                                 "watchdog.stop_on_reboot=0 on the boot loader's command line",
                                 w->device, name, t->survives_why);
        if (t->arm_sec == 0)
                return add_check(p, "watchdog", CHECK_PASS, "%s (%s): %s; it is not armed: %s",
                                 w->device, name, t->survives_why,
                                 t->confirm_unit ? "[Trial] WatchdogSec=0"
                                 : p->host.systemd
                                         ? "nothing would stop it in the new boot"
                                         : "without systemd, nothing is known to run 'warmboot "
                                           "confirm' to stop it in the new boot");
        return add_check(p, "watchdog", CHECK_PASS,
                         "%s (%s): %s; %s arms it for %u s just before the hand-over, so a "
                         "new kernel that hangs is reset "
                         "through the firmware; a cold-booted kernel is covered only when the "
                         "boot loader's command line has watchdog.stop_on_reboot=0",
                         w->device, name, t->survives_why,
                         t->systemd_drives ? "systemd (KExecWatchdogSec, set for this reboot)"
                                           : "warmboot",
                         t->arm_sec);
}

void trial_done(struct trial *t)
{
        watchdog_list_free(t->watchdogs, t->n_watchdogs);
        free(t->line_panic);
        *t = (struct trial){};
}
