//! iCalendar (RFC 5545) feeds: vote windows, meetings and duty shifts for a person's calendar
//! app. Lines end in CRLF and fold at 75 octets without splitting a character; text is escaped.

use super::period::day_of;

/// When an event happens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    /// Whole days in Shanghai, from the first to the last inclusive (a vote's window).
    Days { first: jiff::civil::Date, last: jiff::civil::Date },
    /// From one instant to another (UTC ms): a meeting, a shift.
    Span { start: i64, end: i64 },
}

/// One event of a feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Stable across feeds, so a calendar updates the event rather than adding a copy.
    pub uid: String,
    pub when: When,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub url: Option<String>,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets (continuations start with a space).
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn utc(ms: i64) -> String {
    let t = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn date(d: jiff::civil::Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

/// The whole feed: a calendar named `name`, its events, stamped `now` (UTC ms).
pub fn feed(name: &str, events: &[Event], now: i64) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//gongzhi//共治//ZH");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    line(&mut out, "X-WR-TIMEZONE:Asia/Shanghai");
    for e in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", escape(&e.uid)));
        line(&mut out, &format!("DTSTAMP:{}", utc(now)));
        match e.when {
            When::Days { first, last } => {
                let end = last.tomorrow().unwrap_or(last);
                line(&mut out, &format!("DTSTART;VALUE=DATE:{}", date(first)));
                line(&mut out, &format!("DTEND;VALUE=DATE:{}", date(end)));
            }
            When::Span { start, end } => {
                line(&mut out, &format!("DTSTART:{}", utc(start)));
                line(&mut out, &format!("DTEND:{}", utc(end.max(start))));
            }
        }
        line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        if !e.description.is_empty() {
            line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if let Some(l) = &e.location {
            line(&mut out, &format!("LOCATION:{}", escape(l)));
        }
        if let Some(u) = &e.url {
            line(&mut out, &format!("URL:{}", u.replace(['\r', '\n'], "")));
        }
        line(&mut out, "TRANSP:TRANSPARENT");
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// The Shanghai day an instant falls on (for a window given in UTC ms).
pub fn day(ms: i64) -> jiff::civil::Date {
    day_of(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_chinese_lines_fold_between_characters_and_text_is_escaped() {
        let e = Event {
            uid: "matter-1@gongzhi".into(),
            when: When::Days { first: jiff::civil::date(2026, 12, 1), last: jiff::civil::date(2026, 12, 14) },
            summary: "表决：12号楼加装电梯，费用分摊方案; 第二轮".into(),
            description: "请业主在窗口内投票。\n逾期未投视为弃权".repeat(5),
            location: None,
            url: Some("http://127.0.0.1:8080/matters/1".into()),
        };
        let f = feed("明辉西郊苑", &[e], 1_795_553_460_000);
        for l in f.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert!(f.contains("DTSTART;VALUE=DATE:20261201\r\nDTEND;VALUE=DATE:20261215\r\n"));
        assert!(f.contains("费用分摊方案\\; 第二轮"));
        assert!(f.contains("DTSTAMP:20261124T205100Z"));
        assert!(!f.contains("\n\n"));
        let unfolded = f.replace("\r\n ", "");
        assert!(unfolded.contains(&"请业主在窗口内投票。\\n逾期未投视为弃权".repeat(5)));
        assert!(f.ends_with("END:VCALENDAR\r\n"));
    }
}
