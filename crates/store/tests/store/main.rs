//! Store behaviour on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set: one test binary, a
//! module per process, the helpers here.

mod accounts;
mod kit;
mod outbox;
mod projects;
mod registry;
mod voting;

use gongzhi_core::{MatterKind, Scope, UnitNo};
use gongzhi_store::{Actor, NewMatter, Store, StoreError, read_registry};

pub(crate) const SYS: Actor<'static> = Actor::SYSTEM;
use std::path::PathBuf;

pub(crate) fn tmp(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongzhi-files-{}", uuid_like()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

pub(crate) fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!("{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

pub(crate) const GOOD: &str = "\u{feff}房号,楼号,单元,楼层,面积,业主\n\
701,13号楼,1,7,80.52,陈桂英\n\
702,13号楼,1,7,90.1234,张三\n\
601,13号楼,1,6,80.52,张三\n\
602,13号楼,1,6,90.00,李四;王五\n\
101,12号楼,1,1,70.00,开发商\n";

/// The refusal's code of a failed call.
pub(crate) fn code<T: std::fmt::Debug>(r: Result<T, StoreError>) -> &'static str {
    match r {
        Err(e) => e.code().unwrap_or_else(|| panic!("not a refusal: {e}")),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

pub(crate) fn unit(s: &str) -> UnitNo {
    UnitNo::parse(s).unwrap()
}

pub(crate) async fn compound_with_register(store: &Store) -> String {
    let c = store.create_compound("测试小区", "Test", false).await.unwrap();
    let reg = read_registry(&tmp("reg.csv", GOOD.as_bytes())).unwrap();
    let s = store.import_registry(&c.id, &reg).await.unwrap();
    assert_eq!((s.units_added, s.owners_added), (5, 4));
    c.id
}

/// Posts the notice backdated past the notice period, then opens voting.
pub(crate) async fn open(store: &Store, c: &str, id: &str) {
    store.post_notice(c, id, SYS, 0).await.unwrap();
    store.open_matter(c, id, SYS).await.unwrap();
}

pub(crate) fn new_matter(kind: MatterKind, scope: &str) -> NewMatter {
    NewMatter {
        title: "测试事项".into(),
        body: String::new(),
        kind,
        scope: Scope::parse(scope).unwrap(),
        deemed_clause: false,
        allow_change: false,
        window_start: None,
        // a week to vote from now: tests that close early do so once the window has run
        window_end: Some(gongzhi_core::time::now_ms() + WEEK),
    }
}

pub(crate) const WEEK: i64 = 7 * 86_400_000;

/// Closes a matter as of a moment after its window has run.
pub(crate) async fn close_after_window(store: &Store, c: &str, id: &str) -> Result<gongzhi_core::Tally, StoreError> {
    store.close_matter_at(c, id, SYS, gongzhi_core::time::now_ms() + 2 * WEEK).await
}
