/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>

#include "plan-internal.h"
#include "timing.h"
#include "util.h"

const char *check_status_to_string(enum check_status s)
{
        return s == CHECK_PASS ? "pass" : s == CHECK_WARN ? "warn" : "fail";
}
const char *handover_to_string(enum handover h)
{
        return h == HANDOVER_SYSTEMD ? "systemd" : h == HANDOVER_FORCED ? "forced" : "direct";
}
int add_check(struct plan *p, const char *name, enum check_status status, const char *fmt, ...)
{
        struct check *m;
        va_list ap;
        char *detail;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&detail, fmt, ap);
        va_end(ap);
        if (n < 0)
                return -ENOMEM;
        m = realloc(p->checks, sizeof(struct check) * (p->n_checks + 1));
        if (!m) {
                free(detail);
                return -ENOMEM;
        }
        p->checks = m;
        p->checks[p->n_checks++] = (struct check){name, status, detail};
        return 0;
}
/* The machine's view of the chosen kernel and initrds, read once: the checks and the
 * initrd choice decide on it. */
static int read_kernel(struct plan *p, const struct root *r)
{
        int err;

        if (!p->kernel)
                return 0;
        err = kernel_image_read(r, p->kernel, p->uki, &p->kernel_image);
        if (err < 0)
                return err;
        p->have_image = p->kernel_image.status == BZIMAGE_OK;
        if (p->have_image)
                p->image = p->kernel_image.info;
        return 0;
}

static int read_initrds(struct plan *p, const struct root *r)
{
        size_t n = strv_length(p->initrds);

        p->initrd_files = calloc(n + 1, sizeof(struct file_facts));
        if (!p->initrd_files)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                file_facts_read(r, p->initrds[i], &p->initrd_files[i]);
        return 0;
}

int plan_build(const struct root *r, const struct plan_options *o, struct plan *ret)
{
        struct plan p = {};
        int err;

        err = host_state_read(r, &p.host);
        timing_mark("machine state");
        if (err >= 0)
                err = check_privileges(&p, r);
        if (err >= 0 && o->prepare)
                err = check_interrupted(&p, r);
        if (err >= 0)
                err = check_kexec_support(&p);
        if (err >= 0)
                err = check_load_disabled(&p);
        if (err >= 0)
                err = choose_kernel(&p, r, o);
        if (err >= 0)
                err = read_kernel(&p, r);
        if (err >= 0)
                err = check_kernel(&p);
        if (err >= 0)
                err = choose_initrds(&p, r, o);
        if (err >= 0)
                err = read_initrds(&p, r);
        if (err >= 0)
                err = check_initrds(&p, o);
        if (err >= 0)
                err = check_release(&p, o);
        if (err >= 0)
                err = check_config(&p, r);
        if (err >= 0)
                err = check_permissions(&p, r);
        timing_mark("configuration");
        if (err >= 0)
                err = plan_trial(&p, r, o);
        if (err >= 0)
                err = check_cmdline(&p, o);
        if (err >= 0)
                err = check_trial(&p);
        timing_mark("trial");
        if (err >= 0)
                err = check_lockdown(&p);
        if (err >= 0)
                err = check_loaded(&p);
        timing_mark("kernel, initrd and command line");
        p.handover = !p.host.systemd ? HANDOVER_DIRECT
                     : o->now        ? HANDOVER_FORCED
                                     : HANDOVER_SYSTEMD;
        if (err >= 0)
                err = check_disk_unlock(&p, r, o);
        timing_mark("disks");
        if (err >= 0 && o->prepare) {
                err = check_systemd(&p, o);
                timing_mark("systemd");
        }
        if (err >= 0 && o->prepare) {
                err = check_modules(&p, r, o);
                timing_mark("modules");
        }
        if (err >= 0 && o->prepare) {
                err = check_holders(&p, r, o);
                timing_mark("holders");
        }
        if (err >= 0 && o->prepare) {
                err = check_inhibitors(&p, r, o);
                timing_mark("inhibitors");
        }
        if (err < 0) {
                plan_done(&p);
                return err;
        }
        *ret = p;
        return 0;
}
void plan_done(struct plan *p)
{
        if (!p)
                return;
        host_state_done(&p->host);
        free(p->kernel);
        free(p->source);
        strv_free(p->initrds);
        free(p->initrd_files);
        free(p->cmdline);
        free(p->entry_cmdline);
        free(p->entry_file);
        free(p->oneshot_path);
        for (size_t i = 0; i < p->n_checks; i++)
                free(p->checks[i].detail);
        free(p->checks);
        config_done(&p->config);
        strv_free(p->modules);
        holders_free(p->holders, p->n_holders);
        strv_free(p->stop_units);
        free(p->reuse_why);
        trial_done(&p->trial);
        *p = (struct plan){};
}
bool plan_has_failure(const struct plan *p)
{
        for (size_t i = 0; i < p->n_checks; i++)
                if (p->checks[i].status == CHECK_FAIL)
                        return true;
        return false;
}
const struct check *plan_find_check(const struct plan *p, const char *name)
{
        for (size_t i = 0; i < p->n_checks; i++)
                if (streq(p->checks[i].name, name))
                        return &p->checks[i];
        return NULL;
}
