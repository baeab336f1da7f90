/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Whole outputs, as a user sees them: warmboot-under-test --root MACHINE runs plan, list and
 * status, as text and as JSON, on every fixture machine, and what it prints is compared
 * with tests/fixtures/golden/:
 *
 *   MACHINE.VERB.txt, MACHINE.VERB.json   standard output
 *   MACHINE.VERB.txt.err, ....json.err    standard error, where there is any
 *   MACHINE.exit                          the exit status of each command
 *
 * The temporary path of the tree shows as @ROOT, a trial's id as @TRIAL. WARMBOOT_UPDATE_GOLDEN=1
 * rewrites the files: read every changed one before committing, since a golden that captures a bug
 * is worse than none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>

#include "testlib.h"
#include "util.h"

/* Every fixture that stands for a whole machine. */
static const char *const machines[] = {
        "alpine",
        "arch",
        "arch-fallback-only",
        "arch-updated",
        "centos8",
        "debian",
        "fedora",
        "fedora-kernel-install",
        "gentoo",
        "lockdown-unsigned",
        "minimal",
        "opensuse",
        "ubuntu-separate-boot",
        "machine-arch-sdboot",
        "machine-debian-sdboot",
        "machine-centos8-bls",
        "machine-debian-grub",
        "machine-fedora-bls",
        "machine-nixos",
        "machine-opensuse-grub",
        "machine-ubuntu-grub",
        "machine-uki-sdboot",
        /* A /boot after an interrupted upgrade, and the running release's image damaged or
         * replaced. */
        "ubuntu-interrupted-upgrade",
        "ubuntu-damaged-image",
        "ubuntu-replaced-image",
        /* Machines to prepare: GPU drivers to unload, processes on their devices. */
        "machine-nvidia-desktop",
        "machine-amdgpu-desktop",
        "machine-headless-server",
        /* A hardware watchdog (i6300esb) that stops at the kexec, one that survives it and
         * is armed, and one that survives it with systemd driving it (a tree shows that as
         * "active"). */
        "machine-watchdog-stops",
        "machine-watchdog-armed",
        "machine-watchdog-systemd",
        /* Encrypted disks: unlocked through a TPM2 on PCRs (crypttab's tpm2-device=, a
         * systemd-tpm2 token, clevis), a passphrase only, a bad crypttab, a damaged header. */
        "tpm2-crypttab-auto",
        "tpm2-root-lvm",
        "tpm2-clevis",
        "tpm2-passphrase",
        "tpm2-bad-crypttab",
        "tpm2-corrupt-header",
};

static const struct command {
        const char *file;    /* MACHINE.file */
        const char *args[4]; /* NULL-terminated */
} commands[] = {
        {"plan.txt", {"plan"}},
        {"plan.json", {"plan", "--json"}},
        /* What --latest chooses, and with which initrds, on every layout. */
        {"latest.plan.txt", {"plan", "--latest"}},
        {"latest.plan.json", {"plan", "--latest", "--json"}},
        {"list.txt", {"list"}},
        {"list.json", {"list", "--json"}},
        {"status.txt", {"status"}},
        {"status.json", {"status", "--json"}},
};

/* Replaces every occurrence of dir in *text with @ROOT. */
static void hide_root(char **text, const char *dir)
{
        char *out = NULL;
        size_t len = 0, n = strlen(dir);
        FILE *f = open_memstream(&out, &len);
        const char *p = *text, *hit;

        assert_non_null(f);
        while ((hit = strstr(p, dir))) {
                fwrite(p, 1, (size_t)(hit - p), f);
                fputs("@ROOT", f);
                p = hit + n;
        }
        fputs(p, f);
        fclose(f);
        free(*text);
        *text = out;
}

