/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "bls.h"
#include "grubenv.h"
#include "testlib.h"
#include "util.h"

#define FEDORA_MID "2e7ae84ac8f14e0fa8e5c5b4a1e2e6f3"
#define CENTOS_MID "c0ffee5a1d2b4c3e8f9a0b1c2d3e4f50"
#define ARCH_MID "8a3f0c6d2b9e4f17a5c4d3e2f1a0b9c8"

static char *read_fixture(const char *path)
{
        _cleanup_free_ char *full = path_join(FIXTURE_DIR, path);
        char *text = fixture_read(full);
        if (!text)
                fail_msg("cannot read fixture %s", full);
        return text;
}

/* Parses tests/fixtures/DIR/loader/entries/ID.conf. */
static void parse_fixture(const char *dir, const char *id, char *const *env, struct boot_entry *ret)
{
        _cleanup_free_ char *rel = strdup_printf("%s/loader/entries/%s.conf", dir, id);
        _cleanup_free_ char *text = read_fixture(rel);
        _cleanup_free_ char *error = NULL;

        if (bls_entry_parse(text, rel, id, env, ret, &error) != 0)
                fail_msg("%s: %s", rel, error);
}

/* Parses text that must be refused and returns the message. */
static char *parse_error(const char *text, char *const *env)
{
        struct boot_entry e = {.title = (char *)"untouched"};
        char *error = NULL;

        assert_int_equal(bls_entry_parse(text, "/boot/loader/entries/x.conf", "x", env, &e, &error),
                         -EBADMSG);
        assert_string_equal(e.title, "untouched"); /* the output is left alone on failure */
        assert_non_null(error);
        return error;
}

static void parse_text(const char *text, char *const *env, struct boot_entry *ret)
{
        _cleanup_free_ char *error = NULL;

        if (bls_entry_parse(text, "x.conf", "x", env, ret, &error) != 0)
                fail_msg("%s", error);
}

static void assert_initrds(char *const *initrds, const char *const *expected)
{
        size_t n = 0;
        while (expected[n])
                n++;
        assert_int_equal(strv_length(initrds), n);
        for (size_t i = 0; i < n; i++)
                assert_string_equal(initrds[i], expected[i]);
}

static void test_fedora39_entry(void **state)
{
        struct boot_entry e;
        const char *initrds[] = {"/initramfs-6.5.6-300.fc39.x86_64.img", NULL};

        parse_fixture("bls-fedora39", FEDORA_MID "-6.5.6-300.fc39.x86_64", NULL, &e);
        assert_string_equal(e.id, FEDORA_MID "-6.5.6-300.fc39.x86_64");
        assert_string_equal(e.title,
                            "Fedora Linux (6.5.6-300.fc39.x86_64) 39 (Workstation Edition)");
        assert_string_equal(e.version, "6.5.6-300.fc39.x86_64");
        assert_string_equal(e.kernel, "/vmlinuz-6.5.6-300.fc39.x86_64");
        assert_initrds(e.initrds, initrds);
        assert_string_equal(e.options, "root=UUID=3f2a1c9e-5b7d-4e8a-9c1f-2d6b8e4a7c05 ro "
                                       "rootflags=subvol=root rhgb quiet");
        assert_null(e.sort_key);
        assert_null(e.machine_id);
        assert_null(e.root_uuid);
        assert_string_equal(e.file, "bls-fedora39/loader/entries/" FEDORA_MID
                                    "-6.5.6-300.fc39.x86_64.conf");
        assert_int_equal(e.line, 1);
        boot_entry_done(&e);
}

