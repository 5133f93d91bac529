//! The forms of a project's page, one open at a time: the next stage (with an exception's
//! reason when a rule refuses), the plan, a meeting, a notice period, the approval record, a
//! step of the work and its completion, the outcome, a survey's tallies, a rectification.
//! Each gives the project changed, as one edit; the rules are in `model::draft`.

use super::{View, widgets};
use crate::model::draft::{
    ApprovalDraft, MeetingDraft, NoticeDraft, NoticeKind, SURVEY_DIMENSIONS, StageDraft,
    SurveyDraft, WorkDraft, rectified, work_done,
};
use crate::model::{MeetingKind, Project, SurveyMethod};
use eframe::egui;

/// The form open on a project's page.
pub enum Form {
    /// 推进到下一阶段.
    Stage(StageDraft),
    /// 编辑方案.
    Plan(String),
    /// 登记会议.
    Meeting(MeetingDraft),
    /// 方案公示期 or 结果公示期.
    Notice(NoticeDraft),
    /// 审批备案表.
    Approval(ApprovalDraft),
    /// 添加进度节点.
    Work(WorkDraft),
    /// A step of the work done: which, and when.
    WorkDone(usize, String),
    /// 实施结果.
    Outcome(String),
    /// 录入测评.
    Survey(SurveyDraft),
    /// 登记整改: when, what.
    Rectify(String, String),
}

impl Form {
    /// What the form is called (its heading, and the undo label).
    pub fn title(&self, p: &Project, threshold: u32) -> String {
        match self {
            Form::Stage(_) => p.next_stage(threshold).map_or_else(
                || "项目已完成".to_owned(),
                |s| format!("推进到“{}”", s.label()),
            ),
            Form::Plan(_) => "编辑实施方案".into(),
            Form::Meeting(_) => "登记协商会议".into(),
            Form::Notice(n) => match n.kind {
                NoticeKind::Plan => "方案公示期".into(),
                NoticeKind::Outcome => "结果公示期".into(),
            },
            Form::Approval(_) => "专项经费使用审批备案表".into(),
            Form::Work(_) => "添加进度节点".into(),
            Form::WorkDone(i, _) => p
                .work
                .get(*i)
                .map_or_else(String::new, |w| format!("完成“{}”", w.name)),
            Form::Outcome(_) => "实施结果".into(),
            Form::Survey(_) => "录入满意度测评".into(),
            Form::Rectify(..) => "登记整改".into(),
        }
    }

