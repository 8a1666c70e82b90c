//! A bounded, seeded fuzz run over the whole pipeline (issue 9): mutated manifests from every
//! example and corpus case through validate, lower and plan against the mock provider, in
//! process (`tests/fuzz_harness.rs` builds the inputs and runs them).
//!
//! Run with `cargo bench --bench fuzz -- [--inputs N] [--seed S] [--timeout-ms MS]
//! [--chunk-size N] [--jobs N] [--out DIR]` (defaults: 1,000,000 inputs, seed 1, 2,000 ms,
//! 20,000 per chunk, 1 job, `target/fuzz-failures`).
//!
//! The parent splits the run into chunks and runs each in a child process (itself, with
//! `--chunk FIRST COUNT`), so an abort (a stack overflow, an allocation failure) kills only
//! its chunk: the parent counts it, saves the input that was running (the child writes each
//! index before running it) and re-spawns the rest of the chunk. In the child, each input
//! runs on a worker thread with an ordinary 8 MiB stack inside `catch_unwind`; the child waits
//! for it at most `--timeout-ms`, and an input that takes longer is a timeout (the worker is
//! abandoned and a new one started). The parent prints inputs, inputs/s, panics, timeouts and
//! aborts, how far the inputs got (invalid, not lowered, plan failed, planned), and the first
//! failing inputs, each saved with its mutations under `--out`.
//!
//! Last full run (seed 1, release, one job on two shared cores): 1,000,000 inputs in 639 s
//! (1,565 inputs/s); 0 panics, 0 timeouts, 0 aborts; 937,137 invalid, 307 not lowered, 64
//! plans refused, 62,492 planned; slowest input 294 ms.

#[path = "../tests/fuzz_harness.rs"]
mod fuzz_harness;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fuzz_harness::{Input, Pipeline, Reached, Seed, input, save, seeds};

struct Options {
    inputs: u64,
    seed: u64,
    timeout: Duration,
    chunk_size: u64,
    jobs: usize,
    out: PathBuf,
    chunk: Option<(u64, u64)>,
}

fn options() -> Options {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut o = Options {
        inputs: 1_000_000,
        seed: 1,
        timeout: Duration::from_millis(2_000),
        chunk_size: 20_000,
        jobs: 1,
        out: repo.join("target/fuzz-failures"),
        chunk: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize| -> u64 {
        args.get(i)
            .and_then(|v| v.replace('_', "").parse().ok())
            .unwrap_or_else(|| panic!("{} needs a number", args[i - 1]))
    };
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--inputs" => o.inputs = number(i + 1),
            "--seed" => o.seed = number(i + 1),
            "--timeout-ms" => o.timeout = Duration::from_millis(number(i + 1)),
            "--chunk-size" => o.chunk_size = number(i + 1).max(1),
            "--jobs" => o.jobs = number(i + 1).max(1) as usize,
            "--out" => o.out = PathBuf::from(args.get(i + 1).cloned().unwrap_or_default()),
            "--chunk" => {
                o.chunk = Some((number(i + 1), number(i + 2)));
                i += 1;
            }
            // `cargo bench` passes `--bench`; anything else is ignored likewise.
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    o
}

/// What a chunk (or the whole run) counted.
#[derive(Default, Clone)]
struct Tally {
    inputs: u64,
    panics: u64,
    timeouts: u64,
    aborts: u64,
    /// Invalid, not lowered, plan failed, planned.
    reached: [u64; 4],
    /// The slowest input that finished, in ms, and its index.
    slowest: (u128, u64),
    /// `kind index` of the first failures.
    failures: Vec<String>,
}

impl Tally {
    /// Counts one `RAN i MS OUTCOME` line.
    fn count(&mut self, ran: &str) {
        let mut parts = ran.splitn(4, ' ');
        let index: u64 = parts.next().and_then(|v| v.parse().ok()).unwrap_or(0);
        let ms: u128 = parts.next().and_then(|v| v.parse().ok()).unwrap_or(0);
        self.inputs += 1;
        match parts.next() {
            Some("panic") => {
                self.panics += 1;
                let dir = parts.next().unwrap_or_default();
                self.failures.push(format!("panic {index} {dir}"));
            }
            Some("timeout") => {
                self.timeouts += 1;
                let dir = parts.next().unwrap_or_default();
                self.failures.push(format!("timeout {index} {dir}"));
            }
            Some(stage) => {
                if let Some(n) = stage
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| self.reached.get_mut(i))
                {
                    *n += 1;
                }
                if ms > self.slowest.0 {
                    self.slowest = (ms, index);
                }
            }
            None => {}
        }
    }

    fn add(&mut self, other: &Tally) {
        self.inputs += other.inputs;
        self.panics += other.panics;
        self.timeouts += other.timeouts;
        self.aborts += other.aborts;
        for (a, b) in self.reached.iter_mut().zip(other.reached) {
            *a += b;
        }
        if other.slowest.0 > self.slowest.0 {
            self.slowest = other.slowest;
        }
        self.failures.extend(other.failures.iter().cloned());
    }
}

