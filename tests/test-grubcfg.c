/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "grubcfg.h"
#include "testlib.h"
#include "util.h"

#define UBUNTU_ROOT "b3c1e5a2-4f7d-4e21-9c3a-7d2f8e6a1b90"
#define UBUNTU_BOOT "0f5d2b8e-91c4-4a6e-b7d3-2e4c6a8f0d13"
#define DEBIAN_ROOT "7c2e9a41-3d5b-4f08-a6e1-c94b2d7f3e85"
#define SUSE_ROOT "e41f6c27-8a3b-4d95-b0c2-51d7a9e3f608"
#define CENTOS_BOOT "3f9b1d6c-7e24-4a8f-b5c3-0d92e6a1f47b"

static const char *const fixtures[] = {
        "ubuntu-22.04.cfg",     "debian-12.cfg",          "opensuse-leap-15.5.cfg", "centos-7.cfg",
        "unbalanced-brace.cfg", "unterminated-quote.cfg", "extra-brace.cfg",
};

struct menu {
        struct boot_entry *e;
        size_t n;
};

static char *read_fixture(const char *name)
{
        _cleanup_free_ char *path = strdup_printf("%s/grubcfg/%s", FIXTURE_DIR, name);
        char *text = fixture_read(path);

        assert_non_null(text);
        return text;
}

/* Parses text that must be valid. */
static struct menu parse_text(const char *text)
{
        _cleanup_free_ char *error = NULL;
        struct menu m = {};
        int r = grub_cfg_parse(text, "grub.cfg", &m.e, &m.n, &error);

        if (r < 0)
                fail_msg("grub_cfg_parse: %d %s", r, error ? error : "");
        assert_null(error);
        return m;
}

static struct menu parse_fixture(const char *name)
{
        _cleanup_free_ char *text = read_fixture(name);
        return parse_text(text);
}

static void menu_done(struct menu *m)
{
        boot_entries_free(m->e, m->n);
        *m = (struct menu){};
}

static void assert_initrds(const struct boot_entry *e, const char *const *want)
{
        size_t n = 0;

        while (want[n])
                n++;
        assert_non_null(e->initrds);
        assert_int_equal(strv_length(e->initrds), n);
        for (size_t i = 0; i < n; i++)
                assert_string_equal(e->initrds[i], want[i]);
}

static void test_ubuntu_menu_in_order(void **state)
{
        struct menu m = parse_fixture("ubuntu-22.04.cfg");
        const char *want_initrd[] = {"/initrd.img-5.15.0-91-generic", NULL};

        assert_int_equal(m.n, 10);

        /* The simple entry: a separate /boot, so paths are relative to it, and the entry's own
         * search names the boot partition; $vt_handoff is set by a function at run time. */
        assert_string_equal(m.e[0].title, "Ubuntu");
        assert_string_equal(m.e[0].id, "gnulinux-simple-" UBUNTU_ROOT);
        assert_string_equal(m.e[0].kernel, "/vmlinuz-5.15.0-91-generic");
        assert_string_equal(m.e[0].options, "root=UUID=" UBUNTU_ROOT " ro quiet splash");
        assert_initrds(&m.e[0], want_initrd);
        assert_string_equal(m.e[0].root_uuid, UBUNTU_BOOT);
        assert_string_equal(m.e[0].file, "grub.cfg");
        assert_int_equal(m.e[0].line, 150);
        assert_null(m.e[0].version);

        assert_string_equal(m.e[1].title,
                            "Advanced options for Ubuntu>Ubuntu, with Linux 5.15.0-91-generic");
        assert_string_equal(m.e[1].id, "gnulinux-advanced-" UBUNTU_ROOT
                                       ">gnulinux-5.15.0-91-generic-advanced-" UBUNTU_ROOT);
        assert_int_equal(m.e[1].line, 163);
        assert_string_equal(m.e[2].title, "Advanced options for Ubuntu>Ubuntu, with Linux "
                                          "5.15.0-91-generic (recovery mode)");
        assert_string_equal(m.e[2].options,
                            "root=UUID=" UBUNTU_ROOT " ro recovery nomodeset dis_ucode_ldr");
        assert_string_equal(m.e[5].kernel, "/vmlinuz-5.15.0-88-generic");
        assert_string_equal(m.e[6].initrds[0], "/initrd.img-5.15.0-88-generic");
        for (size_t i = 0; i < 7; i++)
                assert_string_equal(m.e[i].root_uuid, UBUNTU_BOOT);

        /* Entries that boot no Linux are still menu items: GRUB's numbers count them. */
        assert_string_equal(m.e[7].title, "Memory test (memtest86+.elf)");
        assert_string_equal(m.e[7].id, "Memory test (memtest86+.elf)");
        assert_null(m.e[7].kernel);
        assert_null(m.e[7].options);
        assert_int_equal(strv_length(m.e[7].initrds), 0);
        assert_string_equal(m.e[8].kernel, "/memtest86+.bin");
        assert_string_equal(m.e[8].options, "console=ttyS0,115200n8");

        /* Inside "if [ $grub_platform = efi ]": read, and the top-level search is in force. */
        assert_string_equal(m.e[9].title, "UEFI Firmware Settings");
        assert_string_equal(m.e[9].id, "uefi-firmware");
        assert_null(m.e[9].kernel);
        assert_string_equal(m.e[9].root_uuid, UBUNTU_ROOT);
        menu_done(&m);
}

