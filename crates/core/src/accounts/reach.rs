//! How a person is reached: the channels they choose, the hours nobody may disturb them, and the
//! compound's mail relay and group bots. Pure rules: the store keeps them, the web worker sends.

use crate::kit::Refused;
use crate::kit::period::{day_of, start_of};

crate::refusals! {
    pub enum ReachRefusal {
        EmailInvalid { value: String } = BadInput "accounts.email-invalid",
            zh "电子邮箱（email）“{value}”不是有效的地址，例如 wang@example.org。",
            en "email: '{value}' is not an address such as wang@example.org";
        EmailMissing = BadInput "accounts.email-missing",
            zh "要用电子邮件接收通知，请先填写电子邮箱（email）。",
            en "email: give an address to receive notices by email";
        QuietHoursInvalid { field: String, value: String } = BadInput "accounts.quiet-hours-invalid",
            zh "免打扰时段（{field}）“{value}”不是 00:00–23:59 之间的时间，例如 22:00。",
            en "{field}: '{value}' is not a time between 00:00 and 23:59, such as 22:00";
        QuietHoursHalf = BadInput "accounts.quiet-hours-half",
            zh "免打扰时段要同时填写开始（quiet_from）和结束（quiet_to），或者都不填。",
            en "quiet hours need both quiet_from and quiet_to, or neither";
        RelayInvalid { field: String, detail: String } = BadInput "accounts.relay-invalid",
            zh "邮件服务器（{field}）：{detail}",
            en "mail relay {field}: {detail}";
        WebhookInvalid { field: String, detail: String } = BadInput "accounts.webhook-invalid",
            zh "群机器人（{field}）：{detail}",
            en "webhook {field}: {detail}";
        WebhookExists { name: String } = Conflict "accounts.webhook-exists",
            zh "已经有名为“{name}”的群机器人。",
            en "a webhook named '{name}' already exists";
        CalendarUnknown = NotFound "accounts.calendar-unknown",
            zh "这个日历地址不存在或已经作废。",
            en "this calendar address does not exist or was revoked";
    }
}

/// A checked email address: one `@`, a dotted domain, no spaces or angle brackets (the rest is
/// for the relay to refuse).
pub fn email(value: &str) -> Result<String, Refused> {
    let v = value.trim();
    let bad = || ReachRefusal::EmailInvalid { value: v.to_string() }.refused();
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && local.len() <= 64
        && v.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !v.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'));
    if ok { Ok(v.to_string()) } else { Err(bad()) }
}

/// Hours in which nobody is disturbed, in Shanghai time, minutes after midnight; `from > to`
/// spans midnight (22:00–07:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietHours {
    pub from: u32,
    pub to: u32,
}

/// `HH:MM` as minutes after midnight.
fn minutes(field: &str, value: &str) -> Result<u32, Refused> {
    let bad = || ReachRefusal::QuietHoursInvalid { field: field.into(), value: value.into() }.refused();
    let (h, m) = value.trim().split_once(':').ok_or_else(bad)?;
    let ok = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(ok(h, 2) || ok(h, 1)) || !ok(m, 2) {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

impl QuietHours {
    /// Reads the pair a form or the API gives: both empty is none; one alone is refused.
    pub fn parse(from: &str, to: &str) -> Result<Option<QuietHours>, Refused> {
        match (from.trim().is_empty(), to.trim().is_empty()) {
            (true, true) => Ok(None),
            (false, false) => {
                let q = QuietHours { from: minutes("quiet_from", from)?, to: minutes("quiet_to", to)? };
                Ok((q.from != q.to).then_some(q))
            }
            _ => Err(ReachRefusal::QuietHoursHalf.refused()),
        }
    }

    pub fn from_text(&self) -> String {
        format!("{:02}:{:02}", self.from / 60, self.from % 60)
    }

    pub fn to_text(&self) -> String {
        format!("{:02}:{:02}", self.to / 60, self.to % 60)
    }

    fn quiet_at(&self, minute: u32) -> bool {
        if self.from < self.to {
            (self.from..self.to).contains(&minute)
        } else {
            minute >= self.from || minute < self.to
        }
    }

    /// The first instant at or after `at` (UTC ms) outside the quiet hours: `at` itself, or the
    /// quiet hours' end in Shanghai.
    pub fn next_allowed(&self, at: i64) -> i64 {
        let day = start_of(day_of(at));
        let minute = ((at - day) / 60_000) as u32;
        if !self.quiet_at(minute) {
            return at;
        }
        let end_today = day + i64::from(self.to) * 60_000;
        if end_today > at { end_today } else { end_today + 86_400_000 }
    }
}

/// How a person wants to be reached.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Channels {
    pub email: Option<String>,
    pub in_app: bool,
    pub by_email: bool,
    pub quiet: Option<QuietHours>,
}

impl Channels {
    /// Checks a person's choice: email on needs an address.
    pub fn checked(self) -> Result<Channels, Refused> {
        let email = match self.email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(e) => Some(email(e)?),
        };
        if self.by_email && email.is_none() {
            return Err(ReachRefusal::EmailMissing.refused());
        }
        Ok(Channels { email, ..self })
    }

    /// Whether any channel reaches them (else they get a paper notice or a visit).
    pub fn reachable(&self) -> bool {
        self.in_app || (self.by_email && self.email.is_some())
    }
}

