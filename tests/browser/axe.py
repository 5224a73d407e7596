"""axe-core in the page under test: WCAG 2.0 and 2.1, levels A and AA."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the page; the violations of the given impact.

    The script is evaluated through the DevTools protocol, not added as a <script> tag: the
    portal's CSP (script-src 'self') rightly refuses inline scripts.
    """
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` (make setup).")
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
            const results = await axe.run(document, options);
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )
    return [violation for violation in results if violation["impact"] in impacts]


def describe_violations(violations: list[dict], where: str) -> str:
    """Readable text for an assertion message: rule, impact, what is wrong and where."""
    lines = [f"{len(violations)} serious or critical axe-core violation(s) on {where}:"]
    for violation in violations:
        lines.append(f"* {violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
            for summary_line in (node["summary"] or "").splitlines():
                lines.append(f"      {summary_line}")
    return "\n".join(lines)
