#!/usr/bin/env bash
# Merges what fuzzing found (fuzz/corpus/<target>) into the committed minimized corpus
# (fuzz/replay/<target>) with libFuzzer's -merge=1: the smallest set of inputs that keeps all
# the coverage of both. CI replays fuzz/replay (tests/fuzz_replay.rs).
#
#   fuzz/minimize.sh                 # every target
#   fuzz/minimize.sh lexer splitter
#
# Uses the binaries fuzz/run.sh built (same target dir and sanitizer variables).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
target_dir=${FUZZ_TARGET_DIR:-$root/target}
sanitizer=${FUZZ_SANITIZER:-address}
cgu=${FUZZ_CODEGEN_UNITS:-16}
export RUSTC_BOOTSTRAP=${RUSTC_BOOTSTRAP:-1}

all_targets=(lexer splitter pg_codec mysql_codec server_request)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

cd "$root"
cargo fuzz build --target-dir "$target_dir" --codegen-units "$cgu" --sanitizer "$sanitizer" >/dev/null
for t in "${targets[@]}"; do
    bin="$target_dir/x86_64-unknown-linux-gnu/release/$t"
    out=$(mktemp -d)
    inputs=()
    for d in "$here/replay/$t" "$here/corpus/$t"; do
        [ -d "$d" ] && inputs+=("$d")
    done
    "$bin" -merge=1 -timeout=10 "$out" "${inputs[@]}" >"$here/logs/$t.merge.log" 2>&1 \
        || { echo "$t: merge failed, see fuzz/logs/$t.merge.log" >&2; rm -rf "$out"; exit 1; }
    rm -rf "$here/replay/$t"
    mkdir -p "$here/replay"
    mv "$out" "$here/replay/$t"
    chmod 755 "$here/replay/$t"
    echo "$t: $(find "$here/replay/$t" -type f | wc -l) inputs, $(du -sh "$here/replay/$t" | cut -f1)"
done
