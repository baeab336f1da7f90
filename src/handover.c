/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <signal.h>

#include "handover.h"
#include "kexec.h"
#include "sys.h"
#include "systemd.h"
#include "util.h"

/* File systems with nothing on disk to protect. */
static const char *const virtual_fs[] = {
        "proc",
        "sysfs",
        "devtmpfs",
        "devpts",
        "tmpfs",
        "ramfs",
        "rootfs",
        "cgroup",
        "cgroup2",
        "securityfs",
        "debugfs",
        "tracefs",
        "bpf",
        "pstore",
        "efivarfs",
        "configfs",
        "mqueue",
        "hugetlbfs",
        "fusectl",
        "autofs",
        "binfmt_misc",
        "nsfs",
        "overlay",
        "squashfs",
        "iso9660",
        /* Network and FUSE file systems: their servers and daemons are gone by now, and
         * sync has flushed what can be flushed. */
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "ceph",
        "9p",
        "virtiofs",
        NULL,
};

/* Undoes mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
        char *w = s;

        for (char *p = s; *p; p++) {
                if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
                    p[3] >= '0' && p[3] <= '7') {
                        *w++ = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 | (p[3] - '0'));
                        p += 3;
                } else
                        *w++ = *p;
        }
        *w = 0;
}

static bool has_option(const char *options, const char *want)
{
        size_t n = strlen(want);

        for (const char *p = options; p; p = strchr(p, ',')) {
                if (*p == ',')
                        p++;
                if (strncmp(p, want, n) == 0 && (p[n] == ',' || p[n] == 0))
                        return true;
        }
        return false;
}

int writable_mounts(const char *mountinfo, char ***ret)
{
        _cleanup_free_ char *copy = strdup(mountinfo);
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        char *save = NULL;

        if (!copy || !l)
                return -ENOMEM;
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *field[6], *sep, *fstype, *s2 = NULL, *w;
                size_t n = 0;

                sep = strstr(line, " - ");
                if (!sep)
                        continue; /* not a mountinfo line */
                *sep = 0;
                fstype = strtok_r(sep + 3, " ", &s2);
                for (w = strtok_r(line, " ", &s2); w && n < 6; w = strtok_r(NULL, " ", &s2))
                        field[n++] = w;
                if (n < 6 || !fstype || strv_contains((char **)virtual_fs, fstype) ||
                    startswith(fstype, "fuse") || !has_option(field[5], "rw"))
                        continue;
                unescape(field[4]);
                if (field[4][0] != '/' || strv_contains(l, field[4]))
                        continue;
                if (strv_extend(&l, field[4]) < 0)
                        return -ENOMEM;
        }
        /* mountinfo lists parents before children: reverse for innermost first. */
        for (size_t i = 0, n = strv_length(l); i < n / 2; i++) {
                char *t = l[i];
                l[i] = l[n - 1 - i];
                l[n - 1 - i] = t;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* Whether any process other than PID 1 and this one is left (kernel threads, which have
 * an empty cmdline, do not count). */
static bool others_left(const struct root *r)
{
        _cleanup_strv_free_ char **pids = NULL;
        pid_t self = getpid();

        if (root_list_dir(r, "/proc", &pids) < 0)
                return false;
        for (char **p = pids; *p; p++) {
                _cleanup_free_ char *path = NULL, *cmdline = NULL;
                unsigned pid;

                if (safe_atou(*p, &pid) < 0 || pid == 1 || (pid_t)pid == self)
                        continue;
                path = strdup_printf("/proc/%u/cmdline", pid);
                if (path && root_read_string(r, path, 4096, &cmdline) >= 0 && *cmdline)
                        return true;
        }
        return false;
}

int handover_direct(const struct root *r, unsigned grace_sec, char **ret_why)
{
        _cleanup_free_ char *mountinfo = NULL;
        _cleanup_strv_free_ char **mounts = NULL;
        int err;

        /* Ending every process ends the terminal or pipe warmboot reports to as well: a
         * signal from that must not stop warmboot half-way through the shutdown. */
        signal(SIGHUP, SIG_IGN);
        signal(SIGPIPE, SIG_IGN);
        /* The service or shell that started warmboot ends too, and its cleanup (systemd
         * stopping the caller's unit) sends SIGTERM to warmboot: finish the hand-over. */
        signal(SIGTERM, SIG_IGN);
        signal(SIGINT, SIG_IGN);
        (void)sys->kill(-1, SIGTERM);
        for (unsigned waited = 0; waited < grace_sec * 1000 && others_left(r); waited += 100)
                sys->sleep_ms(100);
        (void)sys->kill(-1, SIGKILL);
        sys->sync();

        err = root_read_string(r, "/proc/self/mountinfo", 1 << 20, &mountinfo);
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
                                                 "over, to keep its data safe; processes have "
                                                 "already been ended, so reboot the usual way",
                                                 mounts[i], strerror(-err));
                        return err;
                }
        }
        sys->sync();
        err = sys->reboot_kexec();
        *ret_why = strdup_printf("%s (%s)", reboot_error(err), strerror(-err));
        return err;
}

int handover_systemd(char **ret_why)
{
        _cleanup_free_ char *error = NULL;
        int err = systemd->start_kexec(&error);

        if (err < 0)
                *ret_why = strdup_printf("systemd refused to start kexec.target: %s",
                                         error ? error : strerror(-err));
        return err;
}
