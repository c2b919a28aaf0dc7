"""Validates every contract of a folder and renders them into a GitOps tree.

    python examples/python/render_folder.py CONTRACTS_DIR OUT_DIR [--profile NAME]

The tree is written by `zave.write_tree`, the writer of `zave render --out`: all or nothing.
Exits 1, writing nothing, when any contract is refused (after reporting all of them), when two
contracts share a name, or when the tree refuses (a symbolic link, a file zave did not write),
as CI would want.
"""

import argparse
import pathlib
import sys
from typing import List

import zave


def counted(count: int, noun: str) -> str:
    """`1 tenant`, `2 tenants`: a count with its noun in the right number."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contracts", type=pathlib.Path)
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--profile", default="kind", choices=zave.profiles())
    args = parser.parse_args(argv)

    paths = sorted(args.contracts.glob("*.yaml"))
    refused = 0
    for path in paths:
        errors = [d for d in zave.validate(path, profile=args.profile) if d.is_error]
        if errors:
            refused += 1
            for d in errors:
                print(f"{path}:{d.line}:{d.column}: {d.code} {d.path}: {d.message}", file=sys.stderr)
    if refused:
        print(f"nothing written, {counted(refused, 'contract')} refused")
        return 1
    try:
        report = zave.write_tree(args.out, paths, profile=args.profile)
    except zave.ContractError as error:
        # Two contracts with one name, or a contract the profile refuses at render time.
        print(error, file=sys.stderr)
        print("nothing written, the contracts are refused")
        return 1
    except zave.TreeError as error:
        print(error, file=sys.stderr)  # the message names the path
        print("nothing written, the tree is refused")
        return 1
    for difference in report.differences:
        print(difference)
    written = sum(d.change in ("added", "changed") for d in report.differences)
    tenants = f"{counted(report.tenants, 'tenant')} in the tree"
    print(f"{counted(written, 'file')} written, {tenants}, {counted(refused, 'contract')} refused")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
