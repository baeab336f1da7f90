/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "proc-maps.h"
#include "util.h"

const char *proc_maps_line_path(const char *line)
{
        const char *p = line;

        /* address, perms, offset, dev, inode */
        for (int field = 0; field < 5; field++) {
                p += strspn(p, " \t");
                if (!*p)
                        return NULL;
                p += strcspn(p, " \t");
        }
        p += strspn(p, " \t");
        return *p ? p : NULL;
}
