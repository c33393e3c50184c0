//! Reaching people (issue 11), as pages and API: my channels and quiet hours, my calendar feed
//! (a secret address I can revoke), the compound's mail relay and group bots, and the staff's
//! delivery log with its dead letters. The messages themselves are queued by each process in the
//! outbox and sent by [`crate::accounts::outbox`]'s worker. One file per page: `channels` (a
//! person's channels and calendar feed), `settings` (the relay and bots), `deliveries` (the log).

pub(super) mod channels;
pub(super) mod deliveries;
pub(super) mod settings;

use axum::response::Response;
use gongzhi_core::kit::Refused;
use serde::Deserialize;

crate::kit::i18n::messages! {
    my_channels => "接收通知的方式", "How I am reached";
    channels_hint => "投票提醒、会议通知、值班安排都按这里的选择发给您。都不选的，由楼组长上门或张贴书面通知。",
        "Reminders to vote, meetings and duty shifts reach you as you choose here. If you choose none, your building leader visits or a paper notice is posted.";
    in_app_label => "在本平台的“通知”里", "In the notices on this site";
    by_email_label => "发电子邮件给我", "By email";
    email_label => "电子邮箱", "Email address";
    quiet_label => "免打扰时段（北京时间，例如 22:00 到 07:00；这段时间里的邮件推迟到结束时发送）",
        "Quiet hours (Shanghai time, e.g. 22:00 to 07:00; an email due then waits until they end)";
    quiet_from_label => "从", "From";
    quiet_to_label => "到", "To";
    calendar_feed => "我的日历", "My calendar";
    calendar_feed_hint => "把这个地址添加到手机日历（订阅日历），投票期限、会议和值班会自动出现。地址是保密的：不要转发；泄露了就重新生成，旧地址立即作废。",
        "Add this address to your phone's calendar (subscribe): vote windows, meetings and duty shifts appear by themselves. The address is secret: do not forward it; if it leaks, make a new one and the old one stops working.";
    calendar_new => "生成日历地址", "Make a calendar address";
    calendar_again => "重新生成（旧地址作废）", "Make a new address (the old one stops working)";
    calendar_revoke => "停用日历地址", "Revoke the calendar address";
    calendar_shown_once => "请现在复制：为了安全，这个地址只显示这一次。", "Copy it now: for safety it is shown only this once.";
    calendar_active => "您有一个有效的日历地址。", "You have a calendar address in use.";
    calendar_revoked => "日历地址已停用。", "The calendar address was revoked.";
    reach_settings => "邮件服务器和群机器人", "Mail relay and group bots";
    reach_settings_hint => "密码和机器人的密钥保存后不再显示，也不会写进日志。", "Passwords and bots' secrets are never shown again once saved, and never logged.";
    relay => "邮件服务器（SMTP）", "Mail relay (SMTP)";
    relay_none => "本小区没有设置自己的邮件服务器：使用服务器启动时指定的本地转发（--smtp-relay）。", "This compound has no relay of its own: the server's local relay (--smtp-relay) is used.";
    relay_host => "服务器地址", "Host";
    relay_port => "端口", "Port";
    relay_tls => "加密方式", "Encryption";
    tls_none => "不加密（仅限本机或内网的转发）", "None (only a relay on this machine or network)";
    tls_starttls => "STARTTLS（通常是 587 端口）", "STARTTLS (usually port 587)";
    tls_tls => "TLS（通常是 465 端口）", "TLS (usually port 465)";
    relay_user => "用户名", "User name";
    relay_password => "密码（留空则保留原密码）", "Password (leave empty to keep the one saved)";
    relay_from => "发件人地址", "Sender address";
    relay_clear => "不再使用本小区的邮件服务器", "Stop using this compound's relay";
    password_saved => "已保存密码", "a password is saved";
    bots => "群机器人", "Group bots";
    bots_hint => "企业微信和钉钉群机器人收到投票提醒时，只说明各楼还有多少户没有投票，不列出门牌号。JSON 机器人用密钥对内容签名（HMAC-SHA256），供街道的系统核验。",
        "WeChat Work and DingTalk group bots get, with each reminder to vote, only how many households in each building have not voted, never unit numbers. A JSON webhook signs what it sends with its secret (HMAC-SHA256) for the district's systems to check.";
    bot_name => "名称", "Name";
    bot_kind => "类型", "Kind";
    bot_url => "机器人地址（Webhook）", "Bot address (webhook)";
    bot_secret => "密钥（钉钉加签、JSON 必填）", "Secret (DingTalk signing; required for JSON)";
    bot_add => "添加机器人", "Add a bot";
    bot_remove => "删除", "Remove";
    no_bots => "还没有群机器人。", "No group bots yet.";
    kind_wecom => "企业微信群机器人", "WeChat Work group bot";
    kind_dingtalk => "钉钉群机器人", "DingTalk group bot";
    kind_json => "JSON（HMAC 签名）", "JSON (HMAC-signed)";
    secret_saved => "已保存密钥", "a secret is saved";
    deliveries => "通知投递记录", "Delivery log";
    deliveries_hint => "每条通知都先写进发件箱，再由投递程序发送；失败的按 1 分钟、2 分钟……最长 6 小时的间隔重试，8 次仍失败的成为“无法投递”，在这里重新发送。",
        "Every message is written to the outbox first, then sent by the delivery worker; a failure is retried after 1 minute, 2 minutes and so on up to 6 hours, and after 8 failures it is a dead letter, sent again from here.";
    all_statuses => "全部", "All";
    st_queued => "待发送", "queued";
    st_sending => "发送中", "sending";
    st_sent => "已送达", "sent";
    st_dead => "无法投递", "dead letter";
    st_cancelled => "已取消（不再需要）", "cancelled (no longer needed)";
    col_when => "时间", "When";
    col_channel => "渠道", "Channel";
    col_to => "收件人", "To";
    col_subject => "标题", "Subject";
    col_status => "状态", "Status";
    col_attempts => "尝试次数", "Attempts";
    col_answer => "对方的回答", "Answer";
    retry => "重新发送", "Send again";
    ch_in_app => "站内通知", "in-app";
    ch_email => "电子邮件", "email";
    ch_webhook => "群机器人", "bot";
    no_deliveries => "没有记录。", "Nothing here.";
    saved_note => "已保存。", "Saved.";
    unreached_title => "需要书面通知或上门的住户", "Households to reach on paper or at the door";
    unreached_hint => "这些住户还没有投票，平台无法提醒他们：没有账户，或者没有选择任何接收方式。请张贴或送达书面通知，或由楼组长上门。",
        "These households have not voted and the platform cannot remind them: no account, or no way of being reached chosen. Post or deliver a paper notice, or the building leader visits.";
    no_account => "没有账户", "no account";
}

pub(super) fn refused_page_status(mut r: Response, refusal: &Refused) -> Response {
    *r.status_mut() = crate::kit::error::status_of(refusal.kind());
    r
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    pub(super) csrf: String,
}
