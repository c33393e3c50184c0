//! Refusals of building projects and of cost sharing.

use crate::kit::Say;
use crate::projects::{Missing, Stage};
use crate::voting::matter::Scope;

impl Say for Missing {
    fn say_zh(&self) -> String {
        self.zh.clone()
    }
    fn say_en(&self) -> String {
        self.en.clone()
    }
}

impl Say for Stage {
    fn say_zh(&self) -> String {
        self.name_zh().into()
    }
    fn say_en(&self) -> String {
        self.name_en().into()
    }
}

crate::refusals! {
    /// Why floor weights, a rate or a cost cannot be shared.
    pub enum ShareError {
        BadWeight { value: String } = BadInput "projects.bad-weight",
            zh "楼层系数（weights）：“{value}”不是“楼层=系数”或“房号=系数”的格式（例如 3=0.7 或 13-701=1.2）。",
            en "weights: '{value}' is not FLOOR=WEIGHT or UNIT=WEIGHT (e.g. 3=0.7 or 13-701=1.2)";
        NegativeWeight { of: String, weight: String } = BadInput "projects.negative-weight",
            zh "楼层系数（weights）：{of} 的系数是负数（{weight}）。",
            en "weights: the weight of {of} is negative ({weight})";
        UnknownUnit { unit: String } = BadInput "projects.weight-unknown-unit",
            zh "楼层系数（weights）：房屋 {unit} 不在分摊的房屋之中。",
            en "weights: unit {unit} is not among the units";
        NonPositiveCost { cost: String } = BadInput "projects.cost-not-positive",
            zh "工程造价（cost）：造价必须大于零，现在是 {cost}。",
            en "cost: the cost must be a positive amount, not {cost}";
        BadRate { value: String } = BadInput "projects.bad-rate",
            zh "补贴比例（subsidy-rate）：“{value}”不是 0 到 1 之间的比例（例如 0.4 或 40%）。",
            en "subsidy-rate: '{value}' is not a rate between 0 and 1 (e.g. 0.4 or 40%)";
        SourcesExceedCost { sources: String, cost: String } = BadInput "projects.sources-exceed-cost",
            zh "补贴和其他资金（{sources}）超过了工程造价（{cost}）。",
            en "the subsidy and other sources ({sources}) exceed the cost ({cost})";
        NobodyPays { amount: String } = BadInput "projects.nobody-pays",
            zh "没有任何房屋设了系数，剩下待分摊的 {amount} 将无人承担。",
            en "no unit carries a weight, so nobody would pay the {amount} left to share";
    }
}

crate::refusals! {
    /// Refusals of building projects.
    pub enum ProjectsRefusal {
        ProjectNotFound { project: String } = NotFound "projects.project-not-found",
            zh "找不到项目 {project}。",
            en "project {project} not found";
        CostItemNotFound { item: String } = NotFound "projects.cost-item-not-found",
            zh "找不到费用项目 {item}。",
            en "cost item {item} not found";
        TitleMissing = BadInput "projects.title-missing",
            zh "标题（title）：请填写项目的标题。",
            en "title: a project needs a title";
        ScopeNeedsBuilding = BadInput "projects.scope-needs-building",
            zh "范围（scope）：请指明楼栋或单元。",
            en "scope: name the building or stairwell";
        BadScope { value: String } = BadInput "projects.bad-scope",
            zh "范围（scope）：“{value}”不是有效的范围。",
            en "scope: '{value}' is not a scope";
        NegativeCost { field: String } = BadInput "projects.negative-amount",
            zh "{field}：金额不能为负数。",
            en "{field}: the amount cannot be negative";
        BadAmount { field: String, value: String } = BadInput "projects.bad-amount",
            zh "{field}：金额“{value}”不是最多两位小数的数字。",
            en "{field}: amount '{value}' is not a number with at most 2 decimals";
        BadDate { field: String, value: String } = BadInput "projects.bad-date",
            zh "{field}：“{value}”不是有效日期，请写成 2026-11-24 这样的格式。",
            en "{field}: '{value}' is not a date like 2026-11-24";
        UnitOutsideProject { unit: String, scope: Scope } = BadInput "projects.unit-outside-project",
            zh "房号（unit）：{unit} 不在本项目的范围（{scope}）内。",
            en "unit: {unit} is not in the project's scope {scope}";
        LabelMissing = BadInput "projects.label-missing",
            zh "费用项目（label）：请填写费用项目的名称。",
            en "label: name the cost item";
        PaymentNotPositive = BadInput "projects.payment-not-positive",
            zh "金额（amount）：付款金额必须大于零。",
            en "amount: a payment is a positive amount";
        ChangedMeanwhile { project: String } = Conflict "projects.changed-meanwhile",
            zh "项目“{project}”刚刚已被他人修改，请刷新页面后重试。",
            en "project {project} changed meanwhile; reload it";
        UnknownKind { value: String } = BadInput "projects.unknown-kind",
            zh "类别（kind）：无法识别的类别“{value}”。",
            en "kind: unknown kind '{value}'";
        UnknownStage { value: String } = BadInput "projects.unknown-stage",
            zh "阶段（stage）：无法识别的阶段“{value}”。",
            en "stage: unknown stage '{value}'";
        SchemeNoticeStageFirst { stage: Stage } = Conflict "projects.scheme-notice-stage-first",
            zh "方案公示只能在“方案公示”阶段登记（项目现在处于“{stage}”）。",
            en "a scheme notice is recorded in the scheme-notice stage (the project is at {stage})";
        SchemeNoticeBeforeStage { posted: String, entered: String } = BadInput "projects.scheme-notice-before-stage",
            zh "方案公示张贴日期（scheme_notice_date）：{posted} 早于项目进入方案公示阶段的日期 {entered}，公示不能早于方案。",
            en "scheme_notice_date: {posted} is before the project entered the scheme-notice stage on {entered}; a notice cannot predate its scheme";
        SchemeNoticePhotoMissing = BadInput "projects.scheme-notice-photo-missing",
            zh "公示照片（photo）：请上传张贴在现场的公示照片。",
            en "photo: upload a photo of the notice as posted";
        SchemeNoticePhotoKind { name: String } = BadInput "projects.scheme-notice-photo-kind",
            zh "公示照片（photo）：{name} 不是照片或 PDF。",
            en "photo: {name} is not a photo or a PDF";
        SchemeNoticeInFuture = BadInput "projects.scheme-notice-in-future",
            zh "方案公示张贴日期（scheme_notice_date）：张贴日期不能晚于今天。",
            en "scheme_notice_date: the notice cannot be posted in the future";
        UnknownStance { value: String } = BadInput "projects.unknown-stance",
            zh "意见（stance）：无法识别的意见“{value}”，请选择支持、反对、未决定或有条件支持。",
            en "stance: unknown stance '{value}'; choose support, oppose, undecided or conditional";
        UnknownReason { value: String } = BadInput "projects.unknown-reason",
            zh "理由（reasons）：无法识别的理由“{value}”。",
            en "reasons: unknown reason '{value}'";
        StageBlocked { stage: Stage, missing: Vec<Missing> } = Conflict "projects.stage-blocked",
            zh "进入“{stage}”阶段还需要：{missing}",
            en "{stage}: {missing}";
        RunningWeights { problem: ShareError } = BadInput "projects.running-weights",
            zh "运行费用的{problem}",
            en "running {problem}";
        DocumentsForBuildingOwners = Forbidden "projects.documents-for-building-owners",
            zh "只有本楼业主、楼组长和业委会可以查看项目文件。",
            en "only the building's owners, its leader and the committee see its project's documents";
    }
}