/// How the compound's mail relay is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls {
    /// Plain SMTP, only to a relay on the same machine or network.
    None,
    /// Upgraded with STARTTLS (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl Tls {
    pub fn as_str(self) -> &'static str {
        match self {
            Tls::None => "none",
            Tls::StartTls => "starttls",
            Tls::Tls => "tls",
        }
    }
    pub fn parse(s: &str) -> Option<Tls> {
        [Tls::None, Tls::StartTls, Tls::Tls].into_iter().find(|t| t.as_str() == s)
    }
}

/// The compound's mail relay; the password is never shown again once written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relay {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    pub username: Option<String>,
    pub password: Option<String>,
    pub mail_from: String,
}

impl Relay {
    pub fn checked(self) -> Result<Relay, Refused> {
        let bad = |field: &str, detail: &str| {
            ReachRefusal::RelayInvalid { field: field.into(), detail: detail.into() }.refused()
        };
        let host = self.host.trim().to_string();
        if host.is_empty() || host.len() > 253 || host.contains(|c: char| c.is_whitespace() || c == '/' || c == '@') {
            return Err(bad("host", "give a host name such as smtp.example.org"));
        }
        if self.port == 0 {
            return Err(bad("port", "give a port between 1 and 65535"));
        }
        let mail_from = email(&self.mail_from).map_err(|_| bad("mail_from", "give the sender's address"))?;
        let username = self.username.map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
        if self.password.as_deref().is_some_and(|p| !p.is_empty()) && username.is_none() {
            return Err(bad("username", "a password needs a user name"));
        }
        Ok(Relay { host, mail_from, username, ..self })
    }
}

/// The message format a bot takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BotKind {
    /// 企业微信群机器人: `{"msgtype":"text","text":{"content":…}}`.
    WeCom,
    /// 钉钉群机器人: the same text message, signed with the robot's secret when it has one.
    DingTalk,
    /// Any system: the message as JSON, signed with HMAC-SHA256 over the body.
    Json,
}

impl BotKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BotKind::WeCom => "wecom",
            BotKind::DingTalk => "dingtalk",
            BotKind::Json => "json",
        }
    }
    pub fn parse(s: &str) -> Option<BotKind> {
        [BotKind::WeCom, BotKind::DingTalk, BotKind::Json].into_iter().find(|t| t.as_str() == s)
    }
}

/// A group bot or a district system the compound posts to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Webhook {
    pub name: String,
    pub kind: BotKind,
    pub url: String,
    pub secret: Option<String>,
}

