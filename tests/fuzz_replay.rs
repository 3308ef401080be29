//! Replays the committed minimized fuzz corpora (`fuzz/replay/<target>`) through the fuzz
//! targets' own checks, so every input libFuzzer found interesting stays a fast regression
//! test in CI. The checks are `fuzz/src`'s, included here as a module: the fuzz crate itself
//! lives outside the workspace because it needs cargo-fuzz and libFuzzer to build.
//!
//! The structured targets (`pg_codec`, `mysql_codec`) decode their bytes with `arbitrary`, so a
//! changed input type silently gives every corpus file another meaning; a digest of the decoded
//! inputs (`fuzz/replay/<target>.digest`) catches that. `fuzz/minimize.sh` rewrites the digests
//! after merging, through `FUZZ_REPLAY_BLESS=1 cargo test --test fuzz_replay`.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz_checks;

type Describe = fn(&[u8]) -> Option<String>;

fn replay_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/replay")
}

/// One target's corpus files, sorted by name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = replay_dir().join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (the committed corpus is missing)", dir.display()))
        .map(|entry| entry.expect("a corpus directory entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: empty corpus", dir.display());
    files
        .into_iter()
        .map(|file| {
            let bytes = fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            (
                file.file_name().unwrap().to_string_lossy().into_owned(),
                bytes,
            )
        })
        .collect()
}

/// Runs every file of one target's corpus; fails naming the inputs that fail its checks.
fn replay(target: &str, run: fn(&[u8]) -> bool) -> Vec<(String, Vec<u8>)> {
    let files = corpus(target);
    let mut failed = Vec::new();
    for (name, bytes) in &files {
        if panic::catch_unwind(AssertUnwindSafe(|| run(bytes))).is_err() {
            failed.push(name.clone());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} corpus inputs fail the target's checks (panics above): {failed:?}; \
         one replays under libFuzzer with `RUSTC_BOOTSTRAP=1 cargo fuzz run {target} \
         fuzz/replay/{target}/<file>`",
        failed.len(),
        files.len()
    );
    files
}

/// 64-bit FNV-1a: a digest that is the same on every toolchain (std's hashers promise no such
/// thing).
fn fnv1a(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

/// Checks (or, with `FUZZ_REPLAY_BLESS=1`, writes) the digest of what the corpus files decode
/// to, file name and `Debug` text of the input, in file order.
fn check_digest(target: &str, files: &[(String, Vec<u8>)], describe: Describe) {
    let mut hash = 0xcbf2_9ce4_8422_2325;
    let mut decoded = 0;
    for (name, bytes) in files {
        fnv1a(&mut hash, name.as_bytes());
        if let Some(text) = describe(bytes) {
            decoded += 1;
            fnv1a(&mut hash, text.as_bytes());
        }
        fnv1a(&mut hash, &[0]);
    }
    assert!(decoded > 0, "{target}: no corpus file decodes to an input");
    let digest = format!("{hash:016x} {decoded} of {} files decode\n", files.len());
    let path = replay_dir().join(format!("{target}.digest"));
    if std::env::var_os("FUZZ_REPLAY_BLESS").is_some() {
        fs::write(&path, &digest).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let committed = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        committed,
        digest,
        "{target}: the corpus files no longer decode to the inputs they were found as (the \
         input type or the corpus changed); re-minimize with fuzz/minimize.sh {target}, which \
         rewrites {}",
        path.display()
    );
}

#[test]
fn lexer_corpus() {
    replay("lexer", fuzz_checks::lexer::run);
}

#[test]
fn splitter_corpus() {
    replay("splitter", fuzz_checks::splitter::run);
}

#[test]
fn pg_codec_corpus() {
    let files = replay("pg_codec", fuzz_checks::pg_codec::run);
    check_digest("pg_codec", &files, fuzz_checks::pg_codec::describe);
}

#[test]
fn mysql_codec_corpus() {
    let files = replay("mysql_codec", fuzz_checks::mysql_codec::run);
    check_digest("mysql_codec", &files, fuzz_checks::mysql_codec::describe);
}

#[test]
fn server_request_corpus() {
    let files = replay("server_request", fuzz_checks::server_request::run);
    // Only request bodies reach the checks past JSON parsing; if the request type changed so
    // that most files stop parsing, the corpus would mostly test serde's error path.
    let parsed = files
        .iter()
        .filter(|(_, bytes)| fuzz_checks::server_request::parses(bytes))
        .count();
    assert!(
        parsed * 10 >= files.len(),
        "server_request: only {parsed} of {} corpus files parse as an ExecuteStatement body; \
         re-minimize with fuzz/minimize.sh server_request",
        files.len()
    );
}
