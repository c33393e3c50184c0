//! The declared order of processes holds in every crate: a process's folder uses the kit and the
//! processes before it in `kit::processes::ORDER`, never one after it, and the kit uses none.
//! (A circle between two processes is impossible under a total order.) Top-level modules such as
//! the demo or the home page sit above all processes and may use any.

use gongzhi_core::kit::processes::ORDER;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The processes a source file names: `crate::voting`, `super::super::voting`,
/// `gongzhi_core::voting`, `gongzhi_store::voting`, `crate::voting::…` and the like.
fn uses(src: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    for p in ORDER {
        let hit = ["crate::", "gongzhi_core::", "gongzhi_store::", "gongzhi_web::"]
            .iter()
            .any(|prefix| src.contains(&format!("{prefix}{p}::")) || src.contains(&format!("{prefix}{p};")));
        if hit {
            found.push(*p);
        }
    }
    found
}

#[test]
fn no_process_uses_one_after_it_and_the_kit_uses_none() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the crates folder");
    let mut broken = Vec::new();
    let mut checked = 0;
    for krate in ["core", "store", "web", "cli"] {
        let src = crates.join(krate).join("src");
        for (rank, process) in std::iter::once((usize::MAX, "kit")).chain(ORDER.iter().copied().enumerate()) {
            let mut files = Vec::new();
            rust_files(&src.join(process), &mut files);
            for f in files {
                let text = std::fs::read_to_string(&f).expect("readable source");
                checked += 1;
                for used in uses(&text) {
                    let used_rank = ORDER.iter().position(|p| *p == used).expect("a process");
                    let allowed = if process == "kit" { false } else { used_rank <= rank };
                    if !allowed {
                        broken.push(format!("{} ({process}) uses {used}", f.display()));
                    }
                }
            }
        }
    }
    assert!(checked > 50, "the sources were found ({checked} files)");
    assert!(broken.is_empty(), "processes used out of order:\n{}", broken.join("\n"));
}

#[test]
fn every_process_folder_is_in_the_declared_order() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the crates folder");
    for krate in ["core", "store", "web"] {
        for e in std::fs::read_dir(crates.join(krate).join("src")).expect("src").flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if e.path().is_dir() {
                assert!(
                    name == "kit" || ORDER.contains(&name.as_str()),
                    "{krate}/src/{name}/ is not a declared process"
                );
            }
        }
    }
}
