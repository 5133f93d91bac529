//! Printing an internal list (a 智能名单, with names and addresses) on A4 (landscape: a list has
//! eight or nine columns) through the system
//! browser, without the list ever touching the disk: the page is rendered in memory and served
//! once from 127.0.0.1 behind a random token, with `Cache-Control: no-store`; the browser opens
//! it and its print dialog. The server stops after that one page, or after two minutes.

use eframe::egui;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A table to print: what it is, for whom, and its rows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sheet {
    /// The committee, at the top.
    pub committee: String,
    /// The list's name.
    pub title: String,
    /// Its conditions in words.
    pub conditions: String,
    /// 2026年11月23日.
    pub date: String,
    /// Who printed it.
    pub printed_by: String,
    /// Column headings.
    pub headers: Vec<String>,
    /// Rows, one cell per heading.
    pub rows: Vec<Vec<String>>,
}

const TEMPLATE: &str = r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>{{ title }} · {{ committee }}</title>
<style>
@page { size: A4 landscape; margin: 12mm 12mm 14mm; }
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", sans-serif; font-size: 10.5pt; color: #000; margin: 0 auto; max-width: 273mm; }
header { border-bottom: 2px solid #000; margin-bottom: 4mm; }
h1 { font-size: 18pt; margin: 0 0 2mm; }
.meta { display: flex; justify-content: space-between; gap: 4mm; font-size: 10pt; margin-bottom: 2mm; }
.internal { font-weight: bold; border: 1px solid #000; padding: 0 2mm; white-space: nowrap; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #444; padding: 1.2mm 1.8mm; text-align: left; vertical-align: top; white-space: nowrap; }
td:last-child, th:last-child { white-space: normal; width: 100%; }
th { background: #eee; }
td.n { text-align: right; white-space: nowrap; }
footer { margin-top: 4mm; font-size: 10pt; }
.noprint { margin: 6mm 0; }
.noprint button { font-size: 14pt; padding: 2mm 6mm; }
@media print { .noprint { display: none; } }
</style>
</head>
<body>
<div class="noprint"><button onclick="window.print()">打印</button> 关闭本页即可，名单不会保存在电脑上。</div>
<header>
<h1>{{ title }}</h1>
<div class="meta"><span>{{ committee }} · 条件：{{ conditions }}</span><span class="internal">内部资料 不得外传</span></div>
<div class="meta"><span>共 {{ rows | length }} 条 · {{ date }} · {{ printed_by }} 打印</span></div>
</header>
<table>
<thead><tr><th>序号</th>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}<tr><td class="n">{{ loop.index }}</td>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
<footer>用后请按规定销毁，不得张贴或转发。</footer>
<script>window.addEventListener("load", function () { window.print(); });</script>
</body>
</html>
"#;

/// Why a page could not be printed, each saying what to do.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PrintError {
    /// The page could not be rendered.
    #[error("无法生成打印页：{0}")]
    Page(String),
    /// No local port to serve it from.
    #[error("无法准备打印页（本机端口不可用）：{0}")]
    Port(String),
    /// The system browser could not be started.
    #[error(
        "无法打开浏览器：{detail}。请确认电脑上装有浏览器（如 Edge、Chrome）并设为默认浏览器；也可以打开浏览器，在地址栏输入 {url} 后按回车（{minutes} 分钟内有效）。"
    )]
    Browser {
        /// The system's message.
        detail: String,
        /// The page's address.
        url: String,
        /// How long it stays available.
        minutes: u64,
    },
    /// The browser did not fetch the page in time.
    #[error(
        "浏览器没有打开打印页。请打开浏览器（如 Edge、Chrome），在地址栏输入 {url} 后按回车（{minutes} 分钟内有效，只能在这台电脑上打开一次）。"
    )]
    NotFetched {
        /// The page's address.
        url: String,
        /// How long it stays available.
        minutes: u64,
    },
}

/// The print page, every value escaped.
pub fn html(sheet: &Sheet) -> Result<String, PrintError> {
    let context =
        tera::Context::from_serialize(sheet).map_err(|e| PrintError::Page(e.to_string()))?;
    tera::Tera::one_off(TEMPLATE, &context, true).map_err(|e| PrintError::Page(e.to_string()))
}

