//! Store behaviour on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

use gongzhi_core::voting::tally::{Delivery, TallyInput, tally};
use gongzhi_core::{Channel, Choice, MatterKind, Scope, UnitNo};
use gongzhi_store::kit::testing::on_each_backend;
use gongzhi_store::{Actor, NewMatter, Store, StoreError, read_registry};

const SYS: Actor<'static> = Actor::SYSTEM;
use std::path::PathBuf;

fn tmp(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongzhi-files-{}", uuid_like()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

const GOOD: &str = "\u{feff}房号,楼号,单元,楼层,面积,业主\n\
701,13号楼,1,7,80.52,陈桂英\n\
702,13号楼,1,7,90.1234,张三\n\
601,13号楼,1,6,80.52,张三\n\
602,13号楼,1,6,90.00,李四;王五\n\
101,12号楼,1,1,70.00,开发商\n";

/// The refusal's code of a failed call.
fn code<T: std::fmt::Debug>(r: Result<T, StoreError>) -> &'static str {
    match r {
        Err(e) => e.code().unwrap_or_else(|| panic!("not a refusal: {e}")),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

fn unit(s: &str) -> UnitNo {
    UnitNo::parse(s).unwrap()
}

async fn compound_with_register(store: &Store) -> String {
    let c = store.create_compound("测试小区", "Test", false).await.unwrap();
    let reg = read_registry(&tmp("reg.csv", GOOD.as_bytes())).unwrap();
    let s = store.import_registry(&c.id, &reg).await.unwrap();
    assert_eq!((s.units_added, s.owners_added), (5, 4));
    c.id
}

/// Posts the notice backdated past the notice period, then opens voting.
async fn open(store: &Store, c: &str, id: &str) {
    store.post_notice(c, id, SYS, 0).await.unwrap();
    store.open_matter(c, id, SYS).await.unwrap();
}

fn new_matter(kind: MatterKind, scope: &str) -> NewMatter {
    NewMatter {
        title: "测试事项".into(),
        body: String::new(),
        kind,
        scope: Scope::parse(scope).unwrap(),
        deemed_clause: false,
        allow_change: false,
        window_start: None,
        window_end: None,
    }
}

#[tokio::test]
async fn register_round_trips_exactly_and_a_bad_file_changes_nothing() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let reg = store.registry(&c).await.unwrap();
        assert_eq!(reg.units.len(), 5);
        assert_eq!(reg.total_area().to_string(), "411.1634");
        let u = reg.units.iter().find(|u| u.no.as_str() == "13-702").unwrap();
        assert_eq!(u.area.e4(), 901_234);
        let co = reg.owners.iter().find(|o| o.members.len() == 2).unwrap();
        assert_eq!(co.name, "李四、王五");

        let bad =
            "unit,building,stairwell,floor,area,owner\n701,13,1,7,99,陈桂英\n501,13,1,5,,赵六\n502,13,1,5,-1,孙七\n";
        let err = read_registry(&tmp("bad.csv", bad.as_bytes())).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("row 3 (unit 501), area: area is missing"), "{msg}");
        assert!(msg.contains("row 4 (unit 502), area: area '-1' is not a positive number"), "{msg}");
        assert!(err.is_bad_input());
        assert_eq!(store.registry(&c).await.unwrap(), reg, "nothing was written");
    })
    .await;
}

