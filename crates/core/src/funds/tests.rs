//! The ledger's guards on worked cases, and its invariants as properties.

use super::account::{Account, CostKind, FundPart, Source};
use super::fund::{
    DrawRule, DrawTerms, check_draw, draw_draft, draw_limits, first_contributions, fund_balances, to_replenish,
};
use super::ledger::*;
use super::quarter::Rate;
use crate::kit::Money;
use crate::registry::{BuildingNo, RawRow, Registry, UnitNo};
use jiff::civil::{Date, date};
use proptest::prelude::*;

fn y(yuan: i64) -> Money {
    Money::from_fen(yuan * 100)
}

fn unit(s: &str) -> UnitNo {
    UnitNo::parse(s).unwrap()
}

fn b13() -> BuildingNo {
    BuildingNo::parse("13").unwrap()
}

fn income(day: Date, amount: Money) -> Draft {
    Draft::on(day).debit(Account::Bank, amount).credit(Account::Income(Source::Parking), amount)
}

fn spend(day: Date, amount: Money) -> Draft {
    Draft::on(day).debit(Account::Spending, amount).credit(Account::Revenue, amount)
}

fn code<T: std::fmt::Debug>(r: Result<T, crate::kit::Refused>) -> &'static str {
    r.unwrap_err().code()
}

#[test]
fn a_transaction_must_balance_in_fen_with_two_nonzero_postings_to_known_accounts() {
    let mut l = Ledger::new(Chart::any());
    let d = date(2026, 1, 5);
    assert_eq!(code(l.post(Draft::on(d).debit(Account::Bank, y(1)), None)), "funds.too-few-postings");
    let off = Draft::on(d).debit(Account::Bank, y(100)).credit(Account::Income(Source::Advert), Money::from_fen(9_999));
    let e = l.post(off, None).unwrap_err();
    assert_eq!(
        (e.code(), e.en()),
        ("funds.unbalanced", "the postings do not sum to zero: they are off by 0.01 yuan".into())
    );
    let zero = income(d, y(1)).debit(Account::Cash, Money::ZERO);
    assert_eq!(code(l.post(zero, None)), "funds.zero-posting");
    assert_eq!(code(l.post(income(d, Money::from_fen(MAX_POSTING.fen() + 1)), None)), "funds.amount-too-large");
    assert!(l.transactions().is_empty());

    let reg = Registry::from_rows(&[RawRow {
        row: 2,
        unit: "701".into(),
        building: "13".into(),
        stairwell: "1".into(),
        floor: "7".into(),
        area: "80".into(),
        owner: "张三".into(),
        owner_id: String::new(),
    }])
    .unwrap();
    let mut l = Ledger::new(Chart::of(&reg));
    let to = |a: &str| Draft::on(d).debit(Account::parse(a).unwrap(), y(5)).credit(Account::Contributions, y(5));
    assert!(l.post(to("fund:13-701"), None).is_ok());
    let e = l.post(to("fund:13-702"), None).unwrap_err();
    assert!(e.en().starts_with("unknown account 'fund:13-702' (accounts: "), "{}", e.en());
    assert_eq!(code(l.post(to("fund:12"), None)), "funds.unknown-account");
    assert_eq!(
        code(l.post(income(d, y(1)).building(BuildingNo::parse("12").unwrap()), None)),
        "funds.unknown-building"
    );
    assert!(l.post(income(d, y(1)).building(b13()), None).is_ok());
}

