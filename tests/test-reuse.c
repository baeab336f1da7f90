/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A kernel loaded ahead with `warmboot load`, and `warmboot reboot` using it again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "load-record-file.h"
#include "load-record.h"
#include "reuse.h"
#include "syscalls.h"
#include "testlib.h"
#include "util.h"
#include "verbs.h"

#define BOOT_ID "5e1f0c2a-7b3d-4c8e-9f10-2a3b4c5d6e7f"
#define UCODE "/boot/intel-ucode.img"
#define UCODE_SHA256 "45b9e8c082cccf6a2e6452f3a2b5d1df4ab83e12da36b9f7b8fc4c4e80aa7d9d"

struct env {
        char *dir;
        char *initrds[3];
        struct verb_context ctx;
};

/* The debian machine with a boot_id, microcode before its initrd, and nothing loaded. */
static struct env *env_new(void)
{
        struct env *e = calloc(1, sizeof(*e));

        fake_install();
        e->dir = fixture_materialise("debian");
        fixture_write(e->dir, "proc/sys/kernel/random/boot_id", BOOT_ID "\n");
        fixture_write(e->dir, "sys/kernel/kexec_loaded", "0\n");
        fixture_write(e->dir, "boot/intel-ucode.img", "UCODE|");
        assert_int_equal(root_new(e->dir, &e->ctx.root), 0);
        e->initrds[0] = (char *)UCODE;
        e->initrds[1] = (char *)"/boot/initrd.img-6.1.0-28-amd64";
        e->ctx.options.initrds = e->initrds;
        e->ctx.quiet = true;
        return e;
}

static void env_free(struct env *e)
{
        root_free(e->ctx.root);
        fixture_remove(e->dir);
        free(e);
}

static char *in_tree(struct env *e, const char *path)
{
        return path_join(e->dir, path);
}

/* warmboot load, then the kernel waits in memory as it would on a real machine. */
static void load_ahead(struct env *e)
{
        assert_int_equal(verb_load(&e->ctx), EXIT_OK);
        fixture_write(e->dir, "sys/kernel/kexec_loaded", "1\n");
        fake_n_calls = 0;
}

static void assert_trace(const char *want)
{
        _cleanup_free_ char *got = fake_trace();
        if (!streq(got, want)) {
                print_error(" got: %s\nwant: %s\n", got, want);
                fail();
        }
}

/* What reboot would decide now: the reason it would say. */
static char *decide(struct env *e, bool *ret_reuse, char **ret_warning)
{
        _cleanup_(plan_done) struct plan p = {};
        struct plan_options o = e->ctx.options;
        struct reuse_verdict v = {};
        char *why;

        o.prepare = true;
        assert_int_equal(plan_build(e->ctx.root, &o, &p), 0);
        assert_int_equal(reuse_decide(e->ctx.root, &p, &e->ctx.options, &v), 0);
        *ret_reuse = v.reuse;
        if (ret_warning)
                *ret_warning = v.warning ? strdup(v.warning) : NULL;
        else
                assert_null(v.warning);
        why = strdup(v.why);
        reuse_verdict_done(&v);
        return why;
}

/* reboot loads afresh, saying a reason that contains want. */
static void assert_afresh(struct env *e, const char *want)
{
        bool reuse = true;
        _cleanup_free_ char *why = decide(e, &reuse, NULL);

        if (reuse || !strstr(why, want)) {
                print_error("reuse %d, said '%s', want '%s'\n", reuse, why, want);
                fail();
        }
}

