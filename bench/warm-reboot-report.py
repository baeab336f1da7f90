#!/usr/bin/env python3
"""The report of bench/warm-reboot.sh.

  warm-reboot-report.py measure RES OUT_DIR ...   the runs' serial logs in RES/run-*/ ->
                                                  OUT_DIR/warm-reboot.json and .md
  warm-reboot-report.py table JSON                the README's table, from the JSON alone
  warm-reboot-report.py readme JSON README        puts that table into README between its
                                                  markers (--check: only say if it differs)

Every figure of the table comes from the JSON, so that the README's table can be checked
against the results it claims to show.
"""
import glob
import json
import os
import re
import statistics
import sys
import time

VARIANTS = ["script", "systemctl-kexec", "warmboot", "warmboot-preloaded", "warmboot-now",
            "warmboot-now-preloaded", "cold"]
WHAT = {
    "script": "the seed's script: `kexec -l …`, then `systemctl kexec`",
    "systemctl-kexec": "`systemctl kexec`, the kernel loaded beforehand",
    "warmboot": "`warmboot reboot`",
    "warmboot-preloaded": "`warmboot reboot` after `warmboot load`",
    "warmboot-now": "`warmboot reboot --now`",
    "warmboot-now-preloaded": "`warmboot reboot --now` after `warmboot load`",
    "cold": "cold: `systemctl reboot` through OVMF and GRUB",
}
# On the host clock, as the serial lines arrived (the first benchmark's phases).
HOST = ["total_s", "before_handover_s", "handover_s", "kernel_s", "userspace_s"]
# Phase by phase: the guest's clocks where it has them, the host's across the jump.
PHASES = ["own_s", "load_s", "preparation_s", "request_s", "shutdown_s", "jump_s", "kernel_s",
          "userspace_s", "before_handover_s", "systemd_finish_s"]
# warmboot's WARMBOOT_TIMING phases that are neither the load nor the preparation
NOT_OWN = {"load", "load record", "preparation", "hand-over asked", "end", "own shutdown"}
BEGIN = "<!-- warm-reboot table: bench/warm-reboot-report.py readme, from bench/results/warm-reboot.json -->"
END = "<!-- end of the warm-reboot table -->"

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PRINTK = re.compile(r"^\[\s*(\d+\.\d+)\]")
TIMING = re.compile(r"warmboot: timing: (.+) ([\d.]+) ms, cpu ([\d.]+) ms, at ([\d.]+) s")


def read(path, default=""):
    try:
        return open(path).read().strip()
    except OSError:
        return default


def printk_time(text):
    m = PRINTK.match(text)
    return float(m.group(1)) if m else None


def uptime_of(text):
    m = re.search(r"uptime=([\d.]+)", text)
    return float(m.group(1)) if m else None


def load_samples(path):
    out = []
    for raw in open(path) if os.path.exists(path) else []:
        w = raw.split()
        if len(w) == 2 and w[0].isdigit():
            out.append((int(w[0]), float(w[1])))
    return out


