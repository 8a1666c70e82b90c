//! The HTTP provider against the emulator on loopback, with ARM's token buckets on and a
//! fixed latency per request (20 ms by default): what throttling costs at scale.
//!
//! Run with `cargo bench --bench http` (sections `-- refresh`, `-- apply`).
//!
//! 1. **refresh**: the 10,000-resource manifest of `benches/generate.rs`, its cloud seeded
//!    in-process, refreshed through the HTTP provider (the engine's refresh: lists by
//!    collection, GETs elsewhere, paced under the read bucket). Reported: read requests per
//!    resource (aim at most 0.2), 429s (aim 0) and wall time beside the read bucket's own
//!    lower bound for that many reads, and beside the bound one GET per resource would have.
//! 2. **apply**: a create-everything apply of a smaller manifest of the same shape
//!    (`--apply-workspaces`, default 2) through the real [`Applier`] over HTTP, writes paced
//!    under the write bucket. Reported: makespan beside max(critical path, writes / 10 per s,
//!    reads / 25 per s) and 429s. The critical path is the longest dependency chain times
//!    the time one operation takes alone (measured: a single PUT and its polls).
//!
//! Options: `--workspaces N` (refresh manifest, default 50), `--apply-workspaces N`,
//! `--latency MS`, `--parallelism N` (default 10). With the emulator's 1 s `Retry-After`
//! every long-running operation holds its slot for about two seconds, so at parallelism 10
//! the slots, not the buckets, bound the apply; a higher parallelism shows the bucket bound.
//! The critical-path figure times an operation without dependencies (an implicit resource,
//! answered at once): a lower bound, not the chain's real length.

#[path = "generate.rs"]
mod generate;

use std::sync::Arc;
use std::time::Instant;

use amlplan::apply::scheduler::{Outcome, run_dag};
use amlplan::apply::{Applier, OpKind, StateWriter, operations};
use amlplan::arm::Desired;
use amlplan::compile::compile;
use amlplan::engine::events::NoEvents;
use amlplan::lang::instantiate::Inputs;
use amlplan::plan::planner::{self, Actual, PlanOptions};
use amlplan::provider::Provider;
use amlplan::provider::azure::credentials::{AuthMethod, ProcessEnvironment};
use amlplan::provider::azure::{AzureProvider, HttpOptions};
use amlplan::provider::client::{ArmClient, ClientOptions};
use amlplan::provider::emulator::http::{EmulatorServer, ServeOptions};
use amlplan::provider::emulator::{EmulatorOptions, Latency, MockCloud};
use amlplan::provider::token_bucket::{BucketSpec, RequestKind};
use amlplan::state::{LocalBackend, State};

use generate::Shape;

struct Args {
    sections: Vec<String>,
    workspaces: usize,
    apply_workspaces: usize,
    latency_ms: u64,
    parallelism: usize,
}

fn parse_args() -> Args {
    let mut args = Args {
        sections: Vec::new(),
        workspaces: Shape::default().workspaces,
        apply_workspaces: 2,
        latency_ms: 20,
        parallelism: 10,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut number = |name: &str| -> usize {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} takes a number"))
        };
        match a.as_str() {
            "--workspaces" => args.workspaces = number("--workspaces"),
            "--apply-workspaces" => args.apply_workspaces = number("--apply-workspaces"),
            "--latency" => args.latency_ms = number("--latency") as u64,
            "--parallelism" => args.parallelism = number("--parallelism"),
            "--bench" => {}
            s if !s.starts_with('-') => args.sections.push(s.to_string()),
            _ => {}
        }
    }
    args
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn lowered(workspaces: usize) -> (tempfile::TempDir, Vec<Desired>) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let shape = Shape {
        workspaces,
        ..Shape::default()
    };
    generate::write_manifest(tmp.path(), &shape).expect("write the manifest");
    let c = compile(tmp.path(), &Inputs::default());
    assert!(!c.has_errors(), "the generated manifest does not compile");
    let desired = amlplan::arm::lower::lower_with(
        &c.manifest,
        &c.sources,
        &amlplan::provider::mock::defaults(),
    )
    .unwrap_or_else(|e| panic!("lowering failed: {} diagnostics", e.len()));
    (tmp, desired)
}

