"""Every text a user reads has its Dutch: the catalogue holds every msgid in the code and templates."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

CATALOGUES = [
    path / "nl" / "LC_MESSAGES" / "django.po"
    for path in map(Path, settings.LOCALE_PATHS)
    if (path / "nl" / "LC_MESSAGES" / "django.po").exists()
]
SOURCES = ["contactpunt", "kandidaten", "werkgevers", "campagne", "templates"]
_MSGSTR = re.compile(r'^msgstr(?:\[\d+\])? ((?:".*"\n)+)', re.MULTILINE)
_ENTRY = re.compile(r'^(#, fuzzy\n)?(?:msgctxt "(.*)"\n)?msgid ((?:".*"\n)+)', re.MULTILINE)


def msgids(po_text: str) -> set[str]:
    found = set()
    for match in _ENTRY.finditer(po_text):
        msgid = "".join(re.findall(r'"(.*)"', match.group(3)))
        if msgid:
            found.add(msgid)
    return found


def untranslated(po_text: str) -> list[str]:
    """Entries (after the header) that are fuzzy or have an empty msgstr, plural forms included."""
    problems = []
    for block in po_text.strip().split("\n\n")[1:]:
        translations = ["".join(re.findall(r'"(.*)"', value)) for value in _MSGSTR.findall(block + "\n")]
        if "#, fuzzy" in block or not translations or not all(translations):
            problems.append(block)
    return problems


def test_the_dutch_catalogue_is_complete():
    for catalogue in CATALOGUES:
        assert untranslated(catalogue.read_text(encoding="utf-8")) == [], catalogue


def test_every_text_in_the_code_and_templates_is_in_the_catalogue(tmp_path):
    for name in SOURCES:
        shutil.copytree(
            settings.BASE_DIR / name,
            tmp_path / name,
            ignore=shutil.ignore_patterns("tests", "migrations", "__pycache__", "*.pyc"),
        )
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-location", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"},
    )
    extracted = msgids((tmp_path / "locale/nl/LC_MESSAGES/django.po").read_text(encoding="utf-8"))

    translated = set().union(*(msgids(catalogue.read_text(encoding="utf-8")) for catalogue in CATALOGUES))
    missing = extracted - translated
    assert not missing, f"Run `make translations` and write the Dutch for: {sorted(missing)}"
