//! Seeds the demo compound (see `gongzhi_core::demo`) into a store.

use crate::registry::{Compound, OfficerRow};
use crate::{NewMatter, Result, Store};
use gongzhi_core::demo::{self, NAME, NAME_EN};
use gongzhi_core::{Channel, Choice, MatterKind, Scope, UnitNo};

pub const LIFT_TITLE: &str = "13号楼加装电梯";
pub const EVOTE_TITLE: &str = "在业主大会议事规则中采用电子投票";

/// Creates the demo compound unless it is there; returns it.
pub async fn seed(store: &Store) -> Result<Compound> {
    if let Some(c) = store.compound_by_name(NAME).await? {
        return Ok(c);
    }
    let d = demo::demo();
    let c = store.create_compound(NAME, NAME_EN, false).await?;
    store.import_registry(&c.id, &d.registry).await?;
    let officers: Vec<OfficerRow> = d
        .officers
        .iter()
        .map(|o| OfficerRow {
            role: o.role.into(),
            unit: o.unit.to_string(),
            name: o.name.clone(),
        })
        .collect();
    store.set_officers(&c.id, &officers).await?;

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
            },
        )
        .await?;
    store.open_matter(&c.id, &lift.id).await?;
    for (i, b) in d.lift_ballots.iter().enumerate() {
        let channel = if i % 3 == 0 {
            Channel::Paper
        } else {
            Channel::Online
        };
        store
            .cast_ballot(&c.id, &lift.id, &b.unit, b.choice, channel)
            .await?;
    }
    store.close_matter(&c.id, &lift.id).await?;

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
            },
        )
        .await?;
    store.open_matter(&c.id, &evote.id).await?;
    for (unit, choice) in [
        ("1-101", Choice::Approve),
        ("2-201", Choice::Approve),
        ("3-301", Choice::Oppose),
        ("8-302", Choice::Approve),
    ] {
        store
            .cast_ballot(
                &c.id,
                &evote.id,
                &UnitNo::parse(unit).expect("valid unit"),
                choice,
                Channel::Online,
            )
            .await?;
    }
    Ok(c)
}
