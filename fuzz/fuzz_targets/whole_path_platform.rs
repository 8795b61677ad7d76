//! Bytes as the platform file, under the bundled pipelines, through emit.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut files = vec![("platform.yaml".to_string(), data.to_vec())];
    files.extend(pipec_fuzz::PIPELINES.iter().map(|(p, b)| (p.to_string(), b.to_vec())));
    pipec_fuzz::compile_and_check(files);
});
