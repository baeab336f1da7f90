/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Compares two kernel versions: split into runs of digits and non-digits; digit runs compare
 * numerically (leading zeros ignored), other runs by character, where '~' sorts before
 * everything, even the end of the string, and letters before other characters (dpkg).
 * Where one string has a number and the other letters at the same place, the number is
 * newer (rpm, systemd): RHEL's "4.18.0-193.el8" < "4.18.0-193.6.3.el8_2", which pure dpkg
 * gets wrong. "6.1.0-28-amd64" < "6.1.0-29-amd64" < "6.10.0-1-amd64"; "6.8.0~rc1" < "6.8.0".
 * Returns -1, 0 or 1.
 */
int version_compare(const char *a, const char *b);
