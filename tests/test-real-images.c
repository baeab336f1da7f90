/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Real images next to the crafted ones (tests/fixtures/images/README.md): the first 64 KiB
 * of Debian's signed kernel, and a UKI built from Debian's systemd-boot stub with objcopy
 * as tests/vm/entries.sh builds one. Every number asserted here was read from these files
 * with other tools (file, od, objdump, sbverify), never with warmboot, so a misreading of a
 * format cannot be mirrored by a test image written by the same hands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/mman.h>

#include "boot-entries.h"
#include "bzimage.h"
#include "plan.h"
#include "env-file.h"
#include "testlib.h"
#include "uki-file.h"
#include "uki.h"
#include "util.h"

#define IMAGES FIXTURE_DIR "/images"

/* linux-image-6.1.0-57-amd64 6.1.192-3, /boot/vmlinuz-6.1.0-57-amd64, head -c 65536. */
#define KERNEL_HEAD "debian-6.1.0-57-amd64.vmlinuz.head"
#define KERNEL_HEAD_SIZE 65536
#define KERNEL_RELEASE "6.1.0-57-amd64"
/* file(1); od -c at 0x200 + the kernel_version field. */
#define KERNEL_VERSION                                                                             \
        "6.1.0-57-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian "           \
        "6.1.192-3 (2026-11-26)"
/* od -t x2 -j 0x20e -N 2: 0x42c0, relative to 0x200. */
#define KERNEL_VERSION_OFFSET (0x42c0 + 0x200)
/* stat -c %s of the whole image in the package. */
#define KERNEL_FILE_SIZE 8247232
/* objdump -p of the whole image: "Entry 4 00000000007dd200 000005c0 Security Directory".
 * The Authenticode signature follows the payload, so where it starts is where the boot
 * header says the setup and payload end: (setup_sects 39 + 1) * 512 + syssize 514080 * 16
 * (od -t u1 -j 0x1f1, od -t u4 -j 0x1f4). */
#define KERNEL_SIGNATURE_OFFSET 0x7dd200
#define KERNEL_SIGNATURE_SIZE 0x5c0
#define KERNEL_PAYLOAD_END ((39 + 1) * 512 + 514080 * 16)

/* The stub of systemd-boot-efi 252.39-1~deb12u2 with .osrel, .cmdline, .uname, .linux (the
 * kernel head above) and .initrd (a 512-byte newc cpio) added by objcopy. */
#define UKI "uki-debian-stub-252.39.efi"
#define UKI_FILE_SIZE 150881
#define UKI_CMDLINE "console=ttyS0 panic=-1 warmboot.test=uki"
#define UKI_OSREL "PRETTY_NAME=\"warmboot test UKI\"\nID=warmboot-test"

static uint8_t *read_image(const char *name, size_t *ret_len)
{
        _cleanup_free_ char *path = path_join(IMAGES, name);
        uint8_t *data = fixture_read_bytes(path, ret_len);

        assert_non_null(data);
        return data;
}

static void test_kernel_boot_header(void **state)
{
        size_t len;
        _cleanup_free_ uint8_t *head = read_image(KERNEL_HEAD, &len);
        struct bzimage_info info;

        assert_int_equal(len, KERNEL_HEAD_SIZE);
        /* od: 0x1fe aa55, 0x202 "HdrS": without them the parse would not succeed. */
        assert_int_equal(bzimage_parse(head, len, &info), BZIMAGE_OK);
        assert_string_equal(info.release, KERNEL_RELEASE);
        assert_string_equal(info.version, KERNEL_VERSION);
        assert_int_equal(info.protocol, 0x020f);   /* od -t x2 -j 0x206: 2.15 */
        assert_int_equal(info.loadflags, 0x01);    /* od -t x1 -j 0x211: LOADED_HIGH */
        assert_int_equal(info.relocatable, 1);     /* od -t x1 -j 0x234 */
        assert_int_equal(info.xloadflags, 0x007f); /* od -t x2 -j 0x236 */
        assert_int_equal(info.cmdline_size, 2047); /* od -t u4 -j 0x238 */
        assert_int_equal(info.min_size, KERNEL_PAYLOAD_END);
        assert_int_equal(info.min_size, KERNEL_SIGNATURE_OFFSET);
        /* objdump -p: pei-x86-64, Magic 020b; sbverify --list: "signature 1", issuer
         * /CN=Debian Secure Boot CA. The PE header is in the head; the signature is not. */
        assert_true(info.pe);
        assert_true(info.signature);
        /* 64-bit entry, loadable above 4 GiB, relocatable, protocol past 2.12. */
        assert_null(bzimage_kexec_problem(&info));
        assert_int_equal(bzimage_cmdline_max(&info), 2047 - BZIMAGE_CMDLINE_RESERVE - 1);
}

