/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Which menu entry GRUB boots when nobody picks one, the way grub-mkconfig's 00_header sets
 * it up in grub.cfg: next_entry from the environment block first (grub-reboot, once), else
 * GRUB_DEFAULT from /etc/default/grub, where "saved" means saved_entry from the environment
 * block (grub-set-default, GRUB_SAVEDEFAULT) and an empty value the first entry.
 *
 * defaults: the text of /etc/default/grub, NULL when there is none; without a GRUB_DEFAULT
 * line saved_entry is taken, as the distributions that leave it out (blscfg) do. env: the
 * environment block (grubenv_parse()), NULL when there is none.
 *
 * Returns 0 with *ret the text that names the entry as GRUB matches it (a title, an id, or
 * an index such as "0" or "1>2"), or NULL for the first entry; -ENOMEM. Caller frees.
 * *ret_from (when not NULL) says which setting named it.
 */
enum grub_default_from {
        GRUB_FROM_FIRST,       /* nothing names an entry */
        GRUB_FROM_NEXT_ENTRY,  /* grubenv's next_entry, booted once */
        GRUB_FROM_SAVED_ENTRY, /* grubenv's saved_entry */
        GRUB_FROM_DEFAULT,     /* GRUB_DEFAULT in /etc/default/grub */
};
int grub_default_entry(const char *defaults, char *const *env, char **ret,
                       enum grub_default_from *ret_from);
