/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TEST DOUBLE of the NVIDIA driver's shape, NOT the NVIDIA driver: no GPU is driven, nothing
 * of NVIDIA's code is here. These modules only have NVIDIA's module names, the links between
 * them (which module uses which one's symbols) and device nodes of the same names, so that
 * tests/vm/nvidia.sh can show warmboot unloading that stack in a real kernel.
 *
 * The symbols the doubles export to each other, as the real modules do (nvidia_modeset and
 * nvidia_uvm use nvidia's, nvidia_drm uses nvidia_modeset's, nvidia_peermem nvidia's).
 */
#ifndef NVIDIA_SHAPED_H
#define NVIDIA_SHAPED_H

struct device;

/* "MODULE (test double ...) loaded|unloaded" in the kernel log: the host reads the order */
#define nv_shaped_say(what) \
	pr_info("%s (test double of the NVIDIA driver's shape) %s\n", KBUILD_MODNAME, what)

/* exported by nvidia: a module of the stack says it uses the "GPU" */
int nv_shaped_client_register(const char *name);
void nv_shaped_client_unregister(const char *name);
/* exported by nvidia: the device the "GPU" is (a platform device bound to nvidia's driver) */
struct device *nv_shaped_gpu(void);

/* exported by nvidia_modeset: the GPU it drives displays on, for nvidia_drm */
struct device *nvkms_shaped_gpu(void);
int nvkms_shaped_client_register(const char *name);
void nvkms_shaped_client_unregister(const char *name);

#endif
