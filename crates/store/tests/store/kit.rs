//! The kit: the audit chain, attached files, migrations, the demo.
#![allow(unused_imports)]

use crate::*;
use gongzhi_core::voting::tally::{Delivery, TallyInput, tally};
use gongzhi_core::{Channel, Choice, MatterKind, Scope, UnitNo};
use gongzhi_store::kit::testing::on_each_backend;
use gongzhi_store::{Actor, NewMatter, Store, StoreError, read_registry};

#[tokio::test]
async fn audit_chain_names_the_first_altered_or_missing_entry() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let m = store.create_matter(&c, &new_matter(MatterKind::OtherMajor, "compound"), SYS).await.unwrap();
        open(&store, &c, &m.id).await;
        store.cast_ballot(&c, &m.id, &unit("13-701"), Choice::Approve, Channel::Online, SYS).await.unwrap();
        close_after_window(&store, &c, &m.id).await.unwrap();
        let entries = store.audit_entries(&c).await.unwrap();
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        let want = ["registry.import", "matter.create", "matter.notice", "matter.open", "ballot.cast", "matter.close"];
        assert_eq!(actions, want, "the register's import is on the record too");
        assert!(entries[0].detail.contains("units=5") && entries[0].detail.contains("sha256="), "{:?}", entries[0]);
        assert!(!entries[4].detail.contains("approve"), "no choice in the log before closing");
        assert_eq!(store.audit_verify(&c).await.unwrap(), Ok(6));

        sqlx::query("UPDATE audit_log SET detail = 'roll_units=1' WHERE compound_id = $1 AND seq = 3")
            .bind(&c)
            .execute(&store.pool)
            .await
            .unwrap();
        let b = store.audit_verify(&c).await.unwrap().unwrap_err();
        assert_eq!(
            (gongzhi_core::kit::Refusal::code(&b), b.to_string().as_str()),
            ("audit.entry-altered", "entry 3 was altered (its hash does not match its contents)")
        );
        sqlx::query("DELETE FROM audit_log WHERE compound_id = $1 AND seq = 2")
            .bind(&c)
            .execute(&store.pool)
            .await
            .unwrap();
        let b = store.audit_verify(&c).await.unwrap().unwrap_err();
        assert_eq!(gongzhi_core::kit::Refusal::code(&b), "audit.entry-missing");
        assert_eq!(gongzhi_core::kit::Refusal::values(&b)["seq"], 2);
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
async fn demo_seeds_once_with_the_lift_vote_closed_and_an_open_matter() {
    on_each_backend(|store| async move {
        let c = gongzhi_store::demo::seed(&store, "x").await.unwrap();
        let again = gongzhi_store::demo::seed(&store, "x").await.unwrap();
        assert_eq!(c, again);
        let reg = store.registry(&c.id).await.unwrap();
        assert_eq!(reg.buildings().len(), 33);
        let matters = store.matters(&c.id).await.unwrap();
        assert_eq!(
            matters.len(),
            6,
            "the lift, the shortcut, e-voting, the north wall, Building 4's corridors, Building 12's lift vote"
        );
        let corridor = matters.iter().find(|m| m.title == gongzhi_store::demo::CORRIDOR_TITLE).unwrap();
        assert_eq!(corridor.status, gongzhi_core::MatterStatus::Notice, "on notice, ready to open");
        // every owner has an address and email on
        let ch = store.channels(&store.person_for_login("owner-13-701").await.unwrap().unwrap().0).await.unwrap();
        assert_eq!((ch.email.as_deref(), ch.by_email, ch.in_app), (Some("owner-13-701@example.org"), true, true));
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
        assert_eq!(
            (matters[1].title.as_str(), matters[1].status.as_str()),
            (gongzhi_store::demo::SHORTCUT_TITLE, "closed")
        );
        assert!(store.tally(&c.id, &matters[1].id).await.unwrap().passed, "the shortcut's vote passed");
        assert_eq!(matters[2].status.as_str(), "open");
        assert_eq!(store.officers(&c.id).await.unwrap().len(), 41);

        // the story told straight: Building 13's lift from March 2016, every stage recorded in order
        let day = |ms: i64| gongzhi_core::time::date(ms);
        let history = store.project_history(&c.id, &projects[0].id).await.unwrap();
        let told: Vec<(gongzhi_core::projects::Stage, String)> =
            history.iter().map(|(s, at, _)| (*s, day(*at))).collect();
        let want: Vec<_> = gongzhi_store::demo::LIFT_13_STAGES.iter().map(|(s, d)| (*s, d.to_string())).collect();
        assert_eq!(told, want);
        assert_eq!(told.iter().map(|(s, _)| *s).collect::<Vec<_>>(), gongzhi_core::projects::Stage::ALL.to_vec());
        assert!(told.windows(2).all(|w| w[0].1 < w[1].1), "in date order");
        // its vote: the fortnight of July 2016, inside the vote stage, after the notice ran
        let (start, end) = (lift.window_start.unwrap(), lift.window_end.unwrap());
        assert_eq!((day(start).as_str(), day(end).as_str()), ("2016-07-11", "2016-07-24"));
        assert!(day(lift.notice_at.unwrap()) <= day(start - 7 * 86_400_000), "7 days' notice");
        assert_eq!(day(lift.closed_at.unwrap()), "2016-07-25");
        // the other windows run for days, not minutes
        for m in &matters {
            let (s, e) = (m.window_start.unwrap(), m.window_end.unwrap());
            assert!(e - s >= 7 * 86_400_000, "{}: {}..{}", m.title, day(s), day(e));
        }
        // budgets add up: the negotiated items are the construction cost shared, and all is paid
        let items = store.cost_items(&c.id, &projects[0].id).await.unwrap();
        let agreed: i64 = items.iter().map(|i| i.agreed.unwrap_or(i.quoted).fen()).sum();
        assert_eq!(agreed, projects[0].construction_cost.fen());
        assert!(items.iter().all(|i| i.paid == i.agreed.unwrap_or(i.quoted)), "{items:?}");
        // the director's own flat is bound to the director's account
        let director =
            store.officers(&c.id).await.unwrap().into_iter().find(|o| o.role == "committee-director").unwrap();
        let admin =
            store.search_accounts(&c.id, "admin", 5).await.unwrap().into_iter().find(|a| a.login == "admin").unwrap();
        assert_eq!(admin.units().iter().map(|u| u.unit.to_string()).collect::<Vec<_>>(), vec![director.unit.clone()]);
    })
    .await;
}

