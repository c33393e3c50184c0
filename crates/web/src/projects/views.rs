//! Page models of building projects and their templates (templates/projects/).

use crate::kit::i18n::Tr;
use crate::kit::views::Chrome;
use askama::Template;

#[derive(Clone, Debug)]
pub struct BoardCell {
    pub building: String,
    pub stage: String,
    pub stage_label: &'static str,
    pub project_id: String,
    pub planned_start: String,
}

#[derive(Template)]
#[template(path = "projects/board.html")]
pub struct BoardPage {
    pub t: Tr,
    pub c: Chrome,
    pub cells: Vec<BoardCell>,
    pub others: Vec<(String, String, &'static str)>,
    pub can_edit: bool,
}

#[derive(Template)]
#[template(path = "projects/project_new.html")]
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
#[template(path = "projects/project.html")]
pub struct ProjectPage {
    pub t: Tr,
    pub documents: Vec<(String, String)>,
    pub related: Vec<crate::kit::views::RelatedLink>,
    pub c: Chrome,
    pub id: String,
    pub title: String,
    pub kind_label: &'static str,
    pub scope_label: String,
    /// The household the visit form starts on, and the visit just saved (confirmed on the page).
    pub visit_unit: String,
    pub saved_visit: String,
    /// The stage's key (`scheme-notice`, …).
    pub stage: &'static str,
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
    /// The viewer sees each household's share, and the door-to-door log.
    pub see_shares: bool,
    pub see_consultation: bool,
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
    /// (unit, share, the share explained in words)
    /// (unit, share, the share in words, the yearly running cost share)
    pub my_shares: Vec<(String, String, String, String)>,
    pub share_error: String,
    pub matter_id: String,
}

#[derive(Template)]
#[template(path = "projects/project_doc.html")]
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
