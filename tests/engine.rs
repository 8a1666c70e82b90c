//! The engine over the provider seam, through the library: re-evaluation from the in-memory
//! manifest, the provider's defaults in lowering, events, and the CLI errors of the engine
//! and provider as coded diagnostics.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use amlplan::engine::events::{Event, EventSink};
use amlplan::engine::lowered::Lowered;
use amlplan::engine::{Engine, StateConfig};
use amlplan::lang::instantiate::Inputs;
use amlplan::lang::value::Value as HclValue;
use amlplan::plan::planner::PlanOptions;
use amlplan::provider::client::ClientOptions;
use amlplan::provider::emulator::{EmulatorOptions, MockCloud};
use amlplan::provider::mock::MockProvider;
use amlplan::provider::{Provider, ProviderDefaults};

use crate::plan::Sandbox;
use crate::support::{AZURE, manifest, stderr};

/// The same manifest the known-after-apply tests use.
use crate::known::MANIFEST as KNOWN_AFTER;

/// Deletes every `*.hcl` file of `dir`: what follows must not need them.
fn delete_manifest_files(dir: &std::path::Path) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "hcl") {
            std::fs::remove_file(path).expect("remove");
        }
    }
}

fn principal_of(desired: &[amlplan::arm::Desired]) -> serde_json::Value {
    let d = desired
        .iter()
        .find(|d| d.address == "role_assignment.ws-reads-itself")
        .expect("the assignment is desired");
    match d.is_unknown_at("properties.principalId") {
        true => serde_json::Value::String(amlplan::arm::UNKNOWN_TEXT.into()),
        false => d.body["properties"]["principalId"].clone(),
    }
}

#[test]
fn reevaluation_reads_no_manifest_file() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}{KNOWN_AFTER}"))]);
    let compilation = amlplan::compile::compile(dir.path(), &Inputs::default());
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    delete_manifest_files(dir.path());
    let principal = "11111111-2222-3333-4444-555555555555";
    let inputs = Inputs {
        known: BTreeMap::from([(
            "workspace.known-after".to_string(),
            BTreeMap::from([(
                "principal_id".to_string(),
                HclValue::String(principal.into()),
            )]),
        )]),
        ..Inputs::default()
    };
    let again = compilation.reevaluate(&inputs);
    assert!(!again.has_errors(), "{:?}", again.diagnostics);
    let desired = amlplan::arm::lower::lower(&again.manifest, &again.sources).expect("lowers");
    assert_eq!(principal_of(&desired), principal);
}

#[test]
fn the_tenant_comes_from_the_provider_and_the_manifest_is_unchanged() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}{KNOWN_AFTER}"))]);
    let compilation = amlplan::compile::compile(dir.path(), &Inputs::default());
    let defaults = ProviderDefaults {
        tenant_id: Some("tenant-of-the-provider".into()),
    };
    let desired =
        amlplan::arm::lower::lower_with(&compilation.manifest, &compilation.sources, &defaults)
            .expect("lowers");
    let vault = desired
        .iter()
        .find(|d| d.kind == "key_vault")
        .expect("a key vault");
    assert_eq!(
        vault.body["properties"]["tenantId"],
        "tenant-of-the-provider"
    );
    let azure = compilation.manifest.azure.as_ref().expect("azure block");
    assert!(!azure.body.attrs.contains_key("tenant_id"));
}

/// Records the engine's events as short strings.
#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl EventSink for Recorder {
    fn event(&self, event: &Event<'_>) {
        let line = match *event {
            Event::RefreshStarted { resources } => format!("refresh {resources}"),
            Event::RefreshFinished { failed, .. } => format!("refreshed, {failed} failed"),
            Event::ApplyStarted { ops } => format!("apply {}", ops.len()),
            Event::OpStarted { op } => format!("start {}", op.address),
            Event::OpFinished { op, .. } => format!("done {}", op.address),
            Event::OpFailed { op, .. } => format!("failed {}", op.address),
            Event::OpSkipped { op, .. } => format!("skipped {}", op.address),
        };
        self.0.lock().expect("lock").push(line);
    }
}

