#!/usr/bin/env python3
"""Compare the public Python API of the working tree with a git ref: breaking changes, then additions.

    python scripts/api_diff.py --against HEAD     # what the uncommitted work changes
    python scripts/api_diff.py --against v0.1.0   # what changed since a release

Needs griffe (pinned in scripts/generator-constraints.txt) and git. Both sides are read statically (nothing
is imported). The ref is read with `git archive`, so the repository is left as it is: no worktree, no
branch, no index update.

Exit codes:
    0  no breaking change (additions alone are fine)
    1  at least one breaking change
    2  no comparison was made: bad arguments, git missing, not a git checkout, or an unknown ref

What is public API:
    - The packages the wheel ships (pyproject.toml, [tool.hatch.build.targets.wheel] packages): qualys_sdk
      (overlay/) and the generated qualys_oca, qualys_csam and qualys_agentactkey.
    - A module is public when no part of its dotted path starts with an underscore: qualys_sdk._sync,
      qualys_sdk._async, qualys_sdk.bulk._async and everything below them are internals.
    - In a module that defines __all__, exactly the names it lists are public, whether defined there or
      re-exported (qualys_sdk.Qualys is public although defined in _sync); in a module without __all__,
      the names defined there that do not start with an underscore (imported names are not).
    - In a class, members whose names do not start with an underscore, and dunder methods (__init__, ...).
    - A class defined under a private name or module that a public property returns is public through that
      property: qualys_sdk.Qualys.oca is an OCA from _sync, and its methods are compared as
      qualys_sdk.Qualys.oca.list_technologies and so on.
    - Not compared: the subcommand modules of qualys_sdk.cli. Their contract is the `qualys` command line
      (tests/cli), not their Python signatures; qualys_sdk.cli itself is, for main is the console entry point.
      Nor the simulator's insides: of qualys_sdk.testing's submodules only server, pytest_plugin, cassettes and
      transport are compared (with the package itself: Simulator, FakeClock, Fault); its contract is the HTTP
      behaviour tests/sim pins down.
    - A re-exported object is compared, members included, under its public name wherever it is defined; one
      reachable under several public names is reported once, under the shortest.
    Apart from the property and command-line rules, these are griffe's own (Object.is_public).

What is reported:
    - Breaking, from griffe.find_breaking_changes: removed objects (operation modules, functions, models,
      fields), parameters removed, moved, made required, changed in kind or default, required parameters
      added, base classes removed, objects changed in kind, return annotations removed.
    - Breaking, added here because griffe compares no annotations: the annotation of a public attribute,
      parameter or return value changed. The text is compared, with Annotated[T, ...] read as T; a widening
      is reported too, since telling it from a narrowing takes a type checker.
    - Model fields: griffe gives dataclasses (the xsdata models) an __init__ made from their fields; attrs
      classes (the openapi-python-client models, @attrs.define) get one here the same way, so a field removed,
      made required or added as required is also a change of the constructor.
    - Added: public objects absent at the ref (the outermost only: a new class is listed, not its members),
      and optional parameters new to an existing function.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeAlias

# In an environment without griffe (the dev venv), mypy sees everything from it as Any.
import griffe  # type: ignore[import-not-found, unused-ignore]

ROOT = Path(__file__).resolve().parent.parent

EXIT_OK = 0
EXIT_BREAKING = 1
EXIT_NOT_COMPARED = 2

# The `qualys` command: its subcommand modules are left out (see the module docstring).
COMMAND_LINE = ("qualys_sdk", "cli")
# The simulator: only these of its submodules are for users (the rest is how it works inside).
SIMULATOR = ("qualys_sdk", "testing")
SIMULATOR_PUBLIC = frozenset({"server", "pytest_plugin", "cassettes", "transport"})

# How attrs spells its class decorators and field specifiers. openapi-python-client imports attrs.define and
# attrs.field as _attrs_define and _attrs_field; griffe resolves those to the canonical paths.
_ATTRS_DECORATORS = frozenset(
    {"attrs.define", "attrs.frozen", "attrs.mutable", "attr.s", "attr.attrs", "attr.define", "attr.frozen"}
)
_ATTRS_FIELDS = frozenset({"attrs.field", "attr.ib", "attr.attrib", "attr.field"})
_ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
_UNRESOLVED = (griffe.AliasResolutionError, griffe.CyclicAliasError)

Member: TypeAlias = griffe.Object | griffe.Alias


class NotCompared(Exception):
    """The comparison could not be made; the message says why, in one line."""


@dataclass(frozen=True, order=True)
class Change:
    path: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


@dataclass(frozen=True)
class Report:
    ref: str
    packages: tuple[str, ...]
    breaking: tuple[Change, ...]
    added: tuple[Change, ...]

    def text(self) -> str:
        if not self.breaking and not self.added:
            return f"public API: no changes against {self.ref}"
        lines = [
            f"public API against {self.ref} ({', '.join(self.packages)}): "
            f"{len(self.breaking)} breaking, {len(self.added)} added"
        ]
        for title, changes in (("Breaking", self.breaking), ("Added", self.added)):
            if changes:
                lines += ["", f"{title}:", *(f"  {change}" for change in changes)]
        return "\n".join(lines)


# --- the ref -----------------------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise NotCompared("git is not installed")
    result = subprocess.run([git, "-C", str(cwd), *args], capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise NotCompared(f"git {args[0]} failed: {message[-1] if message else f'exit {result.returncode}'}")
    return result.stdout


@dataclass(frozen=True)
class Checkout:
    """The repository a directory belongs to, where the directory sits in it, and the commit compared with."""

    top: Path
    prefix: PurePosixPath
    commit: str

    @classmethod
    def of(cls, root: Path, ref: str) -> Checkout:
        if shutil.which("git") is None:
            raise NotCompared("git is not installed")
        try:
            top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
        except NotCompared as exc:
            raise NotCompared(f"{root} is not a git checkout ({exc})") from exc
        try:
            commit = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
        except NotCompared as exc:
            raise NotCompared(f"unknown git ref: {ref}") from exc
        prefix = PurePosixPath(root.resolve().relative_to(top.resolve()).as_posix())
        return cls(top, prefix, commit)

    def read(self, path: str) -> str | None:
        """A file (relative to root) as it is at the commit; None if it is not there."""
        try:
            return _git(self.top, "show", f"{self.commit}:{self.prefix / path}").decode()
        except NotCompared:
            return None

    def extract(self, paths: list[str], dest: Path) -> Path:
        """Write the trees at paths (relative to root) as they are at the commit below dest; root's copy."""
        # Run from the top of the repository, ls-tree and archive take paths from there.
        wanted = [(self.prefix / path).as_posix() for path in paths]
        present = _git(self.top, "ls-tree", "--name-only", self.commit, "--", *wanted).decode().splitlines()
        if present:
            archive = _git(self.top, "archive", "--format=tar", self.commit, "--", *present)
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(dest, filter="data")
        return dest / self.prefix


