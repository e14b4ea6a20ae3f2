"""Issue 14 items 1 and 8: layout facts asserted, not assumed, on the demo at 1366 px and 360 px.

- No page scrolls sideways: a table wider than the screen scrolls inside its own frame.
- The payroll detail and the wage ledger show every column on one line per worker at 1366 px,
  with the 工人确认 column inside the table's frame (no scrolling needed to see it).
- Numbers are right-aligned in tabular figures; table headers stay in view (sticky).
Screenshots of each page at both widths are saved for review."""

import os
import re

from conftest import SHOTS, login
from selenium.webdriver.common.by import By

MEASURE = """
const tables = [...document.querySelectorAll('table.data')].map(t => {
  const frame = (t.closest('.table-wrap') || t.parentElement).getBoundingClientRect();
  const heads = [...t.querySelectorAll('thead th')].map(th => {
    const r = th.getBoundingClientRect();
    return {text: th.textContent.trim(), left: r.left, right: r.right, sticky: getComputedStyle(th).position};
  });
  const rows = [...t.querySelectorAll('tbody tr')].map(tr => {
    const cells = [...tr.children].filter(td => !td.classList.contains('wrap') && !td.querySelector('details[open]'));
    const line = parseFloat(getComputedStyle(tr.children[0]).lineHeight) || 22;
    const tallest = Math.max(...cells.map(td => {
      const style = getComputedStyle(td);
      return td.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    }));
    return {tallest: tallest, line: line, text: tr.textContent.trim().slice(0, 40)};
  });
  const nums = [...t.querySelectorAll('td.num')].map(td => [getComputedStyle(td).textAlign, getComputedStyle(td).fontVariantNumeric]);
  return {id: t.id, frameLeft: frame.left, frameRight: frame.right, heads, rows, nums};
});
return JSON.stringify({page: document.documentElement.scrollWidth, view: window.innerWidth, tables});
"""


def measure(browser):
    import json

    return json.loads(browser.execute_script(MEASURE))


def project_pages(browser, server):
    browser.get(server + "/corp/projects")
    project = next(
        a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href*='/corp/projects/']")
        if re.search(r"/projects/[0-9A-Fa-f-]{36}$", a.get_attribute("href") or "")
    )
    browser.get(project + "/payrolls")
    payroll = next(
        a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "table#payrolls a")
        if re.search(r"/payrolls/[0-9A-Fa-f-]{36}$", a.get_attribute("href") or "")
    )
    return project, payroll


def one_line(table):
    return [row for row in table["rows"] if row["tallest"] > row["line"] * 1.5]


def test_wide_tables_fit_at_1366(server, browser):
    browser.set_window_size(1366, 900)
    login(browser, server, "corp", "sj_admin")
    project, payroll = project_pages(browser, server)
    for name, url, table_id in [
        ("payroll", payroll, "payroll-lines"), ("ledger", project + "/payrolls/ledger", "wage-ledger")
    ]:
        browser.get(url)
        facts = measure(browser)
        assert facts["page"] <= facts["view"], f"{name}: the page scrolls sideways ({facts['page']} > {facts['view']})"
        table = next(t for t in facts["tables"] if t["id"] == table_id)
        assert table["rows"], f"{name}: the demo has rows"
        assert not one_line(table), f"{name}: rows wrap at 1366 px: {one_line(table)[:3]}"
        confirm = next(h for h in table["heads"] if h["text"] == "工人确认")
        assert confirm["right"] <= table["frameRight"] + 1, f"{name}: 工人确认 is cut off ({confirm} vs {table['frameRight']})"
        assert all(h["sticky"] == "sticky" for h in table["heads"]), f"{name}: the header does not stay in view"
        assert table["nums"] and all(a == "right" and "tabular-nums" in v for a, v in table["nums"]), table["nums"][:3]
        browser.execute_script("document.getElementById(arguments[0]).scrollIntoView(); window.scrollBy(0, -80)", table_id)
        browser.save_screenshot(os.path.join(SHOTS, f"layout-{name}-1366.png"))


def test_no_page_scrolls_sideways_at_360(server, browser):
    browser.set_window_size(360, 740)
    login(browser, server, "corp", "sj_admin")
    project, payroll = project_pages(browser, server)
    pages = {
        "corp-home": server + "/corp", "projects": server + "/corp/projects", "workers": project + "/workers",
        "attendance": project + "/attendance", "payrolls": project + "/payrolls", "payroll": payroll,
        "ledger": project + "/payrolls/ledger", "warnings": server + "/corp/warnings", "audit": server + "/corp/audit",
    }
    for name, url in pages.items():
        browser.get(url)
        facts = measure(browser)
        assert facts["page"] <= facts["view"], f"{name}: the page scrolls sideways at 360 px ({facts['page']})"
        for table in facts["tables"]:
            assert table["frameRight"] <= facts["view"] + 1, f"{name}: table {table['id']} leaves the screen"
        browser.save_screenshot(os.path.join(SHOTS, f"layout-{name}-360.png"))


def test_refusal_reasons_beside_their_fields(server, browser):
    """Issue 14 item 4: a refused console form lists its reasons in the summary and beside each field."""
    browser.set_window_size(1366, 900)
    login(browser, server, "corp", "sj_admin")
    project, _ = project_pages(browser, server)
    browser.get(project + "/teams")
    form = browser.find_element(By.CSS_SELECTOR, "form[action$='/teams']")
    browser.execute_script(
        "arguments[0].querySelectorAll('[required]').forEach(e => e.removeAttribute('required'));"
        "arguments[0].querySelector('[name=entryDate]').value = '';", form)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    summary = browser.find_element(By.CSS_SELECTOR, ".alert.error").text
    notes = browser.find_elements(By.CSS_SELECTOR, "form[action$='/teams'] .field-error")
    assert "班组名称" in summary and len(notes) >= 2, (summary, [n.text for n in notes])
    beside = {n.find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, "input, select").get_attribute("name") for n in notes}
    assert {"name", "entryDate"} <= beside, beside
    browser.save_screenshot(os.path.join(SHOTS, "layout-refusal-beside-fields.png"))
