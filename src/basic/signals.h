/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Signals while reboot changes the machine. A warm reboot started from a terminal in the
 * graphical session loses that terminal when the display stops: the hang-up must not end
 * warmboot half-way, with the kernel loaded and the drivers gone. So from signals_guard()
 * on, SIGHUP and SIGPIPE are ignored, and SIGINT and SIGTERM are held back as a request to
 * stop: each step that can be undone, and each wait, asks signals_stop_requested(), and a
 * request puts the machine back. A signal ignored when warmboot started (a background job
 * of a non-interactive shell) stays ignored.
 */

/* Installs the dispositions above. */
void signals_guard(void);

/* SIGINT or SIGTERM when one arrived since signals_guard() and requests are still honoured,
 * else 0. */
int signals_stop_requested(void);

/* 0, or -EINTR when a request is pending, with *ret_why (when not NULL) set to
 * "interrupted by SIGxxx before <before>" (or without the "before" part for NULL). */
int signals_check(const char *before, char **ret_why);

/* Requests are recorded but no longer stop anything: the machine is being put back, or the
 * hand-over is under way, and either must run to its end. */
void signals_hold(void);

/* The last SIGINT or SIGTERM received, held or not, else 0. */
int signals_received(void);

/* Forgets requests, honours them again and unblocks the signals (tests, and main before
 * dying of the signal). */
void signals_reset(void);

/* warmboot's own shutdown ends every process, the terminal or pipe it reports to and the
 * service or shell that started it among them, whose hang-up or SIGTERM (systemd stopping
 * the caller's unit) must not stop the shutdown half-way: SIGHUP, SIGPIPE, SIGTERM and
 * SIGINT are ignored from here on. */
void signals_ignore_for_shutdown(void);

/* Ends this process by sig with the default action, as an interrupted command ends, so
 * that the shell or script that ran it sees the signal. Returns only when sig does not
 * end a process. */
void signals_die_of(int sig);
