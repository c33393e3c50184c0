//! The `gongzhi` binary, run as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn dir() -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let d =
        std::env::temp_dir().join(format!("gongzhi-cli-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub(crate) fn file(d: &Path, name: &str, text: &str) -> PathBuf {
    let p = d.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

pub(crate) fn gongzhi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongzhi")).args(args).output().unwrap()
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Building 1: four owners; 王五 holds two flats. Building 2: one flat.
pub(crate) const UNITS: &str = "unit,building,stairwell,floor,area,owner\n\
101,1,1,1,100.00,张三\n\
201,1,1,2,100.00,李四\n\
301,1,1,3,99.99,王五\n\
302,1,1,3,0.01,王五\n\
401,1,1,4,100.00,赵六\n\
101,2,1,1,50.00,钱七\n";

fn tally(units: &str, ballots: &str, extra: &[&str]) -> Output {
    let d = dir();
    let u = file(&d, "units.csv", units);
    let b = file(&d, "ballots.csv", ballots);
    let mut args = vec!["tally", "--units", u.to_str().unwrap(), "--ballots", b.to_str().unwrap()];
    args.extend_from_slice(extra);
    gongzhi(&args)
}

fn json(o: &Output) -> serde_json::Value {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap()
}

#[test]
fn three_quarters_reached_exactly_to_the_cent_passes() {
    // approve: 张三, 李四, 王五 (99.99 + 0.01) = 300.00 of 400.00, 3 of 4 owners
    let o = tally(
        UNITS,
        "unit,choice\n1-101,approve\n1-201,同意\n1-301,approve\n1-302,approve\n1-401,反对\n",
        &["--matter", "alteration", "--scope", "building:1"],
    );
    let v = json(&o);
    assert_eq!(v["scope"], "building:1");
    assert_eq!(v["threshold"], "three-quarters");
    assert_eq!(v["eligible"], serde_json::json!({"owners": 4, "area": "400.00"}));
    assert_eq!(v["approve"], serde_json::json!({"owners": 3, "area": "300.00"}));
    assert_eq!(v["participation_met"], true);
    assert_eq!(v["approval_met"], true);
    assert_eq!(v["passed"], true);
    assert_eq!(v["deemed"], serde_json::Value::Null);
    assert!(v["explanation"]["en"].as_str().unwrap().contains("Result: PASSED"));
}

#[test]
fn three_quarters_missed_by_one_cent_fails() {
    // 王五 votes only with 301 (99.99): his 302 did not return a ballot
    let o = tally(
        UNITS,
        "unit,choice\n1-101,approve\n1-201,approve\n1-301,approve\n1-401,oppose\n",
        &["--matter", "common-part-use", "--scope", "building:1"],
    );
    let v = json(&o);
    assert_eq!(v["participating"]["area"], "399.99");
    assert_eq!(v["approve"]["area"], "299.99");
    assert_eq!(v["approval_met"], false, "299.99 × 4 < 399.99 × 3");
    assert_eq!(v["passed"], false);
}

#[test]
fn deemed_reading_stands_beside_the_strict_one() {
    let d = dir();
    let delivered = file(&d, "delivered.csv", "unit\n1-101\n1-201\n1-401\n2-101\n");
    let o = tally(
        UNITS,
        "unit,choice\n1-101,approve\n1-201,approve\n",
        &["--matter", "other-major", "--delivered", delivered.to_str().unwrap()],
    );
    let v = json(&o);
    assert_eq!(v["participation_met"], false);
    assert_eq!(v["deemed"]["deemed_choice"], "approve");
    assert_eq!(v["deemed"]["participating"], serde_json::json!({"owners": 4, "area": "350.00"}));
    assert_eq!(v["deemed"]["participation_met"], true);
    assert_eq!(v["deemed"]["passed"], true);
}

#[test]
fn text_format_is_for_a_person() {
    let o = tally(UNITS, "unit,choice\n1-101,approve\n", &["--matter", "fund-use", "--format", "text"]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(s.contains("PASSED: no"), "{s}");
    assert!(s.contains("结果：未通过"), "{s}");
}

/// Runs a tally that must be refused: exit 2, nothing on stdout, and the message names `what`.
fn refused(units: &str, ballots: &str, extra: &[&str], what: &[&str]) {
    let o = tally(units, ballots, extra);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert!(stdout(&o).is_empty(), "never a partial result");
    for w in what {
        assert!(err.contains(w), "expected {w:?} in: {err}");
    }
}

#[test]
fn every_bad_input_exits_2_and_names_the_culprit() {
    let k = ["--matter", "other-major"];
    refused(UNITS, "unit,choice\n9-101,approve\n", &k, &["unit 9-101 is not on the roll", "row 2"]);
    refused(
        UNITS,
        "unit,choice\n1-101,approve\n1-101,oppose\n",
        &k,
        &["row 3: unit 1-101 already has a ballot (row 2)"],
    );
    refused(
        UNITS,
        "unit,choice\n2-101,approve\n",
        &["--matter", "other-major", "--scope", "building:1"],
        &["unit 2-101 is outside the scope building:1"],
    );
    refused(
        UNITS,
        "unit,choice\n1-301,approve\n1-302,oppose\n",
        &k,
        &["owner 王五 cast different choices", "1-301 approve, 1-302 oppose"],
    );
    refused(UNITS, "unit,choice\n1-101,maybe\n", &k, &["row 2 (unit 1-101), choice: unknown choice 'maybe'"]);
    refused(
        &UNITS.replace("100.00,李四", "1O0.00,李四"),
        "unit,choice\n",
        &k,
        &["row 3 (unit 201), area: area '1O0.00' is not a number"],
    );
    refused(
        &UNITS.replace("100.00,李四", "0,李四"),
        "unit,choice\n",
        &k,
        &["row 3 (unit 201), area: area '0' is not a positive number"],
    );
    refused(&UNITS.replace("100.00,李四", "-5,李四"), "unit,choice\n", &k, &["area '-5' is not a positive number"]);
    refused(&UNITS.replace(",area,", ",size,"), "unit,choice\n", &k, &["missing column 'area' (面积)"]);
    refused(UNITS, "unit\n1-101\n", &k, &["missing column 'choice'"]);
    refused(UNITS, "unit,choice\n", &["--matter", "lift"], &["--matter: unknown kind 'lift'"]);
    refused(
        UNITS,
        "unit,choice\n",
        &["--matter", "alteration", "--scope", "building:7"],
        &["the scope building:7 has no units"],
    );
    refused(UNITS, "unit,choice\n", &["--matter", "alteration", "--scope", "block:7"], &["--scope: 'block:7'"]);
    refused(
        &format!("{UNITS}101,1,1,1,80,孙八\n"),
        "unit,choice\n",
        &k,
        &["row 8 (unit 101), unit: duplicate unit 1-101: already on row 2"],
    );
}

#[test]
fn import_is_all_or_nothing_on_sqlite() {
    let d = dir();
    let db = format!("sqlite://{}/g.db", d.display());
    import_round(&d, &db);
}

#[test]
fn import_is_all_or_nothing_on_postgres() {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL not set: PostgreSQL import not exercised");
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = rt.block_on(gongzhi_store::kit::testing::fresh_postgres(&base)).unwrap();
    import_round(&dir(), &url);
    rt.block_on(gongzhi_store::kit::testing::drop_postgres(&url));
}

fn import_round(d: &Path, db: &str) {
    let good = file(d, "reg.csv", UNITS);
    let o = gongzhi(&["import", "registry", good.to_str().unwrap(), "--database", db, "--compound", "测试小区"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("imported 6 units (6 new, 0 updated), 5 owners (5 new), 450.00 m²"), "{}", stdout(&o));

    let bad = file(d, "bad.csv", "房号,楼号,单元,楼层,面积,业主\n501,1,1,5,70,新业主\n601,第一栋,1,6,70,新业主二\n");
    let o = gongzhi(&["import", "registry", bad.to_str().unwrap(), "--database", db]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("row 3 (unit 601), building: unknown building format '第一栋'"), "{}", stderr(&o));

    let rt = tokio::runtime::Runtime::new().unwrap();
    let units = rt.block_on(async {
        let s = gongzhi_store::Store::connect(db).await.unwrap();
        let c = s.compounds().await.unwrap().remove(0);
        let n = s.registry(&c.id).await.unwrap().units.len();
        s.close().await;
        n
    });
    assert_eq!(units, 6, "the bad file's good row 501 was not written");

    // a second good import updates in place
    let o = gongzhi(&["import", "registry", good.to_str().unwrap(), "--database", db]);
    assert!(stdout(&o).contains("(0 new, 6 updated)"), "{}", stdout(&o));
}

#[test]
fn demo_creates_the_compound_once_and_shows_it() {
    let d = dir();
    let o = gongzhi(&["demo", "--no-serve", "--data", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("明辉西郊苑"), "{s}");
    assert!(s.contains("33 buildings"), "{s}");
    assert!(s.contains("[closed] 13号楼加装电梯"), "{s}");
    assert!(s.contains("13 人（92.86%）"), "{s}");
    assert!(s.contains("[open]"), "{s}");
    assert!(d.join("gongzhi.db").exists());
    let again = gongzhi(&["demo", "--no-serve", "--data", d.to_str().unwrap()]);
    assert_eq!(stdout(&again), s, "seeding twice changes nothing");
}

#[test]
fn audit_verify_checks_printed_anchors_and_the_ballots_of_closed_votes() {
    let d = dir();
    let o = gongzhi(&["demo", "--no-serve", "--data", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let db = format!("sqlite://{}/gongzhi.db", d.display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    // the anchor the lift vote's notice prints
    let (anchor, matter) = rt.block_on(async {
        let s = gongzhi_store::Store::connect(&db).await.unwrap();
        let c = s.compounds().await.unwrap().remove(0);
        let m = s.matters(&c.id).await.unwrap().into_iter().find(|m| m.title.contains("13号楼加装电梯")).unwrap();
        let a = s.close_anchor(&c.id, &m.id).await.unwrap().expect("a closed vote has an anchor");
        s.close().await;
        (a, m.id)
    });
    let ok = gongzhi(&["audit", "verify", "--database", &db, "--anchor", &anchor]);
    assert_eq!(ok.status.code(), Some(0), "{}{}", stdout(&ok), stderr(&ok));
    assert!(stdout(&ok).contains(&format!("anchor {anchor}: found in 明辉西郊苑")), "{}", stdout(&ok));

    let made_up = "0123456789abcdef@2026-01-05";
    let o = gongzhi(&["audit", "verify", "--database", &db, "--anchor", made_up]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("is not in the audit chain"), "{}", stdout(&o));

    // someone with the database file turns one No into a Yes after the close
    rt.block_on(async {
        let s = gongzhi_store::Store::connect(&db).await.unwrap();
        let n = sqlx::query("UPDATE ballots SET choice = 'approve' WHERE matter_id = $1 AND choice = 'oppose'")
            .bind(&matter)
            .execute(&s.pool)
            .await
            .unwrap()
            .rows_affected();
        assert!(n > 0, "the demo's lift vote has No ballots");
        s.close().await;
    });
    let o = gongzhi(&["audit", "verify", "--database", &db, "--anchor", &anchor]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("were changed after closing"), "{}", stdout(&o));
}

#[test]
fn user_add_creates_a_login_and_audit_verify_finds_tampering() {
    let d = dir();
    let db = format!("sqlite://{}/g.db", d.display());
    let reg = file(&d, "reg.csv", UNITS);
    assert_eq!(
        gongzhi(&["import", "registry", reg.to_str().unwrap(), "--database", &db, "--compound", "测试小区"])
            .status
            .code(),
        Some(0)
    );

    let o = gongzhi(&[
        "user",
        "add",
        "--database",
        &db,
        "--login",
        "chair",
        "--name",
        "王主任",
        "--role",
        "committee-director,owner",
        "--unit",
        "1-101",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("created chair (committee-director,owner) in 测试小区"), "{out}");
    let password = out.lines().find_map(|l| l.strip_prefix("password: ")).expect("a generated password").to_string();
    assert_eq!(password.len(), 16);
    let bad_role = gongzhi(&["user", "add", "--database", &db, "--login", "x", "--name", "x", "--role", "king"]);
    assert_eq!(bad_role.status.code(), Some(2));
    assert!(stderr(&bad_role).contains("--role: unknown role 'king'"));
    let dup = gongzhi(&["user", "add", "--database", &db, "--login", "chair", "--name", "x", "--role", "owner"]);
    assert_eq!(dup.status.code(), Some(1), "{}", stderr(&dup));
    assert!(stderr(&dup).contains("already exists"));

    let rt = tokio::runtime::Runtime::new().unwrap();
    let (account, hash) = rt.block_on(async {
        let s = gongzhi_store::Store::connect(&db).await.unwrap();
        let (person, hash) = s.person_for_login("chair").await.unwrap().unwrap();
        let (compound, _) = s.memberships(&person).await.unwrap().remove(0);
        let account = s.account(&compound, &person).await.unwrap();
        s.close().await;
        (account, hash)
    });
    assert!(hash.starts_with("$argon2id$") && !hash.contains(&password));
    assert!(account.votes_for(&gongzhi_core::UnitNo::parse("1-101").unwrap()));

    let ok = gongzhi(&["audit", "verify", "--database", &db]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("测试小区: intact, 2 entries"), "the import and the login: {}", stdout(&ok));
    rt.block_on(async {
        let s = gongzhi_store::Store::connect(&db).await.unwrap();
        sqlx::query("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1").execute(&s.pool).await.unwrap();
        s.close().await;
    });
    let broken = gongzhi(&["audit", "verify", "--database", &db]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(stdout(&broken).contains("BROKEN: entry 1 was altered"), "{}", stdout(&broken));
}

/// A raw HTTP/1.1 GET, answered in full.
fn http_get(addr: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    resp
}

#[test]
fn serve_logs_each_request_with_its_id_and_stops_cleanly_on_sigterm() {
    use std::io::{BufRead, BufReader, Read};
    let d = dir();
    let db = format!("sqlite://{}/g.db", d.display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongzhi"))
        .args(["serve", "--database", &db, "--bind", "127.0.0.1:0"])
        .env("GONGZHI_LOG_FORMAT", "json")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().strip_prefix("serving on http://").unwrap().trim_end_matches('/').to_string();
    let resp = http_get(&addr, "/healthz");
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.ends_with("ok"), "the database answers: {resp}");
    let id = resp
        .lines()
        .find_map(|l| l.strip_prefix("x-request-id: "))
        .unwrap_or_else(|| panic!("a request id in {resp}"))
        .trim()
        .to_string();
    let missing = http_get(&addr, "/no-such-page");
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    // SIGTERM, as a service manager stops it: it finishes and exits 0
    let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(term.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "a clean stop: {status:?}");
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    let lines: Vec<serde_json::Value> = log.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(
        lines.iter().any(|l| l["span"]["id"] == id.as_str() && l["span"]["path"] == "/healthz"),
        "the request's log line carries its id: {log}"
    );
    assert!(log.contains("shutting down") && log.contains("stopped"), "{log}");
    assert!(!log.contains("password"), "nothing secret in the log");
}

/// Building 4, six floors of two flats (law-and-practice §4.5's Xinmin Village pattern).
fn six_floors() -> String {
    let mut s = String::from("unit,building,stairwell,floor,area,owner\n");
    for f in 1..=6 {
        for r in 1..=2 {
            s.push_str(&format!("{f}0{r},4,1,{f},70.00,业主{f}{r}\n"));
        }
    }
    s
}

fn share(units: &str, extra: &[&str]) -> Output {
    let d = dir();
    let u = file(&d, "units.csv", units);
    let mut args = vec!["share", "--units", u.to_str().unwrap()];
    args.extend_from_slice(extra);
    gongzhi(&args)
}

#[test]
fn share_reproduces_the_xinmin_village_example() {
    let o = share(
        &six_floors(),
        &["--cost", "510000", "--subsidy-rate", "0", "--weights", "3=0.1,4=0.2,5=0.3,6=0.4", "--basis", "household"],
    );
    let v = json(&o);
    assert_eq!(v["cost"], "510000.00");
    assert_eq!(v["subsidy"], "0.00");
    assert_eq!(v["residents_total"], "510000.00");
    let by_unit: std::collections::BTreeMap<String, String> = v["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["unit"].as_str().unwrap().to_string(), s["share"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(by_unit["4-101"], "0.00");
    assert_eq!(by_unit["4-202"], "0.00");
    assert_eq!(by_unit["4-301"], "25500.00");
    assert_eq!(by_unit["4-402"], "51000.00");
    assert_eq!(by_unit["4-501"], "76500.00");
    assert_eq!(by_unit["4-602"], "102000.00");
    assert_eq!(v["shares"][0]["floor"], 1);
}

#[test]
fn share_takes_the_shanghai_subsidy_and_adds_up_to_the_fen() {
    let o = share(&six_floors(), &["--cost", "612345.67", "--weights", "2=0.3,3=0.7,4=0.8,5=0.9,6=1.0"]);
    let v = json(&o);
    assert_eq!(v["subsidy"], "244938.27", "40% of 612345.67, half up");
    assert_eq!(v["residents_total"], "367407.40");
    let fen: i64 = v["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| gongzhi_core::Money::parse(s["share"].as_str().unwrap()).unwrap().fen())
        .sum();
    assert_eq!(fen, 36_740_740);
    let capped = json(&share(&six_floors(), &["--cost", "900000", "--weights", "3=1"]));
    assert_eq!(capped["subsidy"], "280000.00");
}

#[test]
fn share_refuses_bad_input_with_exit_2() {
    for (args, want) in [
        (vec!["--cost", "500000", "--weights", "3=-0.7"], "the weight of 3 is negative"),
        (vec!["--cost", "500000", "--weights", "3=1,9-901=1"], "unit 9-901 is not among the units"),
        (vec!["--cost", "0", "--weights", "3=1"], "the cost must be a positive amount"),
        (vec!["--cost", "-5", "--weights", "3=1"], "the cost must be a positive amount"),
        (vec!["--cost", "abc", "--weights", "3=1"], "--cost"),
        (vec!["--cost", "500000", "--weights", "3=1", "--basis", "rooms"], "--basis"),
    ] {
        let o = share(&six_floors(), &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn a_crafted_workbook_and_an_impossible_area_are_refused_by_name_not_crashed_on() {
    let d = dir();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, h) in ["unit", "building", "stairwell", "floor", "area", "owner"].iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    for (i, v) in ["701", "13", "1", "7", "85.52", "陈桂英"].iter().enumerate() {
        ws.write_string(1, i as u16, *v).unwrap();
    }
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let far = d.join("far.xlsx");
    std::fs::write(&far, wb.save_to_buffer().unwrap()).unwrap();
    assert!(std::fs::metadata(&far).unwrap().len() < 16_000);
    let ballots = file(&d, "b.csv", "unit,choice\n13-701,approve\n");
    let db = format!("sqlite://{}/g.db", d.display());
    for args in [
        vec!["import", "registry", far.to_str().unwrap(), "--database", &db, "--compound", "测试小区"],
        vec![
            "tally",
            "--units",
            far.to_str().unwrap(),
            "--ballots",
            ballots.to_str().unwrap(),
            "--matter",
            "other-major",
        ],
    ] {
        let o = gongzhi(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("cell XFD1048576 has a value"), "{}", stderr(&o));
    }

    let shop = file(&d, "shop.csv", "unit,building,stairwell,floor,area,owner\n701,13,1,7,12000,商场\n");
    let tally = |extra: &[&str]| {
        let mut a = vec!["tally", "--units", shop.to_str().unwrap(), "--ballots", ballots.to_str().unwrap()];
        a.extend(["--matter", "other-major", "--format", "text"]);
        a.extend(extra);
        gongzhi(&a)
    };
    let o = tally(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("area 12000.00 m² is more than a flat can be (10000.00 m²"), "{}", stderr(&o));
    let o = tally(&["--max-unit-area", "20000"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = tally(&["--max-unit-area", "many"]);
    assert!(stderr(&o).contains("--max-unit-area: 'many'"), "{}", stderr(&o));
}
