use std::io::IsTerminal;
use std::path::PathBuf;

use clap::ValueEnum;
use reverie::api::sessions;
use reverie::import::{Format, ImportOptions};

use super::{now, Ctx};

#[derive(clap::Args)]
pub struct Args {
    /// The file to import
    file: PathBuf,
    /// The file's format; `auto` looks at its first lines
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    format: FormatArg,
    /// Agent for sessions whose format names none
    #[arg(long, value_name = "SLUG")]
    agent: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    Reverie,
    Anthropic,
    Openai,
    ClaudeCode,
}

pub fn run(mut ctx: Ctx, args: Args) -> reverie::Result<()> {
    let format = match args.format {
        FormatArg::Auto => None,
        FormatArg::Reverie => Some(Format::Reverie),
        FormatArg::Anthropic => Some(Format::Anthropic),
        FormatArg::Openai => Some(Format::Openai),
        FormatArg::ClaudeCode => Some(Format::ClaudeCode),
    };
    let opts = ImportOptions {
        format,
        agent: args.agent,
        ..Default::default()
    };
    let show_progress = !ctx.json && std::io::stderr().is_terminal();
    let report = sessions::import_file(&mut ctx.conn, &args.file, &opts, now(), &mut |p| {
        if show_progress && p.bytes_total > 0 {
            eprint!("\rimporting… {:>3}%", p.bytes_done * 100 / p.bytes_total);
        }
    })?;
    if show_progress {
        eprint!("\r                \r");
    }
    if report.failed > 0 {
        super::lines_failed();
    }
    ctx.out(&report, || {
        let mut s = format!(
            "Imported {} sessions, updated {}, {} failed ({} format).",
            report.imported, report.updated, report.failed, report.format
        );
        for e in &report.errors {
            s.push_str(&format!("\n  line {}: {}", e.line, e.message));
        }
        if report.failed as usize > report.errors.len() {
            s.push_str(&format!(
                "\n  … and {} more",
                report.failed as usize - report.errors.len()
            ));
        }
        s
    });
    Ok(())
}
