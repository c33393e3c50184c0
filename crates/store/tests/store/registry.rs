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
