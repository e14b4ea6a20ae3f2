"""Issue 3, item 6 and 8, issue 14 item 3: a worker registers on a 360 px phone, one question per
step, each checked before 下一步 moves on (the ID number with the server, before any photo), with a
camera-style image upload; each step is screenshotted; the result comes after a 303. Also the
enterprise collects a worker."""

import os
import random
import struct
import tempfile
import time
import zlib

from conftest import SHOTS, login, wait_for, wait_url
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def png(path, width=640, height=800, colour=(200, 150, 120)):
    """A plain PNG, written without any imaging library."""
    raw = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    return path


def number(region, birth, sequence):
    body = region + birth + sequence
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def fill_step(browser, name, value):
    field = browser.find_element(By.ID, "f-" + name)
    if field.tag_name == "select":
        field.find_element(By.CSS_SELECTOR, f"option[value='{value}']").click()
    elif field.get_attribute("type") == "file":
        field.send_keys(value)
        for _ in range(100):
            if browser.find_element(By.ID, name + "Data").get_attribute("value"):
                break
            time.sleep(0.1)
    else:
        field.clear()
        field.send_keys(value)


def shown_step(browser):
    shown = [s.get_attribute("data-step") for s in browser.find_elements(By.CSS_SELECTOR, ".step") if s.is_displayed()]
    return int(shown[0]) if len(shown) == 1 else None


def next_step(browser, timeout=10):
    """Clicks 下一步 and waits for the next step (the ID step asks the server first)."""
    before = shown_step(browser)
    browser.find_element(By.CSS_SELECTOR, ".step-nav .next").click()
    WebDriverWait(browser, timeout).until(lambda d: shown_step(d) == before + 1)


def blocked(browser, name, timeout=10):
    """The message beside `name` once 下一步 refused to move on (the step stays)."""
    WebDriverWait(browser, timeout).until(lambda d: d.find_element(By.ID, "e-" + name).is_displayed())
    return browser.find_element(By.ID, "e-" + name).text


def unique_worker():
    """A number and a mobile no earlier run used, so that CI may rerun a test on the same server."""
    sequence = f"{random.randint(10, 99)}{random.choice('02468')}"  # even: 女
    return number("510104", "19910607", sequence), "138" + f"{random.randint(0, 99_999_999):08d}"


ZHANG = "510104198503121232"  # the demo's 张建国, who signed up on the phone long ago


def test_phone_registration(server, browser):
    browser.set_window_size(360, 740)
    images = tempfile.mkdtemp()
    portrait = png(os.path.join(images, "portrait.png"), 900, 1200)
    card = png(os.path.join(images, "card.png"), 1600, 1000, (90, 120, 200))
    idnumber, mobile = unique_worker()
    browser.get(server + "/m/login")
    browser.find_element(By.ID, "register-link").click()
    wait_url(browser, "/m/register")

    # Step 1 is checked before 下一步 moves on: an empty name stays, with the reason beside it.
    browser.find_element(By.CSS_SELECTOR, ".step-nav .next").click()
    assert "姓名" in blocked(browser, "name") and shown_step(browser) == 0
    browser.save_screenshot(os.path.join(SHOTS, "m-register-00-name-missing.png"))
    fill_step(browser, "name", "周小梅")
    next_step(browser)
    # A wrong check character is caught in the browser.
    wrong = idnumber[:-1] + ("1" if idnumber[-1] != "1" else "2")
    fill_step(browser, "idNumber", wrong)
    browser.find_element(By.CSS_SELECTOR, ".step-nav .next").click()
    assert "校验位" in blocked(browser, "idNumber") and shown_step(browser) == 1
    browser.save_screenshot(os.path.join(SHOTS, "m-register-00-check-character.png"))

    answers = [
        ("idNumber", idnumber), ("gender", "1"), ("nation", "01"), ("birthDate", None),
        ("address", "四川省成都市锦江区春熙路 8 号"), ("issuingAuthority", "成都市公安局锦江区分局"),
        ("validity", "2020.06.01-2040.06.01"), ("portrait", portrait), ("idFront", card), ("idBack", card),
        ("mobile", mobile), ("password", "Zhou2026a"),
    ]
    for step, (name, value) in enumerate(answers, start=2):
        assert shown_step(browser) == step - 1, f"only step {step} ({name}) should be shown"
        if value is not None:
            fill_step(browser, name, value)
        if name == "birthDate":
            assert browser.find_element(By.ID, "f-birthDate").get_attribute("value") == "1991-06-07"
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
        browser.save_screenshot(os.path.join(SHOTS, f"m-register-{step:02d}-{name}.png"))
        if step < len(answers) + 1:
            next_step(browser)
    portrait_b64 = browser.find_element(By.ID, "portraitData").get_attribute("value")
    assert len(portrait_b64) * 3 / 4 <= 50 * 1024
    browser.find_element(By.ID, "submit-verification").click()
    code = wait_for(browser, "#verification-code").text
    assert code.startswith("W") and len(code) == 11
    # Post-redirect-get: the result has its own address; a refresh shows it again, posts nothing.
    assert "/m/register/result/VR" in browser.current_url
    assert "模拟身份核验服务" in browser.find_element(By.TAG_NAME, "body").text
    browser.save_screenshot(os.path.join(SHOTS, "m-register-14-result.png"))
    browser.refresh()
    assert wait_for(browser, "#verification-code").text == code

    login(browser, server, "m", mobile, password="Zhou2026a")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "周小梅" in body and "510104********" in body
    browser.save_screenshot(os.path.join(SHOTS, "m-register-15-home.png"))


