//! Page models and their templates. Every page carries `t` (messages) and `c` (the chrome:
//! language, text size, who is signed in, the CSRF token for forms).

use crate::i18n::{Lang, Tr};
use askama::Template;

pub fn render<T: Template>(t: &T) -> String {
    t.render().unwrap_or_else(|e| {
        eprintln!("template error: {e}");
        "<!doctype html><title>error</title><p>template error</p>".into()
    })
}

/// What every page's frame needs.
#[derive(Clone, Debug, Default)]
pub struct Chrome {
    pub lang: LangCode,
    pub large: bool,
    pub viewer: String,
    pub csrf: String,
    pub compound: String,
    /// This page's path, for the language and text-size switches to come back to.
    pub path: String,
    pub other_lang: &'static str,
}

impl Chrome {
    /// ` lang="zh-CN"` on an English page, for an element showing what people typed (titles,
    /// notices, names): screen readers then read that Chinese with a Chinese voice.
    pub fn zh(&self) -> askama::filters::Safe<&'static str> {
        askama::filters::Safe(if self.lang.0 == Some(Lang::En) { " lang=\"zh-CN\"" } else { "" })
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct LangCode(pub Option<Lang>);

impl LangCode {
    pub fn code(&self) -> &'static str {
        self.0.unwrap_or(Lang::Zh).code()
    }
}

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
#[template(path = "home.html")]
pub struct Home {
    pub t: Tr,
    pub c: Chrome,
    pub signed_in: bool,
    pub matters: Vec<MatterRow>,
    pub can_prepare: bool,
    pub can_manage: bool,
    pub can_audit: bool,
    pub units: Vec<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct Login {
    pub t: Tr,
    pub c: Chrome,
    pub pre_csrf: String,
    pub error: String,
    pub login: String,
    pub next: String,
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
#[template(path = "matter.html")]
pub struct MatterPage {
    pub t: Tr,
    pub c: Chrome,
    pub m: MatterRow,
    pub body: String,
    pub threshold_label: &'static str,
    pub window: String,
    pub notice_at: String,
    pub opened_at: String,
    pub closed_at: String,
    pub deemed_clause: bool,
    pub allow_change: bool,
    pub attachments: Vec<(String, String)>,
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
    pub my_shares: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "voted.html")]
pub struct Voted {
    pub t: Tr,
    pub c: Chrome,
    pub matter_id: String,
    pub title: String,
    pub unit: String,
    pub receipt: String,
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct Message {
    pub t: Tr,
    pub c: Chrome,
    pub heading: String,
    pub text: String,
    pub back: String,
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
#[template(path = "turnout.html")]
pub struct TurnoutPage {
    pub t: Tr,
    pub c: Chrome,
    pub matter_id: String,
    pub title: String,
    pub gauges: Vec<Gauge>,
    pub visits_needed: usize,
    pub rows: Vec<VisitRow>,
    pub printed: String,
}

#[derive(Clone, Debug)]
pub struct BallotRow {
    pub unit: String,
    pub choice: &'static str,
    pub channel: &'static str,
}

#[derive(Template)]
#[template(path = "ballots.html")]
pub struct BallotsPage {
    pub t: Tr,
    pub c: Chrome,
    pub matter_id: String,
    pub title: String,
    pub rows: Vec<BallotRow>,
}

#[derive(Template)]
#[template(path = "receipts.html")]
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
#[template(path = "roll.html")]
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
#[template(path = "notice.html")]
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
    pub url: String,
    pub back: String,
}

#[derive(Template)]
#[template(path = "new_matter.html")]
pub struct NewMatterPage {
    pub t: Tr,
    pub c: Chrome,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub buildings: Vec<String>,
}

#[derive(Template)]
#[template(path = "paper.html")]
pub struct PaperPage {
    pub t: Tr,
    pub c: Chrome,
    pub matter_id: String,
    pub title: String,
    pub outcome: String,
    /// The outcome counted a ballot (green) rather than waiting or holding it.
    pub outcome_ok: bool,
    pub mismatches: Vec<(String, &'static str, &'static str)>,
    pub can_resolve: bool,
}

#[derive(Template)]
#[template(path = "register.html")]
pub struct RegisterPage {
    pub t: Tr,
    pub c: Chrome,
    pub pre_csrf: String,
    pub error: String,
    pub name: String,
    pub login: String,
    pub phone: String,
}

#[derive(Template)]
#[template(path = "bind.html")]
pub struct BindPage {
    pub t: Tr,
    pub c: Chrome,
    pub error: String,
}

#[derive(Template)]
#[template(path = "codes.html")]
pub struct CodesPage {
    pub t: Tr,
    pub c: Chrome,
    pub buildings: Vec<String>,
    pub codes: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage {
    pub t: Tr,
    pub c: Chrome,
    pub status: String,
    pub intact: bool,
    pub rows: Vec<(i64, String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub t: Tr,
    pub lang: Lang,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct BoardCell {
    pub building: String,
    pub stage: String,
    pub stage_label: &'static str,
    pub project_id: String,
    pub planned_start: String,
}

#[derive(Template)]
#[template(path = "board.html")]
pub struct BoardPage {
    pub t: Tr,
    pub c: Chrome,
    pub cells: Vec<BoardCell>,
    pub others: Vec<(String, String, &'static str)>,
    pub can_edit: bool,
}

#[derive(Template)]
#[template(path = "project_new.html")]
pub struct ProjectNewPage {
    pub t: Tr,
    pub c: Chrome,
    pub buildings: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct StageStep {
    pub label: &'static str,
    pub done: bool,
    pub current: bool,
}

#[derive(Clone, Debug)]
pub struct FloorRow {
    pub floor: i32,
    pub counts: [usize; 5],
    pub support_pct: u32,
}

#[derive(Clone, Debug)]
pub struct VisitView {
    pub date: String,
    pub unit: String,
    /// The visitor's name, and their role in the page's language (`（楼组长）`, ` (building leader)`).
    pub visitor: String,
    pub role: String,
    pub stance: &'static str,
    pub reasons: String,
    pub note: String,
    pub answer: String,
}

#[derive(Clone, Debug)]
pub struct CostRow {
    pub id: String,
    pub label: String,
    pub quoted: String,
    pub agreed: String,
    pub saving: String,
    pub negotiated_by: String,
    pub paid: String,
}

#[derive(Clone, Debug)]
pub struct ShareRow {
    pub unit: String,
    pub floor: i32,
    pub share: String,
    pub mine: bool,
    /// The yearly running-cost share.
    pub running: String,
}

#[derive(Template)]
#[template(path = "project.html")]
pub struct ProjectPage {
    pub t: Tr,
    pub documents: Vec<(String, String)>,
    pub c: Chrome,
    pub id: String,
    pub title: String,
    pub kind_label: &'static str,
    pub scope_label: String,
    pub stage_label: &'static str,
    pub planned_start: String,
    pub note: String,
    pub steps: Vec<StageStep>,
    pub history: Vec<(&'static str, String, String)>,
    pub next_stage: String,
    pub next_label: &'static str,
    pub missing: Vec<String>,
    /// Why the stage move just asked for was refused (shown at the top), or empty.
    pub refused: Vec<String>,
    pub can_edit: bool,
    pub scheme_notice_date: String,
    pub milestones: Vec<(&'static str, &'static str, bool)>,
    pub floors: Vec<FloorRow>,
    pub to_visit: Vec<String>,
    pub visits: Vec<VisitView>,
    pub reasons: Vec<(&'static str, &'static str)>,
    pub units: Vec<String>,
    pub costs: Vec<CostRow>,
    pub budget: String,
    pub saved: String,
    pub paid: String,
    pub cost: String,
    pub rate: String,
    pub cap: String,
    pub other: String,
    pub weights: String,
    pub basis_area: bool,
    pub running_cost: String,
    pub running_weights: String,
    pub subsidy: String,
    pub residents_total: String,
    pub shares: Vec<ShareRow>,
    pub my_shares: Vec<(String, String)>,
    pub share_error: String,
    pub matter_id: String,
}

#[derive(Template)]
#[template(path = "project_doc.html")]
pub struct ProjectDoc {
    pub t: Tr,
    pub c: Chrome,
    pub heading: &'static str,
    pub title: String,
    pub scope_label: String,
    pub note: String,
    pub date: String,
    pub ballot: bool,
    pub cost: String,
    pub subsidy: String,
    pub residents_total: String,
    pub weights: String,
    pub shares: Vec<ShareRow>,
    pub qr_svg: String,
    pub url: String,
    pub back: String,
}
