#!/usr/bin/env python3
"""Writes a synthetic log for the triage benchmark (bench/triage.sh, docs/benchmarks.md).

    bench/gen-log.py SIZE_MB [SEED] > app.log

Lines look like what `kubectl logs` and a proxy's access log print: timestamps, levels, request
ids, addresses, JSON, stack frames. About one line in a hundred carries an error the bundled demo
site knows (an alias or a code); the rest match nothing. The same size and seed give the same
bytes.
"""

import random
import sys

KNOWN = [
    "connect ECONNREFUSED 10.0.3.7:5432",
    "no live upstreams while connecting to upstream",
    '"GET /api/orders HTTP/1.1" 503 182',
    "java.lang.OutOfMemoryError: Java heap space",
    "ERROR 1045 (28000): Access denied for user 'app'@'10.0.0.9' (using password: YES)",
    "Back-off restarting failed container app in pod web-7d9f (CrashLoopBackOff)",
    "npm ERR! code ERESOLVE",
    "FATAL: sorry, too many clients already",
    "error: failed to push some refs to 'git@github.com:acme/app.git'",
    "x509: certificate signed by unknown authority",
]

PLAIN = [
    "GET /api/orders/{n} 200 {ms}ms",
    "request completed status=200 duration={ms}ms bytes={n}",
    "cache hit key=user:{n}:profile ttl=300",
    "worker {n} picked job {hex} from queue default",
    "connected to 10.0.{a}.{b}:6379 in {ms}ms",
    '{{"level":"info","ts":"2026-06-14T10:{mm}:{ss}.{n3}Z","msg":"heartbeat","pod":"web-{hex}"}}',
    "    at com.acme.orders.OrderService.place(OrderService.java:{n3})",
    "scheduled backup of /var/lib/app/data-{n}.db finished in {ms} ms",
    "user {n} logged in from 192.168.{a}.{b} session {hex}",
    "flushed {n} rows to table events_{n3} (lsn 0/{hex})",
]


def main():
    size = int(float(sys.argv[1]) * 1_000_000) if len(sys.argv) > 1 else 200_000_000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = sys.stdout
    written = 0
    batch = []
    while written < size:
        if rng.random() < 0.01:
            body = rng.choice(KNOWN)
        else:
            body = rng.choice(PLAIN).format(
                n=rng.randrange(1, 10**6),
                n3=rng.randrange(100, 1000),
                ms=rng.randrange(1, 900),
                a=rng.randrange(256),
                b=rng.randrange(256),
                mm=f"{rng.randrange(60):02}",
                ss=f"{rng.randrange(60):02}",
                hex=f"{rng.getrandbits(40):010x}",
            )
        level = rng.choice(["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"])
        line = f"2026-06-14T10:{rng.randrange(60):02}:{rng.randrange(60):02}.{rng.randrange(1000):03}Z {level} [app-{rng.randrange(8)}] {body}\n"
        batch.append(line)
        written += len(line)
        if len(batch) >= 10_000:
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch))


if __name__ == "__main__":
    main()
