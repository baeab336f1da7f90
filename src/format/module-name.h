/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Names the kernel compares with '-' and '_' alike: module names (modprobe nvidia-drm
 * removes nvidia_drm) and the parameters on its command line (nvidia-drm.modeset=1 is
 * nvidia_drm.modeset=1).
 */

/*
 * The longest module name, without its NUL. The kernel keeps module names in char
 * name[MODULE_NAME_LEN], with MODULE_NAME_LEN = 64 - sizeof(unsigned long) so that struct
 * modversion_info (an unsigned long and the name) is 64 bytes: 56 bytes on 64-bit kernels,
 * 55 characters and the NUL. kexec_file_load() exists on 64-bit kernels only, so 55 is the
 * limit on every machine warmboot runs on.
 */
#define MODULE_NAME_LEN (64 - sizeof(unsigned long))
#define MODULE_NAME_MAX (MODULE_NAME_LEN - 1)

/* A name a module can have: 1 to MODULE_NAME_MAX letters, digits, '_' and '-'. Nothing
 * else, so that a name is also safe in a /sys/module/NAME path. */
bool module_name_valid(const char *s);

/* Compares like strcmp(), with '-' and '_' the same (a sort order for module names). */
int kernel_name_cmp(const char *a, const char *b);
static inline bool kernel_name_equal(const char *a, const char *b)
{
        return kernel_name_cmp(a, b) == 0;
}
/* The same for names that are not NUL-terminated: na bytes at a, nb at b. */
bool kernel_name_equal_n(const char *a, size_t na, const char *b, size_t nb);

/* Whether a NULL-terminated list (NULL: empty) holds name, '-' and '_' alike. */
bool module_names_contain(char *const *list, const char *name);
