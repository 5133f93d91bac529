//! One problem's page: where it came from (the visit's household or the reception opens from
//! here), the household with its head's ID number and phone masked until asked for, what it
//! is, every step with date and who, the 回访 and how it went, the project it joined; and the
//! form for the next step (受理, 化解路径, 转交, 协商会议, 答复, 确认, 进展, 办结 with its 回访
//! date, 重新打开). Each step is an edit, undone like any other.

use super::{Action, View, widgets};
use crate::model::draft::{StepChoice, StepDraft, follow_up_edit, parse_day};
use crate::model::{Edit, MeetingKind, Problem, ProblemId, ProblemSource, ResolutionPath, Verdict};
use eframe::egui;
use std::collections::HashSet;

/// The page of one problem.
pub struct ProblemPage {
    id: ProblemId,
    step: Option<(StepDraft, Option<String>)>,
    follow_up: Option<FollowUpForm>,
    revealed: HashSet<u8>,
}

/// A 回访 recorded without a visit (by phone, met in the street).
struct FollowUpForm {
    on: String,
    verdict: Verdict,
    note: String,
    error: Option<String>,
}

impl ProblemPage {
    /// The page of problem `id`.
    pub fn new(id: ProblemId) -> ProblemPage {
        ProblemPage {
            id,
            step: None,
            follow_up: None,
            revealed: HashSet::new(),
        }
    }

    /// The problem shown.
    pub fn id(&self) -> ProblemId {
        self.id
    }

