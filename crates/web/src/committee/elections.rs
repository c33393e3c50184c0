//! Candidates for the committee and its election on the web: nomination (oneself, by owners, or
//! from the party organisation's reserve pool) with every eligibility failure named, the
//! candidates' printable notice with a QR code, the election drafted as a `committee-election`
//! matter whose ballots approve names ([`super::results`]: its result counted exactly by the rule
//! with each candidate's counts, and the seating). Ballots themselves go through voting's pages and API (online, paper entered
//! twice, proxy) like any matter's.

use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::error::Problem;
use crate::kit::forms::{Fields, Json, Path, csrf};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::committee::candidates::{Candidate, Nomination, eligibility};
use gongzhi_core::committee::policy::CommitteeAction;
use gongzhi_core::kit::period::{day_of, parse_day};
use gongzhi_core::kit::{KitRefusal, Lang};
use gongzhi_core::{Scope, UnitNo, time};
use gongzhi_store::NewMatter;
use gongzhi_store::committee::elections::{CandidateRecord, ElectionSeats, parse_relation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::kit::i18n::messages! {
    candidates => "业委会候选人", "Candidates for the committee";
    no_candidates => "还没有候选人。", "No candidates yet.";
    self_nominated => "自荐", "self-nominated";
    by_owners => "业主推荐", "nominated by owners";
    reserve_pool => "党组织推荐（储备库）", "recommended from the reserve pool";
    born => "出生", "born";
    eligible_ok => "符合候选人条件。", "May stand.";
    nominate => "提名候选人", "Nominate a candidate";
    nominate_hint => "业主可以自荐，也可以推荐本小区的其他业主；候选人须为本小区业主，且不在物业服务企业任职、其配偶和直系亲属也不在物业服务企业任职，并签署履职承诺书。以下信息用于资格审查和候选人公示。",
        "An owner may nominate themself or another owner of the compound. A candidate must own a unit here, not work for the property company (nor their spouse or direct relatives), and sign the undertaking. What you enter here is checked and shown on the candidates' notice.";
    nomination_kind => "提名方式", "How nominated";
    candidate_name => "候选人姓名（与房屋名册一致）", "Candidate's name (as in the register)";
    candidate_unit => "候选人房屋", "Candidate's unit";
    birth_day => "出生日期", "Date of birth";
    profession => "职业", "Profession";
    housing_type => "房屋类型", "Housing type";
    is_party_member => "中共党员", "Party member";
    signed_undertaking => "已签署履职承诺书", "Has signed the undertaking";
    works_for_pc => "在物业服务企业任职", "Works for the property company";
    relatives_at_pc => "在物业服务企业任职的亲属", "Relatives working for the property company";
    rel_spouse => "配偶", "spouse";
    rel_parent => "父母", "parent";
    rel_child => "子女", "child";
    rel_grandparent => "祖父母、外祖父母", "grandparent";
    rel_grandchild => "孙子女、外孙子女", "grandchild";
    grounds_apply => "存在以下情形且未改正", "Grounds that apply and are not corrected";
    statement => "个人简介", "Statement";
    withdraw => "撤回", "Withdraw";
    candidates_notice => "候选人公示（打印）", "Candidates' notice (print)";
    notice_title => "业主委员会委员候选人公示", "Notice of the candidates for the owners' committee";
    notice_scan => "扫码查看候选人名单和资格审查结果", "Scan to see the candidates and the eligibility checks";
    notice_posted => "公示日期", "Posted on";
    draft_election => "组织选举", "Draft the election";
    draft_hint => "选票上只列符合条件的候选人；每张选票最多同意“应选席位 + 候补名额”人。应选席位须为不少于 5 的单数（总面积不超过 1 万平方米的小区可为 3）。",
        "Only candidates who may stand go on the ballot; each ballot approves at most seats + alternates names. Seats must be odd and at least 5 (3 for a compound of at most 10,000 m²).";
    election_title => "选举名称", "Title";
    seats_field => "应选席位", "Seats";
    alternates_field => "候补名额", "Alternates";
    window_from => "投票开始日", "Voting opens";
    window_to => "投票截止日", "Voting ends";
    on_ballot => "列入选票", "On the ballot";
    election => "业委会选举", "Committee election";
    go_vote => "去投票", "Vote";
    not_counted => "投票结束后按规则计票并在此公布结果。", "The count is published here when voting closes.";
    count_rule => "计票规则", "How it is counted";
    count_rule_text => "参与表决的专有部分面积和人数均须达到三分之二以上，否则无人当选、席位全部空缺。候选人同意的面积和人数均须超过参与表决的面积和人数的一半方可当选；按同意人数、再按同意面积排序依次当选，其后为候补委员。末位席位票数相同者均不当选，该席位空缺、重新投票。同意人数超过上限的选票作废（计入参与，不计入任何候选人）。",
        "At least two thirds of the area and of the owners must take part, otherwise nobody is elected and every seat stays open. A candidate qualifies with approving area above half of the participating area and approving owners above half of the participating owners; qualifying candidates fill the seats by approving owners, then approving area; the next are alternates. A tie at the last seat elects neither and leaves the seat open (a re-vote). A ballot approving too many names is void (it takes part and approves nobody).";
    eligible_roll => "有表决权", "Eligible";
    participating_roll => "参与表决", "Took part";
    participation_met_yes => "参与表决达到三分之二", "Two thirds took part";
    participation_met_no => "参与表决未达到三分之二：无人当选", "Fewer than two thirds took part: nobody is elected";
    col_candidate => "候选人", "Candidate";
    col_owners => "同意人数", "Approving owners";
    col_area => "同意面积（m²）", "Approving area (m²)";
    col_majority => "过半", "Majority";
    col_outcome => "结果", "Outcome";
    outcome_elected => "当选", "elected";
    outcome_alternate => "候补", "alternate";
    outcome_tie => "末位并列，须重新投票", "tied at the last seat: re-vote";
    outcome_alternate_tie => "候补末位并列", "tied at the last alternate place";
    elected_list => "当选", "Elected";
    alternates_list => "候补委员（依次递补）", "Alternates (fill vacancies in order)";
    tie_list => "并列", "Tied";
    open_seats => "空缺席位", "Open seats";
    void_list => "作废选票（房屋）", "Void ballots (units)";
    owners_word => "人", "owners";
    yes => "是", "yes";
    seat_elected => "记录新一届业委会（备案后就任）", "Record the new committee (it takes office once filed)";
    composition_title => "符合条件的候选人不满足本小区的组成规则", "The eligible candidates do not meet the compound's composition rules";
    no => "否", "no";
}

// ---------------------------------------------------------------------------------------------
// The writes, once for the page and the API.

/// A nomination as the form and the API give it.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct NominationBody {
    /// The candidate's name as in the register.
    name: String,
    /// The unit the candidate owns, `13-701`.
    unit: String,
    /// `self-nominated` (one's own unit), `by-owners` (the nominating owner is the viewer) or
    /// `reserve-pool` (the party organisation's recommendation; those who prepare the election).
    nomination: String,
    #[serde(default)]
    birth: Option<String>,
    #[serde(default)]
    profession: String,
    #[serde(default)]
    housing_type: String,
    #[serde(default)]
    party_member: bool,
    #[serde(default)]
    undertaking_signed: bool,
    #[serde(default)]
    works_for_property_company: bool,
    /// Relatives working for the property company: spouse, parent, child, grandparent,
    /// grandchild.
    #[serde(default)]
    relatives: Vec<String>,
    /// Codes of Art. 20 grounds that apply and are not corrected.
    #[serde(default)]
    uncorrected: Vec<String>,
    #[serde(default)]
    statement: String,
}

