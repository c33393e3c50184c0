//! Building projects: their stages, door-to-door visits, cost items with negotiated savings,
//! payments, and each household's share.

use crate::kit::audit::append;
use crate::voting::matters::insert_matter;
use crate::{Actor, NewMatter, Result, Store, StoreError, new_id, now_ms};
use gongzhi_core::accounts::Role;
use gongzhi_core::kit::Refused;
use gongzhi_core::projects::sharing::{Basis, SharePlan, Weights, plan};
use gongzhi_core::projects::{Facts, ProjectKind, ProjectSettings, ProjectsRefusal, Stage, Stance, check_move};
use gongzhi_core::{MatterKind, Money, Scope, UnitNo};
use sqlx::{AssertSqlSafe, Row};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    pub title: String,
    pub kind: ProjectKind,
    pub scope: Scope,
    pub stage: Stage,
    pub construction_cost: Money,
    pub subsidy_rate_ppm: i64,
    pub subsidy_cap: Money,
    pub other_sources: Money,
    pub weights: String,
    pub basis: Basis,
    pub running_cost: Money,
    pub running_weights: String,
    pub scheme_notice_at: Option<i64>,
    pub matter_id: Option<String>,
    pub planning_approved: bool,
    pub start_report_filed: bool,
    pub owner_representatives_invited: bool,
    pub completion_accepted: bool,
    pub planned_start: String,
    pub note: String,
}

#[derive(Clone, Debug, Default)]
pub struct NewProject {
    pub title: String,
    pub kind: Option<ProjectKind>,
    pub scope: Option<Scope>,
    pub note: String,
}

/// The cost-sharing settings of a project.
#[derive(Clone, Debug)]
pub struct Costing {
    pub construction_cost: Money,
    pub subsidy_rate_ppm: i64,
    pub subsidy_cap: Money,
    pub other_sources: Money,
    pub weights: String,
    pub basis: Basis,
    /// Yearly running cost, and its own weights (empty: the construction weights).
    pub running_cost: Money,
    pub running_weights: String,
}

/// A fact recorded outside the system (a permit, a filed report, the acceptance).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Milestone {
    PlanningApproved,
    StartReportFiled,
    OwnerRepresentativesInvited,
    CompletionAccepted,
}

impl Milestone {
    pub fn parse(s: &str) -> Option<Milestone> {
        match s {
            "planning_approved" => Some(Milestone::PlanningApproved),
            "start_report_filed" => Some(Milestone::StartReportFiled),
            "owner_representatives_invited" => Some(Milestone::OwnerRepresentativesInvited),
            "completion_accepted" => Some(Milestone::CompletionAccepted),
            _ => None,
        }
    }

