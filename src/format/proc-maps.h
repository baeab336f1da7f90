/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * The path of one line of /proc/PID/maps ("7f..-7f.. rw-s 00000000 00:05 1234   /dev/dri/card0"),
 * without its newline: the sixth field, which runs to the end of the line and may hold
 * spaces and a " (deleted)" the kernel adds for an unlinked file. A pointer into line, NULL
 * for an anonymous mapping or a line with fewer fields.
 */
const char *proc_maps_line_path(const char *line);
