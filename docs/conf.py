"""Sphinx configuration for the libkurs documentation.

Build with ``python -m sphinx -W --keep-going -b html docs docs/_build/html``. Every example in
these pages is also run as a test (see ``conftest.py`` at the repository root).
"""

from __future__ import annotations

from importlib.metadata import version as _version
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from sphinx.application import Sphinx

project = "libkurs"
author = "The libkurs developers"
copyright = "The libkurs developers"
release = _version("libkurs")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# MyST: ```{directive} fences, and "(label)=" targets turned into anchors for headings.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# autodoc: attrs classes document their fields through the class signature; types go into the
# description so that long unions do not crowd the signature.
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented_params"
autodoc_class_signature = "mixed"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True
nitpicky = False

html_theme = "furo"
html_title = f"libkurs {release}"


def _keep_attribute_docstrings(app: Sphinx) -> None:
    """Show attribute docstrings as written: they are prose, not Google-style sections.

    Napoleon reads ``text: more text`` at the start of an attribute's docstring as
    ``type: description``, which would turn "What it costs, in words: …" into a type.
    """
    originals: dict[str, list[str]] = {}

    def remember(_app: Sphinx, what: str, name: str, *args: object) -> None:
        *_, lines = args
        if what == "attribute":
            originals[name] = list(cast("list[str]", lines))

    def restore(_app: Sphinx, what: str, name: str, *args: object) -> None:
        *_, lines = args
        if what == "attribute" and name in originals:
            cast("list[str]", lines)[:] = originals.pop(name)

    app.connect("autodoc-process-docstring", remember, priority=100)  # before napoleon (500)
    app.connect("autodoc-process-docstring", restore, priority=900)


def setup(app: Sphinx) -> None:
    """Apply this project's own adjustments."""
    _keep_attribute_docstrings(app)
