/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <sys/socket.h>
#include <systemd/sd-bus.h>
#include <time.h>

#include "dl.h"
#include "signals.h"
#include "systemd-bus.h"
#include "util.h"

#define DEST "org.freedesktop.systemd1"
#define PATH "/org/freedesktop/systemd1"
#define MANAGER "org.freedesktop.systemd1.Manager"

/* How often a wait for a job looks for SIGINT or SIGTERM. */
#define STOP_POLL_USEC (250 * 1000ULL)

/* One connection to the manager, and one to the system bus where that is not it, for the
 * whole run: a reboot asks systemd and logind several times, and every new connection costs
 * a connect, the authentication and, on the bus, a Hello. The calls hold references; the
 * connections live until the process ends, when nothing is left unsent (every call waits
 * for its answer). */
static sd_bus *manager_bus, *system_bus;
static enum systemd_route manager_route;
/* Subscribe() was called on manager_bus: on the bus a second call is refused
 * ("AlreadySubscribed"), so it is made once per connection. */
static bool manager_subscribed;

/* The cleanups run also when libsystemd could not be opened: nothing was made then. */
static void bus_unrefp(sd_bus **b)
{
        if (*b)
                sym_sd_bus_unref(*b);
}

/* A cached connection that is still open, as a new reference; NULL when there is none. */
static sd_bus *cached(sd_bus **slot)
{
        if (*slot && sym_sd_bus_is_open(*slot) <= 0) {
                sym_sd_bus_flush_close_unref(*slot);
                *slot = NULL;
        }
        return *slot ? sym_sd_bus_ref(*slot) : NULL;
}

static void message_unrefp(sd_bus_message **m)
{
        if (*m)
                sym_sd_bus_message_unref(*m);
}

static void error_freep(sd_bus_error *e)
{
        if (sym_sd_bus_error_free)
                sym_sd_bus_error_free(e);
}

#define _cleanup_bus_ _cleanup_(bus_unrefp)
#define _cleanup_message_ _cleanup_(message_unrefp)
#define _cleanup_bus_error_ _cleanup_(error_freep)

static void set_error(char **ret_error, const sd_bus_error *e, int r)
{
        if (!ret_error)
                return;
        *ret_error = strdup(sym_sd_bus_error_is_set(e) && e->message ? e->message : strerror(-r));
}

/* Opens libsystemd on first use. */
static int sdbus_load(char **ret_error)
{
        const char *why;
        int r = dl_sdbus(&why);

        if (r < 0 && ret_error)
                *ret_error = strdup(why);
        return r;
}

/* A connection to the system bus: the only way to logind. The manager's, when that is the
 * bus. */
static int system_bus_open(sd_bus **ret)
{
        int r = sdbus_load(NULL);

        if (r < 0)
                return r;
        if (manager_route == SYSTEMD_ROUTE_BUS && (*ret = cached(&manager_bus)))
                return 0;
        if ((*ret = cached(&system_bus)))
                return 0;
        r = sym_sd_bus_open_system(&system_bus);
        if (r < 0)
                return r;
        *ret = sym_sd_bus_ref(system_bus);
        return 0;
}

/* The private socket's other end must be PID 1, that is root: a socket someone else made
 * at that path is not talked to (systemctl checks the same). */
static int peer_is_root(int fd)
{
        struct ucred cred;
        socklen_t len = sizeof(cred);

        if (fd < 0)
                return fd;
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return -errno;
        return cred.uid == 0 ? 0 : -EPERM;
}

/* A direct connection to the manager: no bus daemon, no names, no Hello. */
static int private_open(sd_bus **ret)
{
        _cleanup_bus_ sd_bus *bus = NULL;
        int r;

        r = sym_sd_bus_new(&bus);
        if (r >= 0)
                r = sym_sd_bus_set_address(bus, "unix:path=" SYSTEMD_PRIVATE_SOCKET);
        if (r >= 0)
                r = sym_sd_bus_start(bus);
        if (r >= 0)
                r = peer_is_root(sym_sd_bus_get_fd(bus));
        if (r < 0)
                return r;
        *ret = TAKE_PTR(bus);
        return 0;
}