static void test_fedora39_rescue_sorts_last(void **state)
{
        /* No sort-key: file names in descending version order. "MID-0-rescue" differs from
         * the kernels' names at "0" against "6", so it lands after every kernel, where GRUB
         * and systemd-boot both show it. */
        const char *ids[] = {FEDORA_MID "-0-rescue", FEDORA_MID "-6.5.6-300.fc39.x86_64",
                             FEDORA_MID "-6.5.10-200.fc39.x86_64"};
        struct boot_entry *e = calloc(ELEMENTSOF(ids), sizeof(*e));

        for (size_t i = 0; i < ELEMENTSOF(ids); i++)
                parse_fixture("bls-fedora39", ids[i], NULL, &e[i]);
        bls_entries_sort(e, ELEMENTSOF(ids));
        assert_string_equal(e[0].version, "6.5.10-200.fc39.x86_64");
        assert_string_equal(e[1].version, "6.5.6-300.fc39.x86_64");
        assert_string_equal(e[2].id, FEDORA_MID "-0-rescue");
        assert_string_equal(e[2].kernel, "/vmlinuz-0-rescue-" FEDORA_MID);
        boot_entries_free(e, ELEMENTSOF(ids));
}

static void test_centos8_options_come_from_grubenv(void **state)
{
        _cleanup_free_ char *text = read_fixture("bls-centos8/grub2/grubenv");
        _cleanup_strv_free_ char **env = NULL;
        const char *initrds[] = {"/initramfs-4.18.0-305.el8.x86_64.img", NULL};
        struct boot_entry *e = calloc(2, sizeof(*e));

        assert_int_equal(strlen(text), 1024);
        assert_int_equal(grubenv_parse(text, strlen(text), &env), 0);
        parse_fixture("bls-centos8", CENTOS_MID "-4.18.0-193.el8.x86_64", env, &e[0]);
        parse_fixture("bls-centos8", CENTOS_MID "-4.18.0-305.el8.x86_64", env, &e[1]);

        /* "options $kernelopts $tuned_params": tuned_params is unset and adds nothing;
         * "initrd /initramfs-R.img $tuned_initrd": one image. */
        assert_string_equal(e[1].options, "root=/dev/mapper/cl-root ro crashkernel=auto "
                                          "resume=/dev/mapper/cl-swap rd.lvm.lv=cl/root "
                                          "rd.lvm.lv=cl/swap rhgb quiet");
        assert_initrds(e[1].initrds, initrds);
        assert_string_equal(e[1].title, "CentOS Linux (4.18.0-305.el8.x86_64) 8");

        /* The default GRUB boots is saved_entry; sorting puts the newer kernel first too. */
        bls_entries_sort(e, 2);
        assert_string_equal(e[0].id, env_get(env, "saved_entry"));
        assert_string_equal(e[1].version, "4.18.0-193.el8.x86_64");
        boot_entries_free(e, 2);
}

static void test_centos8_without_grubenv_has_empty_options(void **state)
{
        struct boot_entry e;

        /* GRUB expands unknown variables to nothing: the entry names a command line, an
         * empty one, which is not the same as giving none. */
        parse_fixture("bls-centos8", CENTOS_MID "-4.18.0-305.el8.x86_64", NULL, &e);
        assert_non_null(e.options);
        assert_string_equal(e.options, "");
        boot_entry_done(&e);
}

static void test_tuned_initrd_adds_an_image(void **state)
{
        char *env[] = {(char *)"tuned_initrd=/tuned-initrd.img",
                       (char *)"kernelopts=root=/dev/sda1",
                       (char *)"tuned_params=skew_tick=1 nohz=on", NULL};
        const char *initrds[] = {"/initramfs-4.18.0-305.el8.x86_64.img", "/tuned-initrd.img", NULL};
        struct boot_entry e;

        parse_fixture("bls-centos8", CENTOS_MID "-4.18.0-305.el8.x86_64", env, &e);
        assert_initrds(e.initrds, initrds);
        assert_string_equal(e.options, "root=/dev/sda1 skew_tick=1 nohz=on");
        boot_entry_done(&e);
}

static void test_kernel_install_entry(void **state)
{
        const char *initrds[] = {"/" ARCH_MID "/6.7.4-arch1-1/intel-ucode.img",
                                 "/" ARCH_MID "/6.7.4-arch1-1/initrd", NULL};
        struct boot_entry e;

        parse_fixture("bls-kernel-install", ARCH_MID "-6.7.4-arch1-1", NULL, &e);
        assert_string_equal(e.title, "Arch Linux");
        assert_string_equal(e.machine_id, ARCH_MID);
        assert_string_equal(e.sort_key, "arch");
        assert_string_equal(e.version, "6.7.4-arch1-1");
        assert_string_equal(e.kernel, "/" ARCH_MID "/6.7.4-arch1-1/linux");
        /* Microcode first, as listed: it must lead the concatenated initrd. */
        assert_initrds(e.initrds, initrds);
        assert_string_equal(e.options, "root=UUID=9d1e7c2a-4b6f-4a3e-8c5d-1f2e3a4b5c6d rw");
        boot_entry_done(&e);
}