# --- loading -----------------------------------------------------------------------------------------------


def _wheel_packages(pyproject: str) -> list[str]:
    """Paths such as generated/qualys_oca, from pyproject.toml's wheel target."""
    table: dict[str, Any] = tomllib.loads(pyproject)
    for key in ("tool", "hatch", "build", "targets", "wheel"):
        table = table.get(key, {})
    return [str(package) for package in table.get("packages", [])]


def _keywords(expr: object) -> dict[str, str]:
    """Keyword arguments of a call expression, as source text."""
    if not isinstance(expr, griffe.ExprCall):
        return {}
    return {
        str(argument.name): str(argument.value)
        for argument in expr.arguments
        if isinstance(argument, griffe.ExprKeyword)
    }


def _canonical_path(expr: object) -> str:
    return str(expr.canonical_path) if isinstance(expr, griffe.Expr) else ""


def _attrs_init(cls: griffe.Class) -> griffe.Function | None:
    """The __init__ attrs writes for an @attrs.define class from its fields; None for other classes."""
    decorator = next((d.value for d in cls.decorators if _canonical_path(d.value) in _ATTRS_DECORATORS), None)
    if decorator is None or "__init__" in cls.members:
        return None
    class_kw_only = _keywords(decorator).get("kw_only") == "True"
    parameters = [griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)]
    for member in cls.members.values():
        # griffe labels a ClassVar a class attribute only; attrs makes no field of it, nor of a property.
        if (
            not isinstance(member, griffe.Attribute)
            or member.annotation is None
            or "property" in member.labels
            or "instance-attribute" not in member.labels
        ):
            continue
        field = _keywords(member.value) if _canonical_path(member.value) in _ATTRS_FIELDS else None
        if field is None:
            default: str | griffe.Expr | None = member.value
        elif field.get("init") == "False":
            continue
        else:
            default = field.get("default") or (f"{field['factory']}()" if "factory" in field else None)
        kw_only = class_kw_only or (field is not None and field.get("kw_only") == "True")
        parameters.append(
            griffe.Parameter(
                # attrs drops the leading underscores of private fields in __init__.
                member.name.lstrip("_"),
                annotation=member.annotation,
                kind=griffe.ParameterKind.keyword_only if kw_only else griffe.ParameterKind.positional_or_keyword,
                default=default,
            )
        )
    return griffe.Function(
        "__init__", lineno=cls.lineno, endlineno=cls.lineno, parent=cls, parameters=griffe.Parameters(*parameters)
    )


