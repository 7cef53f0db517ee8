"""LALR parsers of the grammar files that ship beside their modules, built once each."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lark import Lark


@functools.cache
def lalr_parser(grammar: Path) -> Lark:
    """The parser of ``grammar``, with positions kept for error messages."""
    from lark import Lark

    return Lark(
        grammar.read_text(encoding="utf-8"),
        parser="lalr",
        propagate_positions=True,
        maybe_placeholders=False,
    )
