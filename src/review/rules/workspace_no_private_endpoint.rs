//! AML-NET-014: a workspace that no private endpoint reaches.

use super::prelude::*;

pub static RULE: Rule = Rule {
    id: "AML-NET-014",
    area: Area::Network,
    severity: Severity::Low,
    title: "Workspace has no private endpoint",
    rationale: "Without a private endpoint, the workspace is reached over its public endpoint \
                (or, with public access off, not at all from your network).",
    remediation: "Add a `private_endpoint` with `target` the workspace, `group = \"amlworkspace\"` \
                  and the `privatelink.api.azureml.ms` and `privatelink.notebooks.azure.net` zones.",
    policy: &[
        "Azure Machine Learning workspaces should use private link",
        "Configure Azure Machine Learning workspaces with private endpoints",
    ],
    checkov: &[],
    // Kinds a private endpoint can target that hold a managed network: workspaces.
    applies: |k| k.body.block("managed_network").is_some(),
    check,
};

fn check(r: &Resource, ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    if ctx.endpoints_to(&r.address).is_empty() {
        out.push(Hit::block(
            r,
            format!(
                "no private_endpoint in the manifest targets workspace {}",
                r.address
            ),
        ));
    }
}
