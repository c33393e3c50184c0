//! The compound and its register: units, areas, owners, officers.

use crate::{Result, Store, StoreError, new_id, now_ms};
use gongzhi_core::registry::RegistryRefusal;

pub mod files;
use gongzhi_core::registry::{Owner, OwnerKind};
use gongzhi_core::{Area, BuildingNo, OwnerKey, Registry, StairwellNo, Unit, UnitNo};
use sqlx::Row;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compound {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub deemed_participation: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub units_added: usize,
    pub units_updated: usize,
    pub owners_added: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficerRow {
    pub role: String,
    pub unit: String,
    pub name: String,
}

fn compound_from_row(r: &sqlx::any::AnyRow) -> Compound {
    Compound { id: r.get(0), name: r.get(1), name_en: r.get(2), deemed_participation: r.get::<i64, _>(3) == 1 }
}

impl Store {
    pub async fn create_compound(&self, name: &str, name_en: &str, deemed_participation: bool) -> Result<Compound> {
        let id = new_id();
        sqlx::query(
            "INSERT INTO compounds (id, name, name_en, deemed_participation, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(name)
        .bind(name_en)
        .bind(deemed_participation as i64)
        .bind(now_ms())
        .execute(&self.pool)
        .await
        .map_err(|e| crate::on_unique(e, || RegistryRefusal::CompoundExists { name: name.to_string() }.refused()))?;
        Ok(Compound { id, name: name.into(), name_en: name_en.into(), deemed_participation })
    }

    pub async fn compounds(&self) -> Result<Vec<Compound>> {
        let rows = sqlx::query("SELECT id, name, name_en, deemed_participation FROM compounds ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(compound_from_row).collect())
    }

    pub async fn compound(&self, id: &str) -> Result<Compound> {
        let r = sqlx::query("SELECT id, name, name_en, deemed_participation FROM compounds WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| RegistryRefusal::CompoundNotFound { compound: id.to_string() }.refused())?;
        Ok(compound_from_row(&r))
    }

    pub async fn compound_by_name(&self, name: &str) -> Result<Option<Compound>> {
        let r = sqlx::query("SELECT id, name, name_en, deemed_participation FROM compounds WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(r.as_ref().map(compound_from_row))
    }

    /// Imports a register into a compound, all or nothing: owners are matched by key and units by
    /// number (updated in place), new ones added. Units absent from the file are kept.
    pub async fn import_registry(&self, compound: &str, reg: &Registry) -> Result<ImportSummary> {
        let mut tx = self.begin_write().await?;
        let mut summary = ImportSummary::default();
        let existing: HashMap<String, String> = sqlx::query("SELECT owner_key, id FROM owners WHERE compound_id = $1")
            .bind(compound)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let mut ids: HashMap<&OwnerKey, String> = HashMap::new();
        for o in &reg.owners {
            let id = match existing.get(o.key.as_str()) {
                Some(id) => {
                    sqlx::query(
                        "UPDATE owners SET name = $1, kind = $2, members = $3 WHERE compound_id = $4 AND id = $5",
                    )
                    .bind(&o.name)
                    .bind(o.kind.as_str())
                    .bind(o.members.join(";"))
                    .bind(compound)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    id.clone()
                }
                None => {
                    let id = new_id();
                    sqlx::query("INSERT INTO owners (compound_id, id, owner_key, name, kind, members) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(compound)
                        .bind(&id)
                        .bind(o.key.as_str())
                        .bind(&o.name)
                        .bind(o.kind.as_str())
                        .bind(o.members.join(";"))
                        .execute(&mut *tx)
                        .await?;
                    summary.owners_added += 1;
                    id
                }
            };
            ids.insert(&o.key, id);
        }
        let known: std::collections::HashSet<String> =
            sqlx::query_scalar("SELECT unit_no FROM units WHERE compound_id = $1")
                .bind(compound)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
        for u in &reg.units {
            let owner_id = &ids[&u.owner];
            if known.contains(u.no.as_str()) {
                sqlx::query(
                    "UPDATE units SET building_no = $1, stairwell_no = $2, floor = $3, area_e4 = $4, owner_id = $5 WHERE compound_id = $6 AND unit_no = $7",
                )
                .bind(u.building.as_str())
                .bind(u.stairwell.as_str())
                .bind(u.floor as i64)
                .bind(u.area.e4())
                .bind(owner_id)
                .bind(compound)
                .bind(u.no.as_str())
                .execute(&mut *tx)
                .await?;
                summary.units_updated += 1;
            } else {
                sqlx::query(
                    "INSERT INTO units (compound_id, unit_no, building_no, stairwell_no, floor, area_e4, owner_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(compound)
                .bind(u.no.as_str())
                .bind(u.building.as_str())
                .bind(u.stairwell.as_str())
                .bind(u.floor as i64)
                .bind(u.area.e4())
                .bind(owner_id)
                .execute(&mut *tx)
                .await?;
                summary.units_added += 1;
            }
        }
        // the register a vote's roll is frozen from is itself on the record
        let mut h = <sha2::Sha256 as sha2::Digest>::new();
        for u in &reg.units {
            for part in [u.no.as_str(), &u.area.e4().to_string(), u.owner.as_str()] {
                sha2::Digest::update(&mut h, part.as_bytes());
                sha2::Digest::update(&mut h, [0u8]);
            }
        }
        let digest = crate::kit::audit::hex(&sha2::Digest::finalize(h));
        let detail = format!(
            "units={} added={} updated={} owners={} area={} sha256={digest}",
            reg.units.len(),
            summary.units_added,
            summary.units_updated,
            reg.owners.len(),
            reg.total_area()
        );
        crate::kit::audit::append(&mut tx, compound, "registry-import", "registry.import", compound, &detail).await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// The register as it stands, units in building/stairwell/floor order.
    pub async fn registry(&self, compound: &str) -> Result<Registry> {
        let owners = sqlx::query(
            "SELECT owner_key, name, kind, members, id FROM owners WHERE compound_id = $1 ORDER BY owner_key",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        let mut by_id: HashMap<String, OwnerKey> = HashMap::new();
        let owners: Vec<Owner> = owners
            .into_iter()
            .map(|r| {
                let key = OwnerKey::from_stored(r.get::<String, _>(0));
                by_id.insert(r.get(4), key.clone());
                let members: String = r.get(3);
                Owner {
                    key,
                    name: r.get(1),
                    kind: OwnerKind::parse(&r.get::<String, _>(2)).unwrap_or(OwnerKind::Person),
                    members: members.split(';').map(String::from).collect(),
                }
            })
            .collect();
        let units = sqlx::query(
            "SELECT unit_no, building_no, stairwell_no, floor, area_e4, owner_id FROM units WHERE compound_id = $1 \
             ORDER BY LENGTH(building_no), building_no, stairwell_no, floor, unit_no",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| unit_from_row(&r, by_id[&r.get::<String, _>(5)].clone()))
        .collect::<Result<Vec<_>>>()?;
        Ok(Registry { units, owners })
    }

    pub async fn set_officers(&self, compound: &str, officers: &[OfficerRow]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM officers WHERE compound_id = $1").bind(compound).execute(&mut *tx).await?;
        for o in officers {
            sqlx::query("INSERT INTO officers (compound_id, role, unit_no, name) VALUES ($1, $2, $3, $4)")
                .bind(compound)
                .bind(&o.role)
                .bind(&o.unit)
                .bind(&o.name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn officers(&self, compound: &str) -> Result<Vec<OfficerRow>> {
        let rows =
            sqlx::query("SELECT role, unit_no, name FROM officers WHERE compound_id = $1 ORDER BY role, unit_no")
                .bind(compound)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|r| OfficerRow { role: r.get(0), unit: r.get(1), name: r.get(2) }).collect())
    }
}

/// A unit from columns (unit_no, building_no, stairwell_no, floor, area_e4, …).
pub(crate) fn unit_from_row(r: &sqlx::any::AnyRow, owner: OwnerKey) -> Result<Unit> {
    let corrupt = |what: &str| StoreError::Io(format!("stored {what} is not valid"));
    Ok(Unit {
        no: UnitNo::parse(&r.get::<String, _>(0)).ok_or_else(|| corrupt("unit number"))?,
        building: BuildingNo::parse(&r.get::<String, _>(1)).ok_or_else(|| corrupt("building"))?,
        stairwell: StairwellNo::parse(&r.get::<String, _>(2)).ok_or_else(|| corrupt("stairwell"))?,
        floor: r.get::<i64, _>(3) as i32,
        area: Area::from_e4(r.get(4)),
        owner,
    })
}
