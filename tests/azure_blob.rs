//! The `azure_blob` state backend against Azurite (the Azure Storage emulator from npm, which
//! `.ci/run` installs into `.ci/azurite/`): each test starts its own Azurite on a free
//! loopback port over a temporary directory and stops it. Without Azurite the tests fail
//! saying how to install it when `CI` is set, and are skipped with a note otherwise.
//!
//! Covered: a round trip through `apply`, `state list` and an empty plan; a held lease naming
//! its holder; ETag conflicts; `force-unlock` breaking the lease (and the old holder then
//! refused); a missing container; previous versions kept as snapshots; two concurrent applies
//! (exactly one proceeds); a SIGKILLed apply converging from the journal blob; secrets never in
//! any blob.

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use amlplan::state::{
    BlobAuth, BlobBackend, BlobSettings, LockInfo, ResourceState, ResourceStatus, State, StateError,
};
use azure_core::credentials::Secret;
use azure_core::http::{ClientOptions, Url};
use azure_storage_blob::{BlobContainerClient, BlobContainerClientOptions};
use futures::TryStreamExt;

use crate::plan::expect_code;
use crate::support::{AZURE, manifest, stderr, stdout};

/// Azurite's well-known development account and key (public, documented by Azurite).
const ACCOUNT: &str = "devstoreaccount1";
const ACCOUNT_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/// A running Azurite blob service, stopped on drop.
struct Azurite {
    child: Child,
    port: u16,
    _location: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
}

fn azurite_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("AMLPLAN_AZURITE") {
        return Some(PathBuf::from(path));
    }
    let local = crate::support::repo().join(".ci/azurite/node_modules/.bin/azurite-blob");
    if local.is_file() {
        return Some(local);
    }
    let on_path = Command::new("azurite-blob")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    on_path.then(|| PathBuf::from("azurite-blob"))
}

