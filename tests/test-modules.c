/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "kmod-context.h"
#include "module-graph.h"
#include "testlib.h"
#include "util.h"

static void graph_from_dir(const char *dir, struct module_graph *g, int expected)
{
        struct root *r;

        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(module_graph_from_root(r, g), expected);
        root_free(r);
}

static void graph_from_fixture(const char *name, struct module_graph *g)
{
        char *dir = fixture_materialise(name);

        graph_from_dir(dir, g, 0);
        fixture_remove(dir);
}

/* The result of a tree holding only proc/modules with this text. */
static int parse_proc_modules(const char *text)
{
        char *dir = fixture_empty();
        struct module_graph g = {.n = 99};
        struct root *r;
        int err;

        fixture_write(dir, "proc/modules", text);
        assert_int_equal(root_new(dir, &r), 0);
        err = module_graph_from_root(r, &g);
        if (err < 0)
                assert_int_equal(g.n, 99); /* untouched on failure */
        else
                module_graph_done(&g);
        root_free(r);
        fixture_remove(dir);
        return err;
}

static void assert_strv_equal(char *const *l, const char *const *expected)
{
        size_t i;

        assert_non_null(l);
        for (i = 0; expected[i]; i++) {
                assert_non_null(l[i]);
                assert_string_equal(l[i], expected[i]);
        }
        assert_null(l[i]);
}

static ssize_t strv_index(char *const *l, const char *s)
{
        for (size_t i = 0; l[i]; i++)
                if (streq(l[i], s))
                        return (ssize_t)i;
        return -1;
}

/* What makes an order safe to hand to delete_module(): each module once, and every loaded
 * module holding a listed one listed before it. */
static void assert_holders_first(const struct module_graph *g, char *const *order)
{
        for (size_t i = 0; order[i]; i++) {
                const struct module_info *m = module_graph_find(g, order[i]);

                assert_non_null(m);
                assert_int_equal(strv_index(order, order[i]), (ssize_t)i);
                for (size_t j = 0; m->holders[j]; j++) {
                        if (!module_graph_find(g, m->holders[j]))
                                continue;
                        ssize_t h = strv_index(order, m->holders[j]);
                        assert_true(h >= 0);
                        assert_true((size_t)h < i);
                }
        }
}

/* The order for wanted/keep, checked for safety; the caller frees it. */
static char **order_of(const struct module_graph *g, char *const *wanted, char *const *keep)
{
        char **order = NULL, *blocker = NULL;

        assert_int_equal(modules_unload_order(g, wanted, keep, &order, &blocker), 0);
        assert_null(blocker);
        assert_holders_first(g, order);
        return order;
}

static void expect_order(const char *fixture, const char *const *wanted, const char *const *keep,
                         const char *const *expected)
{
        struct module_graph g;
        char **order;

        graph_from_fixture(fixture, &g);
        order = order_of(&g, (char *const *)wanted, (char *const *)keep);
        assert_strv_equal(order, expected);
        strv_free(order);
        module_graph_done(&g);
}

static void expect_busy(const char *fixture, const char *const *wanted, const char *const *keep,
                        const char *blocker)
{
        struct module_graph g;
        char **order = (char **)"untouched", *b = NULL;

        graph_from_fixture(fixture, &g);
        assert_int_equal(
                modules_unload_order(&g, (char *const *)wanted, (char *const *)keep, &order, &b),
                -EBUSY);
        assert_ptr_equal(order, (char **)"untouched");
        assert_string_equal(b, blocker);
        free(b);
        module_graph_done(&g);
}

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})
static const char *const none[] = {NULL};

static void test_builtin_list(void **state)
{
        assert_strv_equal((char *const *)modules_builtin_unload,
                          L("nvidia_drm", "nvidia_modeset", "nvidia_uvm", "nvidia_peermem",
                            "nvidia_wmi_ec_backlight", "nvidia", "amdgpu"));
}

