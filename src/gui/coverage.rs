//! Coverage (走访 → 活地图 and 包干分工): each building of a compound drawn as a grid of its rooms,
//! coloured by days since the last visit, special households starred, a click opening the
//! household; and the worker assignments (包干), one building at a time, kept with their history
//! (`model::coverage::reassign`).

use super::{Action, View, widgets};
use crate::model::coverage::{self, BuildingMap, MapCell, current_assignments, reassign};
use crate::model::{Building, BuildingId, CompoundId, Edit, WorkerId};
use eframe::egui;

/// The colour bands of the map: (up to days, colour, legend).
const BANDS: [(i64, egui::Color32, &str); 4] = [
    (30, egui::Color32::from_rgb(120, 190, 120), "30 天内走访过"),
    (90, egui::Color32::from_rgb(235, 205, 90), "31–90 天"),
    (180, egui::Color32::from_rgb(240, 150, 70), "91–180 天"),
    (
        i64::MAX,
        egui::Color32::from_rgb(225, 95, 85),
        "超过 180 天或从未走访",
    ),
];
/// Width of one room on the map.
const ROOM_WIDTH: f32 = 52.0;
const EMPTY: egui::Color32 = egui::Color32::from_rgb(215, 215, 215);

fn colour(cell: &MapCell) -> egui::Color32 {
    if cell.household.is_none() {
        return EMPTY;
    }
    let days = cell.days.unwrap_or(i64::MAX);
    BANDS
        .iter()
        .find(|(limit, _, _)| days <= *limit)
        .map_or(BANDS[3].1, |b| b.1)
}

/// State of the coverage views.
#[derive(Default)]
pub struct CoveragePanel {
    compound: Option<CompoundId>,
    /// The maps of the chosen compound's buildings, computed once per ledger change.
    maps: Option<(CompoundId, Vec<BuildingMap>)>,
}

impl CoveragePanel {
    /// Forgets what was computed from the ledger.
    pub fn invalidate(&mut self) {
        self.maps = None;
    }