fn bad(detail: String) -> AppError {
    KitRefusal::FormInvalid { detail }.refused().into()
}

/// Nominates, checking who may nominate how: oneself only for a unit one owns; by owners with the
/// viewer as the nominating owner; from the reserve pool only those who prepare the election.
pub async fn nominate(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    b: &NominationBody,
) -> Result<CandidateRecord, AppError> {
    let unit =
        UnitNo::parse(&b.unit).ok_or_else(|| bad(format!("unit: {:?} is not a unit number like 13-701", b.unit)))?;
    let nomination = match b.nomination.as_str() {
        "self-nominated" => {
            v.acting(CommitteeAction::Nominate, Subject::Compound, csrf)?;
            if !v
                .account
                .units()
                .iter()
                .any(|u| u.unit == unit && u.relation == gongzhi_core::accounts::Relation::Owner)
            {
                return Err(bad(format!("unit: you do not own {unit}; nominate another owner as by-owners")));
            }
            Nomination::SelfNominated
        }
        "by-owners" => {
            v.acting(CommitteeAction::Nominate, Subject::Compound, csrf)?;
            let registry = state.store.registry(v.compound()).await?;
            let mut nominators: Vec<String> = v
                .account
                .units()
                .iter()
                .filter(|u| u.relation == gongzhi_core::accounts::Relation::Owner)
                .filter_map(|u| registry.units.iter().find(|r| r.no == u.unit).map(|r| r.owner.to_string()))
                .collect();
            nominators.dedup();
            Nomination::ByOwners { nominators }
        }
        "reserve-pool" => {
            v.acting(CommitteeAction::PrepareElection, Subject::Compound, csrf)?;
            Nomination::ReservePool
        }
        other => {
            return Err(bad(format!("nomination: {other:?} is not self-nominated, by-owners or reserve-pool")));
        }
    };
    let birth = match b.birth.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(parse_day(s).ok_or_else(|| bad(format!("birth: {s:?} is not a date (YYYY-MM-DD)")))?),
    };
    let mut relatives = Vec::new();
    for r in b.relatives.iter().filter(|r| !r.trim().is_empty()) {
        relatives.push(
            parse_relation(r).ok_or_else(|| {
                bad(format!("relatives: {r:?} is not spouse, parent, child, grandparent or grandchild"))
            })?,
        );
    }
    let grounds = state.store.committee_settings(v.compound()).await?.eligibility.grounds;
    let uncorrected: Vec<String> =
        b.uncorrected.iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
    if let Some(c) = uncorrected.iter().find(|c| !grounds.iter().any(|g| &g.code == *c)) {
        return Err(bad(format!("uncorrected: {c:?} is not one of the compound's grounds")));
    }
    let c = Candidate {
        name: b.name.trim().to_string(),
        unit,
        nomination,
        works_for_property_company: b.works_for_property_company,
        relatives_at_property_company: relatives,
        uncorrected,
        undertaking_signed: b.undertaking_signed,
        party_member: b.party_member,
        birth,
        profession: b.profession.clone(),
        housing_type: b.housing_type.clone(),
    };
    Ok(state.store.nominate(v.compound(), &c, &b.statement, v.actor()).await?)
}

