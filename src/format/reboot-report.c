/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reboot-report.h"
#include "util.h"

static const char *const text_keys[_REBOOT_TEXT_MAX] = {
        [REBOOT_ID] = "id",
        [REBOOT_BOOT_ID] = "boot_id",
        [REBOOT_HANDOVER_KIND] = "handover",
        [REBOOT_KERNEL] = "kernel",
        [REBOOT_RELEASE] = "release",
        [REBOOT_CMDLINE] = "cmdline",
        [REBOOT_ENTRY] = "entry",
        [REBOOT_FALLBACK] = "fallback",
        [REBOOT_WATCHDOG] = "watchdog",
        [REBOOT_CONFIRMED_BOOT_ID] = "confirmed_boot_id",
        [REBOOT_WATCHDOG_AFTER] = "watchdog_after",
};

static const char *const time_keys[_REBOOT_TIME_MAX] = {
        [REBOOT_REQUESTED] = "requested_at",
        [REBOOT_LOADED] = "loaded_at",
        [REBOOT_PREPARED] = "prepared_at",
        [REBOOT_HANDOVER] = "handover_at",
        [REBOOT_FIRMWARE] = "firmware_usec",
        [REBOOT_KERNEL_START] = "kernel_start",
        [REBOOT_USERSPACE_START] = "userspace_start",
        [REBOOT_READY] = "ready_at",
};

static const char *const outcomes[_REBOOT_OUTCOME_MAX] = {
        [REBOOT_PENDING] = "pending",
        [REBOOT_COMPLETED] = "completed",
        [REBOOT_FELL_BACK] = "fell-back",
        [REBOOT_COLD] = "cold",
};

static const enum reboot_text required[] = {REBOOT_ID, REBOOT_BOOT_ID, REBOOT_HANDOVER_KIND,
                                            REBOOT_KERNEL};

void reboot_report_init(struct reboot_report *r)
{
        *r = (struct reboot_report){};
        for (size_t i = 0; i < _REBOOT_TIME_MAX; i++)
                r->time[i] = -1;
}

void reboot_report_done(struct reboot_report *r)
{
        if (!r)
                return;
        for (size_t i = 0; i < _REBOOT_TEXT_MAX; i++)
                free(r->text[i]);
        reboot_report_init(r);
}

int reboot_report_set(struct reboot_report *r, enum reboot_text k, const char *value)
{
        char *copy = NULL;

        if (value && !(copy = strdup(value)))
                return -ENOMEM;
        free(r->text[k]);
        r->text[k] = copy;
        return 0;
}

const char *reboot_outcome_to_string(enum reboot_outcome o)
{
        return o < _REBOOT_OUTCOME_MAX ? outcomes[o] : NULL;
}

bool trial_id_valid(const char *s)
{
        size_t i;

        if (!s)
                return false;
        for (i = 0; i < TRIAL_ID_LEN; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return false;
        return s[i] == 0;
}

/* A decimal number without sign, blanks or leading zeros, up to INT64_MAX: the whole of s. */
static int parse_time(const char *s, int64_t *ret)
{
        uint64_t v = 0;
        const char *p = s;

        if (*p < '0' || *p > '9' || (*p == '0' && p[1]))
                return -EBADMSG;
        for (; *p >= '0' && *p <= '9'; p++) {
                if (v > ((uint64_t)INT64_MAX - (uint64_t)(*p - '0')) / 10)
                        return -EBADMSG;
                v = v * 10 + (uint64_t)(*p - '0');
        }
        if (*p)
                return -EBADMSG;
        *ret = (int64_t)v;
        return 0;
}

static int parse_line(char *line, struct reboot_report *r, bool *have_outcome)
{
        char *eq = strchr(line, '=');
        const char *v;

        if (!eq)
                return -EBADMSG;
        *eq = 0;
        v = eq + 1;
        if (streq(line, "outcome")) {
                for (size_t i = 0; i < _REBOOT_OUTCOME_MAX; i++)
                        if (!*have_outcome && streq(v, outcomes[i])) {
                                r->outcome = i;
                                *have_outcome = true;
                                return 0;
                        }
                return -EBADMSG;
        }
        for (size_t i = 0; i < _REBOOT_TIME_MAX; i++)
                if (streq(line, time_keys[i]))
                        return r->time[i] < 0 ? parse_time(v, &r->time[i]) : -EBADMSG;
        for (size_t i = 0; i < _REBOOT_TEXT_MAX; i++)
                if (streq(line, text_keys[i])) {
                        if (r->text[i])
                                return -EBADMSG;
                        r->text[i] = strdup(v);
                        return r->text[i] ? 0 : -ENOMEM;
                }
        return -EBADMSG; /* an unknown key: a report of another version */
}

int reboot_report_parse(const char *text, struct reboot_report *ret)
{
        _cleanup_free_ char *copy = NULL;
        struct reboot_report r;
        bool have_outcome = false;
        size_t magic = strlen(REBOOT_REPORT_MAGIC);
        char *line, *next;
        int err = 0;

        if (!text || strncmp(text, REBOOT_REPORT_MAGIC, magic) != 0 || text[magic] != '\n')
                return -EBADMSG;
        copy = strdup(text + magic + 1);
        if (!copy)
                return -ENOMEM;
        reboot_report_init(&r);
        for (line = copy; *line && err >= 0; line = next) {
                next = strchr(line, '\n');
                if (!next) {
                        err = -EBADMSG; /* the last line is cut */
                        break;
                }
                *next++ = 0;
                err = parse_line(line, &r, &have_outcome);
        }
        for (size_t i = 0; err >= 0 && i < ELEMENTSOF(required); i++)
                if (!r.text[required[i]] || !*r.text[required[i]])
                        err = -EBADMSG;
        if (err >= 0 && (!have_outcome || !trial_id_valid(r.text[REBOOT_ID])))
                err = -EBADMSG;
        if (err < 0) {
                reboot_report_done(&r);
                return err;
        }
        *ret = r;
        return 0;
}

int reboot_report_format(const struct reboot_report *r, char **ret)
{
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        FILE *f;

        for (size_t i = 0; i < ELEMENTSOF(required); i++)
                if (!r->text[required[i]] || !*r->text[required[i]])
                        return -EINVAL;
        if (!trial_id_valid(r->text[REBOOT_ID]) || r->outcome >= _REBOOT_OUTCOME_MAX)
                return -EINVAL;
        for (size_t i = 0; i < _REBOOT_TEXT_MAX; i++)
                if (r->text[i] && strchr(r->text[i], '\n'))
                        return -EINVAL;
        f = open_memstream(&text, &len);
        if (!f)
                return -ENOMEM;
        fprintf(f, "%s\n", REBOOT_REPORT_MAGIC);
        for (size_t i = 0; i < _REBOOT_TEXT_MAX; i++)
                if (r->text[i])
                        fprintf(f, "%s=%s\n", text_keys[i], r->text[i]);
        for (size_t i = 0; i < _REBOOT_TIME_MAX; i++)
                if (r->time[i] >= 0)
                        fprintf(f, "%s=%" PRId64 "\n", time_keys[i], r->time[i]);
        fprintf(f, "outcome=%s\n", outcomes[r->outcome]);
        if (fclose(f) != 0)
                return -ENOMEM;
        if (len > REBOOT_REPORT_MAX)
                return -EINVAL;
        *ret = text;
        text = NULL;
        return 0;
}