static void test_nvidia_graph(void **state)
{
        struct module_graph g;
        const struct module_info *m;

        graph_from_fixture("modules-nvidia", &g);
        assert_int_equal(g.n, 15);
        m = module_graph_find(&g, "nvidia");
        assert_non_null(m);
        assert_int_equal(m->refcnt, 4); /* three modules and nvidia-persistenced */
        assert_strv_equal(m->holders, L("nvidia_modeset", "nvidia_peermem", "nvidia_uvm"));
        m = module_graph_find(&g, "nvidia-drm");
        assert_non_null(m);
        assert_string_equal(m->name, "nvidia_drm");
        assert_int_equal(m->refcnt, 0);
        assert_null(m->holders[0]);
        assert_strv_equal(module_graph_find(&g, "ib_core")->holders,
                          L("ib_uverbs", "mlx5_ib", "nvidia_peermem", "rdma_ucm"));
        assert_null(module_graph_find(&g, "nvidia_wmi_ec_backlight"));
        assert_null(module_graph_find(&g, "nvidia_"));
        module_graph_done(&g);
        module_graph_done(&g); /* done twice is harmless */
}

static void test_nvidia_builtin_order(void **state)
{
        /* drm, drm_kms_helper, ib_core and i2c_nvidia_gpu are another family: they stay. */
        expect_order("modules-nvidia", (const char *const *)modules_builtin_unload, none,
                     L("nvidia_drm", "nvidia_modeset", "nvidia_peermem", "nvidia_uvm", "nvidia"));
}

static void test_nvidia_order_does_not_depend_on_wanted_order(void **state)
{
        expect_order("modules-nvidia",
                     L("nvidia", "nvidia_uvm", "nvidia_peermem", "nvidia_modeset", "nvidia_drm"),
                     NULL,
                     L("nvidia_drm", "nvidia_modeset", "nvidia_peermem", "nvidia_uvm", "nvidia"));
}

static void test_nvidia_wanting_the_core_takes_its_holders(void **state)
{
        /* Like modprobe -r --remove-holders nvidia. */
        expect_order("modules-nvidia", L("nvidia"), none,
                     L("nvidia_drm", "nvidia_modeset", "nvidia_peermem", "nvidia_uvm", "nvidia"));
}

static void test_nvidia_drm_takes_modeset_left_unused(void **state)
{
        /* nvidia_modeset: refcnt 1, only nvidia_drm. nvidia is still used by uvm and peermem;
         * drm_kms_helper is left unused but is not an nvidia module. */
        expect_order("modules-nvidia", L("nvidia_drm"), none, L("nvidia_drm", "nvidia_modeset"));
}

static void test_nvidia_held_by_a_process_is_not_taken_along(void **state)
{
        /* All holders of nvidia go, but nvidia-persistenced keeps a fourth reference. */
        expect_order("modules-nvidia", L("nvidia_drm", "nvidia_uvm", "nvidia_peermem"), none,
                     L("nvidia_drm", "nvidia_modeset", "nvidia_peermem", "nvidia_uvm"));
}

static void test_nvidia_kept_holder_blocks(void **state)
{
        expect_busy("modules-nvidia", (const char *const *)modules_builtin_unload, L("nvidia_drm"),
                    "nvidia_drm holds nvidia_modeset");
        /* Kept under its other spelling. */
        expect_busy("modules-nvidia", L("nvidia"), L("nvidia-uvm"), "nvidia_uvm holds nvidia");
}

static void test_nvidia_kept_module_is_not_taken_along(void **state)
{
        expect_order("modules-nvidia", L("nvidia-drm"), L("nvidia-modeset"), L("nvidia_drm"));
        /* Kept and wanted: kept wins. */
        expect_order("modules-nvidia", L("nvidia_uvm", "nvidia_drm"), L("nvidia_drm"),
                     L("nvidia_uvm"));
}

static void test_dash_and_underscore(void **state)
{
        expect_order("modules-nvidia", L("nvidia-peermem", "nvidia-uvm"), none,
                     L("nvidia_peermem", "nvidia_uvm"));
}

static void test_amdgpu_graph(void **state)
{
        struct module_graph g;
        const struct module_info *m;

        /* This tree has no refcnt files: the counts come from /proc/modules. */
        graph_from_fixture("modules-amdgpu", &g);
        assert_int_equal(g.n, 15);
        m = module_graph_find(&g, "amdgpu");
        assert_int_equal(m->refcnt, 27);
        assert_null(m->holders[0]);
        m = module_graph_find(&g, "drm");
        assert_int_equal(m->refcnt, 16);
        assert_int_equal(strv_length(m->holders), 9);
        assert_strv_equal(module_graph_find(&g, "ttm")->holders, L("amdgpu", "drm_ttm_helper"));
        module_graph_done(&g);
}

