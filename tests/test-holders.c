/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "holders.h"
#include "testlib.h"
#include "util.h"

struct expected_holder {
        pid_t pid;
        const char *comm, *unit, *device;
};

static int scan_dir(const char *dir, pid_t self, struct holder **ret, size_t *ret_n)
{
        struct root *r;
        int err;

        assert_int_equal(root_new(dir, &r), 0);
        err = holders_scan(r, self, ret, ret_n);
        root_free(r);
        return err;
}

static void expect_holders(const struct holder *h, size_t n, const struct expected_holder *e,
                           size_t n_expected)
{
        for (size_t i = 0; i < n && i < n_expected; i++) {
                assert_int_equal(h[i].pid, e[i].pid);
                assert_string_equal(h[i].comm, e[i].comm);
                if (e[i].unit)
                        assert_string_equal(h[i].unit, e[i].unit);
                else
                        assert_null(h[i].unit);
                assert_string_equal(h[i].device, e[i].device);
        }
        assert_int_equal(n, n_expected);
}

static void expect_fixture(const char *name, pid_t self, const struct expected_holder *e,
                           size_t n_expected)
{
        char *dir = fixture_materialise(name);
        struct holder *h = NULL;
        size_t n = 0;

        assert_int_equal(scan_dir(dir, self, &h, &n), 0);
        expect_holders(h, n, e, n_expected);
        holders_free(h, n);
        fixture_remove(dir);
}

static void test_device_match(void **state)
{
        static const char *const yes[] = {
                "/dev/nvidia0",
                "/dev/nvidia15",
                "/dev/nvidiactl",
                "/dev/nvidia-uvm",
                "/dev/nvidia-uvm-tools",
                "/dev/nvidia-modeset",
                "/dev/nvidia-nvswitchctl",
                "/dev/nvidia-caps/nvidia-cap1",
                "/dev/dri/card0",
                "/dev/dri/renderD128",
                "/dev/dri/by-path/pci-0000:00:02.0-card",
                "/dev/kfd",
                "/dev/fb0",
                "/dev/fb12",
                "/dev/dri/card0 (deleted)",
                "/dev/nvidia0 (deleted)",
        };
        static const char *const no[] = {
                "/dev/null",
                "/dev/fbx",
                "/dev/fb",
                "/dev/fb0x",
                "/dev/drivers",
                "/dev/dri",
                "/dev/dri/",
                "/dev/dri/../null",
                "/dev/dri/./card0",
                "/dev/nvidia",
                "/dev/nvidiafoo",
                "/dev/nvidia-",
                "/dev/nvidia-caps",
                "/dev/kfd2",
                "/dev/tty2",
                "/dev/pts/0",
                "socket:[12345]",
                "anon_inode:[eventfd]",
                "/home/user/dev/dri/card0",
                "dev/dri/card0",
                " (deleted)",
                "/dev/null (deleted)",
                "",
        };

        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                if (!holder_device_match(yes[i]))
                        fail_msg("should match: %s", yes[i]);
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                if (holder_device_match(no[i]))
                        fail_msg("should not match: %s", no[i]);
        assert_false(holder_device_match(NULL));
}

static const struct expected_holder desktop[] = {
        {702, "plymouthd", "plymouth-start.service", "/dev/fb0"},
        {812, "Xorg", "gdm.service", "/dev/dri/card0"},
        {1450, "gnome-shell", "session-2.scope", "/dev/dri/renderD128"},
        {2210, "firefox", "app-gnome-firefox-2210.scope", "/dev/dri/renderD128 (deleted)"},
        /* Its fd directory is gone, but the mapping still shows. */
        {4200, "vainfo", "session-2.scope", "/dev/dri/renderD129"},
        /* "rocm\nsmi\tx": control characters dropped; a sub-cgroup of the unit. */
        {6000, "rocmsmix", "rocm-smi.service", "/dev/kfd"},
};

static void test_desktop(void **state)
{
        /* 3000 is warmboot itself, holding card0: left out. 2500 has /dev/null, /dev/pts,
         * /dev/drivers, /dev/fbx, /dev/dri; 4100 vanished; 5000 has a malformed maps file. */
        expect_fixture("holders-desktop", 3000, desktop, ELEMENTSOF(desktop));
}

