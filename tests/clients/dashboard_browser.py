"""The dashboard in a real browser: headless Chromium (Debian's, through chromedriver) opens
/_admin/ on the gateway at TCO_URL, then — the page left open — a SOAP call (login and
createCustomer, a raw envelope as any SOAP client sends) and a REST call (getCustomerInformation,
signed) are made as merchant TCO_MERCHANT_CODE. Both must appear in the live journal without a
reload; an entry opens to its arguments; the state browser leads to the customer created; a
screenshot is saved to TCO_SCREENSHOT. Then the attacks of issue 25: a page of another loopback
origin posts a cross-site form and `no-cors` fetches to the admin API, and a page on a rebinding
domain (evil.example, resolved to 127.0.0.1 by Chromium's host rules) reads it from the same
origin — nothing changes and nothing is read. The notifications view (issue 29): a listener that
answers without a read receipt gets an IPN the admin triggers; the view shows the delivery failing
with its verdict, its fields, and resends it. Issue 33: the chart of the last minutes counts the calls
by protocol and operation (and filters the journal); every view fits at 1,500 and 1,000 px; an order
shows its key fields and links, its raw JSON one click away; the demo subscription's timeline shows
its purchase, expiration, grace period and now, and a renewal after the clock form moves 40 days
(screenshots beside TCO_SCREENSHOT). Last, resetting the merchant makes the customer go."""

import hashlib
import hmac
import json
import os
import re
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import requests
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

base = os.environ["TCO_URL"]
code = os.environ["TCO_MERCHANT_CODE"]
secret = os.environ["TCO_MERCHANT_SECRET"]
screenshot = os.environ["TCO_SCREENSHOT"]


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}")
        sys.exit(1)
    print(f"ok: {what}")


def signature():
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    message = f"{len(code)}{code}{len(date)}{date}"
    return date, hmac.new(secret.encode(), message.encode(), hashlib.md5).hexdigest()


def soap(operation, params):
    envelope = (
        '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:ns1="urn:order"><SOAP-ENV:Body><ns1:{operation}>{params}</ns1:{operation}></SOAP-ENV:Body></SOAP-ENV:Envelope>'
    )
    reply = requests.post(f"{base}/soap/6.0/", data=envelope.encode(), headers={"Content-Type": "text/xml; charset=utf-8"}, timeout=10)
    check(reply.status_code == 200, f"SOAP {operation} answers ({reply.status_code})")
    return re.search(r"<return[^>]*>([^<]*)</return>", reply.text).group(1)


def admin_state():
    """What the attacks must not change, read as a legitimate client would."""
    json_headers = {"Content-Type": "application/json"}
    clock = requests.get(f"{base}/_admin/clock", timeout=10).json()
    faults = requests.get(f"{base}/_admin/faults", timeout=10).json()["faults"]
    customers = requests.post(f"{base}/_admin/merchants/{code}/searchCustomers", json={}, headers=json_headers, timeout=10).json()
    return clock["offset_seconds"], clock["frozen"], len(faults), sorted(c["AvangateCustomerReference"] for c in customers["Items"])


ATTACK_PAGE = """<!doctype html><title>attacking</title>
<form id="form" method="POST" action="BASE/_admin/reset?merchant=CODE" target="sink"><input name="a" value="b"></form>
<iframe name="sink"></iframe>
<script>
const base = "BASE";
const planted = JSON.stringify({Merchants: [{Code: "CODE", Customers: [{ExternalCustomerReference: "PLANTED", FirstName: "Eve",
  LastName: "Mallory", Address1: "1 Evil St", City: "Evil", Zip: "666", CountryCode: "US", Email: "eve@example.com"}]}]});
const attempts = [
  ["/_admin/clock", "text/plain", '{"advance":"400d"}'],
  ["/_admin/faults", "text/plain", '{"operation":"*","error":"INTERNAL_ERROR"}'],
  ["/_admin/faults", "application/json", '{"operation":"*","error":"INTERNAL_ERROR"}'],
  ["/_admin/data", "application/x-www-form-urlencoded", planted],
  ["/_admin/reset?merchant=CODE", "text/plain", ""],
];
(async () => {
  for (const [path, type, body] of attempts) {
    try { await fetch(base + path, { method: "POST", mode: "no-cors", headers: { "Content-Type": type }, body }); } catch (e) {}
    try { await fetch(base + path, { method: "POST", headers: { "Content-Type": "application/json" }, body }); } catch (e) {}
  }
  document.getElementById("form").submit();
  setTimeout(() => { document.title = "done"; }, 1500);
})();
</script>"""


