// SPDX-License-Identifier: GPL-2.0
/*
 * nvidia-drm.ko: a TEST DOUBLE of the NVIDIA driver's shape, NOT the NVIDIA driver (see
 * nvidia-shaped.h). Like the real nvidia_drm it uses nvidia_modeset's symbols and drm's, and
 * registers a DRM device (/dev/dri/cardN) on the GPU device that nvidia drives, so the card's
 * sysfs device has nvidia as its driver, as on a machine with the real driver. Opening the
 * card holds this module (the DRM file operations' .owner).
 */
#include <linux/module.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>

#include "nvidia-shaped.h"

DEFINE_DRM_GEM_FOPS(nvdrm_fops);

static const struct drm_driver nvdrm_driver = {
	.driver_features = DRIVER_GEM,
	.fops = &nvdrm_fops,
	.name = "nvidia-drm",
	.desc = "test double of the NVIDIA driver's shape",
	.date = "20261201",
	.major = 0,
	.minor = 1,
};

static struct drm_device *card;

static int __init nvdrm_init(void)
{
	int err;

	err = nvkms_shaped_client_register("nvidia_drm");
	if (err)
		return err;
	card = drm_dev_alloc(&nvdrm_driver, nvkms_shaped_gpu());
	if (IS_ERR(card)) {
		err = PTR_ERR(card);
		goto fail;
	}
	err = drm_dev_register(card, 0);
	if (err) {
		drm_dev_put(card);
		goto fail;
	}
	nv_shaped_say("loaded");
	return 0;

fail:
	nvkms_shaped_client_unregister("nvidia_drm");
	return err;
}

static void __exit nvdrm_exit(void)
{
	drm_dev_unregister(card);
	drm_dev_put(card);
	nvkms_shaped_client_unregister("nvidia_drm");
	nv_shaped_say("unloaded");
}

module_init(nvdrm_init);
module_exit(nvdrm_exit);
MODULE_DESCRIPTION("TEST DOUBLE of the NVIDIA driver's shape (nvidia_drm), not the NVIDIA driver: warmboot's VM test");
MODULE_LICENSE("GPL");