pub async fn withdraw(state: &AppState, v: &Viewer, csrf: Option<&str>, id: &str) -> Result<(), AppError> {
    v.acting(CommitteeAction::PrepareElection, Subject::Compound, csrf)?;
    Ok(state.store.withdraw_candidate(v.compound(), id, v.actor()).await?)
}

/// The election to draft.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct ElectionBody {
    title: String,
    #[serde(default)]
    body: String,
    /// Odd, at least 5 (3 for a compound of at most 10,000 m²).
    #[serde(deserialize_with = "crate::kit::forms::whole_number")]
    #[schema(value_type = u32)]
    seats: u32,
    #[serde(default, deserialize_with = "crate::kit::forms::whole_number")]
    #[schema(value_type = u32)]
    alternates: u32,
    /// The candidates' ids, in the slate's order.
    candidates: Vec<String>,
    /// The voting window's first and last days (YYYY-MM-DD, Shanghai).
    #[serde(default)]
    window_start: Option<String>,
    #[serde(default)]
    window_end: Option<String>,
}

pub async fn draft(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    b: &ElectionBody,
) -> Result<gongzhi_store::Matter, AppError> {
    v.acting(CommitteeAction::PrepareElection, Subject::Compound, csrf)?;
    let day = |field: &str, s: &Option<String>, end: bool| -> Result<Option<i64>, AppError> {
        match s.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => {
                let d = time::parse_date(s).ok_or_else(|| bad(format!("{field}: {s:?} is not a date (YYYY-MM-DD)")))?;
                Ok(Some(if end { d + 86_400_000 - 1 } else { d }))
            }
        }
    };
    let m = NewMatter {
        title: b.title.clone(),
        body: b.body.clone(),
        kind: gongzhi_core::MatterKind::CommitteeElection,
        scope: Scope::Compound,
        deemed_clause: false,
        allow_change: false,
        window_start: day("window_start", &b.window_start, false)?,
        window_end: day("window_end", &b.window_end, true)?,
    };
    let mut settings = state.store.committee_settings(v.compound()).await?;
    // ages count on the first day of voting
    if let (Some(comp), Some(start)) = (settings.composition.as_mut(), m.window_start) {
        comp.age_on = day_of(start);
    }
    let seats = ElectionSeats { seats: b.seats, alternates: b.alternates };
    Ok(state.store.draft_election(v.compound(), &m, &b.candidates, seats, &settings, v.actor()).await?)
}

