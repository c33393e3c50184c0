//! Exclusive area, held exactly in ten-thousandths of a square metre.
//!
//! The real-estate register gives areas to two decimals and sums may need four, so the unit is
//! 0.0001 m²: every register value is held exactly and nothing is ever a float.

use serde::{Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};

/// Ten-thousandths of a square metre in one m².
pub const SCALE: i64 = 10_000;
const DECIMALS: usize = 4;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Area(i64);

crate::refusals! {
    /// Why a text is not an exclusive area.
    pub enum AreaError {
        Missing = BadInput "registry.area-missing",
            zh "缺少专有部分面积。",
            en "area is missing";
        NotANumber { value: String } = BadInput "registry.area-not-a-number",
            zh "专有部分面积“{value}”不是数字。",
            en "area '{value}' is not a number";
        TooPrecise { value: String } = BadInput "registry.area-too-precise",
            zh "专有部分面积“{value}”的小数超过 4 位。",
            en "area '{value}' has more than 4 decimal places";
        NotPositive { value: String } = BadInput "registry.area-not-positive",
            zh "专有部分面积“{value}”不是正数。",
            en "area '{value}' is not a positive number";
        TooLarge { value: String } = BadInput "registry.area-too-large",
            zh "专有部分面积“{value}”过大。",
            en "area '{value}' is too large";
    }
}

impl Area {
    pub const ZERO: Area = Area(0);

    /// From ten-thousandths of a square metre (the stored form).
    pub const fn from_e4(v: i64) -> Area {
        Area(v)
    }

    /// Ten-thousandths of a square metre (the stored form).
    pub const fn e4(self) -> i64 {
        self.0
    }

    /// From hundredths of a square metre (two decimals, as registers print them).
    pub const fn from_centi(v: i64) -> Area {
        Area(v * 100)
    }

    /// Parses a positive decimal such as `85.52`, `85.5200 ㎡` or `85` exactly.
    pub fn parse_positive(s: &str) -> Result<Area, AreaError> {
        let t = s
            .trim()
            .trim_end_matches("平方米")
            .trim_end_matches('㎡')
            .trim_end_matches("m²")
            .trim_end_matches("m2")
            .trim();
        if t.is_empty() {
            return Err(AreaError::Missing);
        }
        let a = Area::parse_decimal(t).ok_or_else(|| {
            if t.contains('.')
                && t.split('.').nth(1).is_some_and(|f| f.len() > DECIMALS && f.bytes().all(|b| b.is_ascii_digit()))
            {
                AreaError::TooPrecise { value: s.trim().to_string() }
            } else if t.starts_with('-') && Area::parse_decimal(&t[1..]).is_some() {
                AreaError::NotPositive { value: s.trim().to_string() }
            } else if t.len() > 18 && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                AreaError::TooLarge { value: s.trim().to_string() }
            } else {
                AreaError::NotANumber { value: s.trim().to_string() }
            }
        })?;
        if a.0 <= 0 {
            return Err(AreaError::NotPositive { value: s.trim().to_string() });
        }
        Ok(a)
    }

    /// Unsigned decimal with at most four decimals; None for anything else.
    fn parse_decimal(t: &str) -> Option<Area> {
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if frac.len() > DECIMALS || int.len() > 12 {
            return None;
        }
        let i: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let mut f: i64 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
        for _ in frac.len()..DECIMALS {
            f *= 10;
        }
        Some(Area(i * SCALE + f))
    }

    /// Smallest area `x` with `x * den >= self * num` (for "at least num/den of this").
    pub fn ceil_fraction(self, num: i64, den: i64) -> Area {
        let p = self.0 as i128 * num as i128;
        Area(((p + den as i128 - 1).div_euclid(den as i128)) as i64)
    }

    /// As a person reads it: the register's two decimals (half up), with thousands separators.
    pub fn readable(self) -> String {
        let h = (self.0 as i128 * 2 + 100 * self.0.signum() as i128) / 200;
        crate::kit::numbers::hundredths(h)
    }

    /// A figure still to reach, rounded up to the hundredth, so that reaching it is enough.
    pub fn readable_up(self) -> String {
        crate::kit::numbers::hundredths((self.0 as i128 + 99).div_euclid(100))
    }

    pub fn saturating_sub(self, o: Area) -> Area {
        Area((self.0 - o.0).max(0))
    }
}

