//! Bytes as SQL: a query type-checked against fixed relations, a computed-column expression
//! and a type string.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        pipec_fuzz::check_sql(text);
    }
});
