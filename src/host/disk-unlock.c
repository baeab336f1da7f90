/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "crypttab.h"
#include "disk-unlock.h"
#include "mountinfo.h"
#include "util.h"

#define CRYPTTAB_FILE "/etc/crypttab"
#define DM_DEPTH_MAX 8 /* LVM on LUKS on RAID ... */

static void disk_done(struct encrypted_disk *d)
{
        free(d->device);
        free(d->crypttab_name);
        free(d->crypttab_tpm2);
        free(d->crypttab_pcrs);
}

void disk_unlock_done(struct disk_unlock *d)
{
        if (!d)
                return;
        for (size_t i = 0; i < d->n_disks; i++)
                disk_done(&d->disks[i]);
        free(d->disks);
        free(d->crypttab_error);
        *d = (struct disk_unlock){};
}

static struct encrypted_disk *add_disk(struct disk_unlock *u)
{
        struct encrypted_disk *m = realloc(u->disks, sizeof(*m) * (u->n_disks + 1));

        if (!m)
                return NULL;
        u->disks = m;
        m = &u->disks[u->n_disks++];
        *m = (struct encrypted_disk){};
        return m;
}

/* The device number of the file system mounted on "/" (the last such mount is the one seen). */
static int find_root(const struct mount_entry *m, void *userdata)
{
        char **devnum = userdata;

        if (!streq(m->mount_point, "/"))
                return 0;
        free(*devnum);
        *devnum = strdup(m->devnum);
        return *devnum ? 0 : -ENOMEM;
}

static int read_sys_value(const struct root *r, const char *dm, const char *file, char **ret)
{
        _cleanup_free_ char *path = strdup_printf("/sys/block/%s/%s", dm, file);
        int err;

        if (!path)
                return -ENOMEM;
        err = root_read_string(r, path, ROOT_VALUE_MAX, ret);
        if (err >= 0)
                strip_trailing_space(*ret);
        return err;
}

/*
 * Walks from the mapping dm down its slaves to a LUKS dm-crypt mapping: 1 with its name and
 * the device under it ("/dev/vda3"), 0 when there is none.
 */
static int find_crypt(const struct root *r, const char *dm, unsigned depth, char **ret_name,
                      char **ret_device)
{
        _cleanup_free_ char *uuid = NULL, *slaves_dir = NULL;
        _cleanup_strv_free_ char **slaves = NULL;
        int err;

        if (depth > DM_DEPTH_MAX || !startswith(dm, "dm-"))
                return 0;
        slaves_dir = strdup_printf("/sys/block/%s/slaves", dm);
        if (!slaves_dir)
                return -ENOMEM;
        err = read_sys_value(r, dm, "dm/uuid", &uuid);
        if (err == -ENOMEM)
                return err;
        if (root_list_dir(r, slaves_dir, &slaves) < 0 || !slaves[0])
                return 0;
        if (err >= 0 && startswith(uuid, "CRYPT-LUKS")) {
                err = read_sys_value(r, dm, "dm/name", ret_name);
                if (err == -ENOMEM)
                        return err;
                if (err < 0)
                        *ret_name = NULL;
                *ret_device = strdup_printf("/dev/%s", slaves[0]);
                if (!*ret_device) {
                        free(*ret_name);
                        return -ENOMEM;
                }
                return 1;
        }
        for (size_t i = 0; slaves[i]; i++) {
                err = find_crypt(r, slaves[i], depth + 1, ret_name, ret_device);
                if (err != 0)
                        return err;
        }
        return 0;
}

/* The LUKS mapping under the root file system: 1 with its name and device, 0 when the root
 * is not on one (or the machine does not show it). */
static int root_crypt(const struct root *r, char **ret_name, char **ret_device)
{
        _cleanup_free_ char *mountinfo = NULL, *devnum = NULL, *link = NULL, *sys = NULL;
        int err;

        if (root_read_string(r, "/proc/self/mountinfo", MOUNTINFO_READ_MAX, &mountinfo) < 0)
                return 0;
        err = mountinfo_foreach(mountinfo, find_root, &devnum);
        if (err < 0)
                return err;
        if (!devnum)
                return 0;
        sys = strdup_printf("/sys/dev/block/%s", devnum);
        if (!sys)
                return -ENOMEM;
        if (root_readlink(r, sys, &link) < 0)
                return 0;
        return find_crypt(r, path_basename(link), 0, ret_name, ret_device);
}

/* Where a crypttab device is, as a path inside the root; NULL for a form systemd does not
 * know. */
static char *device_path(const char *spec)
{
        static const struct {
                const char *tag, *dir;
        } tags[] = {
                {"UUID=", "/dev/disk/by-uuid/"},   {"PARTUUID=", "/dev/disk/by-partuuid/"},
                {"LABEL=", "/dev/disk/by-label/"}, {"PARTLABEL=", "/dev/disk/by-partlabel/"},
                {"ID=", "/dev/disk/by-id/"},
        };

        for (size_t i = 0; i < ELEMENTSOF(tags); i++) {
                const char *v = startswith(spec, tags[i].tag);
                if (v)
                        return *v && !strchr(v, '/') ? strdup_printf("%s%s", tags[i].dir, v) : NULL;
        }
        return spec[0] == '/' ? strdup(spec) : NULL;
}

