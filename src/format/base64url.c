/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "base64url.h"
#include "util.h"

static int sextet(char c)
{
        if (c >= 'A' && c <= 'Z')
                return c - 'A';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
        if (c >= '0' && c <= '9')
                return c - '0' + 52;
        if (c == '-')
                return 62;
        if (c == '_')
                return 63;
        return -1;
}

int base64url_decode(const char *text, size_t len, char **ret, size_t *ret_len)
{
        _cleanup_free_ char *out = NULL;
        unsigned bits = 0, nbits = 0;
        size_t n = 0;

        while (len > 0 && text[len - 1] == '=')
                len--;
        /* One character left over carries 6 bits: no whole byte. */
        if (len % 4 == 1)
                return -EINVAL;
        out = malloc(len / 4 * 3 + 3);
        if (!out)
                return -ENOMEM;
        for (size_t i = 0; i < len; i++) {
                int v = sextet(text[i]);

                if (v < 0)
                        return -EINVAL;
                bits = (bits << 6 | (unsigned)v) & 0xffffff;
                nbits += 6;
                if (nbits >= 8) {
                        nbits -= 8;
                        out[n++] = (char)(bits >> nbits & 0xff);
                }
        }
        out[n] = 0;
        *ret = TAKE_PTR(out);
        *ret_len = n;
        return 0;
}