static void test_amdgpu_only(void **state)
{
        /* amdxcp is left unused but its family is "amdxcp"; the drm helpers are "drm". */
        expect_order("modules-amdgpu", (const char *const *)modules_builtin_unload, none,
                     L("amdgpu"));
}

static void test_amdgpu_kept(void **state)
{
        expect_order("modules-amdgpu", (const char *const *)modules_builtin_unload, L("amdgpu"),
                     none);
}

static void test_amdgpu_wanting_drm_takes_the_whole_stack(void **state)
{
        expect_order("modules-amdgpu", L("drm"), none,
                     L("amdgpu", "drm_buddy", "drm_display_helper", "drm_exec", "drm_kms_helper",
                       "drm_suballoc_helper", "drm_ttm_helper", "gpu_sched", "ttm", "drm"));
}

static void test_virtio_gpu(void **state)
{
        struct module_graph g;
        const struct module_info *m;

        graph_from_fixture("modules-virtio", &g);
        m = module_graph_find(&g, "virtio_gpu");
        assert_int_equal(m->refcnt, 1); /* the console holds it, not a module */
        assert_null(m->holders[0]);
        module_graph_done(&g);

        /* A wanted module that a process holds is still listed: the caller deals with the
         * process. virtio_dma_buf is left unused and is in the "virtio" family; drm,
         * drm_kms_helper and drm_shmem_helper are not. */
        expect_order("modules-virtio", L("virtio_gpu"), none, L("virtio_gpu", "virtio_dma_buf"));
        expect_order("modules-virtio", L("virtio_gpu"), L("virtio_dma_buf"), L("virtio_gpu"));
}

static void test_virtio_kept_indirect_holder(void **state)
{
        /* The sentence names the module the kept one holds directly. */
        expect_busy("modules-virtio", L("drm"), L("virtio_gpu"), "virtio_gpu holds drm_kms_helper");
        expect_busy("modules-virtio", L("drm_shmem_helper"), L("virtio-gpu"),
                    "virtio_gpu holds drm_shmem_helper");
}

static void test_not_loaded_skipped(void **state)
{
        expect_order("modules-virtio", (const char *const *)modules_builtin_unload, none, none);
        expect_order("modules-virtio", L("nvidia", "virtio_blk", "zfs"), L("amdgpu"),
                     L("virtio_blk"));
        expect_order("modules-virtio", none, none, none);
        expect_order("modules-virtio", NULL, NULL, none);
}

static void test_nothing_loaded(void **state)
{
        char *dir = fixture_empty();
        struct module_graph g = {};
        char **order = NULL, *blocker = NULL;

        /* A kernel without module support has no /proc/modules. */
        graph_from_dir(dir, &g, 0);
        assert_int_equal(g.n, 0);
        fixture_write(dir, "proc/modules", "");
        graph_from_dir(dir, &g, 0);
        assert_int_equal(g.n, 0);
        assert_int_equal(modules_unload_order(&g, (char *const *)modules_builtin_unload, NULL,
                                              &order, &blocker),
                         0);
        assert_non_null(order);
        assert_null(order[0]);
        assert_null(blocker);
        strv_free(order);
        module_graph_done(&g);
        fixture_remove(dir);
}

static void test_holders_are_the_union(void **state)
{
        char *dir = fixture_empty();
        struct module_graph g;
        const struct module_info *m;

        fixture_write(dir, "proc/modules",
                      "drm_kms_helper 212992 3 virtio_gpu, Live 0x0000000000000000\n"
                      "virtio_gpu 94208 0 - Live 0x0000000000000000\n"
                      "bochs 20480 0 - Live 0x0000000000000000\n");
        fixture_write(dir, "sys/module/drm_kms_helper/holders/bochs", "");
        fixture_write(dir, "sys/module/drm_kms_helper/holders/virtio_gpu", "");
        fixture_write(dir, "sys/module/drm_kms_helper/refcnt", "2\n");
        graph_from_dir(dir, &g, 0);
        m = module_graph_find(&g, "drm_kms_helper");
        assert_strv_equal(m->holders, L("bochs", "virtio_gpu"));
        assert_int_equal(m->refcnt, 2); /* sysfs, read after /proc/modules */
        module_graph_done(&g);
        fixture_remove(dir);
}

