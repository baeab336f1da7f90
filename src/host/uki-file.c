/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <fcntl.h>
#include <sys/stat.h>

#include "uki-file.h"
#include "util.h"

/* The PE headers and section table of a UKI are in its first pages. */
#define UKI_HEAD_MAX 65536

int ukifile_open(const struct root *r, const char *path, int *ret_fd, struct uki *ret)
{
        _cleanup_close_ int fd = root_open(r, path, O_RDONLY | O_NOCTTY);
        uint8_t head[UKI_HEAD_MAX];
        struct stat st;
        ssize_t n;
        int err;

        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EBADMSG;
        n = pread(fd, head, sizeof(head), 0);
        if (n < 0)
                return -errno;
        err = uki_parse(head, (size_t)n, (uint64_t)st.st_size, ret);
        if (err < 0)
                return err;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

int ukifile_head(int fd, const struct uki_section *s, size_t max, uint8_t **ret, size_t *ret_len)
{
        size_t want = s->size < max ? (size_t)s->size : max;
        uint8_t *buf = malloc(want + 1);
        ssize_t n;

        if (!buf)
                return -ENOMEM;
        n = pread(fd, buf, want, (off_t)s->offset);
        if (n < 0) {
                free(buf);
                return -errno;
        }
        *ret = buf;
        *ret_len = (size_t)n;
        return 0;
}

char *ukifile_text(int fd, const struct uki_section *s, size_t max)
{
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len;

        if (s->size == 0 || s->size > max || ukifile_head(fd, s, max, &buf, &len) < 0)
                return NULL;
        while (len > 0 && (buf[len - 1] == 0 || buf[len - 1] == '\n' || buf[len - 1] == ' '))
                len--;
        buf[len] = 0;
        if (memchr(buf, 0, len))
                return NULL;
        return (char *)TAKE_PTR(buf);
}

int ukifile_copy(int fd, const struct uki_section *s, int to)
{
        char buf[1 << 16];
        uint64_t done = 0;

        while (done < s->size) {
                size_t want = s->size - done < sizeof(buf) ? (size_t)(s->size - done) : sizeof(buf);
                ssize_t n = pread(fd, buf, want, (off_t)(s->offset + done)), off = 0;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return -EIO;
                while (off < n) {
                        ssize_t w = write(to, buf + off, (size_t)(n - off));
                        if (w < 0)
                                return -errno;
                        off += w;
                }
                done += (uint64_t)n;
        }
        return 0;
}
