/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kconfig.h"
#include "lockdown.h"
#include "machine-state.h"
#include "systemd-bus.h"
#include "util.h"

/* A distribution kernel's config is about 250 KiB. */
#define KCONFIG_READ_MAX (1u << 20)

int read_flag(const struct root *r, const char *path)
{
        _cleanup_free_ char *s = NULL;
        unsigned v;

        if (root_read_string(r, path, ROOT_VALUE_MAX, &s) < 0 || safe_atou(s, &v) < 0)
                return -1;
        return v ? 1 : 0;
}

static int read_kexec_file_config(const struct root *r, const char *release, char **ret_path)
{
        _cleanup_free_ char *path = NULL, *text = NULL;
        int result;

        if (!release || asprintf(&path, "/boot/config-%s", release) < 0)
                return -1;
        if (root_read_string(r, path, KCONFIG_READ_MAX, &text) < 0) {
                free(path);
                path = NULL;
                if (asprintf(&path, "/usr/lib/modules/%s/config", release) < 0 ||
                    root_read_string(r, path, KCONFIG_READ_MAX, &text) < 0)
                        return -1;
        }
        result = kconfig_bool(text, "CONFIG_KEXEC_FILE");
        if (result >= 0)
                *ret_path = TAKE_PTR(path);
        return result;
}

/* The target a tree's machine boots into, as described in machine-state.h. */
static int read_graphical_default(const struct root *r)
{
        static const char *const paths[] = {
                "/etc/systemd/system/default.target",
                "/run/systemd/system/default.target",
                "/usr/lib/systemd/system/default.target",
                "/lib/systemd/system/default.target",
        };
        struct stat st;

        if (root_is_host(r))
                return -1;
        if (!root_exists(r, "/run/systemd/system"))
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
                _cleanup_free_ char *target = NULL;
                const char *name;

                /* A unit file of its own rather than a link: its name does not say which
                 * target it is. */
                if (root_readlink(r, paths[i], &target) < 0) {
                        if (root_stat(r, paths[i], &st) >= 0)
                                return -1;
                        continue;
                }
                name = path_basename(target);
                return streq(name, GRAPHICAL_TARGET) || streq(name, "runlevel5.target");
        }
        return -1;
}

int host_state_read(const struct root *r, struct host_state *ret)
{
        struct host_state h = {.kexec_loaded = -1, .load_disabled = -1, .kexec_file = -1};
        _cleanup_free_ char *lockdown = NULL;

        h.release_err =
                root_read_string(r, "/proc/sys/kernel/osrelease", ROOT_VALUE_MAX, &h.release);
        if (h.release_err >= 0 &&
            (!*h.release || strchr(h.release, '/') || strchr(h.release, ' '))) {
                free(h.release);
                h.release = NULL;
                h.release_err = -EBADMSG;
        }
        h.cmdline_err = root_read_string(r, "/proc/cmdline", CMDLINE_READ_MAX, &h.cmdline);
        h.kexec_loaded = read_flag(r, "/sys/kernel/kexec_loaded");
        h.load_disabled = read_flag(r, "/proc/sys/kernel/kexec_load_disabled");
        if (root_read_string(r, "/sys/kernel/security/lockdown", ROOT_VALUE_MAX, &lockdown) >= 0)
                h.lockdown = lockdown_parse(lockdown);
        h.kexec_file = read_kexec_file_config(r, h.release, &h.config_path);
        h.systemd = root_exists(r, "/run/systemd/system");
        h.graphical = read_graphical_default(r);
        *ret = h;
        return 0;
}

void host_state_done(struct host_state *h)
{
        if (!h)
                return;
        free(h->release);
        free(h->cmdline);
        free(h->lockdown);
        free(h->config_path);
        *h = (struct host_state){};
}