impl Azurite {
    /// Starts Azurite, or `None` (with a note) when it is not installed outside CI.
    fn start() -> Option<Azurite> {
        let Some(binary) = azurite_binary() else {
            let how = "Azurite is not installed: run `npm ci --prefix .ci/azurite` (what \
                       .ci/run does), or set AMLPLAN_AZURITE to an azurite-blob binary";
            if std::env::var_os("CI").is_some() {
                panic!("{how}");
            }
            eprintln!("note: skipping an azure_blob backend test. {how}");
            return None;
        };
        let location = tempfile::tempdir().expect("temp dir");
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("free port")
                .port();
            let mut child = Command::new(&binary)
                .args(["--blobHost", "127.0.0.1", "--blobPort", &port.to_string()])
                .arg("--location")
                .arg(location.path())
                .args(["--skipApiVersionCheck", "--loose", "--silent"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Azurite starts");
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut up = false;
            while Instant::now() < deadline {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    up = true;
                    break;
                }
                if child.try_wait().ok().flatten().is_some() {
                    break; // the port was taken meanwhile: another one
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            if up {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                return Some(Azurite {
                    child,
                    port,
                    _location: location,
                    runtime,
                });
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("Azurite did not start listening");
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/{ACCOUNT}", self.port)
    }

    fn container_client(&self, container: &str) -> BlobContainerClient {
        let mut client_options = ClientOptions::default();
        let policy = amlplan::state::blob::SharedKeyPolicy::new(ACCOUNT, Secret::new(ACCOUNT_KEY))
            .expect("the key is base64");
        client_options.per_try_policies.push(Arc::new(policy));
        BlobContainerClient::new(
            Url::parse(&format!("{}/{container}", self.endpoint())).expect("url"),
            None,
            Some(BlobContainerClientOptions {
                client_options,
                ..Default::default()
            }),
        )
        .expect("container client")
    }

    fn create_container(&self, container: &str) {
        let client = self.container_client(container);
        self.runtime
            .block_on(client.create(None))
            .expect("container created");
    }

    /// Every blob of `container` (snapshots too): name, snapshot, content.
    fn blobs(&self, container: &str) -> Vec<(String, Option<String>, Vec<u8>)> {
        use azure_storage_blob::models::{
            BlobContainerClientListBlobsOptions, ListBlobsIncludeItem,
        };
        let client = self.container_client(container);
        self.runtime.block_on(async {
            let options = BlobContainerClientListBlobsOptions {
                include: Some(vec![ListBlobsIncludeItem::Snapshots]),
                ..Default::default()
            };
            let mut pages = client.list_blobs(Some(options)).expect("list");
            let mut out = Vec::new();
            while let Some(item) = pages.try_next().await.expect("page") {
                let name = item.name.clone().unwrap_or_default();
                let mut blob = client.blob_client(&name);
                if let Some(snapshot) = &item.snapshot {
                    blob = blob.with_snapshot(snapshot).expect("snapshot client");
                }
                let body = blob
                    .download(None)
                    .await
                    .expect("download")
                    .body
                    .collect()
                    .await
                    .expect("body");
                out.push((name, item.snapshot.clone(), body.to_vec()));
            }
            out
        })
    }

    /// The content of one blob, if it exists.
    fn blob(&self, container: &str, name: &str) -> Option<Vec<u8>> {
        self.blobs(container)
            .into_iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, body)| body)
    }

    fn settings(&self, container: &str, key: &str) -> BlobSettings {
        BlobSettings {
            storage_account: ACCOUNT.into(),
            container: container.into(),
            key: key.into(),
            endpoint: Some(self.endpoint()),
        }
    }

    fn backend(&self, container: &str, key: &str) -> BlobBackend {
        BlobBackend::open(
            &self.settings(container, key),
            BlobAuth::SharedKey(Secret::new(ACCOUNT_KEY)),
        )
        .expect("backend opens")
    }

    /// A manifest directory whose state is `container/fraud.json` here.
    fn manifest(&self, container: &str, body: &str) -> tempfile::TempDir {
        manifest(&[(
            "main.hcl",
            &format!(
                "{AZURE}\nbackend \"azure_blob\" {{\n  storage_account = \"{ACCOUNT}\"\n  \
                 container = \"{container}\"\n  key = \"fraud.json\"\n  endpoint = \"{}\"\n}}\n\n{body}",
                self.endpoint()
            ),
        )])
    }
}

impl Drop for Azurite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `amlplan ARGS` in `dir` with the account key in the environment.
fn command(dir: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_amlplan"));
    c.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env("AMLPLAN_STORAGE_ACCESS_KEY", ACCOUNT_KEY)
        .env_remove("AMLPLAN_MOCK_OPTIONS")
        .env_remove("AMLPLAN_PROVIDER");
    c
}

fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    command(dir, args).output().expect("amlplan runs")
}

/// An apply slowed down by `latency_ms` per request, one operation at a time, for the tests
/// that interrupt it midway.
fn slow_apply(dir: &std::path::Path, latency_ms: u64) -> Child {
    command(dir, &["apply", "--auto-approve", "--parallelism", "1"])
        .env(
            "AMLPLAN_MOCK_OPTIONS",
            format!(r#"{{"latency": {{"default_ms": {latency_ms}}}}}"#),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("apply starts")
}

/// Waits up to a minute for `done`.
fn wait_for(mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Breaks the lease a killed run left, as an operator would (it would lapse within a minute).
fn break_lease(backend: &BlobBackend) {
    if let Some(holder) = backend.lock_holder() {
        backend
            .force_unlock(&holder.id.to_string())
            .expect("force-unlock");
    }
}

/// The journal blob beside the `fraud.json` state.
const JOURNAL: &str = "fraud.json.journal";

const WORKSPACES: &str = "workspace \"fraud\" {\n  count = 3\n  name = \"fraud-${count.index}\"\n  \
                          identity {\n    type = \"system_assigned\"\n  }\n}\n";

fn resource(address: &str) -> ResourceState {
    ResourceState {
        address: address.into(),
        kind: "workspace".into(),
        id: format!(
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/\
             Microsoft.MachineLearningServices/workspaces/{address}"
        ),
        api_version: "2025-06-01".into(),
        request_hash: "h".into(),
        applied_body: serde_json::json!({"location": "eastus"}),
        depends_on: Vec::new(),
        status: ResourceStatus::Created,
        secret_digests: Default::default(),
        adopted: false,
        sensitive_paths: Some(Vec::new()),
    }
}

fn code_of(e: &StateError) -> String {
    amlplan::diagnostics::engine::state(e)
        .code
        .as_str()
        .to_string()
}

#[test]
fn apply_state_list_and_plan_round_trip_through_the_blob() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.create_container("state");
    let dir = azurite.manifest("state", WORKSPACES);
    let out = run(dir.path(), &["apply", "--auto-approve"]);
    expect_code(&out, 0, "apply");
    assert!(
        !dir.path().join(".amlplan/state.json").exists(),
        "the state went to the blob, not the local file"
    );
    let listed = run(dir.path(), &["state", "list"]);
    expect_code(&listed, 0, "state list");
    for i in 0..3 {
        assert!(
            stdout(&listed).contains(&format!("workspace.fraud[{i}]")),
            "{}",
            stdout(&listed)
        );
    }
    let out = run(dir.path(), &["plan", "--detailed-exitcode"]);
    expect_code(&out, 0, "plan after apply: no changes");
    // The lease was released at exit, the journal compacted away.
    let backend = azurite.backend("state", "fraud.json");
    assert!(backend.lock_holder().is_none());
    let names: Vec<String> = azurite
        .blobs("state")
        .into_iter()
        .filter(|(_, snapshot, _)| snapshot.is_none())
        .map(|(n, _, _)| n)
        .collect();
    assert_eq!(names, ["fraud.json"]);
    let state = backend.load().expect("loads").expect("a state");
    assert_eq!(state.len(), stdout(&listed).lines().count());
}

#[test]
fn a_held_lease_names_its_holder() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.create_container("state");
    let first = azurite.backend("state", "fraud.json");
    let info = LockInfo::new("amlplan apply");
    let held = first.lock(info.clone()).expect("first lock");
    let second = azurite.backend("state", "fraud.json");
    let err = second
        .lock(LockInfo::new("amlplan apply"))
        .expect_err("held");
    assert_eq!(code_of(&err), "E0905");
    let text = err.to_string();
    for part in [
        info.command.as_str(),
        &info.pid.to_string(),
        &info.host,
        &info.who,
        &info.time,
        &info.id.to_string(),
    ] {
        assert!(text.contains(part), "{part:?} not in {text}");
    }
    // The CLI says the same, and `plan` (which does not lock) still reads the state.
    let dir = azurite.manifest("state", WORKSPACES);
    let out = run(dir.path(), &["apply", "--auto-approve"]);
    expect_code(&out, 1, "apply while locked");
    assert!(stderr(&out).contains("E0905"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&info.id.to_string()),
        "{}",
        stderr(&out)
    );
    held.release().expect("released");
    second
        .lock(LockInfo::new("amlplan apply"))
        .expect("free again");
}

#[test]
fn a_blob_changed_since_it_was_read_is_never_overwritten() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.create_container("state");
    let seed = azurite.backend("state", "fraud.json");
    let mut state = State::new();
    state.record_applied(resource("workspace.a"));
    seed.save(&mut state).expect("seeded");

    let slow = azurite.backend("state", "fraud.json");
    let mut slow_state = slow.load().expect("loads").expect("state");
    let fast = azurite.backend("state", "fraud.json");
    let mut fast_state = fast.load().expect("loads").expect("state");
    fast_state.record_applied(resource("workspace.fast"));
    fast.save(&mut fast_state).expect("first writer saves");

    slow_state.record_applied(resource("workspace.slow"));
    let err = slow.save(&mut slow_state).expect_err("the ETag moved");
    assert_eq!(code_of(&err), "E0930", "{err}");
    let now = azurite
        .backend("state", "fraud.json")
        .load()
        .expect("loads")
        .expect("state");
    assert!(now.contains("workspace.fast"));
    assert!(!now.contains("workspace.slow"));
}

#[test]
fn force_unlock_breaks_the_lease_and_the_old_holder_cannot_write() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.create_container("state");
    let stuck = azurite.backend("state", "fraud.json");
    let info = LockInfo::new("amlplan apply");
    let _held = stuck.lock(info.clone()).expect("lock");
    let mut state = stuck.load().expect("loads").unwrap_or_default();

