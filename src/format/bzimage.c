/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "bzimage.h"
#include "unaligned.h"
#include "util.h"

/* Offsets from Documentation/arch/x86/boot.rst. */
#define OFF_SETUP_SECTS 0x1f1
#define OFF_SYSSIZE 0x1f4
#define OFF_BOOT_FLAG 0x1fe
#define OFF_HEADER 0x202
#define OFF_VERSION 0x206
#define OFF_KERNEL_VERSION 0x20e
#define OFF_LOADFLAGS 0x211
#define OFF_RELOCATABLE 0x234
#define OFF_XLOADFLAGS 0x236
#define OFF_CMDLINE_SIZE 0x238
#define HEADER_END 0x23c

#define LOADED_HIGH 0x01
#define XLF_KERNEL_64 0x01
#define XLF_CAN_BE_LOADED_ABOVE_4G 0x02

#define EM_X86_64 62

static const uint8_t elf_magic[4] = {0x7f, 'E', 'L', 'F'};

static void parse_pe(const uint8_t *buf, size_t len, struct bzimage_info *info)
{
        uint32_t pe, opt, dirs, count;
        uint16_t magic;

        if (len < 0x40 || buf[0] != 'M' || buf[1] != 'Z')
                return;
        pe = read_le32(buf + 0x3c);
        if (pe > len || len - pe < 24 + 2 || memcmp(buf + pe, "PE\0\0", 4) != 0)
                return;
        info->pe = true;
        opt = pe + 24;
        magic = read_le16(buf + opt);
        if (magic == 0x20b) { /* PE32+ */
                count = opt + 108;
                dirs = opt + 112;
        } else if (magic == 0x10b) {
                count = opt + 92;
                dirs = opt + 96;
        } else
                return;
        /* Entry 4 of the data directories is the certificate table. */
        if ((size_t)dirs + 5 * 8 > len || read_le32(buf + count) < 5)
                return;
        info->signature = read_le32(buf + dirs + 4 * 8 + 4) != 0;
}

/* What a file without an x86 boot header is, when its first bytes tell: another
 * architecture's kernel Image (arm64's and RISC-V's carry a magic at 0x38) or an ELF file (a
 * vmlinux, or a program), which kexec_file_load does not boot on x86. Else otherwise. */
static enum bzimage_status not_a_bzimage(const uint8_t *buf, size_t len,
                                         enum bzimage_status otherwise)
{
        if (len >= 0x40 &&
            (memcmp(buf + 0x38, "ARM\x64", 4) == 0 || memcmp(buf + 0x38, "RSC\x05", 4) == 0))
                return BZIMAGE_OTHER_ARCH;
        if (len >= 20 && memcmp(buf, elf_magic, sizeof(elf_magic)) == 0) {
                /* e_machine, in the file's own byte order (EI_DATA 2: big-endian) */
                uint16_t machine =
                        buf[5] == 2 ? (uint16_t)(buf[18] << 8 | buf[19]) : read_le16(buf + 18);
                return machine == EM_X86_64 ? BZIMAGE_ELF : BZIMAGE_OTHER_ARCH_ELF;
        }
        return otherwise;
}

enum bzimage_status bzimage_parse(const uint8_t *buf, size_t len, struct bzimage_info *ret)
{
        struct bzimage_info info = {};
        uint16_t kv;

        if (len < HEADER_END)
                return not_a_bzimage(buf, len, BZIMAGE_TRUNCATED);
        if (read_le16(buf + OFF_BOOT_FLAG) != 0xaa55 || memcmp(buf + OFF_HEADER, "HdrS", 4) != 0)
                return not_a_bzimage(buf, len, BZIMAGE_NO_MAGIC);

        info.protocol = read_le16(buf + OFF_VERSION);
        /* The real-mode setup (setup_sects, 0 meaning 4, plus the boot sector), then the
         * protected-mode payload in 16-byte units (syssize, 32 bits from protocol 2.04). */
        {
                uint64_t setup = buf[OFF_SETUP_SECTS] ? buf[OFF_SETUP_SECTS] : 4;
                uint64_t sys = info.protocol >= 0x0204 ? read_le32(buf + OFF_SYSSIZE)
                                                       : read_le16(buf + OFF_SYSSIZE);
                info.min_size = (setup + 1) * 512 + sys * 16;
        }
        info.loadflags = buf[OFF_LOADFLAGS];
        if (info.protocol >= 0x0205)
                info.relocatable = buf[OFF_RELOCATABLE];
        if (info.protocol >= 0x020c)
                info.xloadflags = read_le16(buf + OFF_XLOADFLAGS);
        /* Before 2.06 the field did not exist and the limit was 255 bytes. */
        info.cmdline_size = info.protocol >= 0x0206 ? read_le32(buf + OFF_CMDLINE_SIZE) : 255;

