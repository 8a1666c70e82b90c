//! Benchmarks of `amlplan plan` and `amlplan apply` on the mock provider.
//!
//! Run with `cargo build --release && cargo bench --bench plan`. Four sections, each
//! selectable by name (`cargo bench --bench plan -- plan`, `-- apply`, `-- dag`, `-- reeval`):
//!
//! 1. **plan**: the 10,000-resource manifest of `benches/generate.rs` (the one the
//!    `validate` benchmark uses), planned against (a) an empty mock cloud and (b) a fully
//!    applied one. Measured end to end through the release binary
//!    (`target/release/amlplan plan DIR --mock-cloud X --state Y --detailed-exitcode`) and
//!    in-process, stage by stage: compile, lower, open (load the mock cloud and the state),
//!    refresh (a GET of every resource), the planner, and rendering the human plan. Target:
//!    each plan under 1 s. The applied cloud is made in-process at latency 0, and that
//!    apply's time is reported: by default every operation's PUT in dependency order and one
//!    state save ([`seed_direct`]; the plan against it must be empty, which is asserted),
//!    and the real [`Applier`]'s cost per operation (its write-ahead journal appended per
//!    step, compacted when it outgrows the state) is reported on a tenth, a fifth, half and
//!    all of the manifest, to show it flat. `--seed applier` seeds with the real
//!    [`Applier`] (quiet progress, journal written per step) at full size.
//! 2. **apply**: makespan of the in-process [`Applier`] over the [`MockCloud`] with a fixed
//!    simulated latency per request (`--latency`, default 20 ms) and `--parallelism`
//!    (default 10), on generated manifests whose chains are known (implicit resources →
//!    workspace → endpoint → deployments → traffic, beside many independent role
//!    assignments, outbound rules and clusters). Every operation's duration is measured
//!    alone first (a run with parallelism 1, so no operation waits for another), giving the
//!    critical path (longest chain of durations through the operations' dependencies) and
//!    the total work; the report is `makespan / max(critical path, work / parallelism)`
//!    (aim: at most 1.15). Simulated makespans of the same durations under the current
//!    scheduling policy and under a critical-path-first list scheduler are printed beside
//!    it, to tell the scheduler's policy from overhead.
//! 3. **dag**: the scheduler alone ([`run_dag`]) on synthetic DAGs whose operations sleep,
//!    with the same ratio (from each task's measured sleep) and the same simulations.
//! 4. **reeval**: the apply's resolver of values known after apply, per operation, on
//!    manifests of 1,000 to 10,000 role assignments spread over ten workspaces, each naming
//!    its workspace's principal ID (known once the workspace exists): ms per resolved
//!    operation, the number of whole-manifest evaluations, and the cost of one (what every
//!    such operation cost when each evaluated the whole manifest again).
//!
//! Options (after `--`): `--workspaces N` scales the plan manifest; `--runs N` best-of
//! count; `--latency MS`; `--parallelism N`; `--seed applier|direct`; `--no-binary`;
//! `--dir DIR` keeps the manifest and the plan scenarios' files in DIR (for profiling the
//! binary on them).

#[path = "generate.rs"]
mod generate;

use std::collections::HashMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use amlplan::apply::scheduler::{Outcome, run_dag};
use amlplan::apply::{Applier, Op, OpKind, StateWriter, operations};
use amlplan::arm::Desired;
use amlplan::cli::{ManifestArgs, ProviderArgs};
use amlplan::commands::pipeline;
use amlplan::compile::compile;
use amlplan::engine::events::{Event, EventSink, NoEvents};
use amlplan::lang::instantiate::Inputs;
use amlplan::plan::compare::redact;
use amlplan::plan::planner::{self, Actual, PlanOptions};
use amlplan::provider::client::{ArmClient, ClientOptions};
use amlplan::provider::emulator::{EmulatorOptions, Latency, MockCloud};
use amlplan::provider::mock::MockProvider;
use amlplan::provider::{ArmError, Provider, ProviderDefaults};
use amlplan::render::human::Style;
use amlplan::render::plan_human;
use amlplan::state::{LocalBackend, ResourceState, State};

use generate::Shape;

const RUNS: usize = 5;

// ------------------------------------------------------------------------------ harness

/// Runs `f` `runs` times and returns the fastest run's time and the last result.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        drop(last.take());
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed());
        last = Some(black_box(out));
    }
    (best, last.expect("at least one run"))
}

fn ms(d: Duration) -> String {
    if d >= Duration::from_secs(10) {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    }
}

fn msf(x: f64) -> String {
    format!("{x:.1} ms")
}

fn runtime() -> tokio::runtime::Runtime {
    // As the CLI's session: two workers.
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("start a tokio runtime")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seed {
    Applier,
    Direct,
}

struct Args {
    workspaces: usize,
    runs: usize,
    latency_ms: u64,
    parallelism: usize,
    seed: Seed,
    binary: bool,
    /// Work in this directory (kept) instead of a temporary one.
    dir: Option<PathBuf>,
    sections: Vec<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        workspaces: Shape::default().workspaces,
        runs: RUNS,
        latency_ms: 20,
        parallelism: 10,
        seed: Seed::Direct,
        binary: true,
        dir: None,
        sections: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    let number = |v: Option<String>, what: &str| -> usize {
        v.and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{what} N"))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--bench" => {}
            "--workspaces" => args.workspaces = number(it.next(), "--workspaces"),
            "--runs" => args.runs = number(it.next(), "--runs").max(1),
            "--latency" => args.latency_ms = number(it.next(), "--latency") as u64,
            "--parallelism" => args.parallelism = number(it.next(), "--parallelism").max(1),
            "--no-binary" => args.binary = false,
            "--dir" => args.dir = Some(PathBuf::from(it.next().expect("--dir DIR"))),
            "--seed" => {
                args.seed = match it.next().as_deref() {
                    Some("applier") => Seed::Applier,
                    Some("direct") => Seed::Direct,
                    other => panic!("--seed applier|direct, not {other:?}"),
                }
            }
            s if !s.starts_with('-') => args.sections.push(s.to_string()),
            _ => {}
        }
    }
    args
}