    let dir = azurite.manifest("state", WORKSPACES);
    let out = run(
        dir.path(),
        &[
            "force-unlock",
            "5d0c4a8e-0000-4000-8000-000000000000",
            "--dir",
            ".",
        ],
    );
    expect_code(&out, 1, "force-unlock with another ID");
    assert!(
        stderr(&out).contains(&info.id.to_string()),
        "{}",
        stderr(&out)
    );
    let out = run(
        dir.path(),
        &["force-unlock", &info.id.to_string(), "--dir", "."],
    );
    expect_code(&out, 0, "force-unlock");
    assert!(
        stdout(&out).contains(&info.id.to_string()),
        "{}",
        stdout(&out)
    );

    let next = azurite.backend("state", "fraud.json");
    let _lock = next
        .lock(LockInfo::new("amlplan apply"))
        .expect("lockable again");
    state.record_applied(resource("workspace.late"));
    let err = stuck.save(&mut state).expect_err("its lease is gone");
    assert_eq!(code_of(&err), "E0931", "{err}");
}

#[test]
fn a_missing_container_is_an_error_not_created() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    let err = BlobBackend::open(
        &azurite.settings("nope", "fraud.json"),
        BlobAuth::SharedKey(Secret::new(ACCOUNT_KEY)),
    )
    .expect_err("no container");
    assert_eq!(code_of(&err), "E0929", "{err}");
    let dir = azurite.manifest("nope", WORKSPACES);
    let out = run(dir.path(), &["apply", "--auto-approve"]);
    expect_code(&out, 1, "apply without the container");
    assert!(stderr(&out).contains("E0929"), "{}", stderr(&out));
    assert!(stderr(&out).contains("`nope`"), "{}", stderr(&out));
    // Still missing: nothing created it.
    azurite.create_container("nope");
}

