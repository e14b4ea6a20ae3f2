"""Browser tests (issue 2, item 7): a person logs into each console in headless Chromium.

Starts `siteroll serve --demo` (the binary from `swift build`) on a free port with a fresh data
directory, then drives Debian's chromium through chromedriver with Selenium. Screenshots go to
tests-browser/screenshots/ to be looked at. No network beyond loopback: Selenium Manager is kept
offline and pointed at the system's browser and driver.
"""

import os

from conftest import SHOTS, login, wait_for, wait_url
from selenium.webdriver.common.by import By

def test_gov_console(server, browser):
    login(browser, server, "gov", "cd_admin")
    assert browser.current_url.endswith("/gov")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "成都市住建局管理员" in body
    assert "四川省 / 成都市" in body
    assert "最近操作记录" in body and "登录成功" in body
    browser.save_screenshot(os.path.join(SHOTS, "gov-home.png"))

    browser.find_element(By.LINK_TEXT, "账号管理").click()
    browser.find_element(By.NAME, "username").send_keys("wh_inspector")
    browser.find_element(By.NAME, "displayName").send_keys("武侯区监管员")
    browser.find_element(By.CSS_SELECTOR, "select[name=role] option[value=regulator]").click()
    browser.find_element(By.CSS_SELECTOR, "select[name=divisionCode] option[value='510107']").click()
    browser.find_element(By.NAME, "password").send_keys("Wuhou2026")
    browser.find_element(By.CSS_SELECTOR, "form.grid button[type=submit]").click()
    assert "已创建账号 wh_inspector" in wait_for(browser, ".alert.ok").text
    browser.save_screenshot(os.path.join(SHOTS, "gov-accounts.png"))

    browser.find_element(By.LINK_TEXT, "审计日志").click()
    wait_url(browser, "/gov/audit")
    text = browser.find_element(By.TAG_NAME, "body").text
    assert "创建账号" in text and "wh_inspector" in text
    browser.save_screenshot(os.path.join(SHOTS, "gov-audit.png"))


def test_gov_rejects_wrong_password_in_chinese(server, browser):
    login(browser, server, "gov", "jj_inspector", password="wrong-password-1")
    assert "用户名或密码错误" in browser.find_element(By.CSS_SELECTOR, ".alert.error").text
    browser.save_screenshot(os.path.join(SHOTS, "gov-login-error.png"))


def test_corp_console(server, browser):
    login(browser, server, "corp", "sj_admin")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "四川蜀建建设工程有限公司" in body
    assert "统一社会信用代码" in body
    browser.save_screenshot(os.path.join(SHOTS, "corp-home.png"))
    browser.find_element(By.LINK_TEXT, "企业账号").click()
    wait_url(browser, "/corp/accounts")
    assert "sj_labour" in browser.find_element(By.TAG_NAME, "body").text
    assert "sc_admin" not in browser.find_element(By.TAG_NAME, "body").text
    browser.save_screenshot(os.path.join(SHOTS, "corp-accounts.png"))


def test_worker_phone(server, browser):
    browser.set_window_size(360, 740)
    login(browser, server, "m", "worker_zhang")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "张建国" in body
    assert "510104********" in body
    # Nothing on the page is wider than the phone.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    browser.save_screenshot(os.path.join(SHOTS, "m-home.png"))
    # On the phone, signing out is under 我的 (the bottom bar's last item).
    browser.get(server + "/m/me")
    logout = browser.find_element(By.ID, "me-logout")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", logout)
    logout.click()
    wait_url(browser, "/m/login")


def test_api_docs(server, browser):
    browser.get(server + "/docs")
    assert "账号密码登录，换取访问令牌" in browser.find_element(By.TAG_NAME, "body").text
    browser.save_screenshot(os.path.join(SHOTS, "docs.png"))
