//! The frame every page is drawn in: language, text size, who is signed in, their compound.

use crate::AppState;
use crate::accounts::viewer::Viewer;
use crate::kit::auth::Prefs;
use crate::kit::views::{Chrome, LangCode, encode};
use gongzhi_core::kit::Lang;

pub async fn chrome(state: &AppState, p: &Prefs, v: Option<&Viewer>, path: &str) -> Chrome {
    let compound = match v {
        Some(v) => state.store.compound(v.compound()).await.map(|c| c.name).unwrap_or_default(),
        None => String::new(),
    };
    Chrome {
        lang: LangCode(Some(p.lang)),
        large: p.large,
        viewer: v.map(|v| v.account.name.clone()).unwrap_or_default(),
        csrf: v.map(|v| v.csrf.clone()).unwrap_or_default(),
        compound,
        path: encode(path),
        other_lang: if p.lang == Lang::Zh { "en" } else { "zh" },
        unread: match v {
            Some(v) => state.store.unread_notices(v.compound(), &v.account.id).await.unwrap_or(0),
            None => 0,
        },
    }
}
