"""Issue 4, item 10: browser tests for projects (E2) and workers' own teams on the phone (M6).

1. A general contractor registers a project with an attendance geofence: a bad fence is refused
   with its GEOFENCE_… code and the typed values kept; the corrected form yields the project page with its
   14-digit code and a drawing of the fence; the page's own fence form refuses the same mistake
   as GEOFENCE_LAT_LNG_SWAPPED (E2).
2. On a 360 px phone, a worker founds a team, invites a second, newly registered worker by
   verification code; the second accepts and the leader sees them as joined (M6).
3. A roster (花名册) CSV with good and bad rows is imported on a project's 工人 tab; every row is
   reported with its line number and a Chinese reason, the good row enters the site (E2).

Each test signs in itself and needs nothing from the others. Every form post is followed by a
wait for the next page (the old page going stale), never by a race against the navigation.
"""

import csv
import datetime
import os
import re
import shutil
import tempfile

import pytest
from conftest import SHOTS, login, wait_for, wait_url
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from test_registration import fill_step, next_step, number, png
from zoneinfo import ZoneInfo

PHONE_WIDTH = 360
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
DEMO_PROJECT = "锦江区东大街安置房项目"
LABOUR_COMPANY = "成都锦城劳务有限公司"


# ---------------------------------------------------------------------------------------------
# Helpers


def china_today():
    """The server's "today" (dates are decided in China Standard Time)."""
    return datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def submit(driver, button, timeout=15):
    """Clicks a submit button and waits until the page it posts to has replaced the current one."""
    page = driver.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(driver, timeout).until(expected_conditions.staleness_of(page))
    WebDriverWait(driver, timeout).until(lambda d: d.execute_script("return document.readyState") == "complete")


def wait_path(driver, pattern, timeout=15):
    """Waits until the URL's path matches the regular expression `pattern` (fully); returns the match."""
    WebDriverWait(driver, timeout).until(
        lambda d: re.fullmatch(pattern, "/" + d.current_url.split("?")[0].split("/", 3)[-1])
    )
    return re.fullmatch(pattern, "/" + driver.current_url.split("?")[0].split("/", 3)[-1])


def text_of(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def choose(driver, select_css, value):
    driver.find_element(By.CSS_SELECTOR, f"{select_css} option[value='{value}']").click()


def selected_value(driver, select_css):
    return driver.execute_script("return document.querySelector(arguments[0]).value", select_css)


def show(driver, element):
    """Scrolls `element` to the top of the window (below a little margin) for a screenshot."""
    driver.execute_script("arguments[0].scrollIntoView(); window.scrollBy(0, -12);", element)


def assert_fits_phone(driver):
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"horizontal scroll at {PHONE_WIDTH} px on {driver.current_url}: scrollWidth {width}"


def new_driver(width=1366, height=900):
    """A second, independent Chromium (own cookies), configured like conftest's `browser`."""
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}", "--lang=zh-CN"]:
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    driver.implicitly_wait(5)
    return driver


@pytest.fixture()
def second_browser():
    driver = new_driver()
    yield driver
    driver.quit()


# ---------------------------------------------------------------------------------------------
# 1. Project registration with a geofence (E2)


