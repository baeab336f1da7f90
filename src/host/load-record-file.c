/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/stat.h>

#include "dl.h"
#include "load-record-file.h"
#include "private-file.h"
#include "syscalls.h"
#include "util.h"

static int sha256_fd(int fd, const atomic_bool *stop, char ret_hex[65])
{
        unsigned char md[EVP_MAX_MD_SIZE], buf[1 << 16];
        unsigned md_len = 0;
        EVP_MD_CTX *ctx;
        int err = dl_crypto(NULL);

        if (err < 0)
                return err;
        ctx = sym_EVP_MD_CTX_new();
        if (!ctx)
                return -ENOMEM;
        if (sym_EVP_DigestInit_ex(ctx, sym_EVP_sha256(), NULL) != 1)
                err = -EIO;
        while (err >= 0) {
                ssize_t n;

                if (stop && atomic_load(stop)) {
                        err = -ECANCELED;
                        break;
                }
                n = read(fd, buf, sizeof(buf));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        err = -errno;
                else if (n == 0)
                        break;
                else if (sym_EVP_DigestUpdate(ctx, buf, (size_t)n) != 1)
                        err = -EIO;
        }
        if (err >= 0 && (sym_EVP_DigestFinal_ex(ctx, md, &md_len) != 1 || md_len != 32))
                err = -EIO;
        sym_EVP_MD_CTX_free(ctx);
        if (err < 0)
                return err;
        for (unsigned i = 0; i < md_len; i++)
                snprintf(ret_hex + 2 * i, 3, "%02x", md[i]);
        return 0;
}

int load_record_file_read(const struct root *r, const char *path, bool hash,
                          const atomic_bool *stop, struct load_record_file *ret)
{
        _cleanup_close_ int fd = root_open(r, path, O_RDONLY | O_NOCTTY);
        struct load_record_file f = {};
        struct stat st;
        int err;

        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        f.dev = (uint64_t)st.st_dev;
        f.ino = (uint64_t)st.st_ino;
        f.size = (uint64_t)st.st_size;
        f.mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
        f.ctime_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
        err = hash ? sha256_fd(fd, stop, f.sha256) : 0;
        if (err < 0)
                return err;
        f.path = strdup(path);
        if (!f.path)
                return -ENOMEM;
        *ret = f;
        return 0;
}

int boot_id_read(const struct root *r, char **ret)
{
        char *s = NULL;
        int err = root_read_string(r, "/proc/sys/kernel/random/boot_id", ROOT_VALUE_MAX, &s);

        if (err < 0)
                return err;
        strip_trailing_space(s);
        if (!*s) {
                free(s);
                return -EBADMSG;
        }
        *ret = s;
        return 0;
}

int load_record_read(const struct root *r, struct load_record *ret, char **ret_why)
{
        _cleanup_free_ char *text = NULL;
        int err;

        err = private_file_read(r, LOAD_RECORD_PARENT, LOAD_RECORD_DIRNAME, LOAD_RECORD_NAME,
                                LOAD_RECORD_MAX, &text, ret_why);
        if (err < 0)
                return err;
        err = load_record_parse(text, ret);
        if (err == -EBADMSG)
                *ret_why = strdup_printf("%s is not a valid load record: ignoring it",
                                         LOAD_RECORD_PATH);
        return err;
}

int load_record_save(const struct root *r, const struct load_record *rec)
{
        _cleanup_free_ char *text = NULL;
        int err = load_record_format(rec, &text);

        if (err < 0)
                return err;
        return private_file_write(r, LOAD_RECORD_PARENT, LOAD_RECORD_DIRNAME, LOAD_RECORD_NAME,
                                  text);
}

int load_record_remove(const struct root *r)
{
        return private_file_remove(r, LOAD_RECORD_PARENT, LOAD_RECORD_DIRNAME, LOAD_RECORD_NAME);
}