#[test]
fn each_run_keeps_the_previous_state_as_a_snapshot() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.create_container("state");
    let mut serials = Vec::new();
    for run in 0..3 {
        let backend = azurite.backend("state", "fraud.json");
        let _lock = backend.lock(LockInfo::new("amlplan apply")).expect("lock");
        let mut state = backend.load().expect("loads").unwrap_or_default();
        state.record_applied(resource(&format!("workspace.r{run}")));
        backend.save(&mut state).expect("save");
        state.record_applied(resource(&format!("workspace.s{run}")));
        backend.save(&mut state).expect("second save of the run");
        serials.push(state.serial());
    }
    // The first run found no state; the second and third each kept the one before them.
    let backend = azurite.backend("state", "fraud.json");
    let snapshots = backend.snapshots().expect("listed");
    assert_eq!(snapshots.len(), 2, "{snapshots:?}");
    let kept: Vec<State> = azurite
        .blobs("state")
        .into_iter()
        .filter(|(name, snapshot, _)| name == "fraud.json" && snapshot.is_some())
        .map(|(_, _, bytes)| State::from_json_slice(&bytes).expect("a state"))
        .collect();
    let mut kept_serials: Vec<u64> = kept.iter().map(State::serial).collect();
    kept_serials.sort();
    assert_eq!(kept_serials, serials[..2]);
}

