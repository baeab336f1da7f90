// SPDX-License-Identifier: GPL-2.0
/*
 * nvidia-modeset.ko: a TEST DOUBLE of the NVIDIA driver's shape, NOT the NVIDIA driver (see
 * nvidia-shaped.h). Like the real nvidia_modeset it uses nvidia's symbols, exports symbols
 * nvidia_drm uses, and gives /dev/nvidia-modeset; an open node holds the module.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "nvidia-shaped.h"

struct device *nvkms_shaped_gpu(void)
{
	return nv_shaped_gpu();
}
EXPORT_SYMBOL_GPL(nvkms_shaped_gpu);

int nvkms_shaped_client_register(const char *name)
{
	pr_info("nvidia_modeset (test double): %s attached\n", name);
	return 0;
}
EXPORT_SYMBOL_GPL(nvkms_shaped_client_register);

void nvkms_shaped_client_unregister(const char *name)
{
	pr_info("nvidia_modeset (test double): %s detached\n", name);
}
EXPORT_SYMBOL_GPL(nvkms_shaped_client_unregister);

static const struct file_operations nvkms_fops = {
	.owner = THIS_MODULE,
	.llseek = noop_llseek,
};

static struct miscdevice nvkms_node = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "nvidia-modeset",
	.fops = &nvkms_fops,
	.mode = 0666,
};

static int __init nvkms_init(void)
{
	int err;

	err = nv_shaped_client_register("nvidia_modeset");
	if (err)
		return err;
	err = misc_register(&nvkms_node);
	if (err) {
		nv_shaped_client_unregister("nvidia_modeset");
		return err;
	}
	nv_shaped_say("loaded");
	return 0;
}

static void __exit nvkms_exit(void)
{
	misc_deregister(&nvkms_node);
	nv_shaped_client_unregister("nvidia_modeset");
	nv_shaped_say("unloaded");
}

module_init(nvkms_init);
module_exit(nvkms_exit);
MODULE_DESCRIPTION("TEST DOUBLE of the NVIDIA driver's shape (nvidia_modeset), not the NVIDIA driver: warmboot's VM test");
MODULE_LICENSE("GPL");
