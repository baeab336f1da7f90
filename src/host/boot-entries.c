/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <sys/stat.h>

#include "bls.h"
#include "boot-entries.h"
#include "cmdline.h"
#include "efivars.h"
#include "env-file.h"
#include "grubcfg.h"
#include "grub-defaults.h"
#include "grubenv.h"
#include "loader-conf.h"
#include "machine-state.h"
#include "kernel-name.h"
#include "running-kernel.h"
#include "mountinfo.h"
#include "uki-file.h"
#include "util.h"
#include "version.h"

/* Where a boot partition may be mounted: Boot Loader Specification's $BOOT and the ESP. */
static const char *const boot_mounts[] = {"/boot", "/efi", "/boot/efi", NULL};

#define CONFIG_READ_MAX (4u << 20)

static int warn(struct entry_list *l, char *sentence)
{
        return strv_push(&l->warnings, sentence);
}

/* A systemd machine id: 32 lower-case hexadecimal digits (machine-id(5)). */
static bool machine_id_valid(const char *s)
{
        return strlen(s) == 32 && strspn(s, "0123456789abcdef") == 32;
}

static int append_entry(struct entry_list *l, struct boot_entry *e, const char *source)
{
        struct boot_entry *m = realloc(l->entries, sizeof(*m) * (l->n + 1));

        if (!m)
                return -ENOMEM;
        l->entries = m;
        e->source = strdup(source);
        if (!e->source)
                return -ENOMEM;
        l->entries[l->n++] = *e;
        *e = (struct boot_entry){};
        return 0;
}

/* A path from a configuration, relative to the partition mounted at base, as the machine
 * sees it: base + path when that exists (a separate partition), else the path itself
 * (the partition is the root file system). */
static char *map_path(const struct root *r, const char *base, const char *path, bool *ret_found)
{
        _cleanup_free_ char *joined = NULL;

        *ret_found = false;
        if (base && !streq(base, "/")) {
                joined = path_join(base, path);
                if (joined && root_is_regular(r, joined)) {
                        *ret_found = true;
                        return TAKE_PTR(joined);
                }
        }
        return strdup(path);
}

/* Maps the kernel and initrd paths; 1 when the kernel was seen to be a regular file on the
 * way (no need to look again), 0 when that is still to be checked. */
static int map_entry_paths(const struct root *r, const char *base, struct boot_entry *e)
{
        bool kernel_found, found;
        char *k = map_path(r, base, e->kernel, &kernel_found);

        if (!k)
                return -ENOMEM;
        free(e->kernel);
        e->kernel = k;
        for (size_t i = 0; e->initrds && e->initrds[i]; i++) {
                char *m = map_path(r, base, e->initrds[i], &found);
                if (!m)
                        return -ENOMEM;
                free(e->initrds[i]);
                e->initrds[i] = m;
        }
        return kernel_found;
}

const char *default_from_to_string(enum default_from f)
{
        static const char *const names[] = {
                [DEFAULT_FROM_NONE] = NULL,
                [DEFAULT_FROM_FIRST] = "first",
                [DEFAULT_FROM_LOADER_ONESHOT] = "LoaderEntryOneShot",
                [DEFAULT_FROM_LOADER_DEFAULT] = "LoaderEntryDefault",
                [DEFAULT_FROM_LOADER_SAVED] = "LoaderEntryLastBooted",
                [DEFAULT_FROM_LOADER_CONF] = "loader.conf",
                [DEFAULT_FROM_NEXT_ENTRY] = "next_entry",
                [DEFAULT_FROM_SAVED_ENTRY] = "saved_entry",
                [DEFAULT_FROM_GRUB_DEFAULT] = "GRUB_DEFAULT",
                [DEFAULT_FROM_PROFILE] = "system-profile",
        };
        return (size_t)f < ELEMENTSOF(names) ? names[f] : NULL;
}

static void set_default(struct entry_list *l, ssize_t index, enum default_from from, char *file)
{
        l->default_index = index;
        l->default_from = index < 0 ? DEFAULT_FROM_NONE : from;
        free(l->default_file);
        l->default_file = index < 0 ? (free(file), NULL) : file;
}

/* grubenv: blscfg's variables (kernelopts) and GRUB's saved_entry / next_entry; *ret_path
 * the file they came from. */
