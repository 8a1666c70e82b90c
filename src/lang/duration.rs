//! Durations: the compact form users write (`"1h30m"`) and the ISO 8601 form ARM speaks
//! (`"PT1H30M"`).
//!
//! Manifests write durations as strings with units (`scale_down_after = "2m"`,
//! `idle_shutdown = "30m"`); ARM wants ISO 8601 (`PT2M`) and may hand back a different but
//! equal spelling (`PT120S`). So there are two parsers, both producing a
//! [`std::time::Duration`] (compare those, never the strings), and two printers.
//!
//! The compact form is a sequence of `<integer><unit>` components with units `d`, `h`, `m`,
//! `s` and `ms`, each at most once and in that (descending) order: `"30s"`, `"1h30m"`,
//! `"1d12h"`, `"500ms"`. A component may exceed the next unit (`"90m"` is fine). No spaces,
//! no signs, no fractions (`"0.5s"` is written `"500ms"`), and a unit is always required:
//! a bare `"30"` is ambiguous between seconds and minutes, and guessing wrong silently turns
//! a 30-minute idle shutdown into 30 seconds.
//!
//! Months and years are accepted by neither parser: their length varies (28 to 31 days,
//! 365 or 366), so they cannot be turned into a fixed number of seconds. Weeks are fixed
//! (7 days) and are accepted in ISO 8601 (`P1W`) because ARM may use them.
//!
//! Arithmetic is checked: absurdly long inputs give an error, never a wrap-around or panic.

use std::time::Duration;

const MS_PER_SEC: u64 = 1_000;
const SECS_PER_MIN: u64 = 60;
const SECS_PER_HOUR: u64 = 3_600;
const SECS_PER_DAY: u64 = 86_400;

/// The units of the compact form, largest first, with their length in milliseconds.
const UNITS: [(&str, u64); 5] = [
    ("d", SECS_PER_DAY * MS_PER_SEC),
    ("h", SECS_PER_HOUR * MS_PER_SEC),
    ("m", SECS_PER_MIN * MS_PER_SEC),
    ("s", MS_PER_SEC),
    ("ms", 1),
];

const UNIT_HINT: &str = "s, m, h or d";

/// Parses the compact form written in manifests: `"30s"`, `"2m"`, `"1h30m"`, `"3d"`,
/// `"1d12h"`, `"500ms"`.
///
/// The error is a sentence suitable as a diagnostic message (the caller adds the span).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    if s.is_empty() {
        return Err(format!(
            "a duration must not be empty; write a number with a unit ({UNIT_HINT}), e.g. \"30m\""
        ));
    }
    if s.chars().any(char::is_whitespace) {
        return Err(format!(
            "\"{s}\" contains spaces; write the components together, e.g. \"1h30m\""
        ));
    }
    if s.starts_with('-') {
        return Err(format!("\"{s}\": a duration must not be negative"));
    }
    if s.starts_with('+') {
        return Err(format!("\"{s}\": write the duration without a sign"));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("\"{s}\" needs a unit: {UNIT_HINT}"));
    }

    let bytes = s.as_bytes();
    let mut pos = 0;
    let mut total_ms: u64 = 0;
    // Index into UNITS of the last unit seen; the next must come strictly after it.
    let mut last_unit: Option<usize> = None;
    while pos < bytes.len() {
        let digits_start = pos;
        while pos < bytes.len() && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos == digits_start {
            let rest = &s[pos..];
            return Err(format!(
                "\"{s}\" is not a duration: expected a number before \"{rest}\""
            ));
        }
        let digits = &s[digits_start..pos];
        if pos < bytes.len() && (bytes[pos] == b'.' || bytes[pos] == b',') {
            return Err(format!(
                "\"{s}\": fractions are not allowed; use a smaller unit (\"90m\" for 1.5 hours, \"500ms\" for half a second)"
            ));
        }
        let unit_start = pos;
        while pos < bytes.len() && !bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        let unit = &s[unit_start..pos];
        if unit.is_empty() {
            return Err(format!(
                "\"{s}\": the number {digits} at the end needs a unit: {UNIT_HINT}"
            ));
        }
        let Some(index) = UNITS.iter().position(|(u, _)| *u == unit) else {
            return Err(unknown_unit_message(s, unit));
        };
        if let Some(last) = last_unit {
            if index == last {
                return Err(format!("\"{s}\": the unit \"{unit}\" appears twice"));
            }
            if index < last {
                return Err(format!(
                    "\"{s}\": write the components largest unit first (d, h, m, s, ms)"
                ));
            }
        }
        last_unit = Some(index);
        let too_long = || format!("\"{s}\" is too long a duration");
        let amount: u64 = digits.parse().map_err(|_| too_long())?;
        let ms = amount.checked_mul(UNITS[index].1).ok_or_else(too_long)?;
        total_ms = total_ms.checked_add(ms).ok_or_else(too_long)?;
    }
    Ok(Duration::from_millis(total_ms))
}

