//! Wire conformance: every request body amlplan sends, for every example and test fixture,
//! checked against the published schema of its api-version.
//!
//! The Azure ML schema is `tests/wire/aml-2025-12-01.json`, extracted by
//! `tests/wire/extract_schema.py` (its header says from what). A body fails on a property
//! the schema does not have (after the discriminator — `computeType`, `endpointComputeType`,
//! `datastoreType`, `credentialsType`, `type`, … — chose the subtype, inherited properties
//! included), a read-only one, a value of the wrong type or outside its enum, a discriminator
//! value the schema does not know, and a required property left out. PUT bodies come from
//! lowering every manifest directory under `examples/` and `tests/fixtures/` (a new kind's
//! fixture is picked up without a change here); POST bodies are the actions ARM changes a
//! property through (`UpdateAction::request_body`) and the code upload's `startPendingUpload`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use amlplan::arm::Desired;
use serde::Deserialize;
use serde_json::Value;

use crate::support::{copy_fixture, is_manifest_dir, repo};

/// The vendored schemas, each of one api-version of one spec.
const SCHEMAS: &[&str] = &[
    include_str!("wire/aml-2025-12-01.json"),
    include_str!("wire/privatedns-2024-06-01.json"),
    include_str!("wire/authorization-2022-04-01.json"),
    include_str!("wire/autoscale-2022-10-01.json"),
];

/// Properties newer than the vendored schema, each with the api-version that introduced it
/// (`Model.property`). A body may carry them only at that api-version or later: a body is
/// checked against a schema of its api-version or an older one (never a newer one).
const NEWER_THAN_VENDORED: &[(&str, &str)] = &[];

/// ARM types amlplan writes whose schema is not vendored (not Azure ML), with the reason.
/// An Azure ML type missing from the schema fails the test instead.
const NOT_VENDORED: &[(&str, &str)] = &[
    (
        "Microsoft.Insights/components",
        "application insights spec not vendored",
    ),
    ("Microsoft.KeyVault/vaults", "key vault spec not vendored"),
    (
        "Microsoft.Network/privateEndpoints",
        "network spec not vendored",
    ),
    (
        "Microsoft.OperationalInsights/workspaces",
        "log analytics spec not vendored",
    ),
    (
        "Microsoft.Storage/storageAccounts",
        "storage spec not vendored",
    ),
    (
        "Microsoft.ContainerRegistry/registries",
        "container registry spec not vendored",
    ),
    (
        "Microsoft.Consumption/budgets",
        "consumption spec not vendored: azure-mgmt-consumption is at 2021-10-01, amlplan sends 2024-08-01",
    ),
];

#[derive(Deserialize)]
struct Schema {
    api_version: String,
    resources: BTreeMap<String, String>,
    actions: BTreeMap<String, String>,
    models: BTreeMap<String, Model>,
    enums: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct Model {
    properties: BTreeMap<String, Prop>,
    #[serde(default)]
    discriminator: Option<Discriminator>,
}

#[derive(Deserialize)]
struct Prop {
    #[serde(rename = "type")]
    ty: Value,
    required: bool,
    read_only: bool,
}

#[derive(Deserialize)]
struct Discriminator {
    property: String,
    values: BTreeMap<String, String>,
}

fn schemas() -> Vec<Schema> {
    SCHEMAS
        .iter()
        .map(|text| serde_json::from_str(text).expect("a vendored schema parses"))
        .collect()
}

/// The Azure ML schema (the checker's own tests use it).
fn schema() -> Schema {
    schemas().remove(0)
}

/// What one body is checked for.
struct Check<'a> {
    schema: &'a Schema,
    /// A fragment merged into what ARM holds (an endpoint's traffic): required properties are
    /// not its to send.
    partial: bool,
    /// Paths (dotted) whose value is known only after apply: `null` in the body.
    unknown: &'a [String],
    /// The api-version the body is sent at ([`NEWER_THAN_VENDORED`] holds for it or later).
    api_version: &'a str,
    /// Properties newer than the vendored schema ([`NEWER_THAN_VENDORED`]).
    newer: &'a [(&'a str, &'a str)],
    problems: Vec<String>,
}

