/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "load-record-file.h"
#include "machine-state.h"
#include "reuse.h"
#include "util.h"

static void put_option(FILE *f, const char *name, const char *value)
{
        if (ftell(f) > 0)
                fputc(' ', f);
        fputs(name, f);
        if (value)
                fprintf(f, "='%s'", value);
}

char *reuse_options_line(const struct plan_options *o)
{
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        if (!f)
                return NULL;
        if (o->entry)
                put_option(f, "--entry", o->entry);
        if (o->use_default)
                put_option(f, "--default", NULL);
        if (o->latest)
                put_option(f, "--latest", NULL);
        if (o->kernel)
                put_option(f, "--kernel", o->kernel);
        for (size_t i = 0; o->initrds && o->initrds[i]; i++)
                put_option(f, "--initrd", o->initrds[i]);
        if (o->no_initrd)
                put_option(f, "--no-initrd", NULL);
        if (o->cmdline)
                put_option(f, "--cmdline", o->cmdline);
        for (size_t i = 0; o->append && o->append[i]; i++)
                put_option(f, "--append", o->append[i]);
        for (size_t i = 0; o->remove && o->remove[i]; i++)
                put_option(f, "--remove", o->remove[i]);
        if (fclose(f) != 0) {
                free(text);
                return NULL;
        }
        return text;
}