#[tokio::test]
async fn excel_register_with_chinese_headers_imports() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, h) in ["房号", "楼号", "单元", "楼层", "面积", "业主"].iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    ws.write_number(1, 0, 701).unwrap();
    ws.write_string(1, 1, "13号楼").unwrap();
    ws.write_number(1, 2, 1).unwrap();
    ws.write_number(1, 3, 7).unwrap();
    ws.write_number(1, 4, 85.52).unwrap();
    ws.write_string(1, 5, "陈桂英").unwrap();
    ws.write_string(2, 0, "13-702").unwrap();
    ws.write_string(2, 1, "13").unwrap();
    ws.write_number(2, 2, 1).unwrap();
    ws.write_number(2, 3, 7).unwrap();
    ws.write_string(2, 4, "72.1234").unwrap();
    ws.write_string(2, 5, "上海明辉物业有限公司").unwrap();
    let path = tmp("reg.xlsx", &wb.save_to_buffer().unwrap());
    let reg = read_registry(&path).unwrap();
    assert_eq!(reg.units[0].no.as_str(), "13-701");
    assert_eq!(reg.units[0].area.e4(), 855_200);
    assert_eq!(reg.units[1].area.e4(), 721_234);
    assert_eq!(reg.owners[1].kind, gongzhi_core::registry::OwnerKind::Organisation);
    on_each_backend(|store| {
        let reg = reg.clone();
        async move {
            let c = store.create_compound("X", "", false).await.unwrap();
            store.import_registry(&c.id, &reg).await.unwrap();
            assert_eq!(store.registry(&c.id).await.unwrap().units, reg.units);
        }
    })
    .await;
}

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
        let t = store.close_matter(&c, &m.id, SYS).await.unwrap();
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
        assert!(store.close_matter(&c, &m.id, SYS).await.is_err());
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
        let open = matters[1].clone();
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
        let t = store.close_matter(&c, &m.id, SYS).await.unwrap();
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
async fn demo_seeds_once_with_the_lift_vote_closed_and_an_open_matter() {
    on_each_backend(|store| async move {
        let c = gongzhi_store::demo::seed(&store, "x").await.unwrap();
        let again = gongzhi_store::demo::seed(&store, "x").await.unwrap();
        assert_eq!(c, again);
        let reg = store.registry(&c.id).await.unwrap();
        assert_eq!(reg.buildings().len(), 33);
        let matters = store.matters(&c.id).await.unwrap();
        assert_eq!(matters.len(), 4, "the lift, e-voting, the path, Building 12's lift vote");
        let projects = store.projects(&c.id).await.unwrap();
        let stages: Vec<(String, &str)> = projects.iter().map(|p| (p.scope.to_string(), p.stage.as_str())).collect();
        assert_eq!(
            stages,
            vec![
                ("building:13".to_string(), "in-operation"),
                ("building:12".to_string(), "approvals"),
                ("building:4".to_string(), "consultation"),
                ("building:7".to_string(), "intent"),
                ("building:18".to_string(), "intent"),
                ("building:25".to_string(), "intent"),
            ]
        );
        assert!(projects[1].planned_start.ends_with("-06-01"));
        let saving: i64 =
            store.cost_items(&c.id, &projects[0].id).await.unwrap().iter().map(|i| i.saving().fen()).sum();
        assert_eq!(saving, 7_000_000, "about 70,000 yuan negotiated off the telecom bills");
        let plan = store.share_plan(&c.id, &projects[2]).await.unwrap();
        assert_eq!(plan.subsidy.to_string(), "260000.00");
        assert_eq!(plan.shares.iter().map(|s| s.share.fen()).sum::<i64>(), plan.residents_total.fen());
        let lift = &matters[0];
        assert_eq!((lift.status.as_str(), lift.kind.as_str()), ("closed", "alteration"));
        let t = store.tally(&c.id, &lift.id).await.unwrap();
        assert!(t.passed);
        assert_eq!((t.approve.owners, t.participating.owners), (13, 14));
        assert_eq!(matters[1].status.as_str(), "open");
        assert_eq!(store.officers(&c.id).await.unwrap().len(), 41);
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
        // a mismatch is held and not counted
        store.enter_paper_ballot(&c, &m.id, &unit("13-602"), Choice::Approve, a).await.unwrap();
        assert_eq!(
            store.enter_paper_ballot(&c, &m.id, &unit("13-602"), Choice::Oppose, b).await.unwrap(),
            PaperOutcome::Mismatch
        );
        assert_eq!(store.voted_units(&c, &m.id).await.unwrap(), vec!["13-701".to_string()]);
        let held = store.paper_mismatches(&c, &m.id).await.unwrap();
        assert_eq!(held.len(), 1);
        assert_eq!((held[0].0.choice, held[0].1.choice), (Choice::Approve, Choice::Oppose));
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
async fn audit_chain_names_the_first_altered_or_missing_entry() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        open(&store, &c, &m.id).await;
        store.cast_ballot(&c, &m.id, &unit("13-701"), Choice::Approve, Channel::Online, SYS).await.unwrap();
        store.close_matter(&c, &m.id, SYS).await.unwrap();
        let entries = store.audit_entries(&c).await.unwrap();
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, vec!["matter.create", "matter.notice", "matter.open", "ballot.cast", "matter.close"]);
        assert!(!entries[3].detail.contains("approve"), "no choice in the log before closing");
        assert_eq!(store.audit_verify(&c).await.unwrap(), Ok(5));

        sqlx::query("UPDATE audit_log SET detail = 'roll_units=1' WHERE compound_id = $1 AND seq = 3")
            .bind(&c)
            .execute(&store.pool)
            .await
            .unwrap();
        assert_eq!(
            store.audit_verify(&c).await.unwrap().unwrap_err().to_string(),
            "entry 3 was altered (its hash does not match its contents)"
        );
        sqlx::query("DELETE FROM audit_log WHERE compound_id = $1 AND seq = 2")
            .bind(&c)
            .execute(&store.pool)
            .await
            .unwrap();
        assert_eq!(store.audit_verify(&c).await.unwrap().unwrap_err().to_string(), "entry 2 is missing");
    })
    .await;
}

