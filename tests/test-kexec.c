/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "load.h"
#include "syscalls.h"
#include "testlib.h"
#include "util.h"
#include "verbs.h"

struct env {
        char *dir;
        struct verb_context ctx;
};

static struct env *env_new(const char *fixture)
{
        struct env *e = calloc(1, sizeof(*e));

        fake_install();
        e->dir = fixture_materialise(fixture);
        assert_int_equal(root_new(e->dir, &e->ctx.root), 0);
        e->ctx.quiet = true;
        return e;
}

static void env_free(struct env *e)
{
        root_free(e->ctx.root);
        fixture_remove(e->dir);
        free(e);
}

/* The debian fixture as a machine whose PID 1 is not systemd (sysvinit, a container's own
 * init): warmboot's own shutdown is the hand-over there. */
static struct env *env_without_systemd(void)
{
        struct env *e = env_new("debian");

        fixture_remove(path_join(e->dir, "run/systemd"));
        return e;
}

/* Runs reboot with stderr in *ret_err (caller frees). */
static int reboot_capturing(struct env *e, char **ret_err)
{
        return verb_capturing_stderr(verb_reboot, &e->ctx, ret_err);
}

static void assert_calls(const char *const *want)
{
        size_t n = 0;

        while (want[n])
                n++;
        for (size_t i = 0; i < fake_n_calls && i < n; i++)
                assert_string_equal(fake_calls[i].what, want[i]);
        assert_int_equal(fake_n_calls, n);
}

static void assert_endswith(const char *s, const char *suffix)
{
        if (!endswith(s, suffix)) {
                print_error("'%s' does not end with '%s'\n", s, suffix);
                fail();
        }
}

static void assert_trace(const char *want)
{
        _cleanup_free_ char *got = fake_trace();
        if (!streq(got, want)) {
                print_error(" got: %s\nwant: %s\n", got, want);
                fail();
        }
}

static void test_reboot_now_shuts_down_then_kexecs(void **state)
{
        struct env *e = env_without_systemd();
        char *append[] = {(char *)"warmboot.test=second", NULL};

        e->ctx.options.now = true;
        e->ctx.options.append = append;
        /* The fake reboot returns -EINVAL like a kernel with nothing loaded would: warmboot
         * must report it and take the kernel back out. Writable disk file systems go
         * read-only innermost first; the read-only one and tmpfs/proc are left alone. */
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_trace("kexec_file_load|write last-reboot|kill -1 15|kill -1 9|sync|remount "
                     "/home|remount /boot|"
                     "remount /|sync|reboot|remove last-reboot|unload");
        assert_endswith(fake_calls[0].kernel, "/boot/vmlinuz-6.1.0-28-amd64");
        assert_endswith(fake_calls[0].initrd, "/boot/initrd.img-6.1.0-28-amd64");
        assert_trial_cmdline(fake_calls[0].cmdline,
                             "root=UUID=5b1f2c3e-8d4a-4f6b-9c1d-2e3f4a5b6c7d ro quiet "
                             "warmboot.test=second");
        assert_int_equal(fake_calls[0].flags, 0);
        env_free(e);
}

/* A process of the fixture with an argv, NUL-separated as in a real /proc. */
static void add_process(struct env *e, int pid, const char *argv0, const char *argv1)
{
        char rel[64];
        _cleanup_free_ char *path = NULL;
        FILE *f;

        snprintf(rel, sizeof(rel), "proc/%d/cmdline", pid);
        fixture_write(e->dir, rel, "");
        path = path_join(e->dir, rel);
        f = fopen(path, "we");
        assert_non_null(f);
        fprintf(f, "%s%c%s%c", argv0, 0, argv1, 0);
        fclose(f);
}

