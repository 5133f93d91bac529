//! One practical project's page, following its life as Putuo 003 sets it out: the stages
//! passed and what comes next (a step out of order is refused with the rule, or taken as an
//! exception with its reason); the need and the problems it came from; the plan and the
//! consultation meetings; the notices (公示期) with 预览公示 as they will be published; the
//! approval record; the steps of the work with progress computed from them; money, budget
//! against the fund payments linked to it (entered in 经费); the outcome; the surveys against
//! the committee's threshold; rectifications; exceptions. Forms are in `project_forms`.

use super::print;
use super::project_forms::Form;
use super::{Action, View, widgets};
use crate::model::draft::{
    ApprovalDraft, MeetingDraft, NoticeDraft, NoticeKind, StageDraft, SurveyDraft, WorkDraft,
};
use crate::model::project_flow::project_payments;
use crate::model::{Edit, Fen, Payee, Project, ProjectId, ProjectStage, Tally};
use crate::publish::preview::{Notice, project_notice};
use eframe::egui;

/// The page of one project.
pub struct ProjectPage {
    id: ProjectId,
    form: Option<Form>,
    /// Why the form's last try was refused.
    error: Option<String>,
    /// What was done last.
    message: Option<String>,
    preview: Option<Result<print::Opened, print::PrintError>>,
}

impl ProjectPage {
    /// The page of project `id`.
    pub fn new(id: ProjectId) -> ProjectPage {
        ProjectPage {
            id,
            form: None,
            error: None,
            message: None,
            preview: None,
        }
    }

    /// The ledger changed (an undo may have taken the form's ground away).
    pub fn invalidate(&mut self) {
        self.error = None;
    }

