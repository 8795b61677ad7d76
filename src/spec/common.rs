//! Pieces shared by both kinds: metadata, names, durations, secret references.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The only apiVersion this release reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ApiVersion {
    #[serde(rename = "pipec/v1alpha1")]
    V1alpha1,
}

/// Who a document is and who owns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Metadata {
    /// The name: a DNS-1123 label (lower-case letters, digits, `-`) of at most 45 characters,
    /// starting with a letter. A pipeline's name becomes its FlinkDeployment's name.
    #[schemars(regex(pattern = r"^[a-z]([-a-z0-9]*[a-z0-9])?$"), length(min = 1, max = 45))]
    pub name: String,
    /// The team or person that owns it; written into labels and the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"), length(max = 63))]
    pub owner: Option<String>,
    /// What it is for, in a sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Extra labels for every Kubernetes object made from it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// A duration: a whole number and one of `ms`, `s`, `m`, `h`, `d` (`500ms`, `5s`, `10m`, `1h`, `7d`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Duration(#[schemars(regex(pattern = r"^[0-9]+(ms|s|m|h|d)$"))] pub String);

impl Duration {
    /// The duration in milliseconds; `None` when it does not match the pattern or overflows.
    pub fn millis(&self) -> Option<u64> {
        let s = self.0.as_str();
        let digits = s.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = s.split_at(digits);
        let n: u64 = n.parse().ok()?;
        let factor = match unit {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            _ => return None,
        };
        n.checked_mul(factor)
    }

    /// The duration as a Flink SQL interval literal's parts: (value, qualifier), as in
    /// `INTERVAL '5' SECOND`. Flink reads at most three digits before the first field, two
    /// unless the qualifier says three: `'100' SECOND(3)`; longer durations are written as
    /// `'12 00:00:00.000' DAY TO SECOND(3)`. `None` from 1000 days on.
    pub fn as_interval(&self) -> Option<(String, &'static str)> {
        const DAY: u64 = 86_400_000;
        let ms = self.millis()?;
        let (lead, unit, unit3) = if ms % DAY == 0 {
            (ms / DAY, "DAY", "DAY(3)")
        } else if ms % 3_600_000 == 0 {
            (ms / 3_600_000, "HOUR", "HOUR(3)")
        } else if ms % 60_000 == 0 {
            (ms / 60_000, "MINUTE", "MINUTE(3)")
        } else if ms % 1000 == 0 {
            (ms / 1000, "SECOND", "SECOND(3)")
        } else {
            let value = format!("{}.{:03}", ms / 1000, ms % 1000);
            return match ms / 1000 {
                0..100 => Some((value, "SECOND")),
                100..1000 => Some((value, "SECOND(3, 3)")),
                _ => day_to_second(ms),
            };
        };
        match lead {
            0..100 => Some((lead.to_string(), unit)),
            100..1000 => Some((lead.to_string(), unit3)),
            _ => day_to_second(ms),
        }
    }
}

/// `'D HH:MM:SS.fff' DAY TO SECOND(3)` (`DAY(3)` from 100 days on), below 1000 days.
fn day_to_second(ms: u64) -> Option<(String, &'static str)> {
    let days = ms / 86_400_000;
    let rest = ms % 86_400_000;
    let value =
        format!("{days} {:02}:{:02}:{:02}.{:03}", rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000);
    match days {
        0..100 => Some((value, "DAY TO SECOND(3)")),
        100..1000 => Some((value, "DAY(3) TO SECOND(3)")),
        _ => None,
    }
}

/// A reference to a Kubernetes Secret in the pipeline's namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecretRef {
    /// The Secret's name.
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"), length(max = 253))]
    pub secret: String,
}

#[cfg(test)]
#[allow(
    clippy::string_slice,
    clippy::indexing_slicing,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]
mod tests {
    use super::*;

    fn interval(d: &str) -> Option<(String, &'static str)> {
        Duration(d.to_string()).as_interval()
    }

    #[test]
    fn intervals_flink_reads() {
        // Each form was planned by Flink 1.20; `INTERVAL '100' SECOND` is not (SECOND(2)).
        let s = |v: &str, u| Some((v.to_string(), u));
        assert_eq!(interval("5s"), s("5", "SECOND"));
        assert_eq!(interval("1500ms"), s("1.500", "SECOND"));
        assert_eq!(interval("99h"), s("99", "HOUR"));
        assert_eq!(interval("100s"), s("100", "SECOND(3)"));
        assert_eq!(interval("150h"), s("150", "HOUR(3)"));
        assert_eq!(interval("999d"), s("999", "DAY(3)"));
        assert_eq!(interval("100500ms"), s("100.500", "SECOND(3, 3)"));
        assert_eq!(interval("1000s"), s("0 00:16:40.000", "DAY TO SECOND(3)"));
        assert_eq!(interval("99999s"), s("1 03:46:39.000", "DAY TO SECOND(3)"));
        assert_eq!(interval("8640000001ms"), s("100 00:00:00.001", "DAY(3) TO SECOND(3)"));
        assert_eq!(interval("86399999999ms"), s("999 23:59:59.999", "DAY(3) TO SECOND(3)"));
        assert_eq!(interval("1000d"), None);
        assert_eq!(interval("99999999999999999999d"), None);
        assert_eq!(Duration("213503982334601d".to_string()).millis(), None);
    }
}
