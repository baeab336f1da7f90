/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

/* By path: build trees set up before the generated header became build-config.h still hold
 * a stale config.h, which -I. would find first. */
#include "config-files.h"
#include "testlib.h"
#include "util.h"

static void assert_strv_equal(char **l, const char *const *want)
{
        size_t n = 0;

        while (want[n])
                n++;
        assert_int_equal(strv_length(l), n);
        for (size_t i = 0; i < n; i++)
                assert_string_equal(l[i], want[i]);
}

/* Parses text as "test.conf" on top of the defaults and returns the error sentence. */
static char *parse_error(const char *text)
{
        struct config c;
        char *error = NULL;

        config_init(&c);
        assert_int_equal(config_parse(text, "test.conf", &c, &error), -EINVAL);
        assert_non_null(error);
        config_done(&c); /* what was parsed before the bad line is still freeable */
        return error;
}

/* Loads the configuration of a root built from pairs of path and text. */
static int load(const char *const *files, struct config *ret, char **ret_error)
{
        _cleanup_root_ struct root *r = NULL;
        char *dir = fixture_empty();
        int err;

        for (size_t i = 0; files && files[i]; i += 2)
                fixture_write(dir, files[i], files[i + 1]);
        assert_int_equal(root_new(dir, &r), 0);
        err = config_load(r, ret, ret_error);
        fixture_remove(dir);
        return err;
}

static void test_defaults_without_any_file(void **state)
{
        const char *const no_dropins[] = {"/etc/other.conf", "[Modules]\nUnload=x\n", NULL};
        struct config c;
        char *error = NULL;

        assert_int_equal(load(NULL, &c, &error), 0);
        assert_null(error);
        assert_int_equal(strv_length(c.unload), 0);
        assert_int_equal(strv_length(c.keep), 0);
        assert_int_equal(strv_length(c.stop_units), 0);
        assert_int_equal(c.kill_grace_sec, 5);
        assert_string_equal(c.isolate_target, "multi-user.target");
        assert_int_equal(c.isolate_timeout_sec, 90);
        config_done(&c);

        /* /etc exists, but neither the file nor the drop-in directory does. */
        assert_int_equal(load(no_dropins, &c, &error), 0);
        assert_int_equal(strv_length(c.unload), 0);
        config_done(&c);
}

static void test_every_key_is_read(void **state)
{
        const char *const unload[] = {"virtio_gpu", "vgem", "amdgpu-x", NULL};
        const char *const keep[] = {"nvme", NULL};
        const char *const stop[] = {"my-gpu-job.service", "render@1.service", "session-3.scope",
                                    "dev-dri\\x2dcard0.device", NULL};
        const char *text = "# warmboot settings\n"
                           "; also a comment\n"
                           "\n"
                           "[Modules]\n"
                           "Unload=virtio_gpu vgem\n"
                           "  Unload =\tamdgpu-x   virtio_gpu  \n"
                           "Keep=nvme\n"
                           "\t# indented comment\n"
                           "[Holders]\n"
                           "StopUnits=my-gpu-job.service render@1.service\n"
                           "StopUnits=session-3.scope dev-dri\\x2dcard0.device\n"
                           "KillGraceSec = 0\n"
                           "   [Isolate]   \r\n"
                           "Target=rescue.target\r\n"
                           "TimeoutSec=86400";
        struct config c;
        char *error = NULL;

        config_init(&c);
        assert_int_equal(config_parse(text, "/etc/warmboot.conf", &c, &error), 0);
        assert_null(error);
        /* Lists add up across lines; a name given twice is kept once. */
        assert_strv_equal(c.unload, unload);
        assert_strv_equal(c.keep, keep);
        assert_strv_equal(c.stop_units, stop);
        assert_int_equal(c.kill_grace_sec, 0);
        assert_string_equal(c.isolate_target, "rescue.target");
        assert_int_equal(c.isolate_timeout_sec, 86400);
        config_done(&c);
}

static void test_dropins_follow_the_main_file_in_lexical_order(void **state)
{
        const char *const files[] = {
                "etc/warmboot.conf", "[Modules]\nUnload=a\n[Isolate]\nTarget=one.target\n",
                "etc/warmboot.conf.d/20-b.conf",
                "[Modules]\nUnload=c\n[Isolate]\nTarget=three.target\n",
                "etc/warmboot.conf.d/10-a.conf",
                "[Modules]\nUnload=b\n[Isolate]\nTarget=two.target\n",
                /* Not drop-ins: wrong suffix, hidden, a backup. */
                "etc/warmboot.conf.d/30-c.conf.disabled", "[Modules]\nUnload=x\n",
                "etc/warmboot.conf.d/.40-d.conf", "[Modules]\nUnload=y\n",
                "etc/warmboot.conf.d/README", "not an ini file\n", "etc/warmboot.conf.d/50-e.conf~",
                "[Bogus]\n", NULL};
        const char *const unload[] = {"a", "b", "c", NULL};
        struct config c;
        char *error = NULL;

        assert_int_equal(load(files, &c, &error), 0);
        assert_null(error);
        assert_strv_equal(c.unload, unload);
        assert_string_equal(c.isolate_target, "three.target");
        config_done(&c);
}

