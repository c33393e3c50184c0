//! The register: files in, exactly, all or nothing.
#![allow(unused_imports)]

use crate::*;
use gongzhi_core::voting::tally::{Delivery, TallyInput, tally};
use gongzhi_core::{Channel, Choice, MatterKind, Scope, UnitNo};
use gongzhi_store::kit::testing::on_each_backend;
use gongzhi_store::{Actor, NewMatter, Store, StoreError, read_registry};

#[tokio::test]
async fn register_round_trips_exactly_and_a_bad_file_changes_nothing() {
    on_each_backend(|store| async move {
        let c = compound_with_register(&store).await;
        let reg = store.registry(&c).await.unwrap();
        assert_eq!(reg.units.len(), 5);
        assert_eq!(reg.total_area().to_string(), "411.1634");
        let u = reg.units.iter().find(|u| u.no.as_str() == "13-702").unwrap();
        assert_eq!(u.area.e4(), 901_234);
        let co = reg.owners.iter().find(|o| o.members.len() == 2).unwrap();
        assert_eq!(co.name, "李四、王五");

        let bad =
            "unit,building,stairwell,floor,area,owner\n701,13,1,7,99,陈桂英\n501,13,1,5,,赵六\n502,13,1,5,-1,孙七\n";
        let err = read_registry(&tmp("bad.csv", bad.as_bytes())).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("row 3 (unit 501), area: area is missing"), "{msg}");
        assert!(msg.contains("row 4 (unit 502), area: area '-1' is not a positive number"), "{msg}");
        assert!(err.is_bad_input());
        assert_eq!(store.registry(&c).await.unwrap(), reg, "nothing was written");
    })
    .await;
}

#[tokio::test]
async fn excel_register_with_chinese_headers_imports() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, h) in ["房号", "楼号", "单元", "楼层", "面积", "业主"].iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    ws.write_number(1, 0, 701).unwrap();
    ws.write_string(1, 1, "13号楼").unwrap();
    ws.write_number(1, 2, 1).unwrap();
    ws.write_number(1, 3, 7).unwrap();
    ws.write_number(1, 4, 85.52).unwrap();
    ws.write_string(1, 5, "陈桂英").unwrap();
    ws.write_string(2, 0, "13-702").unwrap();
    ws.write_string(2, 1, "13").unwrap();
    ws.write_number(2, 2, 1).unwrap();
    ws.write_number(2, 3, 7).unwrap();
    ws.write_string(2, 4, "72.1234").unwrap();
    ws.write_string(2, 5, "上海明辉物业有限公司").unwrap();
    let path = tmp("reg.xlsx", &wb.save_to_buffer().unwrap());
    let reg = read_registry(&path).unwrap();
    assert_eq!(reg.units[0].no.as_str(), "13-701");
    assert_eq!(reg.units[0].area.e4(), 855_200);
    assert_eq!(reg.units[1].area.e4(), 721_234);
    assert_eq!(reg.owners[1].kind, gongzhi_core::registry::OwnerKind::Organisation);
    on_each_backend(|store| {
        let reg = reg.clone();
        async move {
            let c = store.create_compound("X", "", false).await.unwrap();
            store.import_registry(&c.id, &reg).await.unwrap();
            assert_eq!(store.registry(&c.id).await.unwrap().units, reg.units);
        }
    })
    .await;
}

// ---- crafted files: bounded, streamed, every bad cell named ----

fn register_sheet() -> rust_xlsxwriter::Workbook {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, h) in ["房号", "楼号", "单元", "楼层", "面积", "业主"].iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    for (i, v) in ["701", "13", "1", "7", "85.52", "陈桂英"].iter().enumerate() {
        ws.write_string(1, i as u16, *v).unwrap();
    }
    wb
}

fn refusal(path: &std::path::Path) -> String {
    let e = read_registry(path).expect_err("the file is refused");
    assert!(
        e.is_bad_input() || matches!(e.refused().map(|r| r.kind()), Some(gongzhi_core::kit::Kind::TooLarge)),
        "{e}"
    );
    e.to_string()
}

#[test]
fn a_value_at_the_last_cell_of_a_sheet_is_refused_by_name_without_allocating_the_sheet() {
    let mut wb = register_sheet();
    wb.worksheet_from_index(0).unwrap().write_string(1_048_575, 16_383, "x").unwrap();
    let msg = refusal(&tmp("far.xlsx", &wb.save_to_buffer().unwrap()));
    assert!(msg.contains("cell XFD1048576 has a value, but a table has at most 64 columns"), "{msg}");

    // a value far down in the first column: too many rows, said before they are read
    let mut wb = register_sheet();
    wb.worksheet_from_index(0).unwrap().write_string(1_048_575, 0, "x").unwrap();
    let msg = refusal(&tmp("deep.xlsx", &wb.save_to_buffer().unwrap()));
    assert!(msg.contains("more than 200000 rows"), "{msg}");

    // a formatted but empty cell out there is no value: the register imports
    let mut wb = register_sheet();
    let f = rust_xlsxwriter::Format::new().set_bold();
    wb.worksheet_from_index(0).unwrap().write_blank(1_048_575, 16_383, &f).unwrap();
    let reg = read_registry(&tmp("blank.xlsx", &wb.save_to_buffer().unwrap())).unwrap();
    assert_eq!(reg.units.len(), 1);
}

