/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * systemd-boot's EFI variables and GRUB's next_entry: the efivarfs string format, which
 * entry each variable makes the default (in systemd-boot's order), the running entry by
 * LoaderEntrySelected, and how reboot --default uses up a one-shot choice and puts it back
 * when the hand-over fails. The machines are a Debian 12 with systemd-boot 252 (ESP at
 * /boot/efi, entries written by kernel-install) and a Debian 12 with GRUB.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "boot-entries.h"
#include "efivar.h"
#include "efivars.h"
#include "grubenv.h"
#include "testlib.h"
#include "util.h"
#include "verbs.h"

#define MID "6a1f3c9e2b7d4e08a5c1f2d3e4b5a697"
#define OLD MID "-6.1.0-13-amd64"
#define NEW MID "-6.1.0-18-amd64"
#define VARS "sys/firmware/efi/efivars/"
#define ONESHOT_FILE VARS "LoaderEntryOneShot-" EFI_LOADER_GUID

/* ---- The file format ---- */

static void test_real_variable(void **state)
{
        /* LoaderEntryDefault as bootctl set-default writes it: NV|BS|RT, then "a.conf\0". */
        static const uint8_t file[] = {0x07, 0,   0, 0,   'a', 0,   '.', 0, 'c',
                                       0,    'o', 0, 'n', 0,   'f', 0,   0, 0};
        _cleanup_free_ char *s = NULL;
        uint32_t attributes = 0;

        assert_int_equal(efivar_string_parse(file, sizeof(file), &attributes, &s, NULL), 0);
        assert_string_equal(s, "a.conf");
        assert_int_equal(attributes, EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |
                                             EFI_VARIABLE_RUNTIME_ACCESS);
        free(s);
        /* Without its NUL the same string. */
        assert_int_equal(efivar_string_parse(file, sizeof(file) - 2, NULL, &s, NULL), 0);
        assert_string_equal(s, "a.conf");
}

static void expect_refused(const uint8_t *file, size_t len, int err, const char *problem_part)
{
        const char *problem = NULL;
        char *s = (char *)"untouched";

        assert_int_equal(efivar_string_parse(file, len, NULL, &s, &problem), err);
        assert_string_equal(s, "untouched");
        assert_non_null(problem);
        assert_non_null(strstr(problem, problem_part));
}

static void test_garbled_variables(void **state)
{
        static const uint8_t odd[] = {0x07, 0, 0, 0, 'a', 0, 'b'};
        static const uint8_t nul[] = {0x07, 0, 0, 0, 'a', 0, 0, 0, 'b', 0, 0, 0};
        static const uint8_t high[] = {0x07, 0, 0, 0, 0x3d, 0xd8, 'a', 0, 0, 0};
        static const uint8_t low[] = {0x07, 0, 0, 0, 0x00, 0xde, 0, 0};
        static const uint8_t high_last[] = {0x07, 0, 0, 0, 'a', 0, 0x3d, 0xd8};
        static const uint8_t short_[] = {0x07, 0, 0};
        uint8_t *long_ = calloc(1, EFIVAR_FILE_MAX + 2);

        expect_refused(odd, sizeof(odd), -EBADMSG, "odd length");
        expect_refused(nul, sizeof(nul), -EBADMSG, "NUL");
        expect_refused(high, sizeof(high), -EBADMSG, "surrogate");
        expect_refused(low, sizeof(low), -EBADMSG, "surrogate");
        expect_refused(high_last, sizeof(high_last), -EBADMSG, "surrogate");
        expect_refused(short_, sizeof(short_), -EBADMSG, "attributes");
        assert_non_null(long_);
        for (size_t i = 4; i < EFIVAR_FILE_MAX + 2; i += 2)
                long_[i] = 'x';
        expect_refused(long_, EFIVAR_FILE_MAX + 2, -EFBIG, "too long");
        free(long_);
}

static void test_surrogate_pair_and_round_trip(void **state)
{
        /* U+1F600 as a pair, U+00E9 as one unit. */
        static const uint8_t file[] = {0x06, 0, 0, 0, 0x3d, 0xd8, 0x00, 0xde, 0xe9, 0, 0, 0};
        _cleanup_free_ char *s = NULL;
        _cleanup_free_ uint8_t *back = NULL;
        size_t len;

        assert_int_equal(efivar_string_parse(file, sizeof(file), NULL, &s, NULL), 0);
        assert_string_equal(s, "\xf0\x9f\x98\x80\xc3\xa9");
        assert_int_equal(efivar_string_format(6, s, &back, &len), 0);
        assert_int_equal(len, sizeof(file));
        assert_memory_equal(back, file, len);
        /* Not UTF-8, or a surrogate written in UTF-8: no variable. */
        assert_int_equal(efivar_string_format(6, "\xc3", &back, &len), -EINVAL);
        assert_int_equal(efivar_string_format(6, "\xed\xa0\x80", &back, &len), -EINVAL);
        assert_int_equal(efivar_string_format(6, "\xc0\xaf", &back, &len), -EINVAL);
}

/* GRUB's block after "grub-reboot 1" on Debian, padded to 1024 bytes. */
static char *grub_block(const char *vars)
{
        char *b = malloc(1025);
        size_t n;

        assert_non_null(b);
        n = (size_t)snprintf(b, 1025, "# GRUB Environment Block\n%s", vars);
        memset(b + n, '#', 1024 - n);
        b[1024] = 0;
        return b;
}

static void test_grubenv_clear(void **state)
{
        _cleanup_free_ char *before = grub_block("saved_entry=0\nnext_entry=1>2\nboot_once=\n");
        _cleanup_free_ char *want = grub_block("saved_entry=0\nnext_entry=\nboot_once=\n");
        _cleanup_free_ char *bad = grub_block("saved_entry=0\nnot a line\n");
        char *after = NULL;

        assert_int_equal(grubenv_clear(before, 1024, "next_entry", &after), 0);
        assert_memory_equal(after, want, 1024);
        free(after);
        /* An escaped newline is part of the value: it goes with it. */
        free(before);
        before = grub_block("next_entry=a\\\nb\nsaved_entry=0\n");
        free(want);
        want = grub_block("next_entry=\nsaved_entry=0\n");
        assert_int_equal(grubenv_clear(before, 1024, "next_entry", &after), 0);
        assert_memory_equal(after, want, 1024);
        free(after);
        /* A "next_entry=" after an escaped newline is inside another value (here
         * saved_entry's): it stays, and so does that value (found by fuzz-grubenv). */
        free(before);
        before = grub_block("saved_entry=0x=a\\\nnext_entry=1>2\n");
        assert_int_equal(grubenv_clear(before, 1024, "next_entry", &after), 0);
        assert_memory_equal(after, before, 1024);
        free(after);
        /* Without next_entry, the block as it was. */
        assert_int_equal(grubenv_clear(want, 1024, "next_entry", &after), 0);
        assert_memory_equal(after, want, 1024);
        free(after);
        after = NULL;
        assert_int_equal(grubenv_clear(bad, 1024, "next_entry", &after), -EBADMSG);
        bad[100] = 0;
        assert_int_equal(grubenv_clear(bad, 1024, "next_entry", &after), -EBADMSG);
        assert_null(after);
}

/* ---- Which entry is the default ---- */

/* Writes the loader variable name holding value (attributes: 7 for the ones kept across
 * boots, 6 for those systemd-boot sets each boot). */
static void write_var(const char *dir, const char *name, uint32_t attributes, const char *value)
{
        _cleanup_free_ char *path = strdup_printf(VARS "%s-" EFI_LOADER_GUID, name);
        _cleanup_free_ uint8_t *data = NULL;
        size_t len;

        assert_int_equal(efivar_string_format(attributes, value, &data, &len), 0);
        fixture_write_bytes(dir, path, data, len);
}

static void remove_var(const char *dir, const char *name)
{
        _cleanup_free_ char *path = strdup_printf("%s/" VARS "%s-" EFI_LOADER_GUID, dir, name);
        assert_int_equal(unlink(path), 0);
}

static void list_of(const char *dir, struct entry_list *l)
{
        struct root *r;

        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(entries_of_machine(r, l), 0);
        root_free(r);
}

/* The id of the default entry, and why. */
static void expect_default(const char *dir, const char *id, enum default_from from)
{
        struct entry_list l;

        list_of(dir, &l);
        assert_true(l.default_index >= 0);
        if (!streq(l.entries[l.default_index].id, id) || l.default_from != from)
                fail_msg("default %s by %s, want %s by %s", l.entries[l.default_index].id,
                         default_from_to_string(l.default_from), id, default_from_to_string(from));
        entry_list_done(&l);
}

static void test_systemd_boot_precedence(void **state)
{
        char *dir = fixture_materialise("machine-debian-sdboot");

        /* bootctl set-default chose the older kernel; loader.conf's pattern the newer. */
        expect_default(dir, OLD, DEFAULT_FROM_LOADER_DEFAULT);
        /* bootctl set-oneshot comes first. */
        write_var(dir, "LoaderEntryOneShot", 7, NEW ".conf");
        expect_default(dir, NEW, DEFAULT_FROM_LOADER_ONESHOT);
        /* A one-shot naming no entry (removed since) falls through. */
        write_var(dir, "LoaderEntryOneShot", 7, MID "-6.1.0-9-amd64.conf");
        expect_default(dir, OLD, DEFAULT_FROM_LOADER_DEFAULT);
        /* Ids match whatever their case, with or without ".conf". */
        write_var(dir, "LoaderEntryOneShot", 7, "6A1F3C9E2B7D4E08A5C1F2D3E4B5A697-6.1.0-18-AMD64");
        expect_default(dir, NEW, DEFAULT_FROM_LOADER_ONESHOT);
        remove_var(dir, "LoaderEntryOneShot");
        /* Without the EFI variables, loader.conf: its pattern picks the first match of the
         * sorted list, the newest. */
        remove_var(dir, "LoaderEntryDefault");
        fixture_write(dir, "boot/efi/loader/loader.conf", "timeout 3\ndefault " OLD ".conf\n");
        expect_default(dir, OLD, DEFAULT_FROM_LOADER_CONF);
        fixture_write(dir, "boot/efi/loader/loader.conf", "timeout 3\n#console-mode keep\n");
        expect_default(dir, NEW, DEFAULT_FROM_FIRST);
        /* A LoaderEntryDefault naming no entry falls through to loader.conf. */
        write_var(dir, "LoaderEntryDefault", 7, "debian-*");
        fixture_write(dir, "boot/efi/loader/loader.conf", "default " OLD "*\n");
        expect_default(dir, OLD, DEFAULT_FROM_LOADER_CONF);
        fixture_remove(dir);
}

static void test_systemd_boot_saved(void **state)
{
        char *dir = fixture_materialise("machine-debian-sdboot");

        /* "@saved": the entry booted last, which systemd-boot keeps in LoaderEntryLastBooted. */
        remove_var(dir, "LoaderEntryDefault");
        fixture_write(dir, "boot/efi/loader/loader.conf", "default @saved\n");
        write_var(dir, "LoaderEntryLastBooted", 7, OLD ".conf");
        expect_default(dir, OLD, DEFAULT_FROM_LOADER_SAVED);
        /* bootctl set-default @saved does the same from the EFI variable. */
        fixture_write(dir, "boot/efi/loader/loader.conf", "timeout 3\n");
        write_var(dir, "LoaderEntryDefault", 7, "@saved");
        expect_default(dir, OLD, DEFAULT_FROM_LOADER_SAVED);
        /* Nothing booted yet: the first entry. */
        remove_var(dir, "LoaderEntryLastBooted");
        expect_default(dir, NEW, DEFAULT_FROM_FIRST);
        fixture_remove(dir);
}

static void test_garbled_variable_is_one_warning(void **state)
{
        char *dir = fixture_materialise("machine-debian-sdboot");
        _cleanup_free_ char *path = efivar_loader_path("LoaderEntryDefault");
        static const uint8_t odd[] = {0x07, 0, 0, 0, 'x', 0, 'y'};
        struct entry_list l;

        fixture_write_bytes(dir, VARS "LoaderEntryDefault-" EFI_LOADER_GUID, odd, sizeof(odd));
        list_of(dir, &l);
        /* loader.conf's pattern, as if the variable were not there. */
        assert_string_equal(l.entries[l.default_index].id, NEW);
        assert_int_equal(l.default_from, DEFAULT_FROM_LOADER_CONF);
        assert_int_equal(strv_length(l.warnings), 1);
        assert_true(startswith(l.warnings[0], path));
        assert_non_null(strstr(l.warnings[0], "odd length"));
        entry_list_done(&l);
        fixture_remove(dir);
}

static void test_grubenv_not_asked_under_systemd_boot(void **state)
{
        char *dir = fixture_materialise("machine-debian-sdboot");
        _cleanup_free_ char *env = grub_block("saved_entry=" NEW "\n");

        /* A grubenv left from GRUB's time: systemd-boot booted this machine, not GRUB. */
        fixture_write(dir, "boot/grub/grubenv", env);
        expect_default(dir, OLD, DEFAULT_FROM_LOADER_DEFAULT);
        /* Without LoaderInfo nothing says which loader booted: GRUB's setting is taken, as
         * on a Fedora machine with blscfg. */
        remove_var(dir, "LoaderInfo");
        expect_default(dir, NEW, DEFAULT_FROM_SAVED_ENTRY);
        fixture_remove(dir);
}

/* ---- The running entry ---- */

static void plan_of(const char *dir, const struct plan_options *o, struct plan *p)
{
        struct root *r;

        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(plan_build(r, o, p), 0);
        root_free(r);
}

static void test_running_entry_by_loader_entry_selected(void **state)
{
        char *dir = fixture_materialise("machine-debian-sdboot");
        struct plan_options o = {};
        struct entry_list l;
        struct plan p;

        list_of(dir, &l);
        assert_string_equal(l.entries[l.running_index].id, NEW);
        assert_true(l.running_by_loader);
        entry_list_done(&l);

        /* No selection: the entry's own kernel and initrd on the ESP, the running command
         * line without the initrd= that systemd-boot added. */
        plan_of(dir, &o, &p);
        assert_string_equal(p.kernel, "/boot/efi/" MID "/6.1.0-18-amd64/linux");
        assert_string_equal(p.source, "loader-entry");
        assert_string_equal(p.initrds[0],
                            "/boot/efi/" MID "/6.1.0-18-amd64/initrd.img-6.1.0-18-amd64");
        assert_null(p.initrds[1]);
        assert_trial_cmdline(p.cmdline, "root=UUID=d2c4e6f8-1a3b-4c5d-8e9f-0a1b2c3d4e5f ro quiet");
        assert_false(plan_has_failure(&p));
        plan_done(&p);
        fixture_remove(dir);
}

static void test_stale_loader_entry_selected(void **state)
{
        char *dir = fixture_materialise("machine-debian-sdboot");
        struct plan_options o = {};
        struct entry_list l;
        struct plan p;

        /* The variable names the older kernel, but 6.1.0-18 runs: it is not believed. */
        write_var(dir, "LoaderEntrySelected", 6, OLD ".conf");
        list_of(dir, &l);
        assert_string_equal(l.entries[l.running_index].id, NEW);
        assert_false(l.running_by_loader);
        entry_list_done(&l);
        plan_of(dir, &o, &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-6.1.0-18-amd64");
        assert_string_equal(p.source, "layout");
        plan_done(&p);

        /* GRUB chainloaded by hand wrote BOOT_IMAGE=: that names the kernel, not the
         * variable. */
        write_var(dir, "LoaderEntrySelected", 6, NEW ".conf");
        fixture_write(dir, "proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 ro\n");
        list_of(dir, &l);
        assert_false(l.running_by_loader);
        entry_list_done(&l);
        plan_of(dir, &o, &p);
        assert_string_equal(p.source, "boot-image");
        plan_done(&p);
        fixture_remove(dir);
}

/* ---- Using up a one-shot choice ---- */

struct env {
        char *dir;
        struct verb_context ctx;
};

static struct env *env_new(const char *machine)
{
        struct env *e = calloc(1, sizeof(*e));

        assert_non_null(e);
        fake_install();
        e->dir = fixture_materialise(machine);
        assert_int_equal(root_new(e->dir, &e->ctx.root), 0);
        fake_root_dir = e->dir;
        e->ctx.quiet = true;
        e->ctx.options.use_default = true;
        return e;
}

static void env_free(struct env *e)
{
        root_free(e->ctx.root);
        fixture_remove(e->dir);
        free(e);
}

static uint8_t *read_in(const struct env *e, const char *path, size_t *ret_len)
{
        _cleanup_free_ char *full = path_join(e->dir, path);
        return fixture_read_bytes(full, ret_len);
}

static void assert_trace(const char *want)
{
        _cleanup_free_ char *got = fake_trace();
        if (!streq(got, want))
                fail_msg(" got: %s\nwant: %s", got, want);
}

static void assert_step(const struct env *e, const char *want)
{
        struct plan p;
        bool found = false;
        FILE *f;
        char *text = NULL;
        size_t len = 0;

        plan_of(e->dir, &e->ctx.options, &p);
        f = open_memstream(&text, &len);
        assert_int_equal(plan_print(&p, false, f), 0);
        fclose(f);
        found = strstr(text, want) != NULL;
        if (!found)
                fail_msg("no step '%s' in:\n%s", want, text);
        free(text);
        plan_done(&p);
}

static void test_oneshot_deleted_with_the_boot(void **state)
{
        struct env *e = env_new("machine-debian-sdboot");
        _cleanup_free_ uint8_t *before = NULL;
        struct entry_list l;
        size_t len;

        write_var(e->dir, "LoaderEntryOneShot", 7, NEW ".conf");
        before = read_in(e, ONESHOT_FILE, &len);
        assert_step(e,
                    "2. delete the EFI variable LoaderEntryOneShot\n           3. write the reboot "
                    "report /var/lib/warmboot/last-reboot (the next boot completes it)\n"
                    "           4. hand over");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|remove LoaderEntryOneShot-" EFI_LOADER_GUID
                     "|write last-reboot|kexec.target");
        assert_null(read_in(e, ONESHOT_FILE, &len));
        /* The next boot, warm or cold, is back at LoaderEntryDefault. */
        list_of(e->dir, &l);
        assert_string_equal(l.entries[l.default_index].id, OLD);
        entry_list_done(&l);

        /* --entry is not the boot loader's choice: the one-shot stays for the next boot. */
        fake_reset();
        fake_root_dir = e->dir;
        fixture_write_bytes(e->dir, ONESHOT_FILE, before, len);
        e->ctx.options.use_default = false;
        e->ctx.options.entry = OLD;
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|write last-reboot|kexec.target");
        free(read_in(e, ONESHOT_FILE, &len));
        env_free(e);
}

static void test_oneshot_restored_when_the_handover_fails(void **state)
{
        struct env *e = env_new("machine-debian-sdboot");
        _cleanup_free_ uint8_t *before = NULL, *after = NULL;
        _cleanup_free_ char *err = NULL;
        size_t len, after_len;

        write_var(e->dir, "LoaderEntryOneShot", 7, NEW ".conf");
        before = read_in(e, ONESHOT_FILE, &len);
        fake_kexec_result = -EIO;
        assert_int_equal(verb_capturing_stderr(verb_reboot, &e->ctx, &err), EXIT_FAILED);
        assert_trace("kexec_file_load|remove LoaderEntryOneShot-" EFI_LOADER_GUID
                     "|write last-reboot|kexec.target|remove last-reboot|create "
                     "LoaderEntryOneShot-" EFI_LOADER_GUID "|unload");
        /* The same attributes and value, so that the next boot still takes it. */
        after = read_in(e, ONESHOT_FILE, &after_len);
        assert_non_null(after);
        assert_int_equal(after_len, len);
        assert_memory_equal(after, before, len);
        assert_non_null(strstr(err, "restored: the EFI variable LoaderEntryOneShot\n"));
        assert_non_null(strstr(err, "the machine runs as before"));
        env_free(e);
}

static void test_oneshot_that_cannot_be_deleted_stops_the_reboot(void **state)
{
        struct env *e = env_new("machine-debian-sdboot");
        _cleanup_free_ char *err = NULL;
        _cleanup_free_ uint8_t *after = NULL;
        size_t len;

        write_var(e->dir, "LoaderEntryOneShot", 7, NEW ".conf");
        fake_failing_file = "remove LoaderEntryOneShot-" EFI_LOADER_GUID;
        fake_file_result = -EPERM;
        assert_int_equal(verb_capturing_stderr(verb_reboot, &e->ctx, &err), EXIT_FAILED);
        /* No hand-over: a warm boot that leaves the choice for the next one would boot the
         * one-shot entry twice. */
        assert_trace("kexec_file_load|remove LoaderEntryOneShot-" EFI_LOADER_GUID "|unload");
        assert_non_null(strstr(err,
                               "cannot delete the EFI variable /sys/firmware/efi/efivars/"
                               "LoaderEntryOneShot-" EFI_LOADER_GUID ": Operation not permitted"));
        assert_non_null(strstr(err, "the machine runs as before"));
        after = read_in(e, ONESHOT_FILE, &len);
        assert_non_null(after);
        env_free(e);
}

/* Debian 12 with GRUB, after "grub-reboot 'Advanced options for Debian GNU/Linux>...'". */
#define GRUB_ENTRY                                                                                 \
        "gnulinux-advanced-7c2e9a41-3d5b-4f08-a6e1-c94b2d7f3e85>"                                  \
        "gnulinux-6.1.0-16-amd64-advanced-7c2e9a41-3d5b-4f08-a6e1-c94b2d7f3e85"

static struct env *grub_machine(void)
{
        struct env *e = env_new("machine-debian-grub");
        _cleanup_free_ char *block = grub_block("next_entry=" GRUB_ENTRY "\n");

        fixture_write(e->dir, "etc/default/grub",
                      "GRUB_DEFAULT=0\nGRUB_TIMEOUT=5\n"
                      "GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n");
        fixture_write(e->dir, "boot/grub/grubenv", block);
        fixture_write(e->dir, "run/systemd/system/.keep", "");
        return e;
}

static void test_next_entry_cleared_with_the_boot(void **state)
{
        struct env *e = grub_machine();
        _cleanup_free_ char *want = grub_block("next_entry=\n");
        _cleanup_free_ uint8_t *after = NULL;
        struct entry_list l;
        size_t len;

        list_of(e->dir, &l);
        assert_string_equal(l.entries[l.default_index].id, GRUB_ENTRY);
        assert_int_equal(l.default_from, DEFAULT_FROM_NEXT_ENTRY);
        entry_list_done(&l);
        assert_step(e, "2. clear GRUB's next_entry in /boot/grub/grubenv\n           3. write the "
                       "reboot report /var/lib/warmboot/last-reboot (the next boot completes it)\n"
                       "           4. hand over");
        assert_int_equal(verb_reboot(&e->ctx), EXIT_OK);
        assert_trace("kexec_file_load|replace grubenv|write last-reboot|kexec.target");
        assert_string_equal(fake_calls[0].kernel + strlen(e->dir), "/boot/vmlinuz-6.1.0-16-amd64");
        /* As GRUB leaves it: next_entry empty, the block 1024 bytes, nothing left beside. */
        after = read_in(e, "boot/grub/grubenv", &len);
        assert_int_equal(len, 1024);
        assert_memory_equal(after, want, 1024);
        {
                _cleanup_free_ char *tmp = path_join(e->dir, "boot/grub/.grubenv.warmboot-new");
                assert_int_equal(access(tmp, F_OK), -1);
        }
        /* The next cold boot is back at GRUB_DEFAULT. */
        list_of(e->dir, &l);
        assert_int_equal(l.default_index, 0);
        assert_int_equal(l.default_from, DEFAULT_FROM_GRUB_DEFAULT);
        entry_list_done(&l);
        env_free(e);
}

static void test_next_entry_restored_when_the_handover_fails(void **state)
{
        struct env *e = grub_machine();
        _cleanup_free_ uint8_t *before = NULL, *after = NULL;
        _cleanup_free_ char *err = NULL;
        size_t len, after_len;

        before = read_in(e, "boot/grub/grubenv", &len);
        fake_kexec_result = -EIO;
        assert_int_equal(verb_capturing_stderr(verb_reboot, &e->ctx, &err), EXIT_FAILED);
        assert_trace("kexec_file_load|replace grubenv|write last-reboot|kexec.target|remove "
                     "last-reboot|replace grubenv|unload");
        after = read_in(e, "boot/grub/grubenv", &after_len);
        assert_int_equal(after_len, len);
        assert_memory_equal(after, before, len);
        assert_non_null(strstr(err, "restored: GRUB's next_entry in /boot/grub/grubenv\n"));
        env_free(e);
}

static void test_next_entry_restored_after_the_own_shutdown(void **state)
{
        struct env *e = grub_machine();
        _cleanup_free_ uint8_t *before = NULL, *after = NULL;
        _cleanup_free_ char *err = NULL;
        size_t len, after_len;

        /* No systemd: warmboot's own shutdown ends everything, then the kexec fails. The
         * machine must be rebooted the usual way, and that boot is to take next_entry. */
        fixture_remove(path_join(e->dir, "run/systemd"));
        before = read_in(e, "boot/grub/grubenv", &len);
        assert_int_equal(verb_capturing_stderr(verb_reboot, &e->ctx, &err), EXIT_FAILED);
        after = read_in(e, "boot/grub/grubenv", &after_len);
        assert_int_equal(after_len, len);
        assert_memory_equal(after, before, len);
        assert_non_null(strstr(err, "restored: GRUB's next_entry in /boot/grub/grubenv\n"));
        assert_non_null(strstr(err, "reboot it the usual way"));
        env_free(e);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_real_variable),
                cmocka_unit_test(test_garbled_variables),
                cmocka_unit_test(test_surrogate_pair_and_round_trip),
                cmocka_unit_test(test_grubenv_clear),
                cmocka_unit_test(test_systemd_boot_precedence),
                cmocka_unit_test(test_systemd_boot_saved),
                cmocka_unit_test(test_garbled_variable_is_one_warning),
                cmocka_unit_test(test_grubenv_not_asked_under_systemd_boot),
                cmocka_unit_test(test_running_entry_by_loader_entry_selected),
                cmocka_unit_test(test_stale_loader_entry_selected),
                cmocka_unit_test(test_oneshot_deleted_with_the_boot),
                cmocka_unit_test(test_oneshot_restored_when_the_handover_fails),
                cmocka_unit_test(test_oneshot_that_cannot_be_deleted_stops_the_reboot),
                cmocka_unit_test(test_next_entry_cleared_with_the_boot),
                cmocka_unit_test(test_next_entry_restored_when_the_handover_fails),
                cmocka_unit_test(test_next_entry_restored_after_the_own_shutdown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