    /// Shows the page; false when 返回列表 was clicked or the project is gone.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) -> bool {
        let Some(p) = view.ledger.projects.project(self.id) else {
            return false;
        };
        let mut keep = true;
        ui.horizontal(|ui| {
            if ui.button("← 返回列表").clicked() {
                keep = false;
            }
            for (label, notice) in [
                ("预览方案公示", Notice::Plan),
                ("预览结果公示", Notice::Outcome),
            ] {
                if ui
                    .button(label)
                    .on_hover_text("按发布时的样子在浏览器中打开公示栏页面（不会保存到电脑上）")
                    .clicked()
                {
                    self.preview = Some(preview(view, p.id, notice));
                }
            }
            if let Some(m) = &self.message {
                widgets::hint(ui, m);
            }
        });
        if let Some(opened) = &mut self.preview {
            print::show_opened(ui, opened);
        }
        ui.heading(format!("第 {} 号实事项目：{}", p.id.0, p.title));
        let responsible = p
            .responsible
            .and_then(|w| view.ledger.committee.worker(w))
            .map_or("未指定", |w| w.name.as_str());
        widgets::hint(
            ui,
            &format!(
                "{}年 · {} · {}（{}）· 负责人 {responsible}",
                p.year,
                p.category,
                p.fund.label(),
                p.fund_category.label()
            ),
        );
        self.stage_track(ui, view, p);
        self.form_ui(ui, view, p, actions);
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.sections(ui, view, p, actions);
            });
        keep
    }

    /// The stages passed, the current one, and 推进 to the next.
    fn stage_track(&mut self, ui: &mut egui::Ui, view: &View<'_>, p: &Project) {
        let threshold = view.ledger.committee.satisfaction_threshold;
        ui.horizontal_wrapped(|ui| {
            for s in ProjectStage::ALL {
                let reached = p.reached(s);
                if s == ProjectStage::Rectifying && reached.is_none() {
                    continue;
                }
                let text = if s == p.stage {
                    egui::RichText::new(format!("● {}", s.label())).strong()
                } else if reached.is_some() {
                    egui::RichText::new(format!("✓ {}", s.label()))
                } else {
                    egui::RichText::new(s.label()).weak()
                };
                ui.label(text).on_hover_text(
                    reached.map_or_else(|| "尚未到达".to_owned(), |d| format!("{d}")),
                );
                if s != ProjectStage::Done {
                    ui.label(egui::RichText::new("→").weak());
                }
            }
        });
        ui.horizontal(|ui| match p.next_stage(threshold) {
            Some(next) => {
                ui.strong(format!("下一步：{}", next.label()));
                if let Some(rule) = p.check_stage(next, view.today, threshold) {
                    widgets::hint(ui, &format!("（还需：{rule}）"));
                }
                if self.form.is_none()
                    && ui
                        .add_enabled(
                            !view.read_only,
                            egui::Button::new(format!("推进到“{}”", next.label())),
                        )
                        .clicked()
                {
                    self.open(Form::Stage(StageDraft::new(view.today)));
                }
            }
            None => {
                ui.strong("项目已完成");
            }
        });
    }

    fn open(&mut self, form: Form) {
        self.form = Some(form);
        self.error = None;
        self.message = None;
    }

    /// The open form, its refusal, and 保存 / 取消.
    fn form_ui(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        p: &Project,
        actions: &mut Vec<Action>,
    ) {
        let Some(form) = &mut self.form else {
            return;
        };
        let threshold = view.ledger.committee.satisfaction_threshold;
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let title = form.title(p, threshold);
            ui.strong(&title);
            form.fields(ui, self.error.is_some());
            if let Some(e) = &self.error {
                widgets::error(ui, e);
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!view.read_only, egui::Button::new("保存"))
                    .clicked()
                {
                    match form.apply(p, view) {
                        Ok(next) => {
                            actions.push(Action::Edit(
                                format!("{} {title}", p.title),
                                Edit::Project(p.id, Some(Box::new(next))),
                            ));
                            self.message = Some(format!("已保存：{title}"));
                            close = true;
                        }
                        Err(e) => self.error = Some(e),
                    }
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.form = None;
            self.error = None;
        }
    }

    fn sections(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        p: &Project,
        actions: &mut Vec<Action>,
    ) {
        let writable = !view.read_only && self.form.is_none();
        let today = view.today;
        section(ui, "居民需求与问题");
        ui.label(&p.need);
        for id in &p.problems {
            if let Some(x) = view.ledger.problems.problem(*id) {
                ui.horizontal(|ui| {
                    ui.label(format!(
                        "问题清单第 {} 号：{}（{}）",
                        id.0,
                        x.title,
                        x.status.label()
                    ));
                    if ui.small_button("打开问题").clicked() {
                        actions.push(Action::OpenProblem(*id));
                    }
                });
            }
        }

        section(ui, "实施方案");
        text_or_hint(ui, &p.plan, "还没有写方案。");
        if p.stage < ProjectStage::PlanPublished && button(ui, writable, "编辑方案") {
            self.open(Form::Plan(p.plan.clone()));
        }

        section(ui, "协商会议");
        meetings(ui, p);
        if button(ui, writable, "登记会议") {
            self.open(Form::Meeting(MeetingDraft::new(today)));
        }

        section(ui, "公示");
        for (label, period, kind, posted) in [
            (
                "方案公示期",
                p.plan_notice,
                NoticeKind::Plan,
                ProjectStage::PlanPublished,
            ),
            (
                "结果公示期",
                p.outcome_notice,
                NoticeKind::Outcome,
                ProjectStage::OutcomePublished,
            ),
        ] {
            ui.horizontal(|ui| {
                let text = period.map_or("未设置".to_owned(), |n| {
                    format!("{} 至 {}", n.from, n.to)
                });
                ui.label(format!("{label}：{text}"));
                if p.stage < posted && button(ui, writable, &format!("设置{label}")) {
                    self.open(Form::Notice(NoticeDraft::new(p, kind, today)));
                }
            });
        }

        section(ui, "审批备案");
        match &p.approval {
            Some(a) => {
                ui.label(format!(
                    "{} 备案；预算 {} 元；完成期限 {}；实施安排：{}",
                    a.filed_on, a.budget, a.deadline, a.schedule
                ));
            }
            None => widgets::hint(ui, "还没有填写专项经费使用审批备案表。"),
        }
        if p.stage <= ProjectStage::Approved && button(ui, writable, "填写审批备案表") {
            self.open(Form::Approval(ApprovalDraft::new(p, today)));
        }

        self.work_section(ui, view, p, writable);
        money(ui, view, p, actions);

        section(ui, "实施结果");
        text_or_hint(ui, &p.outcome, "还没有写实施结果。");
        if p.stage < ProjectStage::OutcomePublished && button(ui, writable, "编辑实施结果") {
            self.open(Form::Outcome(p.outcome.clone()));
        }

        self.survey_section(ui, view, p, writable);
        exceptions(ui, view, p);
    }

    fn work_section(&mut self, ui: &mut egui::Ui, view: &View<'_>, p: &Project, writable: bool) {
        section(ui, "实施进度");
        match p.progress_percent() {
            Some(x) => {
                ui.add(
                    egui::ProgressBar::new(x as f32 / 100.0)
                        .desired_width(360.0)
                        .text(format!("完成 {x}%（按已完成节点所占工作量计算）")),
                );
            }
            None => widgets::hint(ui, "还没有列出进度节点。"),
        }
        let started = p.reached(ProjectStage::InProgress).is_some();
        let mut done = None;
        egui::Grid::new("work_items")
            .num_columns(5)
            .striped(true)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                if !p.work.is_empty() {
                    for t in ["进度节点", "计划完成", "实际完成", "占工作量", ""] {
                        ui.strong(t);
                    }
                    ui.end_row();
                }
                for (i, w) in p.work.iter().enumerate() {
                    ui.label(&w.name);
                    ui.label(w.planned.to_string());
                    match w.done_on {
                        Some(d) => ui.label(d.to_string()),
                        None if w.planned < view.today => {
                            ui.colored_label(ui.visuals().warn_fg_color, "逾期未完成")
                        }
                        None => ui.label("未完成"),
                    };
                    ui.label(format!("{}%", w.share));
                    if w.done_on.is_none()
                        && started
                        && button(ui, writable, &format!("完成“{}”", w.name))
                    {
                        done = Some(i);
                    }
                    ui.end_row();
                }
            });
        if let Some(i) = done {
            self.open(Form::WorkDone(i, view.today.to_string()));
        }
        if p.stage < ProjectStage::Closed && button(ui, writable, "添加进度节点") {
            self.open(Form::Work(WorkDraft::default()));
        }
    }

    fn survey_section(&mut self, ui: &mut egui::Ui, view: &View<'_>, p: &Project, writable: bool) {
        let threshold = view.ledger.committee.satisfaction_threshold;
        section(ui, "满意度测评");
        widgets::hint(
            ui,
            &format!(
                "满意度 =（满意 + 基本满意）÷ 该项票数；任一项低于 {threshold}% 需整改并再次测评。"
            ),
        );
        if !p.surveys.is_empty() {
            egui::Grid::new("surveys")
                .num_columns(6)
                .striped(true)
                .spacing([16.0, 4.0])
                .show(ui, |ui| {
                    for t in [
                        "日期",
                        "方式",
                        "参加人数",
                        "解决过程",
                        "实施力度",
                        "最终结果",
                    ] {
                        ui.strong(t);
                    }
                    ui.end_row();
                    for s in &p.surveys {
                        ui.label(s.on.to_string());
                        ui.label(s.method.label());
                        ui.label(s.respondent_count().to_string());
                        for t in [s.process, s.effort, s.result] {
                            tally_cell(ui, &t, threshold);
                        }
                        ui.end_row();
                    }
                });
        }
        if p.stage >= ProjectStage::OutcomePublished
            && p.stage != ProjectStage::Done
            && button(ui, writable, "录入测评")
        {
            self.open(Form::Survey(SurveyDraft::new(view.today)));
        }
        if !p.rectifications.is_empty() || p.satisfaction_below(threshold) {
            section(ui, "整改");
            for r in &p.rectifications {
                ui.label(format!("{}：{}", r.on, r.what));
            }
            if p.rectifications.is_empty() && !p.rectification.is_empty() {
                ui.label(&p.rectification);
            }
            if p.satisfaction_below(threshold) && button(ui, writable, "登记整改") {
                self.open(Form::Rectify(view.today.to_string(), String::new()));
            }
        }
    }
}

