"""Shared fixtures for the browser tests: one `siteroll serve --demo` and a headless Chromium."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOTS = os.path.join(ROOT, "tests-browser", "screenshots")
PASSWORD = "Demo@2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    binary = os.environ.get("SITEROLL_BIN", os.path.join(ROOT, ".build", "debug", "siteroll"))
    port = free_port()
    data = tempfile.mkdtemp(prefix="siteroll-browser-")
    log = open(os.path.join(data, "serve.log"), "w")
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [binary, "serve", "--demo", "--port", str(port), "--data-dir", data], stdout=log, stderr=subprocess.STDOUT, env=env
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(base + "/health", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        raise RuntimeError("siteroll did not start: " + open(os.path.join(data, "serve.log")).read()[-2000:])
    yield base
    proc.terminate()
    proc.wait(timeout=20)
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture()
def browser():
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900", "--lang=zh-CN"]:
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    # Elements that appear only once the next page has loaded are waited for, not missed.
    driver.implicitly_wait(5)
    os.makedirs(SHOTS, exist_ok=True)
    yield driver
    driver.quit()


def wait_for(driver, css, timeout=15):
    """The element once the page that shows it has loaded (a form post navigates asynchronously)."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))


def wait_url(driver, suffix, timeout=15):
    """Waits until the browser has navigated to a URL whose path ends with `suffix`."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: d.current_url.split("?")[0].endswith(suffix))


def login(driver, base, console, username, password=PASSWORD):
    driver.get(f"{base}/{console}/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.ID, "login").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(
        lambda d: not d.current_url.split("?")[0].endswith("/login") or d.find_elements(By.CSS_SELECTOR, ".login-box .alert")
    )