static void test_load_writes_the_record(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *dir = in_tree(e, LOAD_RECORD_PARENT "/" LOAD_RECORD_DIRNAME);
        _cleanup_free_ char *file = in_tree(e, LOAD_RECORD_PATH);
        _cleanup_free_ char *text = NULL;
        struct load_record rec = {};
        struct stat st;

        /* A permissive umask must not widen the record. */
        mode_t old = umask(0);
        assert_int_equal(verb_load(&e->ctx), EXIT_OK);
        umask(old);
        assert_int_equal(stat(dir, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0700);
        assert_int_equal(stat(file, &st), 0);
        assert_true(S_ISREG(st.st_mode));
        assert_int_equal(st.st_mode & 07777, 0600);

        text = fixture_read(file);
        assert_non_null(text);
        assert_true(startswith(text, "warmboot-load-record 2\n"));
        assert_int_equal(load_record_parse(text, &rec), 0);
        assert_string_equal(rec.boot_id, BOOT_ID);
        assert_string_equal(rec.cmdline, fake_calls[0].cmdline);
        assert_string_equal(rec.options,
                            "--initrd='" UCODE "' --initrd='/boot/initrd.img-6.1.0-28-amd64'");
        assert_int_equal(rec.n_files, 3);
        assert_string_equal(rec.files[0].path, "/boot/vmlinuz-6.1.0-28-amd64");
        assert_string_equal(rec.files[1].path, UCODE);
        assert_string_equal(rec.files[1].sha256, UCODE_SHA256);
        assert_int_equal(rec.files[1].size, 6);
        _cleanup_free_ char *ucode = in_tree(e, UCODE);
        assert_int_equal(stat(ucode, &st), 0);
        assert_int_equal(rec.files[1].ino, st.st_ino);
        assert_int_equal(rec.files[1].mtime_ns,
                         (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec);
        assert_int_equal(rec.files[1].ctime_ns,
                         (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec);
        assert_true(rec.time > 1700000000);
        load_record_done(&rec);
        env_free(e);
}

/* The files are read beside the load; when the load fails, no record says it succeeded. */
static void test_failed_load_leaves_no_record(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *file = in_tree(e, LOAD_RECORD_PATH);
        _cleanup_free_ char *err = NULL;

        fake_load_result = -ENOEXEC;
        assert_int_equal(verb_capturing_stderr(verb_load, &e->ctx, &err), EXIT_FAILED);
        assert_trace("kexec_file_load");
        assert_int_equal(access(file, F_OK), -1);
        assert_int_equal(errno, ENOENT);
        env_free(e);
}

/* A failed load stops the hashing of the files at once: an initrd of a gigabyte or more
 * must not keep the user waiting for the error. */
static void test_stopped_hash_gives_up(void **state)
{
        struct env *e = env_new();
        struct load_record_file f = {};
        atomic_bool stop;

        atomic_init(&stop, true);
        assert_int_equal(load_record_file_read(e->ctx.root, UCODE, true, &stop, &f), -ECANCELED);
        atomic_store(&stop, false);
        assert_int_equal(load_record_file_read(e->ctx.root, UCODE, true, &stop, &f), 0);
        assert_string_equal(f.sha256, UCODE_SHA256);
        free(f.path);
        env_free(e);
}

/* The kernel is loaded all the same; the next reboot loads it again. */
static void test_unwritable_record_only_warns(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *err = NULL;

        fake_failing_file = "write load-record";
        fake_file_result = -EROFS;
        assert_int_equal(verb_capturing_stderr(verb_load, &e->ctx, &err), EXIT_OK);
        assert_trace("kexec_file_load|write load-record");
        assert_non_null(strstr(err, "the kernel is loaded, but /run/warmboot/load-record could "
                                    "not be written (Read-only file system)"));
        fixture_write(e->dir, "sys/kernel/kexec_loaded", "1\n");
        assert_afresh(e, "no kernel was loaded ahead");
        env_free(e);
}

/* load, with its warnings in *ret_err: the kernel loads either way. */
static void load_saying(struct env *e, char **ret_err)
{
        e->ctx.quiet = false;
        assert_int_equal(verb_capturing_stderr(verb_load, &e->ctx, ret_err), EXIT_OK);
        e->ctx.quiet = true;
}

/* A /run/warmboot open to others may hold what they put there: nothing is written in it,
 * and the user is told why. */
static void test_load_refuses_an_open_directory(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *dir = in_tree(e, LOAD_RECORD_PARENT "/" LOAD_RECORD_DIRNAME);
        _cleanup_free_ char *file = in_tree(e, LOAD_RECORD_PATH);
        _cleanup_free_ char *err = NULL, *want = NULL;
        struct stat st;

        assert_int_equal(mkdir(dir, 0700), 0);
        assert_int_equal(chmod(dir, 0777), 0);
        load_saying(e, &err);
        want = strdup_printf("warmboot: warning: the kernel is loaded, but " LOAD_RECORD_PATH
                             " could not be written (/run/warmboot is not root's alone (owner "
                             "%u, mode 0777): warmboot writes nothing in it; make it root's, "
                             "mode 0700, or remove it): 'warmboot reboot' will load it again\n",
                             (unsigned)geteuid());
        assert_non_null(strstr(err, want));
        assert_int_equal(stat(dir, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0777);
        assert_int_equal(lstat(file, &st), -1);
        env_free(e);
}

/* /run/warmboot as a link: not followed, nothing written where it points. */
static void test_load_refuses_a_linked_directory(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *dir = in_tree(e, LOAD_RECORD_PARENT "/" LOAD_RECORD_DIRNAME);
        _cleanup_free_ char *elsewhere = in_tree(e, "srv");
        _cleanup_free_ char *err = NULL;
        _cleanup_strv_free_ char **names = NULL;

        assert_int_equal(mkdir(elsewhere, 0700), 0);
        assert_int_equal(symlink("/srv", dir), 0);
        load_saying(e, &err);
        assert_non_null(strstr(err, "(/run/warmboot is a symbolic link: warmboot keeps its state "
                                    "only in a directory of its own, and writes nothing through "
                                    "it)"));
        assert_int_equal(root_list_dir(e->ctx.root, "/srv", &names), 0);
        assert_null(names[0]);
        env_free(e);
}

/* A link planted as /run/warmboot/load-record is replaced by the record, its target left as
 * it was. */
static void test_load_replaces_a_planted_link(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *dir = in_tree(e, LOAD_RECORD_PARENT "/" LOAD_RECORD_DIRNAME);
        _cleanup_free_ char *file = in_tree(e, LOAD_RECORD_PATH);
        _cleanup_free_ char *victim = in_tree(e, "etc/victim"), *text = NULL;
        struct stat st;

        fixture_write(e->dir, "etc/victim", "root's own\n");
        assert_int_equal(mkdir(dir, 0700), 0);
        assert_int_equal(symlink("/etc/victim", file), 0);
        assert_int_equal(verb_load(&e->ctx), EXIT_OK);
        text = fixture_read(victim);
        assert_string_equal(text, "root's own\n");
        assert_int_equal(lstat(file, &st), 0);
        assert_true(S_ISREG(st.st_mode));
        assert_int_equal(st.st_mode & 07777, 0600);
        env_free(e);
}

static void test_reboot_uses_the_kernel_loaded_ahead(void **state)
{
        struct env *e = env_new();
        bool reuse = false;
        _cleanup_free_ char *why = NULL;
        _cleanup_free_ char *err = NULL;
        _cleanup_free_ char *file = NULL;

        load_ahead(e);
        why = decide(e, &reuse, NULL);
        assert_true(reuse);
        assert_true(startswith(why, "using the kernel loaded at "));
        assert_true(endswith(why, " (warmboot load)"));
        /* No second load: straight to the hand-over, and no warning that a load would
         * replace the kernel waiting in memory: it is the one booted. */
        assert_int_equal(verb_capturing_stderr(verb_reboot, &e->ctx, &err), EXIT_OK);
        assert_trace("write last-reboot|kexec.target");
        if (strstr(err, "already loaded")) {
                print_error("warned: %s\n", err);
                fail();
        }
        file = in_tree(e, LOAD_RECORD_PATH);
        assert_true(access(file, F_OK) == 0);
        env_free(e);
}

static void test_without_record_reboot_loads(void **state)
{
        struct env *e = env_new();

        fixture_write(e->dir, "sys/kernel/kexec_loaded", "1\n");
        assert_afresh(e, "no kernel was loaded ahead with 'warmboot load'");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|write load-record|write last-reboot|kexec.target");
        env_free(e);
}

static void test_changed_size_loads_afresh(void **state)
{
        struct env *e = env_new();

        load_ahead(e);
        fixture_write(e->dir, "boot/intel-ucode.img", "UCODE|v2|");
        assert_afresh(e, UCODE " has changed since it was loaded");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|write load-record|write last-reboot|kexec.target");
        env_free(e);
}

/* Sets the file's modification time to t seconds. */
static void set_mtime(struct env *e, const char *path, time_t t)
{
        _cleanup_free_ char *p = in_tree(e, path);
        struct timespec ts[2] = {{t, 0}, {t, 0}};

        assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
}

static void test_changed_mtime_loads_afresh(void **state)
{
        struct env *e = env_new();

        set_mtime(e, UCODE, 1700000000);
        load_ahead(e);
        set_mtime(e, UCODE, 1700000001);
        assert_afresh(e, UCODE " has changed since it was loaded");
        env_free(e);
}

/* The same size and modification time, other bytes: the change time tells, which the write
 * moved and nothing can set back. */
static void test_changed_content_loads_afresh(void **state)
{
        struct env *e = env_new();

        set_mtime(e, UCODE, 1700000000);
        load_ahead(e);
        fixture_write(e->dir, "boot/intel-ucode.img", "UCODE!");
        set_mtime(e, UCODE, 1700000000);
        assert_afresh(e, UCODE " has changed since it was loaded");
        env_free(e);
}

static void test_other_cmdline_loads_afresh(void **state)
{
        struct env *e = env_new();

        load_ahead(e);
        /* The running command line the new one is made from has changed. */
        fixture_write(e->dir, "proc/cmdline",
                      "BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=/dev/sda2 ro quiet\n");
        assert_afresh(e, "the loaded kernel has another command line");
        env_free(e);
}

static void test_other_options_load_afresh(void **state)
{
        struct env *e = env_new();
        char *append[] = {(char *)"nomodeset", NULL};

        load_ahead(e);
        e->ctx.options.append = append;
        assert_afresh(e, "the loaded kernel was chosen with other options (--initrd='" UCODE);
        env_free(e);
}

static void test_other_boot_loads_afresh(void **state)
{
        struct env *e = env_new();

        load_ahead(e);
        fixture_write(e->dir, "proc/sys/kernel/random/boot_id",
                      "00000000-1111-2222-3333-444444444444\n");
        assert_afresh(e, "the load record is from another boot");
        env_free(e);
}

static void test_nothing_loaded_loads_afresh(void **state)
{
        struct env *e = env_new();

        load_ahead(e);
        fixture_write(e->dir, "sys/kernel/kexec_loaded", "0\n");
        assert_afresh(e, "is no longer loaded");
        env_free(e);
}

/* A record warmboot cannot trust: ignored with one warning naming the file. */
/* reboot then loads afresh; the new record is written unless its directory is refused. */
static void assert_ignored_then(struct env *e, const char *warning, const char *trace)
{
        bool reuse = true;
        _cleanup_free_ char *said = NULL;
        _cleanup_free_ char *why = decide(e, &reuse, &said);

        assert_false(reuse);
        assert_non_null(strstr(why, "the load record cannot be used: loading the kernel afresh"));
        assert_non_null(said);
        if (!strstr(said, warning)) {
                print_error("warned '%s', want '%s'\n", said, warning);
                fail();
        }
        assert_null(strchr(said, '\n'));
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace(trace);
}

static void assert_ignored(struct env *e, const char *warning)
{
        assert_ignored_then(e, warning,
                            "kexec_file_load|write load-record|write last-reboot|kexec.target");
}

static void test_record_open_to_others_is_ignored(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *file = in_tree(e, LOAD_RECORD_PATH);

        load_ahead(e);
        assert_int_equal(chmod(file, 0644), 0);
        assert_ignored(e, LOAD_RECORD_PATH " is not a file root's alone (owner ");
        env_free(e);
}

static void test_directory_open_to_others_is_ignored(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *dir = in_tree(e, LOAD_RECORD_PARENT "/" LOAD_RECORD_DIRNAME);

        _cleanup_free_ char *said = NULL, *why = NULL;
        bool reuse = true;

        load_ahead(e);
        assert_int_equal(chmod(dir, 0755), 0);
        why = decide(e, &reuse, &said);
        assert_false(reuse);
        assert_non_null(strstr(said, "/run/warmboot is not root's alone (owner "));
        /* Nor does reboot keep its journal there: it refuses before changing anything. */
        assert_int_equal(verb_reboot(&e->ctx), EXIT_CHECK);
        assert_trace("");
        env_free(e);
}

static void test_malformed_record_is_ignored(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *file = in_tree(e, LOAD_RECORD_PATH);
        _cleanup_free_ char *text = NULL;
        char *cut;

        load_ahead(e);
        /* Cut short in the middle of a line, as a full disk would leave it. */
        text = fixture_read(file);
        cut = strstr(text, "file=");
        assert_non_null(cut);
        cut[10] = 0;
        fixture_write(e->dir, LOAD_RECORD_PATH, text);
        assert_int_equal(chmod(file, 0600), 0);
        assert_ignored(e, LOAD_RECORD_PATH " is not a valid load record: ignoring it");
        env_free(e);
}

static void test_unload_removes_the_record(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *file = in_tree(e, LOAD_RECORD_PATH);

        load_ahead(e);
        assert_true(access(file, F_OK) == 0);
        assert_int_equal(verb_unload(&e->ctx), EXIT_OK);
        assert_trace("unload|remove load-record");
        assert_true(access(file, F_OK) < 0 && errno == ENOENT);
        /* Nothing left to remove: a second unload only unloads. */
        fake_n_calls = 0;
        assert_int_equal(verb_unload(&e->ctx), EXIT_OK);
        assert_trace("unload");
        env_free(e);
}

static void test_rollback_that_unloads_removes_the_record(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *file = in_tree(e, LOAD_RECORD_PATH);

        load_ahead(e);
        fake_kexec_result = -EPERM;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_trace("write last-reboot|kexec.target|remove last-reboot|unload|remove load-record");
        assert_true(access(file, F_OK) < 0 && errno == ENOENT);
        env_free(e);
}

static void test_load_refused_where_the_machine_needs_preparing(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *err = NULL;
        _cleanup_free_ char *file = in_tree(e, LOAD_RECORD_PATH);

        char *unload[] = {(char *)"virtio_gpu", NULL};

        /* reboot would unload virtio_gpu first. */
        fixture_write(e->dir, "proc/modules",
                      "virtio_gpu 86016 0 - Live 0x0000000000000000\n"
                      "drm 634880 1 virtio_gpu, Live 0x0000000000000000\n");
        e->ctx.options.unload = unload;
        assert_int_equal(verb_capturing_stderr(verb_load, &e->ctx, &err), EXIT_CHECK);
        assert_non_null(strstr(err, "a plain 'systemctl reboot' would kexec it with those "
                                    "drivers still loaded: use 'warmboot reboot'"));
        assert_int_equal(fake_n_calls, 0);
        assert_true(access(file, F_OK) < 0);
        /* --force loads anyway. */
        e->ctx.force = true;
        assert_int_equal(verb_load(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|write load-record");
        env_free(e);
}

/* Runs verb with its standard output in *ret_out; returns stderr. */
static char *verb_capturing(int (*verb)(const struct verb_context *), struct env *e, char **ret_out)
{
        _cleanup_free_ char *out_path = path_join(e->dir, "status.out");
        char *err = NULL;
        int saved = dup(STDOUT_FILENO), fd;

        fflush(stdout);
        fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        assert_true(fd >= 0 && saved >= 0);
        assert_true(dup2(fd, STDOUT_FILENO) >= 0);
        close(fd);
        assert_int_equal(verb_capturing_stderr(verb, &e->ctx, &err), EXIT_OK);
        fflush(stdout);
        assert_true(dup2(saved, STDOUT_FILENO) >= 0);
        close(saved);
        *ret_out = fixture_read(out_path);
        return err;
}

/* A reboot with nothing loaded ahead says nothing about it; one with a kernel loaded ahead
 * says that it uses it. */
static void test_reboot_mentions_the_record_only_when_there_is_one(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *out = NULL, *err = NULL;

        e->ctx.quiet = false;
        err = verb_capturing(verb_reboot, e, &out);
        assert_non_null(out);
        assert_null(strstr(out, "loaded ahead"));
        assert_null(strstr(out, "loading"));
        free(out);
        free(err);
        load_ahead(e);
        e->ctx.quiet = false;
        err = verb_capturing(verb_reboot, e, &out);
        assert_non_null(out);
        assert_non_null(strstr(out, "using the kernel loaded at "));
        env_free(e);
}

static void test_status_shows_the_record_and_warns(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *out = NULL, *err = NULL;

        e->ctx.quiet = false;
        load_ahead(e);
        err = verb_capturing(verb_status, e, &out);
        assert_non_null(out);
        assert_non_null(strstr(out, "From:      /boot/vmlinuz-6.1.0-28-amd64, loaded at "));
        assert_non_null(strstr(out, " by: warmboot load --initrd='" UCODE "' --initrd='/boot/"
                                    "initrd.img-6.1.0-28-amd64'\n"));
        assert_non_null(strstr(err, "a plain 'systemctl reboot' kexecs it"));
        assert_non_null(strstr(err, "SYSTEMCTL_SKIP_AUTO_KEXEC=1"));
        /* Once the kernel is gone (kexec -u, say), neither is said. */
        free(out);
        free(err);
        fixture_write(e->dir, "sys/kernel/kexec_loaded", "0\n");
        err = verb_capturing(verb_status, e, &out);
        assert_non_null(out);
        assert_null(strstr(out, "From:"));
        assert_null(strstr(err, "systemctl reboot"));
        env_free(e);
}

static void test_plan_says_it_would_reuse(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *out = NULL, *err = NULL;

        load_ahead(e);
        e->ctx.json = true;
        err = verb_capturing(verb_plan, e, &out);
        assert_non_null(out);
        assert_non_null(strstr(out, "\"reuse\": true, \"reuse_reason\": \"using the kernel "
                                    "loaded at "));
        assert_non_null(strstr(out, "\"steps\": [\"use the kernel loaded ahead with 'warmboot "
                                    "load'\""));
        /* The loaded check no longer warns that a load would replace that kernel. */
        assert_null(strstr(out, "already loaded"));
        assert_non_null(strstr(out, "loaded ahead with 'warmboot load' is this plan's"));
        env_free(e);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_load_writes_the_record),
                cmocka_unit_test(test_failed_load_leaves_no_record),
                cmocka_unit_test(test_stopped_hash_gives_up),
                cmocka_unit_test(test_unwritable_record_only_warns),
                cmocka_unit_test(test_load_refuses_an_open_directory),
                cmocka_unit_test(test_load_refuses_a_linked_directory),
                cmocka_unit_test(test_load_replaces_a_planted_link),
                cmocka_unit_test(test_reboot_uses_the_kernel_loaded_ahead),
                cmocka_unit_test(test_without_record_reboot_loads),
                cmocka_unit_test(test_changed_size_loads_afresh),
                cmocka_unit_test(test_changed_mtime_loads_afresh),
                cmocka_unit_test(test_changed_content_loads_afresh),
                cmocka_unit_test(test_other_cmdline_loads_afresh),
                cmocka_unit_test(test_other_options_load_afresh),
                cmocka_unit_test(test_other_boot_loads_afresh),
                cmocka_unit_test(test_nothing_loaded_loads_afresh),
                cmocka_unit_test(test_record_open_to_others_is_ignored),
                cmocka_unit_test(test_directory_open_to_others_is_ignored),
                cmocka_unit_test(test_malformed_record_is_ignored),
                cmocka_unit_test(test_unload_removes_the_record),
                cmocka_unit_test(test_rollback_that_unloads_removes_the_record),
                cmocka_unit_test(test_load_refused_where_the_machine_needs_preparing),
                cmocka_unit_test(test_reboot_mentions_the_record_only_when_there_is_one),
                cmocka_unit_test(test_status_shows_the_record_and_warns),
                cmocka_unit_test(test_plan_says_it_would_reuse),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
