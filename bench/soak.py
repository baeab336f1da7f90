#!/usr/bin/python3
"""The host's side of the PostgreSQL soak (bench/soak.sh, tests/vm/soak.sh).

    soak.py run --port P --stamps FILE --done FILE --out DIR --reboots N
    soak.py report --run DIR/run.json --fsck-rc RC --fsck-out FILE --out soak.json ...

run: a writer thread commits one row per transaction, INSERT of the next sequence number
between BEGIN and COMMIT, synchronous_commit on, into the guest's database soak through the
port forward 127.0.0.1:P, and appends each sequence number whose COMMIT returned to
DIR/acked (one "SEQ MICROSECONDS" line each). A connection that fails or a statement that
gets no answer in time is closed and opened again with a back-off; the transaction it was in
counts as an error (it may or may not have committed: it was never acknowledged). The main
thread follows the guest's serial lines (STAMPS, "MICROSECONDS LINE" as vm_stamp_lines
writes them); at each boot's "ready" it reads every seq in the table, compares it with what
was acknowledged before, and inserts the boot's row in go, which lets the guest go on. At the
last boot (or the first boot checked after the file --stop names appears) the writer stops
first, so that every acknowledged commit is checked, and the go tells the guest to power off. DIR/run.json
has the facts; report adds the disk's e2fsck and writes the summary.
"""

import argparse
import bisect
import json
import os
import re
import select
import statistics
import sys
import threading
import time

import psycopg2
import psycopg2.extensions

STATEMENT_SEC = 15
CONNECT_SEC = 5


def now_us():
    return time.time_ns() // 1000


def wait(conn, timeout):
    """Drive an asynchronous psycopg2 connection until its operation completes."""
    end = time.monotonic() + timeout
    while True:
        state = conn.poll()
        if state == psycopg2.extensions.POLL_OK:
            return
        left = end - time.monotonic()
        if left <= 0:
            raise TimeoutError("no answer in %d s" % timeout)
        fd = conn.fileno()
        if state == psycopg2.extensions.POLL_READ:
            select.select([fd], [], [], left)
        elif state == psycopg2.extensions.POLL_WRITE:
            select.select([], [fd], [], left)
        else:
            raise psycopg2.OperationalError("bad poll state %r" % state)


def connect(port):
    conn = psycopg2.connect(host="127.0.0.1", port=port, dbname="soak", user="postgres",
                            options="-c synchronous_commit=on", async_=1)
    wait(conn, CONNECT_SEC)
    return conn


def query(conn, sql, args=None, timeout=STATEMENT_SEC):
    cur = conn.cursor()
    cur.execute(sql, args)
    wait(conn, timeout)
    return cur


def close(conn):
    if conn is not None:
        try:
            conn.close()
        except Exception:  # pylint: disable=broad-except
            pass


class Writer(threading.Thread):
    """Commits continuously; records what was acknowledged."""

    def __init__(self, port, acked_path):
        super().__init__(daemon=True)
        self.port = port
        self.lock = threading.Lock()
        self.acked = []           # sequence numbers whose COMMIT returned, in order
        self.acked_at = []        # their host times (microseconds)
        self.errors = 0           # transactions sent whose COMMIT did not return
        self.connect_errors = 0   # connections that could not be opened
        self.connections = 0
        self.sync_commit = set()  # what the server said synchronous_commit is
        self.stop = threading.Event()
        self.out = open(acked_path, "w", buffering=1, encoding="ascii")

    def run(self):
        seq = 0
        conn = None
        backoff = 0.1
        while not self.stop.is_set():
            if conn is None:
                try:
                    conn = connect(self.port)
                    self.sync_commit.add(query(conn, "SHOW synchronous_commit").fetchone()[0])
                    self.connections += 1
                    backoff = 0.1
                except Exception:  # pylint: disable=broad-except
                    close(conn)
                    conn = None
                    with self.lock:
                        self.connect_errors += 1
                    self.stop.wait(backoff)
                    backoff = min(backoff * 2, 2.0)
                    continue
            seq += 1
            try:
                query(conn, "BEGIN; INSERT INTO acks (seq) VALUES (%s); COMMIT", (seq,))
            except Exception:  # pylint: disable=broad-except
                close(conn)
                conn = None
                with self.lock:
                    self.errors += 1
                continue
            t = now_us()
            self.out.write("%d %d\n" % (seq, t))
            with self.lock:
                self.acked.append(seq)
                self.acked_at.append(t)
        close(conn)
        self.out.close()

    def snapshot(self):
        with self.lock:
            return list(self.acked)


