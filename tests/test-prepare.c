/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reboot on machines with GPU drivers: what is isolated, stopped, ended and unloaded, in
 * which order, and how every failure puts the machine back. The fakes act on the fixture's
 * /proc, so each rescan sees what a real machine would after the step before.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sys/stat.h>

#include "plan.h"
#include "prepare.h"
#include "signals.h"
#include "testlib.h"
#include "util.h"
#include "verbs.h"

/* The virtio_gpu stack a QEMU guest shows (../shared/notes/vm-testing.md). */
static const char virtio_modules[] =
        "virtio_gpu 86016 0 - Live 0x0000000000000000\n"
        "virtio_dma_buf 16384 1 virtio_gpu, Live 0x0000000000000000\n"
        "drm_shmem_helper 24576 1 virtio_gpu, Live 0x0000000000000000\n"
        "drm_kms_helper 217088 3 virtio_gpu, Live 0x0000000000000000\n"
        "drm 634880 4 virtio_gpu,drm_shmem_helper,drm_kms_helper, Live 0x0000000000000000\n";

struct env {
        char *dir;
        struct verb_context ctx;
        char *unload[2];
        char *keep[2];
};

static void add_process(struct env *e, int pid, const char *comm, const char *cgroup,
                        const char *device)
{
        char path[64];
        _cleanup_free_ char *link = NULL;

        snprintf(path, sizeof(path), "proc/%d/comm", pid);
        fixture_write(e->dir, path, comm);
        snprintf(path, sizeof(path), "proc/%d/cgroup", pid);
        fixture_write(e->dir, path, cgroup);
        snprintf(path, sizeof(path), "proc/%d/maps", pid);
        fixture_write(e->dir, path, "");
        snprintf(path, sizeof(path), "proc/%d/fd/4", pid);
        link = path_join(e->dir, path);
        fixture_write(e->dir, path, "");
        assert_int_equal(unlink(link), 0);
        assert_int_equal(symlink(device, link), 0);
}

static struct env *env_new(void)
{
        struct env *e = calloc(1, sizeof(*e));

        fake_install();
        e->dir = fixture_materialise("debian");
        fixture_write(e->dir, "proc/modules", virtio_modules);
        assert_int_equal(root_new(e->dir, &e->ctx.root), 0);
        fake_root_dir = e->dir;
        e->ctx.quiet = true;
        /* virtio_gpu is not on the built-in list: ask for it, as the guest test does. Its
         * helper virtio_dma_buf, of the same family and left unused, goes too. */
        e->unload[0] = (char *)"virtio_gpu";
        e->ctx.options.unload = e->unload;
        e->ctx.options.ask_systemd = true;
        return e;
}

static void env_free(struct env *e)
{
        root_free(e->ctx.root);
        fixture_remove(e->dir);
        free(e);
}

static void assert_trace(const char *want)
{
        _cleanup_free_ char *got = fake_trace();
        if (!streq(got, want)) {
                print_error(" got: %s\nwant: %s\n", got, want);
                fail();
        }
}

static void test_graphical_desktop(void **state)
{
        struct env *e = env_new();

        /* The display server goes with the isolate, its session with it. */
        fake_graphical = true;
        add_process(e, 40, "Xorg", "0::/system.slice/gdm.service\n", "/dev/dri/card0");
        add_process(e, 41, "gnome-shell", "0::/user.slice/user-1000.slice/session-2.scope\n",
                    "/dev/dri/renderD128");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|start multi-user.target isolate|rmmod virtio_gpu|rmmod "
                     "virtio_dma_buf|write last-reboot|kexec.target");
        env_free(e);
}

static void test_compositor_in_a_user_unit_ends_with_the_session(void **state)
{
        struct env *e = env_new();

        /* GNOME 45 and Plasma 6 run the compositor as a unit of the user's manager, which
         * the system manager does not know: it ends with the session, not on its own. */
        fake_graphical = true;
        add_process(e, 40, "Xorg", "0::/system.slice/gdm.service\n", "/dev/dri/card0");
        add_process(e, 42, "gnome-shell",
                    "0::/user.slice/user-1000.slice/user@1000.service/session.slice/"
                    "org.gnome.Shell@wayland.service\n",
                    "/dev/dri/renderD128");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|start multi-user.target isolate|rmmod virtio_gpu|rmmod "
                     "virtio_dma_buf|write last-reboot|kexec.target");
        env_free(e);
}

