/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <inttypes.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <signal.h>
#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>
#include <linux/watchdog.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "file-ops.h"
#include "plan.h"
#include "signals.h"
#include "syscalls.h"
#include "systemd-bus.h"
#include "testlib.h"
#include "util.h"

static void put16(uint8_t *p, uint16_t v)
{
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
        for (int i = 0; i < 4; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

size_t fake_image_build(const struct fake_image *s, uint8_t **ret)
{
        const size_t size = 8192;
        uint8_t *b = calloc(1, size);
        uint16_t protocol = s->protocol, xlf = s->xloadflags;
        uint32_t cmdline_size = s->cmdline_size;
        uint8_t reloc = s->relocatable;

        if (!b)
                abort();
        if (!s->defaults_off) {
                protocol = protocol ? protocol : 0x020f;
                xlf = xlf ? xlf : 3;
                cmdline_size = cmdline_size ? cmdline_size : 2047;
                reloc = 1;
        }
        put16(b + 0x1fe, 0xaa55);
        memcpy(b + 0x202, "HdrS", 4);
        put16(b + 0x206, protocol);
        b[0x211] = 0x01; /* LOADED_HIGH */
        b[0x234] = reloc;
        put16(b + 0x236, xlf);
        put32(b + 0x238, cmdline_size);
        if (s->release) {
                char version[200];
                snprintf(version, sizeof(version), "%s (builder@test) #1 SMP PREEMPT_DYNAMIC",
                         s->release);
                put16(b + 0x20e, 0x1000 - 0x200);
                memcpy(b + 0x1000, version, strlen(version) + 1);
        }
        if (s->pe) {
                b[0] = 'M';
                b[1] = 'Z';
                put32(b + 0x3c, 0x40);
                memcpy(b + 0x40, "PE\0\0", 4);
                put16(b + 0x40 + 24, 0x20b);
                put32(b + 0x40 + 24 + 108, 16);
                if (s->signature) {
                        put32(b + 0x40 + 24 + 112 + 4 * 8, 0x1800);
                        put32(b + 0x40 + 24 + 112 + 4 * 8 + 4, 0x400);
                }
        }
        *ret = b;
        return size;
}

size_t fake_uki_build(const struct fake_uki *spec, uint8_t **ret)
{
        struct fake_image inner = {.release = spec->release,
                                   .pe = spec->linux_signed,
                                   .signature = spec->linux_signed};
        struct {
                const char *name;
                const uint8_t *data;
                size_t size;
        } sec[6];
        _cleanup_free_ uint8_t *kernel = NULL;
        size_t n = 0, kernel_size = fake_image_build(&inner, &kernel), size, off;
        const size_t table = 0x80 + 24 + 240;
        uint8_t *b;

#define ADD(nm, text)                                                                              \
        if (text)                                                                                  \
        sec[n++] = (typeof(sec[0])){nm, (const uint8_t *)(text), strlen(text)}
        ADD(".osrel", spec->osrel);
        ADD(".uname", spec->release);
        ADD(".cmdline", spec->cmdline);
        ADD(".ucode", spec->ucode);
        ADD(".initrd", spec->initrd);
#undef ADD
        sec[n++] = (typeof(sec[0])){".linux", kernel, kernel_size};

        size = 0x1000;
        for (size_t i = 0; i < n; i++)
                size += (sec[i].size + 0x1ff) & ~(size_t)0x1ff;
        b = calloc(1, size);
        if (!b)
                abort();
        b[0] = 'M';
        b[1] = 'Z';
        put32(b + 0x3c, 0x80);
        memcpy(b + 0x80, "PE\0\0", 4);
        put16(b + 0x84, 0x8664);      /* x86-64 */
        put16(b + 0x86, (uint16_t)n); /* NumberOfSections */
        put16(b + 0x94, 240);         /* SizeOfOptionalHeader: PE32+ with 16 directories */
        put16(b + 0x98, 0x20b);
        off = 0x1000;
        for (size_t i = 0; i < n; i++) {
                uint8_t *h = b + table + 40 * i;
                memcpy(h, sec[i].name, strlen(sec[i].name));
                put32(h + 8, (uint32_t)sec[i].size); /* VirtualSize */
                put32(h + 12, (uint32_t)off);        /* VirtualAddress */
                put32(h + 16, (uint32_t)((sec[i].size + 0x1ff) & ~(size_t)0x1ff));
                put32(h + 20, (uint32_t)off); /* PointerToRawData */
                memcpy(b + off, sec[i].data, sec[i].size);
                off += (sec[i].size + 0x1ff) & ~(size_t)0x1ff;
        }
        *ret = b;
        return size;
}

static void mkdir_parents(const char *path)
{
        char buf[4096];

        snprintf(buf, sizeof(buf), "%s", path);
        for (char *p = buf + 1; *p; p++)
                if (*p == '/') {
                        *p = 0;
                        mkdir(buf, 0755);
                        *p = '/';
                }
}

/* A new file is 0644 whatever the umask (002 would leave it group-writable, and warmboot
 * refuses such a kernel or configuration); one that is there keeps the mode a test gave it. */
static void write_bytes(const char *path, const void *data, size_t len)
{
        bool fresh = access(path, F_OK) < 0;
        FILE *f;

        mkdir_parents(path);
        f = fopen(path, "we");
        if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
                abort();
        if (fresh && chmod(path, 0644) < 0)
                abort();
}

void fixture_write(const char *dir, const char *path, const char *text)
{
        _cleanup_free_ char *full = path_join(dir, path);
        write_bytes(full, text, strlen(text));
}

void fixture_write_private(const char *dir, const char *path, const char *text)
{
        _cleanup_free_ char *full = path_join(dir, path);
        _cleanup_free_ char *parent = strdup(full);

        write_bytes(full, text, strlen(text));
        *strrchr(parent, '/') = 0;
        if (chmod(parent, 0700) < 0 || chmod(full, 0600) < 0)
                abort();
}

void fixture_write_bytes(const char *dir, const char *path, const void *data, size_t len)
{
        _cleanup_free_ char *full = path_join(dir, path);
        write_bytes(full, data, len);
}

uint8_t *fixture_read_bytes(const char *path, size_t *ret_len)
{
        FILE *f = fopen(path, "re"), *m;
        char *buf = NULL, chunk[4096];
        size_t len = 0, n;

        if (!f)
                return NULL;
        /* open_memstream keeps a NUL after the data: text callers get a string. */
        m = open_memstream(&buf, &len);
        if (!m)
                abort();
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                if (fwrite(chunk, 1, n, m) != n)
                        abort();
        if (ferror(f) || fclose(m) != 0)
                abort();
        fclose(f);
        *ret_len = len;
        return (uint8_t *)buf;
}

char *fixture_read(const char *path)
{
        size_t len;

        return (char *)fixture_read_bytes(path, &len);
}

/* "WARMBOOT-TEST-IMAGE release=R protocol=0x020f ..." -> a crafted image. */
static void materialise_image(const char *path, char *spec)
{
        struct fake_image img = {};
        uint8_t *buf;
        size_t len;
        char *save = NULL;

        for (char *w = strtok_r(spec, " \n", &save); w; w = strtok_r(NULL, " \n", &save)) {
                const char *v;
                if ((v = startswith(w, "release=")))
                        img.release = v;
                else if ((v = startswith(w, "protocol=")))
                        img.protocol = (uint16_t)strtoul(v, NULL, 0);
                else if ((v = startswith(w, "xloadflags=")))
                        img.xloadflags = (uint16_t)strtoul(v, NULL, 0);
                else if ((v = startswith(w, "cmdline_size=")))
                        img.cmdline_size = (uint32_t)strtoul(v, NULL, 0);
                else if (streq(w, "signed"))
                        img.pe = img.signature = true;
        }
        len = fake_image_build(&img, &buf);
        write_bytes(path, buf, len);
        free(buf);
}

/* "WARMBOOT-TEST-UKI release=R [signed]" then "osrel=...", "cmdline=...", "ucode=...",
 * "initrd=..." lines ("\\n" in osrel stands for a newline). */
static void materialise_uki(const char *path, char *spec)
{
        struct fake_uki u = {};
        char *save = NULL, *first = strtok_r(spec, "\n", &save);
        uint8_t *buf;
        size_t len;

        for (char *w = strtok(first, " "); w; w = strtok(NULL, " ")) {
                if (startswith(w, "release="))
                        u.release = w + 8;
                else if (streq(w, "signed"))
                        u.linux_signed = true;
        }
        for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                const char *v;
                if ((v = startswith(line, "osrel="))) {
                        for (char *q; (q = strstr(line, "\\n"));)
                                memmove(q, "\n", 1), memmove(q + 1, q + 2, strlen(q + 2) + 1);
                        u.osrel = v;
                } else if ((v = startswith(line, "cmdline=")))
                        u.cmdline = v;
                else if ((v = startswith(line, "ucode=")))
                        u.ucode = v;
                else if ((v = startswith(line, "initrd=")))
                        u.initrd = v;
        }
        len = fake_uki_build(&u, &buf);
        write_bytes(path, buf, len);
        free(buf);
}

static void copy_tree(const char *from, const char *to)
{
        _cleanup_strv_free_ char **names = NULL;
        struct dirent *de;
        DIR *d = opendir(from);

        if (!d)
                abort();
        mkdir(to, 0755);
        while ((de = readdir(d))) {
                _cleanup_free_ char *src = NULL, *dst = NULL;
                struct stat st;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                src = path_join(from, de->d_name);
                dst = path_join(to, de->d_name);
                if (lstat(src, &st) < 0)
                        abort();
                if (S_ISDIR(st.st_mode))
                        copy_tree(src, dst);
                else if (S_ISLNK(st.st_mode)) {
                        char target[4096];
                        ssize_t n = readlink(src, target, sizeof(target) - 1);
                        if (n < 0)
                                abort();
                        target[n] = 0;
                        if (symlink(target, dst) < 0)
                                abort();
                } else {
                        /* Byte for byte: a fixture may hold real images, NULs and all. */
                        size_t len;
                        _cleanup_free_ uint8_t *data = fixture_read_bytes(src, &len);
                        const char *spec;
                        if (!data)
                                abort();
                        if ((spec = startswith((char *)data, "WARMBOOT-TEST-IMAGE")))
                                materialise_image(dst, (char *)spec);
                        else if ((spec = startswith((char *)data, "WARMBOOT-TEST-UKI")))
                                materialise_uki(dst, (char *)spec);
                        else
                                write_bytes(dst, data, len);
                }
        }
        closedir(d);
}

char *fixture_empty(void)
{
        char *dir = strdup("/tmp/warmboot-test-XXXXXX");
        if (!dir || !mkdtemp(dir))
                abort();
        return dir;
}

char *fixture_materialise(const char *name)
{
        _cleanup_free_ char *src = path_join(FIXTURE_DIR, name);
        char *dir = fixture_empty();

        _cleanup_free_ char *var = path_join(dir, "var"), *lib = path_join(dir, "var/lib");
        _cleanup_free_ char *run = path_join(dir, "run");

        copy_tree(src, dir);
        /* As on every installed system: where warmboot keeps its reboot report, and the
         * journal of a run. */
        (void)mkdir(var, 0755);
        (void)mkdir(lib, 0755);
        (void)mkdir(run, 0755);
        return dir;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path);
}

