//! Seeds the demo compound (see `gongzhi_core::demo`) into a store, with its accounts.

use crate::accounts::NewAccount;
use crate::projects::{Costing, Milestone, NewProject};
use crate::registry::{Compound, OfficerRow};
use crate::{Actor, NewMatter, Result, Store, now_ms};
use gongzhi_core::accounts::Role;
use gongzhi_core::demo::{self, NAME, NAME_EN};
use gongzhi_core::projects::sharing::Basis;
use gongzhi_core::projects::{ProjectKind, Stage, Stance};
use gongzhi_core::{Channel, Choice, MatterKind, Money, Scope, UnitNo};

pub const LIFT_TITLE: &str = "13号楼加装电梯";
pub const EVOTE_TITLE: &str = "在业主大会议事规则中采用电子投票";
pub const PATH_TITLE: &str = "使用公共收益开通北侧停车场围墙通道";
pub use crate::funds::demo::SHORTCUT_TITLE;
/// On notice long enough to open: the director opens it in the demo and its owners are mailed.
pub const CORRIDOR_TITLE: &str = "4号楼楼道粉刷方案";
pub const DEMO_PASSWORD: &str = "demo";
const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

/// The start of a Shanghai day of the demo's history.
fn day(s: &str) -> i64 {
    gongzhi_core::time::parse_date(s).expect("a demo date")
}

/// Creates the demo compound unless it is there; returns it. Every account's password is
/// `demo`; `password_hash` is its hash (computed once by the caller: hashing 900 times would
/// take a minute, and the demo's accounts share one password anyway).
/// The story's committee: the director and seven members, five of them party members, elected
/// for five years; the term ends about four months from today, so the change of term is under
/// way (reported on time, the group not yet formed). Eight seats is even, which today's rules do
/// not allow: the committee page flags it.
async fn seed_committee(store: &Store, compound: &str, d: &demo::Demo) -> Result<()> {
    use gongzhi_core::committee::term::{Member, Office, StepKind};
    let today = gongzhi_core::kit::period::day_of(now_ms());
    let months = |n: i32| jiff::Span::new().months(n);
    let end = today.checked_add(months(4)).expect("a date");
    let start = end.checked_sub(jiff::Span::new().years(5)).expect("a date");
    let mut members = Vec::new();
    for (i, o) in d.officers.iter().filter(|o| o.role.starts_with("committee-")).enumerate() {
        members.push(crate::committee::NewMember {
            member: Member {
                name: o.name.clone(),
                office: if o.role == "committee-director" {
                    Office::Director
                } else if i == 1 {
                    Office::ViceDirector
                } else {
                    Office::Member
                },
                party_member: i < 5,
                undertaking_signed: Some(start.tomorrow().expect("a date")),
                trained: (i % 3 != 2).then(|| today.checked_sub(months(8)).expect("a date")),
            },
            unit: Some(o.unit.to_string()),
            alternate: false,
        });
    }
    let seats = members.len() as u32;
    let term = store.record_term(compound, seats, start, 5, &members, Actor::SYSTEM).await?;
    let reported = end.checked_sub(months(5)).and_then(|r| r.checked_sub(jiff::Span::new().days(3))).expect("a date");
    store.record_step(compound, &term, StepKind::Report, Some(reported), Actor::SYSTEM).await?;
    // last month's meeting: six of eight present with the residents' committee, deciding the
    // southern path from income from common property, posted two days later
    let names: Vec<String> = members.iter().map(|m| m.member.name.clone()).collect();
    let held = today.checked_sub(jiff::Span::new().days(20)).expect("a date");
    let meeting = store.record_meeting(compound, held, false, true, &names[..6], Actor::SYSTEM).await?;
    let d = store
        .record_decision(
            compound,
            &meeting,
            "提请业主大会表决：使用公共收益修建南侧便道、开通北侧停车场围墙通道",
            "楼组长和业主代表会议反映垃圾箱房太远，同意将方案提交业主大会表决，费用从公共收益中列支。",
            &names[..5],
            Actor::SYSTEM,
        )
        .await?;
    store
        .post_decision(compound, &d.id, held.checked_add(jiff::Span::new().days(2)).expect("a date"), Actor::SYSTEM)
        .await?;
    Ok(())
}

