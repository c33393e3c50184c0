//! Voting: matters, notices counted in calendar days, ballots on every channel, tallies.
#![allow(unused_imports)]

use crate::*;
use gongzhi_core::voting::tally::{Delivery, TallyInput, tally};
use gongzhi_core::{Channel, Choice, MatterKind, MatterStatus, Scope, UnitNo};
use gongzhi_store::kit::testing::on_each_backend;
use gongzhi_store::{Actor, NewMatter, Store, StoreError, read_registry};

#[tokio::test]
async fn a_matter_runs_from_draft_to_a_published_tally() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let m = store.create_matter(&c, &new_matter(MatterKind::Alteration, "building:13"), SYS).await.unwrap();
        assert_eq!(m.status.as_str(), "draft");
        let err =
            store.cast_ballot(&c, &m.id, &unit("13-701"), Choice::Approve, Channel::Online, SYS).await.unwrap_err();
        assert_eq!(err.code(), Some("voting.not-open-for-voting"), "{err}");

        open(&store, &c, &m.id).await;
        // the roll is frozen: a later change to the register does not move it
        let mut reg = store.registry(&c).await.unwrap();
        reg.units[0].area = gongzhi_core::Area::from_e4(1);
        store.import_registry(&c, &reg).await.unwrap();
        let roll = store.roll(&c, &m.id).await.unwrap();
        assert_eq!(roll.len(), 4, "only building 13");
        assert_eq!(roll.iter().map(|u| u.area.e4()).sum::<i64>(), 805_200 + 901_234 + 805_200 + 900_000);

        let r1 = store.cast_ballot(&c, &m.id, &unit("13-701"), Choice::Approve, Channel::Online, SYS).await.unwrap();
        assert_eq!(r1.len(), 19);
        store.cast_ballot(&c, &m.id, &unit("13-702"), Choice::Approve, Channel::Paper, SYS).await.unwrap();
        store.cast_ballot(&c, &m.id, &unit("13-601"), Choice::Approve, Channel::Proxy, SYS).await.unwrap();
        let dup = store.cast_ballot(&c, &m.id, &unit("13-701"), Choice::Oppose, Channel::Paper, SYS).await.unwrap_err();
        assert_eq!(dup.code(), Some("voting.unit-already-voted"), "{dup}");
        assert_eq!(dup.refused().unwrap().values()["unit"], "13-701");
        let outside =
            store.cast_ballot(&c, &m.id, &unit("12-101"), Choice::Approve, Channel::Online, SYS).await.unwrap_err();
        assert_eq!(outside.code(), Some("voting.unit-outside-scope"), "{outside}");
        assert_eq!(outside.refused().unwrap().values()["scope"], "building:13");
        let unknown =
            store.cast_ballot(&c, &m.id, &unit("13-999"), Choice::Approve, Channel::Online, SYS).await.unwrap_err();
        assert_eq!(unknown.code(), Some("voting.unit-not-in-register"), "{unknown}");

        let live = store.tally(&c, &m.id).await.unwrap();
        let t = close_after_window(&store, &c, &m.id).await.unwrap();
        assert_eq!(live, t);
        // 张三 owns 702 and 601 and counts once: 2 of 3 owners took part, 2 approve
        assert_eq!((t.eligible.owners, t.participating.owners, t.approve.owners), (3, 2, 2));
        assert!(t.passed);
        let core = tally(&TallyInput {
            units: &roll,
            scope: &Scope::parse("building:13").unwrap(),
            kind: MatterKind::Alteration,
            ballots: &store.ballots(&c, &m.id).await.unwrap().into_iter().map(|b| b.0).collect::<Vec<_>>(),
            delivered: None,
        })
        .unwrap();
        assert_eq!(core, t);
        let published = store.published_tally(&c, &m.id).await.unwrap().unwrap();
        assert_eq!(published, serde_json::to_string(&t).unwrap());
        let late =
            store.cast_ballot(&c, &m.id, &unit("13-602"), Choice::Approve, Channel::Online, SYS).await.unwrap_err();
        assert_eq!(late.code(), Some("voting.not-open-for-voting"), "{late}");
        assert_eq!(late.refused().unwrap().values()["status"], "closed");
        assert!(close_after_window(&store, &c, &m.id).await.is_err());
        assert_eq!(store.matter(&c, &m.id).await.unwrap().ballots_cast, 3);
    })
    .await;
}

