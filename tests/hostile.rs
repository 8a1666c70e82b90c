//! Hostile input: each case once made amlplan panic, hang, take seconds or expose a file; each
//! must end with a coded diagnostic (or a correct result) and exit 0 or 1, never 101.

use std::time::{Duration, Instant};

use crate::support::{AZURE, amlplan, manifest, stderr};

fn assert_no_panic(out: &std::process::Output) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked") && out.status.code() != Some(101),
        "amlplan panicked: {err}"
    );
}

#[test]
fn a_diagnostic_past_column_65535_renders_cut_with_its_true_column() {
    let dir = manifest(&[("main.hcl", &format!("{}@\n", " ".repeat(65_536)))]);
    let out = amlplan(dir.path(), &["validate", "."]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("E0101"), "{err}");
    assert!(err.contains("main.hcl:1:65537"), "{err}");
    assert!(err.contains('…'), "the long line is cut: {err}");
    assert!(err.lines().all(|l| l.chars().count() < 400), "{err}");
}

#[test]
fn megabyte_values_get_bounded_suggestions_and_short_messages() {
    let big = "x".repeat(2_000_000);
    let text = format!(
        "{AZURE}workspace \"wsx\" {{}}\n\
         compute_cluster \"cpu\" {{\n  workspace = workspace.wsx\n  vm_size = \"{big}\"\n  max_nodes = 2\n}}\n\
         role_assignment \"r\" {{\n  scope = workspace.wsx\n  role = \"{big}\"\n  principal_id = \"00000000-0000-0000-0000-000000000001\"\n}}\n"
    );
    let dir = manifest(&[("main.hcl", &text)]);
    let started = Instant::now();
    let out = amlplan(dir.path(), &["validate", ".", "--format", "json"]);
    let took = started.elapsed();
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // About 1 s in a debug build on an idle machine; the unbounded suggestions took 9 s in a
    // release build (far more in debug). The margin is for a loaded machine running the
    // suite in parallel.
    assert!(took < Duration::from_secs(15), "took {took:?}");
    let json = crate::support::stdout(&out);
    assert!(json.contains("W0102") && json.contains("E0709"), "{json}");
    assert!(
        json.len() < 20_000,
        "the value is not echoed whole: {} bytes",
        json.len()
    );
}

#[test]
fn the_mock_cloud_file_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = manifest(&[("main.hcl", &format!("{AZURE}workspace \"wsx\" {{}}\n"))]);
    let out = amlplan(dir.path(), &["apply", ".", "-auto-approve"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mode = std::fs::metadata(dir.path().join(".amlplan/mock-cloud.json"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn an_unknown_mock_option_is_a_coded_error_naming_it() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}workspace \"wsx\" {{}}\n"))]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_amlplan"))
        .args(["plan", "."])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("AMLPLAN_MOCK_OPTIONS", r#"{"latency_ms": 400}"#)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("E0910") && err.contains("latency_ms"), "{err}");
    assert!(err.contains("latency"), "names the known keys: {err}");
}

/// Which of amlplan's output pipes has its reading end closed before amlplan writes.
#[derive(Clone, Copy)]
enum Closed {
    Stdout,
    Stderr,
}

/// Runs amlplan with one output a pipe nobody reads any more.
fn run_with_closed(pipe: Closed, dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_amlplan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    match pipe {
        Closed::Stdout => drop(child.stdout.take()),
        Closed::Stderr => drop(child.stderr.take()),
    }
    child.wait_with_output().unwrap()
}

fn run_with_closed_stdout(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    run_with_closed(Closed::Stdout, dir, args)
}

fn a_workspace_and_cluster() -> tempfile::TempDir {
    manifest(&[(
        "main.hcl",
        &format!(
            "{AZURE}workspace \"wsx\" {{}}\n\
             compute_cluster \"cpu\" {{\n  workspace = workspace.wsx\n  vm_size = \"Standard_DS3_v2\"\n  max_nodes = 2\n}}\n\
             output \"ws\" {{\n  value = workspace.wsx.name\n}}\n"
        ),
    )])
}

