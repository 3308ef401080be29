#!/usr/bin/env bash
# Merges what fuzzing found (fuzz/corpus/<target>) into the committed minimized corpus
# (fuzz/replay/<target>) with libFuzzer's -merge=1: the smallest set of inputs that keeps all
# the coverage features of both. CI replays fuzz/replay (tests/fuzz_replay.rs); the script
# rewrites that test's digests (fuzz/replay/*.digest) and runs it. Run it while no fuzzer is
# running on the corpus: libFuzzer deletes files it has reduced.
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
host=$(rustc -vV | sed -n 's/^host: //p')
mkdir -p "$here/logs"
for t in "${targets[@]}"; do
    bin="$target_dir/$host/release/$t"
    inputs=()
    for d in "$here/replay/$t" "$here/corpus/$t"; do
        [ -d "$d" ] && inputs+=("$d")
    done
    if [ ${#inputs[@]} -eq 0 ]; then
        echo "$t: no corpus to merge (run fuzz/run.sh $t first)" >&2
        continue
    fi
    out=$(mktemp -d)
    "$bin" -merge=1 -timeout=10 "$out" "${inputs[@]}" >"$here/logs/$t.merge.log" 2>&1 \
        || { echo "$t: merge failed, see fuzz/logs/$t.merge.log" >&2; rm -rf "$out"; exit 1; }
    rm -rf "$here/replay/$t"
    mkdir -p "$here/replay"
    mv "$out" "$here/replay/$t"
    chmod 755 "$here/replay/$t"
    echo "$t: $(find "$here/replay/$t" -type f | wc -l) inputs, $(du -sh --apparent-size "$here/replay/$t" | cut -f1)"
done

# The replay test keeps a digest of what the structured targets' files decode to; rewrite it.
FUZZ_REPLAY_BLESS=1 cargo test --quiet --test fuzz_replay >/dev/null
cargo test --quiet --test fuzz_replay
