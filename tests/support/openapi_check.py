"""Validate recorded exchanges against an OpenAPI spec with openapi-core.

openapi-core decodes multipart and form bodies by their *named* properties
only: a multipart schema that is all ``additionalProperties`` (the upload of
command output, where each field is named by its command) reaches its
validator as ``{}``. For those bodies the decoded parts are validated against
the same spec schema with openapi-schema-validator instead; every other
check stays with openapi-core.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.request.exceptions import InvalidRequestBody
from openapi_schema_validator import OAS30Validator
from werkzeug.datastructures import Headers, ImmutableMultiDict

from qualys_sdk.testing.cassettes import Interaction

from . import multipart, spec


@cache
def openapi(name: str) -> OpenAPI:
    return OpenAPI.from_dict(spec.load(name), base_uri=f"file:///specs/{name}")


class _Request:
    """The openapi-core request protocol over a recorded request."""

    def __init__(self, interaction: Interaction) -> None:
        url = urlsplit(interaction.uri)
        self.host_url = f"{url.scheme}://{url.netloc}"
        self.path = url.path
        self.method = interaction.method.lower()
        self.body = interaction.request_body or None
        self.content_type = (interaction.request_header("content-type") or "").lower()
        headers = Headers([(k, v) for k, values in interaction.request_headers.items() for v in values])
        self.parameters = RequestParameters(query=ImmutableMultiDict(parse_qsl(url.query)), header=headers)


class _Response:
    """The openapi-core response protocol over a recorded response."""

    def __init__(self, interaction: Interaction) -> None:
        self.status_code = interaction.status
        self.headers = Headers([(k, v) for k, values in interaction.response_headers.items() for v in values])
        self.content_type = (self.headers.get("content-type") or "").lower()
        self.data = interaction.response_body


def _free_form_multipart_schema(name: str, operation_id: str) -> dict[str, Any] | None:
    body = spec.resolve(name, spec.operation(name, operation_id).definition.get("requestBody"))
    media = (body or {}).get("content", {}).get("multipart/form-data")
    if media is None:
        return None
    schema = spec.inline(name, media["schema"])
    return schema if "additionalProperties" in schema and not schema.get("properties") else None


def request_errors(name: str, operation_id: str, interaction: Interaction) -> list[str]:
    errors = list(openapi(name).iter_request_errors(_Request(interaction)))
    free_form = _free_form_multipart_schema(name, operation_id)
    problems = [f"{type(e).__name__}: {e} {e.__cause__ or ''}" for e in errors]
    if free_form is not None:
        problems = [p for p, e in zip(problems, errors, strict=True) if not isinstance(e, InvalidRequestBody)]
        content_type = interaction.request_header("content-type") or ""
        fields = {
            part.name: part.data.decode("utf-8") for part in multipart.parse(interaction.request_body, content_type)
        }
        # OAS "binary" strings travel as text here: validate the field names and count.
        validator = OAS30Validator(free_form)
        problems += [f"multipart body: {e.message}" for e in validator.iter_errors(fields)]
    return problems


def response_errors(name: str, interaction: Interaction) -> list[str]:
    errors = openapi(name).iter_response_errors(_Request(interaction), _Response(interaction))
    return [f"{type(e).__name__}: {e} {e.__cause__ or ''}" for e in errors]