static void test_self_is_listed_when_not_self(void **state)
{
        static const struct expected_holder e[] = {
                desktop[0],
                desktop[1],
                desktop[2],
                desktop[3],
                {3000, "warmboot", "session-2.scope", "/dev/dri/card0"},
                desktop[4],
                desktop[5],
        };

        expect_fixture("holders-desktop", 0, e, ELEMENTSOF(e));
}

static void test_nvidia_server(void **state)
{
        static const struct expected_holder e[] = {
                {950, "nvidia-persiste", "nvidia-persistenced.service", "/dev/nvidiactl"},
                {1200, "nv-hostengine", "nvidia-dcgm.service", "/dev/nvidia-caps/nvidia-cap2"},
                /* A cgroup v1 host: from the name=systemd line; the device only mapped. */
                {1300, "slurmstepd", "slurmd.service", "/dev/nvidia0"},
                /* Descriptors in numeric order: fd 9 before fd 10. */
                {40321, "python3", "session-5.scope", "/dev/nvidia0"},
        };

        expect_fixture("holders-nvidia", 1, e, ELEMENTSOF(e));
}

static void test_nothing_held(void **state)
{
        char *dir = fixture_empty();
        struct holder *h = NULL;
        size_t n = 1;

        fixture_write(dir, "proc/1/comm", "systemd\n");
        fixture_write(dir, "proc/1/maps", "");
        fixture_write(dir, "proc/uptime", "1.0 1.0\n");
        assert_int_equal(scan_dir(dir, 0, &h, &n), 0);
        assert_int_equal(n, 0);
        holders_free(h, n);
        fixture_remove(dir);
}

static void test_no_proc_is_an_error(void **state)
{
        char *dir = fixture_empty();
        struct holder *h = (struct holder *)0x1;
        size_t n = 7;

        assert_int_equal(scan_dir(dir, 0, &h, &n), -ENOENT);
        /* Untouched on failure. */
        assert_ptr_equal(h, (struct holder *)0x1);
        assert_int_equal(n, 7);
        fixture_remove(dir);
}

static void test_unexpected_error_is_returned(void **state)
{
        char *dir = fixture_empty();
        struct holder *h = NULL;
        size_t n = 0;

        /* An fd "directory" that is a file is not a process going away. */
        fixture_write(dir, "proc/42/comm", "x\n");
        fixture_write(dir, "proc/42/fd", "not a directory\n");
        assert_int_equal(scan_dir(dir, 0, &h, &n), -ENOTDIR);
        fixture_remove(dir);
}

static void test_denied_fd_dir_is_skipped(void **state)
{
        _cleanup_free_ char *fd_dir = NULL, *fd_dir2 = NULL;
        struct holder *h = NULL;
        size_t n = 0;
        char *dir;

        if (geteuid() == 0)
                skip(); /* root reads through the mode bits */
        dir = fixture_empty();
        fixture_write(dir, "proc/42/comm", "x\n");
        fixture_write(dir, "proc/42/maps", "7f00-7f01 rw-s 0 00:06 1 /dev/dri/card1\n");
        fixture_write(dir, "proc/43/comm", "y\n");
        fd_dir = path_join(dir, "proc/42/fd");
        fd_dir2 = path_join(dir, "proc/43/fd");
        assert_int_equal(mkdir(fd_dir, 0), 0);
        assert_int_equal(mkdir(fd_dir2, 0), 0);
        assert_int_equal(scan_dir(dir, 0, &h, &n), 0);
        assert_int_equal(n, 1);
        assert_int_equal(h[0].pid, 42);
        assert_string_equal(h[0].device, "/dev/dri/card1");
        holders_free(h, n);
        chmod(fd_dir, 0755);
        chmod(fd_dir2, 0755);
        fixture_remove(dir);
}

/* Appends a plain mapping line until the text is at least size bytes long. */
static char *maps_of_size(size_t size, const char *tail)
{
        static const char line[] = "7f3a1c000000-7f3a1c021000 r--p 00000000 fd:01 1311234"
                                   "                    /usr/lib/x86_64-linux-gnu/libc.so.6\n";
        size_t n = (size + sizeof(line) - 2) / (sizeof(line) - 1);
        char *s = malloc(n * (sizeof(line) - 1) + strlen(tail) + 1), *p = s;

        assert_non_null(s);
        for (size_t i = 0; i < n; i++)
                p = stpcpy(p, line);
        strcpy(p, tail);
        return s;
}