static void remove_tree(const char *dir)
{
        nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fixture_remove(char *dir)
{
        if (!dir)
                return;
        remove_tree(dir);
        free(dir);
}

/* The recording seam. */
struct fake_call fake_calls[FAKE_CALLS_MAX];
size_t fake_n_calls;
int fake_load_result, fake_reboot_result;
bool fake_can_boot;

static struct fake_call *record(const char *what)
{
        struct fake_call *c;

        if (fake_n_calls >= FAKE_CALLS_MAX)
                abort();
        c = &fake_calls[fake_n_calls++];
        memset(c, 0, sizeof(*c));
        snprintf(c->what, sizeof(c->what), "%s", what);
        return c;
}

static void fd_path(int fd, char *buf, size_t size)
{
        char link[64];
        ssize_t n;

        buf[0] = 0;
        if (fd < 0)
                return;
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        n = readlink(link, buf, size - 1);
        buf[n < 0 ? 0 : n] = 0;
}

static int fake_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
                                unsigned long flags)
{
        struct fake_call *c = record(flags & KEXEC_FILE_UNLOAD_FLAG ? "unload" : "kexec_file_load");

        fd_path(kernel_fd, c->kernel, sizeof(c->kernel));
        fd_path(initrd_fd, c->initrd, sizeof(c->initrd));
        if (initrd_fd >= 0) {
                ssize_t n = pread(initrd_fd, c->initrd_bytes, sizeof(c->initrd_bytes) - 1, 0);
                c->initrd_bytes[n < 0 ? 0 : n] = 0;
                /* The kernel refuses a file that is open for writing: so must the fake. */
                if (fcntl(initrd_fd, F_GETFL) & (O_WRONLY | O_RDWR))
                        return -ETXTBSY;
        }
        snprintf(c->cmdline, sizeof(c->cmdline), "%s", cmdline ? cmdline : "");
        c->flags = flags;
        return flags & KEXEC_FILE_UNLOAD_FLAG ? 0 : fake_load_result;
}