def test_project_registration_with_geofence(server, browser):
    """Issue 4, E2: sj_admin registers a project on /corp/projects/new. A fence with latitude and
    longitude swapped is refused (`.alert.error`, `data-code` GEOFENCE_…) with the typed values
    kept; the corrected polygon registers the project: its page shows the 14-digit project code
    (division 510104 + year + sequence) and the fence drawn as inline SVG with a scale in 米."""
    login(browser, server, "corp", "sj_admin")
    browser.get(server + "/corp/projects")
    browser.find_element(By.LINK_TEXT, "登记项目").click()
    wait_url(browser, "/corp/projects/new")

    name = "锦江区春熙路商业综合体（浏览器测试）"
    address = "成都市锦江区春熙路 66 号"
    bad_fence = "104.066,30.657,300"
    good_fence = "30.6570,104.0660; 30.6580,104.0675; 30.6565,104.0690"
    browser.find_element(By.NAME, "name").send_keys(name)
    choose(browser, "select[name=category]", "01")
    choose(browser, "select[name=divisionCode]", "510104")
    browser.find_element(By.NAME, "address").send_keys(address)
    browser.find_element(By.NAME, "builderName").send_keys("成都春熙商业发展有限公司")
    # 建设单位统一社会信用代码 is optional and left empty.
    browser.find_element(By.ID, "geofence").send_keys(bad_fence)
    submit(browser, browser.find_element(By.CSS_SELECTOR, "#project-form button[type=submit]"))

    error = wait_for(browser, ".alert.error")
    code = error.get_attribute("data-code")
    # The refusal names the fence and says what to change (GEOFENCE_LAT_LNG_SWAPPED's message).
    assert "考勤电子围栏" in error.text and "纬度在前、经度在后" in error.text, error.text
    assert code.startswith("GEOFENCE"), f"expected a GEOFENCE_… refusal, got {code!r}: {error.text}"
    # Nothing typed is lost.
    assert browser.find_element(By.NAME, "name").get_attribute("value") == name
    assert browser.find_element(By.NAME, "address").get_attribute("value") == address
    assert browser.find_element(By.NAME, "builderCreditCode").get_attribute("value") == ""
    assert selected_value(browser, "select[name=category]") == "01"
    assert selected_value(browser, "select[name=divisionCode]") == "510104"
    assert browser.find_element(By.ID, "geofence").get_attribute("value") == bad_fence
    browser.save_screenshot(os.path.join(SHOTS, "projects-new-fence-error.png"))

    fence = browser.find_element(By.ID, "geofence")
    fence.clear()
    fence.send_keys(good_fence)
    submit(browser, browser.find_element(By.CSS_SELECTOR, "#project-form button[type=submit]"))
    wait_path(browser, rf"/corp/projects/{UUID}")

    project_code = wait_for(browser, ".project-line strong").text.strip()
    year = china_today().year
    assert re.fullmatch(rf"510104{year}\d{{4}}", project_code), f"project code {project_code!r}"
    assert name in text_of(browser)
    assert "<svg" in browser.page_source
    drawing = browser.find_element(By.CSS_SELECTOR, "#geofence .fence svg")
    assert "米" in drawing.get_attribute("textContent"), "the fence drawing should carry a scale label in 米"
    browser.save_screenshot(os.path.join(SHOTS, "projects-registered.png"))
    show(browser, browser.find_element(By.ID, "geofence"))
    browser.save_screenshot(os.path.join(SHOTS, "projects-registered-fence.png"))

    # The contractor's fence form on the project page refuses the same mistake with its own code,
    # keeps what was typed, and leaves the saved fence as it was.
    editor = browser.find_element(By.CSS_SELECTOR, "#geofence form textarea[name=geofence]")
    editor.clear()
    editor.send_keys(bad_fence)
    submit(browser, browser.find_element(By.CSS_SELECTOR, "#geofence form button[type=submit]"))
    error = wait_for(browser, ".alert.error")
    assert error.get_attribute("data-code") == "GEOFENCE_LAT_LNG_SWAPPED", error.text
    assert browser.find_element(By.CSS_SELECTOR, "#geofence form textarea[name=geofence]").get_attribute("value") == bad_fence
    assert "米" in browser.find_element(By.CSS_SELECTOR, "#geofence .fence svg").get_attribute("textContent")
    browser.save_screenshot(os.path.join(SHOTS, "projects-fence-form-error.png"))

    # The new project is listed for its contractor.
    browser.get(server + "/corp/projects")
    assert project_code in browser.find_element(By.ID, "projects").text


# ---------------------------------------------------------------------------------------------
# 2. A worker founds a team on the phone, another accepts the invitation (M6)


def register_worker_on_phone(driver, base, name, idnumber, gender, mobile, password):
    """Registers a worker through /m/register step by step (as test_registration does) and returns
    the verification code shown at the end."""
    images = tempfile.mkdtemp()
    portrait = png(os.path.join(images, "portrait.png"), 600, 800)
    card = png(os.path.join(images, "card.png"), 1200, 760, (90, 120, 200))
    driver.get(base + "/m/register")
    answers = [
        ("name", name), ("idNumber", idnumber), ("gender", gender), ("nation", "01"), ("birthDate", None),
        ("address", "四川省成都市青羊区少城路 12 号"), ("issuingAuthority", "成都市公安局青羊区分局"),
        ("validity", "2018.03.01-2038.03.01"), ("portrait", portrait), ("idFront", card), ("idBack", card),
        ("mobile", mobile), ("password", password),
    ]
    for step, (field, value) in enumerate(answers, start=1):
        if value is not None:
            fill_step(driver, field, value)
        if step < len(answers):
            next_step(driver)
    submit(driver, driver.find_element(By.ID, "submit-verification"), timeout=30)
    code = wait_for(driver, "#verification-code").text.strip()
    assert re.fullmatch(r"W\w{10}", code), f"verification code {code!r}"
    shutil.rmtree(images, ignore_errors=True)
    return code


def team_card(driver, team_no):
    return driver.find_element(By.CSS_SELECTOR, f".m-card[data-team='{team_no}']:not(.invitation)")


