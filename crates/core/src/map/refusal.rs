//! Why a map, a what-if or a `gongzhi walk` argument was refused. A bad feature is named by its
//! place in the file (`features[7]`, counted from 0 as in the JSON) and its id where it has one.

use crate::kit::{Both, Lines, Say};
use serde::Serialize;

/// Which feature of a GeoJSON file: its index in `features` and its id, if it has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FeatureAt {
    pub index: usize,
    pub id: Option<String>,
}

impl Say for FeatureAt {
    fn say_zh(&self) -> String {
        match &self.id {
            Some(id) => format!("要素 features[{}]（id \"{id}\"）", self.index),
            None => format!("要素 features[{}]", self.index),
        }
    }
    fn say_en(&self) -> String {
        match &self.id {
            Some(id) => format!("features[{}] (id \"{id}\")", self.index),
            None => format!("features[{}]", self.index),
        }
    }
}

crate::refusals! {
    pub enum MapRefusal {
        /// The file is not JSON at all.
        NotJson { detail: String } = BadInput "map.not-json",
            zh "地图文件不是有效的 JSON：{detail}",
            en "the map is not valid JSON: {detail}";
        /// JSON, but not a GeoJSON FeatureCollection.
        NotFeatureCollection { found: String } = BadInput "map.not-a-feature-collection",
            zh "地图必须是 GeoJSON FeatureCollection（含 features 数组），实际为 {found}",
            en "the map must be a GeoJSON FeatureCollection with a features array, found {found}";
        /// A feature that is not an object of type Feature.
        NotAFeature { feature: FeatureAt } = BadInput "map.not-a-feature",
            zh "{feature}不是 GeoJSON Feature 对象",
            en "{feature} is not a GeoJSON Feature object";
        /// A feature without a geometry.
        MissingGeometry { feature: FeatureAt } = BadInput "map.feature-without-geometry",
            zh "{feature}缺少 geometry",
            en "{feature} has no geometry";
        /// A feature without properties.
        MissingProperties { feature: FeatureAt } = BadInput "map.feature-without-properties",
            zh "{feature}缺少 properties",
            en "{feature} has no properties";
        /// A geometry that is not a usable Point or LineString.
        BadGeometry { feature: FeatureAt, detail: String } = BadInput "map.bad-geometry",
            zh "{feature}的 geometry 无效：{detail}",
            en "{feature} has a bad geometry: {detail}";
        /// A Point without an id.
        NodeWithoutId { feature: FeatureAt } = BadInput "map.node-without-id",
            zh "{feature}是点要素，但缺少 id",
            en "{feature} is a Point without an id";
        /// A Point whose kind is not one of the four.
        UnknownKind { feature: FeatureAt, kind: String } = BadInput "map.unknown-kind",
            zh "{feature}的 kind “{kind}” 无效，应为 entrance、junction、gate 或 bin",
            en "{feature} has kind \"{kind}\"; expected entrance, junction, gate or bin";
        /// Two Points with the same id.
        DuplicateNode { feature: FeatureAt, first: usize } = BadInput "map.duplicate-node",
            zh "{feature}的 id 与 features[{first}] 重复",
            en "{feature} repeats the id of features[{first}]";
        /// An entrance without its building.
        EntranceWithoutBuilding { feature: FeatureAt } = BadInput "map.entrance-without-building",
            zh "{feature}是楼门（entrance），但缺少 building",
            en "{feature} is an entrance without a building";
        /// An entrance without its households, or with a count that is not a whole number ≥ 0.
        EntranceWithoutHouseholds { feature: FeatureAt, value: String } = BadInput "map.entrance-without-households",
            zh "{feature}是楼门（entrance），households 应为不小于 0 的整数，实际为 {value}",
            en "{feature} is an entrance whose households must be a whole number ≥ 0, found {value}";
        /// A property of the wrong type (an id that is not text, a closed flag that is not true/false).
        BadProperty { feature: FeatureAt, field: String, value: String } = BadInput "map.bad-property",
            zh "{feature}的属性 {field} 无效：{value}",
            en "{feature} has a bad {field}: {value}";
        /// A bin room's opening hours that do not read as HH:MM-HH:MM.
        BadHours { feature: FeatureAt, value: String } = BadInput "map.bad-opening-hours",
            zh "{feature}的开放时间 “{value}” 无效，应为 HH:MM-HH:MM",
            en "{feature} has opening hours \"{value}\"; expected HH:MM-HH:MM";
        /// A LineString without `from` or `to`.
        EdgeWithoutEnd { feature: FeatureAt, field: String } = BadInput "map.edge-without-end",
            zh "{feature}是线要素，但缺少 {field}",
            en "{feature} is a LineString without {field}";
        /// A LineString naming a node that is not on the map.
        EdgeToMissingNode { feature: FeatureAt, node: String } = BadInput "map.edge-to-missing-node",
            zh "{feature}连接的节点 “{node}” 不在地图上",
            en "{feature} connects node \"{node}\", which is not on the map";
        /// A LineString from a node to itself.
        EdgeToItself { feature: FeatureAt, node: String } = BadInput "map.edge-to-itself",
            zh "{feature}从节点 “{node}” 连到它自己",
            en "{feature} goes from node \"{node}\" to itself";
        /// A negative (or non-numeric) length.
        BadLength { feature: FeatureAt, value: String } = BadInput "map.negative-length",
            zh "{feature}的 length 应为不小于 0 的米数，实际为 {value}",
            en "{feature} has length {value}; expected metres ≥ 0";
        /// Several bad features: each on its own line.
        BadFeatures { count: usize, problems: Lines<Both> } = BadInput "map.bad-features",
            zh "地图有 {count} 处错误：\n{problems}",
            en "the map has {count} problems:\n{problems}";
        /// A `gongzhi walk` option whose value does not read as nodes separated by commas.
        BadArgument { option: String, value: String, expected: String } = BadInput "map.bad-argument",
            zh "{option} “{value}” 无效，应为 {expected}",
            en "{option} \"{value}\": expected {expected}";
        /// A path length in an option that is not metres ≥ 0.
        BadArgumentLength { option: String, value: String, length: String } = BadInput "map.bad-argument-length",
            zh "{option} “{value}”：长度 “{length}” 应为不小于 0 的米数",
            en "{option} \"{value}\": the length \"{length}\" must be metres ≥ 0";
        /// A time that does not read as HH:MM.
        BadTime { value: String } = BadInput "map.bad-time",
            zh "时间 “{value}” 无效，应为 HH:MM",
            en "the time \"{value}\" is not HH:MM";
        /// A day that does not read as YYYY-MM-DD.
        BadDay { value: String } = BadInput "map.bad-day",
            zh "日期 “{value}” 无效，应为 YYYY-MM-DD",
            en "the date \"{value}\" is not YYYY-MM-DD";
        /// A what-if naming a node that is not on the map.
        UnknownNode { change: String, node: String } = BadInput "map.unknown-node",
            zh "{change}：节点 “{node}” 不在地图上",
            en "{change}: node \"{node}\" is not on the map";
        /// A what-if opening or closing a pair with no edge between them.
        NoEdge { change: String, a: String, b: String } = BadInput "map.no-edge",
            zh "{change}：节点 “{a}” 与 “{b}” 之间没有道路或围墙",
            en "{change}: there is no path or wall between \"{a}\" and \"{b}\"";
        /// A what-if adding a path from a node to itself.
        PathToItself { change: String, node: String } = BadInput "map.path-to-itself",
            zh "{change}：道路的两端都是 “{node}”",
            en "{change}: the path starts and ends at \"{node}\"";
        /// A what-if moving something that is not a bin room.
        NotABin { change: String, node: String } = BadInput "map.not-a-bin",
            zh "{change}：节点 “{node}” 不是垃圾厢房",
            en "{change}: node \"{node}\" is not a bin room";
        /// A what-if placing a bin room on an entrance or on another bin room.
        CannotHoldBin { change: String, node: String } = BadInput "map.cannot-hold-bin",
            zh "{change}：节点 “{node}” 是楼门或已是垃圾厢房；垃圾厢房只能设在路口或大门",
            en "{change}: node \"{node}\" is an entrance or already a bin room; a bin room goes on a junction or a gate";
        /// A request without a title.
        RequestTitleMissing = BadInput "map.request-title-missing",
            zh "请填写诉求的标题（如：垃圾箱房太远）",
            en "the request needs a title (e.g. the bin room is too far)";
        /// A title or text over its length.
        RequestTooLong { field: String, max: usize } = BadInput "map.request-too-long",
            zh "{field} 不能超过 {max} 个字",
            en "{field} may be at most {max} characters";
        /// A category, handler or status that is not one of the list.
        RequestBadChoice { field: String, value: String } = BadInput "map.request-bad-choice",
            zh "{field} “{value}” 不是可选的值",
            en "{field} \"{value}\" is not one of the choices";
        /// A move the statuses do not allow.
        RequestCannotMove { from: crate::map::requests::Status, to: crate::map::requests::Status } = Conflict "map.request-cannot-move",
            zh "诉求状态为“{from}”，不能改为“{to}”",
            en "the request is {from} and cannot become {to}";
        /// Declining without saying why.
        RequestDeclineWithoutReason = BadInput "map.request-decline-without-reason",
            zh "不予受理须写明理由",
            en "declining a request needs a reason";
        /// A reply with nothing in it.
        RequestReplyEmpty = BadInput "map.request-reply-empty",
            zh "答复内容不能为空",
            en "the reply is empty";
        /// A photo that is not a PNG, JPEG, GIF or WebP image, or too large.
        RequestBadPhoto { reason: String } = BadInput "map.request-bad-photo",
            zh "照片无效：{reason}",
            en "the photo cannot be used: {reason}";
        /// Grouping a request into itself or into one that is itself grouped.
        RequestBadGroup { reason: String } = Conflict "map.request-bad-group",
            zh "不能这样归并：{reason}",
            en "cannot group so: {reason}";
        /// A place that is not a building of the compound or a node of the map.
        RequestBadPlace { value: String } = BadInput "map.request-bad-place",
            zh "地点 “{value}” 不是本小区的楼号，也不是地图上的点",
            en "the place \"{value}\" is neither a building of the compound nor a point of the map";
        /// A line of the routing setting that does not read as `category = handler`.
        RoutingLine { line: usize, text: String } = BadInput "map.routing-line",
            zh "第 {line} 行 “{text}” 应为 类别 = 办理方（如 bin-room = owners-committee）",
            en "line {line} \"{text}\": expected category = handler (e.g. bin-room = owners-committee)";
        /// A site plan that is not a PNG, JPEG or WebP image.
        BadSitePlan { reason: String } = BadInput "map.bad-site-plan",
            zh "总平面图无效：{reason}",
            en "the site plan cannot be used: {reason}";
        /// An edit of the drawn map that does not fit it.
        BadEdit { reason: String } = BadInput "map.bad-edit",
            zh "无法修改地图：{reason}",
            en "cannot change the map: {reason}";
        /// No map drawn or imported yet.
        NoMap = NotFound "map.no-map",
            zh "本小区还没有步行地图，请先绘制或导入",
            en "the compound has no walking map yet: draw or import one";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::Refused;

    #[test]
    fn a_feature_is_named_by_index_and_id_in_both_languages() {
        let r = Refused::new(MapRefusal::UnknownKind {
            feature: FeatureAt { index: 7, id: Some("J3".into()) },
            kind: "tree".into(),
        });
        assert_eq!(r.code(), "map.unknown-kind");
        assert_eq!(r.en(), "features[7] (id \"J3\") has kind \"tree\"; expected entrance, junction, gate or bin");
        assert_eq!(r.zh(), "要素 features[7]（id \"J3\"）的 kind “tree” 无效，应为 entrance、junction、gate 或 bin");
        assert_eq!(r.values()["feature"], serde_json::json!({"index": 7, "id": "J3"}));
        let n = Refused::new(MapRefusal::MissingGeometry { feature: FeatureAt { index: 0, id: None } });
        assert_eq!(n.en(), "features[0] has no geometry");
    }
}
