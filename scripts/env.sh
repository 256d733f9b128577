# Sourced by the scripts (from the repository root): the toolchain paths. Debian's rustc
# first, the pinned wasm-bindgen CLI, the project's node tools and Python venv.
# See scripts/setup.sh, which installs all of them.
if [[ -z "${SWF_EDGE_ENV:-}" ]]; then
  export SWF_EDGE_ENV=1
  # The Python that makes the venv: the machine's own python3, found before /usr/bin is
  # put first (Debian's system Python refuses pip installs).
  export SWF_EDGE_BASE_PYTHON=${SWF_EDGE_BASE_PYTHON:-$(command -v python3)}
  WASM_BINDGEN_VERSION=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;q}' Cargo.lock)
  export WASM_BINDGEN_VERSION
  export SWF_EDGE_TOOLS=${SWF_EDGE_TOOLS:-/opt/swf-edge-tools}
  export PATH="$PWD/.venv/bin:/usr/bin:$SWF_EDGE_TOOLS/wasm-bindgen-$WASM_BINDGEN_VERSION/bin:$PWD/node_modules/.bin:$PATH"
fi