    /// Shows the fields.
    pub fn fields(&mut self, ui: &mut egui::Ui, refused: bool) {
        egui::Grid::new("project_form")
            .num_columns(2)
            .spacing([16.0, 8.0])
            .show(ui, |ui| match self {
                Form::Stage(d) => stage_fields(ui, d, refused),
                Form::Plan(text) | Form::Outcome(text) => {
                    let l = ui.label("内容");
                    ui.add(
                        egui::TextEdit::multiline(text)
                            .hint_text("将会公示：不要写居民姓名、门牌号和电话")
                            .desired_rows(4)
                            .desired_width(560.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                }
                Form::Meeting(d) => meeting_fields(ui, d),
                Form::Notice(d) => {
                    widgets::text_field(ui, "公示开始", &mut d.from, "2026-03-10", 110.0);
                    ui.end_row();
                    widgets::text_field(ui, "公示结束", &mut d.to, "2026-03-16", 110.0);
                    ui.end_row();
                }
                Form::Approval(d) => {
                    widgets::text_field(ui, "备案日期", &mut d.filed_on, "", 110.0);
                    ui.end_row();
                    widgets::text_field(ui, "实施进度安排", &mut d.schedule, "", 420.0);
                    ui.end_row();
                    widgets::text_field(ui, "预算（元）", &mut d.budget, "如 6000", 140.0);
                    ui.end_row();
                    widgets::text_field(ui, "完成期限", &mut d.deadline, "2026-06-30", 110.0);
                    ui.end_row();
                }
                Form::Work(d) => {
                    widgets::text_field(ui, "进度节点", &mut d.name, "如 基础施工", 240.0);
                    ui.end_row();
                    widgets::text_field(ui, "计划完成", &mut d.planned, "2026-04-15", 110.0);
                    ui.end_row();
                    widgets::text_field(ui, "占工作量（%）", &mut d.share, "如 40", 80.0);
                    ui.end_row();
                }
                Form::WorkDone(_, on) => {
                    widgets::text_field(ui, "完成日期", on, "", 110.0);
                    ui.end_row();
                }
                Form::Survey(d) => survey_fields(ui, d),
                Form::Rectify(on, what) => {
                    widgets::text_field(ui, "整改日期", on, "", 110.0);
                    ui.end_row();
                    widgets::text_field(ui, "整改情况", what, "将随结果公示", 420.0);
                    ui.end_row();
                }
            });
    }

    /// The project with the form applied, or why not.
    pub fn apply(&self, p: &Project, view: &View<'_>) -> Result<Project, String> {
        let threshold = view.ledger.committee.satisfaction_threshold;
        let by = view.member_worker();
        match self {
            Form::Stage(d) => d.apply(p, threshold, by),
            Form::Plan(text) => {
                if p.stage >= crate::model::ProjectStage::PlanPublished {
                    return Err("方案已经公示，不能再改。".into());
                }
                let mut q = p.clone();
                text.trim().clone_into(&mut q.plan);
                Ok(q)
            }
            Form::Outcome(text) => {
                if p.stage >= crate::model::ProjectStage::OutcomePublished {
                    return Err("结果已经公示，不能再改。".into());
                }
                let mut q = p.clone();
                text.trim().clone_into(&mut q.outcome);
                Ok(q)
            }
            Form::Meeting(d) => d.apply(p),
            Form::Notice(d) => d.apply(p),
            Form::Approval(d) => d.apply(p),
            Form::Work(d) => d.apply(p),
            Form::WorkDone(i, on) => work_done(p, *i, on),
            Form::Survey(d) => d.apply(p),
            Form::Rectify(on, what) => rectified(p, on, what, by),
        }
    }
}

fn stage_fields(ui: &mut egui::Ui, d: &mut StageDraft, refused: bool) {
    widgets::text_field(ui, "到达日期", &mut d.on, "2026-03-15", 110.0);
    ui.end_row();
    widgets::text_field(ui, "说明", &mut d.note, "可不填", 420.0);
    ui.end_row();
    // An exception is offered once a rule has refused the step.
    if refused || d.exception {
        ui.label("");
        ui.checkbox(&mut d.exception, "作为例外推进（须写明原因，记录在案）");
        ui.end_row();
        if d.exception {
            widgets::text_field(ui, "例外原因", &mut d.reason, "如 街道同意先行抢修", 420.0);
            ui.end_row();
        }
    }
}

fn meeting_fields(ui: &mut egui::Ui, d: &mut MeetingDraft) {
    let l = ui.label("会议形式");
    egui::ComboBox::from_id_salt("meeting_kind")
        .selected_text(d.kind.label())
        .show_ui(ui, |ui| {
            for k in MeetingKind::ALL {
                ui.selectable_value(&mut d.kind, k, k.label());
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
    widgets::text_field(ui, "会议日期", &mut d.on, "", 110.0);
    ui.end_row();
    widgets::text_field(ui, "参加人数", &mut d.attendance, "", 60.0);
    ui.end_row();
    widgets::text_field(ui, "议题", &mut d.topic, "", 420.0);
    ui.end_row();
    widgets::text_field(ui, "决定", &mut d.decision, "将会公示", 420.0);
    ui.end_row();
}

fn survey_fields(ui: &mut egui::Ui, d: &mut SurveyDraft) {
    widgets::text_field(ui, "测评日期", &mut d.on, "", 110.0);
    ui.end_row();
    ui.label("方式");
    ui.horizontal(|ui| {
        for m in [SurveyMethod::ReviewMeeting, SurveyMethod::RandomSample] {
            ui.radio_value(&mut d.method, m, m.label());
        }
    });
    ui.end_row();
    widgets::text_field(ui, "参加人数", &mut d.respondents, "", 60.0);
    ui.end_row();
    ui.label("票数");
    egui::Grid::new("survey_tallies")
        .num_columns(4)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for t in ["", "满意", "基本满意", "不满意"] {
                ui.strong(t);
            }
            ui.end_row();
            for (dimension, row) in SURVEY_DIMENSIONS.iter().zip(d.tallies.iter_mut()) {
                ui.label(*dimension);
                for (cell, what) in row.iter_mut().zip(["满意", "基本满意", "不满意"]) {
                    let r = ui.add(egui::TextEdit::singleline(cell).desired_width(56.0));
                    // Named for screen readers (and the tests): 解决过程 满意.
                    r.widget_info(|| {
                        egui::WidgetInfo::labeled(
                            egui::accesskit::Role::TextInput,
                            true,
                            format!("{dimension} {what}"),
                        )
                    });
                }
                ui.end_row();
            }
        });
    ui.end_row();
}