static void test_direct_shutdown_gives_processes_the_grace_period(void **state)
{
        struct env *e = env_without_systemd();

        /* A database that takes its time over SIGTERM: warmboot waits the whole grace
         * period (5 s) before SIGKILL; a kernel thread (empty cmdline) is not waited for. */
        fake_root_dir = e->dir;
        fixture_write(e->dir, "proc/2/cmdline", "");
        add_process(e, 300, "postgres", "-D/var/lib/postgresql");
        fake_stubborn_pid = 300;
        e->ctx.options.now = true;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_trace("kexec_file_load|write last-reboot|kill -1 15|kill -1 9|sync|remount "
                     "/home|remount /boot|"
                     "remount /|sync|reboot|remove last-reboot|unload");
        assert_int_equal(fake_slept_ms, 5000);
        env_free(e);
}

static void test_direct_shutdown_goes_on_once_processes_ended(void **state)
{
        struct env *e = env_without_systemd();

        /* Everything ends at SIGTERM: no waiting. */
        fake_root_dir = e->dir;
        fixture_write(e->dir, "proc/2/cmdline", "");
        add_process(e, 300, "postgres", "-D/var/lib/postgresql");
        e->ctx.options.now = true;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_int_equal(fake_slept_ms, 0);
        env_free(e);
}

static void test_busy_file_system_stops_the_handover(void **state)
{
        struct env *e = env_without_systemd();
        _cleanup_free_ char *err = NULL;

        /* A file system that cannot go read-only is fatal: no kexec, the kernel unloaded. */
        e->ctx.options.now = true;
        fake_busy_mount = "/boot";
        assert_int_equal(reboot_capturing(e, &err), EXIT_FAILED);
        assert_trace("kexec_file_load|write last-reboot|kill -1 15|kill -1 9|sync|remount "
                     "/home|remount /boot|remove last-reboot|unload");
        /* Every process is gone by then: nothing to restore, nothing to pretend. */
        assert_non_null(strstr(err, "cannot make /boot read-only (Device or resource busy)"));
        assert_non_null(strstr(err, "every process has been ended"));
        assert_non_null(strstr(err, "reboot it the usual way"));
        assert_null(strstr(err, "runs as before"));
        assert_null(strstr(err, "restored:"));
        env_free(e);
}

static void test_refused_jump_after_the_shutdown_says_processes_ended(void **state)
{
        struct env *e = env_without_systemd();
        _cleanup_free_ char *err = NULL;

        /* The kernel refuses the jump itself, after the processes were ended. */
        e->ctx.options.now = true;
        assert_int_equal(reboot_capturing(e, &err), EXIT_FAILED);
        assert_trace("kexec_file_load|write last-reboot|kill -1 15|kill -1 9|sync|remount "
                     "/home|remount /boot|"
                     "remount /|sync|reboot|remove last-reboot|unload");
        assert_non_null(strstr(err, "unloaded the new kernel"));
        assert_non_null(strstr(err, "reboot it the usual way"));
        assert_null(strstr(err, "runs as before"));
        env_free(e);
}

static void test_now_with_systemd_is_its_forced_kexec(void **state)
{
        struct env *e = env_new("debian"); /* systemd is PID 1 */
        _cleanup_free_ char *err = NULL;

        /* warmboot's own shutdown would race PID 1, which starts again what has Restart=:
         * the manager's KExec() instead, and no process is signalled here. */
        e->ctx.options.now = true;
        fake_root_dir = e->dir;
        assert_int_equal(reboot_capturing(e, &err), EXIT_OK);
        assert_trace("kexec_file_load|write last-reboot|KExec");
        env_free(e);
}

static void test_refused_forced_kexec_puts_the_machine_back(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_free_ char *err = NULL;

        /* Nothing was ended: the rollback is a real one. */
        e->ctx.options.now = true;
        fake_kexec_forced_result = -EACCES;
        assert_int_equal(reboot_capturing(e, &err), EXIT_FAILED);
        assert_trace("kexec_file_load|write last-reboot|KExec|remove last-reboot|unload");
        assert_non_null(strstr(err, "systemd refused the forced kexec (KExec()): Access denied"));
        assert_non_null(strstr(err, "restored: unloaded the new kernel"));
        assert_non_null(strstr(err, "the machine runs as before"));
        env_free(e);
}

static void test_reboot_through_systemd(void **state)
{
        struct env *e = env_new("debian");

        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|write last-reboot|kexec.target");
        env_free(e);
}

