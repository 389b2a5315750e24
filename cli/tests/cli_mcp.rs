//! `reverie mcp` driven by a real MCP client (the official Rust SDK's) over the child's
//! stdin and stdout: tools are listed, `get_memory` gives byte for byte what `reverie memory
//! prompt` prints, `search_memory` finds entries, and `record_feedback` is refused until the
//! agent's owner turns it on.

mod common;

use common::{fixture, reverie};
use rmcp::model::{CallToolRequestParams, CallToolResult, ReadResourceRequestParams};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::ServiceExt;
use serde_json::json;

fn text_of(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn args(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    v.as_object().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_mcp_client_reads_memory_and_may_write_only_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    assert_eq!(
        reverie(
            &db,
            &["import", fixture("sessions.jsonl").to_str().unwrap()]
        )
        .code,
        0
    );
    let memory = dir.path().join("memory.jsonl");
    std::fs::write(
        &memory,
        concat!(
            "{\"content\": \"Never use exclamation marks.\"}\n",
            "{\"content\": \"Harbour Tea posts end with #SlowTea.\", \"scope\": {\"client\": \"Harbour Tea\"}}\n",
            "{\"content\": \"Fernwood Cycles posts sign off as Tom.\", \"scope\": {\"client\": \"Fernwood Cycles\"}}\n",
        ),
    )
    .unwrap();
    assert_eq!(
        reverie(
            &db,
            &[
                "memory",
                "import",
                "--agent",
                "social-drafts",
                memory.to_str().unwrap()
            ]
        )
        .code,
        0
    );
    let expected = reverie(
        &db,
        &[
            "memory",
            "prompt",
            "--agent",
            "social-drafts",
            "--tag",
            "client=Harbour Tea",
        ],
    )
    .stdout;

    let cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_reverie")).configure(|c| {
        c.arg("--db").arg(&db).arg("mcp").env_remove("REVERIE_DB");
    });
    let client = ().serve(TokioChildProcess::new(cmd).unwrap()).await.unwrap();
    let info = client.peer_info().expect("initialized");
    assert_eq!(info.server_info.as_ref().unwrap().name, "reverie");

    let tools = client.list_all_tools().await.unwrap();
    let mut names: Vec<String> = tools.iter().map(|t| t.name.to_string()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "get_memory",
            "list_agents",
            "record_feedback",
            "search_memory"
        ]
    );

    let agents = client
        .call_tool(CallToolRequestParams::new("list_agents"))
        .await
        .unwrap();
    assert!(text_of(&agents).contains("social-drafts"));

    let got = client
        .call_tool(
            CallToolRequestParams::new("get_memory").with_arguments(args(
                json!({"agent": "social-drafts", "tags": {"client": "Harbour Tea"}}),
            )),
        )
        .await
        .unwrap();
    assert_ne!(got.is_error, Some(true));
    assert_eq!(
        text_of(&got),
        expected,
        "exactly what `memory prompt` prints"
    );
    assert!(!text_of(&got).contains("Fernwood"));

    let found = client
        .call_tool(
            CallToolRequestParams::new("search_memory").with_arguments(args(
                json!({"agent": "social-drafts", "query": "exclamation"}),
            )),
        )
        .await
        .unwrap();
    assert!(text_of(&found).contains("Never use exclamation marks."));

    let missing = client
        .call_tool(
            CallToolRequestParams::new("get_memory")
                .with_arguments(args(json!({"agent": "nobody"}))),
        )
        .await
        .unwrap();
    assert_eq!(missing.is_error, Some(true));

    // Writing is refused until the owner allows it for this agent.
    let feedback = || {
        CallToolRequestParams::new("record_feedback").with_arguments(args(json!({
            "agent": "social-drafts",
            "task": "Draft the Friday post for Harbour Tea.",
            "answer": "Big news! Our new blend is here!",
            "verdict": "revised",
            "final_text": "Our new blend is here. #SlowTea",
            "comment": "no exclamation marks",
            "tags": {"client": "Harbour Tea"},
        })))
    };
    let refused = client.call_tool(feedback()).await.unwrap();
    assert_eq!(refused.is_error, Some(true));
    assert!(text_of(&refused).contains("off for this agent"));
    assert_eq!(
        reverie(&db, &["agent", "mcp-write", "social-drafts", "on"]).code,
        0
    );
    let stored = client.call_tool(feedback()).await.unwrap();
    assert_ne!(stored.is_error, Some(true), "{}", text_of(&stored));
    let id = text_of(&stored)
        .split_whitespace()
        .find(|w| w.starts_with("mcp-"))
        .unwrap()
        .trim_end_matches(';')
        .to_string();
    let s = reverie(
        &db,
        &["--json", "session", "show", "--agent", "social-drafts", &id],
    )
    .json();
    assert_eq!(s["source"], "mcp");
    assert_eq!(s["feedback"][0]["verdict"], "revised");

    // Each agent's memory is a resource too.
    let read = client
        .read_resource(ReadResourceRequestParams::new(
            "reverie://memory/social-drafts",
        ))
        .await
        .unwrap();
    assert!(format!("{:?}", read.contents).contains("exclamation"));

    client.cancel().await.unwrap();
}
