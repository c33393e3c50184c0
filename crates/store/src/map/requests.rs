//! Residents' requests (诉求), stored: submitted with an optional photo, routed by the
//! compound's setting, grouped with alike open ones, moved on by their handler with a reply the
//! submitter sees (and is told of), put on a meeting's agenda, tied to the matter or project that
//! answers them, and closed with what was done. A group moves together: whatever happens to its
//! first request happens to every request grouped with it.

use super::{MAX_IMAGE, image_type};
use crate::accounts::channels::{Deadline, schedule_deadline};
use crate::kit::audit::append;
use crate::kit::related::{Related, relate};
use crate::{Actor, Result, Store, StoreError, new_id, now_ms};
use gongzhi_core::map::MapRefusal as R;
use gongzhi_core::map::requests::{
    Category, Concern, Handler, Routing, Status, Timing, check_move, check_request, similar_key,
};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// A request as a resident submits it.
#[derive(Clone, Debug, Default)]
pub struct NewRequest {
    pub category: Option<Category>,
    pub title: String,
    pub text: String,
    /// The building it is about, if any.
    pub building: Option<String>,
    /// The point of the map it is about, if any.
    pub node: Option<String>,
    /// The submitter's unit, if they gave one.
    pub unit: Option<String>,
    /// A photo: its name and bytes.
    pub photo: Option<(String, Vec<u8>)>,
}

/// One step of a request's history, as the submitter sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestEvent {
    pub seq: i64,
    pub at: i64,
    pub by: String,
    pub status: Status,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRecord {
    pub id: String,
    pub no: i64,
    pub submitted_by: String,
    pub submitter_name: String,
    pub unit: Option<String>,
    pub category: Category,
    pub handler: Handler,
    pub title: String,
    pub text: String,
    pub building: Option<String>,
    pub node: Option<String>,
    pub status: Status,
    /// The request this one is grouped under.
    pub group_of: Option<String>,
    pub meeting: Option<String>,
    pub matter: Option<String>,
    pub project: Option<String>,
    pub outcome: String,
    pub submitted_at: i64,
    pub first_response_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub has_photo: bool,
}

impl RequestRecord {
    /// What it is about and where, to tell how near another request is.
    pub fn concern(&self) -> Concern<'_> {
        Concern { category: self.category, building: self.building.as_deref(), node: self.node.as_deref() }
    }

    /// The request that leads its group: its own id when it leads or stands alone.
    pub fn lead(&self) -> &str {
        self.group_of.as_deref().unwrap_or(&self.id)
    }
}

/// What a request is linked to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestLinks {
    pub meeting: Option<String>,
    pub matter: Option<String>,
    pub project: Option<String>,
}

const COLS: &str = "r.id, r.no, r.submitted_by, r.submitter_name, r.unit, r.category, r.handler, r.title, r.body, r.building, \
     r.node, r.status, r.group_of, r.meeting_id, r.matter_id, r.project_id, r.outcome, r.submitted_at, \
     r.first_response_at, r.closed_at, \
     (SELECT COUNT(*) FROM request_photos p WHERE p.compound_id = r.compound_id AND p.request_id = r.id)";

fn row(r: &sqlx::any::AnyRow) -> Result<RequestRecord> {
    let bad = || StoreError::Io("a stored request is not valid".into());
    Ok(RequestRecord {
        id: r.get(0),
        no: r.get(1),
        submitted_by: r.get(2),
        submitter_name: r.get(3),
        unit: r.get(4),
        category: Category::parse(&r.get::<String, _>(5)).ok_or_else(bad)?,
        handler: Handler::parse(&r.get::<String, _>(6)).ok_or_else(bad)?,
        title: r.get(7),
        text: r.get(8),
        building: r.get(9),
        node: r.get(10),
        status: Status::parse(&r.get::<String, _>(11)).ok_or_else(bad)?,
        group_of: r.get(12),
        meeting: r.get(13),
        matter: r.get(14),
        project: r.get(15),
        outcome: r.get(16),
        submitted_at: r.get(17),
        first_response_at: r.get(18),
        closed_at: r.get(19),
        has_photo: r.get::<i64, _>(20) > 0,
    })
}

async fn load(conn: &mut AnyConnection, compound: &str, id: &str) -> Result<RequestRecord> {
    let r = sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM requests r WHERE r.compound_id = $1 AND r.id = $2")))
        .bind(compound)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| gongzhi_core::kit::KitRefusal::NotFound.refused())?;
    row(&r)
}

