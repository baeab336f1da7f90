/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The encrypted disks of the tpm2-* fixture machines (LUKS2 headers made by cryptsetup,
 * tools/make-tpm2-fixtures): which the boot unlocks, and what their tokens bind to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "disk-unlock.h"
#include "testlib.h"
#include "util.h"

#define PCR(n) (UINT32_C(1) << (n))

static void read_machine(const char *machine, struct disk_unlock *u)
{
        char *dir = fixture_materialise(machine);
        _cleanup_root_ struct root *r = NULL;

        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(disk_unlock_read(r, u), 0);
        fixture_remove(dir);
}

static const struct encrypted_disk *find_disk(const struct disk_unlock *u, const char *device)
{
        for (size_t i = 0; i < u->n_disks; i++)
                if (streq(u->disks[i].device, device))
                        return &u->disks[i];
        fail_msg("no disk %s", device);
        return NULL;
}

static void test_crypttab_tpm2_device_auto(void **state)
{
        struct disk_unlock u;
        const struct encrypted_disk *d;

        read_machine("tpm2-crypttab-auto", &u);
        assert_true(u.have_crypttab);
        assert_null(u.crypttab_error);
        assert_int_equal(u.n_disks, 2);
        /* UUID= resolved through /dev/disk/by-uuid inside the tree. */
        d = find_disk(&u, "/dev/nvme1n1");
        assert_string_equal(d->crypttab_name, "srv");
        assert_string_equal(d->crypttab_tpm2, "auto");
        assert_false(d->root);
        assert_int_equal(d->header_err, 0);
        assert_true(d->tpm2.luks2);
        assert_int_equal(d->tpm2.systemd_tpm2, 1);
        assert_int_equal(d->tpm2.pcrs, PCR(7));
        d = find_disk(&u, "/dev/sda1");
        assert_true(d->noauto);
        assert_int_equal(d->header_err, 0);
        assert_int_equal(d->tpm2.systemd_tpm2 + d->tpm2.clevis_tpm2, 0);
        disk_unlock_done(&u);
}

static void test_root_on_lvm_on_luks(void **state)
{
        struct disk_unlock u;
        const struct encrypted_disk *d;

        read_machine("tpm2-root-lvm", &u);
        assert_int_equal(u.n_disks, 2);
        /* Found through the mount table and /sys/block/dm-1/slaves/dm-0, not crypttab. */
        d = find_disk(&u, "/dev/nvme0n1p3");
        assert_true(d->root);
        assert_null(d->crypttab_name);
        assert_int_equal(d->tpm2.pcrs, PCR(7) | PCR(11));
        /* systemd-cryptenroll --tpm2-pcrs= (none): nothing kexec changes. */
        d = find_disk(&u, "/dev/sdb");
        assert_true(d->nofail);
        assert_int_equal(d->tpm2.systemd_tpm2, 1);
        assert_int_equal(d->tpm2.pcrs, 0);
        assert_int_equal(d->tpm2.tpm2_no_pcrs, 1);
        disk_unlock_done(&u);
}

static void test_clevis_sss_needs_tpm2(void **state)
{
        struct disk_unlock u;
        const struct encrypted_disk *d;

        read_machine("tpm2-clevis", &u);
        assert_int_equal(u.n_disks, 1);
        d = &u.disks[0];
        assert_true(d->root);
        assert_string_equal(d->crypttab_name, "cryptroot");
        assert_int_equal(d->tpm2.clevis_tpm2, 1);
        assert_int_equal(d->tpm2.pcrs, PCR(0) | PCR(7));
        /* t=2 of tpm2 and tang: tang alone does not meet the threshold. */
        assert_false(d->tpm2.clevis_survives);
        disk_unlock_done(&u);
}

static void test_passphrase_only(void **state)
{
        struct disk_unlock u;

        read_machine("tpm2-passphrase", &u);
        assert_int_equal(u.n_disks, 1);
        assert_true(u.disks[0].root);
        assert_int_equal(u.disks[0].header_err, 0);
        assert_true(u.disks[0].tpm2.luks2);
        assert_int_equal(u.disks[0].tpm2.pcrs, 0);
        assert_int_equal(u.disks[0].tpm2.systemd_tpm2 + u.disks[0].tpm2.clevis_tpm2 +
                                 u.disks[0].tpm2.tpm2_no_pcrs,
                         0);
        disk_unlock_done(&u);
}

static void test_damaged(void **state)
{
        struct disk_unlock u;

        read_machine("tpm2-corrupt-header", &u);
        assert_int_equal(u.n_disks, 1);
        assert_int_equal(u.disks[0].header_err, -EINVAL);
        disk_unlock_done(&u);

        read_machine("tpm2-bad-crypttab", &u);
        assert_true(u.have_crypttab);
        assert_string_equal(u.crypttab_error,
                            "/etc/crypttab:2: more than four fields: a blank after the options "
                            "'luks,' (a line is NAME DEVICE [KEYFILE [OPTIONS]])");
        assert_int_equal(u.n_disks, 0);
        disk_unlock_done(&u);
}

static void test_nothing_encrypted(void **state)
{
        struct disk_unlock u;

        read_machine("machine-headless-server", &u);
        assert_false(u.have_crypttab);
        assert_int_equal(u.n_disks, 0);
        disk_unlock_done(&u);
}

static void test_plain_entries_have_no_header(void **state)
{
        char *dir = fixture_materialise("tpm2-passphrase");
        _cleanup_root_ struct root *r = NULL;
        struct disk_unlock u;

        fixture_write(dir, "etc/crypttab",
                      "cryptroot UUID=7a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9 none luks\n"
                      "swap /dev/nvme0n1p4 /dev/urandom swap,cipher=aes-xts-plain64\n"
                      "tmp /dev/nvme0n1p5 - tmp=ext4\n");
        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(disk_unlock_read(r, &u), 0);
        assert_int_equal(u.n_disks, 1); /* the root, its crypttab entry */
        assert_true(u.disks[0].root);
        assert_string_equal(u.disks[0].crypttab_name, "cryptroot");
        disk_unlock_done(&u);
        fixture_remove(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_crypttab_tpm2_device_auto),
                cmocka_unit_test(test_root_on_lvm_on_luks),
                cmocka_unit_test(test_clevis_sss_needs_tpm2),
                cmocka_unit_test(test_passphrase_only),
                cmocka_unit_test(test_damaged),
                cmocka_unit_test(test_nothing_encrypted),
                cmocka_unit_test(test_plain_entries_have_no_header),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