impl fmt::Display for Area {
    /// At least two decimals, more only when the value needs them: `1234.56`, `85.1234`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let v = self.0.unsigned_abs();
        let int = v / SCALE as u64;
        let mut frac = format!("{:04}", v % SCALE as u64);
        while frac.len() > 2 && frac.ends_with('0') {
            frac.pop();
        }
        write!(f, "{sign}{int}.{frac}")
    }
}

impl Serialize for Area {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Area {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Area, D::Error> {
        let s = String::deserialize(d)?;
        Area::parse_decimal(s.trim()).ok_or_else(|| serde::de::Error::custom(format!("'{s}' is not an area")))
    }
}

impl Add for Area {
    type Output = Area;
    fn add(self, o: Area) -> Area {
        Area(self.0 + o.0)
    }
}

impl AddAssign for Area {
    fn add_assign(&mut self, o: Area) {
        self.0 += o.0;
    }
}

impl Sub for Area {
    type Output = Area;
    fn sub(self, o: Area) -> Area {
        Area(self.0 - o.0)
    }
}

impl Sum for Area {
    fn sum<I: Iterator<Item = Area>>(it: I) -> Area {
        Area(it.map(|a| a.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_register_areas_exactly() {
        assert_eq!(Area::parse_positive("85.52").unwrap().e4(), 855_200);
        assert_eq!(Area::parse_positive(" 85.5 ㎡").unwrap().e4(), 855_000);
        assert_eq!(Area::parse_positive("100").unwrap().e4(), 1_000_000);
        assert_eq!(Area::parse_positive("0.0001").unwrap().e4(), 1);
        assert_eq!(Area::parse_positive("72.1234平方米").unwrap().e4(), 721_234);
    }

    #[test]
    fn rejects_bad_areas_with_the_reason() {
        assert_eq!(Area::parse_positive(""), Err(AreaError::Missing));
        assert_eq!(Area::parse_positive("0"), Err(AreaError::NotPositive { value: "0".into() }));
        assert_eq!(Area::parse_positive("-3.2"), Err(AreaError::NotPositive { value: "-3.2".into() }));
        assert_eq!(Area::parse_positive("85.12345"), Err(AreaError::TooPrecise { value: "85.12345".into() }));
        assert_eq!(Area::parse_positive("abc"), Err(AreaError::NotANumber { value: "abc".into() }));
        assert_eq!(Area::parse_positive("1e3"), Err(AreaError::NotANumber { value: "1e3".into() }));
        assert_eq!(Area::parse_positive("."), Err(AreaError::NotANumber { value: ".".into() }));
    }

    #[test]
    fn displays_two_decimals_or_as_many_as_needed() {
        assert_eq!(Area::from_e4(12_345_600).to_string(), "1234.56");
        assert_eq!(Area::from_e4(851_234).to_string(), "85.1234");
        assert_eq!(Area::from_e4(850_000).to_string(), "85.00");
        assert_eq!(Area::from_e4(1).to_string(), "0.0001");
        assert_eq!(Area::from_e4(850_010).to_string(), "85.001");
    }

    #[test]
    fn ceil_fraction_rounds_up_to_the_smallest_unit() {
        assert_eq!(Area::from_e4(3).ceil_fraction(2, 3).e4(), 2);
        assert_eq!(Area::from_e4(4).ceil_fraction(2, 3).e4(), 3);
        assert_eq!(Area::from_e4(100).ceil_fraction(3, 4).e4(), 75);
    }
}