def measure(path, samples):
    """One run's reboots: {variant: {"host": {...}, "phases": {...}, "load": L}}, problems."""
    lines = []
    for raw in open(path, errors="replace"):
        us, _, text = raw.rstrip("\n").partition(" ")
        if us.isdigit():
            lines.append((int(us), ANSI.sub("", text)))
    times = {}
    for _, text in lines:
        m = re.search(r"WBBENCH times boot=(\d+) (.*)", text)
        if m:
            kv = dict(re.findall(r"(\w+)=(\d+)", m.group(2)))
            times[int(m.group(1))] = {k: int(v) / 1e6 for k, v in kv.items()}
    got, problems = {}, []
    for i, (t, text) in enumerate(lines):
        m = re.search(r"WBBENCH go boot=(\d+) variant=(\S+)", text)
        if not m:
            continue
        boot, v = int(m.group(1)), m.group(2)
        go_up = uptime_of(text)
        loaded_up = None
        timing = []
        last = banner = init = up = None
        last_pk = init_pk = up_up = None
        firmware = kexec = False
        for t2, x in lines[i + 1:]:
            if last is None:
                tm = TIMING.search(x)
                if tm:
                    timing.append((tm.group(1), float(tm.group(2)) / 1e3, float(tm.group(4))))
                if re.search(r"WBBENCH loaded boot=%d\b" % boot, x):
                    loaded_up = uptime_of(x)
                if "kexec_core: Starting new kernel" in x:
                    last, kexec, last_pk = t2, True, printk_time(x)
                elif "reboot: Restarting system" in x:
                    last, last_pk = t2, printk_time(x)
                continue
            if "BdsDxe: starting" in x or "Welcome to GRUB" in x:
                firmware = True
            if banner is None:
                if re.search(r"Linux version [0-9]", x):
                    banner = t2
                continue
            if init is None and "Run /init as init process" in x:
                init, init_pk = t2, printk_time(x)
            if re.search(r"WBBENCH up boot=%d\b" % (boot + 1), x):
                up, up_up = t2, uptime_of(x)
                break
        if None in (last, banner, init, up):
            problems.append("%s (boot %d): no end seen" % (v, boot))
            continue
        warm = v != "cold"
        if warm != kexec or warm == firmware:
            problems.append("%s (boot %d): went %s" % (v, boot, "through the firmware" if firmware else "by kexec"))
            continue
        host = {"total_s": (up - t) / 1e6, "before_handover_s": (last - t) / 1e6,
                "handover_s": (banner - last) / 1e6, "kernel_s": (init - banner) / 1e6,
                "userspace_s": (up - init) / 1e6}
        ph = {"jump_s": (banner - last) / 1e6}
        named = {name: (secs, at) for name, secs, at in timing}
        asked = None
        if v.startswith("warmboot") and timing:
            ph["own_s"] = sum(secs for name, secs, _ in timing if name not in NOT_OWN)
            ph["load_s"] = sum(named[k][0] for k in ("load", "load record") if k in named)
            ph["preparation_s"] = named.get("preparation", (0.0, None))[0]
            ph["request_s"] = named.get("hand-over asked", (None, None))[0]
            asked = named.get("hand-over asked", (None, None))[1]
        elif v == "script":
            ph["own_s"], ph["preparation_s"] = 0.0, 0.0
            ph["load_s"] = loaded_up - go_up if None not in (loaded_up, go_up) else None
            asked = loaded_up
        else:
            ph["own_s"], ph["load_s"], ph["preparation_s"] = 0.0, 0.0, 0.0
            asked = go_up
        ph["shutdown_s"] = last_pk - asked if None not in (last_pk, asked) else None
        ph["before_handover_s"] = last_pk - go_up if None not in (last_pk, go_up) else None
        ph["kernel_s"] = init_pk
        ph["userspace_s"] = up_up - init_pk if None not in (up_up, init_pk) else None
        st = times.get(boot + 1, {})
        ph["systemd_finish_s"] = st.get("FinishTimestampMonotonic")
        xs = [s for a, s in samples if t <= a <= up]
        got[v] = {"host": host, "phases": {k: x for k, x in ph.items() if x is not None},
                  "load": sum(xs) / len(xs) if xs else None, "boot": boot + 1}
    for _, text in lines:
        if "WBBENCH error" in text:
            problems.append(text[text.index("WBBENCH error") + 8:])
    return got, problems


def spread(xs, nd=2):
    return {"median": round(statistics.median(xs), nd), "min": round(min(xs), nd),
            "max": round(max(xs), nd), "n": len(xs)} if xs else None