#[tokio::test]
async fn one_ballot_per_unit_is_a_database_constraint() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        open(&store, &c, &m.id).await;
        store.cast_ballot(&c, &m.id, &unit("13-701"), Choice::Approve, Channel::Online, SYS).await.unwrap();
        let raw = sqlx::query(
            "INSERT INTO ballots (compound_id, matter_id, unit_no, choice, channel, receipt, cast_at) VALUES ($1, $2, '13-701', 'oppose', 'paper', 'X', 0)",
        )
        .bind(&c)
        .bind(&m.id)
        .execute(&store.pool)
        .await
        .unwrap_err();
        assert!(matches!(raw, sqlx::Error::Database(ref d) if d.is_unique_violation()), "{raw}");
    })
    .await;
}

#[tokio::test]
async fn concurrent_ballots_for_one_unit_yield_exactly_one() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        open(&store, &c, &m.id).await;
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let (store, c, id) = (store.clone(), c.clone(), m.id.clone());
                tokio::spawn(async move {
                    let ch = if i % 2 == 0 { Choice::Approve } else { Choice::Oppose };
                    store.cast_ballot(&c, &id, &UnitNo::parse("13-602").unwrap(), ch, Channel::Online, SYS).await
                })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(e)
                    if e.code() == Some("voting.unit-already-voted")
                        || e.code() == Some("voting.owner-voted-otherwise") => {}
                Err(e) => panic!("unexpected: {e}"),
            }
        }
        assert_eq!(ok, 1);
        assert_eq!(store.ballots(&c, &m.id).await.unwrap().len(), 1);
        assert_eq!(store.matter(&c, &m.id).await.unwrap().ballots_cast, 1);
    })
    .await;
}