/// The story's corridor round (2018): all 33 building leaders' plans in, reviewed by the two
/// residents'-committee reviewers on the default rubric, the best-value schedule recommended and
/// adopted; the first phase's buildings done and accepted, the second's under way.
async fn seed_corridors(store: &Store, compound: &str) -> Result<()> {
    use crate::corridors::NewRound;
    use gongzhi_core::corridors::review::{Progress, Work, default_rubric};
    use gongzhi_core::corridors::{Policy, plan};
    use gongzhi_core::kit::Money;
    let sys = Actor::SYSTEM;
    let today = gongzhi_core::kit::period::day_of(now_ms());
    let r = NewRound {
        title: "美丽楼道：33 栋楼楼道粉刷".into(),
        notice: "各楼组长请在截止日前提交本楼楼道方案（粉刷墙面、更换照明、整修地面、增设信息栏），附居民签名。居委会按评审细则评分后提出分期排期建议，报业委会决定。".into(),
        deadline: today.checked_sub(jiff::Span::new().days(60)).expect("a date"),
        phases: ["第一期", "第二期", "第三期", "第四期"]
            .iter()
            .map(|l| (l.to_string(), Money::from_fen(30_000_000), 6))
            .collect(),
        criteria: default_rubric(),
    };
    let round = store.open_corridor_round(compound, &r, sys).await?;
    for b in 1..=33u32 {
        let building = gongzhi_core::registry::BuildingNo::parse(&b.to_string()).expect("a building");
        let households: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE compound_id = $1 AND building_no = $2")
                .bind(compound)
                .bind(building.as_str())
                .fetch_one(&store.pool)
                .await?;
        let cost = Money::from_fen(i64::from(38_000 + (b * 7_919 % 47) * 1_000) * 100);
        let works = if b % 3 == 0 {
            vec![Work::Walls, Work::Lights]
        } else {
            vec![Work::Walls, Work::Lights, Work::NoticeBoards]
        };
        let signatures = (households as u32) * (70 + b % 30) / 100;
        let leader = Actor { id: "demo-leader", login: "demo" };
        store
            .submit_corridor_plan(
                compound,
                &round,
                &building,
                &works,
                "墙面起皮、声控灯损坏，拟整体粉刷并更换照明。",
                cost,
                signatures,
                leader,
            )
            .await?;
        for (who, name, k) in [("staff", "居委会 李主任", 3u32), ("staff2", "居委会 王干事", 5)] {
            let id = store.person_for_login(who).await?.map(|p| p.0).unwrap_or_else(|| who.into());
            let marks: Vec<i64> = (0..5u32).map(|c| i64::from(400 + (b * (c + k) * 37) % 600)).collect();
            store.score_corridor_plan(compound, &round, &building, (&id, name), &[], &marks, sys).await?;
        }
    }
    // the plans were in before the deadline (seeded today, dated as they happened)
    sqlx::query("UPDATE corridor_plans SET late = 0, submitted_at = $1 WHERE compound_id = $2 AND round_id = $3")
        .bind(gongzhi_core::kit::period::start_of(r.deadline) - DAY)
        .bind(compound)
        .bind(&round)
        .execute(&store.pool)
        .await?;
    let rec = store.corridor_round(compound, &round).await?;
    let out = plan(&rec.round().map_err(crate::StoreError::Refused)?, Policy::BestValue);
    store
        .recommend_corridors(
            compound,
            &round,
            Policy::BestValue,
            "按“总等待最少”排期：评分高的楼先做，同时把预算用足。",
            sys,
        )
        .await?;
    let mut schedule: Vec<(gongzhi_core::registry::BuildingNo, Option<u32>)> = Vec::new();
    for ph in &out.phases {
        for b in &ph.buildings {
            schedule.push((gongzhi_core::registry::BuildingNo::parse(b).expect("a building"), Some(ph.phase)));
        }
    }
    for b in &out.unscheduled {
        schedule.push((gongzhi_core::registry::BuildingNo::parse(b).expect("a building"), None));
    }
    let adopted = today.checked_sub(jiff::Span::new().days(40)).expect("a date");
    store.adopt_corridors(compound, &round, &schedule, adopted, sys).await?;
    store
        .post_corridors(compound, &round, adopted.checked_add(jiff::Span::new().days(1)).expect("a date"), sys)
        .await?;
    for (b, phase) in &schedule {
        let progress = match phase {
            Some(1) => Progress::Accepted,
            Some(2) => Progress::UnderWay,
            _ => continue,
        };
        store.set_corridor_progress(compound, &round, b, progress, "", sys).await?;
    }
    let first = out.phases.first().map(|p| p.cost).unwrap_or(Money::ZERO);
    store.set_corridor_actual(compound, &round, 1, Money::from_fen(first.fen() * 97 / 100), sys).await?;
    Ok(())
}