static void test_kernel_install_entries_sort_newest_first(void **state)
{
        const char *versions[] = {"6.7.3-arch1-1", "6.7.10-arch1-1", "6.7.4-arch1-1"};
        struct boot_entry *e = calloc(ELEMENTSOF(versions), sizeof(*e));

        for (size_t i = 0; i < ELEMENTSOF(versions); i++) {
                _cleanup_free_ char *id = strdup_printf(ARCH_MID "-%s", versions[i]);
                parse_fixture("bls-kernel-install", id, NULL, &e[i]);
        }
        bls_entries_sort(e, ELEMENTSOF(versions));
        assert_string_equal(e[0].version, "6.7.10-arch1-1");
        assert_string_equal(e[1].version, "6.7.4-arch1-1");
        assert_string_equal(e[2].version, "6.7.3-arch1-1");
        boot_entries_free(e, ELEMENTSOF(versions));
}

static void test_braced_variables_and_literal_dollars(void **state)
{
        char *env[] = {(char *)"kernelopts=root=/dev/vda2 ro", (char *)"extra=console=ttyS0",
                       (char *)"x=1", NULL};
        struct boot_entry e;

        parse_text("linux /vmlinuz\n"
                   "options ${kernelopts} ${extra}\n"
                   "options a=$x$x b=${x}y c=$ d=$-e f=${unknown}g h=${open\n",
                   env, &e);
        assert_string_equal(e.options,
                            "root=/dev/vda2 ro console=ttyS0 a=11 b=1y c=$ d=$-e f=g h=${open");
        boot_entry_done(&e);
}

static void test_variables_are_not_expanded_twice(void **state)
{
        char *env[] = {(char *)"a=$b", (char *)"b=oops", NULL};
        struct boot_entry e;

        parse_text("linux /vmlinuz\noptions $a\n", env, &e);
        assert_string_equal(e.options, "$b");
        boot_entry_done(&e);
}

static void test_missing_linux_names_the_file(void **state)
{
        _cleanup_free_ char *error = parse_error("title Fedora Linux\n"
                                                 "version 6.5.6-300.fc39.x86_64\n"
                                                 "initrd /initramfs-6.5.6-300.fc39.x86_64.img\n"
                                                 "options root=/dev/sda1\n",
                                                 NULL);
        assert_string_equal(error, "/boot/loader/entries/x.conf:1: entry has no \"linux\" line, "
                                   "so there is no kernel to boot.");

        /* An "efi" program alone is nothing warmboot can load. */
        _cleanup_free_ char *efi = parse_error("title Shell\nefi /EFI/tools/shell.efi\n", NULL);
        assert_non_null(strstr(efi, "no \"linux\""));

        _cleanup_free_ char *empty = parse_error("", NULL);
        assert_non_null(strstr(empty, "x.conf:1: "));
}

static void test_tabs_and_runs_of_blanks_separate(void **state)
{
        struct boot_entry e;

        parse_text("title\tArch Linux  (lts)\n"
                   "linux\t\t/vmlinuz-linux-lts\t \n"
                   "  initrd \t /initramfs-linux-lts.img\n"
                   "\toptions\troot=/dev/sda2\trw\n",
                   NULL, &e);
        /* Blanks inside the value are kept; only those around it go. */
        assert_string_equal(e.title, "Arch Linux  (lts)");
        assert_string_equal(e.kernel, "/vmlinuz-linux-lts");
        assert_string_equal(e.initrds[0], "/initramfs-linux-lts.img");
        assert_string_equal(e.options, "root=/dev/sda2\trw");
        boot_entry_done(&e);
}