fn main() {
    let args = parse_args();
    let want = |s: &str| args.sections.is_empty() || args.sections.iter().any(|x| x == s);
    if want("plan") {
        plan_bench(&args);
    }
    if want("apply") {
        apply_bench(&args);
    }
    if want("dag") {
        dag_bench(&args);
    }
    if want("reeval") {
        reeval_bench();
    }
}

fn print_rows(title: &str, rows: &[(String, String)]) {
    println!("\n{title}");
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    println!("{:-<1$}", "", width + 40);
    for (k, v) in rows {
        println!("{k:<width$}  {v}");
    }
    println!("{:-<1$}", "", width + 40);
}

// ------------------------------------------------------------------------------ 1. plan

/// A mock cloud file and a state file.
struct Scenario {
    name: &'static str,
    cloud: PathBuf,
    state: PathBuf,
    /// `--detailed-exitcode`: 2 with changes, 0 without.
    expect_exit: i32,
}

struct PlanTimes {
    open: Duration,
    refresh: Duration,
    planner: Duration,
    render: Duration,
    /// Costing the plan (`cost::plan_cost` and the budget check).
    cost: Duration,
    in_process: Duration,
    reads: usize,
    summary: String,
    binary: Option<Duration>,
}

/// Compiles the manifest in `dir`, asserting it has no errors.
fn compile_ok(dir: &Path) -> amlplan::compile::Compilation {
    let c = compile(dir, &Inputs::default());
    assert!(
        !c.has_errors(),
        "the generated manifest does not compile: {} diagnostics",
        c.diagnostics.len()
    );
    c
}

/// Lowers with the mock provider's defaults, as the CLI does.
fn lower_ok(c: &amlplan::compile::Compilation) -> Vec<Desired> {
    amlplan::arm::lower::lower_with(
        &c.manifest,
        &c.sources,
        &amlplan::provider::mock::defaults(),
    )
    .unwrap_or_else(|e| panic!("lowering failed: {} diagnostics", e.len()))
}

fn plan_bench(args: &Args) {
    let tmp = tempfile::tempdir().expect("create a temporary directory");
    let root = args.dir.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let dir = root.join("manifest");
    // A kept directory is started afresh.
    for d in ["manifest", "empty", "applied"] {
        let _ = std::fs::remove_dir_all(root.join(d));
    }
    std::fs::create_dir_all(&dir).expect("create the manifest directory");
    let shape = Shape {
        workspaces: args.workspaces,
        ..Shape::default()
    };
    let generated = generate::write_manifest(&dir, &shape).expect("write the manifest");
    let runs = args.runs;

    let (t_compile, compilation) = best_of(runs, || compile_ok(&dir));
    let (t_lower, desired) = best_of(runs, || lower_ok(&compilation));
    assert!(
        !desired.iter().any(amlplan::arm::Desired::has_unknown),
        "the generated manifest has values known only after apply"
    );

    let scenario = |name: &'static str, expect_exit: i32| {
        let d = root.join(name);
        std::fs::create_dir_all(&d).expect("create a scenario directory");
        Scenario {
            name,
            cloud: d.join("mock-cloud.json"),
            state: d.join("state.json"),
            expect_exit,
        }
    };
    let empty = scenario("empty", 2);
    let applied = scenario("applied", 0);

    // The applied cloud: one apply, at latency 0.
    let (t_apply, apply_ops, apply_how) = match args.seed {
        Seed::Applier => {
            let (t, n) = seed_applier(&desired, &applied.cloud, &applied.state);
            (
                t,
                n,
                "in-process Applier, latency 0, journal written per step",
            )
        }
        Seed::Direct => {
            let (t, n) = seed_direct(&desired, &applied.cloud, &applied.state);
            (t, n, "direct PUTs, one state save (--seed direct)")
        }
    };
    let cloud_mb = file_mb(&applied.cloud);
    let state_mb = file_mb(&applied.state);

    // The real Applier's cost per operation as the manifest grows (it must stay flat: the
    // journal is appended per step, not the whole state rewritten).
    let scaling: Vec<(usize, usize, Duration)> = if args.seed == Seed::Direct {
        [
            args.workspaces / 10,
            args.workspaces / 5,
            args.workspaces / 2,
            args.workspaces,
        ]
        .into_iter()
        .filter(|&w| w > 0)
        .map(|w| {
            let d = tempfile::tempdir_in(&root).expect("create a directory");
            let m = d.path().join("manifest");
            std::fs::create_dir_all(&m).expect("create the manifest directory");
            let shape = Shape {
                workspaces: w,
                ..Shape::default()
            };
            generate::write_manifest(&m, &shape).expect("write the manifest");
            let small = lower_ok(&compile_ok(&m));
            let (t, n) = seed_applier(
                &small,
                &d.path().join("mock-cloud.json"),
                &d.path().join("state.json"),
            );
            (w, n, t)
        })
        .collect()
    } else {
        Vec::new()
    };

    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/amlplan");
    let use_binary = args.binary && binary.is_file();
    let mut results = Vec::new();
    for s in [&empty, &applied] {
        let mut times = plan_in_process(&dir, &compilation.manifest, &desired, s, runs);
        if use_binary {
            times.binary = Some(plan_binary(&binary, &dir, s, runs));
        }
        results.push((s.name, times));
    }

    let mut rows: Vec<(String, String)> = vec![
        (
            "manifest".to_string(),
            format!(
                "{} resources, {} desired ARM entries, {:.2} MB of HCL",
                generated.resources,
                desired.len(),
                generated.bytes as f64 / 1e6
            ),
        ),
        ("compile (in-process)".into(), ms(t_compile)),
        ("lower (in-process)".into(), ms(t_lower)),
        (
            "apply to make (b)".into(),
            format!("{} for {apply_ops} operations ({apply_how})", ms(t_apply)),
        ),
    ];
    for (w, n, t) in &scaling {
        rows.push((
            format!("real Applier, {w} workspaces"),
            format!(
                "{} for {n} operations, {:.2} ms per operation (latency 0, journal written per step)",
                ms(*t),
                t.as_secs_f64() * 1e3 / *n as f64
            ),
        ));
    }
    rows.extend([(
        "(b) files".into(),
        format!("mock cloud {cloud_mb:.1} MB, state {state_mb:.1} MB"),
    )]);
    for (name, t) in &results {
        let p = |k: &str| format!("{name}: {k}");
        rows.push((p("plan summary"), t.summary.clone()));
        rows.push((p("open (load cloud + state)"), ms(t.open)));
        rows.push((
            p("refresh"),
            format!(
                "{} ({} reads, {:.1} us each)",
                ms(t.refresh),
                t.reads,
                t.refresh.as_secs_f64() * 1e6 / t.reads.max(1) as f64
            ),
        ));
        rows.push((p("planner::plan"), ms(t.planner)));
        rows.push((p("render human plan"), ms(t.render)));
        rows.push((p("cost (forecast, before/after, budgets)"), ms(t.cost)));
        let sum = t_compile + t_lower + t.open + t.refresh + t.planner + t.render;
        rows.push((p("sum of the stages"), ms(sum)));
        rows.push((
            p("in-process end to end"),
            format!(
                "{} (compile_and_lower + open + plan_manifest + render)",
                ms(t.in_process)
            ),
        ));
        rows.push((
            p("binary end to end"),
            match t.binary {
                Some(b) => format!(
                    "{}  {}",
                    ms(b),
                    if b < Duration::from_secs(1) {
                        "(target < 1 s: met)"
                    } else {
                        "(target < 1 s: MISSED)"
                    }
                ),
                None if use_binary => unreachable!(),
                None if args.binary => "skipped: build it with cargo build --release".into(),
                None => "skipped (--no-binary)".into(),
            },
        ));
    }
    print_rows(
        &format!("amlplan plan benchmark (best of {runs} runs each)"),
        &rows,
    );
}

