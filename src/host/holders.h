/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <sys/types.h>

#include "rootdir.h"

/* A process that keeps a GPU driver's device open or mapped. */
struct holder {
        pid_t pid;
        char *comm;        /* /proc/PID/comm */
        char *unit;        /* systemd unit from /proc/PID/cgroup ("gdm.service"), NULL if none */
        char *device;      /* the first device seen, "/dev/dri/card0" */
        char *driver;      /* the module behind it, from sysfs ("amdgpu"); NULL when unknown */
        bool user_manager; /* unit is a unit of a user's manager (under user@UID.service) */
};

/* Whether path is a device of the drivers warmboot unloads: /dev/nvidiaN, /dev/nvidiactl and
 * the other /dev/nvidia- nodes, anything under /dev/nvidia-caps/ and /dev/dri/, /dev/kfd,
 * /dev/fbN. */
bool holder_device_match(const char *path);

/*
 * Scans /proc/PID/fd/N (link targets) and /proc/PID/maps (mapped paths) of every process
 * through the root, and the driver module of the device each holds (sysfs: the device's
 * driver/module link; a virtio transport stands for the GPU below it; /dev/nvidia* is
 * nvidia's, /dev/kfd amdgpu's). Processes that vanish during the scan are skipped; self_pid
 * is left out. Sorted by pid. Returns 0 with *ret (array) and *ret_n set.
 */
int holders_scan(const struct root *r, pid_t self_pid, struct holder **ret, size_t *ret_n);
void holder_done(struct holder *h);
void holders_free(struct holder *h, size_t n);
