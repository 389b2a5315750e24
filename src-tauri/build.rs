// Every command the UI may call is listed here; tauri-build generates `allow-<command>`
// permissions for them, and capabilities/default.json grants exactly those to the window.
const COMMANDS: &[&str] = &[
    "app_info",
    "list_agents",
    "get_agent",
    "create_agent",
    "update_agent",
    "create_demo",
    "list_sessions",
    "get_session",
    "list_scopes",
    "import_file",
    "list_memory",
    "add_memory",
    "edit_memory",
    "delete_memory",
    "memory_history",
    "export_memory",
    "get_rubric",
    "check_rubric",
    "parse_rubric_yaml",
    "save_rubric",
    "import_rubric_file",
    "export_rubric",
    "describe_schedule",
    "schedule_overview",
    "list_dreams",
    "get_dream",
    "start_dream",
    "cancel_dream",
    "approve_proposals",
    "reject_proposals",
    "undo_dream",
    "progress",
    "provider_status",
    "provider_set",
    "provider_key_set",
    "provider_key_remove",
    "provider_test",
    "get_settings",
    "save_settings",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
