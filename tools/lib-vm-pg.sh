# shellcheck shell=bash
# The PostgreSQL soak (bench/soak.sh, tests/vm/soak.sh): the Debian 12 systemd guest of
# tools/lib-vm.sh with Debian's postgresql package, a client on the host that commits through
# a QEMU port forward, and warm reboots while it writes. Source it after tools/lib-vm.sh.
#
# Safety: warmboot and every reboot run only inside the guest; on the host this only builds
# an image (in a chroot of a copy of the cached Debian tree, no service started there), runs
# QEMU and the client (bench/soak.py).

# ---------------------------------------------------------------------------------------
# the image: the cached Debian tree (vm_debian) plus postgresql, cached as debian-pg-<hash>

# _vm_build_debian_pg DIR BASE: BASE's rootfs copied, postgresql installed in it by apt in
# a chroot (services kept from starting by a policy-rc.d), the cluster 15/main created with
# data checksums, listening on the guest's user-net address for the host (10.0.2.2, QEMU's
# gateway: what a port-forwarded connection comes from) without a password, and
# systemd-networkd giving the first Ethernet interface 10.0.2.15/24.
_vm_build_debian_pg() {
	local dir=$1 base=$2 tmp root log
	tmp=$(mktemp -d "$VM_CACHE/.debian-pg.XXXXXX")
	root=$tmp/rootfs
	log=$tmp/apt.log
	cp -a "$base/rootfs" "$root"
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 0755 "$root/usr/sbin/policy-rc.d"
	export DEBIAN_FRONTEND=noninteractive
	# postgresql-common first: its createcluster.conf says how the cluster is made
	if ! { chroot "$root" apt-get update &&
		chroot "$root" apt-get install -y --no-install-recommends postgresql-common; } >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		vm_die "apt-get in the chroot failed (log: $log)"
	fi
	printf "initdb_options = '--data-checksums'\n" >>"$root/etc/postgresql-common/createcluster.conf"
	if ! chroot "$root" apt-get install -y --no-install-recommends postgresql >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		vm_die "apt-get install postgresql in the chroot failed (log: $log)"
	fi
	[ -f "$root/etc/postgresql/15/main/postgresql.conf" ] || vm_die "no cluster 15/main in the chroot (log: $log)"
	[ -x "$root/usr/lib/postgresql/15/bin/pg_amcheck" ] || vm_die "no pg_amcheck in postgresql-15"
	cat >"$root/etc/postgresql/15/main/conf.d/soak.conf" <<'EOF'
# warmboot soak: the host's client comes in through QEMU's user-net port forward
listen_addresses = '*'
synchronous_commit = on
fsync = on
full_page_writes = on
log_line_prefix = '%m [%p] '
EOF
	printf 'host all all 10.0.2.2/32 trust\n' >>"$root/etc/postgresql/15/main/pg_hba.conf"
	cat >"$root/etc/systemd/network/20-soak.network" <<'EOF'
[Match]
Type=ether

[Network]
Address=10.0.2.15/24
Gateway=10.0.2.2
LinkLocalAddressing=no
IPv6AcceptRA=no
EOF
	chroot "$root" systemctl enable --quiet systemd-networkd.service
	# nothing here waits for the network to be "online"
	chroot "$root" systemctl mask --quiet systemd-networkd-wait-online.service
	rm -f "$root/usr/sbin/policy-rc.d"
	rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
	rm -rf "$dir"
	mkdir -p "$dir"
	mv "$root" "$dir/rootfs"
	cp "$base/release" "$dir/release"
	mv "$log" "$dir/apt.log"
	rm -rf "$tmp"
}

# vm_debian_pg: echo the cache dir holding rootfs/ and release of the PostgreSQL guest
# (built from vm_debian's tree if needed; a few minutes, once).
vm_debian_pg() {
	local base key dir
	base=$(vm_debian)
	key=$(vm_hash "$(declare -f _vm_build_debian_pg)" "$(basename "$base")")
	dir=$VM_CACHE/debian-pg-$key
	if [ ! -f "$dir/release" ]; then
		vm_cache_lock
		if [ ! -f "$dir/release" ]; then
			vm_say "installing postgresql into a copy of $base as $dir (a few minutes, once)"
			_vm_prune debian-pg "$dir"
			_vm_build_debian_pg "$dir" "$base"
		fi
	fi
	printf '%s\n' "$dir"
}

# ---------------------------------------------------------------------------------------
# one soak run

