//! People, memberships, sessions, sign-in limits and binding codes.
#![allow(unused_imports)]

use crate::*;
use gongzhi_core::voting::tally::{Delivery, TallyInput, tally};
use gongzhi_core::{Channel, Choice, MatterKind, Scope, UnitNo};
use gongzhi_store::kit::testing::on_each_backend;
use gongzhi_store::{Actor, NewMatter, Store, StoreError, read_registry};

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

fn person(login: &str, phone: Option<&str>) -> gongzhi_store::accounts::NewAccount {
    gongzhi_store::accounts::NewAccount {
        login: login.into(),
        phone: phone.map(String::from),
        name: format!("{login}的名字"),
        password_hash: "h".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn one_person_belongs_to_two_compounds_with_one_login() {
    use gongzhi_core::accounts::Role;
    on_each_backend(|store| async move {
        let a = compound_with_register(&store).await;
        let b = store.create_compound("第二个小区", "", false).await.unwrap().id;
        let officer = store.create_account(&a, &person("officer", Some("13911110000")), "cli").await.unwrap();
        // the same person made a member of the second compound: no second login, no new password
        let again = store.create_account(&b, &person("officer", None), "cli").await.unwrap_err();
        assert_eq!(again.code(), Some("accounts.login-taken"));
        let there = store.add_member(&b, "13911110000", &[Role::RcStaff], "cli").await.unwrap();
        assert_eq!((there.id.as_str(), there.compound_id.as_str()), (officer.id.as_str(), b.as_str()));
        assert!(there.has(Role::RcStaff) && !officer.has(Role::RcStaff), "roles are per compound");
        let mut names: Vec<String> = store.memberships(&officer.id).await.unwrap().into_iter().map(|m| m.1).collect();
        names.sort();
        assert_eq!(names, vec!["测试小区".to_string(), "第二个小区".to_string()]);
        assert_eq!(store.add_member(&b, "officer", &[], "cli").await.unwrap_err().code(), Some("accounts.login-taken"));
        // one session moves between them; a compound the person is not in stays closed
        let (token, _) = store.open_session(&a, &officer.id, 60_000).await.unwrap();
        assert!(store.switch_compound(&token, &b).await.unwrap());
        assert_eq!(store.session_account(&token).await.unwrap().unwrap().1.compound_id, b);
        let c = store.create_compound("第三个小区", "", false).await.unwrap().id;
        assert!(!store.switch_compound(&token, &c).await.unwrap());
        // one compound's staff cannot hand a person of several compounds a temporary password
        let e = store.reset_password(&b, &officer.id, "new", "staff").await.unwrap_err();
        assert_eq!(e.code(), Some("accounts.member-elsewhere"));
    })
    .await;
}

#[tokio::test]
async fn a_login_never_equals_another_persons_phone() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        store.create_account(&c, &person("wang", Some("13800001111")), "cli").await.unwrap();
        let e = store.create_account(&c, &person("13800001111", None), "cli").await.unwrap_err();
        assert_eq!(e.code(), Some("accounts.login-taken"), "a login that is someone's phone");
        let e = store.create_account(&c, &person("li", Some("wang")), "cli").await.unwrap_err();
        assert_eq!(e.code(), Some("accounts.login-taken"), "a phone that is someone's login");
        assert!(store.person_for_login("li").await.unwrap().is_none(), "nothing half-made");
    })
    .await;
}

#[tokio::test]
async fn parallel_sign_in_attempts_never_get_past_the_limit() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let a = store.create_account(&c, &person("target", None), "cli").await.unwrap();
        let key = format!("person:{}", a.id);
        let tasks: Vec<_> = (0..60)
            .map(|_| {
                let (store, key) = (store.clone(), key.clone());
                tokio::spawn(async move { store.reserve_attempt(&[(key, 5)]).await.unwrap().is_ok() })
            })
            .collect();
        let mut reserved = 0;
        for t in tasks {
            reserved += t.await.unwrap() as usize;
        }
        assert_eq!(reserved, 5, "exactly five attempts are checked, however many arrive at once");
        assert!(store.locked_for(&a.id).await.unwrap().is_some_and(|m| (1..=15).contains(&m)));
        store.unlock(&c, &a.id, "staff").await.unwrap();
        assert!(store.locked_for(&a.id).await.unwrap().is_none(), "staff unlock");
        let attempt = store.reserve_attempt(&[(key.clone(), 5)]).await.unwrap().unwrap();
        store.release_attempt(&attempt).await.unwrap();
        assert!(store.locked_for(&a.id).await.unwrap().is_none(), "a right password gives its attempt back");
        assert!(store.audit_entries(&c).await.unwrap().iter().any(|e| e.action == "account.unlock"));
    })
    .await;
}

#[tokio::test]
async fn offices_are_given_only_by_those_the_table_names_and_every_change_is_audited() {
    use gongzhi_core::accounts::Role;
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let staff = store.create_account(&c, &person("staff", None), "cli").await.unwrap();
        let target = store.create_account(&c, &person("target", None), "cli").await.unwrap();
        let actor = Actor { id: &staff.id, login: "staff" };
        for office in [Role::CommitteeDirector, Role::CommitteeMember, Role::PartySecretary] {
            let e = store.set_offices(&c, &target.id, &[office], &[Role::RcStaff], actor).await.unwrap_err();
            assert_eq!(e.code(), Some("accounts.office-not-grantable"), "{office:?}");
        }
        let e =
            store.set_offices(&c, &target.id, &[Role::BuildingLeader], &[Role::Volunteer], actor).await.unwrap_err();
        assert_eq!(e.code(), Some("accounts.office-not-grantable"), "a volunteer grants nothing");
        store
            .set_offices(&c, &target.id, &[Role::BuildingLeader, Role::Volunteer], &[Role::RcStaff], actor)
            .await
            .unwrap();
        store.set_offices(&c, &target.id, &[Role::Volunteer], &[Role::RcStaff], actor).await.unwrap();
        let log = store.audit_entries(&c).await.unwrap();
        let grants: Vec<&str> = log.iter().filter(|e| e.action == "account.grant").map(|e| e.detail.as_str()).collect();
        let revokes: Vec<&str> =
            log.iter().filter(|e| e.action == "account.revoke").map(|e| e.detail.as_str()).collect();
        assert_eq!((grants, revokes), (vec!["building-leader", "volunteer"], vec!["building-leader"]));
        // an office held from the election stays: a manager who may not give it may not take it
        let director =
            store.create_account(&c, &NewAccountExt::with_role("chair", Role::CommitteeDirector), "cli").await.unwrap();
        let e = store.set_offices(&c, &director.id, &[], &[Role::RcStaff], actor).await.unwrap_err();
        assert_eq!(e.code(), Some("accounts.office-not-grantable"));
    })
    .await;
}

/// A new account holding one role.
struct NewAccountExt;

impl NewAccountExt {
    fn with_role(login: &str, role: gongzhi_core::accounts::Role) -> gongzhi_store::accounts::NewAccount {
        gongzhi_store::accounts::NewAccount { roles: vec![role], ..person(login, None) }
    }
}
