//! libFuzzer entry point; the checks are in `aurora_data_api_fuzz::mysql_codec` (fuzz/src/mysql_codec.rs).
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};

fuzz_target!(|data: &[u8]| -> Corpus {
    if aurora_data_api_fuzz::mysql_codec::run(data) {
        Corpus::Keep
    } else {
        Corpus::Reject
    }
});
