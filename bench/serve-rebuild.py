#!/usr/bin/env python3
"""Times `errorbook serve` from saving an entry to the reload signal the browser receives.

    python3 bench/serve-rebuild.py --root SITE [--bin target/release/errorbook] [--runs 15]
                                   [--edit body|title]

Starts the preview server on a free loopback port, listens to its event stream like an open
tab does, then edits one entry again and again and measures, for each save, the time until the
server announces the new build. Prints the minimum, median and maximum in ms. `--edit body`
(the default) adds a sentence to the entry's body, which only its own page shows; `--edit
title` changes its title, which its category and tag pages, the home page, the entries
related to it and the site-wide files show too.
"""
import re
import argparse
import os
import socket
import statistics
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_of(pid):
    """The process's resident memory now and at its peak, in MiB (Linux's /proc)."""
    fields = {}
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        for line in f:
            name, _, value = line.partition(":")
            fields[name] = value.split()
    return int(fields["VmRSS"][0]) / 1024, int(fields["VmHWM"][0]) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--bin", default="target/release/errorbook")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--edit", choices=["body", "title"], default="body")
    args = parser.parse_args()

    entries = sorted(
        os.path.join(d, f) for d, _, files in os.walk(os.path.join(args.root, "content")) for f in files if f.endswith(".md")
    )
    target = entries[len(entries) // 2]
    original = open(target, encoding="utf-8").read()
    port = free_port()
    server = subprocess.Popen(
        [args.bin, "serve", "--root", args.root, "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in server.stderr:
            if line.startswith("serving "):
                break
        else:
            sys.exit("the server did not start")
        events = socket.create_connection(("127.0.0.1", port))
        events.sendall(b"GET /__errorbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        reader = events.makefile("rb")

        def next_event():
            while True:
                line = reader.readline()
                if not line:
                    sys.exit("the event stream closed")
                if line.startswith(b"event:"):
                    return line.strip().decode()

        assert next_event() == "event: ok"
        timings = []
        for run in range(args.runs):
            time.sleep(0.3)
            if args.edit == "body":
                edited = original + f"\nEdited for measurement {run}.\n"
            else:
                # Inside the quotes of a quoted title.
                edited = re.sub(
                    r'^title: ("?)(.*?)\1$', rf"title: \g<1>\g<2> (edit {run})\g<1>", original, count=1, flags=re.M
                )
                assert edited != original, "the entry has a title line"
            with open(target, "w", encoding="utf-8") as f:
                f.write(edited)
            started = time.perf_counter()
            event = next_event()
            timings.append((time.perf_counter() - started) * 1000)
            if event != "event: ok":
                sys.exit(f"unexpected {event}")
        # Resident memory once the last save's files are compressed (see serve::stored).
        time.sleep(2)
        resident, peak = memory_of(server.pid)
        print(f"entries: {len(entries)}, saves: {len(timings)}, edit: {args.edit}")
        print(
            f"save to reload signal (ms): min {min(timings):.0f}, median {statistics.median(timings):.0f}, max {max(timings):.0f}"
        )
        print(f"resident memory (MiB): {resident:.0f} after the saves, {peak:.0f} at the most")
    finally:
        with open(target, "w", encoding="utf-8") as f:
            f.write(original)
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
