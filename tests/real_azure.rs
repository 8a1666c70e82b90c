//! The opt-in test against real Azure: plan, apply and destroy a small manifest (a workspace
//! and a compute cluster) in a subscription you own. Never in CI: it runs only with
//! `AMLPLAN_AZURE_TESTS=1` plus `AMLPLAN_TEST_SUBSCRIPTION_ID`, `AMLPLAN_TEST_RESOURCE_GROUP`
//! (an existing, empty resource group) and optionally `AMLPLAN_TEST_LOCATION` (default
//! `westeurope`), with a credential `--auth auto` finds (`az login` is enough). It creates
//! billable resources for a few minutes and deletes them at the end.

use crate::plan::Sandbox;
use crate::support::stderr;

fn opted_in() -> Option<(String, String, String)> {
    if std::env::var("AMLPLAN_AZURE_TESTS").ok().as_deref() != Some("1") {
        return None;
    }
    let var = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| panic!("AMLPLAN_AZURE_TESTS=1 needs {name} set"))
    };
    Some((
        var("AMLPLAN_TEST_SUBSCRIPTION_ID"),
        var("AMLPLAN_TEST_RESOURCE_GROUP"),
        std::env::var("AMLPLAN_TEST_LOCATION").unwrap_or_else(|_| "westeurope".into()),
    ))
}

#[test]
fn a_small_manifest_plans_applies_and_destroys_in_real_azure() {
    let Some((subscription, group, location)) = opted_in() else {
        eprintln!("skipped: set AMLPLAN_AZURE_TESTS=1 (and the subscription variables) to run");
        return;
    };
    let sb = Sandbox::fixture("apply/small").with_env(&[("AMLPLAN_PROVIDER", "azure")]);
    let azure_file = ["azure.hcl", "main.hcl"]
        .into_iter()
        .find(|f| sb.path(f).exists() && sb.read(f).contains("azure {"))
        .expect("the azure block's file");
    sb.write(
        azure_file,
        &format!(
            "azure {{\n  subscription_id = \"{subscription}\"\n  resource_group  = \"{group}\"\n  location        = \"{location}\"\n}}\n"
        ),
    );
    sb.expect(&["plan", "--detailed-exitcode"], 2);
    let out = sb.expect(&["apply", "--auto-approve"], 0);
    assert!(stderr(&out).contains("Apply complete."), "{}", stderr(&out));
    sb.expect(&["plan", "--detailed-exitcode"], 0);
    let out = sb.expect(&["destroy", "--auto-approve"], 0);
    assert!(
        stderr(&out).contains("Destroy complete."),
        "{}",
        stderr(&out)
    );
    assert!(sb.state_list().is_empty(), "{:?}", sb.state_list());
}