static void test_kernel_release_from_the_setup_header(void **state)
{
        size_t len, at;
        _cleanup_free_ uint8_t *head = read_image(KERNEL_HEAD, &len);
        char release[65];

        at = bzimage_version_offset(head, BZIMAGE_SETUP_HEADER_END);
        assert_int_equal(at, KERNEL_VERSION_OFFSET);
        assert_true(bzimage_release_from(head + at, len - at, release, sizeof(release)));
        assert_string_equal(release, KERNEL_RELEASE);
        /* The header alone says where the string is, not what it holds. */
        assert_int_equal(bzimage_parse(head, BZIMAGE_SETUP_HEADER_END, &(struct bzimage_info){}),
                         BZIMAGE_TRUNCATED);
}

static void test_kernel_head_is_truncated(void **state)
{
        size_t len;
        _cleanup_free_ uint8_t *head = read_image(KERNEL_HEAD, &len);
        struct bzimage_info info;
        const char *why;

        assert_int_equal(bzimage_parse(head, len, &info), BZIMAGE_OK);
        /* 64 KiB of an 8 MiB kernel: a half-copied file is refused. */
        why = bzimage_size_problem(&info, len);
        assert_non_null(why);
        assert_non_null(strstr(why, "truncated"));
        assert_non_null(bzimage_size_problem(&info, KERNEL_SIGNATURE_OFFSET - 1));
        /* The whole signed file, and the same without its signature, are long enough. */
        assert_int_equal(KERNEL_SIGNATURE_OFFSET + KERNEL_SIGNATURE_SIZE, KERNEL_FILE_SIZE);
        assert_null(bzimage_size_problem(&info, KERNEL_FILE_SIZE));
        assert_null(bzimage_size_problem(&info, KERNEL_SIGNATURE_OFFSET));
}

/* A machine running KERNEL_RELEASE whose /boot has the kernel head, cut or grown (sparse)
 * to size bytes. */
static char *machine_with_kernel(off_t size)
{
        char *dir = fixture_empty();
        _cleanup_free_ char *path = NULL;
        _cleanup_free_ uint8_t *head = NULL;
        size_t len;

        head = read_image(KERNEL_HEAD, &len);
        fixture_write(dir, "proc/sys/kernel/osrelease", KERNEL_RELEASE "\n");
        fixture_write(dir, "proc/cmdline",
                      "BOOT_IMAGE=/boot/vmlinuz-" KERNEL_RELEASE " root=/dev/vda ro quiet\n");
        fixture_write_bytes(dir, "boot/vmlinuz-" KERNEL_RELEASE, head, len);
        path = path_join(dir, "boot/vmlinuz-" KERNEL_RELEASE);
        assert_int_equal(truncate(path, size), 0);
        return dir;
}

static void plan_of(const char *dir, const struct plan_options *o, struct plan *ret)
{
        struct root *r;

        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(plan_build(r, o, ret), 0);
        root_free(r);
}

