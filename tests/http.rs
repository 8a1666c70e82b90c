//! The Azure provider over HTTP, end to end against the emulator on loopback
//! (`amlplan emulator`, or the same server started in this process where a test reads its
//! counters): the examples' lifecycle, both long-running-operation protocols, 429 and 5xx
//! retries, pacing under the token buckets (and throttling without it), ARM errors as diagnostics, workspace purge,
//! refresh by collection, the fault schedules of the mock provider's tests, and the
//! provider's settings and credential errors. Nothing leaves 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use amlplan::provider::Method;
use amlplan::provider::azure::transport::HttpTransport;
use amlplan::provider::client::{ArmClient, ClientOptions};
use amlplan::provider::emulator::http::{EmulatorServer, ServeOptions, settle_in_flight};
use amlplan::provider::emulator::throttle::ThrottleSpec;
use amlplan::provider::emulator::{EmulatorOptions, FaultPlan, MockCloud};
use amlplan::provider::token_bucket::RequestKind;
use serde_json::json;

use crate::apply::{INJECTED, remove_prevent_destroy, role_assignment_ids};
use crate::plan::{Sandbox, example_names, expect_code};
use crate::support::{stderr, stdout};

/// Emulator options that keep tests fast: operations finish on the second poll, which may
/// follow at once.
fn quick() -> EmulatorOptions {
    EmulatorOptions {
        retry_after_secs: 0,
        ..EmulatorOptions::default()
    }
}

/// The emulator served from this process over the sandbox's mock cloud file.
struct Loopback {
    server: Option<EmulatorServer>,
    cloud: MockCloud,
    runtime: tokio::runtime::Runtime,
}

impl Loopback {
    fn start(sb: &Sandbox, options: EmulatorOptions, serve: ServeOptions) -> Loopback {
        std::fs::create_dir_all(sb.path(".amlplan")).expect(".amlplan");
        let cloud = MockCloud::open(sb.path(".amlplan/mock-cloud.json"), options).expect("cloud");
        // What `amlplan emulator --state` does on start.
        settle_in_flight(&cloud);
        Loopback::over(cloud, serve)
    }

    fn over(cloud: MockCloud, serve: ServeOptions) -> Loopback {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let server = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            EmulatorServer::start(listener, cloud.clone(), serve).expect("serve")
        });
        Loopback {
            server: Some(server),
            cloud,
            runtime,
        }
    }

    fn server(&self) -> &EmulatorServer {
        self.server.as_ref().expect("running")
    }

    fn url(&self) -> String {
        self.server().url()
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        let _entered = self.runtime.enter();
        self.server.take();
    }
}

/// The environment that points the binary at `url` without a credential.
fn over_http(sb: Sandbox, url: &str, azure_options: &str) -> Sandbox {
    sb.with_env(&[
        ("AMLPLAN_PROVIDER", "azure"),
        ("AMLPLAN_ARM_ENDPOINT", url),
        ("AMLPLAN_AUTH", "none"),
        ("AMLPLAN_AZURE_OPTIONS", azure_options),
    ])
}

/// Waits of the client scaled down: injected 429s ask for a second each.
const FAST_CLIENT: &str = r#"{"time_scale": 0.01}"#;

/// `amlplan emulator` as a child of the test, killed when dropped.
struct EmulatorProcess {
    child: Child,
    url: String,
}