static void test_dropins_without_main_file(void **state)
{
        const char *const files[] = {"etc/warmboot.conf.d/10-gpu.conf",
                                     "[Holders]\nStopUnits=gpu.service\n", NULL};
        const char *const stop[] = {"gpu.service", NULL};
        struct config c;
        char *error = NULL;

        assert_int_equal(load(files, &c, &error), 0);
        assert_strv_equal(c.stop_units, stop);
        config_done(&c);
}

static void test_empty_assignment_resets(void **state)
{
        const char *const files[] = {
                "etc/warmboot.conf",
                "[Modules]\nUnload=a b\nKeep=k\n[Holders]\nKillGraceSec=60\n"
                "[Isolate]\nTarget=rescue.target\nTimeoutSec=10\n",
                "etc/warmboot.conf.d/10-reset.conf",
                "[Modules]\nUnload=\nUnload=d\nKeep=   \n[Holders]\nKillGraceSec=\n"
                "[Isolate]\nTarget=\nTimeoutSec=\n",
                NULL};
        const char *const unload[] = {"d", NULL};
        struct config c;
        char *error = NULL;

        assert_int_equal(load(files, &c, &error), 0);
        /* A list starts over; a single value goes back to its default. */
        assert_strv_equal(c.unload, unload);
        assert_int_equal(strv_length(c.keep), 0);
        assert_int_equal(c.kill_grace_sec, 5);
        assert_string_equal(c.isolate_target, "multi-user.target");
        assert_int_equal(c.isolate_timeout_sec, 90);
        config_done(&c);
}