def cmd_measure(res, out_dir, release, qemu, ncpu, smp, name="warm-reboot"):
    runs = sorted(glob.glob(os.path.join(res, "run-*")), key=lambda d: int(d.rsplit("-", 1)[1]))
    per_run, notes, boots = [], [], []
    for d in runs:
        got, problems = measure(os.path.join(d, "serial.stamped"), load_samples(os.path.join(d, "load.samples")))
        rc = read(os.path.join(d, "qemu-rc"), "?")
        if rc != "0":
            problems.append("QEMU status %s" % rc)
        per_run.append(got)
        # How many kexecs since the last boot through the firmware, for every boot measured
        gen, by_boot = 0, {}
        order = read(os.path.join(d, "order")).split()
        for i, v in enumerate(order):
            gen = 0 if v == "cold" else gen + 1
            if v in got:
                by_boot[got[v]["boot"]] = (v, gen)
        for b, (v, g) in sorted(by_boot.items()):
            ph = got[v]["phases"]
            boots.append({"run": int(d.rsplit("-", 1)[1]), "boot": b, "after": v, "kexecs_since_cold": g,
                          "kernel_s": ph.get("kernel_s"), "userspace_s": ph.get("userspace_s"),
                          "systemd_finish_s": ph.get("systemd_finish_s"),
                          "kernel_userspace_host_s": got[v]["host"]["kernel_s"] + got[v]["host"]["userspace_s"]})
        notes.append({"run": int(d.rsplit("-", 1)[1]), "order": read(os.path.join(d, "order")),
                      "qemu_s": read(os.path.join(d, "qemu-secs"), "?"),
                      "load_before": read(os.path.join(d, "load-before"), "?"),
                      "load_after": read(os.path.join(d, "load-after"), "?"), "problems": problems})
    icount = read(os.path.join(res, "icount"), "none")
    doc = {"guest": {"firmware": "ovmf", "loader": "grub", "release": release, "qemu": qemu,
                     "accel": "tcg", "smp": int(smp), "host_cpus": int(ncpu),
                     "icount_shift": None if icount == "none" else int(icount)},
           "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime(os.path.join(runs[-1], "serial.stamped"))
                                                                   if runs else time.time())),
           "warmboot": read(os.path.join(res, "version"), "?"), "commit": read(os.path.join(res, "commit"), "?"),
           "runs": len(runs), "notes": notes, "variants": {}}
    for v in VARIANTS:
        rs = [r[v] for r in per_run if v in r]
        if not rs:
            continue
        e = {"what": WHAT[v], "n": len(rs)}
        for p in HOST:
            e[p] = round(statistics.median(x["host"][p] for x in rs), 2)
        e["host"] = {p: spread([x["host"][p] for x in rs]) for p in HOST}
        e["phases"] = {p: spread([x["phases"][p] for x in rs if p in x["phases"]], 3) for p in PHASES}
        for base in ("script", "systemctl-kexec"):
            xs = [r[v]["host"]["total_s"] / r[base]["host"]["total_s"] for r in per_run
                  if v in r and base in r and r[base]["host"]["total_s"] > 0]
            e["vs_" + base.replace("-", "_")] = spread(xs)
        e["host_load"] = spread([x["load"] for x in rs if x["load"] is not None], 1)
        doc["variants"][v] = e
    # The boots by how many kexecs came since the last cold boot: 0 (through the firmware),
    # an odd number, an even one
    doc["boots"] = boots
    groups = {"cold": [x for x in boots if x["kexecs_since_cold"] == 0],
              "odd": [x for x in boots if x["kexecs_since_cold"] % 2 == 1],
              "even": [x for x in boots if x["kexecs_since_cold"] > 0 and x["kexecs_since_cold"] % 2 == 0]}
    doc["by_kexecs_since_cold"] = {
        k: {p: spread([x[p] for x in xs if x[p] is not None], 3)
            for p in ("kernel_s", "userspace_s", "systemd_finish_s", "kernel_userspace_host_s")}
        for k, xs in groups.items()}
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    text = report(doc)
    with open(os.path.join(out_dir, name + ".md"), "w") as f:
        f.write(text)
    print(text)
    bad = sum(len(n["problems"]) for n in notes)
    return 1 if bad or not runs else 0


def cell(s, nd=2, unit=""):
    if not s:
        return "n/a"
    f = "%%.%df" % nd
    if s["n"] == 1 or s["min"] == s["max"]:
        return (f % s["median"]) + unit
    return (f + "%s (" + f + "-" + f + ")") % (s["median"], unit, s["min"], s["max"])


def table(doc):
    """The phase table: what the README shows, from the JSON alone."""
    heads = ["variant", "n", "own work", "load", "preparation", "systemd's shutdown", "jump",
             "kernel", "userspace", "before hand-over", "total", "vs script", "vs systemctl kexec"]
    out = ["| " + " | ".join(heads) + " |", "|---|" + "---:|" * (len(heads) - 1)]
    for v in VARIANTS:
        e = doc["variants"].get(v)
        if not e:
            continue
        ph = e["phases"]
        ours = v.startswith("warmboot")
        ahead = v == "systemctl-kexec" or v.endswith("-preloaded")
        row = [e["what"], str(e["n"]),
               cell(ph["own_s"], 3) if ours else "–",
               "ahead" if ahead else "–" if v == "cold" else cell(ph["load_s"]),
               cell(ph["preparation_s"], 3) if ours else "–", cell(ph["shutdown_s"]),
               cell(ph["jump_s"]), cell(ph["kernel_s"]), cell(ph["userspace_s"]),
               cell(ph["before_handover_s"]), cell(e["host"]["total_s"]),
               cell(e["vs_script"], 2, "x"), cell(e["vs_systemctl_kexec"], 2, "x")]
        out.append("| " + " | ".join(row) + " |")
    return "\n".join(out) + "\n"


