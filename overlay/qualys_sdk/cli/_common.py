"""What every ``qualys`` command shares: the root command and its options, output on the right stream, and
one-line errors with the documented exit codes.

Results (tables, values, JSON) go to stdout (:func:`table`, :func:`emit`, the ``out`` console); progress,
logs, warnings and errors go to stderr (the ``console`` console, :func:`say`). ``qualys --help`` loads this
module and typer, nothing else of the command line: a subcommand's module is imported when that subcommand
runs (or shows its own help), rich when something is printed with it (tests/bench/bench_import.py).
"""

from __future__ import annotations

import difflib
import functools
import importlib
import json
import logging
import os
import sys
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from .. import __version__
from .._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    InputValidationError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    QualysError,
    RateLimitError,
    ResponseFormatError,
)
from . import extra_for

if TYPE_CHECKING:
    import httpx
    from rich.console import Console

    from .._sync._client import Qualys

    #: stderr: progress, logs, warnings and errors (a rich console, made when first used).
    console: Console
    #: stdout: results (a rich console, made when first used).
    out: Console

# Exit codes: one table, shown by `qualys --help`; every command exits with one of these.
EXIT_OK = 0
EXIT_UNEXPECTED = 1  # a bug or an unforeseen failure: --debug shows the traceback
EXIT_INPUT = 2  # bad input, option or configuration; nothing was sent
EXIT_AUTH = 3  # authentication failed, or permission denied
EXIT_NOT_FOUND = 4
EXIT_RATE_LIMITED = 5
EXIT_OUTCOME_UNKNOWN = 6  # a call not safe to repeat may or may not have been applied; a bulk run left rows unknown
EXIT_CONNECTION = 7  # no connection, or no answer in time
EXIT_ROWS_FAILED = 8  # the command ran, but some rows or records failed
EXIT_REFUSED = 9  # the server refused the request (an API error with no more specific code)
EXIT_CONTRACT_DRIFT = 10  # `qualys contract check` found a breaking difference
EXIT_RESOURCE = 11  # a local resource is unavailable (a port in use for `sim serve`, a missing extra)
EXIT_INTERRUPTED = 130  # Ctrl-C

