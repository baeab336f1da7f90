// SPDX-License-Identifier: GPL-2.0
/*
 * nvidia-uvm.ko: a TEST DOUBLE of the NVIDIA driver's shape, NOT the NVIDIA driver (see
 * nvidia-shaped.h). Like the real nvidia_uvm (CUDA's unified memory) it uses nvidia's symbols
 * and gives /dev/nvidia-uvm; an open node holds the module, as a CUDA process does.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "nvidia-shaped.h"

static const struct file_operations uvm_fops = {
	.owner = THIS_MODULE,
	.llseek = noop_llseek,
};

static struct miscdevice uvm_node = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "nvidia-uvm",
	.fops = &uvm_fops,
	.mode = 0666,
};

static int __init uvm_init(void)
{
	int err;

	err = nv_shaped_client_register("nvidia_uvm");
	if (err)
		return err;
	err = misc_register(&uvm_node);
	if (err) {
		nv_shaped_client_unregister("nvidia_uvm");
		return err;
	}
	nv_shaped_say("loaded");
	return 0;
}

static void __exit uvm_exit(void)
{
	misc_deregister(&uvm_node);
	nv_shaped_client_unregister("nvidia_uvm");
	nv_shaped_say("unloaded");
}

module_init(uvm_init);
module_exit(uvm_exit);
MODULE_DESCRIPTION("TEST DOUBLE of the NVIDIA driver's shape (nvidia_uvm), not the NVIDIA driver: warmboot's VM test");
MODULE_LICENSE("GPL");
