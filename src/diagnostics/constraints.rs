//! E07xx and W01xx: rules across attributes and resources (bounds, traffic, managed
//! networks, private endpoints, roles, lifecycle) and advisories.
//!
//! All call sites use these constructors.

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::Span;

/// E0701: a minimum above its maximum. `low` and `high` are the values as shown.
pub fn min_above_max(
    min: &str,
    low: &str,
    min_span: Span,
    max: &str,
    high: &str,
    max_span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0701,
        format!("`{min}` ({low}) is greater than `{max}` ({high})"),
    )
    .at(min_span, format!("{min} is {low}"))
    .with_secondary(max_span, format!("{max} is {high}"))
    .with_help(format!("`{min}` must be at most `{max}`"))
}

/// E0703: `traffic` or `mirror_traffic` naming a deployment that is not of this endpoint.
/// `deployments` are the endpoint's deployments.
pub fn traffic_unknown_deployment(
    attr: &str,
    key: &str,
    endpoint: &str,
    deployments: &[&str],
    span: Span,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0703,
        format!("`{attr}` names `{key}`, which is not a deployment of `{endpoint}`"),
    )
    .at(
        span,
        format!("`{key}` is not one of this endpoint's deployments"),
    );
    match did_you_mean(key, deployments.iter().copied()) {
        Some(h) => d.with_help(h),
        None if deployments.is_empty() => d.with_help(format!(
            "no online_deployment refers to this endpoint; add one with `endpoint = {endpoint}`"
        )),
        None => d.with_help(format!("its deployments are: {}", deployments.join(", "))),
    }
}

/// E0704: live traffic that does not sum to 100. `sum` is as shown.
pub fn traffic_sum(sum: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0704, format!("`traffic` sums to {sum}, not 100"))
        .at(span, format!("sums to {sum}"))
        .with_help(
            "the shares of live traffic must add up to 100 (or leave `traffic` empty to send none)",
        )
}

/// E0705: mirror traffic above 50 percent.
pub fn mirror_traffic_sum(sum: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0705,
        format!("`mirror_traffic` sums to {sum}, above 50"),
    )
    .at(span, format!("sums to {sum}"))
    .with_help("Azure ML mirrors at most 50% of live traffic to shadow deployments")
}

/// E0706: an FQDN outbound rule without approved-outbound isolation. `isolation` is the
/// mode and where it is set (`None`: the default, at the network block's header).
pub fn fqdn_rule_needs_approved_outbound(
    label: &str,
    type_span: Span,
    isolation: Option<(&str, Span)>,
    network_header: Span,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0706,
        format!("FQDN outbound rule `{label}` needs isolation_mode = \"allow_only_approved_outbound\""),
    )
    .at(type_span, "an FQDN rule")
    .with_help("FQDN rules are enforced by the managed network's firewall, which exists only in approved-outbound mode");
    match isolation {
        Some((mode, span)) => d.with_secondary(span, format!("isolation_mode is \"{mode}\"")),
        None => d.with_secondary(network_header, "isolation_mode defaults to \"disabled\""),
    }
}

/// E0707: a service-tag rule's port range that does not parse.
pub fn invalid_port_range(shown: &str, error: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0707, format!("invalid port range {shown}: {error}"))
        .at(span, "invalid ports")
        .with_help("write a port (\"443\"), a list (\"80,443\"), a range (\"1000-2000\") or \"*\"")
}

/// E0707: a service tag Azure does not have. `known` are the tags amlplan knows.
pub fn unknown_service_tag<'a>(
    tag: &str,
    span: Span,
    known: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::new(Code::E0707, format!("`{tag}` is not an Azure service tag"))
        .at(span, "unknown service tag");
    match did_you_mean(tag, known) {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// E0708: a private-link sub-resource the target type does not have.
pub fn invalid_subresource(sub: &str, target_type: &str, valid: &[&str], span: Span) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0708,
        format!("{sub:?} is not a private-link sub-resource of a {target_type}"),
    )
    .at(span, format!("valid: {}", valid.join(", ")));
    match did_you_mean(sub, valid.iter().copied()) {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// E0709: a role name that is no built-in role. `best` is the closest built-in name.
pub fn unknown_role(shown: &str, best: Option<&str>, span: Span) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0709,
        format!("`{shown}` is not a built-in role amlplan knows"),
    )
    .at(span, "unknown role");
    match best {
        Some(best) => d.with_help(format!("did you mean `{best}`?")),
        None => d.with_help("use a built-in role name such as \"AzureML Data Scientist\", or a role definition ID for a custom role"),
    }
}

