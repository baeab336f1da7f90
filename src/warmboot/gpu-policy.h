/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "holders.h"
#include "plan.h"
#include "rootdir.h"

/*
 * Which processes keep the GPU drivers from being unloaded, and what warmboot does about
 * them: stop their unit (known daemons and StopUnits=), let the isolate end them, or refuse
 * unless --kill. Used by plan (the "holders" check) and by the preparation, which scans
 * again after the isolate.
 */

/* Daemon units known to hold GPU devices, stopped before the drivers are unloaded. */
extern const char *const known_holder_units[];
/* Whether warmboot stops this unit when it holds a device: known, or configured. */
bool plan_stops_unit(const struct plan *p, const char *unit);
/* Whether a process holding this device keeps one of the plan's modules busy: the device's
 * driver (read from sysfs by the scan) is to be unloaded, or the driver cannot be told. */
bool plan_device_matters(const struct plan *p, const struct holder *h);