    /// The compound's buildings, each with its map.
    fn maps<'v>(
        &mut self,
        view: &View<'v>,
        compound: CompoundId,
    ) -> Vec<(&'v Building, &BuildingMap)> {
        if self.maps.as_ref().is_none_or(|(c, _)| *c != compound) {
            let last = coverage::last_visits(view.ledger);
            let maps = view
                .ledger
                .households
                .buildings
                .iter()
                .filter(|b| b.compound == compound)
                .map(|b| coverage::building_map(view.ledger, b.id, &last, view.today))
                .collect();
            self.maps = Some((compound, maps));
        }
        let maps = self.maps.as_ref().map_or(&[][..], |(_, m)| m.as_slice());
        let buildings = view.ledger.households.buildings.iter();
        buildings
            .filter(|b| b.compound == compound)
            .zip(maps)
            .collect()
    }

    fn compound_picker(&mut self, ui: &mut egui::Ui, view: &View<'_>) -> Option<CompoundId> {
        let book = &view.ledger.households;
        if self.compound.is_none() {
            self.compound = book.compounds.first().map(|c| c.id);
        }
        ui.horizontal(|ui| {
            widgets::compound_picker(ui, "map_compound", "小区", book, &mut self.compound, None);
        });
        self.compound
    }

    /// The 活地图.
    pub fn map(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let Some(compound) = self.compound_picker(ui, view) else {
            widgets::hint(ui, "台账中还没有小区。");
            return;
        };
        ui.horizontal_wrapped(|ui| {
            for (_, c, text) in BANDS {
                swatch(ui, c, text);
            }
            swatch(ui, EMPTY, "无人登记");
            ui.label("★ 重点户（独居老人、困难家庭、残疾人员）");
        });
        ui.separator();
        let buildings = self.maps(view, compound);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                // Rows of buildings, broken by hand: a frame's width is only known once drawn.
                let spacing = ui.spacing().item_spacing.x;
                let width = |rooms: u32| rooms.max(2) as f32 * (ROOM_WIDTH + spacing) + 24.0;
                let mut rows: Vec<Vec<(&Building, &BuildingMap)>> = vec![vec![]];
                let mut used = 0.0;
                let available = ui.available_width();
                for (b, map) in buildings {
                    let w = width(b.rooms_per_floor);
                    if used + w > available && rows.last().is_some_and(|r| !r.is_empty()) {
                        rows.push(vec![]);
                        used = 0.0;
                    }
                    used += w + spacing;
                    if let Some(row) = rows.last_mut() {
                        row.push((b, map));
                    }
                }
                for row in rows {
                    ui.horizontal_top(|ui| {
                        for (b, map) in row {
                            egui::Frame::group(ui.style()).show(ui, |ui| {
                                ui.vertical(|ui| {
                                    ui.strong(&b.number);
                                    for (_, rooms) in &map.floors {
                                        ui.horizontal(|ui| {
                                            for cell in rooms {
                                                room(ui, cell, actions);
                                            }
                                        });
                                    }
                                    for extra in map.other.chunks(b.rooms_per_floor.max(2) as usize)
                                    {
                                        ui.horizontal(|ui| {
                                            for cell in extra {
                                                room(ui, cell, actions);
                                            }
                                        });
                                    }
                                });
                            });
                        }
                    });
                }
            });
    }

    /// 包干分工: who holds each building.
    pub fn assignments(&mut self, ui: &mut egui::Ui, view: &View<'_>, actions: &mut Vec<Action>) {
        let Some(compound) = self.compound_picker(ui, view) else {
            widgets::hint(ui, "台账中还没有小区。");
            return;
        };
        let c = &view.ledger.committee;
        let current = current_assignments(&c.assignments);
        let holder = |b: BuildingId| -> Option<WorkerId> {
            current
                .values()
                .find(|a| a.buildings.contains(&b))
                .map(|a| a.worker)
        };
        widgets::hint(
            ui,
            "每栋楼选一位包干社工。改动从今天起生效，以前的分工留作记录。",
        );
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("assignments")
                    .num_columns(3)
                    .striped(true)
                    .spacing([24.0, 6.0])
                    .show(ui, |ui| {
                        ui.strong("楼");
                        ui.strong("在住户数");
                        ui.strong("包干社工");
                        ui.end_row();
                        for (b, map) in self.maps(view, compound) {
                            ui.label(&b.number);
                            ui.label(map.living().to_string());
                            let now = holder(b.id);
                            let mut chosen = now;
                            let name = now
                                .and_then(|w| c.worker(w))
                                .map_or("未分配", |w| w.name.as_str());
                            ui.add_enabled_ui(!view.read_only, |ui| {
                                egui::ComboBox::from_id_salt(("assign", b.id.0))
                                    .selected_text(name)
                                    .show_ui(ui, |ui| {
                                        ui.selectable_value(&mut chosen, None, "未分配");
                                        for w in
                                            c.workers.iter().filter(|w| w.active_on(view.today))
                                        {
                                            ui.selectable_value(&mut chosen, Some(w.id), &w.name);
                                        }
                                    });
                            });
                            if chosen != now {
                                let who = chosen
                                    .and_then(|w| c.worker(w))
                                    .map_or("未分配".to_owned(), |w| w.name.clone());
                                actions.push(Action::Edit(
                                    format!("{} 包干改为 {who}", b.number),
                                    Edit::Assignments(reassign(
                                        &c.assignments,
                                        b.id,
                                        chosen,
                                        view.today,
                                    )),
                                ));
                            }
                            ui.end_row();
                        }
                    });
            });
    }
}

fn swatch(ui: &mut egui::Ui, c: egui::Color32, text: &str) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, c);
    ui.label(text);
}

fn room(ui: &mut egui::Ui, cell: &MapCell, actions: &mut Vec<Action>) {
    let text = match cell.special {
        Some(_) => format!("★{}", cell.room),
        None => cell.room.clone(),
    };
    let button = egui::Button::new(
        egui::RichText::new(text)
            .color(egui::Color32::BLACK)
            .small(),
    )
    .fill(colour(cell))
    .min_size(egui::vec2(ROOM_WIDTH, 22.0));
    let r = ui.add_enabled(cell.household.is_some(), button);
    let r = match (cell.household, cell.days, cell.special.as_deref()) {
        (None, _, _) => r,
        (Some(_), None, s) => r.on_hover_text(format!("从未走访{}", special_note(s))),
        (Some(_), Some(d), s) => r.on_hover_text(format!("{d} 天前走访{}", special_note(s))),
    };
    if r.clicked()
        && let Some(id) = cell.household
    {
        actions.push(Action::OpenHousehold(id));
    }
}

fn special_note(s: Option<&str>) -> String {
    s.map(|t| format!("（{t}）")).unwrap_or_default()
}