/* A connection to the manager, as systemctl makes one: the system bus, or, as root where
 * there is no D-Bus daemon (minimal images without the dbus package), PID 1's private
 * socket. *ret_route (may be NULL) says which. */
static int manager_connect(sd_bus **ret, enum systemd_route *ret_route, char **ret_error)
{
        int r, r_private;

        r = sym_sd_bus_open_system(ret);
        if (r >= 0) {
                *ret_route = SYSTEMD_ROUTE_BUS;
                return 0;
        }
        if (geteuid() != 0) {
                if (ret_error)
                        *ret_error = strdup_printf("cannot connect to the system bus (%s), and "
                                                   "systemd's private socket %s answers root only",
                                                   strerror(-r), SYSTEMD_PRIVATE_SOCKET);
                return r;
        }
        r_private = private_open(ret);
        if (r_private < 0) {
                if (ret_error)
                        *ret_error = strdup_printf("cannot connect to the system bus (%s) nor to "
                                                   "systemd's private socket %s (%s)",
                                                   strerror(-r), SYSTEMD_PRIVATE_SOCKET,
                                                   strerror(-r_private));
                return r_private;
        }
        *ret_route = SYSTEMD_ROUTE_PRIVATE;
        return 0;
}

static int manager_open(sd_bus **ret, enum systemd_route *ret_route, char **ret_error)
{
        int r = sdbus_load(ret_error);

        if (r < 0)
                return r;
        *ret = cached(&manager_bus);
        if (!*ret) {
                r = manager_connect(&manager_bus, &manager_route, ret_error);
                if (r < 0)
                        return r;
                manager_subscribed = false;
                *ret = sym_sd_bus_ref(manager_bus);
        }
        if (ret_route)
                *ret_route = manager_route;
        return 0;
}

static int dbus_manager_route(enum systemd_route *ret, char **ret_error)
{
        _cleanup_bus_ sd_bus *bus = NULL;

        return manager_open(&bus, ret, ret_error);
}

static int dbus_unit_active(const char *unit, bool *ret)
{
        _cleanup_bus_ sd_bus *bus = NULL;
        _cleanup_message_ sd_bus_message *reply = NULL;
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *state = NULL;
        const char *path;
        int r;

        r = manager_open(&bus, NULL, NULL);
        if (r < 0)
                return r;
        r = sym_sd_bus_call_method(bus, DEST, PATH, MANAGER, "LoadUnit", &error, &reply, "s", unit);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return r;
        r = sym_sd_bus_get_property_string(bus, DEST, path, "org.freedesktop.systemd1.Unit",
                                           "ActiveState", &error, &state);
        if (r < 0)
                return r;
        *ret = streq(state, "active") || streq(state, "reloading");
        return 0;
}

static int dbus_unit_pulled_by(const char *unit, char ***ret)
{
        static const char *const properties[] = {"WantedBy", "RequiredBy", "BoundBy"};
        _cleanup_bus_ sd_bus *bus = NULL;
        _cleanup_message_ sd_bus_message *reply = NULL;
        _cleanup_strv_free_ char **all = calloc(1, sizeof(char *));
        const char *path;
        int r;

        if (!all)
                return -ENOMEM;
        r = manager_open(&bus, NULL, NULL);
        if (r >= 0)
                r = sym_sd_bus_call_method(bus, DEST, PATH, MANAGER, "LoadUnit", NULL, &reply, "s",
                                           unit);
        if (r >= 0)
                r = sym_sd_bus_message_read(reply, "o", &path);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(properties); i++) {
                _cleanup_strv_free_ char **l = NULL;
                r = sym_sd_bus_get_property_strv(bus, DEST, path, "org.freedesktop.systemd1.Unit",
                                                 properties[i], NULL, &l);
                for (size_t k = 0; r >= 0 && l && l[k]; k++)
                        r = strv_extend(&all, l[k]);
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(all);
        return 0;
}

