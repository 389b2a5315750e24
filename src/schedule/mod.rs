//! When dreams happen: crontab schedules (`cron`), the scheduler that runs what is due
//! (`scheduler`), and schedules and times in words (`words`).

pub mod cron;
pub mod scheduler;
pub mod words;

pub use cron::Schedule;
pub use words::{describe, when};
