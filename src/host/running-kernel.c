/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/stat.h>

#include "bzimage.h"
#include "kernel-name.h"
#include "running-kernel.h"
#include "util.h"

void kernel_choice_done(struct kernel_choice *c)
{
        if (!c)
                return;
        free(c->kernel);
        free(c->source);
        free(c->release);
        *c = (struct kernel_choice){};
}

static bool is_regular(const struct root *r, const char *path)
{
        struct stat st;
        return root_stat(r, path, &st) == 0 && S_ISREG(st.st_mode);
}

int image_release(const struct root *r, const char *path, char **ret)
{
        _cleanup_close_ int fd = root_open(r, path, O_RDONLY | O_NOCTTY);
        uint8_t head[BZIMAGE_SETUP_HEADER_END], text[80];
        char release[65];
        size_t offset;
        ssize_t n;

        if (fd < 0)
                return fd;
        /* Two short reads: the setup header, then the version string where it points. */
        n = pread(fd, head, sizeof(head), 0);
        if (n < 0)
                return -errno;
        offset = bzimage_version_offset(head, (size_t)n);
        if (offset == 0)
                return -EBADMSG;
        n = pread(fd, text, sizeof(text), (off_t)offset);
        if (n < 0)
                return -errno;
        if (!bzimage_release_from(text, (size_t)n, release, sizeof(release)))
                return -EBADMSG;
        *ret = strdup(release);
        return *ret ? 0 : -ENOMEM;
}

struct candidate_list {
        char **paths;
        char **sources;
};

/* Adds path unless one of the first n_check candidates is the same path. */
static int add_candidate_n(struct candidate_list *l, char *path, const char *source, size_t n_check)
{
        int err;

        if (!path)
                return -ENOMEM;
        for (size_t i = 0; i < n_check && l->paths && l->paths[i]; i++)
                if (streq(l->paths[i], path)) {
                        free(path);
                        return 0;
                }
        err = strv_push(&l->paths, path);
        if (err < 0)
                return err;
        return strv_extend(&l->sources, source);
}

static int add_candidate(struct candidate_list *l, char *path, const char *source)
{
        return add_candidate_n(l, path, source, SIZE_MAX);
}

static int add_boot_image(const struct root *r, struct candidate_list *l, const char *boot_image)
{
        _cleanup_free_ char *path = NULL;
        int err;

        if (!boot_image)
                return 0;
        err = boot_image_path(boot_image, &path);
        if (err < 0)
                return err == -ENOMEM ? err : 0;
        /* With a separate /boot partition GRUB names the file relative to that partition. */
        if (!startswith(path, "/boot/")) {
                char *in_boot = path_join("/boot", path);
                if (!in_boot)
                        return -ENOMEM;
                if (is_regular(r, in_boot))
                        return add_candidate(l, in_boot, SOURCE_BOOT_IMAGE);
                free(in_boot);
        }
        if (is_regular(r, path))
                return add_candidate(l, TAKE_PTR(path), SOURCE_BOOT_IMAGE);
        return 0;
}

static int add_layouts(const struct root *r, struct candidate_list *l, const char *release)
{
        _cleanup_free_ char *machine_id = NULL;
        _cleanup_strv_free_ char **boot = NULL;
        int err;

        err = add_candidate(l, strdup_printf("/boot/vmlinuz-%s", release), SOURCE_LAYOUT);
        if (err >= 0)
                err = add_candidate(l, strdup_printf("/boot/kernel-%s", release), SOURCE_LAYOUT);
        if (err < 0)
                return err;

        /* kernel-install: /boot/MACHINE-ID/R/linux, this machine's id first. */
        err = root_read_string(r, "/etc/machine-id", ROOT_VALUE_MAX, &machine_id);
        if (err == -ENOMEM)
                return err;
        if (err >= 0 && *machine_id && !strchr(machine_id, '/')) {
                err = add_candidate(l, strdup_printf("/boot/%s/%s/linux", machine_id, release),
                                    SOURCE_LAYOUT);
                if (err < 0)
                        return err;
        }
        err = root_list_subdirs(r, "/boot", &boot);
        if (err < 0)
                return err == -ENOMEM ? err : 0;
        for (char **n = boot; *n; n++) {
                _cleanup_free_ char *p = strdup_printf("/boot/%s/%s/linux", *n, release);
                if (!p)
                        return -ENOMEM;
                if (is_regular(r, p)) {
                        err = add_candidate(l, TAKE_PTR(p), SOURCE_LAYOUT);
                        if (err < 0)
                                return err;
                }
        }
        return 0;
}

