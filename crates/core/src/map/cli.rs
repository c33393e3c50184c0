//! `gongzhi walk --map MAP.geojson [--add-path A,B[,LENGTH]]… [--open A,B]… [--at HH:MM]`: the
//! options arrive as the raw strings a person typed; each bad one is refused by its own name.

use crate::kit::Refused;
use crate::map::compare::what_if;
use crate::map::geojson;
use crate::map::hours::minute_of_day;
use crate::map::output::WalkOutput;
use crate::map::refusal::MapRefusal;
use crate::map::scenario::{Change, Scenario};

/// Reads the map and the what-if, and walks it before and after, to all bin rooms.
pub fn walk_cli(map_geojson: &str, add_paths: &[String], opens: &[String]) -> Result<WalkOutput, Refused> {
    walk_cli_at(map_geojson, add_paths, opens, None)
}

/// As [`walk_cli`], to the bin rooms open at `at` (`HH:MM`) when given.
pub fn walk_cli_at(
    map_geojson: &str,
    add_paths: &[String],
    opens: &[String],
    at: Option<&str>,
) -> Result<WalkOutput, Refused> {
    let minute = match at {
        Some(t) => Some(minute_of_day(t).ok_or_else(|| MapRefusal::BadTime { value: t.into() }.refused())?),
        None => None,
    };
    let map = geojson::parse(map_geojson)?;
    let mut changes = Vec::new();
    for arg in add_paths {
        changes.push(parse_add_path(arg)?);
    }
    for arg in opens {
        let (a, b) = parse_pair("--open", arg)?;
        changes.push(Change::Open { a, b });
    }
    let scenario = Scenario::new(changes);
    let comparison = what_if(&map, &scenario, minute)?;
    let mut out = WalkOutput::new(comparison, scenario.changes.iter().map(Change::to_string).collect());
    out.at = minute.map(|m| format!("{:02}:{:02}", m / 60, m % 60));
    Ok(out)
}

/// `A,B` or `A,B,LENGTH` (metres); commas may be full-width.
pub fn parse_add_path(arg: &str) -> Result<Change, Refused> {
    let bad = || MapRefusal::BadArgument {
        option: "--add-path".into(),
        value: arg.into(),
        expected: "A,B or A,B,LENGTH (two node ids, then metres)".into(),
    };
    let parts = split(arg);
    match parts.as_slice() {
        [a, b] => Ok(Change::AddPath { a: a.clone(), b: b.clone(), length_mm: None }),
        [a, b, len] => match metres_to_mm(len) {
            Some(mm) => Ok(Change::AddPath { a: a.clone(), b: b.clone(), length_mm: Some(mm) }),
            None => {
                MapRefusal::BadArgumentLength { option: "--add-path".into(), value: arg.into(), length: len.clone() }
                    .err()
            }
        },
        _ => bad().err(),
    }
}

/// `A,B`: two node ids.
pub fn parse_pair(option: &str, arg: &str) -> Result<(String, String), Refused> {
    match split(arg).as_slice() {
        [a, b] => Ok((a.clone(), b.clone())),
        _ => {
            MapRefusal::BadArgument { option: option.into(), value: arg.into(), expected: "A,B (two node ids)".into() }
                .err()
        }
    }
}

/// The parts between commas, trimmed; an empty part makes the whole argument unreadable.
fn split(arg: &str) -> Vec<String> {
    let parts: Vec<String> = arg.split([',', '，']).map(|p| p.trim().to_string()).collect();
    if parts.iter().any(String::is_empty) { Vec::new() } else { parts }
}

/// Decimal metres ≥ 0 (`45`, `45.5`, `.5`) to millimetres, half up beyond the third decimal;
/// exact, no float.
pub fn metres_to_mm(s: &str) -> Option<u64> {
    let s = s.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    let whole: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut mm = whole.checked_mul(1000)?;
    for (i, b) in frac.bytes().take(3).enumerate() {
        mm += (b - b'0') as u64 * 10u64.pow(2 - i as u32);
    }
    if frac.as_bytes().get(3).is_some_and(|&b| b >= b'5') {
        mm += 1;
    }
    Some(mm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_read_exactly_in_millimetres() {
        assert_eq!(metres_to_mm("45"), Some(45_000));
        assert_eq!(metres_to_mm("45.5"), Some(45_500));
        assert_eq!(metres_to_mm(".25"), Some(250));
        assert_eq!(metres_to_mm("0.0005"), Some(1));
        assert_eq!(metres_to_mm("0.00049"), Some(0));
        assert_eq!(metres_to_mm("12.3456"), Some(12_346));
        for bad in ["", ".", "-3", "1e3", "12m", "1.2.3", "+4"] {
            assert_eq!(metres_to_mm(bad), None, "{bad}");
        }
    }

    #[test]
    fn path_options_read_with_or_without_a_length_and_full_width_commas() {
        assert_eq!(
            parse_add_path("S1, S2").unwrap(),
            Change::AddPath { a: "S1".into(), b: "S2".into(), length_mm: None }
        );
        assert_eq!(
            parse_add_path("S1，S2，38.5").unwrap(),
            Change::AddPath { a: "S1".into(), b: "S2".into(), length_mm: Some(38_500) }
        );
    }

    #[test]
    fn bad_options_are_named_with_what_was_typed() {
        let r = parse_add_path("S1").unwrap_err();
        assert_eq!(r.code(), "map.bad-argument");
        assert_eq!(r.en(), "--add-path \"S1\": expected A,B or A,B,LENGTH (two node ids, then metres)");
        let r = parse_add_path("S1,S2,-4").unwrap_err();
        assert_eq!(r.code(), "map.bad-argument-length");
        assert_eq!(r.en(), "--add-path \"S1,S2,-4\": the length \"-4\" must be metres ≥ 0");
        let r = parse_pair("--open", "N1,,N2").unwrap_err();
        assert_eq!(r.en(), "--open \"N1,,N2\": expected A,B (two node ids)");
        assert_eq!(parse_add_path("a,b,c,d").unwrap_err().code(), "map.bad-argument");
    }
}
