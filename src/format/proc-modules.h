/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * One line of /proc/modules: "name size refcnt used-by state address [taints]", fields
 * separated by spaces, e.g. "nvidia_modeset 1355776 1 nvidia_drm, Live 0x0 (POE)". Without
 * CONFIG_MODULE_UNLOAD the kernel writes "-" for refcnt and used-by.
 */
struct proc_module_line {
        const char *name; /* in the line */
        unsigned refcnt;  /* 0 when the kernel does not count ("-") */
        char **used_by;   /* the modules that use it, in the kernel's order; may be empty */
};

/*
 * Parses line (without its newline), NUL-terminating fields in place. Returns 0 with *ret
 * filled; -EBADMSG, *ret untouched, for fewer than four fields, a size or refcnt that is not
 * a number, or a name, in the first field or in used-by, that module_name_valid() refuses.
 * The "[permanent]" and "[unsafe]" flags of used-by are not names and are left out.
 * -ENOMEM. Free with proc_module_line_done().
 */
int proc_modules_parse_line(char *line, struct proc_module_line *ret);
void proc_module_line_done(struct proc_module_line *l);