    /// Shows the page; returns false when 返回列表 was clicked (or the problem is gone, undone).
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) -> bool {
        let Some(p) = view.ledger.problems.problem(self.id) else {
            return false;
        };
        let mut keep = true;
        ui.horizontal(|ui| {
            if ui.button("← 返回列表").clicked() {
                keep = false;
            }
            let writable = !view.read_only;
            let label = if p.status.is_closed() {
                "重新打开"
            } else {
                "记录下一步"
            };
            if self.step.is_none() && ui.add_enabled(writable, egui::Button::new(label)).clicked() {
                self.step = Some((StepDraft::new(p, view.today, view.member_worker()), None));
            }
            if self.follow_up.is_none()
                && p.follow_up_pending().is_some()
                && ui
                    .add_enabled(writable, egui::Button::new("登记回访结果"))
                    .clicked()
            {
                self.follow_up = Some(FollowUpForm {
                    on: view.today.format("%Y-%m-%d").to_string(),
                    verdict: Verdict::Satisfied,
                    note: String::new(),
                    error: None,
                });
            }
        });
        ui.add_space(4.0);
        let title = format!("第 {} 号问题：{}", p.id.0, p.title);
        ui.heading(title);
        ui.horizontal(|ui| {
            ui.strong(p.status.label());
            if p.prominent {
                let colour = ui.visuals().warn_fg_color;
                ui.label(egui::RichText::new("突出问题").color(colour).strong());
            }
            if let Some(x) = p.project.and_then(|x| view.ledger.projects.project(x)) {
                widgets::hint(
                    ui,
                    &format!("已纳入实事项目“{}”（{}）", x.title, x.stage.label()),
                );
                if ui.small_button("打开项目").clicked() {
                    actions.push(Action::OpenProject(x.id));
                }
            }
        });
        ui.separator();
        egui::ScrollArea::vertical().show(ui, |ui| {
            self.step_form(ui, view, p, actions);
            self.follow_up_form(ui, view, p, actions);
            self.facts(ui, view, p, actions);
            ui.add_space(12.0);
            timeline(ui, view, p);
            follow_up_line(ui, view, p);
        });
        keep
    }

    /// What the problem is and where it came from.
    fn facts(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        p: &Problem,
        actions: &mut Vec<Action>,
    ) {
        let ledger = view.ledger;
        let book = &ledger.households;
        egui::Grid::new("problem_facts")
            .num_columns(2)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                ui.label("提出");
                ui.horizontal(|ui| {
                    ui.label(format!("{}，来源：{}", p.raised_on, p.source.label()));
                    match &p.source {
                        ProblemSource::Visit(v) => {
                            let visit = ledger.all_visits().find(|x| x.id == *v);
                            if let Some(visit) = visit {
                                ui.label(format!("（{} 走访）", visit.at.format("%Y-%m-%d %H:%M")));
                                if ui.small_button("打开这次走访的居民户").clicked() {
                                    actions.push(Action::OpenHousehold(visit.household));
                                }
                            }
                        }
                        ProblemSource::Reception(r) => {
                            if ui.small_button("打开这次接待").clicked() {
                                actions.push(Action::OpenReception(*r));
                            }
                        }
                        ProblemSource::Hotline(n) => {
                            ui.label(format!("工单号 {n}"));
                        }
                        ProblemSource::Other(what) => {
                            ui.label(what);
                        }
                        ProblemSource::Patrol => {}
                    }
                });
                ui.end_row();
                if let Some(h) = p.household.and_then(|id| book.household(id)) {
                    ui.label("居民户");
                    ui.vertical(|ui| {
                        ui.horizontal(|ui| {
                            let head = h.head().map_or(String::new(), |x| x.name.clone());
                            ui.label(format!("{}　{head}", book.address_of(h)));
                            if ui.small_button("打开这一户").clicked() {
                                actions.push(Action::OpenHousehold(h.id));
                            }
                        });
                        let head = h.head();
                        let phone = head.and_then(|x| x.phone.as_ref()).or(h.phone.as_ref());
                        if let Some(phone) = phone {
                            ui.horizontal(|ui| {
                                ui.label("电话");
                                self.secret(ui, 0, &phone.masked(), phone.as_str(), actions);
                            });
                        }
                        if let Some(id) = head.and_then(|x| x.id_number.as_ref()) {
                            ui.horizontal(|ui| {
                                ui.label("户主身份证号");
                                self.secret(ui, 1, &id.masked(), id.as_str(), actions);
                            });
                        }
                    });
                    ui.end_row();
                }
                if !p.location.is_empty() {
                    ui.label("地点");
                    ui.label(&p.location);
                    ui.end_row();
                }
                ui.label("分类");
                ui.label(&p.category);
                ui.end_row();
                ui.label("化解路径");
                ui.label(p.path.label());
                ui.end_row();
                ui.label("责任人");
                let name = p
                    .assigned_to
                    .and_then(|w| ledger.committee.worker(w))
                    .map_or("未指定", |w| w.name.as_str());
                ui.label(name);
                ui.end_row();
                if !p.description.is_empty() {
                    ui.label("详细情况");
                    ui.label(&p.description);
                    ui.end_row();
                }
                if p.status.is_closed() {
                    ui.label("给居民的答复");
                    ui.label(&p.answer);
                    ui.end_row();
                }
            });
    }

    fn secret(
        &mut self,
        ui: &mut egui::Ui,
        key: u8,
        masked: &str,
        full: &str,
        actions: &mut Vec<Action>,
    ) {
        let mut shown = self.revealed.contains(&key);
        if widgets::masked(ui, masked, full, &mut shown) {
            actions.push(Action::CopySecret(full.to_owned()));
        }
        if shown {
            self.revealed.insert(key);
        } else {
            self.revealed.remove(&key);
        }
    }

    /// The form of the next step.
    fn step_form(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        p: &Problem,
        actions: &mut Vec<Action>,
    ) {
        let Some((draft, error)) = &mut self.step else {
            return;
        };
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                if p.status.is_closed() {
                    draft.choice = StepChoice::Reopen;
                    ui.strong("重新打开");
                } else {
                    for c in StepChoice::WHILE_OPEN {
                        ui.selectable_value(&mut draft.choice, c, c.label());
                    }
                }
            });
            egui::Grid::new("problem_step")
                .num_columns(2)
                .spacing([16.0, 8.0])
                .show(ui, |ui| step_fields(ui, view, draft));
            if let Some(e) = error.as_deref() {
                widgets::error(ui, e);
            }
            ui.horizontal(|ui| {
                let label = match draft.choice {
                    StepChoice::Close => "确认办结",
                    StepChoice::Reopen => "确认重新打开",
                    _ => "保存这一步",
                };
                if ui
                    .add_enabled(!view.read_only, egui::Button::new(label))
                    .clicked()
                {
                    match draft.apply(p) {
                        Ok(next) => {
                            let what = format!("第{}号问题 {}", p.id.0, draft.choice.label());
                            actions.push(Action::Edit(
                                what,
                                Edit::Problem(p.id, Some(Box::new(next))),
                            ));
                            close = true;
                        }
                        Err(e) => *error = Some(e),
                    }
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.step = None;
        }
        ui.add_space(8.0);
    }

    /// 登记回访结果 without a visit.
    fn follow_up_form(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        p: &Problem,
        actions: &mut Vec<Action>,
    ) {
        let Some(form) = &mut self.follow_up else {
            return;
        };
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.strong("登记回访结果");
            widgets::hint(
                ui,
                "上门回访请在“走访”里登记（待回访一栏），结果会自动记到这里。",
            );
            ui.horizontal(|ui| {
                widgets::text_field(ui, "回访日期", &mut form.on, "", 110.0);
                for v in Verdict::ALL {
                    ui.radio_value(&mut form.verdict, v, v.label());
                }
            });
            widgets::text_field(ui, "居民意见", &mut form.note, "", 420.0);
            if let Some(e) = &form.error {
                widgets::error(ui, e);
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!view.read_only, egui::Button::new("保存回访结果"))
                    .clicked()
                {
                    let edit = parse_day(&form.on)
                        .ok_or_else(|| "请按 2026-03-15 的格式填写回访日期".to_owned())
                        .and_then(|on| {
                            follow_up_edit(
                                p,
                                on,
                                view.member_worker(),
                                None,
                                form.verdict,
                                &form.note,
                            )
                        });
                    match edit {
                        Ok(edit) => {
                            actions.push(Action::Edit(format!("第{}号问题 回访", p.id.0), edit));
                            close = true;
                        }
                        Err(e) => form.error = Some(e),
                    }
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.follow_up = None;
        }
        ui.add_space(8.0);
    }
}

