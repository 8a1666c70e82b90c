//! Paths into JSON bodies: the one place that knows how `properties.schedules.computeStartStop.0.timeZone`
//! is read, written and removed.
//!
//! A path is a list of segments, each an object key or an array index. Its text form is the
//! dotted one state files, plan JSON and `Desired` use: segments joined with `.`, an index
//! written as its number. A segment of digits is an index where the value is an array and a
//! key where it is an object, so the text form round-trips whichever the body holds (a tag
//! named `"0"` stays reachable). Every lookup is array-aware: redaction, comparison, lowering
//! and the emulator all step through arrays the same way.
//!
//! The functions over `&str` paths do not allocate for the walk; [`Path`] is the owned, typed
//! form for code that builds or inspects paths.

use std::fmt;

use serde_json::{Map, Value};

/// One step of a [`Path`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A path into a JSON value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path(pub Vec<Segment>);

impl Path {
    /// The empty path (the value itself).
    pub fn root() -> Self {
        Path(Vec::new())
    }

    /// Parses the dotted form; the empty string is the root. A segment of ASCII digits is an
    /// [`Segment::Index`].
    pub fn parse(dotted: &str) -> Self {
        Path(segments(dotted).map(Step::to_owned).collect())
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// This path followed by `segment`.
    pub fn child(&self, segment: Segment) -> Self {
        let mut out = self.clone();
        out.0.push(segment);
        out
    }

    /// Whether `self` is `other` or lies below it.
    pub fn starts_with(&self, other: &Path) -> bool {
        self.0.starts_with(&other.0)
    }

    /// The value at this path.
    pub fn get<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        walk(value, self.0.iter().map(Segment::step))
    }

    /// The value at this path, mutably.
    pub fn get_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value> {
        walk_mut(value, self.0.iter().map(Segment::step))
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match segment {
                Segment::Key(k) => f.write_str(k)?,
                Segment::Index(n) => write!(f, "{n}")?,
            }
        }
        Ok(())
    }
}

impl From<&str> for Path {
    fn from(dotted: &str) -> Self {
        Path::parse(dotted)
    }
}

impl Segment {
    fn step(&self) -> Step<'_> {
        match self {
            Segment::Key(k) => Step::Key(k),
            Segment::Index(i) => Step::Index(*i, None),
        }
    }
}

/// A borrowed segment: a key, or an index with the text it was parsed from (so an object
/// holding that key is still found without formatting the number).
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize, Option<&'a str>),
}

impl Step<'_> {
    fn to_owned(self) -> Segment {
        match self {
            Step::Key(k) => Segment::Key(k.to_string()),
            Step::Index(i, _) => Segment::Index(i),
        }
    }

    fn object_key(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Step::Key(k) => (*k).into(),
            Step::Index(_, Some(text)) => (*text).into(),
            Step::Index(i, None) => i.to_string().into(),
        }
    }
}

fn segments(dotted: &str) -> impl Iterator<Item = Step<'_>> {
    dotted
        .split('.')
        .filter(move |_| !dotted.is_empty())
        .map(|part| {
            if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
                match part.parse() {
                    Ok(i) => Step::Index(i, Some(part)),
                    Err(_) => Step::Key(part),
                }
            } else {
                Step::Key(part)
            }
        })
}

fn step<'v>(value: &'v Value, step: Step<'_>) -> Option<&'v Value> {
    match (value, step) {
        (Value::Array(items), Step::Index(i, _)) => items.get(i),
        (Value::Object(map), s) => map.get(s.object_key().as_ref()),
        _ => None,
    }
}

fn walk<'v, 's>(value: &'v Value, steps: impl Iterator<Item = Step<'s>>) -> Option<&'v Value> {
    let mut here = value;
    for s in steps {
        here = step(here, s)?;
    }
    Some(here)
}

