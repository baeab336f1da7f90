/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "kernel-name.h"
#include "running-kernel.h"
#include "plan.h"
#include "testlib.h"
#include "util.h"

/* Builds the default plan of a fixture machine. */
static void plan_fixture(const char *name, struct plan *p)
{
        char *dir = fixture_materialise(name);
        struct root *r;
        struct plan_options o = {};

        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(plan_build(r, &o, p), 0);
        root_free(r);
        fixture_remove(dir);
}

static void expect(const char *fixture, const char *kernel, const char *initrd, const char *source)
{
        struct plan p;

        plan_fixture(fixture, &p);
        assert_string_equal(p.kernel, kernel);
        if (initrd) {
                assert_non_null(p.initrds[0]);
                assert_string_equal(p.initrds[0], initrd);
                assert_null(p.initrds[1]);
        } else
                assert_null(p.initrds[0]);
        assert_string_equal(p.source, source);
        plan_done(&p);
}

static void test_boot_image_forms(void **state)
{
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;

        assert_int_equal(boot_image_path("(hd0,msdos2)/vmlinuz-4.18.0", &a), 0);
        assert_int_equal(boot_image_path("/ROOT/debian@/boot/vmlinuz-6.1.0-28-amd64", &b), 0);
        assert_int_equal(boot_image_path("/boot/vmlinuz", &c), 0);
        assert_int_equal(boot_image_path("(hd0,gpt2", &d), -EINVAL);
        assert_int_equal(boot_image_path("vmlinuz", &e), -EINVAL);
        assert_string_equal(a, "/vmlinuz-4.18.0");
        assert_string_equal(b, "/boot/vmlinuz-6.1.0-28-amd64");
        assert_string_equal(c, "/boot/vmlinuz");
        assert_null(d);
        assert_null(e);
}

