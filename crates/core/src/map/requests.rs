//! Residents' requests (诉求): what a resident raises ("the bin room is too far"), which body it
//! is routed to by its category (a setting), how it moves from received to closed or declined,
//! how similar requests are grouped, and how long each handler takes to answer.
//!
//! A request's first response is the first time its handler moved it on (accepted it, answered,
//! declined, put it on a meeting's agenda or replied): the response time is from submission to
//! then. Statuses move forward only, except that an answered request may be taken up again.

use crate::accounts::policy::Subject;
use crate::map::policy::MapAction;
use crate::map::refusal::MapRefusal as R;
use std::fmt;

macro_rules! text_enum {
    ($(#[$m:meta])* pub enum $name:ident { $($v:ident = $s:literal, $zh:literal, $en:literal;)* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(into = "&'static str")]
        pub enum $name { $($v,)* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v,)*];
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s,)* } }
            pub fn parse(s: &str) -> Option<$name> { match s.trim() { $($s => Some($name::$v),)* _ => None } }
            pub fn zh(self) -> &'static str { match self { $($name::$v => $zh,)* } }
            pub fn en(self) -> &'static str { match self { $($name::$v => $en,)* } }
        }
        impl From<$name> for &'static str { fn from(x: $name) -> &'static str { x.as_str() } }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
        impl crate::kit::Say for $name {
            fn say_zh(&self) -> String { self.zh().into() }
            fn say_en(&self) -> String { self.en().into() }
        }
    };
}

text_enum! {
    /// What a request is about.
    pub enum Category {
        BinRoom = "bin-room", "垃圾箱房与分类投放", "bin rooms and waste drop-off";
        Paths = "paths", "道路与通行", "paths and access";
        Repairs = "repairs", "公共部位报修", "repairs to common parts";
        Greening = "greening", "绿化", "greening";
        Parking = "parking", "停车", "parking";
        Safety = "safety", "安全与消防", "safety and fire";
        Lift = "lift", "加装电梯", "lift retrofits";
        Neighbours = "neighbours", "邻里与噪音", "neighbours and noise";
        Other = "other", "其他", "other";
    }
}

text_enum! {
    /// The body that handles a request.
    pub enum Handler {
        OwnersCommittee = "owners-committee", "业委会", "owners' committee";
        PropertyCompany = "property-company", "物业公司", "property company";
        ResidentsCommittee = "residents-committee", "居委会", "residents' committee";
    }
}

text_enum! {
    /// Where a request stands.
    pub enum Status {
        Received = "received", "已收到", "received";
        Accepted = "accepted", "已受理", "accepted";
        InProgress = "in-progress", "办理中", "in progress";
        Answered = "answered", "已答复", "answered";
        Closed = "closed", "已办结", "closed";
        Declined = "declined", "不予受理", "declined";
    }
}

impl Handler {
    /// The policy action that lets a person handle this body's requests.
    pub fn action(self) -> MapAction {
        match self {
            Handler::OwnersCommittee => MapAction::HandleCommitteeRequests,
            Handler::PropertyCompany => MapAction::HandlePropertyRequests,
            Handler::ResidentsCommittee => MapAction::HandleRcRequests,
        }
    }
}

impl Category {
    /// Titles residents usually give, offered as they type so that alike requests group.
    pub fn usual_titles(self) -> &'static [&'static str] {
        match self {
            Category::BinRoom => &["垃圾箱房太远", "垃圾箱房开放时间太短", "垃圾袋被丢在路边"],
            Category::Paths => &["绕行太远", "路面破损", "夜间照明不足"],
            Category::Repairs => &["楼道灯不亮", "单元门损坏", "屋面漏水"],
            Category::Greening => &["树木遮挡采光", "绿地缺少维护"],
            Category::Parking => &["车位不足", "消防通道被占用"],
            Category::Safety => &["楼道堆物", "电瓶车楼道充电"],
            Category::Lift => &["希望加装电梯"],
            Category::Neighbours => &["夜间噪音"],
            Category::Other => &[],
        }
    }
}