/// E0709: a role that lowering cannot resolve to a GUID (the checker reports the same
/// value with [`unknown_role`]; lowering only meets it when checks were skipped).
pub fn unresolvable_role(shown: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0709,
        format!("`{shown}` is not a built-in role amlplan knows"),
    )
    .at(span, "unknown role")
    .with_help("give the role definition ID instead (`/subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<guid>`)")
}

/// E0709: a role definition ID that lowering cannot parse. `error` says why.
pub fn invalid_role_definition_id(error: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0709, format!("invalid role definition ID: {error}"))
        .at(span, "not a role definition ID")
}

/// E0709: a role definition ID whose last segment is not a GUID.
pub fn role_id_without_guid(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0709,
        "a role definition ID must end in the role's GUID",
    )
    .at(span, "not a GUID at the end")
}

/// E0710: an outbound rule without an attribute its type needs.
pub fn outbound_rule_missing(
    rule_type: &str,
    field: &str,
    header: Span,
    type_span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0710,
        format!("a {rule_type} outbound rule needs `{field}`"),
    )
    .at(header, format!("`{field}` is missing"))
    .with_secondary(type_span, format!("the rule is of type {rule_type}"))
}

/// E0710: a service-tag rule with no destination.
pub fn service_tag_rule_without_destination(header: Span, type_span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0710,
        "a service_tag outbound rule needs `service_tag` or `address_prefixes`",
    )
    .at(header, "no destination")
    .with_secondary(type_span, "the rule is of type service_tag")
}

/// E0710: an attribute that belongs to another outbound rule type.
pub fn outbound_rule_foreign_attribute(
    attr: &str,
    owner: &str,
    label: &str,
    rule_type: &str,
    span: Span,
    type_span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0710,
        format!("`{attr}` belongs to {owner} rules, but `{label}` is a {rule_type} rule"),
    )
    .at(span, format!("not used by {rule_type} rules"))
    .with_secondary(type_span, format!("the rule is of type {rule_type}"))
}

