// Every command the UI may call is listed here; tauri-build generates `allow-<command>`
// permissions for them, and capabilities/default.json grants exactly those to the window.
const COMMANDS: &[&str] = &[
    "app_info",
    "list_agents",
    "get_agent",
    "list_sessions",
    "get_session",
    "list_memory",
    "import_file",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
