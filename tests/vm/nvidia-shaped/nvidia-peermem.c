// SPDX-License-Identifier: GPL-2.0
/*
 * nvidia-peermem.ko: a TEST DOUBLE of the NVIDIA driver's shape, NOT the NVIDIA driver (see
 * nvidia-shaped.h). Like the real nvidia_peermem (GPUDirect RDMA) it uses nvidia's symbols and
 * has no device node of its own. (The real one also links to ib_core; this one does not.)
 */
#include <linux/module.h>

#include "nvidia-shaped.h"

static int __init peermem_init(void)
{
	int err = nv_shaped_client_register("nvidia_peermem");

	if (!err)
		nv_shaped_say("loaded");
	return err;
}

static void __exit peermem_exit(void)
{
	nv_shaped_client_unregister("nvidia_peermem");
	nv_shaped_say("unloaded");
}

module_init(peermem_init);
module_exit(peermem_exit);
MODULE_DESCRIPTION("TEST DOUBLE of the NVIDIA driver's shape (nvidia_peermem), not the NVIDIA driver: warmboot's VM test");
MODULE_LICENSE("GPL");
