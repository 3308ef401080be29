//! libFuzzer entry point; the checks are in `aurora_data_api_fuzz::server_request` (fuzz/src/server_request.rs).
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    if aurora_data_api_fuzz::server_request::run(data) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