/// The compound's meetings: two months ago the building leaders and owner representatives heard
/// that the bin rooms are too far and resolved to put the southern path to the owners (done: the
/// path vote is open); last month's joint meeting, its minutes still a draft for attendees to
/// correct, with one resolution open and one overdue; the next reception day ahead.
async fn seed_compound_meetings(store: &Store, compound: &str, d: &demo::Demo, path: &str) -> Result<()> {
    use crate::committee::compound_meetings::NewCompoundMeeting;
    use gongzhi_core::committee::minutes::{MeetingKind, ResolutionStatus};
    let sys = Actor::SYSTEM;
    let today = gongzhi_core::kit::period::day_of(now_ms());
    let at = |days: i64, hour: i64| gongzhi_core::kit::period::start_of(today) + days * DAY + hour * 3_600_000;
    let name = |role: &str, unit: &str| {
        d.officers
            .iter()
            .find(|o| o.role == role && o.unit.as_str() == unit)
            .map(|o| o.name.clone())
            .expect("an officer")
    };
    let director = d.officers.iter().find(|o| o.role == "committee-director").expect("a director").name.clone();
    let leaders: Vec<String> =
        ["4-201", "12-201", "13-201", "20-201", "27-201"].iter().map(|u| name("building-leader", u)).collect();

    let m = NewCompoundMeeting {
        kind: MeetingKind::BuildingLeaders,
        title: "楼组长和业主代表会议：垃圾箱房太远怎么办".into(),
        starts_at: at(-60, 19),
        ends_at: at(-60, 21),
        place: "居委会活动室".into(),
        agenda: "一、定时定点投放后居民反映垃圾箱房太远；二、南侧便道和北侧围墙通道的方案；三、费用来源。".into(),
    };
    let m = store.schedule_compound_meeting(compound, &m, sys).await?;
    let mut who = vec![director.clone()];
    who.extend(leaders.iter().cloned());
    store
        .write_minutes(
            compound,
            &m.id,
            &who,
            "与会楼组长反映：定时定点投放后，北区居民到垃圾箱房要绕行约 400 米，垃圾袋被丢在路边。讨论了两个方案：在南侧绿地修建便道；在北侧停车场围墙开设通道。与会者一致同意两项都做，费用从公共收益中列支，提请业委会组织业主大会表决。",
            sys,
        )
        .await?;
    store.lock_minutes(compound, &m.id, sys).await?;
    let r = store
        .add_resolution(
            compound,
            &m.id,
            "提请业委会将南侧便道和北侧围墙通道方案提交业主大会表决",
            "业委会主任",
            today.checked_sub(jiff::Span::new().days(30)).expect("a date"),
            (None, None),
            sys,
        )
        .await?;
    store
        .update_resolution(
            compound,
            &r.id,
            ResolutionStatus::Done,
            "业委会会议决定提交表决，表决已开始。",
            &director,
            (Some(path), None),
            sys,
        )
        .await?;

    let m = NewCompoundMeeting {
        kind: MeetingKind::Joint,
        title: "十一月三方联席会议".into(),
        starts_at: at(-12, 14),
        ends_at: at(-12, 16),
        place: "居委会会议室".into(),
        agenda: "一、垃圾分类定时定点值守；二、4号楼楼道粉刷方案；三、公共收益季度公开。".into(),
    };
    let m = store.schedule_compound_meeting(compound, &m, sys).await?;
    let who = vec![director.clone(), "居委会 王书记".into(), "居委会 李主任".into(), "物业项目经理 陈经理".into()];
    store
        .write_minutes(
            compound,
            &m.id,
            &who,
            "一、垃圾箱房开放时间延长至 21:00，由物业落实；二、招募志愿者在投放时段值守，由居委会牵头；三、4号楼楼道粉刷方案已公示，择日开始投票。",
            sys,
        )
        .await?;
    store
        .add_resolution(
            compound,
            &m.id,
            "垃圾箱房晚间开放时间延长至 21:00",
            "物业项目经理 陈经理",
            today.checked_add(jiff::Span::new().days(14)).expect("a date"),
            (None, None),
            sys,
        )
        .await?;
    store
        .add_resolution(
            compound,
            &m.id,
            "招募并排班投放时段值守志愿者",
            "居委会 李主任",
            today.checked_sub(jiff::Span::new().days(3)).expect("a date"),
            (None, None),
            sys,
        )
        .await?;

    let m = NewCompoundMeeting {
        kind: MeetingKind::ReceptionDay,
        title: "业主接待日".into(),
        starts_at: at(10, 9),
        ends_at: at(10, 11),
        place: "业委会办公室".into(),
        agenda: "业委会委员轮值接待，欢迎业主来访反映问题。".into(),
    };
    store.schedule_compound_meeting(compound, &m, sys).await?;
    Ok(())
}

