//! Structure-aware: the input's pieces (separated by NUL) fill the slots of a valid pipeline
//! (SQL blocks, a type, a computed column, names, durations, configuration), so that mutations
//! reach the checker, the planner and the emitter instead of stopping at the YAML reader.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let pipeline = pipec_fuzz::splice(data);
    pipec_fuzz::compile_and_check(vec![
        ("pipeline.yaml".to_string(), pipeline.into_bytes()),
        ("platform.yaml".to_string(), pipec_fuzz::PLATFORM.to_vec()),
    ]);
});
