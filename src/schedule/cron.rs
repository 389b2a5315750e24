//! Dreaming schedules: standard 5-field crontab in local time (POSIX weekdays, 0 and 7 are
//! Sunday; when both day-of-month and day-of-week are restricted, either one matching is enough).

use std::str::FromStr;

use chrono::{DateTime, Local, TimeZone, Timelike, Utc};
use croner::Cron;

/// A parsed, valid schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    expr: String,
    cron: Cron,
}

impl Schedule {
    /// Parse a 5-field crontab expression. The error says what is wrong in plain words.
    pub fn parse(expr: &str) -> Result<Schedule, String> {
        let fields: Vec<&str> = expr.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(format!(
                "\"{expr}\" has {} fields; a schedule needs 5: minute hour day-of-month month day-of-week \
                 (for example \"0 2 * * *\" for every night at 2:00)",
                fields.len()
            ));
        }
        let cron = Cron::from_str(&fields.join(" ")).map_err(|_| {
            let why = out_of_range(&fields)
                .map(|w| format!(": {w}"))
                .unwrap_or_default();
            format!(
                "\"{expr}\" is not a valid schedule{why}; use minute hour day-of-month month day-of-week, \
                 for example \"30 7 * * 1-5\" for weekdays at 7:30"
            )
        })?;
        let s = Schedule {
            expr: expr.to_string(),
            cron,
        };
        // "30 2 * * *" on February 30th parses but never comes round; eight years cover every
        // calendar (leap days included).
        let from = Utc
            .with_ymd_and_hms(2001, 1, 1, 0, 0, 0)
            .single()
            .expect("valid date");
        let never = s
            .next_after_in(from)
            .is_none_or(|t| t > from + chrono::Duration::days(8 * 366));
        if never {
            return Err(format!(
                "\"{expr}\" never runs: no month has that day (for example February 30th); pick a day that exists"
            ));
        }
        Ok(s)
    }

    pub fn expr(&self) -> &str {
        &self.expr
    }

    /// The first run strictly after `after`, in the given time zone.
    pub fn next_after_in<Tz: TimeZone>(&self, after: DateTime<Tz>) -> Option<DateTime<Utc>> {
        // croner works at second granularity; sub-seconds would make "strictly after" wobble.
        let after = after.with_nanosecond(0)?;
        self.cron
            .find_next_occurrence(&after, false)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }

    /// The first run strictly after `after`, local time.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.next_after_in(after.with_timezone(&Local))
    }

    /// The next `n` runs after `after`, local time.
    pub fn upcoming(&self, after: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
        let mut out = Vec::with_capacity(n);
        let mut t = after;
        while out.len() < n {
            match self.next_after(t) {
                Some(next) => {
                    out.push(next);
                    t = next;
                }
                None => break,
            }
        }
        out
    }
}

/// Which field holds a number outside its range, in words ("the minute is 61; minutes go from
/// 0 to 59"), so the error names the fault rather than the parser's internals.
fn out_of_range(fields: &[&str]) -> Option<String> {
    const FIELDS: [(&str, &str, u32, u32); 5] = [
        ("minute", "minutes", 0, 59),
        ("hour", "hours", 0, 23),
        ("day of the month", "days of the month", 1, 31),
        ("month", "months", 1, 12),
        ("day of the week", "days of the week", 0, 7),
    ];
    fields
        .iter()
        .zip(FIELDS)
        .find_map(|(f, (one, many, lo, hi))| {
            // Numbers in the field, not counting step sizes after '/'.
            f.split(',')
                .flat_map(|part| part.split('/').next().unwrap_or("").split('-'))
                .filter_map(|n| n.parse::<u32>().ok())
                .find(|n| *n < lo || *n > hi)
                .map(|n| format!("the {one} is {n}, but {many} go from {lo} to {hi}"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::describe;
    use chrono::{Datelike, FixedOffset, Weekday};

    #[test]
    fn five_fields_required() {
        assert!(Schedule::parse("0 2 * * *").is_ok());
        let err = Schedule::parse("0 0 2 * * *").unwrap_err();
        assert!(err.contains("needs 5"), "{err}");
        let err = Schedule::parse("61 2 * * *").unwrap_err();
        assert!(
            err.contains("the minute is 61, but minutes go from 0 to 59"),
            "{err}"
        );
        let err = Schedule::parse("0 2 * 13 *").unwrap_err();
        assert!(err.contains("the month is 13"), "{err}");
        assert!(Schedule::parse("every night").is_err());
    }

    #[test]
    fn schedules_in_words() {
        assert_eq!(describe("0 2 * * *"), "Every night at 2:00");
        assert_eq!(describe("30 7 * * 1-5"), "Weekdays at 7:30");
        assert_eq!(describe("0 9 * * 1"), "Every Monday at 9:00");
        assert_eq!(describe("0 9 * * 7"), "Every Sunday at 9:00");
        assert_eq!(describe("15 13 * * 1,4"), "Mondays and Thursdays at 13:15");
        assert_eq!(describe("0 10 * * 6,0"), "Weekends at 10:00");
        assert_eq!(describe("0 * * * *"), "Every hour, on the hour");
        assert_eq!(describe("0 12 * * *"), "Every day at 12:00");
        assert_eq!(describe("0 3 1 * *"), "On day 1 of every month at 3:00");
        assert_eq!(describe("*/5 2 * * *"), "Custom schedule (*/5 2 * * *)");
        assert_eq!(describe("0 2 * 1 *"), "Custom schedule (0 2 * 1 *)");
    }

    #[test]
    fn weekday_numbers_are_posix() {
        let utc = FixedOffset::east_opt(0).unwrap();
        let start = utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap(); // a Tuesday
        let monday = Schedule::parse("0 2 * * 1").unwrap();
        assert_eq!(monday.next_after_in(start).unwrap().weekday(), Weekday::Mon);
        for sunday in ["0 2 * * 0", "0 2 * * 7"] {
            let s = Schedule::parse(sunday).unwrap();
            assert_eq!(s.next_after_in(start).unwrap().weekday(), Weekday::Sun);
        }
    }
}
