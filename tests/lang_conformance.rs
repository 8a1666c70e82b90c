//! Conformance of the expression language with Terraform and HCL: tables of
//! (expression, expected result) written from Terraform's function documentation and the HCL
//! native syntax specification, evaluated in-process by the evaluator the compiler uses.
//!
//! An expected result is either a JSON value (compared with its type: `"1"` is not `1`) or
//! `!CODE`, the diagnostic code the expression must fail with, or `?` for a value known only
//! after apply. Every table reports all its
//! failing rows at once.

use std::path::Path;
use std::sync::Arc;

use amlplan::diagnostic::Diagnostic;
use amlplan::fs::MemoryFs;
use amlplan::lang::eval::{Evaluator, Resolved, Scope};
use amlplan::lang::value::Value;
use amlplan::source::{FileId, Span};

/// The names the tables may use: `var.name`, `var.numbers`, `var.objects` and the sensitive
/// `var.secret`.
struct TableScope;

impl Scope for TableScope {
    fn variable(&self, name: &str) -> Option<Resolved> {
        let json = match name {
            "name" => r#""world""#,
            "numbers" => "[1, 2, 3]",
            "objects" => r#"[{"names": ["a"], "id": 1}, {"names": ["b"], "id": 2}]"#,
            "secret" => r#""hunter2""#,
            _ => return None,
        };
        let value = Value::from_json(&serde_json::from_str(json).expect("scope JSON"));
        Some(Resolved {
            value,
            sensitive: name == "secret",
            deps: Vec::new(),
        })
    }
    fn local(&self, _: &str, _: Span) -> Option<Result<Resolved, Diagnostic>> {
        None
    }
    fn module_output(&self, _: &str, _: &str, _: Span) -> Result<Resolved, Diagnostic> {
        Ok(Resolved::plain(Value::Unknown))
    }
    fn resource(&self, _: &str, _: &str, _: Span) -> Option<Result<Value, Diagnostic>> {
        None
    }
    fn is_resource_kind(&self, _: &str) -> bool {
        false
    }
    fn variable_names(&self) -> Vec<String> {
        vec!["name".into(), "numbers".into(), "objects".into()]
    }
    fn local_names(&self) -> Vec<String> {
        Vec::new()
    }
    fn resource_labels(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
    fn module_names(&self) -> Vec<String> {
        Vec::new()
    }
}

/// The files `file()` and friends see: the module directory is `/module`.
fn files() -> Arc<MemoryFs> {
    let mut fs = MemoryFs::new();
    fs.insert("/module/hello.txt", "Hello World")
        .insert("/module/sub/a.txt", "a")
        .insert("/module/sub/b.json", "{}")
        .insert(
            "/module/hosts.tftpl",
            "%{ for addr in ip_addrs ~}\nbackend ${addr}:${port}\n%{ endfor ~}\n",
        )
        .insert("/module/greeting.tftpl", "Hello, ${name}!")
        .insert("/module/bad.tftpl", "${var.name}")
        .insert(
            "/module/nested.tftpl",
            "${templatefile(\"greeting.tftpl\", {name = 1})}",
        );
    Arc::new(fs)
}

fn evaluate(src: &str) -> Result<Value, String> {
    let expr = match hcl_edit::parser::parse_expr(src) {
        Ok(expr) => expr,
        // hcl-edit stops at a literal beyond f64 (`1e500`); amlplan's loader reads it, as
        // Terraform does. Parsed as an attribute the way a manifest's are.
        Err(e) => amlplan::load::parse_body(&format!("x = {src}\n"))
            .ok()
            .and_then(|body| body.attributes().next().map(|a| a.value.clone()))
            .ok_or_else(|| format!("!parse: {e}"))?,
    };
    let scope = TableScope;
    let mut evaluator = Evaluator::new(&scope, FileId(0), Path::new("/module"));
    amlplan::fs::with(files(), || evaluator.eval(&expr))
        .map_err(|d| format!("!{}", d.code.as_str()))
}

fn expected(text: &str) -> Result<Value, String> {
    if text == "?" {
        return Ok(Value::Unknown);
    }
    match text.strip_prefix('!') {
        Some(code) => Err(format!("!{code}")),
        None => Ok(Value::from_json(
            &serde_json::from_str(text).unwrap_or_else(|e| panic!("bad JSON {text:?}: {e}")),
        )),
    }
}

fn check(table: &[(&str, &str)]) {
    let mut failures = Vec::new();
    for (src, want) in table {
        let got = evaluate(src);
        let want = expected(want);
        // Values compare with their types (a string "1" is not the number 1).
        if got != want {
            failures.push(format!(
                "  {src}\n    expected {}\n    got      {}",
                show(&want),
                show(&got)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Terraform:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

fn show(result: &Result<Value, String>) -> String {
    match result {
        Ok(v) => format!("{} ({})", v.to_json(), v.type_name()),
        Err(code) => code.clone(),
    }
}

#[test]
fn literals_and_operators() {
    check(&[
        ("1", "1"),
        ("1.5", "1.5"),
        ("-2", "-2"),
        ("true", "true"),
        ("null", "null"),
        (r#""a""#, r#""a""#),
        ("[]", "[]"),
        ("{}", "{}"),
        ("1 + 2 * 3", "7"),
        ("(1 + 2) * 3", "9"),
        ("7 % 3", "1"),
        ("7 / 2", "3.5"),
        ("1 / 0", "!E0305"),
        (r#""2" + 3"#, "5"),
        (r#""a" + 1"#, "!E0305"),
        ("1 < 2", "true"),
        ("2 >= 3", "false"),
        ("1 == 1.0", "true"),
        (r#"1 == "1""#, "false"),
        ("[1, 2] == [1, 2]", "true"),
        ("{a = 1} != {a = 2}", "true"),
        ("true && false", "false"),
        ("false || true", "true"),
        ("!true", "false"),
        ("!1", "!E0305"),
        ("-true", "!E0305"),
        ("1 && true", "!E0305"),
        ("false && 1", "false"),
    ]);
}

/// Numbers are arbitrary precision, as Terraform's (cty's 512-bit `big.Float`): decimal
/// fractions multiply exactly where 64-bit floats would not, whole numbers beyond 2^53 keep
/// their value, and literals beyond `f64` are numbers. The long expansions are Go's
/// `big.Float.Text('f', -1)` at 512 bits, which Terraform prints.
#[test]
fn numbers_are_arbitrary_precision() {
    check(&[
        ("0.1 * 1.5", "0.15"),
        ("0.1 + 0.2 == 0.3", "true"),
        ("sum([0.1, 0.2, 0.3])", "0.6"),
        ("9007199254740993", "9007199254740993"),
        ("9007199254740992 + 1 == 9007199254740993", "true"),
        ("9007199254740993 == 9007199254740992", "false"),
        (
            "tostring(1/3)",
            "\"0.33333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333333335\"",
        ),
        (
            "tostring(0.3 - 0.1)",
            "\"0.20000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002\"",
        ),
        (
            "jsonencode(1.1 * 1.1)",
            "\"1.2100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001\"",
        ),
        ("length(tostring(1e500))", "501"),
        ("-1e500 / 1e499", "-10"),
        ("1e500 > 1e499", "true"),
        ("1.5e400 * 2 == 3e400", "true"),
        (r#"tonumber("1e999") > 1e308"#, "true"),
        ("max(1e400, 2) == 1e400", "true"),
        ("ceil(1e-500)", "1"),
        ("signum(-1e-500)", "-1"),
        ("floor(-2.5)", "-3"),
        ("7.5 % 2", "1.5"),
        ("-7 % 3", "-1"),
        (
            r#"parseint("ffffffffffffffffffffffffffffffff", 16) == 340282366920938463463374607431768211455"#,
            "true",
        ),
        (
            r#"format("%d", 1e30)"#,
            r#""1000000000000000000000000000000""#,
        ),
        (r#"format("%d", 1/3)"#, "!E0304"),
        ("1e500 / 0", "!E0305"),
    ]);
}

/// A whole number literal of more than 308 digits (beyond `f64`, without an exponent) is a
/// number, as in Terraform, read at full precision (up to the 512-bit mantissa).
#[test]
fn whole_number_literals_beyond_f64() {
    let long = format!("1{}", "0".repeat(400));
    let cases = [
        (format!("length(tostring({long}))"), "401".to_string()),
        (format!("{long} == 1e400"), "true".to_string()),
        (format!("-{long} < -1e399"), "true".to_string()),
        (format!("[{long}][0] / 1e399"), "10".to_string()),
        (format!("max(2, {long}) == 1e400"), "true".to_string()),
    ];
    let table: Vec<(&str, &str)> = cases
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    check(&table);
}

#[test]
fn collections_and_indexing() {
    check(&[
        ("[1, 2, 3][1]", "2"),
        ("[1, 2, 3][3]", "!E0306"),
        ("[1, 2, 3][-1]", "!E0306"),
        (r#"{a = 1}["a"]"#, "1"),
        ("{a = 1}.a", "1"),
        ("{a = 1}.b", "!E0306"),
        (r#"{a = 1}["b"]"#, "!E0306"),
        (r#"{"1" = "x"}[1]"#, r#""x""#),
        (r#"{"a b" = 1}"#, r#"{"a b": 1}"#),
        ("{(var.name) = 1}", r#"{"world": 1}"#),
        (r#"{"${var.name}x" = 1}"#, r#"{"worldx": 1}"#),
        ("[[1, 2], [3]][0][1]", "2"),
        ("[1, 2].0", "1"),
        ("var.numbers[0]", "1"),
        ("var.objects[1].id", "2"),
        ("true.a", "!E0306"),
        (r#""abc"[0]"#, "!E0306"),
    ]);
}

#[test]
fn conditionals() {
    check(&[
        ("true ? 1 : 2", "1"),
        ("false ? 1 : 2", "2"),
        (r#"1 == 1 ? "yes" : "no""#, r#""yes""#),
        ("1 ? 1 : 2", "!E0305"),
        ("null ? 1 : 2", "!E0305"),
        // Only the chosen branch is evaluated.
        ("true ? 1 : 1 / 0", "1"),
    ]);
}

#[test]
fn templates() {
    check(&[
        (r#""Hello, ${var.name}!""#, r#""Hello, world!""#),
        (r#""${1 + 1} items""#, r#""2 items""#),
        (r#""a$${b}""#, r#""a${b}""#),
        (r#""100%%{""#, r#""100%{""#),
        (r#""x${[1]}""#, "!E0305"),
        (r#""x${null}""#, "!E0305"),
        (r#""%{ if true }yes%{ else }no%{ endif }""#, r#""yes""#),
        (r#""%{ if false }yes%{ else }no%{ endif }""#, r#""no""#),
        (r#""%{ if 1 }yes%{ endif }""#, "!E0305"),
        (
            r#""%{ for x in [1, 2, 3] }${x},%{ endfor }""#,
            r#""1,2,3,""#,
        ),
        (
            r#""%{ for k, v in {a = 1, b = 2} }${k}=${v};%{ endfor }""#,
            r#""a=1;b=2;""#,
        ),
        (r#""%{ for x in 1 }${x}%{ endfor }""#, "!E0305"),
        ("<<EOT\nhello ${var.name}\nEOT", r#""hello world\n""#),
        (
            "<<-EOT\n    indented\n      more\n    EOT",
            r#""indented\n  more\n""#,
        ),
    ]);
}

#[test]
fn for_expressions_and_splats() {
    check(&[
        ("[for x in [1, 2, 3] : x * 2]", "[2, 4, 6]"),
        (
            "[for i, x in [\"a\", \"b\"] : \"${i}${x}\"]",
            r#"["0a", "1b"]"#,
        ),
        ("[for x in [1, 2, 3, 4] : x if x % 2 == 0]", "[2, 4]"),
        (
            "{for x in [\"a\", \"b\"] : x => upper(x)}",
            r#"{"a": "A", "b": "B"}"#,
        ),
        ("{for k, v in {a = 1} : v => k}", r#"{"1": "a"}"#),
        ("{for x in [\"a\", \"a\"] : x => 1}", "!E0305"),
        (
            "{for x in [\"a\", \"b\", \"a\"] : x => x...}",
            r#"{"a": ["a", "a"], "b": ["b"]}"#,
        ),
        ("[for x in 1 : x]", "!E0305"),
        ("[for x in [1] : x if 1]", "!E0305"),
        ("[for x in [] : x]", "[]"),
        ("var.objects[*].id", "[1, 2]"),
        ("var.objects.*.id", "[1, 2]"),
        ("[][*].id", "[]"),
        ("null[*]", "[]"),
        ("{a = 1}[*].a", "[1]"),
    ]);
}

#[test]
fn string_functions() {
    check(&[
        (r#"upper("hello")"#, r#""HELLO""#),
        (r#"lower("HELLO")"#, r#""hello""#),
        (r#"title("hello world")"#, r#""Hello World""#),
        (r#"chomp("hello\n\n")"#, r#""hello""#),
        (r#"trimspace("  hello\n")"#, r#""hello""#),
        (r#"trim("?!hello?!", "!?")"#, r#""hello""#),
        (r#"trimprefix("helloworld", "hello")"#, r#""world""#),
        (r#"trimsuffix("helloworld", "world")"#, r#""hello""#),
        (r#"split(",", "a,b,c")"#, r#"["a", "b", "c"]"#),
        (r#"split(",", "")"#, r#"[""]"#),
        (r#"join("-", ["a", "b"])"#, r#""a-b""#),
        (r#"join("-", [])"#, r#""""#),
        (r#"join(", ", ["a"], ["b", "c"])"#, r#""a, b, c""#),
        (r#"replace("1 + 2 + 3", "+", "-")"#, r#""1 - 2 - 3""#),
        (
            r#"replace("hello world", "/w.*d/", "everybody")"#,
            r#""hello everybody""#,
        ),
        (r#"substr("hello world", 1, 4)"#, r#""ello""#),
        (r#"substr("hello world", -5, -1)"#, r#""world""#),
        (r#"substr("hello", 10, 2)"#, r#""""#),
        (r#"strrev("hello")"#, r#""olleh""#),
        (r#"startswith("hello", "he")"#, "true"),
        (r#"endswith("hello", "lo")"#, "true"),
        (r#"strcontains("hello", "ell")"#, "true"),
        (
            r#"regex("[a-z]+", "53453453.345345aaabbbccc23454")"#,
            r#""aaabbbccc""#,
        ),
        (r#"regex("(\\d+)-(\\d+)", "1-2")"#, r#"["1", "2"]"#),
        (r#"regex("x", "abc")"#, "!E0304"),
        (
            r#"regexall("[a-z]+", "1234abcd5678efgh9")"#,
            r#"["abcd", "efgh"]"#,
        ),
        (r#"length(regexall("[a-z]+", "1234"))"#, "0"),
        (r#"format("Hello, %s!", "Ander")"#, r#""Hello, Ander!""#),
        (
            r#"format("There are %d lights", 4)"#,
            r#""There are 4 lights""#,
        ),
        (r#"format("%5.2f", 3.14159)"#, r#"" 3.14""#),
        (r#"format("%-5s|", "ab")"#, r#""ab   |""#),
        (r#"format("%q", "a\"b")"#, r#""\"a\\\"b\"""#),
        (r#"format("%t", true)"#, r#""true""#),
        (r#"format("%g", 1000000)"#, r#""1e+06""#),
        (r#"format("%.3g", 3.14159)"#, r#""3.14""#),
        (r#"format("%.2q", "abc")"#, r#""\"ab\"""#),
        (
            r#"format("%d", 100000000000000000000)"#,
            r#""100000000000000000000""#,
        ),
        (r#"alltrue([true, null])"#, "false"),
        (r#"anytrue([null, true])"#, "true"),
        (r#"format("%x", 255)"#, r#""ff""#),
        (r#"format("%[2]s %[1]s", "a", "b")"#, r#""b a""#),
        (r#"format("%d", "x")"#, "!E0304"),
        (r#"format("%s")"#, "!E0304"),
        (
            r#"formatlist("Hello, %s!", ["Valentina", "Ander"])"#,
            r#"["Hello, Valentina!", "Hello, Ander!"]"#,
        ),
        (
            r#"formatlist("%s-%s", ["a", "b"], "x")"#,
            r#"["a-x", "b-x"]"#,
        ),
        (r#"upper(1)"#, r#""1""#),
        (r#"upper([])"#, "!E0304"),
        (r#"upper(null)"#, "!E0304"),
        (r#"upper("a", "b")"#, "!E0304"),
        (r#"nosuchfunction(1)"#, "!E0303"),
    ]);
}

#[test]
fn collection_functions() {
    check(&[
        ("length([])", "0"),
        ("length([1, 2])", "2"),
        (r#"length({a = 1})"#, "1"),
        (r#"length("hello")"#, "5"),
        ("concat([1], [2, 3])", "[1, 2, 3]"),
        ("concat([])", "[]"),
        (r#"contains(["a", "b"], "b")"#, "true"),
        (r#"contains(["a"], "c")"#, "false"),
        ("distinct([1, 2, 1, 3])", "[1, 2, 3]"),
        (r#"element(["a", "b", "c"], 1)"#, r#""b""#),
        (r#"element(["a", "b", "c"], 3)"#, r#""a""#),
        ("element([], 0)", "!E0304"),
        ("flatten([[1, 2], [], [3, [4]]])", "[1, 2, 3, 4]"),
        (r#"index(["a", "b"], "b")"#, "1"),
        (r#"index(["a"], "z")"#, "!E0304"),
        (r#"keys({b = 1, a = 2})"#, r#"["a", "b"]"#),
        (r#"values({b = 1, a = 2})"#, "[2, 1]"),
        (r#"lookup({a = "x"}, "a", "d")"#, r#""x""#),
        (r#"lookup({a = "x"}, "b", "d")"#, r#""d""#),
        (r#"lookup({a = "x"}, "b")"#, "!E0304"),
        (r#"merge({a = 1}, {b = 2}, {a = 3})"#, r#"{"a": 3, "b": 2}"#),
        ("merge()", "{}"),
        ("one([])", "null"),
        ("one([1])", "1"),
        ("one([1, 2])", "!E0304"),
        ("range(3)", "[0, 1, 2]"),
        ("range(1, 4)", "[1, 2, 3]"),
        ("range(4, 1)", "[4, 3, 2]"),
        ("range(0, 10, 5)", "[0, 5]"),
        ("reverse([1, 2, 3])", "[3, 2, 1]"),
        ("slice([1, 2, 3, 4], 1, 3)", "[2, 3]"),
        ("slice([1, 2], 1, 5)", "!E0304"),
        (r#"sort(["b", "a", "c"])"#, r#"["a", "b", "c"]"#),
        ("sum([1, 2, 3.5])", "6.5"),
        ("sum([])", "!E0304"),
        (r#"zipmap(["a", "b"], [1, 2])"#, r#"{"a": 1, "b": 2}"#),
        (r#"zipmap(["a"], [1, 2])"#, "!E0304"),
        (r#"compact(["a", "", "b"])"#, r#"["a", "b"]"#),
        (r#"coalesce("", "b")"#, r#""b""#),
        (r#"coalesce(null, 1)"#, "1"),
        (r#"coalesce(null, "")"#, "!E0304"),
        ("coalescelist([], [1])", "[1]"),
        ("alltrue([true, true])", "true"),
        ("alltrue([])", "true"),
        ("anytrue([false, true])", "true"),
        ("anytrue([])", "false"),
        ("setunion([1, 2], [2, 3])", "[1, 2, 3]"),
        ("setintersection([1, 2], [2, 3])", "[2]"),
        ("setsubtract([1, 2, 3], [2])", "[1, 3]"),
        ("toset([\"b\", \"a\", \"b\"])", r#"["a", "b"]"#),
        (r#"tolist(["a"])"#, r#"["a"]"#),
        (r#"tomap({a = 1})"#, r#"{"a": 1}"#),
        ("tomap([1])", "!E0304"),
        ("max(1, 5, 3)", "5"),
        ("min(1, 5, 3)", "1"),
        ("max()", "!E0304"),
        ("concat(var.numbers, [4])", "[1, 2, 3, 4]"),
        ("max(var.numbers...)", "3"),
        ("max(1...)", "!E0305"),
    ]);
}

#[test]
fn numeric_and_conversion_functions() {
    check(&[
        ("abs(-3)", "3"),
        ("ceil(4.1)", "5"),
        ("floor(4.9)", "4"),
        ("pow(3, 2)", "9"),
        ("signum(-13)", "-1"),
        ("signum(0)", "0"),
        (r#"parseint("100", 10)"#, "100"),
        (r#"parseint("FF", 16)"#, "255"),
        (r#"parseint("-10", 2)"#, "-2"),
        (r#"parseint("12", 2)"#, "!E0304"),
        (r#"parseint("1", 1)"#, "!E0304"),
        (r#"tonumber("1")"#, "1"),
        (r#"tonumber("no")"#, "!E0304"),
        ("tonumber(null)", "null"),
        (r#"tostring(1)"#, r#""1""#),
        (r#"tostring(true)"#, r#""true""#),
        ("tostring([])", "!E0304"),
        (r#"tobool("true")"#, "true"),
        (r#"tobool("yes")"#, "!E0304"),
        (
            r#"jsonencode({a = [1, true, null, "x"]})"#,
            r#""{\"a\":[1,true,null,\"x\"]}""#,
        ),
        (r#"jsondecode("{\"a\": [1, 2]}")"#, r#"{"a": [1, 2]}"#),
        (r#"jsondecode("{")"#, "!E0304"),
        (r#"base64encode("Hello World")"#, r#""SGVsbG8gV29ybGQ=""#),
        (r#"base64decode("SGVsbG8gV29ybGQ=")"#, r#""Hello World""#),
        (r#"base64decode("%%%")"#, "!E0304"),
        (
            r#"sha256("hello world")"#,
            r#""b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9""#,
        ),
        (
            r#"base64sha256("hello world")"#,
            r#""uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=""#,
        ),
        (
            r#"uuidv5("dns", "www.terraform.io")"#,
            r#""a5008fae-b28c-5ba5-96cd-82b4c53552d6""#,
        ),
        (r#"cidrsubnet("172.16.0.0/12", 4, 2)"#, r#""172.18.0.0/16""#),
        (r#"cidrsubnet("10.1.2.0/24", 4, 15)"#, r#""10.1.2.240/28""#),
        (r#"cidrsubnet("10.0.0.0/8", 30, 1)"#, "!E0304"),
        (
            r#"cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)"#,
            r#"["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]"#,
        ),
        (
            r#"[for c in cidrsubnets("10.0.0.0/8", 8, 8) : cidrsubnets(c, 4, 4)]"#,
            r#"[["10.0.0.0/20", "10.0.16.0/20"], ["10.1.0.0/20", "10.1.16.0/20"]]"#,
        ),
        (r#"cidrsubnets("10.0.0.0/31", 1, 1, 1)"#, "!E0304"),
        (r#"cidrsubnet("010.0.0.0/8", 8, 1)"#, r#""10.1.0.0/16""#),
        (
            r#"cidrhost("::ffff:192.168.1.0/120", 5)"#,
            r#""192.168.1.5""#,
        ),
        (r#"cidrhost("10.12.112.0/20", 16)"#, r#""10.12.112.16""#),
        (r#"cidrhost("10.12.112.0/20", 268)"#, r#""10.12.113.12""#),
        (r#"cidrnetmask("172.16.0.0/12")"#, r#""255.240.0.0""#),
        (
            r#"cidrhost("fd00:fd12:3456:7890::/56", 16)"#,
            r#""fd00:fd12:3456:7800::10""#,
        ),
    ]);
}

#[test]
fn file_functions() {
    check(&[
        (r#"file("hello.txt")"#, r#""Hello World""#),
        (r#"file("missing.txt")"#, "!E0307"),
        (r#"fileexists("hello.txt")"#, "true"),
        (r#"fileexists("missing.txt")"#, "false"),
        (r#"filebase64("hello.txt")"#, r#""SGVsbG8gV29ybGQ=""#),
        (r#"fileset("sub", "*.txt")"#, r#"["a.txt"]"#),
        (r#"fileset(".", "sub/*")"#, r#"["sub/a.txt", "sub/b.json"]"#),
        (r#"fileset(".", "*.txt")"#, r#"["hello.txt"]"#),
        (
            r#"fileset(".", "**/*.txt")"#,
            r#"["hello.txt", "sub/a.txt"]"#,
        ),
        (
            r#"fileset(".", "{hello,sub/a}.txt")"#,
            r#"["hello.txt", "sub/a.txt"]"#,
        ),
        (r#"fileset("missing", "*")"#, "[]"),
        (r#"fileset(".", "[")"#, "!E0304"),
    ]);
}

#[test]
fn splats_as_hcl_defines_them() {
    check(&[
        // After `[*]` the rest of the traversal applies to each element.
        (
            r#"[{names = ["a"]}, {names = ["b"]}][*].names[0]"#,
            r#"["a", "b"]"#,
        ),
        ("var.objects[*].names[0]", r#"["a", "b"]"#),
        ("[[1, 2], [3, 4]][*][1]", "[2, 4]"),
        ("var.objects[*].names[*]", r#"[["a"], ["b"]]"#),
        // The legacy attribute-only splat stops at the first index.
        (
            r#"[{names = ["a"]}, {names = ["b"]}].*.names[0]"#,
            r#"["a"]"#,
        ),
        ("var.objects.*.names", r#"[["a"], ["b"]]"#),
        // A value that is not a list is a one-element list; null is an empty one.
        ("\"a\"[*]", r#"["a"]"#),
        ("null[*].a", "[]"),
        ("[{a = 1}, {b = 2}][*].a", "!E0306"),
        ("[1, 2][*].a", "!E0306"),
        ("length(var.objects[*].id)", "2"),
        ("(var.objects[*].id)[0]", "1"),
    ]);
}

#[test]
fn template_strip_markers() {
    check(&[
        (r#""%{ if true ~} hello %{~ endif }""#, r#""hello""#),
        (
            r#""%{ if false ~} hello %{~ else ~} bye %{~ endif }""#,
            r#""bye""#,
        ),
        (r#""a %{~ if true }b%{ endif ~} c""#, r#""abc""#),
        (
            r#""%{ for x in ["a", "b"] ~} ${x} %{~ endfor }""#,
            r#""ab""#,
        ),
        (
            r#""[ %{~ for x in ["a", "b"] } ${x}%{ endfor ~} ]""#,
            r#""[ a b]""#,
        ),
        (r#""a ${~ "b" ~} c""#, r#""abc""#),
        // `~` strips the literal text beside it, never the inserted value.
        (r#""${" x "} ${~ "y"}""#, r#"" x y""#),
        (r#""${"y" ~} ${" x "}""#, r#""y x ""#),
        ("\"a\n  ${~ \"b\"}\"", r#""ab""#),
    ]);
}

#[test]
fn single_interpolation_keeps_its_type() {
    check(&[
        (r#""${true}""#, "true"),
        (r#""${1 + 1}""#, "2"),
        (r#""${var.numbers}""#, "[1, 2, 3]"),
        (r#""${{a = 1}}""#, r#"{"a": 1}"#),
        (r#""${null}""#, "null"),
        (r#""${"a"}""#, r#""a""#),
        (r#""x${true}""#, r#""xtrue""#),
        (r#""${true}x""#, r#""truex""#),
        (r#"" ${true}""#, r#"" true""#),
        (r#"length("${var.numbers}")"#, "3"),
    ]);
}

#[test]
fn conditionals_need_a_common_type() {
    check(&[
        ("true ? 1 : true", "!E0305"),
        ("false ? 1 : true", "!E0305"),
        ("true ? [1] : [true]", "!E0305"),
        // Objects with different attributes meet as a map when their attributes do (cty).
        ("true ? {a = 1} : {b = 1}", r#"{"a": 1}"#),
        ("true ? {a = 1} : {b = true}", "!E0305"),
        ("false ? {a = 1} : {}", "{}"),
        ("true ? {a = 1} : {a = true}", "!E0305"),
        // Numbers and bools convert to strings when the other side is one.
        (r#"true ? 1 : "a""#, r#""1""#),
        (r#"false ? 1 : "a""#, r#""a""#),
        (r#"true ? true : "a""#, r#""true""#),
        ("true ? null : 1", "null"),
        ("false ? null : [1]", "[1]"),
        ("true ? [1, 2] : []", "[1, 2]"),
        (r#"true ? [1] : ["a"]"#, r#"["1"]"#),
        ("true ? {a = 1} : {a = 2}", r#"{"a": 1}"#),
        (r#"true ? {a = 1} : {a = "x"}"#, r#"{"a": "1"}"#),
        ("true ? var.numbers : []", "[1, 2, 3]"),
        ("true ? [[1]] : [[true]]", "!E0305"),
    ]);
}

#[test]
fn index_keys_convert_as_hcl_does() {
    check(&[
        (r#"["hello"]["0"]"#, r#""hello""#),
        (r#"["a", "b"]["1"]"#, r#""b""#),
        (r#"["hello"]["x"]"#, "!E0306"),
        (r#"["hello"][true]"#, "!E0306"),
        ("[1, 2][0.5]", "!E0306"),
        (r#"{"true" = 1}[true]"#, "1"),
        (r#"{"1" = 1}[1]"#, "1"),
        (r#"{a = 1}[null]"#, "!E0306"),
        (r#"{a = 1}[["a"]]"#, "!E0306"),
        (r#"{null = "x"}"#, r#"{"null": "x"}"#),
        (r#"{true = "x"}"#, r#"{"true": "x"}"#),
        (r#"{null = "x"}.null"#, r#""x""#),
        (r#"{(null) = "x"}"#, "!E0305"),
        ("{var.name = 1}", "!E0314"),
        ("{(var.name) = 1}", r#"{"world": 1}"#),
        ("{a.b = 1}", "!E0314"),
    ]);
}

#[test]
fn try_and_can() {
    check(&[
        ("try(1, 2)", "1"),
        (r#"try({a = 1}.b, "fallback")"#, r#""fallback""#),
        (r#"try(tonumber("x"), 0)"#, "0"),
        ("try([1][5], [2][0])", "2"),
        ("try({}.a, {}.b)", "!E0304"),
        // Mistakes in the configuration are not caught.
        ("try(var.missing, 1)", "!E0301"),
        ("try(nosuch(1), 1)", "!E0303"),
        ("try()", "!E0304"),
        ("can({a = 1}.a)", "true"),
        ("can({a = 1}.b)", "false"),
        (r#"can(regex("^[a-z]+$", "abc"))"#, "true"),
        (r#"can(regex("^[a-z]+$", "ABC"))"#, "false"),
        ("can(var.missing)", "!E0301"),
        ("can(1, 2)", "!E0304"),
        ("timestamp()", "!E0315"),
        ("uuid()", "!E0315"),
        ("try(timestamp(), 1)", "!E0315"),
        // Known only after apply, so plans stay the same from run to run.
        ("plantimestamp()", "?"),
    ]);
}

#[test]
fn sensitivity_functions() {
    check(&[
        ("issensitive(var.secret)", "true"),
        ("issensitive(var.name)", "false"),
        (r#"issensitive(sensitive("x"))"#, "true"),
        ("issensitive(nonsensitive(var.secret))", "false"),
        (r#"sensitive("x")"#, r#""x""#),
        ("nonsensitive(var.secret)", r#""hunter2""#),
        ("sensitive()", "!E0304"),
    ]);
}

#[test]
fn templatefile_function() {
    check(&[
        (
            r#"templatefile("hosts.tftpl", {port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"]})"#,
            r#""backend 10.0.0.1:8080\nbackend 10.0.0.2:8080\n""#,
        ),
        (
            r#"templatefile("greeting.tftpl", {name = var.name})"#,
            r#""Hello, world!""#,
        ),
        (r#"templatefile("greeting.tftpl", {})"#, "!E0304"),
        (r#"templatefile("bad.tftpl", {})"#, "!E0304"),
        (r#"templatefile("nested.tftpl", {})"#, "!E0304"),
        (r#"templatefile("missing.tftpl", {})"#, "!E0307"),
        (r#"templatefile("greeting.tftpl", 1)"#, "!E0304"),
        (r#"templatefile("greeting.tftpl")"#, "!E0304"),
    ]);
}

#[test]
fn hash_functions() {
    check(&[
        (
            r#"md5("hello world")"#,
            r#""5eb63bbbe01eeed093cb22bb8f5acdc3""#,
        ),
        (
            r#"sha1("hello world")"#,
            r#""2aae6c35c94fcfb415dbe95f408b9ce91ee846ed""#,
        ),
        (
            r#"sha512("hello world")"#,
            r#""309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f""#,
        ),
        (
            r#"base64sha512("hello world")"#,
            r#""MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==""#,
        ),
        (
            r#"filemd5("hello.txt")"#,
            r#""b10a8db164e0754105b7a99be72e3fe5""#,
        ),
        (
            r#"filesha1("hello.txt")"#,
            r#""0a4d55a8d778e5022fab701977c5d840bbc486d0""#,
        ),
        (
            r#"filesha256("hello.txt")"#,
            r#""a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e""#,
        ),
        (
            r#"filebase64sha256("hello.txt")"#,
            r#""pZGm1Av0IEBKARczz7exkNYsZb8LzaMrV7J32a2fFG4=""#,
        ),
        (r#"filemd5("missing.txt")"#, "!E0304"),
    ]);
}

#[test]
fn path_functions() {
    check(&[
        (r#"basename("foo/bar/baz.txt")"#, r#""baz.txt""#),
        (r#"basename("foo/bar/")"#, r#""bar""#),
        (r#"basename("")"#, r#"".""#),
        (r#"basename("/")"#, r#""/""#),
        (r#"dirname("foo/bar/baz.txt")"#, r#""foo/bar""#),
        (r#"dirname("baz.txt")"#, r#"".""#),
        (r#"dirname("/baz.txt")"#, r#""/""#),
        (r#"dirname("a//b/../c/d")"#, r#""a/c""#),
        (r#"abspath("sub/../hello.txt")"#, r#""/module/hello.txt""#),
        (r#"abspath("/etc/./x")"#, r#""/etc/x""#),
        (r#"pathexpand("/etc/x")"#, r#""/etc/x""#),
    ]);
}

#[test]
fn more_collection_functions() {
    check(&[
        (
            r#"chunklist(["a", "b", "c", "d", "e"], 2)"#,
            r#"[["a", "b"], ["c", "d"], ["e"]]"#,
        ),
        (r#"chunklist(["a", "b"], 0)"#, r#"[["a", "b"]]"#),
        ("chunklist([], 3)", "[]"),
        ("chunklist([1], -1)", "!E0304"),
        (
            r#"matchkeys(["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"])"#,
            r#"["i-abc", "i-def"]"#,
        ),
        (r#"matchkeys(["a"], ["x", "y"], ["x"])"#, "!E0304"),
        (
            r#"setproduct(["development", "staging"], ["app1", "app2"])"#,
            r#"[["development", "app1"], ["development", "app2"], ["staging", "app1"], ["staging", "app2"]]"#,
        ),
        (r#"setproduct(["a"], [])"#, "[]"),
        (r#"setproduct(["a"])"#, "!E0304"),
        (
            r#"transpose({a = ["1", "2"], b = ["2", "3"]})"#,
            r#"{"1": ["a"], "2": ["a", "b"], "3": ["b"]}"#,
        ),
        ("transpose({a = 1})", "!E0304"),
        (r#"indent(2, "[\n  foo,\n]")"#, r#""[\n    foo,\n  ]""#),
        (r#"urlencode("Hello World!")"#, r#""Hello+World%21""#),
        (r#"urlencode("☃")"#, r#""%E2%98%83""#),
        (r#"urlencode("a-b_c.d~e/f")"#, r#""a-b_c.d~e%2Ff""#),
        ("log(16, 2)", "4"),
        ("log(1, 10)", "0"),
        ("log(0, 10)", "!E0304"),
    ]);
}

#[test]
fn function_semantics_as_in_terraform() {
    check(&[
        // Strings are NFC-normalised as they are read: "e" + combining acute is "é".
        ("\"e\u{301}\" == \"\u{e9}\"", "true"),
        ("length(\"e\u{301}\")", "1"),
        ("\"${\"x\"}e\u{301}\"", "\"x\u{e9}\""),
        // Lengths, substrings and reversal count grapheme clusters.
        (r#"length("👨‍👩‍👧")"#, "1"),
        (r#"length("héllo")"#, "5"),
        (r#"length("")"#, "0"),
        (r#"strrev("a👨‍👩‍👧b")"#, r#""b👨‍👩‍👧a""#),
        (r#"substr("👍🏽ab", 0, 2)"#, r#""👍🏽a""#),
        (r#"format("%-3s|", "é")"#, r#""é  |""#),
        // Negative element indexes count from the end.
        (r#"element(["a", "b", "c"], -1)"#, r#""c""#),
        (r#"element(["a", "b", "c"], -4)"#, r#""c""#),
        // Type unification.
        (r#"coalesce(null, false, "hello")"#, r#""false""#),
        (r#"coalesce(1, "a")"#, r#""1""#),
        ("coalesce(1, true)", "!E0304"),
        (r#"lookup({a = "x"}, "b", 1)"#, r#""1""#),
        (r#"lookup({a = 1}, "b", 2)"#, "2"),
        ("one(null)", "!E0304"),
        ("parseint(100, 10)", "!E0304"),
        (r#"parseint("zz", 36)"#, "1295"),
    ]);
}

#[test]
fn yaml_and_csv_functions() {
    check(&[
        (
            r#"yamlencode({a = "b", c = "d"})"#,
            r#""\"a\": \"b\"\n\"c\": \"d\"\n""#,
        ),
        (
            r#"yamlencode({foo = [1, 2, 3], bar = "baz"})"#,
            r#""\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n""#,
        ),
        (
            r#"yamlencode({foo = [1, {a = "b", c = "d"}, 3], bar = "baz"})"#,
            r#""\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n""#,
        ),
        (
            r#"yamlencode({a = {b = true, c = null}})"#,
            r#""\"a\":\n  \"b\": true\n  \"c\": null\n""#,
        ),
        ("yamlencode([])", r#""[]\n""#),
        (r#"yamlencode("x")"#, r#""\"x\"\n""#),
        (r#"yamldecode("hello: world")"#, r#"{"hello": "world"}"#),
        (
            r#"yamldecode("- 1\n- true\n- null\n- a")"#,
            r#"[1, true, null, "a"]"#,
        ),
        (r#"yamldecode("true")"#, "true"),
        (r#"yamldecode("a: [")"#, "!E0304"),
        (
            r#"yamldecode(yamlencode({a = [1, "x"], b = {c = false}}))"#,
            r#"{"a": [1, "x"], "b": {"c": false}}"#,
        ),
        (
            r#"csvdecode("a,b,c\n1,2,3\n4,5,6")"#,
            r#"[{"a": "1", "b": "2", "c": "3"}, {"a": "4", "b": "5", "c": "6"}]"#,
        ),
        (
            r#"csvdecode("a,b\n\"x,y\",2")"#,
            r#"[{"a": "x,y", "b": "2"}]"#,
        ),
        (r#"csvdecode("a,b\n1")"#, "!E0304"),
        (r#"csvdecode("a")"#, "[]"),
    ]);
}

#[test]
fn time_functions() {
    check(&[
        (
            r#"timeadd("2017-11-22T00:00:00Z", "10m")"#,
            r#""2017-11-22T00:10:00Z""#,
        ),
        (
            r#"timeadd("2017-11-22T00:00:00Z", "-1h30m")"#,
            r#""2017-11-21T22:30:00Z""#,
        ),
        (
            r#"timeadd("2017-11-22T00:00:00Z", "1.5h")"#,
            r#""2017-11-22T01:30:00Z""#,
        ),
        (
            r#"timeadd("2017-11-22T00:00:00+02:00", "24h")"#,
            r#""2017-11-23T00:00:00+02:00""#,
        ),
        (r#"timeadd("2017-11-22T00:00:00Z", "1d")"#, "!E0304"),
        (r#"timeadd("2017-11-22", "1h")"#, "!E0304"),
        (
            r#"timecmp("2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z")"#,
            "0",
        ),
        (
            r#"timecmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00Z")"#,
            "-1",
        ),
        (
            r#"timecmp("2017-11-22T01:00:00Z", "2017-11-22T01:00:00+01:00")"#,
            "1",
        ),
        (r#"timecmp("x", "2017-11-22T01:00:00Z")"#, "!E0304"),
        (
            r#"formatdate("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")"#,
            r#""02 Jan 2018 23:12 UTC""#,
        ),
        (
            r#"formatdate("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z")"#,
            r#""Tuesday, 02-Jan-18 23:12:01 UTC""#,
        ),
        (
            r#"formatdate("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00")"#,
            r#""Tue, 02 Jan 2018 23:12:01 -0800""#,
        ),
        (
            r#"formatdate("MMM DD, YYYY", "2018-01-02T23:12:01Z")"#,
            r#""Jan 02, 2018""#,
        ),
        (
            r#"formatdate("HH:mmaa", "2018-01-02T23:12:01Z")"#,
            r#""11:12pm""#,
        ),
        (
            r#"formatdate("H 'o''clock' ZZZZZ", "2018-01-02T00:12:01+05:30")"#,
            r#""12 o'clock +05:30""#,
        ),
        (r#"formatdate("YYYYY", "2018-01-02T23:12:01Z")"#, "!E0304"),
        (r#"formatdate("'open", "2018-01-02T23:12:01Z")"#, "!E0304"),
    ]);
}

/// The rows `| `expression` | `result` |` of a markdown file's tables.
fn guide_rows(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line
                .trim()
                .strip_prefix("| `")?
                .strip_suffix("` |")?
                .split("` | `")
                .collect();
            match cells.as_slice() {
                [expr, result] => Some((expr.to_string(), result.to_string())),
                _ => None,
            }
        })
        .collect()
}

#[test]
fn the_language_guide_examples_hold() {
    let guide = std::fs::read_to_string(crate::support::repo().join("docs/language.md"))
        .expect("docs/language.md");
    let rows = guide_rows(&guide);
    assert!(
        rows.len() >= 15,
        "the guide's tables were not found: {rows:?}"
    );
    let table: Vec<(&str, &str)> = rows.iter().map(|(e, r)| (e.as_str(), r.as_str())).collect();
    check(&table);

    let manifest = guide
        .split("```hcl\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the guide has a manifest");
    let dir = crate::support::manifest(&[("main.hcl", manifest)]);
    let out = crate::support::amlplan(dir.path(), &["validate", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the guide's manifest does not validate: {}",
        crate::support::stderr(&out)
    );
}

/// Mixed element types, as cty types them: a `[...]` literal is a tuple, and `concat`,
/// `flatten` and `coalescelist` of tuples keep each element's type (`concat(["a"], [1])` is
/// `["a", 1]`: `concat` unifies element types only when every argument is a typed list,
/// stdlib's ConcatFunc); a conditional unifies its two results (`true ? 1 : "x"` is `"1"`,
/// tuples of one length element by element, objects of different attributes as a map).
#[test]
fn mixed_element_types_as_cty_types_them() {
    check(&[
        (r#"concat(["a"], [1])"#, r#"["a", 1]"#),
        (r#"concat([1], [true], [null])"#, "[1, true, null]"),
        (r#"flatten([["a"], [1, [false]]])"#, r#"["a", 1, false]"#),
        (r#"coalescelist([], ["a", 1])"#, r#"["a", 1]"#),
        (r#"coalescelist(["a"], [1])"#, r#"["a"]"#),
        (r#"true ? 1 : "x""#, r#""1""#),
        (r#"false ? ["a"] : [1]"#, r#"["1"]"#),
        (r#"true ? [1, true] : ["a", "b"]"#, r#"["1", "true"]"#),
        (r#"true ? {a = 1} : {a = "x"}"#, r#"{"a": "1"}"#),
        (r#"true ? {a = 1} : {b = "x"}"#, r#"{"a": "1"}"#),
        (r#"true ? tolist([1]) : tolist(["a"])"#, r#"["1"]"#),
        ("true ? null : 1", "null"),
        ("true ? 1 : true", "!E0305"),
        ("false ? [1] : [[1]]", "!E0305"),
    ]);
}
