//! The owners' committee: the demo's committee of the director and seven members, its even
//! number of seats flagged and explained, and its change of term as a timeline whose steps the
//! director records, each refusal naming the field.

use crate::common::*;
use axum::http::{Method, StatusCode};
use gongzhi_store::kit::testing::on_each_demo;
use serde_json::json;

#[tokio::test]
async fn the_committee_shows_its_even_seats_and_its_change_of_term_and_the_director_records_a_step() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let page = a.page("/committee", Some(&owner)).await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        assert!(text.contains("<dd id=\"seats\">8</dd>"), "{text}");
        assert!(text.contains("如 7 或 9 个"), "the even seats explained: {text}");
        assert_eq!(text.matches("中共党员").count(), 5, "five party members");
        assert!(text.contains("id=\"step-report\"") && text.contains("已于"), "the report is done: {text}");
        assert!(!text.contains("action=\"/committee/steps\""), "an owner records nothing");

        let c = a.api(Method::GET, "/api/v1/committee", Some(&owner), None).await.json();
        assert_eq!(c["seats"], 8);
        assert_eq!(c["members"].as_array().unwrap().len(), 8);
        assert_eq!(c["members"][0]["office"], "director");
        assert!(c["findings"].as_array().unwrap().iter().any(|f| f["code"] == "committee.seats-even"), "{c}");
        let steps = c["timeline"].as_array().unwrap();
        assert_eq!(steps.len(), 6);
        assert_eq!(steps[0]["step"], "report");
        assert!(steps[0]["done"].is_string(), "{c}");
        assert_eq!((steps[1]["step"].as_str(), steps[1]["status"]["status"].as_str()), (Some("group"), Some("due")));
        assert_eq!(steps[2]["provisional"], true, "the handover counts from the group, not formed yet");
        // the term ends in about four months
        let end = jiff::civil::Date::strptime("%Y-%m-%d", c["term_end"].as_str().unwrap()).unwrap();
        let today = gongzhi_core::kit::period::day_of(gongzhi_core::time::now_ms());
        let left = (end - today).get_days();
        assert!((100..=130).contains(&left) || end > today, "{left} days left");

        // an owner may not record a step
        let today_s = today.to_string();
        let r = a
            .api(Method::POST, "/api/v1/committee/steps", Some(&owner), Some(json!({"step": "group", "on": today_s})))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let d = a.token("admin").await;
        for (body, field) in [
            (json!({"step": "party", "on": today_s}), "step"),
            (json!({"step": "group", "on": "2099-01-01"}), "on"),
            (json!({"step": "group", "on": "yesterday"}), "on"),
        ] {
            let r = a.api(Method::POST, "/api/v1/committee/steps", Some(&d), Some(body.clone())).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(r.text().contains(field), "{body}: {}", r.text());
        }
        let r = a
            .api(Method::POST, "/api/v1/committee/steps", Some(&d), Some(json!({"step": "group", "on": today_s})))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let c = r.json();
        assert_eq!(c["timeline"][1]["done"], today_s.as_str());
        assert_eq!(c["timeline"][2]["provisional"], false, "the handover's deadline now counts from today");
        let last = a.store.audit_entries(&a.compound).await.unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.detail.as_str()),
            ("committee.step", format!("group_formed={today_s}").as_str())
        );
        // the page form, for the handover
        let csrf = a.csrf(&d).await;
        let r = a.form("/committee/steps", Some(&d), &[("csrf", &csrf), ("step", "handover"), ("on", &today_s)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let text = a.page("/committee?saved=1", Some(&d)).await.text();
        assert!(text.contains("id=\"step-saved\""), "{text}");
        let r =
            a.form("/committee/steps", Some(&d), &[("csrf", &csrf), ("step", "election"), ("on", "2099-01-01")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("id=\"refused\""));
    })
    .await;
}