def _add_attrs_inits(obj: griffe.Module | griffe.Class) -> None:
    for member in list(obj.members.values()):
        if isinstance(member, griffe.Class):
            init = _attrs_init(member)
            if init is not None:
                member.set_member("__init__", init)
        if isinstance(member, griffe.Class | griffe.Module):
            _add_attrs_inits(member)


def load_api(root: Path, packages: list[str]) -> dict[str, griffe.Module]:
    """The packages found under root, by name."""
    present = [PurePosixPath(package) for package in packages if (root / package / "__init__.py").is_file()]
    loader = griffe.GriffeLoader(
        search_paths=sorted({root / package.parent for package in present}), allow_inspection=False
    )
    modules: dict[str, griffe.Module] = {}
    for package in present:
        module = loader.load(package.name, try_relative_path=False)
        if isinstance(module, griffe.Module):
            _add_attrs_inits(module)
            modules[package.name] = module
    top, name = COMMAND_LINE
    command_line = modules[top].members.get(name) if top in modules else None
    if isinstance(command_line, griffe.Module):
        for submodule in command_line.modules.values():
            # griffe's is_public gives way to this flag, so its breakage search skips them as well.
            submodule.public = False
    top, name = SIMULATOR
    simulator = modules[top].members.get(name) if top in modules else None
    if isinstance(simulator, griffe.Module):
        for submodule in simulator.modules.values():
            if submodule.name not in SIMULATOR_PUBLIC:
                submodule.public = False
    return modules


# --- the public surface ------------------------------------------------------------------------------------


def _target(obj: Member) -> Member:
    """What an alias points at, or the alias itself when its target is outside the loaded packages."""
    if isinstance(obj, griffe.Alias):
        try:
            return obj.final_target
        except _UNRESOLVED:
            return obj
    return obj


def _is_public(member: Member) -> bool:
    try:
        return bool(member.is_public)
    except _UNRESOLVED:
        return not member.name.startswith("_")


def _property_class(attribute: griffe.Attribute) -> griffe.Class | None:
    """The class a property returns, when that property is its only public way in: the class is defined in
    the loaded packages under a private name or module. A class with a public path of its own is compared
    there."""
    annotation = attribute.annotation
    if "property" not in attribute.labels or not isinstance(annotation, griffe.ExprName):
        return None
    canonical = str(annotation.canonical_path)
    if not any(part.startswith("_") for part in canonical.split(".")):
        return None
    try:
        cls = _target(attribute.modules_collection[canonical])
    except (KeyError, *_UNRESOLVED):
        return None
    return cls if isinstance(cls, griffe.Class) else None


@dataclass
class Surface:
    """Every public path, mapped to the object it names (aliases followed); and the classes that are public
    only through a property (see _property_class), by the property's path."""

    paths: dict[str, Member]
    through_properties: dict[str, griffe.Class]

    @classmethod
    def of(cls, modules: dict[str, griffe.Module]) -> Surface:
        found = cls({}, {})
        for name, module in modules.items():
            found._visit(name, module, frozenset())
        return found

    def _visit(self, path: str, obj: Member, ancestors: frozenset[str]) -> None:
        self.paths[path] = obj
        container: griffe.Module | griffe.Class
        if isinstance(obj, griffe.Attribute):
            cls = _property_class(obj)
            if cls is None:
                return
            self.through_properties[path] = container = cls
        elif isinstance(obj, griffe.Module | griffe.Class):
            container = obj
        else:
            return
        # A module or class met again below itself (a re-export of a parent) is listed, not entered again.
        if container.canonical_path in ancestors:
            return
        members = container.all_members if isinstance(container, griffe.Class) else container.members
        for name, member in members.items():
            if _is_public(member):
                self._visit(f"{path}.{name}", _target(member), ancestors | {container.canonical_path})