static void test_graphical_holder_outside_the_display_is_refused_first(void **state)
{
        struct env *e = env_new();

        /* A graphical machine; the display goes with the isolate, but this job's unit is
         * wanted by multi-user.target and would survive it: refused before any change. */
        fake_graphical = true;
        add_process(e, 40, "Xorg", "0::/system.slice/fake-display.service\n", "/dev/dri/card0");
        add_process(e, 80, "render-job", "0::/system.slice/render.service\n", "/dev/dri/card0");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_CHECK);
        assert_trace("");

        /* Without the job, the display alone is no obstacle. */
        fake_reset();
        fake_root_dir = e->dir;
        fake_graphical = true;
        {
                _cleanup_free_ char *job = path_join(e->dir, "proc/80/comm");
                assert_int_equal(unlink(job), 0);
                fixture_remove(path_join(e->dir, "proc/80"));
        }
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|start multi-user.target isolate|rmmod virtio_gpu|"
                     "rmmod virtio_dma_buf|write last-reboot|kexec.target");
        env_free(e);
}

static void test_known_daemon_is_stopped(void **state)
{
        struct env *e = env_new();

        add_process(e, 50, "nvidia-persiste", "0::/system.slice/nvidia-persistenced.service\n",
                    "/dev/dri/card0");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|stop nvidia-persistenced.service|rmmod virtio_gpu|rmmod "
                     "virtio_dma_buf|write last-reboot|kexec.target");
        env_free(e);
}

static void test_unknown_holder_blocks_before_anything_changes(void **state)
{
        struct env *e = env_new();

        add_process(e, 60, "sleep", "0::/user.slice/user-0.slice/session-5.scope\n",
                    "/dev/dri/card0");
        /* Not graphical: the session scope does not go by itself. Refused before the load. */
        assert_int_equal(verb_reboot(&e->ctx), EXIT_CHECK);
        assert_trace("");
        env_free(e);
}

static void test_kill_ends_the_holder(void **state)
{
        struct env *e = env_new();

        add_process(e, 60, "sleep", "0::/user.slice/user-0.slice/session-5.scope\n",
                    "/dev/dri/card0");
        e->ctx.options.kill = true;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|kill 60 15|rmmod virtio_gpu|rmmod virtio_dma_buf|write "
                     "last-reboot|kexec.target");
        env_free(e);
}

static void test_kill_escalates_to_sigkill(void **state)
{
        struct env *e = env_new();

        add_process(e, 61, "stubborn", "0::/user.slice/user-0.slice/session-5.scope\n",
                    "/dev/dri/card0");
        fake_stubborn_pid = 61;
        e->ctx.options.kill = true;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|kill 61 15|kill 61 9|rmmod virtio_gpu|rmmod "
                     "virtio_dma_buf|write last-reboot|kexec.target");
        env_free(e);
}

static void test_busy_module_rolls_everything_back(void **state)
{
        struct env *e = env_new();

        fake_graphical = true;
        fake_busy_module = "virtio_gpu";
        add_process(e, 50, "nvidia-persiste", "0::/system.slice/nvidia-persistenced.service\n",
                    "/dev/dri/card0");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_trace("kexec_file_load|start multi-user.target isolate|"
                     "stop nvidia-persistenced.service|rmmod virtio_gpu|"
                     "start nvidia-persistenced.service replace|start graphical.target isolate|"
                     "unload");
        env_free(e);
}

static void test_failed_isolate_rolls_back(void **state)
{
        struct env *e = env_new();

        fake_graphical = true;
        fake_isolate_result = -ETIME;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_trace(
                "kexec_file_load|start multi-user.target isolate|start graphical.target isolate|"
                "unload");
        env_free(e);
}

/* An isolate that timed out leaves its stop jobs running, and the isolate that undoes it
 * waits behind them: the rollback gives its jobs at least ROLLBACK_JOB_MIN_SEC, however
 * short [Isolate] TimeoutSec= is. */
static void test_rollback_waits_longer_than_a_short_isolate_timeout(void **state)
{
        struct env *e = env_new();

        fixture_write(e->dir, "etc/warmboot.conf", "[Isolate]\nTimeoutSec=8\n");
        fake_graphical = true;
        fake_isolate_result = -ETIME;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_trace(
                "kexec_file_load|start multi-user.target isolate|start graphical.target isolate|"
                "unload");
        assert_int_equal(fake_n_starts, 2);
        assert_int_equal(fake_start_timeouts[0], 8);
        assert_int_equal(fake_start_timeouts[1], ROLLBACK_JOB_MIN_SEC);
        env_free(e);
}