    fn column(self) -> &'static str {
        match self {
            Milestone::PlanningApproved => "planning_approved",
            Milestone::StartReportFiled => "start_report_filed",
            Milestone::OwnerRepresentativesInvited => "owner_representatives_invited",
            Milestone::CompletionAccepted => "completion_accepted",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub id: String,
    pub unit: String,
    /// The visitor's login, as recorded.
    pub visitor: String,
    /// The visitor's account name and roles; empty when the system recorded the visit.
    pub visitor_name: String,
    pub visitor_roles: Vec<Role>,
    pub visited_at: i64,
    pub stance: Stance,
    pub reasons: Vec<String>,
    pub note: String,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostItem {
    pub id: String,
    pub label: String,
    pub quoted: Money,
    pub agreed: Option<Money>,
    pub negotiated_by: String,
    pub note: String,
    pub paid: Money,
}

impl CostItem {
    /// What the item costs now: the agreed amount once negotiated, else the quote.
    pub fn budget(&self) -> Money {
        self.agreed.unwrap_or(self.quoted)
    }

    pub fn saving(&self) -> Money {
        Money::from_fen(self.quoted.fen() - self.budget().fen())
    }
}

const COLS: &str = "id, title, kind, scope, stage, construction_cost_fen, subsidy_rate_ppm, subsidy_cap_fen, other_sources_fen, \
                    weights, basis, scheme_notice_at, matter_id, planning_approved, start_report_filed, \
                    owner_representatives_invited, completion_accepted, planned_start, note, running_cost_fen, running_weights";

fn project_from_row(r: &sqlx::any::AnyRow) -> Result<Project> {
    let bad = |w: &str| StoreError::Io(format!("stored project {w} is not valid"));
    Ok(Project {
        id: r.get(0),
        title: r.get(1),
        kind: ProjectKind::parse(&r.get::<String, _>(2)).ok_or_else(|| bad("kind"))?,
        scope: Scope::parse(&r.get::<String, _>(3)).ok_or_else(|| bad("scope"))?,
        stage: Stage::parse(&r.get::<String, _>(4)).ok_or_else(|| bad("stage"))?,
        construction_cost: Money::from_fen(r.get(5)),
        subsidy_rate_ppm: r.get(6),
        subsidy_cap: Money::from_fen(r.get(7)),
        other_sources: Money::from_fen(r.get(8)),
        weights: r.get(9),
        basis: Basis::parse(&r.get::<String, _>(10)).ok_or_else(|| bad("basis"))?,
        scheme_notice_at: r.get(11),
        matter_id: r.get(12),
        planning_approved: r.get::<i64, _>(13) == 1,
        start_report_filed: r.get::<i64, _>(14) == 1,
        owner_representatives_invited: r.get::<i64, _>(15) == 1,
        completion_accepted: r.get::<i64, _>(16) == 1,
        planned_start: r.get(17),
        note: r.get(18),
        running_cost: Money::from_fen(r.get(19)),
        running_weights: r.get(20),
    })
}

const COST_COLS: &str = "c.id, c.label, c.quoted_fen, c.agreed_fen, c.negotiated_by, c.note, \
    CAST(COALESCE((SELECT SUM(p.amount_fen) FROM payments p WHERE p.compound_id = c.compound_id AND p.cost_item_id = c.id), 0) AS BIGINT)";

fn cost_item_from_row(r: &sqlx::any::AnyRow) -> CostItem {
    CostItem {
        id: r.get(0),
        label: r.get(1),
        quoted: Money::from_fen(r.get(2)),
        agreed: r.get::<Option<i64>, _>(3).map(Money::from_fen),
        negotiated_by: r.get(4),
        note: r.get(5),
        paid: Money::from_fen(r.get(6)),
    }
}

impl Store {
    pub async fn create_project(&self, compound: &str, p: &NewProject, actor: Actor<'_>) -> Result<Project> {
        if p.title.trim().is_empty() {
            return ProjectsRefusal::TitleMissing.err();
        }
        let kind = p.kind.unwrap_or(ProjectKind::LiftRetrofit);
        let scope = p.scope.clone().ok_or_else(|| ProjectsRefusal::ScopeNeedsBuilding.refused())?;
        self.check_scope(compound, &scope).await?;
        let id = new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO projects (compound_id, id, title, kind, scope, stage, note, created_at) VALUES ($1, $2, $3, $4, $5, 'intent', $6, $7)",
        )
        .bind(compound)
        .bind(&id)
        .bind(p.title.trim())
        .bind(kind.as_str())
        .bind(scope.to_string())
        .bind(&p.note)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO project_stages (compound_id, project_id, seq, stage, at, actor) VALUES ($1, $2, 1, 'intent', $3, $4)")
            .bind(compound)
            .bind(&id)
            .bind(now_ms())
            .bind(actor.login)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, compound, actor.login, "project.create", &id, &format!("kind={} scope={scope}", kind.as_str()))
            .await?;
        tx.commit().await?;
        self.project(compound, &id).await
    }

