//! libFuzzer entry point; the checks are in `aurora_data_api_fuzz::lexer` (fuzz/src/lexer.rs).
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    if aurora_data_api_fuzz::lexer::run(data) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
