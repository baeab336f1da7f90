/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The mode in force in /sys/kernel/security/lockdown, the word in brackets of
 * "[none] integrity confidentiality"; NULL if there is none or it is not a lower-case word
 * (also when out of memory: errno tells ENOMEM apart). Caller frees. */
char *lockdown_parse(const char *text);