impl Status {
    /// Closed or declined: nothing more happens to it.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Closed | Status::Declined)
    }

    /// Whether a request may go from `self` to `to`.
    pub fn may_become(self, to: Status) -> bool {
        use Status::*;
        match self {
            Received => matches!(to, Accepted | InProgress | Answered | Declined | Closed),
            Accepted => matches!(to, InProgress | Answered | Declined | Closed),
            InProgress => matches!(to, Answered | Closed),
            Answered => matches!(to, InProgress | Closed),
            Closed | Declined => false,
        }
    }
}

/// A handler's move of a request: to a new status (with the public reply or, to decline, the
/// reason), or a reply that leaves the status as it is.
pub fn check_move(from: Status, to: Status, note: &str) -> Result<(), crate::kit::Refused> {
    if from != to && !from.may_become(to) {
        return Err(R::RequestCannotMove { from, to }.refused());
    }
    if from == to && note.trim().is_empty() {
        return Err(R::RequestReplyEmpty.refused());
    }
    if to == Status::Declined && note.trim().is_empty() {
        return Err(R::RequestDeclineWithoutReason.refused());
    }
    Ok(())
}

/// The longest title and text a request may have, in characters.
pub const TITLE_MAX: usize = 60;
pub const TEXT_MAX: usize = 2_000;

/// A new request's title and text, checked.
pub fn check_request(title: &str, text: &str) -> Result<(), crate::kit::Refused> {
    let t = title.trim();
    if t.is_empty() {
        return Err(R::RequestTitleMissing.refused());
    }
    if t.chars().count() > TITLE_MAX {
        return Err(R::RequestTooLong { field: "title".into(), max: TITLE_MAX }.refused());
    }
    if text.trim().chars().count() > TEXT_MAX {
        return Err(R::RequestTooLong { field: "text".into(), max: TEXT_MAX }.refused());
    }
    Ok(())
}

/// Two requests are alike when they share a category and their titles read the same once
/// spaces, punctuation and case are set aside ("垃圾箱房太远！" and "垃圾箱房 太远").
pub fn similar_key(category: Category, title: &str) -> String {
    let t: String = title.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    format!("{category}:{t}")
}

/// Where a request is and what about, for telling how near two requests are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Concern<'a> {
    pub category: Category,
    pub building: Option<&'a str>,
    /// A point of the map (its node's id).
    pub node: Option<&'a str>,
}

/// How near another request is to this one, for a handler grouping by hand, nearest first: 0
/// the same category at the same place (building or point of the map), 1 the same category
/// elsewhere, 2 the same place about something else, 3 neither.
pub fn nearness(a: Concern<'_>, b: Concern<'_>) -> u8 {
    let same = |x: Option<&str>, y: Option<&str>| x.is_some() && x == y;
    let place = same(a.building, b.building) || same(a.node, b.node);
    match (a.category == b.category, place) {
        (true, true) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (false, false) => 3,
    }
}

/// Which body each category is routed to: the compound's setting, Shanghai practice by default
/// (bin rooms, paths and lifts to the owners' committee, which spends the income from common
/// property; repairs, greening, parking and safety to the property company; neighbours and
/// anything else to the residents' committee).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routing(pub Vec<(Category, Handler)>);

impl Default for Routing {
    fn default() -> Self {
        use Category::*;
        use Handler::*;
        Routing(vec![
            (BinRoom, OwnersCommittee),
            (Paths, OwnersCommittee),
            (Repairs, PropertyCompany),
            (Greening, PropertyCompany),
            (Parking, PropertyCompany),
            (Safety, PropertyCompany),
            (Lift, OwnersCommittee),
            (Neighbours, ResidentsCommittee),
            (Other, ResidentsCommittee),
        ])
    }
}

impl Routing {
    pub fn handler(&self, c: Category) -> Handler {
        self.0.iter().find(|(k, _)| *k == c).map(|(_, h)| *h).unwrap_or(Handler::ResidentsCommittee)
    }

    /// One line per category: `bin-room = owners-committee`.
    pub fn to_text(&self) -> String {
        Category::ALL.iter().map(|c| format!("{c} = {}\n", self.handler(*c))).collect()
    }