static void test_comments_and_blank_lines_are_skipped(void **state)
{
        struct boot_entry e;

        parse_text("# Boot Loader Specification type#1 entry\n"
                   "\n"
                   "   # indented comment: linux /not-this\n"
                   "   \t\n"
                   "linux /vmlinuz # not a comment: part of the value\n",
                   NULL, &e);
        assert_string_equal(e.kernel, "/vmlinuz # not a comment: part of the value");
        assert_null(e.options);
        assert_int_equal(strv_length(e.initrds), 0);
        assert_non_null(e.initrds);
        boot_entry_done(&e);
}

static void test_repeated_keys(void **state)
{
        const char *initrds[] = {"/amd-ucode.img", "/initramfs-linux.img", NULL};
        struct boot_entry e;

        parse_text("options root=/dev/sda2\n"
                   "title First\n"
                   "initrd /amd-ucode.img\n"
                   "linux /vmlinuz-linux\n"
                   "options rw quiet\n"
                   "title Second\n"
                   "initrd /initramfs-linux.img\n",
                   NULL, &e);
        /* options join in order, initrds stay in order, single-valued keys: the last wins. */
        assert_string_equal(e.options, "root=/dev/sda2 rw quiet");
        assert_initrds(e.initrds, initrds);
        assert_string_equal(e.title, "Second");
        boot_entry_done(&e);
}

static void test_linux_twice_is_refused(void **state)
{
        /* systemd-boot boots the last, GRUB's blscfg the first: ambiguous. */
        _cleanup_free_ char *error = parse_error("linux /vmlinuz-a\nlinux /vmlinuz-b\n", NULL);
        assert_string_equal(error, "/boot/loader/entries/x.conf:2: \"linux\" given twice; boot "
                                   "loaders disagree about which one they boot.");
}

static void test_crlf_line_ends(void **state)
{
        struct boot_entry e;

        parse_text("title Fedora\r\nlinux /vmlinuz\r\ninitrd /initrd.img\r\noptions quiet\r\n",
                   NULL, &e);
        assert_string_equal(e.title, "Fedora");
        assert_string_equal(e.kernel, "/vmlinuz");
        assert_string_equal(e.initrds[0], "/initrd.img");
        assert_string_equal(e.options, "quiet");
        boot_entry_done(&e);

        /* A carriage return anywhere else is a control character. */
        _cleanup_free_ char *error = parse_error("linux /vmlinuz\roptions quiet\n", NULL);
        assert_non_null(strstr(error, "x.conf:1: control character"));
}

static void test_no_final_newline(void **state)
{
        struct boot_entry e;

        parse_text("title T\nlinux /vmlinuz", NULL, &e);
        assert_string_equal(e.kernel, "/vmlinuz");
        boot_entry_done(&e);
}

static void test_overlong_line(void **state)
{
        _cleanup_free_ char *text = NULL;
        size_t n = 5000;
        char *p;

        text = malloc(n + 64);
        p = stpcpy(text, "linux /vmlinuz\ntitle x\noptions ");
        memset(p, 'a', n);
        strcpy(p + n, "\n");
        _cleanup_free_ char *error = parse_error(text, NULL);
        assert_string_equal(error,
                            "/boot/loader/entries/x.conf:3: line is longer than 4096 bytes.");

        /* 4096 bytes exactly are fine. */
        struct boot_entry e;
        p[4096 - strlen("options ")] = '\0';
        parse_text(text, NULL, &e);
        assert_int_equal(strlen(e.options), 4096 - strlen("options "));
        boot_entry_done(&e);
}

static void test_nul_and_control_bytes(void **state)
{
        /* The text is a C string: it ends at a NUL (root_read_string() refuses files with
         * one). Here the NUL hides the linux line, so the entry has no kernel. */
        const char with_nul[] = "title x\n\0linux /vmlinuz\n";
        _cleanup_free_ char *nul = parse_error(with_nul, NULL);
        assert_non_null(strstr(nul, "no \"linux\""));

        _cleanup_free_ char *ctl = parse_error("linux /vmlinuz\noptions quiet\x01splash\n", NULL);
        assert_string_equal(ctl, "/boot/loader/entries/x.conf:2: control character in line; "
                                 "entries are plain text.");

        _cleanup_free_ char *del = parse_error("linux /vmlinuz\x7f\n", NULL);
        assert_non_null(strstr(del, "control character"));

        _cleanup_free_ char *esc = parse_error("title \x1b[31mred\n", NULL);
        assert_non_null(strstr(esc, "x.conf:1: control character"));

        /* UTF-8 is text. */
        struct boot_entry e;
        parse_text("title Debian GNU/Linux — 6.1.0\nlinux /vmlinuz\n", NULL, &e);
        assert_string_equal(e.title, "Debian GNU/Linux — 6.1.0");
        boot_entry_done(&e);
}

