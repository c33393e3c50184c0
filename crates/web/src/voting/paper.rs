//! Paper ballots entered twice by two people, their review, and proxies.

use super::actions;
use super::pages::{BallotFields, choice_label, parse_marks, parse_unit};
use super::views::PaperPage;
use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::forms::Path;
use crate::kit::forms::read_multipart;
use crate::kit::{Answer, Prefs, html, render};
use axum::extract::{Multipart, State};
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::voting::VotingAction;
use gongzhi_store::voting::channels::PaperOutcome;

async fn paper_view(state: &AppState, p: &Prefs, v: &Viewer, id: &str, outcome: String, outcome_ok: bool) -> Answer {
    let t = p.t();
    let m = actions::visible_matter(state, v, id).await?;
    let review = state.store.paper_review(v.compound(), id).await?;
    let mismatches = review
        .mismatches
        .into_iter()
        .map(|(a, b)| {
            let say = |e: &gongzhi_store::voting::channels::PaperEntry| match m.slate_places {
                0 => choice_label(t, e.choice).to_string(),
                _ if e.approvals.is_empty() => t.blank_ballot().to_string(),
                _ => e.approvals.replace(';', "、"),
            };
            (a.unit.clone(), say(&a), say(&b))
        })
        .collect();
    let slate = if m.slate_places > 0 { state.store.slate(v.compound(), id).await? } else { vec![] };
    let awaiting = review.awaiting.into_iter().map(|e| e.unit).collect();
    let page = PaperPage {
        t,
        c: chrome(state, p, Some(v), &format!("/matters/{id}/paper")).await,
        matter_id: id.to_string(),
        title: m.title,
        outcome,
        outcome_ok,
        mismatches,
        awaiting,
        can_resolve: v.may(VotingAction::ResolvePaperMismatch, Subject::Compound),
        slate,
        slate_places: m.slate_places,
    };
    Ok(html(render(&page)))
}

pub(super) async fn paper_page(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>) -> Answer {
    v.require(VotingAction::EnterBallots, Subject::Compound)?;
    paper_view(&state, &p, &v, &id, String::new(), false).await
}

pub(super) async fn paper_submit(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let t = p.t();
    let BallotFields { csrf, unit, marks } = BallotFields::parse(&body)?;
    let outcome = actions::enter_paper(&state, &v, Some(&csrf), &id, &unit, marks).await?;
    let (msg, ok) = match outcome {
        PaperOutcome::AwaitingSecondEntry => (format!("{unit}: {}", t.first_entry_saved()), false),
        PaperOutcome::Counted { receipt } => (format!("{unit}: {} {} {receipt}", t.counted(), t.receipt()), true),
        PaperOutcome::Mismatch => (format!("{unit}: {}", t.mismatch_held()), false),
    };
    paper_view(&state, &p, &v, &id, msg, ok).await
}

pub(super) async fn paper_resolve(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let BallotFields { csrf, unit, marks } = BallotFields::parse(&body)?;
    let receipt = actions::resolve_paper(&state, &v, Some(&csrf), &id, &unit, marks).await?;
    let t = p.t();
    paper_view(&state, &p, &v, &id, format!("{unit}: {} {} {receipt}", t.decided_from_paper(), t.receipt()), true).await
}

pub(super) async fn proxy_submit(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    mp: Multipart,
) -> Answer {
    v.require(VotingAction::EnterBallots, Subject::Compound)?;
    let (fields, files) = read_multipart(mp).await?;
    let get = |k: &str| fields.get(k).map(|s| s.trim()).unwrap_or("");
    let unit = parse_unit(get("unit"))?;
    let names: Vec<String> = get("approve").split(';').map(String::from).collect();
    let choice = parse_marks(get("slate") == "1", get("choice"), &names)?;
    let doc = files.iter().find(|f| f.0 == "authorisation");
    let (name, ct, bytes) = doc.map(|d| (d.1.as_str(), d.2.as_str(), d.3.as_slice())).unwrap_or(("", "", &[]));
    let csrf = fields.get("csrf").map(String::as_str);
    let receipt =
        actions::record_proxy(&state, &v, csrf, &id, &unit, get("proxy_name"), choice, (name, ct, bytes)).await?;
    paper_view(&state, &p, &v, &id, format!("{unit}: {} · {} {receipt}", p.t().proxy(), p.t().receipt()), true).await
}
