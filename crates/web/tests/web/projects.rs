//! Building projects through the pages and the API: the board, stages, visits, costs, documents.
#![allow(unused_imports)]

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use gongzhi_store::kit::testing::{on_each_backend, on_each_demo};
use serde_json::{Value, json};

#[tokio::test]
async fn the_board_is_public_to_owners_and_a_project_to_its_building() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let p4 = project_id(&a, "4").await;
        let own = a.token("owner-4-701").await;
        let other = a.token("owner-1-101").await;
        let board = a.page("/projects", Some(&other)).await;
        assert_eq!(board.status, StatusCode::OK);
        assert!(
            board.text().contains("已投入使用")
                && board.text().contains("意愿征询")
                && board.text().contains("规划审批")
        );
        assert_eq!(board.text().matches("class=\"cell ").count(), 33, "every building on the board");
        let mine = a.page(&format!("/projects/{p4}"), Some(&own)).await;
        assert_eq!(mine.status, StatusCode::OK);
        assert!(
            mine.text().contains("您的分摊") && mine.text().contains("41,699.19"),
            "owner 4-701 sees their share, as people read it"
        );
        // every owner reads every building's project summary; per-unit shares and the visit log
        // stay with the building (law on personal information)
        let theirs = a.page(&format!("/projects/{p4}"), Some(&other)).await;
        assert_eq!(theirs.status, StatusCode::OK);
        assert!(!theirs.text().contains("41699.19") && !theirs.text().contains("id=\"visits\""), "{}", theirs.text());
        assert_eq!(
            a.api(Method::GET, &format!("/api/v1/projects/{p4}"), Some(&other), None).await.status,
            StatusCode::OK
        );
        let shares = a.api(Method::GET, &format!("/api/v1/projects/{p4}/shares"), Some(&other), None).await;
        assert_eq!(
            (shares.status, shares.json()["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("accounts.not-allowed"))
        );
        assert_eq!(
            a.api(Method::GET, "/api/v1/projects", Some(&other), None).await.json().as_array().unwrap().len(),
            6
        );
        let shares = a.api(Method::GET, &format!("/api/v1/projects/{p4}/shares"), Some(&own), None).await.json();
        assert_eq!(shares["subsidy"], "260000.00");
        assert_eq!(shares["residents_total"], "390000.00");
        let total: i64 = shares["shares"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| gongzhi_core::Money::parse(s["share"].as_str().unwrap()).unwrap().fen())
            .sum();
        assert_eq!(total, 39_000_000);
        let doc = a.page(&format!("/projects/{p4}/ballot"), Some(&own)).await.text();
        assert!(doc.contains("<svg") && doc.contains("41,699.19"), "the paper ballot prints each share and a QR code");
        // owners do not edit; another building's leader does not either; this building's leader does
        let visit = json!({"unit": "4-301", "stance": "support", "reasons": ["cost"]});
        assert_eq!(
            a.api(Method::POST, &format!("/api/v1/projects/{p4}/visits"), Some(&own), Some(visit.clone())).await.status,
            StatusCode::FORBIDDEN
        );
        let leader1 = a.token("owner-1-201").await;
        assert_eq!(
            a.api(Method::POST, &format!("/api/v1/projects/{p4}/visits"), Some(&leader1), Some(visit.clone()))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let leader4 = a.token("owner-4-201").await;
        assert_eq!(
            a.api(Method::POST, &format!("/api/v1/projects/{p4}/visits"), Some(&leader4), Some(visit.clone()))
                .await
                .status,
            StatusCode::CREATED
        );
        let outside = json!({"unit": "5-301", "stance": "support"});
        let r = a.api(Method::POST, &format!("/api/v1/projects/{p4}/visits"), Some(&leader4), Some(outside)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let new = json!({"title": "1号楼加装电梯", "kind": "lift-retrofit", "scope": "building:1"});
        assert_eq!(
            a.api(Method::POST, "/api/v1/projects", Some(&leader4), Some(new.clone())).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            a.api(Method::POST, "/api/v1/projects", Some(&leader1), Some(new)).await.status,
            StatusCode::CREATED
        );
    })
    .await;
}

#[tokio::test]
async fn building_4_goes_from_consultation_through_its_vote_to_construction() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let p4 = project_id(&a, "4").await;
        let staff = a.token("staff").await;
        let director = a.token("admin").await;
        let stage = |s: &str| json!({"stage": s});
        let r = a
            .api(Method::POST, &format!("/api/v1/projects/{p4}/stage"), Some(&staff), Some(stage("scheme-notice")))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let r = a.api(Method::POST, &format!("/api/v1/projects/{p4}/stage"), Some(&staff), Some(stage("vote"))).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(r.json()["code"], "projects.stage-blocked");
        assert_eq!(r.json()["values"]["missing"][0]["en"], "the scheme has not been posted");
        // the scheme went up on the building's notice board 20 days ago
        let csrf = a.csrf(&staff).await;
        let posted = gongzhi_core::time::date(gongzhi_web::now_ms() - 30 * 86_400_000);
        let photo = ("photo", "公示.png", "image/png", gongzhi_store::demo::NOTICE_PHOTO);
        let uri = format!("/projects/{p4}/scheme-notice");
        // the stage was entered just now: a notice posted 30 days ago would predate its scheme
        let f = a.multipart(&uri, &staff, &[("csrf", &csrf), ("scheme_notice_date", &posted)], &[photo]).await;
        assert_eq!(f.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", f.text());
        assert!(f.text().contains("早于项目进入方案公示阶段的日期"), "the project page says why");
        let no_photo = a.multipart(&uri, &staff, &[("csrf", &csrf), ("scheme_notice_date", &posted)], &[]).await;
        assert!(no_photo.text().contains("请上传张贴在现场的公示照片"));
        // the days pass: the stage was in truth entered a month ago
        sqlx::query("UPDATE project_stages SET at = $1 WHERE project_id = $2 AND stage = 'scheme-notice'")
            .bind(gongzhi_web::now_ms() - 31 * 86_400_000)
            .bind(&p4)
            .execute(&a.store.pool)
            .await
            .unwrap();
        let f = a.multipart(&uri, &staff, &[("csrf", &csrf), ("scheme_notice_date", &posted)], &[photo]).await;
        assert_eq!(f.status, StatusCode::SEE_OTHER, "{}", f.text());
        let log = a.store.audit_entries(&a.compound).await.unwrap();
        assert!(log.iter().any(|e| e.action == "project.scheme-notice" && e.actor == "staff"), "who entered it");
        let r = a.api(Method::POST, &format!("/api/v1/projects/{p4}/stage"), Some(&staff), Some(stage("vote"))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let matter = r.json()["matter_id"].as_str().unwrap().to_string();
        let m = a.api(Method::GET, &format!("/api/v1/matters/{matter}"), Some(&director), None).await.json();
        assert_eq!(
            (m["matter"].as_str(), m["scope"].as_str(), m["status"].as_str()),
            (Some("alteration"), Some("building:4"), Some("notice"))
        );
        let r = a.api(Method::POST, &format!("/api/v1/matters/{matter}/open"), Some(&director), None).await;
        assert_eq!(r.json()["code"], "voting.window-missing", "the vote needs its window first: {}", r.text());
        let last_day = gongzhi_core::time::date(gongzhi_core::time::now_ms() + 14 * 86_400_000);
        let w = a
            .api(
                Method::POST,
                &format!("/api/v1/matters/{matter}/window"),
                Some(&director),
                Some(json!({"window_end": last_day})),
            )
            .await;
        assert_eq!(w.status, StatusCode::OK, "{}", w.text());
        let r = a.api(Method::POST, &format!("/api/v1/matters/{matter}/open"), Some(&director), None).await;
        assert_eq!(r.status, StatusCode::OK, "the scheme notice served as the vote's notice: {}", r.text());
        // each owner sees their share on the ballot page before voting
        let own = a.token("owner-4-701").await;
        let page = a.page(&format!("/matters/{matter}"), Some(&own)).await.text();
        assert!(page.contains("您的分摊") && page.contains("41,699.19"), "{page}");
        // …with the yearly running cost next to it, the same figure as the project's table
        let pr = a.store.project(&a.compound, &p4).await.unwrap();
        let running = a.store.running_shares(&a.compound, &pr).await.unwrap();
        let r701 = running.iter().find(|s| s.unit.as_str() == "4-701").unwrap().share;
        assert!(r701.fen() > 0);
        let said = format!("建成后每年运行费用约 <strong>{}</strong> 元", r701.readable());
        assert!(page.contains(&said), "{said} in {}", element(&page, "<ul id=\"my-share\">"));
        let project_page = a.page(&format!("/projects/{p4}"), Some(&own)).await.text();
        assert!(element(&project_page, "<ul id=\"my-share\">").contains(&said), "and on the project page");
        for floor in 1..=7 {
            for room in 1..=2 {
                let unit = format!("4-{floor}0{room}");
                let t = a.token(&format!("owner-{unit}")).await;
                let choice = if unit == "4-101" { "oppose" } else { "approve" };
                let r = a
                    .api(
                        Method::POST,
                        &format!("/api/v1/matters/{matter}/ballots"),
                        Some(&t),
                        Some(json!({"unit": unit, "choice": choice})),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::CREATED, "{unit}: {}", r.text());
            }
        }
        let r =
            a.api(Method::POST, &format!("/api/v1/projects/{p4}/stage"), Some(&staff), Some(stage("approvals"))).await;
        assert_eq!(r.json()["code"], "projects.stage-blocked");
        assert_eq!(r.json()["values"]["missing"][0]["en"], "the owners' vote has not closed");
        let t = a.api(Method::POST, &format!("/api/v1/matters/{matter}/close"), Some(&director), None).await.json();
        assert_eq!(t["passed"], true);
        assert_eq!(t["approve"]["owners"], 13);
        a.api(Method::POST, &format!("/api/v1/projects/{p4}/stage"), Some(&staff), Some(stage("approvals"))).await;
        let r = a
            .api(Method::POST, &format!("/api/v1/projects/{p4}/stage"), Some(&staff), Some(stage("construction")))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(r.json()["code"], "projects.stage-blocked");
        assert_eq!(r.json()["values"]["missing"].as_array().unwrap().len(), 2, "planning approval, start-of-works");
        let f = a
            .form(
                &format!("/projects/{p4}/facts"),
                Some(&staff),
                &[
                    ("csrf", &csrf),
                    ("planned_start", "2027-03-01"),
                    ("planning_approved", "1"),
                    ("start_report_filed", "1"),
                ],
            )
            .await;
        assert_eq!(f.status, StatusCode::SEE_OTHER);
        let r = a
            .api(Method::POST, &format!("/api/v1/projects/{p4}/stage"), Some(&staff), Some(stage("construction")))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["stage"], "construction");
        assert!(a.page("/projects", Some(&own)).await.text().contains("施工"));
    })
    .await;
}