/// Ballots cast at once share commits: each gets the outcome it would get alone, in some order,
/// a refused one leaves the others standing, and the audit chain stays whole across batches.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ballots_cast_together_are_committed_together_and_judged_one_by_one() {
    on_each_backend(|store| async move {
        let c = gongzhi_store::demo::seed(&store, "x").await.unwrap();
        let matters = store.matters(&c.id).await.unwrap();
        let open = matters.iter().find(|m| m.status.as_str() == "open").unwrap().clone();
        let closed = matters[0].clone();
        assert_eq!((open.status.as_str(), closed.status.as_str()), ("open", "closed"));
        let before = store.matter(&c.id, &open.id).await.unwrap().ballots_cast;
        let voted: std::collections::HashSet<String> =
            store.ballots(&c.id, &open.id).await.unwrap().into_iter().map(|b| b.0.unit.to_string()).collect();
        let roll = store.roll(&c.id, &open.id).await.unwrap();
        let mut owners: std::collections::HashMap<String, Vec<String>> = Default::default();
        for u in roll.iter() {
            owners.entry(u.owner.to_string()).or_default().push(u.no.to_string());
        }
        let units: Vec<UnitNo> = roll.iter().map(|u| u.no.clone()).filter(|u| !voted.contains(u.as_str())).collect();
        // the developer owns many units: its units arrive with both choices at once
        assert!(owners.values().any(|us| us.len() >= 5), "{:?}", owners.values().map(Vec::len).max());
        let (mut tasks, mut refused) = (Vec::new(), Vec::new());
        let cast = |m: &str, u: &UnitNo, choice: Choice| {
            let (s, cid, mid, u) = (store.clone(), c.id.clone(), m.to_string(), u.clone());
            tokio::spawn(async move {
                let r = s.cast_ballot(&cid, &mid, &u, choice, Channel::Online, SYS).await;
                (u, choice, r)
            })
        };
        for (i, u) in units.iter().enumerate() {
            tasks.push(cast(&open.id, u, if i % 2 == 1 { Choice::Oppose } else { Choice::Approve }));
            if i % 50 == 0 {
                // the same unit twice, and a ballot on a closed matter, in the same stream
                tasks.push(cast(&open.id, u, Choice::Abstain));
                refused.push(cast(&closed.id, &unit("13-701"), Choice::Approve));
            }
        }
        for t in refused {
            let (_, _, r) = t.await.unwrap();
            assert!(r.as_ref().is_err_and(|e| e.code() == Some("voting.not-open-for-voting")), "{r:?}");
        }
        let mut acknowledged = std::collections::HashMap::new();
        for t in tasks {
            let (u, choice, r) = t.await.unwrap();
            match r {
                Ok(receipt) => {
                    assert!(acknowledged.insert(u.to_string(), (choice, receipt)).is_none(), "{u} acknowledged twice")
                }
                Err(e)
                    if e.code() == Some("voting.unit-already-voted")
                        || e.code() == Some("voting.owner-voted-otherwise") => {}
                Err(e) => panic!("{u}: unexpected {e}"),
            }
        }
        let stored = store.ballots(&c.id, &open.id).await.unwrap();
        let stored: std::collections::HashMap<String, (Choice, String)> = stored
            .into_iter()
            .filter(|b| !voted.contains(b.0.unit.as_str()))
            .map(|b| (b.0.unit.to_string(), (b.0.choice, b.2)))
            .collect();
        assert_eq!(stored, acknowledged, "exactly the acknowledged ballots, with their receipts");
        for (owner, us) in &owners {
            let choices: std::collections::HashSet<Choice> =
                us.iter().filter_map(|u| stored.get(u).map(|s| s.0)).collect();
            assert!(choices.len() <= 1, "{owner}'s units carry one choice");
            if us.len() == 1 && !voted.contains(&us[0]) {
                assert!(stored.contains_key(&us[0]), "{} stands although others were refused", us[0]);
            }
        }
        let m = store.matter(&c.id, &open.id).await.unwrap();
        assert_eq!(m.ballots_cast, before + stored.len() as i64);
        assert!(store.audit_verify(&c.id).await.unwrap().is_ok());
        assert!(store.tally(&c.id, &open.id).await.is_ok());
    })
    .await;
}

#[tokio::test]
async fn deemed_clause_uses_recorded_deliveries() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let mut nm = new_matter(MatterKind::OtherMajor, "compound");
        nm.deemed_clause = true;
        let m = store.create_matter(&c, &nm, SYS).await.unwrap();
        open(&store, &c, &m.id).await;
        store.cast_ballot(&c, &m.id, &unit("13-701"), Choice::Approve, Channel::Paper, SYS).await.unwrap();
        store.cast_ballot(&c, &m.id, &unit("13-602"), Choice::Approve, Channel::Paper, SYS).await.unwrap();
        for u in ["13-702", "12-101"] {
            store.record_delivery(&c, &m.id, &unit(u), "挂号信 XA123", SYS).await.unwrap();
        }
        assert!(store.record_delivery(&c, &m.id, &unit("9-901"), "", SYS).await.is_err());
        let t = close_after_window(&store, &c, &m.id).await.unwrap();
        assert!(!t.participation_met, "strict: 2 of 4 owners");
        let d = t.deemed.expect("deemed reading");
        assert_eq!(d.deemed_choice, Choice::Approve);
        assert_eq!(d.participating.owners, 4);
        assert!(d.passed);
        let _ = Delivery { unit: unit("13-701"), row: 0 };
    })
    .await;
}

