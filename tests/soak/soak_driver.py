#!/usr/bin/python3
"""The soak load for tests/soak/soak.sh (python3 stdlib only).

Drives a mixed load against a running optin at a bounded rate, remembers what every request was
told, then checks the database (psql) and the SMTP sink's stored messages against it and prints
a report. Exit 0 when nothing acknowledged was lost or doubled, 1 otherwise.
"""
import argparse
import collections
import email
import email.policy
import hashlib
import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse

WORKERS = 4


class Limiter:
    """At most `rate` operations per second over all workers."""

    def __init__(self, rate):
        self.interval = 1.0 / rate
        self.next = time.monotonic()
        self.lock = threading.Lock()

    def wait(self):
        with self.lock:
            now = time.monotonic()
            at = max(self.next, now)
            self.next = at + self.interval
        if at > now:
            time.sleep(at - now)


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.signed_up = {}        # email -> monotonic time of the first 202
        self.tokens = {}           # email -> confirm token (from the mail)
        self.confirmed = set()     # POST /confirm answered 200
        self.unsubscribed = set()  # POST unsubscribe answered 200
        self.unsubscribing = set()  # POST unsubscribe sent (answered or not)
        self.requests = collections.Counter()
        self.errors = collections.Counter()
        self.wrong = collections.Counter()
        self.latency_max = collections.defaultdict(float)
        self.serial = 0


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return -1
    return -1


def psql(db, sql):
    out = subprocess.run(["psql", db, "-qtA", "-F", "|", "-c", sql], check=True,
                         capture_output=True, text=True).stdout
    return [line.split("|") for line in out.splitlines() if line]


class Client:
    def __init__(self, url, admin_token):
        u = urllib.parse.urlparse(url)
        self.host, self.port = u.hostname, u.port
        self.admin = {"Authorization": "Bearer " + admin_token}
        self.conn = None

    def request(self, method, path, body=None, headers=None, ctype="application/json"):
        hdrs = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, str)) else json.dumps(body)
            hdrs["Content-Type"] = ctype
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=15)
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                # A keep-alive connection the server closed meanwhile: retry once on a new one
                # only when nothing can have been processed (closed before an answer).
                self.conn.close()
                self.conn = None
                if attempt == 1 or method != "GET":
                    raise e
        raise RuntimeError("unreachable")


def mail_collector(state, smtp_dir, stop):
    seen = set()
    while not stop.is_set():
        scan(state, smtp_dir, seen)
        stop.wait(0.3)
    scan(state, smtp_dir, seen)


