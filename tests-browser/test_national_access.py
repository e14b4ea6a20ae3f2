"""Platform access in the browser (issue 15 item 4, A1): 锦城劳务 (jc_admin) applies to connect a
system, 成都市住建局 (cd_admin) reviews and approves it, jc_admin takes the secret (shown once) and the
system signs a call to /open.api with it. Screenshots at 1366 px and 360 px of the form, the lists,
the review page and the secret; no page scrolls sideways at 360 px (tables scroll in their frame).
"""

import hashlib
import json
import os
import time
import urllib.parse
import urllib.request
import uuid

from conftest import SHOTS, login, wait_for, wait_url
from selenium.webdriver.common.by import By

WIDTHS = [(1366, 900), (360, 800)]


def shoot(browser, name):
    for width, height in WIDTHS:
        browser.set_window_size(width, height)
        time.sleep(0.2)
        browser.save_screenshot(os.path.join(SHOTS, f"access-{name}-{width}.png"))
        if width == 360:
            overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} scrolls sideways at 360 px by {overflow}px"
    browser.set_window_size(1366, 900)


def accept_confirms(browser):
    browser.execute_script("window.confirm = function () { return true; };")


def call(base, appid, secret, method="CheckSign.Query", data="{}"):
    fields = {
        "appid": appid, "method": method, "format": "json", "version": "1.0", "nonce": uuid.uuid4().hex,
        "timestamp": time.strftime("%Y%m%d%H%M%S", time.gmtime(time.time() + 8 * 3600)), "data": data,
    }
    plain = "&".join(f"{k}={fields[k]}" for k in sorted(fields)) + "&appsecret=" + secret
    fields["sign"] = hashlib.sha256(plain.lower().encode()).hexdigest()
    with urllib.request.urlopen(base + "/open.api", urllib.parse.urlencode(fields).encode()) as response:
        return json.load(response)


def test_apply_review_secret_once(server, browser):
    login(browser, server, "corp", "jc_admin")
    browser.find_element(By.LINK_TEXT, "系统接入").click()
    wait_url(browser, "/corp/access")
    shoot(browser, "corp-list")

    browser.find_element(By.ID, "apply-link").click()
    wait_for(browser, "#access-form")
    form = browser.find_element(By.ID, "access-form")
    form.find_element(By.NAME, "systemName").send_keys("锦城考勤上传系统")
    form.find_element(By.NAME, "vendor").send_keys("成都蓉易通软件有限公司")
    form.find_element(By.NAME, "contactName").send_keys("刘洋")
    form.find_element(By.NAME, "contactPhone").send_keys("13880001234")
    form.find_element(By.NAME, "sourceIPs").send_keys("127.0.0.1\n::1")
    shoot(browser, "corp-form")
    # Refused first: no project, no method — the reasons come back with what was typed.
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    error = wait_for(browser, ".alert.error")
    assert "请至少选择一个项目" in error.text and "请至少选择一个接口方法" in error.text
    assert browser.find_element(By.NAME, "systemName").get_attribute("value") == "锦城考勤上传系统"
    shoot(browser, "corp-form-refused")
    form = browser.find_element(By.ID, "access-form")
    form.find_elements(By.CSS_SELECTOR, "#access-projects input[type=checkbox]")[0].click()
    for method in ["WorkerAttendance.Add", "WorkerAttendance.Query", "Project.Query"]:
        form.find_element(By.CSS_SELECTOR, f"input[name=method][value='{method}']").click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "接入申请已提交" in wait_for(browser, "#notice").text
    assert browser.find_element(By.ID, "application-status").text == "待审核"
    shoot(browser, "corp-application")

    login(browser, server, "gov", "cd_admin")
    browser.find_element(By.LINK_TEXT, "系统接入").click()
    wait_url(browser, "/gov/access")
    shoot(browser, "gov-list")
    row = [r for r in browser.find_elements(By.CSS_SELECTOR, "#access-applications tr") if "锦城考勤上传系统" in r.text][0]
    row.find_element(By.LINK_TEXT, "审核").click()
    wait_for(browser, "#approve-form")
    shoot(browser, "gov-review")
    accept_confirms(browser)
    browser.find_element(By.CSS_SELECTOR, "#approve-form button").click()
    assert "已批准" in wait_for(browser, "#notice").text
    assert "national-secret" not in browser.page_source

    # Still signed in to the enterprise console (each console has its own cookie).
    browser.get(server + "/corp/access")
    accept_confirms(browser)
    app_row = [r for r in browser.find_elements(By.CSS_SELECTOR, "#access-apps tr") if "待领取" in r.text][0]
    appid = app_row.get_attribute("data-appid")
    app_row.find_element(By.CSS_SELECTOR, "form button.primary").click()
    secret = wait_for(browser, "#national-secret").text
    assert len(secret) == 32 and browser.find_element(By.ID, "national-appid").text == appid
    shoot(browser, "corp-secret-once")
    browser.refresh()
    assert "national-secret" not in browser.page_source, "the secret is shown once"

    answer = call(server, appid, secret)
    assert answer["code"] == 0, answer
    browser.get(server + "/corp/access")
    shoot(browser, "corp-list-after")
