#!/bin/bash
# End-to-end test of warmboot with the NVIDIA driver stack's shape in a real kernel: a
# debootstrapped Debian 12 guest under QEMU (TCG) with TEST DOUBLES of the NVIDIA modules
# (tests/vm/nvidia-shaped/: nvidia, nvidia_modeset, nvidia_uvm, nvidia_drm, nvidia_peermem,
# named and linked like NVIDIA's, with /dev/nvidia0, /dev/nvidiactl, /dev/nvidia-modeset,
# /dev/nvidia-uvm and a DRM card; they drive nothing and are NOT the NVIDIA driver).
#
#   sudo tests/vm/nvidia.sh         # WARMBOOT_BIN=... to test another binary
#
# The modules are built here against the guest kernel's own headers (Debian's
# linux-headers-R, -common and linux-kbuild packages, unpacked, never installed), cached by a
# hash of their sources and the release, installed in the guest's /lib/modules/R/updates/dkms
# with depmod run for R, and loaded at every boot by /etc/modules-load.d/nvidia.conf.
# The guest boots to graphical.target; nvidia-persistenced.service holds /dev/nvidia0,
# lightdm.service (display-manager.service; its Xorg child too) holds /dev/nvidiactl,
# /dev/nvidia-modeset and the card. One QEMU run, two boots (see guest/nvidia-test):
#   boot 1 (cold): plan --json; a stray CUDA-like process in a transient scope holding
#          /dev/nvidia-uvm is refused by pid and name (exit 3, nothing changed); then
#          `warmboot reboot --kill` through systemd ends it, isolates multi-user.target,
#          stops nvidia-persistenced and unloads the five modules, 1 MiB written unsynced.
#   boot 2 (warm): the modules, devices and units back; data intact; power off.
# The host judges the serial log and the disk image, one line per check, then
# "N passed, M failed".
#
# Never runs warmboot on the host: it only runs inside the guest.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../../tools/lib-vm.sh
. "$here/../../tools/lib-vm.sh"

TIMEOUT=${WARMBOOT_VM_TIMEOUT:-900}
# the test doubles' modules, in the order warmboot must be able to unload them (the holders
# of a module before it); the kernel names them with '_'
NV_MODULES=(nvidia_drm nvidia_modeset nvidia_uvm nvidia_peermem nvidia)