#[test]
fn spending_needs_a_passed_vote_or_a_standing_authorisation_within_its_limits() {
    let mut l = Ledger::new(Chart::any());
    let d = date(2026, 3, 1);
    l.post(income(d, y(200_000)), None).unwrap();
    let e = l.post(spend(d, y(800)), None).unwrap_err();
    assert_eq!(
        e.en(),
        "spending of 800.00 yuan cites no authority: link it to a passed vote or a standing authorisation"
    );
    let voted = || spend(d, y(800)).link(Link::Matter { matter: "shortcut".into() });
    let e = l.post(voted(), Some(MatterStatus::NotPassed)).unwrap_err();
    assert_eq!(
        (e.code(), e.zh()),
        ("funds.matter-not-passed", "表决事项 shortcut 未通过：只有已通过的表决才能授权支出。".into())
    );
    assert_eq!(code(l.post(voted(), None)), "funds.matter-not-passed");
    assert_eq!(l.post(voted(), Some(MatterStatus::Passed)).unwrap(), Posted { id: 2, price_review: false });

    l.authorise(StandingAuthorisation {
        id: "A1".into(),
        pays: Pays::PublicRevenue,
        cases: "small repairs".into(),
        per_item: y(2_000),
        total: Some(y(3_000)),
        from: date(2026, 1, 1),
        until: date(2026, 12, 31),
    })
    .unwrap();
    let auth = |day: Date, amount: Money| spend(day, amount).link(Link::Authorisation { authorisation: "A1".into() });
    assert!(l.post(auth(d, y(2_000)), None).is_ok());
    let e = l.post(auth(d, Money::from_fen(200_001)), None).unwrap_err();
    assert_eq!(
        e.en(),
        "2000.01 yuan is over standing authorisation A1's limit of 2000.00 yuan per item: it needs a vote"
    );
    let e = l.post(auth(d, Money::from_fen(100_001)), None).unwrap_err();
    assert_eq!(e.code(), "funds.authorisation-exhausted");
    assert_eq!(code(l.post(auth(date(2027, 1, 1), y(1)), None)), "funds.outside-authorisation-period");
    assert!(l.post(auth(d, y(1_000)), None).is_ok());
    assert_eq!(l.authorisation_used("A1"), y(3_000));
    // a reversal gives the authorisation its room back
    l.reverse(3, d, "wrong invoice").unwrap();
    assert_eq!(l.authorisation_used("A1"), y(1_000));
    assert!(l.post(auth(d, y(2_000)), None).is_ok());
    let fund_auth = Draft::on(d).debit(Account::Spending, y(1)).credit(Account::Fund(FundPart::Pool), y(1));
    let e = l.post(fund_auth.link(Link::Authorisation { authorisation: "A1".into() }), None).unwrap_err();
    assert_eq!(e.en(), "standing authorisation A1 only covers spending from public revenue");
    assert_eq!(
        code(l.post(spend(d, y(1)).link(Link::Authorisation { authorisation: "A9".into() }), None)),
        "funds.unknown-authorisation"
    );
}

#[test]
fn public_revenue_works_of_50000_or_more_are_flagged_for_a_price_review_over_all_their_payments() {
    let mut l = Ledger::new(Chart::any());
    let d = date(2026, 3, 1);
    l.post(income(d, y(500_000)), None).unwrap();
    let works = |amount: Money| spend(d, amount).link(Link::Matter { matter: "wall".into() });
    let p = l.post(works(Money::from_fen(4_999_999)), Some(MatterStatus::Passed)).unwrap();
    assert!(!p.price_review);
    // the second payment brings the works to 50,000.00: 5万元以上 includes 50,000
    let p = l.post(works(Money::from_fen(1)), Some(MatterStatus::Passed)).unwrap();
    assert!(p.price_review && l.get(p.id).unwrap().price_review);
    let once = spend(d, y(50_000)).link(Link::Matter { matter: "path".into() });
    assert!(l.post(once, Some(MatterStatus::Passed)).unwrap().price_review);
}

fn lift_ledger() -> Ledger {
    let mut l = Ledger::new(Chart::any());
    let d = date(2026, 1, 5);
    for (u, fen) in [("13-701", 15_000_000), ("13-601", 15_000_000)] {
        let c = Draft::on(d).debit(Account::Fund(FundPart::Household(unit(u))), Money::from_fen(fen));
        l.post(c.credit(Account::Contributions, Money::from_fen(fen)), None).unwrap();
    }
    l.record_contract(WorksContract {
        project: "lift-13".into(),
        matter: "m-lift".into(),
        contract: y(200_000),
        reviewed: None,
    })
    .unwrap();
    l
}

fn lift_draw(amount: Money) -> Draft {
    let half = amount.fen() / 2;
    draw_draft(
        date(2026, 6, 1),
        "lift-13",
        "m-lift",
        &[
            (FundPart::Household(unit("13-701")), Money::from_fen(amount.fen() - half)),
            (FundPart::Household(unit("13-601")), Money::from_fen(half)),
        ],
    )
}