/// Opens a notice in the browser as it will be published, or says why not.
fn preview(
    view: &View<'_>,
    id: ProjectId,
    notice: Notice,
) -> Result<print::Opened, print::PrintError> {
    print::open_notice(view, |settings, root| {
        project_notice(view.ledger, settings, root, id, notice, view.today)
    })
}

fn section(ui: &mut egui::Ui, title: &str) {
    ui.add_space(10.0);
    ui.strong(title);
}

fn text_or_hint(ui: &mut egui::Ui, text: &str, missing: &str) {
    if text.trim().is_empty() {
        widgets::hint(ui, missing);
    } else {
        ui.label(text);
    }
}

fn button(ui: &mut egui::Ui, enabled: bool, label: &str) -> bool {
    ui.add_enabled(enabled, egui::Button::new(label)).clicked()
}

fn meetings(ui: &mut egui::Ui, p: &Project) {
    if p.meetings.is_empty() {
        widgets::hint(ui, "还没有登记会议。");
        return;
    }
    egui::Grid::new("meetings")
        .num_columns(5)
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for t in ["日期", "形式", "参加人数", "议题", "决定"] {
                ui.strong(t);
            }
            ui.end_row();
            for m in &p.meetings {
                ui.label(m.on.to_string());
                ui.label(m.kind.label());
                ui.label(m.attendance.to_string());
                ui.label(&m.topic);
                ui.label(&m.decision);
                ui.end_row();
            }
        });
}

