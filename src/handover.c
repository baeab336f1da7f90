/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "handover.h"
#include "sys.h"
#include "util.h"

int handover_direct(void)
{
        /* reboot(2) neither syncs nor unmounts: what is in the page cache is written now. */
        sys->sync();
        return sys->reboot_kexec();
}

const char *systemctl_path(const struct root *r)
{
        static const char *const paths[] = {"/usr/bin/systemctl", "/bin/systemctl"};

        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                if (root_exists(r, paths[i]))
                        return paths[i];
        return NULL;
}

int handover_systemd(const struct root *r)
{
        const char *path = systemctl_path(r);
        char *argv[] = {(char *)path, (char *)"kexec", NULL};

        if (!path)
                return -ENOENT;
        /* systemd stops services, unmounts file systems, then performs the kexec itself. */
        return sys->run(argv);
}
