//! Placeholder until the loader lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind { Platform, Pipeline }
