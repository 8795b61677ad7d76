//! The table of diagnostic codes. A code never changes meaning once released.
//!
//! Ranges: E00xx YAML and files, E01xx structure (schema), E02xx references and names,
//! E03xx SQL syntax and types, E04xx changelog semantics and sink contracts, E05xx platform
//! rules, E06xx secrets and owned configuration, E09xx limits. Warnings mirror the ranges as W0xxx.
//! Each entry carries the long form printed by `pipec explain`.

use super::Severity;

macro_rules! codes {
    ($($id:ident $sev:ident $summary:literal $explain:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(clippy::upper_case_acronyms)]
        pub enum Code { $($id,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$id,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$id => stringify!($id),)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$id => Severity::$sev,)* }
            }

            /// A few words: the default label.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$id => $summary,)* }
            }

            /// The long form: what it means, an example, the fix.
            pub fn explain(self) -> &'static str {
                match self { $(Code::$id => $explain,)* }
            }

            /// The fix the explanation gives (its `Fix:` paragraph), the default help line.
            pub fn fix(self) -> &'static str {
                let e = self.explain();
                e.rsplit_once("Fix: ").map_or(e, |(_, fix)| fix.trim())
            }

            pub fn parse(s: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str().eq_ignore_ascii_case(s))
            }
        }
    };
}

include!("codes_table.rs");

/// The stage of checking a code belongs to; the documentation counts fixtures by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Yaml,
    Schema,
    References,
    PlatformRules,
    SqlSyntax,
    Types,
    TimeAttributes,
    Changelog,
    SinkContracts,
    Secrets,
    Limits,
}

impl Stage {
    pub const ALL: &'static [Stage] = &[
        Stage::Yaml,
        Stage::Schema,
        Stage::References,
        Stage::PlatformRules,
        Stage::SqlSyntax,
        Stage::Types,
        Stage::TimeAttributes,
        Stage::Changelog,
        Stage::SinkContracts,
        Stage::Secrets,
        Stage::Limits,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Yaml => "YAML and files",
            Stage::Schema => "schema",
            Stage::References => "references",
            Stage::PlatformRules => "names and platform rules",
            Stage::SqlSyntax => "SQL syntax and the SQL runner",
            Stage::Types => "types",
            Stage::TimeAttributes => "time attributes and streaming",
            Stage::Changelog => "changelog",
            Stage::SinkContracts => "sink contracts",
            Stage::Secrets => "secrets and owned configuration",
            Stage::Limits => "limits",
        }
    }
}

impl Code {
    /// The stage of checking that reports this code.
    pub fn stage(self) -> Stage {
        use Code::*;
        match self {
            E0001 | E0002 | E0003 | E0004 | E0005 | E0006 | E0007 | E0008 | E0009 => Stage::Yaml,
            E0101 | E0102 | E0103 | E0104 | E0105 | E0107 | E0108 => Stage::Schema,
            E0201 | E0202 | E0203 | E0205 | W0201 | W0202 | E0302 | E0303 | E0304 | E0313 => Stage::References,
            E0204 | E0501 | E0502 | E0503 | E0505 | E0506 | W0501 => Stage::PlatformRules,
            E0301 | E0308 | E0309 | W0301 => Stage::SqlSyntax,
            E0305 | E0306 | E0307 | E0310 | E0311 => Stage::Types,
            E0312 | E0314 | E0315 | E0316 => Stage::TimeAttributes,
            E0401 | E0408 | E0409 => Stage::Changelog,
            E0402 | E0403 | E0404 | E0405 | E0406 | E0407 => Stage::SinkContracts,
            E0504 | E0601 | E0602 | E0603 => Stage::Secrets,
            E0901 => Stage::Limits,
        }
    }
}