/// E0711: `ignore_changes` naming an attribute the kind does not have.
pub fn unknown_ignore_changes<'a>(
    name: &str,
    top: &str,
    kind: &str,
    span: Span,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0711,
        format!("`ignore_changes` names `{name}`, which is not an attribute of {kind}"),
    )
    .at(span, "unknown attribute");
    match did_you_mean(top, candidates) {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// W0101: `priority = "low_priority"`, retired by Azure.
pub fn low_priority_retired(span: Span) -> Diagnostic {
    Diagnostic::new(Code::W0101, "low-priority VMs were retired on 2026-03-31")
        .at(span, "deprecated value")
        .with_help("write priority = \"spot\": Azure ML runs former low-priority clusters on spot capacity, which can be evicted the same way")
}

/// W0102: a VM size amlplan does not know. `closest` are near sizes.
pub fn unknown_vm_size(shown: &str, closest: &[&str], span: Span) -> Diagnostic {
    let d = Diagnostic::new(
        Code::W0102,
        format!("`{shown}` is not a VM size amlplan knows"),
    )
    .at(span, "unknown VM size")
    .with_help(
        "a size amlplan does not know cannot be priced or checked; if it is new, it may still work",
    );
    if closest.is_empty() {
        d
    } else {
        d.with_help(format!(
            "did you mean {}?",
            closest
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// E0712: a compute in a custom subnet of a workspace whose managed network is on.
/// `isolation` is the workspace's mode as written and where (`None`: not in this manifest's
/// text, such as a module default).
pub fn subnet_under_managed_network(
    compute: &str,
    workspace: &str,
    isolation: &str,
    subnet_span: Span,
    isolation_span: Option<Span>,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0712,
        format!(
            "`{compute}` is placed in a custom subnet, but workspace `{workspace}` has a managed network (isolation_mode = \"{isolation}\")"
        ),
    )
    .at(subnet_span, "a custom VNet subnet");
    let d = match isolation_span {
        Some(span) => d.with_secondary(span, format!("isolation_mode is \"{isolation}\"")),
        None => d,
    };
    d.with_help("computes of a workspace with a managed network run in that network: remove `subnet` (or set the workspace's isolation_mode to \"disabled\")")
}

/// E0713: a compute without public IPs that has neither a subnet nor a workspace managed
/// network to reach Azure through.
pub fn no_public_ip_without_network(compute: &str, workspace: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0713,
        format!(
            "`{compute}` has no public IP, but neither a `subnet` nor a managed network on workspace `{workspace}`"
        ),
    )
    .at(span, "no public IP")
    .with_help(format!(
        "nodes without public IPs need a network: add `subnet = \"<subnet ARM ID>\"`, give `{workspace}` a `managed_network` with an isolation_mode other than \"disabled\", or set `node_public_ip = true`"
    ))
}

/// E0714: an endpoint or deployment whose `location` is not its parent's region. `parent_at`
/// is where the parent's region is written (`None`: the `azure` block's default).
pub fn location_differs_from_parent(
    resource: &str,
    location: &str,
    span: Span,
    parent: &str,
    parent_location: &str,
    parent_at: Option<Span>,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0714,
        format!("`{resource}` is in \"{location}\", but `{parent}` is in \"{parent_location}\""),
    )
    .at(span, format!("\"{location}\""));
    let d = match parent_at {
        Some(at) => d.with_secondary(at, format!("{parent} is in \"{parent_location}\"")),
        None => d,
    };
    d.with_help(format!(
        "endpoints and their deployments live in their workspace's region: remove `location` (it defaults to \"{parent_location}\")"
    ))
}

/// E0715: an attribute that lands on a property the ARM type's api-version marks read-only.
pub fn read_only_property(
    attr: &str,
    arm_path: &str,
    arm_type: &str,
    api_version: &str,
    span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0715,
        format!(
            "`{attr}` sets `{arm_path}`, which is read-only in {arm_type} api-version {api_version}"
        ),
    )
    .at(span, "read-only in Azure")
    .with_help(format!(
        "ARM ignores a read-only property in a request, so `{attr}` would never take effect: remove it (`amlplan explain E0715` lists what to use instead)"
    ))
}

/// E0725: a datastore secret (`account_key`, `sas_token`, a `service_principal` block) given
/// with credentials of another type.
pub fn datastore_secret_for_other_credentials(
    secret: &str,
    credentials: &str,
    span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0725,
        format!("`{secret}` is given, but the datastore's credentials are \"{credentials}\""),
    )
    .at(span, format!("not used with \"{credentials}\""))
    .with_help(format!(
        "remove `{secret}`, or set `credentials` to the type it is for (`account_key` for account_key, `sas` for sas_token, `service_principal` for the block)"
    ))
}

/// E0725: credentials of a type whose secret is missing.
pub fn datastore_secret_missing(secret: &str, credentials: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0725,
        format!("the datastore's credentials are \"{credentials}\", but `{secret}` is not given"),
    )
    .at(span, format!("needs `{secret}`"))
    .with_help(format!(
        "add `{secret}` (from a sensitive variable), or use `credentials = \"identity\"` to reach the storage without a secret"
    ))
}

/// E0726: an `azureml://datastores/NAME/...` path whose datastore is neither declared in the
/// asset's workspace nor built in. `name` is `None` where the path is sensitive (not shown);
/// `known` are the declared and built-in names.
pub fn unknown_datastore(
    name: Option<&str>,
    workspace: &str,
    known: &[&str],
    span: Span,
) -> Diagnostic {
    let shown = name.map_or_else(|| "a datastore".to_string(), |n| format!("datastore `{n}`"));
    let d = Diagnostic::new(
        Code::E0726,
        format!("the path names {shown}, which `{workspace}` does not have"),
    )
    .at(span, "unknown datastore");
    match name.and_then(|n| did_you_mean(n, known.iter().copied())) {
        Some(hint) => d.with_help(hint),
        None => d.with_help(format!(
            "declare it (`datastore \"NAME\" {{ workspace = {workspace} ... }}`) or use a built-in datastore ({})",
            crate::schema::datastore::BUILT_IN.join(", ")
        )),
    }
}