fn file_mb(p: &Path) -> f64 {
    std::fs::metadata(p).map_or(0.0, |m| m.len() as f64 / 1e6)
}

fn provider_args(s: &Scenario) -> ProviderArgs {
    ProviderArgs {
        kind: amlplan::cli::ProviderKind::Mock,
        arm_endpoint: amlplan::provider::azure::PUBLIC_ARM_ENDPOINT.to_string(),
        auth: amlplan::cli::AuthChoice::Auto,
        mock_cloud: Some(s.cloud.clone()),
        state: Some(s.state.clone()),
    }
}

fn plan_in_process(
    dir: &Path,
    manifest: &amlplan::model::Manifest,
    desired: &[Desired],
    s: &Scenario,
    runs: usize,
) -> PlanTimes {
    let provider = provider_args(s);
    let open = || {
        let mock = amlplan::commands::provider::open(dir, &provider).expect("open the provider");
        pipeline::open_engine(dir, &provider, None, None, mock).expect("open the engine")
    };
    let (t_open, sess) = best_of(runs, open);
    let priors = sess.priors();
    let (t_refresh, actual) = best_of(runs, || {
        sess.refresh(desired, &priors).expect("refresh succeeds")
    });
    let reads = actual.len();
    let (t_planner, plan) = best_of(runs, || {
        planner::plan(desired, &priors, &actual, PlanOptions::default())
    });
    let (t_render, text) = best_of(runs, || plan_human::render(&plan));
    // What costing adds to a plan: the forecast, every change's cost before, the budgets.
    let book = amlplan::cost::PriceBook::catalogue();
    let (t_cost, _) = best_of(runs, || {
        let cost = amlplan::cost::plan_cost::plan_cost(manifest, &plan, &book);
        amlplan::cost::budget::over(manifest, &cost.forecast)
    });
    let summary = text
        .lines()
        .rev()
        .find(|l| l.starts_with("Plan:") || l.starts_with("No changes"))
        .unwrap_or("(no summary line)")
        .to_string();
    assert_eq!(
        plan.has_changes(),
        s.expect_exit == 2,
        "{}: unexpected plan: {summary}",
        s.name
    );
    drop((sess, actual, plan, text));

    // What the binary does, minus process start-up and writing stdout.
    let manifest_args = ManifestArgs {
        dir: dir.to_path_buf(),
        vars: Vec::new(),
        var_files: Vec::new(),
        deny_warnings: false,
    };
    let (t_in_process, _) = best_of(runs, || {
        let pipeline::Opened {
            mut lowered,
            engine,
        } = pipeline::open(
            &manifest_args,
            &provider,
            Some("amlplan plan"),
            pipeline::Reporter::Human(Style::plain()),
        )
        .expect("compile, lower and open");
        let plan = engine
            .plan_manifest(&mut lowered, PlanOptions::default())
            .expect("plan");
        let text = plan_human::render(&plan);
        (lowered, engine, plan, text)
    });
    PlanTimes {
        open: t_open,
        refresh: t_refresh,
        planner: t_planner,
        render: t_render,
        cost: t_cost,
        in_process: t_in_process,
        reads,
        summary,
        binary: None,
    }
}