/* The kernel's name for the device behind a /dev/disk/by-* link ("/dev/vda3"), or path. */
static char *device_name(const struct root *r, const char *path)
{
        _cleanup_free_ char *link = NULL;

        if (startswith(path, "/dev/disk/") && root_readlink(r, path, &link) >= 0 &&
            startswith(link, "../../") && !strchr(link + 6, '/'))
                return strdup_printf("/dev/%s", link + 6);
        return strdup(path);
}

/* Plain dm-crypt has no header: a random key each boot, or a key without LUKS. */
static bool entry_is_plain(const struct crypttab_entry *e)
{
        static const char *const plain[] = {"plain", "swap", "tmp", "bitlk", "tcrypt"};
        _cleanup_free_ char *options = e->options ? strdup(e->options) : NULL;
        char *save = NULL;

        if (e->key_file &&
            (streq(e->key_file, "/dev/urandom") || streq(e->key_file, "/dev/random") ||
             streq(e->key_file, "/dev/hw_random")))
                return true;
        for (char *w = options ? strtok_r(options, ",", &save) : NULL; w;
             w = strtok_r(NULL, ",", &save))
                for (size_t i = 0; i < ELEMENTSOF(plain); i++)
                        if (streq(w, plain[i]) ||
                            (startswith(w, plain[i]) && w[strlen(plain[i])] == '='))
                                return true;
        return false;
}

static int copy_entry(const struct crypttab_entry *e, struct encrypted_disk *d)
{
        d->crypttab_name = strdup(e->name);
        d->noauto = e->noauto;
        d->nofail = e->nofail;
        d->crypttab_pcrlock = e->tpm2_pcrlock;
        if (e->tpm2_device)
                d->crypttab_tpm2 = strdup(e->tpm2_device);
        if (e->tpm2_pcrs)
                d->crypttab_pcrs = strdup(e->tpm2_pcrs);
        return !d->crypttab_name || (e->tpm2_device && !d->crypttab_tpm2) ||
                               (e->tpm2_pcrs && !d->crypttab_pcrs)
                       ? -ENOMEM
                       : 0;
}

static int read_crypttab(const struct root *r, struct disk_unlock *u, const char *root_name,
                         const char *root_device)
{
        _cleanup_free_ char *text = NULL, *error = NULL;
        struct crypttab t = {};
        int err;

        err = root_read_string(r, CRYPTTAB_FILE, CRYPTTAB_READ_MAX, &text);
        if (err == -ENOENT)
                return 0;
        u->have_crypttab = true;
        if (err < 0) {
                u->crypttab_error =
                        strdup_printf("cannot read " CRYPTTAB_FILE ": %s", strerror(-err));
                return u->crypttab_error ? 0 : -ENOMEM;
        }
        err = crypttab_parse(text, CRYPTTAB_FILE, &t, &error);
        if (err == -EINVAL) {
                u->crypttab_error = TAKE_PTR(error);
                return 0;
        }
        if (err < 0)
                return err;
        for (size_t i = 0; err >= 0 && i < t.n_entries; i++) {
                const struct crypttab_entry *e = &t.entries[i];
                _cleanup_free_ char *path = NULL;
                struct encrypted_disk *d;

                if (entry_is_plain(e))
                        continue;
                path = device_path(e->device);
                d = add_disk(u);
                if (!d) {
                        err = -ENOMEM;
                        break;
                }
                err = copy_entry(e, d);
                d->device = path ? device_name(r, path) : strdup(e->device);
                if (err < 0 || !d->device) {
                        err = -ENOMEM;
                        break;
                }
                d->root = (root_name && streq(root_name, e->name)) ||
                          (root_device && streq(root_device, d->device));
                d->header_err = path ? luks_tpm2_read(r, path, &d->tpm2, &d->header_why) : -ENOENT;
                if (d->header_err == -ENOMEM)
                        err = -ENOMEM;
        }
        crypttab_done(&t);
        return err;
}

int disk_unlock_read(const struct root *r, struct disk_unlock *ret)
{
        _cleanup_free_ char *root_name = NULL, *root_device = NULL;
        struct disk_unlock u = {};
        struct encrypted_disk *d;
        int err;

        err = root_crypt(r, &root_name, &root_device);
        if (err < 0)
                return err;
        err = read_crypttab(r, &u, root_name, root_device);
        for (size_t i = 0; err >= 0 && i < u.n_disks; i++)
                if (u.disks[i].root)
                        goto done;
        /* Unlocked by the initrd without an entry (rd.luks.uuid=, or the initrd's own). */
        if (err >= 0 && root_device) {
                d = add_disk(&u);
                if (!d)
                        err = -ENOMEM;
                else {
                        d->device = TAKE_PTR(root_device);
                        d->root = true;
                        d->header_err = luks_tpm2_read(r, d->device, &d->tpm2, &d->header_why);
                        if (d->header_err == -ENOMEM)
                                err = -ENOMEM;
                }
        }
done:
        if (err < 0) {
                disk_unlock_done(&u);
                return err;
        }
        *ret = u;
        return 0;
}
