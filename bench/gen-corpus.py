#!/usr/bin/env python3
"""Write a synthetic errorbook site of N realistic entries, for benchmarks.

    python3 bench/gen-corpus.py --count 10000 --out /tmp/kb-10k [--seed 1]

The site has a site.yaml and content/<category>/<slug>.md files in errorbook's entry format:
front matter with aliases, tags, related entries, sources, a quick fix with a code block,
causes, numbered steps with code blocks, a verification checklist and an FAQ, then a body of
several sections. Entries are about the size of the hand-written ones (6-9 KB). Codes follow
the shapes real error catalogues use (HTTP sub-status codes, errno names, compiler codes,
SQLSTATEs, HRESULTs, exception names...), and the vocabulary grows with the corpus the way a
real one does, through service names, configuration keys and identifiers.

The same --seed and --count always write the same files. Python 3 standard library only.
"""

import argparse
import os
import random
import shutil

CATEGORIES = [
    ("http", "HTTP", "Status codes returned by web servers, proxies and APIs", "http"),
    ("linux", "Linux", "errno values and kernel messages", "errno"),
    ("kubernetes", "Kubernetes", "Pod, node and controller states", "camel"),
    ("postgresql", "PostgreSQL", "SQLSTATE codes and server messages", "sqlstate"),
    ("mysql", "MySQL", "Server and client error numbers", "mysql"),
    ("oracle", "Oracle Database", "ORA- errors", "ora"),
    ("nodejs", "Node.js", "Runtime and module errors", "node"),
    ("python", "Python", "Exceptions and interpreter errors", "exception"),
    ("java", "Java", "JVM exceptions and errors", "exception"),
    ("dotnet", ".NET", "CLR exceptions", "exception"),
    ("rust", "Rust", "Compiler error codes", "rustc"),
    ("windows", "Windows", "HRESULT and Win32 error codes", "hresult"),
    ("aws", "AWS", "Service error codes", "camel"),
    ("docker", "Docker", "Engine and build errors", "app"),
    ("nginx", "nginx", "Proxy and server messages", "app"),
    ("redis", "Redis", "Server replies and client errors", "app"),
]

SEVERITIES = ["blocker", "critical", "major", "minor", "info"]
SEVERITY_WEIGHTS = [1, 3, 5, 3, 1]
DIFFICULTIES = ["beginner", "intermediate", "advanced"]

SUBJECTS = """connection socket certificate pool worker thread lock transaction queue partition
replica volume container pod node cluster token session request response header buffer cache
index table schema migration module package dependency process daemon service endpoint gateway
proxy upstream listener port address route record file descriptor directory path permission
user role policy quota limit heap stack memory disk inode mount network interface packet
handshake cipher key secret credential signature manifest image registry layer build artifact
pipeline job task scheduler cron timer deadline lease election leader follower shard segment
journal checkpoint snapshot backup restore replication slot cursor statement query plan
statistic vacuum autovacuum trigger constraint foreign primary unique sequence identity column
row page tuple block sector device driver kernel module syscall signal child parent namespace
cgroup capability selinux apparmor firewall rule chain nat conntrack resolver nameserver zone
domain host hostname tls ssl protocol version header cookie origin redirect content encoding
chunk stream frame channel subscription topic consumer producer offset commit rebalance broker
controller operator webhook admission probe readiness liveness startup deployment rollout
replicaset statefulset daemonset service ingress secret configmap claim storageclass quota
limitrange taint toleration affinity selector label annotation finalizer event watch informer
client library binding interpreter runtime compiler linker symbol object archive crate trait
lifetime borrow reference pointer slice vector iterator closure future promise callback
handler middleware router template view controller serializer parser decoder encoder
validator schema field attribute property method function argument parameter return value
type generic interface class struct enum variant pattern macro""".split()

FAILURES = """refused timed-out reset closed exhausted exceeded denied missing corrupted expired
rejected unavailable unreachable locked blocked stalled overloaded throttled evicted killed
terminated crashed hung leaked saturated invalid malformed truncated mismatched duplicated
conflicting stale orphaned unresolved unsigned untrusted revoked dropped lost""".split()

ADJECTIVES = """slow busy idle full empty small large default custom shared private public
primary secondary remote local external internal temporary permanent partial complete
concurrent sequential nested recursive implicit explicit transient persistent""".split()