/* Names met in real /boot directories, and the release each file's header carries. */
static const struct {
        const char *name, *release;
        enum kernel_name kind;
        bool kernel;
} names[] = {
        {"vmlinuz-6.8.0-55-generic", "6.8.0-55-generic", KERNEL_NAME_VERSIONED, true},
        {"vmlinuz-6.1.0-28-amd64", "6.1.0-28-amd64", KERNEL_NAME_VERSIONED, true},
        {"vmlinuz-6.5.6-300.fc39.x86_64", "6.5.6-300.fc39.x86_64", KERNEL_NAME_VERSIONED, true},
        {"vmlinuz-6.6.13_1", "6.6.13_1", KERNEL_NAME_VERSIONED, true}, /* Void */
        {"kernel-6.1.0-gentoo", "6.1.0-gentoo", KERNEL_NAME_VERSIONED, true},
        {"kernel-genkernel-x86_64-6.6.13-gentoo", "6.6.13-gentoo", KERNEL_NAME_VERSIONED, true},
        {"kernel-genkernel-x86_64-6.6.13-gentoo", "6.6.14-gentoo", KERNEL_NAME_VERSIONED, false},
        {"vmlinuz-generic-6.1.66", "6.1.66", KERNEL_NAME_VERSIONED, true}, /* Slackware */
        {"vmlinuz-linux", "6.7.4-arch1-1", KERNEL_NAME_FLAVOUR, true},
        {"vmlinuz-linux-lts", "6.6.16-1-lts", KERNEL_NAME_FLAVOUR, true},
        {"vmlinuz-linux-zen", "6.7.4-zen1-1-zen", KERNEL_NAME_FLAVOUR, true},
        {"vmlinuz-lts", "6.6.14-0-lts", KERNEL_NAME_FLAVOUR, true},
        {"vmlinuz", "6.4.0-150600.23.25-default", KERNEL_NAME_FLAVOUR, true}, /* openSUSE */
        /* Another release than the name says: a replaced image. */
        {"vmlinuz-6.8.0-55-generic", "6.8.0-51-generic", KERNEL_NAME_VERSIONED, false},
        /* Copies of a kernel that holds exactly the release its name starts with. */
        {"vmlinuz-6.8.0-51-generic.dpkg-tmp", "6.8.0-51-generic", KERNEL_NAME_NONE, false},
        {"vmlinuz-6.8.0-57-generic.dpkg-new", "6.8.0-57-generic", KERNEL_NAME_NONE, false},
        {"vmlinuz-6.8.0-55-generic.bak", "6.8.0-55-generic", KERNEL_NAME_NONE, false},
        {"vmlinuz-6.8.0-55-generic.efi.signed", "6.8.0-55-generic", KERNEL_NAME_NONE, false},
        {"vmlinuz-6.8.0-55-generic.sig", "6.8.0-55-generic", KERNEL_NAME_NONE, false},
        {"vmlinuz-6.8.0-55-generic.old", "6.8.0-55-generic", KERNEL_NAME_NONE, false},
        {"vmlinuz-6.8.0-55-generic~", "6.8.0-55-generic", KERNEL_NAME_NONE, false},
        {"vmlinuz-6.5.6-300.fc39.x86_64.rpmsave", "6.5.6-300.fc39.x86_64", KERNEL_NAME_NONE, false},
        {"vmlinuz-6.8.0-55-generic.efi", "6.8.0-55-generic", KERNEL_NAME_VERSIONED, false},
        {"vmlinuz-6.8.0-55-generic.unknown-tool", "6.8.0-55-generic", KERNEL_NAME_VERSIONED, false},
        {"vmlinuz.old", "6.8.0-51-generic", KERNEL_NAME_NONE, false},
        {"vmlinuz-linux.bak", "6.7.4-arch1-1", KERNEL_NAME_NONE, false},
        {"vmlinuz-linux.pacnew", "6.7.4-arch1-1", KERNEL_NAME_NONE, false},
        {"vmlinuz-lts.apk-new", "6.6.14-0-lts", KERNEL_NAME_NONE, false},
        {"vmlinuz-linux.img", "6.7.4-arch1-1", KERNEL_NAME_NONE, false},
        {".vmlinuz-6.8.0-55-generic.hmac", "6.8.0-55-generic", KERNEL_NAME_NONE, false},
        /* kdump, fallback and rescue images stay out, whatever they hold. */
        {"vmlinuz-0-rescue-0f3a1c2d4e5b6a7980a1b2c3d4e5f607", "6.5.6-300.fc39.x86_64",
         KERNEL_NAME_NONE, false},
        {"vmlinuz-6.5.6-300.fc39.x86_64kdump", "6.5.6-300.fc39.x86_64", KERNEL_NAME_NONE, false},
        {"vmlinuz-linux-fallback", "6.7.4-arch1-1", KERNEL_NAME_NONE, false},
        /* Other files in /boot. */
        {"initrd.img-6.8.0-55-generic", "6.8.0-55-generic", KERNEL_NAME_NONE, false},
        {"config-6.8.0-55-generic", "6.8.0-55-generic", KERNEL_NAME_NONE, false},
        {"System.map-6.8.0-55-generic", "6.8.0-55-generic", KERNEL_NAME_NONE, false},
        {"vmlinuz-", "6.8.0-55-generic", KERNEL_NAME_NONE, false},
};

static void test_kernel_names(void **state)
{
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                if (kernel_name_classify(names[i].name) != names[i].kind ||
                    kernel_name_matches_release(names[i].name, names[i].release) !=
                            names[i].kernel) {
                        print_error("%s holding %s: classified %d, kernel %d\n", names[i].name,
                                    names[i].release, kernel_name_classify(names[i].name),
                                    kernel_name_matches_release(names[i].name, names[i].release));
                        fail();
                }
                /* No header, no kernel. */
                assert_false(kernel_name_matches_release(names[i].name, NULL));
        }
}

