//! Random and mutated inputs never panic the compiler.
//!
//! Three generators: arbitrary text (mostly rejected by the parser), mutations of the real
//! example files (deleting, duplicating and swapping lines and characters), which reach the
//! evaluator and the checker with near-valid input, and a seeded slice of the whole-pipeline
//! harness (`fuzz_harness.rs`: every example and corpus case, structure-aware mutations,
//! through validate, lower and plan; `benches/fuzz.rs` runs a million of them).

use proptest::prelude::*;

use amlplan::lang::instantiate::Inputs;

fn compile_text(files: &[(String, String)]) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    let _ = amlplan::compile::compile(dir.path(), &Inputs::default());
}

fn example_files() -> Vec<(String, String)> {
    let dir = crate::support::repo().join("examples/fraud-detection");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("example dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "hcl"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    DeleteChar(usize),
    InsertChar(usize, char),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::DeleteChar),
        (
            any::<usize>(),
            prop::sample::select(vec![
                '{', '}', '"', '=', '[', ']', '.', '$', '\n', 'x', '0', '-', '#'
            ])
        )
            .prop_map(|(i, c)| Mutation::InsertChar(i, c)),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return text.to_string();
    }
    let n = lines.len();
    match m {
        Mutation::DeleteLine(i) => {
            lines.remove(i % n);
            lines.join("\n")
        }
        Mutation::DuplicateLine(i) => {
            let l = lines[i % n];
            lines.insert(i % n, l);
            lines.join("\n")
        }
        Mutation::SwapLines(a, b) => {
            lines.swap(a % n, b % n);
            lines.join("\n")
        }
        Mutation::DeleteChar(i) => {
            let chars: Vec<char> = text.chars().collect();
            let i = i % chars.len().max(1);
            chars
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| c)
                .collect()
        }
        Mutation::InsertChar(i, c) => {
            let mut chars: Vec<char> = text.chars().collect();
            let i = i % (chars.len() + 1);
            chars.insert(i, *c);
            chars.into_iter().collect()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "(?s).{0,400}") {
        compile_text(&[("main.hcl".into(), text)]);
    }

    #[test]
    fn hcl_like_text_never_panics(text in r#"([a-z_]{1,12}( "[a-z0-9-]{0,8}")? \{\n( *[a-z_]{1,10} = ("[a-z/._-]{0,12}"|[0-9]{1,3}|true|\[\]|var\.[a-z]{1,4}|[a-z_]{1,10}\.[a-z]{1,6}(\.[a-z_]{1,8})?)\n){0,5}\}\n){0,4}"#) {
        let text = format!("{}{text}", crate::support::AZURE);
        compile_text(&[("main.hcl".into(), text)]);
    }

    #[test]
    fn mutated_examples_never_panic(file in 0usize..16, mutations in prop::collection::vec(mutation(), 1..4)) {
        let mut files = example_files();
        let i = file % files.len();
        for m in &mutations {
            files[i].1 = apply(&files[i].1, m);
        }
        compile_text(&files);
    }
}

/// The first inputs of the harness's seed 1, through validate, lower and plan: no panic, and
/// the slice reaches every stage (so it is not all rejected by the parser).
#[test]
fn a_seeded_slice_of_the_whole_pipeline_never_panics() {
    // On an ordinary 8 MiB thread, as the evaluation bound is sized for (a test thread has
    // only 2 MiB; the binary runs on a far larger one).
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(run_the_seeded_slice)
        .expect("spawn the fuzz thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
}

fn run_the_seeded_slice() {
    use crate::fuzz_harness::{Pipeline, Reached, input, seeds};
    let seeds = seeds(&crate::support::repo());
    assert!(seeds.len() > 100, "examples and corpus: {}", seeds.len());
    let pipeline = Pipeline::new();
    let mut reached = std::collections::BTreeMap::new();
    for index in 0..SLICE {
        let input = input(&seeds, 1, index);
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pipeline.run(&input)));
        match run {
            Ok(stage) => *reached.entry(stage).or_insert(0) += 1,
            Err(_) => {
                let dir = crate::support::repo().join(format!("target/fuzz-failures/test-{index}"));
                let saved = crate::fuzz_harness::save(&input, "panicked", &dir);
                panic!(
                    "input {index} ({}) panicked: {} (saved: {saved:?} in {})",
                    input.seed,
                    input.mutations.join("; "),
                    dir.display()
                )
            }
        }
    }
    for stage in [Reached::Invalid, Reached::Planned] {
        assert!(
            reached.contains_key(&stage),
            "{stage:?} never reached: {reached:?}"
        );
    }
}

/// How many inputs the test suite runs (the bench runs a million).
const SLICE: u64 = 3_000;
