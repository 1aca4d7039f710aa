#!/usr/bin/env python3
"""Scrub credentials from recorded exchanges before they are committed.

    python scripts/scrub_cassettes.py            # rewrite every cassette under tests/cassettes, scrubbed
    python scripts/scrub_cassettes.py --check    # list what is left unscrubbed, exit 1 if anything
    python scripts/scrub_cassettes.py FILE...    # only these files (a directory: every *.yaml below it)

Replaces Authorization headers (Bearer and Basic), /auth usernames and
passwords, and anything shaped like a JWT, with fixed placeholders.
Needs PyYAML (``pip install '.[sim]'``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from qualys_sdk.testing.cassettes import find_secrets, load_cassette, scrub

CASSETTES = Path(__file__).resolve().parent.parent / "tests" / "cassettes"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report, change nothing")
    parser.add_argument("files", nargs="*", type=Path, help="cassettes, or directories of them")
    args = parser.parse_args(argv)
    # A directory stands for every cassette below it (a `qualys contract check --record DIR` recording, say).
    files = [f for p in args.files or [CASSETTES] for f in (sorted(p.rglob("*.yaml")) if p.is_dir() else [p])]
    dirty = 0
    for path in files:
        if not args.check:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            path.write_text(
                yaml.safe_dump(scrub(data), sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
            )
        for interaction in load_cassette(path).interactions:
            for problem in find_secrets(interaction):
                dirty += 1
                print(f"{path}: {interaction.method} {interaction.path}: {problem}", file=sys.stderr)
    print(f"{len(files)} cassette(s) checked, {dirty} secret(s) found")
    return 1 if dirty else 0


if __name__ == "__main__":
    raise SystemExit(main())
