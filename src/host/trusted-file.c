/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include "trusted-file.h"
#include "util.h"

/* As many links as the kernel follows in one lookup. */
#define LINKS_MAX 40

static const char only_root[] = "warmboot loads only files that only root can change";

/* -EPERM with the sentence when someone but root can change what st describes (what names
 * it), 0 when nobody can. */
static int judge(const struct root *r, const struct stat *st, const char *what, char **ret_why)
{
        unsigned mode = (unsigned)(st->st_mode & 07777);
        mode_t writable = st->st_mode & (S_IWGRP | S_IWOTH);
        char owner[32];

        /* In a sticky directory only an entry's owner renames or removes it, and the entries
         * on the way are judged themselves: its group adding names changes nothing here.
         * That is how Nix keeps /nix/store (1775, group nixbld). Open to others, as /tmp is,
         * it is still refused. */
        if (S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX) && !(st->st_mode & S_IWOTH))
                writable = 0;

        if (!root_trusts_owner(r, st->st_uid))
                *ret_why = strdup_printf("%s is owned by uid %u, not root (mode %04o): %s", what,
                                         (unsigned)st->st_uid, mode, only_root);
        else if (writable) {
                if (st->st_uid == 0)
                        snprintf(owner, sizeof(owner), "root");
                else
                        snprintf(owner, sizeof(owner), "uid %u", (unsigned)st->st_uid);
                *ret_why = strdup_printf("%s is writable by %s (mode %04o, owner %s): %s", what,
                                         writable & S_IWOTH ? "others" : "its group", mode, owner,
                                         only_root);
        } else
                return 0;
        return *ret_why ? -EPERM : -ENOMEM;
}

static int judge_dir(const struct root *r, const char *dir, const struct stat *st, const char *path,
                     char **ret_why)
{
        _cleanup_free_ char *what = strdup_printf("%s, a directory on the way to %s,", dir, path);

        return what ? judge(r, st, what, ret_why) : -ENOMEM;
}

static int stat_nofollow(const struct root *r, const char *path, struct stat *ret)
{
        _cleanup_close_ int fd = root_open(r, path, O_PATH | O_NOFOLLOW);

        if (fd < 0)
                return fd;
        return fstat(fd, ret) < 0 ? -errno : 0;
}

static void dir_up(char *dir)
{
        char *slash = strrchr(dir, '/');

        if (slash == dir)
                dir[1] = 0;
        else if (slash)
                *slash = 0;
}

/*
 * Walks path one name at a time from the root, as the kernel resolves it inside the root:
 * every directory entered is judged, a link is read and what it says walked in its place
 * (from the root when it is absolute), and the file at the end is judged.
 */
int trusted_file_check(const struct root *r, const char *path, char **ret_why)
{
        _cleanup_free_ char *rest = strdup(path);
        char dir[PATH_MAX] = "/";
        const char *p = rest;
        unsigned links = 0;
        struct stat st;
        int err;

        if (!rest)
                return -ENOMEM;
        err = stat_nofollow(r, "/", &st);
        if (err >= 0)
                err = judge_dir(r, "/", &st, path, ret_why);
        if (err < 0)
                return err;
        for (;;) {
                char name[NAME_MAX + 1], next[PATH_MAX];
                _cleanup_free_ char *target = NULL, *what = NULL;
                size_t len;

                while (*p == '/')
                        p++;
                if (!*p)
                        return 0; /* a directory: where it is used, that is the problem */
                len = strcspn(p, "/");
                if (len > NAME_MAX)
                        return -ENAMETOOLONG;
                memcpy(name, p, len);
                name[len] = 0;
                p += len;
                if (streq(name, "."))
                        continue;
                if (streq(name, "..")) {
                        dir_up(dir);
                        continue;
                }
                if ((size_t)snprintf(next, sizeof(next), "%s%s%s", dir, streq(dir, "/") ? "" : "/",
                                     name) >= sizeof(next))
                        return -ENAMETOOLONG;
                err = stat_nofollow(r, next, &st);
                if (err < 0)
                        return err;
                if (S_ISLNK(st.st_mode)) {
                        char *more;

                        if (++links > LINKS_MAX)
                                return -ELOOP;
                        err = root_readlink(r, next, &target);
                        if (err < 0)
                                return err;
                        more = strdup_printf("%s/%s", target, p);
                        if (!more)
                                return -ENOMEM;
                        if (target[0] == '/')
                                snprintf(dir, sizeof(dir), "/");
                        free(rest);
                        rest = more;
                        p = rest;
                        continue;
                }
                while (*p == '/')
                        p++;
                if (*p) {
                        if (!S_ISDIR(st.st_mode))
                                return -ENOTDIR;
                        err = judge_dir(r, next, &st, path, ret_why);
                        if (err < 0)
                                return err;
                        memcpy(dir, next, sizeof(dir));
                        continue;
                }
                what = links > 0 ? strdup_printf("%s (where %s points)", next, path) : strdup(next);
                return what ? judge(r, &st, what, ret_why) : -ENOMEM;
        }
}
