//! Azure name rules for the resources a manifest creates.
//!
//! ARM rejects a bad name only when the request is sent, often after other resources in the
//! same plan were already created. Checking names up front keeps a plan all-or-nothing, and the
//! messages here say which part of the rule failed rather than quoting a regex.
//!
//! Each rule is written as data ([`Spec`]) plus a few hand-written extra checks, so the error
//! for `compute_cluster "gpu-cluster-1"` can say "must not end in a hyphen followed by digits"
//! instead of "does not match `^[a-zA-Z](?![a-zA-Z0-9-]*-\d+$)…`". Lengths count characters.
//!
//! Sources for each rule are given on the variants of [`NameRule`]. A kind whose rule is its
//! own declares it in its own file as a [`NameSpec`] (`NameRule::Own`), so adding a kind needs
//! no edit here.

use std::fmt;

/// Which Azure naming rule a name must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameRule {
    /// Azure ML workspace. Spec pattern (2025-12-01): `^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`.
    Workspace,
    /// Azure ML compute (cluster or instance). Spec pattern (2025-12-01):
    /// `^[a-zA-Z](?![a-zA-Z0-9-]*-\d+$)[a-zA-Z0-9\-]{2,23}$`.
    Compute,
    /// Online or batch endpoint. The ARM spec only has the generic
    /// `^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$`, but the service enforces the documented endpoint
    /// limit (Azure ML "manage quotas" page): begin with a letter, 3 to 32 characters, letters and
    /// digits with single dashes. The name becomes a DNS label of the scoring URI
    /// (`{name}.{region}.inference.ml.azure.com`), so it may not end in a hyphen.
    Endpoint,
    /// Online or batch deployment. Same documented limit as endpoints: begin with a letter,
    /// 3 to 32 characters, letters, digits and hyphens, not ending in a hyphen.
    Deployment,
    /// Workspace outbound rule. Spec pattern: `^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`.
    OutboundRule,
    /// Environment, data and model names. Spec pattern (2025-09-01 containers):
    /// `^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$`.
    Asset,
    /// Environment, data and model versions. The spec gives version names no pattern; this rule
    /// is the asset-name rule plus `.`, since dotted versions (`1.0.0`) are common. A version
    /// must not be empty.
    AssetVersion,
    /// `Microsoft.Network/privateEndpoints`: 2 to 64 characters, letters, digits, underscores,
    /// periods and hyphens, starting with a letter or digit and ending with a letter, digit or
    /// underscore (Azure resource naming rules page).
    PrivateEndpoint,
    /// `Microsoft.Network/privateDnsZones`: the zone's DNS name, at least two labels.
    DnsZone,
    /// Anything else: not empty, no characters that break ARM request URLs.
    Generic,
    /// A rule a kind declares itself, beside its source (the kind's file).
    Own(&'static NameSpec),
}

/// A naming rule as data: lengths in characters, the characters allowed besides ASCII letters
/// and digits, and the words messages use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NameSpec {
    /// What the name belongs to, for messages ("serverless endpoint name").
    pub subject: &'static str,
    pub min: usize,
    pub max: usize,
    /// Extra characters allowed anywhere after the first.
    pub extra: &'static [char],
    /// Words for the allowed characters, for messages.
    pub allowed_words: &'static str,
    /// The first character must be a letter (not a digit).
    pub first_letter: bool,
    /// Characters allowed last besides letters and digits, with words for the whole set.
    pub last: Option<(&'static [char], &'static str)>,
    /// The rule in words, for help text.
    pub description: &'static str,
}

impl NameRule {
    /// Every rule, for help output and tests.
    pub const ALL: [NameRule; 10] = [
        NameRule::Workspace,
        NameRule::Compute,
        NameRule::Endpoint,
        NameRule::Deployment,
        NameRule::OutboundRule,
        NameRule::Asset,
        NameRule::AssetVersion,
        NameRule::PrivateEndpoint,
        NameRule::DnsZone,
        NameRule::Generic,
    ];
}

impl fmt::Display for NameRule {
    /// What the name belongs to, for messages ("workspace name").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            NameRule::Workspace => "workspace name",
            NameRule::Compute => "compute name",
            NameRule::Endpoint => "endpoint name",
            NameRule::Deployment => "deployment name",
            NameRule::OutboundRule => "outbound rule name",
            NameRule::Asset => "asset name",
            NameRule::AssetVersion => "asset version",
            NameRule::PrivateEndpoint => "private endpoint name",
            NameRule::DnsZone => "DNS zone name",
            NameRule::Generic => "resource name",
            NameRule::Own(spec) => spec.subject,
        };
        f.write_str(s)
    }
}

