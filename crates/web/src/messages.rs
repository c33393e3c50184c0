//! Refusals in the viewer's language. The store, the core and the handlers word their refusals in
//! English (the CLI and the JSON API keep it); a page shows the Chinese from [`TABLE`], matched by
//! template, keeping every named value (unit, row, field, amount, date) exactly as the English has
//! it. A message the table does not know is shown in English unchanged, so nothing is lost.

use crate::i18n::{Lang, Tr};
use gongzhi_core::projects::Stage;
use gongzhi_core::roles::Role;
use gongzhi_core::{Channel, Choice, Scope};

/// (English template, Chinese template). An English hole `{}` captures the (non-empty) text
/// between the literal parts around it; the Chinese names the captures `{0}`, `{1}`… in any
/// order, and `{0:kind}` passes a capture through [`value`] (a kind that does not recognise the
/// capture makes the entry not match, so the next one is tried). More specific entries first.
pub const TABLE: &[(&str, &str)] = &[
    // voting (crates/store/src/ballots.rs, channels.rs, matters.rs)
    ("matter {} is {}, not open for voting", "事项 {0} 目前为“{1:status}”状态，不在投票期内，不能投票。"),
    ("matter {} is {}, only a draft's notice can be posted", "事项 {0} 目前为“{1:status}”状态，只有草稿才能发布公示。"),
    (
        "matter {} is {}: post its notice before voting opens",
        "事项 {0} 目前为“{1:status}”状态：须先发布公示，才能开始投票。",
    ),
    (
        "matter {} is {}, only an open matter can be closed",
        "事项 {0} 目前为“{1:status}”状态，只有投票中的事项才能结束投票。",
    ),
    (
        "matter {}: the notice must stand {} days before voting opens; {} more day(s) to go",
        "事项 {0}：公示须满 {1} 天才能开始投票，还需 {2} 天。",
    ),
    ("matter {} changed meanwhile; reload it", "事项 {0} 刚刚已被他人修改，请刷新页面后重试。"),
    ("matter {} has not opened: there is no roll to count yet", "事项 {0} 尚未开始投票，还没有可以计票的表决名册。"),
    ("unit {} is outside the scope {} of this matter", "房屋 {0} 不在本事项的表决范围（{1:scope}）内。"),
    ("unit {} is not on this matter's roll", "房屋 {0} 不在本事项的表决名册中。"),
    (
        "unit {} already has a ballot on this matter ({})",
        "房屋 {0} 在本事项中已有表决票（{1:channel}），不能重复投票。",
    ),
    ("unit {} already has a ballot on this matter", "房屋 {0} 在本事项中已有表决票，不能重复投票。"),
    (
        "unit {}: its owner's unit {} voted {}; one owner's units carry one choice",
        "房屋 {0}：同一业主的房屋 {1} 已表决“{2:choice}”；同一业主名下的房屋只能有一种表决意见。",
    ),
    (
        "unit {}: you made an entry already; the second entry must be made by someone else",
        "房屋 {0}：您已录入过一次，第二次录入须由另一位工作人员完成。",
    ),
    ("unit {}: both entries differ and await review", "房屋 {0}：两次录入不一致，正在等待复核。"),
    ("unit {} has no paper ballot awaiting review", "房屋 {0} 没有待复核的纸质表决票。"),
    (
        "unit {}: the review must be made by someone who made neither entry",
        "房屋 {0}：复核须由两次录入都没有参与的人员进行。",
    ),
    ("unit {}: entry {} was made meanwhile; enter it again", "房屋 {0}：第 {1} 次录入刚刚已由他人完成，请重新录入。"),
    ("unit {}'s delivery is already recorded", "房屋 {0} 的表决票送达已经登记过。"),
    ("not changeable", "不能修改。"),
    ("title: a matter needs a title", "标题（title）：请填写事项的标题。"),
    (
        "window_end: the voting window must end after it starts",
        "投票截止日期（window_end）：截止日期必须晚于开始日期。",
    ),
    ("scope {}: no units in the register for this scope", "表决范围 {0:scope}：名册中没有属于这个范围的房屋。"),
    ("proxy_name: name the proxy", "受托人姓名（proxy_name）：请填写受托人的姓名。"),
    (
        "authorisation: attach the written authorisation (a scan or photo)",
        "授权委托书（authorisation）：请附上书面委托（扫描件或照片）。",
    ),
    ("authorisation: the file is larger than 10 MB", "授权委托书（authorisation）：文件超过 10 MB。"),
    ("file: the file is empty", "文件（file）：文件是空的。"),
    ("file: {} is larger than 10 MB", "文件（file）：{0} 超过 10 MB。"),
    ("file: choose a file to upload", "文件（file）：请选择要上传的文件。"),
    // accounts (crates/store/src/accounts.rs)
    ("login: a login name of 1 to 64 characters is needed", "登录名（login）：登录名须为 1 到 64 个字符。"),
    (
        "login: an account with login {} or this phone number already exists",
        "登录名（login）：登录名 {0} 或这个手机号已经有账户了。",
    ),
    ("name: the account needs a name", "姓名（name）：请填写账户的姓名。"),
    ("unit {} is not in the register", "房屋 {0} 不在小区房屋名册中。"),
    ("relation: '{}' is not owner or resident", "关系（relation）：“{0}”既不是业主（owner），也不是住户（resident）。"),
    (
        "checked: say what was checked (the property certificate, an identity card, a tenancy contract…)",
        "核验材料（checked）：请写明核验了哪些材料（房产证、身份证、租赁合同……）。",
    ),
    ("code: this code is not valid or was already used", "绑定码（code）：这个绑定码无效或已被使用。"),
    (
        "roles: {} follows the units an account is bound to, it is not an office",
        "角色（roles）：“{0:role}”由账户绑定的房屋决定，不是可以任命的职务。",
    ),
    ("office: '{}' is not a role", "职务（office）：“{0}”不是有效的角色。"),
    (
        "roles: nobody changes their own roles; ask another manager",
        "角色（roles）：不能修改自己的角色，请另一位管理人员操作。",
    ),
    (
        "unit {}: {} is not a registered owner (the register names {}); correct the register first",
        "房屋 {0}：{1} 不是名册登记的业主（名册登记的是 {2}），请先更正名册。",
    ),
    ("unit {}: this account is not bound to it", "房屋 {0}：这个账户没有绑定该房屋。"),
    ("unit {}: only an owner bound to the unit can vote for it", "房屋 {0}：只有绑定该房屋的业主才能为它投票。"),
    // projects (crates/store/src/projects.rs, crates/web/src/projects.rs)
    ("title: a project needs a title", "标题（title）：请填写项目的标题。"),
    ("scope: name the building or stairwell", "范围（scope）：请指明楼栋或单元。"),
    ("scope: choose a building", "范围（scope）：请选择楼栋。"),
    ("cost: amounts cannot be negative", "工程造价（cost）：金额不能为负数。"),
    (
        "planned_start: '{}' is not a date like 2027-06-01",
        "计划开工日期（planned_start）：“{0}”不是有效日期，请写成 2027-06-01 这样的格式。",
    ),
    ("unit: {} is not in the project's scope {}", "房号（unit）：{0} 不在本项目的范围（{1:scope}）内。"),
    ("label: name the cost item", "费用项目（label）：请填写费用项目的名称。"),
    ("quoted: the amount cannot be negative", "报价（quoted）：金额不能为负数。"),
    ("agreed: the amount cannot be negative", "协商后金额（agreed）：金额不能为负数。"),
    ("amount: a payment is a positive amount", "金额（amount）：付款金额必须大于零。"),
    (
        "paid_on: '{}' is not a date like 2026-11-24",
        "付款日期（paid_on）：“{0}”不是有效日期，请写成 2026-11-24 这样的格式。",
    ),
    ("project {} changed meanwhile; reload it", "项目 {0} 刚刚已被他人修改，请刷新页面后重试。"),
    ("kind: unknown kind '{}'", "类别（kind）：无法识别的类别“{0}”。"),
    ("stage: unknown stage '{}'", "阶段（stage）：无法识别的阶段“{0}”。"),
    ("stage: unknown stage", "阶段（stage）：无法识别的阶段。"),
    ("scheme_notice_date: '{}' is not a date", "方案公示张贴日期（scheme_notice_date）：“{0}”不是有效日期。"),
    (
        "scheme_notice_date: the notice cannot be posted in the future",
        "方案公示张贴日期（scheme_notice_date）：张贴日期不能晚于今天。",
    ),
    ("stance: unknown stance '{}'", "意见（stance）：无法识别的意见“{0}”。"),
    (
        "stance: choose support, oppose, undecided or conditional",
        "意见（stance）：请选择支持、反对、未决定或有条件支持。",
    ),
    ("reasons: unknown reason '{}'", "理由（reasons）：无法识别的理由“{0}”。"),
    ("only the committee and this building's leader edit a project", "只有业委会和本楼楼组长可以编辑项目。"),
    ("only the building's owners see the project in full", "只有本楼业主可以查看项目详情。"),
    (
        "only the committee, this building's leader and its owners see this project in full",
        "只有业委会、本楼楼组长和本楼业主可以查看项目详情。",
    ),
    ("only the building's owners see its project's documents", "只有本楼业主可以查看项目文件。"),
    ("a building leader starts projects only for their own building", "楼组长只能为自己所在的楼栋新建项目。"),
    // cost sharing (crates/core/src/sharing.rs, money.rs)
    (
        "weights: '{}' is not FLOOR=WEIGHT or UNIT=WEIGHT (e.g. 3=0.7 or 13-701=1.2)",
        "楼层系数（weights）：“{0}”不是“楼层=系数”或“房号=系数”的格式（例如 3=0.7 或 13-701=1.2）。",
    ),
    ("weights: the weight of {} is negative ({})", "楼层系数（weights）：{0} 的系数是负数（{1}）。"),
    ("weights: unit {} is not among the units", "楼层系数（weights）：房屋 {0} 不在分摊的房屋之中。"),
    ("cost: the cost must be a positive amount, not {}", "工程造价（cost）：造价必须大于零，现在是 {0}。"),
    (
        "subsidy-rate: '{}' is not a rate between 0 and 1 (e.g. 0.4 or 40%)",
        "补贴比例（subsidy-rate）：“{0}”不是 0 到 1 之间的比例（例如 0.4 或 40%）。",
    ),
    ("the subsidy and other sources ({}) exceed the cost ({})", "补贴和其他资金（{0}）超过了工程造价（{1}）。"),
    (
        "no unit carries a weight, so nobody would pay the {} left to share",
        "没有任何房屋设了系数，剩下待分摊的 {0} 将无人承担。",
    ),
    ("amount '{}' is not a number with at most 2 decimals", "金额“{0}”不是最多两位小数的数字。"),
    // the register and ballot files (crates/core/src/registry.rs, area.rs; crates/store/src/files.rs)
    ("building is missing", "缺少楼号。"),
    ("unknown building format '{}' (expected e.g. 13 or 13号楼)", "楼号“{0}”的格式无法识别（应写成 13 或 13号楼）。"),
    ("unknown stairwell format '{}' (expected e.g. 1 or 1单元)", "单元“{0}”的格式无法识别（应写成 1 或 1单元）。"),
    ("unit '{}' is not in building {}", "房号“{0}”不属于 {1} 号楼。"),
    ("unit is missing", "缺少房号。"),
    ("unknown unit format '{}' (expected e.g. 701 or 13-701)", "房号“{0}”的格式无法识别（应写成 701 或 13-701）。"),
    ("floor is missing and cannot be read from the unit number", "缺少楼层，也无法从房号看出楼层。"),
    ("floor '{}' is not a whole number from -10 to 200", "楼层“{0}”不是 -10 到 200 之间的整数。"),
    ("owner is missing", "缺少业主。"),
    ("duplicate unit {}: already on row {}", "房号 {0} 重复：第 {1} 行已经有了。"),
    ("owner id {} is '{}' on row {} but '{}' here", "业主编号 {0} 在第 {2} 行是“{1}”，这里却是“{3}”。"),
    ("the file has no units", "文件中没有任何房屋。"),
    ("area is missing", "缺少专有部分面积。"),
    ("area '{}' is not a number", "专有部分面积“{0}”不是数字。"),
    ("area '{}' has more than 4 decimal places", "专有部分面积“{0}”的小数超过 4 位。"),
    ("area '{}' is not a positive number", "专有部分面积“{0}”不是正数。"),
    ("area '{}' is too large", "专有部分面积“{0}”过大。"),
    ("missing column '{}' ({})", "缺少“{0}”列（{1}）。"),
    ("'{}' is not a unit number like 13-701", "“{0}”不是有效的房号，请写成 13-701 这样的格式。"),
    (
        "unknown choice '{}' (approve, oppose, abstain / 同意, 反对, 弃权)",
        "无法识别的表决意见“{0}”（应为 同意、反对、弃权，或 approve、oppose、abstain）。",
    ),
    ("{}: the file is empty", "{0}：文件是空的。"),
    // the tally (crates/core/src/tally.rs); a row number comes first when there is one
    ("unit {} is not on the roll", "房屋 {0} 不在表决名册中。"),
    ("unit {} already has a ballot (row {})", "房屋 {0} 已经有表决票了（第 {1} 行）。"),
    ("unit {} is outside the scope {}", "房屋 {0} 不在表决范围（{1:scope}）内。"),
    ("owner {} cast different choices on their units: {}", "业主 {0} 名下的房屋表决意见不一致：{1:votes}。"),
    ("the scope {} has no units", "表决范围 {0:scope} 内没有房屋。"),
    ("unit {} appears twice on the roll", "房屋 {0} 在表决名册中出现了两次。"),
    ("delivered unit {} is not on the roll", "已送达表决票的房屋 {0} 不在表决名册中。"),
    ("delivered unit {} is outside the scope {}", "已送达表决票的房屋 {0} 不在表决范围（{1:scope}）内。"),
    // the web forms and the API (crates/web/src)
    ("unit: '{}' is not a unit number like 13-701", "房号（unit）：“{0}”不是有效的房号，请写成 13-701 这样的格式。"),
    ("unit: '{}' is not a unit number", "房号（unit）：“{0}”不是有效的房号。"),
    (
        "choice: '{}' is not approve, oppose or abstain",
        "表决意见（choice）：“{0}”不是同意（approve）、反对（oppose）或弃权（abstain）。",
    ),
    ("scope: '{}' is not a scope", "表决范围（scope）：“{0}”不是有效的表决范围。"),
    (
        "scope: '{}' is not compound, building:B or stairwell:B/S",
        "表决范围（scope）：“{0}”的格式不对，应为 compound（全小区）、building:楼号 或 stairwell:楼号/单元号。",
    ),
    ("{}: '{}' is not a date like 2026-12-01", "{0:field}：“{1}”不是有效日期，请写成 2026-12-01 这样的格式。"),
    ("building: no units in building '{}'", "楼号（building）：楼号“{0}”下没有任何房屋。"),
    ("voting has not opened", "投票尚未开始。"),
    (
        "results are published when voting closes; see /turnout meanwhile",
        "投票结束后才公布结果；在此之前可以查看 /turnout 的参与情况。",
    ),
    ("a draft has no notice yet", "草稿还没有公告。"),
    ("this account does not vote for unit {}", "这个账户不能为房屋 {0} 投票。"),
    ("{} is not allowed for this account", "这个账户无权执行“{0:action}”。"),
    ("too many failed logins; try again in 15 minutes", "登录失败次数过多，请 15 分钟后再试。"),
    ("the form has expired; reload the page and try again", "表单已过期，请刷新页面后重试。"),
    ("login required", "请先登录。"),
    ("internal error", "系统出错了，请稍后再试。"),
    ("not found", "找不到该页面或事项。"),
    ("form: {}", "表单（form）：{0}"),
    // things not found (StoreError::NotFound adds " not found")
    ("matter {} not found", "找不到事项 {0}。"),
    ("project {} not found", "找不到项目 {0}。"),
    ("cost item {} not found", "找不到费用项目 {0}。"),
    ("attachment {} not found", "找不到附件 {0}。"),
    ("account {} not found", "找不到账户 {0}。"),
    ("compound {} not found", "找不到小区 {0}。"),
    ("{} not found", "找不到 {0}。"),
    // the audit chain (crates/store/src/audit.rs)
    ("entry {} is missing", "第 {0} 条记录缺失。"),
    ("entry {} was altered (its hash does not match its contents)", "第 {0} 条记录被改动过（哈希值与内容不符）。"),
    (
        "entry {} does not follow entry {} (its link to the previous hash is wrong)",
        "第 {0} 条记录没有接在第 {1} 条之后（与上一条哈希的链接不对）。",
    ),
    ("entries after {} are missing (the chain's head is entry {})", "第 {0} 条之后的记录缺失（链头是第 {1} 条）。"),
    // set-up and operation (the CLI mostly)
    ("a compound named {} already exists", "名为 {0} 的小区已经存在。"),
    (
        "database URL '{}' must start with sqlite:// or postgres://",
        "数据库地址“{0}”必须以 sqlite:// 或 postgres:// 开头。",
    ),
    ("database error: {}", "数据库出错：{0}"),
    ("TEST_DATABASE_URL {} has no database name", "TEST_DATABASE_URL {0} 中没有数据库名。"),
    // composites: a message around another message, tried last
    ("header: {}", "表头：{0:msg}"),
    ("row {} (unit {}), {}: {}", "第 {0:n} 行（房号 {1}），{2:field}：{3:msg}"),
    ("row {}, {}: {}", "第 {0:n} 行，{1:field}：{2:msg}"),
    ("row {}: {}", "第 {0:n} 行：{1:msg}"),
    ("running {}", "运行费用的{0:msg}"),
    ("{}: {}", "进入“{0:stage}”阶段还需要：{1:missing}"),
    ("{}: {}", "{0:field}：{1:msg}"),
];

