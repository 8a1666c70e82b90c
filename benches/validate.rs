//! Benchmark of `amlplan validate` on a generated manifest of ~10,000 resource entries.
//!
//! Run with `cargo build --release && cargo bench --bench validate`. It measures, best of
//! [`RUNS`] runs each:
//!
//! a. raw HCL parsing (`hcl_edit::parser::parse_body` over every file's text, in memory);
//! b. `amlplan::compile::compile` in-process (load + evaluate + check), asserting that the
//!    manifest compiles without a single diagnostic;
//! c. the release binary end to end (`target/release/amlplan validate DIR`), with its peak
//!    RSS (from `/usr/bin/time -v`, else by polling `/proc/PID/status` VmHWM);
//!
//! and the stages of (b) separately (`load_modules`, `evaluate`, `check` and the parts of
//! `check` that are public), so a regression can be located; and
//!
//! d. the release binary on a 64,000-line manifest with 2,000 errors, every one rendered
//!    (`--max-errors 0`): rendering must cost O(diagnostics + source), not their product;
//! e. the security review beyond compiling: lowering (`arm::lower::lower`, which the review
//!    reads conda files and implicit resources from) and `review::review` itself (every rule,
//!    suppressions and the egress report; the target is under 50 ms).
//!
//! Options (after `--`): `--generate DIR` only writes the manifest into DIR;
//! `--workspaces N` scales the manifest; `--runs N` changes the number of runs.

mod generate;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use amlplan::azure::names;
use amlplan::check::schema::{Context, SchemaChecker};
use amlplan::compile::compile;
use amlplan::diagnostic::Diagnostics;
use amlplan::lang::instantiate::{self, Inputs};
use amlplan::source::Sources;

use generate::{Generated, Shape};

const RUNS: usize = 7;

/// Runs `f` `runs` times and returns the fastest run's time and the last result.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        // Free the previous run's result first, so every run starts from the same heap
        // (keeping it alive would make each run fault in fresh pages).
        drop(last.take());
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed());
        last = Some(black_box(out));
    }
    (best, last.expect("at least one run"))
}

/// Times a stage that needs fresh inputs each run: `setup` is not timed, `f` is.
fn best_of_with<S, T>(
    runs: usize,
    mut setup: impl FnMut() -> S,
    mut f: impl FnMut(S) -> T,
) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let input = setup();
        let start = Instant::now();
        let out = f(input);
        best = best.min(start.elapsed());
        drop(black_box(out));
    }
    best
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

struct Args {
    generate_only: Option<PathBuf>,
    shape: Shape,
    runs: usize,
}

fn parse_args() -> Args {
    let mut args = Args {
        generate_only: None,
        shape: Shape::default(),
        runs: RUNS,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            // Passed by `cargo bench` to every bench binary.
            "--bench" => {}
            "--generate" => args.generate_only = it.next().map(PathBuf::from),
            "--workspaces" => {
                args.shape.workspaces = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--workspaces N")
            }
            "--runs" => {
                args.runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .expect("--runs N")
            }
            // A name filter from `cargo bench -- FILTER`: there is only one benchmark.
            _ => {}
        }
    }
    args
}

