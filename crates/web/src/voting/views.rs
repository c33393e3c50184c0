//! Page models of voting and their templates (templates/voting/).

use crate::kit::i18n::Tr;
use crate::kit::views::Chrome;
use askama::Template;

#[derive(Clone, Debug)]
pub struct MatterRow {
    pub id: String,
    pub title: String,
    pub status: String,
    pub status_label: &'static str,
    pub kind_label: &'static str,
    pub scope_label: String,
    pub ballots_cast: i64,
}

#[derive(Template)]
#[template(path = "voting/home.html")]
pub struct Home {
    pub t: Tr,
    pub c: Chrome,
    pub signed_in: bool,
    pub matters: Vec<MatterRow>,
    pub can_prepare: bool,
    pub can_manage: bool,
    pub can_settings: bool,
    pub can_audit: bool,
    pub can_channels: bool,
    pub can_deliveries: bool,
    pub units: Vec<String>,
    /// What this person has to do now: (link, what).
    pub tasks: Vec<(String, String)>,
    /// What this person has done: the votes their units have cast, (link, what).
    pub done: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct Gauge {
    pub label: &'static str,
    pub reached: String,
    pub needed: String,
    pub total: String,
    pub missing: String,
    pub percent: String,
    /// 0..=100, for the bar's width
    pub width: u32,
}

#[derive(Clone, Debug)]
pub struct VoteUnit {
    pub unit: String,
    pub receipt: String,
    pub can_vote: bool,
}

#[derive(Template)]
#[template(path = "voting/matter.html")]
pub struct MatterPage {
    pub t: Tr,
    pub c: Chrome,
    pub m: MatterRow,
    pub body: String,
    pub threshold_label: &'static str,
    pub window: String,
    /// The window's last day, for the form that extends it.
    pub window_end_value: String,
    /// The window has ended: the vote is ready to close.
    pub window_ended: bool,
    pub notice_at: String,
    /// When the notice period ends (24:00 of its last day, counted per the Civil Code).
    pub notice_ends: String,
    /// The notice period has run: voting may open.
    pub notice_run: bool,
    pub opened_at: String,
    pub closed_at: String,
    pub deemed_clause: bool,
    pub allow_change: bool,
    pub attachments: Vec<(String, String)>,
    /// What later processes made of it (a map what-if, residents' requests).
    pub related: Vec<crate::kit::views::RelatedLink>,
    pub vote_units: Vec<VoteUnit>,
    pub gauges: Vec<Gauge>,
    pub participation_met: bool,
    pub passed: Option<bool>,
    pub explanation: String,
    pub deemed_explained: bool,
    pub can_prepare: bool,
    pub can_close: bool,
    pub can_enter: bool,
    pub can_follow_up: bool,
    /// When the matter is a building project's vote: the project and the viewer's shares.
    pub project_id: String,
    /// (unit, share, the share explained in words)
    /// (unit, share, the share in words, the yearly running cost share)
    pub my_shares: Vec<(String, String, String, String)>,
    /// A slate matter's names (an election): the ballot approves up to `slate_places` of them,
    /// and its result is the election's count (on the committee's election page).
    pub slate: Vec<String>,
    pub slate_places: u32,
}

#[derive(Template)]
#[template(path = "voting/voted.html")]
pub struct Voted {
    pub t: Tr,
    pub c: Chrome,
    pub matter_id: String,
    pub title: String,
    pub unit: String,
    pub receipt: String,
}

#[derive(Clone, Debug)]
pub struct VisitRow {
    pub priority: usize,
    pub within: bool,
    pub building: String,
    pub floor: i32,
    pub units: String,
    pub owner: String,
    pub area: String,
}

#[derive(Template)]
#[template(path = "voting/turnout.html")]
pub struct TurnoutPage {
    pub t: Tr,
    pub c: Chrome,
    pub matter_id: String,
    pub title: String,
    pub gauges: Vec<Gauge>,
    pub visits_needed: usize,
    pub rows: Vec<VisitRow>,
    pub printed: String,
    /// The committee and staff may remind every non-voter now.
    pub can_remind: bool,
    /// How many reminders were just queued.
    pub reminded: String,
    /// Units no channel reaches: (unit, name, has an account).
    pub unreached: Vec<(String, String, bool)>,
}

#[derive(Clone, Debug)]
pub struct BallotRow {
    pub unit: String,
    pub choice: &'static str,
    pub channel: &'static str,
}

#[derive(Template)]
#[template(path = "voting/ballots.html")]
pub struct BallotsPage {
    pub t: Tr,
    pub c: Chrome,
    pub matter_id: String,
    pub title: String,
    pub rows: Vec<BallotRow>,
    /// Every unit's choice is shown (the committee, or a compound that publishes choices); else
    /// only the viewer's own units' choices are.
    pub choices_shown: bool,
}

#[derive(Template)]
#[template(path = "voting/receipts.html")]
pub struct ReceiptsPage {
    pub t: Tr,
    pub c: Chrome,
    pub matter_id: String,
    pub title: String,
    pub receipts: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct RollRow {
    pub unit: String,
    pub building: String,
    pub stairwell: String,
    pub floor: i32,
    pub area: String,
}

#[derive(Template)]
#[template(path = "voting/roll.html")]
pub struct RollPage {
    pub t: Tr,
    pub c: Chrome,
    pub matter_id: String,
    pub title: String,
    pub owners: u64,
    pub area: String,
    pub rows: Vec<RollRow>,
}

#[derive(Template)]
#[template(path = "voting/notice.html")]
pub struct NoticePage {
    pub t: Tr,
    pub c: Chrome,
    pub heading: &'static str,
    pub title: String,
    pub kind_label: &'static str,
    pub scope_label: String,
    pub threshold_label: &'static str,
    pub body: String,
    pub window: String,
    pub passed: Option<bool>,
    pub explanation: String,
    pub date: String,
    /// The audit chain's anchor sealing the result (`HASH@DATE`), and its QR code.
    pub anchor: String,
    pub anchor_qr: String,
    /// The matter's address at the compound's public URL, and its QR code.
    pub url: String,
    pub url_qr: String,
    /// Before the result: how to vote, online and on paper.
    pub how_to_vote: bool,
    /// The names of the matter's attached files, listed on the notice.
    pub attachments: Vec<String>,
    pub back: String,
}

#[derive(Template)]
#[template(path = "voting/new_matter.html")]
pub struct NewMatterPage {
    pub t: Tr,
    pub c: Chrome,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub buildings: Vec<String>,
    /// Where the form posts: `/matters` for a new draft, `/matters/{id}/edit` for a draft.
    pub action: String,
    pub editing: bool,
    /// What was typed (or the draft as it stands), kept when the form is refused.
    pub form: MatterForm,
    /// Why the form was refused, and the field it names (marked on the page).
    pub error: String,
    pub error_field: String,
    /// Files chosen before a refusal are not kept by a browser: the page asks for them again.
    pub files_lost: bool,
}

/// A matter's form as typed.
#[derive(Clone, Debug, Default)]
pub struct MatterForm {
    pub title: String,
    pub body: String,
    pub kind: String,
    pub scope: String,
    pub window_start: String,
    pub window_end: String,
    pub deemed_clause: bool,
    pub allow_change: bool,
}

#[derive(Template)]
#[template(path = "voting/paper.html")]
pub struct PaperPage {
    pub t: Tr,
    pub c: Chrome,
    pub matter_id: String,
    pub title: String,
    pub outcome: String,
    /// The outcome counted a ballot (green) rather than waiting or holding it.
    pub outcome_ok: bool,
    pub mismatches: Vec<(String, String, String)>,
    /// Units with one entry, awaiting the second.
    pub awaiting: Vec<String>,
    pub can_resolve: bool,
    /// A slate matter's names: entries tick names rather than give a choice.
    pub slate: Vec<String>,
    pub slate_places: u32,
}
