//! Printing one-time binding codes per building. Printing a building's codes again revokes its
//! unused ones, after a warning that says so.

use super::views::{CodeSlip, CodesPage};
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
    let owner_of = |u: &UnitNo| {
        let key = reg.units.iter().find(|x| &x.no == u).map(|x| &x.owner);
        reg.owners.iter().find(|o| Some(&o.key) == key).map(|o| o.name.clone()).unwrap_or_default()
    };
    let codes = codes
        .into_iter()
        .map(|(u, code)| {
            let url = state.public_url(&format!("/register?code={code}"));
            CodeSlip { unit: u.to_string(), owner: owner_of(&u), qr: crate::kit::views::qr_svg(&url), url, code }
        })
        .collect();
    Ok(html(render(&CodesPage { t: p.t(), c, buildings: vec![], codes, building: building.into(), unused: 0 })))
}
