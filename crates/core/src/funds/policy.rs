//! Who may do what with the books, and the compound's settings for them, in one place.

use super::deadlines::AuditPeriods;
use super::fund::ReplenishRule;
use super::ledger::LedgerSettings;

crate::policy! {
    /// What can be done with the books. The committee (its treasurer is a committee member)
    /// keeps them; the residents' committee and the party branch read them (Art. 13: spending is
    /// reported to both); owners read the statements posted to them, and their own building's
    /// and household's figures.
    pub enum FundsAction {
        /// Enter transactions and reversals by hand, import a sheet, book a quarter's top-up.
        KeepBooks("记账", "keep the books") => [Compound(CommitteeMember), Compound(CommitteeDirector)];
        /// Record standing authorisations, works contracts and cost reviews.
        RecordAuthorities("登记授权与合同", "record authorisations and contracts") => [Compound(CommitteeDirector)];
        /// Post the quarter's statement and the half-yearly fund statement as notices.
        PostStatements("公布账目", "post statements") => [Compound(CommitteeMember), Compound(CommitteeDirector)];
        /// Read every account and transaction of the compound.
        ReadBooks("查看全部账目", "read the books") =>
            [Compound(CommitteeMember), Compound(CommitteeDirector), Compound(RcStaff), Compound(PartySecretary)];
        /// Read the posted statements of the compound and of every building.
        ReadStatements("查看公布的账目", "read posted statements") => [
            Compound(Owner),
            Compound(BuildingLeader),
            Compound(OwnerRepresentative),
            Compound(CommitteeMember),
            Compound(CommitteeDirector),
            Compound(RcStaff),
            Compound(PartySecretary),
            Compound(PropertyManager),
        ];
        /// Read one's own building's figures and one's household's fund balance.
        ReadOwnFigures("查看本楼和本户数据", "read one's building's and household's figures") => [OwnBuilding(Owner)];
    }
}

/// The audit actions the funds write: every transaction and reversal, imports, the rate,
/// authorisations, contracts and reviews, quarters booked and statements posted, audits.
pub const AUDIT_ACTIONS: &[&str] = &[
    "funds.audit",
    "funds.authorisation",
    "funds.book-quarter",
    "funds.contract",
    "funds.import",
    "funds.post",
    "funds.post-statement",
    "funds.rate",
    "funds.reverse",
    "funds.review",
];

/// The compound's settings for its funds, with the defaults of law-and-practice §6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FundsSettings {
    pub ledger: LedgerSettings,
    /// When and how far a low household fund is replenished (Provisions Art. 65; a covenant
    /// may say otherwise).
    pub replenish: ReplenishRule,
    pub audit: AuditPeriods,
    /// Days before a statement's or transfer's date that the reminder starts.
    pub remind_days: i64,
}

impl Default for FundsSettings {
    fn default() -> Self {
        FundsSettings {
            ledger: LedgerSettings::default(),
            replenish: ReplenishRule::default(),
            audit: AuditPeriods::default(),
            remind_days: 5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::policy::{Subject, allows};
    use crate::accounts::{Member, MemberUnit, Relation, Role};

    fn may(roles: &[Role], action: FundsAction) -> bool {
        let unit = MemberUnit { unit: crate::UnitNo::parse("13-701").unwrap(), relation: Relation::Owner, voter: true };
        let m = Member { roles: roles.to_vec(), units: vec![unit] };
        allows(&m, action, Subject::Building("13"))
    }

    #[test]
    fn owners_read_statements_but_keep_no_books() {
        assert!(may(&[Role::Owner], FundsAction::ReadStatements));
        assert!(may(&[Role::Owner], FundsAction::ReadOwnFigures));
        assert!(!may(&[Role::Owner, Role::Resident, Role::Volunteer], FundsAction::KeepBooks));
        assert!(!may(&[Role::PropertyManager], FundsAction::ReadBooks));
        assert!(may(&[Role::RcStaff], FundsAction::ReadBooks));
        assert!(may(&[Role::CommitteeMember], FundsAction::KeepBooks));
        assert!(!may(&[Role::CommitteeMember], FundsAction::RecordAuthorities));
    }

    #[test]
    fn the_default_settings_are_the_laws() {
        let s = FundsSettings::default();
        assert_eq!(s.ledger.price_review_at.to_string(), "50000.00");
        assert_eq!((s.replenish.below_ppm, s.replenish.target_ppm, s.replenish.pay_days), (300_000, 500_000, 90));
        assert!(s.replenish.validate().is_ok());
        assert_eq!(s.audit.appointment_notice_days, 7);
    }
}
