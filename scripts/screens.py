"""Screenshots of finished pages for docs/screens (called by scripts/screens).

Drives chromedriver over its W3C WebDriver HTTP API with the standard library only.
Arguments: app URL, chromedriver URL, output folder, the demo's console log, a profile folder.
"""
import base64
import json
import sys
import urllib.request
from pathlib import Path

APP, DRIVER, OUT, DEMO_LOG, PROFILE = sys.argv[1:6]
PASSWORD = "jiuye-demo-2023"

# (file name, who signs in, path, language)
SHOTS = [
    ("search", None, "/vacancies?q=%E7%94%B5%E5%B7%A5", "zh"),
    ("search-en", None, "/vacancies?q=diangong", "en"),
    ("profile", "seeker", "/profile", "zh"),
    ("employer", "employer", "/employer/vacancies", "zh"),
    ("today", "caseworker.siming", "/staff/today", "zh"),
    ("budget", "admin", "/staff/budget", "zh"),
]
SIZES = [("phone", 390, 844), ("desk", 1280, 900)]


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(DRIVER + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read() or b"{}").get("value")


def logins():
    """The seeker's ID number and the employer's credit code from the demo's console."""
    found = {}
    for line in Path(DEMO_LOG).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in ("seeker", "employer") and parts[1] in ("seeker", "employer"):
            found.setdefault(parts[0], parts[2])
    return found


def main():
    ids = logins()
    caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
        f"--user-data-dir={PROFILE}"]}}}}
    session = call("POST", "/session", caps)["sessionId"]
    s = f"/session/{session}"
    try:
        who_now = None
        for name, who, path, lang in SHOTS:
            if who != who_now:
                call("DELETE", f"{s}/cookie")
                if who is not None:
                    kind = who if who in ("seeker", "employer") else "staff"
                    ident = ids.get(who, who)
                    call("POST", f"{s}/url", {"url": APP + "/login"})
                    call("POST", f"{s}/execute/sync", {"script": """
                        document.getElementById('kind-' + arguments[0]).click();
                        document.getElementById('identifier').value = arguments[1];
                        document.getElementById('password').value = arguments[2];
                        document.getElementById('login-button').click();""", "args": [kind, ident, PASSWORD]})
                who_now = who
            call("POST", f"{s}/url", {"url": f"{APP}/settings?lang={lang}&large=0&back=/"})
            for size, w, h in SIZES:
                call("POST", f"{s}/window/rect", {"width": w, "height": h})
                call("POST", f"{s}/url", {"url": APP + path})
                png = base64.b64decode(call("GET", f"{s}/screenshot"))
                target = Path(OUT) / f"{name}-{size}.png"
                target.write_bytes(png)
                print(f"{target} ({len(png)} bytes)")
    finally:
        call("DELETE", s)


if __name__ == "__main__":
    main()