static void test_refused_systemd_handover_unloads(void **state)
{
        struct env *e = env_new("debian");

        fake_kexec_result = -EPERM;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_trace("kexec_file_load|write last-reboot|kexec.target|remove last-reboot|unload");
        env_free(e);
}

/* plan's check named name, or NULL. */
static const struct check *plan_check(struct env *e, struct plan *p, const char *name)
{
        struct plan_options o = e->ctx.options;

        o.prepare = true;
        assert_int_equal(plan_build(e->ctx.root, &o, p), 0);
        return plan_find_check(p, name);
}

static void test_systemd_over_the_system_bus(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_(plan_done) struct plan p = {};
        const struct check *c;

        e->ctx.options.ask_systemd = true;
        c = plan_check(e, &p, "systemd");
        assert_non_null(c);
        assert_int_equal(c->status, CHECK_PASS);
        assert_string_equal(c->detail, "reached over the system bus");
        env_free(e);
}

static void test_without_dbus_systemd_is_reached_over_its_private_socket(void **state)
{
        struct env *e = env_new("debian");
        char *inhibitors[] = {(char *)"gnome-session (pid 900: saving a file)", NULL};
        const struct check *c;
        struct plan p = {};

        /* No D-Bus daemon: the manager answers on /run/systemd/private, logind nowhere. Its
         * inhibitors (which the fake would list) are not asked for, and the plan says so. */
        e->ctx.options.ask_systemd = true;
        fake_route = SYSTEMD_ROUTE_PRIVATE;
        fake_inhibitors = inhibitors;
        c = plan_check(e, &p, "systemd");
        assert_non_null(c);
        assert_int_equal(c->status, CHECK_WARN);
        assert_non_null(strstr(c->detail, "private socket /run/systemd/private"));
        assert_non_null(strstr(c->detail, "inhibitors cannot be asked and are not honoured"));
        assert_null(plan_find_check(&p, "inhibitors"));
        plan_done(&p);

        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|write last-reboot|kexec.target");

        /* Over the system bus the same inhibitor refuses the reboot. */
        fake_reset();
        fake_inhibitors = inhibitors;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_CHECK);
        assert_trace("");
        env_free(e);
}

static void test_unreachable_systemd_is_refused_before_anything(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_(plan_done) struct plan p = {};
        const struct check *c;

        e->ctx.options.ask_systemd = true;
        fake_route_result = -ECONNREFUSED;
        c = plan_check(e, &p, "systemd");
        assert_non_null(c);
        assert_int_equal(c->status, CHECK_FAIL);
        assert_non_null(strstr(c->detail, "systemd is PID 1 but cannot be asked: cannot connect"));
        assert_int_equal(verb_reboot(&e->ctx), EXIT_CHECK);
        assert_trace("");
        env_free(e);
}

static void test_without_systemd_reboot_is_direct(void **state)
{
        struct env *e = env_new("centos8"); /* no /run/systemd/system in that tree */
        _cleanup_free_ char *trace = NULL;

        /* Direct hand-over: warmboot's own shutdown, never kexec.target. That tree has no
         * mount table, which is fatal before the jump. */
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        trace = fake_trace();
        assert_string_equal(trace, "kexec_file_load|write last-reboot|kill -1 15|kill -1 "
                                   "9|sync|remove last-reboot|unload");
        env_free(e);
}

static void test_failed_load_touches_nothing_else(void **state)
{
        struct env *e = env_new("debian");
        const char *want[] = {"kexec_file_load", NULL};

        fake_load_result = -EKEYREJECTED;
        e->ctx.options.now = true;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_calls(want);
        env_free(e);
}

static void test_failed_check_makes_no_call(void **state)
{
        struct env *e = env_new("alpine"); /* kexec_load_disabled=1 */
        const char *want[] = {NULL};

        e->ctx.options.now = true;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_CHECK);
        assert_calls(want);
        assert_int_equal(verb_load(&e->ctx), EXIT_CHECK);
        assert_calls(want);
        env_free(e);
}

