//! 居民户 → 从 Excel 导入 and 走访 → 从 Excel 导入: the committee's own sheet (.xlsx, .xls,
//! .csv) read on a background thread; each sheet's columns shown with the field each was
//! matched to (`model::import`), which the user may change (and which is remembered for the
//! next sheet with the same headings); then the dry run, row by row (新增, 更新, 已在台账中,
//! 重复 of which record, 错误 and why), exportable to .xlsx; nothing is written until 确认导入,
//! and then the whole import is one edit, which 撤销 takes back whole.

use super::export::{self, ExportSlot};
use super::file_dialog::{Choose, FileChooser};
use super::print::Sheet as PrintSheet;
use super::{Action, View, in_background, widgets};
use crate::model::Edit;
use crate::model::import::{
    Base, Field, Mapping, Plan, Sheet, Target, Verdict, detect_with, remember,
};
use eframe::egui;
use egui_extras::{Column, TableBuilder};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

/// How the wizard ended.
pub enum Outcome {
    /// Back to the households (with what to say, if anything was imported).
    Closed(Option<String>),
}

/// The wizard's state.
#[derive(Default)]
pub struct ImportWizard {
    /// Households or visits.
    target: Target,
    path: String,
    chooser: FileChooser,
    reading: Option<Receiver<Result<Vec<Sheet>, String>>>,
    sheets: Option<Arc<Vec<Sheet>>>,
    /// Each sheet's columns, as detected and then as the user set them.
    mappings: Vec<Option<Mapping>>,
    planning: Option<Receiver<Plan>>,
    /// The dry run, for the mappings it was made with.
    plan: Option<(Vec<Option<Mapping>>, Plan)>,
    only_problems: bool,
    export: ExportSlot,
    message: Option<Result<String, String>>,
}

impl ImportWizard {
    /// The wizard for importing households or visits.
    pub fn new(target: Target) -> ImportWizard {
        ImportWizard {
            target,
            ..ImportWizard::default()
        }
    }