static void test_refused_handover_reloads_modules_in_reverse(void **state)
{
        struct env *e = env_new();
        static const char nvidia[] = "nvidia_uvm 1789952 0 - Live 0x0\n"
                                     "nvidia_drm 122880 0 - Live 0x0\n"
                                     "nvidia_modeset 1355776 1 nvidia_drm, Live 0x0\n"
                                     "nvidia 56512512 2 nvidia_uvm,nvidia_modeset, Live 0x0\n";

        fixture_write(e->dir, "proc/modules", nvidia);
        e->ctx.options.unload = NULL;
        fake_kexec_result = -EPERM;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_trace("kexec_file_load|rmmod nvidia_drm|rmmod nvidia_modeset|rmmod nvidia_uvm|"
                     "rmmod nvidia|write last-reboot|kexec.target|remove last-reboot|insmod "
                     "nvidia|insmod nvidia_uvm|"
                     "insmod nvidia_modeset|insmod nvidia_drm|unload");
        env_free(e);
}

static void test_now_prepares_then_asks_for_the_forced_kexec(void **state)
{
        struct env *e = env_new();

        /* --now with systemd as PID 1: the same preparation, then the manager's KExec().
         * No process is signalled by warmboot: systemd-shutdown ends them. */
        fake_graphical = true;
        add_process(e, 40, "Xorg", "0::/system.slice/gdm.service\n", "/dev/dri/card0");
        e->ctx.options.now = true;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|start multi-user.target isolate|rmmod virtio_gpu|rmmod "
                     "virtio_dma_buf|write last-reboot|KExec");

        /* Refused: everything is put back, as for kexec.target. */
        fake_reset();
        fake_root_dir = e->dir;
        fake_graphical = true;
        fake_kexec_forced_result = -EACCES;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_trace("kexec_file_load|start multi-user.target isolate|rmmod virtio_gpu|rmmod "
                     "virtio_dma_buf|write last-reboot|KExec|remove last-reboot|insmod "
                     "virtio_dma_buf|insmod virtio_gpu|"
                     "start graphical.target isolate|unload");
        env_free(e);
}

static void test_holder_of_another_gpu_is_ignored(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *card0 = path_join(e->dir, "sys/class/drm/card0/device/driver");
        _cleanup_free_ char *card1 = path_join(e->dir, "sys/class/drm/card1/device/driver");

        /* A hybrid machine: card0 is the virtio GPU being unloaded, card1 an integrated GPU
         * whose driver stays. Only card0's users are in the way. */
        fixture_write(e->dir, "sys/class/drm/card0/device/.keep", "");
        fixture_write(e->dir, "sys/class/drm/card1/device/.keep", "");
        assert_int_equal(symlink("../../../../bus/virtio/drivers/virtio_gpu", card0), 0);
        assert_int_equal(symlink("../../../../bus/pci/drivers/i915", card1), 0);
        add_process(e, 70, "firefox", "0::/user.slice/user-1000.slice/session-3.scope\n",
                    "/dev/dri/card1");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|rmmod virtio_gpu|rmmod virtio_dma_buf|write "
                     "last-reboot|kexec.target");

        /* A virtio GPU's device is the PCI transport; the GPU driver is on the virtio
         * device below it, and that is what counts. */
        fake_reset();
        fake_root_dir = e->dir;
        assert_int_equal(unlink(card0), 0);
        fixture_write(e->dir, "sys/class/drm/card0/device/virtio0/.keep", "");
        assert_int_equal(symlink("../../../../bus/pci/drivers/virtio-pci", card0), 0);
        {
                _cleanup_free_ char *child =
                        path_join(e->dir, "sys/class/drm/card0/device/virtio0/driver");
                assert_int_equal(symlink("../../../../../bus/virtio/drivers/virtio_gpu", child), 0);
        }

        /* The same process on card0 blocks. */
        fake_reset();
        fake_root_dir = e->dir;
        add_process(e, 71, "blender", "0::/user.slice/user-1000.slice/session-3.scope\n",
                    "/dev/dri/card0");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_CHECK);
        assert_trace("");
        env_free(e);
}

static void test_kept_module_is_left_alone(void **state)
{
        struct env *e = env_new();

        e->keep[0] = (char *)"virtio_gpu";
        e->ctx.options.keep = e->keep;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|write last-reboot|kexec.target");
        env_free(e);
}

