"""Rewrite the screenshots of docs/sencos.md (run after changing the HTML report):
`python tests/make_screenshots.py`.

Renders the report on `examples/isp-targeted-vague-provision.yaml` as of 1 June 2030 exactly
as `nis explain --format html` writes it, opens it in the headless Chromium the web tests use
(`make browser`; NIS_CHROMIUM names another), and photographs the parts the page talks about.
The pictures are kept small: one screen wide, cut to the part shown.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from inclusion_standards import api

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
PLAN = "examples/isp-targeted-vague-provision.yaml"  # as a SENCO in the repository's folder names it
CHROMIUM = Path(os.environ.get("NIS_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
WIDTH = 900
# (file, CSS selector of the part to photograph, how much of it, in pixels, at most)
SHOTS = [
    ("sencos-verdict.png", "header.envelope", 700),
    ("sencos-to-fix.png", "#d0-f-ISP-PROVISION-SPECIFIC", 700),
]


def main() -> None:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        sys.exit(f"no Chromium at {CHROMIUM}: run `make browser`, or set NIS_CHROMIUM")
    os.chdir(ROOT)
    result = api.explain(PLAN, as_of="2030-06-01")
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "report.html"
        page_file.write_text(api.render(result, "html"), encoding="utf-8")
        IMAGES.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            page = browser.new_page(viewport={"width": WIDTH, "height": 900}, device_scale_factor=1)
            page.goto(page_file.as_uri())
            for name, selector, most in SHOTS:
                box = page.locator(selector).first.bounding_box()
                assert box is not None, selector
                clip = {"x": 0, "y": max(0, box["y"] - 12), "width": WIDTH, "height": min(most, box["height"] + 24)}
                page.screenshot(path=str(IMAGES / name), clip=clip, full_page=True)
                print(f"wrote {IMAGES / name} ({(IMAGES / name).stat().st_size:,} bytes)", file=sys.stderr)
            browser.close()


if __name__ == "__main__":
    main()
