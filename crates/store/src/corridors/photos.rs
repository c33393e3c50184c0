//! Photos of a building's plan and of its accepted work, kept as attachments.

use crate::kit::audit::append;
use crate::{Actor, Result, Store};
use gongzhi_core::corridors::refusal::CorridorRefusal as R;
use gongzhi_core::registry::BuildingNo;
use sqlx::Row;

/// A photo of a plan or of the accepted work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhotoRecord {
    pub building: BuildingNo,
    pub id: String,
    pub name: String,
    /// `plan` or `acceptance`.
    pub kind: String,
}

impl Store {
    /// Adds a photo to a building's plan (`plan`) or to its acceptance (`acceptance`), kept as an
    /// attachment (never served as active content). Audited with the plan.
    pub async fn add_corridor_photo(
        &self,
        compound: &str,
        round: &str,
        building: &BuildingNo,
        kind: &str,
        file: (&str, &str, &[u8]),
        actor: Actor<'_>,
    ) -> Result<String> {
        if !matches!(kind, "plan" | "acceptance") {
            return R::BadPlanField { field: "kind".into(), reason: "plan or acceptance".into() }.err();
        }
        if file.2.is_empty() {
            return R::BadPlanField { field: "photo".into(), reason: "attach a photo".into() }.err();
        }
        let mut tx = self.begin_write().await?;
        self.lock_round(&mut tx, compound, round).await?;
        let has: Option<String> = sqlx::query_scalar(
            "SELECT building_no FROM corridor_plans WHERE compound_id = $1 AND round_id = $2 AND building_no = $3",
        )
        .bind(compound)
        .bind(round)
        .bind(building.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if has.is_none() {
            return R::NoPlan { building: building.to_string() }.err();
        }
        let id = crate::kit::attachments::insert_attachment(&mut tx, compound, (None, None), file, actor).await?;
        sqlx::query(
            "INSERT INTO corridor_photos (compound_id, round_id, building_no, attachment_id, kind) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(compound)
        .bind(round)
        .bind(building.as_str())
        .bind(&id)
        .bind(kind)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "corridors.plan", round, &format!("building={building} photo={kind}"))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn corridor_photos(&self, compound: &str, round: &str) -> Result<Vec<PhotoRecord>> {
        let rows = sqlx::query(
            "SELECT p.building_no, p.attachment_id, a.name, p.kind FROM corridor_photos p JOIN attachments a \
             ON a.compound_id = p.compound_id AND a.id = p.attachment_id WHERE p.compound_id = $1 AND p.round_id = $2 \
             ORDER BY a.created_at, p.attachment_id",
        )
        .bind(compound)
        .bind(round)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(PhotoRecord {
                    building: BuildingNo::parse(&r.get::<String, _>(0))?,
                    id: r.get(1),
                    name: r.get(2),
                    kind: r.get(3),
                })
            })
            .collect())
    }

    /// A round's photo, only if it is one of the round's.
    pub async fn corridor_photo(
        &self,
        compound: &str,
        round: &str,
        id: &str,
    ) -> Result<crate::kit::attachments::Attachment> {
        let ok: Option<String> = sqlx::query_scalar(
            "SELECT attachment_id FROM corridor_photos WHERE compound_id = $1 AND round_id = $2 AND attachment_id = $3",
        )
        .bind(compound)
        .bind(round)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        if ok.is_none() {
            return gongzhi_core::kit::KitRefusal::NotFound.err();
        }
        self.attachment(compound, id).await
    }
}
