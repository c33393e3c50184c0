//! Refusals of accounts, sign-in and the policy.

use crate::accounts::roles::Role;
use crate::kit::Both;

crate::refusals! {
    pub enum AccountsRefusal {
        LoginRequired = Unauthenticated "accounts.login-required",
            zh "请先登录。",
            en "login required";
        WrongLogin = Unauthenticated "accounts.wrong-login",
            zh "登录名或密码不正确。",
            en "wrong login name or password";
        TooManyLogins { minutes: i64 } = TooMany "accounts.too-many-logins",
            zh "登录失败次数过多，请 {minutes} 分钟后再试。",
            en "too many failed logins; try again in {minutes} minutes";
        NotAllowed { action: Both } = Forbidden "accounts.not-allowed",
            zh "您无权执行此操作（{action}）。",
            en "this account may not {action}";
        FormExpired = Forbidden "accounts.form-expired",
            zh "表单已过期，请刷新页面后重试。",
            en "the form has expired; reload the page and try again";
        LoginLength = BadInput "accounts.login-length",
            zh "登录名（login）：登录名须为 1 到 64 个字符。",
            en "login: a login name of 1 to 64 characters is needed";
        LoginTaken { login: String } = Conflict "accounts.login-taken",
            zh "登录名（login）：登录名 {login} 或这个手机号已经有账户了。",
            en "login: an account with login {login} or this phone number already exists";
        NameMissing = BadInput "accounts.name-missing",
            zh "姓名（name）：请填写账户的姓名。",
            en "name: the account needs a name";
        BadRelation { value: String } = BadInput "accounts.bad-relation",
            zh "关系（relation）：“{value}”既不是业主（owner），也不是住户（resident）。",
            en "relation: '{value}' is not owner or resident";
        CheckedMissing = BadInput "accounts.checked-missing",
            zh "核验材料（checked）：请写明核验了哪些材料（房产证、身份证、租赁合同……）。",
            en "checked: say what was checked (the property certificate, an identity card, a tenancy contract…)";
        CodeInvalid = BadInput "accounts.code-invalid",
            zh "绑定码（code）：这个绑定码无效或已被使用。",
            en "code: this code is not valid or was already used";
        RoleNotOffice { role: Role } = BadInput "accounts.role-not-office",
            zh "角色（roles）：“{role}”由账户绑定的房屋决定，不是可以任命的职务。",
            en "roles: {role} follows the units an account is bound to, it is not an office";
        UnknownOffice { value: String } = BadInput "accounts.unknown-office",
            zh "职务（office）：“{value}”不是有效的角色。",
            en "office: '{value}' is not a role";
        OwnRoles = Conflict "accounts.own-roles",
            zh "角色（roles）：不能修改自己的角色，请另一位管理人员操作。",
            en "roles: nobody changes their own roles; ask another manager";
        OfficeNotGrantable { office: Role } = Forbidden "accounts.office-not-grantable",
            zh "职务（office）：您不能授予或撤销“{office}”职务（业委会职务由选举产生）。",
            en "office: you may not give or take the office of {office} (committee offices come from the election)";
        NotRegisteredOwner { unit: String, name: String, registered: Vec<String> } = Conflict "accounts.not-registered-owner",
            zh "房屋 {unit}：{name} 不是名册登记的业主（名册登记的是 {registered}），请先更正名册。",
            en "unit {unit}: {name} is not a registered owner (the register names {registered}); correct the register first";
        NotBound { unit: String } = Conflict "accounts.not-bound",
            zh "房屋 {unit}：这个账户没有绑定该房屋。",
            en "unit {unit}: this account is not bound to it";
        VoterMustBeOwner { unit: String } = Conflict "accounts.voter-must-be-owner",
            zh "房屋 {unit}：只有绑定该房屋的业主才能为它投票。",
            en "unit {unit}: only an owner bound to the unit can vote for it";
        PasswordShort = BadInput "accounts.password-short",
            zh "密码至少8位。",
            en "the password needs at least 8 characters";
        PasswordsDiffer = BadInput "accounts.passwords-differ",
            zh "两次输入的新密码不一致。",
            en "the two new passwords differ";
        WrongPassword = BadInput "accounts.wrong-password",
            zh "当前密码不正确。",
            en "the current password is wrong";
        PasswordChangeFirst = Forbidden "accounts.password-change-first",
            zh "请先修改临时密码（/password），然后再继续。",
            en "change the temporary password first (/password)";
        MemberElsewhere { login: String } = Conflict "accounts.member-elsewhere",
            zh "{login} 也是其他小区的成员：临时密码只能由平台运营方重置。",
            en "{login} is a member of other compounds too: only the operator resets their password";
        BadCalendarLine { line: usize, text: String } = BadInput "accounts.bad-calendar-line",
            zh "第 {line} 行：“{text}”应写成“日期[..日期] rest|work 名称”，例如 2027-10-01..2027-10-07 rest 国庆节。",
            en "line {line}: '{text}' must read DATE[..DATE] rest|work NAME, e.g. 2027-10-01..2027-10-07 rest 国庆节";
        CalendarYearMismatch { line: usize, year: i64 } = BadInput "accounts.calendar-other-year",
            zh "第 {line} 行的日期不在 {year} 年。",
            en "line {line}: the date is not in {year}";
        AccountNotFound { account: String } = NotFound "accounts.account-not-found",
            zh "找不到账户 {account}。",
            en "account {account} not found";
    }
}