def report(doc):
    g = doc["guest"]
    md = ["# warm reboot benchmark: the uefi-grub guest", "",
          "%s; %s (%s); guest: Debian 12, kernel %s, systemd, booted by OVMF and GRUB (GRUB_TIMEOUT=5);"
          % (doc["when"], doc["warmboot"], doc["commit"], g["release"]),
          "QEMU %s TCG (software emulation, -smp %d%s); host %d CPUs. %d runs, one guest (one QEMU run) each,"
          % (g["qemu"], g["smp"], (", -icount shift=%d,sleep=on: guest clocks count instructions"
                                    % g["icount_shift"]) if g.get("icount_shift") is not None else "",
             g["host_cpus"], doc["runs"]),
          "one reboot of every variant per run. Seconds, median (min-max) over the runs.", "",
          "## Phase by phase", "", table(doc),
          "own work, load, preparation: warmboot's WARMBOOT_TIMING=1 lines (the script's load: its",
          "`kexec -l`); systemd's shutdown: from the request for kexec.target (or the forced kexec) to",
          "the old kernel's last line, on its printk clock; jump: from that line to the new kernel's",
          "first line on the serial console, on the host clock (purgatory, the jump, decompression and",
          "the kernel's start until its console registers; for the cold reboot OVMF and GRUB); kernel:",
          "the new kernel's printk time of `Run /init`; userspace: from there to the first unit of the",
          "new boot, on the guest's CLOCK_BOOTTIME; before hand-over: the command to the old kernel's",
          "last line, on the guest's clock; total: the command to the first unit, on the host clock;",
          "ratios: each run's total against the script's / systemctl kexec's of the same run.", "",
          "## On the host clock", "",
          "| variant | total | before hand-over | hand-over | kernel | userspace | systemd: boot finished | host load |",
          "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for v in VARIANTS:
        e = doc["variants"].get(v)
        if e:
            md.append("| %s | %s | %s | %s | %s | %s | %s | %s |"
                      % (e["what"], *(cell(e["host"][p]) for p in HOST), cell(e["phases"]["systemd_finish_s"]),
                         cell(e["host_load"], 1)))
    md += ["", "## Boot by boot", "",
           "Every new boot by how many kexecs came before it since the last boot through the firmware",
           "(cold: none), on the guest's clocks (kernel: printk time of `Run /init`; userspace: from there to",
           "the first unit; boot finished: systemd's FinishTimestampMonotonic) and, kernel and userspace",
           "together, on the host's:", "",
           "| kexecs since cold | n | kernel | userspace | boot finished | kernel + userspace, host |",
           "|---|---:|---:|---:|---:|---:|"]
    for k, label in (("cold", "0 (cold)"), ("odd", "1, 3, 5"), ("even", "2, 4, 6")):
        g = doc["by_kexecs_since_cold"].get(k, {})
        n = g.get("kernel_s", {}) or {}
        md.append("| %s | %s | %s | %s | %s | %s |" % (label, n.get("n", 0), cell(g.get("kernel_s")),
                                                      cell(g.get("userspace_s")), cell(g.get("systemd_finish_s")),
                                                      cell(g.get("kernel_userspace_host_s"))))
    md += ["", "| run | boot | after | kexecs since cold | kernel | userspace | boot finished | kernel + userspace, host |",
           "|---:|---:|---|---:|---:|---:|---:|---:|"]
    f2 = lambda x: "n/a" if x is None else "%.2f" % x
    for x in doc["boots"]:
        md.append("| %d | %d | %s | %d | %s | %s | %s | %s |" % (x["run"], x["boot"], x["after"], x["kexecs_since_cold"],
                                                               f2(x["kernel_s"]), f2(x["userspace_s"]),
                                                               f2(x["systemd_finish_s"]), f2(x["kernel_userspace_host_s"])))
    md += ["", "systemd: boot finished: FinishTimestampMonotonic of the new boot (from the kernel's start",
           "on its clock); host load: the host's 1-minute load average during the measurement.", "",
           "The host while it ran (other guests may have shared it):", ""]
    for n in doc["notes"]:
        md.append("- run %d: %s; QEMU %s s; at the start %s, at the end %s%s"
                  % (n["run"], n["order"], n["qemu_s"], n["load_before"], n["load_after"],
                     ("; problems: " + "; ".join(n["problems"])) if n["problems"] else ""))
    return "\n".join(md) + "\n"


def cmd_readme(json_path, readme, check):
    doc = json.load(open(json_path))
    text = open(readme).read()
    if BEGIN not in text or END not in text:
        print("%s has no warm-reboot table markers" % readme, file=sys.stderr)
        return 1
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = head + BEGIN + "\n" + table(doc) + END + tail
    if check:
        if new != text:
            print("%s: the warm-reboot table differs from %s: run bench/warm-reboot-report.py readme"
                  % (readme, json_path), file=sys.stderr)
            return 1
        return 0
    with open(readme, "w") as f:
        f.write(new)
    return 0


def main(argv):
    if len(argv) in (7, 8) and argv[0] == "measure":
        return cmd_measure(*argv[1:])
    if len(argv) == 2 and argv[0] == "table":
        sys.stdout.write(table(json.load(open(argv[1]))))
        return 0
    if len(argv) in (3, 4) and argv[0] == "readme":
        return cmd_readme(argv[1], argv[2], len(argv) == 4 and argv[3] == "--check")
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
