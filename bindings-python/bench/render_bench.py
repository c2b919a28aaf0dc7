"""Python's render of one contract, to compare with the native figure of the same work.

    python bindings-python/bench/render_bench.py

The work is the one `cargo bench -p zave --bench render` calls "render: contract text to the
whole tree": examples/zave.yaml under `aws` with an image, a version and a bundle. Python adds
the call, the argument checks and the conversion of the files and the report to Python
objects. Prints the median and the quartiles of the time per render.
"""

import pathlib
import statistics
import timeit

import zave

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCE = (ROOT / "examples" / "zave.yaml").read_bytes()
PROFILE = zave.Profile.builtin("aws")
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api@sha256:" + "4f" * 32


def render_once() -> zave.Render:
    return zave.render(
        SOURCE, profile=PROFILE, image=IMAGE, version="sha-4f4f4f4", bundle="platform-2026.11"
    )


def main() -> None:
    render_once()
    per_batch = 500
    samples = [
        timeit.timeit(render_once, number=per_batch) / per_batch * 1e6 for _ in range(30)
    ]
    low, median, high = statistics.quantiles(samples, n=4)
    print(
        f"zave.render from Python, contract text to the whole tree: "
        f"median {median:.0f} µs (quartiles {low:.0f}–{high:.0f} µs, {len(samples)} batches)"
    )


if __name__ == "__main__":
    main()
