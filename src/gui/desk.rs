//! 接待值班: the reception log (首问接待: time, channel, who asked or anonymous, the matter, who
//! received it, the answer, whether the resident confirmed it, turned into a problem or not) and
//! the duty rota (错时值班) with sign-in. Rules in `model::draft` (ReceptionDraft,
//! ShiftDraft, sign_in).

use super::{Action, View, widgets};
use crate::model::draft::{
    ReceptionDraft, ShiftDraft, TIME_FORMAT, reception_answered, reception_edit, sign_in,
};
use crate::model::{
    Channel, Collection, DutyShift, Edit, Ledger, ReceptionId, ReceptionSort, ShiftKind,
    may_sign_in, sort_receptions,
};
use chrono::Duration;
use eframe::egui;
use egui_extras::{Column, TableBuilder};

/// State of the 接待值班 panel.
#[derive(Default)]
pub struct DeskPanel {
    reception: Option<(ReceptionDraft, bool)>,
    /// A logged reception opened to add its answer and the resident's confirmation.
    answering: Option<Answering>,
    shift: Option<ShiftDraft>,
    saved: Option<String>,
    /// The column the reception list is sorted by, and whether descending; `None`: newest
    /// first.
    sort: Option<(ReceptionSort, bool)>,
}

/// The answer form of a logged reception.
struct Answering {
    id: ReceptionId,
    answer: String,
    confirmed: bool,
    error: Option<String>,
}

impl DeskPanel {
    /// Opens a logged reception (from the problem it became).
    pub fn open_reception(&mut self, id: ReceptionId, ledger: &Ledger) {
        if let Some(r) = ledger.desk.receptions.iter().find(|r| r.id == id) {
            self.answering = Some(Answering {
                id,
                answer: r.answer.clone(),
                confirmed: r.confirmed,
                error: None,
            });
        }
    }