static void test_each_mistake_names_file_line_and_cause(void **state)
{
        static const struct {
                const char *text;
                const char *error;
        } cases[] = {
                {"[Foo]\n", "test.conf:1: unknown section '[Foo]'"},
                {"[modules]\n", "test.conf:1: unknown section '[modules]'"},
                {"[]\n", "test.conf:1: unknown section '[]'"},
                {"\n[Modules\n", "test.conf:2: unterminated section header '[Modules'"},
                {"[Modules] x\n", "test.conf:1: text after section header '[Modules] x'"},
                {"Unload=a\n", "test.conf:1: key 'Unload' before any section header"},
                {"[Modules]\nBar=1\n", "test.conf:2: unknown key 'Bar' in [Modules]"},
                {"[Isolate]\nUnload=a\n", "test.conf:2: unknown key 'Unload' in [Isolate]"},
                {"[Modules]\nUnload virtio_gpu\n",
                 "test.conf:2: missing '=' in 'Unload virtio_gpu'"},
                {"[Modules]\n = x\n", "test.conf:2: missing key before '='"},
                {"[Modules]\nUnload=a.b\n", "test.conf:2: bad module name 'a.b' in Unload= "
                                            "(letters, digits, '_' and '-', at most 55)"},
                {"[Modules]\nKeep=ok /lib/x.ko\n",
                 "test.conf:2: bad module name '/lib/x.ko' in Keep= (letters, digits, '_' and '-', "
                 "at most 55)"},
                {"[Modules]\nUnload=vgem # the virtual GPU\n",
                 "test.conf:2: comments must be on a line of their own, found '#' in Unload="},
                {"[Holders]\nStopUnits=gpu\n", "test.conf:2: bad unit name 'gpu' in StopUnits= (a "
                                               "full name such as 'foo.service')"},
                {"[Holders]\nStopUnits=gpu.exe\n",
                 "test.conf:2: bad unit name 'gpu.exe' in StopUnits= (a full name such as "
                 "'foo.service')"},
                {"[Holders]\nStopUnits=job@.service\n",
                 "test.conf:2: bad unit name 'job@.service' in StopUnits= (a full name such as "
                 "'foo.service')"},
                {"[Holders]\nStopUnits=my*.service\n",
                 "test.conf:2: bad unit name 'my*.service' in StopUnits= (a full name such as "
                 "'foo.service')"},
                {"[Holders]\nKillGraceSec=3601\n",
                 "test.conf:2: bad number '3601' in KillGraceSec= (seconds from 0 to 3600)"},
                {"[Holders]\nKillGraceSec=-1\n",
                 "test.conf:2: bad number '-1' in KillGraceSec= (seconds from 0 to 3600)"},
                {"[Isolate]\nTimeoutSec=0\n",
                 "test.conf:2: bad number '0' in TimeoutSec= (seconds from 1 to 86400)"},
                {"[Isolate]\nTimeoutSec=5s\n",
                 "test.conf:2: bad number '5s' in TimeoutSec= (seconds from 1 to 86400)"},
                {"[Isolate]\nTimeoutSec=99999999999999999999\n",
                 "test.conf:2: bad number '99999999999999999999' in TimeoutSec= (seconds from 1 to "
                 "86400)"},
                {"[Isolate]\nTarget=multi-user.service\n",
                 "test.conf:2: bad target name 'multi-user.service' in Target= (a unit such as "
                 "'multi-user.target')"},
                {"[Isolate]\nTarget=a.target b.target\n",
                 "test.conf:2: bad target name 'a.target b.target' in Target= (a unit such as "
                 "'multi-user.target')"},
                {"[Modules]\nUnload=a\001b\n", "test.conf:2: control character 0x01 in column 9"},
                {"# a bell \a in a comment\n", "test.conf:1: control character 0x07 in column 10"},
                {"[Modules]\nUnload=a\rb\n", "test.conf:2: control character 0x0d in column 9"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *error = parse_error(cases[i].text);
                assert_string_equal(error, cases[i].error);
        }
}

static void test_line_length_limit(void **state)
{
        char line[4098];
        struct config c;
        char *error = NULL;

        /* 4096 bytes is the longest line there may be. */
        memset(line, 'x', sizeof(line));
        line[0] = '#';
        line[4096] = 0;
        config_init(&c);
        assert_int_equal(config_parse(line, "test.conf", &c, &error), 0);
        config_done(&c);

        line[4096] = 'x';
        line[4097] = 0;
        _cleanup_free_ char *e = parse_error(line);
        assert_string_equal(e, "test.conf:1: line too long (more than 4096 bytes)");
}

static void test_module_name_limit(void **state)
{
        char text[128];
        struct config c;
        char *error = NULL;

        /* The kernel's MODULE_NAME_LEN holds 55 characters and the NUL. */
        snprintf(text, sizeof(text), "[Modules]\nUnload=%.55s\n",
                 "m_23456789012345678901234567890123456789012345678901234567890");
        config_init(&c);
        assert_int_equal(config_parse(text, "test.conf", &c, &error), 0);
        assert_int_equal(strlen(c.unload[0]), 55);
        config_done(&c);

        snprintf(text, sizeof(text), "[Modules]\nUnload=%.56s\n",
                 "m_23456789012345678901234567890123456789012345678901234567890");
        _cleanup_free_ char *e = parse_error(text);
        assert_non_null(startswith(e, "test.conf:2: bad module name 'm_2345"));
}

static void test_error_in_dropin_names_it_as_the_machine_sees_it(void **state)
{
        const char *const files[] = {"etc/warmboot.conf", "[Modules]\nUnload=a\n",
                                     "etc/warmboot.conf.d/10-gpu.conf",
                                     "# GPU\n[Modules]\nUnlod=virtio_gpu\n", NULL};
        struct config c = {.kill_grace_sec = 12345};
        _cleanup_free_ char *error = NULL;

        assert_int_equal(load(files, &c, &error), -EINVAL);
        assert_string_equal(error,
                            "/etc/warmboot.conf.d/10-gpu.conf:3: unknown key 'Unlod' in [Modules]");
        /* ret is left as it was. */
        assert_int_equal(c.kill_grace_sec, 12345);
        assert_null(c.unload);
}

static void test_oversize_file_is_refused(void **state)
{
        const size_t max = 64 * 1024;
        _cleanup_free_ char *text = malloc(max + 2);
        const char *files[] = {"etc/warmboot.conf.d/10-big.conf", text, NULL};
        struct config c;
        _cleanup_free_ char *error = NULL;

        /* One comment line after another, exactly 64 KiB: still fine. */
        assert_non_null(text);
        for (size_t i = 0; i < max; i++)
                text[i] = i % 64 == 0 ? '#' : i % 64 == 63 ? '\n' : 'x';
        text[max] = 0;
        assert_int_equal(load(files, &c, &error), 0);
        config_done(&c);

        text[max] = '#';
        text[max + 1] = 0;
        assert_int_equal(load(files, &c, &error), -EFBIG);
        assert_string_equal(error, "/etc/warmboot.conf.d/10-big.conf: larger than 64 KiB");
}

static void test_nul_byte_in_file_is_refused(void **state)
{
        _cleanup_root_ struct root *r = NULL;
        _cleanup_free_ char *error = NULL;
        char *dir = fixture_empty();
        struct config c;

        fixture_write(dir, "etc/warmboot.conf", "");
        _cleanup_free_ char *path = path_join(dir, "etc/warmboot.conf");
        FILE *f = fopen(path, "we");
        assert_non_null(f);
        fwrite("[Modules]\nUnload=a\0b\n", 1, 21, f);
        fclose(f);

        assert_int_equal(root_new(dir, &r), 0);
        assert_int_equal(config_load(r, &c, &error), -EBADMSG);
        assert_string_equal(error, "/etc/warmboot.conf: contains a NUL byte");
        fixture_remove(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_defaults_without_any_file),
                cmocka_unit_test(test_every_key_is_read),
                cmocka_unit_test(test_dropins_follow_the_main_file_in_lexical_order),
                cmocka_unit_test(test_dropins_without_main_file),
                cmocka_unit_test(test_empty_assignment_resets),
                cmocka_unit_test(test_each_mistake_names_file_line_and_cause),
                cmocka_unit_test(test_line_length_limit),
                cmocka_unit_test(test_module_name_limit),
                cmocka_unit_test(test_error_in_dropin_names_it_as_the_machine_sees_it),
                cmocka_unit_test(test_oversize_file_is_refused),
                cmocka_unit_test(test_nul_byte_in_file_is_refused),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