    /// Shows the wizard; returns how it ended, once it has.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        actions: &mut Vec<Action>,
    ) -> Option<Outcome> {
        self.poll(&view.ledger.committee.import_headings);
        let mut outcome = None;
        let (back, heading, hint) = match self.target {
            Target::Households => (
                "← 返回居民户",
                "从 Excel 导入居民户",
                "选择居委会原有的居民信息表（.xlsx、.xls，或 Excel 另存的 .csv）。先逐行预览，确认后才写入台账；导入后可以“撤销”。",
            ),
            Target::Visits => (
                "← 返回走访",
                "从 Excel 导入走访记录",
                "选择以前记录的走访表（社区云导出的走访记录，或居委会自己的表格）。每行按楼室号找到台账中的一户，走访人须是本居委会的工作人员；已在台账中的走访不会重复导入。先逐行预览，确认后才写入台账；导入后可以“撤销”。",
            ),
        };
        ui.horizontal(|ui| {
            if ui.button(back).clicked() {
                outcome = Some(Outcome::Closed(None));
            }
            ui.heading(heading);
        });
        widgets::hint(ui, hint);
        if self.target == Target::Visits && !view.unloaded.is_empty() {
            // Every year of visits is needed to know which are already in the ledger.
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("正在读取往年的走访记录……");
            });
            return outcome;
        }
        self.file_row(ui);
        if self.reading.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("正在读取表格……");
            });
        }
        match &self.message {
            Some(Ok(m)) => widgets::hint(ui, m),
            Some(Err(e)) => widgets::error(ui, e),
            None => {}
        }
        let Some(sheets) = self.sheets.clone() else {
            return outcome;
        };
        ui.separator();
        self.columns(ui, &sheets);
        ui.separator();
        self.start_plan(view, &sheets, ui.ctx());
        if self.planning.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("正在逐行核对……");
            });
        }
        if let Some(done) = self.preview(ui, view, actions) {
            outcome = Some(done);
        }
        outcome
    }

    /// Takes what the background threads have finished.
    fn poll(&mut self, remembered: &[(String, Option<Field>)]) {
        if let Some(rx) = &self.reading {
            match rx.try_recv() {
                Ok(Ok(sheets)) => {
                    self.reading = None;
                    self.mappings = sheets
                        .iter()
                        .map(|s| detect_with(s, remembered, self.target))
                        .collect();
                    self.sheets = Some(Arc::new(sheets));
                    self.plan = None;
                }
                Ok(Err(e)) => {
                    self.reading = None;
                    self.message = Some(Err(e));
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    self.reading = None;
                    self.message = Some(Err("读取意外中断，请再试一次。".into()));
                }
            }
        }
        if let Some(rx) = &self.planning {
            match rx.try_recv() {
                Ok(plan) => {
                    self.planning = None;
                    self.plan = Some((self.mappings.clone(), plan));
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.planning = None,
            }
        }
    }

    fn file_row(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let example = match self.target {
                Target::Households => "如 D:\\居委会\\居民信息.xlsx",
                Target::Visits => "如 D:\\居委会\\走访记录.xlsx",
            };
            widgets::text_field(ui, "表格文件", &mut self.path, example, 420.0);
            if let Some(p) =
                self.chooser
                    .button(ui, "选择…", Choose::OpenSheet, &export::default_folder())
            {
                self.path = p.display().to_string();
                self.read(ui.ctx());
            }
            if ui
                .add_enabled(
                    self.reading.is_none() && !self.path.trim().is_empty(),
                    egui::Button::new("读取"),
                )
                .clicked()
            {
                self.read(ui.ctx());
            }
        });
    }

    fn read(&mut self, ctx: &egui::Context) {
        let path = PathBuf::from(self.path.trim());
        self.message = None;
        self.sheets = None;
        self.plan = None;
        self.export = ExportSlot::default();
        match in_background("import-read", ctx, move || {
            crate::import::read(&path).map_err(|e| e.to_string())
        }) {
            Ok(rx) => self.reading = Some(rx),
            Err(e) => {
                self.message = Some(Err(format!("无法开始读取：{}", crate::store::io_text(&e))));
            }
        }
    }

    /// Each sheet's header and the field of each column, to change where the match was wrong.
    fn columns(&mut self, ui: &mut egui::Ui, sheets: &[Sheet]) {
        ui.strong("各列对应的项目（可修改）");
        egui::ScrollArea::vertical()
            .id_salt("import_columns")
            .max_height(180.0)
            .show(ui, |ui| {
                for (s, sheet) in sheets.iter().enumerate() {
                    let Some(Some(map)) = self.mappings.get_mut(s) else {
                        widgets::hint(
                            ui,
                            &format!(
                                "工作表“{}”：没有找到表头（{}），不导入。",
                                sheet.name,
                                self.target.header_words()
                            ),
                        );
                        continue;
                    };
                    ui.label(format!(
                        "工作表“{}”：表头在第 {} 行",
                        sheet.name,
                        map.header_row + 1
                    ));
                    let headings = map.headings(sheet);
                    map.columns.resize(headings.len(), None);
                    ui.horizontal_wrapped(|ui| {
                        for (c, heading) in headings.iter().enumerate() {
                            if heading.is_empty() {
                                continue;
                            }
                            let l = ui.label(format!("{heading} →"));
                            let chosen = map.columns[c];
                            egui::ComboBox::from_id_salt(("import_col", s, c))
                                .selected_text(chosen.map_or("不导入", Field::label))
                                .show_ui(ui, |ui| {
                                    ui.selectable_value(&mut map.columns[c], None, "不导入");
                                    for &f in self.target.fields() {
                                        ui.selectable_value(
                                            &mut map.columns[c],
                                            Some(f),
                                            f.label(),
                                        );
                                    }
                                })
                                .response
                                .labelled_by(l.id);
                            // One column per field: choosing it here takes it from another.
                            if let Some(f) = map.columns[c]
                                && chosen != Some(f)
                            {
                                for (other, col) in map.columns.iter_mut().enumerate() {
                                    if other != c && *col == Some(f) {
                                        *col = None;
                                    }
                                }
                            }
                            ui.add_space(8.0);
                        }
                    });
                }
            });
    }

    /// Starts the dry run on a thread when the columns changed since the last one.
    fn start_plan(&mut self, view: &View<'_>, sheets: &Arc<Vec<Sheet>>, ctx: &egui::Context) {
        let current = self.plan.as_ref().is_some_and(|(m, _)| *m == self.mappings);
        if current || self.planning.is_some() {
            return;
        }
        // The dry run reads what it needs of the ledger, taken now: the ledger may change
        // meanwhile (then it is made again before anything is written).
        let base = Base::of(self.target, view.ledger);
        let sheets = Arc::clone(sheets);
        let mappings = self.mappings.clone();
        let by = view.member.to_owned();
        let today = view.today;
        if let Ok(rx) = in_background("import-plan", ctx, move || {
            Plan::from_base(&base, &sheets, &mappings, &by, today)
        }) {
            self.planning = Some(rx);
        }
    }

    /// The dry run: its counts, its rows, export and 确认导入.
    fn preview(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        actions: &mut Vec<Action>,
    ) -> Option<Outcome> {
        let (mapped, plan) = self.plan.as_ref()?;
        let stale = *mapped != self.mappings;
        let mut outcome = None;
        let mut recheck = false;
        ui.strong(plan.summary());
        ui.horizontal(|ui| {
            let written = plan.what_is_written();
            let label = format!("确认导入（{written}）");
            let can = !view.read_only && !stale && !plan.is_empty();
            if ui.add_enabled(can, egui::Button::new(label)).clicked() {
                if !plan.is_current(view.ledger) {
                    // The ledger changed since the preview: check again before writing.
                    recheck = true;
                    return;
                }
                // The columns the user set by hand are remembered for the next sheet like it.
                let remembered = &view.ledger.committee.import_headings;
                let kept = self.sheets.as_ref().map_or_else(
                    || remembered.clone(),
                    |s| remember(remembered, s, mapped, self.target),
                );
                let mut edits = vec![plan.edit(view.ledger)];
                if kept != *remembered {
                    edits.push(Edit::ImportHeadings(kept));
                }
                actions.push(Action::Edit(
                    format!("从表格导入（{written}）"),
                    Edit::Batch(edits),
                ));
                outcome = Some(Outcome::Closed(Some(format!(
                    "已导入：{written}。出错和重复的行没有导入，改正后可以再导入；如需取消，点“撤销”。"
                ))));
            }
            if ui.button("导出预览结果").clicked() {
                self.export.open("导入预览", view.today);
            }
            ui.checkbox(&mut self.only_problems, "只看需要注意的行");
        });
        if plan.is_empty() {
            widgets::hint(ui, "没有需要写入的内容。");
        }
        self.export.show(ui, || report_sheet(view, plan));
        let rows: Vec<usize> = (0..plan.rows().len())
            .filter(|&i| {
                !self.only_problems || {
                    let r = &plan.rows()[i];
                    r.verdict != Verdict::Add || !r.warnings.is_empty()
                }
            })
            .collect();
        rows_table(ui, plan, &rows);
        if recheck {
            self.plan = None;
            self.message = Some(Err(
                "台账在预览之后有了变动，已重新逐行核对，请看过新的预览后再确认导入。".into(),
            ));
        }
        outcome
    }
}

