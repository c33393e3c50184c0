//! The compound's voting settings, as its rules of procedure decide them: how many days a notice
//! stands, whether a period ending on a rest day moves to the next working day, and whether each
//! unit's choice in a closed vote is published to every owner. The director changes them; every
//! change is in the audit chain.

use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::error::Problem;
use crate::kit::forms::{Form, Json, csrf};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::kit::period::PeriodRule;
use gongzhi_core::voting::{VotingAction, VotingSettings};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::kit::i18n::messages! {
    voting_settings => "表决设置", "Voting settings";
    voting_settings_hint => "按本小区《业主大会议事规则》设置。每次修改都记入审计日志。",
        "Set as the compound's rules of procedure say. Every change is written to the audit log.";
    notice_days_label => "表决事项公示天数（1–60）", "Days a matter's notice stands (1–60)";
    rollover_label => "期间最后一天是休息日的，顺延到下一个工作日（《民法典》第二百零三条）",
        "A period whose last day is a rest day ends on the next working day (Civil Code Art. 203)";
    publish_choices_label => "表决结束后，向全体业主公开每户的表决意见（议事规则有此规定时才开启）",
        "Once a vote closes, show every owner each unit's choice (only if the rules of procedure say so)";
    publish_choices_off => "未开启时：全体业主可以看到每户是否参与、通过哪种方式表决；每户的意见只有本户业主、业委会和证据材料可见。",
        "When off: every owner sees whether each unit took part and by which channel; a unit's choice is shown only to its own owner, the committee and the evidence.";
    deemed_fixed => "“视为同意”条款决定如何计票，在建立小区时设定，这里不能修改。",
        "The deemed-participation clause decides how votes count; it is set when the compound is created and cannot be changed here.";
    deemed_on => "本小区议事规则含“视为同意”条款", "This compound's rules of procedure have the deemed-participation clause";
    deemed_off => "本小区议事规则不含“视为同意”条款", "This compound's rules of procedure have no deemed-participation clause";
    settings_saved => "已保存。", "Saved.";
}

#[derive(Template)]
#[template(path = "voting/settings.html")]
pub struct SettingsPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub notice_days: String,
    pub rollover: bool,
    pub publish_choices: bool,
    pub deemed: bool,
    pub saved: bool,
    pub error: String,
}

#[derive(Deserialize)]
pub(super) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(super) async fn settings_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Answer {
    v.require(VotingAction::ChangeVotingSettings, Subject::Compound)?;
    let s = state.store.voting_settings(v.compound()).await?;
    let page = SettingsPage {
        t: p.t(),
        c: chrome(&state, &p, Some(&v), "/settings/voting").await,
        notice_days: s.notice_days.to_string(),
        rollover: s.periods.move_off_rest_days,
        publish_choices: s.publish_choices,
        deemed: s.deemed_participation,
        saved: q.saved.is_some(),
        error: String::new(),
    };
    Ok(html(render(&page)))
}

#[derive(Deserialize)]
pub(super) struct SettingsForm {
    csrf: String,
    #[serde(default)]
    notice_days: String,
    #[serde(default)]
    rest_day_rollover: Option<String>,
    #[serde(default)]
    publish_choices: Option<String>,
}

pub(super) async fn settings_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Form(f): Form<SettingsForm>,
) -> Answer {
    v.acting(VotingAction::ChangeVotingSettings, Subject::Compound, Some(&f.csrf))?;
    let old = state.store.voting_settings(v.compound()).await?;
    let days = f.notice_days.trim().parse::<u32>();
    let result = match days {
        Ok(notice_days) => {
            let s = VotingSettings {
                notice_days,
                periods: PeriodRule { move_off_rest_days: f.rest_day_rollover.is_some() },
                publish_choices: f.publish_choices.is_some(),
                ..old
            };
            state.store.set_voting_settings(v.compound(), &s, v.actor()).await.map_err(AppError::from)
        }
        Err(_) => Err(gongzhi_core::kit::KitRefusal::FormInvalid {
            detail: format!("notice_days: {:?} is not a whole number of days", f.notice_days),
        }
        .refused()
        .into()),
    };
    match result {
        Ok(()) => Ok(see_other("/settings/voting?saved=1")),
        Err(AppError::Refused(r)) => {
            let page = SettingsPage {
                t: p.t(),
                c: chrome(&state, &p, Some(&v), "/settings/voting").await,
                notice_days: f.notice_days.clone(),
                rollover: f.rest_day_rollover.is_some(),
                publish_choices: f.publish_choices.is_some(),
                deemed: old.deemed_participation,
                saved: false,
                error: r.say(p.lang),
            };
            let mut answer = html(render(&page));
            *answer.status_mut() = crate::kit::error::status_of(r.kind());
            Ok(answer)
        }
        Err(e) => Err(e),
    }
}

/// The compound's voting settings.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct VotingSettingsJson {
    /// Days a matter's notice stands before voting opens (1–60).
    #[schema(minimum = 1, maximum = 60)]
    #[serde(deserialize_with = "crate::kit::forms::whole_number")]
    notice_days: u32,
    /// A period whose last day is a rest day ends on the next working day (Civil Code Art. 203).
    rest_day_rollover: bool,
    /// Each unit's choice in a closed vote is shown to every owner.
    publish_choices: bool,
    /// The rules of procedure have the deemed-participation clause (read only: set when the
    /// compound is created).
    #[serde(default)]
    deemed_participation: bool,
}

fn json_of(s: &VotingSettings) -> VotingSettingsJson {
    VotingSettingsJson {
        notice_days: s.notice_days,
        rest_day_rollover: s.periods.move_off_rest_days,
        publish_choices: s.publish_choices,
        deemed_participation: s.deemed_participation,
    }
}

/// The compound's voting settings (the director).
#[utoipa::path(get, path = "/api/v1/settings/voting", tag = "settings",
    responses((status = 200, body = VotingSettingsJson),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_settings(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<axum::Json<VotingSettingsJson>, AppError> {
    v.require(VotingAction::ChangeVotingSettings, Subject::Compound)?;
    Ok(axum::Json(json_of(&state.store.voting_settings(v.compound()).await?)))
}

/// Change the compound's voting settings (the director); `deemed_participation` is ignored.
#[utoipa::path(put, path = "/api/v1/settings/voting", tag = "settings", request_body = VotingSettingsJson,
    responses((status = 200, body = VotingSettingsJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn put_settings(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(body): Json<VotingSettingsJson>,
) -> Result<axum::Json<VotingSettingsJson>, AppError> {
    v.acting(VotingAction::ChangeVotingSettings, Subject::Compound, csrf(&h))?;
    let old = state.store.voting_settings(v.compound()).await?;
    let s = VotingSettings {
        notice_days: body.notice_days,
        periods: PeriodRule { move_off_rest_days: body.rest_day_rollover },
        publish_choices: body.publish_choices,
        ..old
    };
    state.store.set_voting_settings(v.compound(), &s, v.actor()).await?;
    get_settings(State(state), v).await
}
