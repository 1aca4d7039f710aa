"""The bulk provision upload, read as a stream: refused at its 1001st asset row without reading the rest.

The multipart body is parsed as it arrives (python-multipart's push parser, the one starlette uses), and the
``data`` part is passed through :class:`RowCounter`, which finds the ends of CSV records (RFC 4180 quoting:
a newline inside quotes does not end a record) and keeps the bytes of at most the header and 1000 rows.
The file name is checked as soon as the part's headers are in, so a wrong extension (ERR-2052) is refused
before any of its content is read. A 100 MB file of 5 million rows therefore costs the simulator the first
1001 rows, not 5 million parsed dicts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from ..errors import SimError
from ..limits import MAX_BODY, clip, too_large

#: Bytes handed to the parsers at a time: an in-process client delivers the whole body as one chunk.
_SLICE = 64 * 1024
#: The other parts of a bulk upload (the spec allows none): each this small, and this few.
_MAX_OTHER_PART = 64 * 1024
_MAX_PARTS = 16


class RowCounter:
    """Collects a CSV file's bytes up to its ``max_rows``-th record after the header, and refuses the next one."""

    def __init__(self, max_rows: int, max_bytes: int = MAX_BODY) -> None:
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.data = bytearray()
        self.records = 0  # non-blank records ended so far, the header included
        self._in_quotes = False
        self._record_start = 0
        self._scanned = 0

    def feed(self, chunk: bytes | memoryview) -> None:
        """Take the next bytes of the file; refuses the file at its record past ``max_rows``."""
        for start in range(0, len(chunk), _SLICE):
            self._feed(chunk[start : start + _SLICE])

    def _feed(self, chunk: bytes | memoryview) -> None:
        if len(self.data) + len(chunk) > self.max_bytes:
            raise too_large(self.max_bytes)
        self.data += chunk
        data, pos, end = self.data, self._scanned, len(self.data)
        # The next quote and newline at or after pos, found once each and reused until pos passes them
        # (searching again at every quote would cost quadratic time on a line full of quotes).
        quote = newline = -2
        while pos < end:
            if quote != -1 and quote < pos:
                quote = data.find(b'"', pos)
            if self._in_quotes:
                if quote == -1:
                    break
                self._in_quotes, pos = False, quote + 1
                continue
            if newline != -1 and newline < pos:
                newline = data.find(b"\n", pos)
            if quote != -1 and (newline == -1 or quote < newline):
                self._in_quotes, pos = True, quote + 1
                continue
            if newline == -1:
                break
            self._end_record(newline)
            pos = newline + 1
        self._scanned = end

    def _end_record(self, stop: int) -> None:
        if self.data[self._record_start : stop].strip(b"\r"):  # csv skips empty lines; so does the count
            self.records += 1
            if self.records > self.max_rows + 1:
                limit = self.max_rows
                raise SimError(400, f"More than {limit} assets in one file; at most {limit} are allowed")
        self._record_start = stop + 1

    def finish(self) -> bytes:
        """The file's bytes, once the stream has ended (counting a last record without a newline)."""
        if not self._in_quotes:
            self._end_record(len(self.data))
        return bytes(self.data)


class _Part:
    def __init__(self) -> None:
        self.headers: dict[bytes, bytes] = {}
        self.name = ""
        self.filename: str | None = None
        self.rows: RowCounter | None = None
        self.data = bytearray()


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SimError(400, "a multipart header is not UTF-8 text") from None


class _FormReader:
    """python-multipart callbacks that build the parts, the ``file_field`` part through a :class:`RowCounter`."""

    def __init__(self, file_field: str, max_rows: int, check_filename: Callable[[str], None]) -> None:
        self.file_field = file_field
        self.max_rows = max_rows
        self.check_filename = check_filename
        self.parts: list[_Part] = []
        self.ended = False
        self._name = bytearray()
        self._value = bytearray()

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self.on_part_begin, "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value, "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished, "on_part_data": self.on_part_data, "on_end": self.on_end,
        }  # fmt: skip

    def on_part_begin(self) -> None:
        if len(self.parts) >= _MAX_PARTS:
            raise SimError(400, f"malformed form body: more than {_MAX_PARTS} parts")
        self.parts.append(_Part())

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._name.extend(data[start:end])

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value.extend(data[start:end])

    def on_header_end(self) -> None:
        self.parts[-1].headers[bytes(self._name).lower()] = bytes(self._value)
        self._name.clear()
        self._value.clear()

    def on_headers_finished(self) -> None:
        part = self.parts[-1]
        disposition, params = parse_options_header(part.headers.get(b"content-disposition", b""))
        if disposition != b"form-data" or b"name" not in params:
            raise SimError(400, "malformed form body: a part without a form-data name")
        part.name = _text(params[b"name"])
        if b"filename" in params:
            part.filename = _text(params[b"filename"])
        if part.name == self.file_field:
            # The file name is checked before any of the content is read (ERR-2052 for the bulk file).
            self.check_filename(part.filename or "")
            part.rows = RowCounter(self.max_rows)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self.parts[-1]
        if part.rows is not None:
            part.rows.feed(memoryview(data)[start:end])
            return
        if len(part.data) + end - start > _MAX_OTHER_PART:
            raise SimError(400, clip(f"malformed form body: part {part.name!r} is larger than {_MAX_OTHER_PART} bytes"))
        part.data.extend(data[start:end])

    def on_end(self) -> None:
        self.ended = True

    def form(self) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        if not self.ended:
            raise SimError(400, "malformed form body: the multipart body ends before its closing boundary")
        fields: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        for part in self.parts:
            content = part.rows.finish() if part.rows is not None else bytes(part.data)
            files[part.name] = (part.filename or "", content)
            if part.filename is not None:
                fields[part.name] = part.filename
                continue
            try:
                fields[part.name] = content.decode("utf-8")
            except UnicodeDecodeError:
                raise SimError(400, clip(f"malformed form body: field {part.name!r} is not UTF-8 text")) from None
        return fields, files


async def read_bulk_upload(
    request: Request, *, file_field: str, max_rows: int, check_filename: Callable[[str], None]
) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """The form of a bulk provision upload, as ``gateway`` decodes forms.

    ``{name: filename or text}`` and ``{name: (filename, bytes)}``; ``file_field``'s content is read through a
    :class:`RowCounter`.
    """
    _, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if not boundary:
        raise SimError(400, "malformed form body: the multipart Content-Type has no boundary")
    reader = _FormReader(file_field, max_rows, check_filename)
    parser = MultipartParser(boundary, reader.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            for start in range(0, len(chunk), _SLICE):
                parser.write(chunk[start : start + _SLICE])
        parser.finalize()
    except SimError:
        raise
    except ClientDisconnect:
        raise
    except Exception as exc:  # python-multipart raises several types for a broken body
        raise SimError(400, clip(f"malformed form body: {exc}")) from None
    return reader.form()
