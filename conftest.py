"""Run every example of the documentation as a test, with Sybil.

Three sets of documents, each example evaluated in one namespace per document, in order:

- ``docs/**/*.md``: ```python blocks (plain code, or ``>>>`` doctests), ```pycon blocks
  (doctests), ``<!-- skip: next -->`` comments, ```console blocks whose ``$ libkurs …`` commands
  are run and their output compared (:class:`ConsoleParser`), and ```json blocks, which must be
  native catalogues exactly as libkurs writes them (:class:`NativeJSONParser`);
- ``README.md``: python and pycon blocks and skip comments, as in docs (no console or JSON checks);
- the docstrings of ``src/**/*.py``: ``>>>`` doctests.

Every example runs with the repository root as the working directory, so that paths such as
``examples/catalogue.json`` resolve wherever pytest was started.
"""

from __future__ import annotations

import contextlib
import difflib
import doctest
import importlib
import io
import shlex
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sybil import Example, Region, Sybil
from sybil.document import PythonDocStringDocument
from sybil.evaluators.doctest import DocTestEvaluator, OutputChecker
from sybil.example import NotEvaluated
from sybil.parsers.abstract import DocTestStringParser
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer
from sybil.parsers.myst import PythonCodeBlockParser, SkipParser
from sybil.parsers.rest import DocTestParser
from sybil.sybil import SybilCollection

import libkurs
from libkurs.cli import main

if TYPE_CHECKING:
    from sybil import Document

# Not documents: the Sphinx configuration, the built site, and the module that runs the CLI
# when imported.
collect_ignore = ["docs/conf.py", "docs/_build", "src/libkurs/__main__.py"]

SRC = Path(__file__).parent / "src"

DOCTEST_FLAGS = doctest.ELLIPSIS


@pytest.fixture
def _in_repository_root(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run an example from the repository root, and return to where we were afterwards."""
    monkeypatch.chdir(request.config.rootpath)


class PyconParser:
    """Run ```pycon blocks (interactive Python sessions) as doctests."""

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(language="pycon")
        self.doctests = DocTestStringParser(DocTestEvaluator(DOCTEST_FLAGS))

    def __call__(self, document: Document) -> Iterable[Region]:
        """Yield one example per ``>>>`` statement in the pycon blocks of *document*."""
        for lexed in self.lexer(document):
            source = lexed.lexemes["source"]
            for region in self.doctests(source, document.path):
                region.adjust(lexed, source)
                yield region


class ConsoleParser:
    """Run the ``libkurs`` commands of ```console blocks and compare what they print.

    A block is a shell session: lines starting with ``$ `` are commands, the lines after one
    are what it prints (standard output and standard error together). ``$ echo $?`` prints the
    exit status of the command before it. Expected output may use ``...`` as in doctests.
    Commands run in this process through :func:`libkurs.cli.main`; any other command is an
    error in the document.
    """

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(language="console")
        self.checker = OutputChecker()

    def __call__(self, document: Document) -> Iterable[Region]:
        """Yield one example per console block of *document*."""
        for lexed in self.lexer(document):
            steps = list(self.steps(lexed.lexemes["source"], document.path))
            yield Region(lexed.start, lexed.end, steps, self.evaluate)

    @staticmethod
    def steps(source: str, path: str) -> Iterator[tuple[list[str], str]]:
        """Split a session into (command words, expected output) pairs."""
        command: list[str] | None = None
        expected: list[str] = []
        for line in source.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    yield command, "".join(expected)
                command, expected = shlex.split(line[2:]), []
                if command[0] != "libkurs" and command != ["echo", "$?"]:
                    raise ValueError(f"{path}: a console block may only run libkurs: {line!r}")
            elif command is None:
                raise ValueError(f"{path}: a console block must start with a '$ ' command")
            else:
                expected.append(line + "\n")
        if command is not None:
            yield command, "".join(expected)

    @staticmethod
    def run(arguments: list[str]) -> tuple[int, str]:
        """Run ``libkurs`` with *arguments*; return its exit status and all it printed."""
        buffer = io.BytesIO()
        # A real text stream (not StringIO), so that a command may also write bytes to .buffer.
        terminal = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n", write_through=True)
        with contextlib.redirect_stdout(terminal), contextlib.redirect_stderr(terminal):
            try:
                status = main(arguments)
            except SystemExit as exit_:  # argparse, for a wrong command line
                status = exit_.code if isinstance(exit_.code, int) else 1
        terminal.flush()
        return status, buffer.getvalue().decode("utf-8")

    def evaluate(self, example: Example) -> str | None:
        """Run each command in turn; describe the first difference in output, if any."""
        status = 0
        for command, expected in example.parsed:
            if command[0] == "echo":
                got = f"{status}\n"
            else:
                status, got = self.run(command[1:])
            if not self.checker.check_output(expected, got, DOCTEST_FLAGS):
                return (
                    f"$ {shlex.join(command)}\n"
                    f"expected:\n{expected or '(nothing)'}\n"
                    f"got:\n{got or '(nothing)'}"
                )
        return None


class NativeJSONParser:
    """Check that every ```json block is a native catalogue, written exactly as libkurs writes it.

    So a page that shows the format cannot drift from it: the block must load, and
    :func:`libkurs.dumps` of what it loads must give back the same text.
    """

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(language="json")

    def __call__(self, document: Document) -> Iterable[Region]:
        """Yield one example per JSON block of *document*."""
        for lexed in self.lexer(document):
            yield Region(lexed.start, lexed.end, str(lexed.lexemes["source"]), self.evaluate)

    @staticmethod
    def evaluate(example: Example) -> str | None:
        """Load the block and write it again; describe any difference."""
        shown: str = example.parsed
        written = libkurs.dumps(libkurs.loads(shown, "json"), "json")
        if written == shown:
            return None
        diff = difflib.unified_diff(
            shown.splitlines(keepends=True), written.splitlines(keepends=True), "shown", "written"
        )
        return "the JSON is not as libkurs writes it:\n" + "".join(diff)


class SourceModule(PythonDocStringDocument):
    """A module of ``src/``, whose docstring examples run in the module's own namespace.

    The module is imported by the dotted name its path under ``src/`` gives it, so that a
    package still without an ``__init__.py`` does not confuse Sybil's guess.
    """

    def import_document(self, _example: Example) -> None:
        """Import the module before its first example, and make its names the namespace."""
        relative = Path(self.path).relative_to(SRC).with_suffix("")
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        self.namespace.update(vars(importlib.import_module(".".join(parts))))
        self.pop_evaluator(self.import_document)
        raise NotEvaluated


_MARKDOWN_PARSERS = [
    PythonCodeBlockParser(doctest_optionflags=DOCTEST_FLAGS),
    PyconParser(),
    SkipParser(),
]

pytest_collect_file = SybilCollection(
    [
        Sybil(
            name="docs",
            parsers=[*_MARKDOWN_PARSERS, ConsoleParser(), NativeJSONParser()],
            path="docs",
            patterns=["*.md"],
            fixtures=["_in_repository_root"],
        ),
        Sybil(
            name="readme",
            parsers=_MARKDOWN_PARSERS,
            filenames=["README.md"],
            excludes=["*/*"],  # only the README.md at the root
            fixtures=["_in_repository_root"],
        ),
        Sybil(
            name="docstrings",
            parsers=[DocTestParser(optionflags=DOCTEST_FLAGS)],
            path="src",
            patterns=["*.py"],
            document_types={".py": SourceModule},
            excludes=["__main__.py"],
            fixtures=["_in_repository_root"],
        ),
    ]
).pytest()
