//! Voting through the pages and the API: ballots, roles, paper and proxies, closing.
#![allow(unused_imports)]

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use gongzhi_store::kit::testing::{on_each_backend, on_each_demo};
use serde_json::{Value, json};

#[tokio::test]
async fn an_owner_votes_once_for_their_own_unit_only() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let t = a.token("owner-13-701").await;
        let list = a.api(Method::GET, "/api/v1/matters", Some(&t), None).await.json();
        let open: Vec<&Value> = list.as_array().unwrap().iter().filter(|m| m["status"] == "open").collect();
        assert_eq!(open.len(), 2);
        let id = a.matter_id(EVOTE).await;
        let m = a.api(Method::GET, &format!("/api/v1/matters/{id}"), Some(&t), None).await.json();
        assert_eq!(
            (m["matter"].as_str(), m["scope"].as_str(), m["status"].as_str()),
            (Some("procedure-rules"), Some("compound"), Some("open"))
        );

        let uri = format!("/api/v1/matters/{id}/ballots");
        let r = a.api(Method::POST, &uri, Some(&t), Some(json!({"unit": "13-701", "choice": "approve"}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let receipt = r.json()["receipt"].as_str().unwrap().to_string();
        assert!(a.store.receipts(&a.compound, &id).await.unwrap().contains(&receipt));
        let again = a.api(Method::POST, &uri, Some(&t), Some(json!({"unit": "13-701", "choice": "oppose"}))).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        let other = a.api(Method::POST, &uri, Some(&t), Some(json!({"unit": "13-702", "choice": "approve"}))).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        let bad = a.api(Method::POST, &uri, Some(&t), Some(json!({"unit": "13-701", "choice": "maybe"}))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["code"], "voting.bad-choice");
        assert_eq!(bad.json()["values"]["value"], "maybe");
        let closed = a.matter_id(LIFT).await;
        let late = a
            .api(
                Method::POST,
                &format!("/api/v1/matters/{closed}/ballots"),
                Some(&t),
                Some(json!({"unit": "13-701", "choice": "approve"})),
            )
            .await;
        assert_eq!(late.status, StatusCode::CONFLICT);
        assert_eq!(late.json()["code"], "voting.not-open-for-voting");
        assert_eq!(late.json()["values"]["status"], "closed");

        // turnout without choices; the tally waits for the close
        let tu = a.api(Method::GET, &format!("/api/v1/matters/{id}/turnout"), Some(&t), None).await.json();
        assert_eq!(tu["participating"]["owners"], 5);
        assert_eq!(tu["to_visit"], Value::Null, "an owner does not get the follow-up list");
        let staff = a.token("staff").await;
        let tu = a.api(Method::GET, &format!("/api/v1/matters/{id}/turnout"), Some(&staff), None).await.json();
        assert!(tu["to_visit"].as_array().unwrap().len() > 600);
        assert_eq!(
            a.api(Method::GET, &format!("/api/v1/matters/{id}/tally"), Some(&staff), None).await.status,
            StatusCode::CONFLICT
        );
        let lift = a.api(Method::GET, &format!("/api/v1/matters/{closed}/tally"), Some(&t), None).await.json();
        assert_eq!(lift["passed"], true);
        assert_eq!(lift["approve"]["owners"], 13);
        assert_eq!(lift["threshold"], "three-quarters");
    })
    .await;
}

#[tokio::test]
async fn committee_roles_are_enforced_on_the_api() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let member = a.token("owner-2-501").await; // committee member
        let staff = a.token("staff").await;
        let director = a.token("admin").await;
        let new = json!({"title": "更换物业公司", "matter": "property-manager", "scope": "compound"});
        for t in [&owner, &staff] {
            assert_eq!(
                a.api(Method::POST, "/api/v1/matters", Some(t), Some(new.clone())).await.status,
                StatusCode::FORBIDDEN
            );
        }
        let r = a.api(Method::POST, "/api/v1/matters", Some(&member), Some(new.clone())).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let draft = r.json()["id"].as_str().unwrap().to_string();
        // drafts are invisible to owners
        assert_eq!(
            a.api(Method::GET, &format!("/api/v1/matters/{draft}"), Some(&owner), None).await.status,
            StatusCode::NOT_FOUND
        );
        let listed = a.api(Method::GET, "/api/v1/matters", Some(&owner), None).await.json();
        assert!(listed.as_array().unwrap().iter().all(|m| m["id"] != draft.as_str()));
        let bad = a
            .api(
                Method::POST,
                "/api/v1/matters",
                Some(&member),
                Some(json!({"title": "x", "matter": "lift", "scope": "compound"})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["code"], "voting.bad-kind");
        assert_eq!(bad.json()["detail"], "kind: unknown kind 'lift'");

        assert_eq!(
            a.api(Method::POST, &format!("/api/v1/matters/{draft}/notice"), Some(&owner), None).await.status,
            StatusCode::FORBIDDEN
        );
        let n = a.api(Method::POST, &format!("/api/v1/matters/{draft}/notice"), Some(&member), None).await;
        assert_eq!(n.json()["status"], "notice");
        let early = a.api(Method::POST, &format!("/api/v1/matters/{draft}/open"), Some(&member), None).await;
        assert_eq!(early.status, StatusCode::CONFLICT);
        assert_eq!(early.json()["code"], "voting.notice-still-standing");
        assert_eq!(early.json()["values"]["days"], 7);

        let id = a.matter_id(EVOTE).await;
        for t in [&owner, &member, &staff] {
            assert_eq!(
                a.api(Method::POST, &format!("/api/v1/matters/{id}/close"), Some(t), None).await.status,
                StatusCode::FORBIDDEN
            );
        }
        // owners were promised two more weeks: the director cannot close early
        let early = a.api(Method::POST, &format!("/api/v1/matters/{id}/close"), Some(&director), None).await;
        assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text());
        assert_eq!(early.json()["code"], "voting.window-still-running");
        a.end_window(&id).await;
        let late = a
            .api(
                Method::POST,
                &format!("/api/v1/matters/{id}/ballots"),
                Some(&owner),
                Some(json!({"unit": "13-701", "choice": "approve"})),
            )
            .await;
        assert_eq!(late.json()["code"], "voting.window-ended", "{}", late.text());
        let closed = a.api(Method::POST, &format!("/api/v1/matters/{id}/close"), Some(&director), None).await;
        assert_eq!(closed.status, StatusCode::OK, "{}", closed.text());
        assert_eq!(closed.json()["participation_met"], false);
        assert_eq!(
            a.api(Method::GET, &format!("/api/v1/matters/{id}/tally"), Some(&owner), None).await.json(),
            closed.json()
        );
    })
    .await;
}

