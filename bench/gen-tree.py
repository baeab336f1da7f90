#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate a tree standing for a machine, for bench/discovery.sh.

    bench/gen-tree.py boot-scan N OUTDIR   Debian layout: N kernels vmlinuz-6.1.0-K-amd64 with
                                           initrd.img-*, config-*, System.map-*; no boot
                                           loader configuration (warmboot scans /boot)
    bench/gen-tree.py bls N OUTDIR         Fedora layout: N BLS entries in /boot/loader/entries,
                                           their kernels and initramfs images, grubenv
    bench/gen-tree.py grub LINES OUTDIR    Ubuntu layout: a grub.cfg of about LINES lines, made
                                           from tests/fixtures/grubcfg/ubuntu-22.04.cfg by
                                           repeating the submenu's menuentry pair for more
                                           kernels, with those kernels present

The running kernel (proc/sys/kernel/osrelease, proc/cmdline) is the second newest, so that
plan --latest chooses another kernel than the running one, as after an update.

Kernel images carry the x86 boot header warmboot reads (tests/testlib.c fake_image_build):
boot_flag, "HdrS", protocol 2.15, a kernel_version string, LOADED_HIGH, relocatable,
xloadflags 3, cmdline_size 2047; setup_sects and syssize are 0 so that they never claim more
than the file holds. Each image is WB_IMAGE_SIZE bytes (default 72 KiB, sparse after the
header) so that warmboot's head read (BZIMAGE_HEAD_MAX, 66,304 bytes) is as long as on a
real kernel of several MiB.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
UBUNTU_CFG = os.path.join(HERE, "..", "tests", "fixtures", "grubcfg", "ubuntu-22.04.cfg")
IMAGE_SIZE = int(os.environ.get("WB_IMAGE_SIZE", str(72 * 1024)))
MACHINE_ID = "2e7ae84ac8f14e0fa8e5c5b4a1e2e6f3"


