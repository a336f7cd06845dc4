"""The 1-click renewal in a real browser: headless Chromium (Debian's, through chromedriver)
opens the single sign-on renewal link (TCO_CART_URL) of subscription TCO_SUBSCRIPTION, checks
what the hosted cart shows, picks the stored card, places the order, then opens the link again
and must be refused. Prints the new order's RefNo as `ORDER <RefNo>`."""

import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

url = os.environ["TCO_CART_URL"]
reference = os.environ["TCO_SUBSCRIPTION"]


def check(condition, what):
    if not condition:
        print(f"FAILED: {what}")
        sys.exit(1)


options = Options()
options.binary_location = os.environ.get("TCO_CHROMIUM", "/usr/bin/chromium")
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service(os.environ.get("TCO_CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
try:
    driver.get(url)
    heading = driver.find_element(By.TAG_NAME, "h1").text
    check(heading == "Renew your subscription", f"the renewal page opens (got {heading!r})")
    check(driver.find_element(By.ID, "subscription").text == reference, "the page shows the subscription")
    check(driver.find_element(By.ID, "status").text == "PASTDUE", "the page shows it past due")
    print("shopper:", driver.find_element(By.ID, "shopper").text)
    print("renewal price:", driver.find_element(By.ID, "price").text)
    cards = driver.find_elements(By.CSS_SELECTOR, "input[name=card]")
    labels = [card.find_element(By.XPATH, "..").text for card in cards]
    check(any("ending in 1111" in label for label in labels), f"the stored card is offered ({labels})")
    cards[0].click()
    driver.find_element(By.ID, "place-order").click()
    WebDriverWait(driver, 10).until(expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Order placed"))
    ref_no = driver.find_element(By.ID, "order").text
    check(driver.find_element(By.ID, "order-status").text == "AUTHRECEIVED", "the renewal order is authorized")
    print("ORDER", ref_no)
    print("expires:", driver.find_element(By.ID, "expires").text)

    driver.get(url)
    heading = driver.find_element(By.TAG_NAME, "h1").text
    check(heading == "Link expired", f"the used link is refused (got {heading!r})")
    print("reused link refused")
finally:
    driver.quit()
