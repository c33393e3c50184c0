//! Instants as the compound reads them, in Asia/Shanghai (UTC+8 all year), through the civil
//! dates of [`super::period`].

use super::period::{day_of, parse_day, start_of};

/// `2026-11-24` in Shanghai.
pub fn date(ms: i64) -> String {
    day_of(ms).to_string()
}

/// `2026-11-24 20:51` in Shanghai.
pub fn datetime(ms: i64) -> String {
    let secs = (ms - start_of(day_of(ms))) / 1000;
    format!("{} {:02}:{:02}", date(ms), secs / 3600, secs / 60 % 60)
}

/// The first millisecond of a `YYYY-MM-DD` day in Shanghai, or None if it is not a date.
pub fn parse_date(s: &str) -> Option<i64> {
    parse_day(s).filter(|d| (1900..=9999).contains(&d.year())).map(start_of)
}

/// Now, in UTC milliseconds since 1970.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_is_eight_hours_ahead() {
        // 2026-11-24T20:51:00Z is 04:51 on the 25th in Shanghai
        assert_eq!(datetime(1_795_553_460_000), "2026-11-25 04:51");
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(parse_date("2026-11-25").map(date), Some("2026-11-25".into()));
        assert_eq!(parse_date("2024-02-29").map(date), Some("2024-02-29".into()));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("tomorrow"), None);
    }
}
