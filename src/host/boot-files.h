/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "bzimage.h"
#include "rootdir.h"

/* What the machine shows of a kernel or initrd file, read once so that the checks decide
 * on it without going back to the machine. */
struct file_facts {
        int open_err; /* why it cannot be opened for reading (negative errno), else 0 */
        bool regular;
        uint64_t size;
};

void file_facts_read(const struct root *r, const char *path, struct file_facts *ret);

/* A kernel image: the file, and the boot header of the image itself or of a UKI's .linux. */
struct kernel_image {
        struct file_facts file;
        int read_err;               /* reading the header (or the UKI's sections) failed */
        enum bzimage_status status; /* of the boot header; info is valid for BZIMAGE_OK */
        struct bzimage_info info;
        uint64_t image_size; /* the bytes of the image: the file, or the .linux section */
};

/* Reads the facts of the kernel at path (a UKI when uki). Only the reading of the file is
 * recorded as a problem in ret; the return value is 0 or -ENOMEM. */
int kernel_image_read(const struct root *r, const char *path, bool uki, struct kernel_image *ret);
