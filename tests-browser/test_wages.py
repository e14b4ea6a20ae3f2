"""Issue 6, item 8: a labour officer generates, validates and submits a payroll; the worker confirms it.

1. 陈刚 (sj_labour, the general contractor's 劳资专管员) opens 锦江区东大街安置房项目 → 工资, generates the
   current month's payroll for the labour subcontractor from the attendance, and lands on the draft.
2. The draft lists the finding that blocks submission (no signed wage table yet, PAYROLL_SCAN_MISSING)
   and the submit button is disabled; he edits one line with a deduction and its reason, uploads the
   signed table (a PDF), writes a reason for every overridable finding left, and submits. The page
   then says 已提交待代发 and shows the reasons he gave.
3. On a 360 px phone, 张建国 (worker_zhang) opens 我的工资, finds that month with his days and amount,
   presses the confirm button (工资没问题，已收到 or 天数和金额没问题), and sees his confirmation; the officer's page shows 已确认 on his line.

Screenshots: wages-1-draft.png, wages-2-submitted.png, wages-3-phone.png, wages-4-confirmed.png.
"""

import datetime
import os
import tempfile

from conftest import SHOTS, login, wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait
from test_projects import PHONE_WIDTH, assert_fits_phone, new_driver, show
from zoneinfo import ZoneInfo

PROJECT = "锦江区东大街安置房项目"


def this_month():
    today = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date() - datetime.timedelta(days=5)
    return f"{today.year}-{today.month:02d}", f"{today.year}年{today.month}月"


def click_and_wait(driver, element):
    """Clicks a submit button and waits until the next page has replaced this one."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(page))


def test_officer_submits_payroll_and_worker_confirms(server, browser):
    month, month_chinese = this_month()
    login(browser, server, "corp", "sj_labour")
    browser.get(server + "/corp/projects")
    browser.find_element(By.LINK_TEXT, PROJECT).click()
    browser.find_element(By.LINK_TEXT, "工资").click()
    form = wait_for(browser, "#payroll-generate")
    Select(form.find_element(By.NAME, "unitID")).select_by_visible_text("成都锦城劳务有限公司")
    browser.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "month"), month)
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))

    # 2. The draft: computed lines, the blocking finding, the disabled button.
    wait_for(browser, "#payroll-lines")
    assert month_chinese + "工资表" in browser.find_element(By.TAG_NAME, "h2").text
    assert browser.find_element(By.ID, "payroll-status").text == "草稿"
    blocking = browser.find_element(By.ID, "blocking-findings")
    assert "PAYROLL_SCAN_MISSING" in blocking.get_attribute("innerHTML")
    assert browser.find_element(By.CSS_SELECTOR, "#submit-form button[type=submit]").get_attribute("disabled")
    rows = browser.find_elements(By.CSS_SELECTOR, "#payroll-lines tbody tr")
    assert len(rows) >= 5
    assert any("张建国" in row.text for row in rows)
    browser.save_screenshot(os.path.join(SHOTS, "wages-1-draft.png"))

    # A deduction with its reason on the first line.
    first = rows[0]
    first.find_element(By.CSS_SELECTOR, "details.row-action summary").click()
    edit = first.find_element(By.CSS_SELECTOR, "form.line-form")
    edit.find_element(By.NAME, "deduction").clear()
    edit.find_element(By.NAME, "deduction").send_keys("50")
    edit.find_element(By.NAME, "deductionReason").send_keys("借支生活费")
    click_and_wait(browser, edit.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "已保存修改" in browser.find_element(By.CSS_SELECTOR, ".alert.ok").text
    # The reason stays with the amount (the cell's detail), so the row keeps to one line.
    reasons = [cell.get_attribute("title") for cell in browser.find_elements(By.CSS_SELECTOR, "#payroll-lines td.num.short")]
    assert any("借支生活费" in (title or "") for title in reasons), reasons

    # The signed table.
    scan = os.path.join(tempfile.mkdtemp(), "signed-wage-table.pdf")
    with open(scan, "wb") as handle:
        handle.write(b"%PDF-1.4\n% signed wage table\n%%EOF\n")
    browser.find_element(By.CSS_SELECTOR, "#scan-form input[type=file]").send_keys(scan)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#scan-form button[type=submit]"))
    assert "签字工资表已上传" in browser.find_element(By.CSS_SELECTOR, ".alert.ok").text
    assert not browser.find_elements(By.ID, "blocking-findings"), browser.find_element(By.ID, "blocking-findings").text

    # A reason for every overridable finding, then submit.
    for area in browser.find_elements(By.CSS_SELECTOR, "#submit-form textarea"):
        area.send_keys("已与班组长核对，按实际出勤发放")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#submit-form button[type=submit]"))
    assert "工资表已提交" in browser.find_element(By.CSS_SELECTOR, ".alert.ok").text, browser.page_source[:3000]
    assert browser.find_element(By.ID, "payroll-status").text == "已提交待代发"
    assert not browser.find_elements(By.ID, "submit-form")
    show(browser, browser.find_element(By.ID, "payroll-facts"))
    browser.save_screenshot(os.path.join(SHOTS, "wages-2-submitted.png"))
    payroll_url = browser.current_url

    # 3. The worker on the phone.
    phone = new_driver()
    phone.set_window_size(PHONE_WIDTH, 740)
    try:
        login(phone, server, "m", "worker_zhang")
        phone.get(server + "/m/wages")
        cards = [card for card in phone.find_elements(By.CSS_SELECTOR, ".wage-card") if month_chinese in card.text]
        assert len(cards) == 1, phone.find_element(By.TAG_NAME, "main").text
        card = cards[0]
        assert PROJECT in card.text and "应发" in card.text and "未发放" in card.text
        assert_fits_phone(phone)
        show(phone, card)
        phone.save_screenshot(os.path.join(SHOTS, "wages-3-phone.png"))
        click_and_wait(phone, card.find_element(By.CSS_SELECTOR, "button.confirm-wage"))
        assert "已确认" in phone.find_element(By.CSS_SELECTOR, ".alert.ok").text
        card = [c for c in phone.find_elements(By.CSS_SELECTOR, ".wage-card") if month_chinese in c.text][0]
        assert "您已确认" in card.text and not card.find_elements(By.CSS_SELECTOR, "button.confirm-wage")
        assert_fits_phone(phone)
        phone.save_screenshot(os.path.join(SHOTS, "wages-4-confirmed.png"))
    finally:
        phone.quit()

    browser.get(payroll_url.split("/submit")[0])
    zhang = [row for row in browser.find_elements(By.CSS_SELECTOR, "#payroll-lines tbody tr") if "张建国" in row.text][0]
    assert "已确认" in zhang.text