static void test_debian_kernels_on_root_fs(void **state)
{
        struct menu m = parse_fixture("debian-12.cfg");

        assert_int_equal(m.n, 10);
        assert_string_equal(m.e[0].title, "Debian GNU/Linux");
        assert_string_equal(m.e[0].kernel, "/boot/vmlinuz-6.1.0-17-amd64");
        assert_string_equal(m.e[0].initrds[0], "/boot/initrd.img-6.1.0-17-amd64");
        assert_string_equal(m.e[0].options, "root=UUID=" DEBIAN_ROOT " ro quiet");
        /* "set root='hd0,gpt2'" is ignored; the search in both if branches names the UUID. */
        assert_string_equal(m.e[0].root_uuid, DEBIAN_ROOT);
        assert_string_equal(m.e[4].title, "Advanced options for Debian GNU/Linux>Debian "
                                          "GNU/Linux, with Linux 6.1.0-16-amd64 (recovery mode)");
        assert_string_equal(m.e[4].options, "root=UUID=" DEBIAN_ROOT " ro single");

        /* memtest86+ for EFI and for BIOS, each inside its platform's if: both are read. */
        assert_string_equal(m.e[5].id, "memtest86+-efi");
        assert_string_equal(m.e[5].kernel, "/boot/memtest86+x64.efi");
        assert_string_equal(m.e[5].options, ""); /* a linux line without arguments */
        assert_string_equal(m.e[6].options, "console=ttyS0,115200");
        assert_string_equal(m.e[7].kernel, "/boot/memtest86+x64.bin");
        assert_string_equal(m.e[9].id, "uefi-firmware");
        menu_done(&m);
}

static void test_opensuse_linuxefi(void **state)
{
        struct menu m = parse_fixture("opensuse-leap-15.5.cfg");

        assert_int_equal(m.n, 6);
        assert_string_equal(m.e[0].title, "openSUSE Leap 15.5");
        assert_string_equal(m.e[0].kernel, "/boot/vmlinuz-5.14.21-150500.55.39-default");
        assert_string_equal(m.e[0].initrds[0], "/boot/initrd-5.14.21-150500.55.39-default");
        /* ${extra_cmdline} is never set in grub.cfg: it expands to nothing. */
        assert_string_equal(m.e[0].options,
                            "root=UUID=" SUSE_ROOT " splash=silent "
                            "resume=/dev/disk/by-uuid/a9d3c5e1-2b7f-4c48-9e06-3f1a8b2d7c54 "
                            "mitigations=auto quiet security=apparmor");
        assert_string_equal(m.e[0].root_uuid, SUSE_ROOT);
        /* "--hotkey=1" on the submenu is an option, not its title. */
        assert_string_equal(m.e[3].title, "Advanced options for openSUSE Leap 15.5>openSUSE Leap "
                                          "15.5, with Linux 5.14.21-150500.55.36-default");
        assert_string_equal(m.e[3].kernel, "/boot/vmlinuz-5.14.21-150500.55.36-default");
        menu_done(&m);
}

