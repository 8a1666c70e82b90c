//! `schedule`: a trigger that submits a pipeline job (`workspaces/schedules`, action
//! `CreateJob`): the weekly retraining run. The job is an Azure ML CLI v2 pipeline job YAML
//! (`job_file`), checked against the manifest before anything runs: its lineage (data
//! version → job → model) must resolve.
//!
//! Everything about the kind is here: its attributes, its lowering (trigger and job
//! definition), the cron check (`croner`, five fields as Azure ML takes them) and the
//! lineage checks, which point into the job YAML at line and column: every short
//! `azureml:NAME:VERSION` / `azureml:NAME@latest` component, environment or data reference
//! names one the manifest declares in the workspace (E0736; a full asset ID is taken as
//! written); `${{parent.jobs.STEP.outputs.X}}` names a step and one of its outputs (E0737);
//! `${{parent.inputs.X}}` a pipeline input (E0738); the compute (`azureml:NAME`) is a cluster
//! of the workspace (E0739). The schedule depends on everything its job uses.
//!
//! Sources (bicep-types-az 2025-09-01): `ScheduleProperties` (`action`, `trigger` required;
//! `displayName`, `description`, `isEnabled`, `tags`), `JobScheduleAction` (`actionType:
//! CreateJob`, `jobDefinition`), `CronTrigger` (`expression`, `timeZone`) and
//! `RecurrenceTrigger` (`frequency`, `interval`, `schedule` with `hours`, `minutes`,
//! `weekDays`, `timeZone`). The job definition is the pipeline YAML as JSON with
//! `jobType: Pipeline` and ARM's names for its top-level keys (`displayName`,
//! `experimentName`); its steps are sent as the YAML writes them (`az ml` expands them into
//! its REST form, which is not reproduced here yet).

use serde_json::{Map, Value as Json, json};

use super::component::{Node, parse};
use super::semantics::{ArmSemantics, Family, LroStyle, OperationUrls};
use super::{
    AttrSchema, AttrType, BlockSchema, DefaultValue, EnumValue, IdTemplate, KindBehavior,
    KindSchema, LoweredAt, NestedSchema,
};
use crate::arm::Desired;
use crate::arm::lower::{Ctx, body, complete, present, start};
use crate::azure::names::NameRule;
use crate::check::rules::RuleCtx;
use crate::diagnostic::Diagnostics;
use crate::diagnostics::constraints;
use crate::model::{Attr, Resource};
use crate::source::{FileId, Span};

static FREQUENCIES: &[EnumValue] = &[
    EnumValue::new("minute", "Minute"),
    EnumValue::new("hour", "Hour"),
    EnumValue::new("day", "Day"),
    EnumValue::new("week", "Week"),
    EnumValue::new("month", "Month"),
];

static WEEK_DAYS: &[EnumValue] = &[
    EnumValue::new("monday", "Monday"),
    EnumValue::new("tuesday", "Tuesday"),
    EnumValue::new("wednesday", "Wednesday"),
    EnumValue::new("thursday", "Thursday"),
    EnumValue::new("friday", "Friday"),
    EnumValue::new("saturday", "Saturday"),
    EnumValue::new("sunday", "Sunday"),
];
static WEEK_DAY: AttrType = AttrType::Enum(WEEK_DAYS);

pub(crate) static CRON: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "expression",
            AttrType::String,
            "expression",
            "A five-field cron expression (`0 2 * * 1`: Mondays at 02:00).",
        )
        .required(),
        AttrSchema::new(
            "time_zone",
            AttrType::String,
            "timeZone",
            "The time zone it runs in (Windows time zone names; default `UTC`).",
        )
        .default(DefaultValue::Str("UTC")),
    ],
    blocks: &[],
};

static HOURS: AttrType = AttrType::Integer {
    min: Some(0),
    max: Some(23),
};
static MINUTES: AttrType = AttrType::Integer {
    min: Some(0),
    max: Some(59),
};

