//! Numbers as people read them on pages and notices: thousands separators and two decimals
//! (`52,305.01`). Exact values stay in the API, the files and the evidence; only what a person
//! reads is rounded, and a figure still to reach is rounded up, so that reaching it is enough.

/// `1234567` → `1,234,567`.
pub fn grouped(mut v: u128) -> String {
    let mut parts = Vec::new();
    loop {
        if v < 1000 {
            parts.push(v.to_string());
            break;
        }
        parts.push(format!("{:03}", v % 1000));
        v /= 1000;
    }
    parts.reverse();
    parts.join(",")
}

/// A count of hundredths as `-1,234.56`.
pub fn hundredths(v: i128) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:02}", grouped(a / 100), a % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::{Area, Money};

    #[test]
    fn pages_read_two_decimals_with_separators() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(52_305), "52,305");
        assert_eq!(hundredths(5_230_501), "52,305.01");
        assert_eq!(hundredths(-3_835_734), "-38,357.34");
        assert_eq!(Money::from_fen(3_835_734).readable(), "38,357.34");
        // the register's two decimals, half up; a figure still needed, up
        assert_eq!(Area::from_e4(523_050_149).readable(), "52,305.01");
        assert_eq!(Area::from_e4(523_050_150).readable(), "52,305.02");
        assert_eq!(Area::from_e4(523_050_101).readable_up(), "52,305.02");
        assert_eq!(Area::from_e4(523_050_100).readable_up(), "52,305.01");
    }
}
