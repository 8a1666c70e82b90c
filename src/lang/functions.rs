//! The built-in functions of the manifest language (`lower(...)`, `merge(...)`,
//! `cidrsubnet(...)`, ...), with Terraform's names and semantics so that Terraform users can
//! write what they already know.
//!
//! Functions are pure functions over [`Value`]s; the only input besides the arguments is the
//! [`FunctionContext`], which says where `file(...)` paths are relative to. Errors are plain
//! [`FunctionError`]s that name the offending argument by index; the evaluator, which knows
//! the argument expressions' spans, turns them into diagnostics.
//!
//! # Unknown values
//!
//! At plan time some values are not known yet: [`Value::Unknown`] and references to a
//! resource attribute (`online_endpoint.fraud.scoring_uri`). As in Terraform, a function
//! whose result depends on such a value returns `Unknown` rather than failing, so checks
//! downstream skip it. Functions that only look at the *structure* of a collection work on
//! collections with unknown elements: `length`, `concat`, `merge`, `keys`, `values`,
//! `element`, `lookup`, `contains` (when the answer is found among known elements),
//! `coalesce` (when a known winner comes before any unknown), `tolist`, `reverse`, `slice`,
//! and so on. Argument errors are still reported when another argument is unknown: argument
//! kinds are checked before anything is evaluated.
//!
//! A reference to a whole resource (`workspace.fraud`) is known in the sense that it names
//! the resource: it can be put in lists and maps, compared with `==`-like functions
//! (`contains`, `index`, `distinct`, the set functions) and returned by `lookup`. It stands
//! for the resource's ARM ID, which is only known after apply, so anything that turns it
//! into text (`tostring`, `format`, `join`, `upper`, `jsonencode`, ...) gives `Unknown`.
//!
//! Note that a function returning `Unknown` drops any references inside its arguments from
//! the value; dependency edges must come from the expression's syntax, not from values.
//!
//! # Left out
//!
//! `try`, `can`, `templatefile`, `sensitive`, `nonsensitive` and `issensitive` are in the
//! table (for their signatures and "did you mean") but the evaluator runs them: they need
//! unevaluated arguments, the evaluator, or what it knows about sensitivity. `timestamp`,
//! `uuid` and `bcrypt` are refused ([`refused`]): a plan must not change on every run.
//! `plantimestamp` is known only after apply, for the same reason.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::Path;

use md5::Md5;
use regex::Regex;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use unicode_segmentation::UnicodeSegmentation;

use crate::lang::types::{describe, parse_number, sort_dedup};
use crate::lang::unify::{self, Shape, unify};
use crate::lang::value::{Number, Value, format_number};

/// A function call that cannot be evaluated: wrong argument count or type, or a failure
/// such as a missing map key or an unreadable file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionError {
    pub message: String,
    /// Index (0-based) of the offending argument, so the caller can point at it; `None` when
    /// the problem is the call as a whole (an unknown function, too few arguments).
    pub arg: Option<usize>,
}

impl FunctionError {
    fn new(message: impl Into<String>) -> FunctionError {
        FunctionError {
            message: message.into(),
            arg: None,
        }
    }

    fn at(arg: usize, message: impl Into<String>) -> FunctionError {
        FunctionError {
            message: message.into(),
            arg: Some(arg),
        }
    }
}

impl fmt::Display for FunctionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FunctionError {}

/// What a function may know about its surroundings.
#[derive(Debug, Clone, Copy)]
pub struct FunctionContext<'a> {
    /// The directory of the manifest file being evaluated; `file("x")` reads `base_dir/x`.
    pub base_dir: &'a Path,
}

/// Calls the built-in function `name`.
///
/// Returns `Ok(Value::Unknown)` when the result depends on a value not known until apply
/// (see the module documentation).
pub fn call(name: &str, args: Vec<Value>, ctx: &FunctionContext) -> Result<Value, FunctionError> {
    let Some(func) = FUNCTIONS.iter().find(|f| f.name == name) else {
        return Err(FunctionError::new(format!("unknown function `{name}`")));
    };
    func.check_arity(args.len())?;
    for (i, value) in args.iter().enumerate() {
        check_kind(func.name, i, func.kind(i), value)?;
    }
    let args = Args {
        name: func.name,
        vals: args,
        ctx,
    };
    match (func.body)(&args) {
        Ok(value) => Ok(value),
        Err(Stop::Unknown) => Ok(Value::Unknown),
        Err(Stop::Error(e)) => Err(e),
    }
}

/// Why a Terraform function amlplan does not offer is refused, if it is one of those.
pub fn refused(name: &str) -> Option<&'static str> {
    REFUSED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, reason)| *reason)
}

/// Terraform functions amlplan refuses, with the reason.
pub static REFUSED: &[(&str, &str)] = &[
    (
        "bcrypt",
        "it salts randomly, so its result differs on every run and plans would never settle",
    ),
    (
        "timestamp",
        "its result differs on every run, so plans would never settle; use plantimestamp() (known after apply) or a variable",
    ),
    (
        "uuid",
        "its result differs on every run, so plans would never settle; use uuidv5(namespace, name) for a stable UUID",
    ),
];

/// The body of a function the evaluator runs itself (see the module documentation).
fn evaluator_only(a: &Args) -> R<Value> {
    Err(Stop::Error(FunctionError::new(format!(
        "`{}` is evaluated by the expression evaluator",
        a.name
    ))))
}

/// True if `name` is a built-in function.
pub fn exists(name: &str) -> bool {
    FUNCTIONS.iter().any(|f| f.name == name)
}

/// The names of all built-in functions, sorted (for "did you mean" suggestions).
pub fn names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().map(|f| f.name)
}

/// The signature of a built-in function for help texts: `contains(list, any)`,
/// `lookup(map, string, [any])`, `join(string, list(string)...)`.
pub fn signature(name: &str) -> Option<String> {
    let func = FUNCTIONS.iter().find(|f| f.name == name)?;
    let mut params: Vec<String> = func
        .params
        .iter()
        .enumerate()
        .map(|(i, k)| {
            if i < func.required {
                k.type_name().to_string()
            } else {
                format!("[{}]", k.type_name())
            }
        })
        .collect();
    if let Some(rest) = func.variadic {
        params.push(format!("{}...", rest.type_name()));
    }
    Some(format!("{name}({})", params.join(", ")))
}

// ---------------------------------------------------------------------------------------------
// The function table and argument checking.

/// How evaluation of a function body stops early.
enum Stop {
    Error(FunctionError),
    /// The result depends on a value not known at plan time.
    Unknown,
}

impl From<FunctionError> for Stop {
    fn from(e: FunctionError) -> Stop {
        Stop::Error(e)
    }
}

type R<T> = Result<T, Stop>;

/// The kind of value a parameter accepts, checked before the body runs. Unknown values and
/// attribute references are accepted for every kind (the body then returns `Unknown` if it
/// needs the value). Only `Any` accepts `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A string, or a number or bool (converted, as Terraform does).
    Str,
    /// A number, or a string that is one.
    Num,
    /// A bool, or the string `"true"` or `"false"`.
    Bool,
    List,
    Map,
    /// A list whose elements are `Str`, `Num` or `Bool` respectively.
    Strings,
    Numbers,
    Bools,
    /// Anything, including `null`.
    Any,
}

impl Kind {
    fn expected(self) -> &'static str {
        match self {
            Kind::Str => "a string",
            Kind::Num => "a number",
            Kind::Bool => "a bool",
            Kind::List => "a list",
            Kind::Map => "a map",
            Kind::Strings => "a list of strings",
            Kind::Numbers => "a list of numbers",
            Kind::Bools => "a list of bools",
            Kind::Any => "a value",
        }
    }

    /// The parameter's type as written in a signature.
    fn type_name(self) -> &'static str {
        match self {
            Kind::Str => "string",
            Kind::Num => "number",
            Kind::Bool => "bool",
            Kind::List => "list",
            Kind::Map => "map",
            Kind::Strings => "list(string)",
            Kind::Numbers => "list(number)",
            Kind::Bools => "list(bool)",
            Kind::Any => "any",
        }
    }

    fn element(self) -> Option<Kind> {
        match self {
            Kind::Strings => Some(Kind::Str),
            Kind::Numbers => Some(Kind::Num),
            Kind::Bools => Some(Kind::Bool),
            _ => None,
        }
    }
}

/// Whether a (non-null, not unknown) value fits a scalar or collection kind.
fn fits(kind: Kind, value: &Value) -> bool {
    match (kind, value) {
        (Kind::Any, _) => true,
        // A whole-resource reference stands for its ID, a string known after apply.
        (Kind::Str, Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Ref(_)) => true,
        (Kind::Num, Value::Number(_)) => true,
        (Kind::Num, Value::String(s)) => parse_number(s).is_some(),
        (Kind::Bool, Value::Bool(_)) => true,
        (Kind::Bool, Value::String(s)) => s == "true" || s == "false",
        (Kind::List | Kind::Strings | Kind::Numbers | Kind::Bools, Value::List(_)) => true,
        (Kind::Map, Value::Map(_)) => true,
        _ => false,
    }
}

/// True for values not known at plan time: `Unknown` and attribute references.
fn is_pending(value: &Value) -> bool {
    match value {
        Value::Unknown => true,
        Value::Ref(r) => !r.attr.is_empty(),
        _ => false,
    }
}

fn check_kind(name: &str, i: usize, kind: Kind, value: &Value) -> Result<(), FunctionError> {
    if is_pending(value) || kind == Kind::Any {
        return Ok(());
    }
    let prefix = || format!("argument {} of `{name}`", i + 1);
    if value.is_null() {
        return Err(FunctionError::at(
            i,
            format!("{} must not be null", prefix()),
        ));
    }
    if !fits(kind, value) {
        return Err(FunctionError::at(
            i,
            format!(
                "{} must be {}, got {}",
                prefix(),
                kind.expected(),
                describe(value)
            ),
        ));
    }
    if let (Some(elem_kind), Value::List(items)) = (kind.element(), value) {
        for (j, item) in items.iter().enumerate() {
            // Terraform's `alltrue` and `anytrue` take `list(bool)`, whose elements may be null.
            if is_pending(item) || (kind == Kind::Bools && item.is_null()) {
                continue;
            }
            if item.is_null() || !fits(elem_kind, item) {
                return Err(FunctionError::at(
                    i,
                    format!(
                        "{} must be {}, but element {j} is {}",
                        prefix(),
                        kind.expected(),
                        describe(item)
                    ),
                ));
            }
        }
    }
    Ok(())
}

struct Func {
    name: &'static str,
    /// Kinds of the positional parameters.
    params: &'static [Kind],
    /// How many arguments are required (the rest of `params` are optional).
    required: usize,
    /// Kind of any further arguments; `None` if there may be none.
    variadic: Option<Kind>,
    body: fn(&Args) -> R<Value>,
}

impl Func {
    fn kind(&self, i: usize) -> Kind {
        self.params
            .get(i)
            .copied()
            .or(self.variadic)
            .unwrap_or(Kind::Any)
    }

    fn check_arity(&self, got: usize) -> Result<(), FunctionError> {
        let name = self.name;
        let args = |n: usize| if n == 1 { "argument" } else { "arguments" };
        let max = if self.variadic.is_some() {
            None
        } else {
            Some(self.params.len())
        };
        let expects = match max {
            Some(max) if max == self.required => format!("{max} {}", args(max)),
            Some(max) => format!("{} to {max} arguments", self.required),
            None => format!("at least {} {}", self.required, args(self.required)),
        };
        let message = format!("`{name}` expects {expects}, got {got}");
        if got < self.required {
            Err(FunctionError::new(message))
        } else if max.is_some_and(|max| got > max) {
            // Point at the first argument too many.
            Err(FunctionError::at(max.unwrap_or_default(), message))
        } else {
            Ok(())
        }
    }
}

const fn fixed(name: &'static str, params: &'static [Kind], body: fn(&Args) -> R<Value>) -> Func {
    Func {
        name,
        params,
        required: params.len(),
        variadic: None,
        body,
    }
}

const fn optional(
    name: &'static str,
    params: &'static [Kind],
    required: usize,
    body: fn(&Args) -> R<Value>,
) -> Func {
    Func {
        name,
        params,
        required,
        variadic: None,
        body,
    }
}

const fn variadic(
    name: &'static str,
    params: &'static [Kind],
    rest: Kind,
    required: usize,
    body: fn(&Args) -> R<Value>,
) -> Func {
    Func {
        name,
        params,
        required,
        variadic: Some(rest),
        body,
    }
}

use Kind::{Any, Bools, List, Map, Num, Numbers, Str, Strings};

