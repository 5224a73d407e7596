"""The public pages load without browser errors and pass axe-core (WCAG 2.1 A/AA)."""

import pytest

from .axe import axe_violations, describe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/over/", "/privacy/"])
def test_a_public_page_is_accessible(page, path):
    response = page.goto(path)

    assert response.status == 200
    violations = axe_violations(page)
    assert not violations, describe_violations(violations, path)