/// Form fields and file columns as a person knows them, with the key kept beside the label.
const FIELDS: &[(&str, &str)] = &[
    ("title", "标题"),
    ("body", "内容"),
    ("window_start", "投票开始日期"),
    ("window_end", "投票截止日期"),
    ("login", "登录名"),
    ("name", "姓名"),
    ("phone", "手机号"),
    ("password", "密码"),
    ("code", "绑定码"),
    ("unit", "房号"),
    ("choice", "表决意见"),
    ("kind", "类别"),
    ("scope", "范围"),
    ("stage", "阶段"),
    ("stance", "意见"),
    ("reasons", "理由"),
    ("note", "备注"),
    ("proxy_name", "受托人姓名"),
    ("authorisation", "授权委托书"),
    ("file", "文件"),
    ("files", "附件"),
    ("cost", "工程造价"),
    ("rate", "补贴比例"),
    ("subsidy-rate", "补贴比例"),
    ("cap", "每台补贴上限"),
    ("other", "其他资金"),
    ("running_cost", "每年运行费用"),
    ("weights", "楼层系数"),
    ("running_weights", "运行费用楼层系数"),
    ("label", "费用项目"),
    ("quoted", "报价"),
    ("agreed", "协商后金额"),
    ("amount", "金额"),
    ("paid_on", "付款日期"),
    ("planned_start", "计划开工日期"),
    ("scheme_notice_date", "方案公示张贴日期"),
    ("building", "楼号"),
    ("stairwell", "单元"),
    ("floor", "楼层"),
    ("area", "专有部分面积"),
    ("owner", "业主"),
    ("owner_id", "业主编号"),
    ("header", "表头"),
    ("relation", "关系"),
    ("checked", "核验材料"),
    ("roles", "角色"),
    ("office", "职务"),
    ("form", "表单"),
];