/// Every built-in function, sorted by name.
static FUNCTIONS: &[Func] = &[
    fixed("abs", &[Num], |a| num(a.num(0)?.abs())),
    fixed("abspath", &[Str], |a| {
        str(abspath(a.ctx.base_dir, &a.str(0)?))
    }),
    fixed("alltrue", &[Bools], |a| all_any(a, true)),
    fixed("anytrue", &[Bools], |a| all_any(a, false)),
    fixed("base64decode", &[Str], base64decode_fn),
    fixed("base64encode", &[Str], |a| {
        str(base64_encode(a.str(0)?.as_bytes()))
    }),
    fixed("base64sha256", &[Str], |a| {
        str(base64_encode(&Sha256::digest(a.str(0)?.as_bytes())))
    }),
    fixed("base64sha512", &[Str], |a| {
        str(base64_encode(&Sha512::digest(a.str(0)?.as_bytes())))
    }),
    fixed("basename", &[Str], |a| str(basename(&a.str(0)?))),
    fixed("can", &[Any], evaluator_only),
    fixed("ceil", &[Num], |a| num(a.num(0)?.ceil())),
    fixed("chomp", &[Str], |a| {
        str(a.str(0)?.trim_end_matches(['\n', '\r']))
    }),
    fixed("chunklist", &[List, Num], chunklist),
    fixed("cidrhost", &[Str, Num], cidrhost),
    fixed("cidrnetmask", &[Str], cidrnetmask),
    fixed("cidrsubnet", &[Str, Num, Num], cidrsubnet),
    variadic("cidrsubnets", &[Str], Num, 1, cidrsubnets),
    variadic("coalesce", &[], Any, 1, coalesce),
    variadic("coalescelist", &[], Any, 1, coalescelist),
    fixed("compact", &[List], compact),
    variadic("concat", &[], List, 1, |a| {
        let mut out = Vec::new();
        for i in 0..a.len() {
            out.extend_from_slice(a.list(i)?);
        }
        Ok(Value::List(out))
    }),
    fixed("contains", &[List, Any], contains),
    fixed("csvdecode", &[Str], csvdecode),
    fixed("dirname", &[Str], |a| str(dirname(&a.str(0)?))),
    fixed("distinct", &[List], distinct),
    fixed("element", &[List, Num], element),
    fixed("endswith", &[Str, Str], |a| {
        Ok(Value::Bool(a.str(0)?.ends_with(a.str(1)?.as_str())))
    }),
    fixed("file", &[Str], file),
    fixed("filebase64", &[Str], |a| str(base64_encode(&read_file(a)?))),
    fixed("filebase64sha256", &[Str], |a| {
        str(base64_encode(&Sha256::digest(read_file(a)?)))
    }),
    fixed("filebase64sha512", &[Str], |a| {
        str(base64_encode(&Sha512::digest(read_file(a)?)))
    }),
    fixed("fileexists", &[Str], fileexists),
    fixed("filemd5", &[Str], |a| str(hex(&Md5::digest(read_file(a)?)))),
    fixed("fileset", &[Str, Str], fileset),
    fixed("filesha1", &[Str], |a| {
        str(hex(&Sha1::digest(read_file(a)?)))
    }),
    fixed("filesha256", &[Str], |a| {
        str(hex(&Sha256::digest(read_file(a)?)))
    }),
    fixed("filesha512", &[Str], |a| {
        str(hex(&Sha512::digest(read_file(a)?)))
    }),
    fixed("flatten", &[List], |a| {
        let mut out = Vec::new();
        flatten_into(a.list(0)?, &mut out)?;
        Ok(Value::List(out))
    }),
    fixed("floor", &[Num], |a| num(a.num(0)?.floor())),
    variadic("format", &[Str], Any, 1, format_fn),
    fixed("formatdate", &[Str, Str], formatdate),
    variadic("formatlist", &[Str], Any, 1, formatlist),
    fixed("indent", &[Num, Str], indent),
    fixed("index", &[List, Any], index),
    fixed("issensitive", &[Any], evaluator_only),
    variadic("join", &[Str], Strings, 2, join),
    fixed("jsondecode", &[Str], jsondecode),
    fixed("jsonencode", &[Any], |a| {
        let v = a.get(0);
        if !v.is_wholly_known() {
            return Err(Stop::Unknown);
        }
        let mut out = String::new();
        json_encode(v, &mut out).map_err(|e| a.fail(0, e))?;
        str(out)
    }),
    fixed("keys", &[Map], |a| {
        Ok(Value::List(
            a.map(0)?.keys().map(|k| Value::String(k.clone())).collect(),
        ))
    }),
    fixed("length", &[Any], length),
    fixed("log", &[Num, Num], log),
    optional("lookup", &[Map, Str, Any], 2, lookup),
    fixed("lower", &[Str], |a| str(a.str(0)?.to_lowercase())),
    fixed("matchkeys", &[List, List, List], matchkeys),
    variadic("max", &[], Num, 1, |a| {
        min_max(a, std::cmp::Ordering::Greater)
    }),
    fixed("md5", &[Str], |a| {
        str(hex(&Md5::digest(a.str(0)?.as_bytes())))
    }),
    variadic("merge", &[], Any, 0, merge),
    variadic("min", &[], Num, 1, |a| min_max(a, std::cmp::Ordering::Less)),
    fixed("nonsensitive", &[Any], evaluator_only),
    fixed("one", &[Any], one),
    fixed("parseint", &[Str, Num], parseint),
    fixed("pathexpand", &[Str], |a| str(pathexpand(&a.str(0)?))),
    fixed("plantimestamp", &[], |_| Err(Stop::Unknown)),
    // Terraform computes `pow` in float64.
    fixed("pow", &[Num, Num], |a| {
        a.float_result(a.float(0)?.powf(a.float(1)?))
    }),
    optional("range", &[Num, Num, Num], 1, range),
    fixed("regex", &[Str, Str], |a| regex_fn(a, false)),
    fixed("regexall", &[Str, Str], |a| regex_fn(a, true)),
    fixed("replace", &[Str, Str, Str], replace),
    fixed("reverse", &[List], |a| {
        Ok(Value::List(a.list(0)?.iter().rev().cloned().collect()))
    }),
    fixed("sensitive", &[Any], evaluator_only),
    variadic("setintersection", &[List], List, 1, |a| {
        set_op(a, SetOp::Intersection)
    }),
    variadic("setproduct", &[List], List, 2, setproduct),
    fixed("setsubtract", &[List, List], |a| set_op(a, SetOp::Subtract)),
    variadic("setunion", &[List], List, 1, |a| set_op(a, SetOp::Union)),
    fixed("sha1", &[Str], |a| {
        str(hex(&Sha1::digest(a.str(0)?.as_bytes())))
    }),
    fixed("sha256", &[Str], |a| {
        str(hex(&Sha256::digest(a.str(0)?.as_bytes())))
    }),
    fixed("sha512", &[Str], |a| {
        str(hex(&Sha512::digest(a.str(0)?.as_bytes())))
    }),
    fixed("signum", &[Num], |a| {
        let n = a.num(0)?;
        Ok(Value::int(match n.cmp(&Number::ZERO) {
            std::cmp::Ordering::Greater => 1,
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
        }))
    }),
    fixed("slice", &[List, Num, Num], slice),
    fixed("sort", &[Strings], |a| {
        let mut items = a.strings(0)?;
        items.sort();
        Ok(Value::List(items.into_iter().map(Value::String).collect()))
    }),
    fixed("split", &[Str, Str], split),
    fixed("startswith", &[Str, Str], |a| {
        Ok(Value::Bool(a.str(0)?.starts_with(a.str(1)?.as_str())))
    }),
    fixed("strcontains", &[Str, Str], |a| {
        Ok(Value::Bool(a.str(0)?.contains(a.str(1)?.as_str())))
    }),
    fixed("strrev", &[Str], |a| {
        str(a.str(0)?.graphemes(true).rev().collect::<String>())
    }),
    fixed("substr", &[Str, Num, Num], substr),
    fixed("sum", &[Numbers], |a| {
        let items = a.numbers(0)?;
        if items.is_empty() {
            return Err(a.fail(0, "must not be empty: there is nothing to sum"));
        }
        num(items.iter().fold(Number::ZERO, |sum, n| sum.add(n)))
    }),
    fixed("templatefile", &[Str, Map], evaluator_only),
    fixed("timeadd", &[Str, Str], timeadd),
    fixed("timecmp", &[Str, Str], timecmp),
    fixed("title", &[Str], |a| str(title(&a.str(0)?))),
    fixed("tobool", &[Any], |a| to_primitive(a, Kind::Bool)),
    fixed("tolist", &[Any], |a| match a.get(0) {
        Value::Null => Ok(Value::Null),
        Value::List(l) => Ok(Value::List(l.clone())),
        _ => Err(a.cannot_convert("a list")),
    }),
    fixed("tomap", &[Any], |a| match a.get(0) {
        Value::Null => Ok(Value::Null),
        Value::Map(m) => Ok(Value::Map(m.clone())),
        _ => Err(a.cannot_convert("a map")),
    }),
    fixed("tonumber", &[Any], |a| to_primitive(a, Kind::Num)),
    fixed("toset", &[Any], |a| match a.get(0) {
        Value::Null => Ok(Value::Null),
        Value::List(l) if l.iter().any(Value::is_unknown) => Err(Stop::Unknown),
        Value::List(l) => {
            let mut items = l.clone();
            sort_dedup(&mut items);
            Ok(Value::List(items))
        }
        _ => Err(a.cannot_convert("a set")),
    }),
    fixed("tostring", &[Any], |a| to_primitive(a, Kind::Str)),
    fixed("transpose", &[Map], transpose),
    fixed("trim", &[Str, Str], |a| {
        let cutset = a.str(1)?;
        str(a.str(0)?.trim_matches(|c| cutset.contains(c)))
    }),
    fixed("trimprefix", &[Str, Str], |a| {
        let s = a.str(0)?;
        let prefix = a.str(1)?;
        str(s.strip_prefix(prefix.as_str()).unwrap_or(&s))
    }),
    fixed("trimspace", &[Str], |a| str(a.str(0)?.trim())),
    fixed("trimsuffix", &[Str, Str], |a| {
        let s = a.str(0)?;
        let suffix = a.str(1)?;
        str(s.strip_suffix(suffix.as_str()).unwrap_or(&s))
    }),
    variadic("try", &[], Any, 1, evaluator_only),
    fixed("upper", &[Str], |a| str(a.str(0)?.to_uppercase())),
    fixed("urlencode", &[Str], |a| str(urlencode(&a.str(0)?))),
    fixed("uuidv5", &[Str, Str], uuidv5),
    fixed("values", &[Map], |a| {
        Ok(Value::List(a.map(0)?.values().cloned().collect()))
    }),
    fixed("yamldecode", &[Str], yamldecode),
    fixed("yamlencode", &[Any], |a| {
        let v = a.get(0);
        if !v.is_wholly_known() {
            return Err(Stop::Unknown);
        }
        let mut out = String::new();
        yaml_encode(v, 0, &mut out).map_err(|e| a.fail(0, e))?;
        str(out)
    }),
    fixed("zipmap", &[Strings, List], zipmap),
];

/// The arguments of one call, with accessors that convert and that stop with `Unknown` when
/// the value is not known.
struct Args<'a> {
    name: &'static str,
    vals: Vec<Value>,
    ctx: &'a FunctionContext<'a>,
}

const NULL: Value = Value::Null;

impl Args<'_> {
    fn len(&self) -> usize {
        self.vals.len()
    }

    /// The argument, or `null` for an omitted optional one.
    fn get(&self, i: usize) -> &Value {
        self.vals.get(i).unwrap_or(&NULL)
    }

    /// An error about argument `i`: "argument 2 of `join` {message}".
    fn fail(&self, i: usize, message: impl fmt::Display) -> Stop {
        Stop::Error(FunctionError::at(
            i,
            format!("argument {} of `{}` {message}", i + 1, self.name),
        ))
    }

    fn wrong(&self, i: usize, expected: &str, value: &Value) -> Stop {
        if value.is_null() {
            self.fail(i, "must not be null")
        } else {
            self.fail(i, format!("must be {expected}, got {}", describe(value)))
        }
    }

    fn cannot_convert(&self, to: &str) -> Stop {
        let value = self.get(0);
        if is_pending(value) {
            Stop::Unknown
        } else {
            self.fail(
                0,
                format!("cannot be converted to {to}, got {}", describe(value)),
            )
        }
    }

    /// Argument `i` as text. A whole-resource reference is text too (its ID), but not known
    /// until apply.
    fn str(&self, i: usize) -> R<String> {
        let v = self.get(i);
        text(v).ok_or_else(|| self.wrong(i, "a string", v))?
    }

    fn num(&self, i: usize) -> R<Number> {
        match self.get(i) {
            v if is_pending(v) => Err(Stop::Unknown),
            v => to_num(v).ok_or_else(|| self.wrong(i, "a number", v)),
        }
    }

    /// A number argument of a function Terraform computes in float64.
    fn float(&self, i: usize) -> R<f64> {
        Ok(self.num(i)?.to_f64())
    }

    /// A float64 result: NaN and the infinities are not numbers amlplan can hold.
    fn float_result(&self, f: f64) -> R<Value> {
        Value::float(f).ok_or_else(|| {
            Stop::Error(FunctionError::new(format!(
                "the result ({f}) is not a finite number"
            )))
        })
    }

    fn int(&self, i: usize) -> R<i64> {
        let n = self.num(i)?;
        n.to_i64().ok_or_else(|| {
            self.fail(
                i,
                format!("must be a whole number, got {}", format_number(&n)),
            )
        })
    }

    fn list(&self, i: usize) -> R<&[Value]> {
        match self.get(i) {
            Value::List(l) => Ok(l),
            v if is_pending(v) => Err(Stop::Unknown),
            v => Err(self.wrong(i, "a list", v)),
        }
    }

    fn map(&self, i: usize) -> R<&BTreeMap<String, Value>> {
        match self.get(i) {
            Value::Map(m) => Ok(m),
            v if is_pending(v) => Err(Stop::Unknown),
            v => Err(self.wrong(i, "a map", v)),
        }
    }

    fn strings(&self, i: usize) -> R<Vec<String>> {
        self.list(i)?
            .iter()
            .enumerate()
            .map(|(j, v)| text(v).ok_or_else(|| self.bad_element(i, j, v, "a list of strings"))?)
            .collect()
    }

    fn numbers(&self, i: usize) -> R<Vec<Number>> {
        self.list(i)?
            .iter()
            .enumerate()
            .map(|(j, v)| match v {
                v if is_pending(v) => Err(Stop::Unknown),
                v => to_num(v).ok_or_else(|| self.bad_element(i, j, v, "a list of numbers")),
            })
            .collect()
    }

    fn bad_element(&self, i: usize, j: usize, value: &Value, expected: &str) -> Stop {
        self.fail(
            i,
            format!("must be {expected}, but element {j} is {}", describe(value)),
        )
    }
}

/// A value as text for functions that take strings: `Some(Ok(text))`, `Some(Err(Unknown))`
/// for values known only after apply (unknowns and every reference), `None` for values that
/// are not text (null, lists, maps).
fn text(v: &Value) -> Option<R<String>> {
    match v {
        Value::Unknown | Value::Ref(_) => Some(Err(Stop::Unknown)),
        v => to_str(v).map(Ok),
    }
}

/// A string, number or bool as text; `None` otherwise (including references and unknowns).
fn to_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(format_number(n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn to_num(v: &Value) -> Option<Number> {
    match v {
        Value::Number(n) => Some(n.clone()),
        Value::String(s) => parse_number(s),
        _ => None,
    }
}

fn to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

fn str(s: impl Into<String>) -> R<Value> {
    Ok(Value::String(s.into()))
}

fn num(n: Number) -> R<Value> {
    Ok(Value::Number(n))
}

// ---------------------------------------------------------------------------------------------
// Strings.

/// Upper-cases the first letter of each word, like Go's `strings.Title` (which Terraform
/// uses): a word starts after anything that is not a letter, digit or underscore.
fn title(s: &str) -> String {
    let is_separator = |c: char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else if c.is_alphanumeric() {
            false
        } else {
            c.is_whitespace()
        }
    };
    let mut out = String::with_capacity(s.len());
    let mut at_word_start = true;
    for c in s.chars() {
        if at_word_start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_word_start = is_separator(c);
    }
    out
}

fn split(a: &Args) -> R<Value> {
    let sep = a.str(0)?;
    let s = a.str(1)?;
    let parts: Vec<Value> = if sep.is_empty() {
        // Like Go's strings.Split: one element per character.
        s.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        s.split(sep.as_str()).map(Value::string).collect()
    };
    Ok(Value::List(parts))
}

fn join(a: &Args) -> R<Value> {
    let sep = a.str(0)?;
    let mut parts = Vec::new();
    for i in 1..a.len() {
        parts.extend(a.strings(i)?);
    }
    str(parts.join(&sep))
}

/// `substr(string, offset, length)` over characters: a negative offset counts from the end,
/// a length of -1 means "to the end"; ranges past the end are clipped.
fn substr(a: &Args) -> R<Value> {
    let s = a.str(0)?;
    let offset = a.int(1)?;
    let length = a.int(2)?;
    if length < -1 {
        return Err(a.fail(
            2,
            "must be -1 (to the end of the string) or a non-negative number",
        ));
    }
    let chars: Vec<&str> = s.graphemes(true).collect();
    let count = chars.len() as i64;
    let start = if offset < 0 {
        (count + offset).max(0)
    } else {
        offset.min(count)
    };
    let end = if length == -1 {
        count
    } else {
        start.saturating_add(length).min(count)
    };
    str(chars[start as usize..end as usize].concat())
}

/// `replace(string, search, replacement)`: a plain substring search, or a regular expression
/// when `search` is written `/like this/` (the replacement may then use `$1` or `${name}`).
fn replace(a: &Args) -> R<Value> {
    let s = a.str(0)?;
    let search = a.str(1)?;
    let replacement = a.str(2)?;
    if search.len() > 1 && search.starts_with('/') && search.ends_with('/') {
        let re = compile(a, 1, &search[1..search.len() - 1])?;
        str(re.replace_all(&s, replacement.as_str()))
    } else {
        str(s.replace(search.as_str(), &replacement))
    }
}

fn compile(a: &Args, i: usize, pattern: &str) -> R<Regex> {
    Regex::new(pattern).map_err(|e| a.fail(i, format!("is not a valid regular expression: {e}")))
}

/// `regex(pattern, string)` and `regexall`: with no capture groups a match is the matched
/// string; with unnamed groups a list of the captures; with named groups a map.
fn regex_fn(a: &Args, all: bool) -> R<Value> {
    let pattern = a.str(0)?;
    let s = a.str(1)?;
    let re = compile(a, 0, &pattern)?;
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    let named = names.iter().filter(|n| n.is_some()).count();
    if named > 0 && named < names.len() {
        return Err(a.fail(
            0,
            "mixes named and unnamed capture groups; name all of them or none",
        ));
    }
    let to_value = |caps: regex::Captures| -> Value {
        let group = |i: usize| {
            caps.get(i)
                .map_or(Value::Null, |m| Value::string(m.as_str()))
        };
        if names.is_empty() {
            group(0)
        } else if named > 0 {
            Value::Map(
                names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| (n.unwrap_or_default().to_string(), group(i + 1)))
                    .collect(),
            )
        } else {
            Value::List((1..=names.len()).map(group).collect())
        }
    };
    if all {
        Ok(Value::List(re.captures_iter(&s).map(to_value).collect()))
    } else {
        re.captures(&s).map(to_value).ok_or_else(|| {
            Stop::Error(FunctionError::at(
                1,
                format!("the pattern {pattern:?} of `regex` does not match {s:?}"),
            ))
        })
    }
}

// ---------------------------------------------------------------------------------------------
// format and formatlist.

fn format_fn(a: &Args) -> R<Value> {
    let fmt = a.str(0)?;
    let values: Vec<&Value> = a.vals[1..].iter().collect();
    str(sprintf(a, &fmt, &values)?)
}

/// `formatlist(format, args...)`: list arguments are iterated in step (they must have the
/// same length), other arguments are repeated. An element whose formatting needs an unknown
/// value is `Unknown`; the list itself is known.
fn formatlist(a: &Args) -> R<Value> {
    let fmt = a.str(0)?;
    let mut length: Option<(usize, usize)> = None;
    for i in 1..a.len() {
        match a.get(i) {
            Value::List(l) => match length {
                Some((n, first)) if n != l.len() => {
                    return Err(a.fail(
                        i,
                        format!(
                            "has {} element{} but argument {} has {n}; lists given to `formatlist` must have the same length",
                            l.len(),
                            if l.len() == 1 { "" } else { "s" },
                            first + 1
                        ),
                    ));
                }
                Some(_) => {}
                None => length = Some((l.len(), i)),
            },
            v if is_pending(v) => return Err(Stop::Unknown),
            _ => {}
        }
    }
    let count = length.map_or(1, |(n, _)| n);
    let mut out = Vec::with_capacity(count);
    for j in 0..count {
        let values: Vec<&Value> = a.vals[1..]
            .iter()
            .map(|v| match v {
                Value::List(l) => &l[j],
                other => other,
            })
            .collect();
        match sprintf(a, &fmt, &values) {
            Ok(s) => out.push(Value::String(s)),
            Err(Stop::Unknown) => out.push(Value::Unknown),
            Err(e) => return Err(e),
        }
    }
    Ok(Value::List(out))
}