    /// Reads [`Routing::to_text`]'s form; categories left out keep their default. Names the
    /// line of the first mistake.
    pub fn parse(text: &str) -> Result<Routing, crate::kit::Refused> {
        let mut r = Routing::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || R::RoutingLine { line: i + 1, text: line.to_string() }.refused();
            let (c, h) = line.split_once('=').ok_or_else(bad)?;
            let (c, h) = (Category::parse(c).ok_or_else(bad)?, Handler::parse(h).ok_or_else(bad)?);
            for x in r.0.iter_mut().filter(|(k, _)| *k == c) {
                x.1 = h;
            }
        }
        Ok(r)
    }
}

/// What the policy is asked about a request: its building, else the compound.
pub fn subject(building: Option<&str>) -> Subject<'_> {
    building.map_or(Subject::Compound, Subject::Building)
}

/// One request's timing, for the response-time figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timing {
    pub handler: Handler,
    pub category: Category,
    pub submitted_at: i64,
    pub first_response_at: Option<i64>,
    /// When it was closed or declined (null while still open).
    pub closed_at: Option<i64>,
}

/// Response times of one handler for one category (all categories when `category` is `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseTimes {
    pub handler: Handler,
    pub category: Option<Category>,
    pub requests: usize,
    pub waiting: usize,
    /// The median response time in whole hours, rounded half up, over those answered.
    pub median_hours: Option<i64>,
    pub slowest_hours: Option<i64>,
    /// How many are closed or declined, and the median time from submission to that, in whole
    /// hours rounded half up.
    pub closed: usize,
    pub median_close_hours: Option<i64>,
}

const HOUR_MS: i64 = 3_600_000;

fn hours_half_up(ms: i64) -> i64 {
    (2 * ms + HOUR_MS) / (2 * HOUR_MS)
}

/// The median of sorted whole milliseconds (the mean of the middle two, half up, when even).
fn median(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2] + 1) / 2),
    }
}