static void test_centos7_linux16(void **state)
{
        struct menu m = parse_fixture("centos-7.cfg");
        const char *want_initrd[] = {"/initramfs-3.10.0-1160.105.1.el7.x86_64.img", NULL};

        assert_int_equal(m.n, 3);
        assert_string_equal(m.e[0].title, "CentOS Linux (3.10.0-1160.105.1.el7.x86_64) 7 (Core)");
        assert_string_equal(m.e[0].id,
                            "gnulinux-3.10.0-1160.105.1.el7.x86_64-advanced-" CENTOS_BOOT);
        assert_string_equal(m.e[0].kernel, "/vmlinuz-3.10.0-1160.105.1.el7.x86_64");
        assert_initrds(&m.e[0], want_initrd);
        assert_string_equal(m.e[0].options,
                            "root=/dev/mapper/centos-root ro crashkernel=auto "
                            "rd.lvm.lv=centos/root rd.lvm.lv=centos/swap rhgb quiet "
                            "LANG=en_US.UTF-8");
        assert_string_equal(m.e[0].root_uuid, CENTOS_BOOT);
        assert_int_equal(m.e[0].line, 88);
        assert_string_equal(m.e[2].kernel, "/vmlinuz-0-rescue-4a1f0c8d2e6b4c3f9a7d5e1b0c8f2a6d");
        menu_done(&m);
}

static void test_find_entry_as_grub_default_names_it(void **state)
{
        struct menu m = parse_fixture("ubuntu-22.04.cfg");

        assert_int_equal(grub_find_entry(m.e, m.n, "0"), 0);
        /* A number names a top-level item; the submenu is item 1, memtest items 2 and 3. */
        assert_int_equal(grub_find_entry(m.e, m.n, "2"), 7);
        assert_int_equal(grub_find_entry(m.e, m.n, "4"), 9);
        assert_int_equal(grub_find_entry(m.e, m.n, "5"), -ENOENT);
        assert_int_equal(grub_find_entry(m.e, m.n, "1>0"), 1);
        assert_int_equal(grub_find_entry(m.e, m.n, "1>2"), 3);
        assert_int_equal(grub_find_entry(m.e, m.n, "1>5"), 6);
        assert_int_equal(grub_find_entry(m.e, m.n, "1>6"), -ENOENT);
        /* A submenu alone: GRUB opens it on its first entry. */
        assert_int_equal(grub_find_entry(m.e, m.n, "1"), 1);

        assert_int_equal(grub_find_entry(m.e, m.n, "Ubuntu"), 0);
        assert_int_equal(grub_find_entry(m.e, m.n, "gnulinux-simple-" UBUNTU_ROOT), 0);
        assert_int_equal(grub_find_entry(m.e, m.n, "uefi-firmware"), 9);
        assert_int_equal(grub_find_entry(m.e, m.n, "Memory test (memtest86+.elf)"), 7);
        assert_int_equal(grub_find_entry(m.e, m.n,
                                         "Advanced options for Ubuntu>Ubuntu, with "
                                         "Linux 5.15.0-89-generic"),
                         3);
        assert_int_equal(grub_find_entry(m.e, m.n,
                                         "gnulinux-advanced-" UBUNTU_ROOT
                                         ">gnulinux-5.15.0-89-generic-recovery-" UBUNTU_ROOT),
                         4);
        /* Each level matches its title or its id, as GRUB's menuentry_eq does. */
        assert_int_equal(grub_find_entry(m.e, m.n,
                                         "gnulinux-advanced-" UBUNTU_ROOT
                                         ">Ubuntu, with Linux 5.15.0-88-generic (recovery mode)"),
                         6);
        assert_int_equal(grub_find_entry(m.e, m.n, "Advanced options for Ubuntu>3"), 4);

        /* A kernel that was removed, an entry named without its submenu, a leaf with more. */
        assert_int_equal(grub_find_entry(m.e, m.n,
                                         "Advanced options for Ubuntu>Ubuntu, with "
                                         "Linux 5.15.0-87-generic"),
                         -ENOENT);
        assert_int_equal(grub_find_entry(m.e, m.n, "Ubuntu, with Linux 5.15.0-91-generic"),
                         -ENOENT);
        assert_int_equal(grub_find_entry(m.e, m.n, "Ubuntu>0"), -ENOENT);
        assert_int_equal(grub_find_entry(m.e, m.n, "Windows Boot Manager"), -ENOENT);
        assert_int_equal(grub_find_entry(m.e, m.n, ""), -ENOENT);
        assert_int_equal(grub_find_entry(m.e, m.n, NULL), -ENOENT);
        assert_int_equal(grub_find_entry(NULL, 0, "0"), -ENOENT);
        menu_done(&m);
}