static void test_initrd_keys(void **state)
{
        assert_string_equal(kernel_name_initrd_key("vmlinuz-6.8.0-55-generic", "6.8.0-55-generic"),
                            "6.8.0-55-generic");
        assert_string_equal(kernel_name_initrd_key("vmlinuz-linux", "6.7.4-arch1-1"), "linux");
        assert_string_equal(kernel_name_initrd_key("kernel-genkernel-x86_64-6.6.13-gentoo", NULL),
                            "genkernel-x86_64-6.6.13-gentoo");
        assert_string_equal(
                kernel_name_initrd_key("vmlinuz-0-rescue-0f3a", "6.5.6-300.fc39.x86_64"),
                "0-rescue-0f3a");
        assert_null(kernel_name_initrd_key("vmlinuz-6.8.0-55-generic.bak", "6.8.0-55-generic"));
        assert_null(kernel_name_initrd_key("vmlinuz-6.8.0-55-generic.bak", NULL));
        assert_null(kernel_name_initrd_key("vmlinuz-6.8.0-55-generic", "6.8.0-51-generic"));
        assert_null(kernel_name_initrd_key("vmlinuz", "6.4.0-150600.23.25-default"));
        assert_null(kernel_name_initrd_key("bzImage", "6.1.0"));
        /* The initrds a scan builds from those keys are never spare copies either. */
        assert_true(boot_name_is_spare("initrd.img-6.8.0-55-generic.bak"));
        assert_true(boot_name_is_spare("initrd.img-6.8.0-51-generic.dpkg-bak"));
        assert_true(boot_name_is_spare("initramfs-6.5.6-300.fc39.x86_64kdump.img"));
        assert_true(boot_name_is_spare("initramfs-linux-fallback.img"));
        assert_false(boot_name_is_spare("initrd.img-6.8.0-55-generic"));
        assert_false(boot_name_is_spare("initramfs-0-rescue-0f3a.img"));
}

static void test_debian(void **state)
{
        expect("debian", "/boot/vmlinuz-6.1.0-28-amd64", "/boot/initrd.img-6.1.0-28-amd64",
               "boot-image");
}

static void test_ubuntu_separate_boot_partition(void **state)
{
        /* BOOT_IMAGE=(hd0,gpt2)/vmlinuz-R is relative to the /boot partition. */
        expect("ubuntu-separate-boot", "/boot/vmlinuz-5.15.0-91-generic",
               "/boot/initrd.img-5.15.0-91-generic", "boot-image");
}

static void test_fedora_never_picks_kdump_or_rescue(void **state)
{
        expect("fedora", "/boot/vmlinuz-6.5.6-300.fc39.x86_64",
               "/boot/initramfs-6.5.6-300.fc39.x86_64.img", "boot-image");
}

static void test_centos8_from_the_article(void **state)
{
        expect("centos8", "/boot/vmlinuz-4.18.0-193.6.3.el8_2.centos.plus.x86_64",
               "/boot/initramfs-4.18.0-193.6.3.el8_2.centos.plus.x86_64.img", "boot-image");
}

static void test_kernel_install_layout(void **state)
{
        expect("fedora-kernel-install",
               "/boot/0f3a1c2d4e5b6a7980a1b2c3d4e5f607/6.5.6-300.fc39.x86_64/linux",
               "/boot/0f3a1c2d4e5b6a7980a1b2c3d4e5f607/6.5.6-300.fc39.x86_64/initrd", "layout");
}

static void test_opensuse_link(void **state)
{
        /* BOOT_IMAGE names the /boot/vmlinuz link; its target gives the initrd's name. */
        expect("opensuse", "/boot/vmlinuz", "/boot/initrd-6.4.0-150600.23.25-default",
               "boot-image");
}

static void test_gentoo_genkernel(void **state)
{
        expect("gentoo", "/boot/kernel-genkernel-x86_64-6.6.13-gentoo",
               "/boot/initramfs-genkernel-x86_64-6.6.13-gentoo", "scan");
}

