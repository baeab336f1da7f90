/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Input: a /proc/PID/cgroup text. Properties: a unit is one path component of the text,
 * named like a service or a scope.
 */
#include "cgroup.h"
#include "fuzz.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_free_ char *text = fuzz_string(data, size), *unit = NULL;

        if (!text || cgroup_unit(text, &unit) < 0 || !unit)
                return 0;
        FUZZ_CHECK(!strpbrk(unit, "/\n") && strstr(text, unit));
        FUZZ_CHECK((endswith(unit, ".service") && !streq(unit, ".service")) ||
                   (endswith(unit, ".scope") && !streq(unit, ".scope")));
        return 0;
}