EXIT_TABLE: list[tuple[int, str]] = [
    (EXIT_OK, "success"),
    (EXIT_UNEXPECTED, "unexpected error (--debug shows the traceback)"),
    (EXIT_INPUT, "bad input, option or configuration: nothing was sent"),
    (EXIT_AUTH, "authentication failed, or permission denied"),
    (EXIT_NOT_FOUND, "not found"),
    (EXIT_RATE_LIMITED, "rate limited: wait and run again"),
    (EXIT_OUTCOME_UNKNOWN, "outcome unknown: check before repeating (bulk: --resume the journal)"),
    (EXIT_CONNECTION, "no connection, or no answer in time"),
    (EXIT_ROWS_FAILED, "some rows failed (the others were done)"),
    (EXIT_REFUSED, "the server refused the request"),
    (EXIT_CONTRACT_DRIFT, "contract drift: an answer not in the documented shape (qualys contract check)"),
    (EXIT_RESOURCE, "a local resource is unavailable (a port in use, a missing extra)"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
]

# "\b": the help keeps the table's lines as they are.
EPILOG = "\b\nExit codes:\n" + "\n".join(f"  {code:<4} {meaning}" for code, meaning in EXIT_TABLE)

#: Exit code and what to do, by error class, the most specific class first.
EXIT_CODES: list[tuple[type[QualysError], int, str]] = [
    (InputValidationError, EXIT_INPUT, "fix the input and run again"),
    (ConfigurationError, EXIT_INPUT,
     "pass --username, --password and --platform (or --gateway-url and --api-url), set QUALYS_*, or use --profile"),
    (AuthenticationError, EXIT_AUTH, "check the username and password, and the platform (--platform)"),
    (PermissionDeniedError, EXIT_AUTH, "the user or subscription may not use this API: ask your Qualys admin"),
    (NotFoundError, EXIT_NOT_FOUND, "check the id"),
    (RateLimitError, EXIT_RATE_LIMITED, "wait and run again (bulk: with a lower --concurrency)"),
    (OutcomeUnknownError, EXIT_OUTCOME_UNKNOWN,
     "check the server's state before repeating (bulk runs: --resume the journal)"),
    (APIConnectionError, EXIT_CONNECTION,
     "check that the host is up, the network and proxy, and --platform or --gateway-url/--api-url"),
    (APIStatusError, EXIT_REFUSED, "the server refused the request: check the values sent"),
    (ResponseFormatError, EXIT_CONTRACT_DRIFT,
     "the answer is not in the shape the specs document: `qualys contract check` shows where it differs"),
]  # fmt: skip

JSON_HELP = "Print the result as JSON on stdout, for scripts (the shape is in each command's help)."
VERBOSE_HELP = "Show retries and waits on stderr (the qualys_sdk log at INFO; QUALYS_LOG=debug for more)."
DEBUG_HELP = "Show the traceback of an error instead of one line."


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
    verbose: bool = False


def options(ctx: typer.Context) -> Options:
    found = ctx.find_object(Options)
    return found if found is not None else Options()


# -- output ---------------------------------------------------------------------------------------------------


def _console(name: str) -> Console:
    made = globals().get(name)
    if made is None:
        from rich.console import Console  # noqa: PLC0415  # rich only when something is printed with it

        made = Console(stderr=True) if name == "console" else Console()
        globals()[name] = made
    return made


def __getattr__(name: str) -> Any:
    """``console`` (stderr) and ``out`` (stdout) are made when first imported or used."""
    if name in ("console", "out"):
        return _console(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def say(text: str) -> None:
    """One line on stderr, as it is (no markup)."""
    typer.echo(text, err=True)


def error_line(text: str) -> None:
    """``error: text`` on stderr."""
    typer.echo(typer.style("error:", fg="red", bold=True) + " " + " ".join(text.split()), err=True)


def plain(value: Any) -> Any:
    """A result as JSON values: dataclasses as objects (every field, null when unset), times in ISO 8601."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "to_datetime"):  # xsdata's XmlDateTime is a named tuple
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and not isinstance(value, str | int | float | bool):
        return str(value)
    return value


def emit(ctx: typer.Context, value: Any, human: Callable[[Any], None] | None = None) -> None:
    """Print a result on stdout: JSON with --json (for scripts), else the human form."""
    if options(ctx).json or human is None:
        sys.stdout.write(json.dumps(plain(value), indent=2, default=str) + "\n")
        sys.stdout.flush()
    else:
        human(value)


def cell(value: Any) -> str:
    """A value as a table shows it: nothing for None, yes/no for booleans, ISO 8601 for times."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple) and not hasattr(value, "to_datetime"):
        return ", ".join(cell(v) for v in value)
    converted = plain(value)
    return converted if isinstance(converted, str) else str(converted)


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, whole: Collection[str] = (),
          title: str | None = None) -> None:  # fmt: skip
    """Print a table of results on stdout; its headers are the JSON field names of the same result.

    Columns named in ``whole`` (ids, UUIDs, activation keys) are never wrapped or cut: on a terminal the
    other columns wrap first and the table grows past the terminal's width rather than cut one; to a file
    or a pipe the table is as wide as its widest row.
    """
    from rich import box  # noqa: PLC0415
    from rich.console import Console  # noqa: PLC0415
    from rich.measure import Measurement  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415
    from rich.text import Text  # noqa: PLC0415

    shown = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=title, title_justify="left")
    for name in columns:
        shown.add_column(name, no_wrap=name in whole)
    for row in rows:
        shown.add_row(*(Text(cell(value)) for value in row))
    target = _console("out")
    measured = Measurement.get(target, target.options.update_width(1 << 16), shown)
    width = max(target.width, measured.minimum) if target.is_terminal else measured.maximum
    Console(file=target.file, width=width, force_terminal=target.is_terminal, highlight=False).print(shown)


# -- errors -----------------------------------------------------------------------------------------------------


class OptionError(ConfigurationError):
    """A command-line option that cannot work, with what to do about it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


PLATFORM_HINT = "pass --platform with one of them, or --gateway-url and --api-url (private clouds, the simulator)"


def _where(exc: APIConnectionError) -> str | None:
    request = exc.request
    if request is None:
        return None
    url = request.url
    port = url.port or {"https": 443, "http": 80}.get(url.scheme, 0)
    return f"{url.host}:{port}"


def _connection_message(exc: APIConnectionError) -> str:
    where = _where(exc)
    if where is None:
        return str(exc)
    cause = str(exc).split(" failed: ", 1)[-1]
    if isinstance(exc, APITimeoutError):
        return f"no answer from {where} in time ({cause})"
    return f"cannot connect to {where} ({cause})"


def _configuration_message(message: str, hint: str) -> tuple[str, str]:
    """The library speaks Python (``gateway_url=``); the command line's words are its flags."""
    if message.startswith("unknown Qualys platform"):
        message = message.split(" (or pass", 1)[0]
        hint = PLATFORM_HINT
    elif "no profile [" in message:
        hint = "pick one of those with --profile, or add the profile to the config file"
    return message, hint