def check_table(port, acked, tries=20):
    """Every seq of acked in the table: (rows in the table, missing seqs) or raises."""
    last = None
    for _ in range(tries):
        conn = None
        try:
            conn = connect(port)
            rows = query(conn, "SELECT seq FROM acks", timeout=120).fetchall()
            present = {r[0] for r in rows}
            missing = sorted(set(acked) - present)
            return len(present), missing
        except Exception as e:  # pylint: disable=broad-except
            last = e
            time.sleep(2)
        finally:
            close(conn)
    raise RuntimeError("cannot read the table: %s" % last)


def say_go(port, boot, last, tries=20):
    err = None
    for _ in range(tries):
        conn = None
        try:
            conn = connect(port)
            query(conn, "INSERT INTO go (boot, last) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                  (boot, last))
            return
        except Exception as e:  # pylint: disable=broad-except
            err = e
            time.sleep(2)
        finally:
            close(conn)
    raise RuntimeError("cannot say go to boot %d: %s" % (boot, err))


def follow(path, done_path):
    """The lines of a growing file, until done_path exists and the file is read to its end."""
    while not os.path.exists(path):
        if os.path.exists(done_path):
            return
        time.sleep(0.2)
    with open(path, encoding="utf-8", errors="replace") as f:
        buf = ""
        finished = False
        while True:
            chunk = f.read()
            if chunk:
                buf += chunk
                *lines, buf = buf.split("\n")
                yield from lines
                continue
            if finished:
                if buf:
                    yield buf
                return
            if os.path.exists(done_path):
                finished = True  # one more read after QEMU has ended
                continue
            time.sleep(0.2)


MARK = re.compile(r"WBTEST boot=(\d+) (.*)$")


def field(text, key):
    m = re.search(r"(?:^| )" + re.escape(key) + r"=(\S*)", text)
    return m.group(1) if m else None


def cmd_run(a):
    os.makedirs(a.out, exist_ok=True)
    writer = Writer(a.port, os.path.join(a.out, "acked"))
    boots = {}  # boot -> facts
    problems = []
    last_boot = a.reboots + 1
    t0 = None

    def b(n):
        return boots.setdefault(n, {"boot": n, "fslog": [], "pglog": []})

    def save():
        acked = writer.snapshot()
        doc = {
            "reboots_planned": a.reboots,
            "started_us": t0,
            "acknowledged": len(acked),
            "commit_errors": writer.errors,
            "connect_errors": writer.connect_errors,
            "connections": writer.connections,
            "synchronous_commit": sorted(writer.sync_commit),
            "acked_at": writer.acked_at if writer.stop.is_set() else [],
            "boots": [boots[k] for k in sorted(boots)],
            "problems": problems,
        }
        tmp = os.path.join(a.out, "run.json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        os.replace(tmp, os.path.join(a.out, "run.json"))

    for line in follow(a.stamps, a.done):
        us, _, text = line.partition(" ")
        if not us.isdigit():
            continue
        us = int(us)
        if t0 is None:
            t0 = us
        m = MARK.search(text)
        if not m:
            continue
        n, what = int(m.group(1)), m.group(2)
        if what.startswith("fslog| "):
            b(n)["fslog"].append(what[len("fslog| "):])
        elif what.startswith("pglog| "):
            b(n)["pglog"].append(what[len("pglog| "):])
        elif what.startswith("start "):
            b(n)["start_us"] = us
        elif what.startswith("ext4 "):
            b(n)["ext4_errors"] = field(what, "errors_count")
        elif what.startswith("pgstart "):
            b(n)["pg_redo"] = field(what, "redo")
            b(n)["pg_start"] = what.partition("msg=")[2]
        elif what.startswith("setup "):
            b(n)["setup_rc"] = field(what, "rc")
        elif what.startswith("amcheck "):
            b(n)["amcheck_rc"] = field(what, "rc")
            b(n)["amcheck_rows"] = field(what, "rows")
            b(n)["amcheck_msg"] = what.partition("msg=")[2]
        elif what.startswith("system "):
            b(n)["confirm"] = field(what, "confirm")
        elif what.startswith("handover "):
            b(n)["handover_us"] = us
            b(n)["kind"] = field(what, "kind")
        elif what.startswith("reboot "):
            b(n)["reboot_rc"] = field(what, "rc")
            b(n)["reboot_msg"] = what.partition("msg=")[2]
        elif what.startswith("FAIL"):
            problems.append("boot %d: %s" % (n, what))
        elif what == "done":
            b(n)["done"] = True
        elif what == "ready":
            b(n)["ready_us"] = us
            if n == 1 and not writer.is_alive() and not writer.stop.is_set():
                writer.start()
            last = n >= last_boot or (a.stop and os.path.exists(a.stop))
            if last:
                b(n)["last"] = True
                writer.stop.set()
                if writer.is_alive():
                    writer.join(STATEMENT_SEC * 3)
            acked = writer.snapshot()
            try:
                rows, missing = check_table(a.port, acked)
                b(n).update(checked_acked=len(acked), table_rows=rows, missing=missing[:100],
                            lost=len(missing), checked_us=now_us())
                print("soak: boot %d: %d acknowledged, %d rows in the table, %d missing"
                      % (n, len(acked), rows, len(missing)), file=sys.stderr, flush=True)
                say_go(a.port, n, last)
            except RuntimeError as e:
                problems.append("boot %d: %s" % (n, e))
                print("soak: boot %d: %s" % (n, e), file=sys.stderr, flush=True)
        save()
    writer.stop.set()
    if writer.is_alive():
        writer.join(STATEMENT_SEC * 3)
    save()
    return 0


def spread(values):
    if not values:
        return None
    return {"min": round(min(values), 1), "median": round(statistics.median(values), 1),
            "max": round(max(values), 1), "n": len(values)}


def recovered(fslog):
    """ext4 lines of a boot that say the journal was replayed or orphans were cleaned up."""
    pat = re.compile(r"recover|orphan|cleaned up", re.I)
    return [l for l in fslog if "vda" in l and pat.search(l)]


def shutdowns(path):
    """From PostgreSQL's log, boot by boot (each starts at "starting PostgreSQL"): how its
    server was asked to stop ("smart", "fast", "immediate"), None when it never was."""
    out = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            boot = 0
            for line in f:
                if "starting PostgreSQL" in line:
                    boot += 1
                m = re.search(r"received (\w+) shutdown request", line)
                if m and boot:
                    out[boot] = m.group(1)
    except OSError:
        pass
    return out


def cmd_report(a):
    with open(a.run, encoding="utf-8") as f:
        run = json.load(f)
    stops = shutdowns(a.pglog) if a.pglog else {}
    boots = {x["boot"]: x for x in run["boots"]}
    at = run.get("acked_at") or []
    per = []
    for n in sorted(boots):
        prev, cur = boots.get(n - 1), boots[n]
        if prev is None or "handover_us" not in prev or "checked_acked" not in cur:
            continue
        h = prev["handover_us"]
        r = {"reboot": n - 1, "kind": prev.get("kind"),
             "reboot_secs": round((cur["start_us"] - h) / 1e6, 1) if "start_us" in cur else None,
             "acknowledged_before": cur["checked_acked"], "lost": cur["lost"],
             "ext4_recovery": recovered(cur["fslog"]),
             "ext4_errors": int(cur["ext4_errors"]) if str(cur.get("ext4_errors")).isdigit() else None,
             "pg_shutdown": stops.get(n - 1),
             "pg_start": cur.get("pg_start"), "pg_redo": cur.get("pg_redo") == "yes",
             "amcheck_rc": cur.get("amcheck_rc"), "trial_confirm": cur.get("confirm")}
        # the longest stretch without an acknowledged commit around this reboot: from the
        # last acknowledgement before the guest stopped answering to the first after
        if at and "start_us" in cur:
            i = bisect.bisect_left(at, h)
            j = bisect.bisect_right(at, cur.get("checked_us", cur["start_us"]))
            window = at[max(i - 1, 0):min(j + 1, len(at))]
            gaps = [y - x for x, y in zip(window, window[1:])]
            r["write_outage_secs"] = round(max(gaps) / 1e6, 1) if gaps else None
        per.append(r)
    checks = [x for x in run["boots"] if "checked_acked" in x]
    final = checks[-1] if checks else {}
    lost = max((x["lost"] for x in checks), default=0)
    graceful = [r for r in per if r["kind"] == "systemd"]
    out = {
        "reboots": len(per),
        "reboots_planned": run["reboots_planned"],
        "acknowledged": run["acknowledged"],
        "acknowledged_checked_at_end": final.get("checked_acked"),
        "lost": lost,
        "commit_errors": run["commit_errors"],
        "connect_errors": run["connect_errors"],
        "recoveries": sum(1 for r in per if r["ext4_recovery"]),
        "recoveries_graceful": sum(1 for r in graceful if r["ext4_recovery"]),
        "fsck_errors": (0 if a.fsck_rc == 0 else 1)
        + sum(r["ext4_errors"] or 0 for r in per),
        "e2fsck_rc": a.fsck_rc,
        "e2fsck": a.fsck_text,
        "pg_crash_recoveries": sum(1 for r in per if r["pg_redo"]),
        "pg_crash_recoveries_graceful": sum(1 for r in graceful if r["pg_redo"]),
        "amcheck_failures": sum(1 for x in checks if x.get("amcheck_rc") != "0"),
        "pg_shutdown_requests": {k: sum(1 for r in per if str(r["pg_shutdown"]) == k)
                                 for k in sorted({str(r["pg_shutdown"]) for r in per})},
        "synchronous_commit": run["synchronous_commit"],
        "durations": {
            "total_secs": round(a.total_secs, 1),
            "reboot_secs": spread([r["reboot_secs"] for r in per if r["reboot_secs"] is not None]),
            "reboot_secs_systemd": spread([r["reboot_secs"] for r in graceful
                                           if r["reboot_secs"] is not None]),
            "reboot_secs_now": spread([r["reboot_secs"] for r in per if r["kind"] == "now"
                                       and r["reboot_secs"] is not None]),
            "write_outage_secs": spread([r["write_outage_secs"] for r in per
                                         if r.get("write_outage_secs") is not None]),
        },
        "handovers": {k: sum(1 for r in per if r["kind"] == k) for k in ("systemd", "now")},
        "problems": run["problems"],
        "per_reboot": per,
        "how": a.how,
    }
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    d = out["durations"]
    print("soak: %d reboots (%s), %d acknowledged, %d lost, %d ext4 recoveries, %d fsck errors, "
          "%d PostgreSQL crash recoveries; reboot %s s, write outage %s s, total %s s"
          % (out["reboots"], out["handovers"], out["acknowledged"], out["lost"], out["recoveries"],
             out["fsck_errors"], out["pg_crash_recoveries"],
             fmt(d["reboot_secs"]), fmt(d["write_outage_secs"]), d["total_secs"]), file=sys.stderr)
    return 0


def fmt(s):
    return "%s/%s/%s (min/median/max)" % (s["min"], s["median"], s["max"]) if s else "-"


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--stamps", required=True)
    r.add_argument("--done", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--reboots", type=int, required=True)
    r.add_argument("--stop", help="when this file exists, the next boot checked is the last")
    s = sub.add_parser("report")
    s.add_argument("--run", required=True)
    s.add_argument("--fsck-rc", type=int, required=True)
    s.add_argument("--fsck-text", default="")
    s.add_argument("--pglog", help="PostgreSQL's log, read from the disk after the run")
    s.add_argument("--total-secs", type=float, required=True)
    s.add_argument("--how", type=json.loads, default={})
    s.add_argument("--out", required=True)
    a = p.parse_args()
    return cmd_run(a) if a.cmd == "run" else cmd_report(a)


if __name__ == "__main__":
    sys.exit(main())