/// E0727: an instance type a Kubernetes cluster does not declare. `name` is `None` where the
/// value is sensitive; `known` are the cluster's instance types.
pub fn unknown_instance_type(
    name: Option<&str>,
    cluster: &str,
    known: &[&str],
    span: Span,
) -> Diagnostic {
    let shown = name.map_or_else(|| "the instance type".to_string(), |n| format!("`{n}`"));
    let d = Diagnostic::new(
        Code::E0727,
        format!("{shown} is not an instance type of `{cluster}`"),
    )
    .at(span, "unknown instance type");
    match (name.and_then(|n| did_you_mean(n, known.iter().copied())), known) {
        (Some(hint), _) => d.with_help(hint),
        (None, []) => d.with_help(format!(
            "`{cluster}` declares no instance types: add an `instance_type \"NAME\" {{ cpu = ..., memory = ... }}` block to it"
        )),
        (None, known) => d.with_help(format!(
            "`{cluster}` declares {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// E0728: deployments of one online endpoint on different computes (managed VMs and a
/// Kubernetes cluster, or two clusters). `other` is the deployment it differs from.
pub fn deployments_on_different_computes(
    deployment: &str,
    runs_on: &str,
    other: &str,
    other_runs_on: &str,
    span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0728,
        format!(
            "`{deployment}` runs on {runs_on}, but `{other}`, of the same endpoint, runs on {other_runs_on}"
        ),
    )
    .at(span, format!("on {runs_on}"))
    .with_help(
        "an endpoint is managed or bound to one Kubernetes cluster: give every deployment of the endpoint the same `compute` (or none), or use another endpoint",
    )
}

/// E0729: an asset version that names both a workspace and a registry.
pub fn asset_home_twice(asset: &str, parent: &str, registry: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0729,
        format!("`{asset}` names both `{parent}` and `{registry}`"),
    )
    .at(span, "a second home")
    .with_help(format!(
        "an asset version lives in one place: keep `{parent}` to register it in the workspace, or `{registry}` to share it with every workspace"
    ))
}

/// E0729: an asset version that names neither a workspace nor a registry.
pub fn asset_home_missing(asset: &str, parent: &str, registry: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0729,
        format!("`{asset}` names neither `{parent}` nor `{registry}`"),
    )
    .at(span, "no workspace or registry")
    .with_help(format!(
        "add `{parent} = workspace.NAME`, or `{registry} = registry.NAME` to share it with every workspace"
    ))
}

/// E0730: a component version with no version (no `version` and none in its YAML).
pub fn component_without_version(component: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0730, format!("`{component}` has no version"))
        .at(span, "no version")
        .with_help("add `version = \"1\"` to the block, or `version: 1` to its YAML file")
}

/// E0731: a component's environment that is neither an `environment` block nor a string of
/// the forms Azure ML resolves. `shown` is `None` for a reference or a sensitive value.
pub fn component_environment_malformed(shown: Option<&str>, span: Span) -> Diagnostic {
    let what = shown.map_or_else(|| "the environment".to_string(), |s| format!("`{s}`"));
    Diagnostic::new(
        Code::E0731,
        format!("{what} is not an environment reference Azure ML resolves"),
    )
    .at(span, "not an environment reference")
    .with_help("use an `environment` block (`environment.NAME`), \"azureml:NAME:VERSION\" or \"azureml:NAME@latest\"")
}

