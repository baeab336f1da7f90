/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes the binary seeds the fuzzers start from, so that none has to be committed:
 *   gen-seeds bzimage DIR   x86 boot headers: plain, with an EFI stub, signed, old protocol
 *   gen-seeds uki DIR       PE images with the UKI sections, PE32 and PE32+
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put16(uint8_t *p, uint16_t v)
{
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
        put16(p, (uint16_t)v);
        put16(p + 2, (uint16_t)(v >> 16));
}

static int write_seed(const char *dir, const char *name, const uint8_t *buf, size_t len)
{
        char path[4096];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "we");
        if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
                fprintf(stderr, "gen-seeds: cannot write %s: %m\n", path);
                return -1;
        }
        return 0;
}

/* A PE header at 0x80, as the EFI stub has it, with a certificate table entry. */
static void put_pe(uint8_t *buf, bool signature)
{
        uint8_t *pe = buf + 0x80, *opt = pe + 24;

        memcpy(buf, "MZ", 2);
        put32(buf + 0x3c, 0x80);
        memcpy(pe, "PE\0\0", 4);
        put16(pe + 4, 0x8664);
        put16(pe + 20, 240);
        put16(opt, 0x20b);
        put32(opt + 108, 16); /* NumberOfRvaAndSizes */
        if (signature) {
                put32(opt + 112 + 4 * 8, 0x2000);
                put32(opt + 112 + 4 * 8 + 4, 0x100);
        }
}

static int bzimage(const char *dir, const char *name, uint16_t protocol, bool pe, bool signature)
{
        static const char version[] = "6.1.0-28-amd64 (builder@localhost) #1 SMP "
                                      "PREEMPT_DYNAMIC Debian 6.1.119-1";
        uint8_t buf[0x600] = {};

        if (pe)
                put_pe(buf, signature);
        buf[0x1f1] = 1;           /* setup_sects */
        put32(buf + 0x1f4, 0x10); /* syssize */
        put16(buf + 0x1fe, 0xaa55);
        memcpy(buf + 0x202, "HdrS", 4);
        put16(buf + 0x206, protocol);
        put16(buf + 0x20e, 0x200); /* kernel_version, relative to 0x200 */
        buf[0x211] = 0x01;         /* LOADED_HIGH */
        buf[0x234] = 1;            /* relocatable_kernel */
        put16(buf + 0x236, 0x3);   /* 64-bit, above 4 GiB */
        put32(buf + 0x238, 2047);  /* cmdline_size */
        memcpy(buf + 0x400, version, sizeof(version));
        return write_seed(dir, name, buf, sizeof(buf));
}

struct section {
        const char *name;
        const char *data;
};

/* Headers in the first 0x200 bytes, then each section's data, 16-byte aligned. */
static int uki(const char *dir, const char *name, bool pe32, const struct section *s, size_t n)
{
        uint8_t buf[0x800] = {};
        uint16_t opt_size = pe32 ? 224 : 240;
        uint8_t *pe = buf + 0x40, *table = pe + 24 + opt_size;
        size_t at = 0x200;

        memcpy(buf, "MZ", 2);
        put32(buf + 0x3c, 0x40);
        memcpy(pe, "PE\0\0", 4);
        put16(pe + 4, pe32 ? 0x14c : 0x8664);
        put16(pe + 6, (uint16_t)n);
        put16(pe + 20, opt_size);
        put16(pe + 24, pe32 ? 0x10b : 0x20b);
        for (size_t i = 0; i < n; i++) {
                uint8_t *h = table + i * 40;
                size_t len = strlen(s[i].data), raw = (len + 15) & ~(size_t)15;

                memcpy(h, s[i].name, strlen(s[i].name));
                put32(h + 8, (uint32_t)len);
                put32(h + 16, (uint32_t)raw);
                put32(h + 20, (uint32_t)at);
                memcpy(buf + at, s[i].data, len);
                at += raw;
        }
        return write_seed(dir, name, buf, at);
}

static int ukis(const char *dir)
{
        static const struct section all[] = {
                {".osrel", "ID=fedora\nVERSION_ID=40\n"},
                {".cmdline", "root=UUID=1234 ro quiet"},
                {".uname", "6.8.5-301.fc40.x86_64"},
                {".ucode", "ucode"},
                {".initrd", "070701initrd"},
                {".linux", "MZkernel"},
        };
        static const struct section minimal[] = {{".linux", "MZkernel"}};
        static const struct section no_linux[] = {{".text", "stub"}, {".sbat", "sbat,1\n"}};

        if (uki(dir, "uki-all", false, all, 6) < 0 || uki(dir, "uki-pe32", true, all, 6) < 0 ||
            uki(dir, "uki-minimal", false, minimal, 1) < 0 ||
            uki(dir, "uki-no-linux", false, no_linux, 2) < 0)
                return -1;
        return 0;
}

int main(int argc, char *argv[])
{
        int r;

        if (argc != 3) {
                fprintf(stderr, "usage: gen-seeds bzimage|uki DIR\n");
                return 2;
        }
        if (strcmp(argv[1], "bzimage") == 0)
                r = bzimage(argv[2], "bzimage-plain", 0x020f, false, false) < 0 ||
                                    bzimage(argv[2], "bzimage-efi", 0x020f, true, false) < 0 ||
                                    bzimage(argv[2], "bzimage-signed", 0x020f, true, true) < 0 ||
                                    bzimage(argv[2], "bzimage-2.04", 0x0204, false, false) < 0
                            ? -1
                            : 0;
        else if (strcmp(argv[1], "uki") == 0)
                r = ukis(argv[2]);
        else {
                fprintf(stderr, "gen-seeds: unknown kind '%s'\n", argv[1]);
                return 2;
        }
        return r < 0 ? 1 : 0;
}
