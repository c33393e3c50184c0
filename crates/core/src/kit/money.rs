//! Money, held exactly in fen (0.01 yuan).

use serde::{Serialize, Serializer};
use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

crate::refusals! {
    /// Why a text is not an amount of money.
    pub enum MoneyError {
        NotANumber { value: String } = BadInput "kit.amount-not-a-number",
            zh "金额“{value}”不是最多两位小数的数字。",
            en "amount '{value}' is not a number with at most 2 decimals";
    }
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_fen(v: i64) -> Money {
        Money(v)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Parses `12345.67`, `-3`, `¥1,000.5` exactly; at most two decimals.
    pub fn parse(s: &str) -> Result<Money, MoneyError> {
        let bad = || MoneyError::NotANumber { value: s.trim().to_string() };
        let t: String = s.trim().trim_start_matches(['¥', '￥']).chars().filter(|c| *c != ',').collect();
        let t = t.trim_end_matches('元');
        let (neg, t) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        };
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        if (int.is_empty() && frac.is_empty())
            || frac.len() > 2
            || int.len() > 15
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let i: i64 = if int.is_empty() { 0 } else { int.parse().map_err(|_| bad())? };
        let f: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
            _ => frac.parse().map_err(|_| bad())?,
        };
        let v = i * 100 + f;
        Ok(Money(if neg { -v } else { v }))
    }
}

impl Money {
    /// As a person reads it: `38,357.34`.
    pub fn readable(self) -> String {
        crate::kit::numbers::hundredths(self.0 as i128)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let v = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", v / 100, v % 100)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_fen_exactly() {
        assert_eq!(Money::parse("12345.67").unwrap().fen(), 1_234_567);
        assert_eq!(Money::parse("¥1,000.5").unwrap().fen(), 100_050);
        assert_eq!(Money::parse("-3").unwrap().fen(), -300);
        assert_eq!(Money::from_fen(-5).to_string(), "-0.05");
        assert_eq!(Money::from_fen(7_000_000).to_string(), "70000.00");
        assert!(Money::parse("1.234").is_err());
        assert!(Money::parse("abc").is_err());
    }
}
