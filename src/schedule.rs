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
        let cron = Cron::from_str(&fields.join(" ")).map_err(|e| {
            format!(
                "\"{expr}\" is not a valid schedule ({e}); use minute hour day-of-month month day-of-week, \
                 for example \"30 7 * * 1-5\" for weekdays at 7:30"
            )
        })?;
        Ok(Schedule {
            expr: expr.to_string(),
            cron,
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, FixedOffset, Weekday};

    #[test]
    fn five_fields_required() {
        assert!(Schedule::parse("0 2 * * *").is_ok());
        let err = Schedule::parse("0 0 2 * * *").unwrap_err();
        assert!(err.contains("needs 5"), "{err}");
        assert!(Schedule::parse("61 2 * * *").is_err());
        assert!(Schedule::parse("every night").is_err());
    }

    #[test]
    fn weekday_numbers_are_posix() {
        let utc = FixedOffset::east_opt(0).unwrap();
        let start = utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap(); // a Tuesday
        let monday = Schedule::parse("0 2 * * 1").unwrap();
        assert_eq!(
            monday.next_after_in(start).unwrap().weekday(),
            Weekday::Mon
        );
        for sunday in ["0 2 * * 0", "0 2 * * 7"] {
            let s = Schedule::parse(sunday).unwrap();
            assert_eq!(s.next_after_in(start).unwrap().weekday(), Weekday::Sun);
        }
    }
}
