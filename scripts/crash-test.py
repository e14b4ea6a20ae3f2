#!/usr/bin/env python3
"""Nothing acknowledged is lost (issue 12 item 4; S4): kill -9 `siteroll serve` in the middle of
traffic, restart it on the same database, let the clients resend, and check the database.

For each database (SQLite always; PostgreSQL with --postgres ADMIN_URL, in a database this script
creates and drops), the script:

1. starts `siteroll serve --demo` once with the in-process bank simulator, so that the demo's
   paid months are booked, stops it, and moves the simulator's books to a separate
   `siteroll simulate bank --state FILE` process: the bank must outlive SiteRoll's crashes, as a
   real bank does. Every later start points SiteRoll at it (BANK_URL, BANK_KEY);
2. registers gate devices on the attendance review page as the general contractor would, and
   signs in 张建国 (worker_zhang) on several phones;
3. runs rounds: device clients send batches (each record a distinct worker and second) and phone
   clients send punches (each with its own client event id) while a payroll clerk generates,
   signs, submits and pays the current month's payroll through the dedicated account; the server
   is killed with SIGKILL at a random moment, or right after a payroll is submitted, or while the
   bank is paying a batch whose answer it holds back; SiteRoll is restarted, and every client
   resends what it did not see acknowledged, plus some records it did (which must come back as
   duplicates);
4. checks: every punch acknowledged is stored exactly once, none twice; every acknowledged
   payroll step is still there; the bank paid each payroll line at most once and SiteRoll's
   lines say what the bank paid; no batch is left open; `siteroll audit verify` passes.

It prints its figures (rounds, punches acknowledged / stored / duplicated, payroll outcome) and
ends with "crash-test: N passed, M failed"; the exit code is 1 when any check failed.

Usage:
  python3 scripts/crash-test.py [--binary .build/debug/siteroll] [--rounds 8] [--max-seconds 150]
      [--postgres postgres://user:pass@127.0.0.1:5432/postgres?sslmode=disable] [--skip-sqlite]
      [--json FILE] [--keep]
"""