def _canonical(obj: Member) -> str:
    return str(obj.path if isinstance(obj, griffe.Alias) else obj.canonical_path)


@dataclass
class Api:
    modules: dict[str, griffe.Module]
    surface: Surface
    # Canonical path -> the shortest public path naming it: griffe reports canonical paths, often private.
    names: dict[str, str]

    @classmethod
    def of(cls, modules: dict[str, griffe.Module]) -> Api:
        surface = Surface.of(modules)
        names: dict[str, str] = {}
        for path, obj in sorted(surface.paths.items(), key=lambda item: (item[0].count("."), item[0])):
            names.setdefault(_canonical(obj), path)
        return cls(modules, surface, names)

    def public_name(self, obj: Member) -> str:
        canonical = _canonical(obj)
        return self.names.get(canonical, canonical)

    def is_shortest(self, path: str) -> bool:
        """Whether path is the name its object is reported under (once, not once per re-export)."""
        return self.public_name(self.surface.paths[path]) == path


# --- comparing ---------------------------------------------------------------------------------------------


def _kind(obj: Member) -> str:
    return "alias" if isinstance(obj, griffe.Alias) else str(obj.kind.value)


def _annotation(value: object) -> str:
    """An annotation as text, Annotated[T, ...] as T: its metadata (help texts, validators) is no type."""
    if value is None:
        return ""
    if isinstance(value, griffe.ExprSubscript) and value.canonical_path in _ANNOTATED:
        arguments = value.slice
        return str(arguments.elements[0] if isinstance(arguments, griffe.ExprTuple) else arguments)
    return str(value)


def _mirrors_field(function: griffe.Function, parameter: str) -> bool:
    """A constructor parameter made from a field (dataclass, attrs): the field's own line says it all."""
    parent = function.parent
    return function.name == "__init__" and parent is not None and parameter in parent.members


def _describe(breakage: griffe.Breakage) -> tuple[str, str]:
    """A suffix for the path of the object a griffe breakage is about, and what happened to it."""
    kind = breakage.kind
    old, new = breakage.old_value, breakage.new_value
    if kind is griffe.BreakageKind.OBJECT_REMOVED:
        return "", f"removed ({_kind(_target(breakage.obj))})"
    if kind is griffe.BreakageKind.OBJECT_CHANGED_KIND:
        return "", f"changed kind: {old.value} -> {new.value}"
    if kind is griffe.BreakageKind.CLASS_REMOVED_BASE:
        return "", f"base class removed: {', '.join(str(base) for base in old if base not in new)}"
    if kind is griffe.BreakageKind.RETURN_CHANGED_TYPE:
        return "", f"return annotation removed (was {_annotation(old)})"
    if kind is griffe.BreakageKind.PARAMETER_REMOVED:
        what = "parameter removed"
    elif kind is griffe.BreakageKind.PARAMETER_ADDED_REQUIRED:
        return f"({new.name})", "required parameter added"
    elif kind is griffe.BreakageKind.PARAMETER_CHANGED_REQUIRED:
        what = "parameter made required"
    elif kind is griffe.BreakageKind.PARAMETER_MOVED:
        what = f"positional parameter moved, {breakage.details}"
    elif kind is griffe.BreakageKind.PARAMETER_CHANGED_KIND:
        what = f"parameter kind changed: {old.kind.value} -> {new.kind.value}"
    elif kind is griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT:
        what = f"parameter default changed: {old.default} -> {new.default}"
    else:
        # A kind a later griffe adds: in its own words.
        return "", str(kind.value)
    return f"({old.name})", what


