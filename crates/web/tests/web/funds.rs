//! Income from common property and the maintenance fund: the demo's two years of books; the
//! worked example of §6 (120,000 income, 30,000 costs, 60% tops up 54,000) entered, booked and
//! posted, with the reminder withdrawn and owners told; spending only against a passed vote; a
//! 200,000 contract's draws refused at 30%, 90% and the reviewed amount with the rule named;
//! reversals restore; imports all or nothing; owners read their building's figures only.

use crate::common::*;
use axum::http::{Method, StatusCode};
use gongzhi_store::kit::testing::on_each_demo;
use serde_json::json;

#[tokio::test]
async fn the_demo_books_hold_two_years_the_shortcut_and_the_lift_draws() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let staff = a.token("staff").await;
        let o = a.api(Method::GET, "/api/v1/funds", Some(&owner), None).await.json();
        assert_eq!(o["rate"], "0.6");
        let qs = o["quarters"].as_array().unwrap();
        assert!(qs.len() >= 7, "two years of posted quarters: {o}");
        for q in qs {
            assert!(q["posted_on"].is_string(), "owners see posted quarters only: {q}");
            // the top-up is the net at 60%, half up to the fen
            let net = gongzhi_core::kit::Money::parse(q["net"].as_str().unwrap()).unwrap();
            let top = gongzhi_core::funds::Rate::parse("0.6").unwrap().top_up(net);
            assert_eq!(q["top_up"], top.to_string());
            assert_eq!(q["per_building"]["13"]["income"], "3600.00", "three months of lift-car adverts: {q}");
            assert!(q["posted_on"].as_str().unwrap() <= q["statement_by"].as_str().unwrap(), "posted by the 15th");
        }
        // the residents' committee sees the running quarter too, not yet posted
        let all = a.api(Method::GET, "/api/v1/funds", Some(&staff), None).await.json();
        assert!(all["quarters"].as_array().unwrap().len() > qs.len(), "{all}");

        // the shortcut's spending is tied to its passed vote: 38,000 in two payments, below the
        // price review's 50,000 (a later payment that reaches it is flagged: see the spending test)
        let shortcut = a.matter_id(gongzhi_store::demo::SHORTCUT_TITLE).await;
        let txs = a.api(Method::GET, "/api/v1/funds/transactions", Some(&staff), None).await.json();
        let paid: Vec<_> =
            txs.as_array().unwrap().iter().filter(|t| t["link"] == format!("matter:{shortcut}")).collect();
        assert_eq!(paid.len(), 2, "{txs}");
        assert_eq!((paid[0]["price_review"].as_bool(), paid[1]["price_review"].as_bool()), (Some(false), Some(false)));
        let spending = |t: &serde_json::Value| {
            let p = t["postings"].as_array().unwrap().iter().find(|p| p["account"] == "spending").cloned();
            p.map(|p| p["amount"].as_str().unwrap().to_string()).unwrap_or_default()
        };
        let spent: Vec<_> = paid.iter().map(|t| spending(t)).collect();
        assert_eq!(spent, ["11400.00", "26600.00"], "{txs}");
        assert_eq!(
            a.api(Method::GET, "/api/v1/funds/transactions", Some(&owner), None).await.status,
            StatusCode::FORBIDDEN
        );

        // Building 13's lift: two draws, reviewed, linked to its project; households flagged
        let fund = a.api(Method::GET, "/api/v1/funds/fund", Some(&staff), None).await.json();
        let lift = &fund["contracts"][0];
        assert_eq!((lift["paid"].as_str(), lift["draws"].as_u64()), (Some("150000.00"), Some(2)));
        assert_eq!((lift["next_limit"].as_str(), lift["rule"].as_str()), (Some("398000.00"), Some("reviewed-amount")));
        let flagged = fund["replenish"].as_array().unwrap();
        assert!(!flagged.is_empty() && flagged.iter().all(|r| r["household"].as_str().unwrap().starts_with("13-")));
        let mine = a.api(Method::GET, "/api/v1/funds/mine", Some(&owner), None).await.json();
        let h = &mine["households"][0];
        assert_eq!(h["household"], "13-701");
        assert_ne!(h["demand"], "0.00", "below 30% of the first contribution: {mine}");
        assert!(mine["buildings"]["13"]["quarters"].as_object().unwrap().len() >= 7);
        assert_eq!(a.api(Method::GET, "/api/v1/funds/mine", Some(&staff), None).await.status, StatusCode::FORBIDDEN);

        // the owner's pages: their building marked, the books not theirs
        let page = a.page("/funds", Some(&owner)).await.text();
        assert!(page.contains("id=\"own-13\"") && page.contains("chart-quarters") && !page.contains("entry-form"));
        let q = qs.last().unwrap()["quarter"].as_str().unwrap().to_string();
        let page = a.page(&format!("/funds/quarters/{q}"), Some(&owner)).await.text();
        assert!(page.contains("id=\"b-13\" class=\"own\""), "{page}");
        assert_eq!(a.page("/funds/books", Some(&owner)).await.status, StatusCode::FORBIDDEN);
        let page = a.page("/funds/fund", Some(&owner)).await.text();
        assert!(page.contains("id=\"h-13-701\"") && !page.contains("replenish-table"), "{page}");
        assert!(!page.contains("contract-form") && page.contains("13号楼加装电梯"), "the lift's draws by name");
        let director = a.token("admin").await;
        let page = a.page("/funds/fund", Some(&director)).await.text();
        assert!(page.contains("contract-form") && page.contains("review-form") && page.contains("replenish-table"));
        let page = a.page("/funds/books", Some(&staff)).await.text();
        assert!(page.contains("journal-table") && !page.contains("entry-form"), "staff read, not keep");
        let x = a.page("/funds/books.xlsx", Some(&staff)).await;
        assert_eq!(x.status, StatusCode::OK);
        assert!(x.body.starts_with(b"PK"));
    })
    .await;
}