#[test]
fn the_engine_applies_over_a_provider_from_the_in_memory_manifest() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}{KNOWN_AFTER}"))]);
    let cloud = MockCloud::new(EmulatorOptions::default());
    let provider: Arc<dyn Provider> =
        Arc::new(MockProvider::over(cloud.clone(), ClientOptions::instant()));
    let compilation = amlplan::compile::compile(dir.path(), &Inputs::default());
    assert!(!compilation.has_errors());
    let mut lowered = Lowered::lower(
        dir.path().to_path_buf(),
        Inputs::default(),
        compilation,
        Vec::new(),
        provider.defaults(),
    )
    .unwrap_or_else(|f| panic!("lowering failed: {:?}", f.errors));
    assert_eq!(principal_of(&lowered.desired), amlplan::arm::UNKNOWN_TEXT);
    let state_dir = tempfile::tempdir().expect("temp dir");
    let mut engine = Engine::open(
        provider,
        &StateConfig {
            path: state_dir.path().join("state.json"),
            lock_for: Some("engine test".into()),
        },
    )
    .expect("the engine starts");
    let recorder = Arc::new(Recorder::default());
    engine.set_events(recorder.clone());
    let plan = engine
        .plan_manifest(&mut lowered, PlanOptions::default())
        .expect("plans");
    assert!(plan.has_changes());
    // The principal is resolved mid-apply from the manifest held in memory.
    delete_manifest_files(dir.path());
    engine.reconcile(&plan);
    let results = engine.apply(&plan, &lowered, 4);
    assert!(
        results
            .iter()
            .all(|r| matches!(r.outcome, amlplan::apply::scheduler::Outcome::Done)),
        "{results:?}"
    );
    engine.finish(Some(&lowered)).expect("finishes");

    let events = recorder.0.lock().expect("lock").clone();
    assert!(events.iter().any(|e| e.starts_with("refresh ")));
    let starts = events.iter().filter(|e| e.starts_with("start ")).count();
    let dones = events.iter().filter(|e| e.starts_with("done ")).count();
    assert_eq!(starts, results.len());
    assert_eq!(dones, results.len());
    assert!(events.contains(&format!("apply {}", results.len())));

    let ids = cloud.resource_ids().join("\n");
    assert!(ids.contains("roleAssignments"), "{ids}");
    let stored = String::from_utf8_lossy(&cloud.lock().to_json()).into_owned();
    assert!(!stored.contains("known after apply"), "{stored}");
    let output = engine.state().outputs()["principal"].value.clone();
    let principal = output.as_str().unwrap_or_default();
    assert_eq!(principal.len(), 36, "{output}");
    assert!(
        stored.contains(principal),
        "the assignment names the principal"
    );
}