static bool is_hex(char c)
{
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* A trial's id is new on every run: it reads @TRIAL after "warmboot.trial=" and as the
 * trial's JSON "id". */
static void hide_trial_id(char *text)
{
        static const char *const before[] = {"warmboot.trial=", "\"id\": \""};

        for (size_t k = 0; k < ELEMENTSOF(before); k++)
                for (char *p = text; (p = strstr(p, before[k]));) {
                        size_t n = 0;
                        p += strlen(before[k]);
                        while (is_hex(p[n]))
                                n++;
                        if (n == 32) {
                                memcpy(p, "@TRIAL", 6);
                                memmove(p + 6, p + 32, strlen(p + 32) + 1);
                        }
                }
}

/* Runs warmboot-under-test --root dir ARGS; the fixture's path reads @ROOT in its output. */
static struct program_result run(const char *dir, const char *const *args)
{
        char *argv[8] = {(char *)WARMBOOT_UNDER_TEST, (char *)"--root", (char *)dir};
        struct program_result r;
        size_t n = 3;

        for (size_t i = 0; args[i]; i++)
                argv[n++] = (char *)args[i];
        r = program_run(argv);
        assert_true(r.status >= 0 && r.out && r.err);
        hide_root(&r.out, dir);
        hide_root(&r.err, dir);
        hide_trial_id(r.out);
        hide_trial_id(r.err);
        return r;
}

static char *golden_path(const char *machine, const char *file)
{
        return strdup_printf("%s/golden/%s.%s", FIXTURE_DIR, machine, file);
}

static void write_file(const char *path, const char *text)
{
        FILE *f = fopen(path, "we");

        assert_non_null(f);
        fputs(text, f);
        assert_int_equal(fclose(f), 0);
}

/* Says where got and the golden file first differ; false when they do. */
static bool same_as_golden(const char *path, const char *got)
{
        _cleanup_free_ char *want = fixture_read(path);
        const char *g = got, *w = want;
        unsigned line = 1;

        if (!want) {
                print_error("%s is missing; got:\n%s\n", path, got);
                return false;
        }
        if (streq(got, want))
                return true;
        while (*g && *g == *w) {
                if (*g == '\n')
                        line++;
                g++, w++;
        }
        while (g > got && g[-1] != '\n')
                g--, w--;
        print_error("%s differs from line %u:\n got: %.*s\nwant: %.*s\n", path, line,
                    (int)strcspn(g, "\n"), g, (int)strcspn(w, "\n"), w);
        return false;
}

/* Standard error is golden where there is any; where there is none, it must stay empty. */
static bool err_as_golden(const char *path, const char *got, bool update)
{
        if (update) {
                if (*got)
                        write_file(path, got);
                else
                        (void)unlink(path);
                return true;
        }
        if (*got || access(path, F_OK) == 0)
                return same_as_golden(path, got);
        return true;
}

static void test_machine(void **state)
{
        const char *machine = *state;
        bool update = getenv("WARMBOOT_UPDATE_GOLDEN"), ok = true;
        char *exit_path = golden_path(machine, "exit");
        char *dir = fixture_materialise(machine), *exits = NULL;
        size_t exits_len = 0;
        FILE *f = open_memstream(&exits, &exits_len);

        assert_non_null(f);
        for (size_t i = 0; i < ELEMENTSOF(commands); i++) {
                const struct command *c = &commands[i];
                _cleanup_free_ char *path = golden_path(machine, c->file);
                _cleanup_free_ char *err_path = strdup_printf("%s.err", path);
                struct program_result o = run(dir, c->args);

                for (size_t k = 0; c->args[k]; k++)
                        fprintf(f, "%s%s", k ? " " : "", c->args[k]);
                fprintf(f, ": %d\n", o.status);
                if (update)
                        write_file(path, o.out);
                else
                        ok = same_as_golden(path, o.out) && ok;
                ok = err_as_golden(err_path, o.err, update) && ok;
                program_result_done(&o);
        }
        fclose(f);
        if (update)
                write_file(exit_path, exits);
        else
                ok = same_as_golden(exit_path, exits) && ok;
        free(exits);
        free(exit_path);
        fixture_remove(dir);
        if (!ok) { /* fail() jumps out: nothing may be left to free */
                print_error("%s: output differs; WARMBOOT_UPDATE_GOLDEN=1 rewrites the goldens "
                            "(read them before committing)\n",
                            machine);
                fail();
        }
}

/* Whether name is MACHINE.exit or MACHINE.FILE[.err] of a machine and command above. */
static bool golden_name_known(const char *name)
{
        for (size_t m = 0; m < ELEMENTSOF(machines); m++) {
                const char *rest = startswith(name, machines[m]);
                if (!rest || *rest++ != '.')
                        continue;
                if (streq(rest, "exit"))
                        return true;
                for (size_t i = 0; i < ELEMENTSOF(commands); i++) {
                        const char *tail = startswith(rest, commands[i].file);
                        if (tail && (!*tail || streq(tail, ".err")))
                                return true;
                }
        }
        return false;
}

/* A golden left from a machine or command no longer run would never be checked. */
static void test_no_stray_goldens(void **state)
{
        _cleanup_free_ char *path = path_join(FIXTURE_DIR, "golden");
        DIR *d = opendir(path);
        struct dirent *de;
        bool ok = true;

        assert_non_null(d);
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' && !golden_name_known(de->d_name)) {
                        print_error("%s/%s belongs to no machine and command of this test\n", path,
                                    de->d_name);
                        ok = false;
                }
        closedir(d);
        if (!ok)
                fail_msg("remove them, or add their machine or command to this test");
}

int main(void)
{
        struct CMUnitTest tests[ELEMENTSOF(machines) + 1];

        for (size_t i = 0; i < ELEMENTSOF(machines); i++)
                tests[i] = (struct CMUnitTest){
                        .name = machines[i],
                        .test_func = test_machine,
                        .initial_state = (void *)machines[i],
                };
        tests[ELEMENTSOF(machines)] = (struct CMUnitTest){
                .name = "no stray goldens",
                .test_func = test_no_stray_goldens,
        };
        return _cmocka_run_group_tests("golden", tests, ELEMENTSOF(tests), NULL, NULL);
}
