/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One rule for module names and one comparison for kernel names, '-' and '_' alike. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "module-name.h"
#include "testlib.h"
#include "util.h"

/* 56 characters: one more than the kernel holds. */
#define NAME_56 "m_345678901234567890123456789012345678901234567890123456"

static void test_limit_is_the_kernels(void **state)
{
        /* 64 - sizeof(unsigned long) with the NUL on the 64-bit kernels kexec_file_load()
         * exists on. */
        if (sizeof(unsigned long) == 8)
                assert_int_equal(MODULE_NAME_MAX, 55);
        assert_int_equal(strlen(NAME_56), 56);
}

static void test_valid_names(void **state)
{
        char longest[64];

        snprintf(longest, sizeof(longest), "%.*s", (int)MODULE_NAME_MAX, NAME_56);
        assert_true(module_name_valid("nvidia_drm"));
        assert_true(module_name_valid("nvidia-drm"));
        assert_true(module_name_valid("8021q"));
        assert_true(module_name_valid("Xen_FB"));
        assert_true(module_name_valid("a"));
        assert_true(module_name_valid(longest));
}

static void test_invalid_names(void **state)
{
        static const char *const bad[] = {
                "",    NAME_56,    "nvidia.drm", "../../etc", "a/b",
                "a b", "nvidia\n", "drm,kms",    "[unsafe]",  "é_fb",
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                if (module_name_valid(bad[i]))
                        fail_msg("accepted '%s'", bad[i]);
        /* Only the characters are checked: these are names, however odd. */
        assert_true(module_name_valid("_") && module_name_valid("-"));
}

static void test_dash_and_underscore_compare_alike(void **state)
{
        assert_true(kernel_name_equal("nvidia-drm", "nvidia_drm"));
        assert_true(kernel_name_equal("nvidia_drm", "nvidia-drm"));
        assert_true(kernel_name_equal("a-b_c", "a_b-c"));
        assert_false(kernel_name_equal("nvidia_drm", "nvidia_drmx"));
        assert_false(kernel_name_equal("nvidia", "nvidia_drm"));
        assert_false(kernel_name_equal("Nvidia", "nvidia"));
        assert_false(kernel_name_equal("a.b", "a_b"));

        assert_int_equal(kernel_name_cmp("a-b", "a_b"), 0);
        assert_true(kernel_name_cmp("drm", "drm_kms_helper") < 0);
        assert_true(kernel_name_cmp("drm_kms_helper", "drm") > 0);
        /* '-' sorts as '_' does, after the letters' upper case and digits. */
        assert_true(kernel_name_cmp("a-b", "aab") < 0);
        assert_true(kernel_name_cmp("a-b", "a0b") > 0);

        assert_true(kernel_name_equal_n("nvidia-drm.modeset", 10, "nvidia_drm", 10));
        assert_false(kernel_name_equal_n("nvidia-drm.modeset", 11, "nvidia_drm", 10));
        assert_true(kernel_name_equal_n("", 0, "x", 0));
}

static void test_list_contains(void **state)
{
        char *const list[] = {(char *)"nvidia_drm", (char *)"amdgpu", NULL};

        assert_true(module_names_contain(list, "nvidia-drm"));
        assert_true(module_names_contain(list, "amdgpu"));
        assert_false(module_names_contain(list, "nvidia"));
        assert_false(module_names_contain(list, "amdgpu_x"));
        assert_false(module_names_contain(NULL, "amdgpu"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_limit_is_the_kernels),
                cmocka_unit_test(test_valid_names),
                cmocka_unit_test(test_invalid_names),
                cmocka_unit_test(test_dash_and_underscore_compare_alike),
                cmocka_unit_test(test_list_contains),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