impl EmulatorProcess {
    fn start(args: &[&str]) -> EmulatorProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_amlplan"))
            .arg("emulator")
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the emulator starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the emulator prints its URL");
        let url = line
            .trim()
            .strip_prefix("amlplan emulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        EmulatorProcess { child, url }
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn lifecycle_over_http(name: &str) {
    let sb = Sandbox::example(name);
    std::fs::create_dir_all(sb.path(".amlplan")).expect(".amlplan");
    let cloud_file = sb.path(".amlplan/mock-cloud.json");
    let emulator = EmulatorProcess::start(&[
        "--state",
        cloud_file.to_str().expect("utf-8 path"),
        "--retry-after",
        "0",
    ]);
    let sb = over_http(sb, &emulator.url, FAST_CLIENT);
    sb.expect(&["plan", "--detailed-exitcode"], 2);
    let out = sb.expect(&["apply", "--auto-approve"], 0);
    assert!(stderr(&out).contains("Apply complete."), "{}", stderr(&out));
    assert!(!sb.cloud_ids().is_empty());
    sb.assert_converged(&format!("{name} over HTTP"));
    assert!(
        sb.unsettled_resources().is_empty(),
        "{:?}",
        sb.unsettled_resources()
    );
    remove_prevent_destroy(&sb);
    let out = sb.expect(&["destroy", "--auto-approve"], 0);
    assert!(
        stderr(&out).contains("Destroy complete."),
        "{}",
        stderr(&out)
    );
    assert!(sb.cloud_ids().is_empty(), "{name}: {:#?}", sb.cloud_ids());
    assert!(sb.state_list().is_empty(), "{:?}", sb.state_list());
}

#[test]
fn every_example_plans_applies_converges_and_destroys_over_http() {
    let names = example_names();
    assert!(!names.is_empty());
    std::thread::scope(|s| {
        for name in &names {
            s.spawn(move || lifecycle_over_http(name));
        }
    });
}

const SUB: &str = "00000000-0000-0000-0000-0000000000c1";
const AML: &str = "2025-09-01";

fn ws(name: &str) -> String {
    format!(
        "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/{name}"
    )
}

fn http_client(url: &str, options: ClientOptions) -> ArmClient {
    let endpoint = azure_core::http::Url::parse(url).expect("url");
    ArmClient::new(Arc::new(HttpTransport::new(endpoint, None, None)), options)
}

#[test]
fn both_long_running_protocols_paging_and_purge_over_http() {
    let cloud = MockCloud::new(quick());
    let lo = Loopback::over(
        cloud.clone(),
        ServeOptions {
            throttle: None,
            page_size: 2,
        },
    );
    let arm = http_client(&lo.url(), ClientOptions::instant());
    lo.runtime.block_on(async {
        let body = json!({
            "location": "westeurope",
            "identity": {"type": "SystemAssigned"},
            "properties": {
                "storageAccount": format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"),
                "keyVault": format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"),
            }
        });
        // A workspace PUT answers 202 + Location, a compute PUT 201 + Azure-AsyncOperation:
        // both URLs point at this server, and the client follows both.
        let probe = |path: String, body: serde_json::Value| {
            cloud.handle_now(&amlplan::provider::ArmRequest {
                method: Method::Put,
                path,
                api_version: AML.into(),
                query: vec![],
                body: Some(body),
            })
        };
        let location = probe(ws("probe"), body.clone());
        let url = location.header("location").expect("location");
        assert!(url.starts_with(&lo.url()), "{url}");
        let w = arm.put(&ws("mlw"), AML, body.clone()).await.expect("put");
        assert_eq!(w["properties"]["provisioningState"], "Succeeded");
        let compute = json!({"location": "westeurope", "properties": {"computeType": "AmlCompute",
            "properties": {"vmSize": "Standard_DS3_v2", "scaleSettings": {"minNodeCount": 0, "maxNodeCount": 1}}}});
        let async_op = probe(format!("{}/computes/probe", ws("mlw")), compute.clone());
        let url = async_op.header("azure-asyncoperation").expect("async operation");
        assert!(url.starts_with(&lo.url()), "{url}");
        // Five computes: a list of pages of two, followed by nextLink.
        for i in 0..5 {
            let c = compute.clone();
            arm.put(&format!("{}/computes/cpu{i}", ws("mlw")), AML, c)
                .await
                .expect("compute");
        }
        let listed = arm
            .list(&format!("{}/computes", ws("mlw")), AML)
            .await
            .expect("list");
        assert_eq!(listed.len(), 6);
        // A POST action without a body, long-running like ARM's.
        arm.post(&format!("{}/computes/cpu1/stop", ws("mlw")), AML, None)
            .await
            .expect("stop");
        let stopped = arm
            .get(&format!("{}/computes/cpu1", ws("mlw")), AML)
            .await
            .expect("get")
            .expect("exists");
        assert_eq!(stopped["properties"]["properties"]["state"], "Stopped");
        // DELETE of a compute needs its query; it answers 202 + Location.
        arm.delete(
            &format!("{}/computes/cpu0", ws("mlw")),
            AML,
            &[("underlyingResourceAction".into(), "Delete".into())],
        )
        .await
        .expect("delete compute");
        // A purged workspace's name can be used again at once.
        arm.delete(&ws("mlw"), AML, &[("forceToPurge".into(), "true".into())])
            .await
            .expect("purge");
        assert!(cloud.lock().soft_deleted_ids().is_empty());
        arm.put(&ws("mlw"), AML, body).await.expect("the name again");
    });
}

#[test]
fn arm_errors_over_http_name_the_address_and_arm_code() {
    let sb = Sandbox::fixture("apply/small");
    let lo = Loopback::start(&sb, quick(), ServeOptions::default());
    lo.cloud.lock().options_mut().fail_next.push((
        Method::Put,
        "/computes/cpu".into(),
        409,
        "ConflictingOperation".into(),
    ));
    let sb = over_http(sb, &lo.url(), FAST_CLIENT);
    let out = sb.expect(&["apply", "--auto-approve"], 1);
    let err = stderr(&out);
    assert!(
        err.lines().any(|l| l.starts_with(
            "error[E0906]: compute_cluster.cpu: ConflictingOperation (409): Injected fault: PUT "
        )),
        "{err}"
    );
    // Applying again converges.
    sb.expect(&["apply", "--auto-approve"], 0);
    sb.assert_converged("after the error");
}

#[test]
fn a_replaced_workspace_is_purged_over_http() {
    let sb = Sandbox::fixture("apply/small");
    let lo = Loopback::start(&sb, quick(), ServeOptions::default());
    let sb = over_http(sb, &lo.url(), FAST_CLIENT);
    sb.expect(&["apply", "--auto-approve"], 0);
    let ws_file = ["workspace.hcl", "main.hcl"]
        .into_iter()
        .find(|f| sb.path(f).exists() && sb.read(f).contains("workspace \"mlw\""))
        .expect("the workspace's file");
    sb.edit(
        ws_file,
        "public_network_access = true",
        "public_network_access = true\n  high_business_impact  = true",
    );
    let (_, plan) = sb.plan_json(&[]);
    assert!(
        plan["resource_changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["address"] == "workspace.mlw"
                && c["actions"].to_string().contains("delete")),
        "{plan:#}"
    );
    let out = sb.expect(&["apply", "--auto-approve"], 0);
    assert!(stderr(&out).contains("Apply complete."), "{}", stderr(&out));
    assert!(lo.cloud.lock().soft_deleted_ids().is_empty());
    sb.assert_converged("after the replacement");
}

#[test]
fn pacing_keeps_an_apply_under_the_buckets_and_without_it_it_is_throttled() {
    // Small buckets refilling fast (reads 8 refilling 40 a second, writes 4 refilling 20),
    // so throttling shows within a small apply. The client paces under half their capacity
    // and three quarters of their rate: on a loaded machine a request can reach the server
    // some tens of milliseconds after the client let it go, and with buckets this small that
    // is a token or two (against ARM's 250 and 200 it is nothing).
    let spec = ThrottleSpec::parse("reads=8/40,writes=4/20").unwrap();
    let serve = ServeOptions {
        throttle: Some(spec),
        page_size: 100,
    };
    let paced = r#"{"time_scale": 1.0, "pacing": {"reads": {"capacity": 4, "refill_per_s": 30}, "writes": {"capacity": 2, "refill_per_s": 15}}}"#;
    let unpaced = r#"{"time_scale": 1.0, "pacing": null}"#;

    let sb = Sandbox::example("fraud-detection");
    let lo = Loopback::start(&sb, quick(), serve.clone());
    let sb = over_http(sb, &lo.url(), paced);
    sb.expect(&["apply", "--auto-approve"], 0);
    let writes = lo.server().stats().admitted(RequestKind::Write);
    assert!(writes > 10, "{writes} writes");
    let stats = lo.server().stats();
    assert_eq!(
        (
            stats.throttled_of(RequestKind::Read),
            stats.throttled_of(RequestKind::Write)
        ),
        (0, 0),
        "paced: 429s of reads and writes"
    );
    sb.assert_converged("paced");
    assert_eq!(lo.server().stats().throttled(), 0, "paced plan: 429s");

    let sb = Sandbox::example("fraud-detection");
    let lo = Loopback::start(&sb, quick(), serve);
    let sb = over_http(sb, &lo.url(), unpaced);
    // Unpaced, ten requests at a time retry into the same empty bucket: throttled, and
    // possibly into failure, which is what pacing is for.
    let out = sb.run(&["apply", "--auto-approve"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert!(
        lo.server().stats().throttled() > 0,
        "unpaced: the buckets never refused a request"
    );
}

#[test]
fn refresh_reads_by_collection() {
    let mut clusters = String::new();
    for i in 0..6 {
        clusters.push_str(&format!(
            "compute_cluster \"cpu{i}\" {{\n  workspace = workspace.mlw\n  vm_size   = \"Standard_DS3_v2\"\n  max_nodes = 1\n}}\n"
        ));
    }
    let sb = Sandbox::fixture("apply/workspace");
    sb.write("main.hcl", &clusters);
    let lo = Loopback::start(
        &sb,
        quick(),
        ServeOptions {
            throttle: None,
            page_size: 4,
        },
    );
    let sb = over_http(sb, &lo.url(), FAST_CLIENT);
    sb.expect(&["apply", "--auto-approve"], 0);
    let resources = sb.state_ids().len();
    let before = lo.server().stats().admitted(RequestKind::Read);
    let out = sb.expect(&["plan", "--detailed-exitcode"], 0);
    assert!(stdout(&out).contains("No changes"), "{}", stdout(&out));
    let reads = lo.server().stats().admitted(RequestKind::Read) - before;
    // Six computes in one collection: two pages of one list instead of six GETs.
    assert!(resources >= 7, "{resources}");
    assert_eq!(
        reads as usize,
        resources - 6 + 2,
        "{reads} reads for {resources} resources"
    );
}

#[test]
fn fault_schedules_over_http_fail_cleanly_and_a_clean_rerun_converges() {
    let sb = Sandbox::example("fraud-detection");
    let (_, plan) = sb.plan_json(&[]);
    let addresses: Vec<String> = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["address"].as_str().unwrap().to_string())
        .collect();
    let mut failed_runs = 0;
    for seed in 1..=3u64 {
        let _ = std::fs::remove_dir_all(sb.path(".amlplan"));
        let faults = FaultPlan {
            seed,
            rate_429: 0.2,
            rate_500: 0.1,
            rate_lro_failed: 0.1,
        };
        let faulty = Loopback::start(
            &sb,
            EmulatorOptions { faults, ..quick() },
            ServeOptions::default(),
        );
        let run = |args: &[&str], url: &str| {
            let mut cmd = sb.command(args, None);
            cmd.envs([
                ("AMLPLAN_PROVIDER", "azure"),
                ("AMLPLAN_ARM_ENDPOINT", url),
                ("AMLPLAN_AUTH", "none"),
                ("AMLPLAN_AZURE_OPTIONS", FAST_CLIENT),
            ]);
            cmd.output().expect("runs")
        };
        let out = run(&["apply", "--auto-approve"], &faulty.url());
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "seed {seed}: {err}");
        match out.status.code() {
            Some(0) => assert!(err.contains("Apply complete."), "seed {seed}: {err}"),
            Some(1) => {
                failed_runs += 1;
                let errors: Vec<&str> = err
                    .lines()
                    .filter(|l| l.starts_with("error[E0906]: "))
                    .collect();
                assert!(!errors.is_empty(), "seed {seed}: no E0906 line:\n{err}");
                for line in errors {
                    let rest = &line["error[E0906]: ".len()..];
                    let (address, rest) = rest.split_once(": ").expect("address");
                    assert!(addresses.iter().any(|a| a == address), "{line}");
                    let code = rest.split(' ').next().unwrap_or_default();
                    assert!(INJECTED.contains(&code), "seed {seed}: {line}");
                }
            }
            other => panic!("seed {seed}: exit {other:?}\n{err}"),
        }
        drop(faulty);
        let clean = Loopback::start(&sb, quick(), ServeOptions::default());
        let out = run(&["apply", "--auto-approve"], &clean.url());
        expect_code(&out, 0, &format!("seed {seed}: the clean re-run"));
        let converged = run(&["plan", "--detailed-exitcode"], &clean.url());
        expect_code(&converged, 0, &format!("seed {seed}: plan after"));
        sb.assert_no_orphans(&format!("seed {seed}"));
        // The example's three and the feature store's on its offline store.
        assert_eq!(role_assignment_ids(&sb).len(), 4, "seed {seed}");
        assert!(
            sb.unsettled_resources().is_empty(),
            "seed {seed}: {:?}",
            sb.unsettled_resources()
        );
    }
    assert!(failed_runs > 0, "the fault plans should break a run");
}

#[test]
fn provider_settings_and_credentials_fail_with_their_codes() {
    let sb = Sandbox::fixture("apply/small");
    let run = |vars: &[(&str, &str)]| {
        let mut cmd = sb.command(&["plan"], None);
        for v in [
            "AZURE_CLIENT_SECRET",
            "AZURE_TENANT_ID",
            "AZURE_CLIENT_ID",
            "AZURE_FEDERATED_TOKEN_FILE",
        ] {
            cmd.env_remove(v);
        }
        cmd.env("AMLPLAN_PROVIDER", "azure")
            .envs(vars.iter().copied());
        cmd.output().expect("runs")
    };
    let out = run(&[("AMLPLAN_AUTH", "none")]);
    expect_code(&out, 1, "--auth none against ARM");
    assert!(
        stderr(&out).contains("E0925") && stderr(&out).contains("loopback"),
        "{}",
        stderr(&out)
    );
    let out = run(&[("AMLPLAN_ARM_ENDPOINT", "http://example.com")]);
    expect_code(&out, 1, "plain http off loopback");
    assert!(stderr(&out).contains("E0925"), "{}", stderr(&out));
    let out = run(&[
        ("AMLPLAN_AUTH", "client-secret"),
        ("AZURE_CLIENT_SECRET", "do-not-print-me"),
    ]);
    expect_code(&out, 1, "a client secret without its tenant");
    let err = stderr(&out);
    assert!(
        err.contains("E0926") && err.contains("client secret") && err.contains("AZURE_TENANT_ID"),
        "{err}"
    );
    assert!(!err.contains("do-not-print-me"), "{err}");
}

#[test]
fn the_emulator_refuses_to_serve_off_loopback_or_with_bad_options() {
    for args in [
        &["--listen", "0.0.0.0:0"][..],
        &["--faults", "rate_429=2"][..],
        &["--buckets", "reads=fast"][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_amlplan"))
            .arg("emulator")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("runs");
        expect_code(&out, 1, &format!("amlplan emulator {}", args.join(" ")));
        assert!(
            stderr(&out).starts_with("error[E0927]: the emulator cannot start: "),
            "{}",
            stderr(&out)
        );
    }
}