#[test]
fn a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_read() {
    use gongzhi_store::kit::files::{Limits, read_table_within};
    let mut wb = register_sheet();
    let ws = wb.worksheet_from_index(0).unwrap();
    for r in 2..40_000u32 {
        ws.write_string(r, 5, "重复的很长很长很长很长的业主名字").unwrap();
    }
    let path = tmp("big.xlsx", &wb.save_to_buffer().unwrap());
    assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20, "small on disk");
    let limits = Limits { max_part_bytes: 1 << 20, ..Limits::default() };
    let e = read_table_within(&path, &limits, &|_| Ok(())).unwrap_err();
    assert!(e.to_string().contains("more than 1 MB unpacked in one part of the workbook"), "{e}");
    // and the header is checked before the body is read: a wrong header costs one row
    let e = read_table_within(&path, &Limits::default(), &|h| {
        assert_eq!(h.len(), 6);
        Err(gongzhi_core::kit::KitRefusal::NotFound.refused().into())
    })
    .unwrap_err();
    assert!(e.to_string().contains("not found"));
}

#[test]
fn an_unbalanced_quote_is_named_not_swallowed_into_a_name() {
    let csv = "unit,building,stairwell,floor,area,owner\n\
               701,13,1,7,80,\"陈桂英\n\
               702,13,1,7,80,张三\n\
               703,13,1,7,80,李四\n";
    let msg = refusal(&tmp("quote.csv", csv.as_bytes()));
    assert!(msg.contains("row 2 (unit 701), owner: it contains a line break"), "{msg}");
    assert!(msg.contains("unbalanced quote"), "{msg}");
}

#[test]
fn an_excel_date_where_a_unit_or_area_belongs_is_refused_naming_the_cell() {
    let mut wb = register_sheet();
    let ws = wb.worksheet_from_index(0).unwrap();
    // "3-12" typed into a General cell: Excel makes it 12 March
    let date = rust_xlsxwriter::Format::new().set_num_format("m-d");
    ws.write_string(2, 1, "3").unwrap();
    ws.write_number_with_format(2, 0, 46093.0, &date).unwrap();
    for (i, v) in [(2u16, "1"), (3, "1"), (5, "王五")] {
        ws.write_string(2, i, v).unwrap();
    }
    ws.write_number_with_format(2, 4, 46093.0, &date).unwrap();
    let msg = refusal(&tmp("dates.xlsx", &wb.save_to_buffer().unwrap()));
    assert!(msg.contains("row 3, unit: cell A3 holds an Excel date (2026-03-12)"), "{msg}");
    assert!(msg.contains("area: cell E3 holds an Excel date"), "{msg}");
    assert!(!msg.contains("46093"), "the serial is never taken as a unit number: {msg}");
}

#[test]
fn a_name_of_five_million_characters_is_a_bad_row_not_a_name() {
    let mut csv = String::from("unit,building,stairwell,floor,area,owner\n701,13,1,7,80,陈桂英\n702,13,1,7,80,");
    csv.push_str(&"王".repeat(5_000_000));
    csv.push('\n');
    let msg = refusal(&tmp("long.csv", csv.as_bytes()));
    assert!(msg.contains("row 3 (unit 702), owner: 5000000 characters, more than the 1000 a cell may hold"), "{msg}");
    assert!(msg.len() < 2_000, "the name is not repeated back");
}

#[test]
fn duplicate_and_unknown_columns_are_named_and_a_note_column_is_left_out() {
    let csv = "unit,building,stairwell,floor,area,owner,面积,phone\n701,13,1,7,80,陈桂英,81,139\n";
    let msg = refusal(&tmp("cols.csv", csv.as_bytes()));
    assert!(msg.contains("column '面积' appears twice (columns 5 and 7)"), "{msg}");
    assert!(msg.contains("'phone' is not a column of this table"), "{msg}");
    let csv = "unit,building,stairwell,floor,area,owner,备注\n701,13,1,7,80,陈桂英,独居老人\n";
    assert_eq!(read_registry(&tmp("note.csv", csv.as_bytes())).unwrap().units.len(), 1);
    // a ballots file names its doubled column too
    let csv = "unit,choice,choice\n13-701,approve,oppose\n";
    let e = gongzhi_store::read_ballots(&tmp("b.csv", csv.as_bytes())).unwrap_err().to_string();
    assert!(e.contains("column 'choice' appears twice (columns 2 and 3)"), "{e}");
}

