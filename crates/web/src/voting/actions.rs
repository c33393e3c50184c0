//! Every write of voting, and the reads with a rule, once: the page handler and the API handler
//! both call these, so neither repeats a rule. Each checks the policy and the CSRF token (a
//! form's field, or the API's header), then asks the store.

use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::AppError;
use crate::kit::forms::Upload;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::kit::KitRefusal;
use gongzhi_core::voting::Marks;
use gongzhi_core::voting::{VotingAction, VotingRefusal};
use gongzhi_core::{Channel, MatterStatus, UnitNo};
use gongzhi_store::voting::channels::PaperOutcome;
use gongzhi_store::{Matter, NewMatter};

/// A matter the viewer may see: drafts only to those who prepare matters (to anyone else a draft
/// does not exist).
pub async fn visible_matter(state: &AppState, v: &Viewer, id: &str) -> Result<Matter, AppError> {
    let m = state.store.matter(v.compound(), id).await?;
    if m.status == MatterStatus::Draft && !v.may(VotingAction::PrepareMatter, Subject::Compound) {
        return KitRefusal::NotFound.err();
    }
    Ok(m)
}

/// Drafts a matter, with its files.
pub async fn create_matter(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    nm: &NewMatter,
    files: Vec<Upload>,
) -> Result<Matter, AppError> {
    v.acting(VotingAction::PrepareMatter, Subject::Compound, csrf)?;
    let m = state.store.create_matter(v.compound(), nm, v.actor()).await?;
    for (_, name, ct, bytes) in files {
        state.store.attach(v.compound(), &m.id, &name, &ct, &bytes, v.actor()).await?;
    }
    Ok(m)
}

/// Rewrites a draft, adding any new files.
pub async fn edit_draft(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    nm: &NewMatter,
    files: Vec<Upload>,
) -> Result<Matter, AppError> {
    v.acting(VotingAction::PrepareMatter, Subject::Compound, csrf)?;
    let m = state.store.update_draft(v.compound(), id, nm, v.actor()).await?;
    for (_, name, ct, bytes) in files {
        state.store.attach(v.compound(), &m.id, &name, &ct, &bytes, v.actor()).await?;
    }
    Ok(m)
}

pub async fn delete_draft(state: &AppState, v: &Viewer, csrf: Option<&str>, id: &str) -> Result<(), AppError> {
    v.acting(VotingAction::PrepareMatter, Subject::Compound, csrf)?;
    Ok(state.store.delete_draft(v.compound(), id, v.actor()).await?)
}

pub async fn post_notice(state: &AppState, v: &Viewer, csrf: Option<&str>, id: &str) -> Result<Matter, AppError> {
    v.acting(VotingAction::PrepareMatter, Subject::Compound, csrf)?;
    let m = state.store.matter(v.compound(), id).await?;
    crate::matter_allowed(state, v.compound(), m.kind).await?;
    Ok(state.store.post_notice(v.compound(), id, v.actor(), crate::kit::now_ms()).await?)
}

pub async fn open_voting(state: &AppState, v: &Viewer, csrf: Option<&str>, id: &str) -> Result<Matter, AppError> {
    v.acting(VotingAction::PrepareMatter, Subject::Compound, csrf)?;
    let m = state.store.matter(v.compound(), id).await?;
    crate::matter_allowed(state, v.compound(), m.kind).await?;
    Ok(state.store.open_matter(v.compound(), id, v.actor()).await?)
}

/// Moves the end of a matter's voting window (the last day, Shanghai): a posted window only later.
pub async fn extend_window(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    last_day: &str,
) -> Result<Matter, AppError> {
    v.acting(VotingAction::CloseVoting, Subject::Compound, csrf)?;
    let day = gongzhi_core::time::parse_date(last_day.trim()).ok_or_else(|| {
        gongzhi_core::voting::VotingRefusal::BadDate { field: "window_end".into(), value: last_day.into() }.refused()
    })?;
    // the window ends at the end of its last day
    Ok(state.store.extend_window(v.compound(), id, day + 86_400_000 - 1, v.actor()).await?)
}

/// Queues a reminder now to each voter on the roll who has not voted; returns how many.
pub async fn remind_voters(state: &AppState, v: &Viewer, csrf: Option<&str>, id: &str) -> Result<usize, AppError> {
    v.acting(VotingAction::RemindVoters, Subject::Compound, csrf)?;
    Ok(state.store.queue_vote_reminders(v.compound(), id, v.actor(), crate::now_ms()).await?)
}

/// The units on the roll that have not voted and that no channel reaches, as far as this person
/// follows up turnout (a building leader: their own building).
pub async fn unreached(
    state: &AppState,
    v: &Viewer,
    id: &str,
) -> Result<Vec<gongzhi_store::voting::reminders::Unreached>, AppError> {
    if !v.could(VotingAction::FollowUpTurnout) {
        v.require(VotingAction::FollowUpTurnout, Subject::Compound)?;
    }
    visible_matter(state, v, id).await?;
    let all = state.store.unreached_voters(v.compound(), id).await?;
    Ok(all.into_iter().filter(|u| v.may(VotingAction::FollowUpTurnout, Subject::Building(&u.building))).collect())
}

pub async fn close_voting(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
) -> Result<gongzhi_core::Tally, AppError> {
    v.acting(VotingAction::CloseVoting, Subject::Compound, csrf)?;
    Ok(state.store.close_matter(v.compound(), id, v.actor()).await?)
}

/// An owner's online ballot for a unit they vote for; answers the receipt. No separate look-up
/// of the matter (this is the hot path): the store refuses one that is not open, a draft
/// included, and another compound's is not found.
pub async fn cast_ballot(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    unit: &UnitNo,
    choice: Marks,
) -> Result<String, AppError> {
    v.check_csrf(csrf)?;
    if !v.account.votes_for(unit) {
        return VotingRefusal::NotVoterFor { unit: unit.to_string() }.err();
    }
    Ok(state.store.cast_ballot(v.compound(), id, unit, choice, Channel::Online, v.actor()).await?)
}

/// One of a paper ballot's two independent entries.
pub async fn enter_paper(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    unit: &UnitNo,
    choice: Marks,
) -> Result<PaperOutcome, AppError> {
    v.acting(VotingAction::EnterBallots, Subject::Compound, csrf)?;
    Ok(state.store.enter_paper_ballot(v.compound(), id, unit, choice, v.actor()).await?)
}

/// Decides a paper ballot whose entries differ, from the paper.
pub async fn resolve_paper(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    unit: &UnitNo,
    choice: Marks,
) -> Result<String, AppError> {
    v.acting(VotingAction::ResolvePaperMismatch, Subject::Compound, csrf)?;
    visible_matter(state, v, id).await?;
    Ok(state.store.resolve_paper_mismatch(v.compound(), id, unit, choice, v.actor()).await?)
}

/// A proxy's ballot with the written authorisation.
#[allow(clippy::too_many_arguments)]
pub async fn record_proxy(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    unit: &UnitNo,
    proxy_name: &str,
    choice: Marks,
    authorisation: (&str, &str, &[u8]),
) -> Result<String, AppError> {
    v.acting(VotingAction::EnterBallots, Subject::Compound, csrf)?;
    visible_matter(state, v, id).await?;
    Ok(state.store.record_proxy(v.compound(), id, unit, proxy_name, choice, authorisation, v.actor()).await?)
}
