"""Parse a multipart/form-data body the way a server would, to check what a client really sent."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def parse(body: bytes, content_type: str) -> list[Part]:
    """The parts of a multipart body; ``content_type`` is the request header with its boundary."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    assert message.get_content_maintype() == "multipart", f"not a multipart body: {content_type}"
    if not message.is_multipart():  # a body with no part at all
        return []
    parts = []
    for part in message.iter_parts():
        assert isinstance(part, Message)
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts.append(
            Part(
                name=str(part.get_param("name", header="content-disposition")),
                filename=part.get_filename(),
                content_type=part.get("content-type"),
                data=payload,
            )
        )
    return parts
