"""The documentation builds without a warning, and its reference covers the whole public API."""

import importlib
import pkgutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import libkurs

DOCS = Path(__file__).parents[1] / "docs"


def public_modules():
    """Every module of libkurs none of whose dotted name's parts starts with "_"."""
    names = [
        info.name
        for info in pkgutil.walk_packages(libkurs.__path__, "libkurs.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    return ["libkurs", *sorted(names)]


def read_inventory(path: Path) -> dict[str, str]:
    """The names of a Sphinx objects.inv (version 2), with their role (``py:class`` …)."""
    data = path.read_bytes()
    lines = data.split(b"\n", 4)
    assert lines[0] == b"# Sphinx inventory version 2"
    names = {}
    for line in zlib.decompress(lines[4]).decode("utf-8").splitlines():
        name, role, *_ = line.split(" ")
        names[name] = role
    return names


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The HTML docs, built once with nitpicky checks and warnings as errors."""
    out = tmp_path_factory.mktemp("html")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", DOCS, out],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    return result, out


def test_docs_build_without_warnings(built):
    """Sphinx builds the HTML docs, nitpicky, with warnings treated as errors."""
    result, _ = built
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr


def test_nitpicky_is_on():
    """docs/conf.py checks every cross-reference (nitpicky) and links Python and attrs."""
    text = (DOCS / "conf.py").read_text(encoding="utf-8")
    assert "\nnitpicky = True\n" in text
    assert '"python": (_PYTHON_URL' in text
    assert '"attrs": (_ATTRS_URL' in text


def test_every_public_name_is_in_the_reference(built):
    """Every name in every public module's __all__ is an object of the built inventory."""
    result, out = built
    assert result.returncode == 0, result.stdout + result.stderr
    inventory = read_inventory(out / "objects.inv")
    missing = []
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        assert inventory.get(module_name) == "py:module", module_name
        for name in getattr(module, "__all__", ()):
            if f"{module_name}.{name}" not in inventory:
                missing.append(f"{module_name}.{name}")
    assert not missing, f"not in the reference: {missing}"


def test_reference_shows_parameter_types(built):
    """Signatures in the reference carry their parameter types (enrol's target: str …)."""
    _, out = built
    page = (out / "reference" / "enrolment.html").read_text(encoding="utf-8")
    assert 'id="libkurs.enrolment.enrol"' in page
    start = page.index('id="libkurs.enrolment.enrol"')
    signature = page[start : page.index("</dt>", start)]
    for part in ("register", "Register", "catalogue", "Catalogue", "target", "str", "datetime"):
        assert part in signature, part


def test_the_error_tree_is_drawn_from_the_code(built):
    """The API reference shows the tree of libkurs.errors as the classes make it."""
    from libkurs.errors import _tree

    _, out = built
    page = (out / "reference" / "api.html").read_text(encoding="utf-8")
    for line in _tree(describe=False).splitlines():
        name = line.split("── ")[-1].split(" (")[0]
        assert name in page
    assert "UnknownIdError (also KeyError)" in page
