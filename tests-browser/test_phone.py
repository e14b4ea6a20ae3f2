"""Issue 14 items 3–4 on a 360 px phone: the bottom bar's five items fit and stay visible, the
page never scrolls sideways, nothing hides behind the bar, 我的 lists the rest, and 我的考勤's
calendar fits. Each page is screenshotted. Reads only: CI may rerun it on the same server."""

import os

from conftest import SHOTS, login, wait_for
from selenium.webdriver.common.by import By

PAGES = [("/m", "home"), ("/m/punch", "punch"), ("/m/attendance", "attendance"), ("/m/wages", "wages"),
         ("/m/me", "me"), ("/m/warnings", "warnings")]


def bar_items(browser):
    return browser.execute_script("""
        return Array.from(document.querySelectorAll('nav.tabbar a')).map(function (a) {
          var r = a.getBoundingClientRect();
          return {label: a.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                  active: a.classList.contains('active'), visible: r.width > 0 && r.height > 0};
        });""")


def test_phone_pages_fit_360(server, browser):
    browser.set_window_size(360, 740)
    login(browser, server, "m", "worker_zhang")
    width = browser.execute_script("return window.innerWidth")
    for path, name in PAGES:
        browser.get(server + path)
        wait_for(browser, "nav.tabbar")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width, f"{path} scrolls sideways"
        items = bar_items(browser)
        assert [i["label"] for i in items] == ["首页", "打卡", "考勤", "工资", "我的"], items
        height = browser.execute_script("return window.innerHeight")
        for item in items:
            assert item["visible"] and 0 <= item["left"] and item["right"] <= width, (path, item)
            assert item["bottom"] <= height + 1, (path, item)
        active = [i["label"] for i in items if i["active"]]
        expected = {"home": "首页", "punch": "打卡", "attendance": "考勤", "wages": "工资", "me": "我的",
                    "warnings": "我的"}[name]
        assert active == [expected], (path, active)
        # Nothing of the page stays behind the bar: at the very bottom, the page's last line is above it.
        browser.execute_script("window.scrollTo(0, document.documentElement.scrollHeight)")
        gap = browser.execute_script("""
            var bar = document.querySelector('nav.tabbar').getBoundingClientRect();
            var foot = document.querySelector('footer.foot').getBoundingClientRect();
            return bar.top - foot.bottom;""")
        assert gap >= -1, f"{path}: the footer ends {-gap}px behind the bar"
        browser.execute_script("window.scrollTo(0, 0)")
        browser.save_screenshot(os.path.join(SHOTS, f"m-360-{name}.png"))

    # 我的 holds what the bar has no room for.
    browser.get(server + "/m/me")
    text = browser.find_element(By.ID, "me-menu").text
    for label in ["工资提醒", "我的档案", "我的班组", "修改密码"]:
        assert label in text
    assert browser.find_element(By.ID, "me-logout").is_displayed()

    # The month calendar fits, seven columns, and a day with punches opens its card below.
    browser.get(server + "/m/attendance")
    box = browser.execute_script(
        "var r = document.getElementById('attendance-calendar').getBoundingClientRect(); return [r.left, r.right];")
    assert 0 <= box[0] and box[1] <= width, box
    assert len(browser.find_elements(By.CSS_SELECTOR, "#attendance-calendar thead th")) == 7
    days = browser.find_elements(By.CSS_SELECTOR, "#attendance-calendar td > a")
    if days:
        target = days[-1].get_attribute("href").split("#")[1]
        days[-1].click()
        assert browser.find_element(By.ID, target).is_displayed()
        browser.save_screenshot(os.path.join(SHOTS, "m-360-attendance-day.png"))
    browser.find_element(By.ID, "month-previous").click()
    wait_for(browser, "#attendance-calendar")
    assert "month=" in browser.current_url
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    browser.save_screenshot(os.path.join(SHOTS, "m-360-attendance-previous.png"))
