//! End-to-end tests of the command line: exit codes, formats, variables, explain,
//! completions.

use crate::support::{AZURE, amlplan, manifest, repo, stderr, stdout};

const ENV_VAR: &str = r#"
variable "env" {
  type    = string
  default = "dev"
}
output "env" {
  value = var.env
}
workspace "fraud-ws" {
  friendly_name = var.env
}
"#;

fn friendly_name(dir: &std::path::Path, args: &[&str], env: Option<&str>) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_amlplan"));
    cmd.args(["validate", ".", "--format", "json"])
        .args(args)
        .current_dir(dir);
    cmd.env_remove("AMLPLAN_VAR_env");
    if let Some(v) = env {
        cmd.env("AMLPLAN_VAR_env", v);
    }
    let out = cmd.output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let inputs = amlplan::lang::instantiate::Inputs {
        env: env
            .map(|v| vec![("env".to_string(), v.to_string())])
            .unwrap_or_default(),
        var_files: args
            .windows(2)
            .filter(|w| w[0] == "--var-file")
            .map(|w| dir.join(w[1]))
            .collect(),
        vars: args
            .windows(2)
            .filter(|w| w[0] == "--var")
            .map(|w| {
                let (n, v) = w[1].split_once('=').unwrap();
                (n.to_string(), v.to_string())
            })
            .collect(),
        known: Default::default(),
    };
    let c = amlplan::compile::compile(dir, &inputs);
    c.manifest.resources[0]
        .body
        .str("friendly_name")
        .unwrap()
        .to_string()
}

#[test]
fn variable_precedence_default_env_file_cli() {
    let dir = manifest(&[
        ("main.hcl", &format!("{AZURE}{ENV_VAR}")),
        ("vars/prod.hcl", "env = \"from-file\"\n"),
    ]);
    let d = dir.path();
    assert_eq!(friendly_name(d, &[], None), "dev");
    assert_eq!(friendly_name(d, &[], Some("from-env")), "from-env");
    assert_eq!(
        friendly_name(d, &["--var-file", "vars/prod.hcl"], Some("from-env")),
        "from-file"
    );
    assert_eq!(
        friendly_name(
            d,
            &["--var-file", "vars/prod.hcl", "--var", "env=from-cli"],
            Some("from-env")
        ),
        "from-cli"
    );
}