#[test]
fn an_area_larger_than_a_flat_is_refused_and_the_bound_is_a_setting() {
    let csv = "unit,building,stairwell,floor,area,owner\n701,13,1,7,999999999999,陈桂英\n702,13,1,7,80,张三\n";
    let path = tmp("huge.csv", csv.as_bytes());
    let msg = refusal(&path);
    assert!(
        msg.contains("row 2 (unit 701), area: area 999999999999.00 m² is more than a flat can be (10000.00 m²"),
        "{msg}"
    );
    let csv = "unit,building,stairwell,floor,area,owner\n701,13,1,7,12000,商场\n";
    let path = tmp("mall.csv", csv.as_bytes());
    assert!(read_registry(&path).is_err());
    let wide = gongzhi_core::registry::Bounds::with_max_unit_area("20000").unwrap();
    assert_eq!(gongzhi_store::read_registry_within(&path, &wide).unwrap().units.len(), 1);
    assert!(gongzhi_core::registry::Bounds::with_max_unit_area("1000001").is_none(), "the setting is bounded too");
}

// ---- the probe kept: mutated register and ballot files never panic and are never half-read ----

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const SEED_CSV: &str = "\u{feff}房号,楼号,单元,楼层,面积,业主,备注\n\
        701,13,1,7,85.52,陈桂英,\n702,13,1,7,\"90.1234\",\"李四、王五\",\"独居\"\n\
        13-601,13号楼,1单元,6层,72 ㎡,上海明辉物业有限公司,x\n";

    fn seed_xlsx() -> Vec<u8> {
        let mut wb = register_sheet();
        let ws = wb.worksheet_from_index(0).unwrap();
        ws.write_number(2, 0, 702).unwrap();
        ws.write_string(2, 1, "13").unwrap();
        ws.write_number(2, 2, 1).unwrap();
        ws.write_number(2, 3, 7).unwrap();
        ws.write_number(2, 4, 90.5).unwrap();
        ws.write_string(2, 5, "李四").unwrap();
        wb.save_to_buffer().unwrap()
    }

    /// Overwrite, insert or delete bytes at positions spread over the file, or cut it short.
    fn mutate(mut b: Vec<u8>, ops: &[(usize, u8, u8)]) -> Vec<u8> {
        for &(at, op, v) in ops {
            if b.is_empty() {
                break;
            }
            let i = at % b.len();
            match op % 4 {
                0 => b[i] = v,
                1 => b.insert(i, v),
                2 => {
                    b.remove(i);
                }
                _ => b[i] ^= 1 << (v % 8),
            }
        }
        b
    }

    /// Either a register that holds together, or a refusal; never a panic or another error.
    fn read_both(name: &str, bytes: &[u8]) {
        let path = tmp(name, bytes);
        match read_registry(&path) {
            Ok(reg) => {
                assert!(!reg.units.is_empty() && reg.units.len() <= 4);
                let total: i64 = reg.units.iter().map(|u| u.area.e4()).sum();
                assert_eq!(reg.total_area().e4(), total);
            }
            Err(e) => assert!(e.refused().is_some(), "a refusal, not {e:?}"),
        }
        if let Err(e) = gongzhi_store::read_ballots(&path) {
            assert!(e.refused().is_some(), "a refusal, not {e:?}");
        }
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn mutated_csv(ops in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..12)) {
            read_both("m.csv", &mutate(SEED_CSV.as_bytes().to_vec(), &ops));
        }
    }

    /// The workbook with its sheet and shared strings mutated as XML, then packed again, so the
    /// mutations reach the sheet reader instead of stopping at the zip's checksums.
    fn mutate_inside(ops: &[(usize, u8, u8)]) -> Vec<u8> {
        use std::io::{Read, Write};
        let seed = seed_xlsx();
        let mut src = zip::ZipArchive::new(std::io::Cursor::new(seed)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for i in 0..src.len() {
            let mut f = src.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            if name.ends_with("sheet1.xml") || name.ends_with("sharedStrings.xml") {
                b = mutate(b, ops);
            }
            out.start_file(name, opts).unwrap();
            out.write_all(&b).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    /// Found by the probe: a reversed dimension makes calamine subtract past zero.
    #[test]
    fn a_reversed_sheet_dimension_is_a_refusal_not_a_crash() {
        use std::io::{Read, Write};
        let mut src = zip::ZipArchive::new(std::io::Cursor::new(seed_xlsx())).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        for i in 0..src.len() {
            let mut f = src.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut s = Vec::new();
            f.read_to_end(&mut s).unwrap();
            if name.ends_with("sheet1.xml") {
                let x = String::from_utf8(s).unwrap();
                let at = x.find("<dimension ref=\"").expect("a dimension") + 16;
                let end = at + x[at..].find('"').unwrap();
                s = format!("{}F9:A1{}", &x[..at], &x[end..]).into_bytes();
            }
            out.start_file(name, opts).unwrap();
            out.write_all(&s).unwrap();
        }
        let path = tmp("reversed.xlsx", &out.finish().unwrap().into_inner());
        let e = read_registry(&path).unwrap_err();
        assert!(e.refused().is_some(), "{e}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn mutated_sheet_xml(ops in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8)) {
            read_both("x.xlsx", &mutate_inside(&ops));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn mutated_xlsx(ops in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6)) {
            read_both("m.xlsx", &mutate(seed_xlsx(), &ops));
        }
    }
}