static void test_nested_submenus_and_escaped_separator(void **state)
{
        struct menu m = parse_text("submenu 'Old > new' {\n"
                                   "  menuentry 'first' --id one { linux /a; }\n"
                                   "  submenu 'Deeper' --id deeper {\n"
                                   "    menuentry 'x' { linux /x; }\n"
                                   "    menuentry 'y' --id why { linux /y; }\n"
                                   "  }\n"
                                   "}\n"
                                   "submenu 'Other' { menuentry 'z' { linux /z; } }\n");

        assert_int_equal(m.n, 4);
        /* '>' inside a title is doubled, as GRUB_DEFAULT must write it. */
        assert_string_equal(m.e[0].title, "Old >> new>first");
        assert_string_equal(m.e[0].id, "Old >> new>one"); /* a level without id: its title */
        assert_string_equal(m.e[2].title, "Old >> new>Deeper>y");
        assert_string_equal(m.e[2].id, "Old >> new>deeper>why");
        assert_int_equal(grub_find_entry(m.e, m.n, "Old >> new>Deeper>y"), 2);
        assert_int_equal(grub_find_entry(m.e, m.n, "0>1>0"), 1);
        assert_int_equal(grub_find_entry(m.e, m.n, "0>deeper>why"), 2);
        assert_int_equal(grub_find_entry(m.e, m.n, "0>1"), 1);
        assert_int_equal(grub_find_entry(m.e, m.n, "1>0"), 3);
        assert_int_equal(grub_find_entry(m.e, m.n, "Other>z"), 3);
        assert_int_equal(grub_find_entry(m.e, m.n, "Old > new>first"), -ENOENT);
        menu_done(&m);
}

static void test_several_initrds_and_device_prefixes(void **state)
{
        struct menu m = parse_text(
                "menuentry 'Arch Linux' {\n"
                "\tlinux (hd0,gpt2)/vmlinuz-linux root=UUID=6a0d rw\n"
                "\tinitrd (hd0,gpt2)/intel-ucode.img ($root)/amd-ucode.img /initramfs-linux.img\n"
                "\tinitrd /ignored.img\n"
                "}\n");
        const char *want[] = {"/intel-ucode.img", "/amd-ucode.img", "/initramfs-linux.img", NULL};

        assert_int_equal(m.n, 1);
        assert_string_equal(m.e[0].kernel, "/vmlinuz-linux");
        assert_initrds(&m.e[0], want);
        assert_null(m.e[0].root_uuid);
        menu_done(&m);
}

static void test_quoting_as_grub_reads_it(void **state)
{
        struct menu m = parse_text(
                "menuentry \"Custom \\\"kernel\\\"\" --class os {\n"
                "  linux '/boot/my kernels/vmlinuz' root=/dev/sda1 'acpi_osi=Windows 2015' "
                "a\\ b \"x=\\\\y\" it\"'\"s '$HOME' \\$HOME \"\\q\"\n"
                "  initrd \"/boot/my kernels/initrd.img\"\n"
                "}\n");

        assert_int_equal(m.n, 1);
        assert_string_equal(m.e[0].title, "Custom \"kernel\"");
        assert_string_equal(m.e[0].kernel, "/boot/my kernels/vmlinuz");
        assert_string_equal(m.e[0].initrds[0], "/boot/my kernels/initrd.img");
        /* A word with a space reaches the kernel in double quotes, as GRUB passes it. */
        assert_string_equal(m.e[0].options, "root=/dev/sda1 \"acpi_osi=Windows 2015\" \"a b\" "
                                            "x=\\y it's $HOME $HOME \\q");
        menu_done(&m);
}