#[test]
fn building_13s_lift_draws_follow_the_30_90_and_reviewed_rules_in_the_ledger() {
    let mut l = lift_ledger();
    let passed = Some(MatterStatus::Passed);
    let e = l.post(lift_draw(Money::from_fen(6_000_001)), passed).unwrap_err();
    assert_eq!(
        e.en(),
        "drawing 60000.01 yuan for project lift-13 is over the limit of 60000.00 yuan (rule first-draw-30)"
    );
    assert_eq!(code(l.post(lift_draw(y(60_000)), Some(MatterStatus::Undecided))), "funds.matter-not-passed");
    let unlinked = Draft { link: None, ..lift_draw(y(1)) };
    assert_eq!(code(l.post(unlinked, None)), "funds.draw-without-project");
    let other =
        Draft { link: Some(Link::Project { project: "lift-13".into(), matter: "m-x".into() }), ..lift_draw(y(1)) };
    assert_eq!(code(l.post(other, passed)), "funds.draw-matter-mismatch");
    let first = l.post(lift_draw(y(60_000)), passed).unwrap();
    // a reversed first draw leaves the next one the first again
    l.reverse(first.id, date(2026, 6, 2), "paid to the wrong contractor").unwrap();
    assert_eq!(l.draw_history("lift-13"), DrawHistory { paid: Money::ZERO, draws: 0 });
    assert_eq!(code(l.post(lift_draw(y(60_001)), passed)), "funds.draw-over-limit");
    l.post(lift_draw(y(60_000)), passed).unwrap();
    l.post(lift_draw(y(60_000)), passed).unwrap();
    l.post(lift_draw(y(60_000)), passed).unwrap();
    assert_eq!(l.draw_history("lift-13"), DrawHistory { paid: y(180_000), draws: 3 });
    let e = l.post(lift_draw(Money::from_fen(1)), passed).unwrap_err();
    assert!(e.en().ends_with("(rule before-review-90)"), "{}", e.en());
    l.record_review("lift-13", y(190_000)).unwrap();
    assert!(
        l.post(lift_draw(Money::from_fen(1_000_001)), passed).unwrap_err().en().ends_with("(rule reviewed-amount)")
    );
    l.post(lift_draw(y(10_000)), passed).unwrap();
    let on = date(2026, 12, 31);
    assert_eq!(l.fund_balance(&FundPart::Building(b13()), on), y(300_000 - 190_000));
    assert_eq!(l.fund_balance(&FundPart::Household(unit("13-701")), on), y(150_000 - 95_000));
    assert_eq!(l.balance(&Account::Spending, on), y(190_000));
    let f = fund_balances(&l, on);
    assert_eq!((f.buildings.len(), f.households.len(), f.total), (1, 2, y(110_000)));
    // public revenue paying beside a draw needs its own authority
    let mixed = lift_draw(y(1)).debit(Account::Spending, y(5)).credit(Account::Revenue, y(5));
    assert_eq!(
        l.post(mixed, passed).unwrap_err().en(),
        "spending of 5.00 yuan cites no authority: link it to a passed vote or a standing authorisation"
    );
    // a spending link to a project that is not a draw is refused
    let wrong = spend(on, y(1)).link(Link::Project { project: "lift-13".into(), matter: "m-lift".into() });
    assert_eq!(code(l.post(wrong, passed)), "funds.project-link-not-a-draw");
}