def test_worker_founds_team_and_workmate_accepts(server, browser, second_browser):
    """Issue 4, M6 on a 360 px phone: 张建国 (worker_zhang) founds a team on /m/teams and invites a
    workmate by verification code; the workmate — registered just now on /m/register, so a second
    verified worker with a phone account exists — signs in with another browser, sees the
    invitation, accepts, and finds the team under 我加入的班组; the leader then sees 已加入. No page
    scrolls sideways at 360 px."""
    leader, member = browser, second_browser
    for driver in (leader, member):
        driver.set_window_size(PHONE_WIDTH, 740)

    # The workmate (B) registers on the phone and signs in.
    b_name, b_mobile, b_password = "李春燕", "13987650321", "Li2026chun"
    b_code = register_worker_on_phone(
        member, server, b_name, number("510105", "19890412", "318"), "1", b_mobile, b_password)
    login(member, server, "m", b_mobile, password=b_password)
    assert not member.current_url.split("?")[0].endswith("/login"), "the new worker could not sign in"
    assert b_name in text_of(member)

    # The leader (A) founds a team.
    login(leader, server, "m", "worker_zhang")
    leader.get(server + "/m/teams")
    assert "张师傅钢筋班" in text_of(leader)
    assert_fits_phone(leader)
    team_name = "张师傅木工班"
    leader.find_element(By.CSS_SELECTOR, "#found-team input[name=name]").send_keys(team_name)
    submit(leader, leader.find_element(By.CSS_SELECTOR, "#found-team button[type=submit]"))
    notice = wait_for(leader, ".alert.ok").text
    found = re.search(r"班组编号 (\d+)", notice)
    assert team_name in notice and found, f"unexpected notice after founding: {notice!r}"
    team_no = found.group(1)
    assert team_card(leader, team_no).find_element(By.CSS_SELECTOR, ".team-no").text == team_no
    assert_fits_phone(leader)
    show(leader, team_card(leader, team_no))
    leader.save_screenshot(os.path.join(SHOTS, "m-teams-founded.png"))

    # ... and invites B by B's verification code, from inside the team's card.
    team_card(leader, team_no).find_element(By.CSS_SELECTOR, "input[name=code]").send_keys(b_code)
    submit(leader, team_card(leader, team_no).find_element(By.CSS_SELECTOR, "form.m-form button[type=submit]"))
    assert f"已邀请 {b_name}" in wait_for(leader, ".alert.ok").text
    assert f"{b_name} 待回复" in team_card(leader, team_no).text
    assert_fits_phone(leader)
    show(leader, team_card(leader, team_no))
    leader.save_screenshot(os.path.join(SHOTS, "m-teams-invited.png"))

    # B sees the invitation and accepts.
    member.get(server + "/m/teams")
    invitation = member.find_element(By.CSS_SELECTOR, f".invitation[data-team='{team_no}']")
    assert team_name in invitation.text and "张建国" in invitation.text
    assert_fits_phone(member)
    member.save_screenshot(os.path.join(SHOTS, "m-teams-invitation.png"))
    accept = [b for b in invitation.find_elements(By.CSS_SELECTOR, "button[type=submit]") if b.text.strip() == "接受"]
    assert accept, "the invitation card has no 接受 button"
    submit(member, accept[0])
    assert "已加入班组" in wait_for(member, ".alert.ok").text
    assert not member.find_elements(By.CSS_SELECTOR, f".invitation[data-team='{team_no}']")
    joined = member.find_element(By.XPATH, "//h2[.='我加入的班组']/following-sibling::div[contains(@class,'m-card')]")
    assert team_name in joined.text and team_no in joined.text and "张建国" in joined.text
    assert_fits_phone(member)
    show(member, joined)
    member.save_screenshot(os.path.join(SHOTS, "m-teams-joined.png"))

    # The leader now sees B as joined.
    leader.get(server + "/m/teams")
    assert f"{b_name} 已加入" in team_card(leader, team_no).text
    assert_fits_phone(leader)
    show(leader, team_card(leader, team_no))
    leader.save_screenshot(os.path.join(SHOTS, "m-teams-leader-sees-member.png"))


# ---------------------------------------------------------------------------------------------
# 3. Roster import with bad rows (E2)


def with_wrong_check_character(idnumber):
    right = idnumber[-1]
    wrong = "0" if right != "0" else "1"
    return idnumber[:-1] + wrong


def open_demo_project(driver, base):
    """Opens the demo project's page from the project list; returns its path."""
    driver.get(base + "/corp/projects")
    driver.find_element(By.LINK_TEXT, DEMO_PROJECT).click()
    return wait_path(driver, rf"/corp/projects/({UUID})").group(0)