fn main() {
    let o = options();
    let seeds = seeds(Path::new(env!("CARGO_MANIFEST_DIR")));
    match o.chunk {
        Some((first, count)) => run_chunk(&o, &seeds, first, count),
        None => run_parent(&o, &seeds),
    }
}

/// A worker thread with an 8 MiB stack and its own pipeline, fed inputs one at a time.
struct Worker {
    send: mpsc::Sender<Arc<Input>>,
    results: mpsc::Receiver<Result<Reached, String>>,
}

impl Worker {
    fn start() -> Worker {
        let (send, inputs) = mpsc::channel::<Arc<Input>>();
        let (report, results) = mpsc::channel();
        std::thread::Builder::new()
            .name("fuzz-worker".into())
            .stack_size(8 * 1024 * 1024)
            .spawn(move || {
                let mut pipeline = Pipeline::new();
                for input in inputs {
                    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        pipeline.run(&input)
                    }));
                    let result = run.map_err(|payload| panic_message(&*payload));
                    if result.is_err() {
                        // What panicked may have left the engine half-way: start afresh.
                        pipeline = Pipeline::new();
                    }
                    if report.send(result).is_err() {
                        break;
                    }
                }
            })
            .expect("a worker thread");
        Worker { send, results }
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_else(|| "a panic".into())
}

/// Runs inputs `first..first + count`, printing `STARTED i` before each (so the parent knows
/// which input aborted the process, if one does) and `RAN i OUTCOME MS` after it.
fn run_chunk(o: &Options, seeds: &[Seed], first: u64, count: u64) {
    // Panic messages are collected with the inputs, not printed as they happen.
    let last_panic = Arc::new(Mutex::new(String::new()));
    let hook_panic = last_panic.clone();
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut last) = hook_panic.lock() {
            *last = info.to_string();
        }
    }));
    let mut out = std::io::stdout().lock();
    let mut worker = Worker::start();
    for index in first..first + count {
        let input = Arc::new(input(seeds, o.seed, index));
        let _ = writeln!(out, "STARTED {index}");
        let _ = out.flush();
        let started = Instant::now();
        if worker.send.send(input.clone()).is_err() {
            worker = Worker::start();
            let _ = worker.send.send(input.clone());
        }
        let outcome = match worker.results.recv_timeout(o.timeout) {
            Ok(Ok(reached)) => (reached as u8).to_string(),
            Ok(Err(message)) => {
                let hook = last_panic.lock().map(|m| m.clone()).unwrap_or_default();
                let dir = record(o, &input, index, "panic", &format!("{message}\n{hook}"));
                format!("panic {dir}")
            }
            Err(_) => {
                let why = format!("still running after {:?}", o.timeout);
                let dir = record(o, &input, index, "timeout", &why);
                worker = Worker::start();
                format!("timeout {dir}")
            }
        };
        let ms = started.elapsed().as_millis();
        let _ = writeln!(out, "RAN {index} {ms} {outcome}");
    }
    let _ = out.flush();
    // Abandoned workers may still be running: leave without waiting for them.
    std::process::exit(0);
}