#[test]
fn a_household_drawn_below_30_percent_of_its_first_contribution_is_flagged() {
    let mut l = lift_ledger();
    l.record_review("lift-13", y(190_000)).unwrap();
    for _ in 0..3 {
        l.post(lift_draw(y(60_000)), Some(MatterStatus::Passed)).unwrap();
    }
    l.post(lift_draw(y(10_000)), Some(MatterStatus::Passed)).unwrap();
    let firsts = first_contributions(&l);
    assert_eq!(firsts[&unit("13-701")], y(150_000));
    // each household has 55,000 of 150,000 left: above 45,000 (30%), nothing to flag
    assert!(to_replenish(&l, date(2026, 12, 31), &Default::default()).is_empty());
    let more = Draft::on(date(2026, 7, 1))
        .debit(Account::Spending, y(20_000))
        .credit(Account::Fund(FundPart::Household(unit("13-701"))), y(20_000))
        .link(Link::Project { project: "lift-13".into(), matter: "m-lift".into() });
    // the reviewed amount is reached: the fund pays no more
    assert_eq!(code(l.post(more, Some(MatterStatus::Passed))), "funds.draw-over-limit");
    let r =
        to_replenish(&l, date(2026, 12, 31), &super::fund::ReplenishRule { below_ppm: 400_000, ..Default::default() });
    assert_eq!(r.len(), 2);
    assert_eq!((r[0].household.as_str(), r[0].demand), ("13-601", y(75_000 - 55_000)));
}

#[test]
fn reversals_are_once_never_of_a_reversal_and_never_backdated() {
    let mut l = Ledger::new(Chart::any());
    l.post(income(date(2026, 1, 5), y(10)), None).unwrap();
    assert_eq!(code(l.reverse(1, date(2026, 1, 4), "")), "funds.reversal-before-entry");
    assert_eq!(l.reverse(1, date(2026, 1, 6), "typo").unwrap().id, 2);
    assert_eq!(l.reversed_by(1), Some(2));
    assert_eq!(
        l.reverse(1, date(2026, 1, 6), "").unwrap_err().en(),
        "transaction 1 was already reversed by transaction 2"
    );
    assert_eq!(code(l.reverse(2, date(2026, 1, 6), "")), "funds.reversing-a-reversal");
    assert_eq!(code(l.reverse(9, date(2026, 1, 6), "")), "funds.unknown-transaction");
    // the balance on the 5th still shows the entry; from the 6th it is gone
    assert_eq!(l.balance(&Account::Bank, date(2026, 1, 5)), y(10));
    assert_eq!(l.balance(&Account::Bank, date(2026, 1, 6)), Money::ZERO);
}

#[test]
fn a_balance_assertion_checks_the_books_against_the_bank() {
    let mut l = Ledger::new(Chart::any());
    l.post(income(date(2026, 1, 5), y(10)), None).unwrap();
    assert!(l.assert_balance(&Account::Bank, date(2026, 1, 5), y(10)).is_ok());
    let e = l.assert_balance(&Account::Bank, date(2026, 1, 4), y(10)).unwrap_err();
    assert_eq!(e.en(), "at the close of 2026-01-04 bank should be 10.00 yuan but the books say 0.00");
    let tb = l.trial_balance(date(2026, 1, 31));
    assert_eq!((tb.debits, tb.credits, tb.total), (y(10), y(10), Money::ZERO));
}

// ----- properties -----

const ACCOUNTS: [&str; 9] =
    ["bank", "cash", "revenue", "fund", "fund:13-701", "contributions", "income:advert", "cost:tax", "spending"];

