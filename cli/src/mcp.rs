//! `reverie mcp`: the Model Context Protocol over stdio, for any agent with an MCP client
//! (Claude Desktop, Claude Code, Cursor). Tools read an agent's approved memory (exactly what
//! `reverie memory prompt` gives) and search it; `record_feedback` stores a session with a
//! person's verdict, but only for agents whose owner turned that on. stdout is the protocol:
//! everything else goes to stderr.

use std::collections::BTreeMap;
use std::path::PathBuf;

use reverie::api::{self, sessions::Reported};
use reverie::model::Verdict;
use rmcp::handler::server::{router::tool::ToolRouter, wrapper::Parameters};
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, ListResourcesResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{tool, tool_handler, tool_router, ErrorData, RoleServer, ServerHandler, ServiceExt};
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Deserialize, JsonSchema)]
pub struct MemoryArgs {
    /// The agent's slug, as `list_agents` gives it.
    pub agent: String,
    /// The session's tags, such as {"client": "Harbour Tea"}: team-wide memory plus the
    /// memory for these tags (never another client's).
    #[serde(default)]
    pub tags: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchArgs {
    /// The agent's slug.
    pub agent: String,
    /// Words to look for in memory entries.
    pub query: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct FeedbackArgs {
    /// The agent's slug.
    pub agent: String,
    /// What the agent was asked to do in this session.
    pub task: String,
    /// What the agent answered or produced.
    #[serde(default)]
    pub answer: Option<String>,
    /// The person's verdict: "accepted", "revised" or "rejected".
    pub verdict: String,
    /// For "revised": the text the person used instead.
    #[serde(default)]
    pub final_text: Option<String>,
    /// The person's comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// Tags of the session, such as {"repo": "billing-api"}.
    #[serde(default)]
    pub tags: Option<BTreeMap<String, String>>,
}

#[derive(Clone)]
pub struct Server {
    db: PathBuf,
    tool_router: ToolRouter<Self>,
}

/// Run engine work on the blocking pool with a connection of its own; an engine error is a
/// tool error the client's model can read (its message says what to do), not a protocol one.
async fn engine<T: Send + 'static>(
    db: PathBuf,
    f: impl FnOnce(&mut api::Connection) -> reverie::Result<T> + Send + 'static,
) -> Result<Result<T, String>, ErrorData> {
    tokio::task::spawn_blocking(move || api::open(&db).and_then(|mut c| f(&mut c)))
        .await
        .map_err(|e| ErrorData::internal_error(e.to_string(), None))
        .map(|r| r.map_err(|e| e.to_json().message))
}

fn text(t: impl Into<String>) -> CallToolResult {
    CallToolResult::success(vec![ContentBlock::text(t.into())])
}

fn refused(t: impl Into<String>) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(t.into())])
}

#[tool_router]
impl Server {
    pub fn new(db: PathBuf) -> Self {
        Server {
            db,
            tool_router: Self::tool_router(),
        }
    }

