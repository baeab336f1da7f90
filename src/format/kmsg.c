/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include "kmsg.h"
#include "util.h"

/* The microseconds of one record's prefix, and where its message starts; NULL when the
 * record is malformed. */
static const char *record_parse(const char *line, const char *end, uint64_t *ret_usec)
{
        const char *p = line;
        uint64_t usec = 0;

        for (int field = 0; field < 2; field++) { /* priority, sequence */
                while (p < end && *p >= '0' && *p <= '9')
                        p++;
                if (p >= end || *p != ',')
                        return NULL;
                p++;
        }
        if (p >= end || *p < '0' || *p > '9')
                return NULL;
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
                if (usec > (UINT64_MAX - 9) / 10)
                        return NULL;
                usec = usec * 10 + (uint64_t)(*p - '0');
        }
        p = memchr(p, ';', (size_t)(end - p));
        if (!p)
                return NULL;
        *ret_usec = usec;
        return p + 1;
}

int kmsg_init_started(const char *text, uint64_t *ret)
{
        static const char run[] = "Run ", as_init[] = " as init process";

        for (const char *line = text; line && *line;) {
                const char *end = strchr(line, '\n'), *msg;
                uint64_t usec;

                if (!end)
                        end = line + strlen(line);
                msg = line[0] != ' ' ? record_parse(line, end, &usec) : NULL;
                if (msg && (size_t)(end - msg) > sizeof(run) - 1 + sizeof(as_init) - 1 &&
                    memcmp(msg, run, sizeof(run) - 1) == 0 &&
                    memmem(msg, (size_t)(end - msg), as_init, sizeof(as_init) - 1)) {
                        *ret = usec;
                        return 0;
                }
                line = *end ? end + 1 : NULL;
        }
        return -ENOENT;
}
