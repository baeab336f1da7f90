/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /etc/crypttab as systemd reads it, and the base64url of a JWE's protected header. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "base64url.h"
#include "crypttab.h"
#include "util.h"

static void parse_ok(const char *text, struct crypttab *t)
{
        char *error = NULL;

        if (crypttab_parse(text, "/etc/crypttab", t, &error) != 0)
                fail_msg("'%s' refused: %s", text, error ? error : "(no sentence)");
        assert_null(error);
}

static void expect_error(const char *text, const char *want)
{
        struct crypttab t = {.n_entries = 99};
        char *error = NULL;

        assert_int_equal(crypttab_parse(text, "/etc/crypttab", &t, &error), -EINVAL);
        assert_int_equal(t.n_entries, 99); /* untouched */
        assert_non_null(error);
        if (!streq(error, want))
                fail_msg("'%s':\n got: %s\nwant: %s", text, error, want);
        free(error);
}

static void test_debian_lines(void **state)
{
        struct crypttab t;

        parse_ok("# <target name>\t<source device>\t\t<key file>\t<options>\n"
                 "vda3_crypt UUID=0b6c2e51-9a0f-4c2b-8a7d-3e1f5c9d2a44 none luks,discard\n"
                 "\n"
                 "   \t\n"
                 "swap_crypt /dev/vda2 /dev/urandom swap,cipher=aes-xts-plain64,size=256\n"
                 "backup\tPARTUUID=5d1e7c0a-01\t/etc/keys/backup.key\tluks,noauto\n"
                 "  data /dev/disk/by-id/nvme-Samsung_SSD_980-part1\n",
                 &t);
        assert_int_equal(t.n_entries, 4);
        assert_string_equal(t.entries[0].name, "vda3_crypt");
        assert_string_equal(t.entries[0].device, "UUID=0b6c2e51-9a0f-4c2b-8a7d-3e1f5c9d2a44");
        assert_null(t.entries[0].key_file);
        assert_string_equal(t.entries[0].options, "luks,discard");
        assert_int_equal(t.entries[0].line, 2);
        assert_null(t.entries[0].tpm2_device);
        assert_false(t.entries[0].noauto);
        assert_string_equal(t.entries[1].key_file, "/dev/urandom");
        assert_int_equal(t.entries[1].line, 5);
        assert_string_equal(t.entries[2].key_file, "/etc/keys/backup.key");
        assert_true(t.entries[2].noauto);
        assert_false(t.entries[2].nofail);
        assert_string_equal(t.entries[3].name, "data");
        assert_null(t.entries[3].key_file);
        assert_null(t.entries[3].options);
        assert_int_equal(t.entries[3].line, 7);
        crypttab_done(&t);
}

static void test_tpm2_options(void **state)
{
        struct crypttab t;

        parse_ok("root UUID=3f6a8e2c-1b4d-4c5e-9f70-2a8b6c4d1e03 - tpm2-device=auto\n"
                 "home /dev/nvme0n1p3 - tpm2-device=/dev/tpmrm0,tpm2-pcrs=0+7,nofail\n"
                 "lock /dev/sdb1 none tpm2-device=auto,tpm2-pcrlock=/var/lib/systemd/pcrlock.json\n"
                 /* An empty value turns the option off again, as in systemd-cryptsetup. */
                 "undone /dev/sdc1 - tpm2-device=auto,tpm2-device=\n"
                 "fido /dev/sdd1 - fido2-device=auto,x-tpm2-device=auto,,\n",
                 &t);
        assert_int_equal(t.n_entries, 5);
        assert_string_equal(t.entries[0].tpm2_device, "auto");
        assert_null(t.entries[0].tpm2_pcrs);
        assert_string_equal(t.entries[1].tpm2_device, "/dev/tpmrm0");
        assert_string_equal(t.entries[1].tpm2_pcrs, "0+7");
        assert_true(t.entries[1].nofail);
        assert_true(t.entries[2].tpm2_pcrlock);
        assert_null(t.entries[3].tpm2_device);
        assert_null(t.entries[4].tpm2_device);
        crypttab_done(&t);
}

static void test_escaped_comma(void **state)
{
        struct crypttab t;

        parse_ok("odd /dev/sde1 - header=/etc/a\\,b,tpm2-device=auto\n", &t);
        assert_int_equal(t.n_entries, 1);
        assert_string_equal(t.entries[0].tpm2_device, "auto");
        crypttab_done(&t);
        /* "\," keeps the comma inside the value: no tpm2-device= option here. */
        parse_ok("odd /dev/sde1 - header=/etc/a\\,tpm2-device=auto\n", &t);
        assert_null(t.entries[0].tpm2_device);
        crypttab_done(&t);
}

static void test_empty(void **state)
{
        struct crypttab t;

        parse_ok("", &t);
        assert_int_equal(t.n_entries, 0);
        crypttab_done(&t);
        parse_ok("# nothing encrypted\n\n", &t);
        assert_int_equal(t.n_entries, 0);
        crypttab_done(&t);
}

static void test_bad_lines(void **state)
{
        expect_error("root UUID=1 - luks\ncryptroot\n",
                     "/etc/crypttab:2: 'cryptroot' has no device (a line is NAME DEVICE "
                     "[KEYFILE [OPTIONS]])");
        expect_error("root /dev/vda3 none luks, discard\n",
                     "/etc/crypttab:1: more than four fields: a blank after the options 'luks,' "
                     "(a line is NAME DEVICE [KEYFILE [OPTIONS]])");
        expect_error("\n\nvg/root /dev/vda3\n",
                     "/etc/crypttab:3: 'vg/root' cannot be a device-mapper name (at most 127 "
                     "characters, no '/')");
}

static void expect_base64url(const char *text, const char *want)
{
        char *got = NULL;
        size_t len = 0;

        assert_int_equal(base64url_decode(text, strlen(text), &got, &len), 0);
        assert_int_equal(len, strlen(want));
        assert_string_equal(got, want);
        free(got);
}

static void test_base64url(void **state)
{
        char *got = (char *)"untouched";
        size_t len = 7;

        expect_base64url("eyJhbGciOiJkaXIifQ", "{\"alg\":\"dir\"}");
        expect_base64url("eyJhbGciOiJkaXIifQ==", "{\"alg\":\"dir\"}");
        expect_base64url("", "");
        expect_base64url("-_8", "\xfb\xff");
        assert_int_equal(base64url_decode("eyJ+", 4, &got, &len), -EINVAL);
        assert_int_equal(base64url_decode("eyJhb", 5, &got, &len), -EINVAL);
        assert_int_equal(base64url_decode("ey J", 4, &got, &len), -EINVAL);
        assert_string_equal(got, "untouched");
        assert_int_equal(len, 7);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_debian_lines),  cmocka_unit_test(test_tpm2_options),
                cmocka_unit_test(test_escaped_comma), cmocka_unit_test(test_empty),
                cmocka_unit_test(test_bad_lines),     cmocka_unit_test(test_base64url),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
