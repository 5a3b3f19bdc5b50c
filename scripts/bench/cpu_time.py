"""CPU time spent by the parts of a benchmark run, read from /proc.

Usage: cpu_time.py snapshot SERVER_PID SMTP_PID > before.json
       cpu_time.py per-request before.json after.json REQUESTS
A snapshot contains the user plus system CPU seconds of the server's Argon2 threads (named
argon2-N), its hashing helper processes (`incert hash-worker`, children of the server), its
other threads, every PostgreSQL process and the SMTP server. per-request
prints, for each part, the CPU milliseconds spent between the two snapshots divided by
REQUESTS, one "part|milliseconds" line each. The load generator is not included: it ends
before the second snapshot, so the caller times it itself.
"""

import json
import os
import sys

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def cpu_seconds(stat_path):
    """User plus system CPU seconds from a /proc stat file, and the name in it."""
    with open(stat_path, encoding="utf-8") as file:
        text = file.read()
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return name, (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


def is_hashing_helper(pid, server_pid):
    """Whether process PID is a hashing helper that the server started."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as file:
            parent = file.read().rsplit(")", 1)[1].split()[1]
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            arguments = file.read().split(b"\0")
    except OSError:
        return False
    return parent == str(server_pid) and arguments[1:2] == [b"hash-worker"]


def snapshot(server_pid, smtp_pid):
    parts = {"argon2 threads": 0.0, "hashing helper processes": 0.0,
             "other server threads": 0.0, "postgresql": 0.0, "smtp server": 0.0}
    for thread in os.listdir(f"/proc/{server_pid}/task"):
        try:
            name, seconds = cpu_seconds(f"/proc/{server_pid}/task/{thread}/stat")
        except OSError:
            continue
        parts["argon2 threads" if name.startswith("argon2-") else "other server threads"] += seconds
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            name, seconds = cpu_seconds(f"/proc/{pid}/stat")
        except OSError:
            continue
        if pid == smtp_pid:
            parts["smtp server"] += seconds
        elif is_hashing_helper(pid, server_pid):
            parts["hashing helper processes"] += seconds
        elif name == "postgres":
            parts["postgresql"] += seconds
    return parts


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "snapshot":
        json.dump(snapshot(sys.argv[2], sys.argv[3]), sys.stdout)
    elif len(sys.argv) == 5 and sys.argv[1] == "per-request":
        with open(sys.argv[2], encoding="utf-8") as file:
            before = json.load(file)
        with open(sys.argv[3], encoding="utf-8") as file:
            after = json.load(file)
        requests = int(sys.argv[4])
        for part, seconds in after.items():
            spent = seconds - before.get(part, 0.0)
            print(f"{part}|{spent * 1000 / max(requests, 1):.2f}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
