#!/usr/bin/env python3
"""Write a synthetic errorbook site of N realistic entries, for benchmarks.

    python3 bench/gen-corpus.py --count 10000 --out /tmp/kb-10k [--seed 1] [--format errorbook]

The site has a site.yaml and content/<category>/<slug>.md files in errorbook's entry format:
front matter with aliases, tags, related entries, sources, a quick fix with a code block,
causes, numbered steps with code blocks, a verification checklist and an FAQ, then a body of
several sections. Entries are about the size of the hand-written ones (6-9 KB). Codes follow
the shapes real error catalogues use (HTTP sub-status codes, errno names, compiler codes,
SQLSTATEs, HRESULTs, exception names...), and the vocabulary grows with the corpus the way a
real one does, through service names, configuration keys and identifiers.

--format hugo and --format zola write the same entries as a site for that generator, so the
three can be timed on the same work: the entries are drawn once, then written out. Each page's
Markdown holds everything errorbook renders from Markdown (quick fix, causes, steps with their
code blocks, checklist as a task list, body sections, FAQ) under errorbook's headings; the plain
fields (code, summary, aliases, stats, sources, related entries, tags, category) go in the
front matter, and the minimal templates in bench/site-templates/ render them. Both sites
highlight code when building and publish tag and category pages, a sitemap and one feed of 20
entries, as errorbook does. The Zola site has two configuration files: config.toml for Zola
0.22 and later, config-legacy.toml (`zola --config`) for 0.19 to 0.21, whose highlighting
settings differ.

--shape long draws a second kind of knowledge base, for checking that a result is not a
property of the first: entries that vary from a few hundred words to several thousand, code
blocks from 3 to 80 lines in more languages (JSON, Dockerfile, Go, nginx, TOML, HCL, console
sessions, logs), code inside body sections too, and four to twelve tags per entry drawn from a
vocabulary that grows with the corpus.

The same --seed, --count and --shape always write the same entries, whatever the format.
Python 3 standard library only.
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


PYTHON_KEYWORDS = {"class", "return", "import", "global", "lambda", "yield", "with", "pass", "raise",
                   "from", "async", "await", "assert", "continue", "break", "finally", "except"}


def python_name(word):
    return word + "_" if word in PYTHON_KEYWORDS else word


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
            # Keys drawn twice get a number, so the mapping has no duplicate key.
            top = self.name("snake")
            a = (self.name("snake"), self.r.randint(1, 5000))
            b = (self.name("snake"), self.pick(["true", "false", "auto"]))
            c = (self.name("snake"), self.name("dotted"))
            b = (b[0] + "_2" if b[0] == a[0] else b[0], b[1])
            c = (c[0] + "_3" if c[0] in (a[0], b[0]) else c[0], c[1])
            lines = [
                "# %s settings" % s,
                "%s:" % top,
                "  %s: %d" % a,
                "  %s: %s" % b,
                "  %s: \"%s\"" % c,
            ]
            return "```yaml\n" + "\n".join(lines) + "\n```"
        if kind == 2:
            lines = [
                "SELECT %s, count(*)" % self.name("snake"),
                "FROM %s" % self.name("snake"),
                "WHERE %s > now() - interval '%d' minute" % (self.name("snake"), self.r.randint(1, 90)),
                "GROUP BY 1 ORDER BY 2 DESC LIMIT 20;",
            ]
            return "```sql\n" + "\n".join(lines) + "\n```"
        lines = [
            # A subject that is a Python keyword (`class`, `return`) gets a trailing underscore,
            # as Python code names such a parameter, so every snippet parses.
            "def %s(%s):" % (self.name("snake"), python_name(self.pick(SUBJECTS))),
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

    def entry(self, category, code, slug, related):
        """Draws one entry. The order of the draws is part of the corpus: changing it changes
        every entry that follows, so new fields go after the existing ones."""
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
        severity = r.choices(SEVERITIES, SEVERITY_WEIGHTS)[0]
        difficulty = self.pick(DIFFICULTIES)
        fixable_percent = r.randint(40, 99)
        fix_minutes = r.choice([5, 10, 15, 20, 30, 45, 60, 90])
        updated = "%04d-%02d-%02d" % (r.randint(2024, 2026), r.randint(1, 12), r.randint(1, 28))
        sources = []
        for _ in range(r.randint(1, 3)):
            name = self.name("kebab")
            source_title = "%s documentation — %s" % (name, self.pick(SUBJECTS))
            sources.append((source_title, "https://docs.example.org/%s/%s" % (name, self.pick(SUBJECTS))))
        quick_fix = self.paragraph(2, 3) + "\n\n" + self.code_block()
        causes = "\n".join("- **%s.** %s" % (self.sentence().rstrip("."), self.sentence()) for _ in range(r.randint(3, 5)))
        causes = self.paragraph(1, 2) + "\n\n" + causes
        steps = []
        for _ in range(r.randint(3, 5)):
            step_title = "%s the %s" % (self.pick(VERBS).title(), self.pick(SUBJECTS))
            steps.append((step_title, self.paragraph(2, 3) + "\n\n" + self.code_block()))
        verify = []
        for _ in range(r.randint(2, 4)):
            verify.append("`%s %s` shows no %s %s." % (self.pick(TOOLS), self.name("kebab"), failure, subject))
        faq = []
        for _ in range(r.randint(2, 3)):
            question = "Why does the %s get %s after a %s?" % (subject, failure, self.pick(SUBJECTS))
            faq.append((question, self.paragraph(2, 3)))
        sections = []
        for _ in range(r.randint(2, 4)):
            heading = "%s %s and the %s" % (self.pick(ADJECTIVES).title(), self.pick(SUBJECTS), self.pick(SUBJECTS))
            sections.append((heading, [self.paragraph(3, 5), self.paragraph(2, 4)]))
        return Entry(category=category, slug=slug, code=code, title=title, summary=summary,
                     severity=severity, difficulty=difficulty, fixable_percent=fixable_percent,
                     fix_minutes=fix_minutes, updated=updated, aliases=aliases, tags=tags,
                     related=related, sources=sources, quick_fix=quick_fix, causes=causes,
                     steps=steps, verify=verify, faq=faq, sections=sections)


class Entry:
    """One entry of the corpus, as drawn, before any site format is chosen.

    Markdown fields (quick_fix, causes, step bodies, FAQ answers, section paragraphs) hold the
    same text, code fences included, whichever generator the corpus is written for. sources is
    a list of (title, url), steps of (title, body), faq of (question, answer), sections of
    (heading, [paragraph, ...]); related holds "category/slug" references to earlier entries.
    """

    def __init__(self, **fields):
        self.__dict__.update(fields)


class LongGen(Gen):
    """The `--shape long` corpus: entries of very different lengths, long code blocks in many
    languages, code in the body, and many tags."""

    def code_block(self):
        r = self.r
        kind = r.randint(0, 9)
        n = r.choice([3, 5, 8, 12, 20, 30, 45, 80])
        if kind <= 3:
            return Gen.code_block(self)
        if kind == 4:
            items = ",\n".join('  "%s": %s' % (self.name("snake"), r.choice(['true', '"%s"' % self.name("dotted"), str(r.randint(0, 9999))])) for _ in range(n))
            return "```json\n{\n" + items + "\n}\n```"
        if kind == 5:
            lines = ["FROM %s:%d.%d" % (self.name("kebab"), r.randint(1, 20), r.randint(0, 9))]
            for _ in range(n):
                lines.append(r.choice(["RUN apt-get update && apt-get install -y %s" % self.name("kebab"),
                                       "ENV %s=%s" % (self.name("snake").upper(), self.name("dotted")),
                                       "COPY %s /srv/%s" % (self.name("kebab"), self.name("kebab")),
                                       "EXPOSE %d" % r.randint(1024, 65000)]))
            return "```dockerfile\n" + "\n".join(lines) + "\n```"
        if kind == 6:
            lines = ["func %s(ctx context.Context) error {" % self.name("camel")]
            for _ in range(n):
                lines.append(r.choice(["\tif err := %s.%s(ctx); err != nil {\n\t\treturn fmt.Errorf(\"%s: %%w\", err)\n\t}" % (self.name("camel"), self.name("camel").title(), self.pick(SUBJECTS)),
                                       "\t%s := %d // %s" % (self.name("camel"), r.randint(1, 500), self.sentence()),
                                       "\tlog.Printf(\"%s %%s\", %s)" % (self.pick(FAILURES), self.name("camel"))]))
            lines.append("\treturn nil\n}")
            return "```go\n" + "\n".join(lines) + "\n```"
        if kind == 7:
            lines = ["upstream %s {" % self.name("snake")]
            lines += ["    server %s:%d max_fails=%d;" % (self.ip(), r.randint(1024, 65000), r.randint(1, 5)) for _ in range(n // 3 + 1)]
            lines += ["}", "server {", "    listen %d;" % r.choice([80, 443, 8080])]
            lines += ["    location /%s-%d { proxy_pass http://%s; proxy_read_timeout %ds; }" % (self.name("kebab"), i, self.name("snake"), r.randint(5, 300)) for i in range(n // 3 + 1)]
            lines.append("}")
            return "```nginx\n" + "\n".join(lines) + "\n```"
        if kind == 8:
            lines = []
            for _ in range(n // 4 + 1):
                # Read-only subcommands: a session that changes things would be a block to mark `danger`.
                lines.append("$ %s %s %s" % (self.pick(TOOLS), self.pick(["status", "get", "describe", "show", "list"]), self.name("kebab")))
                lines += ["%s  %s  %d" % (self.name("kebab"), self.pick(FAILURES), r.randint(0, 99)) for _ in range(3)]
            return "```console\n" + "\n".join(lines) + "\n```"
        lines = ["%04d-%02d-%02dT%02d:%02d:%02dZ %s [%s] %s %s: %s" % (2026, r.randint(1, 12), r.randint(1, 28), r.randint(0, 23), r.randint(0, 59), r.randint(0, 59),
                 r.choice(["ERROR", "WARN", "INFO"]), self.name("kebab"), self.pick(SUBJECTS), self.pick(FAILURES), self.sentence()) for _ in range(n)]
        return "```text\n" + "\n".join(lines) + "\n```"

    def entry(self, category, code, slug, related):
        e = Gen.entry(self, category, code, slug, related)
        r = self.r
        e.tags = list(dict.fromkeys([self.pick(SUBJECTS) for _ in range(r.randint(2, 6))] +
                                    [self.name("kebab") for _ in range(r.randint(2, 6))]))
        sections = []
        for _ in range(r.choice([1, 1, 2, 3, 5, 8, 12])):
            heading = "%s %s and the %s" % (self.pick(ADJECTIVES).title(), self.pick(SUBJECTS), self.pick(SUBJECTS))
            paragraphs = [self.paragraph(2, 6) for _ in range(r.randint(1, 4))]
            if r.random() < 0.5:
                paragraphs.append(self.code_block())
            sections.append((heading, paragraphs))
        e.sections = sections
        return e


SHAPES = {"standard": Gen, "long": LongGen}


def generate(seed, count, shape="standard"):
    """Draws the whole corpus: a list of Entry, in the order they were drawn."""
    gen = SHAPES[shape](seed, count)
    entries = []
    slugs = {cid: [] for cid, _, _, _ in CATEGORIES}
    for i in range(count):
        cid, _, _, style = CATEGORIES[i % len(CATEGORIES)]
        code = gen.code(style)
        base = "".join(c if c.isalnum() or c in "._-" else "-" for c in code.lower()).strip("-.") or "entry"
        slug = "%s-%d" % (base, i)
        earlier = slugs[cid]
        related = ["%s/%s" % (cid, gen.pick(earlier)) for _ in range(min(len(earlier), gen.r.randint(0, 3)))]
        related = list(dict.fromkeys(related))
        entries.append(gen.entry(cid, code, slug, related))
        earlier.append(slug)
    return entries


# ---------- shared helpers ----------

SITE_TITLE = "Synthetic Error KB"
BASE_URL = "https://kb.example.org/"
CATEGORY_NAMES = {cid: name for cid, name, _, _ in CATEGORIES}


def quote(s):
    """A double-quoted string that YAML and TOML both read back unchanged (the generated text
    holds no control characters)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def indent(text, width):
    pad = " " * width
    return "\n".join(pad + line if line else "" for line in text.split("\n"))