fn emulator_options(latency_ms: u64) -> EmulatorOptions {
    EmulatorOptions {
        latency: Latency::fixed(latency_ms),
        ..EmulatorOptions::default()
    }
}

fn serve(rt: &tokio::runtime::Runtime, cloud: &MockCloud) -> EmulatorServer {
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        EmulatorServer::start(listener, cloud.clone(), ServeOptions::default()).expect("serve")
    })
}

fn http_provider(rt: &tokio::runtime::Runtime, url: &str) -> Arc<dyn Provider> {
    let p = rt
        .block_on(AzureProvider::open(
            url,
            AuthMethod::None,
            HttpOptions::default(),
            &ProcessEnvironment,
        ))
        .expect("open the HTTP provider");
    Arc::new(p)
}

/// Creates every entry in the cloud directly (no HTTP, no latency): the refresh's subject.
fn seed(rt: &tokio::runtime::Runtime, cloud: &MockCloud, desired: &[Desired]) {
    let client = ArmClient::new(Arc::new(cloud.clone()), ClientOptions::instant());
    let plan = planner::plan(desired, &[], &Actual::new(), PlanOptions::default());
    let ops = Arc::new(operations(&plan));
    let deps: Vec<Vec<usize>> = ops.iter().map(|o| o.deps.clone()).collect();
    let outcomes = rt.block_on(run_dag(ops.len(), &deps, 10, |i| {
        let ops = ops.clone();
        let client = client.clone();
        async move {
            match &ops[i].kind {
                OpKind::Put(d) => client
                    .put(&d.id, &d.api_version, d.body.clone())
                    .await
                    .map(|_| ()),
                // Traffic shares its endpoint's ID: a refresh reads it once either way.
                _ => Ok(()),
            }
        }
    }));
    let failed = outcomes
        .iter()
        .filter(|o| !matches!(o, Outcome::Done))
        .count();
    assert_eq!(failed, 0, "seeding failed");
}

fn refresh_bench(args: &Args) {
    let (_tmp, desired) = lowered(args.workspaces);
    let rt = runtime();
    let cloud = MockCloud::new(emulator_options(0)).with_autosave(false);
    seed(&rt, &cloud, &desired);
    cloud.lock().options_mut().latency = Latency::fixed(args.latency_ms);
    let server = serve(&rt, &cloud);
    let provider = http_provider(&rt, &server.url());
    let resources = {
        let mut ids: Vec<String> = desired.iter().map(|d| d.id.to_ascii_lowercase()).collect();
        ids.sort();
        ids.dedup();
        ids.len()
    };
    let started = Instant::now();
    let actual = amlplan::engine::refresh::refresh(&rt, &provider, &NoEvents, &desired, &[])
        .expect("refresh");
    let wall = started.elapsed();
    let reads = server.stats().admitted(RequestKind::Read);
    let present = actual.values().filter(|v| v.is_some()).count();
    assert_eq!(present, resources, "every seeded resource was read");
    println!(
        "refresh over HTTP ({} ms latency, ARM's buckets on)",
        args.latency_ms
    );
    println!("  resources                 {resources}");
    println!(
        "  read requests             {reads} ({:.3} per resource)",
        reads as f64 / resources as f64
    );
    println!("  429s                      {}", server.stats().throttled());
    println!("  wall time                 {:.1} s", wall.as_secs_f64());
    println!(
        "  read bucket bound         {:.1} s for {reads} reads; {:.1} s for a GET per resource",
        BucketSpec::ARM_READS
            .lower_bound(reads as usize)
            .as_secs_f64(),
        BucketSpec::ARM_READS.lower_bound(resources).as_secs_f64()
    );
}