VERBS = """restart reload check inspect increase decrease raise lower rotate renew reissue
rebuild reinstall upgrade downgrade pin unpin drain cordon scale retry reconnect flush
purge compact reindex analyze vacuum migrate rollback redeploy reconfigure enable disable
grant revoke mount unmount resize extend tune trace profile""".split()

TOOLS = """kubectl journalctl systemctl curl dig ss lsof strace psql mysql redis-cli docker
nginx openssl aws git npm pip cargo dotnet java top free df du""".split()

SYLLABLES = """ka lo mi nu pe ra si to vu ze bar cor dex fin gal hub ion jet kin lum mox
nex orb pix qua rux syn tal ulm vex wyn xor yar zen""".split()


class Gen:
    def __init__(self, seed, count):
        self.r = random.Random(seed)
        self.count = count
        # The pool of names grows with the corpus, as a real knowledge base's does.
        pool = max(200, int(6 * count ** 0.8))
        self.names = [self.make_name(i) for i in range(pool)]
        self.used_codes = {}
        self.serial = {}

    def make_name(self, i):
        r = random.Random(i * 7919 + 17)
        parts = [r.choice(SYLLABLES) + r.choice(SYLLABLES) for _ in range(r.choice([1, 2, 2, 3]))]
        return parts

    def pick(self, seq):
        return self.r.choice(seq)

    def name(self, style=None):
        parts = self.pick(self.names)
        style = style or self.pick(["snake", "kebab", "camel", "dotted"])
        if style == "snake":
            return "_".join(parts)
        if style == "kebab":
            return "-".join(parts)
        if style == "camel":
            return parts[0] + "".join(p.title() for p in parts[1:])
        return ".".join(parts)

    def code(self, style):
        used = self.used_codes.setdefault(style, set())
        while True:
            n = self.serial.get(style, 0)
            self.serial[style] = n + 1
            c = self.make_code(style, n)
            if c not in used:
                used.add(c)
                return c

    def make_code(self, style, n):
        r = self.r
        if style == "http":
            return "%d.%d" % (r.choice([400, 401, 403, 404, 405, 408, 409, 413, 429, 500, 502, 503, 504]), n)
        if style == "errno":
            return "E" + "".join(self.pick(SUBJECTS)[:3] for _ in range(2)).upper() + ("" if n < 50 else str(n))
        if style == "camel":
            return self.pick(SUBJECTS).title() + self.pick(FAILURES).replace("-", " ").title().replace(" ", "") + ("" if n < 80 else str(n))
        if style == "sqlstate":
            return "%02d%s" % (r.randint(0, 99), "".join(r.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3)))
        if style == "mysql":
            return str(1000 + n)
        if style == "ora":
            return "ORA-%05d" % (n + 1)
        if style == "node":
            return "ERR_%s_%s" % (self.pick(SUBJECTS).upper(), self.pick(FAILURES).replace("-", "_").upper()) + ("" if n < 80 else "_%d" % n)
        if style == "exception":
            return "%s%sException" % (self.pick(SUBJECTS).title(), self.pick(FAILURES).replace("-", " ").title().replace(" ", "")) + ("" if n < 80 else str(n))
        if style == "rustc":
            return "E%04d" % (n + 1)
        if style == "hresult":
            return "0x%08X" % (0x80070000 + r.randint(0, 0xFFFF))
        return "%s-%04d" % (self.pick(["APP", "SRV", "NET", "CFG", "IO"]), n + 1)

    # ---------- prose ----------

    def sentence(self):
        s, f, a, v = self.pick(SUBJECTS), self.pick(FAILURES).replace("-", " "), self.pick(ADJECTIVES), self.pick(VERBS)
        s2 = self.pick(SUBJECTS)
        n = self.name()
        templates = [
            "When the %s is %s, the %s stops accepting new work until it is %sed." % (s, f, s2, v),
            "A %s %s usually means the %s behind it was %s a moment earlier." % (a, s, s2, f),
            "Check the `%s` setting first: a %s value there is the most common cause." % (n, a),
            "The %s reports the error, but the %s is where the problem starts." % (s, s2),
            "If the %s keeps failing, %s it and watch whether the %s recovers." % (s, v, s2),
            "On a %s host the %s can run out before anyone notices the %s." % (a, s, s2),
            "The `%s` component retries three times, then gives up and logs the %s as %s." % (n, s, f),
            "Compare the %s on the client with the %s on the server; they must agree." % (s, s2),
            "Most reports come from deployments where the %s was %s during an upgrade." % (s, f),
            "Raising the limit hides the symptom; find out why the %s grows in the first place." % s,
            "A %s %s is harmless on its own, but a burst of them points to a %s %s." % (f, s, a, s2),
            "The fix is to %s the %s and make sure `%s` points at the right %s." % (v, s, n, s2),
        ]
        return self.pick(templates)

    def paragraph(self, lo=2, hi=4):
        return " ".join(self.sentence() for _ in range(self.r.randint(lo, hi)))

    def code_block(self):
        n, s, tool = self.name("kebab"), self.pick(SUBJECTS), self.pick(TOOLS)
        kind = self.r.randint(0, 3)
        if kind == 0:
            lines = [
                "# Inspect the %s" % s,
                "%s status %s" % (tool, n),
                "journalctl -u %s --since '10 minutes ago' | grep -i %s" % (n, s),
                "ss -tlnp | grep %d" % self.r.randint(1024, 65000),
            ]
            return "```bash\n" + "\n".join(lines) + "\n```"
        if kind == 1:
            lines = [
                "# %s settings" % s,
                "%s:" % self.name("snake"),
                "  %s: %d" % (self.name("snake"), self.r.randint(1, 5000)),
                "  %s: %s" % (self.name("snake"), self.pick(["true", "false", "auto"])),
                "  %s: \"%s\"" % (self.name("snake"), self.name("dotted")),
            ]
            return "```yaml\n" + "\n".join(lines) + "\n```"
        if kind == 2:
            lines = [
                "SELECT %s, count(*)" % self.name("snake"),
                "FROM %s" % self.name("snake"),
                "WHERE %s > now() - interval '%d minutes'" % (self.name("snake"), self.r.randint(1, 90)),
                "GROUP BY 1 ORDER BY 2 DESC LIMIT 20;",
            ]
            return "```sql\n" + "\n".join(lines) + "\n```"
        lines = [
            "def %s(%s):" % (self.name("snake"), self.pick(SUBJECTS)),
            "    try:",
            "        return client.%s(timeout=%d)" % (self.name("snake"), self.r.randint(1, 60)),
            "    except %sError as err:" % self.pick(SUBJECTS).title(),
            "        log.warning(\"%s %s: %%s\", err)" % (self.pick(SUBJECTS), self.pick(FAILURES)),
            "        raise",
        ]
        return "```python\n" + "\n".join(lines) + "\n```"

    def ip(self):
        return "%d.%d.%d.%d" % (10, self.r.randint(0, 255), self.r.randint(0, 255), self.r.randint(1, 254))

    def alias(self, code, subject, failure):
        r = self.r
        n = self.name()
        forms = [
            "%s: %s %s" % (code, subject, failure),
            "%s %s while %sing %s" % (subject.title(), failure, self.pick(VERBS), self.pick(SUBJECTS)),
            "error: %s %s (%s)" % (subject, failure, code),
            "connect %s %s:%d" % (code, self.ip(), r.randint(1024, 65000)),
            "%s: could not %s %s \"%s\"" % (n, self.pick(VERBS), subject, self.name("kebab")),
            "[%s] %s %s after %d attempts" % (code, subject, failure, r.randint(2, 9)),
        ]
        return self.pick(forms)

    def yaml_str(self, s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def block(self, text, indent):
        pad = " " * indent
        return "\n".join(pad + line if line else "" for line in text.split("\n"))

    def entry(self, category, code, slug, related):
        r = self.r
        subject, failure = self.pick(SUBJECTS), self.pick(FAILURES).replace("-", " ")
        title = "%s: %s %s — %s %s" % (code, subject.title(), failure, self.pick(ADJECTIVES), self.pick(SUBJECTS))
        summary = "The %s was %s, so the %s could not finish the %s." % (subject, failure, self.pick(SUBJECTS), self.pick(SUBJECTS))
        aliases = []
        for _ in range(r.randint(2, 5)):
            a = self.alias(code, subject, failure)
            if a not in aliases:
                aliases.append(a)
        tags = []
        for _ in range(r.randint(2, 5)):
            t = self.pick(SUBJECTS)
            if t not in tags:
                tags.append(t)
        out = ["---"]
        out.append("code: %s" % self.yaml_str(code))
        out.append("title: %s" % self.yaml_str(title))
        out.append("summary: %s" % self.yaml_str(summary))
        out.append("severity: %s" % r.choices(SEVERITIES, SEVERITY_WEIGHTS)[0])
        out.append("difficulty: %s" % self.pick(DIFFICULTIES))
        out.append("fixable_percent: %d" % r.randint(40, 99))
        out.append("fix_minutes: %d" % r.choice([5, 10, 15, 20, 30, 45, 60, 90]))
        out.append("updated: %04d-%02d-%02d" % (r.randint(2024, 2026), r.randint(1, 12), r.randint(1, 28)))
        out.append("aliases:")
        out.extend("  - %s" % self.yaml_str(a) for a in aliases)
        out.append("tags: [%s]" % ", ".join(tags))
        if related:
            out.append("related: [%s]" % ", ".join(related))
        out.append("sources:")
        for _ in range(r.randint(1, 3)):
            name = self.name("kebab")
            out.append("  - { title: %s, url: %s }" % (
                self.yaml_str("%s documentation — %s" % (name, self.pick(SUBJECTS))),
                self.yaml_str("https://docs.example.org/%s/%s" % (name, self.pick(SUBJECTS)))))
        out.append("quick_fix: |")
        out.append(self.block(self.paragraph(2, 3) + "\n\n" + self.code_block(), 2))
        out.append("causes: |")
        causes = "\n".join("- **%s.** %s" % (self.sentence().rstrip("."), self.sentence()) for _ in range(r.randint(3, 5)))
        out.append(self.block(self.paragraph(1, 2) + "\n\n" + causes, 2))
        out.append("steps:")
        for _ in range(r.randint(3, 5)):
            out.append("  - title: %s" % self.yaml_str("%s the %s" % (self.pick(VERBS).title(), self.pick(SUBJECTS))))
            out.append("    body: |")
            out.append(self.block(self.paragraph(2, 3) + "\n\n" + self.code_block(), 6))
        out.append("verify:")
        for _ in range(r.randint(2, 4)):
            out.append("  - %s" % self.yaml_str("`%s %s` shows no %s %s." % (self.pick(TOOLS), self.name("kebab"), failure, subject)))
        out.append("faq:")
        for _ in range(r.randint(2, 3)):
            out.append("  - q: %s" % self.yaml_str("Why does the %s get %s after a %s?" % (subject, failure, self.pick(SUBJECTS))))
            out.append("    a: |")
            out.append(self.block(self.paragraph(2, 3), 6))
        out.append("---")
        out.append("")
        for _ in range(r.randint(2, 4)):
            out.append("## %s %s and the %s" % (self.pick(ADJECTIVES).title(), self.pick(SUBJECTS), self.pick(SUBJECTS)))
            out.append("")
            out.append(self.paragraph(3, 5))
            out.append("")
            out.append(self.paragraph(2, 4))
            out.append("")
        return "\n".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--count", type=int, required=True, help="number of entries")
    p.add_argument("--out", required=True, help="folder to write the site into (replaced)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = p.parse_args()

    gen = Gen(args.seed, args.count)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    with open(os.path.join(args.out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("title: Synthetic Error KB\n")
        f.write("base_url: https://kb.example.org/\n")
        f.write("description: %d generated entries for benchmarks.\n" % args.count)
        f.write("language: en\n")
        f.write("categories:\n")
        for cid, name, desc, _ in CATEGORIES:
            f.write("  %s: { name: %s, description: %s }\n" % (cid, gen.yaml_str(name), gen.yaml_str(desc)))

    slugs = {cid: [] for cid, _, _, _ in CATEGORIES}
    for cid, _, _, _ in CATEGORIES:
        os.makedirs(os.path.join(args.out, "content", cid))
    for i in range(args.count):
        cid, _, _, style = CATEGORIES[i % len(CATEGORIES)]
        code = gen.code(style)
        base = "".join(c if c.isalnum() or c in "._-" else "-" for c in code.lower()).strip("-.") or "entry"
        slug = "%s-%d" % (base, i)
        earlier = slugs[cid]
        related = ["%s/%s" % (cid, gen.pick(earlier)) for _ in range(min(len(earlier), gen.r.randint(0, 3)))]
        related = list(dict.fromkeys(related))
        text = gen.entry(cid, code, slug, related)
        with open(os.path.join(args.out, "content", cid, slug + ".md"), "w", encoding="utf-8") as f:
            f.write(text + "\n")
        earlier.append(slug)


if __name__ == "__main__":
    main()