fn plan_binary(binary: &Path, dir: &Path, s: &Scenario, runs: usize) -> Duration {
    let (t, out) = best_of(runs, || {
        Command::new(binary)
            .arg("plan")
            .arg(dir)
            .arg("--mock-cloud")
            .arg(&s.cloud)
            .arg("--state")
            .arg(&s.state)
            .arg("--detailed-exitcode")
            .env("NO_COLOR", "1")
            .env_remove("AMLPLAN_MOCK_OPTIONS")
            .stdin(Stdio::null())
            .output()
            .expect("run the amlplan binary")
    });
    assert_eq!(
        out.status.code(),
        Some(s.expect_exit),
        "{}: amlplan plan exited {}:\n{}",
        s.name,
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    t
}

/// Applies `desired` to an empty cloud at `cloud` with the real [`Applier`] (latency 0,
/// no progress events, parallelism 10, the state journal saved at every step as the CLI
/// does), then saves the cloud. Returns the apply's time and its number of operations.
fn seed_applier(desired: &[Desired], cloud: &Path, state: &Path) -> (Duration, usize) {
    let cloud = MockCloud::open(cloud, EmulatorOptions::default())
        .expect("open the mock cloud")
        .with_autosave(false);
    let provider = Arc::new(MockProvider::over(cloud.clone(), ClientOptions::instant()));
    let backend = Arc::new(LocalBackend::new(state));
    let plan = planner::plan(desired, &[], &Actual::new(), PlanOptions::default());
    let ops = operations(&plan);
    let n = ops.len();
    let writer = Arc::new(StateWriter::new(State::new(), backend.clone()));
    let applier = Applier {
        provider,
        state: writer.clone(),
        events: Arc::new(NoEvents),
        resolver: None,
    };
    let rt = runtime();
    let start = Instant::now();
    let results = rt.block_on(applier.apply(ops, 10));
    let mut state = writer.snapshot();
    state.clear_completed_journal();
    backend.save(&mut state).expect("save the state");
    cloud.save().expect("save the mock cloud");
    let elapsed = start.elapsed();
    let failed: Vec<_> = results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Done))
        .take(5)
        .map(|r| format!("{}: {:?}", r.address, r.outcome))
        .collect();
    assert!(failed.is_empty(), "the seeding apply failed: {failed:#?}");
    (elapsed, n)
}

/// Makes the same cloud and state as [`seed_applier`] without the per-operation journal:
/// every operation's PUT in dependency order ([`run_dag`], parallelism 10), then one state
/// save of what apply records. The plan against it must be empty, which the benchmark
/// asserts.
fn seed_direct(desired: &[Desired], cloud: &Path, state: &Path) -> (Duration, usize) {
    let cloud = MockCloud::open(cloud, EmulatorOptions::default())
        .expect("open the mock cloud")
        .with_autosave(false);
    let client = ArmClient::new(Arc::new(cloud.clone()), ClientOptions::instant());
    let plan = planner::plan(desired, &[], &Actual::new(), PlanOptions::default());
    let ops = Arc::new(operations(&plan));
    let deps: Vec<Vec<usize>> = ops.iter().map(|o| o.deps.clone()).collect();
    let rt = runtime();
    let start = Instant::now();
    let outcomes = rt.block_on(run_dag(ops.len(), &deps, 10, |i| {
        let ops = ops.clone();
        let client = client.clone();
        async move { put_directly(&ops[i], &client).await }
    }));
    let failed: Vec<_> = outcomes
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o, Outcome::Done))
        .take(5)
        .map(|(i, o)| format!("{}: {o:?}", ops[i].address))
        .collect();
    assert!(failed.is_empty(), "the seeding PUTs failed: {failed:#?}");
    let mut st = State::new();
    for d in desired {
        let salt = st.salt().to_string();
        st.record_applied(ResourceState::from_desired(
            d,
            redact(&d.body, &d.sensitive),
            &salt,
        ));
    }
    LocalBackend::new(state)
        .save(&mut st)
        .expect("save the state");
    cloud.save().expect("save the mock cloud");
    (start.elapsed(), ops.len())
}

/// One create operation without the journal: a PUT, or for a partial entry (an
/// endpoint's traffic) GET, set the properties it owns, PUT back.
async fn put_directly(op: &Op, client: &ArmClient) -> Result<(), ArmError> {
    match &op.kind {
        OpKind::Put(d) => client.put(&d.id, &d.api_version, d.body.clone()).await?,
        OpKind::PutPartial(d) => {
            let mut current = client
                .get(&d.id, &d.api_version)
                .await?
                .expect("the partial entry's resource exists");
            if let (Some(owned), Some(props)) = (
                d.body.get("properties").and_then(|p| p.as_object()),
                current
                    .get_mut("properties")
                    .and_then(|p| p.as_object_mut()),
            ) {
                for (k, v) in owned {
                    props.insert(k.clone(), v.clone());
                }
                for k in ["provisioningState", "scoringUri", "swaggerUri"] {
                    props.remove(k);
                }
            }
            if let Some(map) = current.as_object_mut() {
                for k in ["id", "name", "type", "systemData", "etag"] {
                    map.remove(k);
                }
            }
            client.put(&d.id, &d.api_version, current).await?
        }
        other => panic!("a create plan has only writes, not {other:?}"),
    };
    Ok(())
}

// ----------------------------------------------------------------------------- 2. apply

/// Records each operation's start and end (relative to `origin`) by address.
struct Recorder {
    origin: Instant,
    spans: Mutex<HashMap<String, (Duration, Duration)>>,
}

impl EventSink for Recorder {
    fn event(&self, event: &Event<'_>) {
        match *event {
            Event::OpStarted { op } => {
                let now = self.origin.elapsed();
                self.spans
                    .lock()
                    .expect("recorder lock")
                    .insert(op.address.clone(), (now, now));
            }
            Event::OpFinished { op, .. } => {
                let now = self.origin.elapsed();
                if let Some(span) = self
                    .spans
                    .lock()
                    .expect("recorder lock")
                    .get_mut(&op.address)
                {
                    span.1 = now;
                }
            }
            Event::OpFailed { op, error, .. } => panic!("{} failed: {error}", op.address),
            Event::OpSkipped { op, because } => {
                panic!("{} skipped because {} failed", op.address, because.address)
            }
            _ => {}
        }
    }
}

/// A provider over a counting transport: the mock cloud's, one request at a time counted.
struct CountingProvider {
    client: ArmClient,
}

impl Provider for CountingProvider {
    fn client(&self) -> &ArmClient {
        &self.client
    }

    fn defaults(&self) -> ProviderDefaults {
        amlplan::provider::mock::defaults()
    }

    fn finish(&self) -> Result<(), amlplan::diagnostic::Diagnostic> {
        Ok(())
    }
}