#[tokio::test]
async fn accounts_sessions_and_binding_codes() {
    on_each_backend(|store| async move {
        use gongzhi_core::accounts::Role;
        use gongzhi_store::accounts::NewAccount;
        let c = compound_with_register(&store).await;
        let a = store
            .create_account(
                &c,
                &NewAccount {
                    login: "li".into(),
                    phone: Some("13900000000".into()),
                    name: "李四".into(),
                    password_hash: "h".into(),
                    roles: vec![Role::Resident],
                    units: vec![],
                },
                "system",
            )
            .await
            .unwrap();
        let dup = store
            .create_account(
                &c,
                &NewAccount { login: "li".into(), name: "x".into(), password_hash: "h".into(), ..Default::default() },
                "system",
            )
            .await
            .unwrap_err();
        assert_eq!(dup.code(), Some("accounts.login-taken"), "{dup}");
        assert_eq!(store.person_for_login("13900000000").await.unwrap().unwrap().0, a.id);

        let (token, csrf) = store.create_session(&a, 60_000).await.unwrap();
        let s = store.session(&token).await.unwrap().unwrap();
        assert_eq!((s.account_id.as_str(), s.csrf.as_str()), (a.id.as_str(), csrf.as_str()));
        let (joined_session, joined, temporary) = store.session_account(&token).await.unwrap().unwrap();
        assert!(!temporary);
        assert_eq!(joined_session, s);
        assert_eq!(joined, store.account(&c, &a.id).await.unwrap(), "one query reads what three do");
        assert!(store.session_account("not-a-token").await.unwrap().is_none());
        let stored: String =
            sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_one(&store.pool).await.unwrap();
        assert_ne!(stored, token, "only the token's hash is stored");
        store.end_session(&token).await.unwrap();
        assert!(store.session(&token).await.unwrap().is_none());

        let codes = store.issue_binding_codes(&c, &[unit("13-602"), unit("12-101")], "staff").await.unwrap();
        let u = store.redeem_binding_code(&a, &codes[0].1.to_lowercase()).await.unwrap();
        assert_eq!(u.unit.as_str(), "13-602");
        let u = store.redeem_binding_code(&a, &codes[1].1).await.unwrap();
        assert_eq!(u.unit.as_str(), "12-101");
        let a = store.account(&c, &a.id).await.unwrap();
        assert!(a.votes_for(&unit("13-602")));
        assert!(a.has(Role::Owner));
        let (token2, _) = store.create_session(&a, 60_000).await.unwrap();
        let (_, joined, _) = store.session_account(&token2).await.unwrap().unwrap();
        assert_eq!((joined.roles().len(), joined.units().len()), (2, 2));
        assert_eq!(joined, a, "roles and units, in order, as the account read gives them");
        let again = store.redeem_binding_code(&a, &codes[0].1).await.unwrap_err();
        assert_eq!(again.code(), Some("accounts.code-invalid"));

        let keys = [(format!("person:{}", a.id), 3)];
        for _ in 0..3 {
            assert!(store.reserve_attempt(&keys).await.unwrap().is_ok());
        }
        assert!(store.reserve_attempt(&keys).await.unwrap().is_err(), "the fourth attempt is over the limit");
        assert!(store.locked_for(&a.id).await.unwrap().is_none(), "locked only at five");
    })
    .await;
}