/// The SQL files as the earlier runner applied them (statements split on `;`, BLOB as BYTEA).
fn old_runner_sql(file: &str, postgres: bool) -> Vec<String> {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(file))
        .unwrap();
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines().filter(|l| !l.trim().starts_with("--") && !l.trim().is_empty()) {
        cur.push_str(line);
        cur.push('\n');
        if line.trim().ends_with(';') {
            out.push(if postgres { cur.replace(" BLOB", " BYTEA") } else { cur.clone() });
            cur.clear();
        }
    }
    out
}

#[tokio::test]
async fn a_database_made_by_the_earlier_migration_runner_is_carried_over() {
    use sqlx::{AssertSqlSafe, Executor};
    for (label, url) in gongzhi_store::kit::testing::fresh_urls().await.unwrap() {
        sqlx::any::install_default_drivers();
        let raw = match url.strip_prefix("sqlite://") {
            Some(path) => {
                std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap()).unwrap();
                format!("{url}?mode=rwc")
            }
            None => url.clone(),
        };
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&raw).await.unwrap();
        pool.execute("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
            .await
            .unwrap();
        for (v, f) in [
            (1, "0001_registry_and_matters.sql"),
            (2, "0002_accounts_ballot_channels_audit.sql"),
            (3, "0003_projects.sql"),
            (4, "0004_password_change.sql"),
        ] {
            for stmt in old_runner_sql(f, label == "postgres") {
                pool.execute(AssertSqlSafe(stmt)).await.unwrap();
            }
            sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'x', 0)")
                .bind(v as i64)
                .execute(&pool)
                .await
                .unwrap();
        }
        // a compound and an account as they were kept before people had memberships
        pool.execute("INSERT INTO compounds (id, name, created_at) VALUES ('c1', '老小区', 0)").await.unwrap();
        pool.execute(
            "INSERT INTO accounts (compound_id, id, login, phone, name, password_hash, created_at) \
             VALUES ('c1', 'a1', 'old-login', '13700000000', '老住户', 'hash', 0)",
        )
        .await
        .unwrap();
        pool.close().await;

        let store = Store::connect(&url).await.unwrap_or_else(|e| panic!("{label}: {e}"));
        let (person, hash) = store.person_for_login("13700000000").await.unwrap().expect("the phone still signs in");
        assert_eq!((person.as_str(), hash.as_str()), ("a1", "hash"), "{label}");
        assert_eq!(store.account("c1", "a1").await.unwrap().login, "old-login", "{label}");
        let applied: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&store.pool).await.unwrap();
        assert_eq!(applied, migrations_on_disk(), "{label}: 1-4 marked applied, the rest run");
        store.close().await;
        // and connecting again changes nothing
        let again = Store::connect(&url).await.unwrap();
        again.close().await;
        if label == "postgres" {
            gongzhi_store::kit::testing::drop_postgres(&url).await;
        }
    }
}