struct ApplyRun {
    makespan: Duration,
    /// Per operation, in `ops` order: (start, end) relative to the apply's start.
    spans: Vec<(f64, f64)>,
    ops: Vec<Op>,
    requests: u64,
}

/// A transport that counts requests.
struct Counting {
    inner: MockCloud,
    count: std::sync::atomic::AtomicU64,
}

impl amlplan::provider::Transport for Counting {
    fn send(
        &self,
        request: amlplan::provider::ArmRequest,
    ) -> amlplan::provider::TransportFuture<'_> {
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.inner.send(request)
    }
}

/// Applies `desired` to a fresh in-memory cloud with `latency_ms` per request, state
/// journal in `state_dir` (on disk, as the CLI's), progress recorded.
fn apply_once(
    desired: &[Desired],
    latency_ms: u64,
    parallelism: usize,
    state_dir: &Path,
) -> ApplyRun {
    let cloud = MockCloud::new(EmulatorOptions {
        latency: Latency::fixed(latency_ms),
        ..EmulatorOptions::default()
    });
    let counting = Arc::new(Counting {
        inner: cloud,
        count: 0.into(),
    });
    // As the CLI: the emulator's waits between polls are logical (time scale 0); only the
    // per-request latency is slept.
    let client = ArmClient::new(counting.clone(), ClientOptions::instant());
    let state_path = state_dir.join(format!("state-{parallelism}.json"));
    let _ = std::fs::remove_file(&state_path);
    let backend = Arc::new(LocalBackend::new(&state_path));
    let plan = planner::plan(desired, &[], &Actual::new(), PlanOptions::default());
    let ops = operations(&plan);
    let recorder = Arc::new(Recorder {
        origin: Instant::now(),
        spans: Mutex::new(HashMap::new()),
    });
    let applier = Applier {
        provider: Arc::new(CountingProvider { client }),
        state: Arc::new(StateWriter::new(State::new(), backend)),
        events: recorder.clone(),
        resolver: None,
    };
    let rt = runtime();
    let origin = Instant::now();
    let results = rt.block_on(applier.apply(ops.clone(), parallelism));
    let makespan = origin.elapsed();
    assert!(results.iter().all(|r| matches!(r.outcome, Outcome::Done)));
    let shift = origin.duration_since(recorder.origin).as_secs_f64() * 1e3;
    let recorded = recorder.spans.lock().expect("recorder lock");
    let spans = ops
        .iter()
        .map(|op| {
            let (s, e) = recorded[&op.address];
            (s.as_secs_f64() * 1e3 - shift, e.as_secs_f64() * 1e3 - shift)
        })
        .collect();
    ApplyRun {
        makespan,
        spans,
        ops,
        requests: counting.count.load(std::sync::atomic::Ordering::Relaxed),
    }
}

/// Mean time of one [`LocalBackend::save`] of the state at `path` (on the same file
/// system), and the state's size in bytes.
fn journal_save_cost(path: &Path) -> (f64, f64) {
    let backend = LocalBackend::new(path);
    let mut state = backend
        .load()
        .expect("load the applied state")
        .expect("the applied state exists");
    const SAVES: usize = 20;
    let start = Instant::now();
    for _ in 0..SAVES {
        state.begin("bench", "bench", amlplan::state::Operation::Put, None);
        backend.save(&mut state).expect("save the state");
    }
    let mean = start.elapsed().as_secs_f64() * 1e3 / SAVES as f64;
    (mean, file_mb(path) * 1e6)
}

fn op_kind(op: &Op) -> String {
    match &op.kind {
        OpKind::Put(d) => d.kind.clone(),
        OpKind::PutPartial(d) => format!("{} (partial)", d.kind),
        // A create plan has only writes.
        _ => format!("{} (not a write)", op.verb().0),
    }
}

fn apply_bench(args: &Args) {
    let shapes: [(&str, Shape); 3] = [
        (
            "chains (few independents)",
            Shape {
                workspaces: 4,
                workspaces_per_file: 10,
                outbound_rules: 2,
                clusters: 1,
                models: 1,
                endpoints: 3,
                role_assignments: 3,
            },
        ),
        (
            "chains + independents (balanced)",
            Shape {
                workspaces: 3,
                workspaces_per_file: 10,
                outbound_rules: 10,
                clusters: 6,
                models: 1,
                endpoints: 4,
                role_assignments: 40,
            },
        ),
        (
            "chains + many independents (work bound)",
            Shape {
                workspaces: 4,
                workspaces_per_file: 10,
                outbound_rules: 20,
                clusters: 10,
                models: 2,
                endpoints: 4,
                role_assignments: 60,
            },
        ),
    ];
    let p = args.parallelism;
    let latency = args.latency_ms;
    println!(
        "\napply makespan vs critical path: in-process Applier over the MockCloud, {latency} ms per request, parallelism {p}"
    );
    // The state journal on the temporary directory's disk (as the CLI's, fsync and all),
    // and on tmpfs, where fsync costs nothing.
    let mut media: Vec<(&str, PathBuf)> = vec![("disk", std::env::temp_dir())];
    if Path::new("/dev/shm").is_dir() {
        media.push(("tmpfs", PathBuf::from("/dev/shm")));
    }
    for (name, shape) in shapes {
        let tmp = tempfile::tempdir().expect("create a temporary directory");
        let dir = tmp.path().join("manifest");
        std::fs::create_dir_all(&dir).expect("create the manifest directory");
        generate::write_manifest(&dir, &shape).expect("write the manifest");
        let compilation = compile_ok(&dir);
        let desired = lower_ok(&compilation);
        let mut rows = Vec::new();
        for (medium, root) in &media {
            let state_dir = tempfile::tempdir_in(root).expect("create a state directory");
            rows.extend(apply_rows(&desired, latency, p, medium, state_dir.path()));
        }
        print_rows(name, &rows);
    }
}