#[tokio::test]
async fn a_lift_project_goes_from_consultation_through_the_vote_to_construction() {
    on_each_backend(|store| async move {
        use gongzhi_core::projects::{ProjectKind, Stage, Stance};
        use gongzhi_store::projects::{Costing, Milestone, NewProject};
        let c = compound_with_register(&store).await;
        let p = store
            .create_project(
                &c,
                &NewProject {
                    title: "13号楼加装电梯".into(),
                    kind: Some(ProjectKind::LiftRetrofit),
                    scope: Scope::parse("building:13"),
                    note: String::new(),
                },
                SYS,
            )
            .await
            .unwrap();
        assert_eq!(p.stage, Stage::Intent);
        store.move_project(&c, &p.id, Stage::Consultation, SYS).await.unwrap();
        let e = store.move_project(&c, &p.id, Stage::SchemeNotice, SYS).await.unwrap_err();
        assert_eq!(e.code(), Some("projects.stage-blocked"), "{e}");
        assert_eq!(e.refused().unwrap().values()["missing"][0]["en"], "no door-to-door visit has been recorded");
        let outside =
            store.record_visit(&c, &p.id, &unit("12-101"), Stance::Support, &[], "", "", 0, SYS).await.unwrap_err();
        assert_eq!(outside.code(), Some("projects.unit-outside-project"), "{outside}");
        store
            .record_visit(
                &c,
                &p.id,
                &unit("13-701"),
                Stance::Undecided,
                &["cost".into()],
                "担心费用",
                "可用公积金",
                1,
                SYS,
            )
            .await
            .unwrap();
        store.record_visit(&c, &p.id, &unit("13-701"), Stance::Support, &[], "", "", 2, SYS).await.unwrap();
        assert_eq!(store.visits(&c, &p.id).await.unwrap().len(), 2);
        store.move_project(&c, &p.id, Stage::SchemeNotice, SYS).await.unwrap();
        let e = store.move_project(&c, &p.id, Stage::Vote, SYS).await.unwrap_err();
        assert_eq!(e.code(), Some("projects.stage-blocked"), "{e}");
        assert_eq!(e.refused().unwrap().values()["missing"][0]["en"], "the scheme has not been posted");
        let day = 86_400_000;
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        store.set_scheme_notice(&c, &p.id, now - 30 * day, SYS).await.unwrap();
        let p = store.move_project(&c, &p.id, Stage::Vote, SYS).await.unwrap();
        let m = p.matter_id.clone().expect("the vote was drafted");
        let matter = store.matter(&c, &m).await.unwrap();
        assert_eq!(
            (matter.kind, matter.scope.to_string(), matter.status.as_str()),
            (MatterKind::Alteration, "building:13".into(), "notice")
        );
        let e = store.move_project(&c, &p.id, Stage::Approvals, SYS).await.unwrap_err();
        assert_eq!(e.code(), Some("projects.stage-blocked"), "{e}");
        assert_eq!(e.refused().unwrap().values()["missing"][0]["en"], "the owners' vote has not closed");
        store.open_matter(&c, &m, SYS).await.unwrap();
        for u in ["13-701", "13-702", "13-602"] {
            store.cast_ballot(&c, &m, &unit(u), Choice::Approve, Channel::Paper, SYS).await.unwrap();
        }
        assert!(store.close_matter(&c, &m, SYS).await.unwrap().passed);
        store.move_project(&c, &p.id, Stage::Approvals, SYS).await.unwrap();
        let e = store.move_project(&c, &p.id, Stage::Construction, SYS).await.unwrap_err();
        assert_eq!(e.code(), Some("projects.stage-blocked"), "{e}");
        assert_eq!(
            e.refused().unwrap().values()["missing"].as_array().unwrap().len(),
            2,
            "planning approval and the start-of-works report"
        );
        store.set_milestone(&c, &p.id, Milestone::PlanningApproved, true, SYS).await.unwrap();
        store.set_milestone(&c, &p.id, Milestone::StartReportFiled, true, SYS).await.unwrap();
        let p = store.move_project(&c, &p.id, Stage::Construction, SYS).await.unwrap();
        assert_eq!(p.stage, Stage::Construction);
        let hist: Vec<Stage> = store.project_history(&c, &p.id).await.unwrap().into_iter().map(|h| h.0).collect();
        assert_eq!(
            hist,
            vec![
                Stage::Intent,
                Stage::Consultation,
                Stage::SchemeNotice,
                Stage::Vote,
                Stage::Approvals,
                Stage::Construction
            ]
        );

        // costs: a telecom bill negotiated down, payments against it
        let item = store
            .add_cost_item(&c, &p.id, "电信管线迁移", gongzhi_core::Money::parse("113000").unwrap(), SYS)
            .await
            .unwrap();
        store
            .negotiate(&c, &item, gongzhi_core::Money::parse("43000").unwrap(), "业委会主任", "两张账单", SYS)
            .await
            .unwrap();
        store
            .add_payment(&c, &item, gongzhi_core::Money::parse("20000").unwrap(), "2026-11-01", "", SYS)
            .await
            .unwrap();
        assert!(
            store
                .add_payment(&c, &item, gongzhi_core::Money::parse("10").unwrap(), "yesterday", "", SYS)
                .await
                .is_err()
        );
        let items = store.cost_items(&c, &p.id).await.unwrap();
        assert_eq!((items[0].saving().to_string(), items[0].paid.to_string()), ("70000.00".into(), "20000.00".into()));

        // each household's share
        let costing = Costing {
            construction_cost: gongzhi_core::Money::parse("600000").unwrap(),
            subsidy_rate_ppm: 400_000,
            subsidy_cap: gongzhi_core::Money::parse("280000").unwrap(),
            other_sources: gongzhi_core::Money::ZERO,
            weights: "6=1,7=1.2".into(),
            basis: gongzhi_core::projects::sharing::Basis::Area,
            running_cost: gongzhi_core::Money::parse("9000").unwrap(),
            running_weights: "7=1".into(),
        };
        let p = store.set_costing(&c, &p.id, &costing, SYS).await.unwrap();
        let plan = store.share_plan(&c, &p).await.unwrap();
        assert_eq!(plan.residents_total.to_string(), "360000.00");
        assert_eq!(plan.shares.iter().map(|s| s.share.fen()).sum::<i64>(), 36_000_000);
        let running = store.running_shares(&c, &p).await.unwrap();
        assert_eq!(
            running.iter().filter(|s| s.floor == 7).map(|s| s.share.fen()).sum::<i64>(),
            900_000,
            "only the 7th floor by its own weights"
        );
        let bad = Costing { weights: "6=-1".into(), ..costing };
        assert!(store.set_costing(&c, &p.id, &bad, SYS).await.unwrap_err().is_bad_input());
        assert!(store.audit_verify(&c).await.unwrap().is_ok());
    })
    .await;
}