impl Check<'_> {
    fn value(&mut self, path: &str, ty: &Value, v: &Value) {
        if v.is_null() && self.unknown.iter().any(|u| u == path) {
            return;
        }
        let wrong = |want: &str| format!("{path}: {v} is not {want}");
        if let Some(model) = ty.get("model").and_then(Value::as_str) {
            self.model(path, model, v);
        } else if let Some(name) = ty.get("enum").and_then(Value::as_str) {
            let known = &self.schema.enums[name];
            match v.as_str() {
                Some(s) if known.iter().any(|k| k == s) => {}
                _ => self
                    .problems
                    .push(format!("{path}: {v} is not one of {name} {known:?}")),
            }
        } else if let Some(c) = ty.get("const") {
            if c != v {
                self.problems.push(wrong(&c.to_string()));
            }
        } else if let Some(item) = ty.get("array") {
            match v.as_array() {
                Some(items) => {
                    for (i, x) in items.iter().enumerate() {
                        self.value(&format!("{path}.{i}"), item, x);
                    }
                }
                None => self.problems.push(wrong("an array")),
            }
        } else if let Some(item) = ty.get("map") {
            match v.as_object() {
                Some(map) => {
                    for (k, x) in map {
                        self.value(&format!("{path}.{k}"), item, x);
                    }
                }
                None => self.problems.push(wrong("an object")),
            }
        } else {
            let ok = match ty.get("kind").and_then(Value::as_str) {
                Some("string") => v.is_string(),
                Some("integer") => v.is_i64() || v.is_u64(),
                Some("number") => v.is_number(),
                Some("boolean") => v.is_boolean(),
                Some("any") => true,
                other => panic!("{path}: unknown type {other:?} in the vendored schema"),
            };
            if !ok {
                let kind = ty["kind"].as_str().unwrap_or_default().to_string();
                self.problems.push(wrong(&format!("a {kind}")));
            }
        }
    }

    fn model(&mut self, path: &str, name: &str, v: &Value) {
        let Some(object) = v.as_object() else {
            self.problems
                .push(format!("{path}: {v} is not a {name} object"));
            return;
        };
        let mut model = &self.schema.models[name];
        let mut name = name.to_string();
        // A discriminator picks the subtype; a subtype may start a hierarchy of its own on
        // another property (an AutoML job's `taskType`).
        while let Some(d) = &model.discriminator {
            let at = |p: &str| join(path, p);
            match object.get(&d.property).and_then(Value::as_str) {
                Some(value) => match d.values.get(value) {
                    Some(sub) if *sub != name => {
                        name = sub.clone();
                        model = &self.schema.models[sub];
                    }
                    Some(_) => break,
                    None => {
                        self.problems.push(format!(
                            "{}: {value:?} is not a known {name} ({:?})",
                            at(&d.property),
                            d.values.keys().collect::<Vec<_>>()
                        ));
                        return;
                    }
                },
                None => {
                    self.problems.push(format!(
                        "{}: the discriminator of {name} is missing",
                        at(&d.property)
                    ));
                    return;
                }
            }
        }
        for (key, x) in object {
            let at = join(path, key);
            match model.properties.get(key) {
                Some(prop) if prop.read_only => self.problems.push(format!(
                    "{at}: read-only in {name}, ARM ignores or refuses it"
                )),
                Some(prop) => self.value(&at, &prop.ty, x),
                None => {
                    let qualified = format!("{name}.{key}");
                    match self.newer.iter().find(|(p, _)| *p == qualified) {
                        Some((_, since))
                            if !amlplan::schema::semantics::api_version_before(
                                self.api_version,
                                since,
                            ) => {}
                        Some((_, since)) => self.problems.push(format!(
                            "{at}: {name}.{key} exists from api-version {since}, sent at {}",
                            self.api_version
                        )),
                        None => self
                            .problems
                            .push(format!("{at}: {name} has no property {key:?}")),
                    }
                }
            }
        }
        if !self.partial {
            for (key, prop) in &model.properties {
                if prop.required && !prop.read_only && !object.contains_key(key) {
                    self.problems
                        .push(format!("{}: required in {name}, missing", join(path, key)));
                }
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The problems of `body` as the request body of model `model`.
fn problems(
    schema: &Schema,
    model: &str,
    body: &Value,
    partial: bool,
    unknown: &[String],
    api_version: &str,
) -> Vec<String> {
    problems_allowing(
        schema,
        model,
        body,
        (partial, unknown),
        api_version,
        NEWER_THAN_VENDORED,
    )
}

/// [`problems`] with `newer` as the allowlist of properties newer than the schema.
fn problems_allowing(
    schema: &Schema,
    model: &str,
    body: &Value,
    (partial, unknown): (bool, &[String]),
    api_version: &str,
    newer: &[(&str, &str)],
) -> Vec<String> {
    let mut check = Check {
        schema,
        partial,
        unknown,
        api_version,
        newer,
        problems: Vec::new(),
    };
    check.model("", model, body);
    check.problems
}

/// Every manifest directory the tests and users have: the examples (in place: they name
/// modules beside them) and every fixture case (a temporary copy with its shared includes).
fn manifest_dirs() -> Vec<(String, Dir)> {
    let mut out = Vec::new();
    for dir in sorted_dirs(&repo().join("examples")) {
        if is_manifest_dir(&dir) {
            out.push((format!("examples/{}", name_of(&dir)), Dir::InPlace(dir)));
        }
    }
    for area in sorted_dirs(&repo().join("tests/fixtures")) {
        if name_of(&area) == "shared" {
            continue;
        }
        for case in sorted_dirs(&area) {
            if is_manifest_dir(&case) {
                let name = format!("{}/{}", name_of(&area), name_of(&case));
                let tmp = tempfile::tempdir().expect("temp dir");
                copy_fixture(&name, tmp.path());
                out.push((name, Dir::Copy(tmp)));
            }
        }
    }
    out
}

enum Dir {
    InPlace(PathBuf),
    Copy(tempfile::TempDir),
}

impl Dir {
    fn path(&self) -> &Path {
        match self {
            Dir::InPlace(p) => p,
            Dir::Copy(t) => t.path(),
        }
    }
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn name_of(dir: &Path) -> String {
    dir.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// The entries a manifest directory lowers to; `None` when it does not compile (a fixture
/// of an error case).
fn lowered(dir: &Path) -> Option<Vec<Desired>> {
    let compilation =
        amlplan::compile::compile(dir, &amlplan::lang::instantiate::Inputs::default());
    if compilation.has_errors() {
        return None;
    }
    compilation
        .reading(|| amlplan::arm::lower::lower(&compilation.manifest, &compilation.sources).ok())
}

/// The ARM type an entry is written as: its ID's (an asset version in a registry is a
/// registry's), or its kind's while the ID is known only after apply.
fn arm_type_of(d: &Desired) -> String {
    let by_kind = amlplan::schema::by_kind_name(&d.kind)
        .map(|e| e.arm_type())
        .unwrap_or_else(|| panic!("{}: no descriptor for kind {}", d.address, d.kind));
    match amlplan::azure::arm_id::ArmPath::parse(&d.id) {
        Some(path) if !d.id_unknown && path.type_key() == by_kind.to_ascii_lowercase() => {
            by_kind.to_string()
        }
        Some(path) if !d.id_unknown => canonical_type(&path.resource_type()),
        _ => by_kind.to_string(),
    }
}

/// A resource type in the casing the descriptors give it.
fn canonical_type(spelled: &str) -> String {
    amlplan::schema::KINDS
        .iter()
        .flat_map(|k| std::iter::once(k.arm_type).chain(k.children.iter().map(|c| c.arm_type)))
        .chain(
            amlplan::schema::arm_types::UNMODELED
                .iter()
                .map(|t| t.arm_type),
        )
        .find(|t| t.eq_ignore_ascii_case(spelled))
        .map_or_else(|| spelled.to_string(), str::to_string)
}

/// A request's schema and model.
type Target<'s> = Option<(&'s Schema, &'s str)>;

/// The (request, schema and model, body) of every request an entry stands for.
fn requests<'s>(schemas: &'s [Schema], d: &Desired) -> Vec<(String, Target<'s>, Value)> {
    let arm_type = arm_type_of(d);
    let arm_type = arm_type.as_str();
    let put = schemas
        .iter()
        .find_map(|s| s.resources.get(arm_type).map(|m| (s, m.as_str())));
    let action_of = |key: &str| {
        schemas
            .iter()
            .find_map(|s| s.actions.get(key).map(|m| (s, m.as_str())))
    };
    let mut out = vec![(format!("PUT {arm_type}"), put, d.body.clone())];
    for action in amlplan::schema::semantics::update_actions(arm_type, &d.body) {
        let Some(value) = amlplan::json_path::get(&d.body, action.path) else {
            continue;
        };
        let key = format!("{arm_type}/{}", action.action);
        out.push((
            format!("POST {key}"),
            action_of(&key),
            action.request_body(value),
        ));
    }
    if let Some(upload) = &d.upload {
        let key = format!("{arm_type}/{}", upload.action);
        out.push((
            format!("POST {key}"),
            action_of(&key),
            upload.request_body(),
        ));
    }
    out
}

#[test]
fn every_request_body_amlplan_sends_conforms_to_the_published_schema() {
    let schemas = schemas();
    let mut failures = Vec::new();
    let mut checked: BTreeMap<String, usize> = BTreeMap::new();
    let mut lowered_kinds = std::collections::BTreeSet::new();
    for (case, dir) in manifest_dirs() {
        let Some(entries) = lowered(dir.path()) else {
            continue;
        };
        for d in &entries {
            lowered_kinds.insert(d.kind.clone());
            for (request, target, body) in requests(&schemas, d) {
                let arm_type = arm_type_of(d);
                let Some((schema, model)) = target else {
                    let vendored = NOT_VENDORED.iter().any(|(t, _)| arm_type.starts_with(t));
                    if !vendored {
                        failures.push(format!(
                            "{case}: {} ({request}): no schema vendored for it",
                            d.address
                        ));
                    }
                    continue;
                };
                if amlplan::schema::semantics::api_version_before(
                    &d.api_version,
                    &schema.api_version,
                ) {
                    failures.push(format!(
                        "{case}: {} is sent at {}, older than its schema's {}",
                        d.address, d.api_version, schema.api_version
                    ));
                }
                *checked.entry(request.clone()).or_default() += 1;
                let partial = d.partial_of.is_some() && request.starts_with("PUT");
                for p in problems(schema, model, &body, partial, &d.unknown, &d.api_version) {
                    failures.push(format!("{case}: {} ({request}): {p}", d.address));
                }
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(
        failures.is_empty(),
        "{} wire problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every kind's fixture lowered, and at least the Azure ML writes were checked.
    for kind in amlplan::schema::KINDS {
        assert!(
            lowered_kinds.contains(kind.kind),
            "the fixture of {} did not lower",
            kind.kind
        );
    }
    for must in [
        "PUT Microsoft.MachineLearningServices/workspaces",
        "PUT Microsoft.MachineLearningServices/workspaces/computes",
        "PUT Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments",
        "PUT Microsoft.Network/privateDnsZones",
        "PUT Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        "PUT Microsoft.Network/privateDnsZones/A",
        "PUT Microsoft.Authorization/roleAssignments",
        "PUT Microsoft.Insights/autoscalesettings",
        "POST Microsoft.MachineLearningServices/workspaces/computes/resize",
        "POST Microsoft.MachineLearningServices/workspaces/codes/versions/startPendingUpload",
    ] {
        assert!(checked.contains_key(must), "no {must} checked: {checked:?}");
    }
}

/// The api-version the checker's own tests send at (every vendored schema's or later).
const API: &str = "2025-12-01";

/// The checker itself finds each kind of mismatch (a test of the test).
#[test]
fn the_wire_check_finds_each_kind_of_mismatch() {
    let schema = schema();
    let check =
        |body: Value| problems(&schema, "OutboundRuleBasicResource", &body, false, &[], API);
    let rule = |destination: Value| serde_json::json!({"properties": {"type": "ServiceTag", "category": "UserDefined", "destination": destination}});
    let good = check(rule(
        serde_json::json!({"serviceTag": "AzureMonitor", "protocol": "TCP", "portRanges": "443", "action": "Allow"}),
    ));
    assert_eq!(good, Vec::<String>::new());
    // A property newer than the schema passes at the api-version that introduced it or later,
    // and is a problem when sent at an older one.
    let newer = [("OutboundRuleBasicResource.futureSetting", "2026-06-01")];
    let with_newer = serde_json::json!({"futureSetting": true, "properties": {"type": "FQDN", "category": "UserDefined", "destination": "pypi.org"}});
    let at = |api: &str| {
        problems_allowing(
            &schema,
            "OutboundRuleBasicResource",
            &with_newer,
            (false, &[]),
            api,
            &newer,
        )
    };
    assert_eq!(at("2026-06-01"), Vec::<String>::new());
    assert_eq!(at("2027-01-01"), Vec::<String>::new());
    let early = at(API);
    assert!(
        early.len() == 1
            && early[0].contains("exists from api-version 2026-06-01, sent at 2025-12-01"),
        "{early:?}"
    );
    let unknown = check(rule(
        serde_json::json!({"serviceTag": "AzureMonitor", "port": "443"}),
    ));
    assert!(
        unknown.iter().any(|p| p.contains("no property \"port\"")),
        "{unknown:?}"
    );
    let wrong_enum = check(rule(serde_json::json!({"action": "Permit"})));
    assert!(
        wrong_enum.iter().any(|p| p.contains("RuleAction")),
        "{wrong_enum:?}"
    );
    let wrong_type = check(rule(serde_json::json!({"addressPrefixes": "10.0.0.0/8"})));
    assert!(
        wrong_type.iter().any(|p| p.contains("not an array")),
        "{wrong_type:?}"
    );
    let read_only = check(
        serde_json::json!({"properties": {"type": "FQDN", "destination": "x.org", "errorInformation": "x"}}),
    );
    assert!(
        read_only.iter().any(|p| p.contains("read-only")),
        "{read_only:?}"
    );
    let discriminator = check(serde_json::json!({"properties": {"type": "Firewall"}}));
    assert!(
        discriminator.iter().any(|p| p.contains("not a known")),
        "{discriminator:?}"
    );
    let missing = check(serde_json::json!({}));
    assert!(
        missing.iter().any(|p| p.contains("properties: required")),
        "{missing:?}"
    );
    // Inherited properties count: `description` is the base `Compute`'s.
    let compute = problems(
        &schema,
        "ComputeResource",
        &serde_json::json!({"location": "eastus", "properties": {"computeType": "AmlCompute", "description": "d", "properties": {"vmSize": "STANDARD_DS3_V2"}}}),
        false,
        &[],
        API,
    );
    assert_eq!(compute, Vec::<String>::new());
    // The flattened (msrest) schemas nest as the wire does.
    let all = schemas();
    let of = |arm_type: &str| {
        all.iter()
            .find_map(|s| s.resources.get(arm_type).map(|m| (s, m.as_str())))
            .expect("vendored")
    };
    let (authz, assignment) = of("Microsoft.Authorization/roleAssignments");
    let role = |properties: Value| {
        problems(
            authz,
            assignment,
            &serde_json::json!({"properties": properties}),
            false,
            &[],
            API,
        )
    };
    assert_eq!(
        role(serde_json::json!({"roleDefinitionId": "r", "principalId": "p"})),
        Vec::<String>::new()
    );
    assert!(
        role(serde_json::json!({"roleDefinitionId": "r"}))
            .iter()
            .any(|p| p.contains("principalId: required"))
    );
    assert!(
        role(serde_json::json!({"roleDefinitionId": "r", "principalId": "p", "scope": "/x"}))
            .iter()
            .any(|p| p.contains("read-only"))
    );
    let (monitor, setting) = of("Microsoft.Insights/autoscalesettings");
    let missing = problems(
        monitor,
        setting,
        &serde_json::json!({"location": "eastus", "properties": {"enabled": true}}),
        false,
        &[],
        API,
    );
    assert!(
        missing
            .iter()
            .any(|p| p.contains("properties.profiles: required")),
        "{missing:?}"
    );
}

fn fixture_entries(case: &str) -> Vec<Desired> {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_fixture(case, dir.path());
    lowered(dir.path()).unwrap_or_else(|| panic!("{case} lowers"))
}

/// Found by the wire check: a pipeline job's inputs and outputs went out in the CLI's YAML
/// form (`type`, `path`; an output as a step's binding), which `PipelineJob` has no place
/// for. They are `JobInput`s and `JobOutput`s, and a pipeline output that is a step's
/// output is declared at the pipeline with the step's output bound to it.
#[test]
fn a_pipeline_jobs_inputs_and_outputs_are_sent_in_the_rest_form() {
    let entries = fixture_entries("kinds/schedule");
    let schedule = entries
        .iter()
        .find(|d| d.kind == "schedule")
        .expect("a schedule");
    let job = &schedule.body["properties"]["action"]["jobDefinition"];
    assert_eq!(
        job["inputs"]["raw_data"],
        serde_json::json!({"jobInputType": "uri_folder", "uri": "azureml:raw:1"})
    );
    assert_eq!(
        job["outputs"]["cleaned"],
        serde_json::json!({"jobOutputType": "uri_folder"})
    );
    assert_eq!(
        job["jobs"]["prep"]["outputs"]["clean"],
        serde_json::json!("${{parent.outputs.cleaned}}")
    );
    assert_eq!(
        job["jobs"]["prep"]["inputs"]["raw"],
        "${{parent.inputs.raw_data}}"
    );
}

/// Found by the wire check: an instance type's GPU count went out as a number, and
/// `InstanceResourceSchema`'s requests and limits are maps of strings (Kubernetes
/// quantities).
#[test]
fn a_kubernetes_instance_types_gpu_count_is_a_quantity_string() {
    let entries = fixture_entries("kinds/kubernetes_compute");
    let cluster = entries
        .iter()
        .find(|d| d.kind == "kubernetes_compute")
        .expect("a cluster");
    let limits = &cluster.body["properties"]["properties"]["instanceTypes"]["cpu-small"]["resources"]
        ["limits"];
    assert_eq!(limits["nvidia.com/gpu"], serde_json::json!("0"));
    assert_eq!(limits["cpu"], serde_json::json!("1"));
}
