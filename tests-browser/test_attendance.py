"""Issue 5, item 9: the worker's phone punch page, online and offline (M3).

On a 360 px phone, 张建国 (worker_zhang) punches on /m/punch with the position fixed through the
Chrome DevTools Protocol inside the polygon fence of 锦江区东大街安置房项目:

1. once online: the server answers at once and the punch joins 今天的打卡;
2. once offline: the punch waits on the phone (localStorage `siteroll.punchQueue.<worker>`, 待上传 list with
   its count), and the server has not received it — checked with a plain HTTP request carrying the
   browser's session, outside the offline browser;
3. back online the queue uploads by itself (the `online` event), the 待上传 list disappears, and
   the server holds exactly two new punches;
4. the same queued punch replayed twice (through `SiteRollPunch.sync()` and through the upload on
   page load) is answered as a duplicate and stored no second time: each client event id once;
5. /m/attendance shows today's two punches.

Counts are taken against what the server lists for today at the start (the baseline: no phone
punches; gate punches of the day, if the demo has any, stay in front), so "exactly two new" holds
whatever the demo seeds. No page scrolls sideways at 360 px.

The demo binds 张建国's phone as `5a11e0de00000000000000000000a001`; the test puts that id into
`siteroll.deviceId` and checks the verdict that follows from whatever id the page actually uses: the
bound one gives 已记录 (accepted), any other 待核实 (suspicious) naming the phone.

Checked last, so that the whole flow has run when they fail: the page names the directions as the
server does (c.17 入场/出场) in punch.js's rows, their colours, and /m/attendance's day summaries;
no browser console errors besides the failed requests while offline and Chromium's /favicon.ico.
"""

import datetime
import json
import os
import re

import requests
from conftest import SHOTS, login
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from zoneinfo import ZoneInfo

PHONE_WIDTH = 360
QUEUE_KEY = "siteroll.punchQueue"
DEVICE_KEY = "siteroll.deviceId"
BOUND_DEVICE = "5a11e0de00000000000000000000a001"
# Two readings a few metres apart inside the fence (an identical repeat would be flagged as replayed).
ONLINE_FIX = {"latitude": 30.6533, "longitude": 104.0870, "accuracy": 20}
OFFLINE_FIX = {"latitude": 30.65334, "longitude": 104.08705, "accuracy": 18}
MSG_OFFLINE = "网络不通，打卡已保存在手机上，联网后自动上传"
# The server's words for a punch direction (c.17, `PunchDirection.chineseName`) and the button's.
ENTRY, EXIT = "入场", "出场"
NAMES = {"in": ENTRY, "out": EXIT}
LABELS = {"in": "上班打卡", "out": "下班打卡"}
OTHER = {"in": "out", "out": "in"}


# ---------------------------------------------------------------------------------------------
# Helpers


def china_today():
    return datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def assert_fits_phone(driver):
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"horizontal scroll at {PHONE_WIDTH} px on {driver.current_url}: scrollWidth {width}"


def locate_at(driver, fix):
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride", fix)


def set_offline(driver, offline):
    """Cuts or restores the network with chromedriver's network conditions (CDP as a fallback)."""
    conditions = dict(offline=offline, latency=0, download_throughput=-1, upload_throughput=-1)
    if offline:
        conditions.update(download_throughput=0, upload_throughput=0)
    try:
        driver.set_network_conditions(**conditions)
    except WebDriverException:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": offline, "latency": 0, "downloadThroughput": conditions["download_throughput"],
             "uploadThroughput": conditions["upload_throughput"]},
        )


def queue(driver):
    """The signed-in worker's queue: kept per worker, each punch carrying its worker (issue 12 item 7)."""
    worker = driver.execute_script("return document.getElementById('punch').getAttribute('data-worker')")
    assert worker, "the punch page names its worker"
    waiting = json.loads(driver.execute_script(f"return localStorage.getItem('{QUEUE_KEY}.' + arguments[0]) || '[]'", worker))
    assert all(p.get("worker") == worker for p in waiting), waiting
    return waiting


def items(driver, list_id):
    """The rows of a punch list on the page as dicts of their spans' texts."""
    rows = []
    for li in driver.find_elements(By.CSS_SELECTOR, f"#{list_id} > li"):
        spans = {s.get_attribute("class"): s.text.strip() for s in li.find_elements(By.TAG_NAME, "span")}
        colour = li.find_element(By.CLASS_NAME, "p-dir").value_of_css_property("color")
        rows.append({"time": spans.get("p-time"), "dir": spans.get("p-dir"), "status": spans.get("p-status"),
                     "source": spans.get("p-source"), "class": li.get_attribute("class"), "colour": colour})
    return rows


