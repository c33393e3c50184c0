//! Attached files: a matter's documents, a project's, a proxy's written authorisation. Stored
//! in the database, served only as downloads with a content type the server chooses.

use crate::kit::audit::append;
use crate::{Actor, Result, Store, new_id, now_ms};
use gongzhi_core::kit::KitRefusal;
use sqlx::Row;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub id: String,
    pub matter_id: Option<String>,
    pub project_id: Option<String>,
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The most a single attached file may hold.
pub const MAX_ATTACHMENT: usize = 10 * 1024 * 1024;

impl Store {
    /// Attaches a file to a matter (its text, plans, quotes…).
    pub async fn attach(
        &self,
        compound: &str,
        matter: &str,
        name: &str,
        content_type: &str,
        bytes: &[u8],
        actor: Actor<'_>,
    ) -> Result<String> {
        let mut tx = self.begin_write().await?;
        let id = insert_attachment(&mut tx, compound, (Some(matter), None), (name, content_type, bytes), actor).await?;
        append(&mut tx, compound, actor.login, "matter.attach", matter, name).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn attachment(&self, compound: &str, id: &str) -> Result<Attachment> {
        let r = sqlx::query(
            "SELECT id, matter_id, name, content_type, bytes, project_id FROM attachments WHERE compound_id = $1 AND id = $2",
        )
        .bind(compound)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| KitRefusal::NotFound.refused())?;
        Ok(Attachment {
            id: r.get(0),
            matter_id: r.get(1),
            name: r.get(2),
            content_type: r.get(3),
            bytes: r.get(4),
            project_id: r.get(5),
        })
    }

    /// Attaches a document to a project (a quote, a contract, the scheme, a permit).
    pub async fn attach_to_project(
        &self,
        compound: &str,
        project: &str,
        name: &str,
        content_type: &str,
        bytes: &[u8],
        actor: Actor<'_>,
    ) -> Result<String> {
        if bytes.is_empty() {
            return KitRefusal::FileEmpty { field: "file".into() }.err();
        }
        self.project(compound, project).await?;
        let mut tx = self.begin_write().await?;
        let id =
            insert_attachment(&mut tx, compound, (None, Some(project)), (name, content_type, bytes), actor).await?;
        append(&mut tx, compound, actor.login, "project.attach", project, name).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A project's documents: (id, name).
    pub async fn project_documents(&self, compound: &str, project: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT id, name FROM attachments WHERE compound_id = $1 AND project_id = $2 ORDER BY created_at, id",
        )
        .bind(compound)
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// A matter's attached files: (id, name).
    pub async fn attachments(&self, compound: &str, matter: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT id, name FROM attachments WHERE compound_id = $1 AND matter_id = $2 ORDER BY created_at, id",
        )
        .bind(compound)
        .bind(matter)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}

/// Stores a file for a matter, a project, or (neither) a proxy's authorisation.
pub(crate) async fn insert_attachment(
    conn: &mut sqlx::AnyConnection,
    compound: &str,
    (matter, project): (Option<&str>, Option<&str>),
    (name, content_type, bytes): (&str, &str, &[u8]),
    actor: Actor<'_>,
) -> Result<String> {
    if bytes.len() > MAX_ATTACHMENT {
        return KitRefusal::FileTooLarge { field: "file".into(), name: name.to_string(), limit_mb: 10 }.err();
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO attachments (compound_id, id, matter_id, project_id, name, content_type, bytes, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(compound)
    .bind(&id)
    .bind(matter)
    .bind(project)
    .bind(name)
    .bind(content_type)
    .bind(bytes.to_vec())
    .bind(actor.id)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}