static void test_lines_that_are_not_key_value(void **state)
{
        /* A key without a value: GRUB's blscfg stops reading the file there, systemd-boot
         * skips the line. */
        _cleanup_free_ char *alone = parse_error("title x\noptions\nlinux /vmlinuz\n", NULL);
        assert_string_equal(alone, "/boot/loader/entries/x.conf:2: expected \"key value\".");

        _cleanup_free_ char *blank = parse_error("linux /vmlinuz\ninitrd \t \n", NULL);
        assert_non_null(strstr(blank, "x.conf:2: expected"));

        _cleanup_free_ char *eq = parse_error("linux=/vmlinuz\n", NULL);
        assert_non_null(strstr(eq, "x.conf:1: expected"));

        _cleanup_free_ char *ini = parse_error("[entry]\nlinux /vmlinuz\n", NULL);
        assert_non_null(strstr(ini, "x.conf:1: expected"));
}

static void test_unknown_and_ignored_keys(void **state)
{
        struct boot_entry e;

        parse_text("title T\n"
                   "linux /vmlinuz\n"
                   "devicetree /dtb/board.dtb\n"
                   "devicetree-overlay /a.dtbo /b.dtbo\n"
                   "architecture x64\n"
                   "grub_users $grub_users\n"
                   "grub_arg --unrestricted\n"
                   "grub_class kernel\n"
                   "id rhel-20210429130346-4.18.0-305.el8.x86_64\n"
                   "some-future-key value\n",
                   NULL, &e);
        assert_string_equal(e.kernel, "/vmlinuz");
        assert_string_equal(e.id, "x"); /* the file name, not blscfg's "id" key */
        boot_entry_done(&e);
}

static void test_error_pointer_is_optional(void **state)
{
        struct boot_entry e;

        assert_int_equal(bls_entry_parse("title x\n", NULL, "x", NULL, &e, NULL), -EBADMSG);
        assert_int_equal(bls_entry_parse(NULL, NULL, "x", NULL, &e, NULL), -EINVAL);
}

/* An entry as the sort sees it. */
static struct boot_entry entry(const char *id, const char *sort_key, const char *machine_id,
                               const char *version)
{
        return (struct boot_entry){
                .id = strdup(id),
                .sort_key = sort_key ? strdup(sort_key) : NULL,
                .machine_id = machine_id ? strdup(machine_id) : NULL,
                .version = version ? strdup(version) : NULL,
                .initrds = calloc(1, sizeof(char *)),
        };
}

static void assert_order(struct boot_entry *e, size_t n, const char *const *ids)
{
        for (size_t i = 0; i < n; i++)
                if (!streq(e[i].id, ids[i]))
                        fail_msg("position %zu: expected %s, got %s", i, ids[i], e[i].id);
}