/// How long the page waits for the browser.
const WAIT: Duration = Duration::from_secs(120);

/// How long after asking the browser to open the page the app says it did not.
pub const BROWSER_WAIT: Duration = Duration::from_secs(15);

/// A page handed to the browser: whether it has fetched it yet.
pub struct Opened {
    url: String,
    served: Receiver<()>,
    since: Instant,
    done: Option<Result<(), PrintError>>,
}

impl Opened {
    /// `None` while the browser has not fetched the page yet (and [`BROWSER_WAIT`] has not
    /// passed); then `Ok` once it has, or an error that gives the address to open by hand.
    ///
    /// After the error, the page may still be opened by hand from the address it gives (for
    /// as long as it is served): once it is, the error gives way to `Ok`.
    pub fn poll(&mut self, ctx: &egui::Context) -> Option<&Result<(), PrintError>> {
        let waiting = match &self.done {
            None => true,
            Some(Err(PrintError::NotFetched { .. })) => self.since.elapsed() < WAIT,
            Some(_) => false,
        };
        if waiting {
            match self.served.try_recv() {
                Ok(()) => self.done = Some(Ok(())),
                Err(_) if self.done.is_some() => {
                    ctx.request_repaint_after(Duration::from_secs(1));
                }
                Err(_) if self.since.elapsed() >= BROWSER_WAIT => {
                    self.done = Some(Err(PrintError::NotFetched {
                        url: self.url.clone(),
                        minutes: WAIT.as_secs() / 60,
                    }));
                }
                Err(_) => ctx.request_repaint_after(Duration::from_millis(250)),
            }
        }
        self.done.as_ref()
    }
}

/// Shows what became of a page handed to the browser: waiting, opened, or what to do.
pub fn show_opened(ui: &mut egui::Ui, opened: &mut Result<Opened, PrintError>) {
    match opened {
        Err(e) => super::widgets::error(ui, &e.to_string()),
        Ok(o) => match o.poll(ui.ctx()) {
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("正在打开浏览器……");
                });
            }
            Some(Ok(())) => {
                super::widgets::hint(ui, "已在浏览器中打开打印页，请在浏览器的打印窗口中打印。");
            }
            Some(Err(e)) => super::widgets::error(ui, &e.to_string()),
        },
    }
}

/// Serves `page` once on 127.0.0.1 and returns its address and a receiver that hears when it
/// has been served. Other requests (a favicon, a wrong token) get 404; after the page is
/// served, or [`WAIT`] without it, the server stops.
pub fn serve_once(page: String) -> Result<(String, Receiver<()>), PrintError> {
    let (tx, served) = channel();
    let server =
        tiny_http::Server::http("127.0.0.1:0").map_err(|e| PrintError::Port(e.to_string()))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or_else(|| PrintError::Port("没有可用的地址".into()))?;
    let token = format!("{:032x}", rand::random::<u128>());
    let path = format!("/{token}");
    let url = format!("http://127.0.0.1:{port}{path}");
    std::thread::Builder::new()
        .name("print".into())
        .spawn(move || {
            let deadline = std::time::Instant::now() + WAIT;
            while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
                let Ok(Some(request)) = server.recv_timeout(left) else {
                    break;
                };
                if request.url() != path {
                    let _ = request.respond(tiny_http::Response::empty(404));
                    continue;
                }
                let headers = [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Cache-Control", "no-store"),
                    ("Referrer-Policy", "no-referrer"),
                ];
                let mut response = tiny_http::Response::from_string(page);
                for (name, value) in headers {
                    if let Ok(h) = tiny_http::Header::from_bytes(name, value) {
                        response.add_header(h);
                    }
                }
                if request.respond(response).is_ok() {
                    let _ = tx.send(());
                }
                break;
            }
        })
        .map_err(|e| PrintError::Page(e.to_string()))?;
    Ok((url, served))
}