    pub async fn project(&self, compound: &str, id: &str) -> Result<Project> {
        let r = sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM projects WHERE compound_id = $1 AND id = $2")))
            .bind(compound)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| ProjectsRefusal::ProjectNotFound { project: id.to_string() }.refused())?;
        project_from_row(&r)
    }

    pub async fn projects(&self, compound: &str) -> Result<Vec<Project>> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLS} FROM projects WHERE compound_id = $1 ORDER BY created_at, id"
        )))
        .bind(compound)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(project_from_row)
        .collect()
    }

    /// The project of a matter, when the matter is a project's vote.
    pub async fn project_for_matter(&self, compound: &str, matter: &str) -> Result<Option<Project>> {
        let id: Option<String> =
            sqlx::query_scalar("SELECT id FROM projects WHERE compound_id = $1 AND matter_id = $2")
                .bind(compound)
                .bind(matter)
                .fetch_optional(&self.pool)
                .await?;
        match id {
            Some(id) => Ok(Some(self.project(compound, &id).await?)),
            None => Ok(None),
        }
    }

    /// Sets the cost and how it is shared; the weights are checked here.
    pub async fn set_costing(&self, compound: &str, id: &str, c: &Costing, actor: Actor<'_>) -> Result<Project> {
        if c.construction_cost.fen() < 0
            || c.other_sources.fen() < 0
            || c.subsidy_cap.fen() < 0
            || c.running_cost.fen() < 0
        {
            return ProjectsRefusal::NegativeCost { field: "cost".into() }.err();
        }
        Weights::parse(&c.weights).map_err(Refused::from)?;
        Weights::parse(&c.running_weights).map_err(|problem| ProjectsRefusal::RunningWeights { problem }.refused())?;
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE projects SET construction_cost_fen = $1, subsidy_rate_ppm = $2, subsidy_cap_fen = $3, other_sources_fen = $4, \
             weights = $5, basis = $6, running_cost_fen = $9, running_weights = $10 WHERE compound_id = $7 AND id = $8",
        )
        .bind(c.construction_cost.fen())
        .bind(c.subsidy_rate_ppm)
        .bind(c.subsidy_cap.fen())
        .bind(c.other_sources.fen())
        .bind(c.weights.trim())
        .bind(match c.basis {
            Basis::Area => "area",
            Basis::Household => "household",
        })
        .bind(compound)
        .bind(id)
        .bind(c.running_cost.fen())
        .bind(c.running_weights.trim())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return ProjectsRefusal::ProjectNotFound { project: id.to_string() }.err();
        }
        append(
            &mut tx,
            compound,
            actor.login,
            "project.costing",
            id,
            &format!("cost={} weights={}", c.construction_cost, c.weights),
        )
        .await?;
        tx.commit().await?;
        self.project(compound, id).await
    }

    /// Records the date the scheme was posted in the building (it is posted on paper).
    /// Records the day the scheme notice was posted, with a photo of it as posted. The date may
    /// be entered from the paper, so it may lie in the past, but never before the project entered
    /// the scheme-notice stage (its notice cannot predate its scheme) and never in the future;
    /// who entered it, and the photo, are in the audit chain.
    pub async fn set_scheme_notice(
        &self,
        compound: &str,
        id: &str,
        at: i64,
        photo: (&str, &str, &[u8]),
        actor: Actor<'_>,
    ) -> Result<Project> {
        let p = self.project(compound, id).await?;
        if p.stage != Stage::SchemeNotice {
            return ProjectsRefusal::SchemeNoticeStageFirst { stage: p.stage }.err();
        }
        let entered = self
            .project_history(compound, id)
            .await?
            .into_iter()
            .rev()
            .find(|(s, _, _)| *s == Stage::SchemeNotice)
            .map(|(_, at, _)| at)
            .unwrap_or_else(now_ms);
        let (day, entered_day) = (gongzhi_core::time::date(at), gongzhi_core::time::date(entered));
        if day < entered_day {
            return ProjectsRefusal::SchemeNoticeBeforeStage { posted: day, entered: entered_day }.err();
        }
        if gongzhi_core::time::date(now_ms()) < day {
            return ProjectsRefusal::SchemeNoticeInFuture.err();
        }
        let (name, content_type, bytes) = photo;
        if bytes.is_empty() {
            return ProjectsRefusal::SchemeNoticePhotoMissing.err();
        }
        let photo_kind = content_type.starts_with("image/") && content_type != "image/svg+xml";
        if !photo_kind && content_type != "application/pdf" {
            return ProjectsRefusal::SchemeNoticePhotoKind { name: name.to_string() }.err();
        }
        let mut tx = self.begin_write().await?;
        let photo_id = crate::kit::attachments::insert_attachment(
            &mut tx,
            compound,
            (None, Some(id)),
            (name, content_type, bytes),
            actor,
        )
        .await?;
        sqlx::query("UPDATE projects SET scheme_notice_at = $1 WHERE compound_id = $2 AND id = $3")
            .bind(at)
            .bind(compound)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, compound, actor.login, "project.scheme-notice", id, &format!("posted={day} photo={photo_id}"))
            .await?;
        tx.commit().await?;
        self.project(compound, id).await
    }

    pub async fn set_milestone(
        &self,
        compound: &str,
        id: &str,
        m: Milestone,
        done: bool,
        actor: Actor<'_>,
    ) -> Result<Project> {
        self.set_column(compound, id, m.column(), done as i64, actor).await
    }

    pub async fn set_planned_start(&self, compound: &str, id: &str, date: &str, actor: Actor<'_>) -> Result<Project> {
        if !date.is_empty() && gongzhi_core::time::parse_date(date).is_none() {
            return ProjectsRefusal::BadDate { field: "planned_start".into(), value: date.to_string() }.err();
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE projects SET planned_start = $1 WHERE compound_id = $2 AND id = $3")
            .bind(date)
            .bind(compound)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, compound, actor.login, "project.planned-start", id, date).await?;
        tx.commit().await?;
        self.project(compound, id).await
    }

    async fn set_column(
        &self,
        compound: &str,
        id: &str,
        column: &'static str,
        value: i64,
        actor: Actor<'_>,
    ) -> Result<Project> {
        let mut tx = self.begin_write().await?;
        // `column` is one of the constant names above
        let n =
            sqlx::query(AssertSqlSafe(format!("UPDATE projects SET {column} = $1 WHERE compound_id = $2 AND id = $3")))
                .bind(value)
                .bind(compound)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if n == 0 {
            return ProjectsRefusal::ProjectNotFound { project: id.to_string() }.err();
        }
        append(&mut tx, compound, actor.login, "project.record", id, &format!("{column}={value}")).await?;
        tx.commit().await?;
        self.project(compound, id).await
    }

    /// What the stage rules look at.
    pub async fn project_facts(&self, compound: &str, p: &Project) -> Result<Facts> {
        let visited: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(DISTINCT unit_no) AS BIGINT) FROM visits WHERE compound_id = $1 AND project_id = $2",
        )
        .bind(compound)
        .bind(&p.id)
        .fetch_one(&self.pool)
        .await?;
        let vote = match &p.matter_id {
            None => None,
            Some(m) => {
                let matter = self.matter(compound, m).await?;
                if matter.status == gongzhi_core::MatterStatus::Closed {
                    Some(Some(self.tally(compound, m).await?.passed))
                } else {
                    Some(None)
                }
            }
        };
        Ok(Facts {
            now_ms: now_ms(),
            visited: visited as usize,
            scheme_notice_at: p.scheme_notice_at,
            vote,
            planning_approved: p.planning_approved,
            start_report_filed: p.start_report_filed,
            owner_representatives_invited: p.owner_representatives_invited,
            completion_accepted: p.completion_accepted,
        })
    }

    /// Moves a project to a stage if the stage's needs are met; entering the vote drafts the
    /// owners' vote (kind `alteration`, the project's scope) with the scheme notice as its notice.
    pub async fn move_project(&self, compound: &str, id: &str, to: Stage, actor: Actor<'_>) -> Result<Project> {
        let p = self.project(compound, id).await?;
        let facts = self.project_facts(compound, &p).await?;
        let rest = self.rest_days(compound).await?;
        let settings = self.project_settings(compound).await?;
        if let Err(missing) = check_move(p.stage, to, &facts, &settings, &rest) {
            return ProjectsRefusal::StageBlocked { stage: to, missing }.err();
        }
        let mut tx = self.begin_write().await?;
        let mut matter = p.matter_id.clone();
        if to == Stage::Vote && matter.is_none() {
            let nm = NewMatter {
                title: format!("{}：业主表决", p.title),
                body: p.note.clone(),
                kind: MatterKind::Alteration,
                scope: p.scope.clone(),
                deemed_clause: false,
                allow_change: false,
                window_start: None,
                window_end: None,
            };
            let m = insert_matter(&mut tx, compound, &nm).await?;
            sqlx::query("UPDATE matters SET status = 'notice', notice_at = $1 WHERE compound_id = $2 AND id = $3")
                .bind(p.scheme_notice_at.unwrap_or_else(now_ms))
                .bind(compound)
                .bind(&m)
                .execute(&mut *tx)
                .await?;
            append(
                &mut tx,
                compound,
                actor.login,
                "matter.create",
                &m,
                &format!("kind=alteration scope={} project={id}", p.scope),
            )
            .await?;
            matter = Some(m);
        }
        let changed = sqlx::query(
            "UPDATE projects SET stage = $1, matter_id = $2 WHERE compound_id = $3 AND id = $4 AND stage = $5",
        )
        .bind(to.as_str())
        .bind(&matter)
        .bind(compound)
        .bind(id)
        .bind(p.stage.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return ProjectsRefusal::ChangedMeanwhile { project: p.title.clone() }.err();
        }
        sqlx::query(
            "INSERT INTO project_stages (compound_id, project_id, seq, stage, at, actor) \
             SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5 FROM project_stages WHERE compound_id = $1 AND project_id = $2",
        )
        .bind(compound)
        .bind(id)
        .bind(to.as_str())
        .bind(now_ms())
        .bind(actor.login)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "project.stage", id, &format!("{}->{}", p.stage.as_str(), to.as_str()))
            .await?;
        tx.commit().await?;
        self.project(compound, id).await
    }

    /// The compound's settings for projects: the declared defaults, periods counted as the
    /// compound counts every legal period (its rest-day rule). The one place both the page and the
    /// store read them from.
    pub async fn project_settings(&self, compound: &str) -> Result<ProjectSettings> {
        let periods = self.voting_settings(compound).await?.periods;
        Ok(ProjectSettings { periods, ..ProjectSettings::default() })
    }

    /// The stage history: (stage, at, who moved it: the account's name, or `system`).
    pub async fn project_history(&self, compound: &str, id: &str) -> Result<Vec<(Stage, i64, String)>> {
        let rows = sqlx::query(
            "SELECT s.stage, s.at, COALESCE(p.name, s.actor) FROM project_stages s \
             LEFT JOIN people p ON p.login = s.actor \
             WHERE s.compound_id = $1 AND s.project_id = $2 ORDER BY s.seq",
        )
        .bind(compound)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().filter_map(|r| Some((Stage::parse(&r.get::<String, _>(0))?, r.get(1), r.get(2)))).collect())
    }

    /// The units in a project's scope, from the register.
    pub async fn project_units(&self, compound: &str, p: &Project) -> Result<Vec<gongzhi_core::Unit>> {
        self.scope_units(compound, &p.scope).await
    }

    /// The units in a scope, from the register.
    pub async fn scope_units(&self, compound: &str, scope: &Scope) -> Result<Vec<gongzhi_core::Unit>> {
        Ok(self.registry(compound).await?.units.into_iter().filter(|u| scope.contains(u)).collect())
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn record_visit(
        &self,
        compound: &str,
        project: &str,
        unit: &UnitNo,
        stance: Stance,
        reasons: &[String],
        note: &str,
        answer: &str,
        visited_at: i64,
        actor: Actor<'_>,
    ) -> Result<String> {
        let p = self.project(compound, project).await?;
        if !self.project_units(compound, &p).await?.iter().any(|u| &u.no == unit) {
            return ProjectsRefusal::UnitOutsideProject { unit: unit.to_string(), scope: p.scope.clone() }.err();
        }
        let id = new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO visits (compound_id, id, project_id, unit_no, visitor, visited_at, stance, reasons, note, answer) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(compound)
        .bind(&id)
        .bind(project)
        .bind(unit.as_str())
        .bind(actor.login)
        .bind(visited_at)
        .bind(stance.as_str())
        .bind(reasons.join(","))
        .bind(note)
        .bind(answer)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "project.visit", &format!("{project}/{unit}"), stance.as_str()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every visit, oldest first, with the visitor's name and roles.
    pub async fn visits(&self, compound: &str, project: &str) -> Result<Vec<Visit>> {
        let rows = sqlx::query(
            "SELECT v.id, v.unit_no, v.visitor, v.visited_at, v.stance, v.reasons, v.note, v.answer, p.name, \
               (SELECT string_agg(r.role, ',') FROM account_roles r WHERE r.compound_id = v.compound_id AND r.account_id = p.id) \
             FROM visits v LEFT JOIN people p ON p.login = v.visitor \
             WHERE v.compound_id = $1 AND v.project_id = $2 ORDER BY v.visited_at, v.id",
        )
        .bind(compound)
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                let mut roles: Vec<Role> =
                    r.get::<Option<String>, _>(9).unwrap_or_default().split(',').filter_map(Role::parse).collect();
                roles.sort();
                Some(Visit {
                    id: r.get(0),
                    unit: r.get(1),
                    visitor: r.get(2),
                    visitor_name: r.get::<Option<String>, _>(8).unwrap_or_default(),
                    visitor_roles: roles,
                    visited_at: r.get(3),
                    stance: Stance::parse(&r.get::<String, _>(4))?,
                    reasons: r.get::<String, _>(5).split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
                    note: r.get(6),
                    answer: r.get(7),
                })
            })
            .collect())
    }

    pub async fn add_cost_item(
        &self,
        compound: &str,
        project: &str,
        label: &str,
        quoted: Money,
        actor: Actor<'_>,
    ) -> Result<String> {
        if label.trim().is_empty() {
            return ProjectsRefusal::LabelMissing.err();
        }
        if quoted.fen() < 0 {
            return ProjectsRefusal::NegativeCost { field: "quoted".into() }.err();
        }
        self.project(compound, project).await?;
        let id = new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO cost_items (compound_id, id, project_id, label, quoted_fen, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(compound)
            .bind(&id)
            .bind(project)
            .bind(label.trim())
            .bind(quoted.fen())
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        append(&mut tx, compound, actor.login, "cost.add", project, &format!("{} {quoted}", label.trim())).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a negotiated amount and who negotiated it.
    pub async fn negotiate(
        &self,
        compound: &str,
        item: &str,
        agreed: Money,
        by: &str,
        note: &str,
        actor: Actor<'_>,
    ) -> Result<()> {
        if agreed.fen() < 0 {
            return ProjectsRefusal::NegativeCost { field: "agreed".into() }.err();
        }
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE cost_items SET agreed_fen = $1, negotiated_by = $2, note = $3 WHERE compound_id = $4 AND id = $5",
        )
        .bind(agreed.fen())
        .bind(by)
        .bind(note)
        .bind(compound)
        .bind(item)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return ProjectsRefusal::CostItemNotFound { item: item.to_string() }.err();
        }
        append(&mut tx, compound, actor.login, "cost.negotiate", item, &format!("agreed={agreed} by={by}")).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_payment(
        &self,
        compound: &str,
        item: &str,
        amount: Money,
        paid_on: &str,
        note: &str,
        actor: Actor<'_>,
    ) -> Result<()> {
        if amount.fen() <= 0 {
            return ProjectsRefusal::PaymentNotPositive.err();
        }
        if gongzhi_core::time::parse_date(paid_on).is_none() {
            return ProjectsRefusal::BadDate { field: "paid_on".into(), value: paid_on.to_string() }.err();
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO payments (compound_id, id, cost_item_id, amount_fen, paid_on, note) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(compound)
            .bind(new_id())
            .bind(item)
            .bind(amount.fen())
            .bind(paid_on)
            .bind(note)
            .execute(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(d) if d.is_foreign_key_violation() => ProjectsRefusal::CostItemNotFound { item: item.to_string() }.refused().into(),
                _ => StoreError::Db(e),
            })?;
        append(&mut tx, compound, actor.login, "cost.pay", item, &format!("{amount} {paid_on}")).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn cost_items(&self, compound: &str, project: &str) -> Result<Vec<CostItem>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COST_COLS} FROM cost_items c WHERE c.compound_id = $1 AND c.project_id = $2 ORDER BY c.created_at, c.id"
        )))
        .bind(compound)
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(cost_item_from_row).collect())
    }

    /// One cost item of a project; not found when it belongs to another project.
    pub async fn cost_item(&self, compound: &str, project: &str, item: &str) -> Result<CostItem> {
        let r = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COST_COLS} FROM cost_items c WHERE c.compound_id = $1 AND c.project_id = $2 AND c.id = $3"
        )))
        .bind(compound)
        .bind(project)
        .bind(item)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| ProjectsRefusal::CostItemNotFound { item: item.to_string() }.refused())?;
        Ok(cost_item_from_row(&r))
    }

    /// Each household's share of the yearly running cost (its own weights, or the construction's).
    pub async fn running_shares(
        &self,
        compound: &str,
        p: &Project,
    ) -> Result<Vec<gongzhi_core::projects::sharing::Share>> {
        let w = if p.running_weights.trim().is_empty() { &p.weights } else { &p.running_weights };
        let weights = Weights::parse(w).map_err(Refused::from)?;
        let units = self.project_units(compound, p).await?;
        Ok(gongzhi_core::projects::sharing::split(p.running_cost, &units, &weights, p.basis).map_err(Refused::from)?)
    }

    /// Each household's share of the project's cost, as the project stands.
    /// The shares of `units` in a plan, each with its explanation in words.
    pub async fn shares_in_words(
        &self,
        compound: &str,
        p: &Project,
        plan: &SharePlan,
        units: &[&UnitNo],
    ) -> Result<Vec<(UnitNo, Money, gongzhi_core::kit::Both)>> {
        let weights = Weights::parse(&p.weights).map_err(Refused::from)?;
        let all = self.project_units(compound, p).await?;
        Ok(plan
            .shares
            .iter()
            .filter(|s| units.contains(&&s.unit))
            .filter_map(|s| {
                let words = gongzhi_core::projects::sharing::share_in_words(
                    &all,
                    &weights,
                    p.basis,
                    plan.residents_total,
                    &s.unit,
                    s.share,
                )?;
                Some((s.unit.clone(), s.share, words))
            })
            .collect())
    }

    pub async fn share_plan(&self, compound: &str, p: &Project) -> Result<SharePlan> {
        let weights = Weights::parse(&p.weights).map_err(Refused::from)?;
        let units = self.project_units(compound, p).await?;
        Ok(plan(p.construction_cost, p.subsidy_rate_ppm, p.subsidy_cap, p.other_sources, &units, &weights, p.basis)
            .map_err(Refused::from)?)
    }
}
