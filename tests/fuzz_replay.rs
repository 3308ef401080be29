//! Replays the committed minimized fuzz corpora (`fuzz/replay/<target>`) through the fuzz
//! targets' own checks, so every input libFuzzer found interesting stays a fast regression
//! test in CI. The checks are `fuzz/src`'s, included here as a module: the fuzz crate itself
//! lives outside the workspace because it needs cargo-fuzz and libFuzzer to build.

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz_checks;

/// Runs every file of one target's corpus; fails naming the inputs that fail its checks.
fn replay(target: &str, run: fn(&[u8]) -> bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/replay")
        .join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e} (the committed corpus is missing)", dir.display()))
        .map(|entry| entry.expect("a corpus directory entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: empty corpus", dir.display());

    let mut decoded = 0;
    let mut failed = Vec::new();
    for file in &files {
        let bytes = fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        match panic::catch_unwind(AssertUnwindSafe(|| run(&bytes))) {
            Ok(true) => decoded += 1,
            Ok(false) => {}
            Err(_) => failed.push(file.file_name().unwrap().to_string_lossy().into_owned()),
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
    // A corpus whose files no longer decode (the input type changed) would check nothing.
    assert!(
        decoded * 10 >= files.len() * 9,
        "{target}: only {decoded} of {} corpus files decode to an input; re-minimize the corpus \
         (fuzz/minimize.sh)",
        files.len()
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
    replay("pg_codec", fuzz_checks::pg_codec::run);
}

#[test]
fn mysql_codec_corpus() {
    replay("mysql_codec", fuzz_checks::mysql_codec::run);
}

#[test]
fn server_request_corpus() {
    replay("server_request", fuzz_checks::server_request::run);
}