#[tokio::test]
async fn voting_opens_only_after_the_notice_period() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        let e = store.open_matter(&c, &m.id, SYS).await.unwrap_err();
        assert_eq!(e.code(), Some("voting.notice-first"), "{e}");
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        store.post_notice(&c, &m.id, SYS, now - 2 * 86_400_000).await.unwrap();
        let e = store.open_matter(&c, &m.id, SYS).await.unwrap_err();
        assert_eq!(e.code(), Some("voting.notice-still-standing"), "{e}");
        let v = e.refused().unwrap().values();
        assert_eq!(v["days"], 7);
        // counted in calendar days from the day after posting, moved off rest days: 5 or more
        assert!(v["days_left"].as_i64().unwrap() >= 5, "{v:?}");
    })
    .await;
}

#[tokio::test]
async fn paper_ballots_count_only_when_two_people_enter_the_same() {
    on_each_backend(|store| async move {
        use gongzhi_store::voting::channels::PaperOutcome;
        let c = compound_with_register(&store).await;
        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        open(&store, &c, &m.id).await;
        let a = Actor { id: "a", login: "clerk-a" };
        let b = Actor { id: "b", login: "clerk-b" };
        let d = Actor { id: "d", login: "director" };
        assert_eq!(
            store.enter_paper_ballot(&c, &m.id, &unit("13-701"), Choice::Approve, a).await.unwrap(),
            PaperOutcome::AwaitingSecondEntry
        );
        let same = store.enter_paper_ballot(&c, &m.id, &unit("13-701"), Choice::Approve, a).await.unwrap_err();
        assert_eq!(same.code(), Some("voting.second-entry-same-person"), "{same}");
        assert!(matches!(
            store.enter_paper_ballot(&c, &m.id, &unit("13-701"), Choice::Approve, b).await.unwrap(),
            PaperOutcome::Counted { .. }
        ));
        // a unit awaiting its second entry that sorts first does not pair with the next unit's
        store.enter_paper_ballot(&c, &m.id, &unit("12-101"), Choice::Approve, a).await.unwrap();
        // a mismatch is held and not counted
        store.enter_paper_ballot(&c, &m.id, &unit("13-602"), Choice::Approve, a).await.unwrap();
        assert_eq!(
            store.enter_paper_ballot(&c, &m.id, &unit("13-602"), Choice::Oppose, b).await.unwrap(),
            PaperOutcome::Mismatch
        );
        assert_eq!(store.voted_units(&c, &m.id).await.unwrap(), vec!["13-701".to_string()]);
        let held = store.paper_mismatches(&c, &m.id).await.unwrap();
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].0.unit, "13-602");
        assert_eq!((held[0].0.choice, held[0].1.choice), (Choice::Approve, Choice::Oppose));
        let review = store.paper_review(&c, &m.id).await.unwrap();
        assert_eq!(review.awaiting.iter().map(|e| e.unit.as_str()).collect::<Vec<_>>(), ["12-101"]);
        let by_entrant = store.resolve_paper_mismatch(&c, &m.id, &unit("13-602"), Choice::Oppose, a).await.unwrap_err();
        assert_eq!(by_entrant.code(), Some("voting.reviewer-made-an-entry"), "{by_entrant}");
        store.resolve_paper_mismatch(&c, &m.id, &unit("13-602"), Choice::Oppose, d).await.unwrap();
        assert!(store.paper_mismatches(&c, &m.id).await.unwrap().is_empty());
        let t = store.tally(&c, &m.id).await.unwrap();
        assert_eq!((t.approve.owners, t.oppose.owners), (1, 1));
    })
    .await;
}

