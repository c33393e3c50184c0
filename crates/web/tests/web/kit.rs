//! What every process shares: the API document, sessions and CSRF, compounds kept apart, languages.
#![allow(unused_imports)]

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use gongzhi_store::kit::testing::{on_each_backend, on_each_demo};
use serde_json::{Value, json};

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
    // every operation documents the refusals any request can meet, as problem details
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let r = &op["responses"];
            assert!(r.get("429").is_some(), "{method} {path}: 429");
            if path != "/api/v1/session" {
                assert!(r.get("401").is_some(), "{method} {path}: 401");
            }
            if path.contains('{') {
                assert!(r.get("404").is_some() && r.get("400").is_some(), "{method} {path}: 400/404");
            }
            if op.get("requestBody").is_some() {
                assert!(r.get("422").is_some() && r.get("413").is_some(), "{method} {path}: 413/422");
            }
        }
    }
}

#[tokio::test]
async fn a_path_that_does_not_parse_and_a_mismatched_body_are_problems_not_plain_text() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let director = a.token("admin").await;
        for uri in ["/api/v1/calendar/99999", "/api/v1/calendar/1800", "/api/v1/calendar/next"] {
            let r = a.api(Method::GET, uri, Some(&director), None).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
            assert_eq!(r.json()["code"], "kit.not-found", "{uri}: {}", r.text());
        }
        let body = json!({"year": 1899, "days": []});
        let r = a.api(Method::PUT, "/api/v1/calendar/2026", Some(&director), Some(body)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.json()["detail"].as_str().unwrap().contains("the body is for 1899 but the address for 2026"));
        let body = json!({"year": 2026.0, "days": []});
        let r = a.api(Method::PUT, "/api/v1/calendar/2026", Some(&director), Some(body)).await;
        assert_eq!(r.status, StatusCode::OK, "a whole number written 2026.0 is the year: {}", r.text());
    })
    .await;
}

#[tokio::test]
async fn every_api_route_refuses_without_a_session() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
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
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
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
async fn prefs_switch_language_and_text_size_without_an_open_redirect() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
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
async fn english_pages_mark_what_people_typed_in_chinese() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
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

#[tokio::test]
async fn an_internal_failure_is_shown_with_its_request_id_and_never_its_detail() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let t = a.token("owner-1-101").await;
        // the database goes away under the server
        a.store.close().await;
        let r = a.page("/", Some(&t)).await;
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
        let id = r.headers.get("x-request-id").expect("every answer carries its request id").to_str().unwrap();
        assert!(r.text().contains(id), "the page names the request for a report: {}", r.text());
        assert!(!r.text().to_lowercase().contains("pool"), "no internal detail on the page");
        let api = a.api(Method::GET, "/api/v1/matters", Some(&t), None).await;
        assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(api.headers.get("content-type").unwrap(), "application/problem+json");
        let p = api.json();
        assert_eq!(p["code"], "kit.internal-error");
        assert_eq!(p["values"]["request_id"], api.headers.get("x-request-id").unwrap().to_str().unwrap());
        assert_eq!(a.page("/healthz", None).await.status, StatusCode::SERVICE_UNAVAILABLE);
    })
    .await;
}

#[tokio::test]
async fn refusals_are_problem_details_with_a_stable_code_and_the_list_of_codes_is_published() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let t = a.token("owner-13-701").await;
        let r = a.api(Method::POST, "/api/v1/matters", Some(&t), Some(json!({"title": "x"}))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "a body that is not the route's JSON");
        assert_eq!(r.headers.get("content-type").unwrap(), "application/problem+json");
        assert_eq!(r.json()["code"], "kit.body-invalid");
        let r = a.api(Method::GET, "/api/v1/matters/no-such-matter", Some(&t), None).await;
        let p = r.json();
        assert_eq!((r.status, p["status"].as_u64()), (StatusCode::NOT_FOUND, Some(404)));
        assert_eq!(
            (p["code"].as_str(), p["type"].as_str()),
            (Some("voting.matter-not-found"), Some("/api/v1/problems#voting.matter-not-found"))
        );
        assert_eq!(p["title"], "Matter not found");
        assert_eq!(p["values"]["matter"], "no-such-matter");
        // Chinese when the client asks for it first
        let req = Request::builder()
            .uri("/api/v1/matters/no-such-matter")
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .header(header::ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9,en;q=0.5")
            .body(Body::empty())
            .unwrap();
        assert_eq!(a.send(req).await.json()["detail"], "找不到事项 no-such-matter。");
        let codes = a.api(Method::GET, "/api/v1/problems", None, None).await.json();
        let codes: Vec<&str> = codes.as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
        for c in ["voting.matter-not-found", "accounts.not-allowed", "projects.stage-blocked", "registry.bad-rows"] {
            assert!(codes.contains(&c), "{c} in the published list");
        }
        // an unknown path is a refusal too
        let r = a.api(Method::GET, "/api/v1/no-such-route", Some(&t), None).await;
        assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::NOT_FOUND, Some("kit.not-found")));
    })
    .await;
}

#[tokio::test]
async fn behind_https_every_answer_carries_hsts_and_cookies_are_secure() {
    on_each_demo(demo_hash(), |store| async move {
        let secure = gongzhi_web::AppState { secure_cookies: true, ..gongzhi_web::AppState::new(store.clone()) };
        let router = gongzhi_web::app(secure);
        let a = App { router, store: store.clone(), compound: String::new() };
        let r = a
            .api(Method::POST, "/api/v1/session", None, Some(json!({"login": "owner-1-101", "password": "demo"})))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers.get("strict-transport-security").is_some());
        let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        assert!(cookie.contains("; Secure") && cookie.contains("HttpOnly"), "{cookie}");
        let plain = App::demo(store).await;
        assert!(plain.page("/login", None).await.headers.get("strict-transport-security").is_none());
    })
    .await;
}