# vm_free_port: a TCP port on 127.0.0.1 that nothing listens on now.
vm_free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# vm_soak RES REBOOTS LOAD_SECS: one QEMU run of the soak guest in the directory RES:
# REBOOTS warm reboots (odd: `warmboot reboot`, even: `--now`), each after LOAD_SECS of the
# host's writes past the boot's check, then a last boot that is checked and powers off (also
# the next boot checked once a file RES/stop exists: a run ended early, counted as such). The
# host's client (bench/soak.py) writes and checks throughout; after QEMU, e2fsck -fn reads the
# disk. Leaves RES/soak.json (the summary), RES/run.json, RES/acked, the serial logs (sets
# VM_MARKERS, VM_QEMU_RC, VM_QEMU_SECS) and RES/disk.img (the caller removes it).
vm_soak() {
	local res=$1 reboots=$2 load=$3 ddir tree R payload disk port tmo client crc=0 frc=0 fsck start
	start=$SECONDS
	ddir=$(vm_debian_pg)
	R=$(cat "$ddir/release")
	tree=$ddir/rootfs
	vm_say "building the soak disk image ($(basename "$ddir"), kernel $R, warmboot $WARMBOOT_BIN)"
	payload=$res/payload
	mkdir -p "$payload/var/lib/warmboot-vm" "$payload/etc/systemd/system/warmboot-soak.service.d"
	vm_payload_warmboot "$payload" "$tree"
	vm_unit_payload "$payload" warmboot-soak "$VM_REPO/tests/vm/guest/soak-test" simple
	cat >"$payload/etc/systemd/system/warmboot-soak.service.d/postgresql.conf" <<'UNIT'
[Unit]
Wants=postgresql@15-main.service
After=postgresql@15-main.service postgresql.service systemd-networkd.service
UNIT
	printf 'REBOOTS=%d\nLOAD_SECS=%d\n' "$reboots" "$load" >"$payload/var/lib/warmboot-vm/soak.conf"
	# drivers of QEMU's default devices the soak has no use for: each costs seconds per boot
	# under TCG (udev loads them by alias, which a blacklist stops)
	mkdir -p "$payload/etc/modprobe.d"
	printf 'blacklist %s\n' floppy pcspkr kvm kvm_intel kvm_amd cfg80211 joydev ppdev parport_pc sr_mod \
		>"$payload/etc/modprobe.d/soak-blacklist.conf"
	disk=$res/disk.img
	vm_debian_disk "$ddir" "$payload" "$disk"
	rm -rf "$payload"

	port=$(vm_free_port)
	tmo=${WARMBOOT_VM_TIMEOUT:-$((600 + reboots * 240))}
	rm -f "$res/qemu.done" "$res/stop"
	/usr/bin/python3 "$VM_REPO/bench/soak.py" run --port "$port" --stamps "$res/serial.stamped" \
		--done "$res/qemu.done" --stop "$res/stop" --out "$res" --reboots "$reboots" 2>"$res/client.log" &
	client=$!
	vm_say "booting the soak guest: $reboots warm reboots, client on 127.0.0.1:$port (timeout ${tmo}s), serial log: $res/serial.log"
	vm_boot_stamped "$tmo" "$res/serial.log" "$res/serial.stamped" -no-reboot -vga none \
		-kernel "$tree/boot/vmlinuz-$R" -initrd "$tree/boot/initrd.img-$R" \
		-append "console=ttyS0 root=/dev/vda rw panic=-1" -drive "file=$disk,format=raw,if=virtio" \
		-netdev "user,id=net0,hostfwd=tcp:127.0.0.1:$port-:5432" -device virtio-net-pci,netdev=net0
	: >"$res/qemu.done"
	wait "$client" || crc=$?
	[ "$crc" -eq 0 ] || vm_say "the client exited with status $crc (log: $res/client.log)"
	fsck=$(e2fsck -fn "$disk" 2>&1) || frc=$?
	printf '%s\n' "$fsck" >"$res/e2fsck.out"
	# PostgreSQL's log of every boot, read from the disk: how each shutdown was asked for
	debugfs -R 'cat /var/log/postgresql/postgresql-15-main.log' "$disk" >"$res/postgresql.log" 2>/dev/null || true
	/usr/bin/python3 "$VM_REPO/bench/soak.py" report --run "$res/run.json" --fsck-rc "$frc" \
		--fsck-text "$(tail -n 3 <<<"$fsck")" --pglog "$res/postgresql.log" --total-secs "$((SECONDS - start))" \
		--how "$(printf '{"image": "%s", "kernel": "%s", "qemu_secs": %d, "qemu_rc": "%s", "load_secs": %d, "warmboot": "%s", "trial": "on (the default)"}' \
			"$(basename "$ddir")" "$R" "$VM_QEMU_SECS" "$VM_QEMU_RC" "$load" \
			"$(git -C "$VM_REPO" describe --always --dirty 2>/dev/null || echo '?')")" \
		--out "$res/soak.json"
}
