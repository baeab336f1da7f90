/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Lines of /proc/modules: the module, its count and the modules that use it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "proc-modules.h"
#include "testlib.h"
#include "util.h"

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

static void expect_line(const char *text, const char *name, unsigned refcnt,
                        const char *const *used_by)
{
        _cleanup_free_ char *line = strdup(text);
        struct proc_module_line l = {};
        size_t i;

        assert_int_equal(proc_modules_parse_line(line, &l), 0);
        assert_string_equal(l.name, name);
        assert_int_equal(l.refcnt, refcnt);
        for (i = 0; used_by[i] && l.used_by[i]; i++)
                assert_string_equal(l.used_by[i], used_by[i]);
        if (used_by[i] || l.used_by[i])
                fail_msg("'%s': %s users", text, used_by[i] ? "too few" : "too many");
        proc_module_line_done(&l);
}

static void test_lines(void **state)
{
        expect_line("nvidia_modeset 1355776 1 nvidia_drm, Live 0x0000000000000000 (POE)",
                    "nvidia_modeset", 1, L("nvidia_drm"));
        expect_line("drm 700416 9 drm_kms_helper,virtio_gpu,drm_shmem_helper, Live 0x0", "drm", 9,
                    L("drm_kms_helper", "virtio_gpu", "drm_shmem_helper"));
        expect_line("nvidia_uvm 1789952 0 - Live 0x0000000000000000 (POE)", "nvidia_uvm", 0,
                    L(NULL));
        /* Flags are not users. */
        expect_line("ipv6 593920 34 [permanent], Live 0xffffffffc0a00000", "ipv6", 34, L(NULL));
        expect_line("x_y 1 1 [unsafe],old, Loading 0x0 (OE)", "x_y", 1, L("old"));
        /* No CONFIG_MODULE_UNLOAD: "-" for the count; state and address may be missing. */
        expect_line("crc32c_intel 24576 - - Live 0x0 (E)", "crc32c_intel", 0, L(NULL));
        expect_line("old 100 0 -", "old", 0, L(NULL));
        expect_line("  spaced   1  2  a-b,c   Live", "spaced", 2, L("a-b", "c"));
        proc_module_line_done(NULL);
}

static void test_malformed_lines_are_refused(void **state)
{
        static const char *const bad[] = {
                "",
                "nvidia_drm",
                "nvidia_drm 122880 0",
                "nvidia_drm 122880 zero - Live 0x0",
                "nvidia_drm size 0 - Live 0x0",
                "nvidia_drm -122880 0 - Live 0x0",
                "nvidia_drm 122880 99999999999 - Live 0x0",
                "../../etc 1 0 - Live 0x0",
                "nvidia.drm 1 0 - Live 0x0",
                "nvidia_drm 1 0 ../x, Live 0x0",
                "nvidia_drm 1 0 a,,b/c, Live 0x0",
                "nvidia_drm\t1 0 - Live 0x0",
                "m_345678901234567890123456789012345678901234567890123456 1 0 - Live 0x0",
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_free_ char *line = strdup(bad[i]);
                struct proc_module_line l = {.name = "untouched", .refcnt = 7};

                if (proc_modules_parse_line(line, &l) != -EBADMSG)
                        fail_msg("accepted '%s'", bad[i]);
                assert_string_equal(l.name, "untouched");
                assert_int_equal(l.refcnt, 7);
                assert_null(l.used_by);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_lines),
                cmocka_unit_test(test_malformed_lines_are_refused),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