fn main() {
    let args = parse_args();
    if let Some(dir) = &args.generate_only {
        std::fs::create_dir_all(dir).expect("create the output directory");
        let g = generate::write_manifest(dir, &args.shape).expect("write the manifest");
        println!(
            "wrote {} files, {:.2} MB, {} resources ({} entries with outbound rules) to {}",
            g.files.len(),
            g.bytes as f64 / 1e6,
            g.resources,
            g.entries,
            dir.display()
        );
        return;
    }

    let tmp = tempfile::tempdir().expect("create a temporary directory");
    let dir = tmp.path();
    let generated = generate::write_manifest(dir, &args.shape).expect("write the manifest");
    let runs = args.runs;

    // a. Raw parse of every file's text, already in memory.
    let texts: Vec<String> = generated
        .files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read a generated file"))
        .collect();
    let (parse, _) = best_of(runs, || {
        texts
            .iter()
            .map(|t| hcl_edit::parser::parse_body(t).expect("generated HCL parses"))
            .collect::<Vec<_>>()
    });

    // b. The whole compiler pipeline, in-process.
    let inputs = Inputs::default();
    let (compile_time, compilation) = best_of(runs, || compile(dir, &inputs));
    let resources = compilation.manifest.resources.len();
    if !compilation.diagnostics.is_empty() {
        eprint!(
            "{}",
            amlplan::render::human::render_all(
                &compilation.diagnostics[..compilation.diagnostics.len().min(20)],
                &compilation.sources,
                amlplan::render::human::Style::plain(),
            )
        );
        panic!(
            "the generated manifest has {} diagnostics (first 20 above)",
            compilation.diagnostics.len()
        );
    }
    assert_eq!(
        resources, generated.resources,
        "the compiled manifest has a different number of resources than generated"
    );
    review_part(&compilation, runs);
    drop(compilation);

    // c. The release binary end to end.
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/amlplan");
    let binary_result = if binary.is_file() {
        Some(run_binary(&binary, dir, runs))
    } else {
        None
    };

    // Stages of (b).
    let stages = stages(dir, runs);

    print_table(
        &generated,
        resources,
        runs,
        parse,
        compile_time,
        &binary_result,
    );
    if binary_result.is_none() {
        println!(
            "\nnote: {} is missing; build it with `cargo build --release` to measure the binary",
            binary.display()
        );
    }
    print_stages(&stages, parse, compile_time);
    if binary.is_file() {
        many_diagnostics(&binary, runs);
    }
}

/// e. The security review of the compiled manifest: lowering, then the review alone.
fn review_part(compilation: &amlplan::compile::Compilation, runs: usize) {
    let (lower_time, desired) = best_of(runs, || {
        compilation
            .reading(|| amlplan::arm::lower::lower(&compilation.manifest, &compilation.sources))
            .expect("the generated manifest lowers")
    });
    let (review_time, review) = best_of(runs, || {
        amlplan::review::review(&compilation.manifest, &desired, &compilation.sources)
    });
    println!(
        "\ne. review: lowering {} ({} entries), review {} ({} findings, {} workspaces in the egress report)",
        ms(lower_time),
        desired.len(),
        ms(review_time),
        review.findings.len(),
        review.egress.len()
    );
}