/// Budget against what was spent: the fund payments linked to the project.
fn money(ui: &mut egui::Ui, view: &View<'_>, p: &Project, actions: &mut Vec<Action>) {
    section(ui, "经费");
    let (payments, spent) = project_payments(view.ledger, p.id);
    let share = (p.budget > Fen(0)).then(|| spent.0 * 100 / p.budget.0);
    let line = format!(
        "预算 {} 元，已支出 {spent} 元{}；工作进度 {}",
        p.budget,
        share.map_or(String::new(), |s| format!("（{s}%）")),
        p.progress_percent()
            .map_or("—".to_owned(), |x| format!("{x}%"))
    );
    if p.budget > Fen(0) && spent > p.budget {
        widgets::error(ui, &format!("{line}：已超出预算"));
    } else {
        ui.label(line);
    }
    widgets::hint(
        ui,
        "支出在“经费”中登记并关联到本项目，这里只显示；点日期打开那笔支出。",
    );
    if payments.is_empty() {
        return;
    }
    egui::Grid::new("project_payments")
        .num_columns(4)
        .striped(true)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for t in ["日期", "用途", "收款方", "金额（元）"] {
                ui.strong(t);
            }
            ui.end_row();
            for x in payments {
                if ui
                    .link(x.on.to_string())
                    .on_hover_text("在“经费”中打开这笔支出")
                    .clicked()
                {
                    actions.push(Action::OpenPayment(x.id));
                }
                ui.label(&x.purpose);
                ui.label(match &x.payee {
                    Payee::Organisation { name, .. } => name.as_str(),
                    Payee::Individual { .. } => "个人（不公开）",
                });
                ui.label(x.amount.to_string());
                ui.end_row();
            }
        });
}

fn tally_cell(ui: &mut egui::Ui, t: &Tally, threshold: u32) {
    let Some(x) = t.satisfaction_percent() else {
        ui.label("—");
        return;
    };
    let text = format!("{x:.1}%（{}/{}/{}）", t.satisfied, t.fair, t.dissatisfied);
    if x < f64::from(threshold) {
        widgets::error(ui, &text);
    } else {
        ui.label(text);
    }
}

fn exceptions(ui: &mut egui::Ui, view: &View<'_>, p: &Project) {
    if p.exceptions.is_empty() {
        return;
    }
    section(ui, "例外记录");
    for e in &p.exceptions {
        let who =
            e.by.and_then(|w| view.ledger.committee.worker(w))
                .map_or(String::new(), |w| format!("，{}", w.name));
        ui.label(format!(
            "{} 推进到“{}”{who}：{}（原规则：{}）",
            e.on,
            e.stage.label(),
            e.reason,
            e.rule
        ));
    }
}
