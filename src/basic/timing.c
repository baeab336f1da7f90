/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "timing.h"

static bool enabled;
static double last_wall, last_cpu; /* seconds: CLOCK_BOOTTIME, user + system */

static double boottime(void)
{
        struct timespec ts;

        if (clock_gettime(CLOCK_BOOTTIME, &ts) < 0)
                return 0;
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
        struct rusage ru;

        if (getrusage(RUSAGE_SELF, &ru) < 0)
                return 0;
        return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* When this process was started, on CLOCK_BOOTTIME: field 22 of /proc/self/stat, in clock
 * ticks. The current time when it cannot be read. */
static double started_at(void)
{
        char buf[1024], *p;
        unsigned long long ticks;
        long hz = sysconf(_SC_CLK_TCK);
        FILE *f = fopen("/proc/self/stat", "re");
        size_t n;

        if (!f)
                return boottime();
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = '\0';
        /* The command name in field 2 may hold spaces and parentheses: count from its
         * last ')'. Field 3 follows it, so the start time is the 20th field after it. */
        p = strrchr(buf, ')');
        if (!p || hz <= 0)
                return boottime();
        for (int field = 2; field < 22 && p; field++)
                p = strchr(p + 1, ' ');
        if (!p || sscanf(p, " %llu", &ticks) != 1)
                return boottime();
        return (double)ticks / (double)hz;
}

void timing_init(void)
{
        const char *v = getenv("WARMBOOT_TIMING");

        enabled = v && strcmp(v, "1") == 0;
        if (!enabled)
                return;
        last_wall = started_at();
        last_cpu = 0;
}

void timing_mark(const char *phase)
{
        double wall, cpu;

        if (!enabled)
                return;
        wall = boottime();
        cpu = cpu_seconds();
        fprintf(stderr, "warmboot: timing: %s %.1f ms, cpu %.1f ms, at %.3f s\n", phase,
                (wall - last_wall) * 1e3, (cpu - last_cpu) * 1e3, wall);
        fflush(stderr);
        last_wall = wall;
        last_cpu = cpu;
}