def write(root, rel, data, mode=0o644):
    path = os.path.join(root, rel.lstrip("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    os.chmod(path, mode)
    return path


def kernel_image(release):
    """The first 8 KiB of a bzImage as tests/testlib.c fake_image_build() lays it out."""
    b = bytearray(8192)
    struct.pack_into("<H", b, 0x1FE, 0xAA55)  # boot_flag
    b[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", b, 0x206, 0x020F)  # protocol 2.15
    b[0x211] = 0x01  # loadflags: LOADED_HIGH
    b[0x234] = 1  # relocatable_kernel
    struct.pack_into("<H", b, 0x236, 3)  # xloadflags: 64-bit entry, loads above 4 GiB
    struct.pack_into("<I", b, 0x238, 2047)  # cmdline_size
    version = f"{release} (builder@bench) #1 SMP PREEMPT_DYNAMIC".encode() + b"\0"
    struct.pack_into("<H", b, 0x20E, 0x1000 - 0x200)  # kernel_version, relative to 0x200
    b[0x1000 : 0x1000 + len(version)] = version
    return bytes(b)


def write_kernel(root, rel, release):
    path = write(root, rel, kernel_image(release))
    if IMAGE_SIZE > 8192:
        os.truncate(path, IMAGE_SIZE)


def machine_common(root, running, cmdline, systemd=True):
    write(root, "proc/sys/kernel/osrelease", running + "\n")
    write(root, "proc/cmdline", cmdline + "\n")
    write(root, "proc/sys/kernel/kexec_load_disabled", "0\n")
    write(root, "sys/kernel/kexec_loaded", "0\n")
    write(root, "sys/kernel/security/lockdown", "[none] integrity confidentiality\n")
    if systemd:
        write(root, "run/systemd/system/.keep", "")


def gen_boot_scan(n, root):
    releases = [f"6.1.0-{k}-amd64" for k in range(1, n + 1)]
    running = releases[-2] if n > 1 else releases[-1]
    for r in releases:
        write_kernel(root, f"boot/vmlinuz-{r}", r)
        write(root, f"boot/initrd.img-{r}", f"initramfs {r}\n")
        write(root, f"boot/config-{r}", "CONFIG_KEXEC=y\nCONFIG_KEXEC_FILE=y\n")
        write(root, f"boot/System.map-{r}", f"ffffffff81000000 T _stext {r}\n")
    machine_common(
        root,
        running,
        f"BOOT_IMAGE=/boot/vmlinuz-{running} "
        "root=UUID=5b1f2c3e-8d4a-4f6b-9c1d-2e3f4a5b6c7d ro quiet",
    )
    return len(releases)


def grubenv(variables):
    text = "# GRUB Environment Block\n" + "".join(f"{k}={v}\n" for k, v in variables)
    return text + "#" * (1024 - len(text))


def gen_bls(n, root):
    releases = [f"6.5.{k}-200.fc39.x86_64" for k in range(1, n + 1)]
    running = releases[-2] if n > 1 else releases[-1]
    options = (
        "root=UUID=3f2a1c9e-5b7d-4e8a-9c1f-2d6b8e4a7c05 ro rootflags=subvol=root rhgb quiet"
    )
    for r in releases:
        write_kernel(root, f"boot/vmlinuz-{r}", r)
        write(root, f"boot/initramfs-{r}.img", f"initramfs {r}\n")
        write(
            root,
            f"boot/loader/entries/{MACHINE_ID}-{r}.conf",
            f"title Fedora Linux ({r}) 39 (Workstation Edition)\n"
            f"version {r}\n"
            f"linux /vmlinuz-{r}\n"
            f"initrd /initramfs-{r}.img\n"
            f"options {options}\n"
            "grub_users $grub_users\n"
            "grub_arg --unrestricted\n"
            "grub_class fedora\n",
        )
    write(root, f"boot/config-{running}", "CONFIG_KEXEC=y\nCONFIG_KEXEC_FILE=y\n")
    write(
        root,
        "boot/grub2/grubenv",
        grubenv([("saved_entry", f"{MACHINE_ID}-{releases[-1]}"), ("boot_success", "0")]),
    )
    write(
        root,
        "boot/grub2/grub.cfg",
        "set default=\"${saved_entry}\"\ninsmod blscfg\nblscfg\n",
    )
    write(root, "etc/default/grub", "GRUB_TIMEOUT=5\nGRUB_DEFAULT=saved\nGRUB_ENABLE_BLSCFG=true\n")
    write(root, "etc/machine-id", MACHINE_ID + "\n")
    machine_common(root, running, f"BOOT_IMAGE=(hd0,gpt2)/vmlinuz-{running} {options}")
    return len(releases)


def split_ubuntu_cfg():
    """The fixture as header (up to and with the submenu line), one menuentry pair (normal
    and recovery) of its first kernel, and footer (from the submenu's closing brace)."""
    with open(UBUNTU_CFG) as f:
        lines = f.read().split("\n")
    sub = next(i for i, l in enumerate(lines) if l.startswith("submenu "))
    close = next(i for i in range(sub, len(lines)) if lines[i] == "}")
    entries = []
    i = sub + 1
    while i < close:
        if lines[i].startswith("\tmenuentry "):
            end = next(j for j in range(i, close) if lines[j] == "\t}")
            entries.append(lines[i : end + 1])
            i = end + 1
        else:
            i += 1
    first = entries[0][0].split("Linux ", 1)[1].split("'", 1)[0].split(" ", 1)[0]
    pair = [e for e in entries if f"Linux {first}" in e[0]]
    assert len(pair) == 2, pair
    return lines[: sub + 1], [l for e in pair for l in e], lines[close:], first


def gen_grub(target_lines, root):
    header, pair, footer, template_release = split_ubuntu_cfg()
    fixed = len(header) + len(footer)
    count = max(1, round((target_lines - fixed) / len(pair)))
    releases = [f"5.15.0-{k}-generic" for k in range(1, count + 1)]
    newest = releases[-1]
    running = releases[-2] if count > 1 else newest
    # Top-level 'Ubuntu' entry boots the newest kernel, the submenu lists newest first.
    text = "\n".join(header).replace(template_release, newest).split("\n")
    for r in reversed(releases):
        text += [l.replace(template_release, r) for l in pair]
    text += footer
    cfg = "\n".join(text)
    write(root, "boot/grub/grub.cfg", cfg)
    for r in releases:
        write_kernel(root, f"boot/vmlinuz-{r}", r)
        write(root, f"boot/initrd.img-{r}", f"initramfs {r}\n")
        write(root, f"boot/config-{r}", "CONFIG_KEXEC=y\nCONFIG_KEXEC_FILE=y\n")
        write(root, f"boot/System.map-{r}", f"ffffffff81000000 T _stext {r}\n")
    # memtest86+ entries: present on a real Ubuntu machine, not bzImages.
    write(root, "boot/memtest86+.bin", b"\0" * 4096)
    write(root, "boot/memtest86+.elf", b"\x7fELF" + b"\0" * 4092)
    uuid = "b3c1e5a2-4f7d-4e21-9c3a-7d2f8e6a1b90"
    saved = f"gnulinux-advanced-{uuid}>gnulinux-{running}-advanced-{uuid}"
    write(root, "boot/grub/grubenv", grubenv([("saved_entry", saved)]))
    write(root, "etc/default/grub", "GRUB_DEFAULT=saved\nGRUB_SAVEDEFAULT=true\nGRUB_TIMEOUT=0\n")
    # /boot is a separate partition found by UUID, as grub.cfg's search line says.
    os.makedirs(os.path.join(root, "dev/disk/by-uuid"), exist_ok=True)
    os.symlink("../../vda2", os.path.join(root, "dev/disk/by-uuid/0f5d2b8e-91c4-4a6e-b7d3-2e4c6a8f0d13"))
    os.symlink("../../vda1", os.path.join(root, f"dev/disk/by-uuid/{uuid}"))
    write(root, "proc/self/mountinfo", UBUNTU_MOUNTINFO)
    machine_common(
        root,
        running,
        f"BOOT_IMAGE=/vmlinuz-{running} root=UUID={uuid} ro quiet splash vt.handoff=7",
    )
    return len(cfg.split("\n"))


# A desktop's mount table, as long as a real one.
UBUNTU_MOUNTINFO = """\
22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro
23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
24 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
25 22 0:5 / /dev rw,nosuid,relatime shared:2 - devtmpfs udev rw,size=8145536k,nr_inodes=2036384,mode=755,inode64
26 25 0:23 / /dev/pts rw,nosuid,noexec,relatime shared:3 - devpts devpts rw,gid=5,mode=620,ptmxmode=000
28 22 0:25 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=1635124k,mode=755,inode64
29 23 0:6 / /sys/kernel/security rw,nosuid,nodev,noexec,relatime shared:8 - securityfs securityfs rw
30 25 0:26 / /dev/shm rw,nosuid,nodev shared:4 - tmpfs tmpfs rw,inode64
31 28 0:27 / /run/lock rw,nosuid,nodev,noexec,relatime shared:6 - tmpfs tmpfs rw,size=5120k,inode64
32 23 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
33 23 0:29 / /sys/fs/pstore rw,nosuid,nodev,noexec,relatime shared:10 - pstore pstore rw
34 23 0:30 / /sys/firmware/efi/efivars rw,nosuid,nodev,noexec,relatime shared:11 - efivarfs efivarfs rw
35 23 0:31 / /sys/fs/bpf rw,nosuid,nodev,noexec,relatime shared:13 - bpf bpf rw,mode=700
36 24 0:32 / /proc/sys/fs/binfmt_misc rw,relatime shared:14 - autofs systemd-1 rw,fd=29,pgrp=1,timeout=0,minproto=5,maxproto=5,direct,pipe_ino=17041
37 25 0:20 / /dev/mqueue rw,nosuid,nodev,noexec,relatime shared:15 - mqueue mqueue rw
38 25 0:33 / /dev/hugepages rw,relatime shared:16 - hugetlbfs hugetlbfs rw,pagesize=2M
39 23 0:7 / /sys/kernel/debug rw,nosuid,nodev,noexec,relatime shared:17 - debugfs debugfs rw
40 23 0:12 / /sys/kernel/tracing rw,nosuid,nodev,noexec,relatime shared:18 - tracefs tracefs rw
41 23 0:34 / /sys/fs/fuse/connections rw,nosuid,nodev,noexec,relatime shared:19 - fusectl fusectl rw
42 23 0:24 / /sys/kernel/config rw,nosuid,nodev,noexec,relatime shared:20 - configfs configfs rw
27 22 254:2 / /boot rw,relatime shared:30 - ext4 /dev/vda2 rw
60 27 254:3 / /boot/efi rw,relatime shared:31 - vfat /dev/vda3 rw,fmask=0077,dmask=0077,codepage=437,iocharset=iso8859-1,shortname=mixed,errors=remount-ro
61 28 0:45 / /run/user/1000 rw,nosuid,nodev,relatime shared:400 - tmpfs tmpfs rw,size=1635120k,nr_inodes=408780,mode=700,uid=1000,gid=1000,inode64
"""


def main(argv):
    kinds = {"boot-scan": gen_boot_scan, "bls": gen_bls, "grub": gen_grub}
    if len(argv) != 4 or argv[1] not in kinds or not argv[2].isdigit() or int(argv[2]) < 1:
        sys.stderr.write(__doc__)
        return 2
    kind, size, out = argv[1], int(argv[2]), argv[3]
    if os.path.exists(out) and os.listdir(out):
        sys.stderr.write(f"gen-tree: {out} exists and is not empty\n")
        return 1
    os.makedirs(out, exist_ok=True)
    made = kinds[kind](size, out)
    print(f"{kind} {size}: {made} {'lines' if kind == 'grub' else 'kernels'} in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