#[tokio::test]
async fn costs_and_negotiations_are_recorded_from_the_project_page() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let p4 = project_id(&a, "4").await;
        let s = a.token("owner-2-501").await; // a committee member
        let csrf = a.csrf(&s).await;
        let r = a
            .form(
                &format!("/projects/{p4}/costs"),
                Some(&s),
                &[("csrf", &csrf), ("label", "电信管线迁移"), ("quoted", "100000")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let item = a.store.cost_items(&a.compound, &p4).await.unwrap()[0].id.clone();
        a.form(
            &format!("/projects/{p4}/negotiate"),
            Some(&s),
            &[("csrf", &csrf), ("item", &item), ("agreed", "30000"), ("by", "业委会主任"), ("note", "")],
        )
        .await;
        a.form(
            &format!("/projects/{p4}/pay"),
            Some(&s),
            &[("csrf", &csrf), ("item", &item), ("amount", "10000"), ("paid_on", "2026-11-20")],
        )
        .await;
        let bad = a
            .form(
                &format!("/projects/{p4}/pay"),
                Some(&s),
                &[("csrf", &csrf), ("item", &item), ("amount", "-1"), ("paid_on", "2026-11-20")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = a.page(&format!("/projects/{p4}"), Some(&s)).await.text();
        assert!(
            page.contains("70,000.00") && page.contains("10,000.00") && page.contains("业委会主任"),
            "saving and payment shown"
        );
        let w = a
            .form(
                &format!("/projects/{p4}/costing"),
                Some(&s),
                &[
                    ("csrf", &csrf),
                    ("cost", "650000"),
                    ("rate", "0.4"),
                    ("cap", "280000"),
                    ("other", "10000"),
                    ("weights", "7=-1"),
                    ("basis", "area"),
                ],
            )
            .await;
        assert_eq!(w.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(w.text().contains("负数"), "{}", w.text());
        let owner = a.token("owner-4-701").await;
        let oc = a.csrf(&owner).await;
        let r = a
            .form(&format!("/projects/{p4}/costs"), Some(&owner), &[("csrf", &oc), ("label", "x"), ("quoted", "1")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn project_documents_are_for_the_building() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let p4 = project_id(&a, "4").await;
        let s = a.token("staff").await;
        let csrf = a.csrf(&s).await;
        let boundary = "B0und";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"报价单.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 quote\r\n--{boundary}--\r\n"
        );
        let upload = |session: String, body: String| {
            Request::builder()
                .method(Method::POST)
                .uri(format!("/projects/{p4}/documents"))
                .header(header::COOKIE, format!("gz_session={session}"))
                .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
                .body(Body::from(body))
                .unwrap()
        };
        let r = a.send(upload(s.clone(), body.clone())).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let docs = a.store.project_documents(&a.compound, &p4).await.unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].1, "报价单.pdf");
        let own = a.token("owner-4-702").await;
        assert!(a.page(&format!("/projects/{p4}"), Some(&own)).await.text().contains("报价单.pdf"));
        let got = a.page(&format!("/attachments/{}", docs[0].0), Some(&own)).await;
        assert_eq!(got.status, StatusCode::OK);
        assert_eq!(got.body, b"%PDF-1.4 quote");
        let other = a.token("owner-1-101").await;
        // a project's documents are part of its summary, which every owner reads (Building 4 learns from 13)
        assert_eq!(a.page(&format!("/attachments/{}", docs[0].0), Some(&other)).await.status, StatusCode::OK);
        let outsider = a.token("staff").await;
        assert_eq!(a.page(&format!("/attachments/{}", docs[0].0), Some(&outsider)).await.status, StatusCode::OK);
        let own_csrf = a.csrf(&own).await;
        let r = a.send(upload(own.clone(), body.replace(&csrf, &own_csrf))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "an owner does not upload");
    })
    .await;
}

/// The markup from `open` to the first `</div>` after it.
fn element<'a>(page: &'a str, open: &str) -> &'a str {
    let at = page.find(open).unwrap_or_else(|| panic!("{open} not in {page}"));
    let rest = &page[at..];
    &rest[..rest.find("</div>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn a_refused_stage_move_shows_the_project_page_with_what_is_missing() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let p4 = project_id(&a, "4").await;
        let title = a.store.project(&a.compound, &p4).await.unwrap().title;
        let s = a.token("owner-2-501").await; // a committee member
        let csrf = a.csrf(&s).await;
        let uri = format!("/projects/{p4}/stage");
        let r = a.form(&uri, Some(&s), &[("csrf", &csrf), ("stage", "scheme-notice")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

        let r = a.form(&uri, Some(&s), &[("csrf", &csrf), ("stage", "vote")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let page = r.text();
        assert!(page.contains(&format!("<h1>{title}</h1>")), "the project page itself: {page}");
        let alert = element(&page, "<div class=\"refused\" role=\"alert\" id=\"refused\">");
        assert!(alert.contains("阶段未能变更") && alert.contains("<li>方案尚未公示</li>"), "{alert}");
        assert!(page.find("role=\"alert\"") < page.find("id=\"stage\""), "the notice is at the top");
        assert!(page.contains("id=\"next-stage\"") && page.contains("id=\"visit-form\""), "the forms are still there");

        // skipping a stage: what comes first, in English for an English reader
        let req = Request::builder()
            .method(Method::POST)
            .uri(&uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("gz_session={s}; gz_lang=en"))
            .body(Body::from(format!("csrf={csrf}&stage=approvals")))
            .unwrap();
        let r = a.send(req).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let page = r.text();
        let alert = element(&page, "role=\"alert\"");
        assert!(alert.contains("The stage was not changed"), "{alert}");
        assert!(alert.contains("<li>owners&#39; vote comes first; stages cannot be skipped</li>"), "{alert}");
        assert!(!alert.contains("不能越过"), "{alert}");
        assert!(page.contains("id=\"stage\">scheme notice<"), "still at the scheme notice: {page}");
        assert_eq!(a.store.project(&a.compound, &p4).await.unwrap().stage, gongzhi_core::projects::Stage::SchemeNotice);

        // the page as it normally is has no such notice; the API still answers in JSON
        let page = a.page(&format!("/projects/{p4}"), Some(&s)).await.text();
        assert!(!page.contains("role=\"alert\""), "{page}");
        // the stage history names who moved it (the committee member), never a login
        let member = {
            let (id, _) = a.store.person_for_login("owner-2-501").await.unwrap().unwrap();
            a.store.account(&a.compound, &id).await.unwrap().name
        };
        assert!(page.contains(&member) && !page.contains("owner-2-501"), "{page}");
        let r = a
            .api(Method::POST, &format!("/api/v1/projects/{p4}/stage"), Some(&s), Some(json!({"stage": "vote"})))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(r.json()["code"], "projects.stage-blocked");
        assert_eq!(r.json()["values"]["stage"], "vote");
        assert_eq!(r.json()["values"]["missing"][0]["zh"], "方案尚未公示");
    })
    .await;
}

#[tokio::test]
async fn the_visit_log_names_the_visitor_and_their_role_not_their_login() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let p4 = project_id(&a, "4").await;
        let leader = a.token("owner-4-201").await;
        let name = a.store.session_account(&leader).await.unwrap().unwrap().1.name;
        let csrf = a.csrf(&leader).await;
        let r = a
            .form(
                &format!("/projects/{p4}/visits"),
                Some(&leader),
                &[("csrf", &csrf), ("unit", "4-302"), ("stance", "support"), ("note", "担心费用")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let visits = a.store.visits(&a.compound, &p4).await.unwrap();
        let v = visits.iter().find(|v| v.unit == "4-302").unwrap();
        assert_eq!((v.visitor.as_str(), v.visitor_name.as_str()), ("owner-4-201", name.as_str()));
        assert!(v.visitor_roles.contains(&gongzhi_core::accounts::Role::BuildingLeader), "{v:?}");

        // the log is for the committee, staff and the building's leader, not the building's owners
        let owner = a.token("owner-4-702").await;
        assert!(!a.page(&format!("/projects/{p4}"), Some(&owner)).await.text().contains("<table id=\"visits\">"));
        let staff = a.token("staff").await;
        let page = a.page(&format!("/projects/{p4}"), Some(&staff)).await.text();
        let log = element(&page, "<table id=\"visits\">");
        assert!(log.contains(&format!("<td><span>{name}</span>（楼组长）</td>")), "{log}");
        assert!(log.contains("<td><span>系统记录</span></td>"), "the demo's visits were seeded: {log}");
        assert!(!page.contains("owner-4-201"), "no login on the page");
        let req = Request::builder()
            .uri(format!("/projects/{p4}"))
            .header(header::COOKIE, format!("gz_session={staff}; gz_lang=en"))
            .body(Body::empty())
            .unwrap();
        let page = a.send(req).await.text();
        let log = element(&page, "<table id=\"visits\">");
        assert!(log.contains(&format!("<td><span lang=\"zh-CN\">{name}</span> (building leader)</td>")), "{log}");
        assert!(!page.contains("owner-4-201"));
    })
    .await;
}

#[tokio::test]
async fn a_building_leader_is_led_to_the_next_household_and_sees_the_visit_saved() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let p4 = project_id(&a, "4").await;
        let leader = a.token("owner-4-201").await;
        let pr = a.store.project(&a.compound, &p4).await.unwrap();
        let visited: std::collections::HashSet<String> =
            a.store.visits(&a.compound, &p4).await.unwrap().into_iter().map(|v| v.unit.to_string()).collect();
        let units = a.store.project_units(&a.compound, &pr).await.unwrap();
        let next = units.iter().find(|u| !visited.contains(&u.no.to_string())).unwrap().no.to_string();

        // the leader's home leads to the next unvisited household of their building's project
        let home = a.page("/", Some(&leader)).await.text();
        let link = format!("/projects/{p4}?unit={next}#visit-form");
        assert!(home.contains(&link), "{home}");
        // …and to its own building's non-voters of the open compound-wide vote
        assert!(home.contains("本楼尚未投票的户（按走访顺序）：4 · "), "{home}");
        // …and no other building's
        let p13 = project_id(&a, "13").await;
        assert!(!home.contains(&format!("/projects/{p13}?unit=")), "{home}");

        // the visit form starts on that household
        let page = a.page(&format!("/projects/{p4}?unit={next}"), Some(&leader)).await.text();
        assert!(
            page.contains(&format!("<option value=\"{next}\" selected>")),
            "{}",
            element(&page, "<select id=\"v-unit\"")
        );
        let plain = a.page(&format!("/projects/{p4}"), Some(&leader)).await.text();
        assert!(plain.contains(&format!("<option value=\"{next}\" selected>")), "the next unvisited by default");
        assert!(!plain.contains("id=\"visit-saved\""));

        // saving it confirms on the page and the default moves on
        let csrf = a.csrf(&leader).await;
        let r = a
            .form(
                &format!("/projects/{p4}/visits"),
                Some(&leader),
                &[("csrf", &csrf), ("unit", &next), ("stance", "support")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
        assert_eq!(to, format!("/projects/{p4}?saved={next}#visit-form"));
        let after = a.page(to.split('#').next().unwrap(), Some(&leader)).await.text();
        assert!(after.contains("id=\"visit-saved\"") && after.contains(&format!("已记录走访： {next}")), "{after}");
        let then = units.iter().map(|u| u.no.to_string()).find(|u| !visited.contains(u) && *u != next);
        if let Some(then) = then {
            assert!(after.contains(&format!("<option value=\"{then}\" selected>")), "moves on to {then}");
            assert!(
                a.page("/", Some(&leader)).await.text().contains(&format!("/projects/{p4}?unit={then}#visit-form"))
            );
        }
        // an owner who is not a leader gets no visiting task
        let owner = a.token("owner-4-702").await;
        let theirs = a.page("/", Some(&owner)).await.text();
        assert!(!theirs.contains("?unit=") && !theirs.contains("本楼尚未投票的户"), "{theirs}");
    })
    .await;
}