def test_roster_import_reports_each_row(server, browser):
    """Issue 4, E2: a roster CSV (UTF-8 with BOM) imported on the 工人 tab of a demo project lists
    every row as 第 N 行 with its outcome: a wrong check digit, a valid but unverified number, and
    a future entry date are refused with Chinese reasons (class `row-error`); a worker who left
    the site earlier and still has a valid contract and safety training is re-entered (已导入).

    The full ID number of that worker is revealed by the labour officer sj_labour on the worker's
    detail page (an audited POST); the import itself is done by sj_admin."""
    # sj_labour looks up the worker who has left the demo project, and opens the full number.
    login(browser, server, "corp", "sj_labour")
    project = open_demo_project(browser, server)
    browser.get(server + project + "/workers")
    exited = browser.find_element(By.CSS_SELECTOR, "#workers-exited tbody tr")
    cells = exited.find_elements(By.TAG_NAME, "td")
    worker_name, team_name = cells[0].text.strip(), cells[2].text.strip()
    assert LABOUR_COMPANY in cells[3].text
    exited.find_element(By.TAG_NAME, "a").click()
    wait_path(browser, rf"/corp/workers/{UUID}")
    assert browser.find_element(By.ID, "id-number").text.count("*") > 0
    submit(browser, browser.find_element(By.ID, "reveal-number"))
    full_number = wait_for(browser, "#id-number").text.strip()
    assert re.fullmatch(r"\d{17}[\dX]", full_number), f"revealed number {full_number!r}"

    # The roster.
    today = china_today()
    rows = [
        # line 2: wrong check character
        ["王错号", with_wrong_check_character(number("510104", "19800101", "123")), team_name, "钢筋工", "建筑工人", "否", today.isoformat(), ""],
        # line 3: a valid number nobody has verified on the platform
        ["赵未核", number("510106", "19850520", "331"), team_name, "木工", "建筑工人", "否", today.isoformat(), ""],
        # line 4: the worker who left, but with an entry date tomorrow
        [worker_name, full_number, team_name, "钢筋工", "建筑工人", "否", (today + datetime.timedelta(days=1)).isoformat(), ""],
        # line 5: the same worker, today: may re-enter (contract and training still valid)
        [worker_name, full_number, team_name, "钢筋工", "建筑工人", "否", today.isoformat(), "K-20260001"],
    ]
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "花名册.csv")
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["姓名", "身份证号", "班组名称", "工种", "工人类型", "是否班组长", "进场日期", "考勤卡号"])
        writer.writerows(rows)

    # sj_admin imports it into the labour subcontractor's unit.
    browser.delete_all_cookies()
    login(browser, server, "corp", "sj_admin")
    browser.get(server + project)
    browser.find_element(By.CSS_SELECTOR, "nav.tabs").find_element(By.LINK_TEXT, "工人").click()
    wait_url(browser, project + "/workers")
    form = browser.find_element(By.ID, "import-form")
    units = [o for o in form.find_elements(By.CSS_SELECTOR, "select[name=unitID] option") if LABOUR_COMPANY in o.text]
    assert units, "the labour subcontractor is not offered as import unit"
    units[0].click()
    form.find_element(By.CSS_SELECTOR, "input[type=file][name=file]").send_keys(path)
    submit(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"), timeout=30)
    shutil.rmtree(folder, ignore_errors=True)

    report = wait_for(browser, "#import-report")
    heading = report.find_element(By.TAG_NAME, "h2").text
    assert heading == "花名册导入结果：成功 1 行，未导入 3 行", heading
    lines = report.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert [r.find_element(By.TAG_NAME, "td").text for r in lines] == ["第 2 行", "第 3 行", "第 4 行", "第 5 行"]
    outcome = {}
    for row in lines:
        number_cell, label, result, reason = [c.text.strip() for c in row.find_elements(By.TAG_NAME, "td")]
        outcome[number_cell] = (row.get_attribute("class"), label, result, reason)
    for line in ["第 2 行", "第 3 行", "第 4 行"]:
        css, _, result, reason = outcome[line]
        assert "row-error" in css.split() and result == "未导入", outcome[line]
        assert re.search(r"[\u4e00-\u9fff]", reason), f"{line} has no Chinese reason: {reason!r}"
    assert outcome["第 2 行"][1] == "王错号" and "身份证号不正确" in outcome["第 2 行"][3]
    assert outcome["第 3 行"][1] == "赵未核" and "尚未在平台完成实名核验" in outcome["第 3 行"][3]
    assert outcome["第 4 行"][1] == worker_name and "不能晚于今天" in outcome["第 4 行"][3]
    css, label, result, reason = outcome["第 5 行"]
    assert "row-ok" in css.split() and label == worker_name and result == "已导入" and "已进场" in reason, outcome["第 5 行"]
    assert "成功 1 行，未导入 3 行" in browser.find_element(By.CSS_SELECTOR, ".alert.ok").text
    show(browser, report)
    browser.save_screenshot(os.path.join(SHOTS, "projects-import-report.png"))

    # The worker is on site again.
    active = browser.find_element(By.ID, "workers-active").text
    assert worker_name in active
