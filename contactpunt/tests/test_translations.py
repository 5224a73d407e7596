"""Every text a user reads has its Dutch: the catalogue holds every msgid in the code and templates."""

import ast
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


# Django's gettext functions and the index of the msgid among their arguments (makemessages' keywords).
GETTEXT_FUNCTIONS = {
    **dict.fromkeys(["_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"], 0),
    **dict.fromkeys(["pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"], 1),
}


def _unescape(po_string: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), po_string)


def python_msgids(source: str) -> set[str]:
    """Every literal msgid of a gettext call in the Python source, wherever the call is.

    xgettext (and so makemessages and the test above) does not look inside f-strings: a
    `_("yes")` in `f"...{_('yes')}"` is never extracted, and nothing told us it lacked its Dutch.
    The syntax tree sees every call.
    """
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        index = GETTEXT_FUNCTIONS.get(name)
        if index is not None and len(node.args) > index:
            argument = node.args[index]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and argument.value:
                found.add(argument.value)
    return found


def test_python_msgids_finds_calls_inside_f_strings():
    assert python_msgids("label = f\"{name}: {_('yes') if v else gettext('no')}\"") == {"yes", "no"}


def test_every_gettext_call_in_the_python_code_is_in_the_catalogue():
    translated = {
        _unescape(msgid) for catalogue in CATALOGUES for msgid in msgids(catalogue.read_text(encoding="utf-8"))
    }
    missing = set()
    for name in SOURCES:
        for path in (settings.BASE_DIR / name).rglob("*.py"):
            if {"tests", "migrations"} & set(path.relative_to(settings.BASE_DIR).parts):
                continue
            missing |= {
                f"{path.relative_to(settings.BASE_DIR)}: {msgid!r}"
                for msgid in python_msgids(path.read_text(encoding="utf-8")) - translated
            }
    assert not missing, f"Write the Dutch in the catalogue for: {sorted(missing)}"