def test_phone_registration_duplicate_found_at_id_step(server, browser):
    """A number that already registered is told at the ID step, before any photo."""
    browser.set_window_size(360, 740)
    browser.get(server + "/m/register")
    fill_step(browser, "name", "张建国")
    next_step(browser)
    fill_step(browser, "idNumber", ZHANG)
    browser.find_element(By.CSS_SELECTOR, ".step-nav .next").click()
    message = blocked(browser, "idNumber")
    assert "已注册过" in message and "登录" in message, message
    assert shown_step(browser) == 1
    assert not browser.find_element(By.ID, "f-portrait").find_element(By.XPATH, "..").is_displayed()
    browser.save_screenshot(os.path.join(SHOTS, "m-register-duplicate.png"))


def test_phone_registration_server_refusal(server, browser):
    """The server refuses what the browser lets through (the validity's format): the page opens at
    the first step at fault, lists every fault, and keeps what was typed and photographed."""
    browser.set_window_size(360, 740)
    images = tempfile.mkdtemp()
    portrait = png(os.path.join(images, "portrait.png"), 600, 800)
    card = png(os.path.join(images, "card.png"), 1200, 760, (90, 120, 200))
    idnumber, mobile = unique_worker()
    browser.get(server + "/m/register")
    answers = [
        ("name", "周小梅"), ("idNumber", idnumber), ("gender", "1"), ("nation", "01"), ("birthDate", None),
        ("address", "四川省成都市锦江区春熙路 8 号"), ("issuingAuthority", "成都市公安局锦江区分局"),
        ("validity", "永久有效"), ("portrait", portrait), ("idFront", card), ("idBack", card),
        ("mobile", mobile), ("password", "Zhou2026a"),
    ]
    for step, (name, value) in enumerate(answers, start=1):
        if value is not None:
            fill_step(browser, name, value)
        if step < len(answers):
            next_step(browser)
    browser.find_element(By.ID, "submit-verification").click()
    wait_for(browser, "#form-errors")
    links = browser.find_elements(By.CSS_SELECTOR, "#form-errors .fault-link")
    assert links and all(link.text for link in links)
    assert shown_step(browser) == 7, "the page opens at the validity step"
    assert browser.find_element(By.ID, "e-validity").is_displayed()
    assert browser.find_element(By.ID, "f-name").get_attribute("value") == "周小梅"
    assert browser.find_element(By.ID, "portraitData").get_attribute("value"), "the portrait is kept"
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    browser.save_screenshot(os.path.join(SHOTS, "m-register-errors.png"))
    # A link in the summary opens its step.
    links[0].click()
    assert shown_step(browser) == 7


def test_enterprise_collects_a_worker(server, browser):
    images = tempfile.mkdtemp()
    portrait = png(os.path.join(images, "p.png"), 600, 800)
    card = png(os.path.join(images, "c.png"), 1200, 760, (90, 120, 200))
    login(browser, server, "corp", "sj_labour")
    browser.find_element(By.LINK_TEXT, "工人实名").click()
    wait_url(browser, "/corp/workers")
    browser.find_element(By.ID, "collect-worker").click()
    values = [
        ("name", "马强"), ("idNumber", number("510122", "19780203", "135")), ("gender", "0"), ("nation", "01"),
        ("address", "四川省成都市双流区东升街道 1 号"), ("issuingAuthority", "双流县公安局"),
        ("validity", "2015.03.12-2035.03.12"), ("portrait", portrait), ("idFront", card), ("idBack", card),
    ]
    for name, value in values:
        fill_step(browser, name, value)
    browser.save_screenshot(os.path.join(SHOTS, "corp-collect-form.png"))
    browser.find_element(By.ID, "submit-verification").click()
    assert wait_for(browser, "#verification-code").text.startswith("W")
    assert browser.current_url.split("?")[0].endswith("/corp/workers"), "a refresh does not verify twice"
    wait_for(browser, "#collect-worker")
    assert "马强" in browser.find_element(By.TAG_NAME, "body").text
    browser.save_screenshot(os.path.join(SHOTS, "corp-workers.png"))