static char **read_grubenv(const struct root *r, struct entry_list *l, const char **ret_path)
{
        static const char *const paths[] = {"/boot/grub2/grubenv", "/boot/grub/grubenv",
                                            "/boot/efi/EFI/fedora/grubenv", NULL};

        for (size_t i = 0; paths[i]; i++) {
                _cleanup_free_ uint8_t *buf = NULL;
                char **env = NULL;
                size_t len;

                if (root_read_head(r, paths[i], ROOT_CONFIG_MAX, &buf, &len) < 0)
                        continue;
                if (grubenv_parse((const char *)buf, len, &env) < 0) {
                        (void)warn(l, strdup_printf("%s: not a GRUB environment block; ignored",
                                                    paths[i]));
                        continue;
                }
                *ret_path = paths[i];
                return env;
        }
        return NULL;
}

/* The names in MOUNT/SUB ("loader/entries" on the ESP): 0 with *ret_names NULL when there
 * is no such directory, -ENOMEM. *ret_dir is the directory's path either way. */
static int boot_dir_list(const struct root *r, const char *mount, const char *sub, char **ret_dir,
                         char ***ret_names)
{
        int err;

        *ret_names = NULL;
        *ret_dir = path_join(mount, sub);
        if (!*ret_dir)
                return -ENOMEM;
        err = root_list_dir(r, *ret_dir, ret_names);
        if (err == -ENOMEM)
                return err;
        if (err < 0)
                *ret_names = NULL;
        return 0;
}

static int discover_bls(const struct root *r, char *const *env, struct entry_list *l)
{
        size_t first = l->n;

        for (size_t b = 0; boot_mounts[b]; b++) {
                _cleanup_free_ char *dir = NULL;
                _cleanup_strv_free_ char **names = NULL;
                int k = boot_dir_list(r, boot_mounts[b], "loader/entries", &dir, &names);

                if (k < 0)
                        return k;
                for (char **n = names; n && *n; n++) {
                        _cleanup_free_ char *path = NULL, *text = NULL, *error = NULL, *id = NULL;
                        struct boot_entry e = {};
                        int err;

                        if (!endswith(*n, ".conf") || (*n)[0] == '.')
                                continue;
                        path = path_join(dir, *n);
                        id = strndup(*n, strlen(*n) - 5);
                        if (!path || !id)
                                return -ENOMEM;
                        err = root_read_string(r, path, CONFIG_READ_MAX, &text);
                        if (err < 0) {
                                if (warn(l, strdup_printf("%s: cannot read: %s; skipped", path,
                                                          strerror(-err))) < 0)
                                        return -ENOMEM;
                                continue;
                        }
                        err = bls_entry_parse(text, path, id, env, &e, &error);
                        if (err == -ENOMEM)
                                return err;
                        if (err < 0) {
                                if (warn(l, strdup_printf("%s; entry skipped",
                                                          error ? error : path)) < 0)
                                        return -ENOMEM;
                                continue;
                        }
                        err = map_entry_paths(r, boot_mounts[b], &e);
                        if (err == 0 && !root_is_regular(r, e.kernel))
                                err = warn(l, strdup_printf("%s: the kernel %s is missing; entry "
                                                            "skipped",
                                                            path, e.kernel));
                        else if (err >= 0)
                                err = append_entry(l, &e, "bls");
                        boot_entry_done(&e);
                        if (err < 0)
                                return err;
                }
        }
        bls_entries_sort(l->entries + first, l->n - first);
        return 0;
}

/* Type #2 entries: unified kernel images in EFI/Linux, their name, version and command
 * line read from their own .osrel, .uname and .cmdline sections. */
