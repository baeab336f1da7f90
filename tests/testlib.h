/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "systemd-bus.h"

/* What a crafted kernel image looks like. */
struct fake_image {
        const char *release;   /* NULL: no kernel_version string */
        uint16_t protocol;     /* default 0x020f */
        uint16_t xloadflags;   /* default 3: 64-bit, above 4 GiB */
        uint8_t relocatable;   /* default 1 */
        uint32_t cmdline_size; /* default 2047 */
        bool pe;               /* an EFI stub header */
        bool signature;        /* and a certificate table */
        bool defaults_off;     /* take the zeros above literally */
};

/* Builds an image of at least 8 KiB in *ret (caller frees). */
size_t fake_image_build(const struct fake_image *spec, uint8_t **ret);

/* A unified kernel image: a PE file whose .linux is a crafted image of release (signed or
 * not), with .osrel, .uname, .cmdline, .ucode and .initrd holding the given texts (NULL:
 * no such section). */
struct fake_uki {
        const char *release;
        bool linux_signed;
        const char *osrel, *cmdline, *ucode, *initrd;
};
size_t fake_uki_build(const struct fake_uki *spec, uint8_t **ret);

/*
 * Copies tests/fixtures/NAME into a new temporary directory and returns its path. Files
 * that start with "WARMBOOT-TEST-IMAGE key=value..." become crafted kernel images (keys:
 * release, protocol, xloadflags, cmdline_size, signed); "WARMBOOT-TEST-UKI release=R" files
 * become UKIs whose other sections come from the lines that follow ("osrel=...",
 * "cmdline=...", "ucode=...", "initrd=..."). Other files are copied byte for byte, symbolic
 * links as links.
 */
char *fixture_materialise(const char *name);
/* Makes an empty temporary directory. */
char *fixture_empty(void);
void fixture_remove(char *dir);
/* Writes text to DIR/PATH, creating parent directories. */
void fixture_write(const char *dir, const char *path, const char *text);
/* The same for one of warmboot's state files ("run/warmboot/journal"): the file 0600 and the
 * directory holding it 0700, as warmboot keeps them. */
void fixture_write_private(const char *dir, const char *path, const char *text);
/* The same for len bytes of anything. */
void fixture_write_bytes(const char *dir, const char *path, const void *data, size_t len);
/* A whole file as a string (NULL when it cannot be read). Caller frees. */
char *fixture_read(const char *path);
/* A whole file, NULs and all, with a NUL after it (NULL when it cannot be read). */
uint8_t *fixture_read_bytes(const char *path, size_t *ret_len);

/* The recording seam. */
#define FAKE_CALLS_MAX 32
struct fake_call {
        char what[32];     /* "kexec_file_load", "unload", "sync", "reboot", "KExec", ... */
        char kernel[4096]; /* path behind the kernel descriptor */
        char initrd[4096]; /* path behind the initrd descriptor, "" for none */
        char cmdline[4096];
        unsigned long flags;
        char initrd_bytes[64]; /* start of the initrd's content */
};
extern struct fake_call fake_calls[FAKE_CALLS_MAX];
extern size_t fake_n_calls;
extern int fake_load_result, fake_reboot_result;
extern bool fake_can_boot;
/* Module removal fails with -EBUSY for this name; insertion for this one. */
extern const char *fake_busy_module, *fake_uninsertable_module;
/* Remounting this mount point read-only fails with -EBUSY. */
extern const char *fake_busy_mount;
/* Processes that ignore SIGTERM (but not SIGKILL). */
extern int fake_stubborn_pid;
/* The boot loaders' files are changed in the fixture, and recorded as "replace NAME",
 * "create NAME" or "remove NAME"; the step fake_failing_file names fails with
 * fake_file_result (-EROFS unless set) and changes nothing. */
extern const char *fake_failing_file;
extern int fake_file_result;
/* The run journal (/run/warmboot/journal) is written into the fixture, but recorded only
 * with fake_trace_journal: each write as "journal " and its last line, the step about to be
 * taken ("journal removed_module=nvidia_drm"), and "remove journal". "write journal" as
 * fake_failing_file makes its writes fail. */