pub(crate) static RECURRENCE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "frequency",
            AttrType::Enum(FREQUENCIES),
            "frequency",
            "The unit of `interval`: minute, hour, day, week or month.",
        )
        .required(),
        AttrSchema::new(
            "interval",
            AttrType::Integer {
                min: Some(1),
                max: None,
            },
            "interval",
            "Every how many units it runs.",
        )
        .required(),
        AttrSchema::new(
            "hours",
            AttrType::List(&HOURS),
            "schedule.hours",
            "The hours it runs at.",
        ),
        AttrSchema::new(
            "minutes",
            AttrType::List(&MINUTES),
            "schedule.minutes",
            "The minutes it runs at.",
        ),
        AttrSchema::new(
            "week_days",
            AttrType::List(&WEEK_DAY),
            "",
            "The days of the week it runs on (`monday` ... `sunday`).",
        )
        .lowered_at(&[LoweredAt::own("properties.trigger.schedule.weekDays")]),
        AttrSchema::new(
            "time_zone",
            AttrType::String,
            "timeZone",
            "The time zone it runs in (default `UTC`).",
        )
        .default(DefaultValue::Str("UTC")),
    ],
    blocks: &[],
};

/// The trigger blocks of every kind that is a schedule (`schedule`, `monitor`).
pub(crate) const CRON_BLOCK: NestedSchema = NestedSchema {
    name: "cron",
    labels: 0,
    min: 0,
    max: Some(1),
    body: &CRON,
    arm_path: "properties.trigger",
    create_only: false,
    doc: "A cron trigger (or `recurrence`).",
};
pub(crate) const RECURRENCE_BLOCK: NestedSchema = NestedSchema {
    name: "recurrence",
    labels: 0,
    min: 0,
    max: Some(1),
    body: &RECURRENCE,
    arm_path: "properties.trigger",
    create_only: false,
    doc: "A recurrence trigger (or `cron`).",
};

pub static SCHEMA: KindSchema = KindSchema {
    kind: "schedule",
    arm_type: "Microsoft.MachineLearningServices/workspaces/schedules",
    api_version: "2025-12-01",
    name_rule: NameRule::Asset,
    has_tags: true,
    tags_path: "properties.tags",
    has_location: false,
    doc: "A schedule that submits a pipeline job (from a CLI v2 pipeline job YAML) on a cron or recurrence trigger; the job's references are checked against the manifest.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "workspace",
                AttrType::Ref(&["workspace"]),
                "",
                "The workspace the schedule submits its job in.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "job_file",
                AttrType::FilePath,
                "",
                "An Azure ML CLI v2 pipeline job YAML file: the job each trigger submits.",
            )
            .required()
            .lowered_at(&[LoweredAt::own("properties.action.jobDefinition")]),
            AttrSchema::new(
                "display_name",
                AttrType::String,
                "properties.displayName",
                "The name shown in the studio.",
            ),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description.",
            ),
            AttrSchema::new(
                "enabled",
                AttrType::Bool,
                "properties.isEnabled",
                "Whether the trigger fires (default true).",
            )
            .default(DefaultValue::Bool(true)),
        ],
        blocks: &[CRON_BLOCK, RECURRENCE_BLOCK],
    },
    exports: &[],
    id: IdTemplate::Child {
        parent: "workspace",
    },
    behavior: KindBehavior::PLAIN,
    semantics: &SEMANTICS,
    constants: &[("properties.action.actionType", "CreateJob")],
    lower: Some(lower),
    children: &[],
    role_scope: false,
    checks: &[check],
    cost: Some(cost),
    review: &[],
};

pub(crate) static SEMANTICS: ArmSemantics = ArmSemantics {
    arm_type: "Microsoft.MachineLearningServices/workspaces/schedules",
    lro: LroStyle::ASYNC_PUT,
    operation_urls: OperationUrls::MachineLearning,
    family: Family::Schedule,
    source: "bicep-types-az 2025-09-01 ScheduleProperties (action and trigger required; provisioningState readOnly); schedule writes are long-running",
    ..ArmSemantics::PLAIN
};