static void test_without_cap_sys_boot_nothing_is_tried(void **state)
{
        struct env *e = env_new("debian"); /* loads when privileged (test_no_initrd_flag) */
        const char *want[] = {NULL};

        fake_can_boot = false;
        assert_int_equal(verb_load(&e->ctx), EXIT_PRIVILEGE);
        assert_calls(want);
        assert_int_equal(verb_reboot(&e->ctx), EXIT_PRIVILEGE);
        assert_calls(want);
        e->ctx.options.now = true;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_PRIVILEGE);
        assert_calls(want);
        env_free(e);

        /* A failing check too: the missing privilege is what is said (exit 4, not 3). */
        e = env_new("alpine");
        fake_can_boot = false;
        assert_int_equal(verb_load(&e->ctx), EXIT_PRIVILEGE);
        assert_calls(want);
        env_free(e);
}

static void test_overlong_cmdline_is_refused_before_loading(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_free_ char *pad = malloc(3000);
        char *append[] = {pad, NULL};
        const char *want[] = {NULL};

        memcpy(pad, "warmboot.pad=", 13);
        memset(pad + 13, 'x', 2986);
        pad[2999] = 0;
        e->ctx.options.append = append;
        assert_int_equal(verb_load(&e->ctx), EXIT_CHECK);
        assert_calls(want);
        env_free(e);
}

static void test_several_initrds_are_joined_in_order(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_free_ char *ucode = path_join(e->dir, "boot/intel-ucode.img");
        char *initrds[] = {(char *)"/boot/intel-ucode.img",
                           (char *)"/boot/initrd.img-6.1.0-28-amd64", NULL};
        const char *want[] = {"kexec_file_load", NULL};

        fixture_write(e->dir, "boot/intel-ucode.img", "UCODE|");
        e->ctx.options.initrds = initrds;
        assert_int_equal(verb_load(&e->ctx), EXIT_OK);
        assert_calls(want);
        /* One memfd, microcode first, handed over read-only (else the kernel says ETXTBSY). */
        assert_non_null(strstr(fake_calls[0].initrd, "memfd:warmboot-initrd"));
        assert_string_equal(fake_calls[0].initrd_bytes, "UCODE|initrd 6.1.0-28-amd64\n");
        env_free(e);
}

static void test_no_initrd_flag(void **state)
{
        struct env *e = env_new("debian");

        e->ctx.options.no_initrd = true;
        assert_int_equal(verb_load(&e->ctx), EXIT_OK);
        assert_int_equal(fake_calls[0].flags, KEXEC_FILE_NO_INITRAMFS_FLAG);
        assert_string_equal(fake_calls[0].initrd, "");
        env_free(e);
}

static void test_unload(void **state)
{
        struct env *e = env_new("debian");
        const char *want[] = {"unload", NULL};

        assert_int_equal(verb_unload(&e->ctx), EXIT_OK);
        assert_calls(want);
        fake_can_boot = false;
        fake_n_calls = 0;
        assert_int_equal(verb_unload(&e->ctx), EXIT_PRIVILEGE);
        assert_int_equal(fake_n_calls, 0);
        env_free(e);
}

static void test_every_errno_has_its_own_sentence(void **state)
{
        static const struct {
                int err;
                const char *words;
        } table[] = {
                {EPERM, "root"},
                {ENOEXEC, "bzImage"},
                {EKEYREJECTED, "does not match the image"},
                {ENOKEY, "not one the running kernel trusts"},
                {EBADMSG, "malformed"},
                {ELIBBAD, "not a well-formed PE image"},
                {ENOPKG, "algorithm"},
                {ENODATA, "carries no signature"},
                {ETXTBSY, "open for writing"},
                {EBUSY, "in progress"},
                {EINVAL, "invalid"},
                {ENOMEM, "memory"},
                {EFBIG, "larger"},
                {EACCES, "IMA"},
                {EIO, "an I/O error"},
        };
        struct plan p = {.kernel = (char *)"/boot/vmlinuz-6.1.0-28-amd64"};
        char *seen[ELEMENTSOF(table)] = {};

        fake_install();
        fake_can_boot = false; /* EPERM's sentence is the one about root */
        p.host.load_disabled = 0;
        for (size_t i = 0; i < ELEMENTSOF(table); i++) {
                seen[i] = kexec_load_error(-table[i].err, &p);
                if (!strstr(seen[i], table[i].words)) {
                        print_error("errno %d: '%s' lacks '%s'\n", table[i].err, seen[i],
                                    table[i].words);
                        fail();
                }
                for (size_t j = 0; j < i; j++)
                        assert_string_not_equal(seen[i], seen[j]);
        }
        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                free(seen[i]);
}