static void test_plan_refuses_a_half_copied_kernel(void **state)
{
        char *dir = machine_with_kernel(KERNEL_HEAD_SIZE);
        const struct check *k;
        struct plan p;

        plan_of(dir, &(struct plan_options){}, &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-" KERNEL_RELEASE);
        assert_true(p.have_image);
        assert_string_equal(p.image.release, KERNEL_RELEASE);
        k = plan_find_check(&p, "kernel");
        assert_non_null(k);
        assert_int_equal(k->status, CHECK_FAIL);
        assert_string_equal(k->detail, "cannot boot /boot/vmlinuz-" KERNEL_RELEASE
                                       ": the file is shorter than its boot header says, so it "
                                       "is truncated (an interrupted copy or a full /boot?)");
        assert_true(plan_has_failure(&p));
        plan_done(&p);
        fixture_remove(dir);

        /* The same bytes at the length of the real file: only the size was wrong. */
        dir = machine_with_kernel(KERNEL_FILE_SIZE);
        plan_of(dir, &(struct plan_options){}, &p);
        k = plan_find_check(&p, "kernel");
        assert_non_null(k);
        assert_int_equal(k->status, CHECK_PASS);
        assert_string_equal(k->detail, "/boot/vmlinuz-" KERNEL_RELEASE
                                       ": bzImage, boot protocol 2.15, 64-bit, relocatable, "
                                       "signed");
        plan_done(&p);
        fixture_remove(dir);
}

/* objdump -h of the UKI: Size (VirtualSize, the data without the file alignment's padding)
 * and File off, for each section warmboot reads. There is no .ucode. */
static void assert_uki_sections(const struct uki *u)
{
        assert_int_equal(u->osrel.offset, 0x11400);
        assert_int_equal(u->osrel.size, 0x31);
        assert_int_equal(u->cmdline.offset, 0x11600);
        assert_int_equal(u->cmdline.size, 0x28);
        assert_int_equal(u->uname.offset, 0x11800);
        assert_int_equal(u->uname.size, 0xe);
        assert_int_equal(u->linux_.offset, 0x11a00);
        assert_int_equal(u->linux_.size, 0x10000);
        assert_int_equal(u->initrd.offset, 0x21a00);
        assert_int_equal(u->initrd.size, 0x200);
        assert_int_equal(u->ucode.size, 0);
}

static void test_uki_sections_where_objdump_finds_them(void **state)
{
        size_t len;
        _cleanup_free_ uint8_t *file = read_image(UKI, &len);
        struct uki u;

        assert_int_equal(len, UKI_FILE_SIZE);
        assert_int_equal(uki_parse(file, len, len, &u), 0);
        assert_uki_sections(&u);
        /* The headers are in the first pages: what ukifile_open() reads is enough. */
        u = (struct uki){};
        assert_int_equal(uki_parse(file, 65536, len, &u), 0);
        assert_uki_sections(&u);
        /* A UKI cut short loses sections that lay past its new end. */
        assert_int_equal(uki_parse(file, len, 0x21a00, &u), -EBADMSG);
}

static void test_uki_parts_through_the_root(void **state)
{
        _cleanup_free_ char *osrel = NULL, *cmdline = NULL, *uname = NULL, *pretty = NULL,
                            *id = NULL;
        _cleanup_free_ uint8_t *linux_ = NULL, *head = NULL;
        _cleanup_close_ int fd = -1, copy = -1;
        struct bzimage_info info;
        struct root *r;
        size_t len, head_len;
        char cpio[7] = {};
        struct uki u;

        assert_int_equal(root_new(IMAGES, &r), 0);
        assert_int_equal(ukifile_open(r, "/" UKI, &fd, &u), 0);
        assert_uki_sections(&u);

        cmdline = ukifile_text(fd, &u.cmdline, 4096);
        assert_string_equal(cmdline, UKI_CMDLINE);
        uname = ukifile_text(fd, &u.uname, 256);
        assert_string_equal(uname, KERNEL_RELEASE);
        osrel = ukifile_text(fd, &u.osrel, 4096);
        assert_string_equal(osrel, UKI_OSREL);
        assert_int_equal(env_file_get(osrel, "PRETTY_NAME", &pretty), 0);
        assert_string_equal(pretty, "warmboot test UKI");
        assert_int_equal(env_file_get(osrel, "ID", &id), 0);
        assert_string_equal(id, "warmboot-test");

        /* .linux is Debian's kernel head, byte for byte, and parses as it does. */
        assert_int_equal(ukifile_head(fd, &u.linux_, BZIMAGE_HEAD_MAX, &linux_, &len), 0);
        head = read_image(KERNEL_HEAD, &head_len);
        assert_int_equal(len, head_len);
        assert_memory_equal(linux_, head, len);
        assert_int_equal(bzimage_parse(linux_, len, &info), BZIMAGE_OK);
        assert_string_equal(info.release, KERNEL_RELEASE);
        assert_true(info.signature);

        /* .initrd: a newc cpio archive ("070701"). */
        copy = memfd_create("initrd", MFD_CLOEXEC);
        assert_true(copy >= 0);
        assert_int_equal(ukifile_copy(fd, &u.initrd, copy), 0);
        assert_int_equal(lseek(copy, 0, SEEK_END), 0x200);
        assert_int_equal(pread(copy, cpio, 6, 0), 6);
        assert_string_equal(cpio, "070701");
        root_free(r);
}

static void test_uki_entry_and_its_truncated_linux(void **state)
{
        char *dir = fixture_empty();
        _cleanup_free_ uint8_t *uki = NULL;
        const struct boot_entry *e;
        const struct check *k;
        struct entry_list l;
        struct root *r;
        struct plan p;
        size_t len;

        uki = read_image(UKI, &len);
        fixture_write(dir, "proc/sys/kernel/osrelease", KERNEL_RELEASE "\n");
        fixture_write(dir, "proc/cmdline", "root=/dev/vda ro\n");
        fixture_write_bytes(dir, "efi/EFI/Linux/warmboot-test.efi", uki, len);

        /* list: the UKI's own name, version and command line. */
        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(entries_of_machine(r, &l), 0);
        assert_int_equal(l.n, 1);
        e = &l.entries[0];
        assert_string_equal(e->source, "uki");
        assert_true(e->uki);
        assert_string_equal(e->kernel, "/efi/EFI/Linux/warmboot-test.efi");
        assert_string_equal(e->title, "warmboot test UKI (" KERNEL_RELEASE ")");
        assert_string_equal(e->version, KERNEL_RELEASE);
        assert_string_equal(e->options, UKI_CMDLINE);
        entry_list_done(&l);
        root_free(r);

        /* plan --entry: its .linux is only 64 KiB of the kernel, so it is refused. */
        plan_of(dir, &(struct plan_options){.entry = "warmboot-test.efi"}, &p);
        assert_string_equal(p.kernel, "/efi/EFI/Linux/warmboot-test.efi");
        assert_true(p.uki);
        assert_trial_cmdline(p.cmdline, UKI_CMDLINE);
        assert_string_equal(p.image.release, KERNEL_RELEASE);
        k = plan_find_check(&p, "kernel");
        assert_non_null(k);
        assert_int_equal(k->status, CHECK_FAIL);
        assert_string_equal(k->detail,
                            "cannot boot the .linux of /efi/EFI/Linux/warmboot-test.efi: "
                            "the file is shorter than its boot header says, so it is "
                            "truncated (an interrupted copy or a full /boot?)");
        plan_done(&p);
        fixture_remove(dir);
}

/* Tests that copy a fixture tree get these images unchanged, NULs and all. */
static void test_fixture_copy_keeps_the_bytes(void **state)
{
        static const char *const names[] = {KERNEL_HEAD, UKI};
        char *dir = fixture_materialise("images");

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                _cleanup_free_ char *path = path_join(dir, names[i]);
                _cleanup_free_ uint8_t *want = NULL, *got = NULL;
                size_t want_len, got_len;

                want = read_image(names[i], &want_len);
                got = fixture_read_bytes(path, &got_len);
                assert_non_null(got);
                assert_int_equal(got_len, want_len);
                assert_memory_equal(got, want, want_len);
        }
        fixture_remove(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_kernel_boot_header),
                cmocka_unit_test(test_kernel_release_from_the_setup_header),
                cmocka_unit_test(test_kernel_head_is_truncated),
                cmocka_unit_test(test_plan_refuses_a_half_copied_kernel),
                cmocka_unit_test(test_uki_sections_where_objdump_finds_them),
                cmocka_unit_test(test_uki_parts_through_the_root),
                cmocka_unit_test(test_uki_entry_and_its_truncated_linux),
                cmocka_unit_test(test_fixture_copy_keeps_the_bytes),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
