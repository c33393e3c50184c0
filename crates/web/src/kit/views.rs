//! What every page shares: rendering, the frame (chrome), the error and message pages, and the
//! small formatting helpers pages use.

use crate::kit::i18n::Tr;
use askama::Template;
use gongzhi_core::kit::Lang;

pub fn render<T: Template>(t: &T) -> String {
    t.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "template error");
        "<!doctype html><title>error</title><p>template error</p>".into()
    })
}

/// An SVG QR code of `text` (a URL, an anchor), for a printed page.
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(160, 160).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

/// A path or value for a URL: letters, digits and `/-_.` kept, everything else %-encoded.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What every page's frame needs.
#[derive(Clone, Debug, Default)]
pub struct Chrome {
    pub lang: LangCode,
    pub large: bool,
    pub viewer: String,
    pub csrf: String,
    pub compound: String,
    /// This page's path, for the language and text-size switches to come back to.
    pub path: String,
    pub other_lang: &'static str,
    /// The viewer's unread in-app notices.
    pub unread: i64,
}

impl Chrome {
    /// ` lang="zh-CN"` on an English page, for an element showing what people typed (titles,
    /// notices, names): screen readers then read that Chinese with a Chinese voice.
    pub fn zh(&self) -> askama::filters::Safe<&'static str> {
        askama::filters::Safe(if self.lang.0 == Some(Lang::En) { " lang=\"zh-CN\"" } else { "" })
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct LangCode(pub Option<Lang>);

impl LangCode {
    pub fn code(&self) -> &'static str {
        self.0.unwrap_or(Lang::Zh).code()
    }
}

#[derive(Template)]
#[template(path = "kit/message.html")]
pub struct Message {
    pub t: Tr,
    pub c: Chrome,
    pub heading: String,
    pub text: String,
    pub back: String,
}

#[derive(Template)]
#[template(path = "kit/error.html")]
pub struct ErrorPage {
    pub t: Tr,
    pub lang: Lang,
    pub message: String,
    /// The refusal's code, for someone reporting it.
    pub code: String,
}

/// A link from a matter's, a project's or a meeting's page to what a later process made of it:
/// (what it is, href, title).
pub type RelatedLink = (&'static str, String, String);

crate::kit::i18n::messages! {
    related => "相关", "Related";
    related_scenario => "地图方案测算", "Walking-map what-if";
    related_requests => "居民诉求", "Residents' requests";
}

/// The links from `subject`'s page (`matter:ID`, `project:ID`, `meeting:ID`), labelled in the
/// viewer's language.
pub async fn related(
    state: &crate::AppState,
    t: Tr,
    compound: &str,
    subject: &str,
) -> Result<Vec<RelatedLink>, crate::kit::AppError> {
    Ok(state
        .store
        .related(compound, subject)
        .await?
        .into_iter()
        .map(|r| {
            let label = match r.kind.as_str() {
                "map-scenario" => t.related_scenario(),
                "requests" => t.related_requests(),
                _ => t.related(),
            };
            (label, r.href, r.title)
        })
        .collect())
}