def server_today(driver, base):
    """Today's punches as the server has them: /m/punch fetched with the browser's session cookies by a
    separate HTTP client, so it works while the browser itself is offline."""
    session = requests.Session()
    for cookie in driver.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    response = session.get(base + "/m/punch", timeout=10, allow_redirects=False)
    assert response.status_code == 200, f"GET /m/punch with the browser's session: {response.status_code}"
    listing = re.search(r'<ul id="today-list"[^>]*>(.*?)</ul>', response.text, re.S)
    assert listing, "no #today-list in the server's /m/punch"
    return re.findall(r'<span class="p-dir"[^>]*>([^<]*)</span><span class="p-status"[^>]*>([^<]*)</span>', listing.group(1))


def status_settled(driver):
    """The status line once it reports an outcome (not the `info` of 正在定位… / 正在上传…)."""
    element = driver.find_element(By.ID, "punch-status")
    css = element.get_attribute("class").split()
    return element if "alert" in css and element.text.strip() else False


def show(driver, element_id):
    """Scrolls the element to the top of the window (below a little margin) for a screenshot."""
    driver.execute_script(
        "document.getElementById(arguments[0]).scrollIntoView(); window.scrollBy(0, -12);", element_id)


def press(driver):
    driver.find_element(By.ID, "punch-button").click()


def button_direction(driver):
    button = driver.find_element(By.ID, "punch-button")
    return button.get_attribute("data-direction"), button.find_element(By.CSS_SELECTOR, ".punch-label").text.strip()


def open_punch_page(driver, base):
    driver.get(base + "/m/punch")
    WebDriverWait(driver, 15).until(lambda d: d.find_element(By.ID, "punch-button").is_enabled())
    # The page uploads whatever is queued when it loads; wait until that has finished.
    WebDriverWait(driver, 15).until(lambda d: not queue(d))


def console_errors(driver):
    """SEVERE browser console entries, except the failed requests that going offline causes on purpose
    and the browser's own request for /favicon.ico (the layout declares no icon; Chromium asks anyway)."""
    try:
        entries = driver.get_log("browser")
    except WebDriverException:
        return []
    return [
        e for e in entries
        if e.get("level") == "SEVERE"
        and "ERR_INTERNET_DISCONNECTED" not in e.get("message", "")
        and "/favicon.ico " not in e.get("message", "")
    ]


RECORD_ANSWERS = """
window.__punchAnswers = [];
var original = window.fetch;
window.fetch = function () {
  return original.apply(this, arguments).then(function (res) {
    res.clone().json().then(function (body) { window.__punchAnswers.push(body); }, function () {});
    return res;
  });
};
"""


def expected_verdict(device_id):
    """The status class and text that the punch's device id calls for."""
    if device_id == BOUND_DEVICE:
        return "ok", re.compile(r"打卡成功 \d\d:\d\d")
    return "warn", re.compile(r"已记录，待企业核实：.*用一部新手机打卡（不是已绑定的考勤手机），已申请把这部手机绑定为考勤手机")


# ---------------------------------------------------------------------------------------------
# The test


