"""Validates every contract of a folder and renders the valid ones into a GitOps tree.

    python examples/python/render_folder.py CONTRACTS_DIR OUT_DIR [--profile NAME]

Exits 1 when any contract is refused (after reporting all of them), as CI would want.
"""

import argparse
import pathlib
import sys
from typing import List

import zave


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("contracts", type=pathlib.Path)
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--profile", default="kind", choices=zave.profiles())
    args = parser.parse_args(argv)

    refused = 0
    written = 0
    for path in sorted(args.contracts.glob("*.yaml")):
        errors = [d for d in zave.validate(path, profile=args.profile) if d.is_error]
        if errors:
            refused += 1
            for d in errors:
                print(f"{path}:{d.line}:{d.column}: {d.code} {d.path}: {d.message}", file=sys.stderr)
            continue
        render = zave.render(path, profile=args.profile)
        for relative, text in render.files.items():
            target = args.out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written += 1
        warnings = ", ".join(d.code for d in render.diagnostics)
        print(f"{render.name}: {len(render.files)} files" + (f" ({warnings})" if warnings else ""))
    print(f"{written} files written, {refused} contracts refused")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