impl Webhook {
    pub fn checked(self) -> Result<Webhook, Refused> {
        let bad = |field: &str, detail: &str| {
            ReachRefusal::WebhookInvalid { field: field.into(), detail: detail.into() }.refused()
        };
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 40 {
            return Err(bad("name", "give a name of 1 to 40 characters, such as 13号楼群"));
        }
        let url = self.url.trim().to_string();
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
        if rest.is_none_or(|r| r.is_empty() || r.starts_with('/'))
            || url.len() > 2000
            || url.contains(char::is_whitespace)
        {
            return Err(bad("url", "give the bot's address, starting with https://"));
        }
        let secret = self.secret.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        if self.kind == BotKind::Json && secret.is_none() {
            return Err(bad("secret", "a JSON webhook needs a secret to sign its messages"));
        }
        Ok(Webhook { name, url, secret, ..self })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::time::parse_date;
    use proptest::prelude::*;

    #[test]
    fn addresses_are_checked() {
        assert_eq!(email(" wang@example.org ").unwrap(), "wang@example.org");
        for bad in
            ["", "wang", "@example.org", "wang@example", "wang@@example.org", "wang <w@example.org>", "a b@x.org"]
        {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quiet_hours_read_and_refuse() {
        assert_eq!(QuietHours::parse("22:00", "7:00").unwrap(), Some(QuietHours { from: 1320, to: 420 }));
        assert_eq!(QuietHours::parse("", " ").unwrap(), None);
        assert_eq!(QuietHours::parse("08:00", "08:00").unwrap(), None);
        let e = QuietHours::parse("25:00", "07:00").unwrap_err();
        assert!(e.say(crate::kit::Lang::En).contains("quiet_from"));
        assert!(QuietHours::parse("22:00", "").is_err());
        assert!(QuietHours::parse("22:0", "07:00").is_err());
        assert!(QuietHours::parse("+1:00", "07:00").is_err());
    }

    #[test]
    fn an_email_in_the_night_waits_for_the_morning_in_shanghai() {
        let q = QuietHours { from: 22 * 60, to: 7 * 60 };
        let day = parse_date("2026-12-02").unwrap(); // midnight in Shanghai
        let h = 3_600_000;
        assert_eq!(q.next_allowed(day + 23 * h), day + 31 * h); // 23:00 → 07:00 next day
        assert_eq!(q.next_allowed(day + 3 * h), day + 7 * h); // 03:00 → 07:00
        assert_eq!(q.next_allowed(day + 12 * h), day + 12 * h); // noon: at once
        let lunch = QuietHours { from: 12 * 60, to: 14 * 60 };
        assert_eq!(lunch.next_allowed(day + 13 * h), day + 14 * h);
        assert_eq!(lunch.next_allowed(day + 15 * h), day + 15 * h);
    }

    proptest! {
        #[test]
        fn the_next_allowed_instant_is_never_quiet_and_never_early(
            from in 0u32..1440, to in 0u32..1440, at in 1_700_000_000_000i64..1_900_000_000_000i64
        ) {
            prop_assume!(from != to);
            let q = QuietHours { from, to };
            let n = q.next_allowed(at);
            prop_assert!(n >= at);
            prop_assert!(n - at <= 86_400_000);
            let minute = ((n - start_of(day_of(n))) / 60_000) as u32;
            prop_assert!(!q.quiet_at(minute));
        }
    }

    #[test]
    fn channels_need_an_address_for_email() {
        let c = Channels { by_email: true, ..Default::default() };
        assert!(c.checked().is_err());
        let c = Channels { email: Some("a@b.org".into()), by_email: true, ..Default::default() }.checked().unwrap();
        assert!(c.reachable());
        assert!(!Channels::default().reachable());
    }

    #[test]
    fn bots_and_relays_are_checked() {
        let w = Webhook {
            name: "13号楼群".into(),
            kind: BotKind::WeCom,
            url: "https://qyapi.weixin.qq.com/x".into(),
            secret: None,
        };
        assert!(w.clone().checked().is_ok());
        assert!(Webhook { url: "ftp://x".into(), ..w.clone() }.checked().is_err());
        assert!(Webhook { kind: BotKind::Json, ..w.clone() }.checked().is_err());
        let r = Relay {
            host: "smtp.example.org".into(),
            port: 587,
            tls: Tls::StartTls,
            username: None,
            password: Some("x".into()),
            mail_from: "gz@example.org".into(),
        };
        assert!(r.clone().checked().is_err());
        assert!(Relay { password: None, ..r }.checked().is_ok());
    }
}