def _griffe_breakages(old: Api, new: Api) -> Iterator[Change]:
    pairs: list[tuple[griffe.Object, griffe.Object]] = []
    for name, old_module in old.modules.items():
        if name in new.modules:
            pairs.append((old_module, new.modules[name]))
        else:
            yield Change(name, "removed (package)")
    old_classes, new_classes = old.surface.through_properties, new.surface.through_properties
    pairs += [(old_classes[path], new_classes[path]) for path in sorted(old_classes.keys() & new_classes.keys())]
    for old_obj, new_obj in pairs:
        for breakage in griffe.find_breaking_changes(old_obj, new_obj):
            suffix, what = _describe(breakage)
            # A removed object is named as the ref's API named it, anything else as the working tree's does.
            api = old if breakage.kind is griffe.BreakageKind.OBJECT_REMOVED else new
            yield Change(api.public_name(breakage.obj) + suffix, what)


def _annotation_changes(old: Api, new: Api) -> Iterator[Change]:
    for path in sorted(old.surface.paths.keys() & new.surface.paths.keys()):
        before, after = old.surface.paths[path], new.surface.paths[path]
        if not new.is_shortest(path):
            continue
        if isinstance(before, griffe.Attribute) and isinstance(after, griffe.Attribute):
            was, now = _annotation(before.annotation), _annotation(after.annotation)
            if was and now and was != now:
                yield Change(path, f"type changed: {was} -> {now}")
        elif isinstance(before, griffe.Function) and isinstance(after, griffe.Function):
            was, now = _annotation(before.returns), _annotation(after.returns)
            if was and now and was != now:
                yield Change(path, f"return type changed: {was} -> {now}")
            after_parameters = {parameter.name: parameter for parameter in after.parameters}
            for parameter in before.parameters:
                counterpart = after_parameters.get(parameter.name)
                if counterpart is None or _mirrors_field(before, parameter.name):
                    continue
                was, now = _annotation(parameter.annotation), _annotation(counterpart.annotation)
                if was and now and was != now:
                    yield Change(f"{path}({parameter.name})", f"parameter type changed: {was} -> {now}")


def _additions(old: Api, new: Api) -> Iterator[Change]:
    before_paths, after_paths = old.surface.paths, new.surface.paths
    for name in sorted(new.modules.keys() - old.modules.keys()):
        yield Change(name, "added (package)")
    for path in sorted(after_paths.keys() - before_paths.keys()):
        # Only the outermost new object: the members of a new class are new with it.
        if path.rpartition(".")[0] in before_paths and new.is_shortest(path):
            yield Change(path, f"added ({_kind(after_paths[path])})")
    for path in sorted(before_paths.keys() & after_paths.keys()):
        before, after = before_paths[path], after_paths[path]
        if not (isinstance(before, griffe.Function) and isinstance(after, griffe.Function)):
            continue
        if not new.is_shortest(path):
            continue
        known = {parameter.name for parameter in before.parameters}
        for parameter in after.parameters:
            if parameter.name not in known and not parameter.required and not _mirrors_field(after, parameter.name):
                yield Change(f"{path}({parameter.name})", "optional parameter added")


def compare(old_modules: dict[str, griffe.Module], new_modules: dict[str, griffe.Module], ref: str) -> Report:
    old, new = Api.of(old_modules), Api.of(new_modules)
    breaking = set(_griffe_breakages(old, new)) | set(_annotation_changes(old, new))
    added = set(_additions(old, new))
    packages = tuple(sorted(old.modules.keys() | new.modules.keys()))
    return Report(ref, packages, tuple(sorted(breaking)), tuple(sorted(added)))


def diff_against(ref: str, root: Path = ROOT) -> Report:
    checkout = Checkout.of(root, ref)
    packages = _wheel_packages((root / "pyproject.toml").read_text(encoding="utf-8"))
    # A package the ref shipped and the working tree no longer does is a removal: both lists count.
    packages += [
        package for package in _wheel_packages(checkout.read("pyproject.toml") or "") if package not in packages
    ]
    with tempfile.TemporaryDirectory(prefix="qualys-api-diff-") as tmp:
        old = load_api(checkout.extract(packages, Path(tmp)), packages)
        new = load_api(root, packages)
        return compare(old, new, ref)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", required=True, metavar="REF", help="the git ref to compare with: HEAD, a tag, ...")
    args = parser.parse_args(argv)
    try:
        report = diff_against(args.against)
    except NotCompared as exc:
        print(f"api_diff: {exc}", file=sys.stderr)
        return EXIT_NOT_COMPARED
    print(report.text())
    return EXIT_BREAKING if report.breaking else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