/// How many migrations the store carries: the files in its migrations folder.
fn migrations_on_disk() -> i64 {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "sql"))
        .count() as i64
}

#[tokio::test]
async fn two_servers_starting_together_on_one_postgres_migrate_once() {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else { return };
    let url = gongzhi_store::kit::testing::fresh_postgres(&base).await.unwrap();
    let (a, b) = tokio::join!(Store::connect(&url), Store::connect(&url));
    let (a, b) = (a.expect("the first server"), b.expect("the second server"));
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version").fetch_all(&a.pool).await.unwrap();
    assert_eq!(applied, (1..=migrations_on_disk()).collect::<Vec<i64>>(), "each migration once");
    a.create_compound("一个小区", "", false).await.unwrap();
    assert_eq!(b.compounds().await.unwrap().len(), 1);
    a.close().await;
    b.close().await;
    gongzhi_store::kit::testing::drop_postgres(&url).await;
}

/// The demo's closed lift vote: its id, and one unit that voted to oppose.
async fn lift_vote(store: &Store) -> (String, String, String) {
    let c = store.compounds().await.unwrap().remove(0).id;
    let m = store.matters(&c).await.unwrap().into_iter().find(|m| m.title == gongzhi_store::demo::LIFT_TITLE).unwrap();
    let oppose = store.ballots(&c, &m.id).await.unwrap().into_iter().find(|b| b.0.choice == Choice::Oppose).unwrap();
    (c, m.id, oppose.0.unit.to_string())
}

#[tokio::test]
async fn a_ballot_flipped_after_closing_is_found_and_the_published_result_stands() {
    gongzhi_store::kit::testing::on_each_demo("x", |store| async move {
        let (c, m, unit) = lift_vote(&store).await;
        let before = store.tally(&c, &m).await.unwrap();
        assert!(store.verify_record(&c, &[]).await.unwrap().is_ok());
        let anchor = store.close_anchor(&c, &m).await.unwrap().expect("a closed vote has its anchor");
        assert!(store.verify_record(&c, std::slice::from_ref(&anchor)).await.unwrap().is_ok());
        sqlx::query("UPDATE ballots SET choice = 'approve' WHERE compound_id = $1 AND matter_id = $2 AND unit_no = $3")
            .bind(&c)
            .bind(&m)
            .bind(&unit)
            .execute(&store.pool)
            .await
            .unwrap();
        let b = store.verify_record(&c, &[]).await.unwrap().unwrap_err();
        assert_eq!(gongzhi_core::kit::Refusal::code(&b), "audit.ballots-changed");
        assert_eq!(store.tally(&c, &m).await.unwrap(), before, "the published result never changes");
        assert_ne!(store.count(&c, &m).await.unwrap().approve, before.approve, "only a recount sees the flip");
    })
    .await;
}