static void test_variables_from_top_level_assignments(void **state)
{
        struct menu m = parse_text(
                "set opts=\"quiet  splash\"\n"
                "kver=6.6.1-arch1-1\n"
                "set gfx=keep\n"
                "if [ x$grub_platform = xefi ]; then set late=conditional; fi\n"
                "function f { set infunc=yes; }\n"
                "menuentry \"Arch $kver\" {\n"
                "  set local=inside\n"
                "  linux /vmlinuz-${kver} $opts \"$opts\" g=${gfx} $late$infunc$local x=$nothing "
                "'$opts' $1$?\n"
                "}\n"
                "set kver=changed\n"
                "unset gfx\n"
                "menuentry \"Arch $kver\" { linux /vmlinuz-$kver g=$gfx; }\n");

        assert_int_equal(m.n, 2);
        assert_string_equal(m.e[0].title, "Arch 6.6.1-arch1-1");
        assert_string_equal(m.e[0].kernel, "/vmlinuz-6.6.1-arch1-1");
        /* Unquoted, the value splits into words; quoted, it stays one. */
        assert_string_equal(m.e[0].options, "quiet splash \"quiet  splash\" g=keep x= $opts");
        assert_string_equal(m.e[1].title, "Arch changed");
        assert_string_equal(m.e[1].kernel, "/vmlinuz-changed");
        assert_string_equal(m.e[1].options, "g=");
        menu_done(&m);
}

static void test_comments_continuations_and_separators(void **state)
{
        struct menu m = parse_text("# menuentry 'commented out' {\n"
                                   "#   linux /nothing\n"
                                   "# }\n"
                                   "menuentry 'One line' { search.fs_uuid 1234-ABCD root; linux /a "
                                   "x#y; initrd /a.img; }\n"
                                   "menuentry 'Brace below' --id below\n"
                                   "\n"
                                   "{\n"
                                   "\tlinux /b \\\n"
                                   "\t\troot=/dev/vda1 \\\n"
                                   "\t\tquiet # the rest is a comment\n"
                                   "}\r\n"
                                   "menuentry 'CRLF' {\r\n\tlinux /c ro\r\n}\r\n");

        assert_int_equal(m.n, 3);
        assert_string_equal(m.e[0].title, "One line");
        assert_string_equal(m.e[0].options, "x#y");
        assert_string_equal(m.e[0].initrds[0], "/a.img");
        assert_string_equal(m.e[0].root_uuid, "1234-ABCD");
        assert_int_equal(m.e[0].line, 4);
        assert_string_equal(m.e[1].id, "below");
        assert_string_equal(m.e[1].kernel, "/b");
        assert_string_equal(m.e[1].options, "root=/dev/vda1 quiet");
        assert_int_equal(m.e[1].line, 5);
        assert_string_equal(m.e[2].options, "ro");
        assert_int_equal(m.e[2].line, 12);
        menu_done(&m);
}

static void test_menu_header_options(void **state)
{
        struct menu m = parse_text(
                "menuentry --class os --users alice,bob --unrestricted 'Title after options' "
                "--id=with-equals extra positional { linux /a; }\n"
                "menuentry --class os { linux /no-title; }\n"
                "menuentry 'Hotkey' --hotkey x --source /etc/x { linux /h; }\n");

        /* Without a title GRUB refuses the menuentry: it is not in the menu. */
        assert_int_equal(m.n, 2);
        assert_string_equal(m.e[0].title, "Title after options");
        assert_string_equal(m.e[0].id, "with-equals");
        assert_string_equal(m.e[1].title, "Hotkey");
        menu_done(&m);
}