/// A five-field cron expression croner accepts, or why not.
pub fn cron_problem(expression: &str) -> Option<String> {
    let fields = expression.split_whitespace().count();
    if fields != 5 {
        return Some(format!(
            "it has {fields} fields; Azure ML takes five (minute hour day-of-month month day-of-week)"
        ));
    }
    expression
        .parse::<croner::Cron>()
        .err()
        .map(|e| e.to_string())
}

// ---- lineage ---------------------------------------------------------------------------------

/// A short asset reference: `azureml:NAME:VERSION` (`Some(version)`) or `azureml:NAME@latest`
/// (`None`); not a full ID (`azureml:/...`, `azureml://...`).
pub fn short_reference(text: &str) -> Option<(&str, Option<&str>)> {
    let rest = text.strip_prefix("azureml:")?;
    if rest.starts_with('/') {
        return None;
    }
    if let Some(name) = rest.strip_suffix("@latest") {
        return Some((name, None));
    }
    match rest.split_once(':') {
        Some((name, version)) => Some((name, Some(version))),
        None => None,
    }
}

/// The declared assets of one kind in the workspace, with their versions.
fn declared<'a>(
    ctx: &'a RuleCtx<'_>,
    kind: &'static KindSchema,
    workspace: &str,
) -> Vec<(&'a Resource, Option<String>)> {
    ctx.children(workspace)
        .iter()
        .filter(|r| std::ptr::eq(r.schema, kind))
        .map(|r| (*r, version_of(r, ctx)))
        .collect()
}

/// An asset's version: its `version`, or a component file's YAML `version`.
fn version_of(r: &Resource, ctx: &RuleCtx<'_>) -> Option<String> {
    if let Some(v) = r.body.str("version") {
        return Some(v.to_string());
    }
    let file = r.body.attr("file")?;
    let (_, text) = ctx.document(file)?;
    match parse(text).ok()?.get("version")? {
        Node::Scalar(v, _) => Some(v.clone()),
        _ => None,
    }
}

