//! `kubernetes_compute`: an AKS or Azure Arc-enabled Kubernetes cluster attached to a
//! workspace (`workspaces/computes` with `computeType: Kubernetes`), for online deployments
//! and training jobs. amlplan attaches the cluster and detaches it again: it never creates or
//! deletes the cluster itself.
//!
//! Everything about the kind is here: its attributes, ID, ARM semantics (shared with the
//! other computes), its lowering (the instance types, a map keyed by name) and what an
//! online deployment on the cluster must respect (`check_deployment_compute`).
//!
//! Sources (2025-09-01, `Azure/bicep-types-az` generated from the REST specs): the
//! `Kubernetes` compute has `resourceId` (the cluster's ARM ID), `description` and
//! `properties` (`KubernetesProperties`: `namespace`, `defaultInstanceType`, `instanceTypes`
//! — a map from name to `InstanceTypeSchema` with `nodeSelector` and `resources.requests` /
//! `resources.limits` —, plus relay and service-bus connection strings the extension
//! fills). `az ml compute attach --type Kubernetes` (azure-ai-ml `KubernetesCompute`) sends
//! `resourceId`, `computeLocation`, `description`, the identity and those properties; a
//! DELETE with `underlyingResourceAction=Detach` detaches it and leaves the cluster. The
//! cluster is part of what the attachment is, so `cluster` is create-only, as the namespace
//! the extension was installed for.
//!
//! An instance type's `cpu` and `memory` are sent as both its requests and its limits (the
//! resources a pod of that type is given and held to), `gpu` as the `nvidia.com/gpu` limit,
//! as Azure ML's instance-type documentation writes them.

use serde_json::{Map, Value as Json};

use super::descriptor::ReviewFact;
use super::meta::IDENTITY;
use super::{
    AttrSchema, AttrType, BlockSchema, ExportSchema, IdTemplate, KindBehavior, KindSchema,
    LoweredAt, NestedSchema,
};
use crate::arm::Desired;
use crate::arm::lower::{Ctx, body, complete, present, start};
use crate::azure::names::NameRule;
use crate::check::rules::RuleCtx;
use crate::diagnostic::Diagnostics;
use crate::diagnostics::constraints;
use crate::model::Resource;

const INSTANCE_TYPES: &str = "properties.properties.instanceTypes";

static INSTANCE_TYPE: BlockSchema = BlockSchema {
    attrs: &[
        AttrSchema::new(
            "cpu",
            AttrType::String,
            "",
            "CPU a pod of this type gets, in Kubernetes units (`\"1\"`, `\"500m\"`).",
        )
        .required()
        .lowered_at(&[LoweredAt::own(INSTANCE_TYPES)]),
        AttrSchema::new(
            "memory",
            AttrType::String,
            "",
            "Memory a pod of this type gets, in Kubernetes units (`\"4Gi\"`).",
        )
        .required()
        .lowered_at(&[LoweredAt::own(INSTANCE_TYPES)]),
        AttrSchema::new(
            "gpu",
            AttrType::Integer {
                min: Some(0),
                max: None,
            },
            "",
            "NVIDIA GPUs a pod of this type gets.",
        )
        .lowered_at(&[LoweredAt::own(INSTANCE_TYPES)]),
        AttrSchema::new(
            "node_selector",
            AttrType::Map(&AttrType::String),
            "",
            "Node labels a pod of this type is scheduled on.",
        )
        .lowered_at(&[LoweredAt::own(INSTANCE_TYPES)]),
    ],
    blocks: &[],
};

/// Attached computes are detached, never deleted: the cluster is the user's.
pub(crate) const BEHAVIOR: KindBehavior = KindBehavior {
    case_insensitive_paths: &["location", "properties.resourceId"],
    delete_query: &[("underlyingResourceAction", "Detach")],
    ..KindBehavior::PLAIN
};