#[derive(Default)]
struct Spec {
    minus: bool,
    plus: bool,
    space: bool,
    zero: bool,
    sharp: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

/// Why one verb could not be rendered.
enum VerbError {
    Unknown,
    Message(String),
}

/// Go-style formatting as in Terraform's `format`: `%v %#v %s %q %t %d %b %o %x %X %f %e %E
/// %g %G %%`, with flags `- + space 0`, width, precision and explicit argument indexes (`%[2]s`).
/// `values` are the arguments after the format string (argument 2 onwards).
fn sprintf(a: &Args, fmt: &str, values: &[&Value]) -> R<String> {
    let fmt_error = |message: String| a.fail(0, message);
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut next = 0;
    let mut highest_used: Option<usize> = None;
    let mut unknown = false;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let verb_start = i;
        i += 1;
        if chars.get(i) == Some(&'%') {
            out.push('%');
            i += 1;
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&c) = chars.get(i) {
            match c {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '0' => spec.zero = true,
                '#' => spec.sharp = true,
                _ => break,
            }
            i += 1;
        }
        if chars.get(i) == Some(&'[') {
            let close = chars[i..].iter().position(|&c| c == ']').map(|p| p + i);
            let index = close
                .and_then(|close| {
                    chars[i + 1..close]
                        .iter()
                        .collect::<String>()
                        .parse::<usize>()
                        .ok()
                })
                .filter(|&n| n >= 1);
            match (close, index) {
                (Some(close), Some(n)) => {
                    next = n - 1;
                    i = close + 1;
                }
                _ => {
                    return Err(fmt_error(
                        "has a malformed argument index; write it like `%[1]s` (counting from 1)"
                            .into(),
                    ));
                }
            }
        }
        let digits = |i: &mut usize| -> Option<usize> {
            let start = *i;
            while chars.get(*i).is_some_and(char::is_ascii_digit) {
                *i += 1;
            }
            (*i > start).then(|| chars[start..*i].iter().collect::<String>().parse().ok())?
        };
        spec.width = digits(&mut i);
        if chars.get(i) == Some(&'.') {
            i += 1;
            spec.precision = Some(digits(&mut i).unwrap_or(0));
        }
        if spec
            .width
            .max(spec.precision)
            .is_some_and(|n| n > MAX_WIDTH)
        {
            return Err(fmt_error(format!(
                "has a width or precision above {MAX_WIDTH}"
            )));
        }
        let Some(&verb) = chars.get(i) else {
            let written: String = chars[verb_start..].iter().collect();
            return Err(fmt_error(format!(
                "ends with an incomplete verb `{written}`; write `%%` for a literal %"
            )));
        };
        i += 1;
        if !"vsqtdboxXfFeEgG".contains(verb) {
            return Err(fmt_error(format!(
                "has an unsupported verb `%{verb}`; use %v, %s, %q, %t, %d, %b, %o, %x, %X, %f, %e, %E, %g or %G (%% for a literal %)"
            )));
        }
        let Some(value) = values.get(next) else {
            return Err(fmt_error(format!(
                "needs at least {} value{} after it (for `%{verb}`), got {}",
                next + 1,
                if next == 0 { "" } else { "s" },
                values.len()
            )));
        };
        highest_used = highest_used.max(Some(next));
        let arg_index = next + 1;
        next += 1;
        match render_verb(verb, &spec, value) {
            Ok((text, numeric)) => out.push_str(&pad(text, &spec, numeric)),
            Err(VerbError::Unknown) => unknown = true,
            Err(VerbError::Message(m)) => return Err(a.fail(arg_index, m)),
        }
    }
    let used = highest_used.map_or(0, |h| h + 1);
    if values.len() > used {
        return Err(a.fail(
            used + 1,
            format!(
                "is not used: the format string uses {used} value{}",
                if used == 1 { "" } else { "s" }
            ),
        ));
    }
    if unknown { Err(Stop::Unknown) } else { Ok(out) }
}

/// Widths and precisions are capped so that a typo cannot allocate gigabytes.
const MAX_WIDTH: usize = 1000;

/// Renders one value; the flag says whether it is a number (for sign-aware zero padding).
fn render_verb(verb: char, spec: &Spec, value: &Value) -> Result<(String, bool), VerbError> {
    let msg = |m: String| VerbError::Message(m);
    if matches!(value, Value::Unknown | Value::Ref(_)) {
        return Err(VerbError::Unknown);
    }
    if value.is_null() && verb != 'v' {
        return Err(msg(format!(
            "is null and cannot be formatted with `%{verb}`"
        )));
    }
    if !value.is_wholly_known() {
        return Err(VerbError::Unknown);
    }
    let wrong = |expected: &str| {
        msg(format!(
            "cannot be formatted with `%{verb}`: expected {expected}, got {}",
            describe(value)
        ))
    };
    let sign = |negative: bool, digits: String| -> String {
        if negative {
            format!("-{digits}")
        } else if spec.plus {
            format!("+{digits}")
        } else if spec.space {
            format!(" {digits}")
        } else {
            digits
        }
    };
    match verb {
        'v' => {
            let text = match value {
                Value::String(s) if !spec.sharp => s.clone(),
                Value::Number(n) if !spec.sharp => format_number(n),
                Value::Bool(b) if !spec.sharp => b.to_string(),
                _ => {
                    let mut out = String::new();
                    json_encode(value, &mut out).map_err(msg)?;
                    out
                }
            };
            Ok((text, false))
        }
        's' | 'q' => {
            let mut s = to_str(value).ok_or_else(|| wrong("a string"))?;
            // As in Terraform (cty): a precision counts grapheme clusters, applies before
            // quoting, and `.0` means no limit.
            if let Some(p) = spec.precision.filter(|&p| p > 0) {
                s = s.graphemes(true).take(p).collect();
            }
            if verb == 'q' {
                s = go_quote(&s);
            }
            Ok((s, false))
        }
        't' => Ok((
            to_bool(value).ok_or_else(|| wrong("a bool"))?.to_string(),
            false,
        )),
        'x' | 'X' if matches!(value, Value::String(s) if parse_number(s).is_none()) => {
            let s = to_str(value).unwrap_or_default();
            let h = hex(s.as_bytes());
            Ok((if verb == 'X' { h.to_uppercase() } else { h }, false))
        }
        'd' | 'b' | 'o' | 'x' | 'X' => {
            let n = to_num(value).ok_or_else(|| wrong("a number"))?;
            // Whole numbers of any size are written exactly, as Terraform's big numbers are.
            let Some(whole) = n.to_bigint() else {
                return Err(msg(format!(
                    "cannot be formatted with `%{verb}`: expected a whole number, got {}",
                    format_number(&n)
                )));
            };
            let magnitude = whole.magnitude();
            let mut digits = match verb {
                'b' => magnitude.to_str_radix(2),
                'o' => magnitude.to_str_radix(8),
                'x' => magnitude.to_str_radix(16),
                'X' => magnitude.to_str_radix(16).to_uppercase(),
                _ => magnitude.to_str_radix(10),
            };
            if let Some(p) = spec.precision
                && digits.len() < p
            {
                digits = format!("{}{digits}", "0".repeat(p - digits.len()));
            }
            Ok((sign(n.is_negative(), digits), true))
        }
        'g' | 'G' => {
            let n = to_num(value).ok_or_else(|| wrong("a number"))?.to_f64();
            Ok((
                sign(
                    n.is_sign_negative() && n != 0.0,
                    format_general(n.abs(), spec.precision, verb == 'G'),
                ),
                true,
            ))
        }
        'f' | 'F' | 'e' | 'E' => {
            let n = to_num(value).ok_or_else(|| wrong("a number"))?.to_f64();
            let precision = spec.precision.unwrap_or(6);
            let digits = if verb == 'f' || verb == 'F' {
                format!("{:.*}", precision, n.abs())
            } else {
                // Rust writes `1.5e2`; Go (and so Terraform) writes `1.5e+02`.
                let s = format!("{:.*e}", precision, n.abs());
                let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
                let exp: i32 = exp.parse().unwrap_or(0);
                let e = if verb == 'E' { 'E' } else { 'e' };
                format!(
                    "{mantissa}{e}{}{:02}",
                    if exp < 0 { '-' } else { '+' },
                    exp.abs()
                )
            };
            Ok((sign(n.is_sign_negative() && n != 0.0, digits), true))
        }
        _ => Err(msg(format!("cannot be formatted with `%{verb}`"))),
    }
}

/// `%g` as Go's `strconv.FormatFloat(x, 'g', precision)` writes a non-negative number: the
/// shortest digits that read back as `x` (or `precision` significant digits, trailing zeros
/// dropped), in exponent form when the exponent is below -4 or at least the precision (6
/// for the shortest form).
fn format_general(x: f64, precision: Option<usize>, upper: bool) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else {
            "+Inf".into()
        };
    }
    let precision = precision.map(|p| p.max(1));
    let (digits, point) = if x == 0.0 {
        (String::new(), 0i64)
    } else {
        let scientific = match precision {
            Some(p) => format!("{:.*e}", p - 1, x),
            None => format!("{x:e}"),
        };
        let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let digits = digits.trim_end_matches('0').to_string();
        (digits, exponent.parse::<i64>().unwrap_or(0) + 1)
    };
    let count = digits.len() as i64;
    let exponent_limit = match precision {
        None => 6,
        Some(p) if p as i64 > count && count >= point => count,
        Some(p) => p as i64,
    };
    let exponent = point - 1;
    let digit = |i: i64| -> char {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.as_bytes().get(i))
            .map_or('0', |&b| char::from(b))
    };
    if exponent < -4 || exponent >= exponent_limit {
        let shown = precision.map_or(count, |p| (p as i64).min(count)).max(1);
        let mut out = String::new();
        out.push(digit(0));
        if shown > 1 {
            out.push('.');
            (1..shown).for_each(|i| out.push(digit(i)));
        }
        out.push(if upper { 'E' } else { 'e' });
        out.push(if exponent < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exponent.abs()));
        out
    } else {
        let mut shown = precision.map_or(count, |p| p as i64);
        if shown > point {
            shown = count;
        }
        let decimals = (shown - point).max(0);
        let mut out = String::new();
        if point <= 0 {
            out.push('0');
        } else {
            (0..point).for_each(|i| out.push(digit(i)));
        }
        if decimals > 0 {
            out.push('.');
            (point..point + decimals).for_each(|i| out.push(digit(i)));
        }
        out
    }
}

/// Go's `strconv.Quote`, which Terraform's `%q` uses: Go escapes (`\a \b \f \n \r \t \v`),
/// `\xNN` for other ASCII controls, `\uNNNN` or `\UNNNNNNNN` for characters that do not
/// print. What does not print is approximated by Unicode's control, format, separator (other
/// than the space) and private-use characters.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if c.is_ascii_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if !prints(c) && (c as u32) < 0x10000 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if !prints(c) => out.push_str(&format!("\\U{:08x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn prints(c: char) -> bool {
    let code = c as u32;
    let format_character = matches!(
        code,
        0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e | 0x200b..=0x200f
            | 0x202a..=0x202e | 0x2060..=0x2064 | 0x2066..=0x206f | 0xfeff | 0xfff9..=0xfffb
    );
    let private_use = matches!(code, 0xe000..=0xf8ff | 0xf0000..=0xffffd | 0x100000..=0x10fffd);
    let separator = c.is_whitespace() && c != ' ';
    !(c.is_control() || format_character || private_use || separator)
}

fn pad(text: String, spec: &Spec, numeric: bool) -> String {
    let len = text.graphemes(true).count();
    let Some(width) = spec.width.filter(|&w| w > len) else {
        return text;
    };
    let fill = width - len;
    if spec.minus {
        format!("{text}{}", " ".repeat(fill))
    } else if spec.zero {
        let sign_len = if numeric && text.starts_with(['+', '-', ' ']) {
            1
        } else {
            0
        };
        let (sign, digits) = text.split_at(sign_len);
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{text}", " ".repeat(fill))
    }
}

// ---------------------------------------------------------------------------------------------
// Collections.

fn length(a: &Args) -> R<Value> {
    let n = match a.get(0) {
        // Characters as a reader sees them (grapheme clusters), as Terraform counts.
        Value::String(s) => s.graphemes(true).count(),
        Value::List(l) => l.len(),
        Value::Map(m) => m.len(),
        v if is_pending(v) => return Err(Stop::Unknown),
        v => return Err(a.wrong(0, "a string, list or map", v)),
    };
    Ok(Value::int(n as i64))
}

fn lookup(a: &Args) -> R<Value> {
    let map = a.map(0)?;
    let key = a.str(1)?;
    if let Some(v) = map.get(&key) {
        return Ok(v.clone());
    }
    if a.len() > 2 {
        // The default converts to the map's element type (`lookup({a = "x"}, "b", 1)` is
        // `"1"`) when there is one.
        let default = a.get(2).clone();
        let elements = map
            .values()
            .try_fold(Shape::Dynamic, |acc, v| unify(&acc, &Shape::of(v)));
        return Ok(
            match elements.and_then(|e| unify(&e, &Shape::of(&default))) {
                Some(common) => unify::convert(default, &common),
                None => default,
            },
        );
    }
    let suggestion = suggest(&key, map.keys().map(String::as_str))
        .map(|s| format!("; did you mean {s:?}?"))
        .unwrap_or_default();
    Err(Stop::Error(FunctionError::at(
        1,
        format!(
            "the map given to `lookup` has no key {key:?}{suggestion} (give a default as the third argument to allow missing keys)"
        ),
    )))
}

fn element(a: &Args) -> R<Value> {
    let list = a.list(0)?;
    let index = a.int(1)?;
    if list.is_empty() {
        return Err(a.fail(0, "must not be empty"));
    }
    // Like Terraform, the index wraps around; a negative one counts from the end.
    Ok(list[index.rem_euclid(list.len() as i64) as usize].clone())
}

fn index(a: &Args) -> R<Value> {
    let list = a.list(0)?;
    let needle = a.get(1);
    if needle.is_unknown() {
        return Err(Stop::Unknown);
    }
    for (i, item) in list.iter().enumerate() {
        if item == needle {
            return Ok(Value::int(i as i64));
        }
        if item.is_unknown() {
            return Err(Stop::Unknown);
        }
    }
    Err(Stop::Error(FunctionError::at(
        1,
        format!("{needle} is not in the list given to `index`"),
    )))
}

fn contains(a: &Args) -> R<Value> {
    let list = a.list(0)?;
    let needle = a.get(1);
    if needle.is_unknown() {
        return Err(Stop::Unknown);
    }
    if list.contains(needle) {
        Ok(Value::Bool(true))
    } else if list.iter().any(Value::is_unknown) {
        Err(Stop::Unknown)
    } else {
        Ok(Value::Bool(false))
    }
}

/// The first argument that is neither null nor an empty string. An unknown argument before
/// any such value makes the result unknown (it might have been the winner).
/// `coalesce`: the first argument that is not null or `""`, converted to the type all the
/// arguments have in common (`coalesce(null, false, "x")` is `"false"`), as Terraform does.
fn coalesce(a: &Args) -> R<Value> {
    let mut common = Shape::Dynamic;
    for (i, v) in a.vals.iter().enumerate() {
        common = unify(&common, &Shape::of(v)).ok_or_else(|| {
            a.fail(
                i,
                format!(
                    "is {}, which has no type in common with the arguments before it",
                    describe(v)
                ),
            )
        })?;
    }
    for v in &a.vals {
        match v {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            v if is_pending(v) => return Err(Stop::Unknown),
            v => return Ok(unify::convert(v.clone(), &common)),
        }
    }
    Err(Stop::Error(FunctionError::new(
        "all arguments of `coalesce` are null or empty strings",
    )))
}

fn coalescelist(a: &Args) -> R<Value> {
    for (i, v) in a.vals.iter().enumerate() {
        match v {
            Value::Null => {}
            Value::List(l) if l.is_empty() => {}
            Value::List(_) => return Ok(v.clone()),
            v if is_pending(v) => return Err(Stop::Unknown),
            v => return Err(a.wrong(i, "a list", v)),
        }
    }
    Err(Stop::Error(FunctionError::new(
        "all arguments of `coalescelist` are null or empty lists",
    )))
}

/// Removes null and empty-string elements from a list of strings.
fn compact(a: &Args) -> R<Value> {
    let mut out = Vec::new();
    for (j, v) in a.list(0)?.iter().enumerate() {
        match v {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            Value::String(_) | Value::Number(_) | Value::Bool(_) => {
                out.push(Value::String(to_str(v).unwrap_or_default()));
            }
            Value::Unknown | Value::Ref(_) => return Err(Stop::Unknown),
            v => {
                return Err(a.fail(
                    0,
                    format!(
                        "must be a list of strings, but element {j} is {}",
                        describe(v)
                    ),
                ));
            }
        }
    }
    Ok(Value::List(out))
}

