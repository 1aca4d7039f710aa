"""``qualys keys ...``: Cloud Agent activation keys."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ..activation_keys import criterion
from ._common import Yes, client, confirm, console, emit, errors

app = typer.Typer(help="Cloud Agent activation keys.", no_args_is_help=True)


def _show(keys: list[object]) -> None:
    table = Table("id", "title", "type", "status", "activationKey")
    for k in keys:
        table.add_row(*(str(getattr(k, name, "") or "") for name in ("id", "title", "type_value", "status",
                                                                        "activation_key")))  # fmt: skip
    console.print(table)


@app.command("list")
def list_keys(
    ctx: typer.Context,
    title_contains: Annotated[str | None, typer.Option(help="Only keys whose title contains this.")] = None,
) -> None:
    """Every key (all pages)."""
    criteria = [criterion("title", "CONTAINS", title_contains)] if title_contains else []
    with errors(ctx):
        found = list(client(ctx).activation_keys.iter_all(criteria))
    emit(ctx, found, _show)


@app.command()
def get(ctx: typer.Context, key_id: int) -> None:
    """One key by id."""
    with errors(ctx):
        found = client(ctx).activation_keys.get(key_id)
    emit(ctx, [found], _show)


@app.command()
def create(
    ctx: typer.Context,
    key_type: Annotated[str, typer.Option("--type", help="UNLIMITED, COUNT_LIMITED, TIME_LIMITED, ...")],
    title: Annotated[str | None, typer.Option()] = None,
    count: Annotated[int | None, typer.Option(help="countPurchased, for COUNT_* types")] = None,
    expire_date: Annotated[str | None, typer.Option(help="YYYY-MM-DDTHH:MM:SSZ, for TIME_* types")] = None,
    module: Annotated[list[str] | None, typer.Option(help="A license: VM_LICENSE, PC_LICENSE, ... (repeat)")] = None,
    tag: Annotated[list[int] | None, typer.Option(help="A tag id (repeat)")] = None,
) -> None:
    """Create a key."""
    with errors(ctx):
        key = client(ctx).activation_keys.create(type=key_type, title=title, count_purchased=count,
                                                  expire_date=expire_date, modules=module, tags=tag)  # fmt: skip
    emit(ctx, [key], _show)


@app.command()
def update(
    ctx: typer.Context,
    key_id: int,
    title: Annotated[str | None, typer.Option()] = None,
    add_module: Annotated[list[str] | None, typer.Option()] = None,
    remove_module: Annotated[list[str] | None, typer.Option()] = None,
    add_tag: Annotated[list[int] | None, typer.Option()] = None,
    remove_tag: Annotated[list[int] | None, typer.Option()] = None,
    disable: Annotated[bool | None, typer.Option("--disable/--enable")] = None,
) -> None:
    """Change a key: title, modules and tags to add or remove, enabled or not."""
    with errors(ctx):
        key = client(ctx).activation_keys.update(key_id, title=title, add_modules=add_module,
                                                  remove_modules=remove_module, add_tags=add_tag,
                                                  remove_tags=remove_tag, is_disabled=disable)  # fmt: skip
    emit(ctx, [key], _show)


@app.command()
def delete(ctx: typer.Context, key_id: int, yes: Yes = False) -> None:
    """Delete a key (one with active agents cannot be deleted)."""
    confirm(f"delete activation key {key_id}", yes)
    with errors(ctx):
        gone = client(ctx).activation_keys.delete(key_id)
    emit(ctx, {"deleted": gone}, lambda v: typer.echo(v["deleted"]))