def test_phone_punch_online_offline_and_replay(server, browser):
    """Issue 5, item 9 (M3): online punch, offline punch kept on the phone, automatic upload on
    reconnect, exactly-once storage of a replayed client event id, and the day in /m/attendance."""
    driver = browser
    driver.set_window_size(PHONE_WIDTH, 800)
    login(driver, server, "m", "worker_zhang")
    assert not driver.current_url.split("?")[0].endswith("/login"), "worker_zhang could not sign in"
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": server, "permissions": ["geolocation"]})
    # A phone in Chengdu: its clock on the page agrees with the server's times (China Standard Time).
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Asia/Shanghai"})
    locate_at(driver, ONLINE_FIX)

    # Use the phone the demo has bound to 张建国, then see which id the page keeps.
    open_punch_page(driver, server)
    driver.execute_script(f"localStorage.setItem('{DEVICE_KEY}', '{BOUND_DEVICE}')")
    open_punch_page(driver, server)
    device_id = driver.execute_script(f"return localStorage.getItem('{DEVICE_KEY}')")

    # The start. The demo has no phone punches today for 张建国 (gate punches of the day may exist);
    # whatever is there is the baseline, and the button offers the direction the server expects next.
    baseline = server_today(driver, server)
    shown = items(driver, "today-list")
    assert [(r["dir"], r["status"]) for r in shown] == baseline, (shown, baseline)
    assert all(r["source"] != "手机" for r in shown), f"phone punches today before the test: {shown}"
    assert driver.find_element(By.ID, "today-empty").is_displayed() == (not baseline)
    assert not driver.find_element(By.ID, "pending").is_displayed()
    assert "本项目设有电子围栏" in driver.find_element(By.ID, "punch-fence").text
    first, label = button_direction(driver)
    second = OTHER[first]
    assert label == LABELS[first], (first, label)
    assert first == ("out" if baseline and baseline[-1][0] == ENTRY else "in"), (first, baseline)
    assert_fits_phone(driver)

    # 1. Online.
    press(driver)
    result = WebDriverWait(driver, 30).until(status_settled)
    kind, text = expected_verdict(device_id)
    assert kind in result.get_attribute("class").split() and text.search(result.text), (
        f"online punch with device id {device_id!r}: status {result.get_attribute('class')!r} {result.text!r}")
    verdict = "已记录" if kind == "ok" else "待核实"
    today = items(driver, "today-list")
    assert len(today) == len(baseline) + 1, today
    client_rendered = [dict(today[-1])]
    assert today[-1]["status"] == verdict and today[-1]["source"] == "手机", today[-1]
    assert not driver.find_element(By.ID, "today-empty").is_displayed()
    assert queue(driver) == [] and not driver.find_element(By.ID, "pending").is_displayed()
    assert button_direction(driver) == (second, LABELS[second])
    assert server_today(driver, server) == baseline + [(NAMES[first], verdict)]
    assert_fits_phone(driver)
    show(driver, "punch-status")
    driver.save_screenshot(os.path.join(SHOTS, "m-punch-online.png"))

    # 2. Offline: the punch stays on the phone.
    locate_at(driver, OFFLINE_FIX)
    set_offline(driver, True)
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "punch-offline").is_displayed())
    press(driver)
    WebDriverWait(driver, 30).until(
        lambda d: d.find_element(By.ID, "pending").is_displayed() and MSG_OFFLINE in d.find_element(By.ID, "punch-status").text)
    assert driver.find_element(By.ID, "pending-count").text == "1"
    waiting = queue(driver)
    assert len(waiting) == 1, waiting
    queued = waiting[0]
    assert queued["direction"] == second and queued["deviceId"] == device_id, queued
    assert (queued["latitude"], queued["longitude"]) == (OFFLINE_FIX["latitude"], OFFLINE_FIX["longitude"]), queued
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", queued["clientEventId"])
    pending_rows = items(driver, "pending-list")
    assert len(pending_rows) == 1 and pending_rows[0]["status"] == "待上传", pending_rows
    client_rendered.append(dict(pending_rows[0]))
    assert len(items(driver, "today-list")) == len(baseline) + 1, "an unsent punch must not be listed as recorded"
    assert server_today(driver, server) == baseline + [(NAMES[first], verdict)], "the server got the punch made offline"
    assert_fits_phone(driver)
    show(driver, "punch-status")
    driver.save_screenshot(os.path.join(SHOTS, "m-punch-offline-pending.png"))

    # 3. Back online: the queue uploads by itself on the `online` event.
    set_offline(driver, False)
    try:
        WebDriverWait(driver, 10).until(lambda d: not d.find_element(By.ID, "punch-offline").is_displayed())
    except TimeoutException:
        # The emulation did not fire `online`: fire it as the phone would.
        print("network emulation fired no `online` event; dispatching one")
        driver.execute_script("window.dispatchEvent(new Event('online'))")
    WebDriverWait(driver, 30).until(lambda d: not queue(d) and not d.find_element(By.ID, "pending").is_displayed())
    assert driver.find_element(By.ID, "pending-count").get_attribute("textContent") == "0"
    result = WebDriverWait(driver, 10).until(status_settled)
    assert kind in result.get_attribute("class").split() and text.search(result.text), (
        f"offline punch after upload: status {result.get_attribute('class')!r} {result.text!r}")
    today = items(driver, "today-list")
    assert len(today) == len(baseline) + 2, today
    assert today[-1]["status"] == verdict and today[-1]["source"] == "手机", today
    client_rendered.append(dict(today[-1]))
    assert button_direction(driver) == (first, LABELS[first])
    assert_fits_phone(driver)
    show(driver, "punch-status")
    driver.save_screenshot(os.path.join(SHOTS, "m-punch-synced.png"))

    # 4. Exactly once: the server has two new punches, and a replay of the queued punch adds none.
    ours = [(NAMES[first], verdict), (NAMES[second], verdict)]
    assert server_today(driver, server) == baseline + ours
    driver.execute_script(RECORD_ANSWERS)
    driver.execute_script(
        f"localStorage.setItem('{QUEUE_KEY}.' + arguments[1], JSON.stringify([arguments[0]]))", queued, queued["worker"])
    driver.execute_async_script("window.SiteRollPunch.sync().then(arguments[arguments.length - 1])")
    answers = WebDriverWait(driver, 10).until(lambda d: d.execute_script("return window.__punchAnswers"))
    assert [(a.get("status"), a.get("message")) for a in answers] == [("duplicate", "该次打卡已上传过")], answers
    assert queue(driver) == [], "the replayed punch was not taken off the queue"
    assert len(items(driver, "today-list")) == len(baseline) + 2, "a duplicate answer was listed as a new punch"
    assert "error" not in driver.find_element(By.ID, "punch-status").get_attribute("class").split()
    # ... and the upload on page load, the way a phone that lost the server's answer would resend it.
    driver.execute_script(
        f"localStorage.setItem('{QUEUE_KEY}.' + arguments[1], JSON.stringify([arguments[0]]))", queued, queued["worker"])
    open_punch_page(driver, server)
    assert not driver.find_element(By.ID, "pending").is_displayed()
    today = items(driver, "today-list")
    assert [(r["dir"], r["status"]) for r in today] == baseline + ours, today
    assert [r["source"] for r in today[-2:]] == ["手机", "手机"], today
    reloaded_colours = [r["colour"] for r in today[-2:]]
    assert server_today(driver, server) == baseline + ours
    assert button_direction(driver) == (first, LABELS[first])
    assert_fits_phone(driver)

    # 5. The day in the worker's history.
    driver.get(server + "/m/attendance")
    date = china_today().isoformat()
    cards = [c for c in driver.find_elements(By.CSS_SELECTOR, ".day-card")
             if c.find_element(By.CSS_SELECTOR, ".m-title").text.startswith(date)]
    assert len(cards) == 1, f"/m/attendance has {len(cards)} cards for {date}"
    lines = [li.text for li in cards[0].find_elements(By.CSS_SELECTOR, ".m-list li")]
    assert len(lines) == len(baseline) + 2, lines
    assert re.fullmatch(rf"\d\d:\d\d {NAMES[first]} · 手机 · {verdict}", lines[-2]), lines
    assert re.fullmatch(rf"\d\d:\d\d {NAMES[second]} · 手机 · {verdict}", lines[-1]), lines
    if verdict == "待核实":
        # Suspicious punches wait for the employer's review and count for nothing yet.
        assert "2 条打卡未计入（待审核或已驳回）" in cards[0].text, cards[0].text
    summaries = {c.find_element(By.CSS_SELECTOR, ".m-title").text.split()[0]: c.find_elements(By.CSS_SELECTOR, "p")[1].text.strip()
                 for c in driver.find_elements(By.CSS_SELECTOR, ".day-card")}
    assert summaries[date] or verdict == "待核实", f"no summary for {date} with accepted punches"
    assert_fits_phone(driver)

    # Checked last, so that a failure here leaves the whole flow above exercised: the page names the
    # directions as the server does (c.17: 入场/出场) wherever it draws them, and the console is clean.
    problems = []
    drawn = [(r["dir"], r["status"]) for r in client_rendered]
    if drawn != [(NAMES[first], verdict), (NAMES[second], "待上传"), (NAMES[second], verdict)]:
        problems.append(f"/m/punch: punch.js names the directions unlike the server ({ENTRY}/{EXIT}): it drew {drawn}")
    drawn_colours = [client_rendered[0]["colour"], client_rendered[2]["colour"]]
    if reloaded_colours != drawn_colours:
        problems.append(
            f"/m/punch: a direction's colour changes on reload (punch.css keys on the direction's name): "
            f"drawn by punch.js {drawn_colours}, rendered by the server {reloaded_colours}")
    worded = {day: text for day, text in summaries.items()
              if text and not re.fullmatch(rf"{ENTRY} \d\d:\d\d( · {EXIT} \d\d:\d\d)?|{EXIT} \d\d:\d\d", text)}
    if worded:
        sample = dict(list(worded.items())[:3])
        problems.append(
            f"/m/attendance: {len(worded)} day summaries name the directions unlike the lists below them "
            f"({ENTRY}/{EXIT}), e.g. {sample}")
    errors = console_errors(driver)
    if errors:
        problems.append(f"browser console errors: {errors}")
    assert not problems, "\n".join(problems)
