//! What the web tests share: the application over the demo compound, requests as a
//! browser or an API client makes them, and their answers.
#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use gongzhi_store::Store;
use gongzhi_web::{AppState, app};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::OnceLock;
use tower::ServiceExt;

pub fn demo_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| gongzhi_web::kit::password::hash("demo"))
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.text()))
    }
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix(&format!("{name}=")).map(|r| r.split(';').next().unwrap_or("").to_string()))
    }
}

pub struct App {
    pub router: Router,
    pub store: Store,
    pub compound: String,
}

impl App {
    /// The application over a store that already holds the demo compound (a copy of the template).
    pub async fn demo(store: Store) -> App {
        let c = store.compounds().await.unwrap().into_iter().next().expect("the demo compound");
        App { router: app(AppState::new(store.clone())), store, compound: c.id }
    }

    /// The application over an empty store, with the demo seeded into it.
    pub async fn new(store: Store) -> App {
        let c = gongzhi_store::demo::seed(&store, demo_hash()).await.unwrap();
        App { router: app(AppState::new(store.clone())), store, compound: c.id }
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let r = self.router.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
        Resp { status, headers, body }
    }

    pub async fn api(&self, method: Method, uri: &str, token: Option<&str>, body: Option<Value>) -> Resp {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())).unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    pub async fn token(&self, login: &str) -> String {
        let r =
            self.api(Method::POST, "/api/v1/session", None, Some(json!({"login": login, "password": "demo"}))).await;
        assert_eq!(r.status, StatusCode::OK, "{login}: {}", r.text());
        r.json()["token"].as_str().unwrap().to_string()
    }

    /// A page as a signed-in browser sees it (cookie session).
    pub async fn page(&self, uri: &str, session: Option<&str>) -> Resp {
        let mut b = Request::builder().uri(uri);
        if let Some(s) = session {
            b = b.header(header::COOKIE, format!("gz_session={s}"));
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    pub async fn form(&self, uri: &str, session: Option<&str>, fields: &[(&str, &str)]) -> Resp {
        let body = fields.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect::<Vec<_>>().join("&");
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(s) = session {
            b = b.header(header::COOKIE, format!("gz_session={s}"));
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    pub async fn csrf(&self, session: &str) -> String {
        self.store.session(session).await.unwrap().unwrap().csrf
    }

    /// A session for the demo account `login`, and its form token.
    pub async fn session(&self, login: &str) -> (String, String) {
        let (person, _) = self.store.person_for_login(login).await.unwrap().unwrap();
        let (token, _) =
            self.store.open_session(&self.compound, &person, gongzhi_web::kit::auth::SESSION_TTL_MS).await.unwrap();
        let csrf = self.store.session(&token).await.unwrap().unwrap().csrf;
        (token, csrf)
    }

    /// A form posted as a browser signed in as `session` posts it, in `lang` if one is chosen.
    pub async fn form_lang(
        &self,
        uri: &str,
        session: &str,
        lang: Option<&str>,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let body = fields.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect::<Vec<_>>().join("&");
        let cookie = match lang {
            Some(l) => format!("gz_session={session}; gz_lang={l}"),
            None => format!("gz_session={session}"),
        };
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap();
        let r = self.router.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// A multipart form as a signed-in browser posts it: text fields, then (field, file name,
    /// content type, bytes) files.
    pub async fn multipart(
        &self,
        uri: &str,
        session: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &str, &[u8])],
    ) -> Resp {
        let boundary = "gzBoundary7MA4YWxk";
        let mut body: Vec<u8> = Vec::new();
        for (k, v) in fields {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
            );
        }
        for (k, name, ct, bytes) in files {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{name}\"\r\nContent-Type: {ct}\r\n\r\n")
                    .as_bytes(),
            );
            body.extend(*bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::COOKIE, format!("gz_session={session}"))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Lets a matter's voting window run out, as the days passing would.
    pub async fn end_window(&self, id: &str) {
        sqlx::query("UPDATE matters SET window_end = $1 WHERE id = $2")
            .bind(gongzhi_core::time::now_ms() - 1)
            .bind(id)
            .execute(&self.store.pool)
            .await
            .unwrap();
    }

    pub async fn matter_id(&self, title: &str) -> String {
        self.store.matters(&self.compound).await.unwrap().into_iter().find(|m| m.title == title).unwrap().id
    }
}

pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub const EVOTE: &str = gongzhi_store::demo::EVOTE_TITLE;
pub const LIFT: &str = gongzhi_store::demo::LIFT_TITLE;

/// The id of the demo's lift project of a building.
pub async fn project_id(a: &App, building: &str) -> String {
    a.store
        .projects(&a.compound)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.scope.to_string() == format!("building:{building}"))
        .unwrap()
        .id
}