#[test]
fn of_two_concurrent_applies_exactly_one_proceeds() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.create_container("state");
    let dir = azurite.manifest("state", WORKSPACES);
    let start = || {
        command(dir.path(), &["apply", "--auto-approve"])
            .env(
                "AMLPLAN_MOCK_OPTIONS",
                r#"{"latency": {"default_ms": 300}}"#,
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("apply starts")
    };
    let (a, b) = (start(), start());
    let outs = [
        a.wait_with_output().expect("a ends"),
        b.wait_with_output().expect("b ends"),
    ];
    let ok: Vec<&Output> = outs.iter().filter(|o| o.status.success()).collect();
    let refused: Vec<&Output> = outs.iter().filter(|o| !o.status.success()).collect();
    assert_eq!(
        (ok.len(), refused.len()),
        (1, 1),
        "{}\n---\n{}",
        stderr(&outs[0]),
        stderr(&outs[1])
    );
    let message = stderr(refused[0]);
    assert!(message.contains("E0905"), "{message}");
    // The holder: its command, process, host and lock ID (the message wraps lines).
    assert!(
        message.contains("pid ") && message.contains("on host"),
        "{message}"
    );
    assert!(message.contains("force-unlock"), "{message}");
    let out = run(dir.path(), &["plan", "--detailed-exitcode"]);
    expect_code(&out, 0, "the applied one is complete");
}

#[test]
fn a_killed_apply_converges_from_the_journal_blob() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.create_container("state");
    let dir = azurite.manifest("state", WORKSPACES);
    let mut child = slow_apply(dir.path(), 250);
    // Until the journal blob exists (steps recorded after the run's first snapshot), then
    // SIGKILL: no release, no compaction.
    wait_for(|| azurite.blob("state", JOURNAL).is_some_and(|b| b.len() > 44));
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        azurite.blob("state", JOURNAL).is_some(),
        "the apply was killed with its journal in place"
    );
    let backend = azurite.backend("state", "fraud.json");
    break_lease(&backend);
    let out = run(dir.path(), &["apply", "--auto-approve"]);
    expect_code(&out, 0, "apply after SIGKILL");
    let out = run(dir.path(), &["plan", "--detailed-exitcode"]);
    expect_code(&out, 0, "converged: no changes");
    let state = backend.load().expect("loads").expect("state");
    assert!(state.contains("workspace.fraud[2]"));
}

#[test]
fn no_secret_reaches_any_blob() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.create_container("state");
    let marker = "blobsecretmarker7f3a";
    let dir = azurite.manifest(
        "state",
        "variable \"secret_description\" {\n  type = string\n  sensitive = true\n}\n\n\
         workspace \"fraud\" {\n  description = var.secret_description\n  identity {\n    \
         type = \"system_assigned\"\n  }\n}\n",
    );
    let out = command(dir.path(), &["apply", "--auto-approve"])
        .env("AMLPLAN_VAR_secret_description", marker)
        .output()
        .expect("apply");
    expect_code(&out, 0, "apply");
    for text in [stdout(&out), stderr(&out)] {
        assert!(!text.contains(marker));
        assert!(!text.contains(ACCOUNT_KEY), "the account key was printed");
    }
    // Two runs, so a snapshot of the previous state exists too.
    let out = command(dir.path(), &["apply", "--auto-approve"])
        .env("AMLPLAN_VAR_secret_description", format!("{marker}2"))
        .output()
        .expect("apply");
    expect_code(&out, 0, "second apply");
    let blobs = azurite.blobs("state");
    assert!(blobs.iter().any(|(_, snapshot, _)| snapshot.is_some()));
    for (name, _, body) in &blobs {
        let text = String::from_utf8_lossy(body);
        assert!(!text.contains(marker), "{name} holds the secret");
        assert!(!text.contains(ACCOUNT_KEY), "{name} holds the account key");
    }
}

