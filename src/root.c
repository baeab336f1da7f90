/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "root.h"
#include "util.h"

struct root {
        int fd;
        char *path;
};

int root_new(const char *path, struct root **ret)
{
        struct root *r;

        if (!path || !*path)
                path = "/";
        r = calloc(1, sizeof(*r));
        if (!r)
                return -ENOMEM;
        r->path = strdup(path);
        if (!r->path) {
                free(r);
                return -ENOMEM;
        }
        r->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (r->fd < 0) {
                int err = -errno;
                root_free(r);
                return err;
        }
        *ret = r;
        return 0;
}

struct root *root_free(struct root *r)
{
        if (!r)
                return NULL;
        if (r->fd >= 0)
                close(r->fd);
        free(r->path);
        free(r);
        return NULL;
}

bool root_is_host(const struct root *r)
{
        return streq(r->path, "/");
}

const char *root_path(const struct root *r)
{
        return r->path;
}

static int open_in_root(const struct root *r, const char *path, int flags)
{
        struct open_how how = {
                .flags = (uint64_t)(flags | O_CLOEXEC),
                .resolve = RESOLVE_IN_ROOT,
        };
        const char *rel = path;
        int fd;

        while (*rel == '/')
                rel++;
        if (!*rel)
                rel = ".";

        fd = (int)syscall(SYS_openat2, r->fd, rel, &how, sizeof(how));
        if (fd >= 0)
                return fd;
        if (errno != ENOSYS)
                return -errno;
        /* Kernels before 5.6: without RESOLVE_IN_ROOT, links are followed as they stand. */
        fd = openat(r->fd, rel, flags | O_CLOEXEC);
        return fd >= 0 ? fd : -errno;
}

int root_open(const struct root *r, const char *path, int flags)
{
        return open_in_root(r, path, flags);
}

int root_stat(const struct root *r, const char *path, struct stat *ret)
{
        _cleanup_close_ int fd = open_in_root(r, path, O_PATH);
        if (fd < 0)
                return fd;
        if (fstat(fd, ret) < 0)
                return -errno;
        return 0;
}

bool root_exists(const struct root *r, const char *path)
{
        struct stat st;
        return root_stat(r, path, &st) == 0;
}

static int read_fd(int fd, size_t max, bool stop_at_max, uint8_t **ret, size_t *ret_len)
{
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len = 0, cap = 0;

        for (;;) {
                ssize_t n;

                if (len == cap) {
                        size_t want = cap ? cap * 2 : 4096;
                        uint8_t *m;

                        if (want > max + 1)
                                want = max + 1;
                        if (want <= cap)
                                break;
                        m = realloc(buf, want + 1);
                        if (!m)
                                return -ENOMEM;
                        buf = m;
                        cap = want;
                }
                n = read(fd, buf + len, cap - len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        if (len > max) {
                if (!stop_at_max)
                        return -EFBIG;
                len = max;
        }
        if (!buf) {
                buf = malloc(1);
                if (!buf)
                        return -ENOMEM;
        }
        buf[len] = 0;
        *ret = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

int root_read_string(const struct root *r, const char *path, size_t max, char **ret)
{
        _cleanup_close_ int fd = open_in_root(r, path, O_RDONLY | O_NOCTTY);
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len;
        int err;

        if (fd < 0)
                return fd;
        err = read_fd(fd, max, false, &buf, &len);
        if (err < 0)
                return err;
        if (memchr(buf, 0, len))
                return -EBADMSG;
        strip_trailing_space((char *)buf);
        *ret = (char *)TAKE_PTR(buf);
        return 0;
}

int root_read_head(const struct root *r, const char *path, size_t max, uint8_t **ret,
                   size_t *ret_len)
{
        _cleanup_close_ int fd = open_in_root(r, path, O_RDONLY | O_NOCTTY);
        if (fd < 0)
                return fd;
        return read_fd(fd, max, true, ret, ret_len);
}

int root_readlink(const struct root *r, const char *path, char **ret)
{
        _cleanup_close_ int fd = open_in_root(r, path, O_PATH | O_NOFOLLOW);
        char buf[4096];
        ssize_t n;

        if (fd < 0)
                return fd;
        n = readlinkat(fd, "", buf, sizeof(buf) - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int root_list_dir(const struct root *r, const char *path, char ***ret)
{
        int fd = open_in_root(r, path, O_RDONLY | O_DIRECTORY);
        _cleanup_strv_free_ char **names = NULL;
        struct dirent *de;
        DIR *d;
        int err = 0;

        if (fd < 0)
                return fd;
        d = fdopendir(fd);
        if (!d) {
                err = -errno;
                close(fd);
                return err;
        }
        names = calloc(1, sizeof(char *));
        if (!names) {
                closedir(d);
                return -ENOMEM;
        }
        while ((de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                err = strv_extend(&names, de->d_name);
                if (err < 0)
                        break;
        }
        closedir(d);
        if (err < 0)
                return err;
        qsort(names, strv_length(names), sizeof(char *), cmp_str);
        *ret = TAKE_PTR(names);
        return 0;
}
