"""``qualys keys ...``: Cloud Agent activation keys.

A key prints as one flat object (:func:`key_fields`): the generated model's wrappers (``modules.list_value
.activation_key_module[]``) become plain lists, XML times ISO 8601 strings; tables use the same field names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import Yes, cell, client, confirm, emit, errors, plain, table

if TYPE_CHECKING:
    from qualys_agentactkey.agentactkey import AgentActKey

app = typer.Typer(help="Cloud Agent activation keys.", no_args_is_help=True)

KEY_JSON = (
    "{id, title, type, status, disabled, activation_key, modules: a list of licenses, tags: a list of {id, name}, "
    "count_purchased, count_used, date_purchased, date_last_used, expire_date (ISO 8601, or null), network_id, "
    "apply_on_agents, suspend_self_patch, agents: a list of {id, uuid, name}, binary_mappings: a list of "
    "{id, platform, architecture, version}}"
)
#: The columns of ``qualys keys list``; ids and keys are never wrapped or cut.
COLUMNS = ["id", "title", "type", "status", "disabled", "activation_key"]
WHOLE = {"id", "type", "status", "disabled", "activation_key"}
KEY_ID = Annotated[int, typer.Argument(metavar="KEY_ID", help="The key's id (see qualys keys list).")]
NO_KEY = "check the key id (qualys keys list shows them)"


def _items(qlist: Any, name: str) -> list[Any]:
    """The items of a QPS list wrapper (``<modules><list><ActivationKeyModule>...``), or none."""
    inner = getattr(qlist, "list_value", None) if qlist is not None else None
    return list(getattr(inner, name, None) or []) if inner is not None else []


def key_fields(key: AgentActKey) -> dict[str, Any]:
    """A key as the command line prints it (JSON, and the tables' columns)."""
    return {
        "id": key.id,
        "title": key.title,
        "type": key.type_value,
        "status": key.status,
        "disabled": key.is_disabled,
        "activation_key": key.activation_key,
        "modules": [m.license for m in _items(key.modules, "activation_key_module")],
        "tags": [{"id": t.id, "name": t.name} for t in _items(key.tags, "tag")],
        "count_purchased": key.count_purchased,
        "count_used": key.count_used,
        "date_purchased": plain(key.date_purchased),
        "date_last_used": plain(key.date_last_used),
        "expire_date": plain(key.expire_date),
        "network_id": key.network_id,
        "apply_on_agents": key.apply_on_agents,
        "suspend_self_patch": key.suspend_self_patch,
        "agents": [{"id": a.id, "uuid": a.uuid, "name": a.name} for a in _items(key.agents, "agent_asset")],
        "binary_mappings": [{"id": b.id, "platform": b.platform, "architecture": b.architecture, "version": b.version}
                            for b in _items(key.binary_mappings, "agent_key_binary_mapping")],
    }  # fmt: skip


def _show_list(keys: list[dict[str, Any]]) -> None:
    table(COLUMNS, [[k[c] for c in COLUMNS] for k in keys], whole=WHOLE)


def _summary(value: Any) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return ", ".join(str(v.get("name") or v.get("id")) for v in value)
    return cell(value)


def _show_one(key: dict[str, Any]) -> None:
    table(["field", "value"], [[name, _summary(value)] for name, value in key.items()], whole={"field", "value"})


@app.command("list", help=f"Every key.\n\nAll pages. JSON: a list of keys, each {KEY_JSON}.")
def list_keys(
    ctx: typer.Context,
    title_contains: Annotated[str | None, typer.Option(metavar="TEXT",
                                                       help="Only keys whose title contains this.")] = None,
) -> None:  # fmt: skip
    from ..activation_keys import criterion  # noqa: PLC0415

    criteria = [criterion("title", "CONTAINS", title_contains)] if title_contains else []
    with errors(ctx):
        found = list(client(ctx).activation_keys.iter_all(criteria))
    emit(ctx, [key_fields(k) for k in found], _show_list)


@app.command(help=f"One key by id.\n\nJSON: {KEY_JSON}.")
def get(ctx: typer.Context, key_id: KEY_ID) -> None:
    with errors(ctx, not_found=NO_KEY):
        found = client(ctx).activation_keys.get(key_id)
    emit(ctx, key_fields(found), _show_one)


@app.command(help=f"Create a key.\n\nPrints it.\n\nJSON: the new key, {KEY_JSON}.")
def create(
    ctx: typer.Context,
    key_type: Annotated[str, typer.Option("--type", metavar="TYPE", help="UNLIMITED, COUNT_LIMITED, TIME_LIMITED, "
                                          "COUNT_TIME_LIMITED.")],
    title: Annotated[str | None, typer.Option(metavar="TEXT", help="The key's title.")] = None,
    count: Annotated[int | None, typer.Option(help="How many agents may use it (countPurchased), for COUNT_* "
                                              "types.")] = None,
    expire_date: Annotated[str | None, typer.Option(metavar="TIME", help="YYYY-MM-DDTHH:MM:SSZ, for TIME_* "
                                                    "types.")] = None,
    module: Annotated[list[str] | None, typer.Option(metavar="LICENSE", help="A license: VM_LICENSE, PC_LICENSE, "
                                                     "... (repeat for more).")] = None,
    tag: Annotated[list[int] | None, typer.Option(metavar="TAG_ID", help="A tag id (repeat for more).")] = None,
) -> None:  # fmt: skip
    with errors(ctx):
        key = client(ctx).activation_keys.create(type=key_type, title=title, count_purchased=count,
                                                  expire_date=expire_date, modules=module, tags=tag)  # fmt: skip
    emit(ctx, key_fields(key), _show_one)


@app.command(help=f"Change a key.\n\nIts title, modules and tags to add or remove, enabled or not; prints it. "
             f"JSON: the key, {KEY_JSON}.")  # fmt: skip
def update(
    ctx: typer.Context,
    key_id: KEY_ID,
    title: Annotated[str | None, typer.Option(metavar="TEXT", help="A new title.")] = None,
    add_module: Annotated[list[str] | None, typer.Option(metavar="LICENSE", help="A license to add (repeat).")] = None,
    remove_module: Annotated[list[str] | None, typer.Option(metavar="LICENSE",
                                                            help="A license to remove (repeat).")] = None,
    add_tag: Annotated[list[int] | None, typer.Option(metavar="TAG_ID", help="A tag id to add (repeat).")] = None,
    remove_tag: Annotated[list[int] | None, typer.Option(metavar="TAG_ID", help="A tag id to remove (repeat).")] = None,
    disable: Annotated[bool | None, typer.Option("--disable/--enable", help="Disable the key, or enable it "
                                                 "again.")] = None,
) -> None:  # fmt: skip
    with errors(ctx, not_found=NO_KEY):
        key = client(ctx).activation_keys.update(key_id, title=title, add_modules=add_module,
                                                  remove_modules=remove_module, add_tags=add_tag,
                                                  remove_tags=remove_tag, is_disabled=disable)  # fmt: skip
    emit(ctx, key_fields(key), _show_one)


@app.command()
def delete(ctx: typer.Context, key_id: KEY_ID, yes: Yes = False) -> None:
    """Delete a key; prints its id.

    One with active agents cannot be deleted. JSON: {id, deleted: true}.
    """
    confirm(f"delete activation key {key_id}", yes)
    with errors(ctx, not_found=NO_KEY):
        gone = client(ctx).activation_keys.delete(key_id)
    emit(ctx, {"id": gone, "deleted": True}, lambda v: typer.echo(v["id"]))