static int fake_reboot_kexec(void)
{
        record("reboot");
        return fake_reboot_result;
}

static void fake_sync(void)
{
        record("sync");
}

static bool fake_can_boot_fn(void)
{
        return fake_can_boot;
}

const char *fake_busy_module, *fake_uninsertable_module, *fake_busy_mount;
const char *fake_root_dir;

static void remove_tree(const char *dir);

/* Removes the fixture's /proc/PID of every process for which ends(its /proc dir, pid, arg)
 * says so. */
static void end_processes_where(bool (*ends)(const char *dir, int pid, const void *arg),
                                const void *arg)
{
        _cleanup_free_ char *proc = NULL;
        struct dirent *de;
        DIR *d;

        if (!fake_root_dir)
                return;
        proc = path_join(fake_root_dir, "proc");
        d = opendir(proc);
        if (!d)
                return;
        while ((de = readdir(d))) {
                _cleanup_free_ char *dir = path_join(proc, de->d_name);
                int pid = atoi(de->d_name);
                if (pid > 0 && ends(dir, pid, arg))
                        remove_tree(dir);
        }
        closedir(d);
}

static bool cgroup_contains(const char *dir, int pid, const void *needle)
{
        _cleanup_free_ char *cg = path_join(dir, "cgroup");
        _cleanup_free_ char *text = fixture_read(cg);
        return text && strstr(text, needle);
}