/// The outputs a declared component has (inline `output` blocks or its YAML's `outputs`).
fn component_outputs(r: &Resource, ctx: &RuleCtx<'_>) -> Vec<String> {
    if let Some(file) = r.body.attr("file") {
        return ctx
            .document(file)
            .and_then(|(_, text)| parse(text).ok())
            .map(|doc| {
                doc.get("outputs")
                    .map_or(&[][..], Node::entries)
                    .iter()
                    .map(|(k, _, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default();
    }
    r.body
        .blocks("output")
        .filter_map(|b| b.label().map(str::to_string))
        .collect()
}

/// What a job YAML refers to in the manifest, found while checking it.
struct Lineage<'a> {
    site: (FileId, &'a str),
}

impl Lineage<'_> {
    fn span(&self, at: usize, len: usize) -> Span {
        Span::new(self.site.0, at..(at + len).min(self.site.1.len()))
    }

    /// The span of `needle` at or after `from`, else one byte at `from`.
    fn find(&self, from: usize, needle: &str) -> Span {
        match self.site.1.get(from..).and_then(|r| r.find(needle)) {
            Some(i) => self.span(from + i, needle.len()),
            None => self.span(from, 1),
        }
    }
}

fn check(r: &Resource, ctx: &RuleCtx<'_>, diags: &mut Diagnostics) {
    check_trigger(r, diags);
    if let Some(job) = r.body.attr("job_file") {
        lineage(r, job, ctx, diags);
    }
}

/// The trigger of a schedule-like kind: exactly one of `cron` and `recurrence`, a cron
/// expression croner takes.
pub(crate) fn check_trigger(r: &Resource, diags: &mut Diagnostics) {
    match (r.body.block("cron"), r.body.block("recurrence")) {
        (Some(_), Some(second)) => {
            diags.push(constraints::schedule_two_triggers(&r.address, second.span))
        }
        (None, None) => diags.push(constraints::schedule_without_trigger(
            &r.address,
            r.header_span(),
        )),
        (Some(cron), None) => {
            if let Some(expr) = cron.body.attr("expression")
                && let Some(text) = expr.value.as_str()
                && let Some(why) = cron_problem(text)
            {
                diags.push(constraints::invalid_cron(&why, expr.span));
            }
        }
        (None, Some(_)) => {}
    }
}

/// The lineage checks of the job YAML (see the module documentation).
fn lineage(r: &Resource, job: &Attr, ctx: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let Some(workspace) = r.parent_address() else {
        return;
    };
    let Some((id, text)) = ctx.document(job) else {
        return;
    };
    let l = Lineage { site: (id, text) };
    let doc = match parse(text) {
        Ok(doc) => doc,
        Err((at, why)) => {
            diags.push(constraints::job_yaml_invalid(&why, l.span(at, 1)));
            return;
        }
    };
    let inputs: Vec<&str> = doc
        .get("inputs")
        .map_or(&[][..], Node::entries)
        .iter()
        .map(|(k, _, _)| k.as_str())
        .collect();
    // Pipeline inputs that name data.
    for (_, _, input) in doc.get("inputs").map_or(&[][..], Node::entries) {
        if let Some(path) = input.get("path") {
            reference(
                &l,
                ctx,
                workspace,
                &super::data_asset::SCHEMA,
                "data",
                path,
                diags,
            );
        }
    }
    if let Some(compute) = doc.get("settings").and_then(|s| s.get("default_compute")) {
        compute_ref(&l, ctx, workspace, compute, diags);
    }
    let jobs = doc.get("jobs").map_or(&[][..], Node::entries);
    // Each step's outputs: its own `outputs` and its declared component's.
    let mut step_outputs: Vec<(&str, Option<Vec<String>>)> = Vec::new();
    for (step, _, spec) in jobs {
        let mut outputs: Option<Vec<String>> = Some(
            spec.get("outputs")
                .map_or(&[][..], Node::entries)
                .iter()
                .map(|(k, _, _)| k.clone())
                .collect(),
        );
        if let Some(component) = spec.get("component") {
            match reference(
                &l,
                ctx,
                workspace,
                &super::component::SCHEMA,
                "component",
                component,
                diags,
            ) {
                Some(declared) => {
                    if let Some(o) = outputs.as_mut() {
                        o.extend(component_outputs(declared, ctx));
                    }
                }
                // An ID, a file or an unknown name: its outputs are not known here.
                None => outputs = None,
            }
        }
        if let Some(env) = spec.get("environment") {
            reference(
                &l,
                ctx,
                workspace,
                &super::environment::SCHEMA,
                "environment",
                env,
                diags,
            );
        }
        if let Some(compute) = spec.get("compute") {
            compute_ref(&l, ctx, workspace, compute, diags);
        }
        step_outputs.push((step.as_str(), outputs));
    }
    // Bindings: every scalar under a step's inputs (and the pipeline's outputs).
    let mut scalars = Vec::new();
    for (_, _, spec) in jobs {
        collect_scalars(spec.get("inputs"), &mut scalars);
    }
    collect_scalars(doc.get("outputs"), &mut scalars);
    let steps: Vec<&str> = step_outputs.iter().map(|(s, _)| *s).collect();
    for (text, at) in scalars {
        for binding in bindings(&text) {
            match binding {
                Binding::ParentInput(name) if !inputs.contains(&name) => {
                    let span = l.find(at, &format!("parent.inputs.{name}"));
                    diags.push(constraints::unknown_pipeline_input(name, &inputs, span));
                }
                Binding::StepOutput(step, output) => {
                    let span = l.find(at, &format!("parent.jobs.{step}.outputs.{output}"));
                    match step_outputs.iter().find(|(s, _)| *s == step) {
                        None => diags.push(constraints::unknown_step(step, &steps, span)),
                        Some((_, Some(outputs))) if !outputs.iter().any(|o| o == output) => {
                            let names: Vec<&str> = outputs.iter().map(String::as_str).collect();
                            diags
                                .push(constraints::unknown_step_output(step, output, &names, span));
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
}

/// A short reference under `node` resolved against the declared assets of `kind` in the
/// workspace: the matching resource, or E0736. A full asset ID (or anything else) is taken
/// as written (`None`).
fn reference<'a>(
    l: &Lineage<'_>,
    ctx: &'a RuleCtx<'_>,
    workspace: &str,
    kind: &'static KindSchema,
    what: &str,
    node: &Node,
    diags: &mut Diagnostics,
) -> Option<&'a Resource> {
    let text = node.as_str()?;
    let (name, version) = short_reference(text)?;
    let assets = declared(ctx, kind, workspace);
    let found = assets.iter().find(|(r, v)| {
        r.name.eq_ignore_ascii_case(name) && version.is_none_or(|want| v.as_deref() == Some(want))
    });
    match found {
        Some((r, _)) => Some(*r),
        None => {
            let versions: Vec<String> = assets
                .iter()
                .filter(|(r, _)| r.name.eq_ignore_ascii_case(name))
                .filter_map(|(_, v)| v.clone())
                .collect();
            let names: Vec<&str> = assets.iter().map(|(r, _)| r.name.as_str()).collect();
            diags.push(constraints::unknown_job_reference(
                what,
                text,
                &versions,
                &names,
                l.span(node.start(), text.len()),
            ));
            None
        }
    }
}

/// `azureml:NAME` as a compute: a cluster of the workspace (E0739).
fn compute_ref(
    l: &Lineage<'_>,
    ctx: &RuleCtx<'_>,
    workspace: &str,
    node: &Node,
    diags: &mut Diagnostics,
) {
    let Some(text) = node.as_str() else {
        return;
    };
    let name = text.strip_prefix("azureml:").unwrap_or(text);
    if name.starts_with('/') || name.is_empty() {
        return;
    }
    let clusters: Vec<&Resource> = ctx
        .children(workspace)
        .iter()
        .copied()
        .filter(|r| std::ptr::eq(r.schema, &super::compute_cluster::SCHEMA))
        .collect();
    match clusters.iter().find(|c| c.name.eq_ignore_ascii_case(name)) {
        Some(_) => {}
        None => {
            let names: Vec<&str> = clusters.iter().map(|c| c.name.as_str()).collect();
            diags.push(constraints::job_compute_not_a_cluster(
                name,
                workspace,
                &names,
                l.span(node.start(), text.len()),
            ));
        }
    }
}

fn collect_scalars(node: Option<&Node>, out: &mut Vec<(String, usize)>) {
    match node {
        Some(Node::Scalar(s, at)) => out.push((s.clone(), *at)),
        Some(Node::Map(entries, _)) => {
            for (_, _, n) in entries {
                collect_scalars(Some(n), out);
            }
        }
        Some(Node::Seq(items, _)) => {
            for n in items {
                collect_scalars(Some(n), out);
            }
        }
        None => {}
    }
}

/// A `${{parent...}}` binding.
#[derive(Debug, PartialEq, Eq)]
pub enum Binding<'a> {
    ParentInput(&'a str),
    StepOutput(&'a str, &'a str),
    Other,
}

/// The `${{parent.inputs.X}}` and `${{parent.jobs.S.outputs.Y}}` bindings of a text.
pub fn bindings(text: &str) -> Vec<Binding<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("${{") {
        rest = &rest[i + 3..];
        let Some(end) = rest.find("}}") else {
            break;
        };
        let inner = rest[..end].trim();
        let parts: Vec<&str> = inner.split('.').collect();
        out.push(match parts.as_slice() {
            ["parent", "inputs", name] => Binding::ParentInput(name),
            ["parent", "jobs", step, "outputs", output] => Binding::StepOutput(step, output),
            _ => Binding::Other,
        });
        rest = &rest[end + 2..];
    }
    out
}

// ---- lowering --------------------------------------------------------------------------------

fn lower(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut d = start(ctx, r, &[]);
    let mut out = std::mem::take(&mut d.body);
    lower_trigger(r, &mut out);
    let job = present(&r.body, "job_file")
        .and_then(|a| {
            let path = a.value.as_str()?;
            let (full, _) = crate::check::documents::resolve(ctx.sources, a.span, path);
            let text = match ctx.sources.find(&full) {
                Some(id) => ctx.sources.get(id).text.clone(),
                None => crate::fs::current().read_to_string(&full).ok()?,
            };
            serde_yaml_ng::from_str::<Json>(&text).ok()
        })
        .map(job_definition)
        .unwrap_or_else(|| json!({"jobType": "Pipeline"}));
    body::put(&mut out, "properties.action.jobDefinition", job);
    d.body = out;
    // What the job uses is written first (and deleted after).
    if let Some(job) = r.body.attr("job_file") {
        let uses = uses_of(ctx, r, job);
        d.depends_on.extend(uses);
    }
    let table = body::kind_paths(r.schema, &[]);
    complete(&mut d, r, &table);
    vec![d]
}

/// The trigger's type and week days (the rest of the `cron` or `recurrence` block is in the
/// kind's table), for every schedule-like kind.
pub(crate) fn lower_trigger(r: &Resource, out: &mut Json) {
    let trigger = if r.body.block("recurrence").is_some() {
        "Recurrence"
    } else {
        "Cron"
    };
    body::put(out, "properties.trigger.triggerType", json!(trigger));
    if let Some(days) = r
        .body
        .block("recurrence")
        .and_then(|b| present(&b.body, "week_days"))
        .and_then(|a| a.value.as_list())
    {
        let arm: Vec<Json> = days
            .iter()
            .filter_map(|d| d.as_str())
            .map(|d| {
                let spelled = WEEK_DAYS.iter().find(|v| v.hcl == d).map_or(d, |v| v.arm);
                Json::String(spelled.to_string())
            })
            .collect();
        body::put(
            out,
            "properties.trigger.schedule.weekDays",
            Json::Array(arm),
        );
    }
}

/// The resources a job YAML names (components, environments, data, clusters), found as the
/// checks find them, for the schedule's dependencies.
fn uses_of(ctx: &Ctx<'_>, r: &Resource, job: &Attr) -> Vec<String> {
    let Some(workspace) = r.parent_address() else {
        return Vec::new();
    };
    let Some(path) = job.value.as_str() else {
        return Vec::new();
    };
    let (full, _) = crate::check::documents::resolve(ctx.sources, job.span, path);
    let Some(id) = ctx.sources.find(&full) else {
        return Vec::new();
    };
    let Ok(doc) = parse(&ctx.sources.get(id).text) else {
        return Vec::new();
    };
    let mut refs: Vec<(&'static KindSchema, String)> = Vec::new();
    let push = |kind, node: Option<&Node>, refs: &mut Vec<_>| {
        if let Some(text) = node.and_then(Node::as_str) {
            refs.push((kind, text.to_string()));
        }
    };
    for (_, _, input) in doc.get("inputs").map_or(&[][..], Node::entries) {
        push(&super::data_asset::SCHEMA, input.get("path"), &mut refs);
    }
    push(
        &super::compute_cluster::SCHEMA,
        doc.get("settings").and_then(|s| s.get("default_compute")),
        &mut refs,
    );
    for (_, _, spec) in doc.get("jobs").map_or(&[][..], Node::entries) {
        push(&super::component::SCHEMA, spec.get("component"), &mut refs);
        push(
            &super::environment::SCHEMA,
            spec.get("environment"),
            &mut refs,
        );
        push(
            &super::compute_cluster::SCHEMA,
            spec.get("compute"),
            &mut refs,
        );
    }
    let mut out = Vec::new();
    for (kind, text) in refs {
        let name = match short_reference(&text) {
            Some((name, _)) => name.to_string(),
            None if std::ptr::eq(kind, &super::compute_cluster::SCHEMA) => {
                text.strip_prefix("azureml:").unwrap_or(&text).to_string()
            }
            None => continue,
        };
        out.extend(
            ctx.children(workspace)
                .iter()
                .filter(|x| std::ptr::eq(x.schema, kind) && x.name.eq_ignore_ascii_case(&name))
                .map(|x| x.address.clone()),
        );
    }
    out
}

/// The pipeline job YAML as the job definition: `jobType: Pipeline` and ARM's names for the
/// top-level keys; the rest as written.
fn job_definition(yaml: Json) -> Json {
    let mut out = Map::new();
    out.insert("jobType".into(), json!("Pipeline"));
    let mut outputs = None;
    if let Json::Object(map) = yaml {
        for (k, v) in map {
            let key = match k.as_str() {
                "$schema" | "type" => continue,
                "display_name" => "displayName".to_string(),
                "experiment_name" => "experimentName".to_string(),
                "inputs" => {
                    out.insert(k, pipeline_inputs(v));
                    continue;
                }
                "outputs" => {
                    outputs = Some(v);
                    continue;
                }
                _ => k,
            };
            out.insert(key, v);
        }
    }
    let mut job = Json::Object(out);
    if let Some(outputs) = outputs {
        let outputs = pipeline_outputs(outputs, &mut job);
        body::put(&mut job, "outputs", outputs);
    }
    job
}

/// The REST form of a pipeline's inputs (`PipelineJob.inputs`: a `JobInput` per name,
/// discriminated by `jobInputType`): a typed YAML input (`type`, `path`, `mode`) becomes
/// `{jobInputType, uri, mode}`, a plain value a `literal` input holding its text.
fn pipeline_inputs(inputs: Json) -> Json {
    let Json::Object(inputs) = inputs else {
        return inputs;
    };
    let converted = inputs.into_iter().map(|(name, input)| {
        let rest = match input {
            Json::Object(typed) if typed.get("type").is_some_and(Json::is_string) => {
                let kind = typed["type"].as_str().unwrap_or_default().to_string();
                if LITERAL_TYPES.contains(&kind.as_str()) {
                    let value = typed.get("default").or_else(|| typed.get("value"));
                    literal_input(
                        value.cloned().unwrap_or(Json::Null),
                        typed.get("description"),
                    )
                } else {
                    typed_port("jobInputType", json!(kind), typed)
                }
            }
            other => literal_input(other, None),
        };
        (name, rest)
    });
    Json::Object(converted.collect())
}

/// The CLI's literal input types: sent as `literal` inputs whose value is text.
const LITERAL_TYPES: &[&str] = &["string", "integer", "number", "boolean"];

fn literal_input(value: Json, description: Option<&Json>) -> Json {
    let text = match value {
        Json::String(s) => s,
        Json::Null => String::new(),
        other => other.to_string(),
    };
    let mut rest = Map::new();
    rest.insert("jobInputType".into(), json!("literal"));
    rest.insert("value".into(), Json::String(text));
    if let Some(d) = description {
        rest.insert("description".into(), d.clone());
    }
    Json::Object(rest)
}

/// The REST form of a pipeline's outputs (`PipelineJob.outputs`: a `JobOutput` per name,
/// discriminated by `jobOutputType`). A YAML output that is a step's output
/// (`${{parent.jobs.S.outputs.X}}`) has no REST spelling at the pipeline: as the CLI does, the
/// pipeline output is declared (a `uri_folder`) and the step's output binds to it.
fn pipeline_outputs(outputs: Json, job: &mut Json) -> Json {
    let Json::Object(outputs) = outputs else {
        return outputs;
    };
    let mut rest_outputs = Map::new();
    for (name, output) in outputs {
        let rest = match output {
            Json::Object(typed) => {
                let kind = typed
                    .get("type")
                    .cloned()
                    .unwrap_or_else(|| json!("uri_folder"));
                typed_port("jobOutputType", kind, typed)
            }
            Json::String(text) => {
                if let [Binding::StepOutput(step, output)] = bindings(&text)[..] {
                    let at = format!("jobs.{step}.outputs.{output}");
                    body::put(
                        job,
                        &at,
                        Json::String(format!("${{{{parent.outputs.{name}}}}}")),
                    );
                }
                json!({"jobOutputType": "uri_folder"})
            }
            other => other,
        };
        rest_outputs.insert(name, rest);
    }
    Json::Object(rest_outputs)
}

/// A typed YAML input or output in REST form: its `type` as the `discriminator`
/// (`jobInputType` or `jobOutputType`) holding `kind`, `path` as `uri`, the delivery mode in
/// its REST spelling, anything else as written.
fn typed_port(discriminator: &str, kind: Json, typed: Map<String, Json>) -> Json {
    let mut rest = Map::new();
    rest.insert(discriminator.into(), kind);
    for (key, value) in typed {
        match key.as_str() {
            "type" => {}
            "path" => {
                rest.insert("uri".into(), value);
            }
            "mode" => {
                rest.insert("mode".into(), delivery_mode(value));
            }
            _ => {
                rest.insert(key, value);
            }
        }
    }
    Json::Object(rest)
}

/// The REST spelling of a CLI delivery mode (`ro_mount` is `ReadOnlyMount`).
fn delivery_mode(mode: Json) -> Json {
    const MODES: &[(&str, &str)] = &[
        ("ro_mount", "ReadOnlyMount"),
        ("rw_mount", "ReadWriteMount"),
        ("download", "Download"),
        ("direct", "Direct"),
        ("eval_mount", "EvalMount"),
        ("eval_download", "EvalDownload"),
        ("upload", "Upload"),
    ];
    match mode
        .as_str()
        .and_then(|m| MODES.iter().find(|(cli, _)| *cli == m))
    {
        Some((_, rest)) => json!(rest),
        None => mode,
    }
}

/// The kind's cost model: a schedule costs nothing; its runs are billed on their compute.
fn cost(_: &Resource, _: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    crate::cost::KindCost::Elsewhere("its runs are billed on the compute their steps use".into())
}

#[cfg(test)]
mod tests {
    use super::{Binding, bindings, cron_problem, short_reference};

    #[test]
    fn cron_expressions_have_five_valid_fields() {
        assert_eq!(cron_problem("0 2 * * 1"), None);
        assert_eq!(cron_problem("*/15 * * * *"), None);
        assert!(cron_problem("0 2 * *").is_some());
        assert!(cron_problem("0 25 * * 1").is_some());
        assert!(cron_problem("0 0 2 * * 1").is_some());
    }

    #[test]
    fn references_and_bindings_are_read() {
        assert_eq!(short_reference("azureml:prep:2"), Some(("prep", Some("2"))));
        assert_eq!(short_reference("azureml:prep@latest"), Some(("prep", None)));
        assert_eq!(short_reference("azureml:/subscriptions/x"), None);
        assert_eq!(short_reference("azureml:cpu"), None);
        assert_eq!(
            bindings("${{parent.inputs.raw}} and ${{ parent.jobs.prep.outputs.clean }}"),
            [
                Binding::ParentInput("raw"),
                Binding::StepOutput("prep", "clean")
            ]
        );
    }
}
