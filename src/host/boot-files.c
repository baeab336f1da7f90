/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/stat.h>

#include "boot-files.h"
#include "uki-file.h"
#include "util.h"

void file_facts_read(const struct root *r, const char *path, struct file_facts *ret)
{
        /* O_NONBLOCK: a FIFO in the file's place must be refused, not waited on for a writer
         * (a regular file ignores the flag). */
        _cleanup_close_ int fd = root_open(r, path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
        struct stat st;

        *ret = (struct file_facts){};
        if (fd < 0) {
                ret->open_err = fd;
                return;
        }
        if (fstat(fd, &st) < 0) {
                ret->open_err = -errno;
                return;
        }
        ret->regular = S_ISREG(st.st_mode);
        ret->size = (uint64_t)st.st_size;
}

int kernel_image_read(const struct root *r, const char *path, bool uki, struct kernel_image *ret)
{
        _cleanup_free_ uint8_t *buf = NULL;
        struct kernel_image k = {.status = BZIMAGE_TRUNCATED};
        size_t len = 0;
        int err;

        file_facts_read(r, path, &k.file);
        if (k.file.open_err < 0 || !k.file.regular || k.file.size == 0) {
                *ret = k;
                return 0;
        }
        if (uki) {
                _cleanup_close_ int fd = -1;
                struct uki u;

                err = ukifile_open(r, path, &fd, &u);
                if (err >= 0)
                        err = ukifile_head(fd, &u.linux_, BZIMAGE_HEAD_MAX, &buf, &len);
                if (err >= 0)
                        k.image_size = u.linux_.size;
        } else {
                err = root_read_head(r, path, BZIMAGE_HEAD_MAX, &buf, &len);
                k.image_size = k.file.size;
        }
        if (err == -ENOMEM)
                return err;
        if (err < 0)
                k.read_err = err;
        else
                k.status = bzimage_parse(buf, len, &k.info);
        *ret = k;
        return 0;
}