#[test]
fn a_closed_stdout_ends_read_only_commands_quietly() {
    let dir = a_workspace_and_cluster();
    for args in [
        &["plan", "."][..],
        &["validate", ".", "--format", "json"],
        &["validate", "."],
        &["graph", "."],
        &["explain", "list"],
    ] {
        let open = amlplan(dir.path(), args);
        let out = run_with_closed_stdout(dir.path(), args);
        assert_no_panic(&out);
        // Ends as it would with stdout open: no signal, and the same exit code.
        assert_eq!(
            out.status.code(),
            open.status.code(),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(
            !stderr(&out).contains("Broken pipe"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn an_apply_with_a_closed_stdout_still_records_its_state() {
    let dir = a_workspace_and_cluster();
    let out = run_with_closed_stdout(dir.path(), &["apply", ".", "-auto-approve"]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let listed = amlplan(dir.path(), &["state", "list"]);
    let addresses = crate::support::stdout(&listed);
    assert!(
        addresses.contains("workspace.wsx") && addresses.contains("compute_cluster.cpu"),
        "{addresses}"
    );
    let out = run_with_closed_stdout(dir.path(), &["state", "list"]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_chain_of_5000_locals_evaluates_without_overflowing_the_stack() {
    let mut text = format!("{AZURE}output \"o\" {{\n  value = local.x0\n}}\nlocals {{\n");
    for i in 0..5_000 {
        text.push_str(&format!("  x{i} = local.x{}\n", i + 1));
    }
    text.push_str("  x5000 = 1\n}\n");
    let dir = manifest(&[("main.hcl", &text)]);
    let out = amlplan(dir.path(), &["validate", "."]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn one_hundred_thousand_nested_brackets_are_a_coded_syntax_error() {
    let text = format!(
        "{AZURE}locals {{\n  x = {}{}\n}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let dir = manifest(&[("main.hcl", &text)]);
    let out = amlplan(dir.path(), &["validate", "."]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0101"), "{}", stderr(&out));
}

/// The mock cloud is read only once the state lock is held: while another run holds the lock,
/// a plan stops at the lock (E0905) without reading the cloud file, which that run may be
/// rewriting (here it is unreadable garbage, which would be E0908 if it were read first).
#[test]
fn the_lock_is_taken_before_the_mock_cloud_is_read() {
    let dir = manifest(&[("main.hcl", &format!("{AZURE}workspace \"wsx\" {{}}\n"))]);
    std::fs::create_dir_all(dir.path().join(".amlplan")).unwrap();
    std::fs::write(
        dir.path().join(".amlplan/mock-cloud.json"),
        "{ half written",
    )
    .unwrap();
    let backend = amlplan::state::LocalBackend::new(dir.path().join(".amlplan/state.json"));
    let held = backend
        .lock(amlplan::state::LockInfo::new("amlplan apply"))
        .expect("the test takes the lock");
    let out = amlplan(dir.path(), &["plan", "."]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("E0905") && !err.contains("E0908"), "{err}");
    drop(held);
    // Once the lock is free, the same cloud file is read and refused.
    let out = amlplan(dir.path(), &["plan", "."]);
    assert!(stderr(&out).contains("E0908"), "{}", stderr(&out));
}

/// A conda file whose content goes into the request but cannot be read as text (here: not
/// UTF-8; as root, permissions would not stop the read) fails `validate`, not only `plan`.
#[test]
fn validate_reports_a_conda_file_that_cannot_be_read() {
    let dir = manifest(&[(
        "main.hcl",
        &format!(
            "{AZURE}workspace \"wsx\" {{}}\n\
             environment \"train\" {{\n  workspace = workspace.wsx\n  version = \"1\"\n  image = \"mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04\"\n  conda_file = \"conda.yml\"\n}}\n"
        ),
    )]);
    std::fs::write(dir.path().join("conda.yml"), b"name: x\n\xff\xfe\n").unwrap();
    let out = amlplan(dir.path(), &["validate", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("E0102") && err.contains("cannot be read"),
        "{err}"
    );
    std::fs::write(dir.path().join("conda.yml"), "name: x\n").unwrap();
    let out = amlplan(dir.path(), &["validate", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Inputs at the edges of what a file can be: each ends with a coded diagnostic and exit 1.
#[test]
fn odd_files_give_coded_diagnostics() {
    let utf8 = manifest(&[]);
    std::fs::write(utf8.path().join("main.hcl"), b"azure {}\n\xff\xfe = 1\n").unwrap();
    let nul = manifest(&[("main.hcl", &format!("{AZURE}workspace \"a\0b\" {{}}\n"))]);
    let dir_named_hcl = manifest(&[]);
    std::fs::create_dir_all(dir_named_hcl.path().join("x.hcl")).unwrap();
    let symlink_loop = manifest(&[]);
    std::os::unix::fs::symlink("self.hcl", symlink_loop.path().join("self.hcl")).unwrap();
    std::os::unix::fs::symlink(".", symlink_loop.path().join("sub.hcl")).unwrap();
    for (dir, code) in [
        (&utf8, "E0102"),
        (&nul, "E0507"),
        (&dir_named_hcl, "E0103"),
        (&symlink_loop, "E0103"),
    ] {
        let out = amlplan(dir.path(), &["validate", "."]);
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains(code), "{code}: {}", stderr(&out));
    }
}

/// Compiles `files` in-process on a thread with an ordinary 8 MiB stack (not the 256 MiB
/// thread `main` runs commands on), and returns the codes reported, de-duplicated.
fn codes_on_an_8_mib_stack(files: Vec<(String, String)>) -> Vec<String> {
    std::thread::Builder::new()
        .stack_size(8 * 1024 * 1024)
        .spawn(move || {
            let dir = tempfile::tempdir().expect("temp dir");
            for (name, text) in &files {
                let path = dir.path().join(name);
                std::fs::create_dir_all(path.parent().expect("a parent")).expect("dirs");
                std::fs::write(path, text).expect("write");
            }
            let compilation = amlplan::compile::compile(
                dir.path(),
                &amlplan::lang::instantiate::Inputs::default(),
            );
            let mut codes: Vec<String> = compilation
                .diagnostics
                .iter()
                .map(|d| d.code.as_str().to_string())
                .collect();
            codes.sort();
            codes.dedup();
            codes
        })
        .expect("a thread")
        .join()
        .expect("no panic")
}

fn main_hcl(text: String) -> Vec<(String, String)> {
    vec![("main.hcl".to_string(), format!("{AZURE}{text}"))]
}

/// Every kind of depth a manifest can have ends with a result or a coded diagnostic on an
/// ordinary 8 MiB stack: the bounds do not rely on the 256 MiB thread of `main`.
#[test]
fn deep_input_ends_with_a_result_or_a_code_on_an_8_mib_stack() {
    let attr = |value: String| main_hcl(format!("locals {{\n  x = {value}\n}}\n"));
    let brackets = attr(format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)));
    let parentheses = attr(format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000)));
    let terms = attr(vec!["1"; 200_000].join(" + "));
    // As deep as one expression may be: 63 levels, 128 operators.
    let deepest = attr(format!(
        "{}{}{}",
        "[".repeat(63),
        vec!["1"; 129].join(" + "),
        "]".repeat(63)
    ));

    let mut locals = String::from("output \"o\" {\n  value = local.x0\n}\nlocals {\n");
    for i in 0..20_000 {
        locals.push_str(&format!("  x{i} = local.x{}\n", i + 1));
    }
    locals.push_str("  x20000 = 1\n}\n");

    // Module calls whose inputs read the next call's output.
    let mut outputs = String::from("output \"o\" {\n  value = module.m0.out\n}\n");
    for i in 0..300 {
        outputs.push_str(&format!(
            "module \"m{i}\" {{\n  source = \"./pass\"\n  in = module.m{}.out\n}}\n",
            i + 1
        ));
    }
    outputs.push_str("module \"m300\" {\n  source = \"./pass\"\n  in = 1\n}\n");
    let mut outputs = main_hcl(outputs);
    outputs.push((
        "pass/main.hcl".to_string(),
        "variable \"in\" {}\noutput \"out\" {\n  value = var.in\n}\n".to_string(),
    ));

    // Module directories each calling the next, passing nothing (found and checked for
    // self-inclusion without recursion; instantiated up to the bound).
    let mut directories = main_hcl("module \"m\" {\n  source = \"./d0\"\n}\n".to_string());
    for i in 0..1_000 {
        directories.push((
            format!("d{i}/main.hcl"),
            format!("module \"m\" {{\n  source = \"../d{}\"\n}}\n", i + 1),
        ));
    }
    directories.push((
        "d300/main.hcl".to_string(),
        "locals {\n  x = 1\n}\n".to_string(),
    ));

    // Resources each repeated over the next one.
    let mut shapes = String::new();
    for i in 0..300 {
        shapes.push_str(&format!(
            "workspace \"ws-{i}\" {{\n  for_each = workspace.ws-{}\n}}\n",
            i + 1
        ));
    }
    shapes.push_str("workspace \"ws-300\" {\n  for_each = toset([\"a\"])\n}\n");

    // Locals each wrapping the one before in a list: deep values, no nested evaluation.
    let mut wrapped = String::from("locals {\n  w0 = 1\n");
    for i in 1..=1_000 {
        wrapped.push_str(&format!("  w{i} = [local.w{}]\n", i - 1));
    }
    wrapped.push_str("}\n");

    for (name, files, expected) in [
        ("100,000 brackets", brackets, &["E0101"][..]),
        ("100,000 parentheses", parentheses, &["E0101"]),
        ("200,000 terms", terms, &["E0101"]),
        ("the deepest expression", deepest, &[]),
        ("20,000 chained locals", main_hcl(locals), &[]),
        ("300 chained module outputs", outputs, &["E0312"]),
        ("1,000 nested module directories", directories, &["E0312"]),
        ("300 chained for_each", main_hcl(shapes), &["E0312"]),
        ("1,000 wrapping locals", main_hcl(wrapped), &["E0313"]),
    ] {
        assert_eq!(codes_on_an_8_mib_stack(files), expected, "{name}");
    }
}

fn run_with_closed_stderr(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    run_with_closed(Closed::Stderr, dir, args)
}

/// Runs amlplan with no stderr at all (`2>&-`).
fn run_without_stderr(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg("exec \"$0\" \"$@\" 2>&-")
        .arg(env!("CARGO_BIN_EXE_amlplan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_closed_stderr_changes_only_what_is_seen() {
    let failing = manifest(&[(
        "main.hcl",
        &format!("{AZURE}workspace \"wsx\" {{\n  colour = \"blue\"\n}}\n"),
    )]);
    let valid = a_workspace_and_cluster();
    for (dir, args, code) in [
        (&failing, &["validate", "."][..], 1),
        (&failing, &["plan", "."], 1),
        (&valid, &["validate", "."], 0),
        (&valid, &["explain", "E0312"], 0),
    ] {
        for run in [run_with_closed_stderr, run_without_stderr] {
            let out = run(dir.path(), args);
            assert_eq!(out.status.code(), Some(code), "{args:?}");
        }
    }
    // An apply reports its progress on stderr: with stderr gone it still applies and records.
    let out = run_with_closed_stderr(valid.path(), &["apply", ".", "-auto-approve"]);
    assert_eq!(out.status.code(), Some(0));
    let listed = crate::support::stdout(&amlplan(valid.path(), &["state", "list"]));
    assert!(listed.contains("compute_cluster.cpu"), "{listed}");
}

#[test]
fn an_unreadable_manifest_file_is_a_coded_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = manifest(&[
        ("main.hcl", &format!("{AZURE}workspace \"wsx\" {{}}\n")),
        ("secret.hcl", "locals {\n  x = 1\n}\n"),
    ]);
    let secret = dir.path().join("secret.hcl");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = if std::fs::read(&secret).is_err() {
        amlplan(dir.path(), &["validate", "."])
    } else {
        // Running as root, which reads anything: run as nobody where setpriv can, else skip.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let as_nobody = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_amlplan"))
            .args(["validate", "."])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output();
        match as_nobody {
            Ok(out) if out.status.code() != Some(127) && !stderr(&out).contains("setpriv:") => out,
            _ => return,
        }
    };
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("E0102") && err.contains("secret.hcl"), "{err}");
}

#[test]
fn ten_thousand_files_in_one_directory_validate_with_the_right_counts() {
    let dir = manifest(&[("main.hcl", AZURE)]);
    for i in 0..10_000 {
        let body = if i % 2_500 == 7 {
            // Four of them misspell an attribute.
            "  colour = \"blue\"\n"
        } else {
            ""
        };
        std::fs::write(
            dir.path().join(format!("ws{i:05}.hcl")),
            format!("workspace \"ws-{i:05}\" {{\n{body}}}\n"),
        )
        .unwrap();
    }
    let out = amlplan(dir.path(), &["validate", "."]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("validation failed: 4 errors"), "{err}");
    for i in [7, 2_507, 5_007, 7_507] {
        assert!(err.contains(&format!("ws{i:05}.hcl:2")), "{i}: {err}");
    }
    for i in 0..10_000 {
        if i % 2_500 == 7 {
            std::fs::write(
                dir.path().join(format!("ws{i:05}.hcl")),
                format!("workspace \"ws-{i:05}\" {{}}\n"),
            )
            .unwrap();
        }
    }
    let out = amlplan(dir.path(), &["validate", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        crate::support::stdout(&out).contains("The manifest is valid: 10000 resources"),
        "{}",
        crate::support::stdout(&out)
    );
}

/// `eprint!` panics on a closed stderr: the commands write through `render::stderr` only
/// (unit tests, which print for the developer, may use it).
#[test]
fn nothing_but_unit_tests_uses_eprint() {
    fn visit(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                visit(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("tests.rs")
                && !path.ends_with("render/stderr.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                if text.contains("eprint!(") || text.contains("eprintln!(") {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    let mut found = Vec::new();
    visit(&crate::support::repo().join("src"), &mut found);
    assert!(found.is_empty(), "eprint! in {found:?}");
}

/// A 100 MB manifest (a million comment lines between two blocks) validates, and the
/// diagnostic at its end has its true line.
#[test]
fn a_100_mb_file_validates_with_its_true_line_numbers() {
    let line = format!("# {}\n", "x".repeat(97));
    let count = (100 << 20) / line.len();
    let mut text = format!("{AZURE}workspace \"big-one\" {{\n}}\n");
    let before = text.lines().count();
    text.push_str(&line.repeat(count));
    text.push_str("workspace \"w\" {\n}\n");
    assert!(text.len() >= 100 << 20);
    let dir = manifest(&[("main.hcl", &text)]);
    drop(text);
    let out = amlplan(dir.path(), &["validate", ".", "--format", "json"]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "E0507", "{json}");
    assert_eq!(d["line"], before + count + 1, "{json}");
}