static int add_scan(const struct root *r, struct candidate_list *l, const char *release)
{
        _cleanup_strv_free_ char **boot = NULL;
        /* The listing's names are unique: compare them only with the earlier candidates,
         * which keeps a /boot of hundreds of kernels linear. */
        size_t earlier = strv_length(l->paths);
        int err;

        /* Images named after a flavour (Arch's vmlinuz-linux, Alpine's vmlinuz-lts), the
         * openSUSE /boot/vmlinuz link, genkernel's kernel-genkernel-*: what kernel-name.h
         * calls a kernel, its release checked against the header below. */
        err = root_list_dir(r, "/boot", &boot);
        if (err == -ENOMEM)
                return err;
        if (err >= 0)
                for (char **n = boot; *n; n++) {
                        if (kernel_name_classify(*n) == KERNEL_NAME_NONE)
                                continue;
                        err = add_candidate_n(l, strdup_printf("/boot/%s", *n), SOURCE_SCAN,
                                              earlier);
                        if (err < 0)
                                return err;
                }
        return add_candidate(l, strdup_printf("/usr/lib/modules/%s/vmlinuz", release),
                             SOURCE_MODULES);
}

/* Whether an image found at path, carrying release, is what its name says: a scanned name
 * by the rule of kernel-name.h; the boot loader's choice unless its name carries another
 * release; a distribution's name for the running release is compared with that below. */
static bool name_fits(const char *path, const char *source, const char *release)
{
        const char *name = path_basename(path);

        if (streq(source, SOURCE_SCAN))
                return kernel_name_matches_release(name, release);
        if (streq(source, SOURCE_BOOT_IMAGE))
                return kernel_name_classify(name) != KERNEL_NAME_VERSIONED ||
                       kernel_name_matches_release(name, release);
        return true;
}

/* Only the boot loader's own choice or an image named after a flavour (vmlinuz-linux) may
 * stand in for a missing exact match: that is what a cold boot would start. An image whose
 * name carries another release is another kernel. */
static bool may_stand_in(const char *path, const char *source)
{
        if (streq(source, SOURCE_BOOT_IMAGE))
                return true;
        return streq(source, SOURCE_SCAN) &&
               kernel_name_classify(path_basename(path)) == KERNEL_NAME_FLAVOUR;
}

/* What is wrong with the file under the running release's own name, which image_release()
 * failed on with err (release NULL) or found to carry release. */
static char *image_problem(const char *path, int err, const char *release)
{
        if (release)
                return strdup_printf("%s holds release %s", path, release);
        if (err == -EBADMSG)
                return strdup_printf("%s has no valid x86 boot header", path);
        return strdup_printf("%s cannot be read: %s", path, strerror(-err));
}

int locate_kernel(const struct root *r, const char *release, const char *boot_image,
                  struct kernel_choice *ret, char **ret_problem)
{
        struct candidate_list l = {};
        ssize_t fallback = -1, chosen = -1;
        _cleanup_free_ char *chosen_release = NULL, *problem = NULL;
        int err;

        err = add_boot_image(r, &l, boot_image);
        if (err >= 0 && release)
                err = add_layouts(r, &l, release);
        if (err >= 0 && release)
                err = add_scan(r, &l, release);
        if (err < 0)
                goto out;

        for (size_t i = 0; l.paths && l.paths[i]; i++) {
                const char *path = l.paths[i], *source = l.sources[i];
                _cleanup_free_ char *rel = NULL;
                bool own_name = !streq(source, SOURCE_SCAN);

                if (!is_regular(r, path))
                        continue;
                err = image_release(r, path, &rel);
                if (err == -ENOMEM)
                        goto out;
                if (err >= 0 && name_fits(path, source, rel)) {
                        if (release && streq(rel, release)) {
                                chosen = (ssize_t)i;
                                free(chosen_release);
                                chosen_release = TAKE_PTR(rel);
                                break;
                        }
                        if (may_stand_in(path, source)) {
                                if (fallback < 0) {
                                        fallback = (ssize_t)i;
                                        chosen_release = TAKE_PTR(rel);
                                }
                                continue;
                        }
                }
                /* The first file under the running release's own name that is not its
                 * kernel tells the user more than "not found" would. */
                if (own_name && !problem) {
                        problem = image_problem(path, err, rel);
                        if (!problem) {
                                err = -ENOMEM;
                                goto out;
                        }
                }
        }
        if (chosen < 0)
                chosen = fallback;
        if (chosen < 0) {
                err = problem ? -EBADMSG : -ENOENT;
                if (problem && ret_problem)
                        *ret_problem = TAKE_PTR(problem);
                goto out;
        }
        *ret = (struct kernel_choice){
                .kernel = strdup(l.paths[chosen]),
                .source = strdup(l.sources[chosen]),
                .release = TAKE_PTR(chosen_release),
        };
        err = 0;
        if (!ret->kernel || !ret->source) {
                kernel_choice_done(ret);
                err = -ENOMEM;
        }
out:
        strv_free(l.paths);
        strv_free(l.sources);
        return err;
}