/* Processes whose cgroup text contains needle end. */
static void end_processes_in(const char *needle)
{
        end_processes_where(cgroup_contains, needle);
}

static void end_process(int pid)
{
        char name[32];
        _cleanup_free_ char *dir = NULL;

        if (!fake_root_dir)
                return;
        snprintf(name, sizeof(name), "proc/%d", pid);
        dir = path_join(fake_root_dir, name);
        remove_tree(dir);
}

static bool process_exists(int pid)
{
        char name[32];
        _cleanup_free_ char *dir = NULL;

        if (!fake_root_dir)
                return false;
        snprintf(name, sizeof(name), "proc/%d", pid);
        dir = path_join(fake_root_dir, name);
        return access(dir, F_OK) == 0;
}
int fake_stubborn_pid;
enum systemd_route fake_route;
int fake_route_result;
bool fake_graphical;
int fake_isolate_result, fake_stop_result, fake_kexec_result, fake_kexec_forced_result;
unsigned fake_start_timeouts[8];
size_t fake_n_starts;
char **fake_inhibitors;

const char *fake_signal_at;
int fake_signal;

static struct fake_call *record_args(const char *what, const char *args)
{
        struct fake_call *c = record(what);
        char step[sizeof(c->what) + sizeof(c->cmdline) + 1];

        snprintf(c->cmdline, sizeof(c->cmdline), "%s", args);
        snprintf(step, sizeof(step), "%s %s", what, args);
        if (fake_signal_at && streq(step, fake_signal_at))
                raise(fake_signal);
        return c;
}

static int fake_module_remove(const char *name)
{
        record_args("rmmod", name);
        return fake_busy_module && streq(name, fake_busy_module) ? -EBUSY : 0;
}

static int fake_module_insert(const char *name)
{
        record_args("insmod", name);
        return fake_uninsertable_module && streq(name, fake_uninsertable_module) ? -ENOENT : 0;
}

/* kill(-1, sig) in the fixture: every process with a cmdline ends, but a stubborn one at
 * SIGTERM; kernel threads (empty cmdline) stay. */