// ---------------------------------------------------------------------------------------------
// Candidates: the page, the notice, the API.

pub struct CandidateRow {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub nomination: String,
    pub facts: String,
    pub statement: String,
    pub findings: Vec<String>,
}

#[derive(Template)]
#[template(path = "committee/candidates.html")]
pub struct CandidatesPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub rows: Vec<CandidateRow>,
    pub can_nominate: bool,
    pub can_prepare: bool,
    pub own_units: Vec<String>,
    /// The viewer's own name, offered for a self-nomination.
    pub my_name: String,
    pub grounds: Vec<(String, String)>,
    pub seats: u32,
    /// The compound's composition rules the eligible candidates do not meet.
    pub composition: Vec<String>,
    pub error: String,
    pub saved: bool,
}

fn nomination_label(t: &Tr, n: &Nomination) -> String {
    match n {
        Nomination::SelfNominated => t.self_nominated().into(),
        Nomination::ByOwners { nominators } => format!("{} ({})", t.by_owners(), nominators.len()),
        Nomination::ReservePool => t.reserve_pool().into(),
    }
}

fn facts(t: &Tr, c: &Candidate) -> String {
    let mut f = Vec::new();
    if c.party_member {
        f.push(t.party().to_string());
    }
    if let Some(b) = c.birth {
        f.push(format!("{} {}", t.born(), b.year()));
    }
    for s in [&c.profession, &c.housing_type] {
        if !s.is_empty() {
            f.push(s.clone());
        }
    }
    f.join(" · ")
}

async fn rows(state: &AppState, compound: &str, lang: Lang, t: &Tr) -> Result<Vec<CandidateRow>, AppError> {
    let registry = state.store.registry(compound).await?;
    let rules = state.store.committee_settings(compound).await?.eligibility;
    Ok(state
        .store
        .candidates(compound)
        .await?
        .into_iter()
        .map(|r| CandidateRow {
            findings: eligibility(&r.candidate, &registry, &rules).into_iter().map(|f| f.refused().say(lang)).collect(),
            id: r.id,
            name: r.candidate.name.clone(),
            unit: r.candidate.unit.to_string(),
            nomination: nomination_label(t, &r.candidate.nomination),
            facts: facts(t, &r.candidate),
            statement: r.statement,
        })
        .collect())
}