#[test]
fn an_access_key_that_is_not_a_key_is_e0932_and_never_printed() {
    // Refused before any request: no Azurite needed.
    let dir = manifest(&[(
        "main.hcl",
        &format!(
            "{AZURE}\nbackend \"azure_blob\" {{\n  storage_account = \"{ACCOUNT}\"\n  \
             container = \"state\"\n  key = \"fraud.json\"\n  \
             endpoint = \"http://127.0.0.1:9/{ACCOUNT}\"\n}}\n"
        ),
    )]);
    let out = command(dir.path(), &["plan"])
        .env("AMLPLAN_STORAGE_ACCESS_KEY", "not-a-key!")
        .output()
        .expect("plan");
    expect_code(&out, 1, "plan with a bad key");
    assert!(stderr(&out).contains("E0932"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("not-a-key!"), "{}", stderr(&out));
}

#[test]
fn a_refused_request_is_e0928_naming_what_failed() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.create_container("state");
    let wrong_key = "d3Jvbmcga2V5IGZvciB0aGUgYWNjb3VudA==";
    let err = BlobBackend::open(
        &azurite.settings("state", "fraud.json"),
        BlobAuth::SharedKey(Secret::new(wrong_key)),
    )
    .expect_err("the signature does not verify");
    assert_eq!(code_of(&err), "E0928", "{err}");
    let text = err.to_string();
    assert!(text.contains("read the container"), "{text}");
    assert!(!text.contains(wrong_key), "{text}");
}

#[test]
fn a_journal_blob_cut_short_replays_what_it_holds() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.create_container("state");
    let backend = azurite.backend("state", "fraud.json");
    let mut state = State::new();
    state.record_applied(resource("workspace.a"));
    backend.save(&mut state).expect("snapshot");
    // A run that stopped right after creating its journal blob: no header, no steps.
    let journal = azurite.container_client("state").blob_client(JOURNAL);
    azurite
        .runtime
        .block_on(journal.append_blob_client().create(None))
        .expect("empty journal");
    let reader = azurite.backend("state", "fraud.json");
    let loaded = reader.load().expect("loads").expect("state");
    assert!(loaded.contains("workspace.a"));
    assert!(
        reader.journal_damage().is_none(),
        "{:?}",
        reader.journal_damage()
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_releases_the_lease() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.create_container("state");
    let dir = azurite.manifest("state", WORKSPACES);
    let mut child = slow_apply(dir.path(), 250);
    let backend = azurite.backend("state", "fraud.json");
    wait_for(|| backend.lock_holder().is_some());
    assert!(backend.lock_holder().is_some(), "the apply took the lease");
    std::thread::sleep(Duration::from_millis(200));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let status = child.wait().expect("apply ends");
    assert_eq!(status.code(), Some(130));
    assert!(
        backend.lock_holder().is_none(),
        "released at once, not after the lease lapses"
    );
    let out = run(dir.path(), &["apply", "--auto-approve"]);
    expect_code(&out, 0, "the next apply proceeds and converges");
}

/// A journal blob damaged in the middle (valid records after the damage) refuses the state
/// with E0316, as the local backend does, rather than replaying around a confirmed step.
#[test]
fn a_journal_blob_damaged_in_the_middle_is_e0316() {
    let Some(azurite) = Azurite::start() else {
        return;
    };
    azurite.create_container("state");
    let dir = azurite.manifest("state", WORKSPACES);
    let mut child = slow_apply(dir.path(), 100);
    // Several records past the 44-byte header, then SIGKILL so the journal stays.
    wait_for(|| {
        azurite
            .blob("state", JOURNAL)
            .is_some_and(|b| b.len() >= 1500)
    });
    let _ = child.kill();
    let _ = child.wait();
    let mut bytes = azurite
        .blob("state", JOURNAL)
        .expect("the journal stays after SIGKILL");
    assert!(bytes.len() >= 1500, "{} journal bytes", bytes.len());
    bytes[60] ^= 0x40;
    let blob = azurite.container_client("state").blob_client(JOURNAL);
    let backend = azurite.backend("state", "fraud.json");
    break_lease(&backend);
    azurite
        .runtime
        .block_on(async {
            let append = blob.append_blob_client();
            append.create(None).await?;
            let len = bytes.len() as u64;
            append
                .append_block(azure_core::http::RequestContent::from(bytes), len, None)
                .await
                .map(|_| ())
        })
        .expect("the damaged journal is written back");
    let err = backend
        .load()
        .expect_err("a journal damaged mid-way is refused");
    assert_eq!(code_of(&err), "E0316", "{err}");
    let out = run(dir.path(), &["plan"]);
    expect_code(&out, 1, "plan refuses the damaged state");
    assert!(stderr(&out).contains("E0316"), "{}", stderr(&out));
}
