/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "gpu-policy.h"
#include "module-name.h"
#include "plan-internal.h"
#include "systemd-bus.h"
#include "util.h"

const char *const known_holder_units[] = {
        "nvidia-persistenced.service",
        "nvidia-powerd.service",
        "nvidia-fabricmanager.service",
        "nv-hostengine.service",
        "dcgm.service",
        "nvidia-dcgm.service",
        "display-manager.service",
        "gdm.service",
        "gdm3.service",
        "sddm.service",
        "lightdm.service",
        "lxdm.service",
        "xdm.service",
        NULL,
};
bool plan_stops_unit(const struct plan *p, const char *unit)
{
        return unit && (strv_contains((char **)known_holder_units, unit) ||
                        strv_contains(p->config.stop_units, unit));
}
bool plan_device_matters(const struct plan *p, const struct holder *h)
{
        if (!h->driver)
                return true;
        /* /dev/nvidia* belongs to the whole nvidia family. */
        if (streq(h->driver, "nvidia")) {
                for (size_t i = 0; p->modules && p->modules[i]; i++)
                        if (startswith(p->modules[i], "nvidia"))
                                return true;
                return false;
        }
        return module_names_contain(p->modules, h->driver);
}

/* Whether leaving the graphical target ends this unit: a user session's scope, or a unit
 * that only the graphical target (or the display manager) pulls in, and not the target
 * isolated to. When systemd cannot say, or is not to be asked (the systemd running here
 * knows nothing of a tree's units), the unit is given the benefit of the doubt: it is
 * looked at again after the isolate. */
static bool ends_with_isolate(const struct plan *p, const struct plan_options *o,
                              const struct holder *h)
{
        _cleanup_strv_free_ char **by = NULL;
        const char *unit = h->unit;

        /* A user's session and the units of the user's own manager (a compositor such as
         * plasma-kwin_wayland.service or org.gnome.Shell@wayland.service) end with it;
         * the system manager knows nothing of the latter. */
        if (h->user_manager || startswith(unit, "session-") || startswith(unit, "user@") ||
            startswith(unit, "app-"))
                return true;
        if (!o->ask_systemd || systemd->unit_pulled_by(unit, &by) < 0)
                return true;
        return !strv_contains(by, p->config.isolate_target) &&
               (strv_contains(by, GRAPHICAL_TARGET) || strv_contains(by, DISPLAY_MANAGER_UNIT));
}
int check_holders(struct plan *p, const struct root *r, const struct plan_options *o)
{
        size_t blocking = 0;
        int err;

        if (!p->modules || !p->modules[0])
                return 0;
        /* The running machine's systemd is asked; a tree tells by its default target. */
        if (o->ask_systemd && p->host.systemd) {
                bool active = false;
                if (systemd->unit_active(GRAPHICAL_TARGET, &active) >= 0)
                        p->isolate = active;
        } else
                p->isolate = p->host.graphical == 1;
        err = holders_scan(r, root_is_host(r) ? getpid() : 0, &p->holders, &p->n_holders);
        if (err == -ENOMEM)
                return err;
        if (err < 0)
                return add_check(p, "holders", CHECK_WARN,
                                 "cannot scan processes for open devices (%s)", strerror(-err));
        /* A process on a GPU whose driver stays (the integrated one of a hybrid laptop) is
         * no holder of ours. */
        for (size_t i = 0; i < p->n_holders;) {
                struct holder *h = &p->holders[i];
                if (plan_device_matters(p, h)) {
                        i++;
                        continue;
                }
                holder_done(h);
                memmove(h, h + 1, sizeof(*h) * (p->n_holders - i - 1));
                p->n_holders--;
        }
        p->stop_units = calloc(1, sizeof(char *));
        if (!p->stop_units)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_holders; i++) {
                const struct holder *h = &p->holders[i];
                if (plan_stops_unit(p, h->unit)) {
                        if (!strv_contains(p->stop_units, h->unit) &&
                            strv_extend(&p->stop_units, h->unit) < 0)
                                return -ENOMEM;
                } else if (!(p->isolate && h->unit && ends_with_isolate(p, o, h)))
                        blocking++;
        }
        /* With a graphical target to leave, which units the isolate stops is systemd's
         * to say: what still holds a device afterwards is found then, and refused (or
         * ended with --kill), with everything rolled back. */
        if (blocking == 0)
                return add_check(p, "holders", CHECK_PASS, "%s",
                                 !p->n_holders ? "no process holds the drivers' devices"
                                 : p->isolate  ? "the holders' units are stopped, or end with "
                                                 "the graphical target (checked again after "
                                                 "the isolate)"
                                               : "every process that holds a device goes with its "
                                                 "unit");
        for (size_t i = 0; i < p->n_holders; i++) {
                const struct holder *h = &p->holders[i];
                if (plan_stops_unit(p, h->unit) ||
                    (p->isolate && h->unit && ends_with_isolate(p, o, h)))
                        continue;
                /* Name the first; plan lists them all. */
                return add_check(
                        p, "holders", o->kill ? CHECK_WARN : CHECK_FAIL,
                        "%zu process%s hold%s the devices, first pid %d (%s%s%s) with %s; "
                        "%s",
                        blocking, blocking > 1 ? "es" : "", blocking > 1 ? "" : "s", (int)h->pid,
                        h->comm ? h->comm : "?", h->unit ? ", " : "", h->unit ? h->unit : "",
                        h->device,
                        o->kill ? "--kill ends them (SIGTERM, then SIGKILL)"
                                : "stop them, add their unit to StopUnits=, or give --kill");
        }
        return 0;
}
