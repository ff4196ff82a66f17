"""Streaming a JSON file that is one array of objects (Trakt's export files), entry by entry.

The file is decoded incrementally and each entry parsed as soon as it is whole, so memory stays
bounded by the largest allowed entry (256 KiB) whatever the size of the file; the bytes read
are the upload's (or the zip budget's) to count. Problems name the file and the line.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from api.errors import BadUpload

MAX_ENTRY_CHARS = 256 * 1024
_CHUNK_BYTES = 64 * 1024
_WHITESPACE = re.compile(r"[ \t\n\r]*")


class JsonArray:
    """A JSON stream; `top_level()` tells whether it is an array, `entries()` reads it."""

    def __init__(self, raw: BinaryIO, name: str) -> None:
        self.name = name
        self._raw = raw
        self._text = codecs.getincrementaldecoder("utf-8")()
        self._decoder = json.JSONDecoder()
        self._buffer = ""
        self._pos = 0
        self._line = 1  # the line self._pos is on
        self._eof = False
        self._first: tuple[int, dict[str, Any]] | None = None
        self._count = 0
        self._started = False

    def top_level(self) -> str:
        """The first character that is not white space ("[" for an array, "" for none)."""
        char = self._peek()
        if char == "\ufeff" and self._line == 1 and self._pos == 0:
            self._pos += 1  # a byte order mark, added by some editors
            char = self._peek()
        return char

    def first(self) -> dict[str, Any] | None:
        """The array's first entry (kept for `entries()`), or None when the array is empty."""
        if self._first is None and not self._started:
            self._started = True
            self._expect("[")
            self._first = self._next_entry()
        return None if self._first is None else self._first[1]

    def entries(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(line, entry) for every entry, in file order; BadUpload for anything malformed."""
        self.first()
        if self._first is None:
            return
        yield self._first
        while (entry := self._next_entry()) is not None:
            yield entry
        if self._peek() != "":
            raise self.error(self._line, "there is more text after the end of the JSON array")

    def error(self, line: int, problem: str) -> BadUpload:
        """The upload error for a problem on one line of this file."""
        return BadUpload(f"{self.name}, line {line}: {problem}")

    def _next_entry(self) -> tuple[int, dict[str, Any]] | None:
        char = self._peek()
        if char == "]":
            self._advance(self._pos + 1)
            return None
        if self._count:
            if char != ",":
                raise self._unexpected(char, "a comma or ']'")
            self._advance(self._pos + 1)
            char = self._peek()
        if char != "{":
            raise self._unexpected(char, f"entry {self._count + 1} as an object '{{'")
        line = self._line
        while True:
            try:
                entry, end = self._decoder.raw_decode(self._buffer, self._pos)
                break
            except json.JSONDecodeError as problem:
                if not self._eof and len(self._buffer) - self._pos <= MAX_ENTRY_CHARS:
                    self._fill()
                    continue
                at = self._line + self._buffer.count("\n", self._pos, problem.pos)
                rest = self._buffer[problem.pos :]
                cut_short = self._eof and (not rest.strip() or problem.msg.startswith("Unterminated"))
                raise self.error(at, _decode_problem(problem.msg, cut_short)) from None
            except (ValueError, RecursionError):
                raise self.error(line, "an entry holds a number that long or nests that deep") from None
        if end - self._pos > MAX_ENTRY_CHARS:
            raise self.error(line, f"an entry is longer than {MAX_ENTRY_CHARS // 1024} KiB")
        self._advance(end)
        self._count += 1
        return line, entry

    def _expect(self, char: str) -> None:
        found = self._peek()
        if found != char:
            raise self._unexpected(found, f"{char!r} (Trakt's export files are JSON arrays)")
        self._advance(self._pos + 1)

    def _unexpected(self, found: str, wanted: str) -> BadUpload:
        if found == "":
            return self.error(self._line, f"the file ends where {wanted} should follow")
        return self.error(self._line, f"expected {wanted} but found {found!r}")

    def _peek(self) -> str:
        """The next character that is not white space ("" at the end), reading more as needed."""
        while True:
            match = _WHITESPACE.match(self._buffer, self._pos)
            assert match is not None  # the pattern matches the empty string
            self._advance(match.end())
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            if self._eof:
                return ""
            self._fill()

    def _advance(self, end: int) -> None:
        self._line += self._buffer.count("\n", self._pos, end)
        self._pos = end

    def _fill(self) -> None:
        if self._pos:
            self._buffer = self._buffer[self._pos :]
            self._pos = 0
        data = self._raw.read(_CHUNK_BYTES)
        try:
            self._buffer += self._text.decode(data, final=not data)
        except UnicodeDecodeError:
            near = self._line + self._buffer.count("\n")
            raise BadUpload(
                f"{self.name} is not UTF-8 text (near line {near}): upload the file as exported"
            ) from None
        self._eof = not data


def _decode_problem(message: str, cut_short: bool) -> str:
    if cut_short:
        return "the file ends in the middle of an entry: it is cut short"
    return f"it is not valid JSON ({message.lower().removesuffix(' at')})"
