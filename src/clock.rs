//! Today's date, for what depends on it: a budget's default start (the first of the current
//! month). The one seam between the compiler and the calendar, so plans stay deterministic
//! where they must: [`with_today`] fixes the date for the calling thread (in-process tests),
//! `AMLPLAN_TODAY=YYYY-MM-DD` for a run (tests of the binary, reproducible CI plans);
//! otherwise it is the system's date in UTC. An `AMLPLAN_TODAY` that is not a date is not
//! used (the system's date is).

use std::cell::Cell;

use time::{Date, Month, OffsetDateTime};

thread_local! {
    static FIXED: Cell<Option<Date>> = const { Cell::new(None) };
}

/// The environment variable that fixes today's date for a run.
pub const TODAY_VAR: &str = "AMLPLAN_TODAY";

/// Today's date (see the module documentation).
pub fn today() -> Date {
    if let Some(d) = FIXED.with(Cell::get) {
        return d;
    }
    if let Some(d) = std::env::var(TODAY_VAR).ok().and_then(|v| parse_date(&v)) {
        return d;
    }
    OffsetDateTime::now_utc().date()
}

/// Runs `f` with today's date fixed at `date` on this thread.
pub fn with_today<T>(date: Date, f: impl FnOnce() -> T) -> T {
    let before = FIXED.with(|c| c.replace(Some(date)));
    let out = f();
    FIXED.with(|c| c.set(before));
    out
}

/// `YYYY-MM-DD` as a date.
pub fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// The first day of `date`'s month.
pub fn first_of_month(date: Date) -> Date {
    date.replace_day(1).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_date_is_today_on_its_thread_only_while_fixed() {
        let d = parse_date("2026-03-17").expect("a date");
        assert_eq!(with_today(d, today), d);
        assert_eq!(first_of_month(d), parse_date("2026-03-01").expect("a date"));
        assert_ne!(
            with_today(parse_date("2001-03-17").expect("a date"), today),
            d
        );
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("soon"), None);
    }
}