        kv = read_le16(buf + OFF_KERNEL_VERSION);
        if (kv != 0) {
                size_t start = (size_t)kv + 0x200, n = 0;

                if (start >= len)
                        return BZIMAGE_TRUNCATED;
                while (start + n < len && buf[start + n] && n < sizeof(info.version) - 1) {
                        unsigned char c = buf[start + n];
                        if (c < 0x20 || c > 0x7e)
                                return BZIMAGE_BAD_VERSION_STRING;
                        n++;
                }
                if (start + n == len)
                        return BZIMAGE_TRUNCATED;
                memcpy(info.version, buf + start, n);
                info.version[n] = 0;
                n = strcspn(info.version, " ");
                if (n == 0 || n >= sizeof(info.release))
                        return BZIMAGE_BAD_VERSION_STRING;
                memcpy(info.release, info.version, n);
                info.release[n] = 0;
        }
        parse_pe(buf, len, &info);
        *ret = info;
        return BZIMAGE_OK;
}

const char *bzimage_status_to_string(enum bzimage_status s)
{
        switch (s) {
        case BZIMAGE_OK:
                return "a valid x86 boot image";
        case BZIMAGE_TRUNCATED:
                return "the file ends inside the x86 boot header, so it is truncated or not a "
                       "kernel";
        case BZIMAGE_NO_MAGIC:
                return "the file has no x86 boot header (no \"HdrS\" magic), so it is not a "
                       "bzImage";
        case BZIMAGE_BAD_VERSION_STRING:
                return "the kernel version string in the boot header is not readable text";
        case BZIMAGE_OTHER_ARCH:
                return "the file is an arm64 or RISC-V kernel Image, built for another "
                       "architecture";
        case BZIMAGE_ELF:
                return "the file is an x86-64 ELF file (a vmlinux?), not the bzImage built from "
                       "it";
        case BZIMAGE_OTHER_ARCH_ELF:
                return "the file is an ELF file built for another architecture, not an x86 "
                       "bzImage";
        }
        return "unknown";
}

const char *bzimage_kexec_problem(const struct bzimage_info *info)
{
        if (info->protocol < BZIMAGE_MIN_KEXEC_PROTOCOL)
                return "its boot protocol is older than 2.12, which kexec_file_load needs";
        if (!(info->loadflags & LOADED_HIGH))
                return "it is a zImage, not a bzImage";
        if (!(info->xloadflags & XLF_KERNEL_64))
                return "it has no 64-bit entry point (a 32-bit-only kernel)";
        if (!(info->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G))
                return "it cannot be loaded above 4 GiB";
        if (!info->relocatable)
                return "it is not relocatable";
        return NULL;
}

size_t bzimage_cmdline_max(const struct bzimage_info *info)
{
        /* kexec's bzImage64 loader wants cmdline_len (with the NUL) + 30 <= cmdline_size. */
        if (info->cmdline_size < BZIMAGE_CMDLINE_RESERVE + 1)
                return 0;
        return info->cmdline_size - BZIMAGE_CMDLINE_RESERVE - 1;
}

bool bzimage_cmdline_fits(const struct bzimage_info *info, size_t len)
{
        return len <= bzimage_cmdline_max(info);
}

const char *bzimage_size_problem(const struct bzimage_info *info, uint64_t size)
{
        if (size < info->min_size)
                return "the file is shorter than its boot header says, so it is truncated "
                       "(an interrupted copy or a full /boot?)";
        return NULL;
}

size_t bzimage_version_offset(const uint8_t *head, size_t len)
{
        uint16_t kv;

        if (len < HEADER_END || read_le16(head + OFF_BOOT_FLAG) != 0xaa55 ||
            memcmp(head + OFF_HEADER, "HdrS", 4) != 0)
                return 0;
        kv = read_le16(head + OFF_KERNEL_VERSION);
        return kv ? (size_t)kv + 0x200 : 0;
}

bool bzimage_release_from(const uint8_t *text, size_t len, char *ret, size_t ret_size)
{
        size_t n = 0;

        while (n < len && text[n] && text[n] != ' ') {
                if (text[n] < 0x20 || text[n] > 0x7e || n + 1 >= ret_size)
                        return false;
                n++;
        }
        if (n == 0 || n == len)
                return false;
        memcpy(ret, text, n);
        ret[n] = 0;
        return true;
}