    #[tool(
        description = "The agents Reverie keeps memory for: slug, name, and how many memory entries and sessions each has."
    )]
    async fn list_agents(&self) -> Result<CallToolResult, ErrorData> {
        let r = engine(self.db.clone(), |c| api::agents::list(c)).await?;
        Ok(match r {
            Ok(list) => text(
                serde_json::to_string_pretty(
                    &list
                        .iter()
                        .map(|a| {
                            serde_json::json!({"slug": a.slug, "name": a.name,
                                "memory_entries": a.memory_entries, "sessions": a.sessions,
                                "memory_on": a.memory_enabled})
                        })
                        .collect::<Vec<_>>(),
                )
                .unwrap_or_default(),
            ),
            Err(m) => refused(m),
        })
    }

    #[tool(
        description = "An agent's approved memory for a session with these tags, exactly as Reverie puts it into the agent's prompt: follow it unless the person asks otherwise."
    )]
    async fn get_memory(
        &self,
        Parameters(args): Parameters<MemoryArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let tags = args.tags.unwrap_or_default();
        let r = engine(self.db.clone(), move |c| {
            api::memory::prompt(c, &args.agent, &tags)
        })
        .await?;
        Ok(match r {
            Ok(p) if p.text.is_empty() => text(p.note),
            Ok(p) => text(p.text),
            Err(m) => refused(m),
        })
    }

    #[tool(
        description = "Memory entries of an agent that contain every word of the query, with their scope."
    )]
    async fn search_memory(
        &self,
        Parameters(args): Parameters<SearchArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let r = engine(self.db.clone(), move |c| {
            api::memory::search(c, &args.agent, &args.query)
        })
        .await?;
        Ok(match r {
            Ok(list) if list.is_empty() => text("No memory entry matches."),
            Ok(list) => text(
                list.iter()
                    .map(|e| format!("- [{}] {}", e.scope_label, e.content))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Err(m) => refused(m),
        })
    }

    #[tool(
        description = "Record this session with the person's verdict on the agent's work (accepted, revised with the text they used, or rejected) so Reverie's next dream learns from it. Only for agents whose owner allowed it in Reverie."
    )]
    async fn record_feedback(
        &self,
        Parameters(args): Parameters<FeedbackArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let verdict: Verdict = match args.verdict.parse() {
            Ok(v) => v,
            Err(_) => {
                return Ok(refused(format!(
                    "\"{}\" is not a verdict; use accepted, revised or rejected",
                    args.verdict
                )))
            }
        };
        let r = engine(self.db.clone(), move |c| {
            let agent = api::agents::get(c, &args.agent)?;
            if !agent.mcp_write {
                return Ok(None);
            }
            let reported = Reported {
                task: args.task,
                answer: args.answer,
                verdict,
                final_text: args.final_text,
                comment: args.comment,
                tags: args.tags.unwrap_or_default(),
            };
            api::sessions::record(c, &args.agent, &reported, "mcp", chrono::Utc::now()).map(Some)
        })
        .await?;
        Ok(match r {
            Ok(Some(id)) => text(format!("Recorded as session {id}; the next dream reads it.")),
            Ok(None) => refused(
                "Recording feedback is off for this agent. Its owner can turn it on in Reverie (the agent's page, \"Let MCP clients record feedback\") or with `reverie agent mcp-write SLUG on`.",
            ),
            Err(m) => refused(m),
        })
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .build(),
        )
        // Named explicitly: the SDK would otherwise report its own name and version.
        .with_server_info(Implementation::new("reverie", env!("CARGO_PKG_VERSION")))
        .with_instructions(
            "Reverie keeps your team's approved memory for each agent. Call get_memory with your agent's slug and the session's tags (such as the client) at the start of a task, and follow it unless the person asks otherwise.",
        )
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let r = engine(self.db.clone(), |c| api::agents::list(c)).await?;
        let agents = r.map_err(|m| ErrorData::internal_error(m, None))?;
        Ok(ListResourcesResult::with_all_items(
            agents
                .into_iter()
                .map(|a| {
                    Resource::new(format!("reverie://memory/{}", a.slug), a.name)
                        .with_mime_type("text/markdown")
                })
                .collect(),
        ))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let Some(slug) = request
            .uri
            .strip_prefix("reverie://memory/")
            .map(str::to_string)
        else {
            return Err(ErrorData::resource_not_found(
                format!("no resource {}", request.uri),
                None,
            ));
        };
        let r = engine(self.db.clone(), move |c| {
            api::memory::export(c, &slug, reverie::model::MemoryFormat::Markdown)
        })
        .await?;
        let body = r.map_err(|m| ErrorData::resource_not_found(m, None))?;
        Ok(ReadResourceResult::new(vec![ResourceContents::text(body, request.uri.clone())]).into())
    }
}

/// Serve on stdin/stdout until the client closes stdin.
pub fn run(db: PathBuf) -> reverie::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| reverie::Error::io("could not start the MCP server", e))?;
    rt.block_on(async move {
        eprintln!("reverie mcp: serving {} on stdio", db.display());
        let service = Server::new(db)
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| reverie::Error::Internal(format!("MCP handshake failed: {e}")))?;
        service
            .waiting()
            .await
            .map_err(|e| reverie::Error::Internal(format!("the MCP session ended badly: {e}")))?;
        Ok(())
    })
}
