//! The demo's waste-sorting duty: the compound's two stations, 40 volunteers, last month's
//! roster with its check-ins and no-shows, six weeks of supervisors' records (fewer each week, as
//! the pilot settled in), this month's roster, a coming change of hours and an open cover request.

use crate::{Actor, Result, Store, now_ms};
use gongzhi_core::demo;
use jiff::civil::Date;

/// Fixed-time drop-off: two stations (north and south building groups) open 07:00–09:00 and
/// 18:00–20:00 with the four bins; 40 volunteers with accounts (the eight committee members and 32
/// building leaders), each with their own weekly availability; this month's roster built.
pub(crate) async fn seed_waste(store: &Store, compound: &str, d: &demo::Demo) -> Result<()> {
    use crate::waste::VolunteerRecord;
    use gongzhi_core::waste::{Bin, Hm, Station, StationId, Volunteer, Window};
    let sys = Actor::SYSTEM;
    let windows = vec![
        Window { start: Hm::new(7, 0).expect("a time"), end: Hm::new(9, 0).expect("a time") },
        Window { start: Hm::new(18, 0).expect("a time"), end: Hm::new(20, 0).expect("a time") },
    ];
    for (id, name, group, buildings, place) in [
        ("north", "北区投放点", "北区（1–16号楼）", 1..=16u32, "8号楼南侧"),
        ("south", "南区投放点", "南区（17–33号楼）", 17..=33u32, "24号楼东侧"),
    ] {
        let mut households = 0i64;
        for b in buildings {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE compound_id = $1 AND building_no = $2")
                .bind(compound)
                .bind(b.to_string())
                .fetch_one(&store.pool)
                .await?;
            households += n;
        }
        let st = Station {
            id: StationId::new(id),
            name: name.into(),
            building_group: group.into(),
            bins: Bin::ALL.into_iter().collect(),
            windows: windows.clone(),
            late_point: false,
            households: households as u32,
        };
        store.put_station(compound, &st, place, sys).await?;
    }
    let mut people: Vec<(String, String, &str)> = Vec::new();
    for o in d.officers.iter().filter(|o| o.role.starts_with("committee-")) {
        let login = if o.role == "committee-director" { "admin".to_string() } else { format!("owner-{}", o.unit) };
        people.push((login, o.name.clone(), "committee"));
    }
    // 32 building leaders besides the committee (a committee member who leads a building is listed once)
    let committee = people.len();
    for o in d.officers.iter().filter(|o| o.role == "building-leader") {
        let login = format!("owner-{}", o.unit);
        if people.len() < committee + 32 && !people.iter().any(|p| p.0 == login) {
            people.push((login, o.name.clone(), "building-group"));
        }
    }
    for (i, (login, name, origin)) in people.iter().enumerate() {
        let person = store.person_for_login(login).await?.map(|p| p.0);
        let mut v = Volunteer::new(login.clone(), 6);
        v.name = name.clone();
        v.max_per_week = Some(2);
        v.preferred.insert(StationId::new(if i % 2 == 0 { "north" } else { "south" }));
        // weekly availability: mornings on two weekdays and one evening, varied; every fifth all
        let weekly = if i % 5 == 0 {
            None
        } else {
            let d1 = (i % 7) as i8 + 1;
            let d2 = ((i + 3) % 7) as i8 + 1;
            let d3 = ((i + 5) % 7) as i8 + 1;
            Some(vec![(d1, windows[0].start), (d2, windows[0].start), (d3, windows[1].start)])
        };
        let rec = VolunteerRecord { volunteer: v, person_id: person, origin: origin.to_string(), weekly };
        store.put_volunteer(compound, &rec, sys).await?;
    }
    let today = gongzhi_core::kit::period::day_of(now_ms());
    past_month(store, compound, today).await?;
    store.build_roster(compound, today, 30, 1, sys).await?;
    coming_changes(store, compound, today).await?;
    Ok(())
}

