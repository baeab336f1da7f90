/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "grubenv.h"
#include "testlib.h"
#include "util.h"

#define CENTOS_MID "c0ffee5a1d2b4c3e8f9a0b1c2d3e4f50"

static void test_grubenv_real_block(void **state)
{
        _cleanup_free_ char *path = path_join(FIXTURE_DIR, "bls-centos8/grub2/grubenv");
        _cleanup_free_ char *text = fixture_read(path);
        _cleanup_strv_free_ char **env = NULL;

        assert_non_null(text);

        assert_int_equal(grubenv_parse(text, 1024, &env), 0);
        assert_int_equal(strv_length(env), 4);
        assert_string_equal(env_get(env, "saved_entry"), CENTOS_MID "-4.18.0-305.el8.x86_64");
        assert_string_equal(env_get(env, "kernelopts"),
                            "root=/dev/mapper/cl-root ro crashkernel=auto "
                            "resume=/dev/mapper/cl-swap rd.lvm.lv=cl/root rd.lvm.lv=cl/swap "
                            "rhgb quiet ");
        assert_string_equal(env_get(env, "boot_success"), "1");
        assert_string_equal(env_get(env, "boot_indeterminate"), "0");
        assert_null(env_get(env, "next_entry"));
        assert_null(env_get(env, "boot")); /* a prefix of boot_success is not a match */
        assert_null(env_get(NULL, "saved_entry"));
}

static int parse_env(const char *text, size_t len, char ***ret)
{
        return grubenv_parse(text, len, ret);
}

static void test_grubenv_missing_header(void **state)
{
        char **env = NULL;
        const char *no_header = "saved_entry=0\n";
        const char *other = "# GRUB Environment Blocks\nsaved_entry=0\n";

        assert_int_equal(parse_env(no_header, strlen(no_header), &env), -EBADMSG);
        assert_int_equal(parse_env(other, strlen(other), &env), -EBADMSG);
        assert_int_equal(parse_env("# GRUB Environment Block", 24, &env), -EBADMSG);
        assert_int_equal(parse_env("", 0, &env), -EBADMSG);
        assert_int_equal(parse_env(NULL, 0, &env), -EBADMSG);
        assert_int_equal(parse_env(NULL, 5, &env), -EINVAL);
        assert_null(env);
}

static void test_grubenv_escapes(void **state)
{
        /* grub-editenv writes a backslash before a backslash and before a newline. */
        const char *text = "# GRUB Environment Block\n"
                           "a=C:\\\\boot\n"
                           "b=one\\\ntwo\n"
                           "c=\\x\n"
                           "d=\n"
                           "e=x=y\n"
                           "###";
        _cleanup_strv_free_ char **env = NULL;

        assert_int_equal(parse_env(text, strlen(text), &env), 0);
        assert_string_equal(env_get(env, "a"), "C:\\boot");
        assert_string_equal(env_get(env, "b"), "one\ntwo");
        assert_string_equal(env_get(env, "c"), "x");
        assert_string_equal(env_get(env, "d"), "");
        assert_string_equal(env_get(env, "e"), "x=y");
        assert_int_equal(strv_length(env), 5);
}

static void test_grubenv_malformed_lines(void **state)
{
        const char *cases[] = {
                "# GRUB Environment Block\nsaved_entry\n####",
                "# GRUB Environment Block\n=value\n",
                "# GRUB Environment Block\nsaved_entry=x",   /* unterminated: GRUB ignores it */
                "# GRUB Environment Block\nsaved_entry=x\\", /* escape at the very end */
                "# GRUB Environment Block\nkernelopts=a\nnot a variable\nx=1\n",
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char **env = NULL;
                if (parse_env(cases[i], strlen(cases[i]), &env) != -EBADMSG)
                        fail_msg("accepted: %s", cases[i]);
                assert_null(env);
        }
}

static void test_grubenv_any_length(void **state)
{
        const char *header_only = "# GRUB Environment Block\n";
        const char *short_block = "# GRUB Environment Block\nsaved_entry=1\n";
        _cleanup_free_ char *long_block = NULL;
        _cleanup_strv_free_ char **a = NULL, **b = NULL, **c = NULL;
        size_t n = 8192;

        assert_int_equal(parse_env(header_only, strlen(header_only), &a), 0);
        assert_non_null(a);
        assert_int_equal(strv_length(a), 0);

        assert_int_equal(parse_env(short_block, strlen(short_block), &b), 0);
        assert_string_equal(env_get(b, "saved_entry"), "1");

        long_block = malloc(n);
        memset(long_block, '#', n);
        memcpy(long_block, short_block, strlen(short_block));
        memcpy(long_block + 4000, "\nnext_entry=2\n", 14);
        assert_int_equal(parse_env(long_block, n, &c), 0);
        assert_string_equal(env_get(c, "saved_entry"), "1");
        assert_string_equal(env_get(c, "next_entry"), "2");

        /* len is honoured: the block is not NUL-terminated, and what lies past len is
         * never read (ASan would see it). */
        strv_free(c);
        c = NULL;
        char *exact = malloc(strlen(short_block));
        memcpy(exact, short_block, strlen(short_block));
        assert_int_equal(parse_env(exact, strlen(short_block), &c), 0);
        assert_string_equal(env_get(c, "saved_entry"), "1");
        free(exact);
}

static void test_grubenv_nul_ends_the_block(void **state)
{
        /* A block zero-filled after its last line (a truncated or preallocated file): the
         * NUL ends it, as if the padding stopped there. */
        char block[1024];
        const char *head = "# GRUB Environment Block\nsaved_entry=gnulinux-6.1\n###";
        _cleanup_strv_free_ char **env = NULL;

        memset(block, 0, sizeof(block));
        memcpy(block, head, strlen(head));
        memcpy(block + 600, "next_entry=hidden\n", 18);
        assert_int_equal(parse_env(block, sizeof(block), &env), 0);
        assert_string_equal(env_get(env, "saved_entry"), "gnulinux-6.1");
        assert_null(env_get(env, "next_entry"));

        /* A NUL inside a value cuts the line short: that line is malformed. */
        char **bad = NULL;
        const char cut[] = "# GRUB Environment Block\nsaved_entry=gnu\0linux\n";
        assert_int_equal(parse_env(cut, sizeof(cut) - 1, &bad), -EBADMSG);
        assert_null(bad);
}

static void test_grubenv_last_assignment_wins(void **state)
{
        const char *text = "# GRUB Environment Block\nsaved_entry=old\nx=1\nsaved_entry=new\n";
        _cleanup_strv_free_ char **env = NULL;

        /* load_env sets the variables in order. */
        assert_int_equal(parse_env(text, strlen(text), &env), 0);
        assert_int_equal(strv_length(env), 2);
        assert_string_equal(env_get(env, "saved_entry"), "new");
        assert_string_equal(env[0], "saved_entry=new");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_grubenv_real_block),
                cmocka_unit_test(test_grubenv_missing_header),
                cmocka_unit_test(test_grubenv_escapes),
                cmocka_unit_test(test_grubenv_malformed_lines),
                cmocka_unit_test(test_grubenv_any_length),
                cmocka_unit_test(test_grubenv_nul_ends_the_block),
                cmocka_unit_test(test_grubenv_last_assignment_wins),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
