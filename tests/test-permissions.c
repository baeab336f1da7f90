/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Files anyone may change are refused before anything changes: a kernel, initrd or UKI, the
 * configuration and every directory on the way to them must be root's alone. In these
 * fixture trees "root" is also the user running the tests (root_trusts_owner()), so they
 * pass as root and as a developer alike.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "plan.h"
#include "testlib.h"
#include "util.h"
#include "verbs.h"

#define KERNEL "/boot/vmlinuz-6.1.0-28-amd64"
#define INITRD "/boot/initrd.img-6.1.0-28-amd64"
#define ONLY_ROOT "warmboot loads only files that only root can change"

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

static void set_mode(struct env *e, const char *path, mode_t mode)
{
        _cleanup_free_ char *full = path_join(e->dir, path);

        assert_int_equal(chmod(full, mode), 0);
}

/* Who the fixture's files belong to, as the sentence names an owner. */
static char *owner_word(void)
{
        return geteuid() == 0 ? strdup("root") : strdup_printf("uid %u", (unsigned)geteuid());
}

/* The permissions check of the plan on this tree: its status, and its sentence in
 * *ret_detail (caller frees). */
static enum check_status permissions_check(struct env *e, char **ret_detail)
{
        struct plan p;
        const struct check *c;
        enum check_status status;

        assert_int_equal(plan_build(e->ctx.root, &e->ctx.options, &p), 0);
        c = plan_find_check(&p, "permissions");
        assert_non_null(c);
        status = c->status;
        *ret_detail = strdup(c->detail);
        plan_done(&p);
        return status;
}

/* reboot and load fail the check with the sentence and call nothing; plan says the same. */
static void assert_refused(struct env *e, const char *sentence)
{
        _cleanup_free_ char *detail = NULL, *reboot_err = NULL, *load_err = NULL;
        _cleanup_free_ char *line = strdup_printf("warmboot: %s\n", sentence);

        assert_int_equal(permissions_check(e, &detail), CHECK_FAIL);
        assert_string_equal(detail, sentence);

        fake_reset();
        assert_int_equal(verb_capturing_stderr(verb_reboot, &e->ctx, &reboot_err), EXIT_CHECK);
        assert_int_equal(fake_n_calls, 0);
        assert_non_null(strstr(reboot_err, line));
        assert_int_equal(verb_capturing_stderr(verb_load, &e->ctx, &load_err), EXIT_CHECK);
        assert_int_equal(fake_n_calls, 0);
        assert_non_null(strstr(load_err, line));
}

static void test_trusted_files_pass(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_free_ char *detail = NULL;

        assert_int_equal(permissions_check(e, &detail), CHECK_PASS);
        assert_string_equal(detail, "only root can change the kernel and the initrd, and the "
                                    "directories that hold them");
        assert_int_equal(verb_load(&e->ctx), EXIT_OK);
        assert_int_equal(fake_n_calls, 1);
        assert_string_equal(fake_calls[0].what, "kexec_file_load");
        env_free(e);
}

static void test_world_writable_kernel_is_refused(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_free_ char *owner = owner_word();
        _cleanup_free_ char *want = strdup_printf(
                KERNEL " is writable by others (mode 0666, owner %s): " ONLY_ROOT, owner);

        set_mode(e, KERNEL, 0666);
        assert_refused(e, want);
        env_free(e);
}

static void test_group_writable_initrd_is_refused(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_free_ char *owner = owner_word();
        _cleanup_free_ char *want = strdup_printf(
                INITRD " is writable by its group (mode 0664, owner %s): " ONLY_ROOT, owner);

        set_mode(e, INITRD, 0664);
        assert_refused(e, want);
        env_free(e);
}

/* Only root can give a file away: as anyone else there is nothing to test. */
static void test_uki_of_another_user_is_refused(void **state)
{
        struct env *e;
        _cleanup_free_ char *uki = NULL;

        if (geteuid() != 0)
                skip();
        e = env_new("machine-uki-sdboot");
        uki = path_join(e->dir, "efi/EFI/Linux/arch-linux-6.7.4-arch1-1.efi");
        assert_int_equal(chown(uki, 1234, 1234), 0);
        assert_refused(e, "/efi/EFI/Linux/arch-linux-6.7.4-arch1-1.efi is owned by uid 1234, not "
                          "root (mode 0644): " ONLY_ROOT);
        env_free(e);
}

