/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* What a kernel build config (/boot/config-R) says of a boolean option: 1 for
 * "NAME=y" (or "=m"), 0 for "# NAME is not set", -1 when it does not mention it. The last
 * line that names the option wins, as in Kconfig. */
int kconfig_bool(const char *text, const char *name);