/// One shape on one medium: durations alone (parallelism 1: no operation waits for
/// another), then the run with parallelism `p`; the ratio and what explains it.
fn apply_rows(
    desired: &[Desired],
    latency: u64,
    p: usize,
    medium: &str,
    state_dir: &Path,
) -> Vec<(String, String)> {
    let solo = apply_once(desired, latency, 1, state_dir);
    let durations: Vec<f64> = solo.spans.iter().map(|(s, e)| e - s).collect();
    let deps: Vec<Vec<usize>> = solo.ops.iter().map(|o| o.deps.clone()).collect();
    let run = apply_once(desired, latency, p, state_dir);
    assert_eq!(run.ops.len(), solo.ops.len());
    // What one save of the whole state costs (the final state): the journal is saved
    // before and after every operation (group commits cover concurrent steps with one).
    let save = journal_save_cost(&state_dir.join(format!("state-{p}.json")));
    let par_durations: Vec<f64> = run.spans.iter().map(|(s, e)| e - s).collect();

    let bounds = Bounds::of(&durations, &deps, p);
    let bounds_par = Bounds::of(&par_durations, &deps, p);
    let bound = bounds.bound();
    let makespan = run.makespan.as_secs_f64() * 1e3;
    let sim_current = simulate_current(&durations, &deps, p);
    let sim_index = simulate_list(&durations, &deps, p, |i| -(i as f64));
    let bottom = bottom_levels(&durations, &deps);
    let sim_cp = simulate_list(&durations, &deps, p, |i| bottom[i]);

    // Per kind: count, mean solo duration, in requests.
    let mut kinds: Vec<(String, usize, f64)> = Vec::new();
    for (op, d) in solo.ops.iter().zip(&durations) {
        let k = op_kind(op);
        match kinds.iter_mut().find(|(n, _, _)| *n == k) {
            Some(e) => {
                e.1 += 1;
                e.2 += d;
            }
            None => kinds.push((k, 1, *d)),
        }
    }
    kinds.sort_by(|a, b| a.0.cmp(&b.0));
    let kinds_text = kinds
        .iter()
        .map(|(k, n, total)| format!("{k} x{n}: {:.0}", total / *n as f64))
        .collect::<Vec<_>>()
        .join(", ");
    let chain = bounds
        .path
        .iter()
        .map(|&i| format!("{} ({:.0})", solo.ops[i].address, durations[i]))
        .collect::<Vec<_>>()
        .join(" -> ");
    let saves = 2.0 * run.ops.len() as f64;
    let ratio = makespan / bound;
    let r = |k: &str| format!("[{medium}] {k}");
    let mut rows = Vec::new();
    if medium == "disk" {
        rows.push((
            "operations".to_string(),
            format!(
                "{} ({} requests, {:.2} per operation, {latency} ms each)",
                run.ops.len(),
                run.requests,
                run.requests as f64 / run.ops.len() as f64
            ),
        ));
    }
    rows.extend([
        (r("mean solo ms by kind"), kinds_text),
        (
            r("critical path (solo durations)"),
            format!("{} over {} operations", msf(bounds.critical), bounds.path.len()),
        ),
        (r("  the chain"), chain),
        (
            r("total work / parallelism"),
            format!("{} / {p} = {}", msf(bounds.work), msf(bounds.work / p as f64)),
        ),
        (
            r("sequential apply (parallelism 1)"),
            ms(solo.makespan),
        ),
        (r(&format!("makespan (parallelism {p})")), msf(makespan)),
        (
            r("makespan / max(CP, work/P)"),
            format!(
                "{ratio:.3}  {}",
                if ratio <= 1.15 {
                    "(aim <= 1.15: met)"
                } else {
                    "(aim <= 1.15: MISSED)"
                }
            ),
        ),
        (
            r("  durations as measured in the run"),
            format!(
                "ratio {:.3} (CP {}, work/P {}: each op {:.0}% longer than alone)",
                makespan / bounds_par.bound(),
                msf(bounds_par.critical),
                msf(bounds_par.work / p as f64),
                100.0 * (bounds_par.work / bounds.work - 1.0),
            ),
        ),
        (
            r("one whole-state save"),
            format!(
                "{:.2} ms (final state, {:.0} KB); one per step ({saves}) would take {}, {:.0}% of the makespan",
                save.0,
                save.1 / 1e3,
                msf(saves * save.0),
                100.0 * saves * save.0 / makespan,
            ),
        ),
        (
            r("simulated schedules (solo durations)"),
            format!(
                "current policy {} ({:.3}); greedy index order {} ({:.3}); critical path first {} ({:.3})",
                msf(sim_current),
                sim_current / bound,
                msf(sim_index),
                sim_index / bound,
                msf(sim_cp),
                sim_cp / bound,
            ),
        ),
        (
            r("makespan / critical-path-first schedule"),
            format!("{:.3}", makespan / sim_cp),
        ),
    ]);
    rows
}

// ------------------------------------------------------------------------------- 3. dag

struct Bounds {
    critical: f64,
    work: f64,
    parallelism: usize,
    /// The operations of one longest chain, first to last.
    path: Vec<usize>,
}

impl Bounds {
    fn of(durations: &[f64], deps: &[Vec<usize>], parallelism: usize) -> Bounds {
        let order = topological(deps);
        let n = durations.len();
        let mut finish = vec![0.0f64; n];
        let mut via: Vec<Option<usize>> = vec![None; n];
        for &i in &order {
            let mut start = 0.0f64;
            for &d in &deps[i] {
                if finish[d] > start {
                    start = finish[d];
                    via[i] = Some(d);
                }
            }
            finish[i] = start + durations[i];
        }
        let mut last = (0..n).max_by(|&a, &b| finish[a].total_cmp(&finish[b]));
        let critical = last.map_or(0.0, |i| finish[i]);
        let mut path = Vec::new();
        while let Some(i) = last {
            path.push(i);
            last = via[i];
        }
        path.reverse();
        Bounds {
            critical,
            work: durations.iter().sum(),
            parallelism,
            path,
        }
    }

    fn bound(&self) -> f64 {
        self.critical.max(self.work / self.parallelism as f64)
    }
}