#[tokio::test]
async fn files_attach_to_matters_and_projects_and_are_read_back() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        let id = store.attach(&c, &m.id, "方案.pdf", "application/pdf", b"%PDF scheme", SYS).await.unwrap();
        assert_eq!(store.attachments(&c, &m.id).await.unwrap(), vec![(id.clone(), "方案.pdf".to_string())]);
        let a = store.attachment(&c, &id).await.unwrap();
        assert_eq!(
            (a.matter_id.as_deref(), a.project_id.as_deref(), a.bytes.as_slice()),
            (Some(m.id.as_str()), None, &b"%PDF scheme"[..])
        );
        let too_big = vec![0u8; gongzhi_store::kit::attachments::MAX_ATTACHMENT + 1];
        assert!(
            store
                .attach(&c, &m.id, "big.bin", "application/octet-stream", &too_big, SYS)
                .await
                .unwrap_err()
                .is_bad_input()
        );
        assert!(matches!(
            store.attach_to_project(&c, "no-such-project", "x.pdf", "application/pdf", b"x", SYS).await,
            Err(ref e) if e.refused().is_some_and(|r| r.kind() == gongzhi_core::kit::Kind::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn a_compound_and_a_cost_item_are_found_by_id() {
    on_each_backend(|store| async move {
        use gongzhi_core::projects::ProjectKind;
        use gongzhi_store::projects::NewProject;
        let c = compound_with_register(&store).await;
        let other = store.create_compound("另一小区", "Other", true).await.unwrap();
        assert_eq!(store.compound(&c).await.unwrap().name, "测试小区");
        assert_eq!(store.compound(&other.id).await.unwrap(), other);
        assert!(matches!(store.compound("no-such-compound").await, Err(ref e) if e.refused().is_some_and(|r| r.kind() == gongzhi_core::kit::Kind::NotFound)));

        let project = |title: &str, scope: &str| NewProject {
            title: title.into(),
            kind: Some(ProjectKind::LiftRetrofit),
            scope: Scope::parse(scope),
            note: String::new(),
        };
        let p13 = store.create_project(&c, &project("13号楼加装电梯", "building:13"), SYS).await.unwrap();
        let p12 = store.create_project(&c, &project("12号楼加装电梯", "building:12"), SYS).await.unwrap();
        let money = |s: &str| gongzhi_core::Money::parse(s).unwrap();
        let item = store.add_cost_item(&c, &p13.id, "电信管线迁移", money("113000"), SYS).await.unwrap();
        store.add_cost_item(&c, &p13.id, "设计费", money("20000"), SYS).await.unwrap();
        store.add_payment(&c, &item, money("20000"), "2026-11-01", "", SYS).await.unwrap();
        store.add_payment(&c, &item, money("5000.50"), "2026-11-02", "", SYS).await.unwrap();
        let got = store.cost_item(&c, &p13.id, &item).await.unwrap();
        assert_eq!((got.label.as_str(), got.quoted, got.paid), ("电信管线迁移", money("113000"), money("25000.50")));
        assert_eq!(store.cost_items(&c, &p13.id).await.unwrap()[0], got, "the same item as in the list");
        assert!(
            matches!(store.cost_item(&c, &p12.id, &item).await, Err(ref e) if e.refused().is_some_and(|r| r.kind() == gongzhi_core::kit::Kind::NotFound)),
            "not another project's"
        );
        assert!(matches!(store.cost_item(&other.id, &p13.id, &item).await, Err(ref e) if e.refused().is_some_and(|r| r.kind() == gongzhi_core::kit::Kind::NotFound)));
        assert!(matches!(store.cost_item(&c, &p13.id, "no-such-item").await, Err(ref e) if e.refused().is_some_and(|r| r.kind() == gongzhi_core::kit::Kind::NotFound)));
    })
    .await;
}

#[tokio::test]
async fn a_visit_carries_its_visitors_name_and_roles() {
    on_each_backend(|store| async move {
        use gongzhi_core::accounts::Role;
        use gongzhi_core::projects::{ProjectKind, Stance};
        use gongzhi_store::accounts::NewAccount;
        use gongzhi_store::projects::NewProject;
        let c = compound_with_register(&store).await;
        let p = store
            .create_project(
                &c,
                &NewProject {
                    title: "13号楼加装电梯".into(),
                    kind: Some(ProjectKind::LiftRetrofit),
                    scope: Scope::parse("building:13"),
                    note: String::new(),
                },
                SYS,
            )
            .await
            .unwrap();
        let leader = NewAccount {
            login: "leader-13".into(),
            phone: None,
            name: "张三".into(),
            password_hash: "x".into(),
            roles: vec![Role::Owner, Role::BuildingLeader],
            units: vec![],
        };
        let id = store.create_account(&c, &leader, "system").await.unwrap().id;
        let actor = Actor { id: &id, login: "leader-13" };
        store.record_visit(&c, &p.id, &unit("13-701"), Stance::Support, &[], "", "", 1, SYS).await.unwrap();
        store.record_visit(&c, &p.id, &unit("13-702"), Stance::Oppose, &[], "", "", 2, actor).await.unwrap();
        let v = store.visits(&c, &p.id).await.unwrap();
        let seen: Vec<(&str, &str, &[Role])> =
            v.iter().map(|v| (v.visitor.as_str(), v.visitor_name.as_str(), v.visitor_roles.as_slice())).collect();
        assert_eq!(
            seen,
            vec![("system", "", &[][..]), ("leader-13", "张三", &[Role::Owner, Role::BuildingLeader][..])]
        );
    })
    .await;
}
