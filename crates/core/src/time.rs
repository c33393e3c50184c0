//! Instants as the compound reads them: Asia/Shanghai is UTC+8 all year (no daylight saving).

const OFFSET_MS: i64 = 8 * 3_600_000;

/// (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + (m <= 2) as i64, m, d)
}

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-24` in Shanghai.
pub fn date(ms: i64) -> String {
    let (y, m, d) = civil((ms + OFFSET_MS).div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2026-11-24 20:51` in Shanghai.
pub fn datetime(ms: i64) -> String {
    let local = ms + OFFSET_MS;
    let secs = local.rem_euclid(86_400_000) / 1000;
    format!("{} {:02}:{:02}", date(ms), secs / 3600, secs / 60 % 60)
}

/// The first millisecond of a `YYYY-MM-DD` day in Shanghai, or None if it is not a date.
pub fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1900..=9999).contains(&y) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    (civil(days) == (y, m, d)).then_some(days * 86_400_000 - OFFSET_MS)
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