/// E0732: a `${{inputs.X}}` or `${{outputs.Y}}` placeholder naming no declared input or
/// output. `scope` is `inputs` or `outputs`; `name` is `None` where it is sensitive.
pub fn undeclared_placeholder(
    scope: &str,
    name: Option<&str>,
    declared: &[&str],
    span: Span,
) -> Diagnostic {
    let kind = if scope == "inputs" { "input" } else { "output" };
    let shown = name.map_or_else(|| format!("an {kind}"), |n| format!("{kind} `{n}`"));
    let d = Diagnostic::new(
        Code::E0732,
        format!("the command names {shown}, which the component does not declare"),
    )
    .at(span, format!("undeclared {kind}"));
    match name.and_then(|n| did_you_mean(n, declared.iter().copied())) {
        Some(hint) => d.with_help(hint),
        None if declared.is_empty() => d.with_help(format!("the component declares no {scope}")),
        None => d.with_help(format!(
            "its {scope}: {}",
            declared
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// E0733: a component YAML file that does not parse or is not a mapping.
pub fn component_yaml_invalid(why: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0733,
        format!("the component file is not a valid component: {why}"),
    )
    .at(span, "here")
    .with_help("an Azure ML CLI v2 component YAML is one mapping with name, version, type, inputs, outputs, command and environment")
}

/// E0733: an input or output type Azure ML components do not have.
pub fn component_type_not_allowed(
    scope: &str,
    name: &str,
    ty: &str,
    allowed: &[&str],
    span: Span,
) -> Diagnostic {
    let port = if scope == "inputs" { "input" } else { "output" };
    let d = Diagnostic::new(
        Code::E0733,
        format!("{port} `{name}` has type `{ty}`, which components do not have"),
    )
    .at(span, "unknown type");
    match did_you_mean(ty, allowed.iter().copied()) {
        Some(hint) => d.with_help(hint),
        None => d.with_help(format!("one of: {}", allowed.join(", "))),
    }
}

/// E0733: a component with both a `file` and inline attributes.
pub fn component_file_and_inline(component: &str, inline: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0733,
        format!("`{component}` has a `file` and `{inline}`: it is defined twice"),
    )
    .at(span, "the component file")
    .with_help("keep the YAML file or write the component inline, not both")
}

/// E0733: an inline component without a `command` (and without a `file`).
pub fn component_without_command(component: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0733,
        format!("`{component}` has neither a `file` nor a `command`"),
    )
    .at(span, "no definition")
    .with_help("name its CLI v2 YAML with `file = \"...\"`, or write it inline with `command`, `environment` and `input`/`output` blocks")
}

fn listed(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// E0734: a schedule with both a `cron` and a `recurrence` block.
pub fn schedule_two_triggers(schedule: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0734,
        format!("`{schedule}` has both a `cron` and a `recurrence` trigger"),
    )
    .at(span, "a second trigger")
    .with_help("a schedule has one trigger: keep `cron` or `recurrence`")
}

/// E0734: a schedule with no trigger.
pub fn schedule_without_trigger(schedule: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0734, format!("`{schedule}` has no trigger"))
        .at(span, "no trigger")
        .with_help("add `cron { expression = \"0 2 * * 1\" }` or `recurrence { frequency = \"week\" interval = 1 }`")
}

/// E0735: a cron expression croner refuses, or not of five fields. `why` is croner's reason.
pub fn invalid_cron(why: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::E0735, format!("not a valid cron expression: {why}"))
        .at(span, "invalid cron expression")
        .with_help("five fields: minute hour day-of-month month day-of-week (`0 2 * * 1` is Mondays at 02:00)")
}

/// E0736: a short `azureml:NAME:VERSION` / `azureml:NAME@latest` reference in a job that
/// names no declared asset of that kind (`versions`: the versions declared under the name).
pub fn unknown_job_reference(
    what: &str,
    text: &str,
    versions: &[String],
    names: &[&str],
    span: Span,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0736,
        format!("`{text}` names no {what} the manifest declares in the workspace"),
    )
    .at(span, format!("unknown {what}"));
    if !versions.is_empty() {
        return d.with_help(format!("declared versions: {}", versions.join(", ")));
    }
    let name = crate::schema::schedule::short_reference(text).map_or(text, |(n, _)| n);
    match did_you_mean(name, names.iter().copied()) {
        Some(hint) => d.with_help(hint),
        None => d.with_help(format!("declare the {what} in the manifest, or give its full asset ID (`azureml:/subscriptions/...`)")),
    }
}

/// E0737: `${{parent.jobs.STEP.outputs.X}}` naming a step the job does not have.
pub fn unknown_step(step: &str, steps: &[&str], span: Span) -> Diagnostic {
    let d = Diagnostic::new(Code::E0737, format!("the job has no step `{step}`"))
        .at(span, "unknown step");
    match did_you_mean(step, steps.iter().copied()) {
        Some(hint) => d.with_help(hint),
        None => d.with_help(format!("its steps: {}", listed(steps))),
    }
}