struct job_wait {
        const char *path;
        char *result;
};

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct job_wait *w = userdata;
        const char *path, *unit, *result;
        uint32_t id;

        if (sym_sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
                return 0;
        if (w->path && streq(path, w->path) && !w->result)
                w->result = strdup(result);
        return 0;
}

static uint64_t now_usec(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Calls method(unit, mode...) and waits until its job is removed. */
static int run_job(const char *method, const char *unit, const char *mode, unsigned timeout_sec,
                   char **ret_error)
{
        _cleanup_bus_ sd_bus *bus = NULL;
        _cleanup_message_ sd_bus_message *reply = NULL;
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_slot *slot = NULL;
        enum systemd_route route;
        struct job_wait w = {};
        uint64_t deadline;
        int r;

        r = manager_open(&bus, &route, ret_error);
        if (r < 0)
                return r;
        /* Subscribe before the call, so that a job that ends at once is not missed. Without
         * a bus daemon the signals carry no sender: match them by path alone then. On the
         * private socket PID 1 sends them unasked; Subscribe() is harmless there. */
        r = sym_sd_bus_match_signal(bus, &slot, route == SYSTEMD_ROUTE_BUS ? DEST : NULL, PATH,
                                    MANAGER, "JobRemoved", on_job_removed, &w);
        if (r >= 0 && !manager_subscribed) {
                r = sym_sd_bus_call_method(bus, DEST, PATH, MANAGER, "Subscribe", &error, NULL, "");
                manager_subscribed = r >= 0;
        }
        if (r >= 0)
                r = sym_sd_bus_call_method(bus, DEST, PATH, MANAGER, method, &error, &reply, "ss",
                                           unit, mode);
        if (r >= 0)
                r = sym_sd_bus_message_read(reply, "o", &w.path);
        if (r < 0) {
                set_error(ret_error, &error, r);
                goto out;
        }
        deadline = now_usec() + (uint64_t)timeout_sec * 1000000;
        while (!w.result) {
                uint64_t now = now_usec();
                if (now >= deadline) {
                        r = -ETIME;
                        if (ret_error)
                                *ret_error = strdup_printf("the job did not finish within %u s",
                                                           timeout_sec);
                        goto out;
                }
                r = sym_sd_bus_process(bus, NULL);
                if (r < 0)
                        goto out;
                if (r > 0)
                        continue;
                /* Short waits, so that Ctrl-C is answered within a quarter second. */
                r = sym_sd_bus_wait(bus, deadline - now < STOP_POLL_USEC ? deadline - now
                                                                         : STOP_POLL_USEC);
                if (r < 0)
                        goto out;
                /* The job goes on in systemd; putting the machine back replaces it. */
                r = signals_check(NULL, ret_error);
                if (r < 0)
                        goto out;
        }
        r = streq(w.result, "done") ? 0 : -EIO;
        if (r < 0 && ret_error)
                *ret_error = strdup_printf("the job ended with result \"%s\"", w.result);
out:
        free(w.result);
        sym_sd_bus_slot_unref(slot);
        return r;
}

static int dbus_start_unit(const char *unit, const char *mode, unsigned timeout_sec,
                           char **ret_error)
{
        return run_job("StartUnit", unit, mode, timeout_sec, ret_error);
}

static int dbus_stop_unit(const char *unit, unsigned timeout_sec, char **ret_error)
{
        return run_job("StopUnit", unit, "replace", timeout_sec, ret_error);
}

static int dbus_shutdown_inhibitors(char ***ret)
{
        _cleanup_bus_ sd_bus *bus = NULL;
        _cleanup_message_ sd_bus_message *reply = NULL;
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        const char *what, *who, *why, *mode;
        uint32_t uid, pid;
        int r;

        if (!l)
                return -ENOMEM;
        r = system_bus_open(&bus);
        if (r >= 0)
                r = sym_sd_bus_call_method(bus, "org.freedesktop.login1", "/org/freedesktop/login1",
                                           "org.freedesktop.login1.Manager", "ListInhibitors", NULL,
                                           &reply, NULL);
        if (r < 0) {
                /* No logind, no inhibitors. */
                *ret = TAKE_PTR(l);
                return 0;
        }
        r = sym_sd_bus_message_enter_container(reply, SD_BUS_TYPE_ARRAY, "(ssssuu)");
        if (r < 0)
                return r;
        while ((r = sym_sd_bus_message_read(reply, "(ssssuu)", &what, &who, &why, &mode, &uid,
                                            &pid)) > 0) {
                if (!streq(mode, "block") || !strstr(what, "shutdown"))
                        continue;
                r = strv_push(&l, strdup_printf("%s (pid %u: %s)", who, pid, why));
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(l);
        return 0;
}

/* Calls a manager method that starts the kexec and does not wait for it: StartUnit(unit,
 * mode) when unit is given, else KExec(). */
static int manager_kexec_call(const char *method, const char *unit, const char *mode,
                              char **ret_error)
{
        _cleanup_bus_ sd_bus *bus = NULL;
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = manager_open(&bus, NULL, ret_error);
        if (r < 0)
                return r;
        if (unit)
                r = sym_sd_bus_call_method(bus, DEST, PATH, MANAGER, method, &error, NULL, "ss",
                                           unit, mode);
        else
                r = sym_sd_bus_call_method(bus, DEST, PATH, MANAGER, method, &error, NULL, NULL);
        /* PID 1 answers KExec() before it leaves its main loop, but may be gone before the
         * answer is read: the connection closing under the call is the shutdown under way. */
        if (!unit && (r == -ECONNRESET || r == -ENOTCONN))
                return 0;
        if (r < 0)
                set_error(ret_error, &error, r);
        return r;
}

static int dbus_start_kexec(char **ret_error)
{
        return manager_kexec_call("StartUnit", KEXEC_TARGET, "replace-irreversibly", ret_error);
}

static int dbus_kexec_forced(char **ret_error)
{
        return manager_kexec_call("KExec", NULL, NULL, ret_error);
}

static int dbus_start_reboot(char **ret_error)
{
        return manager_kexec_call("StartUnit", REBOOT_TARGET, "replace-irreversibly", ret_error);
}

static int dbus_manager_usec(const char *property, uint64_t *ret)
{
        _cleanup_bus_ sd_bus *bus = NULL;
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = manager_open(&bus, NULL, NULL);
        if (r < 0)
                return r;
        return sym_sd_bus_get_property_trivial(bus, DEST, PATH, MANAGER, property, &error, 't',
                                               ret);
}

static int dbus_set_manager_usec(const char *property, uint64_t usec, char **ret_error)
{
        _cleanup_bus_ sd_bus *bus = NULL;
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = manager_open(&bus, NULL, ret_error);
        if (r < 0)
                return r;
        r = sym_sd_bus_set_property(bus, DEST, PATH, MANAGER, property, &error, "t", usec);
        if (r < 0)
                set_error(ret_error, &error, r);
        return r;
}

static int dbus_journal_send(const char *message_id, int priority, const char *message,
                             const char *trial_id)
{
        int r = sdbus_load(NULL);

        if (r < 0)
                return r;
        return sym_sd_journal_send("MESSAGE=%s", message, "MESSAGE_ID=%s", message_id,
                                   "PRIORITY=%i", priority, "SYSLOG_IDENTIFIER=warmboot",
                                   "WARMBOOT_TRIAL=%s", trial_id ? trial_id : "", NULL);
}

const struct systemd_ops systemd_dbus = {
        .manager_route = dbus_manager_route,
        .unit_active = dbus_unit_active,
        .start_unit = dbus_start_unit,
        .stop_unit = dbus_stop_unit,
        .unit_pulled_by = dbus_unit_pulled_by,
        .shutdown_inhibitors = dbus_shutdown_inhibitors,
        .start_kexec = dbus_start_kexec,
        .kexec_forced = dbus_kexec_forced,
        .start_reboot = dbus_start_reboot,
        .manager_usec = dbus_manager_usec,
        .set_manager_usec = dbus_set_manager_usec,
        .journal_send = dbus_journal_send,
};

const struct systemd_ops *systemd = &systemd_dbus;