fn distinct(a: &Args) -> R<Value> {
    let list = a.list(0)?;
    if list.iter().any(Value::is_unknown) {
        return Err(Stop::Unknown);
    }
    let mut out: Vec<Value> = Vec::new();
    for v in list {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    Ok(Value::List(out))
}

fn flatten_into(items: &[Value], out: &mut Vec<Value>) -> R<()> {
    for v in items {
        match v {
            Value::List(inner) => flatten_into(inner, out)?,
            // It might be a list.
            v if is_pending(v) => return Err(Stop::Unknown),
            v => out.push(v.clone()),
        }
    }
    Ok(())
}

/// Merges maps; a later map's keys win. Null arguments are skipped.
fn merge(a: &Args) -> R<Value> {
    let mut out = BTreeMap::new();
    for (i, v) in a.vals.iter().enumerate() {
        match v {
            Value::Null => {}
            Value::Map(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
            v if is_pending(v) => return Err(Stop::Unknown),
            v => return Err(a.fail(i, format!("must be a map, got {}", describe(v)))),
        }
    }
    Ok(Value::Map(out))
}

fn one(a: &Args) -> R<Value> {
    match a.get(0) {
        Value::Null => Err(a.fail(0, "must not be null")),
        Value::List(l) => match l.as_slice() {
            [] => Ok(Value::Null),
            [v] => Ok(v.clone()),
            _ => Err(a.fail(0, format!("must have at most one element, got {}", l.len()))),
        },
        v if is_pending(v) => Err(Stop::Unknown),
        v => Err(a.wrong(0, "a list", v)),
    }
}

/// `alltrue` and `anytrue` with Terraform's rules: a null element makes `alltrue` false and is
/// skipped by `anytrue`; an unknown element before the deciding one makes `alltrue` unknown,
/// while `anytrue` still looks for a `true` after it.
fn all_any(a: &Args, all: bool) -> R<Value> {
    let mut unknown = false;
    for v in a.list(0)? {
        if v.is_null() {
            if all {
                return Ok(Value::Bool(false));
            }
            continue;
        }
        match to_bool(v) {
            // `false` decides `alltrue`, `true` decides `anytrue`.
            Some(b) if b != all => return Ok(Value::Bool(b)),
            Some(_) => {}
            None if all => return Err(Stop::Unknown),
            None => unknown = true,
        }
    }
    if unknown {
        Err(Stop::Unknown)
    } else {
        Ok(Value::Bool(all))
    }
}

fn range(a: &Args) -> R<Value> {
    const LIMIT: usize = 1024;
    let one = Number::Small(1);
    let (start, end, step) = match a.len() {
        1 => {
            let end = a.num(0)?;
            let step = if end.is_negative() { one.neg() } else { one };
            (Number::ZERO, end, step)
        }
        2 => {
            let (start, end) = (a.num(0)?, a.num(1)?);
            let step = if end < start { one.neg() } else { one };
            (start, end, step)
        }
        _ => (a.num(0)?, a.num(1)?, a.num(2)?),
    };
    if step.is_zero() {
        return Err(a.fail(2, "(the step) must not be zero"));
    }
    let ascending = !step.is_negative();
    if ascending && start > end {
        return Err(a.fail(
            2,
            "(the step) must be negative when the start is greater than the end",
        ));
    }
    if !ascending && start < end {
        return Err(a.fail(
            2,
            "(the step) must be positive when the start is less than the end",
        ));
    }
    let mut out = Vec::new();
    // Each value is the previous plus the step, as cty counts.
    let mut v = start;
    while (ascending && v < end) || (!ascending && v > end) {
        if out.len() == LIMIT {
            return Err(Stop::Error(FunctionError::new(format!(
                "`range` would produce more than {LIMIT} numbers; use a larger step or a smaller range"
            ))));
        }
        let next = v.add(&step);
        out.push(Value::Number(v));
        v = next;
    }
    Ok(Value::List(out))
}

fn slice(a: &Args) -> R<Value> {
    let list = a.list(0)?;
    let start = a.int(1)?;
    let end = a.int(2)?;
    if start < 0 {
        return Err(a.fail(1, "(the start index) must not be negative"));
    }
    if end as usize > list.len() || end < 0 {
        return Err(a.fail(
            2,
            format!(
                "(the end index) must be between 0 and the length of the list ({})",
                list.len()
            ),
        ));
    }
    if start > end {
        return Err(a.fail(
            1,
            "(the start index) must not be greater than the end index",
        ));
    }
    Ok(Value::List(list[start as usize..end as usize].to_vec()))
}

fn zipmap(a: &Args) -> R<Value> {
    let keys = a.strings(0)?;
    let values = a.list(1)?;
    if keys.len() != values.len() {
        return Err(a.fail(
            1,
            format!(
                "has {} elements but the list of keys has {}",
                values.len(),
                keys.len()
            ),
        ));
    }
    Ok(Value::Map(
        keys.into_iter().zip(values.iter().cloned()).collect(),
    ))
}

/// `max` and `min`: the argument that `keep` prefers over every other (the first of equals).
fn min_max(a: &Args, keep: std::cmp::Ordering) -> R<Value> {
    let mut result: Option<Number> = None;
    for i in 0..a.len() {
        let n = a.num(i)?;
        result = Some(match result {
            Some(r) if n.cmp(&r) != keep => r,
            _ => n,
        });
    }
    num(result.unwrap_or_default())
}

#[derive(Clone, Copy)]
enum SetOp {
    Union,
    Intersection,
    Subtract,
}

/// Set functions: the result is sorted and de-duplicated, like every set.
fn set_op(a: &Args, op: SetOp) -> R<Value> {
    let sets: Vec<&[Value]> = (0..a.len()).map(|i| a.list(i)).collect::<R<_>>()?;
    if sets.iter().any(|s| s.iter().any(Value::is_unknown)) {
        return Err(Stop::Unknown);
    }
    let mut out: Vec<Value> = match op {
        SetOp::Union => sets.iter().flat_map(|s| s.iter().cloned()).collect(),
        SetOp::Intersection => sets[0]
            .iter()
            .filter(|v| sets[1..].iter().all(|s| s.contains(v)))
            .cloned()
            .collect(),
        SetOp::Subtract => sets[0]
            .iter()
            .filter(|v| !sets[1].contains(v))
            .cloned()
            .collect(),
    };
    sort_dedup(&mut out);
    Ok(Value::List(out))
}

// ---------------------------------------------------------------------------------------------
// Numbers and conversions.

/// `parseint(string, base)` with bases 2 to 62 (digits, then `a`-`z`, then for bases above
/// 36 `A`-`Z`; below 37 letters are case-insensitive), as Go's `big.Int.SetString`.
fn parseint(a: &Args) -> R<Value> {
    // Only a string: a number has no digits in a base to parse.
    if let v @ (Value::Number(_) | Value::Bool(_)) = a.get(0) {
        return Err(a.wrong(0, "a string", v));
    }
    let s = a.str(0)?;
    let base = a.int(1)?;
    if !(2..=62).contains(&base) {
        return Err(a.fail(
            1,
            format!("(the base) must be between 2 and 62, got {base}"),
        ));
    }
    let base = base as u32;
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    let invalid = || {
        a.fail(
            0,
            format!("cannot be parsed as a base {base} integer: {s:?}"),
        )
    };
    if digits.is_empty() {
        return Err(invalid());
    }
    // Far beyond any real number, and the conversion's cost grows with the square of it.
    const MAX_DIGITS: usize = 100_000;
    if digits.len() > MAX_DIGITS {
        return Err(a.fail(
            0,
            format!("is too long a number: more than {MAX_DIGITS} digits"),
        ));
    }
    let mut values = Vec::with_capacity(digits.len());
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 10,
            'A'..='Z' if base <= 36 => c as u32 - 'A' as u32 + 10,
            'A'..='Z' => c as u32 - 'A' as u32 + 36,
            _ => return Err(invalid()),
        };
        if d >= base {
            return Err(invalid());
        }
        values.push(d as u8);
    }
    // Arbitrary precision, as Go's `big.Int.SetString` that Terraform uses.
    let magnitude = num_bigint::BigUint::from_radix_be(&values, base).unwrap_or_default();
    let sign = if negative {
        num_bigint::Sign::Minus
    } else {
        num_bigint::Sign::Plus
    };
    num(Number::from_bigint(&num_bigint::BigInt::from_biguint(
        sign, magnitude,
    )))
}

/// `tostring`, `tonumber`, `tobool`: primitives convert into each other where the meaning is
/// clear; `null` stays `null`.
fn to_primitive(a: &Args, kind: Kind) -> R<Value> {
    let v = a.get(0);
    if v.is_null() {
        return Ok(Value::Null);
    }
    // A whole-resource reference is a string known after apply.
    if is_pending(v) || (kind == Kind::Str && matches!(v, Value::Ref(_))) {
        return Err(Stop::Unknown);
    }
    let converted = match kind {
        Kind::Str => to_str(v).map(Value::String),
        Kind::Num => to_num(v).map(Value::Number),
        _ => to_bool(v).map(Value::Bool),
    };
    converted.ok_or_else(|| a.cannot_convert(kind.expected()))
}

// ---------------------------------------------------------------------------------------------
// Encodings and hashes.

fn jsondecode(a: &Args) -> R<Value> {
    let s = a.str(0)?;
    let json: serde_json::Value =
        serde_json::from_str(&s).map_err(|e| a.fail(0, format!("is not valid JSON: {e}")))?;
    Ok(Value::from_json(&json))
}

/// Compact JSON with sorted keys (maps are `BTreeMap`s), integers without `.0`, and `<`, `>`,
/// `&` escaped as Terraform's `jsonencode` does.
/// `csvdecode`: the first line names the columns; each further line is a map from them to
/// its fields (RFC 4180 quoting), and every line must have as many fields as the first.
fn csvdecode(a: &Args) -> R<Value> {
    let s = a.str(0)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(s.as_bytes());
    let invalid = |e: csv::Error| a.fail(0, format!("is not valid CSV: {e}"));
    let headers = reader.headers().map_err(invalid)?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(invalid)?;
        rows.push(Value::Map(
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_string(), Value::string(v)))
                .collect(),
        ));
    }
    Ok(Value::List(rows))
}

/// `yamldecode`: one YAML document as a value (mappings are maps, sequences lists).
fn yamldecode(a: &Args) -> R<Value> {
    let s = a.str(0)?;
    let json: serde_json::Value =
        serde_norway::from_str(&s).map_err(|e| a.fail(0, format!("is not valid YAML: {e}")))?;
    Ok(Value::from_json(&json))
}

/// `yamlencode` in Terraform's style: block style, keys and strings double-quoted, keys
/// sorted, two-space indents, `[]` and `{}` for empty collections.
fn yaml_encode(v: &Value, indent: usize, out: &mut String) -> Result<(), String> {
    let pad = " ".repeat(indent);
    match v {
        Value::List(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(&pad);
                }
                out.push_str("- ");
                yaml_encode(item, indent + 2, out)?;
            }
        }
        Value::Map(map) if !map.is_empty() => {
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(&pad);
                }
                json_string(key, out);
                out.push(':');
                match item {
                    Value::List(l) if !l.is_empty() => {
                        out.push('\n');
                        out.push_str(&pad);
                        yaml_encode(item, indent, out)?;
                    }
                    Value::Map(m) if !m.is_empty() => {
                        out.push('\n');
                        out.push_str(&" ".repeat(indent + 2));
                        yaml_encode(item, indent + 2, out)?;
                    }
                    _ => {
                        out.push(' ');
                        yaml_encode(item, indent + 2, out)?;
                    }
                }
            }
        }
        Value::List(_) => out.push_str("[]\n"),
        Value::Map(_) => out.push_str("{}\n"),
        scalar => {
            let mut json = String::new();
            json_encode(scalar, &mut json)?;
            out.push_str(&json);
            out.push('\n');
        }
    }
    Ok(())
}

/// An RFC 3339 timestamp argument (`"2024-01-31T10:00:00Z"`), as Terraform requires.
fn timestamp_arg(a: &Args, i: usize) -> R<time::OffsetDateTime> {
    let s = a.str(i)?;
    time::OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339).map_err(|e| {
        a.fail(
            i,
            format!("is not an RFC 3339 timestamp such as \"2024-01-31T10:00:00Z\": {e}"),
        )
    })
}

/// A duration as Go's `time.ParseDuration` reads it (Terraform's `timeadd`): a signed
/// sequence of decimal numbers with units `ns`, `us` (`µs`), `ms`, `s`, `m`, `h`: `"1h30m"`,
/// `"-1.5h"`. In nanoseconds.
fn go_duration(s: &str) -> Option<i128> {
    let (negative, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * unit;
    }
    // Beyond Go's own limit (about 292 years) is not a duration.
    (total <= 9.2e18).then_some(if negative { -total } else { total } as i128)
}

/// `timeadd(timestamp, duration)`: the timestamp moved by the duration, in RFC 3339 (UTC
/// stays `Z`, another offset is kept).
fn timeadd(a: &Args) -> R<Value> {
    let at = timestamp_arg(a, 0)?;
    let duration = a.str(1)?;
    let nanos = go_duration(&duration).ok_or_else(|| {
        a.fail(
            1,
            format!("is not a duration such as \"1h30m\" or \"-10m\": {duration:?}"),
        )
    })?;
    let moved = i64::try_from(nanos)
        .ok()
        .and_then(|n| at.checked_add(time::Duration::nanoseconds(n)))
        .ok_or_else(|| a.fail(1, "moves the timestamp out of the representable range"))?;
    let text = moved
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| a.fail(0, format!("cannot be formatted: {e}")))?;
    str(text)
}

/// `formatdate(spec, timestamp)` with Terraform's spec letters (`YYYY`, `MMM`, `DD`, `EEEE`,
/// `hh`, `HH`, `aa`, `mm`, `ss`, `ZZZ`, ...) and `'quoted'` literal text.
fn formatdate(a: &Args) -> R<Value> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let spec = a.str(0)?;
    let at = timestamp_arg(a, 1)?;
    let chars: Vec<char> = spec.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let offset = at.offset();
    let (oh, om) = (offset.whole_hours(), offset.minutes_past_hour().abs());
    let sign = if offset.is_negative() { '-' } else { '+' };
    let hour12 = match at.hour() % 12 {
        0 => 12,
        h => h,
    };
    while let Some(&c) = chars.get(i) {
        if c == '\'' {
            let mut j = i + 1;
            loop {
                match chars.get(j) {
                    None => return Err(a.fail(0, "has an unterminated quoted literal")),
                    Some('\'') if chars.get(j + 1) == Some(&'\'') => {
                        out.push('\'');
                        j += 2;
                    }
                    Some('\'') => break,
                    Some(&other) => {
                        out.push(other);
                        j += 1;
                    }
                }
            }
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|&&x| x == c).count();
        i += run;
        let month = MONTHS[usize::from(u8::from(at.month())) - 1];
        let day = DAYS[usize::from(at.weekday().number_days_from_monday())];
        let text = match (c, run) {
            ('Y', 4) => format!("{:04}", at.year()),
            ('Y', 2) => format!("{:02}", at.year().rem_euclid(100)),
            ('M', 4) => month.to_string(),
            ('M', 3) => month[..3].to_string(),
            ('M', 2) => format!("{:02}", u8::from(at.month())),
            ('M', 1) => u8::from(at.month()).to_string(),
            ('D', 2) => format!("{:02}", at.day()),
            ('D', 1) => at.day().to_string(),
            ('E', 4) => day.to_string(),
            ('E', 3) => day[..3].to_string(),
            ('h', 2) => format!("{:02}", at.hour()),
            ('h', 1) => at.hour().to_string(),
            ('H', 2) => format!("{hour12:02}"),
            ('H', 1) => hour12.to_string(),
            ('A', 2) => if at.hour() < 12 { "AM" } else { "PM" }.to_string(),
            ('a', 2) => if at.hour() < 12 { "am" } else { "pm" }.to_string(),
            ('m', 2) => format!("{:02}", at.minute()),
            ('m', 1) => at.minute().to_string(),
            ('s', 2) => format!("{:02}", at.second()),
            ('s', 1) => at.second().to_string(),
            ('Z', 5) => format!("{sign}{:02}:{om:02}", oh.abs()),
            ('Z', 4) => format!("{sign}{:02}{om:02}", oh.abs()),
            ('Z', 3) if offset.is_utc() => "UTC".to_string(),
            ('Z', 3) => format!("{sign}{:02}{om:02}", oh.abs()),
            ('Z', 1) if offset.is_utc() => "Z".to_string(),
            ('Z', 1) => format!("{sign}{:02}:{om:02}", oh.abs()),
            _ => {
                let token: String = std::iter::repeat_n(c, run).collect();
                return Err(a.fail(
                    0,
                    format!(
                        "has the unsupported sequence {token:?}; put literal letters in quotes ('like this')"
                    ),
                ));
            }
        };
        out.push_str(&text);
    }
    str(out)
}

/// `timecmp(a, b)`: -1, 0 or 1 as `a` is before, at the same instant as, or after `b`.
fn timecmp(a: &Args) -> R<Value> {
    let x = timestamp_arg(a, 0)?;
    let y = timestamp_arg(a, 1)?;
    Ok(Value::int(match x.cmp(&y) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }))
}