class ReceiptlessListener(BaseHTTPRequestHandler):
    """Answers every notification 200 "OK" — without the read receipt the gateway needs."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, *args):
        pass


class AttackPage(BaseHTTPRequestHandler):
    def do_GET(self):
        page = ATTACK_PAGE.replace("BASE", base).replace("CODE", code).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *args):
        pass


options = Options()
options.binary_location = os.environ.get("TCO_CHROMIUM", "/usr/bin/chromium")
gateway_port = urlsplit(base).port
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1500,900",
                 "--host-resolver-rules=MAP evil.example 127.0.0.1"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service(os.environ.get("TCO_CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
wait = WebDriverWait(driver, 15)
try:
    # The landing page names the endpoints and leads to the dashboard.
    driver.get(f"{base}/")
    check(driver.find_element(By.TAG_NAME, "h1").text.startswith("tco-gateway"), "the landing page opens")
    landing = driver.find_element(By.TAG_NAME, "body").text
    check(all(path in landing for path in ["/rest/6.0/", "/rpc/6.0/", "/soap/6.0/?wsdl", "/metrics", code]), "it names the endpoints and merchants")
    check(secret in landing and "secret-a" not in landing, "only the published demo secret is shown")
    driver.find_element(By.LINK_TEXT, "Dashboard").click()
    wait.until(expected_conditions.visibility_of_element_located((By.ID, "journal")))
    Select(driver.find_element(By.ID, "merchant")).select_by_value(code)
    check(driver.find_elements(By.CSS_SELECTOR, "#journal tr.entry") == [], "the journal starts empty")

    # The calls, made while the page is open.
    date, digest = signature()
    session = soap("login", f"<merchantCode>{code}</merchantCode><date>{date}</date><hash>{digest}</hash>")
    customer = (
        "<Customer><ExternalCustomerReference>DASHBOARD-1</ExternalCustomerReference><FirstName>Grace</FirstName>"
        "<LastName>Hopper</LastName><Address1>1 Navy Way</Address1><City>Arlington</City><Zip>22202</Zip>"
        "<CountryCode>US</CountryCode><Email>grace@example.com</Email><Language>en</Language></Customer>"
    )
    reference = soap("createCustomer", f"<sessionID>{session}</sessionID>{customer}")
    date, digest = signature()
    header = f'code="{code}" date="{date}" hash="{digest}"'
    reply = requests.get(f"{base}/rest/6.0/customers/{reference}/", headers={"X-Avangate-Authentication": header, "Accept": "application/json"}, timeout=10)
    check(reply.status_code == 200, "REST getCustomerInformation answers")

    # Seen live, without a reload.
    soap_entry = (By.CSS_SELECTOR, '#journal tr.entry[data-protocol="soap"][data-operation="createCustomer"]')
    rest_entry = (By.CSS_SELECTOR, '#journal tr.entry[data-protocol="rest"][data-operation="getCustomerInformation"]')
    wait.until(expected_conditions.presence_of_element_located(soap_entry))
    wait.until(expected_conditions.presence_of_element_located(rest_entry))
    rows = driver.find_elements(By.CSS_SELECTOR, "#journal tr.entry")
    check(rows[0].get_attribute("data-operation") == "getCustomerInformation", "the newest call is first")
    check(driver.execute_script("return performance.getEntriesByType('navigation').length") == 1, "no reload happened")

    # An entry opens to its protocol-neutral arguments; no secret is shown.
    driver.find_element(*soap_entry).click()
    details = driver.find_element(*soap_entry).find_element(By.XPATH, "following-sibling::tr[1]")
    wait.until(lambda _: details.is_displayed())
    check("Grace" in details.text and "DASHBOARD-1" in details.text, "the entry shows the arguments")
    page = driver.page_source
    check(session not in page and secret not in page and digest not in page, "no session id, secret or hash on the page")

    # The chart of the last minutes counts the calls by protocol, from the gateway's own counters.
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#calls-chart rect.bar[data-protocol="soap"]'))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#calls-chart rect.bar[data-protocol="rest"]'))
    counted = driver.execute_script(
        "return [...document.querySelectorAll('#calls-operations tr.operation')].map(r => [r.dataset.protocol, r.dataset.operation, r.cells[2].innerText])")
    check(["soap", "createCustomer", "1"] in counted and ["rest", "getCustomerInformation", "1"] in counted, f"its table counts each operation: {counted}")
    check(driver.execute_script("return [...document.querySelectorAll('script[src], link[href], img[src]')].length") == 0, "nothing is fetched from elsewhere")
    # A row of the table filters the journal to its calls.
    driver.execute_script("""document.querySelector('#calls-operations tr.operation[data-operation="createCustomer"]').click()""")
    wait.until(lambda d: {r.get_attribute("data-operation") for r in d.find_elements(By.CSS_SELECTOR, "#journal tr.entry")} == {"createCustomer"})
    check(driver.find_element(By.ID, "filter-operation").get_attribute("value") == "createCustomer", "a row of the chart's table filters the journal")
    driver.find_element(By.ID, "filter-operation").clear()
    Select(driver.find_element(By.ID, "filter-protocol")).select_by_value("")
    driver.execute_script("restartJournal()")
    # The journal's merchant filter chooses whose calls the chart counts.
    Select(driver.find_element(By.ID, "filter-merchant")).select_by_value(code)
    wait.until(lambda d: d.find_element(By.ID, "calls-total").text.startswith(f"({code}: 3 in all"))
    Select(driver.find_element(By.ID, "filter-merchant")).select_by_value("")
    wait.until(lambda d: d.find_element(By.ID, "calls-total").text.startswith("(3 in all"))
    check(True, "the chart follows the journal's merchant filter")

    # The state browser leads to the customer.
    driver.find_element(By.ID, "tab-customers").click()
    link = (By.CSS_SELECTOR, f'#state tr.customer[data-reference="{reference}"] a')
    wait.until(expected_conditions.element_to_be_clickable(link))
    driver.find_element(*link).click()
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, f'#customer-detail[data-reference="{reference}"]')))
    check("grace@example.com" in driver.find_element(By.ID, "customer-detail").text, "the customer's page shows the customer")
    time.sleep(0.3)
    driver.save_screenshot(screenshot)
    print("screenshot:", screenshot)

    # Every view fits the window: nothing runs off sideways, at 1,500 px or on a narrow screen.
    views = ["customers", f"customer/{reference}", "orders", "order/670175000", "subscriptions", "subscription/5C1E0A7B42",
             "products", "product/ADEV17962UPOPT12", "notifications"]
    for width in (1500, 1000):
        driver.set_window_size(width, 900)
        for view in views:
            driver.execute_script("location.hash = arguments[0]", view)
            wait.until(lambda d: d.execute_script("return document.querySelector('#state h3, #state table, #state p') !== null"))
            time.sleep(0.3)
            sizes = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            check(sizes[0] <= sizes[1], f"#{view} at {width} px fits ({sizes[0]} of {sizes[1]} px)")
    driver.set_window_size(1500, 900)

    # An order is its key fields and lines, with links; the raw JSON is one click away.
    driver.execute_script("location.hash = '#order/670175000'")
    wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, '#order-detail[data-ref-no="670175000"]')))
    detail = driver.find_element(By.ID, "order-detail")
    check("19.99 USD" in detail.text and "visa" in detail.text, "the order shows its total and payment")
    hrefs = [a.get_attribute("href").split("#")[1] for a in detail.find_elements(By.TAG_NAME, "a")]
    check({"customer/100000001", "product/ADEV17962UPOPT12", "subscription/5C1E0A7B42"} <= set(hrefs), f"and links its customer, product and subscription: {hrefs}")
    raw = detail.find_element(By.CSS_SELECTOR, "details.raw pre")
    check(not raw.is_displayed(), "its raw JSON is folded")
    detail.find_element(By.CSS_SELECTOR, "details.raw summary").click()
    check(raw.is_displayed() and '"RefNo": "670175000"' in raw.text, "and one click shows it")

    # The subscription's timeline: its purchase, expiration, grace period and the clock's now; a
    # month on the clock renews it, and the renewal appears on it.
    timeline = lambda d: d.execute_script("""
        const t = document.querySelector('#subscription-detail svg.timeline');
        if (!t) return null;
        const x = (selector) => { const e = t.querySelector(selector); return e ? e.getBBox().x : null; };
        const end = (selector) => { const e = t.querySelector(selector); return e ? e.getBBox().x + e.getBBox().width : null; };
        return { events: [...t.querySelectorAll('g.event')].map(e => e.dataset.type + ' ' + e.dataset.refNo),
                 purchase: x('g.event[data-type=PURCHASE] rect'), expiration: x('g.expiration line'),
                 grace_end: end('g.grace rect'), now: x('g.now line'), text: t.textContent,
                 retries: t.querySelectorAll('g.grace line.retry').length };""")
    driver.execute_script("location.hash = '#subscription/5C1E0A7B42'")
    wait.until(timeline)
    drawn = timeline(driver)
    check(drawn["events"] == ["PURCHASE 670175000"], f"the timeline starts with the purchase: {drawn['events']}")
    check(drawn["purchase"] <= drawn["now"] < drawn["expiration"] < drawn["grace_end"], f"now lies between the purchase and the expiration, the grace period after it: {drawn}")
    check("renews automatically" in drawn["text"] and "grace period ends" in drawn["text"], "it says the subscription renews, and when the grace period ends")
    check(drawn["retries"] == 4, f"a declined renewal's daily retries are marked in the five-day grace period ({drawn['retries']})")
    driver.find_element(By.ID, "clock-by").send_keys("40d")
    driver.find_element(By.ID, "clock-move").click()
    WebDriverWait(driver, 20).until(lambda d: (timeline(d) or {}).get("events", [])[1:2] and timeline(d)["events"][1].startswith("RENEWAL"))
    drawn = timeline(driver)
    check(drawn["now"] > drawn["purchase"] and drawn["now"] < drawn["expiration"], f"after 40 days it is renewed, now inside the renewed period: {drawn}")
    check("RENEWAL" in driver.find_element(By.ID, "subscription-detail").text, "its history lists the renewal")
    time.sleep(0.3)
    driver.save_screenshot(screenshot.replace(".png", "-subscription.png"))
    driver.find_element(By.ID, "clock-reset").click()
    wait.until(lambda d: "ahead" not in d.find_element(By.ID, "clock").text)

    # The notifications view: an IPN to a listener without a read receipt fails, and says why.
    listener = ThreadingHTTPServer(("127.0.0.1", 0), ReceiptlessListener)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    json_headers = {"Content-Type": "application/json"}
    listen = requests.put(f"{base}/_admin/merchants/{code}/notifications", headers=json_headers, timeout=10,
                          json={"ipn": [f"http://127.0.0.1:{listener.server_address[1]}/ipn"], "lcn": []})
    check(listen.status_code == 200, f"the listener is set ({listen.status_code})")
    orders = requests.post(f"{base}/_admin/merchants/{code}/searchOrders", json={}, headers=json_headers, timeout=10).json()["Items"]
    ref_no = orders[0]["RefNo"]
    triggered = requests.post(f"{base}/_admin/notifications/trigger", headers=json_headers, timeout=10,
                              json={"merchant": code, "order": ref_no, "status": "COMPLETE"})
    check(triggered.status_code == 202, f"an IPN is triggered for order {ref_no} ({triggered.status_code})")
    driver.find_element(By.ID, "tab-notifications").click()
    # The view refreshes itself every second: read and act through the page's own DOM at once.
    rows = lambda d: d.execute_script(
        "return [...document.querySelectorAll('#state tr.delivery[data-state=failing]')].map(r => r.innerText)")
    WebDriverWait(driver, 15).until(rows)
    row = rows(driver)[0]
    check("no read receipt" in row and ref_no in row, f"the delivery shows failing, and why: {row}")
    driver.execute_script("location.hash = '#notification/' + arguments[0]", row.split()[0])
    detail = lambda d: d.execute_script("const e = document.getElementById('notification-detail'); return e ? e.innerText : ''")
    WebDriverWait(driver, 15).until(detail)
    text = detail(driver)
    check("REFNO" in text and ref_no in text and "SIGNATURE_SHA3_256" in text, "the delivery's fields, as sent")
    driver.save_screenshot(screenshot.replace(".png", "-notifications.png"))
    driver.execute_script("document.querySelector('#notification-detail button').click()")
    WebDriverWait(driver, 15).until(lambda d: d.execute_script(
        "return document.querySelectorAll('#notification-detail td.verdict').length") >= 2)
    check(True, "resent from the view: a second attempt")
    listener.shutdown()

    # Cross-site requests from a page of another loopback origin change nothing.
    before = admin_state()
    check(reference in [str(r) for r in before[3]], "the customer is there before the attacks")
    attacker = ThreadingHTTPServer(("127.0.0.1", 0), AttackPage)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    driver.get(f"http://127.0.0.1:{attacker.server_address[1]}/attack.html")
    WebDriverWait(driver, 20).until(lambda d: d.title == "done")
    attacker.shutdown()
    check(admin_state() == before, f"a cross-site form post and no-cors fetches changed nothing ({admin_state()} vs {before})")

    # A rebinding domain that resolves to the gateway reads nothing and changes nothing.
    driver.get(f"http://evil.example:{gateway_port}/")
    statuses = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const json = { "Content-Type": "application/json" };
        Promise.all([
          fetch("/_admin/journal").then(r => r.status),
          fetch("/_admin/merchants/CODE/searchCustomers", { method: "POST", headers: json, body: "{}" }).then(r => r.status),
          fetch("/_admin/clock", { method: "POST", headers: json, body: '{"advance":"1d"}' }).then(r => r.status),
          fetch("/_admin/").then(r => r.status),
        ]).then(done, e => done(String(e)));
    """.replace("CODE", code))
    check(statuses == [403, 403, 403, 403], f"under a foreign host name the admin API answers 403 ({statuses})")
    check(admin_state() == before, "and nothing changed")

    # Back on the dashboard, which keeps working.
    driver.get(f"{base}/_admin/")
    wait.until(expected_conditions.visibility_of_element_located((By.ID, "journal")))
    Select(driver.find_element(By.ID, "merchant")).select_by_value(code)

    # The snapshot button saves the merchant's state as a file (the download caught in the page).
    driver.execute_script("""
        window.downloaded = null;
        const click = HTMLAnchorElement.prototype.click;
        HTMLAnchorElement.prototype.click = function () {
          if (!this.download) return click.call(this);
          const name = this.download;
          fetch(this.href).then(r => r.text()).then(text => { window.downloaded = [name, text]; });
        };
    """)
    driver.find_element(By.ID, "snapshot").click()
    wait.until(lambda d: d.execute_script("return window.downloaded"))
    name, saved = driver.execute_script("return window.downloaded")
    check(name == f"{code}-snapshot.json", f"the snapshot is saved as {name}")
    snapshot = json.loads(saved)
    check(snapshot["Merchants"][0]["Code"] == code and "Snapshot" in snapshot["Merchants"][0], "it is the merchant's state")
    check(secret not in saved, "with no secret in it")

    # The fault form injects a fault the table then lists, and its button removes it.
    faults_before = admin_state()[2]
    operation_field = driver.find_element(By.ID, "fault-operation")
    operation_field.clear()
    operation_field.send_keys("searchCustomers")
    Select(driver.find_element(By.ID, "fault-protocol")).select_by_visible_text("soap")
    driver.find_element(By.ID, "fault-inject").click()
    wait.until(lambda d: "searchCustomers" in d.find_element(By.ID, "faults").text)
    check(admin_state()[2] == faults_before + 1, "the form injected a fault")
    # The table is drawn again every second: find and click in one step.
    driver.execute_script("document.querySelector('#faults table button').click()")
    wait.until(lambda d: "searchCustomers" not in d.find_element(By.ID, "faults").text)
    check(admin_state()[2] == faults_before, "and its remove button removed it")

    # The clock form moves the clock to a date; "real time" brings it back.
    driver.execute_script("document.getElementById('clock-to').value = '2031-03-04T05:06:07';")
    driver.find_element(By.ID, "clock-move").click()
    wait.until(lambda d: "2031-03-04" in d.find_element(By.ID, "clock").text)
    check(admin_state()[0] != 0, "the clock moved to the date")
    driver.find_element(By.ID, "clock-reset").click()
    wait.until(lambda d: "2031-03-04" not in d.find_element(By.ID, "clock").text)
    check(admin_state()[0] == 0, "and back to real time")

    # Reset the merchant: the customer is gone.
    driver.find_element(By.ID, "reset-merchant").click()
    driver.find_element(By.ID, "tab-customers").click()
    wait.until(expected_conditions.invisibility_of_element_located(link))
    time.sleep(1.5)
    check(driver.find_elements(*link) == [], "after the reset the customer is gone")
    check(driver.find_elements(By.CSS_SELECTOR, "#state tr.customer") != [], "the demo data is back")
finally:
    driver.quit()