/// The change of term's candidates: six members standing again, three new owners, and one
/// nominee who works for the property company (shown with the reason he may not stand). Nine may
/// stand, for seven seats and two alternates: the election is for the director or the residents'
/// committee to draft in the browser.
async fn seed_candidates(store: &Store, compound: &str, d: &demo::Demo) -> Result<()> {
    use gongzhi_core::committee::candidates::{Candidate, Nomination};
    let owner_of = |unit: &str| {
        let u = d.registry.units.iter().find(|u| u.no.as_str() == unit).expect("a demo unit");
        let o = d.registry.owner(&u.owner).expect("an owner");
        (u.no.clone(), o.members.first().cloned().unwrap_or_else(|| o.name.clone()), u.owner.to_string())
    };
    let (_, _, nominator) = owner_of("12-101");
    let list: [(&str, u8, bool, &str, &str, i16, &str); 10] = [
        ("8-302", 2, true, "退休教师", "连任；负责加装电梯与楼道粉刷的协调。", 1956, ""),
        ("2-501", 0, true, "退休工程师", "熟悉房屋结构和维修资金使用。", 1958, ""),
        ("6-203", 0, true, "会计", "愿意负责公共收益账目公开。", 1972, ""),
        ("11-402", 1, false, "社区医生", "关心独居老人和垃圾分类。", 1969, ""),
        ("15-101", 0, true, "退休干部", "", 1954, ""),
        ("19-602", 2, true, "律师", "可为业主大会程序提供法律意见。", 1980, ""),
        ("4-301", 0, false, "中学教师", "4号楼楼组长推荐，关注楼道粉刷。", 1983, ""),
        ("12-502", 1, false, "软件工程师", "愿意帮助老年业主使用线上投票。", 1990, ""),
        ("24-303", 0, true, "退休护士", "", 1960, ""),
        ("30-101", 0, false, "物业公司保安主管", "", 1975, "works"),
    ];
    for (unit, how, party, profession, statement, born, flag) in list {
        let (unit, name, _) = owner_of(unit);
        let nomination = match how {
            0 => Nomination::SelfNominated,
            1 => Nomination::ByOwners { nominators: vec![nominator.clone()] },
            _ => Nomination::ReservePool,
        };
        let c = Candidate {
            name,
            unit,
            nomination,
            works_for_property_company: flag == "works",
            relatives_at_property_company: vec![],
            uncorrected: vec![],
            undertaking_signed: true,
            party_member: party,
            birth: jiff::civil::Date::new(born, 5, 1).ok(),
            profession: profession.into(),
            housing_type: "商品房".into(),
        };
        store.nominate(compound, &c, statement, Actor::SYSTEM).await?;
    }
    Ok(())
}

