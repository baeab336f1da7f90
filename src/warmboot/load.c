/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/mman.h>

#include "load.h"
#include "syscalls.h"
#include "uki-file.h"
#include "util.h"

static int copy_all(int from, int to)
{
        char buf[1 << 16];

        for (;;) {
                ssize_t n = read(from, buf, sizeof(buf)), off = 0;
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        return 0;
                while (off < n) {
                        ssize_t w = write(to, buf + off, (size_t)(n - off));
                        if (w < 0) {
                                if (errno == EINTR)
                                        continue;
                                return -errno;
                        }
                        off += w;
                }
        }
}

/* Seals a memfd and hands back a read-only descriptor of it: the kernel refuses a file
 * that anyone has open for writing (ETXTBSY), so the writable one is closed. */
static int memfd_seal_readonly(int rw, int *ret_fd)
{
        char self[64];
        int ro;

        if (fcntl(rw, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
                return -errno;
        snprintf(self, sizeof(self), "/proc/self/fd/%d", rw);
        ro = open(self, O_RDONLY | O_CLOEXEC);
        if (ro < 0)
                return -errno;
        *ret_fd = ro;
        return 0;
}

int initrd_join(const struct root *r, char *const *paths, int *ret_fd)
{
        _cleanup_close_ int rw = memfd_create("warmboot-initrd", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        int err;

        if (rw < 0)
                return -errno;
        for (size_t i = 0; paths[i]; i++) {
                _cleanup_close_ int fd = root_open(r, paths[i], O_RDONLY | O_NOCTTY);
                if (fd < 0)
                        return fd;
                err = copy_all(fd, rw);
                if (err < 0)
                        return err;
        }
        return memfd_seal_readonly(rw, ret_fd);
}

static int kexec_load_files(const struct root *r, const struct plan *p);

/* A sealed, read-only memfd holding the given sections of a UKI, in order. */
static int uki_memfd(int fd, const struct uki_section *const *parts, size_t n, const char *name,
                     int *ret_fd)
{
        _cleanup_close_ int rw = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        int err;

        if (rw < 0)
                return -errno;
        for (size_t i = 0; i < n; i++) {
                err = ukifile_copy(fd, parts[i], rw);
                if (err < 0)
                        return err;
        }
        return memfd_seal_readonly(rw, ret_fd);
}

/* A UKI is split as its stub would: .linux is the kernel, .ucode then .initrd the initrd
 * (unless --initrd says otherwise). Under lockdown the kernel checks that .linux itself. */
static int kexec_load_uki(const struct root *r, const struct plan *p)
{
        _cleanup_close_ int fd = -1, kernel_fd = -1, initrd_fd = -1;
        const struct uki_section *linux_part[1], *initrd_parts[2];
        unsigned long flags = 0;
        size_t n = 0;
        struct uki u;
        int err;

        err = ukifile_open(r, p->kernel, &fd, &u);
        if (err < 0)
                return err;
        linux_part[0] = &u.linux_;
        err = uki_memfd(fd, linux_part, 1, "warmboot-uki-linux", &kernel_fd);
        if (err < 0)
                return err;
        if (p->initrds && p->initrds[0])
                err = initrd_join(r, p->initrds, &initrd_fd);
        else {
                if (u.ucode.size > 0)
                        initrd_parts[n++] = &u.ucode;
                if (u.initrd.size > 0)
                        initrd_parts[n++] = &u.initrd;
                if (n > 0)
                        err = uki_memfd(fd, initrd_parts, n, "warmboot-uki-initrd", &initrd_fd);
                else
                        flags |= KEXEC_FILE_NO_INITRAMFS_FLAG;
        }
        if (err < 0)
                return err;
        return sys->kexec_file_load(kernel_fd, initrd_fd, p->cmdline, flags);
}

int kexec_load_plan(const struct root *r, const struct plan *p)
{
        if (p->uki)
                return kexec_load_uki(r, p);
        return kexec_load_files(r, p);
}

static int kexec_load_files(const struct root *r, const struct plan *p)
{
        _cleanup_close_ int kernel_fd = -1, initrd_fd = -1;
        unsigned long flags = 0;
        int err;

        kernel_fd = root_open(r, p->kernel, O_RDONLY | O_NOCTTY);
        if (kernel_fd < 0)
                return kernel_fd;
        if (!p->initrds || !p->initrds[0])
                flags |= KEXEC_FILE_NO_INITRAMFS_FLAG;
        else if (!p->initrds[1]) {
                initrd_fd = root_open(r, p->initrds[0], O_RDONLY | O_NOCTTY);
                if (initrd_fd < 0)
                        return initrd_fd;
        } else {
                err = initrd_join(r, p->initrds, &initrd_fd);
                if (err < 0)
                        return err;
        }
        return sys->kexec_file_load(kernel_fd, initrd_fd, p->cmdline, flags);
}

int kexec_unload(void)
{
        return sys->kexec_file_load(-1, -1, NULL, KEXEC_FILE_UNLOAD_FLAG);
}

/* The image whose signature the kernel checks: the file, or a UKI's .linux. Caller frees. */
static char *checked_image(const struct plan *p)
{
        return p->uki ? strdup_printf("the .linux section of %s", p->kernel) : strdup(p->kernel);
}

/*
 * Where the signature check does not enforce (CONFIG_KEXEC_SIG without
 * CONFIG_KEXEC_SIG_FORCE, and no IMA policy that forces it), a failed check is only fatal
 * under lockdown, and then the kernel says EPERM whatever the failure was: the plan's own
 * reading of the image tells an unsigned one from one signed with a key it does not trust.
 */
static char *eperm_error(const struct plan *p)
{
        _cleanup_free_ char *image = NULL;

        /* Asked again: a plan of a tree other than / knows nothing of privileges. */
        if (!sys->can_boot())
                return strdup("the kernel refused the load: warmboot needs root (CAP_SYS_BOOT); "
                              "run it with sudo");
        if (p->host.load_disabled == 1)
                return strdup("the kernel refused the load: kexec is disabled until the next "
                              "cold boot (/proc/sys/kernel/kexec_load_disabled is 1)");
        if (!p->host.lockdown || streq(p->host.lockdown, "none"))
                return strdup("the kernel refused the load (EPERM): a security module may forbid "
                              "kexec, or /proc/sys/kernel/kexec_load_limit_reboot is used up");
        image = checked_image(p);
        if (!image)
                return NULL;
        if (p->have_image && !p->image.signature)
                return strdup_printf("the kernel refused %s: it is locked down (%s) and the image "
                                     "carries no signature; boot a kernel signed by the "
                                     "distribution",
                                     image, p->host.lockdown);
        return strdup_printf("the kernel refused %s: it is locked down (%s) and could not verify "
                             "the image's signature with a key it trusts (its own keyrings, the "
                             "firmware's db or the MOK list); boot a kernel signed by the "
                             "distribution",
                             image, p->host.lockdown);
}

/* The signature check's own errors, passed on where the check is enforced. */
static char *signature_error(int err, const struct plan *p)
{
        _cleanup_free_ char *image = checked_image(p);

        if (!image)
                return NULL;
        switch (-err) {
        case ENODATA:
                return strdup_printf(
                        "the kernel refused %s: the image carries no signature, and the running "
                        "kernel loads only signed images (Secure Boot, or "
                        "CONFIG_KEXEC_SIG_FORCE); boot a kernel signed by the distribution",
                        image);
        case ENOKEY:
                return strdup_printf("the kernel refused %s: the key that signed it is not one "
                                     "the running kernel trusts (not in its keyrings, the "
                                     "firmware's db or the MOK list); enrol the key with mokutil, "
                                     "or boot a kernel signed by the distribution",
                                     image);
        case EKEYREJECTED:
                return strdup_printf(
                        "the kernel rejected the signature of %s: it does not match the image "
                        "(changed after signing), or the image or its key is revoked (the "
                        "firmware's dbx); reinstall the kernel package",
                        image);
        case EBADMSG:
                return strdup_printf("the kernel refused %s: its signature is malformed and "
                                     "cannot be read; reinstall the kernel package",
                                     image);
        case ELIBBAD:
                return strdup_printf("the kernel refused %s: it is not a well-formed PE image, so "
                                     "its signature cannot be checked; reinstall the kernel "
                                     "package",
                                     image);
        default: /* ENOPKG */
                return strdup_printf("the kernel refused %s: its signature uses an algorithm "
                                     "the running kernel lacks",
                                     image);
        }
}

char *kexec_load_error(int err, const struct plan *p)
{
        const char *k = p->kernel;

        switch (-err) {
        case EPERM:
                return eperm_error(p);
        case ENOEXEC:
                return strdup_printf("the kernel refused %s: it is not a kexec-loadable image for "
                                     "this machine (a relocatable 64-bit bzImage)",
                                     k);
        case ENODATA:
        case ENOKEY:
        case EKEYREJECTED:
        case EBADMSG:
        case ELIBBAD:
        case ENOPKG:
                return signature_error(err, p);
        case ETXTBSY:
                return strdup("the kernel or an initrd is open for writing by another process "
                              "(a package update still running?); wait for it and try again");
        case EBUSY:
                return strdup("another kexec load is in progress; try again when it is done");
        case EINVAL:
                return strdup("the kernel rejected the load as invalid: an empty or "
                              "non-regular file, or a command line it cannot take");
        case ENOMEM:
                return strdup("not enough memory to stage the new kernel and initrd, which "
                              "are held in RAM until the hand-over");
        case EFBIG:
                return strdup("the kernel or initrd is larger than kexec_file_load accepts");
        case EACCES:
                return strdup_printf("a security policy (IMA) forbids loading %s", k);
        case ENOSYS:
                return strdup("this kernel has no kexec_file_load (CONFIG_KEXEC_FILE is off)");
        case ENOENT:
                return strdup("the kernel or an initrd disappeared before it could be loaded");
        case EIO:
                return strdup_printf("the kernel could not read %s or its initrd (an I/O error): "
                                     "the disk they are on may be failing; see dmesg",
                                     k);
        default:
                return strdup_printf("kexec_file_load failed: %s", strerror(-err));
        }
}

const char *reboot_error(int err)
{
        switch (-err) {
        case EPERM:
                return "the kernel refused the hand-over: warmboot needs CAP_SYS_BOOT";
        case EINVAL:
                return "the kernel refused the hand-over: no kernel is loaded, or warmboot runs "
                       "in a container, where a kexec is not allowed";
        case EBUSY:
                return "the kernel refused the hand-over: another kexec is in progress";
        default:
                return "the hand-over failed";
        }
}
