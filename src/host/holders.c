/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>

#include "cgroup.h"
#include "holders.h"
#include "proc-maps.h"
#include "util.h"

/* The kernel appends this to the path of a file whose name was unlinked while open. */
#define DELETED_SUFFIX " (deleted)"

/* comm is 16 bytes on the kernel side; anything longer is not a comm file we trust. */
#define COMM_MAX 4096
#define CGROUP_MAX (64 * 1024)
/* maps is streamed in blocks; a line longer than a block (never seen from a real kernel,
 * whose paths stop at PATH_MAX) is skipped. The total is capped so that an odd root cannot
 * keep the scan reading forever: 64 MiB is ten times the maps of a process at the default
 * vm.max_map_count. */
#define MAPS_BLOCK (64 * 1024)
#define MAPS_MAX (64 * 1024 * 1024)

/* A path below a device directory: not empty, no "." or ".." component to climb out. */
static bool is_child_path(const char *rest)
{
        const char *p = rest;

        if (!*rest)
                return false;
        while (*p) {
                size_t n = strcspn(p, "/");
                if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
                        return false;
                p += n;
                if (*p == '/')
                        p++;
        }
        return true;
}

static bool device_match(const char *path)
{
        const char *rest;

        if ((rest = startswith(path, "/dev/nvidia"))) {
                /* nvidia0..N and nvidiactl; every /dev/nvidia-* node (uvm, uvm-tools, modeset,
                 * nvswitch, caps/...) belongs to the same driver stack. */
                if (all_digits(rest) || streq(rest, "ctl"))
                        return true;
                /* Not the directory /dev/nvidia-caps itself, as with /dev/dri below. */
                if ((rest = startswith(rest, "-")))
                        return is_child_path(rest) && rest[0] != '/' && !streq(rest, "caps");
                return false;
        }
        /* "/dev/dri" itself is a directory: an open descriptor on it holds no driver. */
        if ((rest = startswith(path, "/dev/dri/")))
                return is_child_path(rest);
        if (streq(path, "/dev/kfd"))
                return true;
        if ((rest = startswith(path, "/dev/fb")))
                return all_digits(rest);
        return false;
}

bool holder_device_match(const char *path)
{
        _cleanup_free_ char *copy = NULL;

        if (!path)
                return false;
        if (!endswith(path, DELETED_SUFFIX))
                return device_match(path);
        copy = strndup(path, strlen(path) - strlen(DELETED_SUFFIX));
        return copy && device_match(copy);
}

/* What the kernel answers for a process that exited, or one we may not look into. */
static bool is_gone_or_denied(int err)
{
        return err == -ENOENT || err == -ESRCH || err == -EACCES || err == -EPERM;
}

/* Descriptor numbers in numeric order, so that "first" means the lowest descriptor. */
static int cmp_fd_name(const void *a, const void *b)
{
        const char *x = *(char *const *)a, *y = *(char *const *)b;
        size_t lx = strlen(x), ly = strlen(y);

        if (lx != ly)
                return lx < ly ? -1 : 1;
        return strcmp(x, y);
}

/* The first device among the targets of /proc/PID/fd/N; 0 with *ret NULL when none. */
static int scan_fds(const struct root *r, const char *pid, char **ret)
{
        _cleanup_free_ char *dir = strdup_printf("/proc/%s/fd", pid);
        _cleanup_strv_free_ char **fds = NULL;
        int err;

        if (!dir)
                return -ENOMEM;
        err = root_list_dir(r, dir, &fds);
        if (err < 0)
                return is_gone_or_denied(err) ? 0 : err;
        qsort(fds, strv_length(fds), sizeof(char *), cmp_fd_name);
        for (size_t i = 0; fds[i]; i++) {
                _cleanup_free_ char *link = path_join(dir, fds[i]);
                _cleanup_free_ char *target = NULL;

                if (!link)
                        return -ENOMEM;
                err = root_readlink(r, link, &target);
                /* A descriptor closed since the listing; EINVAL: not a link (odd root). */
                if (err == -EINVAL || is_gone_or_denied(err))
                        continue;
                if (err < 0)
                        return err;
                if (holder_device_match(target)) {
                        *ret = TAKE_PTR(target);
                        return 0;
                }
        }
        return 0;
}

