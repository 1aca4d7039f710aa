"""A griffe extension for the API reference: the overlay's docstrings, written for ``help()`` and IDEs, as Markdown.

The docstrings use two reST habits that Markdown would show as they are typed:

- roles such as ``:class:`Qualys``` and ``:meth:`~.oca.AsyncOCA.provision```, shown here as code
  (``Qualys``, ``provision``), as Sphinx shows them;
- literal blocks: a paragraph ending in ``::`` and the indented block after it, shown here as a fenced block
  (Python when it parses as Python).

mkdocs.yml loads this file (``extensions:`` of the python handler). The test suite imports
:func:`literal_blocks` to run every Python example the reference shows (tests/unit/test_docs.py); it has no
griffe, so the extension class exists only where griffe does.
"""

from __future__ import annotations

import ast
import re
import textwrap
from typing import Any

_ROLE = re.compile(r":(?:class|func|meth|mod|attr|exc|data|obj):`(~?)([^`]+)`")
# A paragraph line ending in "::", a blank line, then the indented block (its lines, and blank lines inside it).
_LITERAL = re.compile(r"^(?P<lead>[^\n]*?):(?P<colon>:)\n\n(?P<body>(?:(?: {4}[^\n]*)?\n)*(?: {4}[^\n]*)\n?)", re.M)


def _role(match: re.Match[str]) -> str:
    short, target = match.groups()
    target = target.lstrip(".")
    return f"`{target.rsplit('.', 1)[-1] if short else target}`"


def is_python(code: str) -> bool:
    """Whether ``code`` parses as Python (top-level ``await`` allowed, as in ``python -m asyncio``)."""
    try:
        compile(code, "<docstring>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT | ast.PyCF_ONLY_AST)
    except SyntaxError:
        return False
    return True


def literal_blocks(docstring: str) -> list[str]:
    """The literal blocks of a docstring as ``inspect.getdoc`` gives it (the indented blocks after a ``::``)."""
    return [textwrap.dedent(m.group("body")).strip("\n") + "\n" for m in _LITERAL.finditer(docstring + "\n")]


def to_markdown(docstring: str) -> str:
    """A docstring with its roles as code and its literal blocks as fenced blocks."""

    def fence(match: re.Match[str]) -> str:
        code = textwrap.dedent(match.group("body")).strip("\n")
        language = "python" if is_python(code) else "text"
        lead = match.group("lead")
        return f"{lead}:\n\n```{language}\n{code}\n```\n" if lead.strip() else f"```{language}\n{code}\n```\n"

    return _ROLE.sub(_role, _LITERAL.sub(fence, docstring + "\n")).rstrip("\n")


try:
    import griffe
except ImportError:  # the test suite: only the functions above are used
    griffe = None

if griffe is not None:

    class RstToMarkdown(griffe.Extension):  # type: ignore[misc,name-defined]
        """Rewrites each docstring once, as its object is created, before any is parsed."""

        def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
            if obj.docstring is not None:
                obj.docstring.value = to_markdown(obj.docstring.value)
