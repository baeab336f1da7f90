/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Boot entries on fixture machines: what --entry, --default and --latest choose, and what
 * the scans list. (Whole list outputs are compared in test-golden.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "boot-entries.h"
#include "load.h"
#include "plan.h"
#include "testlib.h"
#include "verbs.h"
#include "util.h"

/* Builds the plan of a machine with the given selection. */
static void plan_with(const char *machine, struct plan_options *o, struct plan *p)
{
        char *dir = fixture_materialise(machine);
        struct root *r;

        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(plan_build(r, o, p), 0);
        root_free(r);
        fixture_remove(dir);
}

static void test_fedora_selection(void **state)
{
        struct plan_options o = {.latest = true};
        struct plan p;

        plan_with("machine-fedora-bls", &o, &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-6.5.10-200.fc39.x86_64");
        assert_string_equal(p.initrds[0], "/boot/initramfs-6.5.10-200.fc39.x86_64.img");
        assert_string_equal(p.source, "bls");
        assert_trial_cmdline(
                p.cmdline,
                "root=UUID=3f2a1c9e-5b7d-4e8a-9c1f-2d6b8e4a7c05 ro rootflags=subvol=root "
                "rhgb quiet");
        assert_false(plan_has_failure(&p));
        plan_done(&p);

        /* saved_entry names the newer kernel too: what a cold boot would start. */
        o = (struct plan_options){.use_default = true};
        plan_with("machine-fedora-bls", &o, &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-6.5.10-200.fc39.x86_64");
        plan_done(&p);

        o = (struct plan_options){.entry =
                                          "2e7ae84ac8f14e0fa8e5c5b4a1e2e6f3-6.5.6-300.fc39.x86_64"};
        plan_with("machine-fedora-bls", &o, &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-6.5.6-300.fc39.x86_64");
        plan_done(&p);

        /* The id as bootctl list shows it: the entry's file name. */
        o = (struct plan_options){
                .entry = "2e7ae84ac8f14e0fa8e5c5b4a1e2e6f3-6.5.6-300.fc39.x86_64.conf"};
        plan_with("machine-fedora-bls", &o, &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-6.5.6-300.fc39.x86_64");
        plan_done(&p);

        o = (struct plan_options){.entry = "no-such-entry"};
        plan_with("machine-fedora-bls", &o, &p);
        assert_null(p.kernel);
        assert_int_equal(plan_find_check(&p, "kernel")->status, CHECK_FAIL);
        assert_non_null(strstr(plan_find_check(&p, "kernel")->detail, "warmboot list"));
        plan_done(&p);
}

static void test_ubuntu_selection(void **state)
{
        struct plan_options o = {.latest = true};
        struct plan p;

        plan_with("machine-ubuntu-grub", &o, &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-5.15.0-91-generic");
        assert_string_equal(p.initrds[0], "/boot/initrd.img-5.15.0-91-generic");
        assert_string_equal(p.source, "grub");
        assert_trial_cmdline(p.cmdline,
                             "root=UUID=b3c1e5a2-4f7d-4e21-9c3a-7d2f8e6a1b90 ro quiet splash");
        plan_done(&p);

        /* GRUB_DEFAULT=saved with a "Submenu>Entry" saved_entry: the older kernel. */
        o = (struct plan_options){.use_default = true};
        plan_with("machine-ubuntu-grub", &o, &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-5.15.0-89-generic");
        plan_done(&p);

        o = (struct plan_options){.entry = "Advanced options for Ubuntu>Ubuntu, with Linux "
                                           "5.15.0-91-generic (recovery mode)"};
        plan_with("machine-ubuntu-grub", &o, &p);
        assert_trial_cmdline(p.cmdline,
                             "root=UUID=b3c1e5a2-4f7d-4e21-9c3a-7d2f8e6a1b90 ro recovery "
                             "nomodeset dis_ucode_ldr");
        plan_done(&p);
}

static void test_arch_systemd_boot_selection(void **state)
{
        char *append[] = {(char *)"quiet", NULL};
        struct plan_options o = {.latest = true, .append = append};
        struct plan p;

        /* 6.7.10 sorts above 6.7.4 as a version, not as a string; microcode first; the
         * entry's options, edited like the running line. */
        plan_with("machine-arch-sdboot", &o, &p);
        assert_string_equal(p.kernel,
                            "/boot/8a3f0c6d2b9e4f17a5c4d3e2f1a0b9c8/6.7.10-arch1-1/linux");
        assert_string_equal(
                p.initrds[0],
                "/boot/8a3f0c6d2b9e4f17a5c4d3e2f1a0b9c8/6.7.10-arch1-1/intel-ucode.img");
        assert_string_equal(p.initrds[1],
                            "/boot/8a3f0c6d2b9e4f17a5c4d3e2f1a0b9c8/6.7.10-arch1-1/initrd");
        assert_trial_cmdline(p.cmdline, "root=UUID=9d1e7c2a-4b6f-4a3e-8c5d-1f2e3a4b5c6d rw quiet");
        assert_int_equal(plan_find_check(&p, "release")->status, CHECK_PASS);
        plan_done(&p);

        o = (struct plan_options){.use_default = true};
        plan_with("machine-arch-sdboot", &o, &p);
        assert_string_equal(p.kernel, "/boot/8a3f0c6d2b9e4f17a5c4d3e2f1a0b9c8/6.7.4-arch1-1/linux");
        plan_done(&p);
}

/* The entries of a machine whose file PATH holds text instead (NULL: is removed). */
static void entries_with(const char *machine, const char *path, const char *text,
                         struct entry_list *ret)
{
        char *dir = fixture_materialise(machine);
        struct root *r;

        if (text)
                fixture_write(dir, path, text);
        else {
                _cleanup_free_ char *full = path_join(dir, path);
                assert_int_equal(unlink(full), 0);
        }
        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(entries_of_machine(r, ret), 0);
        root_free(r);
        fixture_remove(dir);
}

/* That list marks "(default)" the entry with this title or id on that machine, and that no
 * warning says the default is not in the menu. */
static void expect_default(const char *machine, const char *path, const char *text,
                           const char *want)
{
        struct entry_list l;
        const struct boot_entry *e;

        entries_with(machine, path, text, &l);
        assert_true(l.default_index >= 0 && (size_t)l.default_index < l.n);
        e = &l.entries[l.default_index];
        if (!streq(e->title, want) && !streq(e->id, want))
                fail_msg("%s with %s '%s': the default is '%s' (%s), want '%s'", machine, path,
                         text ?: "(removed)", e->title, e->id, want);
        for (size_t i = 0; l.warnings[i]; i++)
                if (strstr(l.warnings[i], "default entry"))
                        fail_msg("%s with %s '%s': %s", machine, path, text ?: "(removed)",
                                 l.warnings[i]);
        entry_list_done(&l);
}

static void test_grub_default_chooses_the_entry(void **state)
{
        static const char ubuntu[] = "machine-ubuntu-grub", file[] = "etc/default/grub";
        static const char saved[] = "Advanced options for Ubuntu>Ubuntu, with Linux "
                                    "5.15.0-89-generic";

        expect_default(ubuntu, file, "GRUB_DEFAULT=saved\n", saved);
        expect_default(ubuntu, file, "GRUB_DEFAULT=\"saved\"\n", saved);
        /* No /etc/default/grub: saved_entry still. */
        expect_default(ubuntu, file, NULL, saved);
        expect_default(ubuntu, file, "GRUB_DEFAULT=0\n", "Ubuntu");
        expect_default(ubuntu, file, "GRUB_DEFAULT=\n", "Ubuntu");
        expect_default(ubuntu, file, "GRUB_DEFAULT='1>0'\n",
                       "Advanced options for Ubuntu>Ubuntu, with Linux 5.15.0-91-generic");
        expect_default(ubuntu, file,
                       "GRUB_TIMEOUT=5\nGRUB_DEFAULT=\"Advanced options for Ubuntu>Ubuntu, with "
                       "Linux 5.15.0-91-generic (recovery mode)\"\n",
                       "Advanced options for Ubuntu>Ubuntu, with Linux 5.15.0-91-generic "
                       "(recovery mode)");
        /* Sourced by a shell: the last assignment counts. */
        expect_default(ubuntu, file, "GRUB_DEFAULT=0\nGRUB_DEFAULT=saved\n", saved);
        /* grub-reboot's next_entry before anything else. */
        expect_default(ubuntu, "boot/grub/grubenv",
                       "# GRUB Environment Block\nsaved_entry=1>1\nnext_entry=1>0\n",
                       "Advanced options for Ubuntu>Ubuntu, with Linux 5.15.0-91-generic");
}

static void test_loader_conf_chooses_the_entry(void **state)
{
        static const char arch[] = "machine-arch-sdboot", file[] = "boot/loader/loader.conf";
#define MID "8a3f0c6d2b9e4f17a5c4d3e2f1a0b9c8"

        expect_default(arch, file, "timeout 3\ndefault " MID "-6.7.3*\n", MID "-6.7.3-arch1-1");
        /* With ".conf", quoted, indented, CRLF, other case: systemd-boot takes all of them. */
        expect_default(arch, file, "default " MID "-6.7.3-arch1-1.conf\n", MID "-6.7.3-arch1-1");
        expect_default(arch, file, "default \"" MID "-6.7.3*\"\n", MID "-6.7.3-arch1-1");
        expect_default(arch, file, "  default\t" MID "-6.7.3*  \r\ntimeout 3\r\n",
                       MID "-6.7.3-arch1-1");
        expect_default(arch, file, "default 8A3F0C6D2B9E4F17A5C4D3E2F1A0B9C8-6.7.3*\n",
                       MID "-6.7.3-arch1-1");
        /* A later line overrides an earlier one, even one that matches. */
        expect_default(arch, file, "default " MID "-6.7.4*\ndefault " MID "-6.7.3*\n",
                       MID "-6.7.3-arch1-1");
        /* The first match in the sorted list: the newest kernel. */
        expect_default(arch, file, "default " MID "-*\n", MID "-6.7.10-arch1-1");
        /* No match, a comment, @saved (an EFI variable), no file: the first entry. */
        expect_default(arch, file, "default other-*\n", MID "-6.7.10-arch1-1");
        expect_default(arch, file, "#default " MID "-6.7.3*\n", MID "-6.7.10-arch1-1");
        expect_default(arch, file, "default @saved\n", MID "-6.7.10-arch1-1");
        expect_default(arch, file, NULL, MID "-6.7.10-arch1-1");
#undef MID
        /* A UKI's id is its file name. */
        expect_default("machine-uki-sdboot", "efi/loader/loader.conf",
                       "default arch-linux-6.7.10*.efi\n", "arch-linux-6.7.10-arch1-1.efi");
}

static void test_plain_boot_is_scanned(void **state)
{
        struct plan_options o = {.latest = true};
        struct plan p;

        /* No boot loader configuration: the images in /boot, newest by version. */
        plan_with("debian", &o, &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-6.1.0-28-amd64");
        assert_string_equal(p.source, "scan");
        assert_string_equal(p.initrds[0], "/boot/initrd.img-6.1.0-28-amd64");
        plan_done(&p);
}

static void test_kernel_install_layout_is_listed(void **state)
{
        struct plan_options o = {.latest = true};
        struct plan p;

        /* /boot/MACHINE-ID/R/linux without loader entries: plan found the running kernel
         * there, so list and --latest must see the same kernels. */
        plan_with("fedora-kernel-install", &o, &p);
        assert_string_equal(p.kernel,
                            "/boot/0f3a1c2d4e5b6a7980a1b2c3d4e5f607/6.5.6-300.fc39.x86_64/linux");
        assert_string_equal(p.initrds[0],
                            "/boot/0f3a1c2d4e5b6a7980a1b2c3d4e5f607/6.5.6-300.fc39.x86_64/initrd");
        assert_null(plan_find_check(&p, "kernel")->status == CHECK_FAIL ? "fail" : NULL);
        plan_done(&p);
}

static void test_latest_and_default_load_the_same_microcode(void **state)
{
        struct plan_options latest = {.latest = true}, running = {};
        struct plan a, b;

        /* Arch keeps intel-ucode.img in /boot: whether the kernel is the running one or
         * chosen from the list, GRUB would load the microcode first, and so does warmboot. */
        plan_with("arch", &latest, &a);
        plan_with("arch", &running, &b);
        assert_string_equal(a.kernel, "/boot/vmlinuz-linux");
        assert_string_equal(a.initrds[0], "/boot/intel-ucode.img");
        assert_string_equal(a.initrds[1], "/boot/initramfs-linux.img");
        assert_null(a.initrds[2]);
        assert_string_equal(b.kernel, "/boot/vmlinuz-linux-lts");
        assert_string_equal(b.initrds[0], "/boot/intel-ucode.img");
        assert_string_equal(b.initrds[1], "/boot/initramfs-linux-lts.img");
        plan_done(&a);
        plan_done(&b);
}

/* The ids (file names) a scan of the fixture's /boot lists, joined with ' '. */
static char *scanned_ids(const char *dir)
{
        char *ids = NULL;
        size_t len;
        struct entry_list l;
        struct root *r;
        FILE *f;

        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(entries_of_machine(r, &l), 0);
        f = open_memstream(&ids, &len);
        for (size_t i = 0; i < l.n; i++) {
                assert_string_equal(l.entries[i].source, "scan");
                fprintf(f, "%s%s", i ? " " : "", l.entries[i].id);
        }
        fclose(f);
        entry_list_done(&l);
        root_free(r);
        return ids;
}

static void test_scan_lists_kernels_not_their_copies(void **state)
{
        char *dir = fixture_materialise("ubuntu-interrupted-upgrade");
        _cleanup_free_ char *ids = scanned_ids(dir);
        struct plan_options o = {.latest = true};
        struct plan p;

        /* Not the .dpkg-tmp, .dpkg-new, .bak, .efi.signed or .sig files, nor the links. */
        assert_string_equal(ids, "vmlinuz-6.8.0-51-generic vmlinuz-6.8.0-55-generic");
        fixture_remove(dir);

        /* --latest: the newest installed kernel with its initrd, not 6.8.0-57 half unpacked. */
        plan_with("ubuntu-interrupted-upgrade", &o, &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-6.8.0-55-generic");
        assert_string_equal(p.initrds[0], "/boot/initrd.img-6.8.0-55-generic");
        assert_null(p.initrds[1]);
        assert_false(plan_has_failure(&p));
        plan_done(&p);
}

/* A second name for a file in the fixture, as a copy would be. */
static void link_as(const char *dir, const char *from, const char *to)
{
        _cleanup_free_ char *a = path_join(dir, from), *b = path_join(dir, to);

        assert_int_equal(link(a, b), 0);
}

static void test_scan_names_of_other_distributions(void **state)
{
        char *dir = fixture_materialise("arch");
        _cleanup_free_ char *arch = NULL, *gentoo = NULL, *fedora = NULL;

        /* Flavour names hold any release; the package managers' copies of them are none. */
        link_as(dir, "boot/vmlinuz-linux", "boot/vmlinuz-linux.pacsave");
        link_as(dir, "boot/vmlinuz-linux-lts", "boot/vmlinuz-linux-lts.bak");
        arch = scanned_ids(dir);
        assert_string_equal(arch, "vmlinuz-linux vmlinuz-linux-lts");
        fixture_remove(dir);

        /* genkernel's name carries the release its header does. */
        dir = fixture_materialise("gentoo");
        gentoo = scanned_ids(dir);
        assert_string_equal(gentoo, "kernel-genkernel-x86_64-6.6.13-gentoo");
        fixture_remove(dir);

        /* dracut's rescue image stays out, though it holds a release. */
        dir = fixture_materialise("fedora");
        fedora = scanned_ids(dir);
        assert_string_equal(fedora, "vmlinuz-6.5.6-300.fc39.x86_64");
        fixture_remove(dir);
}

static void test_nixos_generations(void **state)
{
        struct plan_options o = {.use_default = true};
        struct plan p;

        /* The profile link names generation 42: its kernel, initrd and init= with params. */
        plan_with("machine-nixos", &o, &p);
        assert_string_equal(p.kernel, "/nix/var/nix/profiles/system-42-link/kernel");
        assert_string_equal(p.initrds[0], "/nix/var/nix/profiles/system-42-link/initrd");
        assert_trial_cmdline(p.cmdline,
                             "init=/nix/store/bbbb-nixos-system-host-24.05/init loglevel=4 "
                             "nvidia-drm.modeset=1");
        assert_string_equal(p.source, "nixos");
        assert_false(plan_has_failure(&p));
        plan_done(&p);
}

static void test_centos8_kernelopts(void **state)
{
        struct plan_options o = {.use_default = true};
        struct plan p;

        /* options $kernelopts $tuned_params: expanded from grubenv, the unknown one to nothing. */
        plan_with("machine-centos8-bls", &o, &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-4.18.0-305.el8.x86_64");
        assert_trial_cmdline(p.cmdline, "root=/dev/mapper/cl-root ro crashkernel=auto "
                                        "resume=/dev/mapper/cl-swap rd.lvm.lv=cl/root "
                                        "rd.lvm.lv=cl/swap rhgb quiet");
        plan_done(&p);
}

static void test_uki_is_split_into_memfds(void **state)
{
        char *dir = fixture_materialise("machine-uki-sdboot");
        struct plan_options o = {.latest = true};
        struct root *r;
        struct plan p;

        fake_install();
        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(plan_build(r, &o, &p), 0);
        assert_true(p.uki);
        assert_string_equal(p.kernel, "/efi/EFI/Linux/arch-linux-6.7.10-arch1-1.efi");
        assert_string_equal(p.source, "uki");
        /* The embedded .cmdline is the line, and the .linux inside is what is checked. */
        assert_trial_cmdline(p.cmdline,
                             "root=UUID=9d1e7c2a-4b6f-4a3e-8c5d-1f2e3a4b5c6d rw quiet splash");
        assert_string_equal(p.image.release, "6.7.10-arch1-1");
        assert_false(plan_has_failure(&p));

        /* Loaded as the stub would: .linux alone, .ucode before .initrd, no temporary file. */
        assert_int_equal(kexec_load_plan(r, &p), 0);
        assert_int_equal(fake_n_calls, 1);
        assert_non_null(strstr(fake_calls[0].kernel, "memfd:warmboot-uki-linux"));
        assert_non_null(strstr(fake_calls[0].initrd, "memfd:warmboot-uki-initrd"));
        assert_string_equal(fake_calls[0].initrd_bytes,
                            "UCODE-6.7.10-arch1-1|INITRD-6.7.10-arch1-1");
        assert_trial_cmdline(fake_calls[0].cmdline,
                             "root=UUID=9d1e7c2a-4b6f-4a3e-8c5d-1f2e3a4b5c6d rw quiet splash");
        plan_done(&p);

        /* --cmdline overrides the embedded line. */
        o = (struct plan_options){.latest = true, .cmdline = "root=/dev/vda rw"};
        assert_int_equal(plan_build(r, &o, &p), 0);
        assert_trial_cmdline(p.cmdline, "root=/dev/vda rw");
        plan_done(&p);
        root_free(r);
        fixture_remove(dir);
}

static void test_uki_lockdown_checks_the_inner_kernel(void **state)
{
        char *dir = fixture_materialise("machine-uki-sdboot");
        _cleanup_free_ char *efi = path_join(dir, "efi/EFI/Linux/arch-linux-6.7.10-arch1-1.efi");
        struct fake_uki spec = {.release = "6.7.10-arch1-1", .cmdline = "root=/dev/vda"};
        struct plan_options o = {.latest = true};
        struct root *r;
        struct plan p;
        uint8_t *buf;
        size_t len = fake_uki_build(&spec, &buf); /* .linux without a signature */
        FILE *f = fopen(efi, "we");

        assert_non_null(f);
        assert_int_equal(fwrite(buf, 1, len, f), len);
        fclose(f);
        free(buf);
        fixture_write(dir, "sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(plan_build(r, &o, &p), 0);
        assert_int_equal(plan_find_check(&p, "lockdown")->status, CHECK_FAIL);
        assert_non_null(
                strstr(plan_find_check(&p, "lockdown")->detail, "not the UKI's own signature"));
        plan_done(&p);
        root_free(r);
        fixture_remove(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_fedora_selection),
                cmocka_unit_test(test_ubuntu_selection),
                cmocka_unit_test(test_arch_systemd_boot_selection),
                cmocka_unit_test(test_grub_default_chooses_the_entry),
                cmocka_unit_test(test_loader_conf_chooses_the_entry),
                cmocka_unit_test(test_plain_boot_is_scanned),
                cmocka_unit_test(test_latest_and_default_load_the_same_microcode),
                cmocka_unit_test(test_kernel_install_layout_is_listed),
                cmocka_unit_test(test_scan_lists_kernels_not_their_copies),
                cmocka_unit_test(test_scan_names_of_other_distributions),
                cmocka_unit_test(test_nixos_generations),
                cmocka_unit_test(test_centos8_kernelopts),
                cmocka_unit_test(test_uki_is_split_into_memfds),
                cmocka_unit_test(test_uki_lockdown_checks_the_inner_kernel),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