/* Looks at the complete lines in buf[0..len); *ret_used: the bytes they take up. */
static int maps_lines(char *buf, size_t len, size_t *ret_used, char **ret)
{
        size_t done = 0;

        while (done < len) {
                char *line = buf + done;
                char *nl = memchr(line, '\n', len - done);
                const char *path;

                if (!nl)
                        break;
                *nl = 0;
                done = (size_t)(nl - buf) + 1;
                path = proc_maps_line_path(line);
                if (path && holder_device_match(path)) {
                        *ret = strdup(path);
                        if (!*ret)
                                return -ENOMEM;
                        break;
                }
        }
        *ret_used = done;
        return 0;
}

/* The first device mapped in /proc/PID/maps; 0 with *ret NULL when none. */
static int scan_maps(const struct root *r, const char *pid, char **ret)
{
        _cleanup_free_ char *path = strdup_printf("/proc/%s/maps", pid);
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -1;
        char *found = NULL;
        size_t len = 0, total = 0;
        bool skipping = false;
        int err = 0;

        if (!path)
                return -ENOMEM;
        fd = root_open(r, path, O_RDONLY | O_NOCTTY);
        if (fd < 0)
                return is_gone_or_denied(fd) ? 0 : fd;
        buf = malloc(MAPS_BLOCK + 1);
        if (!buf)
                return -ENOMEM;

        while (!found && total < MAPS_MAX) {
                ssize_t n = read(fd, buf + len, MAPS_BLOCK - len);
                size_t used = 0;

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return is_gone_or_denied(-errno) ? 0 : -errno;
                }
                if (n == 0) {
                        /* The last line may lack its newline. */
                        if (len > 0 && !skipping) {
                                buf[len++] = '\n';
                                err = maps_lines(buf, len, &used, &found);
                        }
                        break;
                }
                total += (size_t)n;
                len += (size_t)n;
                if (skipping) {
                        char *nl = memchr(buf, '\n', len);
                        if (!nl) {
                                len = 0;
                                continue;
                        }
                        skipping = false;
                        len -= (size_t)(nl + 1 - buf);
                        memmove(buf, nl + 1, len);
                }
                err = maps_lines(buf, len, &used, &found);
                if (err < 0)
                        return err;
                len -= used;
                memmove(buf, buf + used, len);
                if (len == MAPS_BLOCK) {
                        /* One line fills the block: drop it up to its end. */
                        skipping = true;
                        len = 0;
                }
        }
        if (err < 0)
                return err;
        *ret = found;
        return 0;
}

/* comm as a name to print: control characters (a newline in a crafted name) removed. */
static void comm_sanitise(char *s)
{
        char *w = s;
        const char *p = s;

        p += strspn(p, " \t");
        for (; *p; p++)
                if (!iscntrl((unsigned char)*p))
                        *w++ = *p;
        *w = 0;
}

/* 0 with *ret filled, 0 with ret->pid == 0 when the process went away meanwhile. */
/* The module behind a sysfs device: its driver's module link ("bochs" for "bochs-drm"), else
 * the driver's name. A virtio transport (virtio-pci) stands for the virtio device below it,
 * whose driver is the GPU's (virtio_gpu). NULL when it cannot be told. */