# _nv_build_modules DIR SRC REL VERSION: the test doubles in SRC built against the headers
# of kernel REL (Debian package version VERSION), downloaded and unpacked, never installed;
# leaves DIR/release, DIR/version and DIR/*.ko
_nv_build_modules() {
	local dir=$1 src=$2 rel=$3 version=$4 tmp kdir d
	tmp=$(mktemp -d "$VM_CACHE/.nvidia-shaped.XXXXXX")
	local pkgs=("linux-headers-$rel=$version" "linux-headers-${rel%-*}-common=$version"
		"linux-kbuild-${rel%%.*}.$(cut -d. -f2 <<<"$rel")=$version")
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "${pkgs[@]}" >&2) ||
		{ apt-get update -qq >&2 && (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "${pkgs[@]}" >&2); }
	for d in "$tmp"/*.deb; do dpkg-deb -x "$d" "$tmp/root"; done
	kdir=$tmp/root/usr/src/linux-headers-$rel
	[ -f "$kdir/Module.symvers" ] || vm_die "no Module.symvers in linux-headers-$rel"
	# the arch package's Makefile includes the -common one by its installed path
	sed -i "s|^include /usr/src/|include $tmp/root/usr/src/|" "$kdir/Makefile"
	mkdir -p "$tmp/src"
	cp "$src"/Kbuild "$src"/*.c "$src"/*.h "$tmp/src/"
	if ! make -C "$kdir" M="$tmp/src" modules >"$tmp/build.log" 2>&1; then
		tail -n 30 "$tmp/build.log" >&2
		vm_die "building the test modules failed (log: $tmp/build.log)"
	fi
	mkdir -p "$tmp/out"
	cp "$tmp/src"/*.ko "$tmp/out/"
	printf '%s\n' "$rel" >"$tmp/out/release"
	printf '%s\n' "$version" >"$tmp/out/version"
	rm -rf "$dir"
	mv "$tmp/out" "$dir"
	rm -rf "$tmp"
}

# nv_modules TREE REL: echo the cache dir of the test doubles built for kernel REL of the
# guest tree TREE (built if needed)
nv_modules() {
	local tree=$1 rel=$2 version src=$here/nvidia-shaped key dir
	version=$(dpkg-query --admindir="$tree/var/lib/dpkg" -W -f='${Version}' "linux-image-$rel")
	[ -n "$version" ] || vm_die "the guest has no package linux-image-$rel"
	key=$(vm_hash "$(declare -f _nv_build_modules)" "$rel" "$version" \
		"$(cd "$src" && cat Kbuild ./*.c ./*.h | sha256sum)")
	dir=$VM_CACHE/nvidia-shaped-$key
	if [ ! -f "$dir/release" ]; then
		vm_cache_lock
		if [ ! -f "$dir/release" ]; then
			vm_say "building the NVIDIA-shaped test modules against linux-headers-$rel ($version) into $dir"
			_vm_prune nvidia-shaped "$dir"
			_nv_build_modules "$dir" "$src" "$rel" "$version"
		fi
	fi
	printf '%s\n' "$dir"
}

# nv_install_modules PAYLOAD TREE REL MODDIR: the .ko files of MODDIR in PAYLOAD's
# /lib/modules/REL/updates/dkms, with the modules.* files depmod makes for REL with them
# (run on a hard-link copy of the tree's modules, whose own files are left alone)
nv_install_modules() {
	local payload=$1 tree=$2 rel=$3 mods=$4 tmp m f
	m=$payload/usr/lib/modules/$rel
	mkdir -p "$m/updates/dkms"
	cp "$mods"/*.ko "$m/updates/dkms/"
	tmp=$(mktemp -d "$VM_CACHE/.nvidia-depmod.XXXXXX")
	mkdir -p "$tmp/lib/modules"
	cp -al "$tree/usr/lib/modules/$rel" "$tmp/lib/modules/$rel"
	# copies, not links, of the index files: depmod reads some (modules.order,
	# modules.builtin*) and rewrites the others
	for f in "$tmp/lib/modules/$rel"/modules.*; do
		cp --remove-destination "$tree/usr/lib/modules/$rel/${f##*/}" "$f"
	done
	cp -r "$m/updates" "$tmp/lib/modules/$rel/"
	depmod -b "$tmp" "$rel"
	cp "$tmp/lib/modules/$rel"/modules.* "$m/"
	rm -rf "$tmp"
}

vm_need_root
vm_ensure_pkgs "${VM_HOST_PKGS[@]}" python3 make gcc-12 libelf1
vm_check_binary
start=$SECONDS

res=$(vm_results_dir nvidia)
ddir=$(vm_debian)
R=$(cat "$ddir/release")
tree=$ddir/rootfs
mods=$(nv_modules "$tree" "$R")

# ---- the disk ----------------------------------------------------------------------------
vm_say "building the Debian disk image (kernel $R, NVIDIA-shaped test modules $mods, warmboot $WARMBOOT_BIN)"
payload=$res/payload
lib=$payload/usr/local/lib/warmboot-vm
mkdir -p "$payload/etc/modules-load.d" "$payload/etc/systemd/system/multi-user.target.wants" "$lib/bin"
vm_payload_warmboot "$payload" "$tree"
vm_unit_payload "$payload" warmboot-nvidia-test "$here/guest/nvidia-test" simple
nv_install_modules "$payload" "$tree" "$R" "$mods"
cat >"$payload/etc/modules-load.d/nvidia.conf" <<'EOF'
# TEST DOUBLES of the NVIDIA driver's shape, not the driver (warmboot's tests/vm/nvidia.sh);
# modprobe loads nvidia and nvidia_modeset for them
nvidia-drm
nvidia-uvm
nvidia-peermem
EOF
# the holders: copies of sleep under the real programs' names, so that the comm warmboot
# prints is theirs
for b in nvidia-persistenced lightdm Xorg; do cp "$tree/usr/bin/sleep" "$lib/bin/$b"; done
cat >"$lib/wait-nvidia" <<'EOF'
#!/bin/sh
# wait-nvidia PROGRAM ARG...: waits for the test doubles' device nodes, then runs PROGRAM
for _ in $(seq 300); do
	[ -e /dev/nvidia0 ] && [ -e /dev/nvidiactl ] && [ -e /dev/nvidia-modeset ] && [ -e /dev/dri/card0 ] && break
	sleep 0.2