def describe(exc: QualysError, *, not_found: str | None = None) -> tuple[int, str]:
    """The exit code for an error, and the one line that says what went wrong and what to do."""
    code, hint = EXIT_UNEXPECTED, "run again with --debug for the details"
    for cls, exit_code, advice in EXIT_CODES:
        if isinstance(exc, cls):
            code, hint = exit_code, advice
            break
    message = " ".join(str(exc).split())
    if isinstance(exc, NotFoundError) and not_found:
        hint = not_found
    elif isinstance(exc, RateLimitError) and exc.retry_after:
        hint = f"wait {exc.retry_after:g}s and run again (bulk: with a lower --concurrency)"
    elif isinstance(exc, APIConnectionError):
        message = _connection_message(exc)
    elif isinstance(exc, OptionError):
        hint = exc.hint
    elif isinstance(exc, ConfigurationError):
        message, hint = _configuration_message(message, hint)
    elif isinstance(exc, InputValidationError) and len(exc.problems) > 1:
        message = f"{len(exc.problems)} input problems"
    return code, f"{message} ({type(exc).__name__}); {hint}"


def fail(exc: QualysError, *, not_found: str | None = None) -> typer.Exit:
    """Print an error as one line (an input error: and its problems, one a line); the Exit to raise."""
    code, line = describe(exc, not_found=not_found)
    error_line(line)
    if isinstance(exc, InputValidationError) and len(exc.problems) > 1:
        for problem in exc.problems[:20]:
            say(f"  {problem}")
        if len(exc.problems) > 20:
            say(f"  ... and {len(exc.problems) - 20} more")
    return typer.Exit(code)


@contextmanager
def errors(ctx: typer.Context, *, not_found: str | None = None) -> Iterator[None]:
    """One clear line per error (what, and what to do) and its exit code; a traceback only with --debug.

    ``not_found``: what to do when the server says the thing asked for does not exist.
    """
    try:
        yield
    except QualysError as exc:
        if options(ctx).debug:
            raise
        raise fail(exc, not_found=not_found) from None
    except OSError as exc:  # a file the command was given cannot be read or written
        if options(ctx).debug:
            raise
        error_line(f"{exc.strerror or exc}: {exc.filename or ''}; check the path")
        raise typer.Exit(EXIT_INPUT) from None


def need_extra(exc: ImportError, extra: str | None = None) -> typer.Exit:
    """A module of an extra is missing: say which extra to install; the Exit to raise (anything else: re-raised).

    ``extra``: the extra the command needs, when it is not the one that first brings the module (the
    contract check needs the validators, which ``[contract]`` brings without the simulator).
    """
    if extra_for(exc) is None:
        raise exc
    extra = extra or extra_for(exc)
    missing = (exc.name or "").split(".")[0]
    error_line(f"this command needs the [{extra}] extra ({missing} is missing): pip install 'qualys-sdk[{extra}]'")
    return typer.Exit(EXIT_RESOURCE)


def confirm(action: str, yes: bool) -> None:
    """Destructive commands run only when asked for in that command: --yes, or an answer at the prompt."""
    if yes:
        return
    if not sys.stdin.isatty():
        error_line(f"refusing to {action} without --yes (no terminal to ask on)")
        raise typer.Exit(EXIT_INPUT)
    if not typer.confirm(f"{action}?", err=True):
        say("nothing done")
        raise typer.Exit(EXIT_INPUT)


Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do it without asking.")]


# -- the client ---------------------------------------------------------------------------------------------------


