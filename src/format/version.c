/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdbool.h>

#include "version.h"

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool is_letter(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Weight of one character of a non-digit run, as dpkg orders them: '~' lowest, then the end
 * of the run, then letters, then everything else. One change, taken from rpm (and systemd's
 * version comparison): where one string has letters and the other a number, the number is
 * newer, so RHEL's "4.18.0-193.6.3.el8_2" is newer than "4.18.0-193.el8" (dpkg would say
 * older). ASCII only, so the order does not change with the locale.
 */
static int weight(char c)
{
        if (c == '\0')
                return 0;
        if (c == '~')
                return -1;
        if (is_letter(c))
                return (unsigned char)c;
        if (is_digit(c))
                return 255;
        return (unsigned char)c + 256;
}

static int sign(int v)
{
        return (v > 0) - (v < 0);
}

int version_compare(const char *a, const char *b)
{
        a = a ?: "";
        b = b ?: "";

        while (*a || *b) {
                /* A non-digit run, character by character. */
                while ((*a && !is_digit(*a)) || (*b && !is_digit(*b))) {
                        int d = weight(*a) - weight(*b);
                        if (d != 0)
                                return sign(d);
                        a++;
                        b++;
                }

                /* A digit run, as a number of any length: no overflow, leading zeros
                 * ignored, the longer significant run is the larger number. */
                while (*a == '0')
                        a++;
                while (*b == '0')
                        b++;
                int first_difference = 0;
                while (is_digit(*a) && is_digit(*b)) {
                        if (first_difference == 0)
                                first_difference = *a - *b;
                        a++;
                        b++;
                }
                if (is_digit(*a))
                        return 1;
                if (is_digit(*b))
                        return -1;
                if (first_difference != 0)
                        return sign(first_difference);
        }
        return 0;
}