/// E0737: `${{parent.jobs.STEP.outputs.X}}` naming an output the step does not have.
pub fn unknown_step_output(step: &str, output: &str, outputs: &[&str], span: Span) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0737,
        format!("step `{step}` has no output `{output}`"),
    )
    .at(span, "unknown output");
    match did_you_mean(output, outputs.iter().copied()) {
        Some(hint) => d.with_help(hint),
        None if outputs.is_empty() => d.with_help(format!("step `{step}` declares no outputs")),
        None => d.with_help(format!("its outputs: {}", listed(outputs))),
    }
}

/// E0738: `${{parent.inputs.X}}` naming an input the pipeline does not declare.
pub fn unknown_pipeline_input(input: &str, inputs: &[&str], span: Span) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0738,
        format!("the pipeline declares no input `{input}`"),
    )
    .at(span, "unknown input");
    match did_you_mean(input, inputs.iter().copied()) {
        Some(hint) => d.with_help(hint),
        None => d.with_help("declare it under the job's top-level `inputs:`"),
    }
}

/// E0739: a job compute that is not a compute cluster of the schedule's workspace.
pub fn job_compute_not_a_cluster(
    name: &str,
    workspace: &str,
    clusters: &[&str],
    span: Span,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0739,
        format!("compute `{name}` is not a cluster of `{workspace}`"),
    )
    .at(span, "not a cluster of the workspace");
    match did_you_mean(name, clusters.iter().copied()) {
        Some(hint) => d.with_help(hint),
        None => d.with_help(format!(
            "name a `compute_cluster` of `{workspace}` (`azureml:NAME`), or give its full ARM ID"
        )),
    }
}

/// E0740: a pipeline job file that does not parse.
pub fn job_yaml_invalid(why: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0740,
        format!("the job file is not valid YAML: {why}"),
    )
    .at(span, "here")
    .with_help("a CLI v2 pipeline job YAML is one mapping with inputs, outputs, settings and jobs")
}

/// E0741: a budget's `start_date` that is not the first of a month (or not a date); `shown`
/// is `None` for a sensitive value.
pub fn budget_start_not_first_of_month(shown: Option<&str>, span: Span) -> Diagnostic {
    let what = shown.map_or_else(|| "the start date".to_string(), |t| format!("`{t}`"));
    Diagnostic::new(
        Code::E0741,
        format!("{what} is not the first day of a month"),
    )
    .at(span, "Azure budgets start on the first of a month")
    .with_help("write `YYYY-MM-01`, or leave `start_date` out for the first of the current month")
}

/// E0741: a budget's `end_date` that is not a date.
pub fn budget_end_not_a_date(shown: Option<&str>, span: Span) -> Diagnostic {
    let what = shown.map_or_else(|| "the end date".to_string(), |t| format!("`{t}`"));
    Diagnostic::new(Code::E0741, format!("{what} is not a date"))
        .at(span, "expected `YYYY-MM-DD`")
        .with_help("leave `end_date` out for ten years after the start")
}

/// E0742: a budget `scope` that is not a subscription or resource group ID.
pub fn budget_scope_malformed(scope: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0742,
        format!("`{scope}` is not a subscription or resource group ID"),
    )
    .at(span, "the spend an Azure budget watches")
    .with_help("write `/subscriptions/ID` or `/subscriptions/ID/resourceGroups/NAME`, or leave `scope` out for the `azure` block's resource group")
}

/// E0743: a budget alert with neither contact emails nor contact groups.
pub fn budget_alert_without_contact(alert: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0743,
        format!("alert `{alert}` has no one to notify"),
    )
    .at(span, "no `contact_emails` or `contact_groups`")
    .with_help("Azure refuses a budget notification without a contact: add `contact_emails = [\"...\"]`")
}

/// E0744: a monitor signal whose metric its signal type does not compute for its data type.
pub fn monitor_metric_not_for_signal(
    signal: &str,
    metric: &str,
    kind: &str,
    data_type: &str,
    allowed: &[&str],
    span: Span,
) -> Diagnostic {
    let d = Diagnostic::new(
        Code::E0744,
        format!("signal `{signal}`: `{kind}` does not compute `{metric}` for {data_type} data"),
    )
    .at(span, "not a metric of this signal");
    match did_you_mean(metric, allowed.iter().copied()) {
        Some(hint) => d.with_help(hint),
        None => d.with_help(format!("its metrics are {}", list(allowed))),
    }
}