def parse_mail(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    to = str(msg["To"]).strip().lower()
    text = ""
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            text += part.get_content()
    m = re.search(r"/confirm\?token=([A-Za-z0-9_\-%.~]+)", text)
    return to, (urllib.parse.unquote(m.group(1)) if m else None)


def scan(state, smtp_dir, seen):
    for name in sorted(os.listdir(smtp_dir)):
        if not (name.startswith("msg-") and name.endswith(".eml")) or name in seen:
            continue
        seen.add(name)
        to, token = parse_mail(os.path.join(smtp_dir, name))
        if token:
            with state.lock:
                state.tokens.setdefault(to, token)


def worker(args, state, limiter, deadline, wid):
    c = Client(args.url, args.admin_token)
    rnd = random.Random(wid)
    while time.monotonic() < deadline:
        limiter.wait()
        op = rnd.choices(["signup", "resignup", "confirm", "unsubscribe", "check", "healthz"],
                         weights=[40, 5, 25, 12, 15, 3])[0]
        try:
            run_op(op, c, state, rnd)
        except Exception as e:  # noqa: BLE001 - every failure is counted by kind
            with state.lock:
                state.errors["%s: %s" % (op, type(e).__name__)] += 1
            if c.conn:
                c.conn.close()
                c.conn = None


def timed(state, op, c, *a, **kw):
    t = time.monotonic()
    status, body = c.request(*a, **kw)
    dt = time.monotonic() - t
    with state.lock:
        state.requests[op] += 1
        state.latency_max[op] = max(state.latency_max[op], dt)
    return status, body


def fail(state, op, status):
    with state.lock:
        state.errors["%s: HTTP %s" % (op, status)] += 1


def run_op(op, c, state, rnd):
    if op == "signup":
        with state.lock:
            state.serial += 1
            addr = "soak-%d-%d@example.com" % (os.getpid(), state.serial)
        status, _ = timed(state, op, c, "POST", "/subscribe", {"email": addr})
        if status == 202:
            with state.lock:
                state.signed_up.setdefault(addr, time.monotonic())
        else:
            fail(state, op, status)
    elif op == "resignup":
        # Only addresses signed up in the last minute: a second mail would break the 10-minute rule.
        now = time.monotonic()
        with state.lock:
            recent = [a for a, t in list(state.signed_up.items())[-200:] if now - t < 60]
        if not recent:
            return
        status, _ = timed(state, op, c, "POST", "/subscribe", {"email": rnd.choice(recent)})
        if status != 202:
            fail(state, op, status)
    elif op == "confirm":
        with state.lock:
            todo = [a for a in state.tokens if a not in state.confirmed]
        if not todo:
            return
        addr = rnd.choice(todo[-100:])
        status, _ = timed(state, op, c, "POST", "/confirm", {"token": state.tokens[addr]})
        if status == 200:
            with state.lock:
                state.confirmed.add(addr)
        else:
            fail(state, op, status)
    elif op == "unsubscribe":
        with state.lock:
            todo = [a for a in state.confirmed if a not in state.unsubscribing]
        if not todo:
            return
        addr = rnd.choice(todo)
        status, body = timed(state, "admin_lookup", c, "GET", "/admin/subscribers?email=" + addr,
                             headers=c.admin)
        if status != 200:
            return fail(state, "admin_lookup", status)
        url = json.loads(body)["subscriptions"][0]["unsubscribe_url"]
        path = url[url.index("/unsubscribe"):]
        with state.lock:
            state.unsubscribing.add(addr)
        status, _ = timed(state, op, c, "POST", path, "List-Unsubscribe=One-Click",
                          ctype="application/x-www-form-urlencoded")
        if status == 200:
            with state.lock:
                state.unsubscribed.add(addr)
        else:
            fail(state, op, status)
    elif op == "check":
        with state.lock:
            gone = list(state.unsubscribed)
            kept = [a for a in state.confirmed if a not in state.unsubscribed]
        sample = rnd.sample(gone, min(25, len(gone))) + rnd.sample(kept, min(25, len(kept)))
        if not sample:
            return
        status, body = timed(state, op, c, "POST", "/admin/suppressions/check",
                             {"emails": sample}, headers=c.admin)
        if status != 200:
            return fail(state, op, status)
        got = set(json.loads(body)["suppressed"])
        with state.lock:
            state.wrong["unsubscribed but not suppressed"] += sum(1 for a in gone if a in sample and a not in got)
        # A confirmed address may have been unsubscribed by another worker meanwhile; re-check below.
        with state.lock:
            state.wrong["suppressed but never unsubscribed"] += sum(
                1 for a in got if a not in state.unsubscribing and a in kept)
    else:
        status, _ = timed(state, op, c, "GET", "/healthz")
        if status != 200:
            fail(state, op, status)


def verify(args, state):
    problems = collections.Counter()
    rows = psql(args.db, "SELECT u.email, s.status FROM subscribers u JOIN subscriptions s ON s.subscriber_id = u.id")
    status = {r[0]: r[1] for r in rows}
    suppressed = {r[0] for r in psql(args.db, "SELECT email_hash FROM suppressions WHERE list_id IS NULL")}
    for a in state.signed_up:
        if a not in status:
            problems["acknowledged signup without a row"] += 1
    for a in state.confirmed:
        if a not in state.unsubscribed and status.get(a) != "confirmed":
            problems["confirmed but not stored as confirmed"] += 1
    for a in state.unsubscribed:
        if status.get(a) != "unsubscribed":
            problems["unsubscribed but not stored as unsubscribed"] += 1
        if hashlib.sha256(a.encode()).hexdigest() not in suppressed:
            problems["unsubscribed but not suppressed"] += 1
    per_rcpt = collections.Counter()
    for name in os.listdir(args.smtp_dir):
        if name.startswith("msg-") and name.endswith(".env"):
            with open(os.path.join(args.smtp_dir, name)) as f:
                for line in f:
                    if line.startswith("to "):
                        per_rcpt[line[3:].strip().lower()] += 1
    for a in state.signed_up:
        if per_rcpt[a] == 0:
            problems["acknowledged signup without its mail"] += 1
        elif per_rcpt[a] > 1:
            problems["more than one confirmation mail"] += 1
    strangers = [a for a in per_rcpt if a not in state.signed_up]
    if strangers:
        problems["mail to an address never acknowledged"] += len(strangers)
    sent_events = int(psql(args.db, "SELECT count(*) FROM consent_events WHERE kind = 'confirmation_mail_sent'")[0][0])
    return problems, sum(per_rcpt.values()), sent_events


def main():
    p = argparse.ArgumentParser()
    for name in ("--url", "--admin-token", "--db", "--smtp-dir", "--log"):
        p.add_argument(name, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--duration", type=float, default=60)
    p.add_argument("--rate", type=float, default=40)
    args = p.parse_args()

    c = Client(args.url, args.admin_token)
    up_deadline = time.monotonic() + 30
    while True:
        try:
            if c.request("GET", "/readyz")[0] == 200:
                break
        except OSError:
            c.conn = None
        if time.monotonic() > up_deadline:
            print("soak: optin did not become ready", file=sys.stderr)
            return 1
        time.sleep(0.2)
    state = State()
    rss_start = rss_kb(args.pid)
    stop = threading.Event()
    collector = threading.Thread(target=mail_collector, args=(state, args.smtp_dir, stop))
    collector.start()
    limiter = Limiter(args.rate)
    started = time.monotonic()
    deadline = started + args.duration
    threads = [threading.Thread(target=worker, args=(args, state, limiter, deadline, i)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    rss_end = rss_kb(args.pid)
    # Let the mailer finish what was acknowledged (bounded).
    drain_deadline = time.monotonic() + 60
    while time.monotonic() < drain_deadline:
        if psql(args.db, "SELECT count(*) FROM mail_outbox")[0][0] == "0":
            break
        time.sleep(0.5)
    outbox_left = psql(args.db, "SELECT count(*) FROM mail_outbox")[0][0]
    time.sleep(1)  # the SMTP sink writes its file right after answering 250
    stop.set()
    collector.join()
    problems, mails, sent_events = verify(args, state)
    with open(args.log) as f:
        log = f.read()
    log_errors = collections.Counter(json.loads(l).get("event", "?") for l in log.splitlines()
                                     if l.startswith("{") and '"level":"error"' in l)
    total = sum(state.requests.values())
    print("== optin soak: %.0f s at <= %.0f ops/s, %d workers ==" % (elapsed, args.rate, WORKERS))
    print("requests: %d (%.1f/s)" % (total, total / elapsed))
    for k, v in sorted(state.requests.items()):
        print("  %-14s %7d   max latency %.3f s" % (k, v, state.latency_max[k]))
    print("errors: %d" % sum(state.errors.values()))
    for k, v in sorted(state.errors.items()):
        print("  %-40s %d" % (k, v))
    print("wrong answers: %d" % sum(state.wrong.values()))
    for k, v in sorted(state.wrong.items()):
        if v:
            print("  %-40s %d" % (k, v))
    print("optin RSS: start %d KiB, end %d KiB" % (rss_start, rss_end))
    print("acknowledged: signups %d, confirmed %d, unsubscribed %d" %
          (len(state.signed_up), len(state.confirmed), len(state.unsubscribed)))
    print("mails: expected %d, delivered %d, confirmation_mail_sent events %d, outbox left %s" %
          (len(state.signed_up), mails, sent_events, outbox_left))
    print("optin log error lines: %s" % (dict(log_errors) or "none"))
    print("consistency problems: %d" % sum(problems.values()))
    for k, v in sorted(problems.items()):
        print("  %-45s %d" % (k, v))
    bad = sum(problems.values()) + sum(state.wrong.values()) + (mails != len(state.signed_up)) \
        + (sent_events != mails)
    print("RESULT: %s" % ("ZERO LOST" if not bad else "PROBLEMS FOUND"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