#[tokio::test]
async fn a_consistently_rewritten_chain_and_a_wiped_log_fail_against_the_printed_anchor() {
    use gongzhi_store::kit::audit::entry_hash;
    gongzhi_store::kit::testing::on_each_demo("x", |store| async move {
        let (c, m, unit) = lift_vote(&store).await;
        let anchor = store.close_anchor(&c, &m).await.unwrap().unwrap();
        // the attacker flips a ballot, then makes everything agree again: the sealed digest, the
        // published result, and every hash of the chain after it
        sqlx::query("UPDATE ballots SET choice = 'approve' WHERE compound_id = $1 AND matter_id = $2 AND unit_no = $3")
            .bind(&c)
            .bind(&m)
            .bind(&unit)
            .execute(&store.pool)
            .await
            .unwrap();
        let recount = serde_json::to_string(&store.count(&c, &m).await.unwrap()).unwrap();
        sqlx::query("UPDATE tallies SET result = $1 WHERE compound_id = $2 AND matter_id = $3")
            .bind(&recount)
            .bind(&c)
            .bind(&m)
            .execute(&store.pool)
            .await
            .unwrap();
        let rows = sqlx::query(
            "SELECT unit_no, choice, channel, receipt FROM ballots WHERE compound_id = $1 AND matter_id = $2 ORDER BY unit_no",
        )
        .bind(&c)
        .bind(&m)
        .fetch_all(&store.pool)
        .await
        .unwrap();
        let mut h = <sha2::Sha256 as sha2::Digest>::new();
        for r in &rows {
            for i in 0..4 {
                let v: String = sqlx::Row::get(r, i);
                sha2::Digest::update(&mut h, v.as_bytes());
                sha2::Digest::update(&mut h, [0u8]);
            }
        }
        let digest: String = sha2::Digest::finalize(h).iter().map(|b| format!("{b:02x}")).collect();
        let mut prev = String::new();
        for e in store.audit_entries(&c).await.unwrap() {
            let detail = if e.action == "matter.close" && e.subject == m {
                format!("ballots={} sha256={digest}", rows.len())
            } else {
                e.detail.clone()
            };
            let hash = entry_hash(&prev, e.seq, e.at, &e.actor, &e.action, &e.subject, &detail);
            sqlx::query("UPDATE audit_log SET detail = $1, prev_hash = $2, hash = $3 WHERE compound_id = $4 AND seq = $5")
                .bind(&detail)
                .bind(&prev)
                .bind(&hash)
                .bind(&c)
                .bind(e.seq)
                .execute(&store.pool)
                .await
                .unwrap();
            prev = hash;
        }
        sqlx::query("UPDATE compounds SET audit_head = $1 WHERE id = $2").bind(&prev).bind(&c).execute(&store.pool).await.unwrap();
        assert!(store.verify_record(&c, &[]).await.unwrap().is_ok(), "inside the database everything agrees");
        let b = store.verify_record(&c, std::slice::from_ref(&anchor)).await.unwrap().unwrap_err();
        assert_eq!(gongzhi_core::kit::Refusal::code(&b), "audit.anchor-missing", "the posted anchor does not");

        // wiping the log and resetting its head
        sqlx::query("DELETE FROM audit_log WHERE compound_id = $1").bind(&c).execute(&store.pool).await.unwrap();
        sqlx::query("UPDATE compounds SET audit_seq = 0, audit_head = '' WHERE id = $1").bind(&c).execute(&store.pool).await.unwrap();
        let b = store.verify_record(&c, &[]).await.unwrap().unwrap_err();
        assert_eq!(gongzhi_core::kit::Refusal::code(&b), "audit.ballots-changed", "a closed vote without its seal");
        let b = store.verify_record(&c, &[anchor]).await.unwrap().unwrap_err();
        assert!(matches!(b, gongzhi_store::kit::audit::Break::BallotsChanged { .. } | gongzhi_store::kit::audit::Break::AnchorMissing { .. }));
    })
    .await;
}

#[tokio::test]
async fn a_log_column_changed_to_another_type_is_reported_not_a_crash() {
    gongzhi_store::kit::testing::on_each_backend(|store| async move {
        if store.backend != gongzhi_store::Backend::Sqlite {
            return; // PostgreSQL's columns keep their types
        }
        let c = compound_with_register(&store).await;
        sqlx::query("UPDATE audit_log SET at = 'yesterday' WHERE compound_id = $1 AND seq = 1")
            .bind(&c)
            .execute(&store.pool)
            .await
            .unwrap();
        let b = store.verify_record(&c, &[]).await.unwrap().unwrap_err();
        assert_eq!(gongzhi_core::kit::Refusal::code(&b), "audit.entry-unreadable");
        assert!(store.audit_entries(&c).await.unwrap().is_empty(), "what can be read, no panic");
    })
    .await;
}
