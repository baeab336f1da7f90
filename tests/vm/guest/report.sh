# shellcheck shell=sh
# How the guest scenarios of tests/vm report (sourced by busybox-init, entries-init,
# debian-test and gpu-test; POSIX sh, so busybox ash runs it as well as bash). Installed in
# the guests as /usr/local/lib/warmboot-vm/report.sh.
#
# Every result is one line on the console, read by the host (tools/lib-vm.sh judges them):
#   WBTEST boot=B NAME [KEY=VALUE ...] [msg=free text to the end of the line]   a fact
#   WBTEST boot=B FAIL what                                     the scenario itself broke
#   WBTEST boot=B TAG| line                                     one line of a dumped output
# The scripts report facts (exit statuses, states, outputs) and judge nothing about
# warmboot: the host decides. Set BOOT (the boot number) before reporting.

WB_STATE=${WB_STATE:-/var/lib/warmboot-vm}

# say TEXT: one fact line of this boot
say() { echo "WBTEST boot=${BOOT:-?} $*"; }
# fail TEXT: the scenario could not go on as planned (the host counts these as failures)
fail() { say "FAIL $*"; }
# oneline: stdin as one line (newlines and runs of blanks as one space), for msg=...
oneline() { tr '\n' ' ' | sed -e 's/  */ /g' -e 's/ $//'; }
# dump TAG FILE: every line of FILE as "WBTEST boot=B TAG| line"
dump() { sed -e "s/^/WBTEST boot=${BOOT:-?} $1| /" "$2"; }
# loaded: /sys/kernel/kexec_loaded (1 when a kernel is loaded for kexec)
loaded() { cat /sys/kernel/kexec_loaded 2>/dev/null || echo '?'; }

# report_start: the first lines of every boot (the host counts "start" lines per boot)
report_start() {
	say "start release=$(cat /proc/sys/kernel/osrelease) uptime=$(cut -d' ' -f1 /proc/uptime)"
	say "cmdline=$(cat /proc/cmdline)"
}

# report_run NAME CMD...: run CMD; report "NAME rc=R loaded=L", dump stdout as NAME and
# stderr as NAME-stderr
report_run() {
	_name=$1
	shift
	"$@" >/tmp/report.out 2>/tmp/report.err
	say "$_name rc=$? loaded=$(loaded)"
	dump "$_name" /tmp/report.out
	dump "$_name-stderr" /tmp/report.err
}

# report_fslog: this boot's ext4 and recovery kernel messages, dumped as "fslog"
report_fslog() {
	dmesg | grep -E 'EXT4-fs|recover|orphan' >/tmp/report.fslog
	dump fslog /tmp/report.fslog
}

# boot_count: count this boot in WB_STATE/boot-count (on the disk) and set BOOT to it
boot_count() {
	mkdir -p "$WB_STATE"
	BOOT=$(cat "$WB_STATE/boot-count" 2>/dev/null || echo 0)
	BOOT=$((BOOT + 1))
	echo "$BOOT" >"$WB_STATE/boot-count"
}

# data_write NAME: 1 MiB of fresh data in WB_STATE/NAME.bin and its sha256, deliberately
# without fsync/sync (the hand-over must flush it); reports "data name=NAME sha256=..."
data_write() {
	head -c 1048576 /dev/urandom >"$WB_STATE/$1.bin"
	sha256sum <"$WB_STATE/$1.bin" | cut -d' ' -f1 >"$WB_STATE/$1.sha256"
	say "data name=$1 sha256=$(cat "$WB_STATE/$1.sha256")"
}
# data_check NAME: reports "data-check name=NAME saved=SHA256-WRITTEN now=SHA256-READ"
data_check() {
	_saved=$(cat "$WB_STATE/$1.sha256" 2>/dev/null || echo missing)
	_now=$(sha256sum <"$WB_STATE/$1.bin" 2>/dev/null | cut -d' ' -f1)
	say "data-check name=$1 saved=$_saved now=${_now:-missing}"
}

# report_done: the scenario of this boot ran to its end
report_done() { say "done"; }
