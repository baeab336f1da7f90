/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command line as a user meets it: exit codes, messages, --help, verbs and options.
 * It runs warmboot-under-test, whose privileged calls are refused fakes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>

#include "testlib.h"
#include "util.h"

/* Runs warmboot-under-test with the arguments (NULL-terminated); "@ROOT" becomes root. */
static struct program_result run(const char *root, ...)
{
        char *argv[32] = {(char *)WARMBOOT_UNDER_TEST};
        struct program_result r;
        size_t n = 1;
        va_list ap;

        va_start(ap, root);
        for (const char *a; (a = va_arg(ap, const char *)) && n < 31;)
                argv[n++] = (char *)(streq(a, "@ROOT") ? root : a);
        va_end(ap);
        argv[n] = NULL;
        r = program_run(argv);
        assert_true(r.status >= 0 && r.out && r.err);
        return r;
}

#define assert_contains(hay, needle)                                                               \
        do {                                                                                       \
                if (!strstr((hay), (needle))) {                                                    \
                        print_error("'%s' not found in:\n%s\n", (needle), (hay));                  \
                        fail();                                                                    \
                }                                                                                  \
        } while (0)

static void test_help_and_version(void **state)
{
        struct program_result r = run(NULL, "--help", NULL);

        assert_int_equal(r.status, 0);
        assert_contains(r.out, "Usage: warmboot");
        assert_contains(r.out, "Exit status:");
        assert_contains(r.out, "  reboot ");
        assert_string_equal(r.err, "");
        program_result_done(&r);
        r = run(NULL, "--version", NULL);
        assert_int_equal(r.status, 0);
        assert_contains(r.out, "warmboot ");
        program_result_done(&r);
}

static void test_usage_errors_exit_2_with_one_sentence(void **state)
{
        static const char *const cases[][4] = {
                {"frobnicate", NULL, "unknown verb 'frobnicate'"},
                {"--append", "a b", "is not one kernel parameter"},
                {"--kernel", "vmlinuz", "absolute path"},
                {"status", "--now", "does not apply to 'status'"},
                {"reboot", "--json", "--json goes with plan"},
                {"reboot", "--force", "--force goes with load only, not with 'reboot'"},
                {"plan", "--force", "--force goes with load only, not with 'plan'"},
                {"--bogus", NULL, "unrecognized option"},
                /* 56 characters: the kernel's MODULE_NAME_LEN holds 55 and the NUL. */
                {"--unload", "m_345678901234567890123456789012345678901234567890123456",
                 "is not a module name"},
                {"--keep", "../x", "is not a module name"},
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct program_result r = cases[i][1] ? run(NULL, cases[i][0], cases[i][1], NULL)
                                                      : run(NULL, cases[i][0], NULL);
                assert_int_equal(r.status, 2);
                assert_contains(r.err, cases[i][2]);
                assert_contains(r.err, "Try 'warmboot --help'");
                assert_string_equal(r.out, "");
                program_result_done(&r);
        }
}

static void test_contradicting_initrd_options(void **state)
{
        struct program_result r = run(NULL, "--initrd", "/boot/x", "--no-initrd", NULL);

        assert_int_equal(r.status, 2);
        assert_contains(r.err, "contradict");
        program_result_done(&r);
}

static void test_acting_verbs_refuse_root(void **state)
{
        char *dir = fixture_materialise("debian");
        const char *verbs[] = {"load", "unload", "reboot"};

        for (size_t i = 0; i < ELEMENTSOF(verbs); i++) {
                struct program_result r = run(dir, "--root", "@ROOT", verbs[i], NULL);
                assert_int_equal(r.status, 2);
                assert_contains(r.err, "does not take --root");
                assert_true(strstr(r.err, "refused") == NULL);
                program_result_done(&r);
        }
        fixture_remove(dir);
}

static void test_plan_on_a_fixture(void **state)
{
        char *dir = fixture_materialise("debian");
        struct program_result r = run(dir, "--root", "@ROOT", NULL); /* no verb: plan */

        assert_int_equal(r.status, 0);
        assert_contains(r.out, "Kernel:    /boot/vmlinuz-6.1.0-28-amd64 (from the BOOT_IMAGE=");
        assert_contains(r.out, "Initrds:   /boot/initrd.img-6.1.0-28-amd64\n");
        /* On trial: a panic reboots through the firmware, the next boot confirms the id. */
        assert_contains(r.out, "Cmdline:   root=UUID=5b1f2c3e-8d4a-4f6b-9c1d-2e3f4a5b6c7d ro quiet "
                               "panic=10 warmboot.trial=");
        assert_contains(r.out, "warmboot-confirm.service is not installed");
        assert_contains(r.out, "Image:     bzImage 6.1.0-28-amd64, boot protocol 2.15, signed");
        assert_contains(r.out, "through systemd");
        program_result_done(&r);

        r = run(dir, "--root", "@ROOT", "reboot", "--dry-run", "--now", "--append", "x=1", NULL);
        assert_int_equal(r.status, 0);
        assert_contains(r.out, "quiet x=1 panic=10 warmboot.trial=");
        /* systemd is PID 1 there: --now is its forced kexec, not warmboot's own shutdown. */
        assert_contains(r.out, "Hand-over: through systemd at once");
        assert_contains(r.out, "as systemctl --force kexec");
        program_result_done(&r);
        fixture_remove(dir);
}

