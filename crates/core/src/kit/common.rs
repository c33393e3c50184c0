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
        TableTooLarge { file: String, what: String, limit: i64 } = TooLarge "kit.table-too-large",
            zh "{file}：超过 {limit} {what}，不像一个小区的表格，未导入任何内容。",
            en "{file}: more than {limit} {what}, which no compound's table has; nothing was imported";
        CellOutsideTable { file: String, cell: String, max_columns: i64 } = BadInput "kit.cell-outside-table",
            zh "{file}：单元格 {cell} 有内容，但表格只能有 {max_columns} 列，未导入任何内容。",
            en "{file}: cell {cell} has a value, but a table has at most {max_columns} columns; nothing was imported";
        DatabaseUrl { url: String } = BadInput "kit.database-url",
            zh "数据库地址“{url}”必须以 sqlite:// 或 postgres:// 开头。",
            en "database URL '{url}' must start with sqlite:// or postgres://";
        TestDatabaseUrl { url: String } = BadInput "kit.test-database-url",
            zh "TEST_DATABASE_URL {url} 中没有数据库名。",
            en "TEST_DATABASE_URL {url} has no database name";
    }
}

crate::refusals! {
    /// What is wrong with one cell of a table file, whatever the table is for.
    pub enum CellProblem {
        TooLong { chars: i64, max: i64 } = BadInput "kit.cell-too-long",
            zh "内容有 {chars} 个字，超过 {max} 个字的上限。",
            en "{chars} characters, more than the {max} a cell may hold";
        ExcelDate { cell: String, value: String } = BadInput "kit.cell-excel-date",
            zh "单元格 {cell} 被 Excel 当成了日期（{value}）：请把这一列设为“文本”格式后重新输入。",
            en "cell {cell} holds an Excel date ({value}): format the column as Text and type it again";
        LineBreak = BadInput "kit.cell-line-break",
            zh "内容里有换行：多半是这一行有一个没有配对的引号（\"），把下一行也吞了进来。",
            en "it contains a line break: most likely an unbalanced quote (\") on this row swallowed the next row";
    }
}

/// The spreadsheet name of a cell: row and column counted from 1 (`(7, 2)` is `B7`).
pub fn cell_name(row: u64, col: u64) -> String {
    let mut c = col;
    let mut letters = Vec::new();
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push(b'A' + r as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{row}", String::from_utf8(letters).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_are_named_as_a_spreadsheet_names_them() {
        assert_eq!(super::cell_name(7, 2), "B7");
        assert_eq!(super::cell_name(1, 26), "Z1");
        assert_eq!(super::cell_name(1, 27), "AA1");
        assert_eq!(super::cell_name(1_048_576, 16_384), "XFD1048576");
    }
}
