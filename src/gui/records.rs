//! The sections whose screens come in later work (百事汇, 积分卡, 公开发布): until then each
//! shows, truthfully, what the ledger already holds for it and how to work with it today.
//! Never a fake form.

use super::Section;
use super::widgets;
use eframe::egui;

/// Shows what exists for `section`.
pub fn show(ui: &mut egui::Ui, section: Section, loading: bool) {
    ui.heading(section.label());
    ui.add_space(8.0);
    if loading {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("正在读取往年记录……");
        });
    }
    let lines: Vec<String> = match section {
        Section::Guide => vec![
            "百事汇是公开内容，不在加密台账里：每个事项是居委会文件夹 content/guide/ 里的一个文件（Markdown 文本），\
             可以用记事本修改，发布时生成网站页面和公示栏打印页。"
                .into(),
        ],
        Section::Points => vec!["积分卡记录随台账保存。".into()],
        Section::Publish => vec![
            "公开网站和公示栏打印页目前用命令行生成：sibai publish 居委会文件夹。".into(),
            "发布前会自动做隐私检查，发现个人信息就不发布。".into(),
        ],
        _ => Vec::new(),
    };
    for line in lines {
        ui.label(line);
    }
    ui.add_space(8.0);
    widgets::hint(ui, later_note(section));
}

/// What the note under a section says: the ledger's records are kept encrypted; 百事汇 and the
/// public site are not ledger records at all.
fn later_note(section: Section) -> &'static str {
    match section {
        Section::Guide => "百事汇的编辑界面将在后续版本中提供。",
        Section::Publish => "发布界面将在后续版本中提供；发布的内容不含任何个人信息。",
        _ => "这一部分的录入和查看界面将在后续版本中提供；已有记录都完整保存在加密台账中。",
    }
}