/// A topological order of a DAG given as `deps[i]` = what `i` waits for.
fn topological(deps: &[Vec<usize>]) -> Vec<usize> {
    let n = deps.len();
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents = vec![Vec::new(); n];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependents[d].push(i);
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop() {
        order.push(i);
        for &j in &dependents[i] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(j);
            }
        }
    }
    assert_eq!(order.len(), n, "the graph has a cycle");
    order
}

/// The longest chain from each operation to the end, its own duration included.
fn bottom_levels(durations: &[f64], deps: &[Vec<usize>]) -> Vec<f64> {
    let order = topological(deps);
    let mut dependents = vec![Vec::new(); deps.len()];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependents[d].push(i);
        }
    }
    let mut level = vec![0.0f64; deps.len()];
    for &i in order.iter().rev() {
        let after = dependents[i]
            .iter()
            .map(|&j| level[j])
            .fold(0.0f64, f64::max);
        level[i] = durations[i] + after;
    }
    level
}

fn dependents_of(deps: &[Vec<usize>]) -> (Vec<Vec<usize>>, Vec<usize>) {
    let mut dependents = vec![Vec::new(); deps.len()];
    let mut waiting = vec![0; deps.len()];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependents[d].push(i);
            waiting[i] += 1;
        }
    }
    (dependents, waiting)
}

/// Event simulation of an ideal greedy list scheduler: whenever a slot is free, the ready
/// operation of highest `priority` starts; completions are processed the moment they
/// happen.
fn simulate_list(
    durations: &[f64],
    deps: &[Vec<usize>],
    p: usize,
    priority: impl Fn(usize) -> f64,
) -> f64 {
    let n = durations.len();
    let (dependents, mut waiting) = dependents_of(deps);
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut running: Vec<(f64, usize)> = Vec::new();
    let mut t = 0.0f64;
    let mut done = 0;
    while done < n {
        ready.sort_by(|&a, &b| priority(a).total_cmp(&priority(b)));
        while running.len() < p {
            let Some(i) = ready.pop() else { break };
            running.push((t + durations[i], i));
        }
        // Advance to the next completion(s).
        let next = running.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
        assert!(next.is_finite(), "a cycle or a bug: nothing running");
        t = next;
        let (finished, still): (Vec<_>, Vec<_>) = running.into_iter().partition(|r| r.0 <= t);
        running = still;
        for (_, i) in finished {
            done += 1;
            for &j in &dependents[i] {
                waiting[j] -= 1;
                if waiting[j] == 0 {
                    ready.push(j);
                }
            }
        }
    }
    t
}

/// Event simulation of `run_dag` as written: a stack of ready operations popped in order
/// (lowest index first at the start; each completion's newly ready operations pushed lowest
/// index on top); the loop starts every ready operation, waiting for a free slot before
/// each, and only then takes the next completion from the join set (earliest first), so a
/// completion's dependents are released only once the ready stack is empty.
fn simulate_current(durations: &[f64], deps: &[Vec<usize>], p: usize) -> f64 {
    let n = durations.len();
    let (dependents, mut waiting) = dependents_of(deps);
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    ready.reverse();
    // Started and not yet taken from the join set: (end, index).
    let mut pending: Vec<(f64, usize)> = Vec::new();
    let mut t = 0.0f64;
    let mut processed = 0;
    loop {
        while let Some(i) = ready.pop() {
            // A slot is free when fewer than p operations are still running at t.
            let busy =
                |t: f64, pending: &[(f64, usize)]| pending.iter().filter(|r| r.0 > t).count();
            if busy(t, &pending) >= p {
                t = pending
                    .iter()
                    .map(|r| r.0)
                    .filter(|&e| e > t)
                    .fold(f64::INFINITY, f64::min);
            }
            pending.push((t + durations[i], i));
        }
        if pending.is_empty() {
            break;
        }
        let k = (0..pending.len())
            .min_by(|&a, &b| pending[a].0.total_cmp(&pending[b].0))
            .expect("pending is not empty");
        let (end, i) = pending.swap_remove(k);
        t = t.max(end);
        processed += 1;
        let mut newly: Vec<usize> = Vec::new();
        for &j in &dependents[i] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                newly.push(j);
            }
        }
        newly.sort_unstable_by(|a, b| b.cmp(a));
        ready.extend(newly);
        if processed >= n && pending.is_empty() {
            break;
        }
    }
    // The makespan is when the last operation ended.
    t
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A synthetic DAG: durations (ms) and deps.
struct Dag {
    name: &'static str,
    durations: Vec<u64>,
    deps: Vec<Vec<usize>>,
}

/// `chains` chains of `length` operations of `chain_ms`, and `independent` operations of
/// `independent_ms`; the chains get the low indices unless `chains_last`.
fn chains_dag(
    name: &'static str,
    chains: usize,
    length: usize,
    chain_ms: u64,
    independent: usize,
    independent_ms: u64,
    chains_last: bool,
) -> Dag {
    let mut durations = Vec::new();
    let mut deps = Vec::new();
    let add_independent = |durations: &mut Vec<u64>, deps: &mut Vec<Vec<usize>>| {
        for _ in 0..independent {
            durations.push(independent_ms);
            deps.push(Vec::new());
        }
    };
    if chains_last {
        add_independent(&mut durations, &mut deps);
    }
    for _ in 0..chains {
        for k in 0..length {
            let i = durations.len();
            durations.push(chain_ms);
            deps.push(if k == 0 { Vec::new() } else { vec![i - 1] });
        }
    }
    if !chains_last {
        add_independent(&mut durations, &mut deps);
    }
    Dag {
        name,
        durations,
        deps,
    }
}

