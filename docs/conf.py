"""Sphinx configuration for the libkurs documentation.

Build with ``python -m sphinx -W --keep-going -b html docs docs/_build/html``. Every example in
these pages is also run as a test (see ``conftest.py`` at the repository root).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import zlib
from importlib.metadata import version as _version
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

project = "libkurs"
author = "The libkurs developers"
copyright = "The libkurs developers"
release = _version("libkurs")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.napoleon",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# MyST: ```{directive} fences, and "(label)=" targets turned into anchors for headings.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# autodoc: attrs classes document their fields through the class signature, with the type of
# every parameter in the signature (overloads too, so that each format's options show).
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_class_signature = "mixed"
autodoc_preserve_defaults = True
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True

# Every cross-reference must resolve: a link that goes nowhere is a warning, and warnings fail
# the build (`python3 dev.py docs` runs Sphinx with -W).
nitpicky = True

# Intersphinx to Python and attrs, offline. The build runs where there is no network (CI, the
# tests), and fetching an inventory that cannot be reached is a warning Sphinx cannot silence.
# So the build writes small inventories of its own (_inventories/, beside the build) that map
# the few Python and attrs names libkurs' signatures use to their pages on docs.python.org and
# attrs.org: the links are the real ones, and nothing is downloaded. A name missing from
# _PYTHON_NAMES or _ATTRS_NAMES is reported by nitpicky, so the list cannot fall behind
# unnoticed. Set LIBKURS_DOCS_ONLINE=1 to use the full published inventories instead.
_PYTHON_URL = "https://docs.python.org/3"
_ATTRS_URL = "https://www.attrs.org/en/stable"
_INVENTORIES = Path(__file__).parent / "_build" / "_inventories"

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
        if what in {"attribute", "property", "data"}:
            originals[name] = list(cast("list[str]", lines))

    def restore(_app: Sphinx, what: str, name: str, *args: object) -> None:
        *_, lines = args
        if what in {"attribute", "property", "data"} and name in originals:
            cast("list[str]", lines)[:] = originals.pop(name)

    app.connect("autodoc-process-docstring", remember, priority=100)  # before napoleon (500)
    app.connect("autodoc-process-docstring", restore, priority=900)


#: Python's names used in libkurs' signatures and docstrings: name -> (role, page#anchor).
_PYTHON_NAMES: dict[str, tuple[str, str]] = {
    name: ("py:class", f"library/{page}.html#{name}")
    for page, names in {
        "datetime": ["datetime.date", "datetime.datetime", "datetime.timedelta", "datetime.tzinfo"],
        "zoneinfo": ["zoneinfo.ZoneInfo"],
        "os": ["os.PathLike"],
        "pathlib": ["pathlib.Path", "pathlib.PurePath"],
        "fractions": ["fractions.Fraction"],
        "enum": ["enum.Enum", "enum.StrEnum"],
        "typing": [
            "typing.Any", "typing.Literal", "typing.Protocol", "typing.TypedDict",
            "typing.Unpack", "typing.Final",
        ],
        "collections.abc": [
            "collections.abc.Callable", "collections.abc.Collection", "collections.abc.Iterable",
            "collections.abc.Iterator", "collections.abc.Mapping", "collections.abc.Sequence",
            "collections.abc.Set",
        ],
        "importlib.resources.abc": ["importlib.resources.abc.Traversable"],
        "types": ["types.MappingProxyType"],
        "email.message": ["email.message.Message", "email.message.EmailMessage"],
        "ssl": ["ssl.SSLContext"],
    }.items()
    for name in names
}  # fmt: skip
_PYTHON_NAMES |= {
    name: ("py:class", f"library/stdtypes.html#{name}")
    for name in ["str", "bytes", "int", "float", "bool", "dict", "list", "tuple", "set",
                 "frozenset", "object", "type"]
}  # fmt: skip
_PYTHON_NAMES |= {
    name: ("py:exception", f"library/exceptions.html#{name}")
    for name in ["Exception", "ValueError", "TypeError", "KeyError", "LookupError", "OSError"]
}  # fmt: skip
_PYTHON_NAMES |= {
    "None": ("py:data", "library/constants.html#None"),
    "html.escape": ("py:function", "library/html.html#$"),
    # attrs' generated __init__ keeps some annotations as the bare string "datetime".
    "datetime": ("py:class", "library/datetime.html#datetime.datetime"),
    "importlib.resources.files": ("py:function", "library/importlib.resources.html#$"),
    "csv": ("py:module", "library/csv.html#module-$"),
    "importlib.resources": ("py:module", "library/importlib.resources.html#module-$"),
}
#: attrs' names used in libkurs' docs.
_ATTRS_NAMES: dict[str, tuple[str, str]] = {
    "attrs.evolve": ("py:function", "api.html#$"),
    "attrs.Attribute": ("py:class", "api.html#$"),
}


def _write_inventory(path: Path, project: str, names: dict[str, tuple[str, str]]) -> str:
    """Write a Sphinx inventory (version 2) of *names* to *path*; return its path as a string."""
    lines = [
        f"{name} {role} 1 {uri.replace('#' + name, '#$') if uri.endswith('#' + name) else uri} -\n"
        for name, (role, uri) in sorted(names.items())
    ]
    header = f"# Sphinx inventory version 2\n# Project: {project}\n# Version: \n"
    header += "# The remainder of this file is compressed using zlib.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header.encode() + zlib.compress("".join(lines).encode()))
    return str(path)


if os.environ.get("LIBKURS_DOCS_ONLINE"):
    intersphinx_mapping = {"python": (_PYTHON_URL, None), "attrs": (_ATTRS_URL, None)}
else:
    _python_inventory = _write_inventory(_INVENTORIES / "python.inv", "Python", _PYTHON_NAMES)
    _attrs_inventory = _write_inventory(_INVENTORIES / "attrs.inv", "attrs", _ATTRS_NAMES)
    intersphinx_mapping = {
        "python": (_PYTHON_URL, _python_inventory),
        "attrs": (_ATTRS_URL, _attrs_inventory),
    }

# Names that nitpicky may not resolve, and why: only type variables, which are not objects to
# link to. Every class, function and module of libkurs' own must resolve.
nitpick_ignore_regex = [
    ("py:class", r"(?:.*\.)?_?T(?:_co)?"),
    ("py:class", r"libkurs\.model\._revise\._Revisable"),
]


# The reference: every public module of libkurs (no part of its dotted name starts with "_"),
# every name of its __all__, documented once. A name that several public modules export (the
# model classes are in libkurs and libkurs.model; the enrolment errors in libkurs.errors and
# libkurs.enrolment) is documented in the first of these modules that has it, its "home"; the
# others get an alias of it in the inventory, so that their names resolve and link there too.
_HOME_ORDER = [
    "libkurs",
    "libkurs.errors",
    "libkurs.enrolment",
    "libkurs.formats",
]


def public_modules() -> list[str]:
    """The dotted names of libkurs' public modules, the package first."""
    import libkurs

    names = [
        info.name
        for info in pkgutil.walk_packages(libkurs.__path__, "libkurs.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    return ["libkurs", *sorted(names)]


def homes() -> dict[int, str]:
    """id() of each public object -> the dotted name it is documented under."""
    modules = public_modules()
    ordered = [m for m in _HOME_ORDER if m in modules] + [
        m for m in modules if m not in _HOME_ORDER and m != "libkurs.model"
    ]
    ordered.append("libkurs.model")
    found: dict[int, str] = {}
    for module_name in ordered:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if _is_module(value) or _is_plain_value(value):
                continue
            found.setdefault(id(value), f"{module_name}.{name}")
    return found


def _is_module(value: object) -> bool:
    return type(value).__name__ == "module"


def _is_plain_value(value: object) -> bool:
    """Constants (strings, numbers, tuples …) are documented wherever they are exported."""
    return not callable(value) and not isinstance(value, type)


class LibkursModule(SphinxDirective):
    """``.. libkurs-module:: libkurs.sync``: the module, with every name of its __all__.

    Names whose home is another module are left out here and aliased to their home after
    reading (:func:`_alias_reexports`).
    """

    required_arguments = 1

    def run(self) -> list[Node]:
        module_name = self.arguments[0]
        module = importlib.import_module(module_name)
        found = homes()
        elsewhere = []
        data = []
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            home = found.get(id(value))
            if _is_module(value) or (home is not None and home != f"{module_name}.{name}"):
                elsewhere.append(name)
            elif _is_plain_value(value):
                # autodoc leaves constants out of automodule; document each one by name.
                elsewhere.append(name)
                data.append(name)
        lines = [
            f".. automodule:: {module_name}",
            "   :members:",
            "   :imported-members:",
            "   :undoc-members:",
            "   :show-inheritance:",
            "   :member-order: bysource",
        ]
        if elsewhere:
            lines.append(f"   :exclude-members: {', '.join(elsewhere)}")
        for name in data:
            lines += ["", f".. autodata:: {module_name}.{name}"]
        from docutils import nodes

        content = StringList(lines, source=f"<libkurs-module {module_name}>")
        container = nodes.section()
        container.document = self.state.document
        self.state.nested_parse(content, 0, container)
        return list(container.children)


class ErrorTree(SphinxDirective):
    """``.. libkurs-error-tree::``: the tree of libkurs.errors, drawn from the classes."""

    def run(self) -> list[Node]:
        from docutils import nodes

        from libkurs.errors import _tree

        text = _tree()
        return [nodes.literal_block(text, text, language="text")]


def _public_bases(
    _app: Sphinx, _name: str, _obj: object, _options: object, bases: list[type]
) -> None:
    """Show a private base class (``_Offering``) as the public bases it stands for."""
    public: list[type] = []
    pending = list(bases)
    while pending:
        base = pending.pop(0)
        if base.__name__.startswith("_") and base.__module__.startswith("libkurs"):
            pending[:0] = list(base.__bases__)
        elif base not in public:
            public.append(base)
    bases[:] = public


def _doc_comment(name: str, value: object) -> list[str]:
    """The ``#:`` comment above the assignment of *value* to *name* in a module of libkurs.

    A constant exported by a package (``libkurs.HELSINKI``) has its comment where it is defined
    (``libkurs.model._time``), which autodoc does not look at.
    """
    import sys

    from sphinx.pycode import ModuleAnalyzer

    for module_name, module in sorted(sys.modules.items()):
        if not module_name.startswith("libkurs") or getattr(module, name, None) is not value:
            continue
        try:
            analyzer = ModuleAnalyzer.for_module(module_name)
            analyzer.analyze()
        except Exception:  # noqa: BLE001, S112 - a module without source has no comments
            continue
        comment = analyzer.attr_docs.get(("", name))
        if comment:
            return [line for line in comment if line is not None]
    return []


def _no_builtin_docstrings(
    _app: Sphinx, what: str, name: str, obj: object, _options: object, lines: list[str]
) -> None:
    """A constant shows the ``#:`` comment where it is defined, never its type's docstring."""
    if what != "data":
        return
    inherited = obj.__doc__ is not None and obj.__doc__ == type(obj).__doc__
    if inherited or not any(line.strip() for line in lines):
        lines[:] = _doc_comment(name.rpartition(".")[2], obj)


def _alias_reexports(_app: Sphinx, env: BuildEnvironment) -> None:
    """Make every public name that is documented under another module's name resolve there."""
    from sphinx.domains.python import ObjectEntry

    domain = env.get_domain("py")
    objects: dict[str, Any] = domain.objects  # type: ignore[attr-defined]
    found = homes()
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            alias = f"{module_name}.{name}"
            if _is_module(value):
                continue
            home = found.get(id(value))
            if home is None or home == alias or alias in objects or home not in objects:
                continue
            entry = objects[home]
            objects[alias] = ObjectEntry(entry.docname, entry.node_id, entry.objtype, True)


def setup(app: Sphinx) -> None:
    """Apply this project's own adjustments."""
    _keep_attribute_docstrings(app)
    app.add_directive("libkurs-module", LibkursModule)
    app.add_directive("libkurs-error-tree", ErrorTree)
    app.connect("env-updated", _alias_reexports)
    app.connect("autodoc-process-bases", _public_bases)
    app.connect("autodoc-process-docstring", _no_builtin_docstrings, priority=950)