static void test_big_maps(void **state)
{
        char *dir = fixture_empty();
        _cleanup_free_ char *big = NULL, *long_line = NULL, *maps2 = NULL;
        struct holder *h = NULL;
        size_t n = 0;

        /* A device mapped far past the first read blocks, with lines across block ends. */
        big = maps_of_size(3 * 1024 * 1024 + 17,
                           "7f00-7f01 rw-s 0 00:06 470   /dev/dri/renderD128\n");
        fixture_write(dir, "proc/10/comm", "big\n");
        fixture_write(dir, "proc/10/maps", big);

        /* A line longer than any block is skipped as a whole: its tail is not a path. */
        long_line = malloc(300 * 1024);
        assert_non_null(long_line);
        memset(long_line, 'a', 300 * 1024 - 1);
        long_line[300 * 1024 - 1] = 0;
        memcpy(long_line + 300 * 1024 - 40, " x x x x /dev/dri/card9", 23);
        maps2 = strdup_printf("%s\n7f00-7f01 rw-s 0 00:06 470 /dev/fb1\n", long_line);
        fixture_write(dir, "proc/11/comm", "long\n");
        fixture_write(dir, "proc/11/maps", maps2);

        assert_int_equal(scan_dir(dir, 0, &h, &n), 0);
        assert_int_equal(n, 2);
        assert_int_equal(h[0].pid, 10);
        assert_string_equal(h[0].device, "/dev/dri/renderD128");
        assert_null(h[0].unit);
        assert_int_equal(h[1].pid, 11);
        assert_string_equal(h[1].device, "/dev/fb1");
        holders_free(h, n);
        fixture_remove(dir);
}

static void test_odd_comm_and_cgroup(void **state)
{
        char *dir = fixture_empty();
        struct holder *h = NULL;
        size_t n = 0;

        /* No comm file at all: the process is gone, it holds nothing any more. */
        fixture_write(dir, "proc/20/maps", "7f00-7f01 rw-s 0 00:06 1 /dev/fb0\n");
        /* An empty comm and an unreadable cgroup: still a holder, named "?". */
        fixture_write(dir, "proc/21/comm", "\n");
        fixture_write(dir, "proc/21/maps", "7f00-7f01 rw-s 0 00:06 1 /dev/fb0\n");
        /* Leading blanks and an embedded escape sequence. */
        fixture_write(dir, "proc/22/comm", "  \x1b[31mred\n");
        fixture_write(dir, "proc/22/cgroup", "0::/system.slice/red.service\n");
        fixture_write(dir, "proc/22/maps", "7f00-7f01 rw-s 0 00:06 1 /dev/fb0");
        /* Nothing printable at all. */
        fixture_write(dir, "proc/23/comm", "\x01\x02\n");
        fixture_write(dir, "proc/23/maps", "7f00-7f01 rw-s 0 00:06 1 /dev/fb0\n");

        assert_int_equal(scan_dir(dir, 0, &h, &n), 0);
        assert_int_equal(n, 3);
        assert_int_equal(h[0].pid, 21);
        assert_string_equal(h[0].comm, "?");
        assert_null(h[0].unit);
        assert_int_equal(h[1].pid, 22);
        assert_string_equal(h[1].comm, "[31mred");
        assert_string_equal(h[1].unit, "red.service");
        assert_string_equal(h[1].device, "/dev/fb0");
        assert_int_equal(h[2].pid, 23);
        assert_string_equal(h[2].comm, "?");
        holders_free(h, n);
        fixture_remove(dir);
}

static void test_free_null(void **state)
{
        holders_free(NULL, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_device_match),
                cmocka_unit_test(test_desktop),
                cmocka_unit_test(test_self_is_listed_when_not_self),
                cmocka_unit_test(test_nvidia_server),
                cmocka_unit_test(test_nothing_held),
                cmocka_unit_test(test_no_proc_is_an_error),
                cmocka_unit_test(test_unexpected_error_is_returned),
                cmocka_unit_test(test_denied_fd_dir_is_skipped),
                cmocka_unit_test(test_big_maps),
                cmocka_unit_test(test_odd_comm_and_cgroup),
                cmocka_unit_test(test_free_null),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