/// `english` as the viewer should read it: for Chinese, each line translated by [`TABLE`] (or
/// kept as it is when no entry fits); for English, unchanged.
pub fn localise(lang: Lang, english: &str) -> String {
    match lang {
        Lang::En => english.to_string(),
        Lang::Zh => english.split('\n').map(line).collect::<Vec<_>>().join("\n"),
    }
}

fn line(english: &str) -> String {
    translate(english).unwrap_or_else(|| english.to_string())
}

/// The Chinese of one line, if an entry of the table fits it.
fn translate(english: &str) -> Option<String> {
    TABLE.iter().find_map(|(en, zh)| {
        let parts: Vec<&str> = en.split("{}").collect();
        let rest = english.strip_prefix(parts[0])?;
        let mut caps = Vec::new();
        holes(&parts[1..], rest, &mut caps, &mut |caps| fill(zh, caps))
    })
}

/// Matches `text` against the literal parts that follow each hole, trying every place a literal
/// occurs (holes are never empty) until `accept` takes the captures.
fn holes<'a>(
    after: &[&str],
    text: &'a str,
    caps: &mut Vec<&'a str>,
    accept: &mut dyn FnMut(&[&'a str]) -> Option<String>,
) -> Option<String> {
    let Some((lit, more)) = after.split_first() else {
        return if text.is_empty() { accept(caps) } else { None };
    };
    if more.is_empty() {
        // the last hole runs to the end, less the closing literal
        let hole = text.strip_suffix(lit)?;
        if hole.is_empty() {
            return None;
        }
        caps.push(hole);
        let out = accept(caps);
        caps.pop();
        return out;
    }
    if lit.is_empty() {
        return None; // two holes side by side would be ambiguous; the table has none
    }
    for (at, _) in text.match_indices(lit).filter(|(at, _)| *at > 0) {
        caps.push(&text[..at]);
        let out = holes(more, &text[at + lit.len()..], caps, accept);
        caps.pop();
        if out.is_some() {
            return out;
        }
    }
    None
}

/// Writes the Chinese template with the captures; `None` if a capture is not of its kind.
fn fill(zh: &str, caps: &[&str]) -> Option<String> {
    let mut out = String::with_capacity(zh.len() + 16);
    let mut rest = zh;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}')?;
        let spec = &rest[open + 1..close];
        let (n, kind) = spec.split_once(':').unwrap_or((spec, ""));
        let cap = caps.get(n.parse::<usize>().ok()?)?;
        out.push_str(&value(kind, cap)?);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// A captured value as the Chinese shows it. Kinds that name a fixed vocabulary (status, stage,
/// choice, channel, field, n) refuse a value outside it; the others keep what they do not know.
fn value(kind: &str, s: &str) -> Option<String> {
    let zh = Tr(Lang::Zh);
    Some(match kind {
        "" => s.to_string(),
        "n" => s.bytes().all(|b| b.is_ascii_digit()).then(|| s.to_string())?,
        "msg" => line(s),
        "status" => match s {
            "draft" => zh.status_draft(),
            "notice" => zh.status_notice(),
            "open" => zh.status_open(),
            "closed" => zh.status_closed(),
            _ => return None,
        }
        .to_string(),
        "stage" => Stage::parse(s)?.name_zh().to_string(),
        "choice" => Choice::parse(s)?.name_zh().to_string(),
        "channel" => match Channel::parse(s)? {
            Channel::Online => zh.channel_online(),
            Channel::Paper => zh.channel_paper(),
            Channel::Proxy => zh.channel_proxy(),
        }
        .to_string(),
        "field" => {
            let (_, label) = FIELDS.iter().find(|(key, _)| *key == s)?;
            format!("{label}（{s}）")
        }
        "scope" => match Scope::parse(s) {
            Some(Scope::Compound) => "全小区".to_string(),
            Some(Scope::Building(b)) => format!("{b}号楼"),
            Some(Scope::Stairwell(b, w)) => format!("{b}号楼{w}单元"),
            None => s.to_string(),
        },
        "role" => Role::parse(s).map_or_else(|| s.to_string(), |r| r.name_zh().to_string()),
        "action" => match s {
            "PrepareMatter" => "准备表决事项",
            "CloseVoting" => "结束投票",
            "EnterBallots" => "录入纸质或委托表决票",
            "ResolvePaperMismatch" => "复核不一致的纸质表决票",
            "FollowUpTurnout" => "查看未投票名单",
            "ManageAccounts" => "管理账户和绑定码",
            "ReadAudit" => "查看审计日志",
            "EditProjects" => "编辑楼栋项目",
            other => other,
        }
        .to_string(),
        // `13-701 approve, 13-702 oppose`
        "votes" => s
            .split(", ")
            .map(|v| match v.rsplit_once(' ').and_then(|(u, c)| Some((u, Choice::parse(c)?))) {
                Some((u, c)) => format!("{u} {}", c.name_zh()),
                None => v.to_string(),
            })
            .collect::<Vec<_>>()
            .join("，"),
        "missing" => missing(s).unwrap_or_else(|| s.to_string()),
        _ => return None,
    })
}

/// A project's missing steps, `中文 (English); 中文 (English)` (crates/store/src/projects.rs),
/// as the Chinese halves joined with `；`. The English may itself hold `(`, `)` and `; `.
fn missing(s: &str) -> Option<String> {
    let mut items = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let (zh, after) = rest.split_once(" (")?;
        // the English ends at the first `)` that ends the list or is followed by the next item
        let end = after.match_indices(')').map(|(i, _)| i).find(|&i| {
            let tail = &after[i + 1..];
            tail.is_empty() || tail.starts_with("; ")
        })?;
        if zh.is_empty() {
            return None;
        }
        items.push(zh);
        rest = after[end + 1..].strip_prefix("; ").unwrap_or(&after[end + 1..]);
    }
    (!items.is_empty()).then(|| items.join("；"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh(s: &str) -> String {
        localise(Lang::Zh, s)
    }

    #[test]
    fn a_refusal_keeps_its_unit_and_reads_in_chinese() {
        assert_eq!(
            zh("unit 13-701: the review must be made by someone who made neither entry"),
            "房屋 13-701：复核须由两次录入都没有参与的人员进行。"
        );
        assert_eq!(
            zh("unit 13-701 is outside the scope building:12 of this matter"),
            "房屋 13-701 不在本事项的表决范围（12号楼）内。"
        );
    }

    #[test]
    fn holes_capture_what_lies_between_the_literals() {
        assert_eq!(
            zh("matter 0190-ab is closed, not open for voting"),
            "事项 0190-ab 目前为“已结束”状态，不在投票期内，不能投票。"
        );
        assert_eq!(
            zh("matter m1: the notice must stand 7 days before voting opens; 3 more day(s) to go"),
            "事项 m1：公示须满 7 天才能开始投票，还需 3 天。"
        );
        // a value holding the next literal's text: the matcher tries the later occurrence too
        assert_eq!(
            zh("owner id 7 is 'a on row b' on row 3 but 'c' here"),
            "业主编号 7 在第 3 行是“a on row b”，这里却是“c”。"
        );
        assert_eq!(
            zh("unit 5-301 already has a ballot on this matter (paper)"),
            "房屋 5-301 在本事项中已有表决票（纸质），不能重复投票。"
        );
    }

    #[test]
    fn a_kind_that_does_not_know_the_value_lets_the_next_entry_try() {
        // `title` is no stage, so the field entry takes it; its message, unknown, stays English
        assert_eq!(zh("title: something new"), "标题（title）：something new");
        // `weird` is no channel, and no other entry fits: all English
        let weird = "unit 5-301 already has a ballot on this matter (weird)";
        assert_eq!(zh(weird), weird);
        assert_eq!(zh("matter m is archived, not open for voting"), "matter m is archived, not open for voting");
    }

    #[test]
    fn row_errors_are_translated_line_by_line() {
        let english = "row 3 (unit 13-701), area: area 'abc' is not a number\n\
                       row 4, unit: duplicate unit 13-702: already on row 2\n\
                       header: missing column 'area' (面积)\n\
                       row 9: unit 2-101 is not on the roll\n\
                       an English line nobody has translated";
        assert_eq!(
            zh(english),
            "第 3 行（房号 13-701），专有部分面积（area）：专有部分面积“abc”不是数字。\n\
             第 4 行，房号（unit）：房号 13-702 重复：第 2 行已经有了。\n\
             表头：缺少“area”列（面积）。\n\
             第 9 行：房屋 2-101 不在表决名册中。\n\
             an English line nobody has translated"
        );
    }

    #[test]
    fn unknown_messages_and_english_viewers_keep_the_english() {
        let s = "something entirely new: 13-701 on 2026-11-24";
        assert_eq!(zh(s), s);
        assert_eq!(localise(Lang::En, "unit 13-701 is not in the register"), "unit 13-701 is not in the register");
        assert_eq!(zh(""), "");
    }

    #[test]
    fn field_prefixed_messages_name_the_field_in_both_ways() {
        assert_eq!(zh("title: a matter needs a title"), "标题（title）：请填写事项的标题。");
        assert_eq!(
            zh("window_start: '2026-13-01' is not a date like 2026-12-01"),
            "投票开始日期（window_start）：“2026-13-01”不是有效日期，请写成 2026-12-01 这样的格式。"
        );
        assert_eq!(
            zh("quoted: amount '1.234' is not a number with at most 2 decimals"),
            "报价（quoted）：金额“1.234”不是最多两位小数的数字。"
        );
        assert_eq!(
            zh("running weights: the weight of 7 is negative (-1)"),
            "运行费用的楼层系数（weights）：7 的系数是负数（-1）。"
        );
    }

    #[test]
    fn a_stage_refusal_keeps_the_chinese_of_each_missing_step() {
        let english = "vote: 方案尚未公示 (the scheme has not been posted); \
                       方案须公示 10 天并再征求意见 7 天，还需 3 天 (the scheme must stand 10 days and comments be taken 7 more; 3 day(s) to go)";
        assert_eq!(zh(english), "进入“业主表决”阶段还需要：方案尚未公示；方案须公示 10 天并再征求意见 7 天，还需 3 天");
        // not a stage: the field entry is tried, and an unknown field leaves the English
        assert_eq!(zh("wat: 方案尚未公示 (x)"), "wat: 方案尚未公示 (x)");
    }

    #[test]
    fn an_owner_conflict_names_each_units_choice() {
        assert_eq!(
            zh("owner 张三 cast different choices on their units: 20-301 approve, 21-301 oppose"),
            "业主 张三 名下的房屋表决意见不一致：20-301 同意，21-301 反对。"
        );
    }

    #[test]
    fn every_entry_uses_each_capture_and_no_kind_is_misspelt() {
        for (en, zh) in TABLE {
            let holes = en.matches("{}").count();
            assert!(!en.contains("{}{}"), "{en}: two holes side by side");
            let mut used = vec![false; holes];
            let mut rest = *zh;
            while let Some(open) = rest.find('{') {
                let close = open + rest[open..].find('}').unwrap_or_else(|| panic!("{zh}: unclosed hole"));
                let spec = &rest[open + 1..close];
                let (n, kind) = spec.split_once(':').unwrap_or((spec, ""));
                let n: usize = n.parse().unwrap_or_else(|_| panic!("{zh}: hole {spec}"));
                assert!(n < holes, "{zh}: hole {n} but {en} has {holes}");
                used[n] = true;
                assert!(
                    [
                        "", "n", "msg", "status", "stage", "choice", "channel", "field", "scope", "role", "action",
                        "votes", "missing"
                    ]
                    .contains(&kind),
                    "{zh}: unknown kind {kind}"
                );
                rest = &rest[close + 1..];
            }
            assert!(used.iter().all(|u| *u), "{zh} drops a value of {en}");
            // Chinese characters or at least Chinese punctuation
            let chinese =
                |c: char| matches!(c, '\u{3000}'..='\u{303f}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}');
            assert!(zh.chars().any(chinese), "{zh}: no Chinese in it");
        }
    }

    /// The error constructors whose message a person may read.
    const CONSTRUCTORS: &[&str] = &[
        "StoreError::BadInput(",
        "StoreError::Conflict(",
        "StoreError::NotFound(",
        "AppError::BadInput(",
        "AppError::Conflict(",
        "AppError::Forbidden(",
        "AppError::TooMany(",
        "on_unique(",
    ];

    /// Reads the string literal opening at `at` (a `"`): its text and the index after it.
    fn literal(src: &str, at: usize) -> (String, usize) {
        let b = src.as_bytes();
        let mut out = String::new();
        let mut i = at + 1;
        loop {
            match b[i] {
                b'"' => return (out, i + 1),
                b'\\' => {
                    match b[i + 1] {
                        b'\n' => {
                            // a line continuation skips the newline and the next line's indent
                            i += 2;
                            while b[i].is_ascii_whitespace() {
                                i += 1;
                            }
                            continue;
                        }
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        c => out.push(c as char),
                    }
                    i += 2;
                }
                _ => {
                    let c = src[i..].chars().next().unwrap();
                    out.push(c);
                    i += c.len_utf8();
                }
            }
        }
    }

    /// The index of the bracket closing the one just before `from`, skipping string literals.
    fn closing(src: &str, from: usize, open: u8, close: u8) -> usize {
        let b = src.as_bytes();
        let (mut depth, mut i) = (1, from);
        while depth > 0 {
            if b[i] == b'"' {
                i = literal(src, i).1;
                continue;
            }
            if b[i] == open {
                depth += 1;
            } else if b[i] == close {
                depth -= 1;
            }
            i += 1;
        }
        i - 1
    }

    /// The messages in `src[from..to]`: literals that open `format!(`, that end in `.into()`,
    /// and (if `first`) a literal that opens the span itself.
    fn messages_in(src: &str, from: usize, to: usize, first: bool, out: &mut Vec<String>) {
        let start = from + (src[from..to].len() - src[from..to].trim_start().len());
        let mut i = from;
        while i < to {
            if src.as_bytes()[i] != b'"' {
                i += 1;
                continue;
            }
            let (text, end) = literal(src, i);
            let opens = (first && i == start) || src[from..i].trim_end().ends_with("format!(");
            if opens || src[end..].starts_with(".into()") {
                out.push(text);
            }
            i = end;
        }
    }

    /// Every message our code words, as found in the source: constructor arguments, a register
    /// row's message (`RowError { message: … }`, `err("field", …)`) and `#[error("…")]` texts.
    fn scan(src: &str, out: &mut Vec<String>) {
        for ctor in CONSTRUCTORS {
            for (at, _) in src.match_indices(ctor) {
                let from = at + ctor.len();
                let to = closing(src, from, b'(', b')');
                let mut found = Vec::new();
                messages_in(src, from, to, true, &mut found);
                if *ctor == "StoreError::NotFound(" {
                    // its Display is `{0} not found`
                    found.iter_mut().for_each(|m| m.push_str(" not found"));
                }
                out.extend(found);
            }
        }
        for (at, _) in src.match_indices("err(") {
            let from = at + 4;
            if src[from..].trim_start().starts_with('"') {
                messages_in(src, from, closing(src, from, b'(', b')'), false, out);
            }
        }
        for (at, _) in src.match_indices("RowError {") {
            let from = at + "RowError {".len();
            messages_in(src, from, closing(src, from, b'{', b'}'), false, out);
        }
        for (at, _) in src.match_indices("#[error(") {
            let from = at + "#[error(".len();
            let to = closing(src, from, b'(', b')');
            if let Some(q) = src[from..to].find('"') {
                let mut text = literal(src, from + q).0;
                // `{}` filled by `at(row)`: the "row N: " prefix, which the table handles apart
                if src[from..to].contains("at(") {
                    text = text.strip_prefix("{}").map(str::to_string).unwrap_or(text);
                }
                out.push(text);
            }
        }
    }

    /// `format!` text to a table template: every `{…}` becomes `{}`.
    fn template(message: &str) -> String {
        let mut out = String::new();
        let mut rest = message;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').unwrap();
            out.push_str("{}");
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }

    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("messages.rs") {
                out.push(p);
            }
        }
    }

    #[test]
    fn every_message_in_the_source_has_a_translation() {
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
        let mut files = Vec::new();
        for dir in ["store/src", "web/src", "core/src"] {
            sources(&crates.join(dir), &mut files);
        }
        let mut found: Vec<(String, String)> = Vec::new();
        for f in &files {
            let src = std::fs::read_to_string(f).unwrap();
            let mut ms = Vec::new();
            scan(&src, &mut ms);
            for m in ms {
                let t = template(&m);
                if t.replace("{}", "").is_empty() || found.iter().any(|(x, _)| *x == t) {
                    continue; // `{0}`, `{}`: the message is made elsewhere
                }
                found.push((t, f.display().to_string()));
            }
        }
        for known in [
            "matter {} is {}, not open for voting",
            "unit {}: the review must be made by someone who made neither entry",
            "unit {} is outside the scope {} of this matter",
            "checked: say what was checked (the property certificate, an identity card, a tenancy contract…)",
            "unit {} is not on the roll",
            "floor is missing and cannot be read from the unit number",
            "matter {} not found",
            "the form has expired; reload the page and try again",
        ] {
            assert!(found.iter().any(|(t, _)| t == known), "the scanner misses {known:?}");
        }
        eprintln!("{} messages found in the source, {} entries in the table", found.len(), TABLE.len());
        assert!(found.len() >= 80, "the scanner found only {} messages: {found:?}", found.len());
        let missing: Vec<String> = found
            .iter()
            .filter(|(t, _)| !TABLE.iter().any(|(en, _)| en == t))
            .map(|(t, f)| format!("{f}: {t:?}"))
            .collect();
        assert!(missing.is_empty(), "messages without a Chinese entry in messages.rs:\n{}", missing.join("\n"));
    }
}
