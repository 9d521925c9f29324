"""Documentation that must not drift from the code."""

from __future__ import annotations

import string

from kantoor_batch.messages import MESSAGES, issue_codes_markdown
from tests.conftest import REPO


def test_the_issue_code_list_is_up_to_date() -> None:
    """docs/issue-codes.md is generated from messages.py."""
    assert (REPO / "docs" / "issue-codes.md").read_text(encoding="utf-8") == issue_codes_markdown()


def test_every_issue_code_has_dutch_and_english_text_with_the_same_placeholders() -> None:
    """A translation never loses a placeholder."""
    for code, message in MESSAGES.items():
        fields = [
            {f for _, f, _, _ in string.Formatter().parse(t) if f} for t in (message.nl, message.en)
        ]
        assert fields[0] == fields[1], code


def test_the_readme_starts_with_the_two_commands() -> None:
    """Install-and-run on the sample, install-and-test: the first block of the README."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert "samples/onboarding-voorbeeld.xlsx" in block[0]
    assert "pytest" in block[1]
