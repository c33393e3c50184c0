//! Seeds the demo compound (see `gongzhi_core::demo`) into a store, with its accounts.

use crate::accounts::NewAccount;
use crate::registry::{Compound, OfficerRow};
use crate::{Actor, NewMatter, Result, Store, now_ms};
use gongzhi_core::demo::{self, NAME, NAME_EN};
use gongzhi_core::roles::Role;
use gongzhi_core::{Channel, Choice, MatterKind, Scope, UnitNo};

pub const LIFT_TITLE: &str = "13号楼加装电梯";
pub const EVOTE_TITLE: &str = "在业主大会议事规则中采用电子投票";
pub const PATH_TITLE: &str = "使用公共收益修建南侧便道、开通北侧停车场围墙通道";
pub const DEMO_PASSWORD: &str = "demo";
const DAY: i64 = 86_400_000;

/// Creates the demo compound unless it is there; returns it. Every account's password is
/// `demo`; `password_hash` is its hash (computed once by the caller: hashing 900 times would
/// take a minute, and the demo's accounts share one password anyway).
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
            roles: vec![Role::CommitteeDirector],
            units: vec![],
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
    for u in &d.registry.units {
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
            units: vec![(u.no.clone(), "owner", true)],
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
                window_start: None,
                window_end: None,
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
    store.close_matter(&c.id, &lift.id, sys).await?;

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
    store.post_notice(&c.id, &evote.id, sys, now_ms() - 8 * DAY).await?;
    store.open_matter(&c.id, &evote.id, sys).await?;
    for (unit, choice) in
        [("1-101", Choice::Approve), ("2-201", Choice::Approve), ("3-301", Choice::Oppose), ("8-302", Choice::Approve)]
    {
        store
            .cast_ballot(&c.id, &evote.id, &UnitNo::parse(unit).expect("valid unit"), choice, Channel::Online, sys)
            .await?;
    }

    // Bin rooms are far: a shortcut in the south and an opening in the north wall, paid from
    // income from common property. Open, no ballots yet.
    let path = store
        .create_matter(
            &c.id,
            &NewMatter {
                title: PATH_TITLE.into(),
                body: "业主反映垃圾箱房较远，垃圾袋被丢在路边。经楼组长和业主代表会议讨论，拟使用小区公共收益（创收资金）修建南侧便道，并在北侧停车场围墙开设通道。".into(),
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
    store.post_notice(&c.id, &path.id, sys, now_ms() - 10 * DAY).await?;
    store.open_matter(&c.id, &path.id, sys).await?;
    Ok(c)
}
