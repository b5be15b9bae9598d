"""tg-web in a real browser: headless Chromium driven by Selenium, against the built-in simulator.

    PYTHONPATH=.tdlib/browser python3 Tests/Browser/tg_web_browser.py PATH/tg-web

Each check runs in a fresh browser profile; a failing check leaves a screenshot in
.build/browser-screenshots/. The server is stopped with SIGINT at the end and must exit cleanly.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

LOUD = "!" * 80


def skip_loudly(reason: str) -> None:
    print(LOUD, file=sys.stderr)
    print(f"tg-web browser tests NOT RUN: {reason}", file=sys.stderr)
    print(LOUD, file=sys.stderr)
    sys.exit(0)


try:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as error:
    skip_loudly(f"selenium is not installed ({error}); run Scripts/install-browser")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if not CHROMIUM or not DRIVER:
    skip_loudly("chromium or chromedriver is missing; run Scripts/install-browser")

SCREENSHOTS = os.path.join(".build", "browser-screenshots")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, binary: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {k: v for k, v in os.environ.items() if k not in ("TG_API_ID", "TG_API_HASH")}
        environment.update(TG_WEB_PORT=str(self.port), TG_LOG_LEVEL="error")
        self.process = subprocess.Popen([binary], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("tg-web did not start")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return -9


def new_browser():
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,900",
                     f"--user-data-dir={tempfile.mkdtemp(prefix='tg-web-chromium-')}"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(DRIVER), options=options)


class Page:
    def __init__(self, browser, base: str):
        self.browser = browser
        self.base = base

    def open(self, path: str = "/") -> None:
        self.browser.get(self.base + path)

    def wait_for(self, text: str, timeout: float = 10) -> None:
        # A page that reloads itself (or a redirect) can replace the body while it is being read.
        WebDriverWait(self.browser, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
            expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), text))

    def fill(self, name: str, value: str) -> None:
        field = self.browser.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)

    def submit(self, button: str) -> None:
        self.browser.find_element(By.XPATH, f"//button[normalize-space()='{button}']").click()

    def text(self, element_id: str) -> str:
        return self.browser.find_element(By.ID, element_id).text

    def start_phone(self, phone: str) -> None:
        self.open()
        self.fill("phone", phone)
        self.submit("Send code")
        self.wait_for("Enter the code")


def code_and_password_with_a_wrong_code_first(page: Page) -> None:
    page.start_phone("+15550100002")
    page.fill("code", "00001")
    page.submit("Continue")
    page.wait_for("The code is wrong")
    page.fill("code", "22222")
    page.submit("Continue")
    page.wait_for("Two-step verification")
    assert page.text("hint") == "a horse"
    page.fill("password", "wrong")
    page.submit("Continue")
    page.wait_for("The password is wrong")
    page.fill("password", "correct horse")
    page.submit("Continue")
    page.wait_for("Latest chats")
    assert page.text("me") == "Bob Secure"
    page.browser.refresh()
    page.wait_for("Latest chats")
    page.browser.back()
    page.open()
    page.wait_for("Latest chats")
    page.submit("Log out")
    page.wait_for("Log in to Telegram")


def registration_shows_html_as_text(page: Page) -> None:
    page.start_phone("+15550100004")
    page.fill("code", "55555")
    page.submit("Continue")
    page.wait_for("terms of service")
    page.fill("first", "<b>Zed</b>")
    page.fill("last", "New")
    page.submit("Accept and register")
    page.wait_for("Latest chats")
    assert page.text("me") == "<b>Zed</b> New", page.text("me")


def bot_login(page: Page) -> None:
    page.open()
    page.fill("token", "1000001:SIMULATOR-BOT-TOKEN")
    page.submit("Log in as a bot")
    page.wait_for("Latest chats")
    assert page.text("me") == "Echo"


def qr_login_confirmed_by_the_scenario(page: Page) -> None:
    page.open()
    page.submit("Log in with a QR code")
    page.wait_for("tg://login?token=")
    page.wait_for("Latest chats", timeout=15)
    assert page.text("me") == "Alice Simulated"


def two_sessions_cannot_see_each_other(page: Page) -> None:
    page.start_phone("+15550100001")
    other = Page(new_browser(), page.base)
    try:
        other.open()
        other.wait_for("Log in to Telegram")
        assert "Enter the code" not in other.browser.page_source
        page.fill("code", "11111")
        page.submit("Continue")
        page.wait_for("Latest chats")
        other.open()
        other.wait_for("Log in to Telegram")
        assert "Alice" not in other.text("page")
    finally:
        other.browser.quit()


CHECKS = [
    code_and_password_with_a_wrong_code_first,
    registration_shows_html_as_text,
    bot_login,
    qr_login_confirmed_by_the_scenario,
    two_sessions_cannot_see_each_other,
]


def main(binary: str) -> int:
    os.makedirs(SCREENSHOTS, exist_ok=True)
    server = Server(binary)
    passed, failed = 0, 0
    try:
        for check in CHECKS:
            browser = new_browser()
            try:
                check(Page(browser, server.url))
                passed += 1
                print(f"ok   {check.__name__}")
            except Exception:
                failed += 1
                path = os.path.join(SCREENSHOTS, check.__name__ + ".png")
                browser.save_screenshot(path)
                print(f"FAIL {check.__name__} (screenshot: {path})")
                traceback.print_exc()
            finally:
                browser.quit()
    finally:
        status = server.stop()
    if status != 0:
        failed += 1
        print(f"FAIL tg-web exited with {status} after SIGINT")
    else:
        print("ok   tg-web stopped cleanly on SIGINT")
    print(f"tg-web browser checks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