static void test_proc_modules_variants(void **state)
{
        /* Flags in the used-by column, no unload support ("-" counts), taints, no address. */
        assert_int_equal(parse_proc_modules("ipv6 593920 34 [permanent], Live 0xffffffffc0a00000\n"
                                            "crc32c_intel 24576 - - Live 0x0 (E)\n"
                                            "old 100 0 -\n"
                                            "\n"
                                            "x_y 1 1 [unsafe],old, Loading 0x0 (OE)\n"),
                         0);
        /* The longest name the kernel has room for, 55 characters. */
        assert_int_equal(
                parse_proc_modules("m_34567890123456789012345678901234567890123456789012345 "
                                   "1 0 - Live 0x0\n"),
                0);
}

static void test_malformed(void **state)
{
        static const char *const bad[] = {
                "nvidia_drm\n",
                "nvidia_drm 122880 0\n",
                "nvidia_drm 122880 zero - Live 0x0\n",
                "nvidia_drm size 0 - Live 0x0\n",
                "nvidia_drm -122880 0 - Live 0x0\n",
                "nvidia_drm 122880 99999999999 - Live 0x0\n",
                "../../etc 1 0 - Live 0x0\n",
                "nvidia.drm 1 0 - Live 0x0\n",
                "nvidia_drm 1 0 ../x, Live 0x0\n",
                "nvidia_drm 1 0 a,,b/c, Live 0x0\n",
                "nvidia 1 0 - Live 0x0\nnvidia 1 0 - Live 0x0\n",
                "nvidia 1 0 - Live 0x0\nnvidia-drm 1 0 - Live 0x0\nnvidia_drm 1 0 - Live 0x0\n",
                "a_module_name_far_longer_than_the_kernel_allows_for_any_module_x 1 0 - Live 0x0\n",
                /* 56 characters, one more than MODULE_NAME_LEN holds: as a module, a holder. */
                "m_345678901234567890123456789012345678901234567890123456 1 0 - Live 0x0\n",
                "drm 1 1 m_345678901234567890123456789012345678901234567890123456, Live 0x0\n",
        };
        char *dir;
        struct module_graph g = {};

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                print_message("%s", bad[i]);
                assert_int_equal(parse_proc_modules(bad[i]), -EBADMSG);
        }

        /* From a fixture: a line cut short. */
        dir = fixture_materialise("modules-malformed");
        graph_from_dir(dir, &g, -EBADMSG);
        fixture_remove(dir);

        /* Bad names or counts in sysfs. */
        dir = fixture_empty();
        fixture_write(dir, "proc/modules", "drm 1 0 - Live 0x0\n");
        fixture_write(dir, "sys/module/drm/refcnt", "lots\n");
        graph_from_dir(dir, &g, -EBADMSG);
        fixture_write(dir, "sys/module/drm/refcnt", "123456789012345678901234567890123456789\n");
        graph_from_dir(dir, &g, -EBADMSG);
        fixture_write(dir, "sys/module/drm/refcnt", "1\n");
        graph_from_dir(dir, &g, 0);
        module_graph_done(&g);
        fixture_write(dir, "sys/module/drm/holders/a b", "");
        graph_from_dir(dir, &g, -EBADMSG);
        fixture_remove(dir);
}

static void test_oversized(void **state)
{
        size_t n = 5u << 20;
        char *text = malloc(n + 1);

        memset(text, 'a', n);
        text[n] = 0;
        assert_int_equal(parse_proc_modules(text), -E2BIG);
        free(text);
}

/* A graph written out by hand: "name refcnt holder...". */
static void graph_from_spec(const char *const *spec, struct module_graph *g)
{
        g->n = strv_length((char *const *)spec);
        g->mods = calloc(g->n, sizeof(*g->mods));
        for (size_t i = 0; i < g->n; i++) {
                char *line = strdup(spec[i]), *p = line, *w;
                struct module_info *m = &g->mods[i];

                m->name = strdup(strsep(&p, " "));
                m->refcnt = (unsigned)atoi(strsep(&p, " "));
                m->holders = calloc(1, sizeof(char *));
                while ((w = strsep(&p, " ")))
                        assert_int_equal(strv_extend(&m->holders, w), 0);
                free(line);
        }
}

