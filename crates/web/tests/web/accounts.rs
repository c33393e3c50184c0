//! Accounts: sessions and sign-in limits, login, binding codes, sign-up, and account management by
//! the residents' committee and the committee director.
#![allow(unused_imports)]

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use gongzhi_core::UnitNo;
use gongzhi_core::accounts::AccountsRefusal;
use gongzhi_store::kit::testing::{on_each_backend, on_each_demo};
use serde_json::{Value, json};

#[tokio::test]
async fn session_api_logs_in_refuses_bad_passwords_and_rate_limits() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
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
async fn login_page_sets_a_session_and_needs_its_form_token() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
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
async fn binding_codes_bind_an_account_to_its_unit() {
    on_each_backend(|store| async move {
        use gongzhi_core::accounts::Role;
        let a = App::new(store.clone()).await;
        let staff = a.token("staff").await;
        let csrf = a.csrf(&staff).await;
        let printed = a.form("/codes", Some(&staff), &[("csrf", &csrf), ("building", "9")]).await.text();
        assert!(printed.contains("9-701"));
        // slips to cut and hand out: the unit, its owner, the code, a QR code to sign up with it
        let reg = store.registry(&a.compound).await.unwrap();
        let u = reg.units.iter().find(|u| u.no.as_str() == "9-701").unwrap();
        let owner = &reg.owner(&u.owner).unwrap().name;
        assert!(printed.contains("class=\"slip\"") && printed.contains(owner.as_str()), "the owner is named");
        assert_eq!(
            printed.matches("class=\"slip\"").count(),
            reg.units.iter().filter(|u| u.building.as_str() == "9").count()
        );
        let at = printed.find("/register?code=").expect("the sign-up link with the code");
        let code: String = printed[at + 15..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        assert!(printed.contains("<svg"), "a QR code on each slip");
        let signup = a.page(&format!("/register?code={code}"), None).await.text();
        assert!(signup.contains(&format!("value=\"{code}\"")), "the code is filled in");
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

/// Signs in as a browser does; returns the session cookie's value.
async fn browser(a: &App, login: &str, password: &str) -> Option<String> {
    let r = a.api(Method::POST, "/api/v1/session", None, Some(json!({"login": login, "password": password}))).await;
    (r.status == StatusCode::OK).then(|| r.json()["token"].as_str().unwrap().to_string())
}

/// The temporary password on the page shown once after opening an account or resetting one.
fn temporary_password(body: &str) -> String {
    let after = body.split("临时密码：").nth(1).unwrap_or_else(|| panic!("no temporary password in {body}"));
    after.chars().take_while(|c| c.is_ascii_alphanumeric()).collect()
}

#[tokio::test]
async fn only_managers_reach_accounts_and_forms_need_their_token() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let anon = a.page("/accounts", None).await;
        assert_eq!(anon.status, StatusCode::SEE_OTHER);
        assert!(anon.headers[header::LOCATION].to_str().unwrap().starts_with("/login"));
        let staff = a.token("staff").await;
        let staff_id = a.store.session(&staff).await.unwrap().unwrap().account_id;
        // an owner, a committee member, a building leader: none of them manage accounts
        for login in ["owner-13-701", "owner-2-501", "owner-13-201"] {
            let s = a.token(login).await;
            let csrf = a.csrf(&s).await;
            assert_eq!(a.page("/accounts", Some(&s)).await.status, StatusCode::FORBIDDEN, "{login}");
            assert_eq!(a.page(&format!("/accounts/{staff_id}"), Some(&s)).await.status, StatusCode::FORBIDDEN);
            let tries: [(&str, Vec<(&str, &str)>); 6] = [
                ("/accounts", vec![("csrf", &csrf), ("name", "某人"), ("login", "x1")]),
                (
                    "/accounts/ID/units",
                    vec![("csrf", &csrf), ("unit", "13-701"), ("relation", "owner"), ("checked", "x")],
                ),
                ("/accounts/ID/unlink", vec![("csrf", &csrf), ("unit", "13-701")]),
                ("/accounts/ID/voter", vec![("csrf", &csrf), ("unit", "13-701")]),
                ("/accounts/ID/roles", vec![("csrf", &csrf), ("office", "committee-director")]),
                ("/accounts/ID/password", vec![("csrf", &csrf)]),
            ];
            for (uri, fields) in tries {
                let uri = uri.replace("ID", &staff_id);
                assert_eq!(a.form(&uri, Some(&s), &fields).await.status, StatusCode::FORBIDDEN, "{login} {uri}");
            }
        }
        assert!(a.store.search_accounts(&a.compound, "x1", 10).await.unwrap().is_empty());
        // staff without the form's token
        let r = a.form("/accounts", Some(&staff), &[("csrf", "forged"), ("name", "某人"), ("login", "x2")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(a.store.search_accounts(&a.compound, "x2", 10).await.unwrap().is_empty());
        // staff finds accounts by unit
        let found = a.page("/accounts?q=13-701", Some(&staff)).await;
        assert_eq!(found.status, StatusCode::OK);
        assert!(found.text().contains("owner-13-701") && !found.text().contains("owner-13-702"));
    })
    .await;
}

#[tokio::test]
async fn a_co_owner_checked_in_person_is_bound_and_named_to_vote() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let reg = a.store.registry(&a.compound).await.unwrap();
        let evote = a.matter_id(EVOTE).await;
        let voted = a.store.voted_units(&a.compound, &evote).await.unwrap();
        let (unit, second) = reg
            .units
            .iter()
            .find_map(|u| {
                let o = reg.owner(&u.owner)?;
                (o.members.len() == 2 && !voted.contains(&u.no.to_string()))
                    .then(|| (u.no.clone(), o.members[1].clone()))
            })
            .expect("the demo has co-owned units");
        let staff = a.token("staff").await;
        let csrf = a.csrf(&staff).await;

        // what was checked must be said
        let r = a
            .form(
                "/accounts",
                Some(&staff),
                &[
                    ("csrf", &csrf),
                    ("name", &second),
                    ("login", "co-owner"),
                    ("unit", unit.as_str()),
                    ("relation", "owner"),
                    ("checked", " "),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("核验材料（checked）"), "{}", r.text());
        assert!(a.store.search_accounts(&a.compound, "co-owner", 10).await.unwrap().is_empty(), "all or nothing");

        let r = a
            .form(
                "/accounts",
                Some(&staff),
                &[
                    ("csrf", &csrf),
                    ("name", &second),
                    ("login", "co-owner"),
                    ("phone", "13911112222"),
                    ("unit", unit.as_str()),
                    ("relation", "owner"),
                    ("checked", "房产证、身份证"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let temp = temporary_password(&r.text());
        assert_eq!(temp.len(), 10);
        let acc = a.store.search_accounts(&a.compound, "co-owner", 10).await.unwrap().remove(0);
        assert_eq!(acc.units().len(), 1);
        assert!(!acc.units()[0].voter, "the co-owner already bound still votes");
        assert!(a.store.must_change_password(&acc.id).await.unwrap(), "the handed-over password is temporary");

        // the new co-owner signs in with the temporary password; the unit's voter is the other one
        let tok = browser(&a, "13911112222", &temp).await.expect("the temporary password works");
        let ballot = json!({"unit": unit.as_str(), "choice": "approve"});
        let uri = format!("/api/v1/matters/{evote}/ballots");
        // a temporary password is replaced before any other use, by the API too
        let r = a.api(Method::POST, &uri, Some(&tok), Some(ballot.clone())).await;
        assert_eq!(
            (r.status, r.json()["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("accounts.password-change-first"))
        );
        let change = json!({"current": temp, "new": "co-owner-secret"});
        assert_eq!(
            a.api(Method::POST, "/api/v1/password", Some(&tok), Some(change)).await.status,
            StatusCode::NO_CONTENT
        );
        let r = a.api(Method::POST, &uri, Some(&tok), Some(ballot.clone())).await;
        assert_eq!((r.status, r.json()["code"].as_str()), (StatusCode::FORBIDDEN, Some("voting.not-voter-for-unit")));

        // the co-owners agree in writing that the second votes
        let r = a
            .form(&format!("/accounts/{}/voter", acc.id), Some(&staff), &[("csrf", &csrf), ("unit", unit.as_str())])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let first = a.token(&format!("owner-{unit}")).await;
        assert_eq!(a.api(Method::POST, &uri, Some(&first), Some(ballot.clone())).await.status, StatusCode::FORBIDDEN);
        assert_eq!(a.api(Method::POST, &uri, Some(&tok), Some(ballot)).await.status, StatusCode::CREATED);
        let page = a.page(&format!("/accounts/{}", acc.id), Some(&staff)).await.text();
        assert!(page.contains(&format!("owner-{unit}")), "the other account of the unit is listed");

        // someone the register does not name is refused as an owner, with the register's names
        let r = a
            .form(
                &format!("/accounts/{}/units", acc.id),
                Some(&staff),
                &[("csrf", &csrf), ("unit", "13-701"), ("relation", "owner"), ("checked", "房产证")],
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "a refusal of the present state, not of the input");
        assert!(r.text().contains("不是名册登记的业主") && r.text().contains("陈桂英"), "{}", r.text());
        // but may be bound as a resident (a tenant, a family member)
        let r = a
            .form(
                &format!("/accounts/{}/units", acc.id),
                Some(&staff),
                &[("csrf", &csrf), ("unit", "13-701"), ("relation", "resident"), ("checked", "租赁合同")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let acc = a.store.account(&a.compound, &acc.id).await.unwrap();
        assert!(acc.has(gongzhi_core::accounts::Role::Resident) && !acc.votes_for(&UnitNo::parse("13-701").unwrap()));

        // unbinding the voter passes the vote back to the other owner
        let r = a
            .form(&format!("/accounts/{}/unlink", acc.id), Some(&staff), &[("csrf", &csrf), ("unit", unit.as_str())])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let first_acc = a.store.search_accounts(&a.compound, &format!("owner-{unit}"), 1).await.unwrap().remove(0);
        assert!(first_acc.votes_for(&unit));

        // every step is in the audit chain, with what was checked and without the password
        let log = a.store.audit_entries(&a.compound).await.unwrap();
        let links: Vec<_> = log.iter().filter(|e| e.action == "account.link").collect();
        assert_eq!(links.len(), 2);
        assert!(links[0].detail.contains("checked=房产证、身份证") && links[0].actor == "staff");
        assert!(log.iter().any(|e| e.action == "account.voter") && log.iter().any(|e| e.action == "account.unlink"));
        assert!(!log.iter().any(|e| e.detail.contains(&temp)));
        assert!(a.store.audit_verify(&a.compound).await.unwrap().is_ok());
    })
    .await;
}

#[tokio::test]
async fn offices_passwords_and_another_compounds_accounts() {
    on_each_backend(|store| async move {
        let a = App::new(store.clone()).await;
        let admin = a.token("admin").await;
        let csrf = a.csrf(&admin).await;
        let leader = a.store.search_accounts(&a.compound, "owner-5-701", 1).await.unwrap().remove(0);

        // the director makes the owner of 5-701 a volunteer and a building leader
        let r = a
            .form(
                &format!("/accounts/{}/roles", leader.id),
                Some(&admin),
                &[("csrf", &csrf), ("office", "volunteer"), ("office", "building-leader")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = a.page(&format!("/accounts/{}?saved=1", leader.id), Some(&admin)).await.text();
        assert!(page.contains("楼组长") && page.contains("志愿者") && page.contains("已保存"), "{page}");
        let acc = a.store.account(&a.compound, &leader.id).await.unwrap();
        assert!(acc.has(gongzhi_core::accounts::Role::Owner), "owner follows the unit and stays");
        // owner is not an office, and nobody changes their own roles
        let r = a
            .form(&format!("/accounts/{}/roles", leader.id), Some(&admin), &[("csrf", &csrf), ("office", "owner")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let admin_id = a.store.session(&admin).await.unwrap().unwrap().account_id;
        let r = a.form(&format!("/accounts/{admin_id}/roles"), Some(&admin), &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.text().contains(&AccountsRefusal::OwnRoles.refused().zh()), "{}", r.text());
        assert!(
            a.store.account(&a.compound, &admin_id).await.unwrap().has(gongzhi_core::accounts::Role::CommitteeDirector)
        );

        // a forgotten password: a temporary one, and every old session ends
        let old = a.token("owner-5-701").await;
        let r = a.form(&format!("/accounts/{}/password", leader.id), Some(&admin), &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::OK);
        let temp = temporary_password(&r.text());
        assert_eq!(a.api(Method::GET, "/api/v1/matters", Some(&old), None).await.status, StatusCode::UNAUTHORIZED);
        assert!(browser(&a, "owner-5-701", "demo").await.is_none());
        assert!(browser(&a, "owner-5-701", &temp).await.is_some());

        // another compound's account is as if it did not exist
        let other = store.create_compound("另一个小区", "", false).await.unwrap();
        let outsider = gongzhi_store::accounts::NewAccount {
            login: "outsider".into(),
            name: "外人".into(),
            password_hash: demo_hash().into(),
            ..Default::default()
        };
        let outsider = store.create_account(&other.id, &outsider, "test").await.unwrap();
        assert_eq!(a.page(&format!("/accounts/{}", outsider.id), Some(&admin)).await.status, StatusCode::NOT_FOUND);
        for (uri, extra) in
            [("roles", ("office", "volunteer")), ("password", ("x", "y")), ("voter", ("unit", "13-701"))]
        {
            let r = a.form(&format!("/accounts/{}/{uri}", outsider.id), Some(&admin), &[("csrf", &csrf), extra]).await;
            assert!(
                matches!(r.status, StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY),
                "{uri}: {}",
                r.status
            );
        }
        assert!(store.account(&other.id, &outsider.id).await.unwrap().roles().is_empty());
        let found = a.page("/accounts?q=outsider", Some(&admin)).await.text();
        assert!(!found.contains(&outsider.id) && !found.contains("外人"));
    })
    .await;
}

/// Logs in through the login page (its pre-session token included); returns where it sends the
/// browser and the session cookie.
async fn login_form(a: &App, login: &str, password: &str) -> (String, Option<String>) {
    use axum::body::Body;
    use axum::http::Request;
    let pre = a.page("/login", None).await.cookie("gz_pre").unwrap();
    let body = format!("csrf={pre}&login={}&password={}&next=%2F", enc(login), enc(password));
    let req = Request::builder()
        .method(Method::POST)
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("gz_pre={pre}"))
        .body(Body::from(body))
        .unwrap();
    let r = a.send(req).await;
    let to = r.headers.get(header::LOCATION).map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (to, r.cookie("gz_session"))
}

#[tokio::test]
async fn a_temporary_password_is_replaced_at_the_next_login() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let (to, _) = login_form(&a, "owner-6-302", "demo").await;
        assert_eq!(to, "/", "an own password goes where the owner was going");
        let staff = a.token("staff").await;
        let csrf = a.csrf(&staff).await;
        let acc = a.store.search_accounts(&a.compound, "owner-6-302", 1).await.unwrap().remove(0);
        let r = a.form(&format!("/accounts/{}/password", acc.id), Some(&staff), &[("csrf", &csrf)]).await;
        let temp = temporary_password(&r.text());

        let (to, session) = login_form(&a, "owner-6-302", &temp).await;
        assert_eq!(to, "/password", "a temporary password is replaced first");
        let s = session.unwrap();
        let other = browser(&a, "owner-6-302", &temp).await.unwrap();
        let page = a.page("/password", Some(&s)).await.text();
        assert!(page.contains("临时密码"), "{page}");
        let csrf = a.csrf(&s).await;
        let change = |current: &str, new: &str, repeat: &str| {
            let fields =
                [("csrf", csrf.clone()), ("current", current.into()), ("new", new.into()), ("repeat", repeat.into())];
            let (a, s) = (&a, s.clone());
            async move {
                let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                a.form("/password", Some(&s), &f).await
            }
        };
        let wrong = AccountsRefusal::WrongPassword.refused().zh();
        for (current, new, repeat, why) in [
            ("wrong-one", "new-secret-1", "new-secret-1", wrong.as_str()),
            (temp.as_str(), "short", "short", "密码至少8位"),
            (temp.as_str(), "new-secret-1", "new-secret-2", "两次输入的新密码不一样"),
            (temp.as_str(), temp.as_str(), temp.as_str(), "新密码不能和现在的密码一样"),
        ] {
            let r = change(current, new, repeat).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{why}");
            assert!(r.text().contains(why), "{why}: {}", r.text());
        }
        let forged = a
            .form(
                "/password",
                Some(&s),
                &[("csrf", "forged"), ("current", &temp), ("new", "x-secret-9"), ("repeat", "x-secret-9")],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert!(browser(&a, "owner-6-302", &temp).await.is_some(), "nothing changed yet");

        let r = change(&temp, "new-secret-1", "new-secret-1").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(a.api(Method::GET, "/api/v1/matters", Some(&other), None).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(a.page("/password", Some(&s)).await.status, StatusCode::OK, "the session in use stays");
        assert!(browser(&a, "owner-6-302", &temp).await.is_none());
        let (to, _) = login_form(&a, "owner-6-302", "new-secret-1").await;
        assert_eq!(to, "/");
        let log = a.store.audit_entries(&a.compound).await.unwrap();
        assert!(log.iter().any(|e| e.action == "account.password-change" && e.actor == "owner-6-302"));
        assert!(!log.iter().any(|e| e.detail.contains("new-secret-1")));
        // signed out: the form sends to the login page
        let anon = a.form("/password", None, &[("csrf", "x"), ("current", "a"), ("new", "b"), ("repeat", "b")]).await;
        assert_eq!(anon.status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn staff_enter_a_years_holidays_and_a_bad_line_is_named() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let (staff, csrf) = a.session("staff").await;
        let page = a.page("/settings/calendar?year=2026", Some(&staff)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text().contains("2026-10-01 rest 国庆节") && page.text().contains("随软件提供"),
            "{}",
            page.text()
        );
        let unknown = a.page("/settings/calendar?year=2027", Some(&staff)).await.text();
        assert!(unknown.contains("这一年还没有节假日安排"), "{unknown}");
        // a bad line is named and what was typed is kept
        let typed = "2027-01-01 rest 元旦\n2027-02-30 rest 春节";
        let r =
            a.form("/settings/calendar", Some(&staff), &[("csrf", &csrf), ("year", "2027"), ("lines", typed)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("第 2 行") && r.text().contains("2027-02-30"), "{}", r.text());
        let r = a
            .form(
                "/settings/calendar",
                Some(&staff),
                &[("csrf", &csrf), ("year", "2027"), ("lines", "2026-01-01 rest x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "another year's date");
        let good = "2027-01-01 rest 元旦\n2027-02-06..2027-02-12 rest 春节";
        let r = a.form("/settings/calendar", Some(&staff), &[("csrf", &csrf), ("year", "2027"), ("lines", good)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let rest = a.store.rest_days(&a.compound).await.unwrap();
        assert!(rest.is_rest_day(jiff::civil::date(2027, 2, 8)) && rest.knows_year(2027));
        // the API reads and replaces it
        let t = a.token("staff").await;
        let year = a.api(Method::GET, "/api/v1/calendar/2027", Some(&t), None).await.json();
        assert_eq!((year["own"].as_bool(), year["days"].as_array().unwrap().len()), (Some(true), 8));
        let put = json!({"year": 2027, "days": [{"day": "2027-01-01", "kind": "rest", "name": "元旦"}]});
        let r = a.api(Method::PUT, "/api/v1/calendar/2027", Some(&t), Some(put)).await;
        assert_eq!((r.status, r.json()["days"].as_array().unwrap().len()), (StatusCode::OK, 1));
        let bad = json!({"year": 2027, "days": [{"day": "2027-01-01", "kind": "holiday"}]});
        let r = a.api(Method::PUT, "/api/v1/calendar/2027", Some(&t), Some(bad)).await;
        assert_eq!(
            (r.status, r.json()["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("accounts.bad-calendar-line"))
        );
        // an owner may not
        let owner = a.token("owner-1-101").await;
        assert_eq!(a.api(Method::GET, "/api/v1/calendar/2027", Some(&owner), None).await.status, StatusCode::FORBIDDEN);
    })
    .await;
}