/// E0745: a prediction drift signal with `features` (it is computed over the outputs).
pub fn monitor_prediction_drift_features(signal: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0745,
        format!(
            "signal `{signal}`: prediction drift is computed over the model's outputs, not features"
        ),
    )
    .at(span, "not taken by `prediction_drift`")
    .with_help("remove `features`, or watch the features with a `data_drift` signal")
}

/// E0746: a monitor in one workspace watching a deployment of another.
pub fn monitor_deployment_elsewhere(
    deployment: &str,
    its: &str,
    workspace: &str,
    span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0746,
        format!("`{deployment}` is served in `{its}`, not in the monitor's `{workspace}`"),
    )
    .at(span, "a deployment of another workspace")
    .with_help(format!("set the monitor's `workspace = {its}`"))
}

/// E0747: a data collection's sampling rate outside 0..=1 (a share of the requests).
pub fn sampling_rate_out_of_range(collection: &str, rate: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0747,
        format!("collection \"{collection}\" samples {rate} of its requests; a sampling rate is a share from 0 to 1"),
    )
    .at(span, "outside 0 to 1")
    .with_help("write the share as a decimal: `sampling_rate = 0.25` collects a quarter of the requests, 1 all of them")
}

/// E0748: a data collection registering its data as an asset that is not a `uri_folder` of
/// the deployment's workspace (`why` says which).
pub fn collection_asset_unusable(
    collection: &str,
    asset: &str,
    why: &str,
    span: Span,
) -> Diagnostic {
    Diagnostic::new(
        Code::E0748,
        format!("collection \"{collection}\" registers its data as `{asset}`, which {why}"),
    )
    .at(span, "not a folder asset of the deployment's workspace")
    .with_help("the collector writes JSON Lines files into a folder of the deployment's workspace: name a `uri_folder` data asset of that workspace, or leave `data` out for the default `ENDPOINT-DEPLOYMENT-COLLECTION` asset")
}

/// E0749: `capture_headers` on a data collector that logs no payload (no enabled `request` or
/// `response` collection): the headers are collected along with the payload only.
pub fn headers_without_payload_logging(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::E0749,
        "`capture_headers` names headers to collect with the request payload, but the data collector logs no payload",
    )
    .at(span, "collected with payload logging only")
    .with_help("add `collection \"request\" {}` (payload logging) to the data collector, or remove `capture_headers`")
}

/// W0109: a monitor signal reading a collection its deployment does not collect (the schedule
/// is accepted; its runs find no production data). `seen` is how the deployment has it: a
/// disabled collection of that name, or a collection of a near name.
pub fn monitor_without_collected_data(
    signal: &str,
    deployment: &str,
    collection: &str,
    seen: CollectionSeen<'_>,
    span: Span,
) -> Diagnostic {
    let help = match seen {
        CollectionSeen::Disabled => format!(
            "`{deployment}` has `collection \"{collection}\"` with `enabled = false`: enable it"
        ),
        CollectionSeen::Near(near) => format!(
            "`{deployment}` collects `{near}`: name that collection `{collection}`, the name the monitor reads (and the scoring script logs with `Collector(name=\"{collection}\")`)"
        ),
        CollectionSeen::Absent => format!(
            "add `data_collector {{ collection \"{collection}\" {{}} }}` to `{deployment}` (its scoring script logs it with `Collector(name=\"{collection}\")`)"
        ),
    };
    Diagnostic::new(
        Code::W0109,
        format!("signal \"{signal}\" reads `{collection}`, which `{deployment}` does not collect"),
    )
    .at(span, "the monitor's runs will find no production data")
    .with_help(help)
}

/// How a deployment has the collection a monitor reads, for W0109's help.
#[derive(Debug, Clone, Copy)]
pub enum CollectionSeen<'a> {
    /// No collection of that name, nor of a near one.
    Absent,
    /// A collection of that name with `enabled = false`.
    Disabled,
    /// A collection whose name is close to it (a misspelling).
    Near(&'a str),
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