#[tokio::test]
async fn a_quarter_is_entered_booked_at_the_covenants_rate_and_posted_by_the_15th() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let member = a.token("owner-2-501").await; // a committee member keeps the books
        let director = a.token("admin").await;
        let owner = a.token("owner-13-701").await;
        let post = |path: &'static str, who: String, body: serde_json::Value| {
            let a = &a;
            async move { a.api(Method::POST, path, Some(&who), Some(body)).await }
        };
        // the worked example: 2023Q1, 120,000 income and 30,000 costs at 60% tops up 54,000
        for (account, amount, building) in [
            ("income:parking", "100000", None),
            ("income:advert", "20000", Some("13")),
            ("cost:tax", "7200", None),
            ("cost:labour", "22800", None),
        ] {
            let r = post(
                "/api/v1/funds/transactions",
                member.clone(),
                json!({"date": "2023-02-20", "account": account, "amount": amount, "building": building, "memo": "例"}),
            )
            .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        }
        assert_eq!(
            post("/api/v1/funds/transactions", owner.clone(), json!({"account": "income:other", "amount": "1"}))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let r = a.api(Method::POST, "/api/v1/funds/statements/2023Q1/posting", Some(&director), Some(json!({}))).await;
        assert!(r.status == StatusCode::CONFLICT && r.text().contains("funds.quarter-not-booked"), "{}", r.text());
        let r = a
            .api(
                Method::POST,
                "/api/v1/funds/quarters/2023Q1/booking",
                Some(&member),
                Some(json!({"date": "2023-04-08"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let q = r.json();
        assert_eq!(
            (q["income"].as_str(), q["costs"].as_str(), q["net"].as_str(), q["top_up"].as_str()),
            (Some("120000.00"), Some("30000.00"), Some("90000.00"), Some("54000.00"))
        );
        assert_eq!((q["statement_by"].as_str(), q["transfer_by"].as_str()), (Some("2023-04-15"), Some("2023-04-30")));
        assert_eq!(q["per_building"]["13"]["income"], "20000.00");
        let r = a.api(Method::POST, "/api/v1/funds/quarters/2023Q1/booking", Some(&member), Some(json!({}))).await;
        assert!(r.status == StatusCode::CONFLICT && r.text().contains("funds.quarter-booked"));
        let r = a.api(Method::POST, "/api/v1/funds/quarters/2099Q1/booking", Some(&member), Some(json!({}))).await;
        assert!(r.status == StatusCode::CONFLICT && r.text().contains("funds.quarter-not-over"));
        // the owner does not see it before it is posted; then reads it
        assert_eq!(
            a.api(Method::GET, "/api/v1/funds/quarters/2023Q1", Some(&owner), None).await.status,
            StatusCode::NOT_FOUND
        );
        let r = a
            .api(
                Method::POST,
                "/api/v1/funds/statements/2023Q1/posting",
                Some(&director),
                Some(json!({"date": "2023-04-12"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let q = a.api(Method::GET, "/api/v1/funds/quarters/2023Q1", Some(&owner), None).await.json();
        assert_eq!((q["posted_on"].as_str(), q["statement_state"].as_str()), (Some("2023-04-12"), Some("done")));
        let told = a
            .store
            .messages(&a.compound, gongzhi_store::kit::outbox::Status::Queued, 100_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == gongzhi_store::funds::STATEMENT_POSTED && m.subject.contains("2023Q1"))
            .count();
        assert!(told > 500, "every owner is told the statement is posted: {told}");
        let r = a.api(Method::POST, "/api/v1/funds/statements/2023Q1/posting", Some(&director), Some(json!({}))).await;
        assert!(r.status == StatusCode::CONFLICT && r.text().contains("funds.statement-posted"));

        // the running quarter's statement has its reminder before the 15th and its flag after
        let due: Vec<_> = a
            .store
            .messages(&a.compound, gongzhi_store::kit::outbox::Status::Queued, 100_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| {
                m.kind == gongzhi_store::funds::STATEMENT_DUE || m.kind == gongzhi_store::funds::STATEMENT_OVERDUE
            })
            .collect();
        let this = gongzhi_core::funds::Quarter::of(gongzhi_core::kit::period::day_of(gongzhi_core::time::now_ms()));
        assert!(
            due.iter().any(|m| m.kind == gongzhi_store::funds::STATEMENT_DUE && m.subject.contains(&this.to_string())),
            "{due:?}"
        );

        // the rate: strictly above one half
        let r = a.api(Method::PUT, "/api/v1/funds/rate", Some(&director), Some(json!({"rate": "0.5"}))).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("funds.rate-not-above-half"));
        assert_eq!(
            a.api(Method::PUT, "/api/v1/funds/rate", Some(&member), Some(json!({"rate": "0.7"}))).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            a.api(Method::PUT, "/api/v1/funds/rate", Some(&director), Some(json!({"rate": "0.7"}))).await.status,
            StatusCode::NO_CONTENT
        );
    })
    .await;
}

#[tokio::test]
async fn spending_needs_a_passed_vote_draws_keep_their_limits_and_reversals_restore() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let member = a.token("owner-2-501").await;
        let director = a.token("admin").await;
        let api = |m: Method, path: String, who: &str, body: serde_json::Value| {
            let a = &a;
            let who = who.to_string();
            async move { a.api(m, &path, Some(&who), Some(body)).await }
        };
        let open = a.matter_id(gongzhi_store::demo::PATH_TITLE).await;
        let shortcut = a.matter_id(gongzhi_store::demo::SHORTCUT_TITLE).await;
        let spend =
            |link: Option<String>| json!({"account": "spending", "amount": "800", "memo": "围墙通道", "link": link});
        let r = api(Method::POST, "/api/v1/funds/transactions".into(), &member, spend(None)).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("funds.spending-without-authority"));
        let r = api(Method::POST, "/api/v1/funds/transactions".into(), &member, spend(Some(format!("matter:{open}"))))
            .await;
        assert!(r.status == StatusCode::CONFLICT && r.text().contains("funds.matter-not-passed"), "{}", r.text());
        let r =
            api(Method::POST, "/api/v1/funds/transactions".into(), &member, spend(Some(format!("matter:{shortcut}"))))
                .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(r.json()["price_review"], false, "38,800 paid on the shortcut");
        let more = json!({"account": "spending", "amount": "11200", "memo": "便道照明", "link": format!("matter:{shortcut}")});
        let r = api(Method::POST, "/api/v1/funds/transactions".into(), &member, more).await;
        assert_eq!((r.status, r.json()["price_review"].clone()), (StatusCode::CREATED, json!(true)), "50,000 reached");

        // a 200,000 contract for Building 4's works, approved by the shortcut's vote
        let p4 = a
            .store
            .projects(&a.compound)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.scope.to_string() == "building:4")
            .unwrap()
            .id;
        let c = json!({"project": p4, "matter": shortcut, "contract": "200000"});
        assert_eq!(
            api(Method::POST, "/api/v1/funds/contracts".into(), &member, c.clone()).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            api(Method::POST, "/api/v1/funds/contracts".into(), &director, c).await.status,
            StatusCode::NO_CONTENT
        );
        let draw = |amount: &str| json!({"project": p4, "amount": amount, "memo": "测试"});
        let refused = |r: Resp, rule: &str| {
            assert!(
                r.status == StatusCode::CONFLICT
                    && r.text().contains("funds.draw-over-limit")
                    && r.text().contains(rule),
                "{rule}: {}",
                r.text()
            );
        };
        refused(api(Method::POST, "/api/v1/funds/draws".into(), &member, draw("60000.01")).await, "first-draw-30");
        assert_eq!(
            api(Method::POST, "/api/v1/funds/draws".into(), &member, draw("60000")).await.status,
            StatusCode::CREATED
        );
        refused(api(Method::POST, "/api/v1/funds/draws".into(), &member, draw("120000.01")).await, "before-review-90");
        let fb = |fund: &serde_json::Value| fund["buildings"]["4"].as_str().unwrap().to_string();
        let before = a.api(Method::GET, "/api/v1/funds/fund", Some(&member), None).await.json();
        let r = api(Method::POST, "/api/v1/funds/draws".into(), &member, draw("120000")).await;
        assert_eq!(r.status, StatusCode::CREATED);
        let id = r.json()["id"].as_u64().unwrap();
        let during = a.api(Method::GET, "/api/v1/funds/fund", Some(&member), None).await.json();
        assert_ne!(fb(&before), fb(&during));
        // the second draw reversed: every balance as it was, and the 90% room back
        let r =
            api(Method::POST, format!("/api/v1/funds/transactions/{id}/reversal"), &member, json!({"memo": "错付"}))
                .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let after = a.api(Method::GET, "/api/v1/funds/fund", Some(&member), None).await.json();
        assert_eq!((fb(&before), before["total"].clone()), (fb(&after), after["total"].clone()));
        let r = api(Method::POST, format!("/api/v1/funds/transactions/{id}/reversal"), &member, json!({})).await;
        assert!(r.status == StatusCode::CONFLICT && r.text().contains("funds.already-reversed"));
        let r =
            api(Method::PUT, format!("/api/v1/funds/contracts/{p4}/review"), &director, json!({"reviewed": "150000"}))
                .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        refused(api(Method::POST, "/api/v1/funds/draws".into(), &member, draw("90000.01")).await, "reviewed-amount");
        assert_eq!(
            api(Method::POST, "/api/v1/funds/draws".into(), &member, draw("90000")).await.status,
            StatusCode::CREATED
        );

        // a standing authorisation pays within its per-item and total limits, and only in its period
        let auth = json!({"id": "lamps", "pays": "public-revenue", "cases": "路灯维修", "per_item": "2000",
            "total": "3000", "from": "2026-01-01", "until": "2026-12-31"});
        assert_eq!(api(Method::POST, "/api/v1/funds/authorisations".into(), &member, auth.clone()).await.status, StatusCode::FORBIDDEN);
        let r = api(Method::POST, "/api/v1/funds/authorisations".into(), &director, auth.clone()).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        assert_eq!(api(Method::POST, "/api/v1/funds/authorisations".into(), &director, auth).await.status, StatusCode::CONFLICT);
        let lamp = |amount: &str, date: &str| json!({"account": "spending", "amount": amount, "date": date, "link": "authorisation:lamps"});
        let code = |r: Resp| r.json()["code"].as_str().unwrap_or_default().to_string();
        let t = "/api/v1/funds/transactions".to_string();
        assert_eq!(code(api(Method::POST, t.clone(), &member, lamp("2500", "2026-06-01")).await), "funds.over-authorisation-limit");
        assert_eq!(code(api(Method::POST, t.clone(), &member, lamp("100", "2027-01-02")).await), "funds.outside-authorisation-period");
        assert_eq!(api(Method::POST, t.clone(), &member, lamp("1800", "2026-06-01")).await.status, StatusCode::CREATED);
        assert_eq!(code(api(Method::POST, t.clone(), &member, lamp("1800", "2026-06-02")).await), "funds.authorisation-exhausted");
        let list = a.api(Method::GET, "/api/v1/funds/authorisations", Some(&member), None).await.json();
        let lamps = list.as_array().unwrap().iter().find(|x| x["id"] == "lamps").unwrap().clone();
        assert_eq!(lamps["used"], "1800.00");
        // the year's audit: its appointment posted, then its results
        let audit = json!({"firm": "某会计师事务所", "appointment_posted_on": "2026-11-16"});
        assert_eq!(api(Method::PUT, "/api/v1/funds/audits/2026".into(), &director, audit.clone()).await.status, StatusCode::NO_CONTENT);
        assert_eq!(api(Method::PUT, "/api/v1/funds/audits/soon".into(), &director, audit).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.store.funds_audits(&a.compound).await.unwrap().iter().any(|x| x.year == 2026 && x.firm == "某会计师事务所"));

        // an import with a bad row books nothing and names the row; then the good sheet books all
        let n = a.store.funds_ledger(&a.compound).await.unwrap().transactions().len();
        let bad = "日期,科目,金额,楼号,摘要\n2026-01-05,停车收入,1000,,一月\n2026-01-06,广告收入,-5,13,坏\n";
        let r = api(Method::POST, "/api/v1/funds/import".into(), &member, json!({"csv": bad})).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("row 3"), "{}", r.text());
        assert_eq!(a.store.funds_ledger(&a.compound).await.unwrap().transactions().len(), n);
        let good = bad.replace("-5", "500");
        let r = api(Method::POST, "/api/v1/funds/import".into(), &member, json!({"csv": good})).await;
        assert_eq!((r.status, r.json()["imported"].as_u64()), (StatusCode::CREATED, Some(2)));
        // the books always balance, and the audit chain holds every write
        let l = a.store.funds_ledger(&a.compound).await.unwrap();
        assert_eq!(l.trial_balance(jiff::civil::date(2100, 1, 1)).total, gongzhi_core::kit::Money::ZERO);
        assert!(a.store.audit_verify(&a.compound).await.unwrap().is_ok());
    })
    .await;
}
