//! The security review (issue 12): every rule fires on its fixture and stays quiet on the
//! other (`tests/fixtures/review/<RULE>/{fires,quiet}/`), the examples in every format,
//! suppression, gating and exit codes, stable fingerprints, and the SARIF output against the
//! vendored SARIF 2.1.0 schema (`tests/sarif-schema-2.1.0.json`).

use std::collections::BTreeSet;
use std::path::Path;

use amlplan::review::{self, Review, Severity};
use serde_json::Value;

use crate::support::{AZURE, amlplan, copy_fixture, fixture_dir, manifest, repo, stderr, stdout};

/// Compiles, lowers and reviews a manifest directory in-process; `Err` with the errors when
/// it does not compile.
fn review_dir(dir: &Path) -> Result<Review, String> {
    let c = amlplan::compile::compile(dir, &Default::default());
    let errors: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    if !errors.is_empty() {
        return Err(errors.join("; "));
    }
    let desired = c
        .reading(|| amlplan::arm::lower::lower(&c.manifest, &c.sources))
        .map_err(|e| format!("{} lowering error(s)", e.len()))?;
    Ok(review::review(&c.manifest, &desired, &c.sources))
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

fn rules_of(findings: &Value, suppressed: bool) -> Vec<String> {
    findings
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["suppressed"] == suppressed)
        .filter_map(|f| f["rule"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn every_rule_fires_on_its_fixture_and_is_quiet_on_the_other() {
    let mut failures = Vec::new();
    for rule in review::rules::RULES {
        for (case, fires) in [("fires", true), ("quiet", false)] {
            let name = format!("review/{}/{case}", rule.id);
            if !fixture_dir(&name).is_dir() {
                failures.push(format!("{name}: no fixture"));
                continue;
            }
            let dir = tempfile::tempdir().expect("temp dir");
            copy_fixture(&name, dir.path());
            let review = match review_dir(dir.path()) {
                Ok(r) => r,
                Err(e) => {
                    failures.push(format!("{name}: does not compile: {e}"));
                    continue;
                }
            };
            let hits: Vec<_> = review
                .findings
                .iter()
                .filter(|f| f.rule.id == rule.id && !f.suppressed)
                .collect();
            if fires == hits.is_empty() {
                let all: Vec<&str> = review.findings.iter().map(|f| f.rule.id).collect();
                failures.push(format!(
                    "{name}: expected {} finding, got {all:?}",
                    if fires { "a" } else { "no" }
                ));
            }
            for f in hits {
                if f.file != "main.hcl" || f.line == 0 || f.column == 0 {
                    failures.push(format!(
                        "{name}: finding at {}:{}:{}",
                        f.file, f.line, f.column
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fraud_detection_has_no_finding_at_high_or_above_and_its_ignore_applies() {
    let review = review_dir(&repo().join("examples/fraud-detection")).expect("compiles");
    let high: Vec<String> = review
        .unsuppressed()
        .filter(|f| f.severity() >= Severity::High)
        .map(|f| format!("{} {}", f.rule.id, f.message))
        .collect();
    assert!(high.is_empty(), "{high:#?}");
    let pypi = review
        .findings
        .iter()
        .find(|f| f.address == "workspace.fraud.outbound_rule.pypi")
        .expect("the pypi rule is a finding");
    assert!(pypi.suppressed, "{pypi:?}");
    assert_eq!(
        pypi.reason.as_deref(),
        Some("approved by sec-ops, ticket 1234")
    );
    // The workspace's and the feature store's, both restricted.
    assert_eq!(review.egress.len(), 2);
    for egress in &review.egress {
        assert!(egress.verdict.starts_with("restricted"), "{egress:?}");
    }
}

#[test]
fn examples_in_every_format_match_their_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo().join("snapshots/review"));
    settings.set_prepend_module_to_snapshot(false);
    for name in crate::plan::example_names() {
        for format in ["human", "json", "sarif", "markdown"] {
            let dir = format!("examples/{name}");
            let out = amlplan(&repo(), &["review", "--format", format, &dir]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name} {format}: {}",
                stderr(&out)
            );
            let text = stdout(&out);
            assert!(
                !text.contains(&*repo().to_string_lossy()),
                "{name} {format}: absolute path"
            );
            settings.bind(|| insta::assert_snapshot!(format!("{name}-{format}"), text));
        }
    }
}

#[test]
fn the_json_report_has_the_documented_shape() {
    let out = amlplan(
        &repo(),
        &["review", "--format", "json", "examples/fraud-detection"],
    );
    let report = json(&out);
    assert_eq!(report["version"], 1);
    assert_eq!(report["fail_on"], "high");
    let finding = &report["findings"][0];
    for key in [
        "rule",
        "severity",
        "title",
        "message",
        "address",
        "file",
        "line",
        "column",
        "suppressed",
        "reason",
    ] {
        assert!(
            finding.get(key).is_some(),
            "finding without `{key}`: {finding:#}"
        );
    }
    let severities: BTreeSet<&str> = ["info", "low", "medium", "high", "critical"].into();
    for f in report["findings"].as_array().expect("findings") {
        assert!(
            severities.contains(f["severity"].as_str().unwrap_or("")),
            "{f:#}"
        );
    }
    let egress = report["egress"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["workspace"] == "workspace.fraud"))
        .expect("the workspace's egress");
    assert!(egress["allowed"].as_array().is_some_and(|a| !a.is_empty()));
    assert!(egress["required"].as_array().is_some_and(|a| !a.is_empty()));
    assert_eq!(egress["inbound"][0]["via"], "private_endpoint.workspace");
    assert!(egress["verdict"].as_str().is_some_and(|v| !v.is_empty()));
}

const PUBLIC_WORKSPACE: &str = "workspace \"mlw\" {\n  public_network_access = true\n}\n";

fn gated(extra: &str) -> tempfile::TempDir {
    manifest(&[(
        "main.hcl",
        &format!("{AZURE}\nreview {{\n  fail_on = \"high\"\n{extra}}}\n\n{PUBLIC_WORKSPACE}"),
    )])
}

#[test]
fn findings_at_fail_on_make_review_and_plan_exit_3_and_apply_refuse() {
    let dir = gated("");
    let out = amlplan(dir.path(), &["review"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("E1001"), "{}", stderr(&out));
    assert!(stdout(&out).contains("AML-NET-001"), "{}", stdout(&out));
    // --fail-on overrides the manifest's level.
    let out = amlplan(dir.path(), &["review", "--fail-on", "critical"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = amlplan(dir.path(), &["plan"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("E1001"), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Security review:"),
        "{}",
        stdout(&out)
    );
    let out = amlplan(dir.path(), &["plan", "--format", "json"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(rules_of(&json(&out)["review"]["findings"], false).contains(&"AML-NET-001".into()));

    let out = amlplan(dir.path(), &["apply", "--auto-approve"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("E1002"), "{}", stderr(&out));
    assert!(
        !dir.path().join(".amlplan/mock-cloud.json").exists(),
        "a refused apply changed nothing"
    );
    let out = amlplan(dir.path(), &["apply", "--auto-approve", "--allow-findings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn without_a_review_block_only_fail_on_gates() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}\n{PUBLIC_WORKSPACE}"))]);
    let out = amlplan(dir.path(), &["review"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = amlplan(dir.path(), &["review", "--fail-on", "medium"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let out = amlplan(dir.path(), &["plan", "--fail-on", "high"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let out = amlplan(dir.path(), &["review", "--fail-on", "severe"]);
    assert_eq!(out.status.code(), Some(2), "clap refuses an unknown level");
}

#[test]
fn suppressions_accept_findings_only_with_a_reason() {
    // An ignore block.
    let dir = gated(
        "  ignore \"AML-NET-001\" {\n    address = \"workspace.mlw\"\n    reason  = \"a public demo, ticket 42\"\n  }\n",
    );
    let out = amlplan(dir.path(), &["review", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert!(rules_of(&report["findings"], true).contains(&"AML-NET-001".into()));
    let f = report["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["rule"] == "AML-NET-001"))
        .expect("still listed");
    assert_eq!(f["reason"], "a public demo, ticket 42");

    // An inline comment, kept in SARIF as an in-source suppression.
    let dir = manifest(&[(
        "main.hcl",
        &format!(
            "{AZURE}\nreview {{ fail_on = \"high\" }}\n\n# amlplan:ignore AML-NET-001 a public demo, ticket 42\n{PUBLIC_WORKSPACE}"
        ),
    )]);
    let out = amlplan(dir.path(), &["review", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let sarif = json(&out);
    let result = sarif["runs"][0]["results"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["ruleId"] == "AML-NET-001"))
        .expect("the suppressed result is kept");
    assert_eq!(result["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        result["suppressions"][0]["justification"],
        "a public demo, ticket 42"
    );

    // A comment above a resource accepts the rule for the blocks inside it too.
    let dir = manifest(&[(
        "main.hcl",
        &format!(
            "{AZURE}\n# amlplan:ignore AML-NET-004 package feeds approved, ticket 7\nworkspace \"mlw\" {{\n  managed_network {{\n    isolation_mode = \"allow_only_approved_outbound\"\n    outbound_rule \"pypi\" {{\n      type        = \"fqdn\"\n      destination = \"pypi.org\"\n    }}\n  }}\n}}\n"
        ),
    )]);
    let out = amlplan(dir.path(), &["review", "--format", "json"]);
    let report = json(&out);
    assert!(
        rules_of(&report["findings"], true).contains(&"AML-NET-004".into()),
        "{report:#}"
    );
    assert!(
        !rules_of(&report["findings"], false).contains(&"AML-NET-004".into()),
        "{report:#}"
    );

    // Without a reason: not applied, and a finding of its own.
    for (suppression, at) in [
        ("", "# amlplan:ignore AML-NET-001\n"),
        (
            "  ignore \"AML-NET-001\" {\n    address = \"workspace.mlw\"\n    reason  = \" \"\n  }\n",
            "",
        ),
    ] {
        let dir = manifest(&[(
            "main.hcl",
            &format!(
                "{AZURE}\nreview {{\n  fail_on = \"high\"\n{suppression}}}\n\n{at}{PUBLIC_WORKSPACE}"
            ),
        )]);
        let out = amlplan(dir.path(), &["review", "--format", "json"]);
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        let open = rules_of(&json(&out)["findings"], false);
        assert!(
            open.contains(&"AML-NET-001".into()) && open.contains(&"AML-REV-001".into()),
            "{open:?}"
        );
    }
}

#[test]
fn fingerprints_are_unaffected_by_unrelated_edits() {
    let fingerprints = |text: &str| -> (Vec<String>, Vec<u64>) {
        let dir = manifest(&[("main.hcl", text)]);
        let out = amlplan(dir.path(), &["review", "--format", "sarif"]);
        let sarif = json(&out);
        let results = sarif["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut prints: Vec<String> = results
            .iter()
            .map(|r| r["partialFingerprints"]["primaryLocationLineHash"].to_string())
            .collect();
        prints.sort();
        let lines = results
            .iter()
            .filter_map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64())
            .collect();
        (prints, lines)
    };
    let before = format!("{AZURE}\n{PUBLIC_WORKSPACE}");
    let after = format!(
        "{AZURE}\n# A comment and another block above it move every line.\n\nprivate_dns_zone \"api\" {{\n  name = \"privatelink.api.azureml.ms\"\n  vnet_link \"hub\" {{\n    virtual_network = \"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v\"\n  }}\n}}\n\n{PUBLIC_WORKSPACE}"
    );
    let (a, lines_a) = fingerprints(&before);
    let (b, lines_b) = fingerprints(&after);
    assert!(!a.is_empty());
    assert_ne!(lines_a, lines_b, "the edit moved the findings");
    assert_eq!(a, b, "fingerprints changed with the lines");
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("tests/sarif-schema-2.1.0.json")).expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::draft4::new(&schema).expect("a valid draft-4 schema");
    let mut logs = Vec::new();
    for name in crate::plan::example_names() {
        let out = amlplan(
            &repo(),
            &["review", "--format", "sarif", &format!("examples/{name}")],
        );
        logs.push((name, json(&out)));
    }
    let dir = gated("");
    logs.push((
        "gated".into(),
        json(&amlplan(dir.path(), &["review", "--format", "sarif"])),
    ));
    for (name, log) in &logs {
        let errors: Vec<String> = validator.iter_errors(log).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        let run = &log["runs"][0];
        for rule in run["tool"]["driver"]["rules"].as_array().expect("rules") {
            assert!(
                rule["help"]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{rule:#}"
            );
            let score: f64 = rule["properties"]["security-severity"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .expect("security-severity");
            assert!((0.1..=10.0).contains(&score));
        }
        for result in run["results"].as_array().expect("results") {
            let region = &result["locations"][0]["physicalLocation"]["region"];
            for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                assert!(region[key].as_u64().is_some_and(|n| n > 0), "{result:#}");
            }
            assert!(result["partialFingerprints"]["primaryLocationLineHash"].is_string());
        }
    }
    // The validator is not vacuous: a log without `runs` fails.
    assert!(!validator.is_valid(&serde_json::json!({"version": "2.1.0"})));
}

#[test]
fn sarif_paths_take_the_path_prefix() {
    let uris = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["review", "--format", "sarif", "examples/fraud-detection"];
        args.extend_from_slice(extra);
        let log = json(&amlplan(&repo(), &args));
        log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .expect("uri")
                    .to_string()
            })
            .collect()
    };
    let plain = uris(&[]);
    assert!(!plain.is_empty());
    assert!(plain.iter().all(|u| !u.contains('/')), "{plain:?}");
    for prefix in ["./infra/ml/", "infra/ml", "infra\\ml"] {
        let prefixed = uris(&["--path-prefix", prefix]);
        let expected: Vec<String> = plain.iter().map(|u| format!("infra/ml/{u}")).collect();
        assert_eq!(prefixed, expected, "{prefix}");
    }
    assert_eq!(uris(&["--path-prefix", "."]), plain);
}

#[test]
fn explain_prints_a_rule_and_list_names_every_rule() {
    let out = amlplan(&repo(), &["explain", "AML-NET-001"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for part in [
        "Workspace allows public network access",
        "CKV_AZURE_144",
        "disable public network access",
        "## Fix",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    let out = amlplan(&repo(), &["explain", "list"]);
    for rule in review::rules::RULES {
        assert!(stdout(&out).contains(rule.id), "{}", rule.id);
    }
    let out = amlplan(&repo(), &["explain", "AML-NET-0004"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("AML-NET-004"), "{}", stderr(&out));
}

#[test]
fn a_secret_finding_never_shows_the_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_fixture("review/AML-DAT-003/fires", dir.path());
    let secret = "hunter2-but-longer";
    assert!(
        std::fs::read_to_string(dir.path().join("main.hcl"))
            .unwrap_or_default()
            .contains(secret)
    );
    for format in ["human", "json", "sarif", "markdown"] {
        let out = amlplan(dir.path(), &["review", "--format", format]);
        let text = stdout(&out) + &stderr(&out);
        assert!(text.contains("AML-DAT-003"), "{format}: {text}");
        assert!(text.contains("DB_PASSWORD"), "{format}: the key is named");
        assert!(!text.contains(secret), "{format}: the secret is shown");
    }
}