#[tokio::test]
async fn a_proxy_ballot_keeps_the_authorisation_and_follows_the_principal() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        open(&store, &c, &m.id).await;
        let none = store
            .record_proxy(&c, &m.id, &unit("13-701"), "陈小明", Choice::Approve, ("a.jpg", "image/jpeg", b""), SYS)
            .await;
        assert_eq!(code(none), "voting.authorisation-missing");
        let scan = vec![0xFFu8, 0xD8, 0xFF, 0x00, 0x42];
        store
            .record_proxy(
                &c,
                &m.id,
                &unit("13-701"),
                "陈小明",
                Choice::Oppose,
                ("委托书.jpg", "image/jpeg", &scan),
                SYS,
            )
            .await
            .unwrap();
        let ballots = store.ballots(&c, &m.id).await.unwrap();
        assert_eq!((ballots[0].0.choice, ballots[0].1), (Choice::Oppose, Channel::Proxy));
        let id: String = sqlx::query_scalar("SELECT attachment_id FROM proxies WHERE compound_id = $1")
            .bind(&c)
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(store.attachment(&c, &id).await.unwrap().bytes, scan);
    })
    .await;
}

#[tokio::test]
async fn an_owners_units_carry_one_choice_and_changes_need_the_setting() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        open(&store, &c, &m.id).await;
        let owner = Actor { id: "zhang", login: "owner-13-702" };
        store.cast_ballot(&c, &m.id, &unit("13-702"), Choice::Approve, Channel::Online, owner).await.unwrap();
        let split =
            store.cast_ballot(&c, &m.id, &unit("13-601"), Choice::Oppose, Channel::Online, owner).await.unwrap_err();
        assert_eq!(split.code(), Some("voting.owner-voted-otherwise"), "{split}");
        assert_eq!(split.refused().unwrap().values()["other"], "13-702");
        let again =
            store.cast_ballot(&c, &m.id, &unit("13-702"), Choice::Oppose, Channel::Online, owner).await.unwrap_err();
        assert_eq!(again.code(), Some("voting.unit-already-voted"), "{again}");

        let mut nm = new_matter(MatterKind::OtherMajor, "compound");
        nm.allow_change = true;
        let m2 = store.create_matter(&c, &nm, SYS).await.unwrap();
        open(&store, &c, &m2.id).await;
        let r1 = store.cast_ballot(&c, &m2.id, &unit("13-701"), Choice::Approve, Channel::Online, owner).await.unwrap();
        let r2 = store.cast_ballot(&c, &m2.id, &unit("13-701"), Choice::Oppose, Channel::Online, owner).await.unwrap();
        assert_eq!(r1, r2, "the receipt is kept");
        assert_eq!(store.ballots(&c, &m2.id).await.unwrap()[0].0.choice, Choice::Oppose);
        let other = Actor { id: "someone", login: "x" };
        assert!(store.cast_ballot(&c, &m2.id, &unit("13-701"), Choice::Approve, Channel::Online, other).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn a_seven_day_notice_posted_on_the_eve_of_national_day_opens_after_the_holiday() {
    use gongzhi_core::kit::period::start_of;
    use jiff::civil::date;
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        // posted 18:00 on 2026-09-30: days 10-01..10-07 are the National Day break, so the last
        // day moves to Thursday 10-08, and voting opens at 00:00 on Friday 10-09
        store.post_notice(&c, &m.id, SYS, start_of(date(2026, 9, 30)) + 18 * 3_600_000).await.unwrap();
        let just_before = start_of(date(2026, 10, 9)) - 1;
        let e = store.open_matter_at(&c, &m.id, SYS, just_before).await.unwrap_err();
        assert_eq!(e.code(), Some("voting.notice-still-standing"), "{e}");
        let v = e.refused().unwrap().values();
        assert_eq!((v["ends"].as_str(), v["days_left"].as_i64()), (Some("2026-10-08 24:00"), Some(1)));
        // 7 × 24 hours would have opened it at 18:00 on 10-07, in the middle of the holiday
        let e = store.open_matter_at(&c, &m.id, SYS, start_of(date(2026, 10, 7)) + 19 * 3_600_000).await.unwrap_err();
        assert_eq!(e.code(), Some("voting.notice-still-standing"));
        let opened = store.open_matter_at(&c, &m.id, SYS, start_of(date(2026, 10, 9))).await.unwrap();
        assert_eq!(opened.status.as_str(), "open");
    })
    .await;
}