static void test_search_forms(void **state)
{
        struct menu m = parse_text(
                "search --no-floppy --fs-uuid --set=root 1111\n"
                "menuentry 'inherits' { linux /a; }\n"
                "menuentry 'label' { search --no-floppy --label --set=root BOOT; linux /b; }\n"
                "menuentry 'other var' { search --fs-uuid --set=bootdev 2222; linux /c; }\n"
                "menuentry 'short' { search -u -s --hint hd0,gpt1 3333; linux /d; }\n"
                "submenu 'sub' {\n"
                "  search --fs-uuid --set=root 4444\n"
                "  menuentry 'in sub' { linux /e; }\n"
                "}\n"
                "menuentry 'after sub' { search.fs_uuid 5555; linux /f; }\n"
                "function f { search --fs-uuid --set=root 6666; }\n"
                "menuentry 'after function' { linux /g; }\n");

        assert_int_equal(m.n, 7);
        assert_string_equal(m.e[0].root_uuid, "1111");
        assert_string_equal(m.e[1].root_uuid, "1111");
        assert_string_equal(m.e[2].root_uuid, "1111");
        assert_string_equal(m.e[3].root_uuid, "3333");
        assert_string_equal(m.e[4].root_uuid, "4444");
        assert_string_equal(m.e[5].root_uuid, "1111"); /* no variable: it only prints */
        assert_string_equal(m.e[6].root_uuid, "1111");
        menu_done(&m);
}

static void test_functions_and_nested_entries_are_not_the_menu(void **state)
{
        struct menu m = parse_text("function make_entry {\n"
                                   "  menuentry 'from function' { linux /fn; }\n"
                                   "}\n"
                                   "menuentry 'outer' {\n"
                                   "  if true; then\n"
                                   "    menuentry 'defined when outer runs' { linux /inner; }\n"
                                   "  fi\n"
                                   "  linux /outer\n"
                                   "}\n");

        assert_int_equal(m.n, 1);
        assert_string_equal(m.e[0].title, "outer");
        assert_string_equal(m.e[0].kernel, "/outer");
        menu_done(&m);
}

static void test_empty_and_comment_only(void **state)
{
        struct menu m = parse_text("");

        assert_int_equal(m.n, 0);
        menu_done(&m);
        m = parse_text("# nothing here\n\n   \n;;\n");
        assert_int_equal(m.n, 0);
        menu_done(&m);
}

static void expect_error(const char *fixture, const char *want)
{
        _cleanup_free_ char *text = read_fixture(fixture);
        _cleanup_free_ char *error = NULL;
        struct boot_entry *e = (struct boot_entry *)(uintptr_t)1;
        size_t n = 42;

        assert_int_equal(grub_cfg_parse(text, "/boot/grub/grub.cfg", &e, &n, &error), -EBADMSG);
        assert_non_null(error);
        assert_string_equal(error, want);
        /* Outputs are untouched on failure. */
        assert_ptr_equal(e, (struct boot_entry *)(uintptr_t)1);
        assert_int_equal(n, 42);
}

static void test_malformed_files_name_the_line(void **state)
{
        expect_error("unbalanced-brace.cfg",
                     "/boot/grub/grub.cfg:4: menuentry 'Arch Linux' is never closed with '}'");
        expect_error("unterminated-quote.cfg",
                     "/boot/grub/grub.cfg:9: the quote opened here is never closed");
        expect_error("extra-brace.cfg", "/boot/grub/grub.cfg:5: '}' without a matching '{'");
}