/// The fields the chosen step needs.
fn step_fields(ui: &mut egui::Ui, view: &View<'_>, d: &mut StepDraft) {
    widgets::text_field(ui, "日期", &mut d.on, "2026-03-15", 110.0);
    ui.end_row();
    widgets::worker_picker(
        ui,
        "step_by",
        "经办人",
        &view.ledger.committee,
        view.today,
        &mut d.by,
    );
    ui.end_row();
    let note_label = match d.choice {
        StepChoice::Path => {
            let label = ui.label("化解路径");
            egui::ComboBox::from_id_salt("step_path")
                .selected_text(d.path.label())
                .show_ui(ui, |ui| {
                    for p in ResolutionPath::ALL {
                        ui.selectable_value(&mut d.path, p, p.label());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            "说明"
        }
        StepChoice::Refer => {
            widgets::text_field(
                ui,
                "转交部门",
                &mut d.department,
                "如 房管办、城管中队",
                240.0,
            );
            ui.end_row();
            "说明"
        }
        StepChoice::Meeting => {
            let label = ui.label("会议");
            egui::ComboBox::from_id_salt("step_meeting")
                .selected_text(d.meeting_kind.label())
                .show_ui(ui, |ui| {
                    for k in MeetingKind::ALL {
                        ui.selectable_value(&mut d.meeting_kind, k, k.label());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            widgets::text_field(ui, "参加人数", &mut d.attendance, "", 60.0);
            ui.end_row();
            widgets::text_field(ui, "议题", &mut d.topic, "", 360.0);
            ui.end_row();
            widgets::text_field(ui, "决定", &mut d.decision, "", 360.0);
            ui.end_row();
            "备注"
        }
        StepChoice::Answer => "答复内容",
        StepChoice::Confirm => "居民意见",
        StepChoice::Close => {
            ui.label("办结结果");
            ui.horizontal(|ui| {
                ui.radio_value(&mut d.solved, true, "已解决");
                ui.radio_value(&mut d.solved, false, "已答复（暂无法解决）");
            });
            ui.end_row();
            widgets::text_field(ui, "回访日期", &mut d.follow_up, "不回访请留空", 110.0);
            ui.end_row();
            "给居民的答复"
        }
        StepChoice::Reopen => "重新打开的原因",
        StepChoice::Accept | StepChoice::Note => "说明",
    };
    widgets::text_field(ui, note_label, &mut d.note, "", 420.0);
    ui.end_row();
}

/// Every step, oldest first, the raising first of all.
fn timeline(ui: &mut egui::Ui, view: &View<'_>, p: &Problem) {
    ui.strong("处理经过");
    egui::Grid::new("problem_steps")
        .num_columns(4)
        .striped(true)
        .spacing([16.0, 6.0])
        .show(ui, |ui| {
            for t in ["日期", "步骤", "内容", "经办人"] {
                ui.strong(t);
            }
            ui.end_row();
            ui.label(p.raised_on.format("%Y-%m-%d").to_string());
            ui.label("提出");
            ui.label(format!("来源：{}", p.source.label()));
            ui.label("");
            ui.end_row();
            for s in &p.steps {
                ui.label(s.on.format("%Y-%m-%d").to_string());
                ui.label(s.kind.label());
                ui.label(&s.note);
                let who =
                    s.by.and_then(|w| view.ledger.committee.worker(w))
                        .map_or("", |w| w.name.as_str());
                ui.label(who);
                ui.end_row();
            }
        });
}

/// The 回访: when it is due, or how it went.
fn follow_up_line(ui: &mut egui::Ui, view: &View<'_>, p: &Problem) {
    let Some(f) = &p.follow_up else {
        return;
    };
    ui.add_space(8.0);
    let who = f
        .worker
        .and_then(|w| view.ledger.committee.worker(w))
        .map_or(String::new(), |w| format!("，{}", w.name));
    match &f.done {
        Some(d) => {
            ui.label(format!(
                "回访：{} 已回访{}，居民{}{}",
                d.on,
                if d.visit.is_some() {
                    "（上门走访）"
                } else {
                    ""
                },
                d.verdict.label(),
                if d.note.is_empty() {
                    String::new()
                } else {
                    format!("：{}", d.note)
                }
            ));
        }
        None if f.due < view.today => {
            widgets::error(ui, &format!("回访：应于 {} 回访{who}，已逾期", f.due));
        }
        None => {
            ui.label(format!(
                "回访：定于 {} 回访{who}（在“走访”的待回访中登记）",
                f.due
            ));
        }
    }
}
