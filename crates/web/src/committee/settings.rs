//! The committee's settings page and API: the rules law-and-practice marks UNCONFIRMED (the owners
//! needed to nominate jointly, what exactly half the seats held means, what "all members" counts)
//! and the compound's own additions (grounds, building groups, composition rules), each line that
//! cannot be read named.

use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::error::Problem;
use crate::kit::forms::{Fields, Json, csrf};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::committee::policy::{CommitteeAction, SettingsText};
use gongzhi_core::kit::KitRefusal;
use gongzhi_store::committee::settings::{exactly_half_key, parse_exactly_half, parse_quorum_basis, quorum_basis_key};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::kit::i18n::messages! {
    committee_settings => "业委会设置", "The committee's settings";
    committee_settings_hint => "以下规则在法规中未明确（或由业主大会决定），按本小区议事规则填写；未填写时使用默认值。",
        "These rules are not settled by the regulations (or are the general meeting's to decide): set them as the compound's rules of procedure say; the defaults apply otherwise.";
    min_nominators => "联名推荐候选人所需业主人数", "Owners needed to nominate a candidate jointly";
    exactly_half_label => "委员离任后恰好剩下半数席位时", "When exactly half the seats are held after members leave";
    exactly_half_early => "提前换届（默认：半数无法达到法定人数）", "an early change of term (default: half cannot reach a quorum)";
    exactly_half_by => "补选", "a by-election";
    quorum_label => "“全体委员”按", "\"All members\" counts";
    quorum_seats => "委员名额（默认，较严）", "the seats (default, the stricter reading)";
    quorum_in_office => "在任委员人数", "the members in office";
    extra_grounds => "业主大会增加的不得担任委员的情形（每行：代码: 中文 / English）", "Grounds the general meeting added (one per line: code: 中文 / English)";
    building_groups => "片区（每行：名称: 楼号，如 北区: 1-16）", "Building groups (one per line: NAME: buildings, e.g. 北区: 1-16)";
    composition_rules => "候选人组成规则（每行一条，如 party >= 1/2、each-group >= 1、age:35-60 >= 2）", "Composition rules (one per line, e.g. party >= 1/2, each-group >= 1, age:35-60 >= 2)";
}

#[derive(Template)]
#[template(path = "committee/settings.html")]
pub struct SettingsPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub s: SettingsText,
    pub exactly_half: &'static str,
    pub quorum_basis: &'static str,
    pub saved: bool,
    pub error: String,
}

/// The settings as the API reads and writes them.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct SettingsJson {
    /// At least 1 (UNCONFIRMED; default 1).
    #[serde(deserialize_with = "crate::kit::forms::whole_number")]
    #[schema(value_type = u32)]
    min_owner_nominators: u32,
    /// `early-change-of-term` (default) or `by-election`.
    exactly_half: String,
    /// `seats` (default) or `members-in-office`.
    quorum_basis: String,
    #[serde(default)]
    extra_grounds: String,
    #[serde(default)]
    building_groups: String,
    #[serde(default)]
    composition_rules: String,
}

fn bad(detail: String) -> AppError {
    KitRefusal::FormInvalid { detail }.refused().into()
}

fn to_text(j: &SettingsJson) -> Result<SettingsText, AppError> {
    Ok(SettingsText {
        min_owner_nominators: j.min_owner_nominators,
        exactly_half: parse_exactly_half(&j.exactly_half).ok_or_else(|| {
            bad(format!("exactly_half: {:?} is not early-change-of-term or by-election", j.exactly_half))
        })?,
        quorum_basis: parse_quorum_basis(&j.quorum_basis)
            .ok_or_else(|| bad(format!("quorum_basis: {:?} is not seats or members-in-office", j.quorum_basis)))?,
        extra_grounds: j.extra_grounds.clone(),
        building_groups: j.building_groups.clone(),
        composition_rules: j.composition_rules.clone(),
    })
}

fn to_json(s: &SettingsText) -> SettingsJson {
    SettingsJson {
        min_owner_nominators: s.min_owner_nominators,
        exactly_half: exactly_half_key(s.exactly_half).into(),
        quorum_basis: quorum_basis_key(s.quorum_basis).into(),
        extra_grounds: s.extra_grounds.clone(),
        building_groups: s.building_groups.clone(),
        composition_rules: s.composition_rules.clone(),
    }
}

/// Stores the settings (one action for the page and the API).
pub async fn save(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    j: &SettingsJson,
) -> Result<SettingsText, AppError> {
    v.acting(CommitteeAction::ChangeCommitteeSettings, Subject::Compound, csrf)?;
    let s = to_text(j)?;
    state.store.set_committee_settings(v.compound(), &s, v.actor()).await?;
    Ok(s)
}

async fn view(state: &AppState, p: &Prefs, v: &Viewer, s: SettingsText, saved: bool, error: String) -> Answer {
    let page = SettingsPage {
        t: p.t(),
        c: chrome(state, p, Some(v), "/committee/settings").await,
        exactly_half: exactly_half_key(s.exactly_half),
        quorum_basis: quorum_basis_key(s.quorum_basis),
        s,
        saved,
        error,
    };
    let mut answer = html(render(&page));
    if !page.error.is_empty() {
        *answer.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(answer)
}

#[derive(Deserialize)]
pub(crate) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(super) async fn settings_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Answer {
    v.require(CommitteeAction::ChangeCommitteeSettings, Subject::Compound)?;
    let s = state.store.committee_settings_text(v.compound()).await?;
    view(&state, &p, &v, s, q.saved.is_some(), String::new()).await
}

pub(super) async fn settings_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let j = SettingsJson {
        min_owner_nominators: f.one("min_owner_nominators").parse().unwrap_or(0),
        exactly_half: f.one("exactly_half").into(),
        quorum_basis: f.one("quorum_basis").into(),
        extra_grounds: f.get("extra_grounds").unwrap_or("").into(),
        building_groups: f.get("building_groups").unwrap_or("").into(),
        composition_rules: f.get("composition_rules").unwrap_or("").into(),
    };
    match crate::kit::error::on_the_page(save(&state, &v, Some(f.one("csrf")), &j).await)? {
        Ok(_) => Ok(see_other("/committee/settings?saved=1")),
        Err(r) => {
            let s = to_text(&j).unwrap_or_else(|_| SettingsText {
                min_owner_nominators: j.min_owner_nominators,
                ..SettingsText::defaults()
            });
            view(
                &state,
                &p,
                &v,
                SettingsText {
                    extra_grounds: j.extra_grounds.clone(),
                    building_groups: j.building_groups.clone(),
                    composition_rules: j.composition_rules.clone(),
                    ..s
                },
                false,
                r.say(p.lang),
            )
            .await
        }
    }
}

/// The committee's settings (the director, the residents' committee).
#[utoipa::path(get, path = "/api/v1/committee/settings", tag = "committee",
    responses((status = 200, body = SettingsJson),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_settings(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<axum::Json<SettingsJson>, AppError> {
    v.require(CommitteeAction::ChangeCommitteeSettings, Subject::Compound)?;
    Ok(axum::Json(to_json(&state.store.committee_settings_text(v.compound()).await?)))
}

/// Change the committee's settings; every line that cannot be read is named.
#[utoipa::path(put, path = "/api/v1/committee/settings", tag = "committee", request_body = SettingsJson,
    responses((status = 200, body = SettingsJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn put_settings(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(j): Json<SettingsJson>,
) -> Result<axum::Json<SettingsJson>, AppError> {
    Ok(axum::Json(to_json(&save(&state, &v, csrf(&h), &j).await?)))
}
