# shellcheck shell=bash
# What the fuzz scripts share: cargo-fuzz, pinned, and how to call it. Source from the
# repository root.
#
# cargo-fuzz is installed from crates.io on first use into a folder of cargo's home named by
# its version, so later runs and other clones on the machine find it, and no other install of
# it is replaced. libFuzzer itself comes with the libfuzzer-sys crate and is built from source by
# cargo, with a C++ compiler. The stable toolchain takes the sanitizer flags cargo-fuzz passes
# when RUSTC_BOOTSTRAP=1 says so.

FUZZ_CARGO_FUZZ_VERSION=0.13.2
FUZZ_TOOLS=${CARGO_HOME:-$HOME/.cargo}/tools/cargo-fuzz-$FUZZ_CARGO_FUZZ_VERSION
FUZZ_TARGETS=(yaml_loader validate render profile emitter_round_trip unified_diff scaffold_reread)

fuzz_install() {
  local installed
  installed=$("$FUZZ_TOOLS/bin/cargo-fuzz" --version 2>/dev/null || true)
  if [ "$installed" != "cargo-fuzz $FUZZ_CARGO_FUZZ_VERSION" ]; then
    printf 'fuzz: installing cargo-fuzz %s into %s\n' "$FUZZ_CARGO_FUZZ_VERSION" "$FUZZ_TOOLS"
    cargo install --quiet --locked --root "$FUZZ_TOOLS" --version "$FUZZ_CARGO_FUZZ_VERSION" cargo-fuzz
  fi
  command -v c++ >/dev/null || {
    echo "fuzz: a C++ compiler (c++) is needed to build libFuzzer" >&2
    return 2
  }
}

# cargo fuzz SUBCOMMAND ARGS...: release build with debug assertions and AddressSanitizer.
fuzz_cargo() {
  local subcommand=$1
  shift
  RUSTC_BOOTSTRAP=1 "$FUZZ_TOOLS/bin/cargo-fuzz" "$subcommand" --fuzz-dir fuzz --release --debug-assertions "$@"
}
