//! Refusals that belong to no process: pages and files not found, bodies that cannot be read,
//! uploads, set-up.

crate::refusals! {
    pub enum KitRefusal {
        GoTo { to: String } = Redirect "kit.go-to",
            zh "请先前往 {to}。",
            en "go to {to} first";
        NotFound = NotFound "kit.not-found",
            zh "找不到该页面或事项。",
            en "not found";
        FormInvalid { detail: String } = BadInput "kit.form-invalid",
            zh "表单（form）：{detail}",
            en "form: {detail}";
        BodyInvalid { detail: String } = Malformed "kit.body-invalid",
            zh "请求内容无法读取：{detail}",
            en "the request body cannot be read: {detail}";
        FileEmpty { field: String } = BadInput "kit.file-empty",
            zh "文件（{field}）：文件是空的。",
            en "{field}: the file is empty";
        FileMissing { field: String } = BadInput "kit.file-missing",
            zh "文件（{field}）：请选择要上传的文件。",
            en "{field}: choose a file to upload";
        FileTooLarge { field: String, name: String, limit_mb: i64 } = TooLarge "kit.file-too-large",
            zh "文件（{field}）：{name} 超过 {limit_mb} MB。",
            en "{field}: {name} is larger than {limit_mb} MB";
        FileUnreadable { file: String, reason: String } = BadInput "kit.file-unreadable",
            zh "{file}：无法读取（{reason}）。",
            en "{file}: {reason}";
        DatabaseUrl { url: String } = BadInput "kit.database-url",
            zh "数据库地址“{url}”必须以 sqlite:// 或 postgres:// 开头。",
            en "database URL '{url}' must start with sqlite:// or postgres://";
        TestDatabaseUrl { url: String } = BadInput "kit.test-database-url",
            zh "TEST_DATABASE_URL {url} 中没有数据库名。",
            en "TEST_DATABASE_URL {url} has no database name";
    }
}