#[tokio::test]
async fn pages_follow_roles() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let id = a.matter_id(EVOTE).await;
        let owner = a.token("owner-13-701").await;
        let leader = a.token("owner-13-201").await;
        let staff = a.token("staff").await;
        let director = a.token("admin").await;
        let cases: Vec<(String, &str, StatusCode)> = vec![
            (format!("/matters/{id}/turnout"), &owner, StatusCode::FORBIDDEN),
            (format!("/matters/{id}/turnout"), &leader, StatusCode::OK),
            (format!("/matters/{id}/turnout"), &staff, StatusCode::OK),
            (format!("/matters/{id}/paper"), &owner, StatusCode::FORBIDDEN),
            (format!("/matters/{id}/paper"), &leader, StatusCode::FORBIDDEN),
            (format!("/matters/{id}/paper"), &staff, StatusCode::OK),
            ("/matters/new".into(), &owner, StatusCode::FORBIDDEN),
            ("/matters/new".into(), &staff, StatusCode::FORBIDDEN),
            ("/matters/new".into(), &director, StatusCode::OK),
            ("/codes".into(), &owner, StatusCode::FORBIDDEN),
            ("/codes".into(), &staff, StatusCode::OK),
            ("/audit".into(), &owner, StatusCode::FORBIDDEN),
            ("/audit".into(), &director, StatusCode::OK),
            (format!("/matters/{id}/ballots"), &director, StatusCode::CONFLICT),
            (format!("/matters/{id}/export.xlsx"), &director, StatusCode::CONFLICT),
            (format!("/matters/{id}/receipts"), &owner, StatusCode::OK),
            (format!("/matters/{id}/roll"), &owner, StatusCode::OK),
            (format!("/matters/{id}/notice"), &owner, StatusCode::OK),
            ("/bind".into(), &owner, StatusCode::OK),
        ];
        for (uri, s, want) in cases {
            let r = a.page(&uri, Some(s)).await;
            assert_eq!(r.status, want, "{uri}: {}", r.text().chars().take(300).collect::<String>());
        }
        let turnout = a.page(&format!("/matters/{id}/turnout"), Some(&leader)).await.text();
        assert!(turnout.contains("按此顺序走访"));
        let audit = a.page("/audit", Some(&director)).await.text();
        assert!(audit.contains("哈希链完整"), "{audit}");
        // the owner's matter page offers the vote form but no committee buttons
        let page = a.page(&format!("/matters/{id}"), Some(&owner)).await.text();
        assert!(page.contains(&format!("action=\"/matters/{id}/vote\"")));
        assert!(!page.contains("close-vote"));
        assert!(a.page(&format!("/matters/{id}"), Some(&director)).await.text().contains("close-vote"));
        // posting the committee's forms as an owner is refused
        let csrf = a.csrf(&owner).await;
        for action in ["close", "open", "notice"] {
            let r = a.form(&format!("/matters/{id}/{action}"), Some(&owner), &[("csrf", &csrf)]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{action}");
        }
        let r = a
            .form(
                &format!("/matters/{id}/paper"),
                Some(&owner),
                &[("csrf", &csrf), ("unit", "1-101"), ("choice", "approve")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn paper_ballots_are_double_entered_and_mismatches_held() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let id = a.matter_id(EVOTE).await;
        let s1 = a.token("staff").await;
        let s2 = a.token("staff2").await;
        let d = a.token("admin").await;
        let (c1, c2, cd) = (a.csrf(&s1).await, a.csrf(&s2).await, a.csrf(&d).await);
        let uri = format!("/matters/{id}/paper");
        let r = a.form(&uri, Some(&s1), &[("csrf", &c1), ("unit", "5-301"), ("choice", "approve")]).await;
        assert!(r.text().contains("需另一位工作人员再次录入"), "{}", r.text());
        let same = a.form(&uri, Some(&s1), &[("csrf", &c1), ("unit", "5-301"), ("choice", "approve")]).await;
        assert_eq!(same.status, StatusCode::CONFLICT);
        let r = a.form(&uri, Some(&s2), &[("csrf", &c2), ("unit", "5-301"), ("choice", "approve")]).await;
        assert!(r.text().contains("两次录入一致，已计票"));
        // 5-101 awaits its second entry and sorts before 5-302: it is listed as awaiting, and
        // never paired with 5-302's entries
        a.form(&uri, Some(&s1), &[("csrf", &c1), ("unit", "5-101"), ("choice", "approve")]).await;
        a.form(&uri, Some(&s1), &[("csrf", &c1), ("unit", "5-302"), ("choice", "approve")]).await;
        let r = a.form(&uri, Some(&s2), &[("csrf", &c2), ("unit", "5-302"), ("choice", "oppose")]).await;
        assert!(r.text().contains("两次录入不一致"));
        let page = a.page(&uri, Some(&s1)).await.text();
        let awaiting = &page[page.find("id=\"awaiting\"").expect("the awaiting list")..];
        assert!(awaiting[..awaiting.find("</ul>").unwrap()].contains("5-101"), "{page}");
        let review = &page[page.find("id=\"mismatches\"").unwrap()..page.find("id=\"awaiting\"").unwrap()];
        assert!(review.contains("5-302") && !review.contains("5-101"), "{review}");
        let voted = a.store.voted_units(&a.compound, &id).await.unwrap();
        assert!(voted.contains(&"5-301".to_string()) && !voted.contains(&"5-302".to_string()));
        let held = a.page(&uri, Some(&d)).await.text();
        assert!(held.contains("5-302") && held.contains("/paper/resolve"));
        let by_entrant = a
            .form(&format!("{uri}/resolve"), Some(&s1), &[("csrf", &c1), ("unit", "5-302"), ("choice", "oppose")])
            .await;
        assert_eq!(by_entrant.status, StatusCode::CONFLICT);
        let r = a
            .form(&format!("{uri}/resolve"), Some(&d), &[("csrf", &cd), ("unit", "5-302"), ("choice", "oppose")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let page = r.text();
        let outcome = &page[page.find("id=\"outcome\"").expect("an outcome")..];
        let outcome = &outcome[..outcome.find("</p>").unwrap()];
        assert!(outcome.contains("已按纸质票原件复核并计票"), "{outcome}");
        assert!(!outcome.contains("两次录入一致"), "a decision from the paper is not a match: {outcome}");
        assert!(a.store.voted_units(&a.compound, &id).await.unwrap().contains(&"5-302".to_string()));
    })
    .await;
}

#[tokio::test]
async fn a_proxy_is_recorded_with_its_authorisation() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let id = a.matter_id(EVOTE).await;
        let s = a.token("staff").await;
        let csrf = a.csrf(&s).await;
        let boundary = "XyZ";
        let part = |name: &str, value: &str| format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
        let mut body = String::new();
        for (k, v) in [("csrf", csrf.as_str()), ("unit", "7-101"), ("proxy_name", "陈小明"), ("choice", "oppose")] {
            body.push_str(&part(k, v));
        }
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"authorisation\"; filename=\"委托书.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nJPEGDATA\r\n--{boundary}--\r\n"
        ));
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("/matters/{id}/proxy"))
            .header(header::COOKIE, format!("gz_session={s}"))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .unwrap();
        let r = a.send(req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let ballots = a.store.ballots(&a.compound, &id).await.unwrap();
        let b = ballots.iter().find(|b| b.0.unit.as_str() == "7-101").unwrap();
        assert_eq!((b.0.choice, b.1), (gongzhi_core::Choice::Oppose, gongzhi_core::Channel::Proxy));
    })
    .await;
}

