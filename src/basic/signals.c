/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <signal.h>
#include <stdbool.h>
#include <time.h>

#include "signals.h"
#include "util.h"

/*
 * SIGINT and SIGTERM are blocked, not caught: no system call warmboot or libsystemd makes is
 * ever cut short with EINTR, and the steps look for a pending request between their waits.
 */
static sigset_t stop_set;
static int requested;
static bool guarded, held;

void signals_guard(void)
{
        static const int stop_signals[] = {SIGINT, SIGTERM};

        signal(SIGHUP, SIG_IGN);
        signal(SIGPIPE, SIG_IGN);
        sigemptyset(&stop_set);
        for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++) {
                struct sigaction old;

                if (sigaction(stop_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
                        continue;
                sigaddset(&stop_set, stop_signals[i]);
        }
        (void)sigprocmask(SIG_BLOCK, &stop_set, NULL);
        guarded = true;
}

/* Takes a pending SIGINT or SIGTERM off the queue and remembers it. */
static void collect(void)
{
        static const struct timespec no_wait = {};

        if (!guarded)
                return;
        for (;;) {
                int sig = sigtimedwait(&stop_set, NULL, &no_wait);
                if (sig <= 0)
                        break;
                requested = sig;
        }
}

int signals_stop_requested(void)
{
        collect();
        return held ? 0 : requested;
}

int signals_check(const char *before, char **ret_why)
{
        int sig = signals_stop_requested();

        if (sig == 0)
                return 0;
        if (ret_why)
                *ret_why = before ? strdup_printf("interrupted by SIG%s before %s",
                                                  sigabbrev_np(sig), before)
                                  : strdup_printf("interrupted by SIG%s", sigabbrev_np(sig));
        return -EINTR;
}

void signals_hold(void)
{
        held = true;
}

int signals_received(void)
{
        collect();
        return requested;
}

void signals_reset(void)
{
        if (guarded)
                (void)sigprocmask(SIG_UNBLOCK, &stop_set, NULL);
        requested = 0;
        guarded = held = false;
}

void signals_ignore_for_shutdown(void)
{
        static const int ignored[] = {SIGHUP, SIGPIPE, SIGTERM, SIGINT};

        for (size_t i = 0; i < ELEMENTSOF(ignored); i++)
                signal(ignored[i], SIG_IGN);
}

void signals_die_of(int sig)
{
        signal(sig, SIG_DFL);
        signals_reset();
        raise(sig);
}