/// The longest chain of operations (in operations).
fn depth(deps: &[Vec<usize>]) -> usize {
    let mut memo = vec![0usize; deps.len()];
    fn visit(i: usize, deps: &[Vec<usize>], memo: &mut [usize]) -> usize {
        if memo[i] == 0 {
            let below = deps[i]
                .iter()
                .map(|&d| visit(d, deps, memo))
                .max()
                .unwrap_or(0);
            memo[i] = below + 1;
        }
        memo[i]
    }
    (0..deps.len())
        .map(|i| visit(i, deps, &mut memo))
        .max()
        .unwrap_or(0)
}

fn apply_bench(args: &Args) {
    let (_tmp, desired) = lowered(args.apply_workspaces);
    let rt = runtime();
    let cloud = MockCloud::new(emulator_options(args.latency_ms)).with_autosave(false);
    let server = serve(&rt, &cloud);
    let provider = http_provider(&rt, &server.url());
    let plan = planner::plan(&desired, &[], &Actual::new(), PlanOptions::default());
    let ops = operations(&plan);
    let deps: Vec<Vec<usize>> = ops.iter().map(|o| o.deps.clone()).collect();
    let chain = depth(&deps);
    // One operation alone, on an empty server of its own: the first operation without
    // dependencies (an implicit resource), its PUT and polls.
    let single = {
        let first = ops
            .iter()
            .find_map(|o| match &o.kind {
                OpKind::Put(d) if o.deps.is_empty() => Some(d.clone()),
                _ => None,
            })
            .expect("an operation without dependencies");
        let probe_cloud = MockCloud::new(emulator_options(args.latency_ms)).with_autosave(false);
        let probe_server = serve(&rt, &probe_cloud);
        let p = http_provider(&rt, &probe_server.url());
        let started = Instant::now();
        rt.block_on(
            p.client()
                .put(&first.id, &first.api_version, first.body.clone()),
        )
        .expect("a single PUT");
        started.elapsed()
    };
    let backend = Arc::new(LocalBackend::new(_tmp.path().join("state.json")));
    let writer = Arc::new(StateWriter::new(State::new(), backend));
    let applier = Applier {
        provider,
        state: writer,
        events: Arc::new(NoEvents),
        resolver: None,
    };
    let n = ops.len();
    let started = Instant::now();
    let results = rt.block_on(applier.apply(ops, args.parallelism));
    let makespan = started.elapsed();
    let failed = results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Done))
        .count();
    let writes = server.stats().admitted(RequestKind::Write);
    let reads = server.stats().admitted(RequestKind::Read);
    let critical = single * chain as u32;
    let write_bound = BucketSpec::ARM_WRITES.lower_bound(writes as usize);
    let read_bound = BucketSpec::ARM_READS.lower_bound(reads as usize);
    let bound = critical.max(write_bound).max(read_bound);
    println!(
        "apply over HTTP ({} workspaces, {n} operations, {} ms latency, parallelism {}, buckets on)",
        args.apply_workspaces, args.latency_ms, args.parallelism
    );
    println!("  failed operations         {failed}");
    println!("  writes / reads            {writes} / {reads}");
    println!("  429s                      {}", server.stats().throttled());
    println!(
        "  makespan                  {:.1} s",
        makespan.as_secs_f64()
    );
    println!(
        "  critical path             {:.1} s ({chain} operations x {:.2} s)",
        critical.as_secs_f64(),
        single.as_secs_f64()
    );
    println!(
        "  writes / 10 per s         {:.1} s;  reads / 25 per s {:.1} s",
        write_bound.as_secs_f64(),
        read_bound.as_secs_f64()
    );
    println!(
        "  makespan / bound          {:.2}",
        makespan.as_secs_f64() / bound.as_secs_f64().max(f64::EPSILON)
    );
}

fn main() {
    let args = parse_args();
    let all = args.sections.is_empty();
    let wants = |s: &str| all || args.sections.iter().any(|x| x == s);
    if wants("refresh") {
        refresh_bench(&args);
    }
    if wants("apply") {
        apply_bench(&args);
    }
}