fn walk_mut<'v, 's>(
    value: &'v mut Value,
    steps: impl Iterator<Item = Step<'s>>,
) -> Option<&'v mut Value> {
    let mut here = value;
    for s in steps {
        here = match (here, s) {
            (Value::Array(items), Step::Index(i, _)) => items.get_mut(i)?,
            (Value::Object(map), s) => map.get_mut(s.object_key().as_ref())?,
            _ => return None,
        };
    }
    Some(here)
}

/// The value at a dotted path (`""` is the value itself).
pub fn get<'v>(value: &'v Value, dotted: &str) -> Option<&'v Value> {
    walk(value, segments(dotted))
}

/// The value at a dotted path, mutably.
pub fn get_mut<'v>(value: &'v mut Value, dotted: &str) -> Option<&'v mut Value> {
    walk_mut(value, segments(dotted))
}

/// Sets the value at a dotted path, creating objects where nothing is (or where a scalar is).
/// Existing arrays are stepped into by index; an index one past the end appends. Returns
/// whether the value was set (an index further past the end of an array cannot be).
pub fn set(value: &mut Value, dotted: &str, new: Value) -> bool {
    if dotted.is_empty() {
        *value = new;
        return true;
    }
    let mut here = value;
    let mut steps = segments(dotted).peekable();
    while let Some(s) = steps.next() {
        let slot = match child_or_create(here, s) {
            Some(slot) => slot,
            None => return false,
        };
        if steps.peek().is_none() {
            *slot = new;
            return true;
        }
        here = slot;
    }
    false
}

/// The child of `here` at `step`, made (as `{}`) when absent; `here` becomes an object first
/// unless it is an array stepped into by index. An index past the end of an array cannot be
/// made, except the one just past it, which appends.
fn child_or_create<'v>(here: &'v mut Value, step: Step<'_>) -> Option<&'v mut Value> {
    let index = match (&*here, step) {
        (Value::Array(_), Step::Index(i, _)) => Some(i),
        _ => None,
    };
    if !here.is_object() && index.is_none() {
        *here = Value::Object(Map::new());
    }
    match (here, index) {
        (Value::Array(items), Some(i)) => {
            if i == items.len() {
                items.push(Value::Object(Map::new()));
            }
            items.get_mut(i)
        }
        (Value::Object(map), _) => Some(
            map.entry(step.object_key().into_owned())
                .or_insert_with(|| Value::Object(Map::new())),
        ),
        _ => None,
    }
}

/// Sets the value at a dotted path only where a value is already present; returns whether
/// it was (redaction: never invent a path the body does not hold).
pub fn replace(value: &mut Value, dotted: &str, new: Value) -> bool {
    match get_mut(value, dotted) {
        Some(slot) => {
            *slot = new;
            true
        }
        None => false,
    }
}

/// Removes and returns the value at a dotted path (an array element is removed, shifting the
/// ones after it).
pub fn remove(value: &mut Value, dotted: &str) -> Option<Value> {
    let (parent, last) = match dotted.rsplit_once('.') {
        Some((parent, last)) => (get_mut(value, parent)?, last),
        None if dotted.is_empty() => return None,
        None => (value, dotted),
    };
    let last = segments(last).next()?;
    match (parent, last) {
        (Value::Array(items), Step::Index(i, _)) => (i < items.len()).then(|| items.remove(i)),
        (Value::Object(map), s) => map.shift_remove(s.object_key().as_ref()),
        _ => None,
    }
}

/// `a.b` + `c` = `a.b.c` (either side may be empty).
pub fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}.{path}"),
    }
}

