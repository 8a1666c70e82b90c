//! The whole-pipeline fuzz harness, shared by the test suite (`tests/fuzz.rs`, a short seeded
//! slice) and the bounded run of `benches/fuzz.rs`.
//!
//! An input is a manifest directory from `examples/*` or `tests/corpus/*` with one to four
//! mutations applied to one of its `.hcl` files: line and character edits, and structure-aware
//! ones (a value replaced by one of another type, a huge string, deep nesting, a duplicated
//! block, a removed brace, two references swapped). Input `i` of seed `s` is always the same
//! input, so a failure found by a long run is rebuilt from its index alone.
//!
//! Each input goes through everything a command does short of writing: compile (validate),
//! render its diagnostics (human and JSON), lower, and plan against an empty mock cloud
//! through the engine, then render the plan. Files live in a [`MemoryFs`], so inputs cost no
//! disk I/O.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use amlplan::engine::lowered::Lowered;
use amlplan::engine::{Engine, StateConfig};
use amlplan::fs::MemoryFs;
use amlplan::lang::instantiate::Inputs;
use amlplan::plan::planner::PlanOptions;
use amlplan::provider::Provider;
use amlplan::provider::client::ClientOptions;
use amlplan::provider::emulator::{EmulatorOptions, MockCloud};
use amlplan::provider::mock::MockProvider;
use amlplan::render::human::Style;

/// Where inputs live in the in-memory file system: nothing is there on disk.
const ROOT: &str = "/amlplan-fuzz";

/// A manifest directory the mutations start from.
pub struct Seed {
    pub name: String,
    /// Paths relative to the manifest directory, with their bytes.
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

/// Every example and every corpus case, the examples first.
pub fn seeds(repo: &Path) -> Vec<Seed> {
    let mut seeds = Vec::new();
    for parent in ["examples", "tests/corpus"] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(repo.join(parent))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for path in entries {
            let name = format!(
                "{parent}/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            let mut files = Vec::new();
            if path.is_dir() {
                collect(&path, Path::new(""), &mut files);
            } else if path.extension().is_some_and(|e| e == "hcl") {
                files.push((
                    PathBuf::from("main.hcl"),
                    std::fs::read(&path).unwrap_or_default(),
                ));
            }
            if !files.is_empty() {
                files.sort();
                seeds.push(Seed { name, files });
            }
        }
    }
    seeds
}

fn collect(dir: &Path, relative: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = relative.join(entry.file_name());
        if path.is_dir() {
            collect(&path, &name, files);
        } else if let Ok(bytes) = std::fs::read(&path) {
            files.push((name, bytes));
        }
    }
}

/// SplitMix64: small, fast and fully determined by its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One fuzz input: a manifest directory and what was done to it.
pub struct Input {
    pub seed: String,
    pub files: Vec<(PathBuf, Vec<u8>)>,
    pub mutations: Vec<String>,
}

/// Input `index` of the run seeded with `seed`.
pub fn input(seeds: &[Seed], seed: u64, index: u64) -> Input {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    // Half the inputs start from an example: the corpus cases are invalid by design, and
    // only valid input reaches lowering and planning.
    let examples = seeds
        .iter()
        .filter(|s| s.name.starts_with("examples/"))
        .count();
    let chosen = if examples > 0 && rng.below(2) == 0 {
        &seeds[rng.below(examples)]
    } else {
        rng.pick(seeds)
    };
    let mut files = chosen.files.clone();
    let texts: Vec<usize> = files
        .iter()
        .enumerate()
        .filter(|(_, (p, b))| {
            p.extension().is_some_and(|e| e == "hcl") && std::str::from_utf8(b).is_ok()
        })
        .map(|(i, _)| i)
        .collect();
    let mut mutations = Vec::new();
    if !texts.is_empty() {
        let target = *rng.pick(&texts);
        let mut text = String::from_utf8_lossy(&files[target].1).into_owned();
        // Mostly one mutation: each is likely to make the manifest invalid, and inputs
        // that stay valid are the ones that reach lowering and planning.
        let count = *rng.pick(&[1, 1, 1, 1, 1, 1, 2, 2, 3, 4]);
        for _ in 0..count {
            let (mutated, what) = mutate(&text, &mut rng);
            text = mutated;
            mutations.push(format!("{}: {what}", files[target].0.display()));
        }
        files[target].1 = text.into_bytes();
    }
    Input {
        seed: chosen.name.clone(),
        files,
        mutations,
    }
}

