/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdio.h>

#include "boot-files.h"
#include "bzimage.h"
#include "config.h"
#include "holders.h"
#include "machine-state.h"
#include "oneshot.h"
#include "reboot-report.h"
#include "watchdog.h"
#include "rootdir.h"

enum check_status { CHECK_PASS, CHECK_WARN, CHECK_FAIL };

struct check {
        const char *name;
        enum check_status status;
        char *detail;
};

/* What the user asked for on the command line. */
struct plan_options {
        const char *entry; /* --entry ID|TITLE|INDEX */
        bool use_default;  /* --default: what the boot loader would boot */
        bool latest;       /* --latest: the highest installed version */
        const char *kernel;
        char **initrds;
        bool no_initrd;
        const char *cmdline;
        char **append;
        char **remove;
        char **unload; /* --unload: more modules to unload */
        char **keep;   /* --keep: modules never to unload */
        bool kill;     /* --kill: end processes that hold the devices */
        bool ignore_inhibitors;
        bool allow_passphrase_prompt; /* the disk-unlock check warns instead of failing */
        bool now;           /* no orderly shutdown: systemd's forced kexec, or warmboot's own */
        bool ask_systemd;   /* the root is this machine: ask its systemd over D-Bus */
        bool prepare;       /* the verb prepares the machine: modules, holders, inhibitors */
        bool no_trial;      /* --no-trial: no panic=, no watchdog, no confirmation */
        bool fallback_cold; /* --fallback-cold: a firmware reboot when warm is impossible */
};

/* The unit that confirms a trial in the new boot, and the parameter that names the trial. */
#define CONFIRM_UNIT "warmboot-confirm.service"
#define TRIAL_PARAM "warmboot.trial"

/*
 * The new kernel on trial ([Trial] in the configuration): panic=N so that a panic reboots
 * through the firmware into the boot loader's default, the hardware watchdog armed across
 * the jump where it survives kexec, and warmboot.trial=ID, which the new boot confirms.
 */
struct trial {
        bool on;                    /* not --no-trial */
        char id[TRIAL_ID_LEN + 1];  /* lower-case hex */
        unsigned panic_sec;         /* panic=N added; 0: none (PanicSec=0, or the line's own) */
        char *line_panic;           /* the line's own panic= value, if it has one */
        bool confirm_unit;          /* systemd is PID 1 and CONFIRM_UNIT is installed */
        struct watchdog *watchdogs; /* /sys/class/watchdog */
        size_t n_watchdogs;
        const struct watchdog *watchdog; /* the one warmboot uses: watchdog0; NULL: none */
        int stop_on_reboot;              /* the kernel's watchdog.stop_on_reboot, or -errno */
        bool survives;                   /* it keeps counting through the kexec */
        const char *survives_why;        /* why (or why not), static */
        bool systemd_drives;             /* PID 1 holds it open (RuntimeWatchdogSec=) */
        unsigned arm_sec;                /* armed for this long before the hand-over; 0: not */
};

/* systemd as PID 1 stops the units (kexec.target), or with --now ends every process itself
 * (its forced kexec); without systemd, warmboot's own shutdown. */
enum handover { HANDOVER_SYSTEMD, HANDOVER_FORCED, HANDOVER_DIRECT };

/*
 * Everything warmboot would do, decided before anything changes. Paths are as the target
 * machine sees them. Built by plan_build() whatever the checks say, so that plan can show
 * a failing plan in full.
 */
struct plan {
        struct host_state host;
        char *kernel;
        char *source;
        char **initrds;
        char *cmdline;
        char *entry_cmdline;       /* the chosen boot entry's own command line, if it has one */
        char *entry_file;          /* and the file it came from (a BLS entry, grub.cfg) */
        bool uki;                  /* kernel is a UKI: .linux, .ucode and .initrd come from it */
        enum oneshot_kind oneshot; /* --default took a one-shot choice: used up with the boot */
        char *oneshot_path;        /* the file that holds it (grubenv, the EFI variable) */
        struct kernel_image kernel_image; /* the kernel file as read */
        struct file_facts *initrd_files;  /* parallel to initrds */
        bool have_image;                  /* kernel_image has a valid boot header: */
        struct bzimage_info image;        /* that header */
        enum handover handover;
        bool system_bus; /* systemd was reached over the system bus: logind can be asked */
        bool privileged;
        struct config config;
        char **modules;         /* to unload, in order */
        bool isolate;           /* a graphical target runs: isolate config.isolate_target */
        struct holder *holders; /* processes holding the devices of those modules */
        size_t n_holders;
        char **stop_units; /* units among the holders' that warmboot stops */
        struct check *checks;
        size_t n_checks;
        /* Set by plan and reboot (reuse.h), not by plan_build(): whether the kernel loaded
         * ahead with `warmboot load` is used, and why (or why not). */
        struct trial trial;
        bool reuse_decided;
        bool reuse;
        char *reuse_why;
};

int plan_build(const struct root *r, const struct plan_options *o, struct plan *ret);
/* Why loading or handing over is refused without CAP_SYS_BOOT, one sentence. */
extern const char plan_needs_root[];
void plan_done(struct plan *p);

bool plan_has_failure(const struct plan *p);
const struct check *plan_find_check(const struct plan *p, const char *name);

/* Prints the plan as text or as one JSON object: the same fields either way. -ENOMEM. */
int plan_print(const struct plan *p, bool json, FILE *f);

const char *check_status_to_string(enum check_status s);

/* Whether PID 1 drives the hardware watchdog (RuntimeWatchdogSec= set): asked over D-Bus. */
bool systemd_runtime_watchdog(void);
/* A fresh trial id: 128 random bits in hex. */
int trial_id_new(char ret[TRIAL_ID_LEN + 1]);
/* The value of warmboot.trial= on a command line (caller frees); NULL when absent. */
char *trial_id_of(const char *cmdline);
/* Whether two command lines are the same but for the value of warmboot.trial= (both have
 * one, or neither). */
bool cmdline_same_but_trial(const char *a, const char *b);

const char *handover_to_string(enum handover h);

/* The default command line: the running one without the parameters that described the old
 * boot (BOOT_IMAGE=, initrd=, warmboot.trial=), then the user's edits. */
int plan_compose_cmdline(const char *current, const struct plan_options *o, char **ret);