/* Tries DIR/PREFIX+MIDDLE+SUFFIX; 1 when it is a regular file (*ret set), 0 when not. */
static int try_initrd(const struct root *r, const char *dir, const char *prefix, const char *middle,
                      const char *suffix, char **ret)
{
        _cleanup_free_ char *name = NULL, *path = NULL;

        if (asprintf(&name, "%s%s%s", prefix, middle, suffix) < 0)
                return -ENOMEM;
        if (boot_name_is_spare(name))
                return 0;
        path = path_join(dir, name);
        if (!path)
                return -ENOMEM;
        if (!is_regular(r, path))
                return 0;
        *ret = TAKE_PTR(path);
        return 1;
}

static int initrd_for_suffix(const struct root *r, const char *dir, const char *version, char **ret)
{
        static const char *const names[][2] = {
                {"initrd.img-", ""},    /* Debian, Ubuntu */
                {"initramfs-", ".img"}, /* Fedora, RHEL, Gentoo (dracut), Arch */
                {"initrd-", ""},        /* openSUSE */
                {"initrd-", ".img"},    {"initramfs-", ""}, /* Alpine, genkernel */
        };
        int err;

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                err = try_initrd(r, dir, names[i][0], version, names[i][1], ret);
                if (err != 0)
                        return err;
        }
        return 0;
}

int locate_initrd(const struct root *r, const char *kernel, const char *release, char **ret)
{
        _cleanup_free_ char *dir = strndup(kernel, (size_t)(path_basename(kernel) - kernel));
        _cleanup_free_ char *link = NULL;
        const char *base = path_basename(kernel), *key;
        int err;

        if (!dir)
                return -ENOMEM;
        if (streq(base, "linux")) { /* kernel-install: the initrd sits beside it */
                err = try_initrd(r, dir, "initrd", "", "", ret);
                return err < 0 ? err : err > 0 ? 0 : -ENOENT;
        }

        /* /boot/vmlinuz -> vmlinuz-R: the link's target names the version. */
        err = root_readlink(r, kernel, &link);
        if (err == -ENOMEM)
                return err;
        if (err >= 0)
                base = path_basename(link);

        /* initrd.img-R for vmlinuz-R, never initrd.img-R.bak for vmlinuz-R.bak. */
        key = kernel_name_initrd_key(base, release);
        if (key) {
                err = initrd_for_suffix(r, dir, key, ret);
                if (err != 0)
                        return err < 0 ? err : 0;
        }
        if (streq(base, "vmlinuz")) {
                err = try_initrd(r, dir, "initrd", "", "", ret);
                if (err != 0)
                        return err < 0 ? err : 0;
        }
        /* Images kept outside /boot (/usr/lib/modules/R/vmlinuz) have theirs in /boot; so
         * does an image whose name does not give its initrd's (vmlinuz-R.bak holding R). */
        if (release && (!key || !streq(dir, "/boot/"))) {
                err = initrd_for_suffix(r, "/boot", release, ret);
                if (err != 0)
                        return err < 0 ? err : 0;
        }
        return -ENOENT;
}

const char *const microcode_images[] = {
        /* GRUB's GRUB_EARLY_INITRD_LINUX_STOCK names, in its order. */
        "intel-uc.img",     "intel-ucode.img", "amd-uc.img", "amd-ucode.img",
        "early_ucode.cpio", "microcode.cpio",  NULL,
};

int kernel_initrds(const struct root *r, const char *kernel, const char *release, char ***ret)
{
        _cleanup_free_ char *dir = strndup(kernel, (size_t)(path_basename(kernel) - kernel));
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        const char *dirs[] = {"/boot", dir};
        char *found = NULL;
        int err;

        if (!dir || !l)
                return -ENOMEM;
        /* Separate microcode images go first, as GRUB loads them: in /boot, or beside the
         * kernel (kernel-install's MACHINE-ID/R/ directories). */
        for (size_t d = 0; d < ELEMENTSOF(dirs); d++)
                for (size_t i = 0; microcode_images[i]; i++) {
                        _cleanup_free_ char *path = path_join(dirs[d], microcode_images[i]);

                        if (!path)
                                return -ENOMEM;
                        if (is_regular(r, path) && !strv_contains(l, path) &&
                            strv_push(&l, TAKE_PTR(path)) < 0)
                                return -ENOMEM;
                }
        err = locate_initrd(r, kernel, release, &found);
        if (err == -ENOENT) {
                /* Microcode alone is no initrd. */
                strv_free(l);
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
        } else if (err < 0)
                return err;
        else if (strv_push(&l, found) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}
