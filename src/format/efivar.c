/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "efivar.h"
#include "unaligned.h"
#include "util.h"

static bool is_high_surrogate(uint16_t u)
{
        return u >= 0xd800 && u <= 0xdbff;
}

static bool is_low_surrogate(uint16_t u)
{
        return u >= 0xdc00 && u <= 0xdfff;
}

/* Writes c as UTF-8 at w; returns the bytes written (1 to 4). */
static size_t utf8_put(char *w, uint32_t c)
{
        if (c < 0x80) {
                w[0] = (char)c;
                return 1;
        }
        if (c < 0x800) {
                w[0] = (char)(0xc0 | c >> 6);
                w[1] = (char)(0x80 | (c & 0x3f));
                return 2;
        }
        if (c < 0x10000) {
                w[0] = (char)(0xe0 | c >> 12);
                w[1] = (char)(0x80 | (c >> 6 & 0x3f));
                w[2] = (char)(0x80 | (c & 0x3f));
                return 3;
        }
        w[0] = (char)(0xf0 | c >> 18);
        w[1] = (char)(0x80 | (c >> 12 & 0x3f));
        w[2] = (char)(0x80 | (c >> 6 & 0x3f));
        w[3] = (char)(0x80 | (c & 0x3f));
        return 4;
}

static int fail(const char **ret_problem, const char *problem, int err)
{
        if (ret_problem)
                *ret_problem = problem;
        return err;
}

int efivar_string_parse(const uint8_t *data, size_t len, uint32_t *ret_attributes, char **ret,
                        const char **ret_problem)
{
        const uint8_t *v = data + 4;
        size_t units, n;
        char *out, *w;

        if (!data || len < 4)
                return fail(ret_problem, "it is shorter than its 4 bytes of attributes", -EBADMSG);
        if ((len - 4) % 2 != 0)
                return fail(ret_problem, "its value has an odd length, so it is no UTF-16 string",
                            -EBADMSG);
        units = (len - 4) / 2;
        /* One NUL may end the string; any other is not part of a name. */
        if (units > 0 && read_le16(v + 2 * (units - 1)) == 0)
                units--;
        if (units > EFIVAR_STRING_MAX)
                return fail(ret_problem, "its value is too long for a boot entry's name", -EFBIG);
        /* A unit becomes at most 3 bytes of UTF-8 (a pair, 4 bytes for 2 units). */
        out = malloc(3 * units + 1);
        if (!out)
                return fail(ret_problem, "out of memory", -ENOMEM);
        w = out;
        for (size_t i = 0; i < units; i += n) {
                uint16_t u = read_le16(v + 2 * i);
                uint32_t c = u;

                n = 1;
                if (u == 0) {
                        free(out);
                        return fail(ret_problem, "its value holds a NUL before its end", -EBADMSG);
                }
                if (is_high_surrogate(u) && i + 1 < units &&
                    is_low_surrogate(read_le16(v + 2 * (i + 1)))) {
                        c = 0x10000 + ((uint32_t)(u - 0xd800) << 10) +
                            (read_le16(v + 2 * (i + 1)) - 0xdc00u);
                        n = 2;
                } else if (is_high_surrogate(u) || is_low_surrogate(u)) {
                        free(out);
                        return fail(ret_problem, "its value holds an unpaired UTF-16 surrogate",
                                    -EBADMSG);
                }
                w += utf8_put(w, c);
        }
        *w = 0;
        if (ret_attributes)
                *ret_attributes = read_le32(data);
        *ret = out;
        return 0;
}

/* The code point at s, its length in *ret_len; -EINVAL for anything but the shortest
 * UTF-8 form of a code point outside the surrogates. */
static int utf8_get(const unsigned char *s, uint32_t *ret, size_t *ret_len)
{
        uint32_t c;
        size_t n;

        if (s[0] < 0x80) {
                *ret = s[0];
                *ret_len = 1;
                return 0;
        }
        if ((s[0] & 0xe0) == 0xc0)
                c = s[0] & 0x1f, n = 2;
        else if ((s[0] & 0xf0) == 0xe0)
                c = s[0] & 0x0f, n = 3;
        else if ((s[0] & 0xf8) == 0xf0)
                c = s[0] & 0x07, n = 4;
        else
                return -EINVAL;
        for (size_t i = 1; i < n; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return -EINVAL;
                c = c << 6 | (s[i] & 0x3f);
        }
        if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
            c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
                return -EINVAL;
        *ret = c;
        *ret_len = n;
        return 0;
}

static void put_le16(uint8_t *p, uint16_t v)
{
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
}

int efivar_string_format(uint32_t attributes, const char *s, uint8_t **ret, size_t *ret_len)
{
        size_t len = strlen(s), units = 0;
        uint8_t *out, *w;

        /* No more units than bytes: each byte of UTF-8 gives at most one unit. */
        out = malloc(4 + 2 * (len + 1));
        if (!out)
                return -ENOMEM;
        put_le16(out, (uint16_t)attributes);
        put_le16(out + 2, (uint16_t)(attributes >> 16));
        w = out + 4;
        for (const unsigned char *p = (const unsigned char *)s; *p;) {
                uint32_t c;
                size_t n;

                if (utf8_get(p, &c, &n) < 0) {
                        free(out);
                        return -EINVAL;
                }
                p += n;
                if (c >= 0x10000) {
                        put_le16(w, (uint16_t)(0xd800 + ((c - 0x10000) >> 10)));
                        put_le16(w + 2, (uint16_t)(0xdc00 + ((c - 0x10000) & 0x3ff)));
                        w += 4, units += 2;
                } else {
                        put_le16(w, (uint16_t)c);
                        w += 2, units++;
                }
        }
        if (units > EFIVAR_STRING_MAX) {
                free(out);
                return -EFBIG;
        }
        put_le16(w, 0);
        w += 2;
        *ret_len = (size_t)(w - out);
        *ret = out;
        return 0;
}