static bool ends_at_kill_all(const char *dir, int pid, const void *sig)
{
        _cleanup_free_ char *cmdline = path_join(dir, "cmdline");
        struct stat st;

        if (pid <= 1 || (*(const int *)sig != 9 && pid == fake_stubborn_pid))
                return false;
        return cmdline && stat(cmdline, &st) == 0 && st.st_size > 0;
}

static int fake_kill(int pid, int sig)
{
        char args[64];

        snprintf(args, sizeof(args), "%d %d", pid, sig);
        record_args("kill", args);
        if (pid == -1)
                end_processes_where(ends_at_kill_all, &sig);
        else if (pid > 0 && (sig == 9 || pid != fake_stubborn_pid))
                end_process(pid);
        return 0;
}

static bool fake_alive(int pid)
{
        return process_exists(pid);
}

unsigned fake_slept_ms;

static void fake_sleep_ms(unsigned ms)
{
        fake_slept_ms += ms;
}

static int fake_remount_ro(const char *path)
{
        record_args("remount", path);
        return fake_busy_mount && streq(path, fake_busy_mount) ? -EBUSY : 0;
}

const char *fake_failing_file;
int fake_file_result;

/* The boot loaders' files: the change is made in the fixture, unless fake_failing_file
 * names the step ("remove LoaderEntryOneShot-...", "create ...", "replace grubenv"). */
static int file_step(const char *what, const char *name)
{
        char step[512];

        record_args(what, name);
        snprintf(step, sizeof(step), "%s %s", what, name);
        return fake_failing_file && streq(step, fake_failing_file) ? fake_file_result : 0;
}

static int fake_replace_file(int dir_fd, const char *name, const void *data, size_t len)
{
        int err = file_step("replace", name);
        return err < 0 ? err : fileops_replace(dir_fd, name, data, len);
}

static int fake_create_file(int dir_fd, const char *name, const void *data, size_t len)
{
        int err = file_step("create", name);
        return err < 0 ? err : fileops_create(dir_fd, name, data, len);
}

static int fake_remove_file(int dir_fd, const char *name)
{
        int err;

        if (streq(name, "journal") && !fake_trace_journal)
                return fileops_remove(dir_fd, name);
        err = file_step("remove", name);
        return err < 0 ? err : fileops_remove(dir_fd, name);
}

bool fake_trace_journal;

/* The run journal's last line: the step warmboot is about to take. */
static void record_journal(const char *data, size_t len)
{
        char last[512] = "";
        size_t end = len, start;

        while (end > 0 && data[end - 1] == '\n')
                end--;
        for (start = end; start > 0 && data[start - 1] != '\n'; start--)
                ;
        snprintf(last, sizeof(last), "%.*s", (int)(end - start), data + start);
        record_args("journal", last);
}

static int fake_write_private_file(int parent_fd, const char *dir, const char *name,
                                   const void *data, size_t len)
{
        int err;

        if (streq(name, "journal") && fake_trace_journal)
                record_journal(data, len);
        if (streq(name, "journal") &&
            !(fake_failing_file && streq(fake_failing_file, "write journal")))
                return fileops_write_private(parent_fd, dir, name, data, len);
        err = file_step("write", name);
        return err < 0 ? err : fileops_write_private(parent_fd, dir, name, data, len);
}

int fake_watchdog_open_result, fake_watchdog_timeout_set, fake_watchdog_settimeout_result;
int fake_watchdog_disable_result;
unsigned fake_watchdog_options;

/* The one descriptor the fake watchdog hands out. */
#define FAKE_WATCHDOG_FD 1000

static int fake_watchdog_open(const struct root *r, const char *device)
{
        record_args("wdt-open", device);
        return fake_watchdog_open_result < 0 ? fake_watchdog_open_result : FAKE_WATCHDOG_FD;
}

