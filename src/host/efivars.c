/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "efivar.h"
#include "efivars.h"
#include "util.h"

char *efivar_loader_path(const char *name)
{
        return strdup_printf(EFIVARS_DIR "/%s-" EFI_LOADER_GUID, name);
}

int efivar_read_loader_string(const struct root *r, const char *name, char **ret,
                              char **ret_problem)
{
        _cleanup_free_ char *path = efivar_loader_path(name), *value = NULL;
        _cleanup_free_ uint8_t *data = NULL;
        const char *problem = NULL;
        size_t len;
        int err;

        if (!path)
                return -ENOMEM;
        /* One byte more than the longest variable taken tells a longer one. */
        err = root_read_head(r, path, EFIVAR_FILE_MAX + 1, &data, &len);
        if (err == -ENOENT || err == -ENOMEM)
                return err;
        if (err < 0) {
                *ret_problem =
                        strdup_printf("%s: cannot be read: %s; ignored", path, strerror(-err));
                return *ret_problem ? err : -ENOMEM;
        }
        /* efivarfs shows a variable being deleted as an empty file. */
        if (len == 0)
                return -ENOENT;
        err = len > EFIVAR_FILE_MAX ? -EFBIG
                                    : efivar_string_parse(data, len, NULL, &value, &problem);
        if (err == -ENOMEM)
                return err;
        if (err < 0) {
                *ret_problem = strdup_printf("%s: not a boot entry's name: %s; ignored", path,
                                             problem ? problem : "it is too long");
                return *ret_problem ? err : -ENOMEM;
        }
        if (!*value)
                return -ENOENT;
        *ret = TAKE_PTR(value);
        return 0;
}