async fn candidates_view(state: &AppState, p: &Prefs, v: &Viewer, error: String, saved: bool) -> Answer {
    let t = p.t();
    let seats = state.store.committee_term(v.compound()).await?.map_or(0, |r| r.committee.seats);
    let settings = state.store.committee_settings(v.compound()).await?;
    let composition = match &settings.composition {
        Some(comp) => {
            let registry = state.store.registry(v.compound()).await?;
            let eligible: Vec<Candidate> = state
                .store
                .candidates(v.compound())
                .await?
                .into_iter()
                .map(|r| r.candidate)
                .filter(|c| eligibility(c, &registry, &settings.eligibility).is_empty())
                .collect();
            gongzhi_core::committee::candidates::check_composition(&eligible, comp)
                .into_iter()
                .map(|f| f.refused().say(p.lang))
                .collect()
        }
        None => vec![],
    };
    let page = CandidatesPage {
        rows: rows(state, v.compound(), p.lang, &t).await?,
        c: chrome(state, p, Some(v), "/committee/candidates").await,
        can_nominate: v.may(CommitteeAction::Nominate, Subject::Compound),
        can_prepare: v.may(CommitteeAction::PrepareElection, Subject::Compound),
        own_units: v
            .account
            .units()
            .iter()
            .filter(|u| u.relation == gongzhi_core::accounts::Relation::Owner)
            .map(|u| u.unit.to_string())
            .collect(),
        my_name: v.account.name.clone(),
        grounds: state
            .store
            .committee_settings(v.compound())
            .await?
            .eligibility
            .grounds
            .into_iter()
            .map(|g| (g.code, p.lang.pick(&g.text.zh, &g.text.en).to_string()))
            .collect(),
        // an even number today is not allowed: suggest the odd number above it
        seats: if seats % 2 == 0 { seats + 1 } else { seats },
        composition,
        error,
        saved,
        t,
    };
    let status = if page.error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut answer = html(render(&page));
    *answer.status_mut() = status;
    Ok(answer)
}

#[derive(Deserialize)]
pub(crate) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(super) async fn candidates_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Answer {
    candidates_view(&state, &p, &v, String::new(), q.saved.is_some()).await
}

fn nomination_from(f: &Fields) -> NominationBody {
    NominationBody {
        name: f.one("name").into(),
        unit: f.one("unit").into(),
        nomination: f.one("nomination").into(),
        birth: Some(f.one("birth").into()),
        profession: f.one("profession").into(),
        housing_type: f.one("housing_type").into(),
        party_member: f.one("party_member") == "1",
        undertaking_signed: f.one("undertaking_signed") == "1",
        works_for_property_company: f.one("works_for_property_company") == "1",
        relatives: f.all("relatives").to_vec(),
        uncorrected: f.all("uncorrected").to_vec(),
        statement: f.one("statement").into(),
    }
}

/// A refusal shown on the page it came from; anything else is the error page.
async fn or_page(state: &AppState, p: &Prefs, v: &Viewer, r: Result<String, AppError>) -> Answer {
    match crate::kit::error::on_the_page(r)? {
        Ok(to) => Ok(see_other(&to)),
        Err(r) => candidates_view(state, p, v, r.say(p.lang), false).await,
    }
}

pub(super) async fn nominate_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let r = nominate(&state, &v, Some(f.one("csrf")), &nomination_from(&f)).await;
    or_page(&state, &p, &v, r.map(|c| format!("/committee/candidates?saved=1#c-{}", c.id))).await
}

pub(super) async fn withdraw_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let r = withdraw(&state, &v, Some(f.one("csrf")), &id).await;
    or_page(&state, &p, &v, r.map(|()| "/committee/candidates?saved=1".to_string())).await
}

pub(super) async fn election_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = ElectionBody {
        title: f.one("title").into(),
        body: f.one("body").into(),
        seats: f.one("seats").parse().unwrap_or(0),
        alternates: f.one("alternates").parse().unwrap_or(0),
        candidates: f.all("candidate").to_vec(),
        window_start: Some(f.one("window_start").into()),
        window_end: Some(f.one("window_end").into()),
    };
    let r = draft(&state, &v, Some(f.one("csrf")), &b).await;
    or_page(&state, &p, &v, r.map(|m| format!("/matters/{}", m.id))).await
}