static void test_plan_exits_3_when_a_check_fails(void **state)
{
        char *dir = fixture_materialise("alpine");
        struct program_result r = run(dir, "--root", "@ROOT", "plan", "--json", NULL);

        assert_int_equal(r.status, 3);
        assert_contains(r.out, "\"name\": \"kexec-load-disabled\", \"status\": \"fail\"");
        program_result_done(&r);
        fixture_remove(dir);
}

/* A disk sealed to PCR 7 fails the plan; --allow-passphrase-prompt makes it a warning, for
 * plan and for reboot --dry-run alike. */
static void test_allow_passphrase_prompt(void **state)
{
        char *dir = fixture_materialise("tpm2-crypttab-auto");
        struct program_result r = run(dir, "--root", "@ROOT", "plan", NULL);

        assert_int_equal(r.status, 3);
        assert_contains(r.out, "fail  disk-unlock          /dev/nvme1n1 (crypttab entry srv) is "
                               "unlocked by a TPM2 policy bound to PCR 7");
        program_result_done(&r);

        r = run(dir, "--root", "@ROOT", "plan", "--allow-passphrase-prompt", NULL);
        assert_int_equal(r.status, 0);
        assert_contains(r.out, "warn  disk-unlock          /dev/nvme1n1 (crypttab entry srv) is "
                               "unlocked by a TPM2 policy bound to PCR 7 (systemd-tpm2 token): "
                               "after kexec the PCRs keep this boot's measurements, so the new "
                               "kernel will stop at a passphrase prompt "
                               "(--allow-passphrase-prompt)\n");
        program_result_done(&r);

        r = run(dir, "--root", "@ROOT", "reboot", "--dry-run", "--allow-passphrase-prompt",
                "--json", NULL);
        assert_int_equal(r.status, 0);
        assert_contains(r.out, "\"name\": \"disk-unlock\", \"status\": \"warn\"");
        program_result_done(&r);

        /* list and status select nothing: the option is refused there. */
        r = run(dir, "--root", "@ROOT", "status", "--allow-passphrase-prompt", NULL);
        assert_int_equal(r.status, 2);
        program_result_done(&r);
        fixture_remove(dir);
}

static void test_status(void **state)
{
        char *dir = fixture_materialise("debian");
        struct program_result r = run(dir, "--root", "@ROOT", "status", "--json", NULL);

        assert_int_equal(r.status, 0);
        assert_contains(r.out, "\"release\": \"6.1.0-28-amd64\", \"loaded\": false, "
                               "\"kexec_load_disabled\": false, \"kexec_file\": true, "
                               "\"lockdown\": \"none\", \"systemd\": true");
        program_result_done(&r);
        fixture_write(dir, "sys/kernel/kexec_loaded", "1\n");
        r = run(dir, "--root", "@ROOT", "status", NULL);
        assert_contains(r.out, "Loaded:    yes");
        program_result_done(&r);
        fixture_remove(dir);
}

static void test_unprivileged_acting_verbs_change_nothing(void **state)
{
        /* Without CAP_SYS_BOOT (the fake says no), the verbs that act on the running kernel
         * stop before they read anything of the machine, so what the machine running the
         * tests has in /proc and /boot does not matter: one sentence, exit 4, no privileged
         * call tried (the fake would have said "refused"). */
        static const char *const cases[][3] = {
                {"load", NULL,
                 "warmboot: loading and booting a kernel needs root (CAP_SYS_BOOT); run it with "
                 "sudo\n"},
                {"load", "--latest",
                 "warmboot: loading and booting a kernel needs root (CAP_SYS_BOOT); run it with "
                 "sudo\n"},
                {"reboot", NULL,
                 "warmboot: loading and booting a kernel needs root (CAP_SYS_BOOT); run it with "
                 "sudo\n"},
                {"reboot", "--now",
                 "warmboot: loading and booting a kernel needs root (CAP_SYS_BOOT); run it with "
                 "sudo\n"},
                {"unload", NULL,
                 "warmboot: unloading a kernel needs root (CAP_SYS_BOOT); run it with sudo\n"},
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct program_result r = cases[i][1] ? run(NULL, cases[i][0], cases[i][1], NULL)
                                                      : run(NULL, cases[i][0], NULL);
                assert_int_equal(r.status, 4);
                assert_string_equal(r.err, cases[i][2]);
                assert_string_equal(r.out, "");
                program_result_done(&r);
        }
}

static void test_missing_root_directory(void **state)
{
        struct program_result r = run(NULL, "--root", "/nonexistent/warmboot", "plan", NULL);

        assert_int_equal(r.status, 2);
        assert_contains(r.err, "cannot open the root directory /nonexistent/warmboot");
        program_result_done(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_help_and_version),
                cmocka_unit_test(test_usage_errors_exit_2_with_one_sentence),
                cmocka_unit_test(test_contradicting_initrd_options),
                cmocka_unit_test(test_acting_verbs_refuse_root),
                cmocka_unit_test(test_plan_on_a_fixture),
                cmocka_unit_test(test_plan_exits_3_when_a_check_fails),
                cmocka_unit_test(test_status),
                cmocka_unit_test(test_allow_passphrase_prompt),
                cmocka_unit_test(test_unprivileged_acting_verbs_change_nothing),
                cmocka_unit_test(test_missing_root_directory),
        };

        /* The fake grants CAP_SYS_BOOT only when asked to. */
        unsetenv("WARMBOOT_TEST_CAN_BOOT");
        return cmocka_run_group_tests(tests, NULL, NULL);
}