#[tokio::test]
async fn the_director_closes_and_the_result_notice_appears() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let id = a.matter_id(EVOTE).await;
        let d = a.token("admin").await;
        let owner = a.token("owner-13-701").await;
        let csrf = a.csrf(&d).await;
        a.end_window(&id).await;
        let home = a.page("/", Some(&d)).await.text();
        let tasks = &home[home.find("id=\"tasks\"").expect("the director's tasks")..];
        assert!(tasks[..tasks.find("</ul>").unwrap()].contains(&format!("/matters/{id}\"")), "ready to close: {home}");
        let r = a.form(&format!("/matters/{id}/close"), Some(&d), &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers.get(header::LOCATION).unwrap().to_str().unwrap(), format!("/matters/{id}/notice"));
        let notice = a.page(&format!("/matters/{id}/notice"), Some(&owner)).await.text();
        assert!(notice.contains("表决结果公告"), "{notice}");
        assert!(notice.contains("明辉西郊苑"));
        assert!(notice.contains("未通过") && notice.contains("参与表决"), "{notice}");
        let list = a.page(&format!("/matters/{id}/ballots"), Some(&owner)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.text().contains("3-301") && list.text().contains("不公开"));
        let x = a.page(&format!("/matters/{id}/export.xlsx"), Some(&owner)).await;
        assert_eq!(x.status, StatusCode::OK);
        assert_eq!(&x.body[..2], b"PK", "an xlsx is a zip");
        // English on request
        let req = Request::builder()
            .uri(format!("/matters/{id}"))
            .header(header::COOKIE, format!("gz_session={owner}; gz_lang=en"))
            .body(Body::empty())
            .unwrap();
        let en = a.send(req).await.text();
        assert!(en.contains("lang=\"en\"") && en.contains("Not passed") && en.contains("Participation"), "{en}");
        assert_eq!(
            a.store.audit_verify(&a.compound).await.unwrap(),
            Ok(a.store.audit_entries(&a.compound).await.unwrap().len() as i64)
        );
    })
    .await;
}

