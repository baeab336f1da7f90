/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>

#include "efivar.h"
#include "grubenv.h"
#include "oneshot.h"
#include "syscalls.h"
#include "util.h"

char *oneshot_describe(enum oneshot_kind kind, const char *path)
{
        if (kind == ONESHOT_GRUB_NEXT_ENTRY)
                return strdup_printf("GRUB's next_entry in %s", path);
        return strdup("the EFI variable LoaderEntryOneShot");
}

/* The directory of path, opened inside the root, and the file's name in it. */
static int open_parent(const struct root *r, const char *path, const char **ret_name)
{
        _cleanup_free_ char *dir = NULL;
        const char *name = path_basename(path);

        if (name == path || !*name)
                return -EINVAL;
        dir = strndup(path, (size_t)(name - path));
        if (!dir)
                return -ENOMEM;
        *ret_name = name;
        return root_open(r, dir, O_RDONLY | O_DIRECTORY);
}

static int consume_grubenv(int dir_fd, const char *name, struct oneshot_undo *u, char **ret_why)
{
        _cleanup_free_ char *cleared = NULL;
        _cleanup_strv_free_ char **env = NULL;
        const char *next;
        int err;

        err = grubenv_parse((const char *)u->data, u->len, &env);
        if (err == -ENOMEM)
                return err;
        if (err >= 0) {
                next = env_get(env, "next_entry");
                if (!next || !*next)
                        return 1; /* used up already */
                err = grubenv_clear((const char *)u->data, u->len, "next_entry", &cleared);
        }
        if (err == -ENOMEM)
                return err;
        if (err < 0) {
                *ret_why = strdup_printf("%s is not a valid GRUB environment block: not "
                                         "clearing its next_entry",
                                         u->path);
                return err;
        }
        err = sys->replace_file(dir_fd, name, cleared, u->len);
        if (err < 0)
                *ret_why = strdup_printf("cannot clear GRUB's next_entry in %s: %s", u->path,
                                         strerror(-err));
        return err;
}

static int consume_efivar(int dir_fd, const char *name, struct oneshot_undo *u, char **ret_why)
{
        int err;

        if (u->len < 4) {
                *ret_why = strdup_printf("%s is not an EFI variable: not deleting it", u->path);
                return -EBADMSG;
        }
        err = sys->remove_file(dir_fd, name);
        if (err < 0)
                *ret_why = strdup_printf("cannot delete the EFI variable %s: %s", u->path,
                                         strerror(-err));
        return err;
}

int oneshot_consume(const struct root *r, enum oneshot_kind kind, const char *path,
                    struct oneshot_undo *u, char **ret_why)
{
        _cleanup_close_ int dir_fd = -1;
        const char *name = NULL;
        size_t max = kind == ONESHOT_GRUB_NEXT_ENTRY ? ROOT_CONFIG_MAX : EFIVAR_FILE_MAX;
        int err;

        *u = (struct oneshot_undo){};
        if (kind == ONESHOT_NONE)
                return 0;
        u->path = strdup(path);
        if (!u->path)
                return -ENOMEM;
        err = root_read_head(r, path, max + 1, &u->data, &u->len);
        if (err == -ENOENT) {
                oneshot_undo_done(u);
                return 0; /* used up already */
        }
        if (err >= 0 && u->len > max)
                err = -EFBIG;
        if (err >= 0) {
                dir_fd = open_parent(r, path, &name);
                err = dir_fd < 0 ? dir_fd : 0;
        }
        if (err < 0) {
                *ret_why = strdup_printf("cannot read %s: %s", path, strerror(-err));
                oneshot_undo_done(u);
                return err;
        }
        err = kind == ONESHOT_GRUB_NEXT_ENTRY ? consume_grubenv(dir_fd, name, u, ret_why)
                                              : consume_efivar(dir_fd, name, u, ret_why);
        if (err != 0) {
                oneshot_undo_done(u);
                return err < 0 ? err : 0;
        }
        u->kind = kind;
        return 0;
}

int oneshot_restore(const struct root *r, const struct oneshot_undo *u, char **ret_why)
{
        _cleanup_close_ int dir_fd = -1;
        const char *name = NULL;
        int err;

        if (u->kind == ONESHOT_NONE)
                return 0;
        dir_fd = open_parent(r, u->path, &name);
        if (dir_fd < 0)
                err = dir_fd;
        else if (u->kind == ONESHOT_GRUB_NEXT_ENTRY)
                err = sys->replace_file(dir_fd, name, u->data, u->len);
        else
                err = sys->create_file(dir_fd, name, u->data, u->len);
        if (err < 0)
                *ret_why = strdup_printf("could not write %s back: %s", u->path, strerror(-err));
        return err;
}

void oneshot_undo_done(struct oneshot_undo *u)
{
        if (!u)
                return;
        free(u->path);
        free(u->data);
        *u = (struct oneshot_undo){};
}
