//! Candidates for the committee and the election put to the owners: a `committee-election` matter
//! whose slate is the eligible candidates and whose ballots approve up to seats + alternates names.
//! Voting keeps the slate and the ballots (online, paper entered twice, proxy); the count is the
//! committee's, exactly by core [`count_election`].

use crate::kit::audit::append;
use crate::kit::new_id;
use crate::voting::matters::{insert_matter, set_slate};
use crate::{Actor, NewMatter, Result, Store, StoreError};
use gongzhi_core::committee::candidates::{Candidate, Nomination, Relation, check_composition, eligibility};
use gongzhi_core::committee::election::{ElectionBallot, ElectionInput, ElectionResult, count_election};
use gongzhi_core::committee::{CommitteeRefusal as R, Finding};
use gongzhi_core::kit::period::parse_day;
use gongzhi_core::kit::{Both, Lines};
use gongzhi_core::{MatterKind, MatterStatus, Scope, UnitNo};
use sqlx::Row;

/// A candidate as nominated, with the eligibility findings of today's register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateRecord {
    pub id: String,
    pub candidate: Candidate,
    /// What the candidate says about themself on the notice.
    pub statement: String,
    pub created_at: i64,
}

/// An election matter's seats and alternates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElectionSeats {
    pub seats: u32,
    pub alternates: u32,
}

fn nomination_str(n: &Nomination) -> &'static str {
    match n {
        Nomination::SelfNominated => "self-nominated",
        Nomination::ByOwners { .. } => "by-owners",
        Nomination::ReservePool => "reserve-pool",
    }
}

fn relation_str(r: Relation) -> &'static str {
    match r {
        Relation::Spouse => "spouse",
        Relation::Parent => "parent",
        Relation::Child => "child",
        Relation::Grandparent => "grandparent",
        Relation::Grandchild => "grandchild",
    }
}

/// A relation as the forms and the API write it.
pub fn parse_relation(s: &str) -> Option<Relation> {
    [Relation::Spouse, Relation::Parent, Relation::Child, Relation::Grandparent, Relation::Grandchild]
        .into_iter()
        .find(|r| relation_str(*r) == s.trim())
}

fn split(s: &str) -> impl Iterator<Item = &str> {
    s.split(';').map(str::trim).filter(|x| !x.is_empty())
}

fn candidate_from_row(r: &sqlx::any::AnyRow) -> Result<CandidateRecord> {
    let unit: String = r.get(2);
    let unit = UnitNo::parse(&unit).ok_or_else(|| StoreError::Io(format!("stored unit {unit} is not valid")))?;
    let nominators: String = r.get(4);
    let nomination = match r.get::<String, _>(3).as_str() {
        "self-nominated" => Nomination::SelfNominated,
        "reserve-pool" => Nomination::ReservePool,
        _ => Nomination::ByOwners { nominators: split(&nominators).map(String::from).collect() },
    };
    Ok(CandidateRecord {
        id: r.get(0),
        candidate: Candidate {
            name: r.get(1),
            unit,
            nomination,
            works_for_property_company: r.get::<i64, _>(5) == 1,
            relatives_at_property_company: split(&r.get::<String, _>(6)).filter_map(parse_relation).collect(),
            uncorrected: split(&r.get::<String, _>(7)).map(String::from).collect(),
            undertaking_signed: r.get::<i64, _>(8) == 1,
            party_member: r.get::<i64, _>(9) == 1,
            birth: r.get::<Option<String>, _>(10).as_deref().and_then(parse_day),
            profession: r.get(11),
            housing_type: r.get(12),
        },
        statement: r.get(13),
        created_at: r.get(14),
    })
}

const CANDIDATE_COLS: &str = "id, name, unit_no, nomination, nominators, works_for_property_company, relatives, \
                              uncorrected, undertaking_signed, party_member, birth, profession, housing_type, \
                              statement, created_at";

/// Every finding as one line in both languages.
fn lines(findings: &[Finding]) -> Lines<Both> {
    Lines(
        findings
            .iter()
            .map(|f| Both { zh: gongzhi_core::kit::Refusal::zh(f), en: gongzhi_core::kit::Refusal::en(f) })
            .collect(),
    )
}

