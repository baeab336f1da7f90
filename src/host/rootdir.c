/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "rootdir.h"
#include "util.h"

/* One directory's listing, kept while boot entries are read: 400 entries otherwise cost
 * an openat2, fstat and close for each kernel and initrd (see root_is_regular()). */
struct name_set {
        char **names; /* sorted, NULL-terminated */
        size_t n, cap;
};

struct dir_cache {
        char *dir;
        struct name_set regular; /* names whose d_type says regular file */
        struct name_set other;   /* every other name (links, directories, unknown types) */
};

struct root {
        int fd;
        char *path;
        struct dir_cache *cache;
};

static bool openat2_works(int dir_fd)
{
        struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT};
        int fd = (int)syscall(SYS_openat2, dir_fd, ".", &how, sizeof(how));

        if (fd >= 0)
                close(fd);
        return fd >= 0 || errno != ENOSYS;
}

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
        /* A tree standing for a machine is only safe to read where links resolve inside
         * it: without openat2 (Linux < 5.6) an absolute link in the tree would reach this
         * machine's own files. */
        if (!root_is_host(r) && !openat2_works(r->fd)) {
                root_free(r);
                return -EOPNOTSUPP;
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
        root_drop_cache(r);
        free(r->cache);
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

bool root_trusts_owner(const struct root *r, uid_t uid)
{
        return uid == 0 || (!root_is_host(r) && uid == geteuid());
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
        /* Kernels before 5.6: without RESOLVE_IN_ROOT links are followed as they stand,
         * which is right for the host's own root; root_new() refused any other. */
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

static void name_set_done(struct name_set *s)
{
        strv_free(s->names);
        *s = (struct name_set){};
}

static int name_set_add(struct name_set *s, const char *name)
{
        if (s->n + 1 >= s->cap) {
                size_t cap = s->cap ? s->cap * 2 : 64;
                char **m = realloc(s->names, cap * sizeof(char *));
                if (!m)
                        return -ENOMEM;
                s->names = m;
                s->cap = cap;
        }
        s->names[s->n] = strdup(name);
        if (!s->names[s->n])
                return -ENOMEM;
        s->names[++s->n] = NULL;
        return 0;
}

static int cmp_name(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool name_set_has(const struct name_set *s, const char *name)
{
        return s->n > 0 && bsearch(&name, s->names, s->n, sizeof(char *), cmp_name);
}

void root_drop_cache(const struct root *r)
{
        if (!r->cache)
                return;
        free(r->cache->dir);
        r->cache->dir = NULL;
        name_set_done(&r->cache->regular);
        name_set_done(&r->cache->other);
}

/* Reads the names in a directory ("." and ".." left out) into sets[which(d_type)], or
 * skips them when which() is negative; each set ends sorted and NULL-terminated. */
static int read_dir(const struct root *r, const char *path, int (*which)(unsigned char d_type),
                    struct name_set sets[])
{
        int fd = open_in_root(r, path, O_RDONLY | O_DIRECTORY), err = 0, top = 0;
        struct dirent *de;
        DIR *d;

        if (fd < 0)
                return fd;
        d = fdopendir(fd);
        if (!d) {
                err = -errno;
                close(fd);
                return err;
        }
        while (err >= 0 && (de = readdir(d))) {
                int k = which(de->d_type);
                if (k < 0 || streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                top = k > top ? k : top;
                err = name_set_add(&sets[k], de->d_name);
        }
        closedir(d);
        for (int k = 0; err >= 0 && k <= top; k++) {
                if (!sets[k].names && !(sets[k].names = calloc(1, sizeof(char *))))
                        err = -ENOMEM;
                else
                        qsort(sets[k].names, sets[k].n, sizeof(char *), cmp_name);
        }
        if (err < 0)
                for (int k = 0; k <= top; k++)
                        name_set_done(&sets[k]);
        return err;
}

static int any_type(unsigned char d_type)
{
        return 0;
}

/* d_type saves a stat per name; DT_UNKNOWN (some file systems) and links are kept, to be
 * looked at by the caller. */
static int maybe_dir(unsigned char d_type)
{
        return d_type == DT_DIR || d_type == DT_UNKNOWN || d_type == DT_LNK ? 0 : -1;
}

static int regular_or_other(unsigned char d_type)
{
        return d_type == DT_REG ? 0 : 1;
}

static int cache_dir(const struct root *r, const char *dir)
{
        struct name_set sets[2] = {};
        char *copy;
        int err;

        if (!r->cache) {
                /* The cache belongs to the root, which callers hold as const. */
                ((struct root *)r)->cache = calloc(1, sizeof(struct dir_cache));
                if (!r->cache)
                        return -ENOMEM;
        }
        err = read_dir(r, dir, regular_or_other, sets);
        copy = err >= 0 ? strdup(dir) : NULL;
        if (!copy) {
                name_set_done(&sets[0]);
                name_set_done(&sets[1]);
                return err < 0 ? err : -ENOMEM;
        }
        root_drop_cache(r);
        *r->cache = (struct dir_cache){copy, sets[0], sets[1]};
        return 0;
}

bool root_is_regular(const struct root *r, const char *path)
{
        _cleanup_free_ char *dir = NULL;
        const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : NULL;
        struct stat st;

        /* A name listed as a regular file in the directory (opened inside the root) is
         * one; anything else, or a path of another shape, is looked at the slow way. */
        if (path[0] == '/' && name && *name && !streq(name, ".") && !streq(name, "..")) {
                dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
                if (dir && (!r->cache || !streq_ptr(r->cache->dir, dir)))
                        (void)cache_dir(r, dir);
                if (dir && r->cache && streq_ptr(r->cache->dir, dir)) {
                        if (name_set_has(&r->cache->regular, name))
                                return true;
                        if (!name_set_has(&r->cache->other, name))
                                return false;
                }
        }
        return root_stat(r, path, &st) == 0 && S_ISREG(st.st_mode);
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
                        /* A head read knows its size: one read instead of doubling. */
                        size_t want = cap ? cap * 2 : stop_at_max ? max : 4096;
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

int root_list_subdirs(const struct root *r, const char *path, char ***ret)
{
        struct name_set set = {};
        int err = read_dir(r, path, maybe_dir, &set);

        if (err >= 0)
                *ret = set.names;
        return err;
}

int root_list_dir(const struct root *r, const char *path, char ***ret)
{
        struct name_set set = {};
        int err = read_dir(r, path, any_type, &set);

        if (err >= 0)
                *ret = set.names;
        return err;
}