done
exec "$@"
EOF
cat >"$lib/fake-lightdm" <<'EOF'
#!/bin/sh
# Stands for lightdm and the X server it starts: Xorg holds the card and /dev/nvidia-modeset,
# lightdm itself /dev/nvidiactl
/usr/local/lib/warmboot-vm/bin/Xorg infinity </dev/dri/card0 3</dev/nvidia-modeset &
exec /usr/local/lib/warmboot-vm/bin/lightdm infinity </dev/nvidiactl
EOF
chmod 0755 "$lib/wait-nvidia" "$lib/fake-lightdm"
cat >"$payload/etc/systemd/system/nvidia-persistenced.service" <<'EOF'
[Unit]
Description=Stands for NVIDIA Persistence Daemon: keeps /dev/nvidia0 of the test doubles open

[Service]
ExecStart=/usr/local/lib/warmboot-vm/wait-nvidia /bin/sh -c 'exec /usr/local/lib/warmboot-vm/bin/nvidia-persistenced infinity </dev/nvidia0'

[Install]
WantedBy=multi-user.target
EOF
cat >"$payload/etc/systemd/system/lightdm.service" <<'EOF'
[Unit]
Description=Stands for Light Display Manager: keeps the test doubles' /dev/nvidiactl and card open
After=systemd-user-sessions.service

[Service]
ExecStart=/usr/local/lib/warmboot-vm/wait-nvidia /usr/local/lib/warmboot-vm/fake-lightdm

[Install]
Alias=display-manager.service
EOF
ln -sf ../nvidia-persistenced.service "$payload/etc/systemd/system/multi-user.target.wants/nvidia-persistenced.service"
# as the display manager's package does: graphical.target wants display-manager.service
ln -sf /etc/systemd/system/lightdm.service "$payload/etc/systemd/system/display-manager.service"
ln -sf /lib/systemd/system/graphical.target "$payload/etc/systemd/system/default.target"
disk=$res/disk.img
vm_debian_disk "$ddir" "$payload" "$disk"
rm -rf "$payload"

# ---- boot ---------------------------------------------------------------------------------
log=$res/serial.log
append="console=ttyS0 root=/dev/vda rw panic=-1 BOOT_IMAGE=/boot/vmlinuz-$R initrd=/boot/initrd.img-$R"
vm_say "booting the Debian guest with the NVIDIA-shaped test modules (timeout ${TIMEOUT}s), serial log: $log"
vm_boot "$TIMEOUT" "$log" -no-reboot -vga none \
	-kernel "$tree/boot/vmlinuz-$R" -initrd "$tree/boot/initrd.img-$R" \
	-append "$append" -drive "file=$disk,format=raw,if=virtio"

# ---- judge the log and the disk -----------------------------------------------------------
f() { vm_field "$1" "$2" || true; }
# the machine as it was before warmboot ran: no kernel loaded, the five modules loaded, the
# devices there, graphical.target and the holders' units active
STATE_OK=('kexec_loaded=0' 'nvidia=yes' 'nvidia_modeset=yes' 'nvidia_uvm=yes' 'nvidia_drm=yes'
	'nvidia_peermem=yes' 'devices=all' 'graphical=active' 'persistenced=active' 'dm=active')

vm_check_qemu
vm_check_boots 2

# ---- boot 1: the starting point and the plan
printf '      boot 1: %s\n' "$(wbline 'boot=1 facts ')"
printf '      boot 1: %s\n' "$(wbline 'boot=1 lsmod ')"
vm_expect "boot 1: the five modules loaded (modules-load.d), their devices there, graphical.target, persistenced and lightdm active" \
	'boot=1 facts ' "${STATE_OK[@]}"