static void test_errors_inline(void **state)
{
        static const struct {
                const char *text, *error;
        } cases[] = {
                {"menuentry 'a' {\n linux \"/x\n}\n", "f:2: the quote opened here is never closed"},
                {"function f {\n  true\n", "f:1: the '{' on this line is never closed"},
                {"submenu 'S' {\n menuentry 'e' { linux /e; }\n",
                 "f:1: submenu 'S' is never closed with '}'"},
                {"\n\n}", "f:3: '}' without a matching '{'"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *error = NULL;
                struct boot_entry *e = NULL;
                size_t n = 0;

                assert_int_equal(grub_cfg_parse(cases[i].text, "f", &e, &n, &error), -EBADMSG);
                assert_string_equal(error, cases[i].error);
                assert_null(e);
        }
        /* ret_error may be NULL. */
        struct boot_entry *e = NULL;
        size_t n = 0;
        assert_int_equal(grub_cfg_parse("}", "f", &e, &n, NULL), -EBADMSG);
}

static void parse_anything(const char *text)
{
        _cleanup_free_ char *error = NULL;
        struct boot_entry *e = NULL;
        size_t n = 0;
        int r = grub_cfg_parse(text, "g", &e, &n, &error);

        if (r == 0) {
                assert_null(error);
                for (size_t i = 0; i < n; i++) {
                        assert_non_null(e[i].title);
                        assert_non_null(e[i].id);
                        assert_non_null(e[i].initrds);
                }
                (void)grub_find_entry(e, n, "0");
                (void)grub_find_entry(e, n, "1>2");
                (void)grub_find_entry(e, n, "Ubuntu");
                boot_entries_free(e, n);
        } else {
                assert_int_equal(r, -EBADMSG);
                assert_non_null(error);
                assert_non_null(startswith(error, "g:"));
        }
}

static void test_truncated_fixtures_never_crash(void **state)
{
        for (size_t f = 0; f < ELEMENTSOF(fixtures); f++) {
                _cleanup_free_ char *text = read_fixture(fixtures[f]);
                size_t len = strlen(text);

                for (size_t cut = 0; cut <= len; cut++) {
                        char saved = text[cut];
                        text[cut] = 0;
                        parse_anything(text);
                        text[cut] = saved;
                }
        }
}

static void test_garbage_never_crashes(void **state)
{
        static const char *const odd[] = {
                "{",
                "}",
                "{{{{",
                "}}}}",
                "'",
                "\"",
                "\\",
                "$",
                "${",
                "${a",
                "${}",
                "$}",
                "${a}}",
                "menuentry",
                "menuentry {",
                "submenu\n{",
                "linux /x",
                "\"\\",
                "menuentry '' { linux; initrd; search; search.fs_uuid; }",
                "set",
                "set =x",
                "=x",
                "fi fi done",
                "then else",
                "a\\\n",
                "#",
                "menuentry 'a' { } } {",
                "menuentry x\n\n\nfoo\n{ }",
                "\r\r\r",
                ";;;",
        };
        unsigned seed = 12345;
        char buf[512];

        for (size_t i = 0; i < ELEMENTSOF(odd); i++)
                parse_anything(odd[i]);
        /* Random text drawn from the characters the lexer cares about. */
        for (int round = 0; round < 3000; round++) {
                static const char alphabet[] = "{}'\"\\$#;\n \tab=->()menuentry linux initrd";
                size_t len = (seed = seed * 1103515245 + 12345) % (sizeof(buf) - 1);
                for (size_t i = 0; i < len; i++) {
                        seed = seed * 1103515245 + 12345;
                        buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
                }
                buf[len] = 0;
                parse_anything(buf);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_ubuntu_menu_in_order),
                cmocka_unit_test(test_debian_kernels_on_root_fs),
                cmocka_unit_test(test_opensuse_linuxefi),
                cmocka_unit_test(test_centos7_linux16),
                cmocka_unit_test(test_find_entry_as_grub_default_names_it),
                cmocka_unit_test(test_nested_submenus_and_escaped_separator),
                cmocka_unit_test(test_several_initrds_and_device_prefixes),
                cmocka_unit_test(test_quoting_as_grub_reads_it),
                cmocka_unit_test(test_variables_from_top_level_assignments),
                cmocka_unit_test(test_comments_continuations_and_separators),
                cmocka_unit_test(test_menu_header_options),
                cmocka_unit_test(test_search_forms),
                cmocka_unit_test(test_functions_and_nested_entries_are_not_the_menu),
                cmocka_unit_test(test_empty_and_comment_only),
                cmocka_unit_test(test_malformed_files_name_the_line),
                cmocka_unit_test(test_errors_inline),
                cmocka_unit_test(test_truncated_fixtures_never_crash),
                cmocka_unit_test(test_garbage_never_crashes),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