pub static SCHEMA: KindSchema = KindSchema {
    kind: "kubernetes_compute",
    arm_type: "Microsoft.MachineLearningServices/workspaces/computes",
    api_version: "2025-12-01",
    name_rule: NameRule::Compute,
    has_tags: true,
    tags_path: "tags",
    has_location: true,
    doc: "An AKS or Arc-enabled Kubernetes cluster attached to the workspace (with the Azure ML extension installed), for online deployments and jobs; destroying it detaches the cluster.",
    body: BlockSchema {
        attrs: &[
            // Part of the resource ID.
            AttrSchema::new(
                "workspace",
                AttrType::Ref(&["workspace"]),
                "",
                "The workspace the cluster is attached to.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "cluster",
                AttrType::ArmId(&[
                    "Microsoft.ContainerService/managedClusters",
                    "Microsoft.Kubernetes/connectedClusters",
                ]),
                "properties.resourceId",
                "ARM ID of the AKS (`managedClusters`) or Arc (`connectedClusters`) cluster.",
            )
            .required()
            .create_only(),
            AttrSchema::new(
                "namespace",
                AttrType::String,
                "properties.properties.namespace",
                "The Kubernetes namespace Azure ML workloads run in (Azure's default is `default`).",
            )
            .create_only(),
            AttrSchema::new(
                "default_instance_type",
                AttrType::String,
                "properties.properties.defaultInstanceType",
                "The instance type used when a deployment or job names none (one of the `instance_type` blocks).",
            ),
            AttrSchema::new(
                "description",
                AttrType::String,
                "properties.description",
                "A free-text description of the attachment.",
            ),
        ],
        blocks: &[
            IDENTITY,
            NestedSchema {
                name: "instance_type",
                labels: 1,
                min: 0,
                max: None,
                body: &INSTANCE_TYPE,
                arm_path: "",
                create_only: false,
                doc: "An instance type deployments and jobs may ask for by its label: the resources of each pod.",
            },
        ],
    },
    exports: &[ExportSchema {
        name: "principal_id",
        arm_path: "identity.principalId",
        doc: "The object ID of the attachment's system-assigned identity.",
    }],
    id: IdTemplate::Child {
        parent: "workspace",
    },
    behavior: BEHAVIOR,
    semantics: &super::compute_cluster::COMPUTE_SEMANTICS,
    constants: &[("properties.computeType", "Kubernetes")],
    lower: Some(lower),
    children: &[],
    role_scope: true,
    checks: &[check_default_instance_type],
    cost: Some(cost),
    review: &[ReviewFact::OwnNetwork],
};

/// A Kubernetes quantity as the spec types it (`InstanceResourceSchema`: a map of strings):
/// a GPU count of `1` is sent as `"1"`.
fn quantity(value: Json) -> Json {
    match value {
        Json::Number(n) => Json::String(n.to_string()),
        other => other,
    }
}

/// The tables' body plus the instance types, a map from each block's label to its
/// resources.
fn lower(ctx: &Ctx<'_>, r: &Resource) -> Vec<Desired> {
    let mut d = start(ctx, r, &[]);
    let mut out = std::mem::take(&mut d.body);
    let mut types = Map::new();
    for block in r.body.blocks("instance_type") {
        let Some(label) = block.label() else {
            continue;
        };
        let mut resources = Map::new();
        let mut requests = Map::new();
        let mut limits = Map::new();
        for name in ["cpu", "memory"] {
            if let Some(attr) = present(&block.body, name) {
                requests.insert(name.into(), quantity(ctx.json(&attr.value)));
                limits.insert(name.into(), quantity(ctx.json(&attr.value)));
            }
        }
        if let Some(gpu) = present(&block.body, "gpu") {
            limits.insert("nvidia.com/gpu".into(), quantity(ctx.json(&gpu.value)));
        }
        resources.insert("requests".into(), Json::Object(requests));
        resources.insert("limits".into(), Json::Object(limits));
        let mut instance = Map::new();
        instance.insert("resources".into(), Json::Object(resources));
        if let Some(selector) = present(&block.body, "node_selector") {
            instance.insert("nodeSelector".into(), ctx.json(&selector.value));
        }
        types.insert(label.to_string(), Json::Object(instance));
    }
    if !types.is_empty() {
        body::put(&mut out, INSTANCE_TYPES, Json::Object(types));
    }
    d.body = out;
    let table = body::kind_paths(r.schema, &[]);
    complete(&mut d, r, &table);
    vec![d]
}

