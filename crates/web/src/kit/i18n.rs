//! Chinese first, English second. Each message is a method, so a template that names a missing
//! key does not compile.

pub use gongzhi_core::kit::Lang;

/// The messages in one language.
#[derive(Clone, Copy, Debug)]
pub struct Tr(pub Lang);

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        impl $crate::kit::i18n::Tr {
            $(pub fn $key(&self) -> &'static str {
                match self.0 {
                    $crate::kit::i18n::Lang::Zh => $zh,
                    $crate::kit::i18n::Lang::En => $en,
                }
            })*
        }
    };
}
/// Other modules add their own messages with the same macro.
pub(crate) use messages;

messages! {
    app_name => "共治", "gongzhi";
    internal_error => "系统出错了，请稍后再试。", "Something went wrong on our side; please try again later.";
    request_id => "请求编号", "request";
    bound_as_resident => "您填写的姓名与房屋名册登记的业主不一致，已暂按住户绑定；工作人员核验后才能作为业主投票。", "The name you gave is not the owner the register names, so you are bound as a resident for now; staff will check before you can vote as the owner.";
    codes_reprint_warning => "这栋楼已经打印过、尚未使用的绑定码，重新打印后将全部作废。", "This building's codes printed before and not yet used will stop working if you print again.";
    print_again => "确认作废旧码并重新打印", "Revoke the old codes and print again";
    my_compounds => "我的小区", "My compounds";
    notice_ends => "公示期满", "Notice period ends";
    calendar_link => "节假日与调休", "Holidays";
    anchor_label => "审计链锚点", "Audit chain anchor";
    anchor_hint => "此锚点封存了本次表决的全部表决票。任何人都可用 gongzhi audit verify --anchor 核对：事后改动表决票或重写审计记录都会被发现。", "This anchor seals every ballot of this vote. Anyone can check it with gongzhi audit verify --anchor: a ballot changed or the log rewritten afterwards is found.";
    voting_opens_after => "公示期满后才能开始投票：", "Voting can open once the notice has run:";
    current => "当前", "current";
    error_code => "错误代码", "code";
    tagline => "小区业主共同决定", "Owners deciding together";
    skip => "跳到正文", "Skip to content";
    login => "登录", "Log in";
    logout => "退出", "Log out";
    login_name => "登录名或手机号", "Login name or phone number";
    password => "密码", "Password";
    login_failed => "登录名或密码不正确。", "Wrong login name or password.";
    too_many => "尝试次数过多，请15分钟后再试。", "Too many attempts; try again in 15 minutes.";
    matters => "表决事项", "Matters";
    no_matters => "暂无表决事项。", "No matters yet.";
    status => "状态", "Status";
    status_draft => "草稿", "Draft";
    status_notice => "公示中", "On notice";
    status_open => "投票中", "Voting open";
    status_closed => "已结束", "Closed";
    kind => "事项类别", "Kind";
    scope => "表决范围", "Scope";
    threshold => "通过条件", "Needed to pass";
    window => "投票时间", "Voting window";
    ballots_cast => "已收表决票", "Ballots cast";
    text => "内容", "Text";
    attachments => "附件", "Attachments";
    your_ballot => "您的表决票", "Your ballot";
    slate_legend => "勾选您同意的候选人，最多", "Tick the candidates you approve, at most";
    slate_hint => "不勾选任何人即为空白票（计入参与表决）。同意的人数超过上限的纸质票作废。",
        "Ticking nobody is a blank ballot (it counts as participating). A paper ballot approving more names than allowed is void.";
    slate_title => "候选人名单", "The slate";
    blank_ballot => "空白票", "blank ballot";
    election_page => "选举结果与计票规则", "The election's result and how it is counted";
    unit => "房号", "Unit";
    choice => "表决意见", "Choice";
    approve => "同意", "Approve";
    oppose => "反对", "Oppose";
    abstain => "弃权", "Abstain";
    submit_vote => "提交表决票", "Submit ballot";
    voted => "已投票", "Voted";
    receipt => "回执号", "Receipt";
    receipt_hint => "请保存回执号：投票结束前后都可在回执列表中找到它。", "Keep your receipt: you can find it on the published list of receipts.";
    no_vote_here => "您没有可在此事项中投票的房屋。", "You have no unit that votes on this matter.";
    vote_recorded => "表决票已记录", "Your ballot is recorded";
    turnout => "参与情况", "Turnout";
    by_area => "专有部分面积", "Exclusive area";
    by_headcount => "人数", "Owners";
    needed => "须达到（三分之二）", "Needed (two thirds)";
    reached => "已参与", "Taken part";
    still_needed => "尚差", "Still missing";
    participation_met => "参与人数和面积均已达到三分之二。", "Participation has reached two thirds of the area and of the owners.";
    choices_hidden => "投票结束前，任何人都看不到表决意见。", "Nobody sees any choice before voting closes.";
    owners_unit => "人", "owners";
    sqm => "平方米", "m²";
    result => "表决结果", "Result";
    passed => "通过", "Passed";
    not_passed => "未通过", "Not passed";
    explanation => "说明", "Explanation";
    ballot_list => "表决票清单", "Ballot list";
    channel => "方式", "Channel";
    channel_online => "网上", "Online";
    channel_paper => "纸质", "Paper";
    channel_proxy => "委托", "Proxy";
    receipts => "回执列表", "Receipts";
    roll => "表决名册", "Electoral roll";
    roll_totals => "表决范围内总人数和总面积", "Owners and area in the scope";
    print_notice => "打印公告", "Printable notice";
    export_xlsx => "导出 Excel", "Export to Excel";
    new_matter => "新建表决事项", "New matter";
    title => "标题", "Title";
    deemed_clause => "适用议事规则中“送达即视为参与、未表决视为同意多数意见”条款", "Apply the rules' clause: a delivered ballot counts as participating and follows the majority";
    allow_change => "允许业主在截止前修改网上表决票", "Allow owners to change an online ballot before closing";
    window_start => "投票开始日期", "Voting starts";
    window_end => "投票截止日期", "Voting ends";
    create => "创建草稿", "Create draft";
    post_notice => "发布公示", "Post the notice";
    open_voting => "开始投票（冻结表决名册）", "Open voting (freezes the roll)";
    close_voting => "结束投票并公布结果", "Close voting and publish the result";
    committee_actions => "业委会操作", "Committee actions";
    paper_entry => "纸质表决票录入", "Paper ballot entry";
    paper_hint => "每张纸质票须由两人分别录入；两次录入一致才计票，不一致的待复核。", "Each paper ballot is entered by two people; it counts only when both entries agree, otherwise it waits for review.";
    enter => "录入", "Enter";
    first_entry_saved => "第一次录入已保存，需另一位工作人员再次录入。", "First entry saved; another staff member must enter it again.";
    counted => "两次录入一致，已计票。", "Both entries agree; the ballot counts.";
    mismatch_held => "两次录入不一致，已暂缓计票，等待复核。", "The two entries differ; the ballot is held for review.";
    mismatches => "待复核的纸质票", "Paper ballots awaiting review";
    scheme_notice_photo => "现场公示照片", "Photo of the posted notice";
    record_scheme_notice => "登记方案公示", "Record the scheme notice";
    scheme_notice_rule => "张贴日期按纸质公示填写，不能早于项目进入方案公示阶段的日期；照片和登记人记入审计链。", "The posting date is taken from the paper notice and cannot be before the project entered the scheme-notice stage; the photo and who entered it go into the audit chain.";
    edit_draft => "修改草稿", "Edit the draft";
    save_draft => "保存草稿", "Save the draft";
    delete_draft => "删除草稿", "Delete the draft";
    confirm_delete_draft => "我确认删除这份草稿（尚未公示，删除后不可恢复）", "I confirm deleting this draft (not yet posted; it cannot be undone)";
    choose_files_again => "浏览器不会保留已选的附件，请重新选择。", "Your browser does not keep the files you chose: choose them again.";
    legend_sample => "绿色粗体", "Green bold";
    legend_within => "的户：按此顺序走访到这些户，面积和人数就能达到参与表决的门槛；其余的户在此之后。", "households: visiting them, in this order, is enough to reach the participation thresholds in area and owners; the others come after.";
    legend_within_short => "（达到门槛所需）", "(needed for the thresholds)";
    slips_hint => "每张小条发给对应房屋的业主：沿虚线剪开。", "Give each slip to its unit's owner: cut along the dashed lines.";
    slip_how => "用手机扫描二维码（或打开下方网址）注册并绑定本房屋；姓名请与房屋登记的业主一致，才能作为业主投票。绑定码只能用一次。", "Scan the QR code with a phone (or open the address below) to sign up and bind this unit; give the name the register holds for the owner to vote as the owner. The code works once.";
    how_to_vote => "如何投票", "How to vote";
    vote_online => "网上投票：扫描下方二维码或打开下方网址，登录后对本人名下的每套房屋投票；投票后可凭回执号在公示名单中核对。", "Online: scan the QR code below or open the address, sign in and vote for each unit in your name; your receipt lets you find your ballot on the published list.";
    vote_on_paper => "纸质表决票：可到居委会或业委会办公室领取，也可请本楼楼组长送达；填好后在投票截止前交回原处（两位工作人员分别录入，一致后计入）。", "On paper: collect a ballot at the residents' or owners' committee office, or ask your building leader to bring one; return it there before voting ends (two staff enter it independently; it counts when they agree).";
    vote_by_proxy => "委托投票：本人不便时，可书面委托他人代为投票，委托书与表决票一并交回。", "By proxy: if you cannot vote yourself, give someone a written authorisation and return it with the ballot.";
    my_tasks => "待办", "To do";
    task_close => "投票期已结束，可以结束投票", "Voting window ended, ready to close";
    task_mismatches => "纸质票待复核", "Paper ballots to review";
    task_vote => "还需要您投票", "Still needs your vote";
    task_open => "公示期已满，可以开始投票", "Notice has run, voting can open";
    task_building_non_voters => "本楼尚未投票的户（按走访顺序）", "Your building's households yet to vote (in visiting order)";
    visit_saved => "已记录走访：", "Visit recorded:";
    task_next_visit => "下一户走访", "Next household to visit";
    my_done => "我已完成", "What I have done";
    done_voted => "已投票", "Voted";
    task_draft => "草稿待公示", "Draft to post";
    first_announced_end => "原定截止", "first announced to end";
    extended_on => "延长公告于", "extended on";
    window_end_label => "投票截止日期（最后一天）", "Last day of voting";
    extend_window => "设定或延长投票期", "Set or extend the voting window";
    window_rule => "投票期是对业主的承诺：只能延长，不能缩短；截止前只有全部房屋都已投票才能提前结束。", "The voting window is a promise to the owners: it may be extended, never shortened, and before it ends a vote closes only once every unit has voted.";
    window_ended_ready => "投票期已结束，可以结束投票并公布结果。", "The voting window has ended: the vote is ready to close.";
    decided_from_paper => "已按纸质票原件复核并计票。", "Decided from the paper ballot itself and counted.";
    awaiting_second => "等待第二次录入", "Awaiting a second entry";
    none_awaiting => "没有等待第二次录入的纸质票。", "No paper ballot is awaiting a second entry.";
    entry => "录入", "Entry";
    resolve => "按纸质原件确认", "Decide from the paper";
    proxy => "委托投票登记", "Proxy ballot";
    proxy_name => "受托人姓名", "Proxy's name";
    principal_choice => "委托人的表决意见", "The principal's choice";
    authorisation => "授权委托书（扫描件或照片）", "Written authorisation (scan or photo)";
    record => "登记", "Record";
    bind => "绑定房屋", "Bind a unit";
    bind_hint => "输入业委会或居委会发给您的绑定码。", "Enter the code the committee or the residents' committee gave you.";
    code => "绑定码", "Code";
    bound => "已绑定房屋", "Unit bound";
    print_codes => "打印绑定码", "Print binding codes";
    building => "楼号", "Building";
    floor => "楼层", "Floor";
    area => "面积", "Area";
    owner => "业主", "Owner";
    to_visit => "尚未投票、待上门走访的业主", "Owners still to visit";
    visit_order => "按此顺序走访，所需户数最少", "Visit in this order to reach the thresholds with the fewest visits";
    visits_needed => "至少还需走访", "Visits needed at least";
    priority => "顺序", "Order";
    audit => "审计日志", "Audit log";
    chain_ok => "哈希链完整。", "The hash chain is intact.";
    chain_broken => "哈希链断裂：", "The hash chain is broken: ";
    large_text => "大字模式", "Large text";
    normal_text => "标准字号", "Normal text";
    other_lang => "English", "中文";
    error_title => "操作未完成", "That did not work";
    back => "返回", "Back";
    forbidden => "您无权执行此操作。", "You may not do this.";
    not_found => "找不到该页面或事项。", "No such page or matter.";
    compound => "小区", "Compound";
    date => "日期", "Date";
    notice_heading => "公告", "Public notice";
    result_notice => "表决结果公告", "Notice of result";
    vote_notice => "表决公告", "Notice of vote";
    posted_by => "业主委员会", "The owners' committee";
    notice_since => "公示日期", "On notice since";
    opened => "开始投票", "Voting opened";
    closed => "投票结束", "Voting closed";
    results_after_close => "结果在投票结束后公布。", "Results are published when voting closes.";
    home => "首页", "Home";
    records => "相关记录", "Records";
    confirm_ballot => "我已核对表决意见", "I have checked my choice";
    final_ballot => "提交后不能修改。", "It cannot be changed once submitted.";
    confirm_close => "我确认结束投票：结束后不能再投票，结果将公布", "I confirm closing: no more ballots, and the result is published";
    register => "用绑定码注册", "Sign up with your code";
    projects => "楼栋项目", "Building projects";
    board => "加装电梯进度一览", "Lift retrofits at a glance";
    no_project => "暂无项目", "No project";
    new_project => "新建项目", "New project";
    project_kind => "项目类型", "Kind of project";
    kind_lift => "加装电梯", "Lift retrofit";
    kind_corridor => "美丽楼道", "Corridor renovation";
    kind_paths => "道路和围墙通道", "Paths and gates";
    kind_other => "其他", "Other";
    stage => "阶段", "Stage";
    stage_history => "阶段记录", "Stage history";
    move_to => "进入下一阶段", "Move to the next stage";
    missing_for_next => "进入下一阶段还需要", "Still needed for the next stage";
    move_refused => "阶段未能变更，原因如下：", "The stage was not changed, because:";
    changed_meanwhile => "项目刚被他人更新，请查看后重试。", "Someone changed the project just now; check it and try again.";
    planned_start => "计划开工", "Planned start";
    scheme_notice_date => "方案公示张贴日期", "Date the scheme was posted";
    record_facts => "保存", "Save";
    milestones => "审批与验收", "Approvals and acceptance";
    ms_planning => "已取得规划许可", "Planning approval obtained";
    ms_start_report => "开工报告已备案", "Start-of-works report filed";
    ms_owner_reps => "验收已邀请业主代表", "Owner representatives invited to the acceptance";
    ms_completion => "已通过综合竣工验收", "Comprehensive completion acceptance passed";
    consultation => "上门征询", "Door-to-door consultation";
    support_by_floor => "各楼层意见", "Stance by floor";
    stance => "意见", "Stance";
    stance_support => "支持", "Support";
    stance_oppose => "反对", "Oppose";
    stance_undecided => "未决定", "Undecided";
    stance_conditional => "有条件支持", "Conditional";
    not_visited => "未走访", "Not visited";
    still_to_visit => "尚未走访的住户", "Households still to visit";
    visit_log => "走访记录", "Visit log";
    new_visit => "记录一次走访", "Record a visit";
    visitor => "走访人", "Visitor";
    visitor_system => "系统记录", "system record";
    reasons => "理由", "Reasons";
    note => "业主所说", "What the owner said";
    answer => "答复", "Answer given";
    costs => "费用与协商", "Costs and negotiation";
    cost_item => "费用项目", "Cost item";
    quoted => "报价", "Quoted";
    agreed => "协商后", "Agreed";
    saving => "节省", "Saved";
    negotiated_by => "协商人", "Negotiated by";
    paid => "已付", "Paid";
    budget => "预算", "Budget";
    add_cost => "添加费用项目", "Add a cost item";
    record_negotiation => "记录协商结果", "Record the negotiation";
    add_payment => "记录付款", "Record a payment";
    amount => "金额（元）", "Amount (yuan)";
    paid_on => "付款日期", "Paid on";
    sharing => "费用分摊", "Cost sharing";
    construction_cost => "工程造价（元）", "Construction cost (yuan)";
    subsidy => "政府补贴", "Subsidy";
    subsidy_rate => "补贴比例", "Subsidy rate";
    subsidy_cap => "每台补贴上限（元）", "Subsidy cap per lift (yuan)";
    other_sources => "其他资金（维修资金、公共收益，元）", "Other sources (maintenance fund, common income; yuan)";
    weights => "楼层系数（如 3=0.7,4=0.8）", "Floor weights (e.g. 3=0.7,4=0.8)";
    basis => "分摊依据", "Basis";
    basis_area => "系数×面积", "weight × area";
    basis_household => "系数×户", "weight × household";
    residents_total => "业主分摊合计", "Shared by the owners";
    your_share => "您的分摊", "Your share";
    yuan => "元", "yuan";
    share => "分摊金额（元）", "Share (yuan)";
    share_rule => "每户按“楼层系数 × 面积”（或每户一份）占全部的比例分摊，没有系数的楼层不分摊；各户取整到分，合计正好等于居民应承担的总额。", "Each household pays its part of the whole by floor weight times area (or one part per household); floors without a weight pay nothing; each share is rounded to the fen and together they add up to the residents' total exactly.";
    save_costing => "保存分摊方案", "Save the sharing plan";
    running_cost => "每年运行费用（元）", "Yearly running cost (yuan)";
    documents => "项目文件（报价、合同、方案、许可）", "Documents (quotes, contracts, the scheme, permits)";
    upload => "上传", "Upload";
    file => "文件", "File";
    running_weights => "运行费用楼层系数（空则同上）", "Running-cost weights (empty: as above)";
    running_share => "每年运行费分摊", "Yearly running share";
    scroll_hint => "表格较宽，可左右滑动查看 →", "The table is wide: swipe sideways to see it all →";
    choices_private => "每户都列出是否参与、通过哪种方式表决，可以核对自己家的票没有被冒投；每户的意见只向本户业主、业委会和证据材料公开（《个人信息保护法》）。",
        "Every unit is listed with whether it took part and by which channel, so anyone can check their unit's ballot was not forged; a unit's choice is shown only to its own owner, the committee and the evidence (Personal Information Protection Law).";
    choice_not_shown => "不公开", "not shown";
    remind_now => "现在提醒所有未投票的业主（站内通知）", "Remind every owner who has not voted now (in-app notice)";
    reminders_queued => "已发出提醒：", "Reminders queued:";
    running_yearly => "；建成后每年运行费用约", "; once built, a yearly running cost of about";
    printables => "打印文件", "Documents to print";
    scheme_notice_doc => "方案公示", "Scheme notice";
    ballot_doc => "表决票（含各户分摊）", "Ballot with each household's share";
    scan_to_open => "扫码查看项目", "Scan to open the project";
    project_vote => "业主表决", "Owners' vote";
    project_full_only => "只有本楼业主、楼组长和业委会可查看项目详情。", "Only the building's owners, its building leader and the committee see the project in full.";
    register_hint => "首次使用？业委会或居委会发给您的绑定码可用于注册并绑定房屋。", "First time here? The code the committee gave you signs you up and binds your unit.";
    your_name => "姓名", "Name";
    phone_optional => "手机号（可选，可用于登录）", "Phone number (optional, for logging in)";
    password_rule => "密码（至少8位）", "Password (at least 8 characters)";
    password_short => "密码至少8位。", "The password needs at least 8 characters.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_answer() {
        assert_eq!(Tr(Lang::Zh).approve(), "同意");
        assert_eq!(Tr(Lang::En).approve(), "Approve");
        assert_eq!(Lang::parse("en"), Some(Lang::En));
    }
}
