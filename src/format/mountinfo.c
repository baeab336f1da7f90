/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "mountinfo.h"
#include "util.h"

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

int mountinfo_foreach(const char *text, int (*fn)(const struct mount_entry *m, void *userdata),
                      void *userdata)
{
        _cleanup_free_ char *copy = strdup(text);
        char *save = NULL;

        if (!copy)
                return -ENOMEM;
        /* ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER */
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *field[6], *sep = strstr(line, " - "), *s2 = NULL;
                struct mount_entry m;
                size_t n = 0;
                int r;

                if (!sep)
                        continue;
                *sep = 0;
                m.fstype = strtok_r(sep + 3, " ", &s2);
                m.source = m.fstype ? strtok_r(NULL, " ", &s2) : NULL;
                for (char *w = strtok_r(line, " ", &s2); w && n < 6; w = strtok_r(NULL, " ", &s2))
                        field[n++] = w;
                if (n < 6 || !m.fstype)
                        continue;
                unescape(field[4]);
                m.devnum = field[2];
                m.root = field[3];
                m.mount_point = field[4];
                m.options = field[5];
                r = fn(&m, userdata);
                if (r != 0)
                        return r;
        }
        return 0;
}

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

static int add_writable(const struct mount_entry *m, void *userdata)
{
        char ***l = userdata;

        if (strv_contains((char **)virtual_fs, m->fstype) || startswith(m->fstype, "fuse") ||
            !has_option(m->options, "rw") || m->mount_point[0] != '/' ||
            strv_contains(*l, m->mount_point))
                return 0;
        return strv_extend(l, m->mount_point);
}

int writable_mounts(const char *mountinfo, char ***ret)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        int err;

        if (!l)
                return -ENOMEM;
        err = mountinfo_foreach(mountinfo, add_writable, &l);
        if (err < 0)
                return err;
        /* mountinfo lists parents before children: reverse for innermost first. */
        for (size_t i = 0, n = strv_length(l); i < n / 2; i++) {
                char *t = l[i];
                l[i] = l[n - 1 - i];
                l[n - 1 - i] = t;
        }
        *ret = TAKE_PTR(l);
        return 0;
}