/// Per handler and category (those with requests), then each handler over all its categories.
pub fn response_times(ts: &[Timing]) -> Vec<ResponseTimes> {
    let mut out = Vec::new();
    for &h in Handler::ALL {
        let cats: Vec<Option<Category>> = Category::ALL.iter().map(|c| Some(*c)).chain(std::iter::once(None)).collect();
        for c in cats {
            let of: Vec<&Timing> = ts.iter().filter(|t| t.handler == h && c.is_none_or(|c| t.category == c)).collect();
            if of.is_empty() {
                continue;
            }
            let since = |at: fn(&Timing) -> Option<i64>| {
                let mut v: Vec<i64> = of.iter().filter_map(|t| at(t).map(|r| (r - t.submitted_at).max(0))).collect();
                v.sort_unstable();
                v
            };
            let waits = since(|t| t.first_response_at);
            let closes = since(|t| t.closed_at);
            out.push(ResponseTimes {
                handler: h,
                category: c,
                requests: of.len(),
                waiting: of.len() - waits.len(),
                median_hours: median(&waits).map(hours_half_up),
                slowest_hours: waits.last().copied().map(hours_half_up),
                closed: closes.len(),
                median_close_hours: median(&closes).map(hours_half_up),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_move_forward_and_declining_needs_a_reason() {
        assert!(check_move(Status::Received, Status::Accepted, "").is_ok());
        assert!(check_move(Status::Answered, Status::InProgress, "not yet done").is_ok());
        let back = check_move(Status::Closed, Status::InProgress, "again").unwrap_err();
        assert_eq!(back.code(), "map.request-cannot-move");
        assert_eq!(
            check_move(Status::Accepted, Status::Declined, " ").unwrap_err().code(),
            "map.request-decline-without-reason"
        );
        assert!(check_move(Status::Accepted, Status::Declined, "不属于小区自治范围").is_ok());
        assert_eq!(
            check_move(Status::InProgress, Status::InProgress, "").unwrap_err().code(),
            "map.request-reply-empty"
        );
        assert!(check_move(Status::InProgress, Status::InProgress, "施工队下周进场").is_ok());
        assert!(!Status::InProgress.may_become(Status::Declined));
    }

    #[test]
    fn alike_titles_share_a_key_within_a_category() {
        assert_eq!(similar_key(Category::BinRoom, "垃圾箱房太远！"), similar_key(Category::BinRoom, " 垃圾箱房 太远"));
        assert_ne!(similar_key(Category::BinRoom, "垃圾箱房太远"), similar_key(Category::Paths, "垃圾箱房太远"));
        assert_eq!(similar_key(Category::Other, "Too FAR"), "other:toofar");
    }

    #[test]
    fn routing_reads_its_text_and_names_a_bad_line() {
        let r = Routing::parse("# ours\nbin-room = residents-committee\n").unwrap();
        assert_eq!(r.handler(Category::BinRoom), Handler::ResidentsCommittee);
        assert_eq!(r.handler(Category::Repairs), Handler::PropertyCompany);
        assert_eq!(Routing::parse(&Routing::default().to_text()).unwrap(), Routing::default());
        let e = Routing::parse("paths = owners-committee\nbins = property-company").unwrap_err();
        assert_eq!(e.code(), "map.routing-line");
        assert!(e.en().contains("line 2"), "{}", e.en());
    }

    #[test]
    fn nearness_puts_the_same_concern_at_the_same_place_first() {
        let at = |category, building, node| Concern { category, building, node };
        let here = at(Category::BinRoom, Some("31"), None);
        assert_eq!(nearness(here, at(Category::BinRoom, Some("31"), Some("e-31"))), 0);
        assert_eq!(nearness(here, at(Category::BinRoom, Some("30"), None)), 1);
        assert_eq!(nearness(here, at(Category::Repairs, Some("31"), None)), 2);
        assert_eq!(nearness(here, at(Category::Repairs, None, None)), 3);
        // a point of the map counts as a place; no place is never the same place
        let point = at(Category::Paths, None, Some("south-gap"));
        assert_eq!(nearness(point, at(Category::Paths, None, Some("south-gap"))), 0);
        assert_eq!(nearness(at(Category::Paths, None, None), at(Category::Paths, None, None)), 1);
    }

    #[test]
    fn response_times_are_medians_in_hours_per_handler_and_category() {
        let h = HOUR_MS;
        let t = |c, sub: i64, resp: Option<i64>| Timing {
            handler: Handler::OwnersCommittee,
            category: c,
            submitted_at: sub,
            first_response_at: resp,
            // closed two days after the first response
            closed_at: resp.map(|r| r + 48 * h),
        };
        let mut ts = vec![
            t(Category::BinRoom, 0, Some(2 * h)),
            t(Category::BinRoom, 0, Some(10 * h)),
            t(Category::BinRoom, 0, Some(5 * h + h / 2)),
            t(Category::Paths, 0, None),
        ];
        ts[1].closed_at = None;
        let r = response_times(&ts);
        let bins = r.iter().find(|x| x.category == Some(Category::BinRoom)).unwrap();
        assert_eq!((bins.requests, bins.waiting, bins.median_hours, bins.slowest_hours), (3, 0, Some(6), Some(10)));
        // closed at 50 h and 53.5 h; the third still open: the median of two, 51.75 h → 52
        assert_eq!((bins.closed, bins.median_close_hours), (2, Some(52)));
        let all = r.iter().find(|x| x.category.is_none()).unwrap();
        // 2, 5.5, 10 answered; one waiting: the median of three is 5.5 h → 6
        assert_eq!((all.requests, all.waiting, all.median_hours), (4, 1, Some(6)));
        let paths = r.iter().find(|x| x.category == Some(Category::Paths)).unwrap();
        assert_eq!((paths.median_hours, paths.waiting, paths.closed, paths.median_close_hours), (None, 1, 0, None));
        assert!(r.iter().all(|x| x.handler == Handler::OwnersCommittee));
        // an even count: the mean of the middle two
        assert_eq!(median(&[1, 2, 3, 4]), Some(3));
    }
}
