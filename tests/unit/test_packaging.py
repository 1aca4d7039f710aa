"""The installed package carries the specs it was generated from."""

from __future__ import annotations

import pytest

import qualys_sdk
from qualys_sdk._specs import spec_file
from tests.support import REPO


def test_version() -> None:
    assert qualys_sdk.__version__.count(".") == 2


def test_specs_ship_in_the_package_and_match_the_repository() -> None:
    shipped = spec_file("oca.yaml").read_bytes()
    assert shipped == (REPO / "specs" / "oca.yaml").read_bytes()


def test_missing_spec_is_named() -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.yaml"):
        spec_file("nope.yaml")


def test_packages_are_typed() -> None:
    from importlib.resources import files

    assert files("qualys_sdk").joinpath("py.typed").is_file()
    assert files("qualys_oca").joinpath("py.typed").is_file()
