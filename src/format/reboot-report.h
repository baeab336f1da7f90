/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/*
 * What a warm reboot leaves in /var/lib/warmboot/last-reboot: written by `warmboot reboot`
 * just before the hand-over, completed by `warmboot confirm` in the boot that follows. A
 * text file, one KEY=VALUE a line after the first line "warmboot-reboot-report 1":
 *
 *   id=HEX32               the trial's nonce: warmboot.trial=ID on the new command line
 *   boot_id=UUID           the boot that asked for the reboot
 *   handover=KIND          systemd, forced, direct, or cold (--fallback-cold)
 *   kernel=PATH release=R cmdline=TEXT entry=TEXT
 *   fallback=TEXT          cold only: why warm was impossible
 *   watchdog=TEXT          what was done with the hardware watchdog, one sentence
 *   requested_at=USEC loaded_at=USEC prepared_at=USEC handover_at=USEC
 *                          CLOCK_REALTIME, microseconds: the command started, the kernel
 *                          was loaded, the machine prepared, the hand-over asked for
 *   firmware_usec=USEC     the last cold boot's firmware and boot loader time, if known
 *   outcome=pending|completed|fell-back|cold
 *   confirmed_boot_id=UUID kernel_start=USEC userspace_start=USEC ready_at=USEC
 *                          set by the boot that confirmed it (CLOCK_REALTIME)
 *   watchdog_after=TEXT    what the confirming boot did with the watchdog
 *
 * Keys appear at most once; those of times are optional (unknown: absent); values hold no
 * newline. id, boot_id, handover, kernel and outcome are required.
 */
#define REBOOT_REPORT_MAGIC "warmboot-reboot-report 1"
#define REBOOT_REPORT_MAX 65536u
#define TRIAL_ID_LEN 32

enum reboot_outcome {
        REBOOT_PENDING,
        REBOOT_COMPLETED,
        REBOOT_FELL_BACK,
        REBOOT_COLD,
        _REBOOT_OUTCOME_MAX,
};

enum reboot_time {
        REBOOT_REQUESTED,
        REBOOT_LOADED,
        REBOOT_PREPARED,
        REBOOT_HANDOVER,
        REBOOT_FIRMWARE, /* a duration, not a time */
        REBOOT_KERNEL_START,
        REBOOT_USERSPACE_START,
        REBOOT_READY,
        _REBOOT_TIME_MAX,
};

enum reboot_text {
        REBOOT_ID,
        REBOOT_BOOT_ID,
        REBOOT_HANDOVER_KIND,
        REBOOT_KERNEL,
        REBOOT_RELEASE,
        REBOOT_CMDLINE,
        REBOOT_ENTRY,
        REBOOT_FALLBACK,
        REBOOT_WATCHDOG,
        REBOOT_CONFIRMED_BOOT_ID,
        REBOOT_WATCHDOG_AFTER,
        _REBOOT_TEXT_MAX,
};

struct reboot_report {
        char *text[_REBOOT_TEXT_MAX];   /* NULL: absent */
        int64_t time[_REBOOT_TIME_MAX]; /* -1: unknown */
        enum reboot_outcome outcome;
};

/* An empty report: no text, every time unknown, pending. */
void reboot_report_init(struct reboot_report *r);
void reboot_report_done(struct reboot_report *r);
/* Replaces one text field with a copy of value (NULL clears it): 0 or -ENOMEM. */
int reboot_report_set(struct reboot_report *r, enum reboot_text k, const char *value);

const char *reboot_outcome_to_string(enum reboot_outcome o);

/* Whether s is a trial id: TRIAL_ID_LEN lower-case hex digits. */
bool trial_id_valid(const char *s);

/* Parses a report: 0, -EBADMSG when it is not a valid report of this version, -ENOMEM. */
int reboot_report_parse(const char *text, struct reboot_report *ret);
/* The text of a report: -EINVAL when a required field is missing or a value holds a
 * newline, -ENOMEM. Caller frees. */
int reboot_report_format(const struct reboot_report *r, char **ret);