static void test_sort_follows_the_specification(void **state)
{
        struct boot_entry *e = calloc(9, sizeof(*e));
        const char *expected[] = {
                "debian-6.1.0-29",                 /* sort-key "debian" < "fedora" */
                "debian-6.1.0-28", "fedora-nomid", /* same sort-key: no machine-id compares lower */
                "fedora-b-6.10",                   /* machine-id "aaaa" < "bbbb" */
                "fedora-a-6.9",                    /* machine-id "bbbb": newest version first */
                "fedora-a-6.2",    "zz-9.0",       /* no sort-key: after, by id, newest first */
                "aa-10.0",         "aa-2.0",
        };

        e[0] = entry("aa-2.0", NULL, NULL, "2.0");
        e[1] = entry("fedora-a-6.2", "fedora", "bbbb", "6.2");
        e[2] = entry("zz-9.0", NULL, NULL, "9.0");
        e[3] = entry("debian-6.1.0-28", "debian", "cccc", "6.1.0-28");
        e[4] = entry("fedora-b-6.10", "fedora", "aaaa", "6.10");
        e[5] = entry("aa-10.0", NULL, NULL, "1.0");
        e[6] = entry("fedora-a-6.9", "fedora", "bbbb", "6.9");
        e[7] = entry("debian-6.1.0-29", "debian", "cccc", "6.1.0-29");
        e[8] = entry("fedora-nomid", "fedora", NULL, "1");
        bls_entries_sort(e, 9);
        assert_order(e, 9, expected);
        boot_entries_free(e, 9);
}

static void test_sort_ties_fall_back_to_the_file_name(void **state)
{
        struct boot_entry *e = calloc(4, sizeof(*e));
        const char *expected[] = {"b-1.10", "b-1.9", "a-1.010", "a-1.10"};

        /* Same sort-key, machine-id and version: the file name decides, newest first; names
         * equal as versions ("1.010" and "1.10") still get one fixed order. */
        e[0] = entry("a-1.10", "k", "m", "1");
        e[1] = entry("b-1.9", "k", "m", "1");
        e[2] = entry("a-1.010", "k", "m", "1");
        e[3] = entry("b-1.10", "k", "m", "1");
        bls_entries_sort(e, 4);
        assert_order(e, 4, expected);
        boot_entries_free(e, 4);
}

static void test_sort_puts_bad_entries_last(void **state)
{
        struct boot_entry *e = calloc(5, sizeof(*e));
        const char *expected[] = {"linux-6.8+2-1", "linux-6.6", "linux-5.0+1", "linux-6.9+0-3",
                                  "linux-6.7+0"};

        /* Boot counting: "+0" and "+0-N" have no tries left; they go after all others. */
        e[0] = entry("linux-6.9+0-3", NULL, NULL, "6.9");
        e[1] = entry("linux-6.6", NULL, NULL, "6.6");
        e[2] = entry("linux-6.7+0", NULL, NULL, "6.7");
        e[3] = entry("linux-6.8+2-1", NULL, NULL, "6.8");
        e[4] = entry("linux-5.0+1", NULL, NULL, "5.0");
        bls_entries_sort(e, 5);
        assert_order(e, 5, expected);
        boot_entries_free(e, 5);

        bls_entries_sort(NULL, 0); /* nothing to do, no crash */
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_fedora39_entry),
                cmocka_unit_test(test_fedora39_rescue_sorts_last),
                cmocka_unit_test(test_centos8_options_come_from_grubenv),
                cmocka_unit_test(test_centos8_without_grubenv_has_empty_options),
                cmocka_unit_test(test_tuned_initrd_adds_an_image),
                cmocka_unit_test(test_kernel_install_entry),
                cmocka_unit_test(test_kernel_install_entries_sort_newest_first),
                cmocka_unit_test(test_braced_variables_and_literal_dollars),
                cmocka_unit_test(test_variables_are_not_expanded_twice),
                cmocka_unit_test(test_missing_linux_names_the_file),
                cmocka_unit_test(test_tabs_and_runs_of_blanks_separate),
                cmocka_unit_test(test_comments_and_blank_lines_are_skipped),
                cmocka_unit_test(test_repeated_keys),
                cmocka_unit_test(test_linux_twice_is_refused),
                cmocka_unit_test(test_crlf_line_ends),
                cmocka_unit_test(test_no_final_newline),
                cmocka_unit_test(test_overlong_line),
                cmocka_unit_test(test_nul_and_control_bytes),
                cmocka_unit_test(test_lines_that_are_not_key_value),
                cmocka_unit_test(test_unknown_and_ignored_keys),
                cmocka_unit_test(test_error_pointer_is_optional),
                cmocka_unit_test(test_sort_follows_the_specification),
                cmocka_unit_test(test_sort_ties_fall_back_to_the_file_name),
                cmocka_unit_test(test_sort_puts_bad_entries_last),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