#[tokio::test]
async fn a_ballot_changed_after_the_close_leaves_the_published_result_and_breaks_the_record() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let id = a.matter_id(LIFT).await;
        let owner = a.token("owner-13-701").await;
        let director = a.token("admin").await;
        let before = a.api(Method::GET, &format!("/api/v1/matters/{id}/tally"), Some(&owner), None).await.json();
        assert_eq!(a.page("/audit", Some(&director)).await.status, StatusCode::OK);
        // a No becomes a Yes by hand in the database, after the vote closed
        let n = sqlx::query("UPDATE ballots SET choice = 'approve' WHERE matter_id = $1 AND choice = 'oppose'")
            .bind(&id)
            .execute(&a.store.pool)
            .await
            .unwrap()
            .rows_affected();
        assert!(n > 0);
        let after = a.api(Method::GET, &format!("/api/v1/matters/{id}/tally"), Some(&owner), None).await.json();
        assert_eq!(before, after, "the published result is what was sealed at the close, not a recount");
        let audit = a.page("/audit", Some(&director)).await.text();
        assert!(audit.contains("表决票在结束后被改动过"), "{audit}");
        let notice = a.page(&format!("/matters/{id}/notice"), Some(&owner)).await.text();
        assert!(notice.contains("<svg"), "the result notice carries the anchor's QR code");
    })
    .await;
}

#[tokio::test]
async fn the_window_is_extended_with_notice_never_shortened() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let id = a.matter_id(EVOTE).await;
        let d = a.token("admin").await;
        let owner = a.token("owner-13-701").await;
        let m = a.api(Method::GET, &format!("/api/v1/matters/{id}"), Some(&d), None).await.json();
        let end = gongzhi_core::time::date(m["window_end"].as_i64().unwrap());
        let day = |s: &str| gongzhi_core::time::parse_date(s).unwrap();
        let shift = |days: i64| gongzhi_core::time::date(day(&end) + days * 86_400_000);
        let uri = format!("/api/v1/matters/{id}/window");
        let shorter = a.api(Method::POST, &uri, Some(&d), Some(json!({"window_end": shift(-3)}))).await;
        assert_eq!(shorter.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", shorter.text());
        assert_eq!(shorter.json()["code"], "voting.window-not-later");
        let by_owner = a.api(Method::POST, &uri, Some(&owner), Some(json!({"window_end": shift(7)}))).await;
        assert_eq!(by_owner.status, StatusCode::FORBIDDEN);
        let longer = a.api(Method::POST, &uri, Some(&d), Some(json!({"window_end": shift(7)}))).await;
        assert_eq!(longer.status, StatusCode::OK, "{}", longer.text());
        assert_eq!(gongzhi_core::time::date(longer.json()["window_end"].as_i64().unwrap()), shift(7));
        assert_eq!(gongzhi_core::time::date(longer.json()["first_window_end"].as_i64().unwrap()), end);
        // the page and the printed notice say it was extended, and from when
        for page in [format!("/matters/{id}"), format!("/matters/{id}/notice")] {
            let text = a.page(&page, Some(&owner)).await.text();
            assert!(text.contains(&format!("原定截止 {end}")) && text.contains("延长公告于"), "{page}: {text}");
        }
        // the owner's home says the vote still needs them
        let home = a.page("/", Some(&owner)).await.text();
        assert!(home.contains("还需要您投票（13-701）"), "{home}");
    })
    .await;
}

