//! A bin room's opening window (定时定点投放: fixed-time drop-off), as minutes of the day.

use std::fmt;

/// Open from `from` (included) to `to` (excluded), minutes after midnight; `to` may be 1440
/// (24:00). A window past midnight (`22:00-02:00`) wraps. [`Hours::CLOSED`] (from = to) is the
/// one empty window: a day a station does not open at all; [`Hours::parse`] never reads one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hours {
    pub from: u16,
    pub to: u16,
}

impl Hours {
    /// A day the bin room does not open at all (a waste station's holiday change); bin rooms'
    /// `hours` are `[CLOSED]` that day, as an empty list means open all day.
    pub const CLOSED: Hours = Hours { from: 0, to: 0 };

    pub fn is_closed(&self) -> bool {
        self.from == self.to
    }

    /// Reads `HH:MM-HH:MM` (also with `–`, `~` or `～` between the times); `None` if it does not
    /// read, or the window is empty.
    pub fn parse(s: &str) -> Option<Hours> {
        let s = s.trim();
        let (a, b) = ['-', '–', '~', '～'].iter().find_map(|&sep| s.split_once(sep))?;
        let (from, to) = (minute_of_day(a)?, minute_of_day(b)?);
        (from != to && from < 24 * 60).then_some(Hours { from, to })
    }

    pub fn contains(&self, minute: u16) -> bool {
        if self.is_closed() {
            false
        } else if self.from < self.to {
            self.from <= minute && minute < self.to
        } else {
            minute >= self.from || minute < self.to
        }
    }
}

/// `HH:MM` (also with a full-width colon) as minutes after midnight, 00:00 to 24:00.
pub fn minute_of_day(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once([':', '：'])?;
    let ok = |t: &str| (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    if !ok(h) || m.len() != 2 || !ok(m) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", hm(self.from), hm(self.to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_reads_and_prints_as_hh_mm() {
        let h = Hours::parse("7:00–9:30").unwrap();
        assert_eq!(h, Hours { from: 420, to: 570 });
        assert_eq!(h.to_string(), "07:00-09:30");
        assert_eq!(Hours::parse("18:00-24:00"), Some(Hours { from: 1080, to: 1440 }));
        assert_eq!(Hours::parse("18：00～20：00"), Some(Hours { from: 1080, to: 1200 }));
    }

    #[test]
    fn a_window_past_midnight_wraps() {
        let h = Hours::parse("22:00-02:00").unwrap();
        assert!(h.contains(23 * 60) && h.contains(60) && !h.contains(2 * 60) && !h.contains(12 * 60));
    }

    #[test]
    fn closed_contains_no_minute_and_never_reads() {
        assert!((0..24 * 60).all(|m| !Hours::CLOSED.contains(m)));
        assert!(Hours::CLOSED.is_closed() && !Hours::parse("07:00-09:00").unwrap().is_closed());
        assert_eq!(Hours::parse(&Hours::CLOSED.to_string()), None);
    }

    #[test]
    fn bad_windows_do_not_read() {
        for s in ["", "7-9", "07:00", "07:00-07:00", "25:00-26:00", "07:60-08:00", "24:00-01:00", "a7:00-09:00"] {
            assert_eq!(Hours::parse(s), None, "{s}");
        }
    }
}
