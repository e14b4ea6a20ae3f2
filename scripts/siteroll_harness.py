"""Shared pieces of the scripts that drive a real `siteroll serve` process from the outside
(scripts/crash-test.py, scripts/api-contract.py): starting and killing the server, a small HTTP
client with its own cookies, console logins with the CSRF double-submit cookie, and /api/v1 tokens.

Python 3 standard library only. Every address is on the loopback interface.
"""

import html
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BINARY = os.path.join(ROOT, ".build", "debug", "siteroll")
DEMO_PASSWORD = "Demo@2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout, process=None):
    """Polls `url` until it answers 200; False when `timeout` runs out or `process` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    return False


class Server:
    """One `siteroll serve` process on a fixed data directory, port and database, restartable."""

    def __init__(self, binary, data_dir, port, database_url=None, env=None, demo=True, log_name="serve.log"):
        self.binary = binary
        self.data_dir = data_dir
        self.port = port
        self.database_url = database_url
        self.demo = demo
        self.env = dict(os.environ)
        for name in ("DATABASE_URL", "BANK_URL", "BANK_KEY", "DATA_DIR", "HTTP_PORT", "DEMO"):
            self.env.pop(name, None)
        self.env.update(env or {})
        self.log_path = os.path.join(data_dir, log_name)
        self.process = None
        self.base = f"http://127.0.0.1:{port}"

    def command(self, *args):
        extra = ["--database-url", self.database_url] if self.database_url else []
        return [self.binary, *args, "--data-dir", self.data_dir, *extra]

    def start(self, timeout=240):
        args = ["serve", "--port", str(self.port)] + (["--demo"] if self.demo else [])
        log = open(self.log_path, "a")
        log.write(f"\n===== start {time.strftime('%H:%M:%S')} =====\n")
        log.flush()
        self.process = subprocess.Popen(self.command(*args), stdout=log, stderr=subprocess.STDOUT, env=self.env)
        log.close()
        if not wait_http(self.base + "/health", timeout, self.process):
            tail = self.log_tail()
            self.kill()
            raise RuntimeError(f"siteroll did not start on port {self.port}:\n{tail}")

    def kill(self):
        """SIGKILL: no graceful shutdown, whatever is in flight is cut off."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def stop(self):
        """SIGTERM: the graceful shutdown an operator would use."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def log_tail(self, characters=3000):
        try:
            with open(self.log_path, errors="replace") as log:
                return log.read()[-characters:]
        except OSError:
            return ""

    def run(self, *args, timeout=120):
        """A one-off command on the same data (e.g. `audit verify`): (exit code, output)."""
        done = subprocess.run(
            self.command(*args), capture_output=True, text=True, env=self.env, timeout=timeout)
        return done.returncode, done.stdout + done.stderr


class NoAnswer(Exception):
    """The request got no HTTP answer at all (connection refused or reset, timeout)."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body.decode("utf-8"))


class Http:
    """A client with its own cookies (one browser or one phone), redirects not followed."""

    def __init__(self, base, timeout=20):
        self.base = base
        self.timeout = timeout
        self.cookies = {}
        self.opener = urllib.request.build_opener(_NoRedirect())

    def request(self, method, path, body=None, headers=None, timeout=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(self.base + path, data=body, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=timeout or self.timeout) as answer:
                response = Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            try:
                content = error.read()
            except OSError as failure:
                raise NoAnswer(str(failure)) from failure
            response = Response(error.code, error.headers, content)
        except (OSError, urllib.error.URLError) as error:
            raise NoAnswer(str(error)) from error
        for cookie in response.headers.get_all("Set-Cookie") or []:
            pair = cookie.split(";", 1)[0]
            name, _, value = pair.partition("=")
            if "Max-Age=0" in cookie or not value:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def followed(self, response, follow):
        """A console form's success is a 303 to the page that shows the result (post-redirect-get);
        with `follow`, that page is fetched as a browser would."""
        location = response.headers.get("Location") if response.headers else None
        if not follow or response.status != 303 or not location:
            return response
        return self.get(location if location.startswith("/") else urllib.parse.urlsplit(location).path)

    def form(self, path, fields, follow=False, **kwargs):
        body = urllib.parse.urlencode(fields).encode()
        return self.followed(self.request(
            "POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}, **kwargs), follow)

    def multipart(self, path, fields, files, follow=False, **kwargs):
        boundary = "----siteroll" + uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (file_name, content_type, data) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.followed(self.request(
            "POST", path, body=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}, **kwargs), follow)

    def json_call(self, method, path, payload=None, token=None, **kwargs):
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        return self.request(method, path, body=body, headers=headers, **kwargs)


CSRF_INPUT = re.compile(r'name="_csrf" value="([^"]+)"')


def csrf_of(page_text):
    """The session's CSRF token as a page carries it (hidden input or the punch page's data attribute)."""
    found = CSRF_INPUT.search(page_text) or re.search(r'data-csrf="([^"]+)"', page_text)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return html.unescape(found.group(1))


def console_login(base, audience, username, password=DEMO_PASSWORD):
    """Signs in to /gov, /corp or /m as a browser would: the login page's CSRF cookie and field."""
    client = Http(base)
    page = client.get(f"/{audience}/login")
    answer = client.form(
        f"/{audience}/login", {"username": username, "password": password, "_csrf": csrf_of(page.text)})
    if answer.status != 303:
        raise RuntimeError(f"login of {username} at /{audience} answered {answer.status}")
    return client


def api_login(base, username, password=DEMO_PASSWORD):
    answer = Http(base).json_call("POST", "/api/v1/auth/login", {"username": username, "password": password})
    if answer.status != 200:
        raise RuntimeError(f"API login of {username} answered {answer.status}: {answer.text[:200]}")
    return answer.json()["token"]


def app_token(base, app_id, secret):
    answer = Http(base).json_call("POST", "/api/v1/auth/token", {"appId": app_id, "appSecret": secret})
    if answer.status != 200:
        raise RuntimeError(f"token for app {app_id} answered {answer.status}: {answer.text[:200]}")
    return answer.json()["token"]


def register_device(corp, project_id, name):
    """Registers a gate device as the general contractor does on the attendance review page;
    returns (device code, one-time secret)."""
    path = f"/corp/projects/{project_id}/attendance/review"
    page = corp.get(path)
    answer = corp.form(
        f"/corp/projects/{project_id}/attendance/devices", {"name": name, "kind": "face", "_csrf": csrf_of(page.text)},
        follow=True)
    code = re.search(r'<code id="device-code">([^<]+)</code>', answer.text)
    secret = re.search(r'<code id="device-secret">([^<]+)</code>', answer.text)
    if answer.status != 200 or not code or not secret:
        raise RuntimeError(f"device registration answered {answer.status}")
    return html.unescape(code.group(1)), html.unescape(secret.group(1))