#[derive(Template)]
#[template(path = "committee/notice.html")]
pub struct NoticePage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub rows: Vec<CandidateRow>,
    pub url: String,
    pub qr_svg: String,
    pub today: String,
}

/// The candidates' notice (候选人公示) to print and post, with a QR code to the list online.
pub(super) async fn notice_page(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    let t = p.t();
    let url = state.public_url("/committee/candidates");
    let page = NoticePage {
        rows: rows(&state, v.compound(), p.lang, &t).await?,
        c: chrome(&state, &p, Some(&v), "/committee/candidates/notice").await,
        qr_svg: crate::kit::views::qr_svg(&url),
        url,
        today: gongzhi_core::kit::period::day_of(crate::now_ms()).to_string(),
        t,
    };
    Ok(html(render(&page)))
}

/// A candidate and whether they may stand.
#[derive(Serialize, ToSchema)]
pub struct CandidateJson {
    id: String,
    name: String,
    unit: String,
    /// `self-nominated`, `by-owners` or `reserve-pool`.
    nomination: String,
    /// The nominating owners' keys (by-owners).
    nominators: Vec<String>,
    party_member: bool,
    birth: Option<String>,
    profession: String,
    housing_type: String,
    undertaking_signed: bool,
    statement: String,
    /// No finding: the candidate may stand.
    eligible: bool,
    /// Each reason the candidate may not stand: `{code, zh, en, values}`.
    #[schema(value_type = Vec<Object>)]
    findings: Vec<serde_json::Value>,
}

async fn candidate_json(state: &AppState, compound: &str, r: CandidateRecord) -> Result<CandidateJson, AppError> {
    let registry = state.store.registry(compound).await?;
    let findings = eligibility(&r.candidate, &registry, &state.store.committee_settings(compound).await?.eligibility);
    let c = r.candidate;
    let (nomination, nominators) = match c.nomination {
        Nomination::SelfNominated => ("self-nominated", vec![]),
        Nomination::ByOwners { nominators } => ("by-owners", nominators),
        Nomination::ReservePool => ("reserve-pool", vec![]),
    };
    Ok(CandidateJson {
        id: r.id,
        name: c.name,
        unit: c.unit.to_string(),
        nomination: nomination.into(),
        nominators,
        party_member: c.party_member,
        birth: c.birth.map(|d| d.to_string()),
        profession: c.profession,
        housing_type: c.housing_type,
        undertaking_signed: c.undertaking_signed,
        statement: r.statement,
        eligible: findings.is_empty(),
        findings: findings.iter().filter_map(|f| serde_json::to_value(f).ok()).collect(),
    })
}

/// The candidates for the committee, each with what bars them from standing (every member of the
/// compound).
#[utoipa::path(get, path = "/api/v1/committee/candidates", tag = "committee",
    responses((status = 200, body = Vec<CandidateJson>),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_candidates(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<axum::Json<Vec<CandidateJson>>, AppError> {
    let mut out = Vec::new();
    for r in state.store.candidates(v.compound()).await? {
        out.push(candidate_json(&state, v.compound(), r).await?);
    }
    Ok(axum::Json(out))
}

/// Nominate a candidate: oneself (`self-nominated`, one's own unit), another owner (`by-owners`)
/// or from the reserve pool (`reserve-pool`, those who prepare the election).
#[utoipa::path(post, path = "/api/v1/committee/candidates", tag = "committee", request_body = NominationBody,
    responses((status = 201, body = CandidateJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_candidate(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<NominationBody>,
) -> Answer {
    let r = nominate(&state, &v, csrf(&h), &b).await?;
    Ok((StatusCode::CREATED, axum::Json(candidate_json(&state, v.compound(), r).await?)).into_response())
}

/// Withdraw a candidate (kept in the record with the day).
#[utoipa::path(delete, path = "/api/v1/committee/candidates/{id}", tag = "committee", params(("id" = String, Path)),
    responses((status = 204),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn delete_candidate(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    withdraw(&state, &v, csrf(&h), &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
