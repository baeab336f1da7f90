/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/*
 * The systemd unit of a process from the text of its /proc/PID/cgroup: the unified line
 * ("0::/system.slice/x.service") on cgroup v2 and hybrid hosts, else the v1 line of the
 * name=systemd hierarchy ("1:name=systemd:/..."). The unit is the last path component that
 * ends in .service or .scope ("/a.slice/b.service/sub" gives b.service); a " (deleted)"
 * after the path (a removed cgroup) is ignored.
 *
 * Returns 0 with *ret the unit (caller frees), 0 with *ret NULL when no line names one (or
 * text is NULL), -ENOMEM.
 */
int cgroup_unit(const char *text, char **ret);

/* Whether the process runs under a user's service manager (a path through
 * user@UID.service: "/user.slice/user-1000.slice/user@1000.service/app.slice/x.service"),
 * whose units the system manager does not know. */
bool cgroup_in_user_manager(const char *text);