#[tokio::test]
async fn the_compounds_own_holiday_table_replaces_the_shipped_year() {
    use gongzhi_core::kit::period::{CalendarDay, DayKind, start_of};
    use jiff::civil::date;
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        assert!(store.rest_days(&c).await.unwrap().is_rest_day(date(2026, 10, 5)), "shipped: National Day");
        // staff enter 2026 themselves: only one rest day, on a Tuesday
        let own = [CalendarDay { day: date(2026, 12, 8), kind: DayKind::Rest, name: "测试假日".into() }];
        store.set_calendar_year(&c, 2026, &own, "staff").await.unwrap();
        let rest = store.rest_days(&c).await.unwrap();
        assert!(!rest.is_rest_day(date(2026, 10, 5)), "the compound's 2026 replaces the shipped one");
        assert!(rest.is_rest_day(date(2026, 12, 8)));
        assert!(rest.is_rest_day(date(2025, 10, 1)), "other years stay as shipped");
        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        // posted Tuesday 12-01: the 7th day is Tuesday 12-08, a rest day now, so it ends on 12-09
        store.post_notice(&c, &m.id, SYS, start_of(date(2026, 12, 1)) + 3_600_000).await.unwrap();
        let p = store.notice_period(&c, &store.matter(&c, &m.id).await.unwrap()).await.unwrap().unwrap();
        assert_eq!(p.last_day, date(2026, 12, 9));
        store.set_calendar_year(&c, 2026, &[], "staff").await.unwrap();
        assert!(store.rest_days(&c).await.unwrap().is_rest_day(date(2026, 10, 5)), "back to the shipped year");
        let log = store.audit_entries(&c).await.unwrap();
        assert_eq!(log.iter().filter(|e| e.action == "calendar.year").count(), 2);
    })
    .await;
}

mod paper_review {
    use gongzhi_core::Choice;
    use gongzhi_store::voting::channels::{PaperEntry, review};
    use proptest::prelude::*;

    proptest! {
        /// Any interleaving of first and second entries across units yields exactly the units whose
        /// two entries differ, and the units with one entry as awaiting.
        #[test]
        fn any_interleaving_gives_exactly_the_differing_units(
            units in proptest::collection::vec((0u8..3, proptest::option::of(0u8..3)), 1..12),
            order in proptest::collection::vec(any::<u32>(), 24),
        ) {
            let choice = |c: u8| [Choice::Approve, Choice::Oppose, Choice::Abstain][c as usize];
            let mut entries = Vec::new();
            for (i, (first, second)) in units.iter().enumerate() {
                let unit = format!("{}-{}01", 1 + i % 3, i + 1);
                entries.push(PaperEntry { unit: unit.clone(), entry_no: 1, choice: choice(*first), approvals: String::new(), entered_by: "a".into() });
                if let Some(s) = second {
                    entries.push(PaperEntry { unit, entry_no: 2, choice: choice(*s), approvals: String::new(), entered_by: "b".into() });
                }
            }
            // shuffle by the drawn keys: any order the rows may come in
            let mut keyed: Vec<(u32, PaperEntry)> = entries.into_iter().enumerate().map(|(i, e)| (order[i % order.len()] ^ i as u32, e)).collect();
            keyed.sort_by_key(|(k, _)| *k);
            let entries: Vec<PaperEntry> = keyed.into_iter().map(|(_, e)| e).collect();
            let r = review(&entries);
            let mut want_mismatch: Vec<String> = Vec::new();
            let mut want_awaiting: Vec<String> = Vec::new();
            for (i, (first, second)) in units.iter().enumerate() {
                let unit = format!("{}-{}01", 1 + i % 3, i + 1);
                match second {
                    None => want_awaiting.push(unit),
                    Some(s) if s != first => want_mismatch.push(unit),
                    Some(_) => {}
                }
            }
            want_mismatch.sort();
            want_awaiting.sort();
            let got: Vec<String> = r.mismatches.iter().map(|(a, b)| { assert_eq!(a.unit, b.unit); assert_eq!((a.entry_no, b.entry_no), (1, 2)); a.unit.clone() }).collect();
            prop_assert_eq!(got, want_mismatch);
            prop_assert_eq!(r.awaiting.iter().map(|e| e.unit.clone()).collect::<Vec<_>>(), want_awaiting);
        }
    }
}