/// A small deterministic mix, so the demo is the same each time it is seeded.
fn mix(a: u64, b: u64) -> u64 {
    let mut x = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_add(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    x.wrapping_mul(0x94D0_49BB_1331_11EB) >> 7
}

fn days(n: i64) -> jiff::Span {
    jiff::Span::new().days(n)
}

/// Last month's roster (built before this month's), its check-ins (about one in twelve a
/// no-show), and the supervisors' records of the last six weeks.
async fn past_month(store: &Store, compound: &str, today: Date) -> Result<()> {
    use gongzhi_core::waste::{Observation, SortingRecord, StationId};
    let sys = Actor::SYSTEM;
    let first = today.checked_sub(days(30)).expect("a date");
    let (id, _) = store.build_roster(compound, first, 30, 1, sys).await?;
    // built "a month ago": this month's roster, built next, is the current one
    sqlx::query("UPDATE waste_periods SET built_at = built_at - 2592000000 WHERE compound_id = $1 AND id = $2")
        .bind(compound)
        .bind(&id)
        .execute(&store.pool)
        .await?;
    let p = store.period(compound, &id).await?;
    let mut k = 0u64;
    for (shift, vs) in &p.assignment.on {
        let Some(date) = shift.as_str().split('/').nth(1).and_then(gongzhi_core::kit::period::parse_day) else {
            continue;
        };
        for v in vs {
            k += 1;
            let status = if mix(k, 7).is_multiple_of(12) { "no-show" } else { "checked-in" };
            store.record_attendance(compound, &p, shift, v, status, date, sys).await?;
        }
    }
    // six weeks of records, fewer each week; buildings 1–16 use the north station, 17–33 the south
    let kinds = [Observation::MisSorted, Observation::MisSorted, Observation::OutsideHours, Observation::RoadsideBags];
    for back in 1..=42i64 {
        let date = today.checked_sub(days(back)).expect("a date");
        let per_day = 1 + back / 10;
        for n in 0..per_day {
            let h = mix(back as u64, n as u64);
            let north = h.is_multiple_of(2);
            let building = if north { 1 + h % 16 } else { 17 + h % 17 };
            let r = SortingRecord {
                station: StationId::new(if north { "north" } else { "south" }),
                date,
                window: (!h.is_multiple_of(5)).then(|| if h.is_multiple_of(3) { "18:00" } else { "07:00" }.to_string()),
                building: (!h.is_multiple_of(4)).then(|| building.to_string()),
                kind: kinds[(h / 7 % 4) as usize],
                count: 1 + (h / 11 % 3) as u32,
            };
            store.record_sorting(compound, &r, "", today, sys).await?;
        }
    }
    Ok(())
}

/// The north station closes in the evening in nine days (disinfection work), and one volunteer
/// asks for cover for a shift of theirs.
async fn coming_changes(store: &Store, compound: &str, today: Date) -> Result<()> {
    use gongzhi_core::waste::{Hm, StationId, Window};
    let sys = Actor::SYSTEM;
    let day = today.checked_add(days(9)).expect("a date");
    let morning = Window { start: Hm::new(7, 0).expect("a time"), end: Hm::new(9, 0).expect("a time") };
    store
        .put_station_change(compound, &StationId::new("north"), day, &[morning], "小区消杀作业，当晚暂停开放", sys)
        .await?;
    let p = store.current_period(compound).await?.expect("the roster just built");
    let asker = p
        .assignment
        .on
        .iter()
        .filter(|(s, _)| s.as_str().contains(&today.checked_add(days(3)).expect("a date").to_string()))
        .find_map(|(s, vs)| vs.iter().find(|v| v.as_str() != "admin").map(|v| (s.clone(), v.clone())));
    if let Some((shift, v)) = asker {
        // nobody may be free for it; the demo then simply has no open request
        let _ = store.ask_cover(compound, &p, &shift, Some(&v), sys).await;
    }
    Ok(())
}
