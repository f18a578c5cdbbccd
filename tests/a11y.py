"""axe-core in Chromium: the field's accessibility checker, vendored from npm (tests/vendor/axe-core)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# Every rule axe ships that applies to a finished page (WCAG 2.0-2.2 A and AA plus best practice).
RUN_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe on the page as it is now and return its violations of any impact.

    The page's own CSP forbids injected scripts, so the browser context must be made with
    `bypass_csp=True` (tests only; the app's CSP stays as it is).
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result: list[dict[str, Any]] = page.evaluate(
        """async (options) => {
            const r = await axe.run(document, options);
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary,
                                          html: n.html.slice(0, 160)})),
            }));
        }""",
        RUN_OPTIONS,
    )
    return result


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
        for n in v["nodes"][:5]:
            lines.append(f"      {n['target']}  {n['html']}")
            lines.append(f"        {' '.join((n['summary'] or '').split())[:300]}")
    return "\n".join(lines)