/// d. 2,000 errors in one 64,000-line file, all rendered.
fn many_diagnostics(binary: &Path, runs: usize) {
    let tmp = tempfile::tempdir().expect("create a temporary directory");
    let mut text = String::from(
        "azure {\n  subscription_id = \"00000000-0000-0000-0000-000000000000\"\n  resource_group  = \"rg\"\n  location        = \"eastus\"\n}\n\nworkspace \"wsp\" {\n}\n",
    );
    let mut errors = 0;
    let mut lines = text.lines().count();
    let mut i = 0;
    while lines < 64_000 {
        // Every fifth cluster's name holds an underscore (E0507), up to 2,000; six lines
        // each, so the file reaches 64,000 lines with all 2,000 errors in it.
        let name = if i % 5 == 0 && errors < 2_000 {
            errors += 1;
            format!("bad_{i}")
        } else {
            // Not `cluster-{i}`: a compute name may not end in a hyphen and digits.
            format!("cluster{i}x")
        };
        let block = format!(
            "compute_cluster \"{name}\" {{\n  workspace = workspace.wsp\n  vm_size   = \"Standard_DS3_v2\"\n  max_nodes = 4\n}}\n\n"
        );
        lines += block.matches('\n').count();
        text.push_str(&block);
        i += 1;
    }
    std::fs::write(tmp.path().join("main.hcl"), &text).expect("write the manifest");
    let (wall, out) = best_of(runs, || {
        Command::new(binary)
            .args(["validate", "--max-errors", "0"])
            .arg(tmp.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("run the amlplan binary")
    });
    let stderr = String::from_utf8_lossy(&out.stderr);
    let shown = stderr.lines().filter(|l| *l == "E0507").count();
    println!(
        "\nd. {} lines, {shown} of {errors} E0507 errors rendered: binary {:.0} ms",
        text.lines().count(),
        wall.as_secs_f64() * 1e3
    );
}

struct BinaryResult {
    wall: Duration,
    peak_rss_kb: Option<u64>,
    rss_source: &'static str,
}

fn run_binary(binary: &Path, dir: &Path, runs: usize) -> BinaryResult {
    let run = || {
        let out = Command::new(binary)
            .arg("validate")
            .arg(dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("run the amlplan binary");
        assert!(
            out.status.success(),
            "amlplan validate failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "amlplan validate printed diagnostics:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let (wall, out) = best_of(runs, run);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("The manifest is valid"),
        "unexpected output: {stdout}"
    );
    let (peak_rss_kb, rss_source) = match peak_rss_time(binary, dir) {
        Some(kb) => (Some(kb), "/usr/bin/time -v"),
        None => (peak_rss_proc(binary, dir), "/proc VmHWM"),
    };
    BinaryResult {
        wall,
        peak_rss_kb,
        rss_source,
    }
}

/// Peak RSS in KiB from `/usr/bin/time -v`, if it is installed.
fn peak_rss_time(binary: &Path, dir: &Path) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    if !time.is_file() {
        return None;
    }
    let out = Command::new(time)
        .arg("-v")
        .arg(binary)
        .arg("validate")
        .arg(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())
}

/// Peak RSS in KiB by polling `/proc/PID/status` while the process runs. It may miss a
/// short final spike, so it is a lower bound.
fn peak_rss_proc(binary: &Path, dir: &Path) -> Option<u64> {
    let mut child = Command::new(binary)
        .arg("validate")
        .arg(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = None;
    loop {
        // VmHWM is the high-water mark, so the last successful read before exit is the best.
        if let Ok(status) = std::fs::read_to_string(&status_path)
            && let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = Some(peak.map_or(kb, |p: u64| p.max(kb)));
        }
        if child.try_wait().ok()?.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    peak
}

struct Stages {
    load: Duration,
    drop_ast: Duration,
    evaluate: Duration,
    decls: Duration,
    check: Duration,
    check_schema: Duration,
    check_names: Duration,
    check_rules: Duration,
    check_graph: Duration,
}

/// The stages of `compile`, each the best of `runs`, on fresh inputs.
fn stages(dir: &Path, runs: usize) -> Stages {
    let inputs = Inputs::default();
    let load = best_of_with(
        runs,
        || (),
        |()| {
            let mut sources = Sources::new();
            let mut diags = Diagnostics::new();
            let m = instantiate::load_modules(dir, dir, &mut sources, &mut diags);
            assert!(diags.is_empty());
            (m, sources)
        },
    );
    let loaded = || {
        let mut sources = Sources::new();
        let mut diags = Diagnostics::new();
        let m = instantiate::load_modules(dir, dir, &mut sources, &mut diags);
        (m, sources, diags)
    };
    // `compile` drops the parsed files (the hcl-edit syntax trees) before it returns.
    let drop_ast = best_of_with(runs, loaded, drop);
    let decls = best_of_with(runs, loaded, |(m, _sources, mut diags)| {
        let d = amlplan::lang::decls::collect(&m[0].files, &mut diags);
        assert!(diags.is_empty());
        let n = d.resources.len();
        drop(d);
        (m, n)
    });
    let evaluate = best_of_with(runs, loaded, |(m, mut sources, mut diags)| {
        let manifest = instantiate::evaluate(&m, &inputs, &mut sources, &mut diags);
        assert!(diags.is_empty());
        (manifest, m, sources)
    });
    let evaluated = || {
        let (m, mut sources, mut diags) = loaded();
        let manifest = instantiate::evaluate(&m, &inputs, &mut sources, &mut diags);
        (manifest, sources)
    };
    let check = best_of_with(runs, evaluated, |(manifest, sources)| {
        let mut diags = Diagnostics::new();
        amlplan::check::check(&manifest, &sources, &mut diags);
        assert!(diags.is_empty());
        (manifest, sources)
    });
    let (manifest, sources) = evaluated();
    let (check_schema, _) = best_of(runs, || {
        let mut diags = Diagnostics::new();
        let mut checker = SchemaChecker {
            sources: &sources,
            diags: &mut diags,
        };
        for r in &manifest.resources {
            checker.check_body(
                &r.body,
                &r.schema.body,
                Context::Resource(r.schema),
                r.header_span(),
            );
        }
        diags
    });
    let (check_names, _) = best_of(runs, || {
        manifest
            .resources
            .iter()
            .filter(|r| names::check_name(r.schema.name_rule, &r.name).is_err())
            .count()
    });
    let (check_rules, _) = best_of(runs, || {
        let mut diags = Diagnostics::new();
        amlplan::check::rules::check(&manifest, &sources, &mut diags);
        diags
    });
    let (check_graph, _) = best_of(runs, || {
        let mut diags = Diagnostics::new();
        let graph = amlplan::graph::DepGraph::build(&manifest);
        graph.report_cycles(&manifest, &mut diags);
        graph.report_bad_depends_on(&manifest, &mut diags);
        diags
    });
    Stages {
        load,
        drop_ast,
        evaluate,
        decls,
        check,
        check_schema,
        check_names,
        check_rules,
        check_graph,
    }
}

fn print_table(
    g: &Generated,
    resources: usize,
    runs: usize,
    parse: Duration,
    compile: Duration,
    binary: &Option<BinaryResult>,
) {
    let rows: Vec<(&str, String)> = vec![
        (
            "manifest size",
            format!("{:.2} MB in {} files", g.bytes as f64 / 1e6, g.files.len()),
        ),
        (
            "resources",
            format!("{resources} ({} entries with outbound rules)", g.entries),
        ),
        ("raw parse (hcl-edit)", ms(parse)),
        ("compile (in-process)", ms(compile)),
        (
            "compile / parse",
            format!("{:.2}x", compile.as_secs_f64() / parse.as_secs_f64()),
        ),
        (
            "binary wall time",
            binary.as_ref().map_or("skipped".into(), |b| ms(b.wall)),
        ),
        (
            "binary / compile",
            binary.as_ref().map_or("skipped".into(), |b| {
                format!("{:.2}x", b.wall.as_secs_f64() / compile.as_secs_f64())
            }),
        ),
        (
            "binary peak RSS",
            binary
                .as_ref()
                .map_or("skipped".into(), |b| match b.peak_rss_kb {
                    Some(kb) => format!("{:.1} MB ({})", kb as f64 / 1024.0, b.rss_source),
                    None => "unavailable".into(),
                }),
        ),
    ];
    println!("\namlplan validate benchmark (best of {runs} runs each)");
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    println!("{:-<1$}", "", width + 32);
    for (k, v) in rows {
        println!("{k:<width$}  {v}");
    }
    println!("{:-<1$}", "", width + 32);
}

fn print_stages(s: &Stages, parse: Duration, compile: Duration) {
    let pct = |d: Duration| 100.0 * d.as_secs_f64() / compile.as_secs_f64();
    let check_rest = s
        .check
        .saturating_sub(s.check_schema + s.check_names + s.check_rules + s.check_graph);
    let load_other = s.load.saturating_sub(parse);
    let eval_rest = s.evaluate.saturating_sub(s.decls);
    let accounted = s.load + s.drop_ast + s.evaluate + s.check;
    println!("\nstages of compile (each best of its runs; % of compile)");
    let rows = [
        ("load_modules", s.load),
        ("  of which hcl-edit parse", parse.min(s.load)),
        ("  of which read, spans, rest", load_other),
        ("drop of the syntax trees", s.drop_ast),
        ("evaluate", s.evaluate),
        ("  decls::collect", s.decls),
        ("  variables, resources, rest", eval_rest),
        ("check", s.check),
        ("  schema checks (check_body)", s.check_schema),
        ("  name rules", s.check_names),
        ("  check::rules::check", s.check_rules),
        ("  graph build + cycle checks", s.check_graph),
        ("  duplicates, lifecycle, rest", check_rest),
        ("sum of the stages above", accounted),
        (
            "compile - sum (sort, overhead)",
            compile.saturating_sub(accounted),
        ),
    ];
    for (name, d) in rows {
        println!("{name:<30}  {:>10}  {:>5.1}%", ms(d), pct(d));
    }
}
