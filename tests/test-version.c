/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util.h"
#include "version.h"

static int sign(int v)
{
        return (v > 0) - (v < 0);
}

/* Asserts that every release in list is older than the next, both ways round. */
static void assert_ascending(const char *const *list, size_t n)
{
        for (size_t i = 0; i + 1 < n; i++) {
                if (version_compare(list[i], list[i + 1]) >= 0 ||
                    version_compare(list[i + 1], list[i]) <= 0)
                        fail_msg("expected \"%s\" < \"%s\"", list[i], list[i + 1]);
        }
}

static void test_debian_releases(void **state)
{
        const char *list[] = {"6.1.0-28-amd64", "6.1.0-29-amd64", "6.10.0-1-amd64"};
        assert_ascending(list, ELEMENTSOF(list));
}

static void test_fedora_releases(void **state)
{
        /* 10 > 6 as numbers, though "1" < "6" as text. */
        const char *list[] = {"6.5.6-300.fc39.x86_64", "6.5.10-200.fc39.x86_64",
                              "6.6.2-201.fc39.x86_64"};
        assert_ascending(list, ELEMENTSOF(list));
}

static void test_rhel_releases(void **state)
{
        const char *list[] = {"4.18.0-193.el8", "4.18.0-193.6.3.el8_2", "4.18.0-305.el8",
                              "4.18.0-305.3.1.el8_4"};
        assert_ascending(list, ELEMENTSOF(list));
}

static void test_arch_releases(void **state)
{
        const char *list[] = {"6.7.3-arch1-1", "6.7.4-arch1-1", "6.7.4-arch1-2", "6.7.10-arch1-1"};
        assert_ascending(list, ELEMENTSOF(list));
}

static void test_tilde_sorts_before_the_release(void **state)
{
        const char *list[] = {"6.8.0~rc1", "6.8.0~rc2", "6.8.0~rc10", "6.8.0", "6.8.0-1"};
        assert_ascending(list, ELEMENTSOF(list));
        /* '~' sorts before the end of the string, and before letters and digits. */
        assert_true(version_compare("1~", "1") < 0);
        assert_true(version_compare("1~a", "1a") < 0);
        assert_true(version_compare("1~~", "1~") < 0);
}

static void test_letters_and_numbers_against_other_characters(void **state)
{
        /* dpkg: the end of a run < letters < punctuation. */
        assert_true(version_compare("1.0", "1.0a") < 0);
        assert_true(version_compare("1.0a", "1.0+") < 0);
        assert_true(version_compare("1.0a", "1.0b") < 0);
        assert_true(version_compare("1.0Z", "1.0a") < 0);
        /* rpm: a number is newer than letters in the same place (RHEL's z-stream kernels,
         * "4.18.0-193.6.3.el8_2" after "4.18.0-193.el8"); dpkg alone would say older. */
        assert_true(version_compare("1.el8", "1.6.el8") < 0);
        assert_true(version_compare("linux", "6.1") < 0);
}

static void test_leading_zeros_are_ignored(void **state)
{
        assert_int_equal(version_compare("1.01", "1.1"), 0);
        assert_int_equal(version_compare("6.1.0-0028-amd64", "6.1.0-28-amd64"), 0);
        assert_true(version_compare("1.002", "1.10") < 0);
        assert_true(version_compare("0", "00001") < 0);
}

static void test_long_numbers_do_not_overflow(void **state)
{
        assert_true(version_compare("1.99999999999999999999999", "1.100000000000000000000000") < 0);
        assert_int_equal(version_compare("18446744073709551616", "18446744073709551616"), 0);
        assert_true(version_compare("18446744073709551617", "18446744073709551616") > 0);
}

static void test_equal_and_empty_strings(void **state)
{
        assert_int_equal(version_compare("6.1.0-28-amd64", "6.1.0-28-amd64"), 0);
        assert_int_equal(version_compare("", ""), 0);
        assert_true(version_compare("", "0.1") < 0);
        assert_true(version_compare("", "a") < 0);
        assert_true(version_compare("~", "") < 0);
        /* NULL stands for an absent version: the same as "". */
        assert_int_equal(version_compare(NULL, ""), 0);
        assert_true(version_compare(NULL, "1") < 0);
}

static void test_order_is_total_over_mixed_releases(void **state)
{
        const char *list[] = {
                "6.10.0-1-amd64",
                "6.1.0-28-amd64",
                "",
                "6.8.0~rc1",
                "6.5.6-300.fc39.x86_64",
                "6.5.10-200.fc39.x86_64",
                "4.18.0-193.el8",
                "4.18.0-305.el8",
                "6.7.3-arch1-1",
                "6.7.10-arch1-1",
                "6.7.4-arch1-1",
                "6.8.0",
                "6.1.0-29-amd64",
                "0-rescue-2e7ae84a",
                "6.1.0-0028-amd64",
                "1.0a",
                "1.0+",
                "1.0~",
                "linux",
                "linux-lts",
                "6.8.0~rc1",
                "a~b",
                "1..2",
                "1.2",
        };
        const char *sorted[ELEMENTSOF(list)];
        size_t n = ELEMENTSOF(list);

        /* Insertion sort with version_compare(), then every pair must agree with the order. */
        for (size_t i = 0; i < n; i++) {
                size_t j = i;
                for (; j > 0 && version_compare(sorted[j - 1], list[i]) > 0; j--)
                        sorted[j] = sorted[j - 1];
                sorted[j] = list[i];
        }
        for (size_t i = 0; i < n; i++) {
                assert_int_equal(version_compare(sorted[i], sorted[i]), 0);
                for (size_t j = i + 1; j < n; j++) {
                        int ij = version_compare(sorted[i], sorted[j]);
                        int ji = version_compare(sorted[j], sorted[i]);
                        if (ij > 0)
                                fail_msg("\"%s\" sorted before \"%s\" yet compares greater",
                                         sorted[i], sorted[j]);
                        if (sign(ij) != -sign(ji))
                                fail_msg("\"%s\" and \"%s\" compare inconsistently", sorted[i],
                                         sorted[j]);
                }
        }
        /* Transitivity: for every triple, a <= b and b <= c give a <= c. */
        for (size_t a = 0; a < n; a++)
                for (size_t b = 0; b < n; b++)
                        for (size_t c = 0; c < n; c++)
                                if (version_compare(list[a], list[b]) <= 0 &&
                                    version_compare(list[b], list[c]) <= 0 &&
                                    version_compare(list[a], list[c]) > 0)
                                        fail_msg("not transitive: %s, %s, %s", list[a], list[b],
                                                 list[c]);
        assert_string_equal(sorted[0], "");
        assert_string_equal(sorted[n - 2], "6.8.0");
        assert_string_equal(sorted[n - 1], "6.10.0-1-amd64");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_debian_releases),
                cmocka_unit_test(test_fedora_releases),
                cmocka_unit_test(test_rhel_releases),
                cmocka_unit_test(test_arch_releases),
                cmocka_unit_test(test_tilde_sorts_before_the_release),
                cmocka_unit_test(test_letters_and_numbers_against_other_characters),
                cmocka_unit_test(test_leading_zeros_are_ignored),
                cmocka_unit_test(test_long_numbers_do_not_overflow),
                cmocka_unit_test(test_equal_and_empty_strings),
                cmocka_unit_test(test_order_is_total_over_mixed_releases),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
