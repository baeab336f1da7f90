/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "file-ops.h"
#include "util.h"

static int write_all(int fd, const void *data, size_t len)
{
        const char *p = data;

        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

/* Writes data as name in dir_fd through a file beside it, with exactly this mode (whatever
 * the umask), synced and renamed over name, then syncs the directory. */
static int write_beside(int dir_fd, const char *name, const void *data, size_t len, mode_t mode)
{
        _cleanup_free_ char *tmp = strdup_printf(".%s.warmboot-new", name);
        _cleanup_close_ int fd = -1;
        int err;

        if (!tmp)
                return -ENOMEM;
        (void)unlinkat(dir_fd, tmp, 0); /* left by a run that died half-way */
        fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0)
                return -errno;
        err = fchmod(fd, mode) < 0 ? -errno : write_all(fd, data, len);
        if (err >= 0 && fsync(fd) < 0)
                err = -errno;
        if (err >= 0 && renameat(dir_fd, tmp, dir_fd, name) < 0)
                err = -errno;
        if (err < 0) {
                (void)unlinkat(dir_fd, tmp, 0);
                return err;
        }
        return fsync(dir_fd) < 0 ? -errno : 0;
}

int fileops_replace(int dir_fd, const char *name, const void *data, size_t len)
{
        struct stat st;

        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        return write_beside(dir_fd, name, data, len, st.st_mode & 07777);
}

int fileops_create(int dir_fd, const char *name, const void *data, size_t len)
{
        _cleanup_close_ int fd =
                openat(dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        ssize_t n;

        if (fd < 0)
                return -errno;
        do
                n = write(fd, data, len);
        while (n < 0 && errno == EINTR);
        if (n < 0 || (size_t)n != len) {
                int err = n < 0 ? -errno : -EIO;
                (void)unlinkat(dir_fd, name, 0);
                return err;
        }
        return 0;
}

/* Clears FS_IMMUTABLE_FL on name; 0 also where the file system keeps no such flags. */
static int clear_immutable(int dir_fd, const char *name)
{
        _cleanup_close_ int fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        int flags;

        if (fd < 0)
                return -errno;
        if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
                return errno == ENOTTY || errno == EOPNOTSUPP || errno == EINVAL ? 0 : -errno;
        if (!(flags & FS_IMMUTABLE_FL))
                return 0;
        flags &= ~FS_IMMUTABLE_FL;
        return ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0 ? -errno : 0;
}

int fileops_remove(int dir_fd, const char *name)
{
        int err = clear_immutable(dir_fd, name);

        if (err < 0)
                return err;
        return unlinkat(dir_fd, name, 0) < 0 ? -errno : 0;
}

int fileops_write_private(int parent_fd, const char *dir, const char *name, const void *data,
                          size_t len)
{
        _cleanup_close_ int dir_fd = -1;
        struct stat st;

        if (mkdirat(parent_fd, dir, 0700) < 0) {
                if (errno != EEXIST)
                        return -errno;
        } else if (fsync(parent_fd) < 0) /* the new directory's entry, on the disk too */
                return -errno;
        dir_fd = openat(parent_fd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dir_fd < 0)
                return -errno;
        /* A directory someone else made, or that others could enter, is not ours to write
         * in: what they put there stays theirs. */
        if (fstat(dir_fd, &st) < 0)
                return -errno;
        if (st.st_uid != geteuid() || (st.st_mode & 077))
                return -EPERM;
        return write_beside(dir_fd, name, data, len, 0600);
}