pub async fn seed(store: &Store, password_hash: &str) -> Result<Compound> {
    if let Some(c) = store.compound_by_name(NAME).await? {
        return Ok(c);
    }
    let d = demo::demo();
    let c = store.create_compound(NAME, NAME_EN, false).await?;
    store.import_registry(&c.id, &d.registry).await?;
    let officers: Vec<OfficerRow> = d
        .officers
        .iter()
        .map(|o| OfficerRow { role: o.role.into(), unit: o.unit.to_string(), name: o.name.clone() })
        .collect();
    store.set_officers(&c.id, &officers).await?;

    let director = d.officers.iter().find(|o| o.role == "committee-director").expect("a director");
    let mut accounts = vec![
        NewAccount {
            login: "admin".into(),
            phone: Some("13800000001".into()),
            name: director.name.clone(),
            password_hash: password_hash.into(),
            // the director is an owner too: their own flat is bound to their account
            roles: vec![Role::CommitteeDirector, Role::Owner],
            units: vec![(director.unit.clone(), gongzhi_core::accounts::Relation::Owner, true)],
        },
        NewAccount {
            login: "staff".into(),
            phone: Some("13800000002".into()),
            name: "居委会 王敏".into(),
            password_hash: password_hash.into(),
            roles: vec![Role::RcStaff],
            units: vec![],
        },
        NewAccount {
            login: "staff2".into(),
            phone: None,
            name: "居委会 李静".into(),
            password_hash: password_hash.into(),
            roles: vec![Role::RcStaff],
            units: vec![],
        },
    ];
    for u in d.registry.units.iter().filter(|u| u.no != director.unit) {
        let owner = d.registry.owner(&u.owner).expect("every unit has an owner");
        let mut roles = vec![Role::Owner];
        for o in d.officers.iter().filter(|o| o.unit == u.no) {
            roles.push(match o.role {
                "committee-member" => Role::CommitteeMember,
                "building-leader" => Role::BuildingLeader,
                _ => continue,
            });
        }
        accounts.push(NewAccount {
            login: format!("owner-{}", u.no),
            phone: None,
            name: owner.members[0].clone(),
            password_hash: password_hash.into(),
            roles,
            units: vec![(u.no.clone(), gongzhi_core::accounts::Relation::Owner, true)],
        });
    }
    store.create_accounts(&c.id, &accounts, "system").await?;
    let sys = Actor::SYSTEM;

    // Building 13's lift retrofit: closed, about 92% approval.
    let lift = store
        .create_matter(
            &c.id,
            &NewMatter {
                title: LIFT_TITLE.into(),
                body: "在13号楼北侧加装一部电梯，费用按楼层分摊；电信管线迁移费用经业委会协商减少约7万元。".into(),
                kind: MatterKind::Alteration,
                scope: Scope::parse("building:13").expect("valid scope"),
                deemed_clause: false,
                allow_change: false,
                window_start: Some(now_ms() - DAY),
                window_end: Some(now_ms() + DAY),
            },
            sys,
        )
        .await?;
    store.post_notice(&c.id, &lift.id, sys, now_ms() - 30 * DAY).await?;
    store.open_matter(&c.id, &lift.id, sys).await?;
    for (i, b) in d.lift_ballots.iter().enumerate() {
        let channel = if i % 3 == 0 { Channel::Paper } else { Channel::Online };
        store.cast_ballot(&c.id, &lift.id, &b.unit, b.choice, channel, sys).await?;
    }
    // the vote was held in July 2016, before the platform: drafted in June, its notice posted
    // on 1 July, a fortnight of voting from 11 to 24 July, closed the next morning; recorded as it
    // happened
    history(store, &c.id, &lift.id, day("2016-07-11"), day("2016-07-25") - 1).await?;
    sqlx::query("UPDATE matters SET created_at = $1, notice_at = $2 WHERE compound_id = $3 AND id = $4")
        .bind(day("2016-06-24"))
        .bind(day("2016-07-01"))
        .bind(&c.id)
        .bind(&lift.id)
        .execute(&store.pool)
        .await?;
    store.close_matter_at(&c.id, &lift.id, sys, day("2016-07-25") + 9 * HOUR).await?;

    // The compound-wide matter still open: adopting electronic voting in the rules of procedure.
    let evote = store
        .create_matter(
            &c.id,
            &NewMatter {
                title: EVOTE_TITLE.into(),
                body: "修改《业主大会议事规则》：业主可通过本平台进行电子表决，与书面表决具有同等效力。".into(),
                kind: MatterKind::ProcedureRules,
                scope: Scope::Compound,
                deemed_clause: false,
                allow_change: false,
                window_start: Some(now_ms() - DAY),
                window_end: Some(now_ms() + 14 * DAY),
            },
            sys,
        )
        .await?;
    // long enough ago that the 7-day notice has run whatever holidays fell in it
    store.post_notice(&c.id, &evote.id, sys, now_ms() - 20 * DAY).await?;
    store.open_matter(&c.id, &evote.id, sys).await?;
    for (unit, choice) in
        [("1-101", Choice::Approve), ("2-201", Choice::Approve), ("3-301", Choice::Oppose), ("8-302", Choice::Approve)]
    {
        store
            .cast_ballot(&c.id, &evote.id, &UnitNo::parse(unit).expect("valid unit"), choice, Channel::Online, sys)
            .await?;
    }

    // Bin rooms are far: the shortcut in the south was voted and built (the funds' demo), and an
    // opening in the north wall, paid from income from common property, is open to the vote.
    let path = store
        .create_matter(
            &c.id,
            &NewMatter {
                title: PATH_TITLE.into(),
                body: "业主反映垃圾箱房较远，垃圾袋被丢在路边。南侧便道建成后，经楼组长和业主代表会议讨论，拟使用小区公共收益（创收资金）在北侧停车场围墙开设通道。".into(),
                kind: MatterKind::OtherMajor,
                scope: Scope::Compound,
                deemed_clause: false,
                allow_change: true,
                window_start: Some(now_ms() - DAY),
                window_end: Some(now_ms() + 21 * DAY),
            },
            sys,
        )
        .await?;
    store.post_notice(&c.id, &path.id, sys, now_ms() - 22 * DAY).await?;
    store.open_matter(&c.id, &path.id, sys).await?;
    // Building 4's corridor plan: its notice has stood ten days, so voting can open now (the demo's
    // director opens it, and with `--smtp-relay` its owners are mailed at once)
    let corridor = store
        .create_matter(
            &c.id,
            &NewMatter {
                title: CORRIDOR_TITLE.into(),
                body: "4号楼各层楼道墙面粉刷、更换声控灯、增设信息栏，费用约 6 万元，从公共收益中列支。".into(),
                kind: MatterKind::OtherMajor,
                scope: Scope::parse("building:4").expect("valid scope"),
                deemed_clause: false,
                allow_change: false,
                window_start: Some(now_ms()),
                window_end: Some(now_ms() + 14 * DAY),
            },
            sys,
        )
        .await?;
    store.post_notice(&c.id, &corridor.id, sys, now_ms() - 10 * DAY).await?;
    seed_projects(store, &c.id, &lift.id).await?;
    seed_committee(store, &c.id, &d).await?;
    seed_candidates(store, &c.id, &d).await?;
    seed_compound_meetings(store, &c.id, &d, &path.id).await?;
    seed_corridors(store, &c.id).await?;
    crate::waste::demo::seed_waste(store, &c.id, &d).await?;
    crate::funds::demo::seed_funds(store, &c.id, &lift.id).await?;
    crate::map::demo::seed_map(store, &c.id, &d, password_hash).await?;
    // Every owner is reached by email at <login>@example.org too (`gongzhi demo --smtp-relay`
    // sends to a local relay). Set once the seeded votes are open, so that what they announced
    // went to the notice lists only, and votes opened in the demo also mail.
    let mut tx = store.begin_write().await?;
    sqlx::query(
        "UPDATE people SET email = login || '@example.org', notify_email = 1 WHERE id IN \
         (SELECT account_id FROM account_roles WHERE compound_id = $1 AND role = 'owner')",
    )
    .bind(&c.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(c)
}

fn unit(s: &str) -> UnitNo {
    UnitNo::parse(s).expect("a demo unit")
}

fn yuan(s: &str) -> Money {
    Money::parse(s).expect("a demo amount")
}

/// The lift pipeline: Building 13 in operation, 12 approved with construction starting in June,
/// 4 in consultation, a few buildings interested.
async fn seed_projects(store: &Store, compound: &str, lift_matter: &str) -> Result<()> {
    let sys = Actor::SYSTEM;
    let costing = |cost: &str| Costing {
        construction_cost: yuan(cost),
        subsidy_rate_ppm: 400_000,
        subsidy_cap: yuan("280000"),
        other_sources: Money::ZERO,
        weights: LIFT_WEIGHTS.into(),
        basis: Basis::Area,
        running_cost: yuan("12000"),
        running_weights: String::new(),
    };
    let new = |b: u32| NewProject {
        title: format!("{b}号楼加装电梯"),
        kind: Some(ProjectKind::LiftRetrofit),
        scope: Scope::parse(&format!("building:{b}")),
        note: "在楼栋北侧加装一部电梯，停靠各层平台。".into(),
    };

    // Building 13: the story's lift, voted with 92% and in operation.
    let p13 = store.create_project(compound, &new(13), sys).await?;
    store.set_costing(compound, &p13.id, &costing("598000"), sys).await?;
    for (u, stance, reasons, note, answer) in [
        (
            "13-102",
            Stance::Oppose,
            "lower-floors,common-land",
            "一楼用不上电梯，还占绿地",
            "绿化将移植补种，一楼不分摊费用",
        ),
        ("13-701", Stance::Support, "", "701室业主患病，多年未能下楼", ""),
        ("13-601", Stance::Conditional, "cost", "费用分摊要公平", "按楼层系数和面积分摊，公示明细"),
    ] {
        let reasons: Vec<String> = reasons.split(',').filter(|r| !r.is_empty()).map(String::from).collect();
        store.record_visit(compound, &p13.id, &unit(u), stance, &reasons, note, answer, day("2016-04-16"), sys).await?;
    }
    let telecom1 = store.add_cost_item(compound, &p13.id, "电信管线迁移（账单一）", yuan("65000"), sys).await?;
    store.negotiate(compound, &telecom1, yuan("25000"), "业委会", "业委会与电信公司协商", sys).await?;
    let telecom2 = store.add_cost_item(compound, &p13.id, "电信管线迁移（账单二）", yuan("48000"), sys).await?;
    store.negotiate(compound, &telecom2, yuan("18000"), "业委会", "两张账单合计减少7万元", sys).await?;
    // the negotiated items add up to the construction cost the owners share: 555,000 + 25,000 +
    // 18,000 = 598,000, all paid
    let build = store.add_cost_item(compound, &p13.id, "电梯设备及土建", yuan("555000"), sys).await?;
    store.add_payment(compound, &build, yuan("166500"), "2016-12-05", "首付30%", sys).await?;
    store.add_payment(compound, &build, yuan("388500"), "2017-09-20", "竣工结算", sys).await?;
    store.add_payment(compound, &telecom1, yuan("25000"), "2016-11-20", "", sys).await?;
    store.add_payment(compound, &telecom2, yuan("18000"), "2016-11-20", "", sys).await?;
    for m in [
        Milestone::PlanningApproved,
        Milestone::StartReportFiled,
        Milestone::OwnerRepresentativesInvited,
        Milestone::CompletionAccepted,
    ] {
        store.set_milestone(compound, &p13.id, m, true, sys).await?;
    }
    store.set_planned_start(compound, &p13.id, "2016-12-01", sys).await?;
    // its history predates the platform: recorded as it happened, from the owners' first asking in
    // March 2016 to the lift in use in September 2017, with the vote of July 2016
    sqlx::query(
        "UPDATE projects SET stage = 'in-operation', matter_id = $1, scheme_notice_at = $2, created_at = $3 \
         WHERE compound_id = $4 AND id = $5",
    )
    .bind(lift_matter)
    .bind(day("2016-06-01"))
    .bind(day("2016-03-01"))
    .bind(compound)
    .bind(&p13.id)
    .execute(&store.pool)
    .await?;
    sqlx::query("DELETE FROM project_stages WHERE compound_id = $1 AND project_id = $2")
        .bind(compound)
        .bind(&p13.id)
        .execute(&store.pool)
        .await?;
    for (seq, (stage, on)) in LIFT_13_STAGES.iter().enumerate() {
        sqlx::query(
            "INSERT INTO project_stages (compound_id, project_id, seq, stage, at, actor) VALUES ($1, $2, $3, $4, $5, 'system')",
        )
        .bind(compound)
        .bind(&p13.id)
        .bind(seq as i64 + 1)
        .bind(stage.as_str())
        .bind(day(on) + 10 * HOUR)
        .execute(&store.pool)
        .await?;
    }

    // Building 12: approved, construction starts in June.
    let p12 = store.create_project(compound, &new(12), sys).await?;
    store.set_costing(compound, &p12.id, &costing("620000"), sys).await?;
    store.move_project(compound, &p12.id, Stage::Consultation, sys).await?;
    for (i, u) in ["12-701", "12-601", "12-501", "12-102"].iter().enumerate() {
        let stance = if i == 3 { Stance::Undecided } else { Stance::Support };
        store.record_visit(compound, &p12.id, &unit(u), stance, &[], "", "", now_ms() - 90 * DAY, sys).await?;
    }
    store.move_project(compound, &p12.id, Stage::SchemeNotice, sys).await?;
    // the scheme was posted two months ago, as the stage was entered: recorded as it happened
    sqlx::query(
        "UPDATE project_stages SET at = $1 WHERE compound_id = $2 AND project_id = $3 AND stage = 'scheme-notice'",
    )
    .bind(now_ms() - 61 * DAY)
    .bind(compound)
    .bind(&p12.id)
    .execute(&store.pool)
    .await?;
    store
        .set_scheme_notice(compound, &p12.id, now_ms() - 60 * DAY, ("公示照片.png", "image/png", NOTICE_PHOTO), sys)
        .await?;
    let p12 = store.move_project(compound, &p12.id, Stage::Vote, sys).await?;
    let m12 = p12.matter_id.clone().expect("the vote was drafted");
    store.extend_window(compound, &m12, now_ms() + DAY, sys).await?;
    store.open_matter(compound, &m12, sys).await?;
    for u in store.project_units(compound, &p12).await? {
        let choice = if u.no.room() == "101" { Choice::Oppose } else { Choice::Approve };
        store.cast_ballot(compound, &m12, &u.no, choice, Channel::Paper, sys).await?;
    }
    history(store, compound, &m12, now_ms() - 50 * DAY, now_ms() - 36 * DAY).await?;
    store.close_matter(compound, &m12, sys).await?;
    store.move_project(compound, &p12.id, Stage::Approvals, sys).await?;
    store.set_milestone(compound, &p12.id, Milestone::PlanningApproved, true, sys).await?;
    let june = format!("{}-06-01", gongzhi_core::time::date(now_ms())[..4].parse::<i32>().unwrap_or(2026) + 1);
    store.set_planned_start(compound, &p12.id, &june, sys).await?;

    // Building 4: preparing its application, in consultation.
    let p4 = store.create_project(compound, &new(4), sys).await?;
    store.set_costing(compound, &p4.id, &costing("650000"), sys).await?;
    store.move_project(compound, &p4.id, Stage::Consultation, sys).await?;
    for (u, stance, reasons) in [
        ("4-701", Stance::Support, ""),
        ("4-602", Stance::Support, ""),
        ("4-101", Stance::Oppose, "lower-floors,view"),
        ("4-201", Stance::Undecided, "cost"),
    ] {
        let reasons: Vec<String> = reasons.split(',').filter(|r| !r.is_empty()).map(String::from).collect();
        store.record_visit(compound, &p4.id, &unit(u), stance, &reasons, "", "", now_ms() - 5 * DAY, sys).await?;
    }

    // A few more buildings want one.
    for b in [7, 18, 25] {
        store.create_project(compound, &new(b), sys).await?;
    }
    Ok(())
}

/// Building 13's lift, stage by stage, as it happened.
pub const LIFT_13_STAGES: [(Stage, &str); 8] = [
    (Stage::Intent, "2016-03-01"),
    (Stage::Consultation, "2016-03-20"),
    (Stage::SchemeNotice, "2016-06-01"),
    (Stage::Vote, "2016-07-04"),
    (Stage::Approvals, "2016-07-26"),
    (Stage::Construction, "2016-12-01"),
    (Stage::Acceptance, "2017-09-08"),
    (Stage::InOperation, "2017-09-25"),
];

/// Floor weights for the demo's lifts: the ground floor pays nothing, higher floors more.
pub const LIFT_WEIGHTS: &str = "2=0.3,3=0.6,4=0.8,5=0.9,6=1.0,7=1.1";

/// Records that a vote seeded just now ran over `[from, to]` (UTC ms): its window, its opening
/// and its ballots, spread over the window as they came in.
pub(crate) async fn history(store: &Store, compound: &str, matter: &str, from: i64, to: i64) -> Result<()> {
    sqlx::query(
        "UPDATE matters SET window_start = $1, window_end = $2, opened_at = $1 WHERE compound_id = $3 AND id = $4",
    )
    .bind(from)
    .bind(to)
    .bind(compound)
    .bind(matter)
    .execute(&store.pool)
    .await?;
    let units: Vec<String> =
        sqlx::query_scalar("SELECT unit_no FROM ballots WHERE compound_id = $1 AND matter_id = $2 ORDER BY unit_no")
            .bind(compound)
            .bind(matter)
            .fetch_all(&store.pool)
            .await?;
    let step = (to - from) / (units.len() as i64 + 1);
    for (i, u) in units.iter().enumerate() {
        sqlx::query("UPDATE ballots SET cast_at = $1 WHERE compound_id = $2 AND matter_id = $3 AND unit_no = $4")
            .bind(from + step * (i as i64 + 1))
            .bind(compound)
            .bind(matter)
            .bind(u)
            .execute(&store.pool)
            .await?;
    }
    Ok(())
}

/// A stand-in for the photo of a posted notice (a 2×2 white PNG).
pub const NOTICE_PHOTO: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0, 253, 212, 154,
    115, 0, 0, 0, 14, 73, 68, 65, 84, 120, 156, 99, 248, 15, 6, 12, 16, 10, 0, 83, 186, 11, 245, 152, 172, 32, 103, 0,
    0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];