vm_check "boot 1: the kernel says its modules are test doubles (their load messages)" "" \
	test "$(sed -n '1,/WBTEST boot=1 handover/p' "$VM_MARKERS" | grep -c "(test double of the NVIDIA driver's shape) loaded")" -eq 5
# the live graph: "nvidia:4:nvidia_uvm,nvidia_peermem,nvidia_modeset ..." as lsmod had it
used_by() { # MODULE: the modules using it, per lsmod in boot 1, one a line
	wbline 'boot=1 lsmod ' | tr ' ' '\n' | sed -n "s/^$1:[0-9]*://p" | tr ',' '\n' | sed '/^-*$/d'
}
vm_check "boot 1: nvidia_modeset, nvidia_uvm and nvidia_peermem use nvidia; nvidia_drm uses nvidia_modeset and drm" \
	"$(wbline 'boot=1 lsmod ')" test "$(used_by nvidia | sort | tr '\n' ' ')/$(used_by nvidia_modeset | tr '\n' ' ')/$(used_by drm | grep -c nvidia_drm)" = "nvidia_modeset nvidia_peermem nvidia_uvm /nvidia_drm /1"

line=$(wbline 'boot=1 plan-json rc=')
wbdump 'boot=1 plan-json' >"$res/plan.json"
printf '      plan --json rc=%s\n' "$(f "$line" rc)"
pj() { vm_json "$res/plan.json" "$1" 2>/dev/null; }
plan_mods=$(pj '" ".join(d["modules"])' || true)
printf '      plan modules: %s; isolate: %s; stop_units: %s\n' "${plan_mods:-?}" \
	"$(pj 'd["isolate"]' || echo '?')" "$(pj '" ".join(d["stop_units"])' || echo '?')"
printf '      plan holders: %s\n' "$(pj '"; ".join("%s %s %s %s" % (h["pid"], h["comm"], h["unit"], h["device"]) for h in d["holders"])' || echo '?')"
vm_check_json "boot 1: plan --json is valid JSON" "$res/plan.json"
vm_check "boot 1: plan --json exits 0" "rc=$(f "$line" rc); stderr: $(wbdump 'boot=1 plan-json-stderr' | tr '\n' ' ')" \
	test "$(f "$line" rc)" = 0
# every module after the modules that use it (lsmod's "used by" in the guest)
order_ok() { # MODULE...: each MODULE comes after every module using it, and all five are there
	local seen=" " m u
	for m in "$@"; do
		while read -r u; do
			[ -z "$u" ] || [[ $seen == *" $u "* ]] || return 1
		done < <(used_by "$m" | grep '^nvidia' || true)
		seen+="$m "
	done
	for m in "${NV_MODULES[@]}"; do [[ $seen == *" $m "* ]] || return 1; done
}
# shellcheck disable=SC2086 # one module a word
vm_check "boot 1: plan unloads the five nvidia modules, each after its users" "modules: $plan_mods" \
	order_ok $plan_mods
vm_check "boot 1: plan isolates multi-user.target (graphical.target is active)" "" \
	test "$(pj 'd["isolate"]' || true)" = multi-user.target
vm_check "boot 1: plan stops nvidia-persistenced.service (and lightdm.service)" "" \
	test "$(pj '" ".join(sorted(d["stop_units"]))' || true)" = "lightdm.service nvidia-persistenced.service"
for want in 'nvidia-persistenced.service /dev/nvidia0' 'lightdm.service /dev/nvidiactl' \
	'lightdm.service /dev/dri/card0'; do
	vm_check "boot 1: plan lists ${want% *} holding ${want#* }" "" \
		test "$(pj "any(h['unit'] == '${want% *}' and h['device'] == '${want#* }' for h in d['holders'])" || true)" = true
done

# ---- boot 1: a stray CUDA-like process is refused before anything changes
cudapid=$(f "$(wbline 'boot=1 stray name=cuda-train ')" pid)
printf '      %s\n' "$(wbline 'boot=1 stray name=cuda-train ')"
vm_expect "stray: cuda-train runs in a transient scope, holding /dev/nvidia-uvm" \
	'boot=1 stray name=cuda-train ' unit=cuda-job.scope alive=yes
printf '      %s\n' "$(wbline 'boot=1 case=rmmod-held ')"
vm_expect "stray: its open /dev/nvidia-uvm holds nvidia_uvm (rmmod fails, the module stays)" \
	'boot=1 case=rmmod-held ' rc!=0 nvidia_uvm=yes
line=$(wbline 'boot=1 case=plan-stray rc=')
printf '      plan with the stray: rc=%s\n' "$(f "$line" rc)"
vm_indent "$(wbdump 'boot=1 plan-stray')"
vm_check "stray: plan shows cuda-train holding /dev/nvidia-uvm" "" \
	vm_contains "cuda-train" "$(wbdump 'boot=1 plan-stray')"
vm_expect "stray: plan fails its holders check (exit 3)" 'boot=1 case=plan-stray rc=' rc=3
line=$(wbline 'boot=1 case=stray rc=')
msg=$(wbmsg "$line")
printf '      warmboot reboot: rc=%s msg=%s\n' "$(f "$line" rc)" "$msg"
vm_expect "stray: warmboot reboot refuses with exit 3" 'boot=1 case=stray rc=' rc=3
vm_check "stray: the message names the pid and the process name" "msg=$msg" \
	vm_contains "pid $cudapid (cuda-train" "$msg"
vm_check "stray: the message is one sentence" "msg=$msg" \
	test "$(wbdump 'boot=1 stray-stderr' | grep -c .)" -eq 1
vm_expect "stray: nothing changed (no kernel loaded, modules loaded, graphical, units active)" \
	'boot=1 case=stray-after ' "${STATE_OK[@]}"
vm_expect "stray: the process was left alone" 'boot=1 case=stray-after2 ' cuda_alive=yes

# ---- boot 1: warmboot reboot --kill through systemd
line=$(wbline 'boot=1 case=reboot rc=')
printf '      warmboot reboot --kill: %s\n' "$line"
vm_indent "$(wbdump 'boot=1 reboot-out')"
vm_expect "reboot --kill: exits 0 (hand-over queued)" 'boot=1 case=reboot rc=' rc=0
vm_expect "reboot --kill: the stray cuda-train was ended" 'boot=1 case=reboot rc=' cuda_alive=no
vm_expect "reboot --kill: the five modules unloaded before the hand-over" 'boot=1 case=reboot rc=' \
	nvidia=no nvidia_modeset=no nvidia_uvm=no nvidia_drm=no nvidia_peermem=no
# the order the kernel unloaded them in, from the modules' own messages
unloaded=$(sed -n '/WBTEST boot=1 handover/,/Linux version [0-9]/p' "$VM_MARKERS" |
	sed -n "s/.* \([a-z_]*\) (test double of the NVIDIA driver's shape) unloaded.*/\1/p" | tr '\n' ' ')
printf '      unloaded, in this order: %s\n' "$unloaded"
# shellcheck disable=SC2086 # one module a word
vm_check "reboot --kill: the kernel unloaded all five, each after its users" "unloaded: $unloaded" \
	order_ok $unloaded
# what happened before the first module went, from boot 1's journal (read in boot 2)
prev=$(wbdump 'boot=2 prev-journal')
vm_indent "$(grep -E 'Stopped (target )?(graphical|multi-user|nvidia-persistenced|lightdm)|cuda-job|timed out|shape\) unloaded' <<<"$prev" | grep -v WBTEST || true)" '      boot 1 journal: '
# at ERE: the monotonic time stamp of the first journal line matching ERE
at() { grep -m1 -E -- "$1" <<<"$prev" | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p' || true; }
unload_at=$(at "test double of the NVIDIA driver's shape\) unloaded")
earlier() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
vm_check "reboot --kill: graphical.target stopped before the first module was unloaded" "" \
	earlier "$(at 'Stopped target graphical\.target')" "$unload_at"
vm_check "reboot --kill: multi-user.target stayed (isolated, not stopped) until the modules were gone" "" \
	earlier "$(at "nvidia \(test double of the NVIDIA driver's shape\) unloaded")" "$(at 'Stopped target multi-user\.target')"
vm_check "reboot --kill: nvidia-persistenced.service stopped before the modules" "" \
	earlier "$(at 'Stopped nvidia-persistenced\.service')" "$unload_at"
vm_check "reboot --kill: lightdm.service stopped before the modules" "" \
	earlier "$(at 'Stopped lightdm\.service')" "$unload_at"
n=$(vm_count "$VM_MARKERS" 'systemd-shutdown.*kexec|Rebooting with kexec')
vm_check "boot 1 -> 2 through systemd-shutdown's kexec" "saw $n 'Rebooting with kexec'" test "$n" -eq 1

# ---- boot 2: everything back
vm_check_cmdline 2 second root=/dev/vda
printf '      boot 2: %s\n' "$(wbline 'boot=2 facts ')"
printf '      boot 2: %s\n' "$(wbline 'boot=2 lsmod ')"
vm_expect "boot 2: the five modules loaded again, devices back, graphical.target, persistenced and lightdm active" \
	'boot=2 facts ' "${STATE_OK[@]}"
vm_expect "boot 2: warmboot status names the warm boot" 'boot=2 status rc=' rc=0
vm_check_data 2 systemd "systemd hand-over"
vm_check_fslog 2 "systemd hand-over"
vm_check_done 2
vm_check_disk "$disk" 2 "systemd=$VM_DATA_SUM"

vm_say "nvidia.sh took $((SECONDS - start))s"
vm_finish "$disk"