#[tokio::test]
async fn a_meeting_without_its_quorum_cannot_decide_and_a_decision_not_posted_in_three_days_is_flagged() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let d = a.token("admin").await;
        let c = a.api(Method::GET, "/api/v1/committee", Some(&d), None).await.json();
        let names: Vec<String> =
            c["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().to_string()).collect();
        let today = gongzhi_core::kit::period::day_of(gongzhi_core::time::now_ms());
        let ago = |n: i64| today.checked_sub(jiff::Span::new().days(n)).unwrap().to_string();
        // an owner keeps no minutes
        let owner = a.token("owner-13-701").await;
        let r = a
            .api(
                Method::POST,
                "/api/v1/committee/meetings",
                Some(&owner),
                Some(json!({"held_on": ago(0), "attendees": []})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // four of eight: recorded, but it cannot decide
        let body = json!({"held_on": ago(1), "rc_invited": true, "attendees": names[..4]});
        let r = a.api(Method::POST, "/api/v1/committee/meetings", Some(&d), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let thin = r.json()["id"].as_str().unwrap().to_string();
        let r = a
            .api(
                Method::POST,
                &format!("/api/v1/committee/meetings/{thin}/decisions"),
                Some(&d),
                Some(json!({"title": "聘请审计机构", "signed": names[..4]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        assert_eq!(r.json()["code"], "committee.no-quorum");
        // a stranger at the table is refused by name
        let r = a
            .api(
                Method::POST,
                "/api/v1/committee/meetings",
                Some(&d),
                Some(json!({"held_on": ago(1), "attendees": ["不是委员"]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("不是委员"), "{}", r.text());
        // five of eight, ten days ago: it decides; five signatures adopt, four do not
        let body = json!({"held_on": ago(10), "rc_invited": true, "attendees": names[..5]});
        let full = a.api(Method::POST, "/api/v1/committee/meetings", Some(&d), Some(body)).await.json()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let decide = |title: &'static str, n: usize| {
            let (a, d, full, names) = (&a, &d, &full, &names);
            async move {
                let b = json!({"title": title, "body": "从公共收益中列支。", "signed": names[..n]});
                a.api(Method::POST, &format!("/api/v1/committee/meetings/{full}/decisions"), Some(d), Some(b)).await
            }
        };
        let yes = decide("修建南侧便道", 5).await;
        assert_eq!(yes.status, StatusCode::CREATED, "{}", yes.text());
        let no = decide("更换门禁", 4).await;
        assert_eq!(no.status, StatusCode::CREATED, "{}", no.text());
        let m = a.api(Method::GET, "/api/v1/committee/meetings", Some(&owner), None).await.json();
        let by_id = |m: &serde_json::Value, id: &str| {
            m["meetings"].as_array().unwrap().iter().find(|x| x["id"] == id).unwrap().clone()
        };
        let ds = &by_id(&m, &full)["decisions"];
        assert_eq!(
            (ds[0]["adopted"].as_bool(), ds[0]["agreed"].as_u64(), ds[0]["all"].as_u64()),
            (Some(true), Some(5), Some(8))
        );
        assert_eq!(ds[1]["adopted"], false, "four of eight is not more than half of all members");
        assert_eq!(by_id(&m, &thin)["quorate"], false);
        assert_eq!(by_id(&m, &full)["quorate"], true);
        let codes: Vec<&str> = m["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        assert_eq!(codes, vec!["committee.decision-not-posted"], "only the adopted one must be posted: {m}");
        let page = a.page("/committee/meetings", Some(&owner)).await.text();
        assert!(page.contains("未达到法定人数") && page.contains("修建南侧便道") && page.contains("已逾期"), "{page}");
        // the director and staff are reminded to post it on its last day, and of the next meeting
        use gongzhi_store::kit::outbox::Status;
        let id = ds[0]["id"].as_str().unwrap();
        let queued = a.store.messages(&a.compound, Status::Queued, 100_000).await.unwrap();
        let director = a.store.session_account(&d).await.unwrap().unwrap().0.account_id;
        let post: Vec<_> =
            queued.iter().filter(|m| m.kind == "committee.post-decision" && m.about.as_deref() == Some(id)).collect();
        assert!(
            post.iter().any(|m| m.person.as_deref() == Some(director.as_str()) && m.subject.contains("修建南侧便道")),
            "{post:?}"
        );
        let next: Vec<_> = queued.iter().filter(|m| m.kind == "committee.next-meeting").collect();
        assert!(!next.is_empty(), "the next meeting's reminder");
        let once: std::collections::HashSet<_> = next.iter().map(|m| (m.person.clone(), m.channel.as_str())).collect();
        assert_eq!(once.len(), next.len(), "one reminder a person and channel, the earlier ones withdrawn: {next:?}");
        // posted today, late: flagged as late
        let r = a
            .api(
                Method::POST,
                &format!("/api/v1/committee/decisions/{id}/posted"),
                Some(&d),
                Some(json!({"posted_on": ago(0)})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let m = a.api(Method::GET, "/api/v1/committee/meetings", Some(&d), None).await.json();
        let codes: Vec<&str> = m["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        assert_eq!(codes, vec!["committee.decision-posted-late"]);
        let left = a.store.messages(&a.compound, Status::Queued, 100_000).await.unwrap();
        assert!(
            !left.iter().any(|m| m.kind == "committee.post-decision" && m.about.as_deref() == Some(id)),
            "withdrawn once posted"
        );
        // the page forms
        let csrf = a.csrf(&d).await;
        let today_s = ago(0);
        let fields: Vec<(&str, &str)> =
            vec![("csrf", &csrf), ("held_on", &today_s), ("attendee", &names[0]), ("attendee", &names[1])];
        let r = a.form("/committee/meetings", Some(&d), &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = a.form("/committee/meetings", Some(&d), &[("csrf", &csrf), ("held_on", "2099-01-01")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("held_on"));
    })
    .await;
}

/// Each owner's approvals, the same on all of their units: a pattern that gives the candidates
/// different support, and leaves some owners out so turnout is just above two thirds.
fn approvals_for(owner_index: usize, slate: &[String]) -> Option<Vec<String>> {
    if owner_index % 4 == 3 {
        return None; // a quarter of the owners do not vote
    }
    Some(
        slate
            .iter()
            .enumerate()
            .filter(|(j, _)| (owner_index * 7 + j * 3) % 11 < 9 - *j)
            .map(|(_, n)| n.clone())
            .collect(),
    )
}

#[tokio::test]
async fn candidates_are_nominated_and_checked_and_the_election_is_counted_exactly_by_the_rule() {
    use gongzhi_core::voting::Marks;
    use gongzhi_core::{Area, Channel, UnitNo};
    use std::collections::BTreeMap;
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let admin = a.token("admin").await;
        // the demo's ten candidates; one works for the property company and may not stand
        let list = a.api(Method::GET, "/api/v1/committee/candidates", Some(&owner), None).await.json();
        let list = list.as_array().unwrap().clone();
        assert_eq!(list.len(), 10);
        let barred: Vec<&serde_json::Value> = list.iter().filter(|c| c["eligible"] == false).collect();
        assert_eq!(barred.len(), 1);
        assert_eq!(barred[0]["findings"][0]["code"], "committee.candidate-employed-by-property-company");

        // an owner nominates themself; their own unit only
        let reg = a.store.registry(&a.compound).await.unwrap();
        let me = reg.units.iter().find(|u| u.no.as_str() == "13-701").unwrap();
        let my_name = reg.owner(&me.owner).unwrap().members[0].clone();
        let body = json!({"name": my_name, "unit": "13-702", "nomination": "self-nominated", "undertaking_signed": true});
        let r = a.api(Method::POST, "/api/v1/committee/candidates", Some(&owner), Some(body)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("unit"), "{}", r.text());
        let body = json!({"name": my_name, "unit": "13-701", "nomination": "self-nominated", "profession": "设计师"});
        let r = a.api(Method::POST, "/api/v1/committee/candidates", Some(&owner), Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let mine = r.json();
        assert_eq!(mine["eligible"], false, "no undertaking signed yet");
        assert_eq!(mine["findings"][0]["code"], "committee.candidate-undertaking-missing");
        let r = a.api(Method::POST, "/api/v1/committee/candidates", Some(&owner), Some(body)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "nominated twice: {}", r.text());
        // by owners: a name that is not the unit's owner is named
        let body = json!({"name": "王某某", "unit": "5-101", "nomination": "by-owners", "undertaking_signed": true});
        let r = a.api(Method::POST, "/api/v1/committee/candidates", Some(&owner), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED);
        assert_eq!(r.json()["findings"][0]["code"], "committee.candidate-not-owner");
        assert_eq!(r.json()["nominators"].as_array().unwrap().len(), 1);
        // only those who prepare the election recommend from the reserve pool
        let body = json!({"name": "x", "unit": "5-102", "nomination": "reserve-pool"});
        let r = a.api(Method::POST, "/api/v1/committee/candidates", Some(&owner), Some(body)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // the page lists every reason, and the notice prints with its QR code
        let page = a.page("/committee/candidates", Some(&owner)).await.text();
        assert!(page.contains("物业服务企业"), "the barred candidate's reason: {page}");
        assert!(page.contains("id=\"nominate-form\"") && !page.contains("id=\"election-form\""), "{page}");
        let notice = a.page("/committee/candidates/notice", Some(&owner)).await.text();
        assert!(notice.contains("<svg") && notice.contains("/committee/candidates"), "{notice}");

        // drafting: an even number of seats is refused with the rule; an ineligible name too
        let eligible: Vec<String> =
            list.iter().filter(|c| c["eligible"] == true).map(|c| c["id"].as_str().unwrap().to_string()).collect();
        assert_eq!(eligible.len(), 9);
        let end = gongzhi_core::kit::period::day_of(gongzhi_core::time::now_ms() + 20 * 86_400_000).to_string();
        let draft = |seats: u32, ids: Vec<String>| {
            json!({"title": "第六届业主委员会选举", "seats": seats, "alternates": 1, "candidates": ids, "window_end": end})
        };
        let r = a.api(Method::POST, "/api/v1/committee/elections", Some(&owner), Some(draft(7, eligible.clone()))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = a.api(Method::POST, "/api/v1/committee/elections", Some(&admin), Some(draft(8, eligible.clone()))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("committee.election-seats") && r.text().contains("如 7 或 9 个"), "{}", r.text());
        let mut with_barred = eligible.clone();
        with_barred.push(barred[0]["id"].as_str().unwrap().into());
        let r = a.api(Method::POST, "/api/v1/committee/elections", Some(&admin), Some(draft(7, with_barred))).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.text().contains("committee.candidate-ineligible"), "{}", r.text());
        let r = a.api(Method::POST, "/api/v1/committee/elections", Some(&admin), Some(draft(7, eligible.clone()))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let e = r.json();
        let id = e["matter_id"].as_str().unwrap().to_string();
        let slate: Vec<String> = e["slate"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
        assert_eq!((slate.len(), e["seats"].as_u64(), e["result"].is_null()), (9, Some(7), true));

        // open it, then ballots: the owner online through the API, everyone else through the store
        let day = 86_400_000;
        let now = gongzhi_core::time::now_ms();
        a.store.post_notice(&a.compound, &id, gongzhi_store::Actor::SYSTEM, now - 30 * day).await.unwrap();
        a.store.open_matter(&a.compound, &id, gongzhi_store::Actor::SYSTEM).await.unwrap();
        let ballot = |approve: Vec<&str>| json!({"unit": "13-701", "approve": approve});
        let uri = format!("/api/v1/matters/{id}/ballots");
        let r = a.api(Method::POST, &uri, Some(&owner), Some(json!({"unit": "13-701", "choice": "approve"}))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "an election takes names: {}", r.text());
        assert!(r.text().contains("voting.slate-needs-names"));
        let r = a.api(Method::POST, &uri, Some(&owner), Some(ballot(vec!["不在名单上的人"]))).await;
        assert!(r.text().contains("voting.not-on-slate"), "{}", r.text());
        let all: Vec<&str> = slate.iter().map(String::as_str).collect();
        let r = a.api(Method::POST, &uri, Some(&owner), Some(ballot(all.clone()))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "nine names for 7 + 1 places: {}", r.text());
        assert!(r.text().contains("voting.too-many-names"), "{}", r.text());
        let r = a.api(Method::POST, &uri, Some(&owner), Some(ballot(all[..8].to_vec()))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

        // everyone else by owner, their units alike (the store, as the API would); one owner's
        // paper ballot ticks all nine names: entered twice, it counts as void
        let roll = a.store.roll(&a.compound, &id).await.unwrap();
        let mut owners: BTreeMap<String, Vec<(UnitNo, Area)>> = BTreeMap::new();
        for u in roll.iter() {
            owners.entry(u.owner.to_string()).or_default().push((u.no.clone(), u.area));
        }
        let mine_key = me.owner.to_string();
        let mut expected: Vec<(String, u64, Area)> = slate.iter().map(|n| (n.clone(), 0, Area::ZERO)).collect();
        let (mut p_owners, mut p_area) = (0u64, Area::ZERO);
        let mut void_unit: Option<String> = None;
        for (i, (key, units)) in owners.iter().enumerate() {
            let approve = if *key == mine_key { Some(slate[..8].to_vec()) } else { approvals_for(i, &slate) };
            let Some(approve) = approve else { continue };
            if void_unit.is_none() && units.len() == 1 && *key != mine_key {
                let unit = &units[0].0;
                let (first, second) = (gongzhi_store::Actor { id: "p1", login: "p1" }, gongzhi_store::Actor { id: "p2", login: "p2" });
                for who in [first, second] {
                    a.store.enter_paper_ballot(&a.compound, &id, unit, Marks::Names(slate.clone()), who).await.unwrap();
                }
                void_unit = Some(unit.to_string());
                p_owners += 1;
                p_area += units[0].1;
                continue;
            }
            let area = units.iter().fold(Area::ZERO, |s, (_, a)| s + *a);
            p_owners += 1;
            p_area += area;
            for e in expected.iter_mut().filter(|e| approve.contains(&e.0)) {
                e.1 += 1;
                e.2 += area;
            }
            if *key == mine_key {
                continue;
            }
            for (unit, _) in units {
                let marks = Marks::Names(approve.clone());
                a.store.cast_ballot(&a.compound, &id, unit, marks, Channel::Online, gongzhi_store::Actor::SYSTEM).await.unwrap();
            }
        }
        // still hidden while open
        let e = a.api(Method::GET, &format!("/api/v1/committee/elections/{id}"), Some(&owner), None).await.json();
        assert!(e["result"].is_null());
        a.store.close_matter_at(&a.compound, &id, gongzhi_store::Actor::SYSTEM, now + 22 * day).await.unwrap();
        let e = a.api(Method::GET, &format!("/api/v1/committee/elections/{id}"), Some(&owner), None).await.json();
        let r = &e["result"];
        // the count, cross-checked against a count done here by hand: owners and area per name,
        // the majority of participating owners and area, ranked by owners then area
        let (eligible_owners, eligible_area) =
            (owners.len() as u64, roll.iter().fold(Area::ZERO, |s, u| s + u.area));
        assert_eq!(r["eligible"]["owners"], eligible_owners);
        assert_eq!(r["eligible"]["area"], eligible_area.to_string());
        assert_eq!((r["participating"]["owners"].as_u64().unwrap(), r["participating"]["area"].as_str().unwrap()), (p_owners, p_area.to_string().as_str()));
        let met = 3 * p_owners >= 2 * eligible_owners && p_area.e4() * 3 >= eligible_area.e4() * 2;
        assert_eq!(r["participation_met"], met);
        assert!(met, "the pattern gives three quarters turnout");
        let mut ranked: Vec<&(String, u64, Area)> = expected.iter().collect();
        ranked.sort_by(|x, y| y.1.cmp(&x.1).then(y.2.cmp(&x.2)));
        let got: Vec<(String, u64, String, bool)> = r["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["name"].as_str().unwrap().into(), c["owners"].as_u64().unwrap(), c["area"].as_str().unwrap().into(), c["majority"].as_bool().unwrap()))
            .collect();
        let want: Vec<(String, u64, String, bool)> = ranked
            .iter()
            .map(|(n, o, ar)| (n.clone(), *o, ar.to_string(), 2 * o > p_owners && ar.e4() * 2 > p_area.e4()))
            .collect();
        assert_eq!(got, want);
        let qualified: Vec<&String> = want.iter().filter(|w| w.3).map(|w| &w.0).collect();
        let seats = qualified.len().min(7);
        let no_tie = |k: usize| k == 0 || k >= want.len() || (want[k - 1].1, &want[k - 1].2) != (want[k].1, &want[k].2);
        assert!(no_tie(seats), "the pattern was chosen without a tie at the last seat");
        let elected: Vec<&str> = r["elected"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        assert_eq!(elected, qualified[..seats].iter().map(|s| s.as_str()).collect::<Vec<_>>());
        assert_eq!(r["open_seats"], 7 - seats as u64);
        let alternates: Vec<&str> = r["alternates"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        let next: Vec<&str> = qualified.iter().skip(seats).take(1).map(|s| s.as_str()).collect();
        assert_eq!(alternates, next);
        assert_eq!(r["void"], json!([void_unit.unwrap()]));
        assert!(e["explanation"]["zh"].as_str().unwrap().contains("过半"), "{e}");
        // the result notice on the page names each candidate's counts and the rule
        let page = a.page(&format!("/committee/elections/{id}"), Some(&owner)).await.text();
        assert!(page.contains("id=\"counts\"") && page.contains(&want[0].2) && page.contains("三分之二以上"), "{page}");
        // and the matter page shows the slate and links to the count, not a pass/fail tally
        let page = a.page(&format!("/matters/{id}"), Some(&owner)).await.text();
        assert!(page.contains("id=\"election-link\"") && !page.contains("id=\"result\""), "{page}");

        // the elected are recorded as the incoming committee; it takes office once filed
        let seat = format!("/api/v1/committee/elections/{id}/seat");
        assert_eq!(a.api(Method::POST, &seat, Some(&owner), None).await.status, StatusCode::FORBIDDEN);
        let r = a.api(Method::POST, &seat, Some(&admin), None).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        assert_eq!(a.api(Method::POST, &seat, Some(&admin), None).await.status, StatusCode::CONFLICT);
        let c = a.api(Method::GET, "/api/v1/committee", Some(&owner), None).await.json();
        assert_eq!(c["seats"], 8, "the old committee serves until the filing");
        let incoming: Vec<&str> = c["incoming"]["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
        assert_eq!(incoming, elected);
        assert!(c["timeline"][3]["done"].is_string(), "the election step recorded on the day it closed: {c}");
        let today = gongzhi_core::kit::period::day_of(gongzhi_core::time::now_ms()).to_string();
        for step in ["list-posted", "filing"] {
            let r = a.api(Method::POST, "/api/v1/committee/steps", Some(&admin), Some(json!({"step": step, "on": today}))).await;
            assert_eq!(r.status, StatusCode::OK, "{step}: {}", r.text());
        }
        let c = a.api(Method::GET, "/api/v1/committee", Some(&owner), None).await.json();
        assert_eq!(c["seats"], 7, "filed: the new committee is in office: {c}");
        let now: Vec<&str> = c["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
        assert_eq!(now, elected);
        assert!(c["incoming"].is_null());
        let codes: Vec<&str> = c["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        assert!(codes.contains(&"committee.no-director") && !codes.contains(&"committee.seats-even"), "{codes:?}");
    })
    .await;
}

#[tokio::test]
async fn a_joint_meetings_minutes_are_corrected_by_attendees_then_locked_and_its_resolution_followed_to_its_outcome() {
    use gongzhi_store::kit::outbox::Status;
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let owner = a.token("owner-13-701").await;
        let other = a.token("owner-13-702").await;
        let d = a.token("admin").await;
        // every owner reads the demo's meetings: the leaders' resolution led to the path vote
        let ms = a.api(Method::GET, "/api/v1/meetings", Some(&owner), None).await.json();
        let ms = ms.as_array().unwrap();
        // the committee's three, and the southern leaders' meeting of the map's story (issue 16)
        assert_eq!(ms.len(), 4);
        let leaders = ms
            .iter()
            .find(|m| m["kind"] == "building-leaders" && m["title"].as_str().unwrap().ends_with("怎么办"))
            .unwrap();
        assert_eq!(leaders["minutes_status"], "locked");
        let done = &leaders["resolutions"][0];
        assert_eq!((done["status"].as_str(), done["deadline"]["status"].as_str()), (Some("done"), Some("done")));
        let path = done["matter_id"].as_str().unwrap();
        assert_eq!(a.store.matter(&a.compound, path).await.unwrap().title, gongzhi_store::demo::PATH_TITLE);
        let joint = ms.iter().find(|m| m["kind"] == "joint").unwrap();
        let overdue: Vec<_> =
            joint["resolutions"].as_array().unwrap().iter().filter(|r| r["deadline"]["status"] == "overdue").collect();
        assert_eq!(overdue.len(), 1, "{joint}");
        let page = a.page("/meetings", Some(&owner)).await.text();
        assert!(page.contains("id=\"open-resolutions\"") && page.contains("已逾期") && !page.contains("schedule-form"));

        // owners may not schedule; the director does, with each bad field named
        let body = json!({"kind": "joint", "title": "十二月三方联席会议", "starts_at": "2026-12-20T14:00", "ends_at": "2026-12-20T16:00"});
        assert_eq!(a.api(Method::POST, "/api/v1/meetings", Some(&owner), Some(body.clone())).await.status, StatusCode::FORBIDDEN);
        for (bad, field) in [
            (json!({"kind": "party", "title": "x", "starts_at": "2026-12-20T14:00", "ends_at": "2026-12-20T16:00"}), "kind"),
            (json!({"kind": "joint", "title": "x", "starts_at": "2026-12-20 25:00", "ends_at": "2026-12-20T16:00"}), "starts_at"),
            (json!({"kind": "joint", "title": "x", "starts_at": "2026-12-20T14:00", "ends_at": "2026-12-20T13:00"}), "ends_at"),
        ] {
            let r = a.api(Method::POST, "/api/v1/meetings", Some(&d), Some(bad.clone())).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert!(r.text().contains(field), "{bad}: {}", r.text());
        }
        let r = a.api(Method::POST, "/api/v1/meetings", Some(&d), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let m = r.json();
        let id = m["id"].as_str().unwrap().to_string();
        assert_eq!(m["starts_at"], "2026-12-20T06:00:00Z", "14:00 in Shanghai");
        // nothing to correct before minutes exist
        let fix = json!({"body": "第二项应为“暂缓”"});
        let r = a.api(Method::POST, &format!("/api/v1/meetings/{id}/corrections"), Some(&owner), Some(fix.clone())).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        // the minutes name the owner as an attendee; the other owner is not one
        let me = a.store.session_account(&owner).await.unwrap().unwrap().0;
        let my_name = a.store.account(&a.compound, &me.account_id).await.unwrap().name;
        let minutes = json!({"attendees": [my_name.clone(), "居委会 王书记"], "minutes": "一、同意；二、同意。"});
        let r = a.api(Method::PUT, &format!("/api/v1/meetings/{id}/minutes"), Some(&d), Some(minutes.clone())).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["minutes_status"], "draft");
        let r = a.api(Method::POST, &format!("/api/v1/meetings/{id}/corrections"), Some(&other), Some(fix.clone())).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "not an attendee: {}", r.text());
        assert!(r.text().contains("committee.not-an-attendee"));
        let r = a.api(Method::POST, &format!("/api/v1/meetings/{id}/corrections"), Some(&owner), Some(fix.clone())).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let m = r.json();
        assert_eq!((m["minutes_status"].as_str(), m["corrections"][0]["by"].as_str()), (Some("corrected"), Some(my_name.as_str())));
        // locked: final for everyone
        assert_eq!(a.api(Method::POST, &format!("/api/v1/meetings/{id}/lock"), Some(&owner), None).await.status, StatusCode::FORBIDDEN);
        let r = a.api(Method::POST, &format!("/api/v1/meetings/{id}/lock"), Some(&d), None).await;
        assert_eq!((r.status, r.json()["minutes_status"].as_str()), (StatusCode::OK, Some("locked")));
        let r = a.api(Method::POST, &format!("/api/v1/meetings/{id}/corrections"), Some(&owner), Some(fix)).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(r.text().contains("committee.minutes-locked"));
        let r = a.api(Method::PUT, &format!("/api/v1/meetings/{id}/minutes"), Some(&d), Some(minutes)).await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // a resolution: who, what, by when; reminded on its day; followed to the matter it led to
        let uri = format!("/api/v1/meetings/{id}/resolutions");
        for (bad, field) in [
            (json!({"body": "x", "assignee": "物业", "due": "next week"}), "due"),
            (json!({"body": " ", "assignee": "物业", "due": "2026-12-30"}), "body"),
            (json!({"body": "x", "assignee": "物业", "due": "2026-12-30", "matter_id": "nope"}), "matter_id"),
        ] {
            let r = a.api(Method::POST, &uri, Some(&d), Some(bad.clone())).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", r.text());
            assert!(r.text().contains(field), "{bad}: {}", r.text());
        }
        let body = json!({"body": "4号楼楼道粉刷方案提交业主表决", "assignee": "业委会主任", "due": "2026-12-30"});
        let r = a.api(Method::POST, &uri, Some(&d), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let rid = r.json()["id"].as_str().unwrap().to_string();
        let queued = a.store.messages(&a.compound, Status::Queued, 100_000).await.unwrap();
        assert!(queued.iter().any(|m| m.kind == "committee.resolution-due" && m.about.as_deref() == Some(rid.as_str())));
        let corridor = a.store.matters(&a.compound).await.unwrap().into_iter().find(|m| m.title == gongzhi_store::demo::CORRIDOR_TITLE).unwrap();
        let upd = format!("/api/v1/resolutions/{rid}/updates");
        let r = a.api(Method::POST, &upd, Some(&owner), Some(json!({"status": "done", "note": "x"}))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = a.api(Method::POST, &upd, Some(&d), Some(json!({"status": "finished", "note": "x"}))).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("status"), "{}", r.text());
        let r = a.api(Method::POST, &upd, Some(&d), Some(json!({"status": "done", "note": "已开始投票", "matter_id": corridor.id}))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let res = r.json();
        assert_eq!((res["status"].as_str(), res["matter_id"].as_str()), (Some("done"), Some(corridor.id.as_str())));
        assert_eq!(res["updates"][0]["note"], "已开始投票");
        let left = a.store.messages(&a.compound, Status::Queued, 100_000).await.unwrap();
        assert!(!left.iter().any(|m| m.kind == "committee.resolution-due" && m.about.as_deref() == Some(rid.as_str())), "withdrawn");
        // every owner sees the outcome on the meeting's page, with the link to the vote
        let page = a.page(&format!("/meetings/{id}"), Some(&other)).await.text();
        assert!(page.contains(&format!("/matters/{}", corridor.id)) && page.contains("已开始投票") && page.contains("已定稿"), "{page}");
        assert!(!page.contains("resolution-form") && !page.contains("correction-form"));

        // meetings are in the calendars of those expected at them: the reception day is everyone's
        let feed = |token: String| {
            let a = &a;
            async move {
                let url = a.api(Method::POST, "/api/v1/me/calendar", Some(&token), None).await.json()["url"].as_str().unwrap().to_string();
                let path = url.split_once("127.0.0.1:8080").unwrap().1.to_string();
                a.api(Method::GET, &path, None, None).await.text()
            }
        };
        let mine = feed(owner.clone()).await;
        assert!(mine.contains("业主接待日") && !mine.contains("三方联席会议"), "{mine}");
        let director = feed(d.clone()).await;
        assert!(director.contains("十二月三方联席会议") && director.contains("DTSTART:20261220T060000Z"), "{director}");
    })
    .await;
}

#[tokio::test]
async fn the_committees_settings_are_the_compounds_and_its_composition_rules_check_the_slate() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let d = a.token("admin").await;
        let owner = a.token("owner-13-701").await;
        let s = a.api(Method::GET, "/api/v1/committee/settings", Some(&d), None).await.json();
        assert_eq!(
            s,
            json!({"min_owner_nominators": 1, "exactly_half": "early-change-of-term", "quorum_basis": "seats",
                   "extra_grounds": "", "building_groups": "", "composition_rules": ""})
        );
        assert_eq!(
            a.api(Method::GET, "/api/v1/committee/settings", Some(&owner), None).await.status,
            StatusCode::FORBIDDEN
        );
        // a line that cannot be read is named, and nothing is stored
        let mut bad = s.clone();
        bad["composition_rules"] = json!("party >= 1/2\neach-group lots");
        bad["building_groups"] = json!("北区: 1-16\n南区: 17-33");
        let r = a.api(Method::PUT, "/api/v1/committee/settings", Some(&d), Some(bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let p = r.json();
        assert_eq!(
            (p["code"].as_str(), p["values"]["line"].as_u64()),
            (Some("committee.composition-line"), Some(2)),
            "{p}"
        );
        // two owners nominate jointly; every building group has a candidate; a party share
        let mut good = s.clone();
        good["min_owner_nominators"] = json!(2);
        good["extra_grounds"] = json!("arrears: 拖欠物业费 / arrears of fees");
        good["building_groups"] = json!("北区: 1-16\n南区: 17-33");
        good["composition_rules"] = json!("each-group >= 1\nparty <= 1/2");
        let r = a.api(Method::PUT, "/api/v1/committee/settings", Some(&d), Some(good.clone())).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json(), good);
        // by-owners nominations with one nominator now fall short, named
        let list = a.api(Method::GET, "/api/v1/committee/candidates", Some(&owner), None).await.json();
        let by_owners: Vec<_> = list.as_array().unwrap().iter().filter(|c| c["nomination"] == "by-owners").collect();
        assert!(
            by_owners.iter().all(|c| c["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["code"] == "committee.too-few-nominators"))
        );
        // the added ground can be declared
        let body = json!({"name": "x", "unit": "13-701", "nomination": "self-nominated", "uncorrected": ["arrears"]});
        let r = a.api(Method::POST, "/api/v1/committee/candidates", Some(&owner), Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        // the demo's slate has more party members than half: drafting is refused with the rule
        let eligible: Vec<String> = a
            .api(Method::GET, "/api/v1/committee/candidates", Some(&owner), None)
            .await
            .json()
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["eligible"] == true)
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        let draft = json!({"title": "选举", "seats": 5, "alternates": 0, "candidates": eligible});
        let r = a.api(Method::POST, "/api/v1/committee/elections", Some(&d), Some(draft)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
        assert!(r.text().contains("committee.composition-unmet"), "{}", r.text());
        let page = a.page("/committee/candidates", Some(&d)).await.text();
        assert!(page.contains("id=\"composition\""), "{page}");
        // the page form saves too
        let csrf = a.csrf(&d).await;
        let r = a
            .form(
                "/committee/settings",
                Some(&d),
                &[
                    ("csrf", &csrf),
                    ("min_owner_nominators", "1"),
                    ("exactly_half", "by-election"),
                    ("quorum_basis", "members-in-office"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let s = a.api(Method::GET, "/api/v1/committee/settings", Some(&d), None).await.json();
        assert_eq!(
            (s["exactly_half"].as_str(), s["quorum_basis"].as_str(), s["composition_rules"].as_str()),
            (Some("by-election"), Some("members-in-office"), Some(""))
        );
    })
    .await;
}

#[tokio::test]
async fn members_leave_and_the_group_is_checked_and_a_third_of_the_members_demand_a_meeting() {
    on_each_demo(demo_hash(), |store| async move {
        let a = App::demo(store).await;
        let d = a.token("admin").await;
        let owner = a.token("owner-13-701").await;
        let c = a.api(Method::GET, "/api/v1/committee", Some(&owner), None).await.json();
        assert_eq!(c["next"], json!({"action": "none"}));
        let names: Vec<String> = c["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().to_string()).collect();
        let today = gongzhi_core::kit::period::day_of(gongzhi_core::time::now_ms()).to_string();
        let body = json!({"names": [names[3]], "on": today, "reason": "搬离小区"});
        assert_eq!(a.api(Method::POST, "/api/v1/committee/departures", Some(&owner), Some(body.clone())).await.status, StatusCode::FORBIDDEN);
        let r = a.api(Method::POST, "/api/v1/committee/departures", Some(&d), Some(json!({"names": ["不是委员"], "on": today}))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().contains("committee.not-a-member"), "{}", r.text());
        // the demo has no alternates: one of eight seats falls vacant, seven remain: a by-election
        let r = a.api(Method::POST, "/api/v1/committee/departures", Some(&d), Some(body)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_eq!(r.json()["next"], json!({"action": "by-election", "seats": 1}));
        // three more (four of eight remain, exactly half): an early change of term by default
        let body = json!({"names": [names[4], names[5], names[6]], "on": today});
        let r = a.api(Method::POST, "/api/v1/committee/departures", Some(&d), Some(body)).await;
        assert_eq!(r.json()["next"], json!({"action": "early-change-of-term"}), "{}", r.text());
        // the director left: the members choose one from among themselves
        let r = a.api(Method::POST, "/api/v1/committee/departures", Some(&d), Some(json!({"names": [names[0]], "on": today}))).await;
        assert_eq!(r.json()["offices_vacant"], json!(["director"]));
        let c = a.api(Method::GET, "/api/v1/committee", Some(&owner), None).await.json();
        assert_eq!(c["members"].as_array().unwrap().len(), 3);
        assert_eq!(c["departures"].as_array().unwrap().len(), 5);
        assert!(c["findings"].as_array().unwrap().iter().any(|f| f["code"] == "committee.no-director"), "{c}");
        let r = a.api(Method::POST, "/api/v1/committee/offices", Some(&d), Some(json!({"name": names[1], "office": "director"}))).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
        let c = a.api(Method::GET, "/api/v1/committee", Some(&owner), None).await.json();
        assert_eq!(c["members"][0]["office"], "director");

        // the change-of-term group: an even size, too few owners, a leader not from the office
        let group = json!({"members": [
            {"name": "甲", "side": "owner-representative"}, {"name": "乙", "side": "residents-committee", "leader": true},
            {"name": "丙", "side": "subdistrict-office"}, {"name": "丁", "side": "residents-committee"}]});
        let r = a.api(Method::PUT, "/api/v1/committee/group", Some(&d), Some(group)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let found = r.json();
        let codes: Vec<&str> = found["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        assert_eq!(codes, vec!["committee.group-size-even", "committee.group-owners-below-half", "committee.group-leader-not-from-office"]);
        let group = json!({"members": [
            {"name": "甲", "side": "owner-representative"}, {"name": "戊", "side": "owner-representative"},
            {"name": "丙", "side": "subdistrict-office", "leader": true}]});
        let r = a.api(Method::PUT, "/api/v1/committee/group", Some(&d), Some(group)).await;
        assert_eq!(r.json()["findings"], json!([]));
        let r = a.api(Method::PUT, "/api/v1/committee/group", Some(&d), Some(json!({"members": [{"name": "x", "side": "party"}]}))).await;
        assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text().contains("members[0].side"), "{}", r.text());
        let page = a.page("/committee", Some(&d)).await.text();
        assert!(page.contains("id=\"group-form\"") && page.contains("小组组成符合规定") && page.contains("id=\"next-step\""), "{page}");

        // a third of all members demand an extraordinary meeting; fewer is refused
        let c = a.api(Method::GET, "/api/v1/committee", Some(&owner), None).await.json();
        let left: Vec<String> = c["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap().to_string()).collect();
        let r = a.api(Method::POST, "/api/v1/committee/demands", Some(&d), Some(json!({"demanders": [left[0]], "reason": "审议物业合同"}))).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "one of eight seats is below a third: {}", r.text());
        assert!(r.text().contains("committee.demand-below-third"));
        let r = a.api(Method::POST, "/api/v1/committee/demands", Some(&d), Some(json!({"demanders": [left[0], left[1], left[2]], "reason": "审议物业合同"}))).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        let m = a.api(Method::GET, "/api/v1/committee/meetings", Some(&owner), None).await.json();
        assert_eq!(m["demands"][0]["reason"], "审议物业合同");
        // the year's attendance: last month's meeting missed by two of the eight
        assert!(m["attendance"].as_array().unwrap().iter().any(|f| f["code"] == "committee.missed-over-half"), "{m}");
    })
    .await;
}