fn arb_draft() -> impl Strategy<Value = (Draft, bool)> {
    let posting = (0..ACCOUNTS.len(), -50_000i64..50_000);
    (0u32..200, proptest::collection::vec(posting, 1..5), any::<bool>(), any::<bool>()).prop_map(
        |(day, ps, balance, linked)| {
            let mut d = Draft::on(date(2026, 1, 1).checked_add(jiff::Span::new().days(i64::from(day))).unwrap());
            for (a, fen) in ps {
                d.postings
                    .push(Posting { account: Account::parse(ACCOUNTS[a]).unwrap(), amount: Money::from_fen(fen) });
            }
            if balance {
                let sum: i64 = d.postings.iter().map(|p| p.amount.fen()).sum();
                d.postings.push(Posting { account: Account::Bank, amount: Money::from_fen(-sum) });
            }
            if linked {
                d.link = Some(Link::Matter { matter: "m".into() });
            }
            (d, linked)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_trial_balance_is_zero_whatever_was_posted_or_refused(drafts in proptest::collection::vec(arb_draft(), 0..30), day in 0u32..220) {
        let mut l = Ledger::new(Chart::any());
        for (d, linked) in drafts {
            let _ = l.post(d, linked.then_some(MatterStatus::Passed));
        }
        for t in l.transactions() {
            prop_assert!(t.postings.len() >= 2);
            prop_assert_eq!(t.postings.iter().map(|p| p.amount.fen()).sum::<i64>(), 0);
        }
        let on = date(2026, 1, 1).checked_add(jiff::Span::new().days(i64::from(day))).unwrap();
        let tb = l.trial_balance(on);
        prop_assert_eq!(tb.total, Money::ZERO);
        prop_assert_eq!(tb.debits, tb.credits);
    }

    #[test]
    fn a_reversal_restores_every_balance(drafts in proptest::collection::vec(arb_draft(), 1..20), pick in any::<proptest::sample::Index>()) {
        let mut l = Ledger::new(Chart::any());
        for (d, linked) in drafts {
            let _ = l.post(d, linked.then_some(MatterStatus::Passed));
        }
        prop_assume!(!l.transactions().is_empty());
        let end = date(2026, 12, 31);
        let t = l.transactions()[pick.index(l.transactions().len())].clone();
        let mut without = l.balances(end);
        for p in &t.postings {
            let e = without.entry(p.account.clone()).or_default();
            *e = Money::from_fen(e.fen() - p.amount.fen());
        }
        without.retain(|_, m| m.fen() != 0);
        l.reverse(t.id, t.date, "undo").unwrap();
        let mut after = l.balances(end);
        after.retain(|_, m| m.fen() != 0);
        prop_assert_eq!(after, without);
        // and before the reversal's date the entry still stands
        if let Ok(before) = t.date.yesterday() {
            prop_assert_eq!(l.trial_balance(before).total, Money::ZERO);
        }
    }

    #[test]
    fn a_ledger_restored_from_its_transactions_has_every_balance_it_had(drafts in proptest::collection::vec(arb_draft(), 0..20), undo in any::<proptest::sample::Index>()) {
        let mut l = Ledger::new(Chart::any());
        for (d, linked) in drafts {
            let _ = l.post(d, linked.then_some(MatterStatus::Passed));
        }
        if !l.transactions().is_empty() {
            let t = l.transactions()[undo.index(l.transactions().len())].clone();
            let _ = l.reverse(t.id, t.date, "undo");
        }
        let mut back = Ledger::new(Chart::any());
        for t in l.transactions() {
            back.restore(t.clone()).unwrap();
        }
        let end = date(2026, 12, 31);
        prop_assert_eq!(back.balances(end), l.balances(end));
        for t in l.transactions() {
            prop_assert_eq!(back.reversed_by(t.id), l.reversed_by(t.id));
        }
        // out of sequence, or unbalanced, is refused
        if let Some(t) = l.transactions().first() {
            prop_assert!(back.restore(t.clone()).is_err());
        }
    }

    #[test]
    fn the_top_up_is_more_than_half_and_never_more_than_the_net(net in -1_000_000_000i64..100_000_000_000, ppm in 500_001i64..=1_000_000) {
        let rate = Rate::parse(&format!("0.{ppm:06}")).or_else(|_| Rate::parse("1")).unwrap();
        let t = rate.top_up(Money::from_fen(net)).fen();
        prop_assert!(t >= 0);
        prop_assert!(t <= net.max(0));
        prop_assert!(2 * t >= net.max(0));
        // exactly the half-up rounding of net × ppm / 10^6
        if net > 0 { prop_assert_eq!(t, ((net as i128 * ppm as i128 * 2 + 1_000_000) / 2_000_000) as i64); }
    }

    #[test]
    fn draw_limits_shrink_as_more_is_paid_and_grow_with_the_review(
        contract in 1i64..10_000_000_000, paid_a in 0i64..10_000_000_000, paid_b in 0i64..10_000_000_000,
        first in any::<bool>(), reviewed in proptest::option::of(1i64..12_000_000_000), extra in 0i64..1_000_000,
    ) {
        let (lo, hi) = (paid_a.min(paid_b).min(contract), paid_a.max(paid_b).min(contract));
        let terms = |paid: i64, reviewed: Option<i64>| DrawTerms {
            contract: Money::from_fen(contract), paid: Money::from_fen(paid), first, reviewed: reviewed.map(Money::from_fen),
        };
        let limit = |t: &DrawTerms| check_draw(t, Money::ZERO).limit.fen();
        prop_assert!(limit(&terms(hi, reviewed)) <= limit(&terms(lo, reviewed)));
        if let Some(v) = reviewed {
            prop_assert!(limit(&terms(lo, Some(v))) <= limit(&terms(lo, Some(v + extra))));
        }
        let t = terms(lo, reviewed);
        let l = limit(&t);
        prop_assert!(l >= 0);
        prop_assert!(check_draw(&t, Money::from_fen(l)).allowed);
        let refused = check_draw(&t, Money::from_fen(l + 1));
        prop_assert!(!refused.allowed);
        prop_assert_eq!(refused.rule, Some(refused.binding));
    }
}

/// Brute force on small contracts: the limit is the largest amount every applicable rule allows.
#[test]
fn the_draw_limit_is_the_largest_amount_all_rules_allow() {
    for contract in 1..=40i64 {
        for paid in 0..=contract {
            for reviewed in [None, Some(1), Some(contract / 2 + 1), Some(contract), Some(contract + 7)] {
                for first in [true, false] {
                    let t = DrawTerms {
                        contract: Money::from_fen(contract),
                        paid: Money::from_fen(paid),
                        first,
                        reviewed: reviewed.map(Money::from_fen),
                    };
                    let ok = |a: i64| {
                        (!first || 10 * (paid + a) <= 3 * contract)
                            && match reviewed {
                                None => 10 * (paid + a) <= 9 * contract,
                                Some(v) => paid + a <= v,
                            }
                    };
                    let best = (0..=contract + 10).filter(|a| ok(*a)).max().unwrap_or(0);
                    assert_eq!(check_draw(&t, Money::ZERO).limit.fen(), best, "{t:?}");
                    let binding = draw_limits(&t).into_iter().min_by_key(|(_, l)| *l).unwrap().0;
                    assert_eq!(check_draw(&t, Money::from_fen(best + 1)).rule, Some(binding));
                    if first && reviewed.is_none() {
                        assert_eq!(binding, DrawRule::FirstDraw30);
                    }
                }
            }
        }
    }
}

#[test]
fn cost_accounts_feed_the_statement_but_not_the_fund() {
    let mut l = Ledger::new(Chart::any());
    let d = date(2026, 2, 1);
    l.post(Draft::on(d).debit(Account::Cost(CostKind::Labour), y(5)).credit(Account::Bank, y(5)), None).unwrap();
    assert_eq!(fund_balances(&l, d).total, Money::ZERO);
    assert_eq!(l.balance(&Account::Bank, d), y(-5));
}

#[test]
fn a_fund_authorisation_pays_small_repairs_without_a_project_within_its_limit() {
    let mut l = lift_ledger();
    l.authorise(StandingAuthorisation {
        id: "F1".into(),
        pays: Pays::MaintenanceFund,
        cases: "pumps and water tanks".into(),
        per_item: y(5_000),
        total: None,
        from: date(2026, 1, 1),
        until: date(2026, 12, 31),
    })
    .unwrap();
    let repair = |amount: Money| {
        Draft::on(date(2026, 8, 1))
            .debit(Account::Spending, amount)
            .credit(Account::Fund(FundPart::Household(unit("13-701"))), amount)
            .link(Link::Authorisation { authorisation: "F1".into() })
    };
    assert!(l.post(repair(y(5_000)), None).is_ok());
    assert_eq!(code(l.post(repair(y(5_001)), None)), "funds.over-authorisation-limit");
    assert_eq!(l.authorisation_used("F1"), y(5_000));
    let e = l.post(spend(date(2026, 8, 1), y(1)).link(Link::Authorisation { authorisation: "F1".into() }), None);
    assert_eq!(code(e), "funds.authorisation-other-fund");
    let bad =
        StandingAuthorisation { id: "F2".into(), from: date(2027, 1, 1), ..l.authorisation("F1").unwrap().clone() };
    assert_eq!(code(l.authorise(bad)), "funds.bad-authorisation");
    assert_eq!(code(l.authorise(l.authorisation("F1").unwrap().clone())), "funds.duplicate-authorisation");
}