static void test_eperm_names_the_cause(void **state)
{
        struct plan p = {.kernel = (char *)"/boot/vmlinuz"};
        _cleanup_free_ char *disabled = NULL, *unsigned_ = NULL, *untrusted = NULL, *uki = NULL,
                            *other = NULL, *root = NULL;

        fake_install();
        p.host.load_disabled = 1;
        disabled = kexec_load_error(-EPERM, &p);
        assert_non_null(strstr(disabled, "kexec_load_disabled"));
        p.host.load_disabled = 0;
        /* Under lockdown, with the signature check not enforced, the kernel says EPERM for an
         * unsigned image and for an untrusted signature alike: the plan's reading of the
         * image tells them apart. */
        p.host.lockdown = (char *)"integrity";
        p.have_image = true;
        unsigned_ = kexec_load_error(-EPERM, &p);
        assert_string_equal(unsigned_, "the kernel refused /boot/vmlinuz: it is locked down "
                                       "(integrity) and the image carries no signature; boot a "
                                       "kernel signed by the distribution");
        p.image.signature = true;
        untrusted = kexec_load_error(-EPERM, &p);
        assert_non_null(strstr(untrusted, "locked down (integrity) and could not verify the "
                                          "image's signature with a key it trusts"));
        p.uki = true;
        uki = kexec_load_error(-EPERM, &p);
        assert_non_null(strstr(uki, "the kernel refused the .linux section of /boot/vmlinuz: "));
        p.host.lockdown = (char *)"none";
        other = kexec_load_error(-EPERM, &p);
        assert_non_null(strstr(other, "kexec_load_limit_reboot"));
        fake_can_boot = false;
        root = kexec_load_error(-EPERM, &p);
        assert_non_null(strstr(root, "CAP_SYS_BOOT"));
}

/* load --force on the lockdown-unsigned machine: the lockdown check fails, and the kernel
 * answers as the seam says. Returns load's exit code, stderr in *ret_err. */
static int force_load_unsigned(int kernel_says, char **ret_err)
{
        struct env *e = env_new("lockdown-unsigned");
        int code;

        e->ctx.force = true;
        fake_load_result = kernel_says;
        code = verb_capturing_stderr(verb_load, &e->ctx, ret_err);
        env_free(e);
        return code;
}

static void test_force_lets_the_kernel_refuse_an_unsigned_image(void **state)
{
        struct env *e = env_new("lockdown-unsigned");
        _cleanup_free_ char *refused = NULL, *eperm = NULL, *enodata = NULL;
        const char *want_none[] = {NULL}, *want_load[] = {"kexec_file_load", NULL};

        /* Without --force the plan stops it: no call. */
        assert_int_equal(verb_capturing_stderr(verb_load, &e->ctx, &refused), EXIT_CHECK);
        assert_calls(want_none);
        assert_non_null(
                strstr(refused, "warmboot: locked down (integrity): the kernel will refuse"));
        env_free(e);

        /* With it, the failed check is a warning and the kernel's EPERM (lockdown, the
         * signature check not enforced) is what the user is told. */
        assert_int_equal(force_load_unsigned(-EPERM, &eperm), EXIT_FAILED);
        assert_calls(want_load);
        assert_non_null(strstr(eperm, "warning: locked down (integrity): the kernel will refuse "
                                      "/boot/vmlinuz-6.1.0-28-amd64 because it carries no "
                                      "signature; boot a signed kernel (going ahead anyway "
                                      "because of --force)\n"));
        assert_non_null(strstr(eperm,
                               "warmboot: the kernel refused /boot/vmlinuz-6.1.0-28-amd64: it "
                               "is locked down (integrity) and the image carries no "
                               "signature; boot a kernel signed by the distribution\n"));
        assert_null(strstr(eperm, "warmboot: locked down"));

        /* Where the check is enforced (Secure Boot's IMA policy, CONFIG_KEXEC_SIG_FORCE) the
         * kernel passes on the check's own ENODATA. */
        assert_int_equal(force_load_unsigned(-ENODATA, &enodata), EXIT_FAILED);
        assert_non_null(strstr(enodata,
                               "warmboot: the kernel refused /boot/vmlinuz-6.1.0-28-amd64: "
                               "the image carries no signature, and the running kernel "
                               "loads only signed images"));
}