/// Values of every type (and some ARM-looking strings) a value can be replaced by.
const VALUES: &[&str] = &[
    "true",
    "0",
    "-1",
    "1e308",
    "0.5",
    "\"\"",
    "\"x\"",
    "null",
    "[]",
    "{}",
    "[1, \"a\", true]",
    "{ a = 1, b = [2] }",
    "var.nope",
    "local.nope",
    "each.key",
    "count.index",
    "\"${var.env}\"",
    "toset([])",
    "\"PT1H\"",
    "\"Standard_DS3_v2\"",
    "\"/subscriptions/x/resourceGroups/y\"",
    "workspace.main",
    "[for x in [1, 2] : x]",
    "{ for k, v in {} : k => v }",
    "\"a\" == 1 ? 2 : \"3\"",
    "jsondecode(\"[[[[1]]]]\")",
];

const CHARS: &[char] = &[
    '{', '}', '"', '=', '[', ']', '.', '$', '\n', 'x', '0', '-', '#', '(', ')', ',', '\\', '*',
    '\0', 'é', '\u{202e}', '<', '%',
];

/// One mutation of `text`, and a description of it.
fn mutate(text: &str, rng: &mut Rng) -> (String, String) {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let n = lines.len();
    let assignments: Vec<usize> = (0..n).filter(|i| lines[*i].contains(" = ")).collect();
    let choice = rng.below(13);
    let described = match choice {
        0 => {
            let i = rng.below(n);
            lines.remove(i);
            format!("delete line {}", i + 1)
        }
        1 => {
            let i = rng.below(n);
            let line = lines[i].clone();
            lines.insert(i, line);
            format!("duplicate line {}", i + 1)
        }
        2 => {
            let (a, b) = (rng.below(n), rng.below(n));
            lines.swap(a, b);
            format!("swap lines {} and {}", a + 1, b + 1)
        }
        3 | 4 => {
            let mut chars: Vec<char> = text.chars().collect();
            let i = rng.below(chars.len() + 1);
            let c = *rng.pick(CHARS);
            chars.insert(i, c);
            return (chars.into_iter().collect(), format!("insert {c:?} at {i}"));
        }
        5 => {
            let mut chars: Vec<char> = text.chars().collect();
            if chars.is_empty() {
                return (String::new(), "nothing to delete".into());
            }
            let i = rng.below(chars.len());
            let c = chars.remove(i);
            return (chars.into_iter().collect(), format!("delete {c:?} at {i}"));
        }
        6 | 7 if !assignments.is_empty() => {
            let i = *rng.pick(&assignments);
            let value = *rng.pick(VALUES);
            set_value(&mut lines[i], value);
            format!("line {}: value {value}", i + 1)
        }
        8 if !assignments.is_empty() => {
            let i = *rng.pick(&assignments);
            let len = 1 << (10 + rng.below(7));
            set_value(&mut lines[i], &format!("\"{}\"", "x".repeat(len)));
            format!("line {}: a string of {len} bytes", i + 1)
        }
        9 if !assignments.is_empty() => {
            let i = *rng.pick(&assignments);
            let depth = 1 + rng.below(70);
            let (open, close) = *rng.pick(&[("[", "]"), ("(", ")"), ("{ k = ", " }")]);
            let value = lines[i].split_once(" = ").map(|(_, v)| v.to_string());
            let value = value.unwrap_or_default();
            set_value(
                &mut lines[i],
                &format!("{}{value}{}", open.repeat(depth), close.repeat(depth)),
            );
            format!("line {}: nested {depth} deep in {open}{close}", i + 1)
        }
        10 => {
            let starts: Vec<usize> = (0..n)
                .filter(|i| lines[*i].ends_with('{') && !lines[*i].starts_with(' '))
                .collect();
            if starts.is_empty() {
                return (text.to_string(), "no block to duplicate".into());
            }
            let start = *rng.pick(&starts);
            let end = (start..n).find(|i| lines[*i] == "}").unwrap_or(n - 1);
            let block: Vec<String> = lines[start..=end].to_vec();
            lines.extend(block);
            format!("duplicate the block at line {}", start + 1)
        }
        11 => {
            let braces: Vec<usize> = text
                .char_indices()
                .filter(|(_, c)| *c == '{' || *c == '}')
                .map(|(i, _)| i)
                .collect();
            if braces.is_empty() {
                return (text.to_string(), "no brace to remove".into());
            }
            let at = *rng.pick(&braces);
            let mut out = text.to_string();
            out.remove(at);
            return (out, format!("remove the brace at byte {at}"));
        }
        _ => {
            let references = references(text);
            if references.len() < 2 {
                return (text.to_string(), "no references to swap".into());
            }
            let a = rng.pick(&references).clone();
            let b = rng.pick(&references).clone();
            let out = text
                .replacen(&a, "\u{1}", 1)
                .replacen(&b, &a, 1)
                .replacen('\u{1}', &b, 1);
            return (out, format!("swap {a} and {b}"));
        }
    };
    (lines.join("\n") + "\n", described)
}