static void test_arch_flavour_by_image_release(void **state)
{
        struct plan p;

        plan_fixture("arch", &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-linux-lts");
        assert_string_equal(p.source, "boot-image");
        /* The separate microcode image goes first, as GRUB loads it; no fallback image. */
        assert_string_equal(p.initrds[0], "/boot/intel-ucode.img");
        assert_string_equal(p.initrds[1], "/boot/initramfs-linux-lts.img");
        assert_null(p.initrds[2]);
        plan_done(&p);
}

static void test_arch_updated_image_warns(void **state)
{
        struct plan p;
        const struct check *c;

        plan_fixture("arch-updated", &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-linux");
        assert_string_equal(p.initrds[0], "/boot/initramfs-linux.img");
        c = plan_find_check(&p, "release");
        assert_int_equal(c->status, CHECK_WARN);
        assert_non_null(strstr(c->detail, "6.7.4-arch1-1"));
        assert_false(plan_has_failure(&p));
        plan_done(&p);
}

static void test_arch_fallback_is_never_chosen(void **state)
{
        struct plan p;
        const struct check *c;

        plan_fixture("arch-fallback-only", &p);
        assert_null(p.initrds[0]);
        c = plan_find_check(&p, "initrd");
        assert_int_equal(c->status, CHECK_FAIL);
        assert_non_null(strstr(c->detail, "--initrd"));
        plan_done(&p);
}

static void test_alpine(void **state)
{
        struct plan p;

        plan_fixture("alpine", &p);
        assert_string_equal(p.kernel, "/boot/vmlinuz-lts");
        assert_string_equal(p.initrds[0], "/boot/initramfs-lts");
        /* Alpine ships with kexec_load_disabled=1: plan must say so and fail. */
        assert_int_equal(plan_find_check(&p, "kexec-load-disabled")->status, CHECK_FAIL);
        assert_true(plan_has_failure(&p));
        plan_done(&p);
}

static void test_missing_release_image_is_reported(void **state)
{
        char *dir = fixture_materialise("debian");
        _cleanup_free_ char *k = path_join(dir, "boot/vmlinuz-6.1.0-28-amd64");
        _cleanup_free_ char *link = path_join(dir, "vmlinuz");
        struct plan_options o = {};
        struct root *r;
        struct plan p;

        /* The running image is gone; the older one must not be picked in its place. */
        assert_int_equal(unlink(k), 0);
        assert_int_equal(unlink(link), 0);
        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(plan_build(r, &o, &p), 0);
        assert_null(p.kernel);
        assert_int_equal(plan_find_check(&p, "kernel")->status, CHECK_FAIL);
        assert_non_null(strstr(plan_find_check(&p, "kernel")->detail, "--kernel"));
        plan_done(&p);
        root_free(r);
        fixture_remove(dir);
}

/* Writes a crafted image of release at path, making its directories. */
static void write_image(const char *path, const char *release)
{
        struct fake_image spec = {.release = release};
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len = fake_image_build(&spec, &buf);
        FILE *f;

        fixture_write("/", path, "");
        f = fopen(path, "we");
        assert_non_null(f);
        assert_int_equal(fwrite(buf, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
}

static void test_links_stay_inside_the_root(void **state)
{
        char *dir = fixture_materialise("debian");
        _cleanup_free_ char *link = path_join(dir, "boot/vmlinuz-6.1.0-28-amd64");
        _cleanup_free_ char *outside = NULL, *inside = NULL;
        _cleanup_free_ char *moved = path_join(dir, "images/vmlinuz");
        _cleanup_free_ char *images = path_join(dir, "images");
        struct plan_options o = {};
        struct root *r;
        struct plan p;

        /* An absolute link resolves inside the tree: /images exists only in the fixture. */
        assert_int_equal(mkdir(images, 0755), 0);
        assert_int_equal(rename(link, moved), 0);
        assert_int_equal(symlink("/images/vmlinuz", link), 0);
        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(plan_build(r, &o, &p), 0);
        assert_string_equal(p.kernel, "/boot/vmlinuz-6.1.0-28-amd64");
        assert_int_equal(plan_find_check(&p, "kernel")->status, CHECK_PASS);
        plan_done(&p);

        /* A link to a path that exists on the test machine too, with another kernel there:
         * the image at that path inside the tree is the one read. */
        outside = path_join(dir, "host/vmlinuz");
        inside = path_join(dir, outside);
        write_image(outside, "9.9.9-outside");
        write_image(inside, "6.1.0-28-amd64");
        assert_int_equal(unlink(link), 0);
        assert_int_equal(symlink(outside, link), 0);
        assert_int_equal(plan_build(r, &o, &p), 0);
        assert_non_null(p.kernel);
        assert_string_equal(p.kernel, "/boot/vmlinuz-6.1.0-28-amd64");
        assert_string_equal(p.image.release, "6.1.0-28-amd64");
        assert_int_equal(plan_find_check(&p, "release")->status, CHECK_PASS);
        plan_done(&p);
        root_free(r);
        fixture_remove(dir);
}

static void test_damaged_running_image_is_named(void **state)
{
        char *dir = fixture_materialise("ubuntu-damaged-image");
        struct kernel_choice c = {.kernel = (char *)"untouched"};
        char *problem = NULL;
        struct root *r;
        struct plan p;

        /* Not its signed or temporary copies: the image itself, and what is wrong with it. */
        assert_int_equal(root_new(dir, &r), 0);
        for (int boot_image = 0; boot_image < 2; boot_image++) {
                assert_int_equal(locate_kernel(r, "6.8.0-55-generic",
                                               boot_image ? "/boot/vmlinuz-6.8.0-55-generic" : NULL,
                                               &c, &problem),
                                 -EBADMSG);
                assert_string_equal(problem,
                                    "/boot/vmlinuz-6.8.0-55-generic has no valid x86 boot header");
                assert_string_equal(c.kernel, "untouched");
                free(problem);
                problem = NULL;
        }
        plan_fixture("ubuntu-damaged-image", &p);
        assert_null(p.kernel);
        assert_int_equal(plan_find_check(&p, "kernel")->status, CHECK_FAIL);
        assert_non_null(strstr(plan_find_check(&p, "kernel")->detail,
                               "/boot/vmlinuz-6.8.0-55-generic has no valid x86 boot header"));
        plan_done(&p);
        root_free(r);
        fixture_remove(dir);
}

static void test_replaced_running_image_is_named(void **state)
{
        char *dir = fixture_materialise("ubuntu-replaced-image");
        struct kernel_choice c = {};
        char *problem = NULL;
        struct root *r;
        struct plan p;

        /* The older kernel copied over vmlinuz-R would boot with R's initrd: not a stand-in. */
        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(locate_kernel(r, "6.8.0-55-generic", "/boot/vmlinuz-6.8.0-55-generic", &c,
                                       &problem),
                         -EBADMSG);
        assert_string_equal(problem,
                            "/boot/vmlinuz-6.8.0-55-generic holds release 6.8.0-51-generic");
        assert_null(c.kernel);
        free(problem);
        plan_fixture("ubuntu-replaced-image", &p);
        assert_null(p.kernel);
        assert_non_null(strstr(plan_find_check(&p, "kernel")->detail,
                               "/boot/vmlinuz-6.8.0-55-generic holds release 6.8.0-51-generic"));
        plan_done(&p);
        root_free(r);
        fixture_remove(dir);
}

static void test_copies_never_stand_in_for_the_running_image(void **state)
{
        char *dir = fixture_materialise("ubuntu-interrupted-upgrade");
        _cleanup_free_ char *k = path_join(dir, "boot/vmlinuz-6.8.0-55-generic");
        struct kernel_choice c = {};
        char *problem = NULL, *initrd = NULL;
        struct root *r;

        /* 6.8.0-55 running, its image gone: .bak, .efi.signed and .sig hold (or sign) that
         * release, and none is taken for it. */
        assert_int_equal(unlink(k), 0);
        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(locate_kernel(r, "6.8.0-55-generic", NULL, &c, &problem), -ENOENT);
        assert_null(problem);
        assert_null(c.kernel);

        /* The running 6.8.0-51 is found by its own name, not as its .dpkg-tmp copy. */
        assert_int_equal(locate_kernel(r, "6.8.0-51-generic", NULL, &c, NULL), 0);
        assert_string_equal(c.kernel, "/boot/vmlinuz-6.8.0-51-generic");
        kernel_choice_done(&c);

        /* A copy given with --kernel gets the initrd of its release, not the copy's copy. */
        assert_int_equal(
                locate_initrd(r, "/boot/vmlinuz-6.8.0-55-generic.bak", "6.8.0-55-generic", &initrd),
                0);
        assert_string_equal(initrd, "/boot/initrd.img-6.8.0-55-generic");
        free(initrd);
        assert_int_equal(locate_initrd(r, "/boot/vmlinuz-6.8.0-51-generic.dpkg-tmp",
                                       "6.8.0-51-generic", &initrd),
                         0);
        assert_string_equal(initrd, "/boot/initrd.img-6.8.0-51-generic");
        free(initrd);
        root_free(r);
        fixture_remove(dir);
}

static void test_given_kernel_gets_its_own_releases_initrd(void **state)
{
        char *dir = fixture_materialise("debian");
        struct plan_options o = {.kernel = "/boot/vmlinuz-6.1.0-27-amd64"};
        struct root *r;
        struct plan p;

        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(plan_build(r, &o, &p), 0);
        assert_string_equal(p.initrds[0], "/boot/initrd.img-6.1.0-27-amd64");
        plan_done(&p);

        /* Outside /boot the initrd is looked up by the image's release, not the running one. */
        fixture_write(dir, "srv/vmlinuz-test", "x");
        _cleanup_free_ char *src = path_join(dir, "boot/vmlinuz-6.1.0-27-amd64");
        _cleanup_free_ char *dst = path_join(dir, "srv/vmlinuz-test");
        assert_int_equal(rename(src, dst), 0);
        o.kernel = "/srv/vmlinuz-test";
        assert_int_equal(plan_build(r, &o, &p), 0);
        assert_string_equal(p.initrds[0], "/boot/initrd.img-6.1.0-27-amd64");
        plan_done(&p);
        root_free(r);
        fixture_remove(dir);
}

/* A FIFO left where the initrd should be is refused at once: opening it to look at it must
 * not wait for a writer that never comes. */
static void test_fifo_initrd_is_refused_without_waiting(void **state)
{
        char *dir = fixture_materialise("debian");
        _cleanup_free_ char *fifo = path_join(dir, "boot/initrd.fifo");
        char *initrds[] = {(char *)"/boot/initrd.fifo", NULL};
        struct plan_options o = {.kernel = "/boot/vmlinuz-6.1.0-27-amd64", .initrds = initrds};
        const struct check *c;
        struct root *r;
        struct plan p;

        assert_int_equal(mkfifo(fifo, 0600), 0);
        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(plan_build(r, &o, &p), 0);
        c = plan_find_check(&p, "initrd");
        assert_non_null(c);
        assert_int_equal(c->status, CHECK_FAIL);
        assert_string_equal(c->detail, "the initrd /boot/initrd.fifo is not a regular file");
        plan_done(&p);
        root_free(r);
        fixture_remove(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_boot_image_forms),
                cmocka_unit_test(test_kernel_names),
                cmocka_unit_test(test_initrd_keys),
                cmocka_unit_test(test_debian),
                cmocka_unit_test(test_ubuntu_separate_boot_partition),
                cmocka_unit_test(test_fedora_never_picks_kdump_or_rescue),
                cmocka_unit_test(test_centos8_from_the_article),
                cmocka_unit_test(test_kernel_install_layout),
                cmocka_unit_test(test_opensuse_link),
                cmocka_unit_test(test_gentoo_genkernel),
                cmocka_unit_test(test_arch_flavour_by_image_release),
                cmocka_unit_test(test_arch_updated_image_warns),
                cmocka_unit_test(test_arch_fallback_is_never_chosen),
                cmocka_unit_test(test_alpine),
                cmocka_unit_test(test_missing_release_image_is_reported),
                cmocka_unit_test(test_links_stay_inside_the_root),
                cmocka_unit_test(test_damaged_running_image_is_named),
                cmocka_unit_test(test_replaced_running_image_is_named),
                cmocka_unit_test(test_copies_never_stand_in_for_the_running_image),
                cmocka_unit_test(test_given_kernel_gets_its_own_releases_initrd),
                cmocka_unit_test(test_fifo_initrd_is_refused_without_waiting),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