static void test_bad_config_names_file_and_line(void **state)
{
        struct env *e = env_new();

        fixture_write(e->dir, "etc/warmboot.conf", "[Modules]\nUnload=virtio_gpu\nFrob=1\n");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_CHECK);
        assert_trace("");
        env_free(e);
}

/* Runs reboot with stderr in *ret_err (caller frees). */
static int reboot_capturing(struct env *e, char **ret_err)
{
        return verb_capturing_stderr(verb_reboot, &e->ctx, ret_err);
}

static void test_ctrl_c_while_unloading_puts_everything_back(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *err = NULL;

        fake_graphical = true;
        fake_signal_at = "rmmod virtio_gpu";
        fake_signal = SIGINT;
        assert_int_equal(reboot_capturing(e, &err), EXIT_FAILED);
        /* virtio_dma_buf is left loaded; what was done is undone, newest first. */
        assert_trace("kexec_file_load|start multi-user.target isolate|rmmod virtio_gpu|"
                     "insmod virtio_gpu|start graphical.target isolate|unload");
        assert_non_null(strstr(err, "interrupted by SIGINT before unloading virtio_dma_buf"));
        assert_non_null(strstr(err, "the machine runs as before"));
        /* main dies of the signal afterwards, as an interrupted command should. */
        assert_int_equal(signals_received(), SIGINT);
        env_free(e);
}

static void test_sigterm_during_the_grace_period_sends_no_sigkill(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *err = NULL;

        add_process(e, 61, "stubborn", "0::/user.slice/user-0.slice/session-5.scope\n",
                    "/dev/dri/card0");
        fake_stubborn_pid = 61;
        fake_signal_at = "kill 61 15";
        fake_signal = SIGTERM;
        e->ctx.options.kill = true;
        assert_int_equal(reboot_capturing(e, &err), EXIT_FAILED);
        assert_trace("kexec_file_load|kill 61 15|unload");
        assert_non_null(strstr(err, "interrupted by SIGTERM before the processes holding the "
                                    "devices ended"));
        env_free(e);
}

static void test_sigterm_right_after_the_isolate(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *err = NULL;

        fake_graphical = true;
        fake_signal_at = "start multi-user.target isolate";
        fake_signal = SIGTERM;
        assert_int_equal(reboot_capturing(e, &err), EXIT_FAILED);
        assert_trace("kexec_file_load|start multi-user.target isolate|"
                     "start graphical.target isolate|unload");
        env_free(e);
}

static void test_a_lost_terminal_does_not_stop_the_reboot(void **state)
{
        struct env *e = env_new();

        /* The terminal closes with the display: the hang-up arrives mid-way. Without the
         * guard this test process would die here. */
        fake_graphical = true;
        fake_signal_at = "rmmod virtio_gpu";
        fake_signal = SIGHUP;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|start multi-user.target isolate|rmmod virtio_gpu|rmmod "
                     "virtio_dma_buf|write last-reboot|kexec.target");
        env_free(e);
}

/* The journal of the run, as a run killed half-way leaves it: 0700 directory, 0600 file. */
#define BOOT_ID "0d3f5a6c-8b1e-4f2a-9c7d-3e5b1a2f4c6d"
#define KILLED_RUN                                                                                 \
        "warmboot-journal 1\n"                                                                     \
        "pid=999999\n"                                                                             \
        "started=1796150000000000\n"                                                               \
        "boot_id=" BOOT_ID "\n"                                                                    \
        "kernel=/boot/vmlinuz-6.1.0-28-amd64\n"                                                    \
        "isolated_from=graphical.target\n"                                                         \
        "stopped_unit=nvidia-persistenced.service\n"                                               \
        "removed_module=virtio_gpu\n"                                                              \
        "removed_module=virtio_dma_buf\n"

static void put_journal(struct env *e, const char *text)
{
        fixture_write_private(e->dir, "run/warmboot/journal", text);
}

static bool journal_left(struct env *e)
{
        _cleanup_free_ char *file = path_join(e->dir, "run/warmboot/journal");
        return access(file, F_OK) == 0;
}

/* The plan as 'warmboot plan' builds it, for reboot. */
static const struct check *plan_check(struct env *e, const char *name, struct plan *p)
{
        struct plan_options o = e->ctx.options;

        o.prepare = true;
        assert_int_equal(plan_build(e->ctx.root, &o, p), 0);
        return plan_find_check(p, name);
}

static void assert_contains(const char *text, const char *part)
{
        if (!text || !strstr(text, part)) {
                print_error("'%s' does not contain '%s'\n", text ? text : "(null)", part);
                fail();
        }
}