/// Saves a failing input under `--out`; returns where.
fn record(o: &Options, input: &Input, index: u64, kind: &str, why: &str) -> String {
    let dir = o.out.join(format!("{kind}-{index}"));
    let _ = save(input, &format!("{kind}: {why}"), &dir);
    dir.display().to_string()
}

fn run_parent(o: &Options, seeds: &[Seed]) {
    let exe = std::env::current_exe().expect("the bench's own path");
    println!(
        "fuzz: {} inputs, seed {}, timeout {:?}, {} seeds, chunks of {}, {} job(s)",
        o.inputs,
        o.seed,
        o.timeout,
        seeds.len(),
        o.chunk_size,
        o.jobs
    );
    let chunks: Vec<(u64, u64)> = (0..o.inputs)
        .step_by(o.chunk_size as usize)
        .map(|first| (first, o.chunk_size.min(o.inputs - first)))
        .collect();
    let queue = Arc::new(Mutex::new(chunks));
    let total = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let threads: Vec<_> = (0..o.jobs)
        .map(|_| {
            let (queue, total, exe) = (queue.clone(), total.clone(), exe.clone());
            let o = Options {
                out: o.out.clone(),
                chunk: None,
                ..*o
            };
            std::thread::spawn(move || {
                loop {
                    let Some((first, count)) = queue.lock().expect("queue").pop() else {
                        break;
                    };
                    let tally = run_chunk_process(&o, &exe, first, count);
                    let mut t = total.lock().expect("total");
                    t.add(&tally);
                    println!(
                        "  {:>9} inputs, {:>7.0}/s: {} panics, {} timeouts, {} aborts",
                        t.inputs,
                        t.inputs as f64 / started.elapsed().as_secs_f64(),
                        t.panics,
                        t.timeouts,
                        t.aborts
                    );
                }
            })
        })
        .collect();
    for t in threads {
        let _ = t.join();
    }
    let t = total.lock().expect("total").clone();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "\ninputs {}, {:.1} s, {:.0} inputs/s\npanics {}, timeouts (> {:?}) {}, aborts {}",
        t.inputs,
        secs,
        t.inputs as f64 / secs,
        t.panics,
        o.timeout,
        t.timeouts,
        t.aborts
    );
    println!(
        "reached: invalid {}, not lowered {}, plan failed {}, planned {}; slowest input {} ms (#{})",
        t.reached[0], t.reached[1], t.reached[2], t.reached[3], t.slowest.0, t.slowest.1
    );
    let mut failures = t.failures.clone();
    failures.sort();
    for f in failures.iter().take(10) {
        println!("failure: {f}");
    }
}

/// Runs one chunk in a child process, re-spawned past an input that aborted it.
fn run_chunk_process(o: &Options, exe: &Path, first: u64, count: u64) -> Tally {
    let mut tally = Tally::default();
    let end = first + count;
    let mut next = first;
    while next < end {
        let mut child = Command::new(exe)
            .args(["--chunk", &next.to_string(), &(end - next).to_string()])
            .args(["--seed", &o.seed.to_string()])
            .args(["--timeout-ms", &o.timeout.as_millis().to_string()])
            .arg("--out")
            .arg(&o.out)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
        let mut running = None;
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(i) = line.strip_prefix("STARTED ") {
                    running = i.parse::<u64>().ok();
                } else if let Some(ran) = line.strip_prefix("RAN ") {
                    running = None;
                    tally.count(ran);
                }
            }
        }
        let status = child.wait().expect("the chunk process ends");
        match running {
            None if status.success() => next = end,
            _ => {
                let aborted = running.unwrap_or(next);
                let seeds = seeds(Path::new(env!("CARGO_MANIFEST_DIR")));
                let input = input(&seeds, o.seed, aborted);
                let dir = o.out.join(format!("abort-{aborted}"));
                let _ = save(&input, &format!("abort: {status}"), &dir);
                tally
                    .failures
                    .push(format!("abort {aborted} {}", dir.display()));
                tally.inputs += 1;
                tally.aborts += 1;
                next = aborted + 1;
            }
        }
    }
    tally
}
