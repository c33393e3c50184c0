//! Page models of accounts and their templates (templates/accounts/).

use crate::kit::i18n::Tr;
use crate::kit::views::Chrome;
use askama::Template;

#[derive(Template)]
#[template(path = "accounts/login.html")]
pub struct Login {
    pub t: Tr,
    pub c: Chrome,
    pub pre_csrf: String,
    pub error: String,
    pub login: String,
    pub next: String,
}

#[derive(Template)]
#[template(path = "accounts/register.html")]
pub struct RegisterPage {
    pub t: Tr,
    pub c: Chrome,
    pub pre_csrf: String,
    pub error: String,
    /// The binding code, filled in when the page was opened from a slip's QR code.
    pub code: String,
    pub name: String,
    pub login: String,
    pub phone: String,
}

#[derive(Template)]
#[template(path = "accounts/bind.html")]
pub struct BindPage {
    pub t: Tr,
    pub c: Chrome,
    pub error: String,
    /// Just signed up under a name the register does not give: bound as a resident for now.
    pub resident: bool,
}

#[derive(Template)]
#[template(path = "accounts/codes.html")]
pub struct CodesPage {
    pub t: Tr,
    pub c: Chrome,
    pub buildings: Vec<String>,
    /// One slip per unit, to cut and hand out.
    pub codes: Vec<CodeSlip>,
    /// The building asked for, and how many unused codes of it printing again would revoke.
    pub building: String,
    pub unused: usize,
}

#[derive(Template)]
#[template(path = "accounts/compounds.html")]
pub struct CompoundsPage {
    pub t: Tr,
    pub c: Chrome,
    pub current: String,
    /// (id, name)
    pub compounds: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "accounts/audit.html")]
pub struct AuditPage {
    pub t: Tr,
    pub c: Chrome,
    pub status: String,
    pub intact: bool,
    pub rows: Vec<(i64, String, String, String, String)>,
}

/// A binding code's slip: the compound, the unit, the owner the register names, the code, and a
/// QR code to the sign-up page with the code filled in.
#[derive(Clone, Debug)]
pub struct CodeSlip {
    pub unit: String,
    pub owner: String,
    pub code: String,
    pub url: String,
    pub qr: String,
}
