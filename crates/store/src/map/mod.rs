//! The walking map and residents' requests, stored (issue 16). The map is kept as the GeoJSON it
//! is imported and exported as, always written from core's parse of it (so what is stored reads
//! back); edits load it, change it through core and write it back in one transaction. Saved
//! what-ifs are checked against the map when saved and linked from the matter or project they
//! are attached to. [`requests`]: residents' requests.

use crate::kit::audit::append;
use crate::kit::related::{Related, relate};
use crate::{Actor, Result, Store, StoreError, new_id, now_ms};
use gongzhi_core::kit::Refused;
use gongzhi_core::map::edit::{Edit, apply};
use gongzhi_core::map::geojson::{export_string, parse};
use gongzhi_core::map::{Hours, MapRefusal as R, Place, Scenario, WalkMap, what_if};
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, HashMap};

pub mod demo;
pub mod requests;

/// The image a map is drawn over and where its edges lie (degrees).
#[derive(Clone, Debug, PartialEq)]
pub struct SitePlan {
    pub name: String,
    pub content_type: String,
    /// west, south, east, north
    pub bounds: [f64; 4],
}

/// The compound's map as stored.
#[derive(Clone, Debug)]
pub struct StoredMap {
    /// The map, each bin room that is a waste-sorting station keeping that station's windows.
    pub map: WalkMap,
    pub updated_at: i64,
    pub plan: Option<SitePlan>,
    /// The names of the stations whose windows the map's bin rooms keep, by bin node id.
    pub stations: BTreeMap<String, String>,
    /// On the day asked for, the bin rooms whose station has other windows that day (a holiday
    /// change; closed: `hours` is `[Hours::CLOSED]`), with the change's note, by bin node id.
    pub day_changes: BTreeMap<String, String>,
}

/// A what-if to save.
#[derive(Clone, Debug, Default)]
pub struct NewScenario {
    pub title: String,
    pub scenario: Scenario,
    pub minute: Option<u16>,
    pub matter: Option<String>,
    pub project: Option<String>,
}

/// A saved what-if.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioRecord {
    pub id: String,
    pub title: String,
    pub scenario: Scenario,
    pub minute: Option<u16>,
    pub matter: Option<String>,
    pub project: Option<String>,
    pub created_at: i64,
}

/// Image types a site plan or a photo may be, told by their first bytes (never by the name the
/// sender gave): PNG, JPEG, GIF, WebP.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// The most an image (a site plan, a photo) may hold.
pub const MAX_IMAGE: usize = 8 * 1024 * 1024;

fn scenario_row(r: &sqlx::any::AnyRow) -> Result<ScenarioRecord> {
    let changes: String = r.get(2);
    let scenario: Scenario =
        serde_json::from_str(&changes).map_err(|_| StoreError::Io("a stored what-if is not valid".into()))?;
    Ok(ScenarioRecord {
        id: r.get(0),
        title: r.get(1),
        scenario,
        minute: r.get::<Option<i64>, _>(3).map(|m| m as u16),
        matter: r.get(4),
        project: r.get(5),
        created_at: r.get(6),
    })
}

async fn load_map(conn: &mut AnyConnection, compound: &str) -> Result<Option<WalkMap>> {
    let row = sqlx::query("SELECT geojson FROM walk_maps WHERE compound_id = $1")
        .bind(compound)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        None => Ok(None),
        Some(r) => {
            Ok(Some(parse(&r.get::<String, _>(0)).map_err(|_| StoreError::Io("the stored map is not valid".into()))?))
        }
    }
}