/* Whoever can write the configuration picks the units warmboot stops. */
static void test_world_writable_config_is_refused(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_free_ char *owner = owner_word();
        _cleanup_free_ char *want = strdup_printf(
                "/etc/warmboot.conf is writable by others (mode 0666, owner %s): " ONLY_ROOT,
                owner);

        fixture_write(e->dir, "etc/warmboot.conf", "[Holders]\nStopUnits=sshd.service\n");
        set_mode(e, "etc/warmboot.conf", 0666);
        assert_refused(e, want);
        env_free(e);
}

static void test_config_dir_open_to_others_is_refused(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_free_ char *owner = owner_word();
        _cleanup_free_ char *want = strdup_printf(
                "/etc/warmboot.conf.d is writable by others (mode 0777, owner %s): " ONLY_ROOT,
                owner);

        fixture_write(e->dir, "etc/warmboot.conf.d/50-site.conf", "[Modules]\nUnload=vgem\n");
        set_mode(e, "etc/warmboot.conf.d", 0777);
        assert_refused(e, want);
        env_free(e);
}

/* /boot open to others: anyone could put another file in the kernel's place. Sticky, as
 * /tmp is, it is still refused. */
static void test_parent_open_to_others_is_refused(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_free_ char *owner = owner_word();
        _cleanup_free_ char *open = strdup_printf("/boot, a directory on the way to " KERNEL
                                                  ", is writable by others (mode 0777, owner "
                                                  "%s): " ONLY_ROOT,
                                                  owner);
        _cleanup_free_ char *sticky = strdup_printf("/boot, a directory on the way to " KERNEL
                                                    ", is writable by others (mode 1777, owner "
                                                    "%s): " ONLY_ROOT,
                                                    owner);

        set_mode(e, "boot", 0777);
        assert_refused(e, open);
        set_mode(e, "boot", 01777);
        assert_refused(e, sticky);
        env_free(e);
}

/* A link is judged by its target, and the sentence says which link led there. */
static void test_link_to_an_open_file_is_refused(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_free_ char *owner = owner_word();
        _cleanup_free_ char *kernel = path_join(e->dir, KERNEL + 1);
        _cleanup_free_ char *target = path_join(e->dir, "srv/vmlinuz");
        _cleanup_free_ char *srv = path_join(e->dir, "srv");
        _cleanup_free_ char *want = strdup_printf(
                "/srv/vmlinuz (where " KERNEL " points) is writable by others (mode 0666, owner "
                "%s): " ONLY_ROOT,
                owner);

        assert_int_equal(mkdir(srv, 0755), 0);
        assert_int_equal(rename(kernel, target), 0);
        assert_int_equal(symlink("/srv/vmlinuz", kernel), 0);
        set_mode(e, "srv/vmlinuz", 0666);
        assert_refused(e, want);
        env_free(e);
}

/* Nix keeps /nix/store 1775, group nixbld: in a sticky directory the group only adds names,
 * it cannot replace root's. */
static void test_sticky_group_writable_directory_passes(void **state)
{
        struct env *e = env_new("debian");
        _cleanup_free_ char *detail = NULL;

        set_mode(e, "boot", 01775);
        assert_int_equal(permissions_check(e, &detail), CHECK_PASS);
        assert_int_equal(verb_load(&e->ctx), EXIT_OK);
        env_free(e);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_trusted_files_pass),
                cmocka_unit_test(test_world_writable_kernel_is_refused),
                cmocka_unit_test(test_group_writable_initrd_is_refused),
                cmocka_unit_test(test_uki_of_another_user_is_refused),
                cmocka_unit_test(test_world_writable_config_is_refused),
                cmocka_unit_test(test_config_dir_open_to_others_is_refused),
                cmocka_unit_test(test_parent_open_to_others_is_refused),
                cmocka_unit_test(test_link_to_an_open_file_is_refused),
                cmocka_unit_test(test_sticky_group_writable_directory_passes),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