#[tokio::test]
async fn the_announced_window_is_kept_never_shortened_and_ballots_after_it_are_refused() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let now = gongzhi_core::time::now_ms();
        // no window, no opening
        let bare = NewMatter { window_end: None, ..new_matter(MatterKind::OtherMajor, "compound") };
        let m = store.create_matter(&c, &bare, SYS).await.unwrap();
        store.post_notice(&c, &m.id, SYS, 0).await.unwrap();
        assert_eq!(code(store.open_matter(&c, &m.id, SYS).await), "voting.window-missing");

        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        open(&store, &c, &m.id).await;
        store.cast_ballot(&c, &m.id, &unit("13-701"), Choice::Approve, Channel::Online, SYS).await.unwrap();
        // 1 of 5 units voted, a week to go: closing now would break the promise
        let e = store.close_matter(&c, &m.id, SYS).await.unwrap_err();
        assert_eq!(e.code(), Some("voting.window-still-running"), "{e}");
        assert!(e.to_string().contains("1 of 5 so far"), "{e}");
        assert_eq!(store.matter(&c, &m.id).await.unwrap().status, MatterStatus::Open);

        // the window may be extended, never shortened
        let end = store.matter(&c, &m.id).await.unwrap().window_end.unwrap();
        assert_eq!(code(store.extend_window(&c, &m.id, end - 86_400_000, SYS).await), "voting.window-not-later");
        let later = store.extend_window(&c, &m.id, end + WEEK, SYS).await.unwrap();
        assert_eq!((later.window_end, later.first_window_end), (Some(end + WEEK), Some(end)));
        assert!(later.window_extended_at.is_some_and(|t| t >= now));
        let log = store.audit_entries(&c).await.unwrap();
        assert!(log.iter().any(|e| e.action == "matter.extend" && e.subject == m.id), "the extension is in the chain");

        // every unit voted: it may close before the end
        for u in ["13-702", "13-601", "13-602", "12-101"] {
            store.cast_ballot(&c, &m.id, &unit(u), Choice::Approve, Channel::Online, SYS).await.unwrap();
        }
        store.close_matter(&c, &m.id, SYS).await.unwrap();

        // a window that has ended takes no more ballots
        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        open(&store, &c, &m.id).await;
        sqlx::query("UPDATE matters SET window_end = $1 WHERE id = $2")
            .bind(now - 1)
            .bind(&m.id)
            .execute(&store.pool)
            .await
            .unwrap();
        let e = store.cast_ballot(&c, &m.id, &unit("13-701"), Choice::Approve, Channel::Online, SYS).await.unwrap_err();
        assert_eq!(e.code(), Some("voting.window-ended"), "{e}");
        // paper returned in time is still entered, by two people, until the vote closes
        let (a, b) = (Actor { id: "s1", login: "s1" }, Actor { id: "s2", login: "s2" });
        store.enter_paper_ballot(&c, &m.id, &unit("13-702"), Choice::Approve, a).await.unwrap();
        let counted = store.enter_paper_ballot(&c, &m.id, &unit("13-702"), Choice::Approve, b).await.unwrap();
        assert!(matches!(counted, gongzhi_store::voting::channels::PaperOutcome::Counted { .. }));
        // and now it closes
        store.close_matter(&c, &m.id, SYS).await.unwrap();
    })
    .await;
}
