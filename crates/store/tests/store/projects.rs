//! Building projects: stages, visits, costs.
#![allow(unused_imports)]

use crate::*;
use gongzhi_core::voting::tally::{Delivery, TallyInput, tally};
use gongzhi_core::{Channel, Choice, MatterKind, Scope, UnitNo};
use gongzhi_store::kit::testing::on_each_backend;
use gongzhi_store::{Actor, NewMatter, Store, StoreError, read_registry};

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
        let photo = ("公示.jpg", "image/jpeg", &b"JPEG"[..]);
        // entered the stage just now: a posting date before today predates the scheme
        let e = store.set_scheme_notice(&c, &p.id, now - 30 * day, photo, SYS).await.unwrap_err();
        assert_eq!(e.code(), Some("projects.scheme-notice-before-stage"), "{e}");
        let e = store.set_scheme_notice(&c, &p.id, now, ("公示.jpg", "image/jpeg", &[]), SYS).await.unwrap_err();
        assert_eq!(e.code(), Some("projects.scheme-notice-photo-missing"), "{e}");
        let e =
            store.set_scheme_notice(&c, &p.id, now, ("x.svg", "image/svg+xml", &b"<svg/>"[..]), SYS).await.unwrap_err();
        assert_eq!(e.code(), Some("projects.scheme-notice-photo-kind"), "{e}");
        let e = store.set_scheme_notice(&c, &p.id, now + 3 * day, photo, SYS).await.unwrap_err();
        assert_eq!(e.code(), Some("projects.scheme-notice-in-future"), "{e}");
        // posted today: recorded, with its photo and who entered it in the chain
        store.set_scheme_notice(&c, &p.id, now, photo, SYS).await.unwrap();
        let log = store.audit_entries(&c).await.unwrap();
        let entry = log.iter().find(|e| e.action == "project.scheme-notice").expect("audited");
        assert!(entry.detail.contains("photo=") && entry.actor == SYS.login, "{entry:?}");
        assert_eq!(store.project_documents(&c, &p.id).await.unwrap().len(), 1, "the photo is kept with the project");
        // the stage was in truth entered a month ago (as the days passing would have it): a
        // posting 30 days back is then after it, and the notice has stood its time
        sqlx::query("UPDATE project_stages SET at = $1 WHERE project_id = $2 AND stage = 'scheme-notice'")
            .bind(now - 31 * day)
            .bind(&p.id)
            .execute(&store.pool)
            .await
            .unwrap();
        store.set_scheme_notice(&c, &p.id, now - 30 * day, photo, SYS).await.unwrap();
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
        // the project's vote is drafted without a window: it cannot open until one is set
        assert_eq!(code(store.open_matter(&c, &m, SYS).await), "voting.window-missing");
        store.extend_window(&c, &m, gongzhi_core::time::now_ms() + WEEK, SYS).await.unwrap();
        store.open_matter(&c, &m, SYS).await.unwrap();
        for u in ["13-701", "13-702", "13-602"] {
            store.cast_ballot(&c, &m, &unit(u), Choice::Approve, Channel::Paper, SYS).await.unwrap();
        }
        assert!(close_after_window(&store, &c, &m).await.unwrap().passed);
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
