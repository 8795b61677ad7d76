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
                e.rfind("Fix: ").map_or(e, |i| e[i + 5..].trim())
            }

            pub fn parse(s: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str().eq_ignore_ascii_case(s))
            }
        }
    };
}

include!("codes_table.rs");
