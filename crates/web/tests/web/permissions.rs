//! Permission tests generated from the policy tables: every action of every process's table, by
//! an account holding each role in turn (living in Building 4), on Building 4's subject, on
//! another building's, and on another compound's. What the table allows must be allowed (never
//! 403); what it does not must be refused with 403 and `accounts.not-allowed`; another compound's
//! subject is not found. A new action without a probe here fails the test, so no rule goes
//! unchecked.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use gongzhi_core::UnitNo;
use gongzhi_core::accounts::policy::{AccountsAction, Act, Subject, allows, could};
use gongzhi_core::accounts::{Member, MemberUnit, Relation, Role};
use gongzhi_core::projects::ProjectsAction;
use gongzhi_core::voting::VotingAction;
use gongzhi_store::kit::testing::on_each_demo;
use serde_json::json;

/// The subjects a probe is tried on.
#[derive(Clone, Copy, Debug, PartialEq)]
enum On {
    /// Building 4, where the probing account lives.
    Own,
    /// Building 13, where it does not.
    Other,
    /// The compound as a whole.
    Compound,
    /// Another compound's project or matter.
    Foreign,
}

/// What the probing account is: one role, bound to unit 4-101.
fn member(role: Role) -> Member {
    let relation = if role == Role::Owner { Relation::Owner } else { Relation::Resident };
    Member {
        roles: vec![role],
        units: vec![MemberUnit { unit: UnitNo::parse("4-101").unwrap(), relation, voter: false }],
    }
}

struct Ids {
    evote: String,
    /// Building 13's lift vote, closed (13-102 opposed).
    lift: String,
    p4: String,
    p13: String,
    foreign_matter: String,
    foreign_project: String,
    /// The demo's building leaders' meeting, its minutes locked.
    locked_meeting: String,
    /// The demo's corridor round, adopted (so an allowed write is refused as out of stage).
    corridors: String,
    /// Requests taken up at a meeting (so everyone reads their public face), by building (4, 13)
    /// and handler: (owners' committee, property company, residents' committee).
    requests: [[String; 3]; 2],
}

