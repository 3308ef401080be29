#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time and prints libFuzzer's figures per target.
#
#   fuzz/run.sh                 # every target, 120 s each
#   FUZZ_SECONDS=30 fuzz/run.sh lexer splitter
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). On a stable toolchain cargo-fuzz's
# -Z flags are allowed through RUSTC_BOOTSTRAP=1, set here unless already set.
#
# Environment:
#   FUZZ_SECONDS     seconds per target (default 120)
#   FUZZ_TIMEOUT     seconds one input may take before it counts as a hang (default 10)
#   FUZZ_SANITIZER   address (default) or none; falls back to none if address cannot build
#   FUZZ_TARGET_DIR  cargo target dir (default: the workspace's target/, shared with its builds)
#   FUZZ_CODEGEN_UNITS  codegen units (default 16: a much faster build than cargo-fuzz's 1)
#   FUZZ_ARGS        extra libFuzzer arguments, e.g. "-max_len=8192"
#   FUZZ_PARALLEL    1: run the targets at the same time instead of one after another (they
#                    share the cores; the summary gives each one's CPU time)
#
# The corpus grows in fuzz/corpus/<target> on top of the committed minimized corpus in
# fuzz/replay/<target> and the seeds in fuzz/seeds; libFuzzer's output goes to
# fuzz/logs/<target>.log (corpus/ and logs/ are git-ignored). `fuzz/minimize.sh` merges a
# grown corpus back into fuzz/replay, which CI replays (tests/fuzz_replay.rs). A crashing input is saved in
# fuzz/artifacts/<target>/ and replays with
# `RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>`.
# Exit status: 0 when no target crashed, 1 when one did, 2 when the build failed.
# Not run by CI (.ci/run): it takes minutes and needs cargo-fuzz.

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
seconds=${FUZZ_SECONDS:-120}
timeout=${FUZZ_TIMEOUT:-10}
sanitizer=${FUZZ_SANITIZER:-address}
target_dir=${FUZZ_TARGET_DIR:-$root/target}
cgu=${FUZZ_CODEGEN_UNITS:-16}
export RUSTC_BOOTSTRAP=${RUSTC_BOOTSTRAP:-1}

all_targets=(lexer splitter pg_codec mysql_codec server_request)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

seeds_of() {
    case "$1" in
        lexer | splitter) echo "$here/seeds/sql" ;;
        server_request) echo "$here/seeds/server_request" ;;
        *) echo "" ;;
    esac
}

dict_of() {
    case "$1" in
        lexer | splitter | server_request) echo "$here/dicts/sql.dict" ;;
        *) echo "" ;;
    esac
}

cd "$root" || exit 2
if [ ! -x /usr/bin/time ]; then
    echo "GNU time (/usr/bin/time, Debian package time) is needed for the CPU figures" >&2
    exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is not installed: cargo install cargo-fuzz --locked" >&2
    exit 2
fi

# Build every requested target once up front (cargo fuzz build takes one target or all).
build_log=$(mktemp)
if [ ${#targets[@]} -eq 1 ]; then
    cargo fuzz build --target-dir "$target_dir" --codegen-units "$cgu" --sanitizer "$sanitizer" "${targets[0]}" >"$build_log" 2>&1
else
    cargo fuzz build --target-dir "$target_dir" --codegen-units "$cgu" --sanitizer "$sanitizer" >"$build_log" 2>&1
fi
status=$?
if [ $status -ne 0 ] && [ "$sanitizer" = address ]; then
    echo "building with AddressSanitizer failed; retrying with --sanitizer none" >&2
    tail -5 "$build_log" >&2
    sanitizer=none
    cargo fuzz build --target-dir "$target_dir" --codegen-units "$cgu" --sanitizer none >"$build_log" 2>&1
    status=$?
fi
if [ $status -ne 0 ]; then
    cat "$build_log" >&2
    rm -f "$build_log"
    exit 2
fi
rm -f "$build_log"

mkdir -p "$here/logs"

# Runs one target; its summary line goes to fuzz/logs/<target>.summary, exit status 1 on a crash.
run_one() {
    local t=$1
    local corpus="$here/corpus/$t"
    mkdir -p "$corpus"
    local dirs=("$corpus")
    [ -d "$here/replay/$t" ] && dirs+=("$here/replay/$t")
    local seeds
    seeds=$(seeds_of "$t")
    [ -n "$seeds" ] && dirs+=("$seeds")
    local args=(-max_total_time="$seconds" -timeout="$timeout" -print_final_stats=1)
    local dict
    dict=$(dict_of "$t")
    [ -n "$dict" ] && args+=(-dict="$dict")
    # shellcheck disable=SC2206
    [ -n "${FUZZ_ARGS:-}" ] && args+=(${FUZZ_ARGS})
    local log="$here/logs/$t.log" cpu_file="$here/logs/$t.cpu"
    rm -f "$here/logs/$t.summary"
    echo "== $t: ${seconds}s (sanitizer: $sanitizer) =="
    local started rc elapsed
    started=$(date +%s)
    # GNU time records the CPU seconds (user + system) of the fuzzer and everything it runs.
    /usr/bin/time -o "$cpu_file" -f '%U %S' \
        cargo fuzz run --target-dir "$target_dir" --codegen-units "$cgu" --sanitizer "$sanitizer" "$t" "${dirs[@]}" -- "${args[@]}" >"$log" 2>&1
    rc=$?
    elapsed=$(($(date +%s) - started))
    local runs rate secs units cov corpus_n cpu result
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    # libFuzzer's own count of seconds ("Done N runs in S second(s)"); on a crash it prints
    # none, so the wall time of the run (start-up included) stands in.
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    secs=${secs:-~$elapsed}
    units=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    corpus_n=$(find "$corpus" -type f | wc -l)
    cpu=$(awk 'END { if (NF == 2) printf "%d", $1 + $2 }' "$cpu_file" 2>/dev/null)
    if [ $rc -eq 0 ]; then
        result="no crash"
    else
        local artifact
        artifact=$(grep -o "Test unit written to [^ ]*" "$log" | tail -1 | sed 's/Test unit written to //')
        result="CRASH (exit $rc) ${artifact:-see $log}"
        echo "---- $t failed; the end of $log:"
        grep -m1 -A12 -E "panicked at|ERROR: (AddressSanitizer|libFuzzer)|==[0-9]+== ERROR" "$log" || tail -30 "$log"
    fi
    printf '%-15s %12s execs %8s exec/s %6s s  cpu %6s s  cov %6s  new units %5s  corpus %6s  %s\n' \
        "$t" "${runs:-?}" "${rate:-?}" "${secs:-?}" "${cpu:-?}" "${cov:-?}" "${units:-?}" "$corpus_n" "$result" \
        | tee "$here/logs/$t.summary"
    [ $rc -eq 0 ]
}

crashed=0
if [ "${FUZZ_PARALLEL:-0}" = 1 ]; then
    pids=()
    for t in "${targets[@]}"; do
        run_one "$t" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || crashed=1; done
else
    for t in "${targets[@]}"; do run_one "$t" || crashed=1; done
fi
summary=()
for t in "${targets[@]}"; do
    summary+=("$(cat "$here/logs/$t.summary" 2>/dev/null || echo "$t: no summary (see fuzz/logs/$t.log)")")
done

echo
echo "== summary (${seconds}s per target, sanitizer: $sanitizer) =="
printf '%s\n' "${summary[@]}"
exit $crashed