static int fake_watchdog_ioctl(int fd, unsigned long request, void *arg)
{
        char args[64];

        if (fd != FAKE_WATCHDOG_FD)
                return -EBADF;
        switch (request) {
        case WDIOC_GETSUPPORT:
                record_args("wdt-ioctl", "GETSUPPORT");
                *(struct watchdog_info *)arg =
                        (struct watchdog_info){.options = fake_watchdog_options};
                return 0;
        case WDIOC_SETTIMEOUT:
                snprintf(args, sizeof(args), "SETTIMEOUT %d", *(int *)arg);
                record_args("wdt-ioctl", args);
                if (fake_watchdog_settimeout_result < 0)
                        return fake_watchdog_settimeout_result;
                if (fake_watchdog_timeout_set)
                        *(int *)arg = fake_watchdog_timeout_set;
                return 0;
        case WDIOC_KEEPALIVE:
                record_args("wdt-ioctl", "KEEPALIVE");
                return 0;
        case WDIOC_SETOPTIONS:
                snprintf(args, sizeof(args), "SETOPTIONS 0x%x", *(unsigned *)arg);
                record_args("wdt-ioctl", args);
                return fake_watchdog_disable_result;
        default:
                record_args("wdt-ioctl", "unknown");
                return -ENOTTY;
        }
}

static int fake_watchdog_write(int fd, const void *data, size_t len)
{
        char args[64];
        size_t n = 0;

        /* A newline shows as \n, so that the trace stays on one line. */
        for (size_t i = 0; i < len && n + 3 < sizeof(args); i++) {
                const char c = ((const char *)data)[i];
                if (c == '\n') {
                        args[n++] = '\\';
                        args[n++] = 'n';
                } else
                        args[n++] = c;
        }
        args[n] = 0;
        record_args("wdt-write", args);
        return fd == FAKE_WATCHDOG_FD ? 0 : -EBADF;
}

static int fake_watchdog_close(int fd)
{
        record("wdt-close");
        return fd == FAKE_WATCHDOG_FD ? 0 : -EBADF;
}

static int fake_manager_route(enum systemd_route *ret, char **ret_error)
{
        if (fake_route_result < 0) {
                if (ret_error)
                        *ret_error = strdup("cannot connect to the system bus (No such file or "
                                            "directory) nor to systemd's private socket "
                                            "/run/systemd/private (Connection refused)");
                return fake_route_result;
        }
        *ret = fake_route;
        return 0;
}

static int fake_unit_active(const char *unit, bool *ret)
{
        *ret = fake_graphical && streq(unit, "graphical.target");
        return 0;
}

static int fake_start_unit(const char *unit, const char *mode, unsigned timeout_sec,
                           char **ret_error)
{
        char args[512];

        snprintf(args, sizeof(args), "%s %s", unit, mode);
        record_args("start", args);
        if (fake_n_starts < ELEMENTSOF(fake_start_timeouts))
                fake_start_timeouts[fake_n_starts++] = timeout_sec;
        if (streq(mode, "isolate") && fake_isolate_result < 0) {
                if (ret_error)
                        *ret_error = strdup("the job ended with result \"timeout\"");
                return fake_isolate_result;
        }
        if (streq(mode, "isolate") && !streq(unit, "graphical.target")) {
                end_processes_in("session-");
                end_processes_in("user@"); /* the user's manager ends with the last session */
                end_processes_in("gdm.service");
                end_processes_in("display"); /* units only graphical.target pulls in */
        }
        return 0;
}

static int fake_stop_unit(const char *unit, unsigned timeout_sec, char **ret_error)
{
        record_args("stop", unit);
        if (fake_stop_result >= 0)
                end_processes_in(unit);
        if (fake_stop_result < 0 && ret_error)
                *ret_error = strdup("the job ended with result \"failed\"");
        return fake_stop_result;
}

/* Display units are pulled in by graphical.target alone; everything else by multi-user. */
static int fake_unit_pulled_by(const char *unit, char ***ret)
{
        char *graphical[] = {(char *)"graphical.target", NULL};
        char *multi_user[] = {(char *)"multi-user.target", NULL};

        *ret = strv_copy(strstr(unit, "display") ? graphical : multi_user);
        return *ret ? 0 : -ENOMEM;
}

static int fake_shutdown_inhibitors(char ***ret)
{
        *ret = strv_copy(fake_inhibitors);
        return *ret ? 0 : -ENOMEM;
}

static int fake_start_kexec(char **ret_error)
{
        record("kexec.target");
        if (fake_kexec_result < 0 && ret_error)
                *ret_error = strdup("Transaction is destructive.");
        return fake_kexec_result;
}

