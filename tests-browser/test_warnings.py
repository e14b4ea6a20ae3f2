"""Issue 6, item 6 (G4): a regulator runs the wage warnings on demand, reads a warning's evidence,
is refused a dismissal without a reason and dismisses it with one; the worker reads their own pay
warnings on a 360 px phone."""

import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SHOTS, login, wait_for

PHONE_WIDTH = 360


def accept_confirm(driver):
    WebDriverWait(driver, 5).until(expected_conditions.alert_is_present())
    driver.switch_to.alert.accept()


def test_regulator_runs_reads_and_dismisses(server, browser):
    driver = browser
    login(driver, server, "gov", "cd_admin")
    driver.get(f"{server}/gov/warnings")
    assert "尚未运行" in driver.find_element(By.ID, "last-run").text or "已完成" in driver.find_element(By.ID, "last-run").text
    driver.find_element(By.ID, "run-warnings").click()
    accept_confirm(driver)
    notice = wait_for(driver, "#notice", timeout=60)
    assert "预警运行完成" in notice.text, notice.text
    assert "手动" in driver.find_element(By.ID, "last-run").text
    # Read the table in one script call: the page may still be settling after the run, and
    # element-by-element reads can go stale between two calls.
    counts = driver.execute_script(
        "const out = {};"
        "document.querySelectorAll('#warning-counts tbody tr[data-rule]').forEach(row => {"
        "  out[row.dataset.rule] = Array.from(row.querySelectorAll('td')).map(td => td.innerText.trim());"
        "});"
        "return out;"
    )
    # One warning each, whatever its status: CI reruns a test once after a driver-side failure, on
    # the same server, and the first attempt may already have dismissed it.
    assert sum(int(n) for n in counts["WW-01"][1:]) == 1, counts["WW-01"]
    assert sum(int(n) for n in counts["WW-10"][1:]) == 1, counts["WW-10"]
    driver.save_screenshot(os.path.join(SHOTS, "warnings-board.png"))
    if counts["WW-01"][1] != "1":
        return

    # The board groups by project and rule (issue 14 item 7): fewer rows than warnings, each with
    # its count, opening to the warnings themselves.
    groups = driver.execute_script(
        "return Array.from(document.querySelectorAll('#warning-groups tbody tr')).map(r => r.children[4].innerText.trim());"
    )
    assert groups and sum(int(n) for n in groups) >= len(groups), groups
    # The account warning of 武侯: its group, then its reason, evidence and due date.
    driver.get(f"{server}/gov/warnings?rule=WW-01")
    driver.find_element(By.CSS_SELECTOR, "#warning-groups tbody tr[data-rule='WW-01'] td.sticky-end a").click()
    wait_for(driver, "#warnings")
    driver.find_element(By.CSS_SELECTOR, "#warnings tbody tr[data-rule='WW-01'] a").click()
    reason = wait_for(driver, "#warning-reason")
    assert "武侯区人民南路综合管廊工程" in reason.text and "未在平台登记专用账户" in reason.text
    evidence = driver.find_element(By.ID, "warning-evidence").text
    assert "应开户日期" in evidence and "施工合同签订日期" in evidence
    assert "已逾期" in driver.find_element(By.ID, "warning-summary").text
    driver.save_screenshot(os.path.join(SHOTS, "warning-detail.png"))

    # Dismissal needs a reason.
    driver.find_element(By.CSS_SELECTOR, "#dismiss-form button").click()
    error = wait_for(driver, ".alert.error")
    assert error.get_attribute("data-code") == "WARNING_DISMISS_REASON_REQUIRED" and "须填写理由" in error.text
    assert driver.find_element(By.ID, "warning-status").get_attribute("data-status") == "open"
    driver.find_element(By.CSS_SELECTOR, "#dismiss-form input[name=reason]").send_keys("专户已在银行开立，平台登记待补录，已责令三日内补录")
    driver.find_element(By.CSS_SELECTOR, "#dismiss-form button").click()
    WebDriverWait(driver, 15).until(
        lambda d: d.find_element(By.ID, "warning-status").get_attribute("data-status") == "dismissed"
    )
    assert "驳回预警" in driver.find_element(By.ID, "warning-history").text
    driver.save_screenshot(os.path.join(SHOTS, "warning-dismissed.png"))


def test_worker_reads_own_pay_warnings_on_phone(server, browser):
    driver = browser
    # The warnings exist once a run has happened (the previous test ran one; run again to be sure).
    login(driver, server, "gov", "cd_admin")
    driver.get(f"{server}/gov/warnings")
    driver.find_element(By.ID, "run-warnings").click()
    accept_confirm(driver)
    wait_for(driver, "#notice", timeout=60)
    driver.delete_all_cookies()

    driver.set_window_size(PHONE_WIDTH, 800)
    login(driver, server, "m", "worker_zhang")
    driver.get(f"{server}/m/warnings")
    cards = driver.find_elements(By.CSS_SELECTOR, ".warning-card")
    if cards:
        # After the 10th, last month's attendance without a payroll is a warning about his pay.
        assert any("张建国" in card.text and "没有该月的工资记录" in card.text for card in cards), [c.text for c in cards]
        assert all("专用账户" not in card.text for card in cards), "project warnings are not the worker's"
    else:
        assert "没有需要处理的工资问题" in driver.find_element(By.ID, "no-warnings").text
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"horizontal scroll at {PHONE_WIDTH} px: {width}"
    size = driver.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 18, size
    driver.save_screenshot(os.path.join(SHOTS, "m-warnings.png"))