static void test_journal_names_each_step_before_it_is_taken(void **state)
{
        struct env *e = env_new();

        fake_graphical = true;
        fake_trace_journal = true;
        fixture_write(e->dir, "proc/sys/kernel/random/boot_id", BOOT_ID "\n");
        add_process(e, 50, "nvidia-persiste", "0::/system.slice/nvidia-persistenced.service\n",
                    "/dev/dri/card0");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        /* Each change is announced in the journal first; once systemd has the hand-over,
         * there is nothing left to put back. */
        assert_trace("journal kernel=/boot/vmlinuz-6.1.0-28-amd64|kexec_file_load|"
                     "write load-record|journal isolated_from=graphical.target|"
                     "start multi-user.target isolate|"
                     "journal stopped_unit=nvidia-persistenced.service|"
                     "stop nvidia-persistenced.service|journal removed_module=virtio_gpu|"
                     "rmmod virtio_gpu|journal removed_module=virtio_dma_buf|"
                     "rmmod virtio_dma_buf|write last-reboot|kexec.target|remove journal");
        assert_false(journal_left(e));
        env_free(e);
}

static void test_rolled_back_run_leaves_no_journal(void **state)
{
        struct env *e = env_new();

        fake_graphical = true;
        fake_busy_module = "virtio_gpu";
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_false(journal_left(e));
        env_free(e);
}

static void test_no_journal_no_change(void **state)
{
        struct env *e = env_new();

        /* A run that could not be put back if killed does not begin. */
        fake_graphical = true;
        fake_failing_file = "write journal";
        assert_int_equal(verb_reboot(&e->ctx), EXIT_FAILED);
        assert_trace("write journal");
        env_free(e);
}

static void test_killed_run_fails_the_plan_and_status_tells(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *out = NULL;
        struct plan p;
        const struct check *k;

        fixture_write(e->dir, "proc/sys/kernel/random/boot_id", BOOT_ID "\n");
        put_journal(e, KILLED_RUN);
        k = plan_check(e, "interrupted", &p);
        assert_non_null(k);
        assert_int_equal(k->status, CHECK_FAIL);
        assert_contains(k->detail, "a warmboot run (pid 999999, begun ");
        assert_contains(k->detail, "was killed half-way and left the machine changed: left "
                                   "graphical.target, stopped nvidia-persistenced.service, "
                                   "unloaded virtio_gpu and virtio_dma_buf, loaded "
                                   "/boot/vmlinuz-6.1.0-28-amd64; 'warmboot restore' puts it "
                                   "back");
        plan_done(&p);
        assert_int_equal(verb_reboot(&e->ctx), EXIT_CHECK);
        assert_trace("");

        e->ctx.json = true;
        assert_int_equal(verb_capturing_stdout(verb_status, &e->ctx, &out), EXIT_OK);
        assert_contains(out, "\"interrupted\": {\"state\": \"interrupted\", \"pid\": 999999, "
                             "\"started\": 1796150000.000, \"kernel\": "
                             "\"/boot/vmlinuz-6.1.0-28-amd64\", \"isolated_from\": "
                             "\"graphical.target\", \"stopped_units\": "
                             "[\"nvidia-persistenced.service\"], \"removed_modules\": "
                             "[\"virtio_gpu\", \"virtio_dma_buf\"]}");
        env_free(e);
}

static void test_restore_puts_back_what_a_killed_run_changed(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *out = NULL;
        struct plan p;

        fixture_write(e->dir, "proc/sys/kernel/random/boot_id", BOOT_ID "\n");
        put_journal(e, KILLED_RUN);
        e->ctx.quiet = false;
        assert_int_equal(verb_capturing_stdout(verb_restore, &e->ctx, &out), EXIT_OK);
        /* Newest first, as the rollback of a run that fails by itself. */
        assert_trace("insmod virtio_dma_buf|insmod virtio_gpu|"
                     "start nvidia-persistenced.service replace|start graphical.target isolate|"
                     "unload");
        assert_string_equal(out, "restored: loaded virtio_dma_buf again\n"
                                 "restored: loaded virtio_gpu again\n"
                                 "restored: started nvidia-persistenced.service again\n"
                                 "restored: isolated graphical.target again\n"
                                 "restored: unloaded the new kernel\n"
                                 "the machine runs as before\n");
        assert_false(journal_left(e));
        /* Put back: the plan has nothing more to say about it. */
        assert_null(plan_check(e, "interrupted", &p));
        plan_done(&p);
        env_free(e);
}

