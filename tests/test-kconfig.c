/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "kconfig.h"

/* The shape of Debian's /boot/config-R around the kexec options. */
#define CONFIG                                                                                     \
        "#\n"                                                                                      \
        "# Automatically generated file; DO NOT EDIT.\n"                                           \
        "# Linux/x86 6.1.0-28-amd64 Kernel Configuration\n"                                        \
        "#\n"                                                                                      \
        "CONFIG_KEXEC=y\n"                                                                         \
        "CONFIG_KEXEC_FILE=y\n"                                                                    \
        "CONFIG_ARCH_HAS_KEXEC_PURGATORY=y\n"                                                      \
        "CONFIG_KEXEC_SIG=y\n"                                                                     \
        "# CONFIG_KEXEC_SIG_FORCE is not set\n"                                                    \
        "CONFIG_KEXEC_BZIMAGE_VERIFY_SIG=y\n"                                                      \
        "CONFIG_CRASH_DUMP=y\n"                                                                    \
        "CONFIG_MODULES=m\n"

static void test_debian_config(void **state)
{
        assert_int_equal(kconfig_bool(CONFIG, "CONFIG_KEXEC_FILE"), 1);
        assert_int_equal(kconfig_bool(CONFIG, "CONFIG_KEXEC"), 1);
        assert_int_equal(kconfig_bool(CONFIG, "CONFIG_KEXEC_SIG_FORCE"), 0);
        assert_int_equal(kconfig_bool(CONFIG, "CONFIG_MODULES"), 1);
        /* A prefix of a longer name is not the name. */
        assert_int_equal(kconfig_bool(CONFIG, "CONFIG_KEXEC_SIG_F"), -1);
        assert_int_equal(kconfig_bool(CONFIG, "CONFIG_NOT_THERE"), -1);
        assert_int_equal(kconfig_bool("", "CONFIG_KEXEC_FILE"), -1);
}

static void test_odd_lines(void **state)
{
        /* The first line, the last line without its newline, and the last mention wins. */
        assert_int_equal(kconfig_bool("CONFIG_KEXEC_FILE=y", "CONFIG_KEXEC_FILE"), 1);
        assert_int_equal(kconfig_bool("# CONFIG_KEXEC_FILE is not set", "CONFIG_KEXEC_FILE"), 0);
        assert_int_equal(kconfig_bool("CONFIG_KEXEC_FILE=y\n# CONFIG_KEXEC_FILE is not set\n",
                                      "CONFIG_KEXEC_FILE"),
                         0);
        assert_int_equal(kconfig_bool("# CONFIG_KEXEC_FILE is not set\nCONFIG_KEXEC_FILE=y\n",
                                      "CONFIG_KEXEC_FILE"),
                         1);
        /* Values other than y and m, and mentions inside other lines, are not "set". */
        assert_int_equal(kconfig_bool("CONFIG_KEXEC_FILE=n\n", "CONFIG_KEXEC_FILE"), 0);
        assert_int_equal(kconfig_bool("CONFIG_KEXEC_FILE=yes\n", "CONFIG_KEXEC_FILE"), 0);
        assert_int_equal(kconfig_bool("CONFIG_X=\"CONFIG_KEXEC_FILE=y\"\n", "CONFIG_KEXEC_FILE"),
                         -1);
        assert_int_equal(kconfig_bool("#  CONFIG_KEXEC_FILE is not set\n", "CONFIG_KEXEC_FILE"),
                         -1);
        assert_int_equal(
                kconfig_bool("# CONFIG_KEXEC_FILE is not set, really\n", "CONFIG_KEXEC_FILE"), -1);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_debian_config),
                cmocka_unit_test(test_odd_lines),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