static void test_left_unused_chain(void **state)
{
        /* foo_a is wanted; foo_b and then foo are left unused in turn; bar is another family;
         * foo_c has a holder that is not loaded; foo_d is unused but nothing removed held it. */
        struct module_graph g;
        char **order;

        graph_from_spec(L("foo_a 0", "foo_b 1 foo_a", "foo 2 foo_b foo_a", "bar 1 foo_a",
                          "foo_c 2 foo_a ghost", "foo_d 0"),
                        &g);
        order = order_of(&g, (char *const *)L("foo-a"), NULL);
        assert_strv_equal(order, L("foo_a", "foo_b", "foo"));
        strv_free(order);
        module_graph_done(&g);
}

static void test_process_held_wanted_is_listed(void **state)
{
        struct module_graph g;
        char **order;

        graph_from_spec(L("gpu_x 3", "gpu 1 gpu_x", "gpu_y 2 gpu_x"), &g);
        order = order_of(&g, (char *const *)L("gpu_x"), NULL);
        /* gpu_x has three users and no holder modules: listed. gpu_y has one reference too
         * many to go along. */
        assert_strv_equal(order, L("gpu_x", "gpu"));
        strv_free(order);
        module_graph_done(&g);
}

static void test_deep_holders_first(void **state)
{
        /* A diamond: d is held by b and c, which are held by a. */
        struct module_graph g;
        char **order;

        graph_from_spec(L("d 2 c b", "c 1 a", "b 1 a", "a 0", "e 0"), &g);
        order = order_of(&g, (char *const *)L("d"), NULL);
        assert_strv_equal(order, L("a", "b", "c", "d"));
        strv_free(order);
        module_graph_done(&g);
}

static void test_cycle(void **state)
{
        struct module_graph g;
        char **order = NULL, *blocker = NULL;

        graph_from_spec(L("a 1 b", "b 1 a"), &g);
        assert_int_equal(modules_unload_order(&g, (char *const *)L("a"), NULL, &order, &blocker),
                         -ELOOP);
        assert_null(order);
        assert_null(blocker);
        module_graph_done(&g);

        graph_from_spec(L("a 1 a"), &g);
        assert_int_equal(modules_unload_order(&g, (char *const *)L("a"), NULL, &order, &blocker),
                         -ELOOP);
        module_graph_done(&g);
}

/* The libkmod context the real seam and the plan use: opened, or refused with a reason. */
static void test_kmod_context(void **state)
{
        _cleanup_(kmod_context_unrefp) struct kmod_ctx *ctx = NULL;
        const char *why = "untouched";
        int err = kmod_context_open(&ctx, &why);

        if (err == -EOPNOTSUPP) {
                assert_non_null(why);
                assert_null(ctx);
                return;
        }
        assert_int_equal(err, 0);
        assert_non_null(ctx);
        assert_null(why);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_kmod_context),
                cmocka_unit_test(test_builtin_list),
                cmocka_unit_test(test_nvidia_graph),
                cmocka_unit_test(test_nvidia_builtin_order),
                cmocka_unit_test(test_nvidia_order_does_not_depend_on_wanted_order),
                cmocka_unit_test(test_nvidia_wanting_the_core_takes_its_holders),
                cmocka_unit_test(test_nvidia_drm_takes_modeset_left_unused),
                cmocka_unit_test(test_nvidia_held_by_a_process_is_not_taken_along),
                cmocka_unit_test(test_nvidia_kept_holder_blocks),
                cmocka_unit_test(test_nvidia_kept_module_is_not_taken_along),
                cmocka_unit_test(test_dash_and_underscore),
                cmocka_unit_test(test_amdgpu_graph),
                cmocka_unit_test(test_amdgpu_only),
                cmocka_unit_test(test_amdgpu_kept),
                cmocka_unit_test(test_amdgpu_wanting_drm_takes_the_whole_stack),
                cmocka_unit_test(test_virtio_gpu),
                cmocka_unit_test(test_virtio_kept_indirect_holder),
                cmocka_unit_test(test_not_loaded_skipped),
                cmocka_unit_test(test_nothing_loaded),
                cmocka_unit_test(test_holders_are_the_union),
                cmocka_unit_test(test_proc_modules_variants),
                cmocka_unit_test(test_malformed),
                cmocka_unit_test(test_oversized),
                cmocka_unit_test(test_left_unused_chain),
                cmocka_unit_test(test_process_held_wanted_is_listed),
                cmocka_unit_test(test_deep_holders_first),
                cmocka_unit_test(test_cycle),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