static void test_restore_says_what_it_could_not_put_back(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *out = NULL;

        fixture_write(e->dir, "proc/sys/kernel/random/boot_id", BOOT_ID "\n");
        put_journal(e, KILLED_RUN);
        fake_uninsertable_module = "virtio_gpu";
        assert_int_equal(verb_capturing_stdout(verb_restore, &e->ctx, &out), EXIT_FAILED);
        /* The rest is put back all the same, and the journal goes: the report said it. */
        assert_trace("insmod virtio_dma_buf|insmod virtio_gpu|"
                     "start nvidia-persistenced.service replace|start graphical.target isolate|"
                     "unload");
        assert_false(journal_left(e));
        env_free(e);
}

static void test_restore_leaves_a_running_warmboot_alone(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *out = NULL;
        struct plan p;
        const struct check *k;

        fixture_write(e->dir, "proc/sys/kernel/random/boot_id", BOOT_ID "\n");
        fixture_write(e->dir, "proc/4242/comm", "warmboot\n");
        put_journal(e, "warmboot-journal 1\npid=4242\nstarted=1796150000000000\n"
                       "boot_id=" BOOT_ID "\nkernel=/boot/vmlinuz-6.1.0-28-amd64\n");
        k = plan_check(e, "interrupted", &p);
        assert_non_null(k);
        assert_int_equal(k->status, CHECK_FAIL);
        assert_string_equal(k->detail,
                            "warmboot (pid 4242) is preparing the machine for a warm reboot now");
        plan_done(&p);
        assert_int_equal(verb_capturing_stdout(verb_restore, &e->ctx, &out), EXIT_FAILED);
        assert_trace("");
        assert_true(journal_left(e));
        env_free(e);
}

static void test_journal_of_another_boot_is_stale(void **state)
{
        struct env *e = env_new();
        _cleanup_free_ char *out = NULL;
        struct plan p;

        /* A /run that outlived its boot: nothing of that boot is left to put back. */
        fixture_write(e->dir, "proc/sys/kernel/random/boot_id",
                      "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\n");
        put_journal(e, KILLED_RUN);
        assert_null(plan_check(e, "interrupted", &p));
        plan_done(&p);
        assert_int_equal(verb_capturing_stdout(verb_restore, &e->ctx, &out), EXIT_OK);
        assert_string_equal(out, "");
        assert_trace("");
        env_free(e);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_graphical_desktop),
                cmocka_unit_test(test_compositor_in_a_user_unit_ends_with_the_session),
                cmocka_unit_test(test_graphical_holder_outside_the_display_is_refused_first),
                cmocka_unit_test(test_known_daemon_is_stopped),
                cmocka_unit_test(test_unknown_holder_blocks_before_anything_changes),
                cmocka_unit_test(test_kill_ends_the_holder),
                cmocka_unit_test(test_kill_escalates_to_sigkill),
                cmocka_unit_test(test_busy_module_rolls_everything_back),
                cmocka_unit_test(test_failed_isolate_rolls_back),
                cmocka_unit_test(test_rollback_waits_longer_than_a_short_isolate_timeout),
                cmocka_unit_test(test_refused_handover_reloads_modules_in_reverse),
                cmocka_unit_test(test_now_prepares_then_asks_for_the_forced_kexec),
                cmocka_unit_test(test_holder_of_another_gpu_is_ignored),
                cmocka_unit_test(test_kept_module_is_left_alone),
                cmocka_unit_test(test_bad_config_names_file_and_line),
                cmocka_unit_test(test_ctrl_c_while_unloading_puts_everything_back),
                cmocka_unit_test(test_sigterm_during_the_grace_period_sends_no_sigkill),
                cmocka_unit_test(test_sigterm_right_after_the_isolate),
                cmocka_unit_test(test_a_lost_terminal_does_not_stop_the_reboot),
                cmocka_unit_test(test_journal_names_each_step_before_it_is_taken),
                cmocka_unit_test(test_rolled_back_run_leaves_no_journal),
                cmocka_unit_test(test_no_journal_no_change),
                cmocka_unit_test(test_killed_run_fails_the_plan_and_status_tells),
                cmocka_unit_test(test_restore_puts_back_what_a_killed_run_changed),
                cmocka_unit_test(test_restore_says_what_it_could_not_put_back),
                cmocka_unit_test(test_restore_leaves_a_running_warmboot_alone),
                cmocka_unit_test(test_journal_of_another_boot_is_stale),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
