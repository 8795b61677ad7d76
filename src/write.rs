//! Placeholder until the writer lands.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}
pub struct Output { pub files: std::collections::BTreeMap<String, Vec<u8>> }