import argparse
import datetime
import hashlib
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from siteroll_harness import (  # noqa: E402
    DEFAULT_BINARY, Http, NoAnswer, Server, api_login, app_token, console_login, csrf_of, free_port,
    register_device, wait_http)

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
# The phone the demo bound to 张建国 (DemoData+Attendance): punches from it are not "new phone" ones.
DEMO_PHONE = "5a11e0de00000000000000000000a001"
DEVICE_CLIENTS = 3
PHONE_CLIENTS = 3
BATCH_SIZE = 25


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def iso(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def norm(value):
    """UUIDs as upper-case text whether the driver returns bytes (SQLite) or text (PostgreSQL)."""
    if isinstance(value, (bytes, bytearray)) and len(value) == 16:
        return str(uuid.UUID(bytes=bytes(value))).upper()
    if isinstance(value, str) and re.fullmatch(r"[0-9a-fA-F-]{36}", value):
        return value.upper()
    return value


class Database:
    """Read-only access for the checks: Python's sqlite3 on the SQLite file, psql for PostgreSQL."""

    def __init__(self, sqlite_path=None, postgres_url=None):
        self.sqlite_path = sqlite_path
        self.postgres_url = postgres_url

    def rows(self, sql):
        if self.sqlite_path:
            connection = sqlite3.connect(f"file:{self.sqlite_path}?mode=ro", uri=True, timeout=30)
            try:
                return [tuple(norm(v) for v in row) for row in connection.execute(sql).fetchall()]
            finally:
                connection.close()
        done = subprocess.run(
            ["psql", self.postgres_url, "-X", "-q", "-At", "-F", "\x1f", "-c", sql],
            capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr.strip()}")
        return [tuple(norm(v) for v in line.split("\x1f")) for line in done.stdout.splitlines() if line]


class Tally:
    """What the clients saw, shared by their threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.device_acked = {}   # (worker id, second) -> device code
        self.device_sent = set()
        self.phone_acked = set()  # client event ids
        self.phone_sent = set()
        self.resent_acked = 0
        self.resent_acked_duplicate = 0
        self.violations = []
        self.refused = []
        self.no_answer = 0
        self.server_errors = 0

    def violation(self, text):
        with self.lock:
            self.violations.append(text)


class Gate:
    """Clients pause while the server is down and resume once it answers again."""

    def __init__(self):
        self.up = threading.Event()
        self.stop = threading.Event()

    def wait_up(self):
        while not self.stop.is_set():
            if self.up.wait(0.2):
                return True
        return False


class DeviceClient(threading.Thread):
    """A gate device: batches of new records, its unacknowledged records again, some acknowledged ones."""

    def __init__(self, index, base, token, code, workers, tally, gate):
        super().__init__(daemon=True)
        self.http = Http(base, timeout=15)
        self.token, self.code, self.workers, self.tally, self.gate = token, code, workers, tally, gate
        # Each device uses its own band of seconds in the last month, so every record is new.
        start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=28)
        self.next_second = int(start.timestamp()) + index * 400_000
        self.pending = []   # records sent without an answer
        self.acked = []
        self.rng = random.Random(index)

    def new_record(self):
        worker_id, code = self.workers[self.next_second % len(self.workers)]
        second = self.next_second
        self.next_second += 1
        return {"worker": worker_id, "second": second, "code": code,
                "direction": "in" if second % 2 == 0 else "out"}

    def run(self):
        while self.gate.wait_up():
            resend = self.pending[:BATCH_SIZE]
            self.pending = self.pending[len(resend):]
            again = self.rng.sample(self.acked, min(len(self.acked), 3)) if self.acked and self.rng.random() < 0.3 else []
            fresh = [self.new_record() for _ in range(max(0, BATCH_SIZE - len(resend) - len(again)))]
            batch = resend + fresh + again
            with self.tally.lock:
                for record in fresh:
                    self.tally.device_sent.add((record["worker"], record["second"]))
            body = {"punches": [
                {"verificationCode": r["code"], "direction": r["direction"],
                 "time": iso(datetime.datetime.fromtimestamp(r["second"], datetime.timezone.utc))}
                for r in batch]}
            try:
                answer = self.http.json_call("POST", "/api/v1/attendance/punches", body, token=self.token)
            except NoAnswer:
                with self.tally.lock:
                    self.tally.no_answer += 1
                self.pending = resend + fresh + self.pending
                time.sleep(0.1)
                continue
            if answer.status >= 500:
                with self.tally.lock:
                    self.tally.server_errors += 1
                self.pending = resend + fresh + self.pending
                time.sleep(0.1)
                continue
            if answer.status != 200:
                self.tally.violation(f"device {self.code}: batch answered {answer.status}: {answer.text[:200]}")
                self.pending = resend + fresh + self.pending
                time.sleep(0.5)
                continue
            results = answer.json()["results"]
            for result in results:
                record = batch[result["index"]]
                key = (record["worker"], record["second"])
                status = result["status"]
                is_again = result["index"] >= len(resend) + len(fresh)
                if is_again:
                    with self.tally.lock:
                        self.tally.resent_acked += 1
                        if status == "duplicate":
                            self.tally.resent_acked_duplicate += 1
                    if status != "duplicate":
                        self.tally.violation(
                            f"device record {key} acknowledged before, answered {status} when sent again")
                    continue
                if status in ("accepted", "duplicate"):
                    with self.tally.lock:
                        self.tally.device_acked[key] = self.code
                    self.acked.append(record)
                else:
                    with self.tally.lock:
                        self.tally.refused.append(f"device {key}: {result.get('code')} {result.get('message')}")


class PhoneClient(threading.Thread):
    """张建国's phone: a punch with a fresh client event id, queued until the server answers (punch.js)."""

    def __init__(self, index, base, session, project_id, point, tally, gate):
        super().__init__(daemon=True)
        self.http = session
        self.http.timeout = 15
        self.project_id, self.point, self.tally, self.gate = project_id, point, tally, gate
        self.csrf = None
        self.queue = []
        self.acked = []
        self.rng = random.Random(100 + index)

    def send(self, punch, is_again=False):
        fields = {
            "_csrf": self.csrf, "clientEventId": punch["id"], "projectId": self.project_id,
            "direction": punch["direction"], "latitude": f"{self.point[0]:.6f}", "longitude": f"{self.point[1]:.6f}",
            "accuracy": "15", "clientTime": punch["time"], "clientSentTime": iso(datetime.datetime.now(datetime.timezone.utc)),
            "deviceId": DEMO_PHONE}
        answer = self.http.form("/m/punches", fields)
        if answer.status >= 500:
            with self.tally.lock:
                self.tally.server_errors += 1
            return None
        if answer.status != 200:
            self.tally.violation(f"phone punch {punch['id']} answered {answer.status}: {answer.text[:200]}")
            return None
        return answer.json().get("status")

    def run(self):
        while self.gate.wait_up():
            try:
                if self.csrf is None:
                    self.csrf = csrf_of(self.http.get("/m/punch").text)
                if not self.queue:
                    punch = {"id": uuid.uuid4().hex, "time": iso(datetime.datetime.now(datetime.timezone.utc)),
                             "direction": self.rng.choice(["in", "out"])}
                    with self.tally.lock:
                        self.tally.phone_sent.add(punch["id"])
                    self.queue.append(punch)
                punch = self.queue[0]
                status = self.send(punch)
                if status is None:
                    time.sleep(0.1)
                    continue
                self.queue.pop(0)
                if status in ("accepted", "suspicious", "duplicate"):
                    with self.tally.lock:
                        self.tally.phone_acked.add(punch["id"])
                    self.acked.append(punch)
                else:
                    with self.tally.lock:
                        self.tally.refused.append(f"phone {punch['id']}: {status}")
                if self.acked and self.rng.random() < 0.15:
                    old = self.rng.choice(self.acked)
                    status = self.send(old)
                    if status is not None:
                        with self.tally.lock:
                            self.tally.resent_acked += 1
                            if status == "duplicate":
                                self.tally.resent_acked_duplicate += 1
                        if status != "duplicate":
                            self.tally.violation(f"phone punch {old['id']} acknowledged before, answered {status} again")
            except NoAnswer:
                with self.tally.lock:
                    self.tally.no_answer += 1
                time.sleep(0.1)


class PayrollClerk:
    """The general contractor's staff on the payroll pages: generate, attach the signed scan,
    submit, pay through the dedicated account, and press 重新发送 for a batch without an answer.
    After a crash it reopens the payroll (read here from the database) and does the next step."""

    SCAN = b"%PDF-1.4\n% crash-test signed wage table\n%%EOF\n"

    def __init__(self, base, username, project_id, unit_id, month, db, label, early=False):
        self.base, self.username, self.early = base, username, early
        self.project_id, self.unit_id, self.month, self.db, self.label = project_id, unit_id, month, db, label
        self.session = None
        self.acked = set()  # steps answered 2xx: generated, scanned, submitted, paid
        self.refused_second_pay = 0
        # Set just before the submission or payment request leaves: the kill is timed from it.
        self.posting = threading.Event()
        self.log = []

    def corp(self):
        if self.session is None:
            self.session = console_login(self.base, "corp", self.username)
        return self.session

    def payroll(self):
        unit = self.unit_id.upper()
        rows = [r for r in self.db.rows(
            "SELECT id, status, scan_cipher IS NOT NULL, unit_id FROM payrolls WHERE pay_month = '%s'" % self.month)
            if r[3] == unit]
        return rows[0] if rows else None

    def open_batches(self, payroll_id):
        return [r[0] for r in self.db.rows(
            "SELECT id, payroll_id, status FROM wage_payment_batches WHERE status IN ('sending','accepted','unsent')")
            if r[1] == payroll_id]

    def root(self, payroll_id=None):
        path = f"/corp/projects/{self.project_id}/payrolls"
        return path + (f"/{payroll_id}" if payroll_id else "")

    def next_step(self):
        """Does one step; returns its name, or None when the payroll is paid as far as the bank will."""
        corp = self.corp()
        found = self.payroll()
        if found is None:
            page = corp.get(self.root())
            answer = corp.form(self.root(), {
                "unitID": self.unit_id, "teamID": "", "month": self.month, "_csrf": csrf_of(page.text)})
            if answer.status == 303:
                self.acked.add("generated")
            return "generate"
        payroll_id, status, has_scan = found[0], found[1], str(found[2]) in ("1", "t", "True")
        if status == "draft" and not has_scan:
            page = corp.get(self.root(payroll_id))
            answer = corp.multipart(
                self.root(payroll_id) + "/scan", {"_csrf": csrf_of(page.text)},
                {"scan": ("工资表（签字）.pdf", "application/pdf", self.SCAN)}, follow=True)
            if answer.status == 200 and "签字工资表已上传" in answer.text:
                self.acked.add("scanned")
            return "scan"
        if status == "draft":
            page = corp.get(self.root(payroll_id))
            fields = {"_csrf": csrf_of(page.text)}
            for key in re.findall(r'name="(override\.[^"]+)"', page.text):
                fields[key] = "压力测试：已与班组长核对"
            self.posting.set()
            sent = time.monotonic()
            answer = corp.form(self.root(payroll_id) + "/submit", fields, follow=True)
            self.log.append(f"submit took {time.monotonic() - sent:.2f}s")
            if answer.status == 200 and "工资表已提交" in answer.text:
                self.acked.add("submitted")
            elif answer.status != 200:
                self.log.append(f"submit answered {answer.status}")
            return "submit"
        open_batches = self.open_batches(payroll_id)
        if open_batches:
            # A person would click 代发 again first: it must be refused while a batch waits.
            page = corp.get(self.root(payroll_id) + "/payments")
            answer = corp.form(self.root(payroll_id) + "/payments", {"_csrf": csrf_of(page.text)})
            if answer.status == 409 and "还没有银行的最终应答" in answer.text:
                self.refused_second_pay += 1
            else:
                self.log.append(f"a second 代发 while a batch waits answered {answer.status}")
            answer = corp.form(
                self.root(payroll_id) + f"/payments/{open_batches[0].lower()}/retry", {"_csrf": csrf_of(page.text)})
            self.log.append(f"retry answered {answer.status}")
            return "retry"
        if status in ("submitted", "partly_paid") and "paid" not in self.acked:
            page = corp.get(self.root(payroll_id) + "/payments")
            self.posting.set()
            answer = corp.form(self.root(payroll_id) + "/payments", {"_csrf": csrf_of(page.text)}, follow=True)
            if answer.status == 200:
                self.acked.add("paid")
            self.log.append(f"pay answered {answer.status}")
            return "pay"
        return None

    def finish(self, limit=12):
        for _ in range(limit):
            if self.next_step() is None:
                return True
        return False

    def is_draft_with_scan(self):
        found = self.payroll()
        return found is not None and found[1] == "draft" and str(found[2]) in ("1", "t", "True")

    def until(self, done, limit=6):
        """Steps until `done()` holds (bounded): e.g. up to the submission, or up to the payment."""
        for _ in range(limit):
            if done():
                return True
            if Run.quiet(self.next_step) is None:
                break
        return done()

    def submitted(self):
        found = self.payroll()
        return found is not None and found[1] != "draft"


class Bank:
    """`siteroll simulate bank` as its own process, its books in a file."""

    def __init__(self, binary, state_file, port, key):
        self.binary, self.state_file, self.port, self.key = binary, state_file, port, key
        self.process = None
        self.base = f"http://127.0.0.1:{port}"

    def start(self):
        log = open(self.state_file + ".log", "a")
        self.process = subprocess.Popen(
            [self.binary, "simulate", "bank", "--port", str(self.port), "--state", self.state_file, "--key", self.key],
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        if not wait_http(self.base + "/health", 60, self.process):
            raise RuntimeError("the bank simulator did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def call(self, path, payload):
        answer = Http(self.base).json_call("POST", path, payload, token=self.key)
        if answer.status != 200:
            raise RuntimeError(f"bank simulator {path} answered {answer.status}: {answer.text[:200]}")
        return answer.json()

    def log_lines(self):
        with open(self.state_file + ".log", errors="replace") as handle:
            return handle.read().splitlines()

    def books(self):
        with open(self.state_file) as handle:
            return json.load(handle)


class Run:
    """One database: the rounds and the checks."""

    def __init__(self, args, label, postgres_url=None):
        self.args, self.label, self.postgres_url = args, label, postgres_url
        self.work = tempfile.mkdtemp(prefix=f"siteroll-crash-{label}-")
        self.checks = []
        self.figures = {"database": label}

    def check(self, name, ok, detail=""):
        self.checks.append((name, bool(ok), detail))
        log(f"{'PASS' if ok else 'FAIL'} [{self.label}] {name}{(': ' + detail) if detail else ''}")

    def execute(self):
        args = self.args
        data_dir = os.path.join(self.work, "data")
        os.makedirs(data_dir)
        server = Server(args.binary, data_dir, free_port(), self.postgres_url)
        db = Database(sqlite_path=None if self.postgres_url else os.path.join(data_dir, "siteroll.sqlite"),
                      postgres_url=self.postgres_url)

        if not self.postgres_url:
            self.interrupted_demo()
        # 1. The demo, paid months booked by the in-process simulator; then the bank moves out.
        started = time.monotonic()
        server.start()
        self.figures["demo_start_seconds"] = round(time.monotonic() - started, 1)
        # Killed, not stopped: the in-process simulator's books must survive that too (the last
        # checks compare every payroll line, the demo's paid months included, with them).
        server.kill()
        bank_key = uuid.uuid4().hex
        bank = Bank(args.binary, os.path.join(self.work, "bank.json"), free_port(), bank_key)
        shutil.copy(os.path.join(data_dir, "bank-simulator.json"), bank.state_file)
        server.env.update({"BANK_URL": bank.base, "BANK_KEY": bank_key})
        try:
            bank.start()
            server.start()
            self.rounds(server, bank, db)
        finally:
            server.stop()
            bank.stop()
        code, output = server.run("audit", "verify")
        self.check("siteroll audit verify passes", code == 0, output.strip().splitlines()[-1] if output.strip() else "")
        if not args.keep:
            shutil.rmtree(self.work, ignore_errors=True)

    def interrupted_demo(self):
        """A first start killed while the demo loads: the next start must say the demo is
        incomplete (and stop), not serve half a demo as a whole one."""
        data_dir = os.path.join(self.work, "interrupted")
        os.makedirs(data_dir)
        server = Server(self.args.binary, data_dir, free_port())
        log = open(server.log_path, "a")
        process = subprocess.Popen(
            server.command("serve", "--port", str(server.port), "--demo"), stdout=log, stderr=subprocess.STDOUT,
            env=server.env)
        log.close()
        # Kill once the demo has begun (accounts are in) and before it has finished (projects).
        database = Database(sqlite_path=os.path.join(data_dir, "siteroll.sqlite"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if database.rows("SELECT COUNT(*) FROM accounts")[0][0] > 0:
                    break
            except sqlite3.Error:
                pass
            time.sleep(0.02)
        os.kill(process.pid, 9)
        process.wait(timeout=30)
        marker = database.rows("SELECT value FROM settings WHERE key = 'demo.seeded'")
        if marker and marker[0][0] != "loading":
            self.check("a start killed while the demo loads (the kill came after the load)", True)
            return
        try:
            code, output = server.run("serve", "--port", str(server.port), "--demo", timeout=60)
        except subprocess.TimeoutExpired:
            code, output = 0, "the restart served the half-loaded demo"
        self.check(
            "a start killed while the demo loads is refused on restart with the reason",
            code != 0 and "演示数据不完整" in output, (output.strip().splitlines() or [""])[-1])

    def setup(self, server, bank, db):
        base = server.base
        enterprise = api_login(base, "sj_admin")
        projects = Http(base).json_call("GET", "/api/v1/projects", token=enterprise).json()
        jinjiang = next(p for p in projects if "锦江" in p["name"] or p["areaCode"] == "510104")
        project = Http(base).json_call("GET", f"/api/v1/projects/{jinjiang['id']}", token=enterprise).json()
        workers = Http(base).json_call(
            "GET", f"/api/v1/projects/{jinjiang['id']}/workers?active=true", token=enterprise).json()
        workers = [(w["workerId"].upper(), w["verificationCode"]) for w in workers if w.get("verificationCode")]
        corp = console_login(base, "corp", "sj_admin")
        devices = []
        for index in range(DEVICE_CLIENTS):
            code, secret = register_device(corp, jinjiang["id"], f"压力测试闸机{index + 1}")
            devices.append((code, app_token(base, code, secret)))
        phones = []
        for _ in range(PHONE_CLIENTS):
            phones.append(console_login(base, "m", "worker_zhang"))
        punch_page = phones[0].get("/m/punch").text
        phone_project = re.search(r'<option value="([0-9A-Fa-f-]{36})"[^>]*selected', punch_page).group(1)
        if phone_project.upper() != jinjiang["id"].upper():
            project = Http(base).json_call("GET", f"/api/v1/projects/{phone_project}", token=enterprise).json()
        point = (project["lat"], project["lng"])
        # The payrolls: the current month of the labour subcontractor on 锦江 (sj_labour) and on 涪城 (fc_admin).
        month = datetime.datetime.now(SHANGHAI).strftime("%Y-%m")
        clerks = []
        units = db.rows("SELECT id, project_id, participation_type FROM project_units")
        all_projects = {p["id"].upper(): p for p in projects}
        fucheng_token = api_login(base, "fc_admin")
        for p in Http(base).json_call("GET", "/api/v1/projects", token=fucheng_token).json():
            all_projects.setdefault(p["id"].upper(), p)
        for username, area in (("sj_labour", "510104"), ("fc_admin", "510703")):
            target = next((p for p in all_projects.values() if p["areaCode"] == area), None)
            if target is None:
                continue
            unit = next((u[0] for u in units if u[1] == target["id"].upper() and u[2] == "006"), None)
            if unit:
                clerks.append(PayrollClerk(base, username, target["id"], unit, month, db, target["name"]))
                if area == "510703":
                    # The demo's previous month there went partly unpaid (too little in the account):
                    # paying its failed lines again is the batch killed right after it leaves.
                    previous = (datetime.datetime.now(SHANGHAI).replace(day=1) - datetime.timedelta(days=1))
                    clerks.append(PayrollClerk(
                        base, username, target["id"], unit, previous.strftime("%Y-%m"), db, target["name"],
                        early=True))
        # Enough in each dedicated account for the month (the builder's transfer, at the bank).
        # The simulator keys accounts by a hash of the number; the demo numbers its accounts
        # 51050 + 11 digits (DemoData+Projects), so the numbers are found by their hashes.
        keys = set(bank.books()["accounts"])
        numbers = ["51050%011d" % (20_260_001 + index) for index in range(10)]
        for number in numbers:
            if hashlib.sha256(("bank-sim|" + number).encode()).hexdigest() not in keys:
                continue
            bank.call("/sim/labour-cost", {
                "accountNumber": number, "amountFen": 50_000_000, "payerName": "压力测试建设单位", "memo": "人工费拨付"})
        return devices, workers, phones, phone_project, point, clerks

    def rounds(self, server, bank, db):
        args = self.args
        devices, workers, phones, phone_project, point, clerks = self.setup(server, bank, db)
        tally, gate = Tally(), Gate()
        gate.up.set()
        threads = [DeviceClient(i, server.base, token, code, workers, tally, gate) for i, (code, token) in enumerate(devices)]
        threads += [PhoneClient(i, server.base, phone, phone_project, point, tally, gate) for i, phone in enumerate(phones)]
        for thread in threads:
            thread.start()
        rng = random.Random(args.seed)
        # Round kinds: a kill at a random moment; right after a payroll submission left; while
        # the bank holds back the answer to a batch it has paid; right after a pay request left.
        plan = []
        for clerk in clerks:
            plan += [("pay-early", clerk)] if clerk.early else [("submit", clerk), ("pay-held", clerk)]
        plan += [("random", None)] * max(0, args.rounds - len(plan))
        plan = plan[:max(args.rounds, 1)] if args.rounds < len(plan) else plan
        rng.shuffle(plan)
        # Keep each clerk's submit before its pay.
        order = {}
        for index, (kind, clerk) in enumerate(plan):
            if clerk is not None:
                order.setdefault(id(clerk), []).append(index)
        for indices in order.values():
            kinds = sorted((plan[i] for i in indices), key=lambda item: item[0] != "submit")
            for i, item in zip(indices, kinds):
                plan[i] = item
        deadline = time.monotonic() + args.max_seconds
        kills = 0
        restart_times = []
        outcomes = []
        submissions = []  # (payroll, acknowledged before the kill, stored after the restart)
        early, early_outcomes = [], []
        for number, (kind, clerk) in enumerate(plan, start=1):
            if time.monotonic() > deadline:
                log(f"[{self.label}] time budget spent after {kills} kills")
                break
            time.sleep(rng.uniform(0.8, 2.0))
            if kind == "random":
                time.sleep(rng.uniform(0.0, 2.0))
            elif kind == "submit":
                # Generate and attach the scan first, then kill right after the submission left.
                clerk.until(clerk.is_draft_with_scan)
                clerk.posting.clear()
                worker = threading.Thread(target=self.quiet, args=(clerk.next_step,), daemon=True)
                worker.start()
                clerk.posting.wait(10)
                time.sleep(rng.uniform(0.0, 1.5))
            elif kind == "pay-held":
                # The bank pays the next batch at once but holds its answer back for 5 s: the kill
                # lands after the money moved and before SiteRoll hears of it.
                clerk.until(clerk.submitted)
                bank.call("/sim/faults", {"kind": "lose-answer", "count": 1, "delayMilliseconds": 10000})
                before = len(bank.books().get("batches", {}))
                status_before = (clerk.payroll() or [None, None])[1]
                steps = []
                worker = threading.Thread(target=lambda: steps.append(self.quiet(clerk.next_step)), daemon=True)
                worker.start()
                waited = time.monotonic()
                while len(bank.books().get("batches", {})) == before and time.monotonic() - waited < 8:
                    time.sleep(0.02)
                held = len(bank.books().get("batches", {})) > before
                outcomes.append((clerk.label, held, f"payroll was {status_before}; steps {steps}; {clerk.log[-2:]}"))
            elif kind == "pay-early":
                # Killed a moment after the pay request left: before, while or after SiteRoll
                # writes the batch and calls the bank.
                clerk.until(clerk.submitted)
                before = len(bank.books().get("batches", {}))
                clerk.posting.clear()
                worker = threading.Thread(target=self.quiet, args=(clerk.next_step,), daemon=True)
                worker.start()
                clerk.posting.wait(10)
                time.sleep(rng.uniform(0.0, 0.3))
                early.append((clerk, before))
            gate.up.clear()
            server.kill()
            kills += 1
            log(f"[{self.label}] round {number}: SIGKILL ({kind}{' ' + clerk.label if clerk else ''})")
            time.sleep(0.3)
            started = time.monotonic()
            try:
                server.start(timeout=120)
            except RuntimeError as error:
                self.check(f"restart after kill {kills}", False, str(error)[-500:])
                gate.stop.set()
                return
            restart_times.append(time.monotonic() - started)
            gate.up.set()
            if kind == "pay-early":
                found = clerk.payroll()
                early_outcomes.append({
                    "payroll": f"{clerk.label} {clerk.month}",
                    "bank_had_instruction_at_kill": len(bank.books().get("batches", {})) > early[-1][1],
                    "batches_open_after_restart": len(clerk.open_batches(found[0])) if found else 0})
            if kind == "submit":
                # The person reopens the payroll and submits it if the submission was lost.
                submissions.append((clerk.label, "submitted" in clerk.acked, clerk.submitted()))
                clerk.until(clerk.submitted)
            elif kind in ("pay-held", "pay-early"):
                # The person reopens the payments: 代发 again (refused while the batch waits), 重新发送.
                clerk.finish()
        # Let the clients resend what is left (bounded), then stop them.
        time.sleep(1.0)
        drained = time.monotonic() + 20
        while time.monotonic() < drained and any(
                getattr(t, "pending", None) or getattr(t, "queue", None) for t in threads):
            time.sleep(0.2)
        gate.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        for clerk in clerks:
            self.check(f"payroll {clerk.label} {clerk.month} finished after the crashes", clerk.finish(), "; ".join(clerk.log[-4:]))
        self.figures.update({"kills": kills, "restart_seconds_max": round(max(restart_times or [0]), 1)})
        self.figures["submit_rounds"] = [
            {"payroll": label, "acknowledged_before_kill": acked, "stored_after_restart": stored}
            for label, acked, stored in submissions]
        self.figures["pay_early_rounds"] = early_outcomes
        for label, acked, stored in submissions:
            if acked:
                self.check(f"submit round {label}: the acknowledged submission survived the kill", stored)
        # Whether each held-answer round hit its window (the bank had paid before the kill): a
        # figure, not a check; the checks below hold whichever way the kill fell.
        self.figures["pay_held_rounds"] = [{"payroll": label, "bank_paid_before_kill": held} for label, held, _ in outcomes]
        for label, held, detail in outcomes:
            if not held:
                log(f"[{self.label}] note: the bank had not paid yet when {label} was killed ({detail})")
        self.verify_punches(db, tally, devices)
        self.verify_payrolls(db, bank, clerks)

    @staticmethod
    def quiet(step):
        try:
            return step()
        except NoAnswer:
            return "no answer"
        except Exception as error:  # reported in the round's detail; the checks decide
            return f"{type(error).__name__}: {error}"

    def verify_punches(self, db, tally, devices):
        codes = {code for code, _ in devices}
        stored_device = {}
        for key, recorded_by in db.rows("SELECT dedupe_key, recorded_by FROM attendance_punches WHERE source = 'device'"):
            if recorded_by not in codes:
                continue
            _, _, worker, second = key.split(":")
            stored_device[(worker.upper(), int(second))] = stored_device.get((worker.upper(), int(second)), 0) + 1
        phone_rows = db.rows(
            "SELECT client_event_id, COUNT(*) FROM attendance_punches WHERE source = 'phone' AND client_event_id IS NOT NULL GROUP BY client_event_id")
        stored_phone = {row[0]: int(row[1]) for row in phone_rows if row[0] in tally.phone_sent}
        lost_device = [k for k in tally.device_acked if k not in stored_device]
        lost_phone = [k for k in tally.phone_acked if k not in stored_phone]
        twice = [k for k, n in stored_device.items() if n > 1] + [k for k, n in stored_phone.items() if n > 1]
        acked = len(tally.device_acked) + len(tally.phone_acked)
        stored = len(stored_device) + len(stored_phone)
        self.figures.update({
            "punches_sent": len(tally.device_sent) + len(tally.phone_sent),
            "sent_never_acknowledged": len(tally.device_sent - set(tally.device_acked))
            + len(tally.phone_sent - tally.phone_acked),
            "punches_acknowledged": acked, "device_acknowledged": len(tally.device_acked),
            "phone_acknowledged": len(tally.phone_acked), "punches_stored": stored,
            "punches_duplicated": len(twice), "acknowledged_lost": len(lost_device) + len(lost_phone),
            "acknowledged_resent": tally.resent_acked, "acknowledged_resent_duplicate": tally.resent_acked_duplicate,
            "requests_without_answer": tally.no_answer, "server_errors": tally.server_errors,
            "refused": len(tally.refused)})
        self.check("punches were acknowledged", acked > 0, f"{acked}")
        self.check("every acknowledged punch is stored", not lost_device and not lost_phone,
                   f"lost {len(lost_device)} device, {len(lost_phone)} phone {(lost_device + lost_phone)[:5]}")
        self.check("no punch is stored twice", not twice, f"{twice[:5]}")
        self.check("every stored test punch was sent by a client",
                   all(k in tally.device_sent for k in stored_device), "")
        self.check("acknowledged punches sent again come back as duplicates", not tally.violations,
                   "; ".join(tally.violations[:5]))
        self.check("no 5xx answer", tally.server_errors == 0, f"{tally.server_errors}")
        self.check("no test punch refused", not tally.refused, "; ".join(tally.refused[:3]))

    def verify_payrolls(self, db, bank, clerks):
        books = bank.books()
        paid_by_line = {}
        for movement in books.get("movements", []):
            transaction = movement["transaction"]
            if transaction.get("direction") == "out" and transaction.get("lineRef"):
                ref = transaction["lineRef"].upper()
                paid_by_line.setdefault(ref, []).append(transaction["amountFen"])
        twice = {ref: amounts for ref, amounts in paid_by_line.items() if len(amounts) > 1}
        self.check("the bank paid every payroll line at most once", not twice, f"{list(twice.items())[:3]}")
        lines = db.rows("SELECT id, payroll_id, due_fen, paid_fen, status FROM payroll_lines")
        payrolls = {r[0]: r for r in db.rows("SELECT id, status FROM payrolls")}
        mismatched = [
            (r[0], r[3], sum(paid_by_line.get(r[0], [])))
            for r in lines if int(r[3]) != sum(paid_by_line.get(r[0], []))]
        self.check("SiteRoll's paid amounts are the bank's, line by line", not mismatched, f"{mismatched[:3]}")
        open_batches = db.rows("SELECT id, status FROM wage_payment_batches WHERE status IN ('sending','accepted','unsent')")
        self.check("no pay-on-behalf batch left without the bank's answer", not open_batches, f"{open_batches[:3]}")
        by_payroll = {}
        for r in lines:
            by_payroll.setdefault(r[1], []).append(r)
        inconsistent = []
        for payroll_id, status in ((p[0], p[1]) for p in payrolls.values()):
            owed = [r for r in by_payroll.get(payroll_id, []) if int(r[2]) - int(r[3]) > 0]
            if status in ("draft", "submitted") and any(int(r[3]) > 0 for r in by_payroll.get(payroll_id, [])):
                inconsistent.append((payroll_id, status, "paid lines"))
            if status == "paid" and owed:
                inconsistent.append((payroll_id, status, "owes"))
            if status == "paying":
                inconsistent.append((payroll_id, status, "still paying"))
        self.check("every payroll's status agrees with its lines", not inconsistent, f"{inconsistent[:3]}")
        summary = []
        for clerk in clerks:
            found = clerk.payroll()
            if found is None:
                self.check(f"payroll {clerk.label} exists", False)
                continue
            mine = by_payroll.get(found[0], [])
            paid = sum(1 for r in mine if int(r[3]) > 0)
            if "submitted" in clerk.acked:
                self.check(f"payroll {clerk.label} {clerk.month}: the acknowledged submission stands", found[1] != "draft", found[1])
            batches = [r for r in db.rows("SELECT payroll_id, status, instruction_id FROM wage_payment_batches") if r[0] == found[0]]
            summary.append({
                "payroll": clerk.label, "month": clerk.month, "status": found[1], "lines": len(mine),
                "lines_paid": paid, "batches": len(batches),
                "second_pay_refused_while_open": clerk.refused_second_pay,
                "bank_duplicate_answers": sum(
                    1 for line in bank.log_lines() if "pay-on-behalf" in line and "duplicate=true" in line
                    and any(b[2] in line for b in batches))})
        self.figures["payrolls"] = summary
        self.figures["bank_lines_paid_twice"] = len(twice)


def create_postgres_database(admin_url):
    name = f"siteroll_crash_{os.getpid()}_{int(time.time())}"
    done = subprocess.run(["psql", admin_url, "-X", "-q", "-c", f'CREATE DATABASE "{name}"'],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"could not create {name}: {done.stderr.strip()}")
    parts = urllib.parse.urlsplit(admin_url)
    return name, urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def drop_postgres_database(admin_url, name):
    subprocess.run(["psql", admin_url, "-X", "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                   capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", default=os.environ.get("SITEROLL_BIN", DEFAULT_BINARY))
    parser.add_argument("--rounds", type=int, default=8, help="kill -9 rounds per database (at least one per payroll step)")
    parser.add_argument("--max-seconds", type=float, default=150, help="time budget of the rounds per database")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server: a database is created there and dropped")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directories")
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"no siteroll binary at {args.binary}: run `swift build` first")
    runs = []
    if not args.skip_sqlite:
        runs.append(Run(args, "sqlite"))
    created = None
    if args.postgres:
        created, url = create_postgres_database(args.postgres)
        runs.append(Run(args, "postgresql", url))
    try:
        for run in runs:
            log(f"== {run.label} ==")
            try:
                run.execute()
            except Exception as error:  # a crash of the harness is a failed check, reported with its cause
                run.check("the run completed", False, f"{type(error).__name__}: {error}")
    finally:
        if created:
            drop_postgres_database(args.postgres, created)
    figures = [run.figures for run in runs]
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(figures, handle, ensure_ascii=False, indent=2)
    checks = [c for run in runs for c in run.checks]
    failed = [c for c in checks if not c[1]]
    for name, _, detail in failed:
        print(f"FAILED: {name} {detail}")
    print(f"crash-test: {len(checks) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed or not checks else 0)


if __name__ == "__main__":
    main()