static int discover_uki(const struct root *r, struct entry_list *l)
{
        for (size_t b = 0; boot_mounts[b]; b++) {
                _cleanup_free_ char *dir = NULL;
                _cleanup_strv_free_ char **names = NULL;
                int k = boot_dir_list(r, boot_mounts[b], "EFI/Linux", &dir, &names);

                if (k < 0)
                        return k;
                for (char **n = names; n && *n; n++) {
                        _cleanup_free_ char *osrel = NULL, *pretty = NULL;
                        _cleanup_close_ int fd = -1;
                        struct boot_entry e = {.uki = true};
                        struct uki u;
                        int err;

                        if (!endswith(*n, ".efi") || (*n)[0] == '.')
                                continue;
                        e.kernel = path_join(dir, *n);
                        if (!e.kernel)
                                return -ENOMEM;
                        err = ukifile_open(r, e.kernel, &fd, &u);
                        if (err < 0) {
                                err = warn(l, strdup_printf("%s: not a unified kernel image (%s); "
                                                            "skipped",
                                                            e.kernel, strerror(-err)));
                                boot_entry_done(&e);
                                if (err < 0)
                                        return err;
                                continue;
                        }
                        osrel = ukifile_text(fd, &u.osrel, ROOT_CONFIG_MAX);
                        err = env_file_get(osrel, "PRETTY_NAME", &pretty);
                        if (err < 0) {
                                boot_entry_done(&e);
                                return err;
                        }
                        e.version = ukifile_text(fd, &u.uname, 256);
                        e.options = ukifile_text(fd, &u.cmdline, ROOT_CONFIG_MAX);
                        e.id = strdup(*n);
                        e.file = strdup(e.kernel);
                        e.initrds = calloc(1, sizeof(char *));
                        e.title = e.version ? strdup_printf("%s (%s)", pretty ? pretty : *n,
                                                            e.version)
                                            : strdup(pretty ? pretty : *n);
                        err = !e.id || !e.file || !e.initrds || !e.title
                                      ? -ENOMEM
                                      : append_entry(l, &e, "uki");
                        boot_entry_done(&e);
                        if (err < 0)
                                return err;
                }
        }
        return 0;
}

/* The mount point of the file system with this UUID, through /dev/disk/by-uuid and the
 * mount table; NULL when it is not mounted. */
struct whole_fs {
        const char *device;
        char *mount_point;
};

static int find_whole_fs(const struct mount_entry *m, void *userdata)
{
        struct whole_fs *w = userdata;

        if (!m->source || !streq(m->source, w->device) || !streq(m->root, "/"))
                return 0;
        w->mount_point = strdup(m->mount_point);
        return w->mount_point ? 1 : -ENOMEM;
}

static char *uuid_mount_point(const struct root *r, const char *uuid)
{
        _cleanup_free_ char *link = NULL, *by_uuid = NULL, *mountinfo = NULL;
        _cleanup_free_ char *device = NULL;
        struct whole_fs w = {};

        by_uuid = strdup_printf("/dev/disk/by-uuid/%s", uuid);
        if (!by_uuid || strchr(uuid, '/') || root_readlink(r, by_uuid, &link) < 0)
                return NULL;
        device = strdup_printf("/dev/%s", path_basename(link));
        if (!device ||
            root_read_string(r, "/proc/self/mountinfo", MOUNTINFO_READ_MAX, &mountinfo) < 0)
                return NULL;
        w.device = device;
        (void)mountinfo_foreach(mountinfo, find_whole_fs, &w);
        return w.mount_point;
}

/* What GRUB would boot by default (grub_default_entry()): the text that names it, NULL for
 * the first entry. */
static int grub_default_name(const struct root *r, char *const *env, char **ret,
                             enum default_from *ret_from)
{
        _cleanup_free_ char *defaults = NULL;
        enum grub_default_from from;
        int err;

        /* Unreadable or missing: as without a GRUB_DEFAULT line. */
        (void)root_read_string(r, "/etc/default/grub", ROOT_CONFIG_MAX, &defaults);
        err = grub_default_entry(defaults, env, ret, &from);
        if (err >= 0)
                *ret_from = from == GRUB_FROM_NEXT_ENTRY    ? DEFAULT_FROM_NEXT_ENTRY
                            : from == GRUB_FROM_SAVED_ENTRY ? DEFAULT_FROM_SAVED_ENTRY
                            : from == GRUB_FROM_DEFAULT     ? DEFAULT_FROM_GRUB_DEFAULT
                                                            : DEFAULT_FROM_FIRST;
        return err;
}