def write_file(root, rel, text):
    path = os.path.join(root, *rel.split("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def copy_templates(kind, out):
    """Copies bench/site-templates/<kind>/ (layouts or templates) into the site."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "site-templates", kind)
    shutil.copytree(src, out, dirs_exist_ok=True)


# ---------- errorbook ----------

def errorbook_entry(e):
    out = ["---"]
    out.append("code: %s" % quote(e.code))
    out.append("title: %s" % quote(e.title))
    out.append("summary: %s" % quote(e.summary))
    out.append("severity: %s" % e.severity)
    out.append("difficulty: %s" % e.difficulty)
    out.append("fixable_percent: %d" % e.fixable_percent)
    out.append("fix_minutes: %d" % e.fix_minutes)
    out.append("updated: %s" % e.updated)
    out.append("aliases:")
    out.extend("  - %s" % quote(a) for a in e.aliases)
    out.append("tags: [%s]" % ", ".join(e.tags))
    if e.related:
        out.append("related: [%s]" % ", ".join(e.related))
    out.append("sources:")
    for title, url in e.sources:
        out.append("  - { title: %s, url: %s }" % (quote(title), quote(url)))
    out.append("quick_fix: |")
    out.append(indent(e.quick_fix, 2))
    out.append("causes: |")
    out.append(indent(e.causes, 2))
    out.append("steps:")
    for title, body in e.steps:
        out.append("  - title: %s" % quote(title))
        out.append("    body: |")
        out.append(indent(body, 6))
    out.append("verify:")
    out.extend("  - %s" % quote(item) for item in e.verify)
    out.append("faq:")
    for question, answer in e.faq:
        out.append("  - q: %s" % quote(question))
        out.append("    a: |")
        out.append(indent(answer, 6))
    out.append("---")
    out.append("")
    for heading, paragraphs in e.sections:
        out.append("## %s" % heading)
        out.append("")
        for p in paragraphs:
            out.append(p)
            out.append("")
    return "\n".join(out) + "\n"


def write_errorbook(out, entries, count):
    with open(os.path.join(out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("title: %s\n" % SITE_TITLE)
        f.write("base_url: %s\n" % BASE_URL)
        f.write("description: %d generated entries for benchmarks.\n" % count)
        f.write("language: en\n")
        f.write("categories:\n")
        for cid, name, desc, _ in CATEGORIES:
            f.write("  %s: { name: %s, description: %s }\n" % (cid, quote(name), quote(desc)))
    for cid, _, _, _ in CATEGORIES:
        os.makedirs(os.path.join(out, "content", cid))
    for e in entries:
        write_file(out, "content/%s/%s.md" % (e.category, e.slug), errorbook_entry(e))


# ---------- Hugo and Zola ----------

def page_markdown(e):
    """The Markdown of an entry's page for a general-purpose generator: every part errorbook
    renders from Markdown, in errorbook's order, under the headings errorbook gives them. The
    plain fields (code, summary, aliases, stats, sources, related entries, tags) are front
    matter that the templates render, as errorbook's templates do."""
    out = ["## Quick fix", "", e.quick_fix, "", "## What causes this error", "", e.causes, "",
           "## How to fix it", ""]
    for n, (title, body) in enumerate(e.steps, 1):
        out += ["### %d. %s" % (n, title), "", body, ""]
    out += ["## How to verify the fix", ""]
    out += ["- [ ] %s" % item for item in e.verify]
    out.append("")
    for heading, paragraphs in e.sections:
        out += ["## %s" % heading, ""]
        for p in paragraphs:
            out += [p, ""]
    out += ["## Frequently asked questions", ""]
    for question, answer in e.faq:
        out += ["### %s" % question, "", answer, ""]
    return "\n".join(out)


def inline_list(items):
    return "[%s]" % ", ".join(quote(i) for i in items)


def hugo_entry(e):
    out = ["---"]
    out.append("title: %s" % quote(e.title))
    out.append("description: %s" % quote(e.summary))
    out.append("date: %s" % e.updated)
    out.append("code: %s" % quote(e.code))
    out.append("severity: %s" % e.severity)
    out.append("difficulty: %s" % e.difficulty)
    out.append("fixable_percent: %d" % e.fixable_percent)
    out.append("fix_minutes: %d" % e.fix_minutes)
    # Hugo reads `aliases` as redirects, so the other names of the error go under seen_as.
    out.append("seen_as:")
    out.extend("  - %s" % quote(a) for a in e.aliases)
    out.append("tags: %s" % inline_list(e.tags))
    out.append("categories: %s" % inline_list([CATEGORY_NAMES[e.category]]))
    if e.related:
        out.append("related: %s" % inline_list(e.related))
    out.append("sources:")
    for title, url in e.sources:
        out.append("  - { title: %s, url: %s }" % (quote(title), quote(url)))
    out.append("---")
    out.append("")
    return "\n".join(out) + "\n" + page_markdown(e)


HUGO_CONFIG = """\
# A Hugo site holding the same entries as the errorbook corpus written with the same --seed
# and --count (bench/gen-corpus.py --format hugo).
baseURL = "%(base_url)s"
title = "%(title)s"
languageCode = "en"
# Entries carry update dates up to the end of 2026: publish them all, as errorbook does.
buildFuture = true

[taxonomies]
tag = "tags"
category = "categories"

# errorbook publishes one feed, of the 20 latest entries, and no feed per category or tag.
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]

[services.rss]
limit = 20

# Highlight fenced code when building, with CSS classes, as errorbook does.
[markup.highlight]
codeFences = true
guessSyntax = false
noClasses = false
"""


def write_hugo(out, entries, count):
    write_file(out, "hugo.toml", HUGO_CONFIG % {"base_url": BASE_URL, "title": SITE_TITLE})
    write_file(out, "content/_index.md", "---\ntitle: %s\ndescription: %s\n---\n" % (
        quote(SITE_TITLE), quote("%d generated entries for benchmarks." % count)))
    for weight, (cid, name, desc, _) in enumerate(CATEGORIES, 1):
        write_file(out, "content/%s/_index.md" % cid, "---\ntitle: %s\ndescription: %s\nweight: %d\n---\n" % (
            quote(name), quote(desc), weight))
    for e in entries:
        write_file(out, "content/%s/%s.md" % (e.category, e.slug), hugo_entry(e))
    copy_templates("hugo", out)


def zola_entry(e):
    out = ["+++"]
    out.append("title = %s" % quote(e.title))
    out.append("description = %s" % quote(e.summary))
    out.append("date = %s" % e.updated)
    out.append("")
    out.append("[taxonomies]")
    out.append("tags = %s" % inline_list(e.tags))
    out.append("categories = %s" % inline_list([CATEGORY_NAMES[e.category]]))
    out.append("")
    out.append("[extra]")
    out.append("code = %s" % quote(e.code))
    out.append("severity = %s" % quote(e.severity))
    out.append("difficulty = %s" % quote(e.difficulty))
    out.append("fixable_percent = %d" % e.fixable_percent)
    out.append("fix_minutes = %d" % e.fix_minutes)
    # Zola reads `aliases` as redirects, so the other names of the error go under seen_as.
    out.append("seen_as = %s" % inline_list(e.aliases))
    out.append("related = %s" % inline_list(e.related))
    out.append("sources = [")
    for title, url in e.sources:
        out.append("  { title = %s, url = %s }," % (quote(title), quote(url)))
    out.append("]")
    out.append("+++")
    out.append("")
    return "\n".join(out) + "\n" + page_markdown(e)


ZOLA_CONFIG = """\
# A Zola site holding the same entries as the errorbook corpus written with the same --seed
# and --count (bench/gen-corpus.py --format zola). This file is for Zola 0.22 and later;
# config-legacy.toml is the same settings for Zola 0.19 to 0.21.
base_url = "%(base_url)s"
title = "%(title)s"
description = "%(description)s"
default_language = "en"

# errorbook publishes one feed, of the 20 latest entries, and no feed per category or tag.
generate_feeds = true
feed_limit = 20

taxonomies = [
  { name = "tags" },
  { name = "categories" },
]

%(highlighting)s
"""

ZOLA_HIGHLIGHTING = """\
# Highlight fenced code when building, with CSS classes, as errorbook does.
[markdown.highlighting]
style = "class"
theme = "github-light"
"""

ZOLA_HIGHLIGHTING_LEGACY = """\
# Highlight fenced code when building, with CSS classes ("css"), as errorbook does.
[markdown]
highlight_code = true
highlight_theme = "css"
"""


def write_zola(out, entries, count):
    settings = {"base_url": BASE_URL, "title": SITE_TITLE,
                "description": "%d generated entries for benchmarks." % count}
    write_file(out, "config.toml", ZOLA_CONFIG % dict(settings, highlighting=ZOLA_HIGHLIGHTING))
    legacy = ZOLA_CONFIG % dict(settings, highlighting=ZOLA_HIGHLIGHTING_LEGACY)
    write_file(out, "config-legacy.toml", legacy.replace(
        "This file is for Zola 0.22 and later;\n# config-legacy.toml is the same settings for Zola 0.19 to 0.21.",
        "This file is for Zola 0.19 to 0.21;\n# config.toml is the same settings for Zola 0.22 and later."))
    write_file(out, "content/_index.md", "+++\ntitle = %s\n+++\n" % quote(SITE_TITLE))
    for weight, (cid, name, desc, _) in enumerate(CATEGORIES, 1):
        write_file(out, "content/%s/_index.md" % cid,
                   "+++\ntitle = %s\ndescription = %s\nsort_by = \"date\"\nweight = %d\n+++\n" % (
                       quote(name), quote(desc), weight))
    for e in entries:
        write_file(out, "content/%s/%s.md" % (e.category, e.slug), zola_entry(e))
    copy_templates("zola", out)


WRITERS = {"errorbook": write_errorbook, "hugo": write_hugo, "zola": write_zola}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--count", type=int, required=True, help="number of entries")
    p.add_argument("--out", required=True, help="folder to write the site into (replaced)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--format", choices=sorted(WRITERS), default="errorbook",
                   help="the generator the site is for (default errorbook)")
    p.add_argument("--shape", choices=sorted(SHAPES), default="standard",
                   help="the kind of entries (default standard; see above)")
    args = p.parse_args()

    entries = generate(args.seed, args.count, args.shape)
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    WRITERS[args.format](args.out, entries, args.count)


if __name__ == "__main__":
    main()
