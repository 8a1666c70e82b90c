//! AML-NET-018: attached Kubernetes compute in a workspace whose managed network isolates
//! traffic. The managed network covers the service's own computes (instances, clusters,
//! serverless compute, managed online endpoints), not a cluster the user runs.

use super::prelude::*;

fn own_network(k: &KindSchema) -> bool {
    fact(k, |f| matches!(f, ReviewFact::OwnNetwork).then_some(())).is_some()
}

pub static RULE: Rule = Rule {
    id: "AML-NET-018",
    area: Area::Network,
    severity: Severity::Medium,
    title: "Kubernetes compute is outside the workspace's managed network",
    rationale: "The workspace's managed network and its outbound rules govern only the \
                computes Azure ML runs itself. Jobs and deployments on an attached AKS or Arc \
                cluster use the cluster's own network, so the isolation the workspace declares \
                does not hold for them: their egress is whatever the cluster's network allows.",
    remediation: "Restrict the cluster's egress in its own network (an Azure Firewall or user \
                  defined routes on the AKS subnet, network policies, a private cluster), or \
                  serve from managed online endpoints inside the managed network.",
    policy: &[],
    checkov: &[],
    applies: own_network,
    check,
};

fn check(r: &Resource, ctx: &Ctx<'_>, out: &mut Vec<Hit>) {
    let Some(workspace) = ctx.referenced(r, "workspace") else {
        return;
    };
    let Some(mode) = ctx::isolation_mode(workspace) else {
        return;
    };
    if mode == "disabled" {
        return;
    }
    out.push(Hit::block(
        r,
        format!(
            "{} {} runs workloads in the attached cluster's own network: the managed network of \
             workspace {} (`{mode}`) does not control their traffic",
            r.kind(),
            r.address,
            workspace.address
        ),
    ));
}