/* The file that holds the setting GRUB's default came from. */
static char *grub_default_file(enum default_from from, const char *grubenv_path)
{
        if (from == DEFAULT_FROM_GRUB_DEFAULT)
                return strdup("/etc/default/grub");
        if ((from == DEFAULT_FROM_NEXT_ENTRY || from == DEFAULT_FROM_SAVED_ENTRY) && grubenv_path)
                return strdup(grubenv_path);
        return NULL;
}

static int discover_grub(const struct root *r, char *const *env, const char *grubenv_path,
                         struct entry_list *l)
{
        static const char *const paths[] = {"/boot/grub/grub.cfg", "/boot/grub2/grub.cfg",
                                            "/boot/efi/EFI/debian/grub.cfg",
                                            "/boot/efi/EFI/ubuntu/grub.cfg", NULL};

        for (size_t i = 0; paths[i]; i++) {
                _cleanup_free_ char *text = NULL, *error = NULL, *want = NULL;
                _cleanup_free_ char *last_uuid = NULL, *last_base = NULL;
                struct boot_entry *e = NULL;
                size_t n = 0;
                enum default_from from = DEFAULT_FROM_FIRST;
                ssize_t default_index = -1;
                int err, def;

                if (root_read_string(r, paths[i], CONFIG_READ_MAX, &text) < 0)
                        continue;
                err = grub_cfg_parse(text, paths[i], &e, &n, &error);
                if (err == -ENOMEM)
                        return err;
                if (err < 0) {
                        if (warn(l, strdup_printf("%s; its menu is skipped",
                                                  error ? error : paths[i])) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (n == 0) {
                        boot_entries_free(e, n);
                        continue;
                }
                /* GRUB numbers its own menu, entries without Linux included. */
                err = grub_default_name(r, env, &want, &from);
                if (err < 0) {
                        boot_entries_free(e, n);
                        return err;
                }
                def = want ? grub_find_entry(e, n, want) : 0;
                if (def < 0)
                        from = DEFAULT_FROM_FIRST;
                if (want && def < 0)
                        err = warn(l, strdup_printf("%s: the default entry '%s' is not in the "
                                                    "menu; GRUB falls back to the first",
                                                    paths[i], want));
                if (def < 0)
                        def = 0;
                for (size_t k = 0; k < n && err >= 0; k++) {
                        _cleanup_free_ char *base = NULL;
                        if (!e[k].kernel || boot_name_is_memory_test(path_basename(e[k].kernel)))
                                continue; /* chainloader, firmware setup, memtest86+ */
                        /* Generated menus name the same UUID in every entry: look it up
                         * once. */
                        if (e[k].root_uuid && !streq_ptr(e[k].root_uuid, last_uuid)) {
                                free(last_uuid);
                                free(last_base);
                                last_uuid = strdup(e[k].root_uuid);
                                last_base = uuid_mount_point(r, e[k].root_uuid);
                        }
                        base = e[k].root_uuid && last_base ? strdup(last_base) : NULL;
                        /* Without a mapping, a separate /boot is the usual case. */
                        err = map_entry_paths(r, base ? base : "/boot", &e[k]);
                        if (err < 0)
                                break;
                        if (err == 0 && !root_is_regular(r, e[k].kernel)) {
                                err = warn(l, strdup_printf("%s:%u: the kernel %s of '%s' is "
                                                            "missing; entry skipped",
                                                            paths[i], e[k].line, e[k].kernel,
                                                            e[k].title));
                                continue;
                        }
                        /* grub.cfg names no version: the image's header does. */
                        if (!e[k].version)
                                (void)image_release(r, e[k].kernel, &e[k].version);
                        if ((int)k == def)
                                default_index = (ssize_t)l->n;
                        err = append_entry(l, &e[k], "grub");
                }
                boot_entries_free(e, n);
                if (err >= 0)
                        set_default(l, default_index, from, grub_default_file(from, grubenv_path));
                return err;
        }
        return 0;
}

/* NixOS: each generation of the system profile is a directory with kernel, initrd,
 * kernel-params and init; the profile link names the current one. */
static int discover_nixos(const struct root *r, struct entry_list *l)
{
        static const char dir[] = "/nix/var/nix/profiles";
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_free_ char *current = NULL;
        ssize_t current_index = -1;

        if (root_list_dir(r, dir, &names) < 0)
                return 0;
        (void)root_readlink(r, "/nix/var/nix/profiles/system", &current);
        /* Newest generation first. */
        for (size_t n = strv_length(names); n > 0; n--) {
                const char *name = names[n - 1], *gen = startswith(name, "system-");
                _cleanup_free_ char *base = NULL, *params = NULL, *init = NULL, *initpath = NULL;
                struct boot_entry e = {};
                unsigned number;
                int err;

                if (!gen || !endswith(gen, "-link"))
                        continue;
                {
                        _cleanup_free_ char *digits = strndup(gen, strlen(gen) - 5);
                        if (!digits || safe_atou(digits, &number) < 0)
                                continue;
                }
                base = path_join(dir, name);
                e.kernel = base ? path_join(base, "kernel") : NULL;
                initpath = base ? path_join(base, "init") : NULL;
                e.initrds = calloc(1, sizeof(char *));
                if (!e.kernel || !initpath || !e.initrds) {
                        boot_entry_done(&e);
                        return -ENOMEM;
                }
                if (!root_is_regular(r, e.kernel) || image_release(r, e.kernel, &e.version) < 0) {
                        boot_entry_done(&e);
                        continue;
                }
                {
                        char *initrd = path_join(base, "initrd");
                        if (!initrd || (root_is_regular(r, initrd) ? strv_push(&e.initrds, initrd)
                                                                   : (free(initrd), 0)) < 0) {
                                boot_entry_done(&e);
                                return -ENOMEM;
                        }
                }
                {
                        _cleanup_free_ char *pp = path_join(base, "kernel-params");
                        if (pp)
                                (void)root_read_string(r, pp, ROOT_CONFIG_MAX, &params);
                }
                /* Boot loader entries name init by the generation's store path. */
                {
                        _cleanup_free_ char *store = NULL;
                        if (root_readlink(r, base, &store) >= 0 && store[0] == '/')
                                init = path_join(store, "init");
                }
                e.options = strdup_printf("init=%s%s%s", init ? init : initpath,
                                          params && *params ? " " : "", params ? params : "");
                e.id = strdup_printf("nixos-generation-%u", number);
                e.title = strdup_printf("NixOS generation %u (%s)", number, e.version);
                e.file = strdup(base);
                if (!e.options || !e.id || !e.title || !e.file) {
                        boot_entry_done(&e);
                        return -ENOMEM;
                }
                if (current && streq(path_basename(current), name))
                        current_index = (ssize_t)l->n;
                err = append_entry(l, &e, "nixos");
                boot_entry_done(&e);
                if (err < 0)
                        return err;
        }
        return current_index >= 0 ? (int)current_index : 0;
}

/* Machines without a boot loader configuration: the images in /boot themselves, by the
 * rule of kernel-name.h, the same the running kernel is looked for by. */
/* Adds the scan entry of the image at path, whose name (id) passed the file-name rule, when
 * it is a kernel whose header the name agrees with (the release directory of
 * kernel-install's MACHINE-ID/R/linux counts as its name). */
static int add_scanned(const struct root *r, struct entry_list *l, const char *path, const char *id,
                       const char *name)
{
        _cleanup_(boot_entry_done) struct boot_entry e = {};
        _cleanup_free_ char *target = NULL;
        int err;

        e.kernel = strdup(path);
        if (!e.kernel)
                return -ENOMEM;
        /* A link (/boot/vmlinuz -> vmlinuz-R) is the same kernel listed once. */
        err = root_readlink(r, e.kernel, &target);
        if (err == -ENOMEM)
                return err;
        if (err >= 0 || !root_is_regular(r, e.kernel))
                return 0;
        err = image_release(r, e.kernel, &e.version);
        if (err == -ENOMEM)
                return err;
        if (err < 0 || !kernel_name_matches_release(name, e.version))
                return 0;
        e.id = strdup(id);
        e.title = strdup_printf("Linux %s", e.version);
        if (!e.id || !e.title)
                return -ENOMEM;
        err = kernel_initrds(r, e.kernel, e.version, &e.initrds);
        if (err < 0)
                return err;
        return append_entry(l, &e, "scan");
}

/* kernel-install's layout without loader entries: /boot/MACHINE-ID/R/linux, with the
 * initrd beside it. The directory R must be the release the image carries. */
static int scan_kernel_install(const struct root *r, struct entry_list *l, const char *dir)
{
        _cleanup_strv_free_ char **releases = NULL;
        _cleanup_free_ char *base = path_join("/boot", dir);
        int err;

        if (!base)
                return -ENOMEM;
        err = root_list_subdirs(r, base, &releases);
        if (err < 0)
                return err == -ENOMEM ? err : 0;
        for (char **rel = releases; *rel; rel++) {
                _cleanup_free_ char *id = path_join(dir, *rel), *path = NULL;
                _cleanup_free_ char *name = strdup_printf("vmlinuz-%s", *rel);

                path = id ? strdup_printf("/boot/%s/linux", id) : NULL;
                if (!path || !name)
                        return -ENOMEM;
                if (kernel_name_classify(name) != KERNEL_NAME_VERSIONED)
                        continue;
                err = add_scanned(r, l, path, id, name);
                if (err < 0)
                        return err;
        }
        return 0;
}

/* Machines without a boot loader configuration: the images in /boot themselves. */
static int discover_scan(const struct root *r, struct entry_list *l)
{
        _cleanup_strv_free_ char **names = NULL;
        int err;

        err = root_list_dir(r, "/boot", &names);
        if (err < 0)
                return err == -ENOMEM ? err : 0;
        for (char **n = names; *n; n++) {
                _cleanup_free_ char *path = NULL;

                if (kernel_name_classify(*n) == KERNEL_NAME_NONE) {
                        if (machine_id_valid(*n))
                                err = scan_kernel_install(r, l, *n);
                        else
                                err = 0;
                        if (err < 0)
                                return err;
                        continue;
                }
                path = path_join("/boot", *n);
                if (!path)
                        return -ENOMEM;
                err = add_scanned(r, l, path, *n, *n);
                if (err < 0)
                        return err;
        }
        return 0;
}

/* A loader variable's value, NULL when it is not set; a garbled one is warned about and
 * taken as not set, as systemd-boot does. */
static int loader_variable(const struct root *r, struct entry_list *l, const char *name, char **ret)
{
        _cleanup_free_ char *problem = NULL;
        int err = efivar_read_loader_string(r, name, ret, &problem);

        if (err == -ENOMEM)
                return err;
        if (err < 0) {
                *ret = NULL;
                if (problem)
                        return warn(l, TAKE_PTR(problem));
        }
        return 0;
}

/* The first entry, in the sorted list, that a systemd-boot pattern picks; -1 for none. */
static ssize_t loader_find(const struct entry_list *l, const char *pattern)
{
        for (size_t i = 0; pattern && i < l->n; i++)
                if (loader_entry_matches(pattern, l->entries[i].id))
                        return (ssize_t)i;
        return -1;
}

/* loader.conf's "default" pattern, from the first boot partition that has a loader.conf. */
static int loader_conf_pattern(const struct root *r, char **ret_pattern, char **ret_path)
{
        for (size_t b = 0; boot_mounts[b]; b++) {
                _cleanup_free_ char *path = path_join(boot_mounts[b], "loader/loader.conf");
                _cleanup_free_ char *text = NULL;
                int err;

                if (!path)
                        return -ENOMEM;
                if (root_read_string(r, path, ROOT_CONFIG_MAX, &text) < 0)
                        continue;
                err = loader_conf_default(text, ret_pattern);
                if (err < 0)
                        return err;
                *ret_path = TAKE_PTR(path);
                return 0;
        }
        return 0;
}

static bool is_saved(const char *pattern)
{
        return pattern && strcasecmp(pattern, "@saved") == 0;
}

/* systemd-boot's default (config_select_default_entry() in its boot.c): LoaderEntryOneShot,
 * then LoaderEntryDefault, then loader.conf's pattern, where "@saved" stands for
 * LoaderEntryLastBooted; else the first entry. A value that picks no entry falls through. */
static int find_loader_default(const struct root *r, struct entry_list *l)
{
        _cleanup_free_ char *oneshot = NULL, *efi_default = NULL, *saved = NULL;
        _cleanup_free_ char *pattern = NULL, *conf = NULL;
        const char *var = NULL;
        enum default_from from = DEFAULT_FROM_FIRST;
        ssize_t i = -1;
        int err;

        err = loader_variable(r, l, "LoaderEntryOneShot", &oneshot);
        if (err >= 0)
                err = loader_variable(r, l, "LoaderEntryDefault", &efi_default);
        if (err >= 0)
                err = loader_conf_pattern(r, &pattern, &conf);
        if (err >= 0 && (is_saved(efi_default) || is_saved(pattern)))
                err = loader_variable(r, l, "LoaderEntryLastBooted", &saved);
        if (err < 0)
                return err;
        if ((i = loader_find(l, oneshot)) >= 0) {
                from = DEFAULT_FROM_LOADER_ONESHOT;
                var = "LoaderEntryOneShot";
        } else if ((i = loader_find(l, is_saved(efi_default) ? saved : efi_default)) >= 0) {
                from = is_saved(efi_default) ? DEFAULT_FROM_LOADER_SAVED
                                             : DEFAULT_FROM_LOADER_DEFAULT;
                var = is_saved(efi_default) ? "LoaderEntryLastBooted" : "LoaderEntryDefault";
        } else if (is_saved(pattern) && !is_saved(efi_default) &&
                   (i = loader_find(l, saved)) >= 0) {
                from = DEFAULT_FROM_LOADER_SAVED;
                var = "LoaderEntryLastBooted";
        } else if (!is_saved(pattern) && (i = loader_find(l, pattern)) >= 0)
                from = DEFAULT_FROM_LOADER_CONF;
        else
                i = l->n > 0 ? 0 : -1;
        set_default(l, i, from,
                    var                                ? efivar_loader_path(var)
                    : from == DEFAULT_FROM_LOADER_CONF ? TAKE_PTR(conf)
                                                       : NULL);
        if (var && !l->default_file)
                return -ENOMEM;
        return 0;
}

/* Whether systemd-boot booted this machine: it says so in LoaderInfo. */
static int booted_by_systemd_boot(const struct root *r, struct entry_list *l)
{
        _cleanup_free_ char *info = NULL;
        int err = loader_variable(r, l, "LoaderInfo", &info);

        if (err < 0)
                return err;
        return info && startswith(info, "systemd-boot") ? 1 : 0;
}

/* GRUB names its kernel in BOOT_IMAGE=; systemd-boot writes none. */
static bool cmdline_has_boot_image(const char *text)
{
        _cleanup_free_ char *boot_image = NULL;
        struct cmdline c;

        if (!text || cmdline_parse(text, &c) < 0)
                return false;
        boot_image = cmdline_get(&c, "BOOT_IMAGE");
        cmdline_done(&c);
        return boot_image != NULL;
}

/* The running kernel's entry: the one systemd-boot says it booted (LoaderEntrySelected),
 * when that holds the running release; else the entry of the running image or release. */
static int find_running(const struct root *r, const char *running_release,
                        const char *running_kernel, const char *running_cmdline,
                        struct entry_list *l)
{
        for (size_t i = 0; i < l->n; i++) {
                const struct boot_entry *e = &l->entries[i];
                if ((running_kernel && streq_ptr(e->kernel, running_kernel)) ||
                    (running_release && streq_ptr(e->version, running_release))) {
                        l->running_index = (ssize_t)i;
                        break;
                }
        }
        if (running_release && running_cmdline && !cmdline_has_boot_image(running_cmdline)) {
                _cleanup_free_ char *selected = NULL;
                ssize_t i;
                int err = loader_variable(r, l, "LoaderEntrySelected", &selected);

                if (err < 0)
                        return err;
                i = loader_find(l, selected);
                /* An entry of another release is stale: the machine booted something else
                 * since, or the variable lies. */
                if (i >= 0 && streq_ptr(l->entries[i].version, running_release)) {
                        l->running_index = i;
                        l->running_by_loader = true;
                }
        }
        return 0;
}

int entries_discover(const struct root *r, const char *running_release, const char *running_kernel,
                     const char *running_cmdline, struct entry_list *ret)
{
        struct entry_list l = {.default_index = -1, .running_index = -1};
        _cleanup_strv_free_ char **env = NULL;
        const char *grubenv_path = NULL;
        int err;

        l.warnings = calloc(1, sizeof(char *));
        if (!l.warnings)
                return -ENOMEM;
        /* The listing of /boot is cached for this scan only. */
        root_drop_cache(r);
        env = read_grubenv(r, &l, &grubenv_path);
        err = discover_bls(r, env, &l);
        if (err >= 0)
                err = discover_uki(r, &l);
        if (err >= 0 && l.n > 0) {
                /* blscfg: GRUB's saved_entry names a BLS id; systemd-boot: its variables and
                 * loader.conf, and only those when it booted the machine. */
                _cleanup_free_ char *want = NULL;
                enum default_from from = DEFAULT_FROM_FIRST;
                int sdboot = booted_by_systemd_boot(r, &l);

                err = sdboot;
                if (err >= 0 && !sdboot)
                        err = grub_default_name(r, env, &want, &from);
                if (err >= 0 && want)
                        set_default(&l, entries_find(&l, want), from,
                                    grub_default_file(from, grubenv_path));
                else if (err >= 0)
                        err = find_loader_default(r, &l);
                if (err >= 0 && l.default_index < 0)
                        set_default(&l, 0, DEFAULT_FROM_FIRST, NULL);
        }
        /* With BLS entries, grub.cfg only points at them (blscfg); its own menu is older. */
        if (err >= 0 && l.n == 0)
                err = discover_grub(r, env, grubenv_path, &l);
        if (err >= 0 && l.n == 0) {
                err = discover_nixos(r, &l);
                if (err >= 0 && l.n > 0) /* the current generation */
                        set_default(&l, err, DEFAULT_FROM_PROFILE,
                                    strdup("/nix/var/nix/profiles/system"));
        }
        if (err >= 0 && l.n == 0) {
                err = discover_scan(r, &l);
                /* Without a boot loader configuration a cold boot's choice is unknown. */
        }
        if (err >= 0)
                err = find_running(r, running_release, running_kernel, running_cmdline, &l);
        root_drop_cache(r);
        if (err < 0) {
                entry_list_done(&l);
                return err;
        }
        *ret = l;
        return 0;
}

int entries_of_machine(const struct root *r, struct entry_list *ret)
{
        struct kernel_choice running = {};
        struct host_state h;
        int err;

        err = host_state_read(r, &h);
        if (err < 0)
                return err;
        /* The running kernel's image marks its entry; without one, its release still does. */
        err = h.release ? locate_kernel(r, h.release, NULL, &running, NULL) : 0;
        /* An image that only stands in for the running kernel (vmlinuz-linux, updated to
         * another release since the boot) is not the running one. */
        if (err != -ENOMEM)
                err = entries_discover(
                        r, h.release, streq_ptr(running.release, h.release) ? running.kernel : NULL,
                        h.cmdline, ret);
        kernel_choice_done(&running);
        host_state_done(&h);
        return err;
}

void entry_list_done(struct entry_list *l)
{
        if (!l)
                return;
        boot_entries_free(l->entries, l->n);
        free(l->default_file);
        strv_free(l->warnings);
        *l = (struct entry_list){};
}

/* A Boot Loader Specification entry is also named by its file name, ".conf" included: so
 * bootctl list, bootctl set-oneshot and systemd-boot's variables call it. */
static bool bls_file_name_is(const struct boot_entry *e, const char *what)
{
        size_t n = e->id ? strlen(e->id) : 0;

        return n > 0 && streq_ptr(e->source, "bls") && strncmp(what, e->id, n) == 0 &&
               streq(what + n, ".conf");
}

ssize_t entries_find(const struct entry_list *l, const char *what)
{
        unsigned index;

        for (size_t i = 0; i < l->n; i++)
                if (streq_ptr(l->entries[i].id, what) || streq_ptr(l->entries[i].title, what) ||
                    bls_file_name_is(&l->entries[i], what))
                        return (ssize_t)i;
        if (safe_atou(what, &index) >= 0 && index < l->n)
                return (ssize_t)index;
        return -1;
}

ssize_t entries_latest(const struct entry_list *l)
{
        ssize_t best = -1;

        for (size_t i = 0; i < l->n; i++) {
                const char *v = l->entries[i].version;
                if (!v)
                        continue;
                if (best < 0 || version_compare(v, l->entries[best].version) > 0)
                        best = (ssize_t)i;
        }
        return best;
}
