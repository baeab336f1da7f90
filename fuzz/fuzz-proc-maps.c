/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Input: a /proc/PID/maps text, line by line. Properties: the path is the end of its line,
 * starts with no blank, and five fields come before it.
 */
#include "fuzz.h"
#include "proc-maps.h"
#include "util.h"

static size_t count_fields(const char *s, const char *end)
{
        size_t n = 0;

        while (s < end) {
                s += strspn(s, " \t");
                if (s >= end)
                        break;
                n++;
                s += strcspn(s, " \t");
        }
        return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size);
        char *p = text, *line;

        while (p && (line = strsep(&p, "\n"))) {
                const char *path = proc_maps_line_path(line);

                if (!path)
                        continue;
                FUZZ_CHECK(path > line && path < line + strlen(line));
                FUZZ_CHECK(*path != ' ' && *path != '\t');
                FUZZ_CHECK(path[-1] == ' ' || path[-1] == '\t');
                FUZZ_CHECK(count_fields(line, path) == 5);
        }
        return 0;
}
