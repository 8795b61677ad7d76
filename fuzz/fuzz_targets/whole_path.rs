//! Bytes as a pipeline file, next to the bundled platform, through emit.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pipec_fuzz::compile_and_check(vec![
        ("fuzzed.yaml".to_string(), data.to_vec()),
        ("platform.yaml".to_string(), pipec_fuzz::PLATFORM.to_vec()),
    ]);
});