/// Which characters a rule allows besides ASCII letters and digits.
#[derive(Clone, Copy)]
struct Spec {
    min: usize,
    max: usize,
    /// Extra characters allowed anywhere after the first.
    extra: &'static [char],
    /// Words for the allowed characters, for messages.
    allowed_words: &'static str,
    /// The first character must be a letter (not a digit).
    first_letter: bool,
    /// Characters allowed as the last character besides letters and digits, with words for
    /// the whole set. `None` means no restriction beyond `extra`.
    last: Option<(&'static [char], &'static str)>,
}

fn spec(rule: NameRule) -> Option<Spec> {
    let s = match rule {
        NameRule::Workspace | NameRule::OutboundRule => Spec {
            min: 3,
            max: 33,
            extra: &['_', '-'],
            allowed_words: "letters, digits, underscores and hyphens",
            first_letter: false,
            last: None,
        },
        NameRule::Compute => Spec {
            min: 3,
            max: 24,
            extra: &['-'],
            allowed_words: "letters, digits and hyphens",
            first_letter: true,
            last: None,
        },
        NameRule::Endpoint | NameRule::Deployment => Spec {
            min: 3,
            max: 32,
            extra: &['-'],
            allowed_words: "letters, digits and hyphens",
            first_letter: true,
            last: Some((&[], "a letter or digit")),
        },
        NameRule::Asset => Spec {
            min: 1,
            max: 255,
            extra: &['-', '_'],
            allowed_words: "letters, digits, hyphens and underscores",
            first_letter: false,
            last: None,
        },
        NameRule::AssetVersion => Spec {
            min: 1,
            max: 255,
            extra: &['-', '_', '.'],
            allowed_words: "letters, digits, hyphens, underscores and periods",
            first_letter: false,
            last: None,
        },
        NameRule::PrivateEndpoint => Spec {
            min: 2,
            max: 64,
            extra: &['_', '.', '-'],
            allowed_words: "letters, digits, underscores, periods and hyphens",
            first_letter: false,
            last: Some((&['_'], "a letter, digit or underscore")),
        },
        NameRule::Own(own) => Spec {
            min: own.min,
            max: own.max,
            extra: own.extra,
            allowed_words: own.allowed_words,
            first_letter: own.first_letter,
            last: own.last,
        },
        NameRule::DnsZone | NameRule::Generic => return None,
    };
    Some(s)
}

/// Checks `name` against `rule`. The error says what is wrong, without a subject
/// ("must be 3 to 24 characters long (got 27)"); the caller names the resource.
pub fn check_name(rule: NameRule, name: &str) -> Result<(), String> {
    match spec(rule) {
        Some(spec) => check_spec(rule, spec, name),
        None if rule == NameRule::DnsZone => check_dns_zone(name),
        None => check_generic(name),
    }
}

fn check_spec(rule: NameRule, spec: Spec, name: &str) -> Result<(), String> {
    let chars: Vec<char> = name.chars().collect();
    let Some(&first) = chars.first() else {
        return Err("must not be empty".to_string());
    };
    if chars.len() < spec.min || chars.len() > spec.max {
        return Err(length_message(spec.min, spec.max, chars.len()));
    }
    if spec.first_letter && !first.is_ascii_alphabetic() {
        return Err(format!("must start with a letter (got {first:?})"));
    }
    if !first.is_ascii_alphanumeric() {
        return Err(format!("must start with a letter or digit (got {first:?})"));
    }
    if let Some((pos, c)) = chars
        .iter()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_alphanumeric() && !spec.extra.contains(c))
    {
        return Err(format!(
            "may contain only {} (found {c:?} at position {})",
            spec.allowed_words,
            pos + 1
        ));
    }
    let last = chars[chars.len() - 1];
    if let Some((last_extra, allowed)) = spec.last
        && !last.is_ascii_alphanumeric()
        && !last_extra.contains(&last)
    {
        return Err(format!("must end with {allowed} (got {last:?})"));
    }
    if rule == NameRule::Compute && ends_in_hyphen_digits(name) {
        return Err("must not end in a hyphen followed by digits".to_string());
    }
    Ok(())
}