/* What systemctl --force kexec asks: PID 1 goes down at once, nothing is signalled here. */
static int fake_kexec_forced(char **ret_error)
{
        record("KExec");
        if (fake_kexec_forced_result < 0 && ret_error)
                *ret_error = strdup("Access denied");
        return fake_kexec_forced_result;
}

uint64_t fake_runtime_watchdog_usec, fake_kexec_watchdog_usec;
int fake_start_reboot_result;

static int fake_start_reboot(char **ret_error)
{
        record("start reboot.target");
        if (fake_start_reboot_result < 0 && ret_error)
                *ret_error = strdup("Access denied");
        return fake_start_reboot_result;
}

static int fake_manager_usec(const char *property, uint64_t *ret)
{
        if (streq(property, "RuntimeWatchdogUSec"))
                *ret = fake_runtime_watchdog_usec;
        else if (streq(property, "KExecWatchdogUSec"))
                *ret = fake_kexec_watchdog_usec;
        else
                return -ENOENT;
        return 0;
}

static int fake_set_manager_usec(const char *property, uint64_t usec, char **ret_error)
{
        char args[128];

        snprintf(args, sizeof(args), "%s %" PRIu64, property, usec);
        record_args("set", args);
        if (streq(property, "KExecWatchdogUSec"))
                fake_kexec_watchdog_usec = usec;
        return 0;
}

char fake_journal_message[1024];

static int fake_journal_send(const char *message_id, int priority, const char *message,
                             const char *trial_id)
{
        record_args("journal", message_id);
        snprintf(fake_journal_message, sizeof(fake_journal_message), "%d %s", priority, message);
        return 0;
}

static const struct systemd_ops fake_systemd_ops = {
        .manager_route = fake_manager_route,
        .unit_active = fake_unit_active,
        .start_unit = fake_start_unit,
        .stop_unit = fake_stop_unit,
        .unit_pulled_by = fake_unit_pulled_by,
        .shutdown_inhibitors = fake_shutdown_inhibitors,
        .start_kexec = fake_start_kexec,
        .kexec_forced = fake_kexec_forced,
        .start_reboot = fake_start_reboot,
        .manager_usec = fake_manager_usec,
        .set_manager_usec = fake_set_manager_usec,
        .journal_send = fake_journal_send,
};

const struct systemd_ops *systemd = &fake_systemd_ops;

char *fake_trace(void)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);

        for (size_t i = 0; i < fake_n_calls; i++) {
                const struct fake_call *c = &fake_calls[i];
                bool args = streq(c->what, "rmmod") || streq(c->what, "insmod") ||
                            streq(c->what, "kill") || streq(c->what, "start") ||
                            streq(c->what, "stop") || streq(c->what, "remount") ||
                            streq(c->what, "replace") || streq(c->what, "create") ||
                            streq(c->what, "remove") || streq(c->what, "write") ||
                            streq(c->what, "wdt-open") || streq(c->what, "wdt-ioctl") ||
                            streq(c->what, "wdt-write") || streq(c->what, "set") ||
                            streq(c->what, "journal");
                fprintf(f, "%s%s%s%s", i ? "|" : "", c->what, args ? " " : "",
                        args ? c->cmdline : "");
        }
        fclose(f);
        return out;
}

static const struct sys_ops fake_ops = {
        .kexec_file_load = fake_kexec_file_load,
        .reboot_kexec = fake_reboot_kexec,
        .sync = fake_sync,
        .can_boot = fake_can_boot_fn,
        .module_remove = fake_module_remove,
        .module_insert = fake_module_insert,
        .kill = fake_kill,
        .alive = fake_alive,
        .sleep_ms = fake_sleep_ms,
        .remount_ro = fake_remount_ro,
        .replace_file = fake_replace_file,
        .create_file = fake_create_file,
        .remove_file = fake_remove_file,
        .write_private_file = fake_write_private_file,
        .watchdog_open = fake_watchdog_open,
        .watchdog_ioctl = fake_watchdog_ioctl,
        .watchdog_write = fake_watchdog_write,
        .watchdog_close = fake_watchdog_close,
};

/* Test binaries do not link src/sys.c: this is the only seam they have. */
const struct sys_ops *sys = &fake_ops;

