// SPDX-License-Identifier: GPL-2.0
/*
 * nvidia.ko: a TEST DOUBLE of the NVIDIA driver's shape, NOT the NVIDIA driver (see
 * nvidia-shaped.h). It drives nothing. Like the real nvidia module it is the bottom of the
 * stack: it exports symbols the other modules use, gives /dev/nvidia0 and /dev/nvidiactl, and
 * is the driver of the "GPU" device the DRM card sits on (here a platform device, where the
 * real one is the PCI device). An open device node holds the module, so rmmod fails while a
 * process has it open, as with the real driver.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>

#include "nvidia-shaped.h"

static DEFINE_MUTEX(clients_lock);
static unsigned int clients;
static struct platform_device *gpu;

int nv_shaped_client_register(const char *name)
{
	mutex_lock(&clients_lock);
	clients++;
	mutex_unlock(&clients_lock);
	pr_info("nvidia (test double): %s attached\n", name);
	return 0;
}
EXPORT_SYMBOL_GPL(nv_shaped_client_register);

void nv_shaped_client_unregister(const char *name)
{
	mutex_lock(&clients_lock);
	clients--;
	mutex_unlock(&clients_lock);
	pr_info("nvidia (test double): %s detached\n", name);
}
EXPORT_SYMBOL_GPL(nv_shaped_client_unregister);

struct device *nv_shaped_gpu(void)
{
	return &gpu->dev;
}
EXPORT_SYMBOL_GPL(nv_shaped_gpu);

/* Nothing to read or write: opening is enough to hold the module (.owner). */
static const struct file_operations nv_fops = {
	.owner = THIS_MODULE,
	.llseek = noop_llseek,
};

static struct miscdevice nv_gpu_node = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "nvidia0",
	.fops = &nv_fops,
	.mode = 0666,
};

static struct miscdevice nv_ctl_node = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "nvidiactl",
	.fops = &nv_fops,
	.mode = 0666,
};

static int nv_probe(struct platform_device *pdev)
{
	return 0;
}

static struct platform_driver nv_driver = {
	.probe = nv_probe,
	.driver = { .name = "nvidia" },
};

static int __init nv_init(void)
{
	int err;

	err = platform_driver_register(&nv_driver);
	if (err)
		return err;
	gpu = platform_device_register_simple("nvidia", 0, NULL, 0);
	if (IS_ERR(gpu)) {
		err = PTR_ERR(gpu);
		goto fail_driver;
	}
	err = misc_register(&nv_gpu_node);
	if (err)
		goto fail_device;
	err = misc_register(&nv_ctl_node);
	if (err)
		goto fail_gpu_node;
	nv_shaped_say("loaded");
	return 0;

fail_gpu_node:
	misc_deregister(&nv_gpu_node);
fail_device:
	platform_device_unregister(gpu);
fail_driver:
	platform_driver_unregister(&nv_driver);
	return err;
}

static void __exit nv_exit(void)
{
	misc_deregister(&nv_ctl_node);
	misc_deregister(&nv_gpu_node);
	platform_device_unregister(gpu);
	platform_driver_unregister(&nv_driver);
	WARN_ON(clients);
	nv_shaped_say("unloaded");
}

module_init(nv_init);
module_exit(nv_exit);
MODULE_DESCRIPTION("TEST DOUBLE of the NVIDIA driver's shape (nvidia), not the NVIDIA driver: warmboot's VM test");
MODULE_LICENSE("GPL");
