//! Schedules and times in words, as a person says them: "Every night at 2:00", "Weekdays at
//! 7:30", "tonight at 2:00", "tomorrow at 9:30". The app and the command line show these;
//! nothing else words a schedule.

use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike};

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// A schedule in plain words ("Every night at 2:00", "Weekdays at 7:30"). Shapes people pick
/// get a sentence; anything else says it is a custom schedule and shows the expression.
pub fn describe(expr: &str) -> String {
    let f: Vec<&str> = expr.split_whitespace().collect();
    let custom = || format!("Custom schedule ({})", f.join(" "));
    if f.len() != 5 {
        return custom();
    }
    let num = |s: &str, max: u32| s.parse::<u32>().ok().filter(|n| *n <= max);
    let (minute, hour, dom, month, dow) = (f[0], f[1], f[2], f[3], f[4]);
    if month != "*" {
        return custom();
    }
    let Some(m) = num(minute, 59) else {
        return custom();
    };
    if hour == "*" && dom == "*" && dow == "*" {
        return if m == 0 {
            "Every hour, on the hour".into()
        } else {
            format!("Every hour at {m} minutes past")
        };
    }
    let Some(h) = num(hour, 23) else {
        return custom();
    };
    let at = format!("{h}:{m:02}");
    // `None`: every day of the week; otherwise the days (0 = Sunday), sorted.
    let days: Option<Vec<usize>> = match dow {
        "*" => None,
        "1-5" => Some(vec![1, 2, 3, 4, 5]),
        "6-7" => Some(vec![0, 6]),
        list => {
            let parsed: Option<Vec<usize>> = list
                .split(',')
                .map(|d| num(d, 7).map(|d| (d % 7) as usize))
                .collect();
            match parsed {
                Some(mut v) => {
                    v.sort_unstable();
                    v.dedup();
                    Some(v)
                }
                None => return custom(),
            }
        }
    };
    match (dom, days) {
        ("*", None) => {
            if !(6..21).contains(&h) {
                format!("Every night at {at}")
            } else {
                format!("Every day at {at}")
            }
        }
        ("*", Some(d)) if d == [1, 2, 3, 4, 5] => format!("Weekdays at {at}"),
        ("*", Some(d)) if d == [0, 6] => format!("Weekends at {at}"),
        ("*", Some(d)) if d.len() == 1 => format!("Every {} at {at}", DAYS[d[0]]),
        ("*", Some(d)) => {
            let names: Vec<String> = d.iter().map(|i| format!("{}s", DAYS[*i])).collect();
            let (last, rest) = names.split_last().expect("not empty");
            format!("{} and {last} at {at}", rest.join(", "))
        }
        (n, None) => match num(n, 31).filter(|n| *n >= 1) {
            Some(n) => format!("On day {n} of every month at {at}"),
            None => custom(),
        },
        _ => custom(),
    }
}

/// When `t` is, said the way a person would from `now`: "now", "today at 14:00", "tonight at
/// 2:00", "tomorrow at 9:30", "Friday at 2:00", "on 3 Dec at 2:00". Both in the same zone.
pub fn when<Tz: TimeZone>(t: &DateTime<Tz>, now: &DateTime<Tz>) -> String {
    if *t <= now.clone() + Duration::seconds(59) {
        return "now".into();
    }
    let at = format!("{}:{:02}", t.hour(), t.minute());
    let days = (t.date_naive() - now.date_naive()).num_days();
    match days {
        0 if t.hour() >= 18 => format!("tonight at {at}"),
        0 => format!("today at {at}"),
        // Small hours right after midnight belong to the night that starts this evening.
        1 if t.hour() < 5 && now.hour() >= 12 => format!("tonight at {at}"),
        1 => format!("tomorrow at {at}"),
        2..=6 => format!("{} at {at}", t.naive_local().format("%A")),
        _ => format!("on {} {} at {at}", t.day(), t.naive_local().format("%b")),
    }
}

/// A moment in the past or future as a date people read: "Mon 2 Nov at 9:00", in `t`'s zone.
pub fn on<Tz: TimeZone>(t: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    format!(
        "{} {} {} at {}:{:02}",
        t.format("%a"),
        t.day(),
        t.format("%b"),
        t.hour(),
        t.minute()
    )
}