impl Store {
    /// Puts a candidate on the list (self-nominated, nominated by owners, or recommended from the
    /// party organisation's reserve pool). Eligibility is not a reason to refuse the nomination:
    /// it is checked and shown, and an ineligible candidate cannot be put on the ballot. Audited.
    pub async fn nominate(
        &self,
        compound: &str,
        c: &Candidate,
        statement: &str,
        actor: Actor<'_>,
    ) -> Result<CandidateRecord> {
        let name = c.name.trim();
        if name.is_empty() {
            return R::CandidateNameMissing.err();
        }
        let mut tx = self.begin_write().await?;
        let twice: Option<String> = sqlx::query_scalar(
            "SELECT id FROM committee_candidates WHERE compound_id = $1 AND name = $2 AND unit_no = $3 \
             AND withdrawn_at IS NULL",
        )
        .bind(compound)
        .bind(name)
        .bind(c.unit.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if twice.is_some() {
            return R::CandidateNominatedTwice { name: name.into(), unit: c.unit.to_string() }.err();
        }
        let id = new_id();
        let nominators = match &c.nomination {
            Nomination::ByOwners { nominators } => nominators.join(";"),
            _ => String::new(),
        };
        let relatives: Vec<&str> = c.relatives_at_property_company.iter().map(|r| relation_str(*r)).collect();
        sqlx::query(
            "INSERT INTO committee_candidates (compound_id, id, name, unit_no, nomination, nominators, \
             works_for_property_company, relatives, uncorrected, undertaking_signed, party_member, birth, profession, \
             housing_type, statement, entered_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(compound)
        .bind(&id)
        .bind(name)
        .bind(c.unit.as_str())
        .bind(nomination_str(&c.nomination))
        .bind(&nominators)
        .bind(c.works_for_property_company as i64)
        .bind(relatives.join(";"))
        .bind(c.uncorrected.join(";"))
        .bind(c.undertaking_signed as i64)
        .bind(c.party_member as i64)
        .bind(c.birth.map(|d| d.to_string()))
        .bind(c.profession.trim())
        .bind(c.housing_type.trim())
        .bind(statement.trim())
        .bind(actor.id)
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        let what = format!("{name} {} {}", c.unit, nomination_str(&c.nomination));
        append(&mut tx, compound, actor.login, "committee.nominate", &id, &what).await?;
        tx.commit().await?;
        self.candidate(compound, &id).await
    }

    /// A candidate not withdrawn.
    pub async fn candidate(&self, compound: &str, id: &str) -> Result<CandidateRecord> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CANDIDATE_COLS} FROM committee_candidates WHERE compound_id = $1 AND id = $2 AND withdrawn_at IS NULL"
        )))
        .bind(compound)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => candidate_from_row(&r),
            None => R::CandidateUnknown { id: id.into() }.err(),
        }
    }

    /// The candidates not withdrawn, in the order they were nominated.
    pub async fn candidates(&self, compound: &str) -> Result<Vec<CandidateRecord>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CANDIDATE_COLS} FROM committee_candidates WHERE compound_id = $1 AND withdrawn_at IS NULL \
             ORDER BY created_at, id"
        )))
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(candidate_from_row).collect()
    }

    /// Withdraws a candidate (kept, with the day). Audited.
    pub async fn withdraw_candidate(&self, compound: &str, id: &str, actor: Actor<'_>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE committee_candidates SET withdrawn_at = $1 WHERE compound_id = $2 AND id = $3 AND withdrawn_at IS NULL",
        )
        .bind(crate::now_ms())
        .bind(compound)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return R::CandidateUnknown { id: id.into() }.err();
        }
        append(&mut tx, compound, actor.login, "committee.withdraw", id, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Drafts the election: a `committee-election` matter of the whole compound whose slate is the
    /// given candidates (each must be eligible today), each ballot approving up to
    /// `seats + alternates` names. The seats must be allowed (odd, at least the minimum): an even
    /// number is refused with the rule, never rounded. One transaction. Audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn draft_election(
        &self,
        compound: &str,
        matter: &NewMatter,
        candidate_ids: &[String],
        seats: ElectionSeats,
        settings: &gongzhi_core::committee::policy::CommitteeSettings,
        actor: Actor<'_>,
    ) -> Result<crate::Matter> {
        let registry = self.registry(compound).await?;
        let area = registry.units.iter().fold(gongzhi_core::kit::Area::ZERO, |a, u| a + u.area);
        let broken = settings.term.check_seats(seats.seats, area);
        if !broken.is_empty() {
            return R::ElectionSeats { seats: seats.seats, reasons: lines(&broken) }.err();
        }
        let (mut names, mut slate) = (Vec::new(), Vec::new());
        for id in candidate_ids {
            let c = self.candidate(compound, id).await?;
            let why = eligibility(&c.candidate, &registry, &settings.eligibility);
            if !why.is_empty() {
                return R::CandidateIneligible { name: c.candidate.name.clone(), reasons: lines(&why) }.err();
            }
            if names.contains(&c.candidate.name) {
                return R::CandidateTwice { name: c.candidate.name }.err();
            }
            names.push(c.candidate.name.clone());
            slate.push(c.candidate);
        }
        if let Some(comp) = &settings.composition {
            let unmet = check_composition(&slate, comp);
            if !unmet.is_empty() {
                return R::CompositionUnmet { reasons: lines(&unmet) }.err();
            }
        }
        if (names.len() as u32) < seats.seats {
            return R::SlateTooShort { candidates: names.len() as u32, seats: seats.seats }.err();
        }
        let m = NewMatter { kind: MatterKind::CommitteeElection, scope: Scope::Compound, ..matter.clone() };
        if m.title.trim().is_empty() {
            return gongzhi_core::voting::VotingRefusal::TitleMissing.err();
        }
        let mut tx = self.begin_write().await?;
        let id = insert_matter(&mut tx, compound, &m).await?;
        set_slate(&mut tx, compound, &id, &names, seats.seats + seats.alternates).await?;
        sqlx::query(
            "INSERT INTO committee_elections (compound_id, matter_id, seats, alternates, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(compound)
        .bind(&id)
        .bind(i64::from(seats.seats))
        .bind(i64::from(seats.alternates))
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        let what = format!("seats={} alternates={} slate={}", seats.seats, seats.alternates, names.join(";"));
        append(&mut tx, compound, actor.login, "committee.election", &id, &what).await?;
        tx.commit().await?;
        self.matter(compound, &id).await
    }

    /// An election matter's seats and alternates; refused for any other matter.
    pub async fn election_seats(&self, compound: &str, matter: &str) -> Result<ElectionSeats> {
        let row =
            sqlx::query("SELECT seats, alternates FROM committee_elections WHERE compound_id = $1 AND matter_id = $2")
                .bind(compound)
                .bind(matter)
                .fetch_optional(&self.pool)
                .await?;
        match row {
            Some(r) => Ok(ElectionSeats { seats: r.get::<i64, _>(0) as u32, alternates: r.get::<i64, _>(1) as u32 }),
            None => R::NotAnElection { matter: matter.into() }.err(),
        }
    }

    /// The compound's election matters, newest first.
    pub async fn elections(&self, compound: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT matter_id FROM committee_elections WHERE compound_id = $1 ORDER BY created_at DESC, matter_id",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The count of a closed election, exactly by the rule: the frozen roll, the slate and every
    /// ballot's approvals.
    pub async fn election_result(&self, compound: &str, matter: &str) -> Result<ElectionResult> {
        let seats = self.election_seats(compound, matter).await?;
        let m = self.matter(compound, matter).await?;
        if m.status != MatterStatus::Closed {
            return R::ElectionNotClosed { matter: m.title }.err();
        }
        let roll = self.roll(compound, matter).await?;
        let slate = self.slate(compound, matter).await?;
        let ballots: Vec<ElectionBallot> = self
            .slate_ballots(compound, matter)
            .await?
            .into_iter()
            .map(|(unit, approve)| ElectionBallot { unit, approve, row: 0 })
            .collect();
        let input = ElectionInput {
            units: &roll,
            slate: &slate,
            seats: seats.seats,
            alternates: seats.alternates,
            ballots: &ballots,
        };
        count_election(&input).map_err(StoreError::Refused)
    }
}

impl Store {
    /// Records the committee a closed election elected as the incoming term (its seats, the
    /// elected as members in ranking order, the alternates in order; each member's unit and party
    /// membership from their nomination), and the change of term's election step on the day the
    /// vote closed. It takes office when the change of term is filed. One transaction. Audited.
    pub async fn seat_elected(&self, compound: &str, matter: &str, actor: Actor<'_>) -> Result<String> {
        use crate::committee::NewMember;
        use gongzhi_core::committee::term::{Member, Office};
        let result = self.election_result(compound, matter).await?;
        let current =
            self.committee_term(compound).await?.ok_or_else(|| gongzhi_core::kit::KitRefusal::NotFound.refused())?;
        if self.incoming_term(compound).await?.is_some() {
            return R::AlreadySeated.err();
        }
        if result.elected.is_empty() {
            return R::NobodyElected.err();
        }
        let m = self.matter(compound, matter).await?;
        let elected_on = gongzhi_core::kit::period::day_of(m.closed_at.unwrap_or_else(crate::now_ms));
        let candidates = self.candidates(compound).await?;
        let of = |name: &str, alternate: bool| {
            let c = candidates.iter().find(|c| c.candidate.name == name).map(|c| &c.candidate);
            NewMember {
                member: Member {
                    name: name.into(),
                    office: Office::Member,
                    party_member: c.is_some_and(|c| c.party_member),
                    undertaking_signed: c.filter(|c| c.undertaking_signed).map(|_| elected_on),
                    trained: None,
                },
                unit: c.map(|c| c.unit.to_string()),
                alternate,
            }
        };
        let mut members: Vec<NewMember> = result.elected.iter().map(|n| of(n, false)).collect();
        members.extend(result.alternates.iter().map(|n| of(n, true)));
        let mut tx = self.begin_write().await?;
        let id = crate::committee::insert_term(
            &mut tx,
            compound,
            (result.seats, elected_on, current.committee.term_years),
            &members,
            Some(&current.id),
            actor,
        )
        .await?;
        if current.change.elected.is_none() {
            sqlx::query("UPDATE committee_terms SET elected = $1 WHERE compound_id = $2 AND id = $3")
                .bind(elected_on.to_string())
                .bind(compound)
                .bind(&current.id)
                .execute(&mut *tx)
                .await?;
        }
        append(&mut tx, compound, actor.login, "committee.step", &current.id, &format!("elected={elected_on}")).await?;
        tx.commit().await?;
        Ok(id)
    }
}