void fake_reset(void)
{
        fake_n_calls = 0;
        fake_load_result = 0;
        fake_reboot_result = -EINVAL;
        fake_can_boot = true;
        fake_busy_module = fake_uninsertable_module = fake_busy_mount = NULL;
        fake_stubborn_pid = 0;
        fake_graphical = false;
        fake_route = SYSTEMD_ROUTE_BUS;
        fake_route_result = 0;
        fake_isolate_result = fake_stop_result = fake_kexec_result = fake_kexec_forced_result = 0;
        fake_n_starts = 0;
        fake_inhibitors = NULL;
        fake_root_dir = NULL;
        fake_signal_at = NULL;
        fake_signal = 0;
        fake_slept_ms = 0;
        fake_failing_file = NULL;
        fake_file_result = -EROFS;
        fake_trace_journal = false;
        fake_watchdog_open_result = fake_watchdog_timeout_set = 0;
        fake_watchdog_settimeout_result = fake_watchdog_disable_result = 0;
        fake_watchdog_options = WDIOF_SETTIMEOUT | WDIOF_KEEPALIVEPING | WDIOF_MAGICCLOSE;
        fake_runtime_watchdog_usec = fake_kexec_watchdog_usec = 0;
        fake_start_reboot_result = 0;
        fake_journal_message[0] = 0;
        signals_reset();
}

void fake_install(void)
{
        fake_reset();
}

extern char **environ;

struct program_result program_run(char *const *argv)
{
        char out_path[] = "/tmp/warmboot-test-out-XXXXXX",
             err_path[] = "/tmp/warmboot-test-err-XXXXXX";
        int st = 0, fo = mkstemp(out_path), fe = mkstemp(err_path);
        posix_spawn_file_actions_t fa;
        struct program_result r = {.status = -1};
        pid_t pid;

        if (fo < 0 || fe < 0)
                return r;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, fo, 1);
        posix_spawn_file_actions_adddup2(&fa, fe, 2);
        if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) == 0 &&
            waitpid(pid, &st, 0) == pid)
                r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        posix_spawn_file_actions_destroy(&fa);
        close(fo);
        close(fe);
        r.out = fixture_read(out_path);
        r.err = fixture_read(err_path);
        unlink(out_path);
        unlink(err_path);
        return r;
}

void program_result_done(struct program_result *r)
{
        free(r->out);
        free(r->err);
        *r = (struct program_result){};
}

/* Runs verb with the descriptor fd (stdout or stderr) caught in *ret. */
static int verb_capturing(int (*verb)(const struct verb_context *), const struct verb_context *c,
                          int fd, FILE *stream, char **ret)
{
        FILE *f = tmpfile();
        int saved = dup(fd), code;
        long len;

        if (!f || saved < 0)
                abort();
        fflush(stream);
        (void)dup2(fileno(f), fd);
        code = verb(c);
        fflush(stream);
        (void)dup2(saved, fd);
        close(saved);
        len = ftell(f);
        *ret = calloc(1, (size_t)len + 1);
        rewind(f);
        if (!*ret || fread(*ret, 1, (size_t)len, f) != (size_t)len)
                abort(); /* a test that cannot read back what it caught cannot go on */
        fclose(f);
        return code;
}

int verb_capturing_stderr(int (*verb)(const struct verb_context *), const struct verb_context *c,
                          char **ret_err)
{
        return verb_capturing(verb, c, STDERR_FILENO, stderr, ret_err);
}

int verb_capturing_stdout(int (*verb)(const struct verb_context *), const struct verb_context *c,
                          char **ret_out)
{
        return verb_capturing(verb, c, STDOUT_FILENO, stdout, ret_out);
}

void fixture_overlay(const char *dir, const char *name, const char *sub)
{
        _cleanup_free_ char *from = strdup_printf("%s/%s/%s", FIXTURE_DIR, name, sub);
        _cleanup_free_ char *to = path_join(dir, sub);

        (void)mkdir(to, 0755);
        copy_tree(from, to);
}

void assert_trial_cmdline(const char *got, const char *want)
{
        const char *rest;
        _cleanup_free_ char *head = strdup_printf("%s%s " TRIAL_PARAM "=", want,
                                                  strstr(want, "panic=") ? "" : " panic=10");

        rest = got ? startswith(got, head) : NULL;
        if (!rest || !trial_id_valid(rest)) {
                print_error(" got: %s\nwant: %sID\n", got ? got : "(null)", head);
                fail();
        }
}