/// A request and every request grouped under it.
async fn group(conn: &mut AnyConnection, compound: &str, lead: &str) -> Result<Vec<RequestRecord>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLS} FROM requests r WHERE r.compound_id = $1 AND (r.id = $2 OR r.group_of = $2) ORDER BY r.no"
    )))
    .bind(compound)
    .bind(lead)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(row).collect()
}

async fn add_event(
    conn: &mut AnyConnection,
    compound: &str,
    request: &str,
    by: (&str, &str),
    status: Status,
    note: &str,
    at: i64,
) -> Result<i64> {
    let seq: i64 = sqlx::query(
        "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) + 1 FROM request_events WHERE compound_id = $1 AND request_id = $2",
    )
    .bind(compound)
    .bind(request)
    .fetch_one(&mut *conn)
    .await?
    .get(0);
    sqlx::query(
        "INSERT INTO request_events (compound_id, request_id, seq, at, by_id, by_name, status, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(compound)
    .bind(request)
    .bind(seq)
    .bind(at)
    .bind(by.0)
    .bind(by.1)
    .bind(status.as_str())
    .bind(note)
    .execute(&mut *conn)
    .await?;
    Ok(seq)
}

/// Tells a submitter what happened to their request, on their channels, in the same transaction.
async fn tell(
    conn: &mut AnyConnection,
    compound: &str,
    r: &RequestRecord,
    seq: i64,
    status: Status,
    note: &str,
) -> Result<()> {
    let key = format!("request:{}:{seq}", r.id);
    let body = if note.is_empty() {
        format!("您的诉求 #{}「{}」：{}。\n/requests/{}", r.no, r.title, status.zh(), r.id)
    } else {
        format!("您的诉求 #{}「{}」：{}。\n{note}\n/requests/{}", r.no, r.title, status.zh(), r.id)
    };
    let d = Deadline {
        about: &r.id,
        kind: "map.request-update",
        key: &key,
        due_at: now_ms(),
        subject: format!("诉求有新进展：{}", r.title),
        body,
        people: std::slice::from_ref(&r.submitted_by),
    };
    schedule_deadline(conn, compound, &d, now_ms()).await?;
    Ok(())
}

impl Store {
    /// The compound's routing of categories to handlers (the default until set).
    pub async fn request_routing(&self, compound: &str) -> Result<Routing> {
        let r = sqlx::query("SELECT routing FROM request_settings WHERE compound_id = $1")
            .bind(compound)
            .fetch_optional(&self.pool)
            .await?;
        match r {
            Some(r) => Ok(Routing::parse(&r.get::<String, _>(0))?),
            None => Ok(Routing::default()),
        }
    }

    /// Sets the routing from its text form (`category = handler` per line). Audited. Requests
    /// already submitted keep their handler.
    pub async fn set_request_routing(&self, compound: &str, text: &str, actor: Actor<'_>) -> Result<Routing> {
        let routing = Routing::parse(text)?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM request_settings WHERE compound_id = $1").bind(compound).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO request_settings (compound_id, routing) VALUES ($1, $2)")
            .bind(compound)
            .bind(routing.to_text())
            .execute(&mut *tx)
            .await?;
        append(&mut tx, compound, actor.login, "requests.routing", compound, &routing.to_text()).await?;
        tx.commit().await?;
        Ok(routing)
    }

    /// Submits a request: routed by its category, grouped under the first open request alike
    /// (same category, same title but for spaces and punctuation). Audited.
    pub async fn submit_request(
        &self,
        compound: &str,
        n: &NewRequest,
        actor: Actor<'_>,
        name: &str,
    ) -> Result<RequestRecord> {
        let category = n.category.ok_or_else(|| {
            gongzhi_core::kit::Refused::new(R::RequestBadChoice { field: "category".into(), value: String::new() })
        })?;
        check_request(&n.title, &n.text)?;
        let photo = match &n.photo {
            Some((pname, bytes)) => {
                if bytes.len() > MAX_IMAGE {
                    return R::RequestBadPhoto { reason: "larger than 8 MB".into() }.err();
                }
                let t = image_type(bytes).ok_or_else(|| {
                    R::RequestBadPhoto { reason: "not a PNG, JPEG, GIF or WebP image".into() }.refused()
                })?;
                Some((pname.clone(), t, bytes.clone()))
            }
            None => None,
        };
        if let Some(b) = &n.building
            && self.registry(compound).await?.units.iter().all(|u| u.no.building() != b.as_str())
        {
            return R::RequestBadPlace { value: b.clone() }.err();
        }
        if let Some(node) = &n.node {
            let known = self.walk_map(compound).await?.is_some_and(|m| m.map.find(node).is_some());
            if !known {
                return R::RequestBadPlace { value: node.clone() }.err();
            }
        }
        let handler = self.request_routing(compound).await?.handler(category);
        let key = similar_key(category, &n.title);
        let id = new_id();
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        append(&mut tx, compound, actor.login, "requests.submit", &id, &format!("{category} {}", n.title.trim()))
            .await?;
        let no: i64 =
            sqlx::query("SELECT CAST(COALESCE(MAX(no), 0) AS BIGINT) + 1 FROM requests WHERE compound_id = $1")
                .bind(compound)
                .fetch_one(&mut *tx)
                .await?
                .get(0);
        let lead = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLS} FROM requests r WHERE r.compound_id = $1 AND r.similar_key = $2 AND r.group_of IS NULL \
             AND r.status NOT IN ('closed', 'declined') ORDER BY r.no LIMIT 1"
        )))
        .bind(compound)
        .bind(&key)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| row(&r))
        .transpose()?;
        let (status, links, first_response) = match &lead {
            Some(l) => (
                l.status,
                RequestLinks { meeting: l.meeting.clone(), matter: l.matter.clone(), project: l.project.clone() },
                (l.status != Status::Received).then_some(now),
            ),
            None => (Status::Received, RequestLinks::default(), None),
        };
        sqlx::query(
            "INSERT INTO requests (compound_id, id, no, submitted_by, submitter_name, unit, category, handler, title, body, \
             similar_key, building, node, status, group_of, meeting_id, matter_id, project_id, submitted_at, first_response_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
        )
        .bind(compound)
        .bind(&id)
        .bind(no)
        .bind(actor.id)
        .bind(name)
        .bind(&n.unit)
        .bind(category.as_str())
        .bind(lead.as_ref().map_or(handler, |l| l.handler).as_str())
        .bind(n.title.trim())
        .bind(n.text.trim())
        .bind(&key)
        .bind(&n.building)
        .bind(&n.node)
        .bind(status.as_str())
        .bind(lead.as_ref().map(|l| l.id.clone()))
        .bind(&links.meeting)
        .bind(&links.matter)
        .bind(&links.project)
        .bind(now)
        .bind(first_response)
        .execute(&mut *tx)
        .await?;
        add_event(&mut tx, compound, &id, (actor.id, name), Status::Received, "", now).await?;
        if let Some((pname, t, bytes)) = photo {
            sqlx::query(
                "INSERT INTO request_photos (compound_id, request_id, name, content_type, bytes) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(compound)
            .bind(&id)
            .bind(pname)
            .bind(t)
            .bind(bytes)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(l) = &lead {
            relink(&mut tx, compound, l).await?;
        }
        tx.commit().await?;
        self.request(compound, &id).await
    }

    pub async fn request(&self, compound: &str, id: &str) -> Result<RequestRecord> {
        let mut c = self.pool.acquire().await?;
        load(&mut c, compound, id).await
    }

    /// Every request of the compound, newest first.
    pub async fn requests(&self, compound: &str) -> Result<Vec<RequestRecord>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLS} FROM requests r WHERE r.compound_id = $1 ORDER BY r.no DESC"
        )))
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row).collect()
    }

    /// A request and those grouped with it (the lead first).
    pub async fn request_group(&self, compound: &str, id: &str) -> Result<Vec<RequestRecord>> {
        let mut c = self.pool.acquire().await?;
        let r = load(&mut c, compound, id).await?;
        group(&mut c, compound, r.lead()).await
    }

    /// The history of a request's group: its lead's events, then the request's own submission.
    pub async fn request_events(&self, compound: &str, id: &str) -> Result<Vec<RequestEvent>> {
        let rows = sqlx::query(
            "SELECT seq, at, by_name, status, note FROM request_events WHERE compound_id = $1 AND request_id = $2 ORDER BY seq",
        )
        .bind(compound)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RequestEvent {
                    seq: r.get(0),
                    at: r.get(1),
                    by: r.get(2),
                    status: Status::parse(&r.get::<String, _>(3))
                        .ok_or_else(|| StoreError::Io("a stored request event is not valid".into()))?,
                    note: r.get(4),
                })
            })
            .collect()
    }

    pub async fn request_photo(&self, compound: &str, id: &str) -> Result<Option<(String, Vec<u8>)>> {
        let r =
            sqlx::query("SELECT content_type, bytes FROM request_photos WHERE compound_id = $1 AND request_id = $2")
                .bind(compound)
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(r.map(|r| (r.get(0), r.get(1))))
    }

    /// Adds the photo of a request that has none (the API sends it after the request). Only
    /// its submitter may; audited as part of the request.
    pub async fn add_request_photo(
        &self,
        compound: &str,
        id: &str,
        name: &str,
        bytes: &[u8],
        actor: Actor<'_>,
    ) -> Result<()> {
        if bytes.len() > MAX_IMAGE {
            return R::RequestBadPhoto { reason: "larger than 8 MB".into() }.err();
        }
        let t = image_type(bytes)
            .ok_or_else(|| R::RequestBadPhoto { reason: "not a PNG, JPEG, GIF or WebP image".into() }.refused())?;
        let mut tx = self.begin_write().await?;
        let r = load(&mut tx, compound, id).await?;
        if r.submitted_by != actor.id {
            return gongzhi_core::kit::KitRefusal::NotFound.err();
        }
        if r.has_photo {
            return R::RequestBadPhoto { reason: "the request has a photo already".into() }.err();
        }
        sqlx::query("INSERT INTO request_photos (compound_id, request_id, name, content_type, bytes) VALUES ($1, $2, $3, $4, $5)")
            .bind(compound)
            .bind(id)
            .bind(name)
            .bind(t)
            .bind(bytes)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, compound, actor.login, "requests.submit", id, "photo").await?;
        tx.commit().await?;
        Ok(())
    }

    /// The handler moves a request's group on: to `to` with a reply (the reason, to decline;
    /// the outcome, to close), or a reply alone when `to` is where it stands. Each submitter is
    /// told. Audited.
    pub async fn move_request(
        &self,
        compound: &str,
        id: &str,
        to: Status,
        note: &str,
        actor: Actor<'_>,
        name: &str,
    ) -> Result<RequestRecord> {
        let mut tx = self.begin_write().await?;
        let r = load(&mut tx, compound, id).await?;
        let lead = load(&mut tx, compound, r.lead()).await?;
        check_move(lead.status, to, note)?;
        let now = now_ms();
        append(&mut tx, compound, actor.login, "requests.update", &lead.id, to.as_str()).await?;
        for m in group(&mut tx, compound, &lead.id).await? {
            let seq = add_event(&mut tx, compound, &m.id, (actor.id, name), to, note.trim(), now).await?;
            let outcome =
                if to == Status::Closed && !note.trim().is_empty() { note.trim() } else { m.outcome.as_str() };
            sqlx::query(
                "UPDATE requests SET status = $1, outcome = $2, first_response_at = COALESCE(first_response_at, $3), \
                 closed_at = $4 WHERE compound_id = $5 AND id = $6",
            )
            .bind(to.as_str())
            .bind(outcome)
            .bind(now)
            .bind(to.is_final().then_some(now))
            .bind(compound)
            .bind(&m.id)
            .execute(&mut *tx)
            .await?;
            tell(&mut tx, compound, &m, seq, to, note.trim()).await?;
        }
        let lead = load(&mut tx, compound, &lead.id).await?;
        relink(&mut tx, compound, &lead).await?;
        tx.commit().await?;
        self.request(compound, id).await
    }

    /// Groups a request (and any grouped under it) under `into`'s group, taking its status and
    /// links; `None` takes it out of its group to stand alone. Audited.
    pub async fn group_request(
        &self,
        compound: &str,
        id: &str,
        into: Option<&str>,
        actor: Actor<'_>,
    ) -> Result<RequestRecord> {
        let mut tx = self.begin_write().await?;
        let r = load(&mut tx, compound, id).await?;
        match into {
            None => {
                let Some(old) = r.group_of.clone() else {
                    return R::RequestBadGroup { reason: "it is not in a group".into() }.err();
                };
                sqlx::query("UPDATE requests SET group_of = NULL WHERE compound_id = $1 AND id = $2")
                    .bind(compound)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let old = load(&mut tx, compound, &old).await?;
                relink(&mut tx, compound, &old).await?;
            }
            Some(into) => {
                let target = load(&mut tx, compound, into).await?;
                let lead = load(&mut tx, compound, target.lead()).await?;
                if lead.id == r.id || lead.id == r.lead() {
                    return R::RequestBadGroup { reason: "it is already in that group".into() }.err();
                }
                if lead.status.is_final() {
                    return R::RequestBadGroup { reason: "that group is closed".into() }.err();
                }
                if lead.handler != r.handler {
                    return R::RequestBadGroup { reason: "the two are handled by different bodies".into() }.err();
                }
                for m in group(&mut tx, compound, &r.id).await? {
                    sqlx::query(
                        "UPDATE requests SET group_of = $1, status = $2, meeting_id = $3, matter_id = $4, project_id = $5 \
                         WHERE compound_id = $6 AND id = $7",
                    )
                    .bind(&lead.id)
                    .bind(lead.status.as_str())
                    .bind(&lead.meeting)
                    .bind(&lead.matter)
                    .bind(&lead.project)
                    .bind(compound)
                    .bind(&m.id)
                    .execute(&mut *tx)
                    .await?;
                }
                relink(&mut tx, compound, &lead).await?;
            }
        }
        append(&mut tx, compound, actor.login, "requests.group", id, into.unwrap_or("-")).await?;
        tx.commit().await?;
        self.request(compound, id).await
    }

    /// Puts a request's group on a meeting's agenda, or ties it to the matter or project that
    /// answers it (each `None` leaves that link as it is). Counts as the handler's response;
    /// recorded in the group's history and linked from the meeting's, matter's or project's page.
    pub async fn link_request(
        &self,
        compound: &str,
        id: &str,
        links: &RequestLinks,
        actor: Actor<'_>,
        name: &str,
    ) -> Result<RequestRecord> {
        let mut what = Vec::new();
        if let Some(m) = &links.meeting {
            let m = self.compound_meeting(compound, m).await?;
            what.push(format!("列入会议议程：{}", m.title));
        }
        if let Some(m) = &links.matter {
            let m = self.matter(compound, m).await?;
            what.push(format!("提交业主表决：{}", m.title));
        }
        if let Some(p) = &links.project {
            let p = self.project(compound, p).await?;
            what.push(format!("列入项目：{}", p.title));
        }
        if what.is_empty() {
            return R::RequestBadChoice { field: "meeting".into(), value: String::new() }.err();
        }
        let mut tx = self.begin_write().await?;
        let r = load(&mut tx, compound, id).await?;
        let lead = load(&mut tx, compound, r.lead()).await?;
        if lead.status.is_final() {
            return R::RequestCannotMove { from: lead.status, to: lead.status }.err();
        }
        let now = now_ms();
        // linking a received request takes it up: accepted
        let status = if lead.status == Status::Received { Status::Accepted } else { lead.status };
        for m in group(&mut tx, compound, &lead.id).await? {
            sqlx::query(
                "UPDATE requests SET meeting_id = COALESCE($1, meeting_id), matter_id = COALESCE($2, matter_id), \
                 project_id = COALESCE($3, project_id), status = $4, first_response_at = COALESCE(first_response_at, $5) \
                 WHERE compound_id = $6 AND id = $7",
            )
            .bind(&links.meeting)
            .bind(&links.matter)
            .bind(&links.project)
            .bind(status.as_str())
            .bind(now)
            .bind(compound)
            .bind(&m.id)
            .execute(&mut *tx)
            .await?;
            let seq = add_event(&mut tx, compound, &m.id, (actor.id, name), status, &what.join("；"), now).await?;
            tell(&mut tx, compound, &m, seq, status, &what.join("；")).await?;
        }
        let lead = load(&mut tx, compound, &lead.id).await?;
        relink(&mut tx, compound, &lead).await?;
        append(&mut tx, compound, actor.login, "requests.link", &lead.id, &what.join("; ")).await?;
        tx.commit().await?;
        self.request(compound, id).await
    }

    /// How long each request waited for its first response and for being closed.
    pub async fn request_timings(&self, compound: &str) -> Result<Vec<Timing>> {
        Ok(self
            .requests(compound)
            .await?
            .into_iter()
            .map(|r| Timing {
                handler: r.handler,
                category: r.category,
                submitted_at: r.submitted_at,
                first_response_at: r.first_response_at,
                closed_at: r.closed_at,
            })
            .collect())
    }
}

/// Links the group's meeting, matter and project pages to its lead, titled with how many
/// households raised it ("居民诉求（12户）：垃圾箱房太远").
async fn relink(conn: &mut AnyConnection, compound: &str, lead: &RequestRecord) -> Result<()> {
    let members = group(conn, compound, &lead.id).await?;
    let mut units: Vec<String> =
        members.iter().map(|m| m.unit.clone().unwrap_or_else(|| m.submitted_by.clone())).collect();
    units.sort();
    units.dedup();
    let link = Related {
        kind: "requests".into(),
        href: format!("/requests/{}", lead.id),
        title: format!("{}（{}）", lead.title, units.len()),
    };
    for subject in [
        lead.meeting.as_ref().map(|x| format!("meeting:{x}")),
        lead.matter.as_ref().map(|x| format!("matter:{x}")),
        lead.project.as_ref().map(|x| format!("project:{x}")),
    ]
    .into_iter()
    .flatten()
    {
        relate(conn, compound, &subject, &link).await?;
    }
    Ok(())
}
