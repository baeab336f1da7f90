/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kernel-name.h"
#include "util.h"

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

/* What follows the prefix of a kernel's name: "" for "vmlinuz" (openSUSE's link), NULL when
 * the name has no such prefix or nothing after it. */
static const char *name_stem(const char *name)
{
        static const char *const prefixes[] = {"vmlinuz-", "kernel-", "vmlinux-"};
        const char *stem;

        if (streq(name, "vmlinuz"))
                return "";
        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++) {
                stem = startswith(name, prefixes[i]);
                if (stem)
                        return *stem ? stem : NULL;
        }
        return NULL;
}

/* The release a stem names: from its start or the first '-' followed by a digit. */
static const char *stem_release(const char *stem)
{
        if (is_digit(stem[0]))
                return stem;
        for (const char *dash = strchr(stem, '-'); dash; dash = strchr(dash + 1, '-'))
                if (is_digit(dash[1]))
                        return dash + 1;
        return NULL;
}

bool boot_name_is_spare(const char *name)
{
        static const char *const endings[] = {
                ".old",     ".bak",    ".orig",    ".save",    ".tmp",    ".swp",
                "~",        ".rpmnew", ".rpmsave", ".rpmorig", ".pacnew", ".pacsave",
                ".apk-new", ".sig",    ".p7s",     ".signed",
        };
        static const char *const infixes[] = {"kdump", "fallback", ".dpkg-", ".ucf-"};

        if (name[0] == '.')
                return true;
        for (size_t i = 0; i < ELEMENTSOF(infixes); i++)
                if (strstr(name, infixes[i]))
                        return true;
        for (size_t i = 0; i < ELEMENTSOF(endings); i++)
                if (endswith(name, endings[i]))
                        return true;
        return false;
}

enum kernel_name kernel_name_classify(const char *name)
{
        const char *stem = name_stem(name);

        if (!stem || boot_name_is_spare(name) || strstr(name, "rescue"))
                return KERNEL_NAME_NONE;
        if (stem_release(stem))
                return KERNEL_NAME_VERSIONED;
        return stem[strcspn(stem, ".~")] ? KERNEL_NAME_NONE : KERNEL_NAME_FLAVOUR;
}

bool kernel_name_matches_release(const char *name, const char *release)
{
        if (!release)
                return false;
        switch (kernel_name_classify(name)) {
        case KERNEL_NAME_FLAVOUR:
                return true;
        case KERNEL_NAME_VERSIONED:
                return streq(stem_release(name_stem(name)), release);
        default:
                return false;
        }
}

const char *kernel_name_initrd_key(const char *name, const char *release)
{
        const char *stem = name_stem(name);

        if (!stem || !*stem || boot_name_is_spare(name))
                return NULL;
        /* dracut's rescue image keeps its initramfs-0-rescue-ID.img, whatever it holds. */
        if (strstr(name, "rescue"))
                return stem;
        if (release ? !kernel_name_matches_release(name, release)
                    : kernel_name_classify(name) == KERNEL_NAME_NONE)
                return NULL;
        return stem;
}

int boot_image_path(const char *value, char **ret)
{
        const char *p = value, *at;
        char *path;

        if (*p == '(') {
                const char *close = strchr(p, ')');
                if (!close)
                        return -EINVAL;
                p = close + 1;
        }
        /* GRUB on ZFS: /ROOT/debian@/boot/vmlinuz-R, the path after the snapshot marker. */
        at = strchr(p, '@');
        if (at && at[1] == '/')
                p = at + 1;
        if (*p != '/')
                return -EINVAL;
        path = strdup(p);
        if (!path)
                return -ENOMEM;
        *ret = path;
        return 0;
}

bool boot_name_is_memory_test(const char *name)
{
        return startswith(name, "memtest") != NULL;
}