/// The rows of the dry run, drawn as they scroll into view.
fn rows_table(ui: &mut egui::Ui, plan: &Plan, rows: &[usize]) {
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    TableBuilder::new(ui)
        .striped(true)
        .id_salt("import_rows")
        .column(Column::exact(130.0))
        .column(Column::exact(50.0))
        .column(Column::exact(90.0))
        .column(Column::exact(190.0))
        .column(Column::remainder().at_least(300.0))
        .column(Column::exact(260.0))
        .header(row_height, |mut header| {
            for t in ["工作表", "行", "姓名", "地址", "结果", "提示"] {
                header.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let Some(r) = rows.get(row.index()).and_then(|&i| plan.rows().get(i)) else {
                    return;
                };
                row.col(|ui| {
                    ui.label(&r.sheet);
                });
                row.col(|ui| {
                    ui.label(r.row.to_string());
                });
                row.col(|ui| {
                    ui.label(&r.name);
                });
                row.col(|ui| {
                    ui.label(&r.address);
                });
                row.col(|ui| {
                    let text = r.verdict.text();
                    match r.verdict {
                        Verdict::Error(_) => {
                            widgets::error(ui, &text);
                        }
                        Verdict::Duplicate(_) => {
                            let c = ui.visuals().warn_fg_color;
                            ui.label(egui::RichText::new(&text).color(c))
                                .on_hover_text(&text);
                        }
                        _ => {
                            ui.label(&text).on_hover_text(&text);
                        }
                    }
                });
                row.col(|ui| {
                    let all = r.warnings.join("；");
                    ui.label(&all).on_hover_text(&all);
                });
            });
        });
}

/// The dry run as a list to export: one line per row.
fn report_sheet(view: &View<'_>, plan: &Plan) -> PrintSheet {
    PrintSheet {
        committee: view.committee_name(),
        title: "导入预览".to_owned(),
        conditions: plan.summary(),
        date: super::home::date_text(view.today),
        printed_by: view.member.to_owned(),
        headers: ["工作表", "行", "姓名", "地址", "结果", "提示"]
            .map(str::to_owned)
            .to_vec(),
        rows: plan
            .rows()
            .iter()
            .map(|r| {
                vec![
                    r.sheet.clone(),
                    r.row.to_string(),
                    r.name.clone(),
                    r.address.clone(),
                    r.verdict.text(),
                    r.warnings.join("；"),
                ]
            })
            .collect(),
    }
}