char *reuse_time_text(int64_t t)
{
        time_t tt = (time_t)t;
        struct tm tm;
        char buf[64];

        if (!localtime_r(&tt, &tm) || strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
                return strdup_printf("%lld (seconds since 1970)", (long long)t);
        return strdup(buf);
}

/* The record of what the plan loads now: its files as they are, its command line. */
static int record_of_plan(const struct root *r, const struct plan *p, const struct plan_options *o,
                          const atomic_bool *stop, struct load_record *ret)
{
        struct load_record rec = {};
        size_t n_initrds = strv_length(p->initrds);
        int err;

        if (!p->kernel || !p->cmdline || n_initrds + 1 > LOAD_RECORD_FILES_MAX)
                return -EINVAL;
        rec.time = (int64_t)time(NULL);
        rec.options = reuse_options_line(o);
        rec.cmdline = strdup(p->cmdline);
        err = rec.options && rec.cmdline ? boot_id_read(r, &rec.boot_id) : -ENOMEM;
        if (err >= 0)
                err = load_record_file_read(r, p->kernel, true, stop, &rec.files[0]);
        if (err >= 0)
                rec.n_files = 1;
        for (size_t i = 0; err >= 0 && i < n_initrds; i++) {
                err = load_record_file_read(r, p->initrds[i], true, stop, &rec.files[i + 1]);
                if (err >= 0)
                        rec.n_files++;
        }
        if (err < 0) {
                load_record_done(&rec);
                return err;
        }
        *ret = rec;
        return 0;
}

static void *recording_run(void *arg)
{
        struct reuse_recording *j = arg;

        j->err = record_of_plan(j->root, j->plan, j->options, &j->stop, &j->rec);
        return NULL;
}

void reuse_record_begin(const struct root *r, const struct plan *p, const struct plan_options *o,
                        struct reuse_recording *ret)
{
        *ret = (struct reuse_recording){.root = r, .plan = p, .options = o};
        atomic_init(&ret->stop, false);
        /* Without a thread, the files are read after the load, one after the other. */
        ret->started = pthread_create(&ret->thread, NULL, recording_run, ret) == 0;
}

int reuse_record_end(struct reuse_recording *j, bool loaded)
{
        int err;

        /* A failed load needs no record: hashing an initrd of a gigabyte or more would only
         * keep the user waiting for the error. */
        if (j->started && !loaded)
                atomic_store(&j->stop, true);
        if (j->started)
                (void)pthread_join(j->thread, NULL);
        else if (loaded)
                (void)recording_run(j);
        else
                return 0;
        err = j->err;
        if (err >= 0 && loaded)
                err = load_record_save(j->root, &j->rec);
        if (j->err >= 0)
                load_record_done(&j->rec);
        return loaded ? err : 0;
}

void reuse_verdict_done(struct reuse_verdict *v)
{
        if (!v)
                return;
        free(v->why);
        free(v->warning);
        free(v->cmdline);
        *v = (struct reuse_verdict){};
}

/* Why the files the plan would load are not those recorded; NULL when they are. */
static char *files_differ(const struct root *r, const struct plan *p, const struct load_record *rec)
{
        size_t n_initrds = strv_length(p->initrds);

        if (rec->n_files != n_initrds + 1 || !streq(rec->files[0].path, p->kernel))
                return strdup("the kernel was loaded from other files");
        for (size_t i = 0; i < n_initrds; i++)
                if (!streq(rec->files[i + 1].path, p->initrds[i]))
                        return strdup("the kernel was loaded from other files");
        for (size_t i = 0; i < rec->n_files; i++) {
                const struct load_record_file *want = &rec->files[i];
                struct load_record_file now = {};
                bool same;
                int err = load_record_file_read(r, want->path, false, NULL, &now);

                if (err < 0)
                        return strdup_printf("cannot read %s again (%s)", want->path,
                                             strerror(-err));
                /* The identity, not the hash: hashing every file again would put seconds on
                 * the way to the hand-over. Any change through the file system moves the
                 * change time, which no system call sets back; a file put in place by
                 * rename has another inode. */
                same = now.dev == want->dev && now.ino == want->ino && now.size == want->size &&
                       now.mtime_ns == want->mtime_ns && now.ctime_ns == want->ctime_ns;
                free(now.path);
                if (!same)
                        return strdup_printf("%s has changed since it was loaded", want->path);
        }
        return NULL;
}

int reuse_into_plan(const struct root *r, struct plan *p, const struct plan_options *o,
                    struct reuse_verdict *ret)
{
        struct reuse_verdict v = {};
        int err;

        *ret = (struct reuse_verdict){};
        if (!p->kernel || !p->cmdline)
                return 0;
        err = reuse_decide(r, p, o, &v);
        if (err < 0)
                return err;
        for (size_t i = 0; v.reuse && i < p->n_checks; i++) {
                struct check *k = &p->checks[i];
                char *d;

                if (!streq(k->name, "loaded"))
                        continue;
                d = strdup("the kernel loaded ahead with 'warmboot load' is this plan's: it is "
                           "used, not loaded again");
                if (!d) {
                        reuse_verdict_done(&v);
                        return -ENOMEM;
                }
                free(k->detail);
                k->detail = d;
                k->status = CHECK_PASS;
        }
        /* The loaded kernel's line is the plan's but for its own trial id: that id is the
         * one the new boot will confirm. */
        if (v.reuse && !streq(p->cmdline, v.cmdline)) {
                char *id = trial_id_of(v.cmdline);
                if (!id || strlen(id) != TRIAL_ID_LEN) {
                        free(id);
                        reuse_verdict_done(&v);
                        return id ? -EBADMSG : -ENOMEM;
                }
                memcpy(p->trial.id, id, TRIAL_ID_LEN + 1);
                free(id);
                free(p->cmdline);
                p->cmdline = TAKE_PTR(v.cmdline);
        }
        p->reuse_decided = true;
        p->reuse = v.reuse;
        p->reuse_why = TAKE_PTR(v.why);
        *ret = v;
        return 0;
}

int reuse_decide(const struct root *r, const struct plan *p, const struct plan_options *o,
                 struct reuse_verdict *ret)
{
        _cleanup_free_ char *options = NULL, *boot_id = NULL, *changed = NULL, *when = NULL;
        struct reuse_verdict v = {};
        struct load_record rec = {};
        int err;

        if (!p->kernel || !p->cmdline)
                return -EINVAL;
        err = load_record_read(r, &rec, &v.warning);
        if (err == -ENOMEM) {
                reuse_verdict_done(&v);
                return err;
        }
        v.recorded = err != -ENOENT;
        if (err == -ENOENT)
                v.why = strdup("no kernel was loaded ahead with 'warmboot load': loading it now");
        else if (err < 0)
                v.why = strdup("the load record cannot be used: loading the kernel afresh");
        if (err < 0)
                goto out;
        options = reuse_options_line(o);
        if (!options)
                goto nomem;
        if (boot_id_read(r, &boot_id) < 0 || !streq(boot_id, rec.boot_id))
                v.why = strdup("the load record is from another boot: loading the kernel "
                               "afresh");
        else if (read_flag(r, "/sys/kernel/kexec_loaded") != 1)
                v.why = strdup("the kernel 'warmboot load' loaded is no longer loaded: loading "
                               "it afresh");
        else if (!streq(options, rec.options))
                v.why = strdup_printf("the loaded kernel was chosen with other options (%s): "
                                      "loading afresh",
                                      *rec.options ? rec.options : "none");
        else if (!cmdline_same_but_trial(p->cmdline, rec.cmdline))
                v.why = strdup("the loaded kernel has another command line: loading afresh");
        else if ((changed = files_differ(r, p, &rec)))
                v.why = strdup_printf("%s: loading the kernel afresh", changed);
        else {
                when = reuse_time_text(rec.time);
                v.reuse = true;
                v.loaded_at = rec.time;
                v.cmdline = TAKE_PTR(rec.cmdline);
                v.why = when ? strdup_printf("using the kernel loaded at %s (warmboot load)", when)
                             : NULL;
        }
out:
        load_record_done(&rec);
        if (!v.why)
                goto nomem;
        *ret = v;
        return 0;
nomem:
        load_record_done(&rec);
        reuse_verdict_done(&v);
        return -ENOMEM;
}