/// One request that exercises exactly one action's rule.
struct Probe {
    method: Method,
    uri: String,
    /// A JSON body (API) or urlencoded fields with the CSRF token added (page).
    json: Option<serde_json::Value>,
    form: Option<Vec<(&'static str, String)>>,
    /// The page shows the action's part (or not) instead of refusing it.
    shows: Option<&'static str>,
}

fn api(method: Method, uri: String, json: Option<serde_json::Value>) -> Probe {
    Probe { method, uri, json, form: None, shows: None }
}

fn page(method: Method, uri: String, form: Option<Vec<(&'static str, String)>>) -> Probe {
    Probe { method, uri, json: None, form, shows: None }
}

/// The probe of an action on a subject, and the rule's subject; `None` where the action has no
/// such subject (a compound-wide action has no building to be in).
fn probe(key: &str, on: On, ids: &Ids) -> Option<(Probe, Subject<'static>)> {
    let (project, building, unit) = match on {
        On::Own => (ids.p4.as_str(), "4", "4-201"),
        On::Other => (ids.p13.as_str(), "13", "13-201"),
        On::Foreign => (ids.foreign_project.as_str(), "9", "9-101"),
        On::Compound => ("", "", ""),
    };
    let matter = if on == On::Foreign { ids.foreign_matter.as_str() } else { ids.evote.as_str() };
    let building: &'static str = Box::leak(building.to_string().into_boxed_str());
    let compound_only = matches!(on, On::Compound | On::Foreign);
    let building_only = matches!(on, On::Own | On::Other | On::Foreign);
    Some(match key {
        // voting: compound-wide matters
        "PrepareMatter" if on == On::Compound => (
            api(
                Method::POST,
                "/api/v1/matters".into(),
                Some(json!({"title": "probe", "matter": "other-major", "scope": "compound"})),
            ),
            Subject::Compound,
        ),
        "CloseVoting" if compound_only => {
            (api(Method::POST, format!("/api/v1/matters/{matter}/close"), None), Subject::Compound)
        }
        "EnterBallots" if compound_only => (
            page(
                Method::POST,
                format!("/matters/{matter}/paper"),
                Some(vec![("unit", "1-101".into()), ("choice", "approve".into())]),
            ),
            Subject::Compound,
        ),
        "ResolvePaperMismatch" if compound_only => (
            page(
                Method::POST,
                format!("/matters/{matter}/paper/resolve"),
                Some(vec![("unit", "1-101".into()), ("choice", "approve".into())]),
            ),
            Subject::Compound,
        ),
        "ChangeVotingSettings" if on == On::Compound => (
            api(
                Method::PUT,
                "/api/v1/settings/voting".into(),
                Some(json!({"notice_days": 7, "rest_day_rollover": true, "publish_choices": false})),
            ),
            Subject::Compound,
        ),
        // the ballot list answers everyone; each unit's choice shows iff the table allows it
        "SeeChoices" if on == On::Compound => (
            Probe {
                shows: Some("<td>反对</td>"), ..page(Method::GET, format!("/matters/{}/ballots", ids.lift), None)
            },
            Subject::Compound,
        ),
        "RemindVoters" if compound_only => {
            (api(Method::POST, format!("/api/v1/matters/{matter}/reminders"), None), Subject::Compound)
        }
        "FollowUpTurnout" if compound_only => {
            (page(Method::GET, format!("/matters/{matter}/turnout"), None), Subject::Compound)
        }
        // accounts
        "ManageAccounts" if on == On::Compound => (page(Method::GET, "/accounts".into(), None), Subject::Compound),
        "ReadAudit" if on == On::Compound => (page(Method::GET, "/audit".into(), None), Subject::Compound),
        "ManageSettings" if on == On::Compound => {
            (api(Method::GET, "/api/v1/calendar/2026".into(), None), Subject::Compound)
        }
        "SeeDeliveries" if on == On::Compound => {
            (api(Method::GET, "/api/v1/deliveries?status=dead".into(), None), Subject::Compound)
        }
        "ManageChannels" if on == On::Compound => (
            page(
                Method::POST,
                "/settings/reaching/relay".into(),
                Some(vec![
                    ("host", "smtp.example.org".into()),
                    ("port", "587".into()),
                    ("tls", "starttls".into()),
                    ("mail_from", "gz@example.org".into()),
                ]),
            ),
            Subject::Compound,
        ),
        "RecordChangeOfTerm" if on == On::Compound => (
            api(
                Method::POST,
                "/api/v1/committee/steps".into(),
                Some(json!({"step": "group", "on": gongzhi_core::time::date(gongzhi_core::time::now_ms())})),
            ),
            Subject::Compound,
        ),
        "KeepMinutes" if on == On::Compound => (
            api(
                Method::POST,
                "/api/v1/committee/meetings".into(),
                Some(json!({"held_on": gongzhi_core::time::date(gongzhi_core::time::now_ms()), "attendees": []})),
            ),
            Subject::Compound,
        ),
        "Nominate" if on == On::Compound => (
            api(
                Method::POST,
                "/api/v1/committee/candidates".into(),
                Some(json!({"name": "probe", "unit": "1-101", "nomination": "by-owners"})),
            ),
            Subject::Compound,
        ),
        "PrepareElection" if on == On::Compound => (
            api(
                Method::POST,
                "/api/v1/committee/elections".into(),
                Some(json!({"title": "probe", "seats": 8, "candidates": []})),
            ),
            Subject::Compound,
        ),
        "ChangeCommitteeSettings" if on == On::Compound => {
            (api(Method::GET, "/api/v1/committee/settings".into(), None), Subject::Compound)
        }
        "KeepCompoundMeetings" if on == On::Compound => (
            api(
                Method::POST,
                "/api/v1/meetings".into(),
                Some(
                    json!({"kind": "other", "title": "probe", "starts_at": "2026-12-20T14:00", "ends_at": "2026-12-20T15:00"}),
                ),
            ),
            Subject::Compound,
        ),
        // allowed: refused as locked (409), which is checked after the policy
        "CorrectMinutes" if on == On::Compound => (
            api(
                Method::POST,
                format!("/api/v1/meetings/{}/corrections", ids.locked_meeting),
                Some(json!({"body": "probe"})),
            ),
            Subject::Compound,
        ),
        // corridors: the demo's round is adopted, so what the policy allows is refused by stage
        "SubmitPlan" if matches!(on, On::Own | On::Other) => (
            api(
                Method::PUT,
                format!("/api/v1/corridors/{}/plans/{building}", ids.corridors),
                Some(json!({"works": ["walls"], "cost": "1", "signatures": 0})),
            ),
            Subject::Building(building),
        ),
        "RunRound" if on == On::Compound => (
            api(
                Method::POST,
                format!("/api/v1/corridors/{}/recommendation", ids.corridors),
                Some(json!({"policy": "strict"})),
            ),
            Subject::Compound,
        ),
        // building 13: the probing account lives in 4, where a reviewer abstains
        "ScorePlans" if on == On::Compound => (
            api(
                Method::PUT,
                format!("/api/v1/corridors/{}/plans/13/marks", ids.corridors),
                Some(json!({"marks": ["5", "5", "5", "5", "5"]})),
            ),
            Subject::Compound,
        ),
        "AdoptSchedule" if on == On::Compound => (
            api(
                Method::POST,
                format!("/api/v1/corridors/{}/decision", ids.corridors),
                Some(json!({"decision": "adopt"})),
            ),
            Subject::Compound,
        ),
        "RecordProgress" if on == On::Compound => (
            api(
                Method::PUT,
                format!("/api/v1/corridors/{}/progress/13", ids.corridors),
                Some(json!({"progress": "under-way"})),
            ),
            Subject::Compound,
        ),
        // waste duty: a bad date is refused after the policy; the probing account is no volunteer
        "Organise" if on == On::Compound => (
            api(Method::POST, "/api/v1/waste/roster".into(), Some(json!({"first_day": "soon", "days": 1}))),
            Subject::Compound,
        ),
        "TakeShifts" if on == On::Compound => (
            api(Method::POST, "/api/v1/waste/checkins".into(), Some(json!({"shift": "north/2026-12-01/07:00"}))),
            Subject::Compound,
        ),
        "RecordSorting" if on == On::Compound => (
            api(
                Method::POST,
                "/api/v1/waste/records".into(),
                Some(json!({"station": "north", "date": "soon", "kind": "mis-sorted", "count": 1})),
            ),
            Subject::Compound,
        ),
        // the funds: an allowed write is refused after the policy for its bad field or period
        "KeepBooks" if on == On::Compound => (
            api(
                Method::POST,
                "/api/v1/funds/transactions".into(),
                Some(json!({"account": "income:other", "amount": "x"})),
            ),
            Subject::Compound,
        ),
        "RecordAuthorities" if on == On::Compound => {
            (api(Method::PUT, "/api/v1/funds/rate".into(), Some(json!({"rate": "0.5"}))), Subject::Compound)
        }
        "PostStatements" if on == On::Compound => {
            (api(Method::POST, "/api/v1/funds/statements/soon/posting".into(), Some(json!({}))), Subject::Compound)
        }
        "ReadBooks" if on == On::Compound => {
            (api(Method::GET, "/api/v1/funds/transactions".into(), None), Subject::Compound)
        }
        "ReadStatements" if on == On::Compound => (api(Method::GET, "/api/v1/funds".into(), None), Subject::Compound),
        // an owner's own figures: the probing account's building 4
        "ReadOwnFigures" if on == On::Own => {
            (api(Method::GET, "/api/v1/funds/mine".into(), None), Subject::Building("4"))
        }
        // the map and requests: an allowed write is refused after the policy for its bad field
        "ReadMap" if on == On::Compound => (api(Method::GET, "/api/v1/map/scenarios".into(), None), Subject::Compound),
        "DrawMap" if on == On::Compound => (
            api(Method::POST, "/api/v1/map/edits".into(), Some(json!({"edit": "remove", "id": "no-such-node"}))),
            Subject::Compound,
        ),
        "SaveScenarios" if on == On::Compound => {
            (api(Method::POST, "/api/v1/map/scenarios".into(), Some(json!({"title": ""}))), Subject::Compound)
        }
        "SubmitRequests" if on == On::Compound => (
            api(Method::POST, "/api/v1/requests".into(), Some(json!({"category": "nope", "title": "x"}))),
            Subject::Compound,
        ),
        "ReadRequests" if on == On::Compound => {
            (api(Method::GET, "/api/v1/requests/stats".into(), None), Subject::Compound)
        }
        // a building's request in full (its text) to its readers; its public face to the others
        "ReadRequests" if matches!(on, On::Own | On::Other) => (
            Probe {
                shows: Some("id=\"request-text\""),
                ..page(Method::GET, format!("/requests/{}", ids.requests[usize::from(on == On::Other)][1]), None)
            },
            Subject::Building(building),
        ),
        "HandleCommitteeRequests" | "HandlePropertyRequests" | "HandleRcRequests"
            if matches!(on, On::Own | On::Other) =>
        {
            let h = match key {
                "HandleCommitteeRequests" => 0,
                "HandlePropertyRequests" => 1,
                _ => 2,
            };
            let id = &ids.requests[usize::from(on == On::Other)][h];
            (
                api(Method::POST, format!("/api/v1/requests/{id}/moves"), Some(json!({"status": "nope"}))),
                Subject::Building(building),
            )
        }
        "RouteRequests" if on == On::Compound => (
            api(Method::PUT, "/api/v1/requests/routing".into(), Some(json!({"routing": "not a line"}))),
            Subject::Compound,
        ),
        // building projects
        "ReadProjects" if building_only => {
            (api(Method::GET, format!("/api/v1/projects/{project}"), None), Subject::Building(building))
        }
        "ReadShares" if building_only => {
            (api(Method::GET, format!("/api/v1/projects/{project}/shares"), None), Subject::Building(building))
        }
        "ReadConsultation" if building_only => (
            Probe { shows: Some("id=\"visits\""), ..page(Method::GET, format!("/projects/{project}"), None) },
            Subject::Building(building),
        ),
        "EditProjects" if building_only => (
            api(
                Method::POST,
                format!("/api/v1/projects/{project}/visits"),
                Some(json!({"unit": unit, "stance": "support"})),
            ),
            Subject::Building(building),
        ),
        "EditProjects" if on == On::Compound => (
            api(
                Method::POST,
                "/api/v1/projects".into(),
                Some(json!({"title": "probe", "kind": "paths-and-gates", "scope": "compound"})),
            ),
            Subject::Compound,
        ),
        "PrepareMatter"
        | "CloseVoting"
        | "EnterBallots"
        | "ResolvePaperMismatch"
        | "FollowUpTurnout"
        | "ChangeVotingSettings"
        | "SeeChoices"
        | "RemindVoters"
        | "ManageAccounts"
        | "ReadAudit"
        | "ManageSettings"
        | "SeeDeliveries"
        | "ManageChannels"
        | "RecordChangeOfTerm"
        | "KeepMinutes"
        | "Nominate"
        | "PrepareElection"
        | "KeepCompoundMeetings"
        | "ChangeCommitteeSettings"
        | "SubmitPlan"
        | "RunRound"
        | "ScorePlans"
        | "AdoptSchedule"
        | "RecordProgress"
        | "Organise"
        | "TakeShifts"
        | "RecordSorting"
        | "KeepBooks"
        | "RecordAuthorities"
        | "PostStatements"
        | "ReadBooks"
        | "ReadStatements"
        | "ReadOwnFigures"
        | "CorrectMinutes"
        | "ReadProjects"
        | "ReadShares"
        | "ReadConsultation"
        | "EditProjects"
        | "ReadMap"
        | "DrawMap"
        | "SaveScenarios"
        | "SubmitRequests"
        | "ReadRequests"
        | "HandleCommitteeRequests"
        | "HandlePropertyRequests"
        | "HandleRcRequests"
        | "RouteRequests" => {
            return None;
        }
        other => panic!("no probe for the action {other}: add one so its rule is tested"),
    })
}

/// Whether a member may take the action on a subject (the table's rule).
type Allows = Box<dyn Fn(&Member, Subject<'_>) -> bool>;
/// Whether someone holding these roles may take it somewhere.
type Could = Box<dyn Fn(&[Role]) -> bool>;

/// Every action of every policy table the web enforces, by key.
fn actions() -> Vec<(&'static str, Allows, Could)> {
    fn of<A: Act>() -> Vec<(&'static str, Allows, Could)> {
        A::ALL
            .iter()
            .map(|a| {
                let a = *a;
                (
                    a.key(),
                    Box::new(move |m: &Member, s: Subject<'_>| allows(m, a, s)) as Allows,
                    Box::new(move |r: &[Role]| could(r, a)) as Could,
                )
            })
            .collect()
    }
    let mut all = of::<VotingAction>();
    all.extend(of::<AccountsAction>());
    all.extend(of::<ProjectsAction>());
    all.extend(of::<gongzhi_core::committee::policy::CommitteeAction>());
    all.extend(of::<gongzhi_core::corridors::policy::CorridorsAction>());
    all.extend(of::<gongzhi_core::waste::policy::WasteAction>());
    all.extend(of::<gongzhi_core::funds::policy::FundsAction>());
    all.extend(of::<gongzhi_core::map::MapAction>());
    all
}

/// Three requests about `building`, one to each handler, each put on a meeting's agenda.
async fn requests_in(a: &App, building: &str) -> [String; 3] {
    use gongzhi_core::map::Category;
    let owner = a.store.person_for_login(&format!("owner-{building}-701")).await.unwrap().unwrap().0;
    let director = a.store.person_for_login("admin").await.unwrap().unwrap().0;
    let meeting = a.store.compound_meetings(&a.compound).await.unwrap()[0].id.clone();
    let mut out = Vec::new();
    for c in [Category::Paths, Category::Repairs, Category::Neighbours] {
        let n = gongzhi_store::map::requests::NewRequest {
            category: Some(c),
            title: format!("试探 {building} {c}"),
            text: "试探内容".into(),
            building: Some(building.into()),
            ..Default::default()
        };
        let actor = gongzhi_store::Actor { id: &owner, login: "probe" };
        let r = a.store.submit_request(&a.compound, &n, actor, "试探").await.unwrap();
        let links = gongzhi_store::map::requests::RequestLinks { meeting: Some(meeting.clone()), ..Default::default() };
        let sys = gongzhi_store::Actor { id: &director, login: "admin" };
        a.store.link_request(&a.compound, &r.id, &links, sys, "主任").await.unwrap();
        out.push(r.id);
    }
    out.try_into().unwrap()
}

#[tokio::test]
async fn every_action_by_every_role_on_every_subject_is_as_the_policy_says() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let c = a.compound.clone();
        let project = |b: &'static str| {
            let store = a.store.clone();
            let c = c.clone();
            async move {
                store
                    .projects(&c)
                    .await
                    .unwrap()
                    .into_iter()
                    .find(|p| p.scope.to_string() == format!("building:{b}"))
                    .unwrap()
                    .id
            }
        };
        // another compound with a building 9, a project and an open matter
        let other = a.store.create_compound("另一个小区", "", false).await.unwrap();
        let csv = "unit,building,stairwell,floor,area,owner\n101,9,1,1,80.00,外人\n";
        let path = std::env::temp_dir().join(format!("gz-perm-{}.csv", other.id));
        std::fs::write(&path, csv).unwrap();
        let reg = gongzhi_store::read_registry(&path).unwrap();
        a.store.import_registry(&other.id, &reg).await.unwrap();
        let sys = gongzhi_store::Actor::SYSTEM;
        let fp = a
            .store
            .create_project(
                &other.id,
                &gongzhi_store::projects::NewProject {
                    title: "外".into(),
                    kind: None,
                    scope: gongzhi_core::Scope::parse("building:9"),
                    note: String::new(),
                },
                sys,
            )
            .await
            .unwrap();
        let nm = gongzhi_store::NewMatter {
            title: "外".into(),
            body: String::new(),
            kind: gongzhi_core::MatterKind::OtherMajor,
            scope: gongzhi_core::Scope::Compound,
            deemed_clause: false,
            allow_change: false,
            window_start: None,
            window_end: Some(gongzhi_core::time::now_ms() + 7 * 86_400_000),
        };
        let fm = a.store.create_matter(&other.id, &nm, sys).await.unwrap();
        a.store.post_notice(&other.id, &fm.id, sys, 0).await.unwrap();
        a.store.open_matter(&other.id, &fm.id, sys).await.unwrap();
        let ids = Ids {
            evote: a.matter_id(EVOTE).await,
            lift: a.matter_id(LIFT).await,
            p4: project("4").await,
            p13: project("13").await,
            foreign_matter: fm.id,
            foreign_project: fp.id,
            locked_meeting: a
                .store
                .compound_meetings(&a.compound)
                .await
                .unwrap()
                .into_iter()
                .find(|m| m.minutes_status == gongzhi_core::committee::minutes::MinutesStatus::Locked)
                .unwrap()
                .id,
            corridors: a.store.corridor_rounds(&a.compound).await.unwrap()[0].0.clone(),
            requests: [requests_in(&a, "4").await, requests_in(&a, "13").await],
        };

        let mut checked = 0;
        for role in Role::ALL {
            // an account holding only this role, living in 4-101
            let m = member(role);
            let relation = m.units[0].relation;
            let new = gongzhi_store::accounts::NewAccount {
                login: format!("probe-{}", role.as_str()),
                name: format!("试探{}", role.as_str()),
                password_hash: demo_hash().into(),
                roles: vec![role],
                units: vec![(UnitNo::parse("4-101").unwrap(), relation, false)],
                ..Default::default()
            };
            let acc = a.store.create_account(&c, &new, "test").await.unwrap();
            let ttl = gongzhi_web::kit::auth::SESSION_TTL_MS;
            let (token, csrf) = a.store.open_session(&c, &acc.id, ttl).await.unwrap();
            for (key, allowed, may_some) in actions() {
                for on in [On::Own, On::Other, On::Compound, On::Foreign] {
                    let Some((p, subject)) = probe(key, on, &ids) else { continue };
                    // a page that shows a person's part of the compound answers anyone who could
                    // take the action somewhere (a building leader's own building's follow-up)
                    let want = if key == "FollowUpTurnout" { may_some(&m.roles) } else { allowed(&m, subject) };
                    let mut b = Request::builder().method(p.method.clone()).uri(&p.uri);
                    let req = if let Some(fields) = &p.form {
                        let mut body = format!("csrf={csrf}");
                        for (k, v) in fields {
                            body.push_str(&format!("&{k}={}", enc(v)));
                        }
                        b = b
                            .header(header::COOKIE, format!("gz_session={token}"))
                            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                        b.body(Body::from(body)).unwrap()
                    } else if p.method == Method::GET && !p.uri.starts_with("/api/") {
                        b.header(header::COOKIE, format!("gz_session={token}")).body(Body::empty()).unwrap()
                    } else {
                        b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
                        match &p.json {
                            Some(j) => b
                                .header(header::CONTENT_TYPE, "application/json")
                                .body(Body::from(j.to_string()))
                                .unwrap(),
                            None => b.body(Body::empty()).unwrap(),
                        }
                    };
                    let r = a.send(req).await;
                    let what = format!("{key} by {} on {on:?} ({} {})", role.as_str(), p.method, p.uri);
                    checked += 1;
                    if on == On::Foreign {
                        // another compound's subject is not found, for anyone: nothing crosses compounds
                        assert!(
                            matches!(r.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                            "{what}: {} {}",
                            r.status,
                            r.text().chars().take(200).collect::<String>()
                        );
                        assert!(!r.status.is_success(), "{what}");
                        continue;
                    }
                    if let Some(mark) = p.shows {
                        assert_eq!(r.status, StatusCode::OK, "{what}");
                        assert_eq!(r.text().contains(mark), want, "{what}: the page shows it iff the table allows it");
                    } else if want {
                        assert_ne!(r.status, StatusCode::FORBIDDEN, "{what} is allowed: {}", r.text());
                        assert!(r.status.as_u16() < 500, "{what}: {}", r.text());
                    } else {
                        assert_eq!(r.status, StatusCode::FORBIDDEN, "{what} is not allowed: {}", r.text());
                        if p.uri.starts_with("/api/") {
                            assert_eq!(r.json()["code"], "accounts.not-allowed", "{what}");
                        }
                    }
                }
            }
        }
        assert!(checked > 200, "{checked} probes");
    })
    .await;
}