def _check_settings(o: Options) -> None:
    """Mistakes in the command line's own options, named in its words, before the library sees them."""
    from .._config import default_config_path  # noqa: PLC0415
    from ..platforms import PLATFORMS  # noqa: PLC0415

    if o.platform and o.platform.strip().upper() not in PLATFORMS:
        close = difflib.get_close_matches(o.platform.strip().upper(), list(PLATFORMS), n=1)
        guess = f" (did you mean {close[0]}?)" if close else ""
        raise OptionError(f"unknown --platform {o.platform!r}{guess}; known: {', '.join(PLATFORMS)}", PLATFORM_HINT)
    if o.profile and not o.config and default_config_path(os.environ) is None:
        raise OptionError(
            f"--profile {o.profile!r}: there is no config file to read it from "
            "(looked for $QUALYS_CONFIG, ~/.config/qualys/config.toml and ~/.qcrc)",
            f"write ~/.config/qualys/config.toml with a [{o.profile}] table, or pass --config FILE",
        )


def client(ctx: typer.Context, *, http_client: httpx.Client | None = None) -> Qualys:
    """A ``Qualys`` client from the command line's options, then QUALYS_* variables, then the config file;
    ``http_client``: the httpx client it sends through (a command that watches the raw exchanges)."""
    from .._sync._client import Qualys  # noqa: PLC0415

    o = options(ctx)
    _check_settings(o)
    return Qualys(username=o.username, password=o.password, platform=o.platform, gateway_url=o.gateway_url,
                  api_url=o.api_url, profile=o.profile, config_file=o.config, http_client=http_client)  # fmt: skip


# -- logs and warnings --------------------------------------------------------------------------------------------


class _StderrLog(logging.Handler):
    """``info: retrying ...`` on whatever ``sys.stderr`` is now (above a progress bar, when one is shown)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(f"{record.levelname.lower()}: {self.format(record)}\n")
        except Exception:  # logging must never break the command
            self.handleError(record)


def configure_logging(o: Options) -> None:
    """The qualys_sdk log on stderr: INFO with --verbose or QUALYS_LOG=info, DEBUG with QUALYS_LOG=debug."""
    wanted = os.environ.get("QUALYS_LOG", "").strip().lower()
    level = logging.DEBUG if wanted == "debug" else logging.INFO if o.verbose or wanted == "info" else None
    if level is None:
        return
    logger = logging.getLogger("qualys_sdk")
    logger.setLevel(min(level, logger.level or level))
    if not logger.handlers:  # qualys_sdk may have added its own for QUALYS_LOG
        logger.addHandler(_StderrLog())


def _one_line_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                      file: Any = None, line: str | None = None) -> None:  # fmt: skip
    say(f"warning: {message}")


# -- the root command ---------------------------------------------------------------------------------------------

#: The subcommands: their module (a sibling of this one, whose ``app`` is a group of commands, but for ``demo``:
#: one command) and the line ``qualys --help`` shows for them.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "oca": ("oca", "OCA: technologies, assets, commands and their output."),
    "keys": ("keys", "Cloud Agent activation keys."),
    "bulk": ("bulk", "Bulk provision, revoke, uploads and CSAM imports."),
    "sim": ("sim", "The offline Qualys simulator."),
    "contract": ("contract", "Check a live tenant's answers against the specs (read-only)."),
    "demo": ("demo", "A tour: thousands of devices on the embedded simulator."),
}


def _flag(name: str) -> Callable[[typer.Context, bool], None]:
    def set_flag(ctx: typer.Context, value: bool) -> None:
        if value:
            found = ctx.ensure_object(Options)
            setattr(found, name, True)
            configure_logging(found)

    return set_flag


@functools.cache
def _leaf_options() -> list[Any]:
    """--json, --verbose and --debug as options of every command, so that they may follow its name too."""
    holder = typer.Typer(add_completion=False)

    @holder.command()
    def leaf(
        as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP, callback=_flag("json"),
                                              expose_value=False)] = False,
        verbose: Annotated[bool, typer.Option("--verbose", "-v", help=VERBOSE_HELP, callback=_flag("verbose"),
                                              expose_value=False)] = False,
        debug: Annotated[bool, typer.Option("--debug", help=DEBUG_HELP, callback=_flag("debug"),
                                            expose_value=False)] = False,
    ) -> None:  # fmt: skip
        """Never run: its options are lent to every command."""

    lent = list(typer.main.get_command(holder).params)
    for param in lent:
        param.metavar = ""
    return lent


def _tidy(command: Any, ctx: Any, *, root: bool = False) -> None:
    """Plain help (rich's costs more start-up time than the rest of ``qualys --help``), flags without ``<bool>``;
    every command below the root takes the leaf options (--json, --verbose, --debug) after its name too."""
    command.rich_markup_mode = None
    for param in [*command.params, command.get_help_option(ctx)]:
        if param is not None and getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    if root:
        return
    subcommands = getattr(command, "commands", None)
    if subcommands is not None:
        for subcommand in subcommands.values():
            _tidy(subcommand, ctx)
    else:
        taken = {name for param in command.params for name in param.opts}
        command.params.extend(p for p in _leaf_options() if not taken & set(p.opts))


class QualysGroup(TyperGroup):
    """The root command: loads a subcommand's module only when it runs, and turns every failure into one line
    and an exit code of the table."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._loaded: dict[str, Any] = {}
        self._listing = False
        # Placeholders, for typer's "did you mean" and the listing of `qualys --help`.
        self.commands = {name: TyperCommand(name, help=summary) for name, (_, summary) in SUBCOMMANDS.items()}

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in SUBCOMMANDS:
            return None
        if self._listing:  # `qualys --help`: the one-line summaries, without importing the modules
            return self.commands[cmd_name]
        if cmd_name not in self._loaded:
            module = importlib.import_module(f".{SUBCOMMANDS[cmd_name][0]}", __package__)
            command = typer.main.get_command(module.app) if cmd_name == "demo" else typer.main.get_group(module.app)
            command.name = cmd_name
            _tidy(command, ctx)
            self._loaded[cmd_name] = command
        return self._loaded[cmd_name]

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _tidy(self, ctx, root=True)
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            say("interrupted")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except QualysError as exc:
            if options(ctx).debug:
                raise
            raise fail(exc) from None
        except ImportError as exc:
            if options(ctx).debug or extra_for(exc) is None:
                raise
            raise need_extra(exc) from None
        except Exception as exc:
            if type(exc).__module__.split(".")[0] in ("typer", "click") or options(ctx).debug:
                raise  # typer's own exits and usage errors; or a traceback asked for
            if isinstance(exc, BrokenPipeError):
                raise  # `qualys ... | head`: typer ends quietly
            error_line(f"unexpected {type(exc).__name__}: {exc}; run again with --debug for the traceback")
            raise typer.Exit(EXIT_UNEXPECTED) from None


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"qualys-sdk {__version__}")
        raise typer.Exit