/// The rule in words, for help text.
pub fn describe(rule: NameRule) -> &'static str {
    match rule {
        NameRule::Workspace => {
            "3 to 33 characters: letters, digits, underscores and hyphens, starting with a letter or digit"
        }
        NameRule::Compute => {
            "3 to 24 characters: letters, digits and hyphens, starting with a letter and not ending in a hyphen followed by digits"
        }
        NameRule::Endpoint => {
            "3 to 32 characters: letters, digits and hyphens, starting with a letter and ending with a letter or digit"
        }
        NameRule::Deployment => {
            "3 to 32 characters: letters, digits and hyphens, starting with a letter and ending with a letter or digit"
        }
        NameRule::OutboundRule => {
            "3 to 33 characters: letters, digits, underscores and hyphens, starting with a letter or digit"
        }
        NameRule::Asset => {
            "1 to 255 characters: letters, digits, hyphens and underscores, starting with a letter or digit"
        }
        NameRule::AssetVersion => {
            "1 to 255 characters: letters, digits, hyphens, underscores and periods, starting with a letter or digit"
        }
        NameRule::PrivateEndpoint => {
            "2 to 64 characters: letters, digits, underscores, periods and hyphens, starting with a letter or digit and ending with a letter, digit or underscore"
        }
        NameRule::DnsZone => {
            "a DNS name of at least two dot-separated labels, at most 253 characters; each label 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen"
        }
        NameRule::Generic => {
            "not empty, without surrounding spaces, control characters or any of / \\ ? # % < > &, and not ending in a period"
        }
        NameRule::Own(spec) => spec.description,
    }
}

fn length_message(min: usize, max: usize, got: usize) -> String {
    if got > max && min <= 1 {
        format!("must be at most {max} characters long (got {got})")
    } else {
        format!("must be {min} to {max} characters long (got {got})")
    }
}

