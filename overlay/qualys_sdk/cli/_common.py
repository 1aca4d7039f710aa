"""What every ``qualys`` command shares: connection options, output, and one-line errors with exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, is_dataclass
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from .._errors import (
    APIConnectionError,
    AuthenticationError,
    ConfigurationError,
    InputValidationError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    QualysError,
    RateLimitError,
)
from .._sync._client import Qualys

T = TypeVar("T")
console = Console(stderr=True)

#: Exit codes beyond the error classes below (0: success; 1: an unexpected error).
EXIT_ROWS_FAILED = 8  # the command ran, but some rows or records failed
EXIT_REFUSED = 9  # the server refused the request (an API error with no more specific code)
EXIT_CONTRACT_DRIFT = 10  # `qualys contract check` found a breaking difference
EXIT_RESOURCE = 11  # a local resource is unavailable (a port in use for `sim serve`)
EXIT_INTERRUPTED = 130  # Ctrl-C

#: Exit codes, from the most specific class up: scripts can tell what went wrong.
EXIT_CODES: list[tuple[type[QualysError], int, str]] = [
    (InputValidationError, 2, "fix the input and run again"),
    (ConfigurationError, 2, "pass --username/--password/--platform, set QUALYS_*, or write a config profile"),
    (AuthenticationError, 3, "check the username and password (or the platform)"),
    (PermissionDeniedError, 3, "the user or subscription may not use this API"),
    (NotFoundError, 4, "check the id"),
    (RateLimitError, 5, "wait and run again, or lower --concurrency"),
    (OutcomeUnknownError, 6, "check the server's state before repeating (bulk runs: --resume the journal)"),
    (APIConnectionError, 7, "check the network, proxy and platform URL"),
]


@dataclass
class Options:
    """Connection and output options of the ``qualys`` command line."""

    username: str | None = None
    password: str | None = None
    platform: str | None = None
    gateway_url: str | None = None
    api_url: str | None = None
    profile: str | None = None
    config: str | None = None
    json: bool = False
    debug: bool = False


def options(ctx: typer.Context) -> Options:
    found = ctx.find_object(Options)
    return found if found is not None else Options()


def client(ctx: typer.Context) -> Qualys:
    """A ``Qualys`` client from the command line's options, then QUALYS_* variables, then the config file."""
    o = options(ctx)
    return Qualys(username=o.username, password=o.password, platform=o.platform, gateway_url=o.gateway_url,
                  api_url=o.api_url, profile=o.profile, config_file=o.config)  # fmt: skip


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and not isinstance(value, str | int | float | bool):
        return str(value)
    return value


def emit(ctx: typer.Context, value: Any, human: Callable[[Any], None] | None = None) -> None:
    """Print a result: JSON with --json (for scripts), else the human form."""
    if options(ctx).json or human is None:
        sys.stdout.write(json.dumps(_plain(value), indent=2, default=str) + "\n")
    else:
        human(value)


@contextmanager
def errors(ctx: typer.Context) -> Iterator[None]:
    """One clear line per error (what, and what to do) and a meaningful exit code; a traceback only with --debug."""
    try:
        yield
    except QualysError as exc:
        if options(ctx).debug:
            raise
        code, hint = 1, "run again with --debug for details"
        for cls, exit_code, advice in EXIT_CODES:
            if isinstance(exc, cls):
                code, hint = exit_code, advice
                break
        console.print(f"[red]error:[/red] {type(exc).__name__}: {exc}", highlight=False, soft_wrap=True)
        if isinstance(exc, InputValidationError):
            for problem in exc.problems[1:20]:
                console.print(f"  {problem}", highlight=False, soft_wrap=True)
        console.print(f"[dim]{hint}[/dim]", highlight=False)
        raise typer.Exit(code) from None
    except OSError as exc:  # a file the command was given cannot be read or written
        if options(ctx).debug:
            raise
        console.print(f"[red]error:[/red] {exc.strerror or exc}: {exc.filename or ''}", highlight=False)
        raise typer.Exit(2) from None


def confirm(action: str, yes: bool) -> None:
    """Destructive commands run only when asked for in that command: --yes, or an answer at the prompt."""
    if yes:
        return
    if not sys.stdin.isatty():
        console.print(f"[red]error:[/red] refusing to {action} without --yes", highlight=False)
        raise typer.Exit(2)
    typer.confirm(f"{action}?", abort=True)


Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do it without asking.")]