app = typer.Typer(
    name="qualys",
    cls=QualysGroup,
    help="Qualys OCA, CSAM and Cloud Agent activation keys. Results go to stdout, everything else to stderr.",
    epilog=EPILOG,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: see _tidy
)


@app.callback()
def connection(
    ctx: typer.Context,
    username: Annotated[str | None, typer.Option(metavar="USER", help="Qualys username (else QUALYS_USERNAME, "
                                                 "else the config file).")] = None,
    password: Annotated[str | None, typer.Option(metavar="PASSWORD", help="Qualys password (else QUALYS_PASSWORD, "
                                                 "else the config file).")] = None,
    platform: Annotated[str | None, typer.Option(metavar="NAME", help="US1..US4, GOV1, EU1..EU3, IN1, CA1, AE1, "
                                                 "UK1, AU1 or KSA1 (else QUALYS_PLATFORM; default US1).")] = None,
    gateway_url: Annotated[str | None, typer.Option(metavar="URL", help="Gateway URL, instead of --platform "
                                                    "(private clouds, the simulator).")] = None,
    api_url: Annotated[str | None, typer.Option(metavar="URL", help="API server URL, instead of --platform.")] = None,
    profile: Annotated[str | None, typer.Option(metavar="NAME", help="Profile (table) of the config file "
                                                "(else QUALYS_PROFILE, else default).")] = None,
    config: Annotated[str | None, typer.Option(metavar="FILE", help="Config file (else QUALYS_CONFIG, else "
                                               "~/.config/qualys/config.toml, else ~/.qcrc).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help=VERBOSE_HELP)] = False,
    debug: Annotated[bool, typer.Option("--debug", help=DEBUG_HELP)] = False,
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:  # fmt: skip
    """Options for every command (--json, --verbose and --debug may also follow the command)."""
    ctx.obj = Options(username, password, platform, gateway_url, api_url, profile, config, as_json, debug, verbose)
    configure_logging(ctx.obj)


def run(args: Sequence[str] | None = None) -> None:
    """The ``qualys`` command: exits with a code of the table."""
    warnings.showwarning = _one_line_warning
    typer.main.get_command(app).main(args=args, prog_name="qualys")