static char *sysfs_device_module(const struct root *r, const char *device_dir)
{
        _cleanup_free_ char *driver = NULL, *module = NULL, *path = NULL;

        path = path_join(device_dir, "driver");
        if (!path || root_readlink(r, path, &driver) < 0)
                return NULL;
        if (startswith(path_basename(driver), "virtio")) {
                _cleanup_strv_free_ char **subs = NULL;
                if (root_list_subdirs(r, device_dir, &subs) >= 0)
                        for (char **s = subs; *s; s++)
                                if (startswith(*s, "virtio") && !streq(*s, path_basename(driver))) {
                                        _cleanup_free_ char *child = path_join(device_dir, *s);
                                        char *m = child ? sysfs_device_module(r, child) : NULL;
                                        if (m)
                                                return m;
                                }
        }
        free(path);
        path = path_join(device_dir, "driver/module");
        if (path && root_readlink(r, path, &module) >= 0)
                return strdup(path_basename(module));
        return strdup(path_basename(driver));
}
/* The module behind a device node; NULL when it cannot be told (or out of memory). */
static char *device_driver(const struct root *r, const char *device)
{
        _cleanup_free_ char *dir = NULL, *clean = strdup(device);
        const char *name;
        char *deleted;

        if (!clean)
                return NULL;
        deleted = strstr(clean, DELETED_SUFFIX);
        if (deleted)
                *deleted = 0;
        if (startswith(clean, "/dev/nvidia"))
                return strdup("nvidia");
        if (streq(clean, "/dev/kfd"))
                return strdup("amdgpu");
        if ((name = startswith(clean, "/dev/dri/")) && !strchr(name, '/'))
                dir = strdup_printf("/sys/class/drm/%s/device", name);
        else if ((name = startswith(clean, "/dev/")) && startswith(name, "fb"))
                dir = strdup_printf("/sys/class/graphics/%s/device", name);
        return dir ? sysfs_device_module(r, dir) : NULL;
}
static int holder_fill(const struct root *r, pid_t pid, char *device, struct holder *ret)
{
        _cleanup_free_ char *path = NULL, *comm = NULL, *cgroup = NULL;
        _cleanup_free_ char *dev = device;
        char *unit = NULL, *driver;
        bool user_manager = false;
        int err;

        path = strdup_printf("/proc/%d/comm", (int)pid);
        if (!path)
                return -ENOMEM;
        err = root_read_string(r, path, COMM_MAX, &comm);
        if (err == -ENOENT || err == -ESRCH)
                return 0;
        if (err == -ENOMEM)
                return err;
        if (err >= 0)
                comm_sanitise(comm);
        if (err < 0 || !*comm) {
                /* Denied, or not a comm a kernel writes: still a holder, by pid. */
                free(comm);
                comm = strdup("?");
                if (!comm)
                        return -ENOMEM;
        }

        free(path);
        path = strdup_printf("/proc/%d/cgroup", (int)pid);
        if (!path)
                return -ENOMEM;
        err = root_read_string(r, path, CGROUP_MAX, &cgroup);
        if (err == -ENOMEM)
                return err;
        if (err >= 0) {
                err = cgroup_unit(cgroup, &unit);
                if (err < 0)
                        return err;
                user_manager = cgroup_in_user_manager(cgroup);
        }

        driver = device_driver(r, dev);
        *ret = (struct holder){
                .pid = pid,
                .comm = TAKE_PTR(comm),
                .unit = unit,
                .device = TAKE_PTR(dev),
                .driver = driver,
                .user_manager = user_manager,
        };
        return 0;
}

static int cmp_holder(const void *a, const void *b)
{
        pid_t x = ((const struct holder *)a)->pid, y = ((const struct holder *)b)->pid;
        return (x > y) - (x < y);
}

void holder_done(struct holder *h)
{
        if (!h)
                return;
        free(h->comm);
        free(h->unit);
        free(h->device);
        free(h->driver);
        *h = (struct holder){};
}

void holders_free(struct holder *h, size_t n)
{
        if (!h)
                return;
        for (size_t i = 0; i < n; i++)
                holder_done(&h[i]);
        free(h);
}

int holders_scan(const struct root *r, pid_t self_pid, struct holder **ret, size_t *ret_n)
{
        _cleanup_strv_free_ char **pids = NULL;
        struct holder *list = NULL;
        size_t n = 0, cap = 0;
        int err;

        err = root_list_dir(r, "/proc", &pids);
        if (err < 0)
                return err;

        for (size_t i = 0; pids[i]; i++) {
                char *device = NULL;
                unsigned v;

                if (safe_atou(pids[i], &v) < 0 || v == 0 || v > INT_MAX || !all_digits(pids[i]))
                        continue;
                if ((pid_t)v == self_pid)
                        continue;

                err = scan_fds(r, pids[i], &device);
                if (err >= 0 && !device)
                        err = scan_maps(r, pids[i], &device);
                if (err < 0)
                        goto fail;
                if (!device)
                        continue;

                if (n == cap) {
                        size_t want = cap ? cap * 2 : 8;
                        struct holder *m = realloc(list, want * sizeof(*list));
                        if (!m) {
                                free(device);
                                err = -ENOMEM;
                                goto fail;
                        }
                        list = m;
                        cap = want;
                }
                list[n] = (struct holder){};
                err = holder_fill(r, (pid_t)v, device, &list[n]);
                if (err < 0)
                        goto fail;
                if (list[n].pid != 0)
                        n++;
        }

        if (n > 1)
                qsort(list, n, sizeof(*list), cmp_holder);
        *ret = list;
        *ret_n = n;
        return 0;

fail:
        holders_free(list, n);
        return err;
}
