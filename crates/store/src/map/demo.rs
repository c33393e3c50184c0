//! The demo's map and requests: the story's compound drawn (33 buildings, four bin rooms, the
//! green belt in the south and the car-park wall in the north), the what-ifs the committee tried
//! attached to the two votes, and the requests that started it: twelve southern households'
//! "垃圾箱房太远", taken up at a meeting of building leaders, put to the owners, answered by the
//! shortcut built and paid from income from common property; the northern households' same
//! complaint on the open wall vote; and a handful of everyday requests to each handler.

use super::NewScenario;
use super::requests::{NewRequest, RequestLinks};
use crate::committee::compound_meetings::NewCompoundMeeting;
use crate::demo::{PATH_TITLE, SHORTCUT_TITLE};
use crate::{Actor, Result, Store, now_ms};
use gongzhi_core::committee::minutes::{MeetingKind, ResolutionStatus};
use gongzhi_core::map::requests::{Category, Status};
use gongzhi_core::map::{Change, Scenario, demo as map_demo, what_if};

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

/// The what-if attached to the shortcut's vote.
pub const SHORTCUT_SCENARIO: &str = "南侧便道：穿过绿化带连通南侧垃圾箱房";

/// An everyday request: (which submitter, category, title, text, its handler's moves, the days
/// before today of its submission and each move).
type Everyday = (usize, Category, &'static str, &'static str, &'static [(Status, &'static str)], &'static [i64]);

/// A submitter: (account id, name, unit).
type Who = (String, String, String);

async fn owners_of(store: &Store, compound: &str, buildings: &[String], per: usize) -> Result<Vec<Who>> {
    let units = store.registry(compound).await?.units;
    let mut out = Vec::new();
    for b in buildings {
        for u in units.iter().filter(|u| u.no.building() == b.as_str()).take(per) {
            if let Some(a) = store.unit_accounts(compound, &u.no).await?.into_iter().next() {
                out.push((a.id, a.name, u.no.to_string()));
            }
        }
    }
    Ok(out)
}