/// The instance types a cluster declares, by label.
fn instance_types(cluster: &Resource) -> Vec<&str> {
    cluster
        .body
        .blocks("instance_type")
        .filter_map(|b| b.label())
        .collect()
}

/// `default_instance_type` names one of the cluster's instance types (where it declares any).
fn check_default_instance_type(r: &Resource, _: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let Some(attr) = r.body.attr("default_instance_type") else {
        return;
    };
    let Some(name) = attr.value.as_str() else {
        return;
    };
    let known = instance_types(r);
    if known.is_empty() || known.contains(&name) {
        return;
    }
    let shown = (!attr.sensitive).then_some(name);
    diags.push(constraints::unknown_instance_type(
        shown, &r.address, &known, attr.span,
    ));
}

/// Is `resource` an attached Kubernetes cluster?
pub fn is_kubernetes(resource: &Resource) -> bool {
    std::ptr::eq(resource.schema, &SCHEMA)
}

/// For an online deployment's checks: on a Kubernetes cluster (`compute`), its
/// `instance_type` names one of the cluster's instance types (E0727); without one, it is a
/// managed deployment and `instance_type` a VM size (W0102 when unknown).
pub fn check_deployment_compute(deployment: &Resource, ctx: &RuleCtx<'_>, diags: &mut Diagnostics) {
    check_siblings(deployment, ctx, diags);
    let Some(instance) = deployment.body.attr("instance_type") else {
        return;
    };
    let Some(name) = instance.value.as_str() else {
        return;
    };
    let shown = (!instance.sensitive).then_some(name);
    match deployment.body.attr("compute") {
        Some(_) => {
            let Some(cluster) = ctx.referenced(deployment, "compute") else {
                return;
            };
            let known = instance_types(cluster);
            if !known.contains(&name) {
                diags.push(constraints::unknown_instance_type(
                    shown,
                    &cluster.address,
                    &known,
                    instance.span,
                ));
            }
        }
        None => {
            if !crate::azure::vm_sizes::is_known(name) {
                let closest = if instance.sensitive {
                    Vec::new()
                } else {
                    crate::azure::vm_sizes::closest(name, 3)
                };
                diags.push(constraints::unknown_vm_size(
                    shown.unwrap_or("(sensitive value)"),
                    &closest,
                    instance.span,
                ));
            }
        }
    }
}

/// Where a deployment runs, for messages: its cluster's address, or managed VMs. `None`
/// while its `compute` is not known yet.
fn runs_on(deployment: &Resource) -> Option<String> {
    match deployment.body.attr("compute") {
        None => Some("managed VMs".into()),
        Some(attr) => attr
            .value
            .as_ref()
            .filter(|r| r.attr.is_empty())
            .map(|r| format!("`{}`", r.address)),
    }
}

/// Every deployment of an endpoint runs on the same compute as the first of them (by
/// address), which the endpoint names.
fn check_siblings(deployment: &Resource, ctx: &RuleCtx<'_>, diags: &mut Diagnostics) {
    let Some(endpoint) = deployment.parent_address() else {
        return;
    };
    let first = ctx
        .children(endpoint)
        .iter()
        .filter(|r| std::ptr::eq(r.schema, deployment.schema))
        .min_by(|a, b| a.address.cmp(&b.address));
    let Some(first) = first.filter(|f| f.address != deployment.address) else {
        return;
    };
    let (Some(mine), Some(theirs)) = (runs_on(deployment), runs_on(first)) else {
        return;
    };
    if mine != theirs {
        let span = deployment
            .body
            .attr("compute")
            .map_or(deployment.header_span(), |a| a.span);
        diags.push(constraints::deployments_on_different_computes(
            &deployment.address,
            &mine,
            &first.address,
            &theirs,
            span,
        ));
    }
}

/// The kind's cost model: the attachment costs nothing; the cluster's nodes are billed as
/// the AKS or Arc cluster they are.
fn cost(_: &Resource, _: &crate::cost::CostCtx<'_>) -> crate::cost::KindCost {
    crate::cost::KindCost::Free(
        "attaching costs nothing; the cluster's nodes are billed on the AKS or Arc cluster".into(),
    )
}
