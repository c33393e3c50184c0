//! What a later process made of a matter, a project or a meeting: a saved what-if of the map
//! attached to a vote, the residents' requests a meeting took up. The later process writes the
//! link (it may know the earlier one); the earlier one's page lists the links without knowing
//! what they are, so the processes keep their order.

use crate::{Result, Store};
use sqlx::{AnyConnection, Row};

/// One link from a subject's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// What kind of thing it leads to, for its label (`map-scenario`, `requests`).
    pub kind: String,
    pub href: String,
    pub title: String,
}

/// Links `subject` (`matter:ID`, `project:ID`, `meeting:ID`) to `href`, or retitles the link,
/// inside the caller's transaction.
pub async fn relate(conn: &mut AnyConnection, compound: &str, subject: &str, r: &Related) -> Result<()> {
    sqlx::query("DELETE FROM related WHERE compound_id = $1 AND subject = $2 AND href = $3")
        .bind(compound)
        .bind(subject)
        .bind(&r.href)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO related (compound_id, subject, kind, href, title, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(compound)
    .bind(subject)
    .bind(&r.kind)
    .bind(&r.href)
    .bind(&r.title)
    .bind(crate::now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes a link made by [`relate`].
pub async fn unrelate(conn: &mut AnyConnection, compound: &str, subject: &str, href: &str) -> Result<()> {
    sqlx::query("DELETE FROM related WHERE compound_id = $1 AND subject = $2 AND href = $3")
        .bind(compound)
        .bind(subject)
        .bind(href)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// The links from a subject's page, oldest first.
    pub async fn related(&self, compound: &str, subject: &str) -> Result<Vec<Related>> {
        let rows = sqlx::query(
            "SELECT kind, href, title FROM related WHERE compound_id = $1 AND subject = $2 ORDER BY created_at, href",
        )
        .bind(compound)
        .bind(subject)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| Related { kind: r.get(0), href: r.get(1), title: r.get(2) }).collect())
    }
}