    /// Shows the panel.
    pub fn show(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            ui.heading("接待值班");
            if let Some(s) = &self.saved {
                ui.add_space(16.0);
                widgets::hint(ui, s);
            }
        });
        if view.unloaded.contains(&Collection::Desk) {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("正在读取接待和值班记录……");
            });
            return;
        }
        let writable = !view.read_only;
        ui.columns(2, |cols| {
            cols[0].push_id("receptions", |ui| {
                self.receptions(ui, view, actions, writable);
            });
            cols[1].push_id("rota", |ui| {
                self.rota(ui, view, actions, writable);
            });
        });
    }

    fn receptions(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        actions: &mut Vec<Action>,
        writable: bool,
    ) {
        ui.horizontal(|ui| {
            ui.strong("首问接待");
            if self.reception.is_none()
                && ui
                    .add_enabled(writable, egui::Button::new("登记接待"))
                    .clicked()
            {
                self.reception = Some((
                    ReceptionDraft {
                        at: view.now.format(TIME_FORMAT).to_string(),
                        received_by: view.member_worker(),
                        ..ReceptionDraft::default()
                    },
                    false,
                ));
            }
        });
        self.reception_form(ui, view, actions);
        self.answer_form(ui, view, actions, writable);
        self.reception_list(ui, view);
    }

    /// The form of a new reception, when open.
    fn reception_form(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let Some((d, tried)) = &mut self.reception else {
            return;
        };
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            egui::Grid::new("reception_form")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    widgets::text_field(ui, "时间", &mut d.at, "", 150.0);
                    ui.end_row();
                    let l = ui.label("渠道");
                    ui.horizontal(|ui| {
                        for c in [Channel::InPerson, Channel::Phone, Channel::Online] {
                            ui.radio_value(&mut d.channel, c, c.label());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                    ui.end_row();
                    widgets::text_field(ui, "来访人", &mut d.visitor, "可不填（匿名）", 150.0);
                    ui.end_row();
                    widgets::text_field(ui, "电话", &mut d.phone, "可不填", 150.0);
                    ui.end_row();
                    widgets::text_field(ui, "事项", &mut d.matter, "居民反映或咨询的事", 300.0);
                    ui.end_row();
                    widgets::worker_picker(
                        ui,
                        "reception_worker",
                        "接待人",
                        &view.ledger.committee,
                        view.today,
                        &mut d.received_by,
                    );
                    ui.end_row();
                    widgets::text_field(ui, "答复", &mut d.answer, "给居民的答复", 300.0);
                    ui.end_row();
                    ui.label("");
                    ui.checkbox(&mut d.confirmed, "居民已确认答复");
                    ui.end_row();
                    ui.label("");
                    ui.horizontal(|ui| {
                        let mut listed = d.listed.is_some();
                        if ui.checkbox(&mut listed, "转入问题清单").changed() {
                            d.listed = listed.then(|| "其他".to_owned());
                        }
                        if let Some(cat) = &mut d.listed {
                            widgets::category_picker(
                                ui,
                                "reception_category",
                                None,
                                &view.ledger.committee,
                                cat,
                            );
                        }
                    });
                    ui.end_row();
                });
            if *tried {
                for e in d.errors(view.now) {
                    widgets::error(ui, &e);
                }
            }
            ui.horizontal(|ui| {
                if ui.button("保存接待").clicked() {
                    *tried = true;
                    if let Ok((r, p)) = d.build(view.ledger, view.now) {
                        let listed = p.is_some();
                        self.saved = Some(if listed {
                            "已保存接待记录，并列入问题清单".into()
                        } else {
                            "已保存接待记录".into()
                        });
                        actions.push(Action::Edit(
                            format!("接待 {}", r.matter.chars().take(12).collect::<String>()),
                            reception_edit(r, p),
                        ));
                        close = true;
                    }
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.reception = None;
        }
    }

    /// Every reception, newest first unless sorted; a click opens one to add its answer.
    fn reception_list(&mut self, ui: &mut egui::Ui, view: &View<'_>) {
        let c = &view.ledger.committee;
        let mut list: Vec<_> = view.ledger.desk.receptions.iter().collect();
        let (by, descending) = self.sort.unwrap_or((ReceptionSort::Time, true));
        sort_receptions(&mut list, c, by, descending);
        ui.horizontal(|ui| {
            ui.label(format!("共 {} 条", list.len()));
            widgets::hint(ui, "点击一条补填答复和居民确认。");
        });
        // One line per row: long text is cut (the whole of it is on hover or in the record).
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        // A click anywhere on a row opens it: labels must not take the click to select text.
        ui.style_mut().interaction.selectable_labels = false;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        let mut opened = None;
        let mut sort_by = None;
        TableBuilder::new(ui)
            .id_salt("reception_list")
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::exact(140.0))
            .column(Column::exact(70.0))
            .column(Column::exact(60.0))
            .column(Column::remainder())
            .header(row_height, |mut h| {
                let columns = [
                    ("时间", Some(ReceptionSort::Time)),
                    ("来访人", Some(ReceptionSort::Visitor)),
                    ("接待人", Some(ReceptionSort::ReceivedBy)),
                    ("事项与答复", None),
                ];
                sort_by = widgets::sort_headers(&mut h, &columns, Some((by, descending)));
            })
            .body(|body| {
                body.rows(row_height, list.len(), |mut row| {
                    let Some(r) = list.get(row.index()) else {
                        return;
                    };
                    row.col(|ui| {
                        ui.label(r.at.format("%Y-%m-%d %H:%M").to_string());
                    });
                    row.col(|ui| {
                        ui.label(r.visitor.as_deref().unwrap_or("匿名"));
                    });
                    row.col(|ui| {
                        ui.label(c.worker(r.received_by).map_or("", |w| w.name.as_str()));
                    });
                    row.col(|ui| {
                        let mut text = format!("{}（{}）", r.matter, r.channel.label());
                        if let Some(p) = r.problem {
                            text.push_str(&format!("，已转入问题清单第 {} 号", p.0));
                        } else if r.confirmed {
                            text.push_str("，居民已确认");
                        }
                        if r.answer.is_empty() {
                            text.push_str("，未答复");
                        }
                        ui.label(text).on_hover_text(if r.answer.is_empty() {
                            "还没有答复"
                        } else {
                            r.answer.as_str()
                        });
                    });
                    if row.response().clicked() {
                        opened = Some(r.id);
                    }
                });
            });
        if sort_by.is_some() {
            self.sort = sort_by;
        }
        if let Some(id) = opened
            && let Some(r) = view.ledger.desk.receptions.iter().find(|r| r.id == id)
        {
            self.answering = Some(Answering {
                id,
                answer: r.answer.clone(),
                confirmed: r.confirmed,
                error: None,
            });
        }
    }

    /// The answer form of a logged reception: the matter as logged, the answer and the
    /// resident's confirmation to add.
    fn answer_form(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        actions: &mut Vec<Action>,
        writable: bool,
    ) {
        let Some(a) = &mut self.answering else { return };
        let Some(r) = view.ledger.desk.receptions.iter().find(|r| r.id == a.id) else {
            self.answering = None;
            return;
        };
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.strong(format!(
                "{} 的接待（{}）",
                r.at.format("%Y-%m-%d %H:%M"),
                r.visitor.as_deref().unwrap_or("匿名")
            ));
            ui.label(format!("事项：{}", r.matter));
            if let Some(p) = r.problem
                && ui
                    .small_button(format!("打开问题清单第 {} 号", p.0))
                    .clicked()
            {
                actions.push(Action::OpenProblem(p));
            }
            let l = ui.label("答复");
            ui.add(
                egui::TextEdit::multiline(&mut a.answer)
                    .hint_text("给居民的答复")
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
            ui.checkbox(&mut a.confirmed, "居民已确认答复");
            if let Some(e) = &a.error {
                widgets::error(ui, e);
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(writable, egui::Button::new("保存答复"))
                    .clicked()
                {
                    match reception_answered(r, &a.answer, a.confirmed) {
                        Ok(new) => {
                            actions.push(Action::Edit(
                                format!("答复 {}", r.matter.chars().take(12).collect::<String>()),
                                Edit::Reception(new.id, Some(Box::new(new))),
                            ));
                            self.saved = Some("已保存答复".into());
                            close = true;
                        }
                        Err(e) => a.error = Some(e),
                    }
                }
                if ui.button("关闭").clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.answering = None;
        }
    }

    /// The form of a new shift, when open.
    fn shift_form(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let shifts = &view.ledger.desk.shifts;
        let Some(d) = &mut self.shift else {
            return;
        };
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            egui::Grid::new("shift_form").num_columns(2).show(ui, |ui| {
                if widgets::text_field(ui, "日期", &mut d.on, "2026-11-23", 110.0).changed() {
                    // The kind and the usual hours follow the day (weekend or evening).
                    d.date_changed();
                }
                ui.end_row();
                let l = ui.label("时段");
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut d.start).desired_width(60.0));
                    ui.label("至");
                    ui.add(egui::TextEdit::singleline(&mut d.end).desired_width(60.0));
                })
                .response
                .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("类别");
                ui.horizontal(|ui| {
                    for k in [ShiftKind::Evening, ShiftKind::Weekend, ShiftKind::Holiday] {
                        ui.radio_value(&mut d.kind, k, k.label());
                    }
                })
                .response
                .labelled_by(l.id);
                ui.end_row();
                widgets::worker_picker(
                    ui,
                    "shift_worker",
                    "值班人",
                    &view.ledger.committee,
                    view.today,
                    &mut d.worker,
                );
                ui.end_row();
            });
            let built = d.build();
            if let Err(e) = &built {
                widgets::error(ui, e);
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(built.is_ok(), egui::Button::new("加入排班"))
                    .clicked()
                    && let Ok(s) = built
                {
                    let mut all = shifts.clone();
                    let label = format!("排班 {} {}", s.on, s.kind.label());
                    all.push(s);
                    all.sort_by_key(|s| (s.on, s.start));
                    actions.push(Action::Edit(label, Edit::Shifts(all)));
                    close = true;
                }
                if ui.button("取消").clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.shift = None;
        }
    }

    fn rota(
        &mut self,
        ui: &mut egui::Ui,
        view: &View<'_>,
        actions: &mut Vec<Action>,
        writable: bool,
    ) {
        ui.horizontal(|ui| {
            ui.strong("错时值班");
            if self.shift.is_none()
                && ui
                    .add_enabled(writable, egui::Button::new("排班"))
                    .clicked()
            {
                self.shift = Some(ShiftDraft::on_day(view.today));
            }
        });
        let shifts = &view.ledger.desk.shifts;
        self.shift_form(ui, view, actions);
        // From a week ago to a month ahead.
        let from = view.today - Duration::days(7);
        let to = view.today + Duration::days(31);
        let c = &view.ledger.committee;
        let shown: Vec<(usize, &DutyShift)> = shifts
            .iter()
            .enumerate()
            .filter(|(_, s)| s.on >= from && s.on <= to)
            .collect();
        widgets::hint(ui, "显示前 7 天到后 31 天的排班。");
        if shown.is_empty() {
            widgets::hint(ui, "这段时间还没有排班。");
        }
        egui::ScrollArea::vertical()
            .id_salt("rota_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("rota")
                    .num_columns(4)
                    .striped(true)
                    .spacing([12.0, 6.0])
                    .show(ui, |ui| {
                        for t in ["日期", "时段", "值班人", "签到"] {
                            ui.strong(t);
                        }
                        ui.end_row();
                        let me = view.member_worker();
                        for (i, s) in shown {
                            ui.label(format!(
                                "{}（{}）",
                                super::home::date_text(s.on),
                                s.kind.label()
                            ));
                            ui.label(format!(
                                "{}–{}",
                                s.start.format("%H:%M"),
                                s.end.format("%H:%M")
                            ));
                            let name = c.worker(s.worker).map_or("", |w| w.name.as_str());
                            ui.label(name);
                            match s.signed_in {
                                Some(t) => match s.late_minutes() {
                                    Some(m) => widgets::error(
                                        ui,
                                        &format!("{} 签到，迟到 {m} 分钟", t.format("%H:%M")),
                                    ),
                                    None => {
                                        ui.label(format!("已签到 {}", t.format("%H:%M")));
                                    }
                                },
                                None if s.on == view.today => {
                                    let allowed = may_sign_in(c, s, me);
                                    let button = ui
                                        .add_enabled(writable && allowed, egui::Button::new("签到"))
                                        .on_disabled_hover_text(
                                            if me == Some(s.worker) || allowed {
                                                "台账只读，不能签到"
                                            } else {
                                                "只能为自己签到；书记或主任可以代为签到"
                                            },
                                        );
                                    if button.clicked() {
                                        actions.push(Action::Edit(
                                            format!("{name} 值班签到"),
                                            Edit::Shifts(sign_in(shifts, i, view.now)),
                                        ));
                                    }
                                }
                                None if s.on < view.today => {
                                    widgets::error(ui, "未签到");
                                }
                                None => {
                                    ui.label("");
                                }
                            }
                            ui.end_row();
                        }
                    });
            });
    }
}