static void test_force_goes_ahead_only_with_what_a_load_needs(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_free_ char *err = NULL, *gone = NULL;
        const char *want_none[] = {NULL};

        /* A kernel that is not there: nothing to force, and nothing tried. */
        e->ctx.force = true;
        e->ctx.options.kernel = "/boot/vmlinuz-9.9.9";
        assert_int_equal(verb_capturing_stderr(verb_load, &e->ctx, &err), EXIT_CHECK);
        assert_calls(want_none);
        assert_non_null(strstr(err, "the kernel cannot be opened, so --force has nothing to load"));
        env_free(e);

        /* No initrd found: --force does not quietly boot without one. */
        e = env_new("debian");
        fixture_remove(path_join(e->dir, "boot/initrd.img-6.1.0-28-amd64"));
        e->ctx.force = true;
        assert_int_equal(verb_capturing_stderr(verb_load, &e->ctx, &gone), EXIT_CHECK);
        assert_calls(want_none);
        assert_non_null(strstr(gone, "no initrd was found, and --force does not boot without one"));
        env_free(e);
}

static void test_force_with_passing_checks_is_a_plain_load(void **state)
{
        struct env *e = env_new("debian");
        const char *want[] = {"kexec_file_load", NULL};

        e->ctx.force = true;
        assert_int_equal(verb_load(&e->ctx), EXIT_OK);
        assert_calls(want);
        env_free(e);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_reboot_now_shuts_down_then_kexecs),
                cmocka_unit_test(test_direct_shutdown_gives_processes_the_grace_period),
                cmocka_unit_test(test_direct_shutdown_goes_on_once_processes_ended),
                cmocka_unit_test(test_busy_file_system_stops_the_handover),
                cmocka_unit_test(test_refused_jump_after_the_shutdown_says_processes_ended),
                cmocka_unit_test(test_now_with_systemd_is_its_forced_kexec),
                cmocka_unit_test(test_refused_forced_kexec_puts_the_machine_back),
                cmocka_unit_test(test_reboot_through_systemd),
                cmocka_unit_test(test_refused_systemd_handover_unloads),
                cmocka_unit_test(test_systemd_over_the_system_bus),
                cmocka_unit_test(test_without_dbus_systemd_is_reached_over_its_private_socket),
                cmocka_unit_test(test_unreachable_systemd_is_refused_before_anything),
                cmocka_unit_test(test_without_systemd_reboot_is_direct),
                cmocka_unit_test(test_failed_load_touches_nothing_else),
                cmocka_unit_test(test_failed_check_makes_no_call),
                cmocka_unit_test(test_without_cap_sys_boot_nothing_is_tried),
                cmocka_unit_test(test_overlong_cmdline_is_refused_before_loading),
                cmocka_unit_test(test_several_initrds_are_joined_in_order),
                cmocka_unit_test(test_no_initrd_flag),
                cmocka_unit_test(test_unload),
                cmocka_unit_test(test_every_errno_has_its_own_sentence),
                cmocka_unit_test(test_eperm_names_the_cause),
                cmocka_unit_test(test_force_lets_the_kernel_refuse_an_unsigned_image),
                cmocka_unit_test(test_force_goes_ahead_only_with_what_a_load_needs),
                cmocka_unit_test(test_force_with_passing_checks_is_a_plain_load),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