/// Layered random DAG shaped like an apply: a few roots (workspaces), fan-out, chains.
fn random_dag(name: &'static str, seed: u64, n: usize) -> Dag {
    let mut rng = Rng(seed);
    let mut durations = Vec::with_capacity(n);
    let mut deps: Vec<Vec<usize>> = Vec::with_capacity(n);
    for i in 0..n {
        durations.push(5 + rng.below(60));
        let mut ds = Vec::new();
        if i > 0 {
            for _ in 0..rng.below(3) {
                let d = rng.below(i as u64) as usize;
                if !ds.contains(&d) {
                    ds.push(d);
                }
            }
        }
        deps.push(ds);
    }
    Dag {
        name,
        durations,
        deps,
    }
}

fn dag_bench(args: &Args) {
    let p = args.parallelism;
    let dags = [
        chains_dag(
            "work bound: 2000 independent x 10 ms",
            0,
            0,
            0,
            2000,
            10,
            false,
        ),
        chains_dag(
            "chain bound: 10 chains x 40 x 20 ms",
            10,
            40,
            20,
            0,
            0,
            false,
        ),
        chains_dag(
            "balanced: 1 chain 50 x 20 ms + 450 x 20 ms, chain first",
            1,
            50,
            20,
            450,
            20,
            false,
        ),
        chains_dag(
            "balanced: same, chain indexed last",
            1,
            50,
            20,
            450,
            20,
            true,
        ),
        chains_dag(
            "5 chains 20 x 20 ms + 300 x 20 ms, chains first",
            5,
            20,
            20,
            300,
            20,
            false,
        ),
        random_dag("random DAG, 600 ops 5-65 ms, <= 2 deps", 7, 600),
    ];
    let rt = runtime();
    let mut rows = Vec::new();
    for dag in &dags {
        let n = dag.durations.len();
        let measured: Arc<Mutex<Vec<f64>>> = Arc::new(Mutex::new(vec![0.0; n]));
        let durations = Arc::new(dag.durations.clone());
        let start = Instant::now();
        let outcomes = rt.block_on(run_dag::<String, _, _>(n, &dag.deps, p, |i| {
            let measured = measured.clone();
            let durations = durations.clone();
            async move {
                let s = Instant::now();
                tokio::time::sleep(Duration::from_millis(durations[i])).await;
                measured.lock().expect("lock")[i] = s.elapsed().as_secs_f64() * 1e3;
                Ok(())
            }
        }));
        let makespan = start.elapsed().as_secs_f64() * 1e3;
        assert!(outcomes.iter().all(|o| *o == Outcome::Done));
        let measured = measured.lock().expect("lock").clone();
        let b = Bounds::of(&measured, &dag.deps, p);
        let nominal: Vec<f64> = dag.durations.iter().map(|&d| d as f64).collect();
        let nb = Bounds::of(&nominal, &dag.deps, p);
        let sim_current = simulate_current(&nominal, &dag.deps, p);
        let bottom = bottom_levels(&nominal, &dag.deps);
        let sim_cp = simulate_list(&nominal, &dag.deps, p, |i| bottom[i]);
        rows.push((
            dag.name.to_string(),
            format!(
                "ratio {:.3}  (makespan {}, CP {}, work/P {}); simulated current {:.3}, CP-first {:.3}",
                makespan / b.bound(),
                msf(makespan),
                msf(b.critical),
                msf(b.work / p as f64),
                sim_current / nb.bound(),
                sim_cp / nb.bound(),
            ),
        ));
    }
    print_rows(
        &format!(
            "scheduler alone (run_dag, tokio sleeps, parallelism {p}): makespan / max(CP, work/P)"
        ),
        &rows,
    );
}

// ----------------------------------------------------------------------------- 4. reeval

fn reeval_bench() {
    const WORKSPACES: usize = 10;
    let mut rows = Vec::new();
    for ops in [1_000usize, 2_000, 5_000, 10_000] {
        let tmp = tempfile::tempdir().expect("create a temporary directory");
        let mut text = generate::main_file();
        for w in 0..WORKSPACES {
            text.push_str(&format!(
                "workspace \"ws{w:02}\" {{\n  identity {{ type = \"system_assigned\" }}\n}}\n"
            ));
        }
        for a in 0..ops {
            let w = a % WORKSPACES;
            let principal = generate::guid(w as u64 + 1, a as u64 + 1);
            text.push_str(&format!(
                "role_assignment \"ra{a:05}\" {{\n  role           = \"Reader\"\n  principal_id   = \"{principal}\"\n  principal_type = \"service_principal\"\n  scope          = workspace.ws{w:02}\n  description    = \"granted by ${{workspace.ws{w:02}.principal_id}}\"\n}}\n"
            ));
        }
        std::fs::write(tmp.path().join("main.hcl"), text).expect("write the manifest");
        let compilation = compile_ok(tmp.path());
        let lowered = amlplan::engine::lowered::Lowered::lower(
            tmp.path().to_path_buf(),
            Inputs::default(),
            compilation,
            Vec::new(),
            amlplan::provider::mock::defaults(),
        )
        .unwrap_or_else(|f| panic!("lowering failed: {} diagnostics", f.errors.len()));
        let known = |w: usize| {
            std::collections::BTreeMap::from([(
                format!("workspace.ws{w:02}"),
                std::collections::BTreeMap::from([(
                    "principal_id".to_string(),
                    amlplan::lang::value::Value::String(generate::guid(99, w as u64)),
                )]),
            )])
        };
        let resolver = lowered.resolver();
        let start = Instant::now();
        for a in 0..ops {
            let d = resolver
                .resolve(&format!("role_assignment.ra{a:05}"), &known(a % WORKSPACES))
                .expect("resolves");
            assert!(!d.has_unknown());
        }
        let per_op = start.elapsed().as_secs_f64() * 1e3 / ops as f64;
        let (whole, _) = best_of(1, || lowered.with_known(known(0)).expect("evaluates"));
        rows.push((
            format!("{ops} operations ({WORKSPACES} workspaces)"),
            format!(
                "{per_op:.3} ms per operation, {} whole evaluations; one whole evaluation {} (the cost per operation before)",
                resolver.evaluations(),
                ms(whole)
            ),
        ));
    }
    print_rows(
        "re-evaluation of values known after apply (the apply's resolver)",
        &rows,
    );
}
