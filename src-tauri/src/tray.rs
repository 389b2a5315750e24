//! The tray icon: what Reverie is up to while its window is closed (the next dream, changes
//! waiting for review, a dream running now), "Dream now" per agent, "Open Reverie" and "Quit".
//! The status text comes from the engine (`reverie::notice::tray_status`).

use std::sync::Mutex;

use chrono::Utc;
use reverie::{api, Result};
use tauri::menu::{IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Wry};

use crate::{background, notify, Db};

const OPEN: &str = "open";
const QUIT: &str = "quit";
const DREAM_NOW: &str = "dream-now:";

/// The menu's parts that change. On Linux a tray's menu cannot be replaced once set, only its
/// contents, so the status lines and the agents under "Dream now" are edited in place.
struct Tray {
    menu: Menu<Wry>,
    dream_now: Submenu<Wry>,
    shown: Mutex<Shown>,
}

/// (slug, name) of each agent under "Dream now".
type AgentNames = Vec<(String, String)>;

#[derive(Default)]
struct Shown {
    lines: Vec<String>,
    items: Vec<MenuItem<Wry>>,
    agents: AgentNames,
}

pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let dream_now = Submenu::new(app, "Dream now", true)?;
    let menu = Menu::with_items(
        app,
        &[
            &PredefinedMenuItem::separator(app)?,
            &dream_now,
            &MenuItem::with_id(app, OPEN, "Open Reverie", true, None::<&str>)?,
            &PredefinedMenuItem::separator(app)?,
            &MenuItem::with_id(app, QUIT, "Quit Reverie", true, None::<&str>)?,
        ],
    )?;
    let mut tray = TrayIconBuilder::with_id("main")
        .tooltip("Reverie")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(on_menu)
        .on_tray_icon_event(|icon, event| {
            // Where the platform reports clicks (macOS, Windows), a left click opens the window.
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                crate::show_main(icon.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    app.manage(Tray {
        menu,
        dream_now,
        shown: Mutex::new(Shown::default()),
    });
    refresh(app);
    Ok(())
}

pub fn exists(app: &AppHandle) -> bool {
    app.try_state::<Tray>().is_some()
}

fn on_menu(app: &AppHandle, event: MenuEvent) {
    match event.id().as_ref() {
        OPEN => crate::show_main(app),
        QUIT => app.exit(0),
        id => {
            if let Some(slug) = id.strip_prefix(DREAM_NOW) {
                let (app, slug) = (app.clone(), slug.to_string());
                tauri::async_runtime::spawn(async move {
                    let db = app.state::<Db>();
                    let started = background::start_dream(app.clone(), &db, slug, None).await;
                    if let Err(e) = started {
                        notify::message(&app, "Reverie could not start the dream", &e.message);
                    }
                });
            }
        }
    }
}

/// What the menu should show now: status lines, and the agents that can dream.
fn status(app: &AppHandle) -> Result<(Vec<String>, AgentNames)> {
    let conn = api::open(&app.state::<Db>().path)?;
    let s = api::schedule::tray_status(&conn, Utc::now())?;
    Ok((s.lines, s.agents))
}

/// Bring the menu up to date, on a thread of its own (it reads the database).
pub fn refresh(app: &AppHandle) {
    if !exists(app) {
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        if let Err(e) = update(&app) {
            eprintln!("reverie: tray: {e}");
        }
    });
}

fn update(app: &AppHandle) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let tray = app.state::<Tray>();
    let (lines, agents) = status(app)?;
    let mut shown = tray.shown.lock().expect("lock");
    if lines != shown.lines {
        if lines.len() == shown.items.len() {
            for (item, text) in shown.items.iter().zip(&lines) {
                item.set_text(text)?;
            }
        } else {
            for item in shown.items.drain(..) {
                tray.menu.remove(&item)?;
            }
            for (i, text) in lines.iter().enumerate() {
                let item = MenuItem::new(app, text, false, None::<&str>)?;
                tray.menu.insert(&item, i)?;
                shown.items.push(item);
            }
        }
        shown.lines = lines;
    }
    if agents != shown.agents {
        for item in tray.dream_now.items()? {
            tray.dream_now.remove(&item as &dyn IsMenuItem<Wry>)?;
        }
        if agents.is_empty() {
            let none = MenuItem::new(app, "No agents yet", false, None::<&str>)?;
            tray.dream_now.append(&none)?;
        }
        for (slug, name) in &agents {
            let id = format!("{DREAM_NOW}{slug}");
            tray.dream_now
                .append(&MenuItem::with_id(app, id, name, true, None::<&str>)?)?;
        }
        shown.agents = agents;
    }
    Ok(())
}
