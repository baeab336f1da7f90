/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/stat.h>

#include "private-file.h"
#include "syscalls.h"
#include "util.h"

int private_file_read(const struct root *r, const char *parent, const char *dir, const char *name,
                      size_t max, char **ret, char **ret_why)
{
        _cleanup_free_ char *dir_path = strdup_printf("%s/%s", parent, dir);
        _cleanup_free_ char *path = strdup_printf("%s/%s/%s", parent, dir, name);
        _cleanup_close_ int dir_fd = -1, fd = -1;
        _cleanup_free_ char *text = NULL;
        struct stat st;
        size_t len = 0;
        ssize_t n;
        int err;

        if (!dir_path || !path)
                return -ENOMEM;
        dir_fd = root_open(r, dir_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        if (dir_fd == -ENOENT)
                return -ENOENT;
        if (dir_fd < 0 || fstat(dir_fd, &st) < 0) {
                err = dir_fd < 0 ? dir_fd : -errno;
                *ret_why = strdup_printf("cannot open %s: %s", dir_path, strerror(-err));
                return err;
        }
        if (!root_trusts_owner(r, st.st_uid) || (st.st_mode & 077)) {
                *ret_why = strdup_printf("%s is not root's alone (owner %u, mode %04o): ignoring "
                                         "%s in it",
                                         dir_path, (unsigned)st.st_uid,
                                         (unsigned)(st.st_mode & 07777), name);
                return -EPERM;
        }
        fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
        if (fd < 0 && errno == ENOENT)
                return -ENOENT;
        if (fd < 0 || fstat(fd, &st) < 0) {
                err = -errno;
                *ret_why = strdup_printf("cannot open %s: %s", path, strerror(-err));
                return err;
        }
        if (!S_ISREG(st.st_mode) || !root_trusts_owner(r, st.st_uid) || (st.st_mode & 0177)) {
                *ret_why = strdup_printf("%s is not a file root's alone (owner %u, mode %04o): "
                                         "ignoring it",
                                         path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
                return -EPERM;
        }
        text = malloc(max + 1);
        if (!text)
                return -ENOMEM;
        while (len <= max) {
                n = read(fd, text + len, max + 1 - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        err = -errno;
                        *ret_why = strdup_printf("cannot read %s: %s", path, strerror(-err));
                        return err;
                }
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        if (len > max || memchr(text, 0, len)) {
                *ret_why = strdup_printf("%s is %s: ignoring it", path,
                                         len > max ? "too long" : "not text");
                return -EBADMSG;
        }
        text[len] = 0;
        *ret = text;
        text = NULL;
        return 0;
}

int private_dir_check(const struct root *r, const char *parent, const char *dir, char **ret_why)
{
        _cleanup_free_ char *dir_path = strdup_printf("%s/%s", parent, dir);
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (!dir_path)
                return -ENOMEM;
        fd = root_open(r, dir_path, O_PATH | O_NOFOLLOW);
        if (fd == -ENOENT)
                return 0;
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISLNK(st.st_mode)) {
                *ret_why = strdup_printf("%s is a symbolic link: warmboot keeps its state only in "
                                         "a directory of its own, and writes nothing through it",
                                         dir_path);
                return -ELOOP;
        }
        if (!S_ISDIR(st.st_mode)) {
                *ret_why = strdup_printf("%s is not a directory: warmboot writes nothing there",
                                         dir_path);
                return -ENOTDIR;
        }
        if (!root_trusts_owner(r, st.st_uid) || (st.st_mode & 077)) {
                *ret_why = strdup_printf("%s is not root's alone (owner %u, mode %04o): warmboot "
                                         "writes nothing in it; make it root's, mode 0700, or "
                                         "remove it",
                                         dir_path, (unsigned)st.st_uid,
                                         (unsigned)(st.st_mode & 07777));
                return -EPERM;
        }
        return 0;
}

int private_file_write(const struct root *r, const char *parent, const char *dir, const char *name,
                       const char *text)
{
        _cleanup_close_ int parent_fd = root_open(r, parent, O_RDONLY | O_DIRECTORY);
        _cleanup_free_ char *why = NULL;
        int err;

        if (parent_fd < 0)
                return parent_fd;
        err = private_dir_check(r, parent, dir, &why);
        if (err < 0)
                return err;
        return sys->write_private_file(parent_fd, dir, name, text, strlen(text));
}

int private_file_remove(const struct root *r, const char *parent, const char *dir, const char *name)
{
        _cleanup_free_ char *dir_path = strdup_printf("%s/%s", parent, dir);
        _cleanup_close_ int dir_fd = -1;
        int err;

        if (!dir_path)
                return -ENOMEM;
        dir_fd = root_open(r, dir_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        if (dir_fd == -ENOENT)
                return 0;
        if (dir_fd < 0)
                return dir_fd;
        if (faccessat(dir_fd, name, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : -errno;
        err = sys->remove_file(dir_fd, name);
        return err == -ENOENT ? 0 : err;
}