fn set_value(line: &mut String, value: &str) {
    if let Some((key, _)) = line.split_once(" = ") {
        *line = format!("{key} = {value}");
    }
}

/// The `name.attr` references of `text`, each once.
fn references(text: &str) -> Vec<String> {
    static PATTERN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\b[a-z_]+\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_]+)?").expect("a pattern")
    });
    let mut found: Vec<String> = PATTERN
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect();
    found.sort();
    found.dedup();
    found
}

/// How far an input got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reached {
    /// Compile reported errors.
    Invalid,
    /// It compiled, but lowering failed.
    NotLowered,
    /// Lowered; the plan was refused (an error from refresh or the planner).
    PlanFailed,
    /// Planned.
    Planned,
}

/// An engine over an empty mock cloud, reused from one input to the next (planning writes
/// nothing).
pub struct Pipeline {
    engine: Engine,
    provider: Arc<dyn Provider>,
    _state_dir: tempfile::TempDir,
}

impl Pipeline {
    pub fn new() -> Pipeline {
        let provider: Arc<dyn Provider> = Arc::new(MockProvider::over(
            MockCloud::new(EmulatorOptions::default()),
            ClientOptions::instant(),
        ));
        let state_dir = tempfile::tempdir().expect("a temp dir");
        let engine = Engine::open(
            provider.clone(),
            &StateConfig {
                path: state_dir.path().join("state.json"),
                lock_for: None,
            },
        )
        .expect("the engine starts");
        Pipeline {
            engine,
            provider,
            _state_dir: state_dir,
        }
    }

    /// Runs `input` through validate, lower and plan.
    pub fn run(&self, input: &Input) -> Reached {
        let root = Path::new(ROOT);
        let fs = MemoryFs::with_files(input.files.iter().map(|(p, b)| (root.join(p), b.clone())));
        amlplan::fs::with(Arc::new(fs), || {
            let compilation = amlplan::compile::compile(root, &Inputs::default());
            let style = Style {
                color: false,
                width: 100,
                max_shown: usize::MAX,
            };
            let _ = amlplan::render::human::render_all(
                &compilation.diagnostics,
                &compilation.sources,
                style,
            );
            let _ = amlplan::render::json::render(&compilation.diagnostics, &compilation.sources);
            if compilation.has_errors() {
                return Reached::Invalid;
            }
            let mut lowered = match Lowered::lower(
                root.to_path_buf(),
                Inputs::default(),
                compilation,
                Vec::new(),
                self.provider.defaults(),
            ) {
                Ok(lowered) => lowered,
                Err(failed) => {
                    let _ = amlplan::render::human::render_all(
                        &failed.errors,
                        &failed.compilation.sources,
                        style,
                    );
                    return Reached::NotLowered;
                }
            };
            match self
                .engine
                .plan_manifest(&mut lowered, PlanOptions::default())
            {
                Ok(plan) => {
                    let _ = amlplan::render::plan_human::render(&plan);
                    let _ = amlplan::render::plan_json::render(&plan, &lowered.compilation.sources);
                    if plan.errors.is_empty() {
                        Reached::Planned
                    } else {
                        Reached::PlanFailed
                    }
                }
                Err(_) => Reached::PlanFailed,
            }
        })
    }
}

/// Writes `input` (its files and what was done to them, plus `why`) under `dir`.
pub fn save(input: &Input, why: &str, dir: &Path) -> std::io::Result<()> {
    for (path, bytes) in &input.files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, bytes)?;
    }
    std::fs::write(
        dir.join("FUZZ.txt"),
        format!(
            "seed: {}\nmutations:\n  {}\n{why}\n",
            input.seed,
            input.mutations.join("\n  ")
        ),
    )
}