fn json_encode(v: &Value, out: &mut String) -> Result<(), String> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format_number(n)),
        Value::String(s) => json_string(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_encode(item, out)?;
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(k, out);
                out.push(':');
                json_encode(item, out)?;
            }
            out.push('}');
        }
        // Callers check for these first; they are not JSON.
        Value::Ref(_) | Value::Unknown => return Err("is not known until apply".into()),
    }
    Ok(())
}

fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648) with padding.
fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(BASE64[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 with padding; line breaks are ignored (as Go's decoder does).
fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    let input: Vec<u8> = s.bytes().filter(|b| *b != b'\n' && *b != b'\r').collect();
    if !input.len().is_multiple_of(4) {
        return Err(format!(
            "its length ({}) is not a multiple of 4; is padding (`=`) missing?",
            input.len()
        ));
    }
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let chunks = input.len() / 4;
    for (ci, chunk) in input.chunks(4).enumerate() {
        let padding = chunk.iter().rev().take_while(|&&b| b == b'=').count();
        if padding > 2 || (padding > 0 && ci + 1 != chunks) {
            return Err("it has `=` padding in the wrong place".into());
        }
        let mut n: u32 = 0;
        for (k, &b) in chunk.iter().enumerate() {
            let d = if k >= 4 - padding {
                0
            } else {
                BASE64.iter().position(|&c| c == b).ok_or_else(|| {
                    format!(
                        "it contains {:?}, which is not a base64 character",
                        b as char
                    )
                })? as u32
            };
            n = (n << 6) | d;
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - padding]);
    }
    Ok(out)
}

fn base64decode_fn(a: &Args) -> R<Value> {
    let s = a.str(0)?;
    let bytes = base64_decode(&s).map_err(|e| a.fail(0, format!("is not valid base64: {e}")))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| a.fail(0, "decodes to bytes that are not valid UTF-8 text"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn uuidv5(a: &Args) -> R<Value> {
    let namespace = a.str(0)?;
    let name = a.str(1)?;
    let ns = match namespace.as_str() {
        "dns" => uuid::Uuid::NAMESPACE_DNS,
        "url" => uuid::Uuid::NAMESPACE_URL,
        "oid" => uuid::Uuid::NAMESPACE_OID,
        "x500" => uuid::Uuid::NAMESPACE_X500,
        other => uuid::Uuid::parse_str(other).map_err(|_| {
            a.fail(
                0,
                format!("(the namespace) must be \"dns\", \"url\", \"oid\", \"x500\" or a UUID, got {other:?}"),
            )
        })?,
    };
    str(uuid::Uuid::new_v5(&ns, name.as_bytes())
        .hyphenated()
        .to_string())
}

// ---------------------------------------------------------------------------------------------
// Paths, as Go's `filepath` (which Terraform uses) treats them.

/// `basename`: the last element of a path; trailing slashes are ignored, `""` is `"."`.
fn basename(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if path.is_empty() {
        return ".".into();
    }
    if trimmed.is_empty() {
        return "/".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// `dirname`: everything but the last element, cleaned; `"."` when there is no directory.
fn dirname(path: &str) -> String {
    match path.rfind('/') {
        None => ".".into(),
        Some(i) => clean_path(&path[..=i]),
    }
}

/// Go's `filepath.Clean`: one slash between elements, no `.`, `..` resolved lexically.
fn clean_path(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// `abspath`: the path made absolute against the module's directory, cleaned.
fn abspath(base_dir: &Path, path: &str) -> String {
    if path.starts_with('/') {
        clean_path(path)
    } else {
        clean_path(&format!("{}/{path}", base_dir.display()))
    }
}

/// `pathexpand`: a leading `~` is the user's home directory.
fn pathexpand(path: &str) -> String {
    let home = || std::env::var("HOME").unwrap_or_default();
    if path == "~" {
        home()
    } else if let Some(rest) = path.strip_prefix("~/") {
        format!("{}/{rest}", home().trim_end_matches('/'))
    } else {
        path.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// More strings, numbers and collections.

/// `urlencode` as Go's `url.QueryEscape`: letters, digits and `-_.~` stay, a space is `+`,
/// every other byte `%XX`.
fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// `indent(spaces, string)`: every line but the first gets the spaces.
fn indent(a: &Args) -> R<Value> {
    let spaces = a.int(0)?;
    if spaces < 0 {
        return Err(a.fail(0, "must not be negative"));
    }
    if spaces as usize > MAX_WIDTH {
        return Err(a.fail(0, format!("must be at most {MAX_WIDTH}")));
    }
    let pad = " ".repeat(spaces as usize);
    str(a.str(1)?.replace('\n', &format!("\n{pad}")))
}

/// Computed in float64, as Terraform does.
fn log(a: &Args) -> R<Value> {
    let n = a.float(0)?;
    let base = a.float(1)?;
    let result = n.ln() / base.ln();
    if let Some(v) = Value::float(result) {
        Ok(v)
    } else {
        Err(a.fail(0, "has no finite logarithm in that base"))
    }
}

/// `chunklist(list, size)`: consecutive chunks of at most `size` elements; a size of 0 is
/// one chunk with everything.
fn chunklist(a: &Args) -> R<Value> {
    let list = a.list(0)?;
    let size = a.int(1)?;
    if size < 0 {
        return Err(a.fail(1, "must not be negative"));
    }
    if list.is_empty() {
        return Ok(Value::List(Vec::new()));
    }
    if size == 0 {
        return Ok(Value::List(vec![Value::List(list.to_vec())]));
    }
    Ok(Value::List(
        list.chunks(size as usize)
            .map(|c| Value::List(c.to_vec()))
            .collect(),
    ))
}

/// `matchkeys(values, keys, searchset)`: the values whose key (same position) is in the
/// search set.
fn matchkeys(a: &Args) -> R<Value> {
    let values = a.list(0)?;
    let keys = a.list(1)?;
    let search = a.list(2)?;
    if values.len() != keys.len() {
        return Err(a.fail(
            1,
            format!(
                "has {} elements but the values have {}; they must have the same length",
                keys.len(),
                values.len()
            ),
        ));
    }
    if keys.iter().chain(search).any(Value::is_unknown) {
        return Err(Stop::Unknown);
    }
    Ok(Value::List(
        values
            .iter()
            .zip(keys)
            .filter(|(_, k)| search.iter().any(|s| crate::lang::eval::values_equal(s, k)))
            .map(|(v, _)| v.clone())
            .collect(),
    ))
}

/// `setproduct(sets...)`: every combination of one element from each, in order.
fn setproduct(a: &Args) -> R<Value> {
    let mut product: Vec<Vec<Value>> = vec![Vec::new()];
    let mut size: usize = 1;
    for i in 0..a.len() {
        let set = a.list(i)?;
        size = size.saturating_mul(set.len());
        if size > MAX_PRODUCT {
            return Err(a.fail(
                i,
                format!("makes the product larger than {MAX_PRODUCT} elements"),
            ));
        }
        product = product
            .into_iter()
            .flat_map(|prefix| {
                set.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(v.clone());
                    next
                })
            })
            .collect();
    }
    Ok(Value::List(product.into_iter().map(Value::List).collect()))
}

/// The most combinations `setproduct` builds (a guard against exhausting memory).
const MAX_PRODUCT: usize = 100_000;

/// `transpose(map of lists of strings)`: each string becomes a key whose list holds the keys
/// it appeared under.
fn transpose(a: &Args) -> R<Value> {
    let map = a.map(0)?;
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (key, value) in map {
        let items = match value {
            Value::List(items) => items,
            v if is_pending(v) => return Err(Stop::Unknown),
            v => {
                return Err(a.fail(
                    0,
                    format!(
                        "must be a map of lists of strings, but {key:?} is {}",
                        describe(v)
                    ),
                ));
            }
        };
        for item in items {
            let Some(text) = text(item) else {
                return Err(a.fail(
                    0,
                    format!(
                        "must be a map of lists of strings, but {key:?} holds {}",
                        describe(item)
                    ),
                ));
            };
            out.entry(text?)
                .or_default()
                .push(Value::String(key.clone()));
        }
    }
    Ok(Value::Map(
        out.into_iter().map(|(k, v)| (k, Value::List(v))).collect(),
    ))
}

// ---------------------------------------------------------------------------------------------
// Files.

fn read_file(a: &Args) -> R<Vec<u8>> {
    let path = a.str(0)?;
    let resolved = a.ctx.base_dir.join(&path);
    // The path as written (relative to the manifest file), so messages do not depend on
    // where the checkout lives; the OS error without its platform-specific number.
    let cannot_read = |e: std::io::Error| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        Stop::Error(FunctionError::at(
            0,
            format!("cannot read {path}: {reason}"),
        ))
    };
    // Only regular files: reading a directory fails anyway, and a FIFO or a device such as
    // /dev/zero could block or never end.
    let fs = crate::fs::current();
    if !fs.is_file(&resolved) {
        // Missing, or there but not a regular file (never opened: a FIFO would block).
        fs.canonicalize(&resolved).map_err(cannot_read)?;
        return Err(Stop::Error(FunctionError::at(
            0,
            format!("cannot read {path}: it is not a file"),
        )));
    }
    fs.read(&resolved).map_err(cannot_read)
}

/// `fileset(path, pattern)`: the files under `path` (relative to the module) whose path
/// relative to it matches the glob (`*` and `?` within a name, `**` across directories,
/// `[abc]`, `{a,b}`), sorted.
fn fileset(a: &Args) -> R<Value> {
    let dir = a.str(0)?;
    let pattern = a.str(1)?;
    let matcher = globset::GlobBuilder::new(&pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| a.fail(1, format!("is not a valid pattern: {e}")))?
        .compile_matcher();
    let root = a.ctx.base_dir.join(&dir);
    let fs = crate::fs::current();
    let mut found = Vec::new();
    // Depth and count are bounded: a link cycle on disk must end.
    let mut pending = vec![(root.clone(), 0usize)];
    while let Some((at, depth)) = pending.pop() {
        let Ok(entries) = fs.read_dir(&at) else {
            continue;
        };
        for entry in entries {
            if found.len() >= MAX_FILESET {
                return Err(a.fail(0, format!("holds more than {MAX_FILESET} files")));
            }
            if fs.is_file(&entry) {
                if let Ok(relative) = entry.strip_prefix(&root) {
                    let relative = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/");
                    if matcher.is_match(&relative) {
                        found.push(Value::String(relative));
                    }
                }
            } else if fs.is_dir(&entry) && depth < MAX_FILESET_DEPTH {
                pending.push((entry, depth + 1));
            }
        }
    }
    found.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
    Ok(Value::List(found))
}

/// The most files `fileset` lists, and how deep it looks.
const MAX_FILESET: usize = 10_000;
const MAX_FILESET_DEPTH: usize = 32;

fn file(a: &Args) -> R<Value> {
    let bytes = read_file(a)?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| {
        let resolved = a.ctx.base_dir.join(a.str(0).unwrap_or_default());
        Stop::Error(FunctionError::at(
            0,
            format!(
                "{} is not valid UTF-8 text; use filebase64 to read binary files",
                resolved.display()
            ),
        ))
    })
}

fn fileexists(a: &Args) -> R<Value> {
    let path = a.str(0)?;
    let resolved = a.ctx.base_dir.join(&path);
    let fs = crate::fs::current();
    if fs.is_file(&resolved) {
        return Ok(Value::Bool(true));
    }
    match fs.canonicalize(&resolved) {
        Ok(_) => Err(Stop::Error(FunctionError::at(
            0,
            format!("{} exists but is not a file", resolved.display()),
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Value::Bool(false)),
        Err(e) => Err(Stop::Error(FunctionError::at(
            0,
            format!("cannot check {}: {e}", resolved.display()),
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// IP networks.

/// An IPv4 address in dotted decimal whose octets may have leading zeros, still read as
/// decimal (Go 1.16's `net.ParseIP`, which Terraform's `cidr*` functions keep).
fn parse_ipv4_lenient(text: &str) -> Option<u32> {
    let mut octets = 0u32;
    let mut count = 0;
    for part in text.split('.') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let octet: u32 = part.parse().ok()?;
        if octet > 255 {
            return None;
        }
        octets = (octets << 8) | octet;
        count += 1;
    }
    (count == 4).then_some(octets)
}

/// A parsed CIDR prefix: the network address (host bits cleared), the address width (32 or
/// 128) and the prefix length.
struct Cidr {
    network: u128,
    bits: u32,
    prefix: u32,
}

impl Cidr {
    /// Parses a prefix as Terraform does (its `ipaddr` package keeps the rules of Go 1.16's
    /// `net.ParseCIDR`): an IPv4 octet may have leading zeros and is still decimal
    /// (`010.0.0.0/8` is `10.0.0.0/8`), and an IPv4-mapped IPv6 prefix stays 128 bits wide.
    fn parse(s: &str) -> Option<Cidr> {
        let (addr, prefix) = s.split_once('/')?;
        if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let prefix: u32 = prefix.parse().ok()?;
        let (addr, bits) = if let Some(v4) = parse_ipv4_lenient(addr) {
            (u128::from(v4), 32)
        } else {
            (u128::from(addr.parse::<Ipv6Addr>().ok()?), 128)
        };
        if prefix > bits {
            return None;
        }
        let cidr = Cidr {
            network: 0,
            bits,
            prefix,
        };
        Some(Cidr {
            network: addr & cidr.mask(),
            ..cidr
        })
    }

    /// The mask of the host bits below `prefix`.
    fn host_mask(&self, prefix: u32) -> u128 {
        let host_bits = self.bits - prefix;
        if host_bits == 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        }
    }

    /// `network/prefix` as Terraform prints it: an IPv4-mapped IPv6 network is shown as IPv4,
    /// its prefix counted within the IPv4 part, as Go's `IPNet.String` does.
    fn show(&self, network: u128, prefix: u32) -> String {
        match self.mapped_v4(network) {
            Some(v4) => format!("{v4}/{}", prefix.saturating_sub(96)),
            None => format!("{}/{prefix}", self.address(network)),
        }
    }

    fn mapped_v4(&self, addr: u128) -> Option<Ipv4Addr> {
        (self.bits == 128 && addr >> 32 == 0xffff).then(|| Ipv4Addr::from(addr as u32))
    }

    fn mask(&self) -> u128 {
        let all = if self.bits == 128 {
            u128::MAX
        } else {
            (1u128 << self.bits) - 1
        };
        if self.prefix == 0 {
            0
        } else {
            (u128::MAX << (self.bits - self.prefix)) & all
        }
    }

    fn address(&self, addr: u128) -> String {
        if let Some(v4) = self.mapped_v4(addr) {
            v4.to_string()
        } else if self.bits == 32 {
            Ipv4Addr::from(addr as u32).to_string()
        } else {
            Ipv6Addr::from(addr).to_string()
        }
    }
}

fn cidr_arg(a: &Args) -> R<Cidr> {
    let s = a.str(0)?;
    Cidr::parse(&s).ok_or_else(|| {
        a.fail(
            0,
            format!("is not an IP address prefix in CIDR notation (like \"10.0.0.0/16\"): {s:?}"),
        )
    })
}

/// `cidrsubnet(prefix, newbits, netnum)`: the `netnum`th subnet of `prefix` with `newbits`
/// more prefix bits (`cidrsubnet("10.0.0.0/16", 8, 2)` is `10.0.2.0/24`).
fn cidrsubnet(a: &Args) -> R<Value> {
    let cidr = cidr_arg(a)?;
    let newbits = a.int(1)?;
    let netnum = a.int(2)?;
    let available = i64::from(cidr.bits - cidr.prefix);
    if newbits < 0 || newbits > available {
        return Err(a.fail(
            1,
            format!(
                "(the new bits) must be between 0 and {available}: the prefix is /{} of {} bits",
                cidr.prefix, cidr.bits
            ),
        ));
    }
    let subnets = 1u128.checked_shl(newbits as u32);
    if netnum < 0 || subnets.is_some_and(|n| netnum as u128 >= n) {
        return Err(a.fail(
            2,
            format!(
                "(the network number) must be between 0 and {}, got {netnum}",
                subnets.map_or(u128::MAX, |n| n - 1)
            ),
        ));
    }
    let prefix = cidr.prefix + newbits as u32;
    let shift = cidr.bits - prefix;
    let network = cidr.network | (netnum as u128).checked_shl(shift).unwrap_or(0);
    str(cidr.show(network, prefix))
}

/// `cidrsubnets(prefix, newbits...)`: consecutive subnets of `prefix`, each `newbits` longer
/// and aligned to its own size, in the order given (`cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`
/// skips to `10.1.48.0/20` after the `/24` so the last `/20` is aligned).
fn cidrsubnets(a: &Args) -> R<Value> {
    let cidr = cidr_arg(a)?;
    let mut subnets = Vec::with_capacity(a.len().saturating_sub(1));
    // The first address after the previous subnet; `None` once the address space wrapped.
    let mut next_free = Some(cidr.network);
    for i in 1..a.len() {
        let newbits = a.int(i)?;
        if newbits < 1 {
            return Err(a.fail(i, "must extend the prefix by at least one bit"));
        }
        // Terraform allows at most 32 new bits per subnet, on every platform.
        if newbits > 32 {
            return Err(a.fail(i, "may not extend the prefix by more than 32 bits"));
        }
        let prefix = cidr.prefix + newbits as u32;
        if prefix > cidr.bits {
            return Err(a.fail(
                i,
                format!(
                    "would extend the prefix to {prefix} bits, which is too long for an IPv{} address",
                    if cidr.bits == 32 { 4 } else { 6 }
                ),
            ));
        }
        let host = cidr.host_mask(prefix);
        // Round up to the subnet's own alignment.
        let start = next_free.and_then(|free| {
            if free & host == 0 {
                Some(free)
            } else {
                (free | host).checked_add(1)
            }
        });
        let fits = start.filter(|&start| {
            start & cidr.mask() == cidr.network && (cidr.bits == 128 || start >> cidr.bits == 0)
        });
        let Some(start) = fits else {
            return Err(a.fail(
                i,
                format!(
                    "asks for a /{prefix} subnet, but there is not enough address space left in {} after {}",
                    cidr.show(cidr.network, cidr.prefix),
                    subnets
                        .last()
                        .and_then(Value::as_str)
                        .unwrap_or("the start of the prefix")
                ),
            ));
        };
        subnets.push(Value::String(cidr.show(start, prefix)));
        next_free = (start | host).checked_add(1);
    }
    Ok(Value::List(subnets))
}

/// `cidrhost(prefix, hostnum)`: the address of host `hostnum` in the prefix; a negative
/// number counts from the end.
fn cidrhost(a: &Args) -> R<Value> {
    let cidr = cidr_arg(a)?;
    let hostnum = a.int(1)?;
    let host_bits = cidr.bits - cidr.prefix;
    let hosts = 1u128.checked_shl(host_bits);
    let offset = if hostnum < 0 {
        hosts.and_then(|h| h.checked_sub(u128::from(hostnum.unsigned_abs())))
    } else {
        Some(hostnum as u128).filter(|&n| hosts.is_none_or(|h| n < h))
    };
    let Some(offset) = offset else {
        return Err(a.fail(
            1,
            format!(
                "(the host number) {hostnum} is outside the prefix, which has {} addresses",
                hosts.map_or_else(|| "2^128".to_string(), |h| h.to_string())
            ),
        ));
    };
    str(cidr.address(cidr.network | offset))
}

fn cidrnetmask(a: &Args) -> R<Value> {
    let cidr = cidr_arg(a)?;
    // Go's `To4` accepts an IPv4-mapped IPv6 network, so Terraform does too.
    if cidr.bits != 32 && cidr.mapped_v4(cidr.network).is_none() {
        return Err(a.fail(0, "must be an IPv4 prefix: only IPv4 has netmasks"));
    }
    str(cidr.address(cidr.mask()))
}

// ---------------------------------------------------------------------------------------------

/// The closest candidate, if any is close enough.
fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .filter(|c| crate::suggest::comparable(word, c))
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::value::Reference;

    fn run(name: &str, args: Vec<Value>) -> Result<Value, FunctionError> {
        let dir = std::env::temp_dir();
        call(name, args, &FunctionContext { base_dir: &dir })
    }

    fn ok(name: &str, args: Vec<Value>) -> Value {
        run(name, args).unwrap_or_else(|e| panic!("{name}: {}", e.message))
    }

    fn err(name: &str, args: Vec<Value>) -> FunctionError {
        match run(name, args) {
            Ok(v) => panic!("{name} should fail, got {v}"),
            Err(e) => e,
        }
    }

    fn s(v: &str) -> Value {
        Value::string(v)
    }

    fn n(v: f64) -> Value {
        Value::float(v).expect("a finite test number")
    }

    fn b(v: bool) -> Value {
        Value::Bool(v)
    }

    fn list(items: Vec<Value>) -> Value {
        Value::List(items)
    }

    fn strs(items: &[&str]) -> Value {
        Value::List(items.iter().map(|i| s(i)).collect())
    }

    fn nums(items: &[f64]) -> Value {
        Value::List(items.iter().map(|i| n(*i)).collect())
    }

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect(),
        )
    }

    fn resource(address: &str) -> Value {
        Value::Ref(Reference {
            address: address.into(),
            kind: address.split('.').next().unwrap_or_default().into(),
            attr: vec![],
        })
    }

    fn attr(address: &str, name: &str) -> Value {
        Value::Ref(Reference {
            address: address.into(),
            kind: address.split('.').next().unwrap_or_default().into(),
            attr: vec![name.into()],
        })
    }

    const U: Value = Value::Unknown;

    #[test]
    fn registry() {
        assert!(exists("lower"));
        assert!(!exists("lowr"));
        assert!(exists("try"));
        assert!(!exists("timestamp"));
        assert!(refused("timestamp").is_some());
        let all: Vec<&str> = names().collect();
        let mut sorted = all.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(all, sorted, "FUNCTIONS must be sorted and unique");
        assert!(all.len() > 70);
        let e = err("lowr", vec![s("x")]);
        assert_eq!(e.message, "unknown function `lowr`");
        assert_eq!(e.arg, None);
    }

    #[test]
    fn signatures() {
        assert_eq!(
            signature("contains").as_deref(),
            Some("contains(list, any)")
        );
        assert_eq!(
            signature("lookup").as_deref(),
            Some("lookup(map, string, [any])")
        );
        assert_eq!(
            signature("join").as_deref(),
            Some("join(string, list(string)...)")
        );
        assert_eq!(
            signature("range").as_deref(),
            Some("range(number, [number], [number])")
        );
        assert_eq!(signature("merge").as_deref(), Some("merge(any...)"));
        assert_eq!(signature("nope"), None);
        for name in names() {
            assert!(signature(name).is_some(), "{name}");
        }
    }

    #[test]
    fn arity_errors() {
        let e = err("lower", vec![s("a"), s("b")]);
        assert_eq!(e.message, "`lower` expects 1 argument, got 2");
        assert_eq!(e.arg, Some(1));
        let e = err("replace", vec![s("a")]);
        assert_eq!(e.message, "`replace` expects 3 arguments, got 1");
        assert_eq!(e.arg, None);
        let e = err("range", vec![]);
        assert_eq!(e.message, "`range` expects 1 to 3 arguments, got 0");
        let e = err("min", vec![]);
        assert_eq!(e.message, "`min` expects at least 1 argument, got 0");
        let e = err("join", vec![s(",")]);
        assert_eq!(e.message, "`join` expects at least 2 arguments, got 1");
        assert_eq!(ok("merge", vec![]), map(&[]));
    }

    #[test]
    fn type_errors_name_the_argument() {
        let e = err("join", vec![s(","), n(5.0)]);
        assert_eq!(
            e.message,
            "argument 2 of `join` must be a list of strings, got number 5"
        );
        assert_eq!(e.arg, Some(1));
        let e = err("join", vec![s(","), list(vec![s("a"), list(vec![])])]);
        assert_eq!(
            e.message,
            "argument 2 of `join` must be a list of strings, but element 1 is empty list"
        );
        let e = err("abs", vec![s("abc")]);
        assert_eq!(
            e.message,
            "argument 1 of `abs` must be a number, got string \"abc\""
        );
        let e = err("lower", vec![Value::Null]);
        assert_eq!(e.message, "argument 1 of `lower` must not be null");
        let e = err("keys", vec![strs(&["a"])]);
        assert_eq!(e.message, "argument 1 of `keys` must be a map, got list");
        let e = err("upper", vec![list(vec![])]);
        assert_eq!(e.arg, Some(0));
        // A type error is reported even when another argument is unknown.
        let e = err("replace", vec![U, list(vec![]), s("x")]);
        assert_eq!(e.arg, Some(1));
        // A whole-resource reference is not a list.
        let e = err("length", vec![resource("workspace.a")]);
        assert!(
            e.message.contains("a reference to workspace.a"),
            "{}",
            e.message
        );
    }

    #[test]
    fn string_functions() {
        assert_eq!(ok("lower", vec![s("HeLLo")]), s("hello"));
        assert_eq!(ok("upper", vec![s("straße")]), s("STRASSE"));
        assert_eq!(ok("upper", vec![n(5.0)]), s("5"));
        assert_eq!(
            ok("title", vec![s("hello world-foo bar_baz")]),
            s("Hello World-Foo Bar_baz")
        );
        assert_eq!(ok("trimspace", vec![s("  a b \n")]), s("a b"));
        assert_eq!(ok("trim", vec![s("?!hello?!"), s("!?")]), s("hello"));
        assert_eq!(
            ok("trimprefix", vec![s("helloworld"), s("hello")]),
            s("world")
        );
        assert_eq!(ok("trimprefix", vec![s("hello"), s("x")]), s("hello"));
        assert_eq!(
            ok("trimsuffix", vec![s("helloworld"), s("world")]),
            s("hello")
        );
        assert_eq!(ok("chomp", vec![s("hello\r\n\n")]), s("hello"));
        assert_eq!(ok("strrev", vec![s("héllo")]), s("olléh"));
        assert_eq!(ok("startswith", vec![s("hello"), s("he")]), b(true));
        assert_eq!(ok("endswith", vec![s("hello"), s("he")]), b(false));
        assert_eq!(ok("strcontains", vec![s("hello"), s("ll")]), b(true));
    }

    #[test]
    fn split_and_join() {
        assert_eq!(
            ok("split", vec![s(","), s("a,b,,c")]),
            strs(&["a", "b", "", "c"])
        );
        assert_eq!(ok("split", vec![s(","), s("")]), strs(&[""]));
        assert_eq!(ok("split", vec![s(""), s("ab")]), strs(&["a", "b"]));
        assert_eq!(
            ok("join", vec![s("-"), strs(&["a", "b"]), nums(&[1.0])]),
            s("a-b-1")
        );
        assert_eq!(ok("join", vec![s("-"), strs(&[])]), s(""));
    }

    #[test]
    fn substr_clips_like_terraform() {
        let sub = |o: f64, l: f64| ok("substr", vec![s("hello world"), n(o), n(l)]);
        assert_eq!(sub(1.0, 4.0), s("ello"));
        assert_eq!(sub(-5.0, -1.0), s("world"));
        assert_eq!(sub(-50.0, 2.0), s("he"));
        assert_eq!(sub(6.0, 100.0), s("world"));
        assert_eq!(sub(100.0, 1.0), s(""));
        assert_eq!(sub(0.0, 0.0), s(""));
        assert_eq!(ok("substr", vec![s("héllo"), n(1.0), n(1.0)]), s("é"));
        let e = err("substr", vec![s("x"), n(0.0), n(-2.0)]);
        assert_eq!(e.arg, Some(2));
        let e = err("substr", vec![s("x"), n(0.5), n(1.0)]);
        assert_eq!(
            e.message,
            "argument 2 of `substr` must be a whole number, got 0.5"
        );
    }

    #[test]
    fn replace_plain_and_regex() {
        assert_eq!(ok("replace", vec![s("a-b-c"), s("-"), s("_")]), s("a_b_c"));
        assert_eq!(ok("replace", vec![s("a/b"), s("/"), s("-")]), s("a-b"));
        assert_eq!(
            ok("replace", vec![s("hello world"), s("/w(or)ld/"), s("$1")]),
            s("hello or")
        );
        assert_eq!(
            ok("replace", vec![s("abc123"), s("/[0-9]+/"), s("#")]),
            s("abc#")
        );
        let e = err("replace", vec![s("x"), s("/(/"), s("y")]);
        assert!(
            e.message.contains("not a valid regular expression"),
            "{}",
            e.message
        );
        assert_eq!(e.arg, Some(1));
    }

    #[test]
    fn regex_functions() {
        assert_eq!(ok("regex", vec![s("[a-z]+"), s("123abc456")]), s("abc"));
        assert_eq!(
            ok("regex", vec![s("(\\d+)-(\\d+)"), s("v 10-20")]),
            strs(&["10", "20"])
        );
        assert_eq!(
            ok(
                "regex",
                vec![s("(?P<major>\\d+)\\.(?P<minor>\\d+)"), s("v1.2")]
            ),
            map(&[("major", s("1")), ("minor", s("2"))])
        );
        assert_eq!(
            ok("regex", vec![s("(a)|(b)"), s("b")]),
            list(vec![Value::Null, s("b")])
        );
        assert_eq!(ok("regexall", vec![s("\\d"), s("a1b2")]), strs(&["1", "2"]));
        assert_eq!(ok("regexall", vec![s("\\d"), s("ab")]), strs(&[]));
        let e = err("regex", vec![s("\\d"), s("abc")]);
        assert!(e.message.contains("does not match"), "{}", e.message);
        assert_eq!(e.arg, Some(1));
        let e = err("regex", vec![s("(?P<a>x)(y)"), s("xy")]);
        assert!(
            e.message.contains("mixes named and unnamed"),
            "{}",
            e.message
        );
    }

    #[test]
    fn format_verbs() {
        let f = |fmt: &str, args: Vec<Value>| {
            let mut all = vec![s(fmt)];
            all.extend(args);
            ok("format", all)
        };
        assert_eq!(f("Hello, %s!", vec![s("Ander")]), s("Hello, Ander!"));
        assert_eq!(f("%d items", vec![n(3.0)]), s("3 items"));
        assert_eq!(f("%d", vec![s("42")]), s("42"));
        assert_eq!(f("%.2f", vec![n(1.23456)]), s("1.23"));
        assert_eq!(f("%f", vec![n(1.0)]), s("1.000000"));
        assert_eq!(
            f("%5d|%-5d|%05d", vec![n(42.0), n(42.0), n(-42.0)]),
            s("   42|42   |-0042")
        );
        assert_eq!(f("%+d %+d", vec![n(5.0), n(-5.0)]), s("+5 -5"));
        assert_eq!(f("%8.3f|", vec![n(1.23456)]), s("   1.235|"));
        assert_eq!(f("%-6s|%6s", vec![s("ab"), s("cd")]), s("ab    |    cd"));
        assert_eq!(f("%.3s", vec![s("abcdef")]), s("abc"));
        assert_eq!(f("%q", vec![s("a\"b")]), s("\"a\\\"b\""));
        // %g as Go writes it.
        let g = |spec: &str, x: f64| f(spec, vec![n(x)]);
        assert_eq!(g("%g", 1.0), s("1"));
        assert_eq!(g("%g", 100000.0), s("100000"));
        assert_eq!(g("%g", 1000000.0), s("1e+06"));
        assert_eq!(g("%g", 0.0001), s("0.0001"));
        assert_eq!(g("%g", 0.00001), s("1e-05"));
        assert_eq!(g("%g", 4.56789), s("4.56789"));
        assert_eq!(g("%g", -2.5), s("-2.5"));
        assert_eq!(g("%g", 0.0), s("0"));
        assert_eq!(g("%g", 123456789.0), s("1.23456789e+08"));
        assert_eq!(g("%.3g", 4.56789), s("4.57"));
        assert_eq!(g("%.3g", 1234.0), s("1.23e+03"));
        assert_eq!(g("%.3g", 1.0), s("1"));
        assert_eq!(g("%.10g", 123456789.0), s("123456789"));
        assert_eq!(g("%.0g", 7.7), s("8"));
        assert_eq!(g("%G", 1e-10), s("1E-10"));
        assert_eq!(g("%8.3g|", 4.56789), s("    4.57|"));
        assert_eq!(g("%+g", 2.0), s("+2"));
        // Precision on strings counts grapheme clusters, before quoting; `.0` is no limit.
        assert_eq!(f("%.3q", vec![s("abcdef")]), s("\"abc\""));
        assert_eq!(f("%.0s", vec![s("abc")]), s("abc"));
        assert_eq!(f("%.2s", vec![s("e\u{301}xyz")]), s("e\u{301}x"));
        // %q escapes as Go's strconv.Quote, not as JSON.
        assert_eq!(f("%q", vec![s("a\u{7}b<>\u{0}")]), s("\"a\\ab<>\\x00\""));
        assert_eq!(
            f("%q", vec![s("\u{a0}é\u{200b}")]),
            s("\"\\u00a0é\\u200b\"")
        );
        // Whole numbers beyond 64 bits are written exactly.
        assert_eq!(f("%d", vec![n(1e20)]), s("100000000000000000000"));
        let two_to_70 = Value::Number(Number::parse("1180591620717411303424").expect("number"));
        assert_eq!(f("%x", vec![two_to_70.clone()]), s("400000000000000000"));
        assert_eq!(f("%d", vec![two_to_70]), s("1180591620717411303424"));
        let huge = Value::Number(Number::parse("-1e40").expect("number"));
        assert_eq!(
            f("%d", vec![huge]),
            s("-10000000000000000000000000000000000000000")
        );
        assert_eq!(
            f("%v %v %v", vec![s("x"), n(1.5), b(true)]),
            s("x 1.5 true")
        );
        assert_eq!(
            f("%v", vec![map(&[("b", n(1.0)), ("a", strs(&["x"]))])]),
            s("{\"a\":[\"x\"],\"b\":1}")
        );
        assert_eq!(f("%#v", vec![s("x")]), s("\"x\""));
        assert_eq!(f("%v", vec![Value::Null]), s("null"));
        assert_eq!(f("%t", vec![b(false)]), s("false"));
        assert_eq!(
            f("%x %X %o %b", vec![n(255.0), n(255.0), n(8.0), n(5.0)]),
            s("ff FF 10 101")
        );
        assert_eq!(f("%x", vec![s("hi")]), s("6869"));
        assert_eq!(f("%e", vec![n(1500.0)]), s("1.500000e+03"));
        assert_eq!(f("%.1E", vec![n(0.00012)]), s("1.2E-04"));
        assert_eq!(f("100%%", vec![]), s("100%"));
        assert_eq!(f("%[2]s %[1]s", vec![s("a"), s("b")]), s("b a"));
        assert_eq!(f("%s", vec![n(5.0)]), s("5"));
        assert_eq!(f("%s", vec![b(true)]), s("true"));
        assert_eq!(f("%.3d", vec![n(7.0)]), s("007"));
    }

    #[test]
    fn format_errors() {
        let e = err("format", vec![s("%s %s"), s("a")]);
        assert_eq!(
            e.message,
            "argument 1 of `format` needs at least 2 values after it (for `%s`), got 1"
        );
        assert_eq!(e.arg, Some(0));
        let e = err("format", vec![s("%s"), s("a"), s("b")]);
        assert_eq!(
            e.message,
            "argument 3 of `format` is not used: the format string uses 1 value"
        );
        assert_eq!(e.arg, Some(2));
        let e = err("format", vec![s("%d"), n(1.5)]);
        assert!(
            e.message.contains("expected a whole number"),
            "{}",
            e.message
        );
        assert_eq!(e.arg, Some(1));
        let e = err("format", vec![s("%d"), s("x")]);
        assert_eq!(
            e.message,
            "argument 2 of `format` cannot be formatted with `%d`: expected a number, got string \"x\""
        );
        let e = err("format", vec![s("%s"), strs(&["a"])]);
        assert_eq!(e.arg, Some(1));
        let e = err("format", vec![s("%s"), Value::Null]);
        assert!(e.message.contains("is null"), "{}", e.message);
        let e = err("format", vec![s("%y"), s("a")]);
        assert!(e.message.contains("unsupported verb `%y`"), "{}", e.message);
        assert_eq!(e.arg, Some(0));
        let e = err("format", vec![s("50%")]);
        assert!(e.message.contains("incomplete verb"), "{}", e.message);
        let e = err("format", vec![s("%999999999s"), s("a")]);
        assert!(e.message.contains("above 1000"), "{}", e.message);
        let e = err("format", vec![s("%.5000f"), n(1.0)]);
        assert!(e.message.contains("above 1000"), "{}", e.message);
        let e = err("format", vec![s("%[0]s"), s("a")]);
        assert!(
            e.message.contains("malformed argument index"),
            "{}",
            e.message
        );
    }

    #[test]
    fn format_with_unknowns() {
        assert_eq!(ok("format", vec![s("%s"), U]), U);
        assert_eq!(ok("format", vec![s("%s"), resource("workspace.a")]), U);
        assert_eq!(
            ok(
                "format",
                vec![s("%s-%s"), attr("workspace.a", "id"), s("x")]
            ),
            U
        );
        assert_eq!(ok("format", vec![U, s("x")]), U);
        // Count errors win over unknowns.
        let e = err("format", vec![s("%s %s"), U]);
        assert!(e.message.contains("needs at least 2"), "{}", e.message);
    }

    #[test]
    fn formatlist_iterates_lists() {
        assert_eq!(
            ok("formatlist", vec![s("%s=%s"), strs(&["a", "b"]), s("x")]),
            strs(&["a=x", "b=x"])
        );
        assert_eq!(
            ok(
                "formatlist",
                vec![s("%s-%d"), strs(&["a", "b"]), nums(&[1.0, 2.0])]
            ),
            strs(&["a-1", "b-2"])
        );
        assert_eq!(ok("formatlist", vec![s("%s"), s("x")]), strs(&["x"]));
        assert_eq!(
            ok("formatlist", vec![s("%s"), list(vec![s("a"), U])]),
            list(vec![s("a"), U])
        );
        assert_eq!(ok("formatlist", vec![s("%s"), U]), U);
        let e = err(
            "formatlist",
            vec![s("%s%s"), strs(&["a"]), strs(&["a", "b"])],
        );
        assert!(e.message.contains("same length"), "{}", e.message);
        assert_eq!(e.arg, Some(2));
    }

    #[test]
    fn collection_functions() {
        assert_eq!(
            ok(
                "concat",
                vec![strs(&["a"]), list(vec![]), list(vec![n(1.0), U])]
            ),
            list(vec![s("a"), n(1.0), U])
        );
        assert_eq!(
            ok(
                "merge",
                vec![
                    map(&[("a", n(1.0)), ("b", n(1.0))]),
                    Value::Null,
                    map(&[("b", n(2.0))])
                ]
            ),
            map(&[("a", n(1.0)), ("b", n(2.0))])
        );
        let e = err("merge", vec![map(&[]), strs(&[])]);
        assert_eq!(e.arg, Some(1));
        assert_eq!(ok("length", vec![s("héllo")]), n(5.0));
        assert_eq!(ok("length", vec![list(vec![U, U])]), n(2.0));
        assert_eq!(ok("length", vec![map(&[("a", U)])]), n(1.0));
        assert_eq!(
            ok("keys", vec![map(&[("b", U), ("a", n(1.0))])]),
            strs(&["a", "b"])
        );
        assert_eq!(
            ok("values", vec![map(&[("b", n(2.0)), ("a", n(1.0))])]),
            nums(&[1.0, 2.0])
        );
        assert_eq!(
            ok("reverse", vec![nums(&[1.0, 2.0, 3.0])]),
            nums(&[3.0, 2.0, 1.0])
        );
        assert_eq!(
            ok("slice", vec![nums(&[1.0, 2.0, 3.0]), n(1.0), n(3.0)]),
            nums(&[2.0, 3.0])
        );
        assert_eq!(ok("slice", vec![nums(&[1.0]), n(1.0), n(1.0)]), nums(&[]));
        assert_eq!(
            err("slice", vec![nums(&[1.0]), n(0.0), n(2.0)]).arg,
            Some(2)
        );
        assert_eq!(
            err("slice", vec![nums(&[1.0, 2.0]), n(2.0), n(1.0)]).arg,
            Some(1)
        );
        assert_eq!(
            ok("sort", vec![list(vec![s("b"), n(10.0), s("a"), n(9.0)])]),
            strs(&["10", "9", "a", "b"])
        );
        assert_eq!(ok("sort", vec![list(vec![s("b"), U])]), U);
        assert_eq!(
            ok("distinct", vec![strs(&["a", "b", "a", "c", "b"])]),
            strs(&["a", "b", "c"])
        );
        assert_eq!(
            ok(
                "flatten",
                vec![list(vec![
                    strs(&["a"]),
                    list(vec![strs(&["b"]), s("c")]),
                    list(vec![])
                ])]
            ),
            strs(&["a", "b", "c"])
        );
        assert_eq!(ok("flatten", vec![list(vec![strs(&["a"]), U])]), U);
        assert_eq!(
            ok(
                "compact",
                vec![list(vec![s("a"), s(""), Value::Null, n(1.0)])]
            ),
            strs(&["a", "1"])
        );
        assert_eq!(ok("compact", vec![list(vec![s("a"), U])]), U);
        assert_eq!(
            ok("zipmap", vec![strs(&["a", "b"]), list(vec![n(1.0), U])]),
            map(&[("a", n(1.0)), ("b", U)])
        );
        assert_eq!(err("zipmap", vec![strs(&["a"]), list(vec![])]).arg, Some(1));
        assert_eq!(ok("one", vec![list(vec![])]), Value::Null);
        assert_eq!(ok("one", vec![strs(&["a"])]), s("a"));
        assert_eq!(err("one", vec![Value::Null]).arg, Some(0));
        assert!(
            err("one", vec![strs(&["a", "b"])])
                .message
                .contains("at most one")
        );
    }

    #[test]
    fn lookup_element_index_contains() {
        let m = map(&[("a", n(1.0)), ("beta", resource("workspace.w"))]);
        assert_eq!(ok("lookup", vec![m.clone(), s("a")]), n(1.0));
        assert_eq!(
            ok("lookup", vec![m.clone(), s("beta")]),
            resource("workspace.w")
        );
        assert_eq!(ok("lookup", vec![m.clone(), s("zz"), s("d")]), s("d"));
        assert_eq!(ok("lookup", vec![m.clone(), U]), U);
        let e = err("lookup", vec![m.clone(), s("bet")]);
        assert!(
            e.message.contains("no key \"bet\"; did you mean \"beta\"?"),
            "{}",
            e.message
        );
        assert_eq!(e.arg, Some(1));

        let l = list(vec![s("a"), s("b"), s("c")]);
        assert_eq!(ok("element", vec![l.clone(), n(1.0)]), s("b"));
        assert_eq!(ok("element", vec![l.clone(), n(4.0)]), s("b"));
        assert_eq!(ok("element", vec![list(vec![U]), n(0.0)]), U);
        assert_eq!(err("element", vec![list(vec![]), n(0.0)]).arg, Some(0));
        assert_eq!(ok("element", vec![l.clone(), n(-1.0)]), s("c"));
        assert_eq!(ok("element", vec![l.clone(), U]), U);

        assert_eq!(ok("index", vec![l.clone(), s("c")]), n(2.0));
        assert_eq!(ok("index", vec![list(vec![s("a"), U]), s("a")]), n(0.0));
        assert_eq!(ok("index", vec![list(vec![U, s("a")]), s("a")]), U);
        let e = err("index", vec![l.clone(), s("z")]);
        assert_eq!(e.message, "\"z\" is not in the list given to `index`");

        assert_eq!(ok("contains", vec![l.clone(), s("b")]), b(true));
        assert_eq!(ok("contains", vec![l.clone(), s("z")]), b(false));
        assert_eq!(ok("contains", vec![list(vec![s("b"), U]), s("b")]), b(true));
        assert_eq!(ok("contains", vec![list(vec![s("b"), U]), s("z")]), U);
        assert_eq!(ok("contains", vec![l.clone(), U]), U);
        assert_eq!(ok("contains", vec![nums(&[1.0]), s("1")]), b(false));
    }

    #[test]
    fn whole_resource_refs_are_opaque_values() {
        let w1 = resource("workspace.a");
        let w2 = resource("workspace.b");
        let refs = list(vec![w1.clone(), w2.clone()]);
        assert_eq!(ok("contains", vec![refs.clone(), w2.clone()]), b(true));
        assert_eq!(ok("index", vec![refs.clone(), w2.clone()]), n(1.0));
        assert_eq!(
            ok("distinct", vec![list(vec![w1.clone(), w1.clone()])]),
            list(vec![w1.clone()])
        );
        assert_eq!(
            ok("values", vec![map(&[("x", w1.clone())])]),
            list(vec![w1.clone()])
        );
        assert_eq!(ok("coalesce", vec![Value::Null, w1.clone()]), w1.clone());
        assert_eq!(
            ok(
                "toset",
                vec![list(vec![w2.clone(), w1.clone(), w2.clone()])]
            ),
            refs.clone()
        );
        assert_eq!(
            ok(
                "setunion",
                vec![list(vec![w2.clone()]), list(vec![w1.clone()])]
            ),
            refs.clone()
        );
        // Turning one into text needs its ID, known after apply.
        assert_eq!(ok("tostring", vec![w1.clone()]), U);
        assert_eq!(ok("join", vec![s(","), refs.clone()]), U);
        assert_eq!(ok("upper", vec![w1.clone()]), U);
        assert_eq!(ok("jsonencode", vec![refs.clone()]), U);
        assert!(
            err("tonumber", vec![w1.clone()])
                .message
                .contains("cannot be converted to a number")
        );
    }

    #[test]
    fn unknowns_propagate() {
        let a = attr("online_endpoint.e", "scoring_uri");
        assert_eq!(ok("lower", vec![U]), U);
        assert_eq!(ok("lower", vec![a.clone()]), U);
        assert_eq!(ok("join", vec![s(","), list(vec![s("a"), a.clone()])]), U);
        assert_eq!(ok("length", vec![U]), U);
        assert_eq!(ok("length", vec![a.clone()]), U);
        assert_eq!(ok("keys", vec![U]), U);
        assert_eq!(ok("concat", vec![strs(&["a"]), U]), U);
        assert_eq!(ok("merge", vec![map(&[]), U]), U);
        assert_eq!(ok("tolist", vec![U]), U);
        assert_eq!(ok("toset", vec![list(vec![s("a"), U])]), U);
        assert_eq!(
            ok("tolist", vec![list(vec![s("a"), U])]),
            list(vec![s("a"), U])
        );
        assert_eq!(ok("coalesce", vec![s(""), U, s("x")]), U);
        assert_eq!(ok("coalesce", vec![s("x"), U]), s("x"));
        assert_eq!(ok("sum", vec![list(vec![n(1.0), U])]), U);
        assert_eq!(ok("max", vec![n(1.0), U]), U);
        assert_eq!(ok("jsonencode", vec![map(&[("a", U)])]), U);
        assert_eq!(ok("sha256", vec![U]), U);
        assert_eq!(ok("file", vec![U]), U);
        assert_eq!(ok("tonumber", vec![a.clone()]), U);
        assert_eq!(ok("alltrue", vec![list(vec![b(true), U])]), U);
        assert_eq!(ok("alltrue", vec![list(vec![b(false), U])]), b(false));
        assert_eq!(ok("anytrue", vec![list(vec![U, b(true)])]), b(true));
        assert_eq!(ok("distinct", vec![list(vec![s("a"), U])]), U);
        assert_eq!(ok("setintersection", vec![strs(&["a"]), list(vec![U])]), U);
        assert_eq!(ok("cidrsubnet", vec![U, n(8.0), n(1.0)]), U);
        assert_eq!(ok("one", vec![U]), U);
        assert_eq!(ok("regex", vec![s("a"), U]), U);
    }

    #[test]
    fn coalesce_functions() {
        assert_eq!(
            ok("coalesce", vec![Value::Null, s(""), s("a"), s("b")]),
            s("a")
        );
        // A number and a string meet as a string, as in Terraform.
        assert_eq!(ok("coalesce", vec![n(0.0), s("b")]), s("0"));
        let e = err("coalesce", vec![Value::Null, s("")]);
        assert_eq!(
            e.message,
            "all arguments of `coalesce` are null or empty strings"
        );
        assert_eq!(
            ok(
                "coalescelist",
                vec![list(vec![]), strs(&["a"]), strs(&["b"])]
            ),
            strs(&["a"])
        );
        assert_eq!(ok("coalescelist", vec![Value::Null, list(vec![]), U]), U);
        assert!(run("coalescelist", vec![list(vec![])]).is_err());
        assert_eq!(err("coalescelist", vec![list(vec![]), s("x")]).arg, Some(1));
    }

    #[test]
    fn numeric_functions() {
        assert_eq!(ok("abs", vec![n(-3.5)]), n(3.5));
        assert_eq!(ok("abs", vec![s("-2")]), n(2.0));
        assert_eq!(ok("ceil", vec![n(1.2)]), n(2.0));
        assert_eq!(ok("floor", vec![n(-1.2)]), n(-2.0));
        assert_eq!(ok("pow", vec![n(2.0), n(10.0)]), n(1024.0));
        assert_eq!(ok("signum", vec![n(-7.0)]), n(-1.0));
        assert_eq!(ok("signum", vec![n(0.0)]), n(0.0));
        assert_eq!(ok("signum", vec![n(3.0)]), n(1.0));
        assert_eq!(ok("min", vec![n(3.0), n(1.0), n(2.0)]), n(1.0));
        assert_eq!(ok("max", vec![n(3.0), s("10"), n(2.0)]), n(10.0));
        assert_eq!(ok("sum", vec![nums(&[1.0, 2.5])]), n(3.5));
        assert!(
            err("sum", vec![list(vec![])])
                .message
                .contains("must not be empty")
        );
        assert_eq!(err("sum", vec![strs(&["x"])]).arg, Some(0));
    }

    #[test]
    fn parseint_bases() {
        assert_eq!(ok("parseint", vec![s("100"), n(10.0)]), n(100.0));
        assert_eq!(ok("parseint", vec![s("FF"), n(16.0)]), n(255.0));
        assert_eq!(ok("parseint", vec![s("ff"), n(16.0)]), n(255.0));
        assert_eq!(ok("parseint", vec![s("-1010"), n(2.0)]), n(-10.0));
        assert_eq!(ok("parseint", vec![s("Z"), n(62.0)]), n(61.0));
        assert_eq!(ok("parseint", vec![s("z"), n(62.0)]), n(35.0));
        let e = err("parseint", vec![s("12"), n(2.0)]);
        assert_eq!(
            e.message,
            "argument 1 of `parseint` cannot be parsed as a base 2 integer: \"12\""
        );
        assert_eq!(err("parseint", vec![s("1"), n(1.0)]).arg, Some(1));
        assert_eq!(err("parseint", vec![s(""), n(10.0)]).arg, Some(0));
        // Arbitrary precision, as Go's big.Int.
        assert_eq!(
            run("parseint", vec![s(&"9".repeat(60)), n(10.0)]),
            Ok(Value::Number(
                Number::parse(&"9".repeat(60)).expect("number")
            ))
        );
        assert_eq!(
            run(
                "parseint",
                vec![s(&format!("-1{}", "0".repeat(70))), n(2.0)]
            ),
            Ok(Value::Number(
                Number::parse("-1180591620717411303424").expect("number")
            ))
        );
        assert!(run("parseint", vec![s(&"7".repeat(100_001)), n(10.0)]).is_err());
    }

    #[test]
    fn range_function() {
        assert_eq!(ok("range", vec![n(3.0)]), nums(&[0.0, 1.0, 2.0]));
        assert_eq!(ok("range", vec![n(0.0)]), nums(&[]));
        assert_eq!(ok("range", vec![n(-2.0)]), nums(&[0.0, -1.0]));
        assert_eq!(ok("range", vec![n(1.0), n(4.0)]), nums(&[1.0, 2.0, 3.0]));
        assert_eq!(ok("range", vec![n(4.0), n(1.0)]), nums(&[4.0, 3.0, 2.0]));
        assert_eq!(
            ok("range", vec![n(0.0), n(10.0), n(4.0)]),
            nums(&[0.0, 4.0, 8.0])
        );
        assert_eq!(
            ok("range", vec![n(0.0), n(1.0), n(0.25)]),
            nums(&[0.0, 0.25, 0.5, 0.75])
        );
        assert_eq!(
            ok("range", vec![n(5.0), n(0.0), n(-2.0)]),
            nums(&[5.0, 3.0, 1.0])
        );
        assert!(
            err("range", vec![n(0.0), n(5.0), n(0.0)])
                .message
                .contains("must not be zero")
        );
        assert_eq!(err("range", vec![n(0.0), n(5.0), n(-1.0)]).arg, Some(2));
        assert!(
            err("range", vec![n(5000.0)])
                .message
                .contains("more than 1024")
        );
        assert_eq!(
            ok("range", vec![n(1024.0)]).as_list().map(<[Value]>::len),
            Some(1024)
        );
    }

    #[test]
    fn conversions() {
        assert_eq!(ok("tostring", vec![n(5.0)]), s("5"));
        assert_eq!(ok("tostring", vec![b(true)]), s("true"));
        assert_eq!(ok("tostring", vec![Value::Null]), Value::Null);
        let e = err("tostring", vec![strs(&[])]);
        assert_eq!(
            e.message,
            "argument 1 of `tostring` cannot be converted to a string, got empty list"
        );
        assert_eq!(ok("tonumber", vec![s("1.5")]), n(1.5));
        assert_eq!(ok("tonumber", vec![Value::Null]), Value::Null);
        let e = err("tonumber", vec![s("abc")]);
        assert_eq!(
            e.message,
            "argument 1 of `tonumber` cannot be converted to a number, got string \"abc\""
        );
        assert_eq!(ok("tobool", vec![s("false")]), b(false));
        assert!(run("tobool", vec![s("yes")]).is_err());
        assert!(run("tobool", vec![n(1.0)]).is_err());
        assert_eq!(ok("tolist", vec![strs(&["a"])]), strs(&["a"]));
        assert!(run("tolist", vec![map(&[])]).is_err());
        assert_eq!(ok("toset", vec![strs(&["b", "a", "b"])]), strs(&["a", "b"]));
        assert_eq!(
            ok("tomap", vec![map(&[("a", n(1.0))])]),
            map(&[("a", n(1.0))])
        );
        assert!(run("tomap", vec![strs(&[])]).is_err());
    }

    #[test]
    fn set_functions() {
        assert_eq!(
            ok("setunion", vec![strs(&["b", "a"]), strs(&["c", "a"])]),
            strs(&["a", "b", "c"])
        );
        assert_eq!(
            ok(
                "setintersection",
                vec![
                    strs(&["a", "b", "c"]),
                    strs(&["b", "c", "d"]),
                    strs(&["c", "b"])
                ]
            ),
            strs(&["b", "c"])
        );
        assert_eq!(
            ok("setsubtract", vec![strs(&["a", "b", "c"]), strs(&["b"])]),
            strs(&["a", "c"])
        );
        assert_eq!(ok("setunion", vec![strs(&["a"])]), strs(&["a"]));
    }

    #[test]
    fn bool_list_functions() {
        assert_eq!(ok("alltrue", vec![list(vec![])]), b(true));
        assert_eq!(ok("alltrue", vec![list(vec![b(true), s("true")])]), b(true));
        assert_eq!(ok("alltrue", vec![list(vec![b(true), b(false)])]), b(false));
        assert_eq!(ok("anytrue", vec![list(vec![])]), b(false));
        assert_eq!(ok("anytrue", vec![list(vec![b(false), b(true)])]), b(true));
        assert_eq!(
            ok("alltrue", vec![list(vec![b(true), Value::Null])]),
            b(false)
        );
        assert_eq!(
            ok("anytrue", vec![list(vec![Value::Null, b(true)])]),
            b(true)
        );
        assert_eq!(ok("anytrue", vec![list(vec![Value::Null])]), b(false));
        assert_eq!(ok("anytrue", vec![list(vec![U, b(true)])]), b(true));
        assert_eq!(ok("alltrue", vec![list(vec![U, b(false)])]), U);
        let e = err("alltrue", vec![list(vec![s("yes")])]);
        assert_eq!(
            e.message,
            "argument 1 of `alltrue` must be a list of bools, but element 0 is string \"yes\""
        );
    }

    #[test]
    fn json_functions() {
        let v = map(&[
            ("b", nums(&[1.0, 2.5])),
            ("a", s("<x & y>")),
            ("c", Value::Null),
            ("d", b(true)),
        ]);
        let encoded = ok("jsonencode", vec![v.clone()]);
        assert_eq!(
            encoded,
            s("{\"a\":\"\\u003cx \\u0026 y\\u003e\",\"b\":[1,2.5],\"c\":null,\"d\":true}")
        );
        assert_eq!(ok("jsondecode", vec![encoded]), v);
        assert_eq!(
            ok("jsonencode", vec![s("a\"\\\n\u{1}")]),
            s("\"a\\\"\\\\\\n\\u0001\"")
        );
        assert_eq!(ok("jsonencode", vec![Value::Null]), s("null"));
        assert_eq!(
            ok("jsondecode", vec![s("[1, \"x\", {\"k\": false}]")]),
            list(vec![n(1.0), s("x"), map(&[("k", b(false))])])
        );
        let e = err("jsondecode", vec![s("{nope")]);
        assert!(
            e.message
                .starts_with("argument 1 of `jsondecode` is not valid JSON"),
            "{}",
            e.message
        );
        // Numbers keep their precision through JSON, both ways.
        let big = Value::Number(Number::parse("123456789012345678901234567890.5").expect("number"));
        assert_eq!(
            run("jsonencode", vec![big.clone()]),
            Ok(s("123456789012345678901234567890.5"))
        );
        assert_eq!(
            run("jsondecode", vec![s("[0.1, 9007199254740993]")]),
            Ok(Value::List(vec![
                Value::Number(Number::parse("0.1").expect("number")),
                Value::Number(Number::parse("9007199254740993").expect("number")),
            ]))
        );
    }

    #[test]
    fn base64_round_trips() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
            ("héllo wörld", "aMOpbGxvIHfDtnJsZA=="),
        ] {
            assert_eq!(ok("base64encode", vec![s(plain)]), s(encoded));
            assert_eq!(ok("base64decode", vec![s(encoded)]), s(plain));
        }
        assert_eq!(ok("base64decode", vec![s("Zm9v\nYmFy")]), s("foobar"));
        assert!(
            err("base64decode", vec![s("Zm9")])
                .message
                .contains("multiple of 4")
        );
        assert!(
            err("base64decode", vec![s("Zm9v!!!!")])
                .message
                .contains("not a base64 character")
        );
        assert!(
            err("base64decode", vec![s("Zg==Zg==")])
                .message
                .contains("padding")
        );
        assert!(
            err("base64decode", vec![s("Z===")])
                .message
                .contains("padding")
        );
        assert!(
            err("base64decode", vec![s("/w==")])
                .message
                .contains("UTF-8")
        );
    }

    #[test]
    fn hashes_and_uuids() {
        assert_eq!(
            ok("sha256", vec![s("hello")]),
            s("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        );
        assert_eq!(
            ok("base64sha256", vec![s("hello")]),
            s("LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=")
        );
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com")
        assert_eq!(
            ok("uuidv5", vec![s("dns"), s("www.example.com")]),
            s("2ed6657d-e927-568b-95e1-2665a8aea6a2")
        );
        assert_eq!(
            ok(
                "uuidv5",
                vec![
                    s("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
                    s("www.example.com")
                ]
            ),
            s("2ed6657d-e927-568b-95e1-2665a8aea6a2")
        );
        assert_eq!(
            ok("uuidv5", vec![s("url"), s("x")]),
            ok("uuidv5", vec![s("url"), s("x")])
        );
        assert_eq!(err("uuidv5", vec![s("nope"), s("x")]).arg, Some(0));
    }

    #[test]
    fn files() {
        let dir =
            std::env::temp_dir().join(format!("amlplan-functions-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("env")).unwrap();
        std::fs::write(dir.join("env/conda.yml"), "name: fraud\n").unwrap();
        std::fs::write(dir.join("bin"), [0xff, 0x00]).unwrap();
        let ctx = FunctionContext { base_dir: &dir };
        let call_in = |name: &str, path: &str| call(name, vec![s(path)], &ctx);

        assert_eq!(call_in("file", "env/conda.yml"), Ok(s("name: fraud\n")));
        assert_eq!(call_in("fileexists", "env/conda.yml"), Ok(b(true)));
        assert_eq!(call_in("fileexists", "missing.yml"), Ok(b(false)));
        assert_eq!(call_in("filebase64", "bin"), Ok(s("/wA=")));
        let absolute = dir.join("env/conda.yml");
        assert_eq!(
            call_in("file", absolute.to_str().unwrap()),
            Ok(s("name: fraud\n"))
        );

        let e = call_in("file", "missing.yml").unwrap_err();
        // The path as written, never the absolute one (output must not depend on the
        // checkout's location).
        assert_eq!(e.message, "cannot read missing.yml: no such file");
        assert!(e.message.starts_with("cannot read "), "{}", e.message);
        assert_eq!(e.arg, Some(0));
        let e = call_in("file", "bin").unwrap_err();
        assert!(e.message.contains("filebase64"), "{}", e.message);
        let e = call_in("file", "env").unwrap_err();
        assert!(
            e.message.ends_with("env: it is not a file"),
            "{}",
            e.message
        );
        let e = call_in("fileexists", "env").unwrap_err();
        assert!(e.message.contains("not a file"), "{}", e.message);

        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn cidrsubnets_allocates_aligned_consecutive_subnets() {
        let nums = |v: &[f64]| v.iter().map(|&x| n(x)).collect::<Vec<_>>();
        let call = |prefix: &str, bits: &[f64]| {
            let mut args = vec![s(prefix)];
            args.extend(nums(bits));
            run("cidrsubnets", args)
        };
        assert_eq!(
            call("10.1.0.0/16", &[4.0, 4.0, 8.0, 4.0]).unwrap(),
            strs(&[
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ])
        );
        assert_eq!(
            call("fd00:fd12:3456:7890::/56", &[16.0, 16.0, 16.0, 32.0]).unwrap(),
            strs(&[
                "fd00:fd12:3456:7800::/72",
                "fd00:fd12:3456:7800:100::/72",
                "fd00:fd12:3456:7800:200::/72",
                "fd00:fd12:3456:7800:300::/88"
            ])
        );
        assert_eq!(call("10.0.0.0/8", &[]).unwrap(), list(vec![]));
        assert_eq!(
            call("0.0.0.0/0", &[1.0, 1.0]).unwrap(),
            strs(&["0.0.0.0/1", "128.0.0.0/1"])
        );
        let full = call("10.0.0.0/30", &[1.0, 1.0, 1.0]).unwrap_err();
        assert_eq!(full.arg, Some(3));
        assert!(
            full.message.contains("not enough address space"),
            "{}",
            full.message
        );
        assert!(full.message.contains("10.0.0.2/31"), "{}", full.message);
        assert!(
            call("10.0.0.0/8", &[0.0])
                .unwrap_err()
                .message
                .contains("at least one bit")
        );
        assert!(
            call("10.0.0.0/8", &[33.0])
                .unwrap_err()
                .message
                .contains("more than 32")
        );
        assert!(
            call("10.0.0.0/28", &[8.0])
                .unwrap_err()
                .message
                .contains("too long for an IPv4")
        );
    }

    #[test]
    fn cidr_prefixes_parse_as_terraform_does() {
        // Leading zeros are decimal, as in Go 1.16's parser that Terraform keeps.
        assert_eq!(
            ok("cidrsubnet", vec![s("010.001.0.0/16"), n(8.0), n(2.0)]),
            s("10.1.2.0/24")
        );
        assert_eq!(
            ok("cidrhost", vec![s("10.0.0.0/024"), n(5.0)]),
            s("10.0.0.5")
        );
        // IPv4-mapped IPv6 networks are shown in IPv4 form, their prefix within the IPv4 part.
        assert_eq!(
            ok("cidrsubnet", vec![s("::ffff:10.0.0.0/104"), n(8.0), n(1.0)]),
            s("10.1.0.0/16")
        );
        assert_eq!(
            ok("cidrhost", vec![s("::ffff:10.0.0.0/104"), n(5.0)]),
            s("10.0.0.5")
        );
        assert_eq!(
            ok("cidrnetmask", vec![s("::ffff:10.0.0.0/104")]),
            s("ffff:ffff:ffff:ffff:ffff:ffff:ff00:0")
        );
        assert!(run("cidrhost", vec![s("256.0.0.0/8"), n(1.0)]).is_err());
        assert!(run("cidrhost", vec![s("10.0.0/8"), n(1.0)]).is_err());
        assert!(run("cidrhost", vec![s("10.0.0.0/+8"), n(1.0)]).is_err());
    }

    #[test]
    fn cidr_functions() {
        assert_eq!(
            ok("cidrsubnet", vec![s("10.0.0.0/16"), n(8.0), n(2.0)]),
            s("10.0.2.0/24")
        );
        assert_eq!(
            ok("cidrsubnet", vec![s("10.1.2.3/16"), n(4.0), n(15.0)]),
            s("10.1.240.0/20")
        );
        assert_eq!(
            ok("cidrsubnet", vec![s("10.0.0.0/16"), n(0.0), n(0.0)]),
            s("10.0.0.0/16")
        );
        assert_eq!(
            ok(
                "cidrsubnet",
                vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(162.0)]
            ),
            s("fd00:fd12:3456:7800:a200::/72")
        );
        assert_eq!(ok("cidrsubnet", vec![s("::/0"), n(0.0), n(0.0)]), s("::/0"));
        assert_eq!(
            err("cidrsubnet", vec![s("10.0.0.0/16"), n(17.0), n(0.0)]).arg,
            Some(1)
        );
        assert_eq!(
            err("cidrsubnet", vec![s("10.0.0.0/16"), n(8.0), n(256.0)]).arg,
            Some(2)
        );
        assert_eq!(
            err("cidrsubnet", vec![s("10.0.0.0"), n(8.0), n(1.0)]).arg,
            Some(0)
        );
        assert_eq!(
            err("cidrsubnet", vec![s("10.0.0.0/33"), n(0.0), n(0.0)]).arg,
            Some(0)
        );

        assert_eq!(
            ok("cidrhost", vec![s("10.12.112.0/20"), n(16.0)]),
            s("10.12.112.16")
        );
        assert_eq!(
            ok("cidrhost", vec![s("10.12.112.0/20"), n(268.0)]),
            s("10.12.113.12")
        );
        assert_eq!(
            ok("cidrhost", vec![s("10.0.0.0/24"), n(-1.0)]),
            s("10.0.0.255")
        );
        assert_eq!(
            ok(
                "cidrhost",
                vec![s("fd00:fd12:3456:7890:00a2::/72"), n(34.0)]
            ),
            s("fd00:fd12:3456:7890::22")
        );
        assert_eq!(
            err("cidrhost", vec![s("10.0.0.0/24"), n(256.0)]).arg,
            Some(1)
        );
        assert_eq!(
            err("cidrhost", vec![s("10.0.0.0/24"), n(-257.0)]).arg,
            Some(1)
        );

        assert_eq!(
            ok("cidrnetmask", vec![s("172.16.0.0/12")]),
            s("255.240.0.0")
        );
        assert_eq!(ok("cidrnetmask", vec![s("0.0.0.0/0")]), s("0.0.0.0"));
        assert!(run("cidrnetmask", vec![s("::/64")]).is_err());
    }
}