async fn save_map(conn: &mut AnyConnection, compound: &str, map: &WalkMap, actor: Actor<'_>) -> Result<()> {
    let text = export_string(map);
    let n = sqlx::query("UPDATE walk_maps SET geojson = $1, updated_by = $2, updated_at = $3 WHERE compound_id = $4")
        .bind(&text)
        .bind(actor.id)
        .bind(now_ms())
        .bind(compound)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if n == 0 {
        sqlx::query("INSERT INTO walk_maps (compound_id, geojson, updated_by, updated_at) VALUES ($1, $2, $3, $4)")
            .bind(compound)
            .bind(&text)
            .bind(actor.id)
            .bind(now_ms())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    /// The compound's map, if one was drawn or imported, its stations keeping their usual windows.
    pub async fn walk_map(&self, compound: &str) -> Result<Option<StoredMap>> {
        self.walk_map_on(compound, None).await
    }

    /// The compound's map as it is on `day`: each station's windows that day where the waste
    /// process has changed them (a holiday closes one, or moves its hours); usual windows on
    /// other days and when `day` is `None`.
    pub async fn walk_map_on(&self, compound: &str, day: Option<jiff::civil::Date>) -> Result<Option<StoredMap>> {
        let row = sqlx::query(
            "SELECT geojson, updated_at, plan_name, plan_type, plan_bounds FROM walk_maps WHERE compound_id = $1",
        )
        .bind(compound)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let mut map =
            parse(&r.get::<String, _>(0)).map_err(|_| StoreError::Io("the stored map is not valid".into()))?;
        // the waste process says when a station opens; the map only where it is
        let known = self.stations(compound).await?;
        let changes = match day {
            Some(d) => self.station_changes(compound).await?.into_iter().filter(|c| c.day == d).collect(),
            None => Vec::new(),
        };
        let hours_of = |ws: &[gongzhi_core::waste::Window]| -> Vec<Hours> {
            ws.iter().map(|w| Hours { from: w.start.minutes(), to: w.end.minutes() }).collect()
        };
        let windows: HashMap<String, Vec<Hours>> = known
            .iter()
            .map(|(st, _)| {
                let hours = match changes.iter().find(|c| c.station == st.id) {
                    Some(c) if c.windows.is_empty() => vec![Hours::CLOSED],
                    Some(c) => hours_of(&c.windows),
                    None => hours_of(&st.windows),
                };
                (st.id.as_str().to_string(), hours)
            })
            .collect();
        let notes: HashMap<&str, &str> = changes.iter().map(|c| (c.station.as_str(), c.note.as_str())).collect();
        let names: HashMap<&str, &str> = known.iter().map(|(st, _)| (st.id.as_str(), st.name.as_str())).collect();
        let kept = map.keep_station_hours(&windows);
        let station_of = |ix: usize| match &map.nodes[ix].place {
            Place::Bin { station: Some(s), .. } => Some((map.nodes[ix].id.clone(), s.as_str())),
            _ => None,
        };
        let stations = kept
            .iter()
            .filter_map(|&ix| station_of(ix))
            .filter_map(|(n, s)| Some((n, names.get(s)?.to_string())))
            .collect();
        let day_changes = kept
            .iter()
            .filter_map(|&ix| station_of(ix))
            .filter_map(|(n, s)| Some((n, notes.get(s)?.to_string())))
            .collect();
        let plan = match (r.get::<Option<String>, _>(2), r.get::<Option<String>, _>(3), r.get::<Option<String>, _>(4)) {
            (Some(name), Some(content_type), Some(b)) => {
                let v: Vec<f64> = b.split(',').filter_map(|x| x.parse().ok()).collect();
                (v.len() == 4).then(|| SitePlan { name, content_type, bounds: [v[0], v[1], v[2], v[3]] })
            }
            _ => None,
        };
        Ok(Some(StoredMap { map, updated_at: r.get(1), plan, stations, day_changes }))
    }

    /// The map, or `map.no-map`.
    pub async fn walk_map_or_refuse(&self, compound: &str) -> Result<WalkMap> {
        match self.walk_map(compound).await? {
            Some(m) => Ok(m.map),
            None => R::NoMap.err(),
        }
    }

    /// Replaces the map with one imported from GeoJSON; nothing changes if any feature is bad
    /// (the refusal names each). Audited.
    pub async fn import_walk_map(&self, compound: &str, geojson: &str, actor: Actor<'_>) -> Result<WalkMap> {
        let map = parse(geojson)?;
        let mut tx = self.begin_write().await?;
        save_map(&mut tx, compound, &map, actor).await?;
        let detail = format!("{} nodes, {} edges", map.nodes.len(), map.edges.len());
        append(&mut tx, compound, actor.login, "map.import", compound, &detail).await?;
        tx.commit().await?;
        Ok(map)
    }

    /// One edit of the drawn map (place, remove, connect, disconnect). Audited.
    pub async fn edit_walk_map(&self, compound: &str, edit: &Edit, actor: Actor<'_>) -> Result<WalkMap> {
        let mut tx = self.begin_write().await?;
        let map = load_map(&mut tx, compound).await?.unwrap_or_default();
        let map = apply(&map, edit)?;
        save_map(&mut tx, compound, &map, actor).await?;
        append(&mut tx, compound, actor.login, "map.edit", compound, &format!("{edit:?}")).await?;
        tx.commit().await?;
        Ok(map)
    }

    /// Sets the site plan the map is drawn over: a PNG, JPEG, GIF or WebP image (told by its
    /// bytes) and its edges. Audited.
    pub async fn set_site_plan(
        &self,
        compound: &str,
        name: &str,
        bytes: &[u8],
        bounds: [f64; 4],
        actor: Actor<'_>,
    ) -> Result<SitePlan> {
        let bad = |reason: &str| -> StoreError { R::BadSitePlan { reason: reason.into() }.refused().into() };
        if bytes.len() > MAX_IMAGE {
            return Err(bad("larger than 8 MB"));
        }
        let content_type = image_type(bytes).ok_or_else(|| bad("not a PNG, JPEG, GIF or WebP image"))?;
        let [w, s, e, n] = bounds;
        let ok = bounds.iter().all(|x| x.is_finite())
            && w < e
            && s < n
            && w >= -180.0
            && e <= 180.0
            && s >= -90.0
            && n <= 90.0;
        if !ok {
            return Err(bad("its edges must be west < east and south < north, in degrees"));
        }
        let mut tx = self.begin_write().await?;
        if load_map(&mut tx, compound).await?.is_none() {
            save_map(&mut tx, compound, &WalkMap::new(), actor).await?;
        }
        sqlx::query(
            "UPDATE walk_maps SET plan_name = $1, plan_type = $2, plan_bytes = $3, plan_bounds = $4 WHERE compound_id = $5",
        )
        .bind(name)
        .bind(content_type)
        .bind(bytes)
        .bind(format!("{w},{s},{e},{n}"))
        .bind(compound)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "map.site-plan", compound, name).await?;
        tx.commit().await?;
        Ok(SitePlan { name: name.into(), content_type: content_type.into(), bounds })
    }

    /// The site plan's type and bytes.
    pub async fn site_plan_image(&self, compound: &str) -> Result<Option<(String, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT plan_type, plan_bytes FROM walk_maps WHERE compound_id = $1 AND plan_bytes IS NOT NULL",
        )
        .bind(compound)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    /// Saves a what-if (checked against today's map) and links it from its matter or project.
    /// Audited.
    pub async fn save_scenario(&self, compound: &str, s: &NewScenario, actor: Actor<'_>) -> Result<ScenarioRecord> {
        let title = s.title.trim();
        if title.is_empty() || title.chars().count() > 100 {
            return Err(R::BadEdit { reason: "a what-if needs a title of at most 100 characters".into() }
                .refused()
                .into());
        }
        if let Some(m) = &s.matter {
            self.matter(compound, m).await?;
        }
        if let Some(p) = &s.project {
            self.project(compound, p).await?;
        }
        let id = new_id();
        let changes = serde_json::to_string(&s.scenario).map_err(|e| StoreError::Io(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let map = load_map(&mut tx, compound).await?.ok_or_else(|| Refused::new(R::NoMap))?;
        what_if(&map, &s.scenario, s.minute)?;
        sqlx::query(
            "INSERT INTO walk_scenarios (compound_id, id, title, changes, minute, matter_id, project_id, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(compound)
        .bind(&id)
        .bind(title)
        .bind(&changes)
        .bind(s.minute.map(i64::from))
        .bind(&s.matter)
        .bind(&s.project)
        .bind(actor.id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        let link = Related { kind: "map-scenario".into(), href: format!("/map/scenarios/{id}"), title: title.into() };
        for subject in
            [s.matter.as_ref().map(|m| format!("matter:{m}")), s.project.as_ref().map(|p| format!("project:{p}"))]
                .into_iter()
                .flatten()
        {
            relate(&mut tx, compound, &subject, &link).await?;
        }
        append(&mut tx, compound, actor.login, "map.scenario", &id, title).await?;
        tx.commit().await?;
        self.scenario(compound, &id).await
    }

    pub async fn scenario(&self, compound: &str, id: &str) -> Result<ScenarioRecord> {
        let r = sqlx::query(
            "SELECT id, title, changes, minute, matter_id, project_id, created_at FROM walk_scenarios \
             WHERE compound_id = $1 AND id = $2",
        )
        .bind(compound)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| gongzhi_core::kit::KitRefusal::NotFound.refused())?;
        scenario_row(&r)
    }

    /// Every saved what-if, newest first.
    pub async fn scenarios(&self, compound: &str) -> Result<Vec<ScenarioRecord>> {
        let rows = sqlx::query(
            "SELECT id, title, changes, minute, matter_id, project_id, created_at FROM walk_scenarios \
             WHERE compound_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(scenario_row).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::image_type;

    #[test]
    fn images_are_told_by_their_bytes() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(image_type(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(image_type(b"<svg onload=alert(1)>"), None);
        assert_eq!(image_type(b"<html>"), None);
    }
}
