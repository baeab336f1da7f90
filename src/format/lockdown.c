/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>

#include "lockdown.h"
#include "util.h"

char *lockdown_parse(const char *text)
{
        const char *open = strchr(text, '['), *close;

        if (!open)
                return NULL;
        close = strchr(open, ']');
        if (!close || close == open + 1)
                return NULL;
        for (const char *p = open + 1; p < close; p++)
                if (!islower((unsigned char)*p))
                        return NULL;
        return strndup(open + 1, (size_t)(close - open - 1));
}