#[test]
fn validate_example_succeeds() {
    let out = amlplan(&repo(), &["validate", "examples/fraud-detection"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("The manifest is valid"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn validate_defaults_to_the_current_directory() {
    let out = amlplan(&repo().join("examples/fraud-detection"), &["validate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn json_diagnostics_have_the_documented_shape() {
    let dir = manifest(&[(
        "main.hcl",
        &format!("{AZURE}workspace \"fraud-ws\" {{\n  frendly_name = \"x\"\n}}\n"),
    )]);
    let out = amlplan(dir.path(), &["validate", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "E0203");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "main.hcl");
    assert_eq!(d["line"], 7);
    assert_eq!(d["column"], 3);
    assert_eq!(d["end_line"], 7);
    assert_eq!(d["end_column"], 15);
    assert_eq!(d["help"], "did you mean `friendly_name`?");
    assert!(d["message"].as_str().unwrap().contains("frendly_name"));
}

#[test]
fn warnings_pass_unless_denied() {
    let text = format!(
        "{AZURE}workspace \"fraud-ws\" {{\n}}\ncompute_cluster \"gpu\" {{\n  workspace = workspace.fraud-ws\n  vm_size   = \"Standard_NC6s_v3\"\n  priority  = \"low_priority\"\n  max_nodes = 2\n}}\n"
    );
    let dir = manifest(&[("main.hcl", &text)]);
    let out = amlplan(dir.path(), &["validate", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("W0101"), "{}", stderr(&out));
    let out = amlplan(dir.path(), &["validate", ".", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn missing_directory_is_a_clear_error() {
    let out = amlplan(&repo(), &["validate", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0102"), "{}", stderr(&out));
}

#[test]
fn max_errors_caps_the_human_report_errors_first_and_counts_the_rest() {
    // Four invalid cluster names (errors) after two unknown VM sizes (warnings).
    let mut text = format!("{AZURE}workspace \"wsp\" {{\n}}\n");
    for (name, size) in [
        ("warn-one", "Standard_Nope1"),
        ("warn-two", "Standard_Nope2"),
        ("e1", "Standard_DS3_v2"),
        ("e2", "Standard_DS3_v2"),
        ("e3", "Standard_DS3_v2"),
        ("e4", "Standard_DS3_v2"),
    ] {
        text.push_str(&format!(
            "compute_cluster \"{name}\" {{\n  workspace = workspace.wsp\n  vm_size = \"{size}\"\n  max_nodes = 2\n}}\n"
        ));
    }
    let dir = manifest(&[("main.hcl", &text)]);
    let codes = |out: &std::process::Output| -> Vec<String> {
        stderr(out)
            .lines()
            .filter(|l| l.len() == 5 && (l.starts_with('E') || l.starts_with('W')))
            .map(str::to_string)
            .collect()
    };
    let all = amlplan(dir.path(), &["validate", "."]);
    assert_eq!(codes(&all).len(), 6, "{}", stderr(&all));
    let capped = amlplan(dir.path(), &["validate", "--max-errors", "3", "."]);
    assert_eq!(capped.status.code(), Some(1));
    assert_eq!(
        codes(&capped),
        ["E0507", "E0507", "E0507"],
        "{}",
        stderr(&capped)
    );
    assert!(
        stderr(&capped).contains("... and 3 more not shown (1 error, 2 warnings)"),
        "{}",
        stderr(&capped)
    );
    assert!(
        stderr(&capped).contains("4 errors, 2 warnings"),
        "{}",
        stderr(&capped)
    );
    // JSON is never capped.
    let json = amlplan(
        dir.path(),
        &["validate", "--max-errors", "1", "--format", "json", "."],
    );
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(parsed["diagnostics"].as_array().unwrap().len(), 6);
}

#[test]
fn errors_in_several_files_are_all_reported() {
    let dir = manifest(&[
        ("a.hcl", "workspace \"x\" {\n  a = \n}\n"),
        ("b.hcl", "locals {\n  b = [1,\n"),
    ]);
    let out = amlplan(dir.path(), &["validate", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let files: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["a.hcl", "b.hcl"]);
}

#[test]
fn explain_every_code() {
    for code in amlplan::diagnostic::Code::ALL {
        let out = amlplan(&repo(), &["explain", code.as_str()]);
        assert_eq!(out.status.code(), Some(0));
        let text = stdout(&out);
        assert!(
            text.starts_with(&format!("# {}: {}", code.as_str(), code.title())),
            "{code}: {text}"
        );
        assert!(text.contains("## Example"), "{code} has no example");
    }
    let out = amlplan(&repo(), &["explain", "e0203"]);
    assert_eq!(out.status.code(), Some(0));
    let out = amlplan(&repo(), &["explain", "E9999"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not a diagnostic code"));
}

#[test]
fn completions_for_bash() {
    let out = amlplan(&repo(), &["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("amlplan"));
    assert!(stdout(&out).contains("validate"));
}

#[test]
fn color_is_off_without_a_terminal_and_on_when_forced() {
    let dir = manifest(&[("main.hcl", "workspace \"x\" {\n  a = \n}\n")]);
    let plain = amlplan(dir.path(), &["validate", "."]);
    assert!(!stderr(&plain).contains('\u{1b}'));
    let forced = amlplan(dir.path(), &["--color", "always", "validate", "."]);
    assert!(stderr(&forced).contains('\u{1b}'));
}

#[test]
fn help_has_examples() {
    let out = amlplan(&repo(), &["--help"]);
    assert!(stdout(&out).contains("Examples:"));
}

#[test]
fn sensitive_variable_values_never_appear_in_diagnostics() {
    let text = format!(
        "{AZURE}variable \"token\" {{\n  type      = string\n  sensitive = true\n  validation {{\n    condition     = length(var.token) > 40\n    error_message = \"too short\"\n  }}\n}}\n"
    );
    let dir = manifest(&[("main.hcl", &text)]);
    let out = amlplan(
        dir.path(),
        &["validate", ".", "--var", "token=hunter2-secret"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0402"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("hunter2-secret"), "{}", stderr(&out));
}

/// `fmt` on number literals beyond `f64` (a huge exponent, a whole number of 400 digits),
/// and on long ones within it: each keeps its text as written (as `terraform fmt` does),
/// in a list, an object, a function call, negated; the same text inside a string or a
/// comment is left alone; the rest is formatted; `--check` agrees with a write; a second
/// run changes nothing.
#[test]
fn fmt_keeps_number_literals_beyond_f64_as_written() {
    let long = "1".repeat(400);
    let input = format!(
        "x = 1e500\n\
         yy   = {long}\n\
         list = [1E+999,   -2.5e400, 3]\n\
         obj  = {{\n\
         big = 123456789012345678901234567890123456789\n\
         frac = 0.1000000000000000000000000000001\n\
         }}\n\
         call = max(1e500, -{long})\n\
         text = \"1e500 ${{1e500}}\" # 1e500\n"
    );
    let expected = format!(
        "x    = 1e500\n\
         yy   = {long}\n\
         list = [1E+999,   -2.5e400, 3]\n\
         obj = {{\n\
         \x20 big  = 123456789012345678901234567890123456789\n\
         \x20 frac = 0.1000000000000000000000000000001\n\
         }}\n\
         call = max(1e500, -{long})\n\
         text = \"1e500 ${{1e500}}\" # 1e500\n"
    );
    let dir = manifest(&[("main.hcl", &input)]);
    let path = dir.path().join("main.hcl");
    let read = || std::fs::read_to_string(&path).expect("read main.hcl");

    let out = amlplan(dir.path(), &["fmt", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out), "main.hcl\n");
    assert_eq!(stderr(&out), "");
    assert_eq!(read(), input);

    let out = amlplan(dir.path(), &["fmt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "main.hcl\n");
    assert_eq!(read(), expected);

    // Idempotent: nothing left to change, by --check or by a write.
    for args in [&["fmt", "--check"][..], &["fmt"][..]] {
        let out = amlplan(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{args:?}");
        assert_eq!(read(), expected, "{args:?}");
    }

    // The loader reads the file fmt wrote with the literals at full precision.
    let body = amlplan::load::parse_body(&expected).expect("parses");
    let yy = body
        .attributes()
        .find(|a| a.key.as_str() == "yy")
        .expect("yy");
    assert_eq!(yy.value.to_string().trim(), format!("tonumber(\"{long}\")"));
}

/// Every way `fmt` fails names the file and the code, and the other files of the directory
/// are still formatted: a syntax error in a file with a literal beyond `f64` (at its line,
/// not the file's start), a repeated attribute, a file that is not UTF-8, a path that does
/// not exist, a file that cannot be written.
#[test]
fn fmt_reports_every_failure_with_its_code() {
    let long = "9".repeat(400);
    let bad = format!("x = {long}\ny = = 2\n");
    let dir = manifest(&[
        ("a_bad.hcl", &bad),
        ("b_dup.hcl", "x = 1\nx = 2\n"),
        ("c_big.hcl", "big   = 1e500\n"),
        ("e_good.hcl", "good=1\n"),
    ]);
    std::fs::write(dir.path().join("d_latin1.hcl"), b"name = \"caf\xe9\"\n").expect("write");

    for check in [true, false] {
        let args: &[&str] = if check { &["fmt", "--check"] } else { &["fmt"] };
        let out = amlplan(dir.path(), args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert_eq!(stdout(&out), "c_big.hcl\ne_good.hcl\n", "{err}");
        assert_eq!(err.matches("E0101").count(), 1, "{err}");
        assert!(err.contains("a_bad.hcl:2:5"), "{err}");
        assert!(
            err.contains("E0207") && err.contains("b_dup.hcl:2:1"),
            "{err}"
        );
        assert!(
            err.contains("E0102") && err.contains("cannot read `d_latin1.hcl`"),
            "{err}"
        );
    }
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect("read");
    assert_eq!(read("a_bad.hcl"), bad);
    assert_eq!(read("b_dup.hcl"), "x = 1\nx = 2\n");
    assert_eq!(read("c_big.hcl"), "big = 1e500\n");
    assert_eq!(read("e_good.hcl"), "good = 1\n");

    let out = amlplan(dir.path(), &["fmt", "missing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("E0102") && stderr(&out).contains("cannot read `missing`"),
        "{}",
        stderr(&out)
    );

    // A file that can be read but not replaced (a pipe: there is no file to rename over).
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_amlplan"))
        .args(["fmt", "/dev/stdin"])
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(b"x    = 1e500\n").expect("write stdin");
    }
    let out = child.wait_with_output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("E0917") && stderr(&out).contains("cannot write `/dev/stdin`"),
        "{}",
        stderr(&out)
    );
}

/// `fmt --recursive` over a tree with a directory it cannot read (one whose path is longer
/// than the system allows, so even root cannot): that directory is reported with E0102 and
/// every other file is still formatted.
#[test]
fn fmt_recursive_reports_an_unreadable_directory_and_formats_the_rest() {
    let dir = manifest(&[("a.hcl", "a=1\n"), ("sub/b.hcl", "b=2\n")]);
    // Seventeen levels of 250-byte names below `sub`: the last one's path is past PATH_MAX
    // (4096 bytes), made relative to its parent.
    let name = "d".repeat(250);
    let script = format!(
        "cd sub && for i in $(seq 1 16); do mkdir {name} && cd {name} || exit 1; done && mkdir {name}"
    );
    let made = std::process::Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir.path())
        .status()
        .expect("sh runs");
    assert!(made.success());

    let out = amlplan(dir.path(), &["fmt", "--recursive"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(stdout(&out), "a.hcl\nsub/b.hcl\n", "{err}");
    assert_eq!(err.matches("E0102").count(), 1, "{err}");
    assert!(err.contains("cannot read `sub/dddd"), "{err}");
    let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).expect("read");
    assert_eq!(read("a.hcl"), "a = 1\n");
    assert_eq!(read("sub/b.hcl"), "b = 2\n");
}

/// A file whose name is as long as the file system allows is formatted: the temporary file
/// written next to it has a name of bounded length.
#[test]
fn fmt_writes_a_file_with_the_longest_name() {
    let name = format!("{}.hcl", "n".repeat(251));
    let dir = manifest(&[(&name, "x   = 1\n")]);
    let out = amlplan(dir.path(), &["fmt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{name}\n"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join(&name)).expect("read"),
        "x = 1\n"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}