/// Moves a request's history back in time: its submission to `at[0]`, its events in order to
/// the rest (the last repeated for any beyond), and the times the request keeps with them.
async fn backdate(store: &Store, compound: &str, id: &str, at: &[i64]) -> Result<()> {
    let events = store.request_events(compound, id).await?;
    let mut tx = store.begin_write().await?;
    let mut first_response = None;
    let mut closed = None;
    for (i, e) in events.iter().enumerate() {
        let t = at[i.min(at.len() - 1)];
        if i > 0 && first_response.is_none() {
            first_response = Some(t);
        }
        if e.status.is_final() {
            closed = Some(t);
        }
        sqlx::query("UPDATE request_events SET at = $1 WHERE compound_id = $2 AND request_id = $3 AND seq = $4")
            .bind(t)
            .bind(compound)
            .bind(id)
            .bind(e.seq)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "UPDATE requests SET submitted_at = $1, first_response_at = $2, closed_at = $3 WHERE compound_id = $4 AND id = $5",
    )
    .bind(at[0])
    .bind(first_response)
    .bind(closed)
    .bind(compound)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn submit(
    store: &Store,
    compound: &str,
    who: &Who,
    category: Category,
    title: &str,
    text: &str,
    building: bool,
) -> Result<String> {
    let building = building.then(|| who.2.split('-').next().unwrap_or_default().to_string());
    let n = NewRequest {
        category: Some(category),
        title: title.into(),
        text: text.into(),
        building,
        unit: Some(who.2.clone()),
        ..Default::default()
    };
    Ok(store.submit_request(compound, &n, Actor { id: &who.0, login: "demo" }, &who.1).await?.id)
}

pub async fn seed_map(store: &Store, compound: &str, d: &gongzhi_core::demo::Demo, password_hash: &str) -> Result<()> {
    let sys = Actor::SYSTEM;
    // the property company's project manager, who handles repairs, parking and greening
    let manager = crate::accounts::NewAccount {
        login: "manager".into(),
        phone: None,
        name: "物业项目经理 陈经理".into(),
        password_hash: password_hash.into(),
        roles: vec![gongzhi_core::accounts::Role::PropertyManager],
        units: vec![],
    };
    let mgr = store.create_account(compound, &manager, "system").await?.id;
    let map = store.import_walk_map(compound, &map_demo::geojson(), sys).await?;
    let matters = store.matters(compound).await?;
    let find = |t: &str| matters.iter().find(|m| m.title == t).cloned().expect("a demo matter");
    let (shortcut, path) = (find(SHORTCUT_TITLE), find(PATH_TITLE));
    let add_path = Change::AddPath { a: "south-gap".into(), b: "bin-south".into(), length_mm: None };
    let open_wall = Change::Open { a: "wall-inside".into(), b: "car-park".into() };
    let at_7 = Some(7 * 60);
    for (title, changes, matter) in [
        (SHORTCUT_SCENARIO, vec![add_path.clone()], Some(shortcut.id.clone())),
        ("北侧停车场围墙开设通道", vec![open_wall.clone()], Some(path.id.clone())),
        ("两项都做：南侧便道和北侧围墙通道", vec![add_path.clone(), open_wall.clone()], None),
    ] {
        let s =
            NewScenario { title: title.into(), scenario: Scenario::new(changes), minute: at_7, matter, project: None };
        store.save_scenario(compound, &s, sys).await?;
    }

    // who gains from each: the buildings whose walk the change shortens the most
    let gainers = |change: &Change| -> Vec<String> {
        let c = what_if(&map, &Scenario::new(vec![change.clone()]), at_7).expect("the story's what-if applies");
        let mut b: Vec<(i64, String)> =
            c.entrances.iter().filter(|e| e.gains()).map(|e| (-e.gain_mm().unwrap_or(0), e.building.clone())).collect();
        b.sort();
        let mut out: Vec<String> = Vec::new();
        for (_, x) in b {
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    };
    let director = d.officers.iter().find(|o| o.role == "committee-director").expect("a director").name.clone();
    let dir_acc = store.person_for_login("admin").await?.map(|p| p.0).unwrap_or_else(|| "system".into());
    let dir = Actor { id: &dir_acc, login: "admin" };

    // the south: twelve households, a month before the vote opened
    let opened = shortcut.opened_at.unwrap_or(shortcut.created_at);
    let closed = shortcut.closed_at.unwrap_or(opened + 15 * DAY);
    let south = owners_of(store, compound, &gainers(&add_path).into_iter().take(4).collect::<Vec<_>>(), 3).await?;
    let meeting = store
        .schedule_compound_meeting(
            compound,
            &NewCompoundMeeting {
                kind: MeetingKind::BuildingLeaders,
                title: "楼组长和业主代表会议：南区居民反映垃圾箱房太远".into(),
                starts_at: opened - 25 * DAY + 19 * HOUR,
                ends_at: opened - 25 * DAY + 21 * HOUR,
                place: "居委会活动室".into(),
                agenda: "一、南区 12 户居民反映垃圾箱房太远（诉求汇总）；二、在南侧绿化带修建便道的方案与地图测算；三、费用来源。"
                    .into(),
            },
            sys,
        )
        .await?;
    let mut who = vec![director.clone()];
    who.extend(
        ["4-201", "12-201", "13-201"]
            .iter()
            .filter_map(|u| d.officers.iter().find(|o| o.role == "building-leader" && o.unit.as_str() == *u))
            .map(|o| o.name.clone()),
    );
    store
        .write_minutes(
            compound,
            &meeting.id,
            &who,
            "汇总了南区 12 户居民的诉求：定时定点投放后要绕过绿化带，到南侧垃圾箱房的路太远。地图测算显示，穿过绿化带修一条便道，相关楼栋每户单程少走一百多米。同意提请业委会组织业主大会表决，费用从公共收益中列支。",
            sys,
        )
        .await?;
    store.lock_minutes(compound, &meeting.id, sys).await?;
    let res = store
        .add_resolution(
            compound,
            &meeting.id,
            "将南侧便道方案提交业主大会表决",
            "业委会主任",
            gongzhi_core::kit::period::day_of(opened),
            (None, None),
            sys,
        )
        .await?;
    store
        .update_resolution(
            compound,
            &res.id,
            ResolutionStatus::Done,
            "表决已通过。",
            &director,
            (Some(&shortcut.id), None),
            sys,
        )
        .await?;
    let spent = store
        .funds_ledger(compound)
        .await?
        .transactions()
        .iter()
        .filter(|t| t.link.as_ref().is_some_and(|l| l.to_string() == format!("matter:{}", shortcut.id)))
        .flat_map(|t| t.postings.iter().filter(|p| p.account == gongzhi_core::funds::Account::Spending))
        .map(|p| p.amount.fen())
        .sum::<i64>();
    let spent = gongzhi_core::kit::Money::from_fen(spent);
    let texts = [
        "绕过绿化带去倒垃圾要走很远，老人提着垃圾很吃力。",
        "定时定点以后要走到南边垃圾箱房，太远了。",
        "希望在绿化带开一条小路。",
    ];
    let mut lead = None;
    for (i, w) in south.iter().enumerate() {
        let id = submit(store, compound, w, Category::BinRoom, "垃圾箱房太远", texts[i % texts.len()], true).await?;
        lead.get_or_insert(id);
    }
    let lead = lead.expect("southern households");
    store
        .move_request(
            compound,
            &lead,
            Status::Accepted,
            "已收到，业委会将汇总后提交楼组长和业主代表会议讨论。",
            dir,
            &director,
        )
        .await?;
    store
        .link_request(
            compound,
            &lead,
            &RequestLinks { meeting: Some(meeting.id.clone()), ..Default::default() },
            dir,
            &director,
        )
        .await?;
    store
        .link_request(
            compound,
            &lead,
            &RequestLinks { matter: Some(shortcut.id.clone()), ..Default::default() },
            dir,
            &director,
        )
        .await?;
    store.move_request(compound, &lead, Status::InProgress, "表决已通过，便道工程已开工。", dir, &director).await?;
    let outcome = format!("南侧便道已建成并投入使用，费用 {} 元从公共收益中支付。", spent.readable());
    store.move_request(compound, &lead, Status::Closed, &outcome, dir, &director).await?;
    for r in store.request_group(compound, &lead).await? {
        let sub = opened - 32 * DAY + (r.no % 5) * HOUR * 7;
        backdate(
            store,
            compound,
            &r.id,
            &[sub, opened - 30 * DAY, opened - 25 * DAY, opened - 10 * DAY, closed + 5 * DAY, closed + 60 * DAY],
        )
        .await?;
    }

    // the north: the same complaint, on the wall vote still open
    let north_meeting = store
        .compound_meetings(compound)
        .await?
        .into_iter()
        .find(|m| m.title.starts_with("楼组长和业主代表会议：垃圾箱房太远"))
        .map(|m| m.id);
    let mut north_buildings = gainers(&open_wall);
    north_buildings.truncate(4);
    let north = owners_of(store, compound, &north_buildings, 2).await?;
    let mut lead = None;
    for w in &north {
        let id =
            submit(store, compound, w, Category::BinRoom, "垃圾箱房太远", "停车场围墙挡着，要绕到东边去倒垃圾。", true)
                .await?;
        lead.get_or_insert(id);
    }
    let lead = lead.expect("northern households");
    let now = now_ms();
    let links = RequestLinks { meeting: north_meeting, matter: Some(path.id.clone()), project: None };
    store.link_request(compound, &lead, &links, dir, &director).await?;
    store
        .move_request(compound, &lead, Status::InProgress, "北侧围墙通道方案正在业主大会表决中。", dir, &director)
        .await?;
    for r in store.request_group(compound, &lead).await? {
        backdate(store, compound, &r.id, &[now - 75 * DAY + r.no * HOUR, now - 60 * DAY, now - 22 * DAY]).await?;
    }

    // everyday requests, one handler each
    let some = owners_of(store, compound, &["7".into(), "13".into(), "20".into(), "26".into(), "31".into()], 1).await?;
    let staff = store.person_for_login("staff").await?.map(|p| p.0).unwrap_or_else(|| "system".into());
    let everyday: [Everyday; 5] = [
        (
            0,
            Category::Repairs,
            "楼道灯不亮",
            "三楼楼道声控灯坏了一周。",
            &[(Status::Answered, "已更换声控灯。"), (Status::Closed, "")],
            &[-40, -39, -35],
        ),
        (
            2,
            Category::Parking,
            "消防通道被占用",
            "晚上总有车停在消防通道上。",
            &[(Status::Accepted, "已安排保安夜间巡查。")],
            &[-9, -8],
        ),
        (
            3,
            Category::Neighbours,
            "夜间噪音",
            "楼上装修晚上十点以后还在施工。",
            &[(Status::Answered, "已上门沟通，装修时间改为 8:00–18:00。")],
            &[-15, -14],
        ),
        (4, Category::Greening, "树木遮挡采光", "楼前香樟太密，一楼终日不见阳光。", &[], &[-3]),
        (
            1,
            Category::Repairs,
            "单元门损坏",
            "单元门闭门器坏了，门关不上。",
            &[(Status::InProgress, "已报修，配件到货后更换。")],
            &[-2, -1],
        ),
    ];
    for (i, cat, title, text, steps, days) in everyday {
        let Some(w) = some.get(i) else { continue };
        let id = submit(store, compound, w, cat, title, text, true).await?;
        let handler = store.request(compound, &id).await?.handler;
        for (to, note) in steps {
            let (acc, name) = match handler {
                gongzhi_core::map::Handler::PropertyCompany => (mgr.as_str(), "物业项目经理 陈经理"),
                gongzhi_core::map::Handler::ResidentsCommittee => (staff.as_str(), "居委会 王敏"),
                gongzhi_core::map::Handler::OwnersCommittee => (dir_acc.as_str(), director.as_str()),
            };
            store.move_request(compound, &id, *to, note, Actor { id: acc, login: "demo" }, name).await?;
        }
        let at: Vec<i64> = days.iter().map(|d| now + d * DAY + 5 * HOUR).collect();
        backdate(store, compound, &id, &at).await?;
    }
    Ok(())
}
