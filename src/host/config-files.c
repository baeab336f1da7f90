/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config-files.h"
#include "util.h"

#define CONFIG_FILE_MAX (64 * 1024)

static int load_file(const struct root *r, const char *path, struct config *c, char **ret_error)
{
        _cleanup_free_ char *text = NULL;
        int err;

        err = root_read_string(r, path, CONFIG_FILE_MAX, &text);
        if (err == -ENOENT)
                return 0;
        if (err == -ENOMEM)
                return err;
        if (err < 0) {
                char *e;

                if (err == -EFBIG)
                        e = strdup_printf("%s: larger than %d KiB", path, CONFIG_FILE_MAX / 1024);
                else if (err == -EBADMSG)
                        e = strdup_printf("%s: contains a NUL byte", path);
                else
                        e = strdup_printf("%s: cannot read: %s", path, strerror(-err));
                if (!e)
                        return -ENOMEM;
                if (ret_error)
                        *ret_error = e;
                else
                        free(e);
                return err;
        }
        return config_parse(text, path, c, ret_error);
}

/* The drop-ins' names in the order they are read; -ENOENT without the directory. */
static int list_dropins(const struct root *r, char ***ret)
{
        _cleanup_strv_free_ char **names = NULL, **paths = NULL;
        int err;

        err = root_list_dir(r, CONFIG_DROPIN_DIR, &names);
        if (err < 0)
                return err;
        paths = calloc(1, sizeof(char *));
        if (!paths)
                return -ENOMEM;
        for (size_t i = 0; names[i]; i++) {
                _cleanup_free_ char *path = NULL;

                /* Hidden files are editors' and package managers' leftovers. */
                if (names[i][0] == '.' || !endswith(names[i], ".conf"))
                        continue;
                path = path_join(CONFIG_DROPIN_DIR, names[i]);
                if (!path || strv_extend(&paths, path) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(paths);
        return 0;
}

static int load_dropins(const struct root *r, struct config *c, char **ret_error)
{
        _cleanup_strv_free_ char **paths = NULL;
        int err;

        err = list_dropins(r, &paths);
        if (err == -ENOENT)
                return 0;
        if (err == -ENOMEM)
                return err;
        if (err < 0) {
                if (ret_error)
                        *ret_error = strdup_printf("%s: cannot list: %s", CONFIG_DROPIN_DIR,
                                                   strerror(-err));
                return err;
        }
        for (size_t i = 0; paths[i]; i++) {
                err = load_file(r, paths[i], c, ret_error);
                if (err < 0)
                        return err;
        }
        return 0;
}

int config_paths(const struct root *r, char ***ret)
{
        _cleanup_strv_free_ char **paths = calloc(1, sizeof(char *)), **dropins = NULL;
        int err;

        if (!paths)
                return -ENOMEM;
        if (root_exists(r, CONFIG_FILE) && strv_extend(&paths, CONFIG_FILE) < 0)
                return -ENOMEM;
        err = list_dropins(r, &dropins);
        if (err == -ENOMEM)
                return err;
        if (err >= 0 && strv_extend(&paths, CONFIG_DROPIN_DIR) < 0)
                return -ENOMEM;
        for (size_t i = 0; err >= 0 && dropins[i]; i++)
                if (strv_extend(&paths, dropins[i]) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(paths);
        return 0;
}

int config_load(const struct root *r, struct config *ret, char **ret_error)
{
        struct config c;
        int err;

        config_init(&c);
        if (!c.isolate_target)
                return -ENOMEM;
        err = load_file(r, CONFIG_FILE, &c, ret_error);
        if (err >= 0)
                err = load_dropins(r, &c, ret_error);
        if (err < 0) {
                config_done(&c);
                return err;
        }
        *ret = c;
        return 0;
}
