"""Issue 3, item 6 and 8: a worker registers on a 360 px phone, one question per step, with a
camera-style image upload; each step is screenshotted. Also the enterprise collects a worker."""

import os
import struct
import tempfile
import time
import zlib

from conftest import SHOTS, login, wait_for, wait_url
from selenium.webdriver.common.by import By


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


def test_phone_registration(server, browser):
    browser.set_window_size(360, 740)
    images = tempfile.mkdtemp()
    portrait = png(os.path.join(images, "portrait.png"), 900, 1200)
    card = png(os.path.join(images, "card.png"), 1600, 1000, (90, 120, 200))
    idnumber = number("510104", "19910607", "246")
    browser.get(server + "/m/login")
    browser.find_element(By.ID, "register-link").click()
    wait_url(browser, "/m/register")
    answers = [
        ("name", "周小梅"), ("idNumber", idnumber), ("gender", "1"), ("nation", "01"), ("birthDate", None),
        ("address", "四川省成都市锦江区春熙路 8 号"), ("issuingAuthority", "成都市公安局锦江区分局"),
        ("validity", "2020.06.01-2040.06.01"), ("portrait", portrait), ("idFront", card), ("idBack", card),
        ("mobile", "13812345678"), ("password", "Zhou2026a"),
    ]
    for step, (name, value) in enumerate(answers, start=1):
        shown = [s.get_attribute("data-step") for s in browser.find_elements(By.CSS_SELECTOR, ".step") if s.is_displayed()]
        assert shown == [str(step - 1)], f"only step {step} ({name}) should be shown, saw {shown}"
        if value is not None:
            fill_step(browser, name, value)
        if name == "birthDate":
            assert browser.find_element(By.ID, "f-birthDate").get_attribute("value") == "1991-06-07"
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
        browser.save_screenshot(os.path.join(SHOTS, f"m-register-{step:02d}-{name}.png"))
        if step < len(answers):
            browser.find_element(By.CSS_SELECTOR, ".step-nav .next").click()
    portrait_b64 = browser.find_element(By.ID, "portraitData").get_attribute("value")
    assert len(portrait_b64) * 3 / 4 <= 50 * 1024
    browser.find_element(By.ID, "submit-verification").click()
    code = wait_for(browser, "#verification-code").text
    assert code.startswith("W") and len(code) == 11
    assert "模拟身份核验服务" in browser.find_element(By.TAG_NAME, "body").text
    browser.save_screenshot(os.path.join(SHOTS, "m-register-14-result.png"))

    login(browser, server, "m", "13812345678", password="Zhou2026a")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "周小梅" in body and "510104********" in body
    browser.save_screenshot(os.path.join(SHOTS, "m-register-15-home.png"))


def test_phone_registration_errors_next_to_fields(server, browser):
    browser.set_window_size(360, 740)
    browser.get(server + "/m/register")
    fill_step(browser, "name", "张三")
    browser.find_element(By.CSS_SELECTOR, ".step-nav .next").click()
    fill_step(browser, "idNumber", "510104199106072461")
    for _ in range(11):
        browser.find_element(By.CSS_SELECTOR, ".step-nav .next").click()
    browser.find_element(By.ID, "submit-verification").click()
    wait_for(browser, ".field-error")
    # The form comes back at the first field with an error, the message beside it.
    error = browser.find_element(By.CSS_SELECTOR, ".step:not([hidden]) .field-error")
    assert error.is_displayed() and error.text
    browser.save_screenshot(os.path.join(SHOTS, "m-register-errors.png"))


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
    browser.find_element(By.LINK_TEXT, "返回工人列表").click()
    wait_for(browser, "#collect-worker")
    assert "马强" in browser.find_element(By.TAG_NAME, "body").text
    browser.save_screenshot(os.path.join(SHOTS, "corp-workers.png"))