fn unknown_unit_message(s: &str, unit: &str) -> String {
    let hint = match unit {
        "y" | "yr" | "yrs" | "year" | "years" | "mo" | "mon" | "month" | "months" | "M" => {
            "; months and years are not accepted because their length varies, use days".to_string()
        }
        "w" | "wk" | "week" | "weeks" => "; write weeks as days, e.g. \"7d\"".to_string(),
        "sec" | "secs" | "second" | "seconds" | "S" => "; did you mean \"s\"?".to_string(),
        "min" | "mins" | "minute" | "minutes" => "; did you mean \"m\"?".to_string(),
        "hr" | "hrs" | "hour" | "hours" | "H" => "; did you mean \"h\"?".to_string(),
        "day" | "days" | "D" => "; did you mean \"d\"?".to_string(),
        "us" | "µs" | "ns" => "; the smallest unit is ms".to_string(),
        _ => String::new(),
    };
    format!("\"{s}\" has an unknown unit \"{unit}\": use ms, {UNIT_HINT}{hint}")
}

/// Formats a duration as ISO 8601, decomposed canonically into days, hours, minutes and
/// seconds: 120 seconds is `PT2M`, 36 hours is `P1DT12H`, half a second is `PT0.5S`, zero
/// is `PT0S`. Sub-second parts are written as a decimal fraction of seconds, trailing zeros
/// dropped.
pub fn to_iso8601(d: Duration) -> String {
    let secs = d.as_secs();
    let nanos = d.subsec_nanos();
    let (days, hours, minutes, seconds) = split_secs(secs);

    let mut out = String::from("P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    let has_time = hours > 0 || minutes > 0 || seconds > 0 || nanos > 0;
    if has_time || days == 0 {
        out.push('T');
    }
    if hours > 0 {
        out.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        out.push_str(&format!("{minutes}M"));
    }
    if seconds > 0 || nanos > 0 || !has_time && days == 0 {
        out.push_str(&seconds.to_string());
        if nanos > 0 {
            let frac = format!("{nanos:09}");
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        out.push('S');
    }
    out
}

/// Formats a duration in the compact manifest form: `1h30m`, `3d`, `1d12h`, `500ms`, `0s`.
/// The result parses back with [`parse_duration`] to the same duration, except that parts
/// below a millisecond (which the compact form cannot express) are dropped.
pub fn format_human(d: Duration) -> String {
    let (days, hours, minutes, seconds) = split_secs(d.as_secs());
    let millis = d.subsec_millis();
    let mut out = String::new();
    for (n, unit) in [
        (days, "d"),
        (hours, "h"),
        (minutes, "m"),
        (seconds, "s"),
        (u64::from(millis), "ms"),
    ] {
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

fn split_secs(secs: u64) -> (u64, u64, u64, u64) {
    (
        secs / SECS_PER_DAY,
        secs % SECS_PER_DAY / SECS_PER_HOUR,
        secs % SECS_PER_HOUR / SECS_PER_MIN,
        secs % SECS_PER_MIN,
    )
}

/// Parses an ISO 8601 duration as ARM returns it: `PT2M`, `PT120S`, `P1DT12H`, `PT0.5S`,
/// `P1W`. Components may exceed the next unit (`PT90M`). Seconds may have a fraction (with
/// `.` or `,`, up to nanosecond precision). Years and months (`P1Y`, `P1M`) are rejected: their
/// length varies. Letters are accepted in either case.
pub fn parse_iso8601(s: &str) -> Result<Duration, String> {
    let invalid = |why: &str| format!("\"{s}\" is not an ISO 8601 duration: {why}");
    let upper = s.to_ascii_uppercase();
    if upper.starts_with('-') {
        return Err(invalid("negative durations are not allowed"));
    }
    let Some(body) = upper.strip_prefix('P') else {
        return Err(invalid("it must start with \"P\" (e.g. \"PT30M\")"));
    };
    if body.is_empty() {
        return Err(invalid("it has no components"));
    }
    let (date, time) = match body.split_once('T') {
        Some((date, time)) => {
            if time.is_empty() {
                return Err(invalid(
                    "\"T\" must be followed by hours, minutes or seconds",
                ));
            }
            (date, Some(time))
        }
        None => (body, None),
    };

    let too_long = || invalid("too long");
    let mut total = Duration::ZERO;
    let mut add = |secs: u64, nanos: u32| -> Result<(), String> {
        total = total
            .checked_add(Duration::new(secs, nanos))
            .ok_or_else(too_long)?;
        Ok(())
    };

    // Date part: weeks and days (years and months are rejected).
    let mut order = 0;
    for (number, designator) in components(date).map_err(|e| invalid(&e))? {
        let (rank, unit_secs) = match designator {
            'Y' | 'M' => {
                return Err(invalid(
                    "years and months are not accepted because their length varies",
                ));
            }
            'W' => (1, 7 * SECS_PER_DAY),
            'D' => (2, SECS_PER_DAY),
            other => return Err(invalid(&format!("unknown date designator \"{other}\""))),
        };
        if rank <= order {
            return Err(invalid("components are out of order or repeated"));
        }
        order = rank;
        let n = whole(number).map_err(|e| invalid(&e))?;
        add(n.checked_mul(unit_secs).ok_or_else(too_long)?, 0)?;
    }

    // Time part: hours, minutes, seconds (only seconds may have a fraction).
    let mut order = 0;
    for (number, designator) in components(time.unwrap_or("")).map_err(|e| invalid(&e))? {
        let (rank, unit_secs) = match designator {
            'H' => (1, SECS_PER_HOUR),
            'M' => (2, SECS_PER_MIN),
            'S' => (3, 1),
            other => return Err(invalid(&format!("unknown time designator \"{other}\""))),
        };
        if rank <= order {
            return Err(invalid("components are out of order or repeated"));
        }
        order = rank;
        if designator == 'S' {
            let (secs, nanos) = seconds(number).map_err(|e| invalid(&e))?;
            add(secs, nanos)?;
        } else {
            let n = whole(number).map_err(|e| invalid(&e))?;
            add(n.checked_mul(unit_secs).ok_or_else(too_long)?, 0)?;
        }
    }
    Ok(total)
}

/// Splits `1D12H`-style text into `("1", 'D')`, `("12", 'H')`.
fn components(s: &str) -> Result<Vec<(&str, char)>, String> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c.is_ascii_digit() || c == '.' || c == ',' {
            continue;
        }
        if i == start {
            return Err(format!("expected a number before \"{c}\""));
        }
        out.push((&s[start..i], c));
        start = i + c.len_utf8();
    }
    if start < s.len() {
        return Err(format!("\"{}\" has no designator", &s[start..]));
    }
    Ok(out)
}

fn whole(number: &str) -> Result<u64, String> {
    if number.contains(['.', ',']) {
        return Err("only seconds may have a fraction".into());
    }
    number.parse().map_err(|_| "too long".to_string())
}

fn seconds(number: &str) -> Result<(u64, u32), String> {
    let (int, frac) = match number.split_once(['.', ',']) {
        Some((int, frac)) => (int, frac),
        None => (number, ""),
    };
    if int.is_empty() || frac.contains(['.', ',']) {
        return Err(format!("\"{number}\" is not a number"));
    }
    if frac.len() > 9 {
        return Err("seconds have more than 9 fractional digits".into());
    }
    let secs = int.parse().map_err(|_| "too long".to_string())?;
    let nanos = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<9}")
            .parse()
            .map_err(|_| format!("\"{number}\" is not a number"))?
    };
    Ok((secs, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn parses_single_components() {
        assert_eq!(parse_duration("30s"), Ok(secs(30)));
        assert_eq!(parse_duration("2m"), Ok(secs(120)));
        assert_eq!(parse_duration("3h"), Ok(secs(3 * 3600)));
        assert_eq!(parse_duration("3d"), Ok(secs(3 * 86_400)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn parses_compound_durations() {
        assert_eq!(parse_duration("1h30m"), Ok(secs(5400)));
        assert_eq!(parse_duration("1d12h"), Ok(secs(36 * 3600)));
        assert_eq!(
            parse_duration("1d2h3m4s5ms"),
            Ok(Duration::from_millis(
                ((86_400 + 2 * 3600 + 3 * 60 + 4) * 1000) + 5
            ))
        );
        assert_eq!(parse_duration("1m500ms"), Ok(Duration::from_millis(60_500)));
        // Components may exceed the next unit.
        assert_eq!(parse_duration("90m"), Ok(secs(5400)));
        assert_eq!(parse_duration("1500ms"), Ok(Duration::from_millis(1500)));
    }

    #[test]
    fn bare_numbers_need_a_unit() {
        assert_eq!(
            parse_duration("30").unwrap_err(),
            "\"30\" needs a unit: s, m, h or d"
        );
        let err = parse_duration("1h30").unwrap_err();
        assert!(err.contains("needs a unit"), "{err}");
    }

    #[test]
    fn rejects_malformed_durations() {
        assert!(parse_duration("").unwrap_err().contains("empty"));
        assert!(parse_duration("1h 30m").unwrap_err().contains("spaces"));
        assert!(parse_duration(" 30m").unwrap_err().contains("spaces"));
        assert!(parse_duration("-5m").unwrap_err().contains("negative"));
        assert!(parse_duration("+5m").unwrap_err().contains("sign"));
        assert!(
            parse_duration("m")
                .unwrap_err()
                .contains("expected a number")
        );
        assert!(parse_duration("1.5h").unwrap_err().contains("fractions"));
        assert!(
            parse_duration("30m1h")
                .unwrap_err()
                .contains("largest unit first")
        );
        assert!(
            parse_duration("1s1m")
                .unwrap_err()
                .contains("largest unit first")
        );
        assert!(parse_duration("1m1m").unwrap_err().contains("twice"));
        assert!(
            parse_duration("5x")
                .unwrap_err()
                .contains("unknown unit \"x\"")
        );
        assert!(
            parse_duration("30M")
                .unwrap_err()
                .contains("months and years")
        );
        assert!(
            parse_duration("1y")
                .unwrap_err()
                .contains("months and years")
        );
        assert!(parse_duration("2w").unwrap_err().contains("7d"));
        assert!(
            parse_duration("10min")
                .unwrap_err()
                .contains("did you mean \"m\"")
        );
        assert!(
            parse_duration("10S")
                .unwrap_err()
                .contains("did you mean \"s\"")
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        assert!(
            parse_duration("99999999999999999999999s")
                .unwrap_err()
                .contains("too long")
        );
        assert!(
            parse_duration("999999999999999d")
                .unwrap_err()
                .contains("too long")
        );
        let max_days = u64::MAX / (86_400 * 1000);
        assert!(parse_duration(&format!("{max_days}d23h")).is_err());
        assert!(parse_duration(&format!("{max_days}d")).is_ok());
    }

    #[test]
    fn iso8601_canonical_output() {
        assert_eq!(to_iso8601(secs(30 * 60)), "PT30M");
        assert_eq!(to_iso8601(secs(120)), "PT2M");
        assert_eq!(to_iso8601(secs(5400)), "PT1H30M");
        assert_eq!(to_iso8601(secs(3 * 86_400)), "P3D");
        assert_eq!(to_iso8601(secs(36 * 3600)), "P1DT12H");
        assert_eq!(to_iso8601(Duration::from_millis(500)), "PT0.5S");
        assert_eq!(to_iso8601(Duration::from_millis(61_250)), "PT1M1.25S");
        assert_eq!(to_iso8601(Duration::ZERO), "PT0S");
        assert_eq!(to_iso8601(secs(86_400 + 1)), "P1DT1S");
        assert_eq!(to_iso8601(Duration::new(0, 1)), "PT0.000000001S");
    }

    #[test]
    fn parses_iso8601() {
        assert_eq!(parse_iso8601("PT2M"), Ok(secs(120)));
        assert_eq!(parse_iso8601("PT120S"), Ok(secs(120)));
        assert_eq!(parse_iso8601("PT1H30M"), Ok(secs(5400)));
        assert_eq!(parse_iso8601("PT90M"), Ok(secs(5400)));
        assert_eq!(parse_iso8601("P3D"), Ok(secs(3 * 86_400)));
        assert_eq!(parse_iso8601("P1DT12H"), Ok(secs(36 * 3600)));
        assert_eq!(parse_iso8601("P1W"), Ok(secs(7 * 86_400)));
        assert_eq!(parse_iso8601("PT0.5S"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_iso8601("PT0,25S"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_iso8601("PT0S"), Ok(Duration::ZERO));
        assert_eq!(parse_iso8601("pt5m"), Ok(secs(300)));
        assert_eq!(parse_iso8601("PT1H0M0S"), Ok(secs(3600)));
    }

    #[test]
    fn equal_durations_compare_equal_whatever_the_spelling() {
        assert_eq!(parse_iso8601("PT120S"), parse_iso8601("PT2M"));
        assert_eq!(
            parse_iso8601("PT2M").unwrap(),
            parse_duration("2m").unwrap()
        );
        assert_eq!(parse_iso8601("P1DT12H"), parse_iso8601("PT36H"));
    }

    #[test]
    fn rejects_malformed_iso8601() {
        assert!(parse_iso8601("").unwrap_err().contains("start with"));
        assert!(parse_iso8601("30M").unwrap_err().contains("start with"));
        assert!(parse_iso8601("P").unwrap_err().contains("no components"));
        assert!(
            parse_iso8601("PT")
                .unwrap_err()
                .contains("\"T\" must be followed")
        );
        assert!(
            parse_iso8601("P1Y")
                .unwrap_err()
                .contains("years and months")
        );
        assert!(
            parse_iso8601("P1M")
                .unwrap_err()
                .contains("years and months")
        );
        assert!(
            parse_iso8601("PT1.5M")
                .unwrap_err()
                .contains("only seconds")
        );
        assert!(parse_iso8601("PT5").unwrap_err().contains("no designator"));
        assert!(
            parse_iso8601("PTM")
                .unwrap_err()
                .contains("expected a number")
        );
        assert!(
            parse_iso8601("PT1M1H")
                .unwrap_err()
                .contains("out of order")
        );
        assert!(parse_iso8601("P1D1W").unwrap_err().contains("out of order"));
        assert!(
            parse_iso8601("PT1X")
                .unwrap_err()
                .contains("unknown time designator")
        );
        assert!(parse_iso8601("-PT1M").unwrap_err().contains("negative"));
        assert!(parse_iso8601("PT0.1234567891S").is_err());
        assert!(parse_iso8601("PT1.2.3S").is_err());
        assert!(
            parse_iso8601("P99999999999999999999D")
                .unwrap_err()
                .contains("too long")
        );
        assert!(
            parse_iso8601("P999999999999999W")
                .unwrap_err()
                .contains("too long")
        );
    }

    #[test]
    fn human_format() {
        assert_eq!(format_human(secs(5400)), "1h30m");
        assert_eq!(format_human(secs(3 * 86_400)), "3d");
        assert_eq!(format_human(secs(36 * 3600)), "1d12h");
        assert_eq!(format_human(Duration::from_millis(500)), "500ms");
        assert_eq!(format_human(Duration::ZERO), "0s");
        assert_eq!(format_human(secs(120)), "2m");
        assert_eq!(format_human(Duration::new(1, 999_999)), "1s");
    }

    #[test]
    fn round_trips() {
        for s in [
            "30s",
            "2m",
            "1h30m",
            "3d",
            "1d12h",
            "500ms",
            "1d2h3m4s5ms",
            "0s",
        ] {
            let d = parse_duration(s).unwrap();
            assert_eq!(format_human(d), s);
            assert_eq!(parse_iso8601(&to_iso8601(d)), Ok(d), "{s}");
        }
        // Non-canonical input normalises.
        assert_eq!(format_human(parse_duration("90m").unwrap()), "1h30m");
        assert_eq!(to_iso8601(parse_iso8601("PT120S").unwrap()), "PT2M");
    }
}