#[tokio::test]
async fn a_refused_matter_form_keeps_what_was_typed_and_drafts_are_edited_and_deleted() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let d = a.session("admin").await.0;
        let owner = a.session("owner-13-701").await.0;
        let csrf = a.csrf(&d).await;
        let text = "业主大会会议的详细说明：请各位业主于截止日前投票。";
        let fields = |title: &'static str, end: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("title", title.to_string()),
                ("body", text.to_string()),
                ("kind", "other-major".to_string()),
                ("scope", "building:13".to_string()),
                ("window_start", "2026-12-20".to_string()),
                ("window_end", end.to_string()),
                ("allow_change", "1".to_string()),
            ]
        };
        let post = |uri: String, f: Vec<(&'static str, String)>| {
            let a = &a;
            let d = d.clone();
            async move {
                let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                a.multipart(&uri, &d, &f, &[]).await
            }
        };
        // an end before the start: the form again, everything kept, the end date marked
        let r = post("/matters".into(), fields("修缮北门", "2026-12-10")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text();
        assert!(page.contains("value=\"修缮北门\"") && page.contains(text), "the typed text is kept");
        assert!(
            page.contains("value=\"building:13\" selected")
                && page.contains("name=\"allow_change\" value=\"1\" checked")
        );
        let end = &page[page.find("id=\"window_end\"").unwrap()..];
        assert!(end[..end.find('>').unwrap()].contains("aria-invalid=\"true\""), "the end date is marked");
        assert!(page.contains("截止日期必须晚于开始日期"));

        // a good draft, edited, then deleted
        let r = post("/matters".into(), fields("修缮北门", "2026-12-30")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let id = r.headers.get(header::LOCATION).unwrap().to_str().unwrap().trim_start_matches("/matters/").to_string();
        let edit = a.page(&format!("/matters/{id}/edit"), Some(&d)).await.text();
        assert!(edit.contains("value=\"修缮北门\"") && edit.contains("value=\"2026-12-30\""), "the draft as it stands");
        assert_eq!(a.page(&format!("/matters/{id}/edit"), Some(&owner)).await.status, StatusCode::FORBIDDEN);
        let r = post(format!("/matters/{id}/edit"), fields("修缮北门和南门", "2026-12-31")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        assert!(a.page(&format!("/matters/{id}"), Some(&d)).await.text().contains("修缮北门和南门"));
        let owner_csrf = a.csrf(&owner).await;
        let r = a.form(&format!("/matters/{id}/delete"), Some(&owner), &[("csrf", &owner_csrf)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = a.form(&format!("/matters/{id}/delete"), Some(&d), &[("csrf", &csrf), ("confirm", "1")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(a.page(&format!("/matters/{id}"), Some(&d)).await.status, StatusCode::NOT_FOUND);
        let log = a.store.audit_entries(&a.compound).await.unwrap();
        assert!(log.iter().any(|e| e.action == "matter.edit") && log.iter().any(|e| e.action == "matter.delete"));

        // a posted matter is on the record: neither edited nor deleted, and named by its title
        let evote = a.matter_id(EVOTE).await;
        let r = a.form(&format!("/matters/{evote}/delete"), Some(&d), &[("csrf", &csrf), ("confirm", "1")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.text().contains(EVOTE) && !r.text().contains(&evote), "named by title, not id");
    })
    .await;
}

#[tokio::test]
async fn pages_show_figures_as_people_read_them_and_the_api_keeps_them_exact() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let id = a.matter_id(EVOTE).await;
        let owner = a.token("owner-13-701").await;
        let tu = a.api(Method::GET, &format!("/api/v1/matters/{id}/turnout"), Some(&owner), None).await.json();
        let exact = |k: &str| gongzhi_core::Area::parse_positive(tu[k]["area"].as_str().unwrap()).unwrap();
        let (eligible, needed) = (exact("eligible"), exact("needed"));
        assert!(!tu["eligible"]["area"].as_str().unwrap().contains(','), "the API is exact and plain");
        let page = a.page(&format!("/matters/{id}"), Some(&owner)).await.text();
        assert!(eligible.readable().contains(','), "a compound's area is in the thousands: {}", eligible.readable());
        assert!(page.contains(&eligible.readable()), "the total with separators, two decimals");
        // what is still needed is rounded up, so that reaching the figure shown is enough
        assert!(page.contains(&needed.readable_up()), "{}", needed.readable_up());
    })
    .await;
}

#[tokio::test]
async fn the_printed_notice_says_how_to_vote_with_a_qr_code_to_the_public_address() {
    on_each_demo(demo_hash(), |store| async move {
        let mut a = App::demo(store).await;
        let state = gongzhi_web::AppState {
            public_base: "https://gongzhi.example.cn".into(),
            ..gongzhi_web::AppState::new(a.store.clone())
        };
        a.router = gongzhi_web::app(state);
        let id = a.matter_id(EVOTE).await;
        let owner = a.token("owner-13-701").await;
        let notice = a.page(&format!("/matters/{id}/notice"), Some(&owner)).await.text();
        assert!(notice.contains("id=\"how-to-vote\"") && notice.contains("纸质表决票") && notice.contains("委托投票"));
        assert!(notice.contains(&format!("https://gongzhi.example.cn/matters/{id}")), "the compound's public address");
        assert!(notice.matches("<svg").count() >= 1, "a QR code to the matter");
        let staff = a.token("staff").await;
        let follow = a.page(&format!("/matters/{id}/turnout"), Some(&staff)).await.text();
        assert!(follow.contains("id=\"legend\"") && follow.contains("参与表决的门槛"), "the colours are explained");
    })
    .await;
}

/// The second sheet of a result workbook (the ballots), row by row.
fn ballot_sheet(xlsx: &[u8]) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap();
    let range = wb.worksheet_range_at(1).unwrap().unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

#[tokio::test]
async fn a_units_choice_goes_to_its_owner_and_the_committee_unless_the_rules_publish_choices() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let id = a.matter_id(EVOTE).await;
        let d = a.token("admin").await;
        a.end_window(&id).await;
        let csrf = a.csrf(&d).await;
        assert_eq!(
            a.form(&format!("/matters/{id}/close"), Some(&d), &[("csrf", &csrf)]).await.status,
            StatusCode::SEE_OTHER
        );
        let row = |page: &str, unit: &str| {
            let at = page.find(&format!("<td>{unit}</td>")).unwrap_or_else(|| panic!("{unit} is listed: {page}"));
            page[at..at + page[at..].find("</tr>").unwrap()].to_string()
        };
        // a plain owner sees every unit that took part and its channel, and only their own choice
        let voter = a.token("owner-1-101").await;
        let page = a.page(&format!("/matters/{id}/ballots"), Some(&voter)).await.text();
        assert!(page.contains("id=\"choices-private\""), "{page}");
        assert!(row(&page, "1-101").contains("同意"), "their own: {}", row(&page, "1-101"));
        let other = row(&page, "3-301");
        assert!(other.contains("不公开") && !other.contains("反对") && other.contains("网上"), "{other}");
        let sheet = ballot_sheet(&a.page(&format!("/matters/{id}/export.xlsx"), Some(&voter)).await.body);
        let line = |sheet: &[Vec<String>], unit: &str| sheet.iter().find(|r| r[0] == unit).cloned().unwrap();
        assert_eq!(line(&sheet, "3-301")[1], "不公开", "nor in the workbook");
        assert_eq!(line(&sheet, "1-101")[1], "approve");
        // the committee sees each choice
        for who in ["owner-2-501", "admin"] {
            let t = a.token(who).await;
            let page = a.page(&format!("/matters/{id}/ballots"), Some(&t)).await.text();
            assert!(row(&page, "3-301").contains("反对") && !page.contains("choices-private"), "{who}: {page}");
            let sheet = ballot_sheet(&a.page(&format!("/matters/{id}/export.xlsx"), Some(&t)).await.body);
            assert_eq!(line(&sheet, "3-301")[1], "oppose");
        }
        // staff and a building leader do not: the committee's, not theirs
        for who in ["staff", "owner-4-201"] {
            let t = a.token(who).await;
            let page = a.page(&format!("/matters/{id}/ballots"), Some(&t)).await.text();
            assert!(!row(&page, "3-301").contains("反对"), "{who}");
        }

        // only the director changes the voting settings; a compound whose rules publish choices
        // turns it on, and then every owner sees them
        let member = a.token("owner-2-501").await;
        let on = json!({"notice_days": 7, "rest_day_rollover": true, "publish_choices": true});
        assert_eq!(
            a.api(Method::PUT, "/api/v1/settings/voting", Some(&member), Some(on.clone())).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(a.page("/settings/voting", Some(&member)).await.status, StatusCode::FORBIDDEN);
        let r = a.api(Method::PUT, "/api/v1/settings/voting", Some(&d), Some(on)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["publish_choices"], true);
        // a whole number written as JSON may write it (59.0), a fraction is refused
        let whole = json!({"notice_days": 7.0, "rest_day_rollover": true, "publish_choices": true});
        assert_eq!(a.api(Method::PUT, "/api/v1/settings/voting", Some(&d), Some(whole)).await.status, StatusCode::OK);
        let half = json!({"notice_days": 7.5, "rest_day_rollover": true, "publish_choices": true});
        assert_eq!(
            a.api(Method::PUT, "/api/v1/settings/voting", Some(&d), Some(half)).await.status,
            StatusCode::BAD_REQUEST
        );
        let page = a.page(&format!("/matters/{id}/ballots"), Some(&voter)).await.text();
        assert!(row(&page, "3-301").contains("反对") && !page.contains("choices-private"), "{page}");
        let last = a
            .store
            .audit_entries(&a.compound)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.action == "settings.voting")
            .unwrap();
        assert!(
            last.detail.contains("publish_choices=false -> ") && last.detail.ends_with("publish_choices=true"),
            "{last:?}"
        );

        // the page form: a bad number of days is refused with what was typed, and nothing changes
        let csrf = a.csrf(&d).await;
        let r = a
            .form("/settings/voting", Some(&d), &[("csrf", &csrf), ("notice_days", "90"), ("publish_choices", "on")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("value=\"90\"") && r.text().contains("不在 1 到 60 天之间"), "{}", r.text());
        assert_eq!(a.store.voting_settings(&a.compound).await.unwrap().notice_days, 7);
        // turning it off again from the page
        let r = a
            .form("/settings/voting", Some(&d), &[("csrf", &csrf), ("notice_days", "10"), ("rest_day_rollover", "on")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let s = a.store.voting_settings(&a.compound).await.unwrap();
        assert_eq!((s.notice_days, s.periods.move_off_rest_days, s.publish_choices), (10, true, false));
        assert!(a.page("/", Some(&d)).await.text().contains("href=\"/settings/voting\""));
        assert!(a.page("/settings/voting?saved=1", Some(&d)).await.text().contains("id=\"settings-saved\""));
    })
    .await;
}

#[tokio::test]
async fn an_owners_home_says_what_still_needs_their_vote_and_what_they_have_done() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let evote = a.matter_id(EVOTE).await;
        let lift = a.matter_id(LIFT).await;
        let path = a.matter_id(gongzhi_store::demo::PATH_TITLE).await;
        let section = |home: &str, id: &str| {
            let at = home.find(&format!("<ul id=\"{id}\">")).unwrap_or_else(|| panic!("#{id} on {home}"));
            home[at..at + home[at..].find("</ul>").unwrap()].to_string()
        };
        // 1-101 voted on e-voting, not yet on the path
        let t = a.token("owner-1-101").await;
        let home = a.page("/", Some(&t)).await.text();
        let (todo, done) = (section(&home, "tasks"), section(&home, "done"));
        assert!(
            todo.contains(&format!("/matters/{path}\"")) && !todo.contains(&format!("/matters/{evote}\"")),
            "{todo}"
        );
        assert!(done.contains(&format!("/matters/{evote}\"")) && done.contains("已投票（1-101）"), "{done}");
        assert!(!done.contains(&format!("/matters/{path}\"")));
        // 13-701 voted on Building 13's lift in 2016
        let t = a.token("owner-13-701").await;
        let done = section(&a.page("/", Some(&t)).await.text(), "done");
        assert!(
            done.contains(&format!("/matters/{lift}\"")) && !done.contains(&format!("/matters/{evote}\"")),
            "{done}"
        );
        // the director's own flat votes too: 8-302 voted on e-voting
        let t = a.token("admin").await;
        let done = section(&a.page("/", Some(&t)).await.text(), "done");
        assert!(done.contains("已投票（8-302）"), "{done}");
        // staff have no flat here: nothing done as an owner
        let t = a.token("staff").await;
        assert!(!a.page("/", Some(&t)).await.text().contains("<ul id=\"done\">"));
    })
    .await;
}

