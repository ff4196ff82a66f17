"""The members of an export zip, checked for unsafe names and inflated under a byte budget."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from api.errors import BadUpload, UploadTooLarge
from api.letterboxd.kinds import normalise_path

MAX_MEMBERS = 5000
_DRIVE = re.compile(r"^[A-Za-z]:")


class InflateBudget:
    """Bytes that all members of one upload may inflate to, together."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit

    def spend(self, count: int) -> None:
        """Account for `count` inflated bytes; past the limit the upload is refused as too large."""
        self.left -= count
        if self.left < 0:
            raise UploadTooLarge(
                f"The zip inflates to more than {self.limit // (1024 * 1024)} MB; "
                "an export is far smaller, so it is not one"
            )


class _Budgeted(io.RawIOBase):
    """A member stream that charges what it inflates to the upload's budget, as it reads."""

    def __init__(self, inner: BinaryIO, budget: InflateBudget) -> None:
        self._inner = inner
        self._budget = budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        self._budget.spend(len(data))
        buffer[: len(data)] = data
        return len(data)


def _check_name(archive: str, member: str) -> None:
    path = member.replace("\\", "/")
    if path.startswith("/") or _DRIVE.match(path) or ".." in path.split("/"):
        raise BadUpload(
            f"{archive} contains an unsafe file name ({member[:80]!r}): "
            "names with '..' or absolute paths are refused"
        )


@contextmanager
def open_zip(raw: BinaryIO, archive: str) -> Iterator[tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]]:
    """The zip and its files, after checking every name; BadUpload for a damaged or unsafe zip."""
    try:
        archive_file = zipfile.ZipFile(raw)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BadUpload(f"{archive} is not a valid zip file") from None
    with archive_file:
        infos = archive_file.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BadUpload(f"{archive} holds {len(infos)} files; an export holds far fewer")
        for info in infos:
            _check_name(archive, info.filename)
        yield archive_file, [info for info in infos if not info.is_dir()]


@contextmanager
def open_member(
    archive_file: zipfile.ZipFile, archive: str, info: zipfile.ZipInfo, budget: InflateBudget
) -> Iterator[BinaryIO]:
    """Open one member for streaming; its inflated bytes are charged to `budget` as they are read."""
    name = normalise_path(info.filename)
    if info.flag_bits & 0x1:
        raise BadUpload(f"{archive}: {name} is encrypted; upload the export without a password")
    if info.file_size > budget.left:
        budget.spend(info.file_size)  # its declared size alone is over the limit
    try:
        with archive_file.open(info) as member:
            yield io.BufferedReader(_Budgeted(member, budget), buffer_size=64 * 1024)  # type: ignore[arg-type]
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise BadUpload(f"{archive}: {name} is damaged and cannot be unzipped") from None
    except NotImplementedError:
        raise BadUpload(f"{archive}: {name} uses a compression method that is not supported") from None
