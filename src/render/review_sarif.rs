//! The security review as SARIF 2.1.0 (`amlplan review --format sarif`), in the form GitHub
//! code scanning accepts: every rule with its help and `security-severity`, results with
//! their region and stable `partialFingerprints` (rule, address and attribute path; never
//! the line), suppressed findings kept with their suppression.

use serde::Serialize;

use crate::review::{Finding, Review, Rule};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<ReportingDescriptor<'a>>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    precision: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    logical_locations: [LogicalLocation<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "primaryLocationLineHash")]
    primary: String,
    #[serde(rename = "amlplanFinding/v1")]
    amlplan: String,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: String,
}

fn descriptor(rule: &Rule) -> ReportingDescriptor<'_> {
    let mut refs = String::new();
    for p in rule.policy {
        refs.push_str(&format!("\n- Azure Policy built-in: {p}"));
    }
    for c in rule.checkov {
        refs.push_str(&format!("\n- Checkov: {c}"));
    }
    let references = if refs.is_empty() {
        String::new()
    } else {
        format!("\n\nReferences:{refs}")
    };
    ReportingDescriptor {
        id: rule.id,
        name: rule
            .title
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join("-"),
        short_description: Text {
            text: rule.title.to_string(),
        },
        full_description: Text {
            text: rule.rationale.to_string(),
        },
        help: Help {
            text: format!(
                "{}\n\nFix: {}{references}",
                rule.rationale, rule.remediation
            ),
            markdown: format!(
                "{}\n\n**Fix:** {}{references}\n\nApplies to: {}.",
                rule.rationale,
                rule.remediation,
                rule.kinds().join(", ")
            ),
        },
        default_configuration: Configuration {
            level: rule.severity.sarif_level(),
        },
        properties: RuleProperties {
            tags: vec!["security", "azure-ml", rule.area.as_str()],
            precision: "high",
            security_severity: rule.severity.security_severity(),
        },
    }
}

fn result<'a>(f: &'a Finding, index: usize, prefix: Option<&str>) -> SarifResult<'a> {
    SarifResult {
        rule_id: f.rule.id,
        rule_index: index,
        level: f.severity().sarif_level(),
        message: Text {
            text: f.message.clone(),
        },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri(prefix, &f.file),
                },
                region: Region {
                    start_line: f.line,
                    start_column: f.column,
                    end_line: f.end_line.max(f.line),
                    end_column: f.end_column,
                },
            },
            logical_locations: [LogicalLocation {
                fully_qualified_name: &f.address,
                kind: "resource",
            }],
        }],
        partial_fingerprints: Fingerprints {
            primary: format!("{}:1", f.fingerprint),
            amlplan: f.fingerprint.clone(),
        },
        suppressions: if f.suppressed {
            vec![Suppression {
                kind: if f.inline { "inSource" } else { "external" },
                justification: f.reason.clone().unwrap_or_default(),
            }]
        } else {
            Vec::new()
        },
    }
}

pub fn to_value(review: &Review, prefix: Option<&str>) -> serde_json::Value {
    let rules = crate::review::rules::RULES;
    let results = review
        .findings
        .iter()
        .map(|f| {
            let index = rules.iter().position(|r| r.id == f.rule.id).unwrap_or(0);
            result(f, index, prefix)
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "amlplan",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: rules.iter().map(|r| descriptor(r)).collect(),
                },
            },
            results,
        }],
    };
    serde_json::to_value(&log).unwrap_or_default()
}

/// The SARIF log; `prefix` (`--path-prefix`) is put before every file path, which is
/// otherwise relative to the manifest directory.
pub fn render(review: &Review, prefix: Option<&str>) -> String {
    serde_json::to_string_pretty(&to_value(review, prefix)).unwrap_or_default() + "\n"
}

/// A finding's file as a URI reference: relative to the manifest directory, under `prefix`
/// when given (code scanning resolves paths from the repository root, and the manifest is
/// rarely at the root). Separators are forward slashes, as URIs have them.
fn uri(prefix: Option<&str>, file: &str) -> String {
    let file = file.replace('\\', "/");
    let prefix = prefix.map(|p| p.replace('\\', "/")).unwrap_or_default();
    let mut prefix = prefix.trim_end_matches('/');
    while let Some(rest) = prefix.strip_prefix("./") {
        prefix = rest;
    }
    if prefix.is_empty() || prefix == "." {
        file
    } else {
        format!("{prefix}/{file}")
    }
}