/// `-` followed by one or more ASCII digits at the very end.
fn ends_in_hyphen_digits(name: &str) -> bool {
    match name.rsplit_once('-') {
        Some((_, tail)) => !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

fn check_dns_zone(name: &str) -> Result<(), String> {
    const MAX_TOTAL: usize = 253;
    const MAX_LABEL: usize = 63;
    if name.is_empty() {
        return Err("must not be empty".to_string());
    }
    let len = name.chars().count();
    if len > MAX_TOTAL {
        return Err(format!(
            "must be at most {MAX_TOTAL} characters long (got {len})"
        ));
    }
    if name.ends_with('.') {
        return Err("must not end with a period (write the zone without the root dot)".to_string());
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 {
        return Err(
            "must have at least two labels separated by periods (e.g. `contoso.internal`)"
                .to_string(),
        );
    }
    for (i, label) in labels.iter().enumerate() {
        let n = i + 1;
        if label.is_empty() {
            return Err(format!(
                "label {n} is empty (two periods in a row or a leading period)"
            ));
        }
        let label_len = label.chars().count();
        if label_len > MAX_LABEL {
            return Err(format!(
                "label {n} (`{label}`) must be at most {MAX_LABEL} characters long (got {label_len})"
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !c.is_ascii_alphanumeric() && *c != '-')
        {
            return Err(format!(
                "label {n} (`{label}`) may contain only letters, digits and hyphens (found {c:?})"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "label {n} (`{label}`) must not start or end with a hyphen"
            ));
        }
    }
    Ok(())
}

fn check_generic(name: &str) -> Result<(), String> {
    const FORBIDDEN: &[char] = &['/', '\\', '?', '#', '%', '<', '>', '&'];
    if name.is_empty() {
        return Err("must not be empty".to_string());
    }
    if name.trim() != name {
        return Err("must not start or end with whitespace".to_string());
    }
    if let Some((pos, c)) = name
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() || FORBIDDEN.contains(c))
    {
        return Err(format!(
            "must not contain {c:?} (found at position {})",
            pos + 1
        ));
    }
    if name.ends_with('.') {
        return Err("must not end with a period".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(rule: NameRule, name: &str) {
        if let Err(e) = check_name(rule, name) {
            panic!("{rule} {name:?} should be valid, got: {e}");
        }
    }

    fn bad(rule: NameRule, name: &str) -> String {
        match check_name(rule, name) {
            Ok(()) => panic!("{rule} {name:?} should be invalid"),
            Err(e) => e,
        }
    }

    #[test]
    fn every_rule_rejects_empty_and_has_a_description() {
        for rule in NameRule::ALL {
            assert_eq!(bad(rule, ""), "must not be empty", "{rule}");
            assert!(!describe(rule).is_empty());
        }
    }

    #[test]
    fn workspace() {
        for n in ["abc", "ML-ws_01", "0ws", &"a".repeat(33)] {
            ok(NameRule::Workspace, n);
        }
        assert_eq!(
            bad(NameRule::Workspace, "ab"),
            "must be 3 to 33 characters long (got 2)"
        );
        assert_eq!(
            bad(NameRule::Workspace, &"a".repeat(34)),
            "must be 3 to 33 characters long (got 34)"
        );
        assert_eq!(
            bad(NameRule::Workspace, "_ws"),
            "must start with a letter or digit (got '_')"
        );
        assert_eq!(
            bad(NameRule::Workspace, "my.ws"),
            "may contain only letters, digits, underscores and hyphens (found '.' at position 3)"
        );
        assert_eq!(
            bad(NameRule::Workspace, "wé-1"),
            "may contain only letters, digits, underscores and hyphens (found 'é' at position 2)"
        );
    }

    #[test]
    fn compute() {
        for n in [
            "cpu",
            "gpu-cluster",
            "gpu-cluster-a1",
            "a1-2b",
            "Abc",
            &"a".repeat(24),
        ] {
            ok(NameRule::Compute, n);
        }
        assert_eq!(
            bad(NameRule::Compute, "gpu-cluster-for-training1"),
            "must be 3 to 24 characters long (got 25)"
        );
        assert_eq!(
            bad(NameRule::Compute, "ab"),
            "must be 3 to 24 characters long (got 2)"
        );
        assert_eq!(
            bad(NameRule::Compute, "1gpu"),
            "must start with a letter (got '1')"
        );
        assert_eq!(
            bad(NameRule::Compute, "gpu_cluster"),
            "may contain only letters, digits and hyphens (found '_' at position 4)"
        );
        assert_eq!(
            bad(NameRule::Compute, "gpu-cluster-1"),
            "must not end in a hyphen followed by digits"
        );
        bad(NameRule::Compute, "a-12");
        bad(NameRule::Compute, "ab-1-22");
    }

    #[test]
    fn endpoint_and_deployment() {
        for rule in [NameRule::Endpoint, NameRule::Deployment] {
            for n in ["abc", "my-endpoint-name", "blue", "Ep1", &"a".repeat(32)] {
                ok(rule, n);
            }
            assert_eq!(bad(rule, "ab"), "must be 3 to 32 characters long (got 2)");
            assert_eq!(
                bad(rule, &"a".repeat(33)),
                "must be 3 to 32 characters long (got 33)"
            );
            assert_eq!(bad(rule, "1abc"), "must start with a letter (got '1')");
            assert_eq!(bad(rule, "-abc"), "must start with a letter (got '-')");
            assert_eq!(
                bad(rule, "my_endpoint"),
                "may contain only letters, digits and hyphens (found '_' at position 3)"
            );
            assert_eq!(
                bad(rule, "endpoint-"),
                "must end with a letter or digit (got '-')"
            );
        }
    }

    #[test]
    fn outbound_rule() {
        for n in ["pe-storage", "allow_pypi", "1rule", &"r".repeat(33)] {
            ok(NameRule::OutboundRule, n);
        }
        assert_eq!(
            bad(NameRule::OutboundRule, "ab"),
            "must be 3 to 33 characters long (got 2)"
        );
        assert_eq!(
            bad(NameRule::OutboundRule, "-rule"),
            "must start with a letter or digit (got '-')"
        );
        assert_eq!(
            bad(NameRule::OutboundRule, "pypi.org"),
            "may contain only letters, digits, underscores and hyphens (found '.' at position 5)"
        );
    }

    #[test]
    fn assets_and_versions() {
        for n in ["a", "sklearn-env", "credit_data", "7", &"a".repeat(255)] {
            ok(NameRule::Asset, n);
        }
        assert_eq!(
            bad(NameRule::Asset, &"a".repeat(256)),
            "must be at most 255 characters long (got 256)"
        );
        assert_eq!(
            bad(NameRule::Asset, "_data"),
            "must start with a letter or digit (got '_')"
        );
        assert_eq!(
            bad(NameRule::Asset, "env.v1"),
            "may contain only letters, digits, hyphens and underscores (found '.' at position 4)"
        );
        assert_eq!(
            bad(NameRule::Asset, "my env"),
            "may contain only letters, digits, hyphens and underscores (found ' ' at position 3)"
        );

        for v in ["1", "12", "1.0.0", "2024-01-01", "v2_rc.1"] {
            ok(NameRule::AssetVersion, v);
        }
        assert_eq!(bad(NameRule::AssetVersion, ""), "must not be empty");
        assert_eq!(
            bad(NameRule::AssetVersion, ".1"),
            "must start with a letter or digit (got '.')"
        );
        assert_eq!(
            bad(NameRule::AssetVersion, "1/2"),
            "may contain only letters, digits, hyphens, underscores and periods (found '/' at position 2)"
        );
    }

    #[test]
    fn private_endpoint() {
        for n in ["pe", "pe-aml.ws_01", "pe_", "A1", &"p".repeat(64)] {
            ok(NameRule::PrivateEndpoint, n);
        }
        assert_eq!(
            bad(NameRule::PrivateEndpoint, "p"),
            "must be 2 to 64 characters long (got 1)"
        );
        assert_eq!(
            bad(NameRule::PrivateEndpoint, &"p".repeat(65)),
            "must be 2 to 64 characters long (got 65)"
        );
        assert_eq!(
            bad(NameRule::PrivateEndpoint, ".pe"),
            "must start with a letter or digit (got '.')"
        );
        assert_eq!(
            bad(NameRule::PrivateEndpoint, "pe-"),
            "must end with a letter, digit or underscore (got '-')"
        );
        assert_eq!(
            bad(NameRule::PrivateEndpoint, "pe."),
            "must end with a letter, digit or underscore (got '.')"
        );
        assert_eq!(
            bad(NameRule::PrivateEndpoint, "pe ws"),
            "may contain only letters, digits, underscores, periods and hyphens (found ' ' at position 3)"
        );
    }

    #[test]
    fn dns_zone() {
        for n in [
            "privatelink.api.azureml.ms",
            "privatelink.notebooks.azure.net",
            "contoso.internal",
            "a.b",
            "x-1.example-2.com",
        ] {
            ok(NameRule::DnsZone, n);
        }
        assert_eq!(
            bad(NameRule::DnsZone, "localhost"),
            "must have at least two labels separated by periods (e.g. `contoso.internal`)"
        );
        assert_eq!(
            bad(NameRule::DnsZone, "contoso.com."),
            "must not end with a period (write the zone without the root dot)"
        );
        assert_eq!(
            bad(NameRule::DnsZone, "a..b"),
            "label 2 is empty (two periods in a row or a leading period)"
        );
        assert_eq!(
            bad(NameRule::DnsZone, ".a.b"),
            "label 1 is empty (two periods in a row or a leading period)"
        );
        assert_eq!(
            bad(NameRule::DnsZone, "-a.com"),
            "label 1 (`-a`) must not start or end with a hyphen"
        );
        assert_eq!(
            bad(NameRule::DnsZone, "a.b-"),
            "label 2 (`b-`) must not start or end with a hyphen"
        );
        assert_eq!(
            bad(NameRule::DnsZone, "my_zone.com"),
            "label 1 (`my_zone`) may contain only letters, digits and hyphens (found '_')"
        );
        let long_label = format!("{}.com", "a".repeat(64));
        assert_eq!(
            bad(NameRule::DnsZone, &long_label),
            format!(
                "label 1 (`{}`) must be at most 63 characters long (got 64)",
                "a".repeat(64)
            )
        );
        ok(NameRule::DnsZone, &format!("{}.com", "a".repeat(63)));
        // 4 labels of 63 plus 3 dots = 255 characters.
        let too_long = vec!["a".repeat(63); 4].join(".");
        assert_eq!(
            bad(NameRule::DnsZone, &too_long),
            "must be at most 253 characters long (got 255)"
        );
        let max = format!("{}.{}", vec!["a".repeat(63); 3].join("."), "a".repeat(61));
        assert_eq!(max.len(), 253);
        ok(NameRule::DnsZone, &max);
    }

    #[test]
    fn generic() {
        for n in [
            "anything",
            "with space",
            "a.b-c_d(1)",
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        ] {
            ok(NameRule::Generic, n);
        }
        assert_eq!(
            bad(NameRule::Generic, " lead"),
            "must not start or end with whitespace"
        );
        assert_eq!(
            bad(NameRule::Generic, "a/b"),
            "must not contain '/' (found at position 2)"
        );
        assert_eq!(
            bad(NameRule::Generic, "a#b"),
            "must not contain '#' (found at position 2)"
        );
        assert_eq!(
            bad(NameRule::Generic, "a\tb"),
            "must not contain '\\t' (found at position 2)"
        );
        assert_eq!(
            bad(NameRule::Generic, "name."),
            "must not end with a period"
        );
    }

    #[test]
    fn hyphen_digit_suffix() {
        assert!(ends_in_hyphen_digits("a-1"));
        assert!(ends_in_hyphen_digits("abc-123"));
        assert!(!ends_in_hyphen_digits("abc-"));
        assert!(!ends_in_hyphen_digits("abc-1a"));
        assert!(!ends_in_hyphen_digits("abc1"));
    }

    #[test]
    fn display_names_the_subject() {
        assert_eq!(NameRule::Compute.to_string(), "compute name");
        assert_eq!(NameRule::DnsZone.to_string(), "DNS zone name");
    }
}
