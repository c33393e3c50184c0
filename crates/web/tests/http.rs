//! Every route and every role through the real application (`app(state)`), on SQLite and, when
//! TEST_DATABASE_URL is set, on PostgreSQL. Refusals are tested as carefully as successes.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use gongzhi_store::kit::testing::on_each_backend;
use serde_json::{Value, json};

mod common;
use common::*;

#[test]
fn openapi_document_is_pinned() {
    let doc: Value = serde_json::from_str(&gongzhi_web::openapi_json()).unwrap();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    for p in [
        "/api/v1/session",
        "/api/v1/matters",
        "/api/v1/matters/{id}",
        "/api/v1/matters/{id}/ballots",
        "/api/v1/matters/{id}/tally",
    ] {
        assert!(paths.iter().any(|x| *x == p), "{p} missing from {paths:?}");
    }
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn session_api_logs_in_refuses_bad_passwords_and_rate_limits() {
    on_each_backend(|store| async move {
        let a = App::new(store).await;
        let ok = a
            .api(Method::POST, "/api/v1/session", None, Some(json!({"login": "owner-13-701", "password": "demo"})))
            .await;
        assert_eq!(ok.status, StatusCode::OK);
        let token = ok.json()["token"].as_str().unwrap().to_string();
        assert_eq!(ok.cookie("gz_session").as_deref(), Some(token.as_str()), "the token is also the session cookie");
        // by phone number too
        let phone = a
            .api(Method::POST, "/api/v1/session", None, Some(json!({"login": "13800000001", "password": "demo"})))
            .await;
        assert_eq!(phone.status, StatusCode::OK);
        for _ in 0..5 {
            let bad = a
                .api(Method::POST, "/api/v1/session", None, Some(json!({"login": "owner-1-101", "password": "nope"})))
                .await;
            assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
            assert_eq!(bad.json()["code"], "accounts.wrong-login");
            assert_eq!(bad.headers.get("content-type").unwrap(), "application/problem+json");
        }
        let limited = a
            .api(Method::POST, "/api/v1/session", None, Some(json!({"login": "owner-1-101", "password": "demo"})))
            .await;
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits after 5 failures");
        let unknown =
            a.api(Method::POST, "/api/v1/session", None, Some(json!({"login": "nobody", "password": "demo"}))).await;
        assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
        // logout ends the session
        assert_eq!(a.api(Method::DELETE, "/api/v1/session", Some(&token), None).await.status, StatusCode::NO_CONTENT);
        assert_eq!(a.api(Method::GET, "/api/v1/matters", Some(&token), None).await.status, StatusCode::UNAUTHORIZED);
    })
    .await;
}

#[tokio::test]
async fn every_api_route_refuses_without_a_session() {
    on_each_backend(|store| async move {
        let a = App::new(store).await;
        let id = a.matter_id(EVOTE).await;
        let routes = [
            (Method::GET, "/api/v1/matters".to_string()),
            (Method::POST, "/api/v1/matters".to_string()),
            (Method::GET, format!("/api/v1/matters/{id}")),
            (Method::POST, format!("/api/v1/matters/{id}/ballots")),
            (Method::GET, format!("/api/v1/matters/{id}/turnout")),
            (Method::GET, format!("/api/v1/matters/{id}/tally")),
            (Method::POST, format!("/api/v1/matters/{id}/notice")),
            (Method::POST, format!("/api/v1/matters/{id}/open")),
            (Method::POST, format!("/api/v1/matters/{id}/close")),
            (Method::DELETE, "/api/v1/session".to_string()),
        ];
        for (m, uri) in routes {
            let body = (m == Method::POST).then(|| json!({}));
            let r = a.api(m.clone(), &uri, None, body.clone()).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{m} {uri}: {}", r.text());
            let r = a.api(m.clone(), &uri, Some("not-a-token"), body).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{m} {uri} with a bad token");
        }
    })
    .await;
}

#[tokio::test]
async fn an_owner_votes_once_for_their_own_unit_only() {
    on_each_backend(|store| async move {
        let a = App::new(store).await;
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
    on_each_backend(|store| async move {
        let a = App::new(store).await;
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
async fn another_compounds_data_is_invisible() {
    on_each_backend(|store| async move {
        use gongzhi_core::accounts::Role;
        let a = App::new(store.clone()).await;
        let other = store.create_compound("另一个小区", "", false).await.unwrap();
        let reg = gongzhi_core::Registry::from_rows(&[gongzhi_core::registry::RawRow {
            row: 2,
            unit: "101".into(),
            building: "1".into(),
            stairwell: "1".into(),
            floor: "1".into(),
            area: "80".into(),
            owner: "外人".into(),
            owner_id: String::new(),
        }])
        .unwrap();
        store.import_registry(&other.id, &reg).await.unwrap();
        let acc = gongzhi_store::accounts::NewAccount {
            login: "outsider".into(),
            name: "外人".into(),
            password_hash: demo_hash().into(),
            roles: vec![Role::Owner, Role::CommitteeDirector, Role::RcStaff],
            units: vec![(gongzhi_core::UnitNo::parse("1-101").unwrap(), gongzhi_core::accounts::Relation::Owner, true)],
            ..Default::default()
        };
        store.create_account(&other.id, &acc, "test").await.unwrap();
        let t = a.token("outsider").await;
        assert_eq!(a.api(Method::GET, "/api/v1/matters", Some(&t), None).await.json(), json!([]));
        let id = a.matter_id(EVOTE).await;
        for (m, uri) in [
            (Method::GET, format!("/api/v1/matters/{id}")),
            (Method::GET, format!("/api/v1/matters/{id}/turnout")),
            (Method::GET, format!("/api/v1/matters/{id}/tally")),
            (Method::POST, format!("/api/v1/matters/{id}/close")),
        ] {
            assert_eq!(a.api(m.clone(), &uri, Some(&t), None).await.status, StatusCode::NOT_FOUND, "{m} {uri}");
        }
        let r = a
            .api(
                Method::POST,
                &format!("/api/v1/matters/{id}/ballots"),
                Some(&t),
                Some(json!({"unit": "1-101", "choice": "approve"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let session = a.token("outsider").await;
        assert_eq!(a.page(&format!("/matters/{id}"), Some(&session)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(a.page(&format!("/matters/{id}/ballots"), Some(&session)).await.status, StatusCode::NOT_FOUND);
        assert!(!a.page("/", Some(&session)).await.text().contains(EVOTE));
    })
    .await;
}

#[tokio::test]
async fn cookie_sessions_need_the_csrf_token_for_writes() {
    on_each_backend(|store| async move {
        let a = App::new(store).await;
        let s = a.token("owner-13-701").await;
        let id = a.matter_id(EVOTE).await;
        // API with the cookie but no X-CSRF-Token
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/matters/{id}/ballots"))
            .header(header::COOKIE, format!("gz_session={s}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"unit": "13-701", "choice": "approve"}).to_string()))
            .unwrap();
        assert_eq!(a.send(req).await.status, StatusCode::FORBIDDEN);
        // the page form without, then with, the token
        let no = a
            .form(
                &format!("/matters/{id}/vote"),
                Some(&s),
                &[("csrf", "forged"), ("unit", "13-701"), ("choice", "approve")],
            )
            .await;
        assert_eq!(no.status, StatusCode::FORBIDDEN);
        assert!(a.store.voted_units(&a.compound, &id).await.unwrap().iter().all(|u| u != "13-701"));
        let csrf = a.csrf(&s).await;
        let yes = a
            .form(
                &format!("/matters/{id}/vote"),
                Some(&s),
                &[("csrf", &csrf), ("unit", "13-701"), ("choice", "approve")],
            )
            .await;
        assert_eq!(yes.status, StatusCode::OK, "{}", yes.text());
        assert!(yes.text().contains("表决票已记录"));
        let dup = a
            .form(
                &format!("/matters/{id}/vote"),
                Some(&s),
                &[("csrf", &csrf), ("unit", "13-701"), ("choice", "approve")],
            )
            .await;
        assert_eq!(dup.status, StatusCode::CONFLICT);
        let not_mine = a
            .form(
                &format!("/matters/{id}/vote"),
                Some(&s),
                &[("csrf", &csrf), ("unit", "1-101"), ("choice", "approve")],
            )
            .await;
        assert_eq!(not_mine.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn login_page_sets_a_session_and_needs_its_form_token() {
    on_each_backend(|store| async move {
        let a = App::new(store).await;
        let page = a.page("/login", None).await;
        assert_eq!(page.status, StatusCode::OK);
        let pre = page.cookie("gz_pre").unwrap();
        assert!(page.text().contains(&format!("value=\"{pre}\"")));
        let post = |csrf: String, cookie: Option<String>, pw: &'static str| {
            let body = format!("csrf={csrf}&login=owner-13-701&password={pw}&next=%2Fmatters");
            let mut b = Request::builder()
                .method(Method::POST)
                .uri("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            if let Some(c) = cookie {
                b = b.header(header::COOKIE, format!("gz_pre={c}"));
            }
            b.body(Body::from(body)).unwrap()
        };
        assert_eq!(
            a.send(post(pre.clone(), None, "demo")).await.status,
            StatusCode::FORBIDDEN,
            "no pre-session cookie"
        );
        let wrong = a.send(post(pre.clone(), Some(pre.clone()), "wrong")).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.text().contains("登录名或密码不正确"));
        let ok = a.send(post(pre.clone(), Some(pre.clone()), "demo")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(ok.headers.get(header::LOCATION).unwrap(), "/matters");
        let cookie = ok.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let s = ok.cookie("gz_session").unwrap();
        let home = a.page("/", Some(&s)).await;
        assert!(home.text().contains(EVOTE) && home.text().contains(LIFT));
        // a page needing a login sends the browser to it
        let anon = a.page("/matters/x", None).await;
        assert_eq!(anon.status, StatusCode::SEE_OTHER);
        assert!(anon.headers.get(header::LOCATION).unwrap().to_str().unwrap().starts_with("/login?next="));
    })
    .await;
}

#[tokio::test]
async fn pages_follow_roles() {
    on_each_backend(|store| async move {
        let a = App::new(store).await;
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
    on_each_backend(|store| async move {
        let a = App::new(store).await;
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
        a.form(&uri, Some(&s1), &[("csrf", &c1), ("unit", "5-302"), ("choice", "approve")]).await;
        let r = a.form(&uri, Some(&s2), &[("csrf", &c2), ("unit", "5-302"), ("choice", "oppose")]).await;
        assert!(r.text().contains("两次录入不一致"));
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
        assert!(a.store.voted_units(&a.compound, &id).await.unwrap().contains(&"5-302".to_string()));
    })
    .await;
}

#[tokio::test]
async fn a_proxy_is_recorded_with_its_authorisation() {
    on_each_backend(|store| async move {
        let a = App::new(store).await;
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
    on_each_backend(|store| async move {
        let a = App::new(store).await;
        let id = a.matter_id(EVOTE).await;
        let d = a.token("admin").await;
        let owner = a.token("owner-13-701").await;
        let csrf = a.csrf(&d).await;
        let r = a.form(&format!("/matters/{id}/close"), Some(&d), &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.headers.get(header::LOCATION).unwrap().to_str().unwrap(), format!("/matters/{id}/notice"));
        let notice = a.page(&format!("/matters/{id}/notice"), Some(&owner)).await.text();
        assert!(notice.contains("表决结果公告"), "{notice}");
        assert!(notice.contains("明辉西郊苑"));
        assert!(notice.contains("未通过") && notice.contains("参与表决"), "{notice}");
        let list = a.page(&format!("/matters/{id}/ballots"), Some(&owner)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.text().contains("3-301") && list.text().contains("反对"));
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
async fn prefs_switch_language_and_text_size_without_an_open_redirect() {
    on_each_backend(|store| async move {
        let a = App::new(store).await;
        let r = a.page("/prefs?lang=en&large=1&next=/login", None).await;
        assert_eq!(r.headers.get(header::LOCATION).unwrap(), "/login");
        assert_eq!(r.cookie("gz_lang").as_deref(), Some("en"));
        assert_eq!(r.cookie("gz_large").as_deref(), Some("1"));
        let evil = a.page("/prefs?lang=en&next=//evil.example", None).await;
        assert_eq!(evil.headers.get(header::LOCATION).unwrap(), "/");
        let req = Request::builder()
            .uri("/login")
            .header(header::COOKIE, "gz_lang=en; gz_large=1")
            .body(Body::empty())
            .unwrap();
        let page = a.send(req).await;
        assert!(page.text().contains("class=\"large\"") && page.text().contains("Log in"));
        assert_eq!(page.headers.get("x-frame-options").unwrap(), "DENY");
        assert!(page.headers.get("content-security-policy").is_some());
    })
    .await;
}

#[tokio::test]
async fn binding_codes_bind_an_account_to_its_unit() {
    on_each_backend(|store| async move {
        use gongzhi_core::accounts::Role;
        let a = App::new(store.clone()).await;
        let staff = a.token("staff").await;
        let csrf = a.csrf(&staff).await;
        let printed = a.form("/codes", Some(&staff), &[("csrf", &csrf), ("building", "9")]).await.text();
        assert!(printed.contains("9-701"));
        let acc = gongzhi_store::accounts::NewAccount {
            login: "new-owner".into(),
            name: "新业主".into(),
            password_hash: demo_hash().into(),
            roles: vec![Role::Resident],
            ..Default::default()
        };
        store.create_account(&a.compound, &acc, "test").await.unwrap();
        let codes = store
            .issue_binding_codes(&a.compound, &[gongzhi_core::UnitNo::parse("9-702").unwrap()], "staff")
            .await
            .unwrap();
        let s = a.token("new-owner").await;
        let c = a.csrf(&s).await;
        let bad = a.form("/bind", Some(&s), &[("csrf", &c), ("code", "WRONGCODE1")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let ok = a.form("/bind", Some(&s), &[("csrf", &c), ("code", &codes[0].1)]).await;
        assert_eq!(ok.status, StatusCode::OK);
        assert!(ok.text().contains("9-702"));
    })
    .await;
}

#[tokio::test]
async fn an_owner_signs_up_with_the_printed_code_and_can_vote() {
    on_each_backend(|store| async move {
        let a = App::new(store.clone()).await;
        let unit = gongzhi_core::UnitNo::parse("10-703").unwrap();
        let codes = store.issue_binding_codes(&a.compound, std::slice::from_ref(&unit), "staff").await.unwrap();
        let page = a.page("/register", None).await;
        let pre = page.cookie("gz_pre").unwrap();
        let submit = |code: String, login: &'static str, pw: &'static str| {
            let body = format!("csrf={pre}&code={code}&name=%E6%96%B0&login={login}&phone=&password={pw}");
            Request::builder()
                .method(Method::POST)
                .uri("/register")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("gz_pre={pre}"))
                .body(Body::from(body))
                .unwrap()
        };
        let short = a.send(submit(codes[0].1.clone(), "new-10-703", "short")).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        let wrong = a.send(submit("NOTACODE99".into(), "new-10-703", "longenough")).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.text().contains("绑定码无效或已被使用"), "{}", wrong.text());
        assert!(store.person_for_login("new-10-703").await.unwrap().is_none(), "nothing half-made");
        let ok = a.send(submit(codes[0].1.clone(), "new-10-703", "longenough")).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
        let s = ok.cookie("gz_session").unwrap();
        let id = a.matter_id(EVOTE).await;
        let csrf = a.csrf(&s).await;
        // the demo's own account for 10-703 is the unit's voter already, so the newcomer is a co-owner who does not vote
        let r = a
            .form(
                &format!("/matters/{id}/vote"),
                Some(&s),
                &[("csrf", &csrf), ("unit", "10-703"), ("choice", "approve")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let again = a.send(submit(codes[0].1.clone(), "another", "longenough")).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "a code works once");
    })
    .await;
}

async fn project_id(a: &App, building: &str) -> String {
    a.store
        .projects(&a.compound)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.scope.to_string() == format!("building:{building}"))
        .unwrap()
        .id
}

#[tokio::test]
async fn the_board_is_public_to_owners_and_a_project_to_its_building() {
    on_each_backend(|store| async move {
        let a = App::new(store).await;
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
        assert!(mine.text().contains("您的分摊") && mine.text().contains("41699.19"), "owner 4-701 sees their share");
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
        assert!(doc.contains("<svg") && doc.contains("41699.19"), "the paper ballot prints each share and a QR code");
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
    on_each_backend(|store| async move {
        let a = App::new(store).await;
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
        let f = a
            .form(
                &format!("/projects/{p4}/facts"),
                Some(&staff),
                &[("csrf", &csrf), ("scheme_notice_date", &posted), ("planned_start", "")],
            )
            .await;
        assert_eq!(f.status, StatusCode::SEE_OTHER, "{}", f.text());
        let r = a.api(Method::POST, &format!("/api/v1/projects/{p4}/stage"), Some(&staff), Some(stage("vote"))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let matter = r.json()["matter_id"].as_str().unwrap().to_string();
        let m = a.api(Method::GET, &format!("/api/v1/matters/{matter}"), Some(&director), None).await.json();
        assert_eq!(
            (m["matter"].as_str(), m["scope"].as_str(), m["status"].as_str()),
            (Some("alteration"), Some("building:4"), Some("notice"))
        );
        let r = a.api(Method::POST, &format!("/api/v1/matters/{matter}/open"), Some(&director), None).await;
        assert_eq!(r.status, StatusCode::OK, "the scheme notice served as the vote's notice: {}", r.text());
        // each owner sees their share on the ballot page before voting
        let own = a.token("owner-4-701").await;
        let page = a.page(&format!("/matters/{matter}"), Some(&own)).await.text();
        assert!(page.contains("您的分摊") && page.contains("41699.19"), "{page}");
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
                    ("scheme_notice_date", &posted),
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
    on_each_backend(|store| async move {
        let a = App::new(store).await;
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
            page.contains("70000.00") && page.contains("10000.00") && page.contains("业委会主任"),
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
    on_each_backend(|store| async move {
        let a = App::new(store).await;
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
    on_each_backend(|store| async move {
        let a = App::new(store).await;
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
    on_each_backend(|store| async move {
        let a = App::new(store).await;
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
async fn english_pages_mark_what_people_typed_in_chinese() {
    on_each_backend(|store| async move {
        let a = App::new(store).await;
        let p4 = project_id(&a, "4").await;
        let pr = a.store.project(&a.compound, &p4).await.unwrap();
        let lift = a.matter_id(LIFT).await;
        let s = a.token("staff").await;
        let csrf = a.csrf(&s).await;
        a.form(
            &format!("/projects/{p4}/costs"),
            Some(&s),
            &[("csrf", &csrf), ("label", "电信管线迁移"), ("quoted", "1000")],
        )
        .await;
        let get = |uri: String, lang: &'static str| {
            let s = s.clone();
            let a = &a;
            async move {
                let req = Request::builder()
                    .uri(uri)
                    .header(header::COOKIE, format!("gz_session={s}; gz_lang={lang}"))
                    .body(Body::empty())
                    .unwrap();
                a.send(req).await.text()
            }
        };
        let compound = a.store.compound(&a.compound).await.unwrap().name;
        let project = get(format!("/projects/{p4}"), "en").await;
        for want in [
            format!("<h1 lang=\"zh-CN\">{}</h1>", pr.title),
            format!("<span lang=\"zh-CN\">{compound}</span>"),
            "<td lang=\"zh-CN\">电信管线迁移</td>".into(),
            "lang=\"zh-CN\">电信管线迁移</option>".into(),
            "<span class=\"who\" lang=\"zh-CN\">".into(),
        ] {
            assert!(project.contains(&want), "{want} in {project}");
        }
        let matter = get(format!("/matters/{lift}"), "en").await;
        assert!(matter.contains(&format!("<h1 lang=\"zh-CN\">{LIFT}</h1>")), "{matter}");
        assert!(matter.contains("<p class=\"explain\" lang=\"zh-CN\">"), "the matter's text: {matter}");
        let home = get("/".into(), "en").await;
        assert!(home.contains(&format!("lang=\"zh-CN\">{LIFT}</a>")), "{home}");
        let notice = get(format!("/matters/{lift}/notice"), "en").await;
        assert!(notice.contains(&format!("<h2 lang=\"zh-CN\">{LIFT}</h2>")), "{notice}");
        // on Chinese pages the whole document is Chinese already: only <html> says so
        for uri in [format!("/projects/{p4}"), format!("/matters/{lift}"), "/".into()] {
            let page = get(uri.clone(), "zh").await;
            assert_eq!(page.matches("lang=\"zh-CN\"").count(), 1, "{uri}: {page}");
        }
    })
    .await;
}