/// Renders the sheet and opens it in the system browser, whose print dialog opens by itself.
pub fn print(sheet: &Sheet) -> Result<Opened, PrintError> {
    open(html(sheet)?)
}

const RECOVERY: &str = r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>恢复密码 · {{ committee }}</title>
<style>
@page { size: A4 portrait; margin: 20mm; }
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", sans-serif; font-size: 13pt; max-width: 170mm; margin: 0 auto; }
h1 { font-size: 20pt; }
.code { font-family: "Consolas", "DejaVu Sans Mono", monospace; font-size: 19pt; white-space: nowrap; border: 2px solid #000; padding: 6mm 2mm; margin: 8mm 0; text-align: center; }
.sign { margin-top: 16mm; line-height: 2.4; }
@media print { .noprint { display: none; } }
</style>
</head>
<body>
<div class="noprint"><button onclick="window.print()">打印</button> 打印后关闭本页。</div>
<h1>{{ committee }} · 四百台账恢复密码</h1>
<p>成员忘记密码时，用这串恢复密码为他重设密码。请锁进保险柜，不要拍照，不要存在电脑或手机里。</p>
<div class="code">{{ code }}</div>
<p>输入时字母不分大小写，横线可输可不输。</p>
<div class="sign">打印日期：{{ date }}<br>保管人签字：________________　　日期：____________</div>
<script>window.addEventListener("load", function () { window.print(); });</script>
</body>
</html>
"#;

/// The page of the recovery passphrase, to print once at setup.
pub fn recovery_page(committee: &str, code: &str) -> Result<String, PrintError> {
    let mut context = tera::Context::new();
    context.insert("committee", committee);
    context.insert("code", code);
    context.insert(
        "date",
        &crate::model::dates::chinese_date(chrono::Local::now().date_naive()),
    );
    tera::Tera::one_off(RECOVERY, &context, true).map_err(|e| PrintError::Page(e.to_string()))
}

/// Opens a public notice as it will be published (预览公示): `page` renders it from the
/// committee's site settings and folder (and the privacy guard checks it); any failure, a
/// refusal by the guard among them, is said in the app.
pub fn open_notice(
    view: &super::View<'_>,
    page: impl FnOnce(
        &crate::publish::SiteSettings,
        &std::path::Path,
    ) -> Result<String, crate::publish::PublishError>,
) -> Result<Opened, PrintError> {
    let failed = |e: String| PrintError::Page(e);
    let settings =
        crate::publish::SiteSettings::load(view.vault_dir).map_err(|e| failed(e.to_string()))?;
    let root = view.vault_dir.parent().unwrap_or(view.vault_dir);
    open(page(&settings, root).map_err(|e| failed(e.to_string()))?)
}

/// Serves a page once and asks the system browser to open it. The browser may still not
/// come (none installed, a broken default): [`Opened::poll`] then says so and gives the
/// address to open by hand.
pub fn open(page: String) -> Result<Opened, PrintError> {
    let (url, served) = serve_once(page)?;
    if let Err(e) = webbrowser::open(&url) {
        return Err(PrintError::Browser {
            detail: e.to_string(),
            url,
            minutes: WAIT.as_secs() / 60,
        });
    }
    Ok(Opened {
        url,
        served,
        since: Instant::now(),
        done: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn get(url: &str, path: &str) -> String {
        let address = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap_or_default();
        let mut stream = std::net::TcpStream::connect(address).unwrap_or_else(|e| panic!("{e}"));
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut out = String::new();
        let _ = stream.read_to_string(&mut out);
        out
    }

    fn sheet() -> Sheet {
        Sheet {
            committee: "示例居委会".into(),
            title: "本月满80、90、100岁".into(),
            conditions: "本月满 80、90、100 岁".into(),
            date: "2026年11月23日".into(),
            printed_by: "王书记".into(),
            headers: vec!["姓名".into(), "地址".into()],
            rows: vec![vec!["张<script>三".into(), "樱园新村 5号楼 302室".into()]],
        }
    }

    #[test]
    fn the_page_escapes_every_value_and_repeats_its_header() {
        let page = html(&sheet()).unwrap_or_else(|e| panic!("{e}"));
        assert!(page.contains("张&lt;script&gt;三"));
        assert!(!page.contains("张<script>"));
        assert!(page.contains("size: A4 landscape"));
        assert!(page.contains("display: table-header-group"));
        assert!(page.contains("内部资料 不得外传"));
        assert!(page.contains("共 1 条"));
    }

    #[test]
    fn the_recovery_page_keeps_the_passphrase_on_one_line() {
        let page = recovery_page("示例居委会", "AAAAA-BBBBB").unwrap_or_else(|e| panic!("{e}"));
        assert!(page.contains(r#"<div class="code">AAAAA-BBBBB</div>"#));
        assert!(
            page.contains("white-space: nowrap"),
            "never broken at a dash"
        );
    }

    /// The sample sheet served, as if just handed to the browser.
    fn served_sheet() -> Opened {
        let (url, served) =
            serve_once(html(&sheet()).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
        Opened {
            url,
            served,
            since: Instant::now(),
            done: None,
        }
    }

    #[test]
    fn a_page_no_browser_fetched_gives_its_address_to_open_by_hand() {
        let ctx = egui::Context::default();
        let mut opened = served_sheet();
        let url = opened.url.clone();
        assert!(opened.poll(&ctx).is_none(), "still waiting for the browser");
        opened.since = Instant::now()
            .checked_sub(BROWSER_WAIT)
            .unwrap_or_else(Instant::now);
        match opened.poll(&ctx) {
            Some(Err(e)) => {
                assert!(e.to_string().contains("浏览器没有打开打印页"), "{e}");
                assert!(e.to_string().contains(&url), "{e}");
            }
            other => panic!("{:?}", other.map(|r| r.is_ok())),
        }
        // Opened by hand from that address afterwards: the message gives way.
        let path = url
            .splitn(4, '/')
            .nth(3)
            .map(|p| format!("/{p}"))
            .unwrap_or_default();
        assert!(get(&url, &path).starts_with("HTTP/1.1 200"));
        let started = Instant::now();
        while !matches!(opened.poll(&ctx), Some(Ok(())))
            && started.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(matches!(opened.poll(&ctx), Some(Ok(()))), "reported open");
    }

    #[test]
    fn a_page_the_browser_fetched_is_reported_open() {
        let ctx = egui::Context::default();
        let mut opened = served_sheet();
        let url = opened.url.clone();
        let path = url
            .splitn(4, '/')
            .nth(3)
            .map(|p| format!("/{p}"))
            .unwrap_or_default();
        assert!(get(&url, &path).starts_with("HTTP/1.1 200"));
        let started = Instant::now();
        while opened.poll(&ctx).is_none() && started.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(matches!(opened.poll(&ctx), Some(Ok(()))));
    }

    #[test]
    fn the_page_is_served_once_and_only_with_its_token() {
        let (url, served) =
            serve_once(html(&sheet()).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
        assert!(served.try_recv().is_err(), "not served yet");
        let path = url
            .splitn(4, '/')
            .nth(3)
            .map(|p| format!("/{p}"))
            .unwrap_or_default();
        assert_eq!(path.len(), 33, "a 128-bit token: {url}");
        let wrong = get(&url, "/favicon.ico");
        assert!(wrong.starts_with("HTTP/1.1 404"), "{wrong}");
        let page = get(&url, &path);
        assert!(page.starts_with("HTTP/1.1 200"), "{page}");
        assert!(
            page.to_ascii_lowercase()
                .contains("cache-control: no-store")
        );
        assert!(page.contains("樱园新村 5号楼 302室"));
        assert!(
            served.recv_timeout(Duration::from_secs(5)).is_ok(),
            "the app hears that the browser fetched the page"
        );
        // Served: the server is gone.
        std::thread::sleep(Duration::from_millis(100));
        let address = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap_or_default();
        let again = std::net::TcpStream::connect(address)
            .map(|mut s| {
                let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
                let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
                let mut out = String::new();
                let _ = s.read_to_string(&mut out);
                out
            })
            .unwrap_or_default();
        assert!(!again.contains("樱园新村"), "served twice: {again}");
    }
}
