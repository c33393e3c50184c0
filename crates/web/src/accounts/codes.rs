//! Printing one-time binding codes per building. Printing a building's codes again revokes its
//! unused ones, after a warning that says so.

use super::views::CodesPage;
use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::forms::Form;
use crate::kit::{Answer, Prefs, html, render};
use axum::extract::State;
use gongzhi_core::UnitNo;
use gongzhi_core::accounts::policy::{AccountsAction, Subject};
use gongzhi_core::registry::RegistryRefusal;
use serde::Deserialize;

pub(super) async fn codes_page(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    v.require(AccountsAction::ManageAccounts, Subject::Compound)?;
    let reg = state.store.registry(v.compound()).await?;
    let page = CodesPage {
        t: p.t(),
        c: chrome(&state, &p, Some(&v), "/codes").await,
        buildings: reg.buildings().into_iter().map(|(b, _)| b.to_string()).collect(),
        codes: vec![],
        building: String::new(),
        unused: 0,
    };
    Ok(html(render(&page)))
}

#[derive(Deserialize)]
pub(super) struct CodesForm {
    csrf: String,
    building: String,
    /// Present once the person confirmed that the unused codes printed before stop working.
    #[serde(default)]
    confirm: String,
}

pub(super) async fn codes_submit(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Form(f): Form<CodesForm>,
) -> Answer {
    v.acting(AccountsAction::ManageAccounts, Subject::Compound, Some(&f.csrf))?;
    let reg = state.store.registry(v.compound()).await?;
    let building = f.building.trim();
    let units: Vec<UnitNo> =
        reg.units.iter().filter(|u| u.building.as_str() == building).map(|u| u.no.clone()).collect();
    if units.is_empty() {
        return RegistryRefusal::NoUnitsInBuilding { building: building.into() }.err();
    }
    let unused = state.store.unused_codes(v.compound(), &units).await?;
    let c = chrome(&state, &p, Some(&v), "/codes").await;
    if unused > 0 && f.confirm != "1" {
        // warn first: printing again makes the slips already handed out useless
        let buildings = reg.buildings().into_iter().map(|(b, _)| b.to_string()).collect();
        let page = CodesPage { t: p.t(), c, buildings, codes: vec![], building: building.into(), unused };
        return Ok(html(render(&page)));
    }
    let codes = state.store.issue_binding_codes(v.compound(), &units, &v.account.login).await?;
    let codes = codes.into_iter().map(|(u, c)| (u.to_string(), c)).collect();
    Ok(html(render(&CodesPage { t: p.t(), c, buildings: vec![], codes, building: building.into(), unused: 0 })))
}