extern bool fake_trace_journal;
/* The watchdog device: recorded as "wdt-open /dev/watchdog0", "wdt-ioctl GETSUPPORT",
 * "wdt-ioctl SETTIMEOUT 600", "wdt-ioctl KEEPALIVE", "wdt-ioctl SETOPTIONS 0x1",
 * "wdt-write V", "wdt-close". The open fails with fake_watchdog_open_result when < 0
 * (-EBUSY: systemd holds it); SETTIMEOUT fails with fake_watchdog_settimeout_result, or
 * answers fake_watchdog_timeout_set when not 0 (the driver rounds); SETOPTIONS answers
 * fake_watchdog_disable_result; GETSUPPORT answers fake_watchdog_options (WDIOF_SETTIMEOUT,
 * KEEPALIVEPING and MAGICCLOSE unless set). */
extern int fake_watchdog_open_result, fake_watchdog_timeout_set, fake_watchdog_settimeout_result;
extern int fake_watchdog_disable_result;
/* systemd's watchdog settings as the fake manager answers them (set_manager_usec records
 * "set KExecWatchdogUSec N" and keeps the value), start_reboot ("start reboot.target"),
 * and the last journal entry ("journal MESSAGE_ID"; its "PRIORITY MESSAGE" here). */
extern uint64_t fake_runtime_watchdog_usec, fake_kexec_watchdog_usec;
extern int fake_start_reboot_result;
extern char fake_journal_message[1024];
extern unsigned fake_watchdog_options;
/* The time the code under test asked to sleep, summed. */
extern unsigned fake_slept_ms;
/* The fixture the fakes act on: stopping a unit or ending a process removes its /proc/PID
 * there (isolating a non-graphical target ends session scopes), so rescans see what a real
 * machine would. NULL: the fakes only record. */
extern const char *fake_root_dir;
/* D-Bus: how the manager is reached (fake_route_result < 0: it cannot be), whether
 * graphical.target is active, and results of the jobs and of KExec(). */
extern enum systemd_route fake_route;
extern int fake_route_result;
extern bool fake_graphical;
extern int fake_isolate_result, fake_stop_result, fake_kexec_result, fake_kexec_forced_result;
/* The time-out of each start_unit call, in order (the first 8). */
extern unsigned fake_start_timeouts[8];
extern size_t fake_n_starts;
extern char **fake_inhibitors;
/* Right after recording this step ("rmmod virtio_gpu", "kill 60 15"), the fake raises
 * fake_signal, as a user's Ctrl-C or a kill(1) would. */
extern const char *fake_signal_at;
extern int fake_signal;
/* The calls in order, one word each plus arguments, e.g. "rmmod nvidia" or
 * "start multi-user.target isolate": joined with '|'. Caller frees. */
char *fake_trace(void);
void fake_reset(void);
void fake_install(void);

/* A program run to its end, with what it wrote. */
struct program_result {
        int status; /* exit status, or 128 + the signal that ended it */
        char *out, *err;
};

/* Runs argv[0] (a path) with argv, standard output and error caught in temporary files.
 * Returns .out and .err NULL only when they could not be read back. */
struct program_result program_run(char *const *argv);
void program_result_done(struct program_result *r);

/* Runs a verb with its standard error caught in *ret_err (caller frees); returns its exit
 * code. */
struct verb_context;
int verb_capturing_stderr(int (*verb)(const struct verb_context *), const struct verb_context *c,
                          char **ret_err);
/* The same with standard output caught. */
int verb_capturing_stdout(int (*verb)(const struct verb_context *), const struct verb_context *c,
                          char **ret_out);
/* Copies the fixture name's directory sub (e.g. "sys") over dir/sub. */
void fixture_overlay(const char *dir, const char *name, const char *sub);

/* got is want with the trial's parameters after it: panic=10 (unless want has its own
 * panic=) and warmboot.trial=ID, ID 32 hex digits. */
void assert_trial_cmdline(const char *got, const char *want);
