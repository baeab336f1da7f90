/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plan --json on every fixture machine, compared with tests/fixtures/NAME.plan.json, and
 * plan --latest --json on some, with NAME.latest.plan.json. WARMBOOT_UPDATE_GOLDEN=1 rewrites the
 * files (review the diff before committing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "plan.h"
#include "testlib.h"
#include "util.h"

static const char *const fixtures[] = {
        "alpine",
        "arch",
        "arch-fallback-only",
        "arch-updated",
        "centos8",
        "debian",
        "fedora",
        "fedora-kernel-install",
        "gentoo",
        "lockdown-unsigned",
        "minimal",
        "opensuse",
        "ubuntu-separate-boot",
        "machine-fedora-bls",
        "machine-ubuntu-grub",
        "machine-arch-sdboot",
        "machine-uki-sdboot",
        "machine-nixos",
        "machine-centos8-bls",
        "machine-debian-grub",
        "machine-opensuse-grub",
        "ubuntu-interrupted-upgrade",
        "ubuntu-damaged-image",
        "ubuntu-replaced-image",
};

/* plan --latest, compared with tests/fixtures/NAME.latest.plan.json. */
static const struct {
        const char *test, *fixture;
} latest_fixtures[] = {
        {"ubuntu-interrupted-upgrade --latest", "ubuntu-interrupted-upgrade"},
};

static char *plan_json(const char *name, bool latest)
{
        char *dir = fixture_materialise(name), *out = NULL;
        struct plan_options o = {.prepare = true, .latest = latest}; /* as the plan verb does */
        struct root *r;
        struct plan p;
        size_t len;
        FILE *f;

        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(plan_build(r, &o, &p), 0);
        f = open_memstream(&out, &len);
        assert_int_equal(plan_print(&p, true, f), 0);
        fclose(f);
        plan_done(&p);
        root_free(r);
        fixture_remove(dir);
        return out;
}

static void compare_golden(const char *name, bool latest)
{
        _cleanup_free_ char *got = plan_json(name, latest);
        _cleanup_free_ char *path = NULL, *want = NULL;

        assert_true(asprintf(&path, "%s/%s%s.plan.json", FIXTURE_DIR, name,
                             latest ? ".latest" : "") > 0);
        if (getenv("WARMBOOT_UPDATE_GOLDEN")) {
                FILE *f = fopen(path, "we");
                assert_non_null(f);
                fputs(got, f);
                fclose(f);
                return;
        }
        want = fixture_read(path);
        if (!want || !streq(got, want)) {
                print_error("%s: plan --json differs from %s\n got: %s\nwant: %s\n", name, path,
                            got, want ? want : "(missing)");
                fail();
        }
}

static void test_golden(void **state)
{
        compare_golden(*state, false);
}

static void test_golden_latest(void **state)
{
        compare_golden(*state, true);
}

int main(void)
{
        struct CMUnitTest tests[ELEMENTSOF(fixtures) + ELEMENTSOF(latest_fixtures)];
        size_t n = 0;

        for (size_t i = 0; i < ELEMENTSOF(fixtures); i++)
                tests[n++] = (struct CMUnitTest){
                        .name = fixtures[i],
                        .test_func = test_golden,
                        .initial_state = (void *)fixtures[i],
                };
        for (size_t i = 0; i < ELEMENTSOF(latest_fixtures); i++)
                tests[n++] = (struct CMUnitTest){
                        .name = latest_fixtures[i].test,
                        .test_func = test_golden_latest,
                        .initial_state = (void *)latest_fixtures[i].fixture,
                };
        return _cmocka_run_group_tests("plan-golden", tests, ELEMENTSOF(tests), NULL, NULL);
}