#[tokio::test]
async fn reminders_go_once_to_exactly_the_owners_who_have_not_voted_and_stop_when_they_vote() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let id = a.matter_id(EVOTE).await;
        let roll = a.store.roll(&a.compound, &id).await.unwrap().len();
        let voted = a.store.voted_units(&a.compound, &id).await.unwrap().len();
        let staff = a.token("staff").await;
        use gongzhi_store::kit::outbox::Status;
        // this server has no mail relay: emails fail (and are retried); in-app notices arrive
        let mut worker = gongzhi_web::accounts::outbox::Worker::new(Default::default());
        let now = gongzhi_core::time::now_ms();
        // what the seeded votes announced when they opened, delivered first
        worker.deliver_once(&a.store, now).await.unwrap();
        let mut before = std::collections::BTreeMap::new();
        for t in ["owner-2-202", "owner-1-101", "owner-13-701"] {
            let tok = a.token(t).await;
            a.page("/notices", Some(&tok)).await;
            let n = a.api(Method::GET, "/api/v1/notices", Some(&tok), None).await.json();
            assert_eq!(n["unread"], 0);
            before.insert(t, n["notices"].as_array().unwrap().len());
        }
        // an owner may not send them
        let owner = a.token("owner-2-202").await;
        let r = a.api(Method::POST, &format!("/api/v1/matters/{id}/reminders"), Some(&owner), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let posted = gongzhi_core::time::now_ms();
        let r = a.api(Method::POST, &format!("/api/v1/matters/{id}/reminders"), Some(&staff), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let owed = roll - voted;
        assert_eq!(r.json(), json!({"queued": owed}), "one to each voter who has not voted");
        let last = a.store.audit_entries(&a.compound).await.unwrap().pop().unwrap();
        assert_eq!(last.action, "matter.remind");
        let messages: usize = last.detail.split("messages=").nth(1).unwrap().parse().unwrap();
        assert!(last.detail.starts_with(&format!("people={owed} ")), "{}", last.detail);
        // in the notice list and by email; the committee's eight their digest; each building
        // leader their list
        assert!(messages > 2 * owed + 2 * 8, "{}", last.detail);

        // 13-701 votes before the reminder goes: theirs is cancelled, never sent
        let voter = a.token("owner-13-701").await;
        let b = json!({"unit": "13-701", "choice": "approve"});
        assert_eq!(
            a.api(Method::POST, &format!("/api/v1/matters/{id}/ballots"), Some(&voter), Some(b)).await.status,
            StatusCode::CREATED
        );
        let now = gongzhi_core::time::now_ms();
        worker.deliver_once(&a.store, now + 1).await.unwrap();
        let reminders: Vec<_> = a
            .store
            .delivery_log(&a.compound, None, 100_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.about_matter(&id) && m.kind == "vote.reminder" && m.created_at >= posted)
            .collect();
        let count = |ch: gongzhi_store::kit::outbox::Channel, st: Status| {
            reminders.iter().filter(|m| m.channel == ch && m.status == st).count()
        };
        use gongzhi_store::kit::outbox::Channel as Ch;
        assert_eq!(count(Ch::InApp, Status::Sent), owed - 1, "in-app delivered, but to 13-701");
        assert_eq!(count(Ch::Email, Status::Queued), owed - 1, "email failed for want of a relay, to be retried");
        assert_eq!(worker.deliver_once(&a.store, now + 2).await.unwrap(), (0, 0), "once; email retried later");
        let me = a.store.session_account(&voter).await.unwrap().unwrap().0;
        let cancelled: Vec<_> = a
            .store
            .messages(&a.compound, Status::Cancelled, 1_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.person.as_deref() == Some(me.account_id.as_str()) && m.about_matter(&id))
            .collect();
        // the reminder now in-app and by email; the three scheduled when the demo opened the vote,
        // before its owners had addresses, in-app only
        assert_eq!(cancelled.len(), 5, "{cancelled:?}");
        assert!(cancelled.iter().all(|m| m.sent_at.is_none()));
        let notices = |t: String| {
            let a = &a;
            async move { a.api(Method::GET, "/api/v1/notices", Some(&t), None).await.json() }
        };
        let count = |n: serde_json::Value| n["notices"].as_array().unwrap().len();
        assert_eq!(count(notices(voter.clone()).await), before["owner-13-701"], "13-701 voted first");
        assert_eq!(count(notices(a.token("owner-1-101").await).await), before["owner-1-101"], "1-101 had voted");
        assert_eq!(count(notices(owner.clone()).await), before["owner-2-202"] + 1);
        // 2-202 has not voted: one unread notice, shown on every page, read once opened
        let n = notices(owner.clone()).await;
        assert_eq!(n["unread"], 1);
        assert_eq!(n["notices"][0]["kind"], "vote.reminder");
        assert!(n["notices"][0]["body"].as_str().unwrap().contains("2-202"), "{n}");
        let home = a.page("/", Some(&owner)).await.text();
        assert!(home.contains("<span class=\"count\" id=\"unread\">1</span>"), "{home}");
        let list = a.page("/notices", Some(&owner)).await.text();
        assert!(list.contains(EVOTE) && list.contains("未读"), "{list}");
        assert_eq!(notices(owner.clone()).await["unread"], 0);
        assert!(!a.page("/", Some(&owner)).await.text().contains("id=\"unread\""));

        // opening the vote scheduled reminders 7, 3 and 1 days before it ends, to whoever had not
        // voted; they are still queued, not due yet
        let m = a.store.matter(&a.compound, &id).await.unwrap();
        let end = m.window_end.unwrap();
        let scheduled: Vec<_> = a
            .store
            .messages(&a.compound, Status::Queued, 100_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|x| x.about_matter(&id) && x.attempts == 0 && x.kind == "vote.reminder")
            .collect();
        let dues: std::collections::BTreeSet<i64> = scheduled.iter().map(|x| x.due_at).collect();
        let day = 86_400_000;
        assert_eq!(dues, [end - 7 * day, end - 3 * day, end - day].into_iter().collect());
        assert_eq!(scheduled.len(), 3 * (owed - 1), "for everyone who has not voted, but 13-701");
        assert!(scheduled.iter().all(|x| x.person.as_deref() != Some(me.account_id.as_str())));
        // extending the window moves them to the new end
        let d = a.token("admin").await;
        let later = gongzhi_core::time::date(end + 10 * day);
        let r = a
            .api(Method::POST, &format!("/api/v1/matters/{id}/window"), Some(&d), Some(json!({"window_end": later})))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let new_end = a.store.matter(&a.compound, &id).await.unwrap().window_end.unwrap();
        let moved: std::collections::BTreeSet<i64> = a
            .store
            .messages(&a.compound, Status::Queued, 100_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|x| x.about_matter(&id) && x.attempts == 0)
            .map(|x| x.due_at)
            .collect();
        assert_eq!(moved, [new_end - 7 * day, new_end - 3 * day, new_end - day].into_iter().collect());

        // from the turnout page too, with the count confirmed
        let csrf = a.csrf(&staff).await;
        let r = a.form(&format!("/matters/{id}/reminders"), Some(&staff), &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
        assert_eq!(to, format!("/matters/{id}/turnout?reminded={}", roll - voted - 1));
        assert!(a.page(&to, Some(&staff)).await.text().contains("id=\"reminded\""));
        // a closed vote reminds nobody
        a.end_window(&id).await;
        a.api(Method::POST, &format!("/api/v1/matters/{id}/close"), Some(&d), None).await;
        let r = a.api(Method::POST, &format!("/api/v1/matters/{id}/reminders"), Some(&staff), None).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    })
    .await;
}