#[test]
fn invalid_mock_options_are_their_own_code() {
    let sb = Sandbox::files(&[("main.hcl", AZURE)]);
    let out = sb.run_with(&["plan"], Some("{not json"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0910"), "{}", stderr(&out));
    assert!(stderr(&out).contains("AMLPLAN_MOCK_OPTIONS"));
}

#[test]
fn apply_without_a_terminal_needs_confirmation() {
    let sb = Sandbox::files(&[(
        "main.hcl",
        &format!("{AZURE}workspace \"engine-ws\" {{}}\n"),
    )]);
    let out = sb.run(&["apply"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error[E0912]: apply needs confirmation"),
        "{err}"
    );
    assert!(
        err.contains("apply cancelled: nothing was changed"),
        "{err}"
    );
    assert!(sb.cloud_ids().is_empty());
}

#[test]
fn an_unwritable_plan_file_is_a_coded_error() {
    let sb = Sandbox::files(&[(
        "main.hcl",
        &format!("{AZURE}workspace \"engine-ws\" {{}}\n"),
    )]);
    let out = sb.run(&["plan", "--out", "no/such/dir/plan.json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0911"), "{}", stderr(&out));
}

#[test]
fn state_and_output_lookups_fail_with_codes() {
    let sb = Sandbox::files(&[("main.hcl", AZURE)]);
    // Before any apply, a manifest without outputs has nothing to show.
    let out = sb.run(&["output"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("declares no outputs"),
        "{}",
        stderr(&out)
    );
    sb.expect(&["apply", "--auto-approve"], 0);
    let out = sb.run(&["output", "nope"]);
    assert!(
        stderr(&out).contains("error[E0914]: no output named `nope`"),
        "{}",
        stderr(&out)
    );
    let out = sb.run(&["state", "show", "workspace.nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[E0915]: `workspace.nope` is not in the state"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn explaining_an_unknown_code_is_a_coded_error() {
    let sb = Sandbox::files(&[("main.hcl", AZURE)]);
    let out = sb.run(&["explain", "E020"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error[E0916]: `E020` is not a diagnostic code"),
        "{err}"
    );
    assert!(err.contains("help: `amlplan explain list` lists every code"));
}

#[test]
fn the_provider_seam_refuses_a_write_holding_an_unknown_value() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}{KNOWN_AFTER}"))]);
    let cloud = MockCloud::new(EmulatorOptions::default());
    let provider: Arc<dyn Provider> =
        Arc::new(MockProvider::over(cloud.clone(), ClientOptions::instant()));
    let compilation = amlplan::compile::compile(dir.path(), &Inputs::default());
    let lowered = Lowered::lower(
        dir.path().to_path_buf(),
        Inputs::default(),
        compilation,
        Vec::new(),
        provider.defaults(),
    )
    .unwrap_or_else(|f| panic!("lowering failed: {:?}", f.errors));
    let assignment = lowered
        .desired
        .iter()
        .find(|d| d.address == "role_assignment.ws-reads-itself")
        .expect("the assignment is desired");
    assert!(assignment.id_unknown);
    assert_eq!(assignment.unknown, ["properties.principalId"]);
    let refused = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(
            provider
                .client()
                .put_entry(assignment, assignment.body.clone()),
        )
        .expect_err("the write is refused");
    let diagnostic = amlplan::diagnostics::engine::operation_failed(&assignment.address, &refused);
    assert_eq!(diagnostic.code, amlplan::diagnostics::codes::Code::E0990);
    assert!(
        diagnostic.message.contains("properties.principalId"),
        "{}",
        diagnostic.message
    );
    assert!(
        cloud.resource_ids().is_empty(),
        "nothing was sent: {:?}",
        cloud.resource_ids()
    );
}

#[test]
fn reevaluation_sees_the_var_files_and_files_as_the_compilation_read_them() {
    let text = r#"
variable "team" {
  type = string
}

workspace "read-once" {
  identity {
    type = "system_assigned"
  }
  tags = {
    team = var.team
    note = file("note.txt")
  }
}

role_assignment "reads-itself" {
  role           = "Reader"
  principal_id   = workspace.read-once.principal_id
  principal_type = "service_principal"
  scope          = workspace.read-once
}
"#;
    let dir = manifest(&[
        ("main.hcl", &format!("{AZURE}{text}")),
        ("note.txt", "first"),
        ("team.tfvars", "team = \"ml-platform\"\n"),
    ]);
    let inputs = Inputs {
        var_files: vec![dir.path().join("team.tfvars")],
        ..Inputs::default()
    };
    let compilation = amlplan::compile::compile(dir.path(), &inputs);
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    let lowered = Lowered::lower(
        dir.path().to_path_buf(),
        inputs,
        compilation,
        Vec::new(),
        ProviderDefaults::default(),
    )
    .unwrap_or_else(|f| panic!("lowering failed: {:?}", f.errors));
    // Mid-apply, the files change on disk; what is being applied must not.
    std::fs::write(dir.path().join("note.txt"), "second").unwrap();
    std::fs::write(dir.path().join("team.tfvars"), "team = \"other\"\n").unwrap();
    delete_manifest_files(dir.path());
    let known = BTreeMap::from([(
        "workspace.read-once".to_string(),
        BTreeMap::from([(
            "principal_id".to_string(),
            HclValue::String("11111111-2222-3333-4444-555555555555".into()),
        )]),
    )]);
    let resolver = lowered.resolver();
    let workspace = resolver
        .resolve("workspace.read-once", &known)
        .expect("resolves");
    assert_eq!(workspace.body["tags"]["note"], "first");
    assert_eq!(workspace.body["tags"]["team"], "ml-platform");
    let assignment = resolver
        .resolve("role_assignment.reads-itself", &known)
        .expect("resolves");
    assert!(!assignment.has_unknown(), "{assignment:?}");
}

/// Re-evaluation with values known after apply evaluates the manifest once per resource whose
/// values became known, not once per operation, and gives what a fresh evaluation gives.
#[test]
fn reevaluation_evaluates_once_per_resource_whose_values_became_known() {
    let mut text = String::new();
    for w in ["wsa", "wsb"] {
        text.push_str(&format!(
            "workspace \"{w}\" {{\n  identity {{\n    type = \"system_assigned\"\n  }}\n}}\n"
        ));
        let roles = [
            "Reader",
            "Contributor",
            "AzureML Data Scientist",
            "AzureML Compute Operator",
        ];
        for (n, role) in roles.iter().enumerate() {
            text.push_str(&format!(
                "role_assignment \"{w}{n}\" {{\n  role           = \"{role}\"\n  principal_id   = \
                 workspace.{w}.principal_id\n  principal_type = \"service_principal\"\n  scope          \
                 = workspace.{w}\n  description    = \"{w} {n}\"\n}}\n"
            ));
        }
    }
    let dir = manifest(&[("main.hcl", &format!("{AZURE}{text}"))]);
    let compilation = amlplan::compile::compile(dir.path(), &Inputs::default());
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    let lowered = Lowered::lower(
        dir.path().to_path_buf(),
        Inputs::default(),
        compilation,
        Vec::new(),
        ProviderDefaults::default(),
    )
    .unwrap_or_else(|f| panic!("lowering failed: {:?}", f.errors));
    let principal = |w: &str, id: &str| {
        BTreeMap::from([(
            format!("workspace.{w}"),
            BTreeMap::from([("principal_id".to_string(), HclValue::String(id.into()))]),
        )])
    };
    let a = principal("wsa", "11111111-1111-1111-1111-111111111111");
    let b = principal("wsb", "22222222-2222-2222-2222-222222222222");
    let b_again = principal("wsb", "33333333-3333-3333-3333-333333333333");
    let resolver = lowered.resolver();
    // Interleaved, as concurrent operations ask.
    let asks = [
        ("wsa0", &a),
        ("wsb0", &b),
        ("wsa1", &a),
        ("wsb1", &b),
        ("wsa2", &a),
        ("wsb2", &b),
        ("wsa3", &a),
        ("wsb3", &b),
    ];
    for (name, known) in asks {
        let address = format!("role_assignment.{name}");
        let got = resolver.resolve(&address, known).expect("resolves");
        assert!(!got.has_unknown(), "{got:?}");
        let (fresh, _) = lowered.with_known(known.clone()).expect("evaluates");
        let fresh = fresh.into_iter().find(|d| d.address == address).unwrap();
        assert_eq!(got.body, fresh.body, "{address}");
        assert_eq!(got.id, fresh.id, "{address}");
    }
    assert_eq!(resolver.evaluations(), 2, "one per workspace");
    // A value that changed is evaluated again, and not taken from before.
    let got = resolver
        .resolve("role_assignment.wsb0", &b_again)
        .expect("resolves");
    assert_eq!(
        got.body["properties"]["principalId"],
        "33333333-3333-3333-3333-333333333333"
    );
    assert_eq!(resolver.evaluations(), 3);
}
