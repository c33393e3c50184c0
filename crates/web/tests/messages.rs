//! A refusal on a page reads in the viewer's language: Chinese by default, English on request,
//! through the real application on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL.

use axum::http::StatusCode;
use gongzhi_store::testing::on_each_backend;

mod common;
use common::App;

#[tokio::test]
async fn a_paper_ballot_entered_twice_by_one_person_is_refused_in_the_viewers_language() {
    on_each_backend(|store| async move {
        let a = App::new(store).await;
        let id = a.matter_id(gongzhi_store::demo::EVOTE_TITLE).await;
        let (staff, csrf) = a.session("staff").await;
        let uri = format!("/matters/{id}/paper");
        let entry = [("csrf", csrf.as_str()), ("unit", "5-301"), ("choice", "approve")];
        let (first, page) = a.form_lang(&uri, &staff, None, &entry).await;
        assert_eq!(first, StatusCode::OK, "{page}");

        let (status, zh) = a.form_lang(&uri, &staff, None, &entry).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(zh.contains("lang=\"zh-CN\""), "{zh}");
        assert!(zh.contains("房屋 5-301：您已录入过一次，第二次录入须由另一位工作人员完成。"), "{zh}");
        assert!(!zh.contains("someone else") && !zh.contains("made an entry"), "no English left: {zh}");

        let (status, en) = a.form_lang(&uri, &staff, Some("en"), &entry).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(en.contains("lang=\"en\""), "{en}");
        assert!(
            en.contains("unit 5-301: you made an entry already; the second entry must be made by someone else"),
            "{en}"
        );
        assert!(!en.contains("另一位工作人员"), "{en}");
    })
    .await;
}

#[tokio::test]
async fn voting_on_a_closed_matter_says_so_in_chinese_with_the_status_translated() {
    on_each_backend(|store| async move {
        let a = App::new(store).await;
        let id = a.matter_id(gongzhi_store::demo::LIFT_TITLE).await;
        let (owner, csrf) = a.session("owner-13-701").await;
        let uri = format!("/matters/{id}/vote");
        let ballot = [("csrf", csrf.as_str()), ("unit", "13-701"), ("choice", "approve")];

        let (status, zh) = a.form_lang(&uri, &owner, None, &ballot).await;
        assert_eq!(status, StatusCode::CONFLICT, "{zh}");
        assert!(zh.contains(&format!("事项 {id} 目前为“已结束”状态，不在投票期内，不能投票。")), "{zh}");
        assert!(!zh.contains("not open for voting"), "{zh}");

        let (status, en) = a.form_lang(&uri, &owner, Some("en"), &ballot).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(en.contains(&format!("matter {id} is closed, not open for voting")), "{en}");

        // a field's own refusal names the field both ways and keeps the value seen
        let bad = [("csrf", csrf.as_str()), ("unit", "13-701"), ("choice", "maybe")];
        let (status, zh) = a.form_lang(&uri, &owner, None, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            zh.contains("表决意见（choice）：“maybe”不是同意（approve）、反对（oppose）或弃权（abstain）。"),
            "{zh}"
        );
        assert!(!zh.contains("is not approve"), "{zh}");
    })
    .await;
}