/// Whether the dotted path `path` is `prefix` or lies below it (segment-wise: `a.bc` is not
/// below `a.b`).
pub fn is_within(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || (path.len() > prefix.len()
            && path.starts_with(prefix)
            && path.as_bytes()[prefix.len()] == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body() -> Value {
        json!({"properties": {"schedules": {"computeStartStop": [
            {"cron": {"timeZone": "UTC"}},
            {"cron": {"timeZone": "W. Europe Standard Time"}}
        ]}}, "tags": {"0": "zero"}})
    }

    #[test]
    fn get_steps_through_arrays_and_numeric_keys() {
        let b = body();
        assert_eq!(
            get(&b, "properties.schedules.computeStartStop.1.cron.timeZone"),
            Some(&json!("W. Europe Standard Time"))
        );
        assert_eq!(get(&b, "tags.0"), Some(&json!("zero")));
        assert_eq!(get(&b, "properties.schedules.computeStartStop.2"), None);
        assert_eq!(get(&b, "tags.0.deeper"), None);
        assert_eq!(get(&b, ""), Some(&b));
    }

    #[test]
    fn typed_paths_round_trip_the_dotted_form() {
        let text = "properties.schedules.computeStartStop.0.cron.timeZone";
        let path = Path::parse(text);
        assert_eq!(path.to_string(), text);
        assert_eq!(
            path.segments()[3],
            Segment::Index(0),
            "a numeric segment is an index"
        );
        assert_eq!(path.get(&body()), Some(&json!("UTC")));
        assert!(path.starts_with(&Path::parse("properties.schedules")));
        assert!(Path::parse("").is_root());
        assert_eq!(Path::parse("tags.0").get(&body()), Some(&json!("zero")));
    }

    #[test]
    fn set_creates_objects_and_indexes_arrays() {
        let mut b = body();
        assert!(set(
            &mut b,
            "properties.schedules.computeStartStop.0.cron.timeZone",
            json!("x")
        ));
        assert_eq!(
            b["properties"]["schedules"]["computeStartStop"][0]["cron"]["timeZone"],
            "x"
        );
        assert!(set(&mut b, "properties.new.deep", json!(1)));
        assert_eq!(b["properties"]["new"]["deep"], 1);
        assert!(set(
            &mut b,
            "properties.schedules.computeStartStop.2.cron",
            json!({})
        ));
        assert_eq!(
            b["properties"]["schedules"]["computeStartStop"][2]["cron"],
            json!({})
        );
        assert!(!set(
            &mut b,
            "properties.schedules.computeStartStop.9",
            json!(1)
        ));
        let mut scalar = json!("s");
        assert!(set(&mut scalar, "a.b", json!(true)));
        assert_eq!(scalar, json!({"a": {"b": true}}));
    }

    #[test]
    fn replace_only_touches_present_values() {
        let mut b = body();
        assert!(replace(
            &mut b,
            "properties.schedules.computeStartStop.1.cron.timeZone",
            json!("(sensitive)")
        ));
        assert!(!replace(&mut b, "properties.absent", json!("(sensitive)")));
        assert_eq!(get(&b, "properties.absent"), None);
        assert_eq!(
            b["properties"]["schedules"]["computeStartStop"][1]["cron"]["timeZone"],
            "(sensitive)"
        );
    }

    #[test]
    fn remove_takes_keys_and_elements() {
        let mut b = body();
        assert_eq!(
            remove(&mut b, "properties.schedules.computeStartStop.0"),
            Some(json!({"cron": {"timeZone": "UTC"}}))
        );
        assert_eq!(
            b["properties"]["schedules"]["computeStartStop"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        assert_eq!(remove(&mut b, "tags.0"), Some(json!("zero")));
        assert_eq!(remove(&mut b, "nope.x"), None);
        assert_eq!(remove(&mut b, ""), None);
    }

    #[test]
    fn within_is_segment_wise() {
        assert!(is_within("a.b.c", "a.b"));
        assert!(is_within("a.b", "a.b"));
        assert!(!is_within("a.bc", "a.b"));
        assert!(is_within("anything", ""));
        assert_eq!(join("", "a"), "a");
        assert_eq!(join("a", ""), "a");
        assert_eq!(join("a", "0"), "a.0");
    }
}
