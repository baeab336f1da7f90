/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "load-record-file.h"
#include "load.h"
#include "syscalls.h"
#include "util.h"
#include "verbs.h"

int verb_unload(const struct verb_context *c)
{
        int err;

        if (!sys->can_boot()) {
                log_error("unloading a kernel needs root (CAP_SYS_BOOT); run it with sudo");
                return EXIT_PRIVILEGE;
        }
        err = kexec_unload();
        if (err < 0) {
                log_error("cannot unload the loaded kernel: %s", strerror(-err));
                return EXIT_FAILED;
        }
        err = load_record_remove(c->root);
        if (err < 0)
                log_warning("the kernel is unloaded, but %s could not be removed: %s",
                            LOAD_RECORD_PATH, strerror(-err));
        return EXIT_OK;
}
