//! Watching sources: a file-system watcher (inotify, FSEvents, ReadDirectoryChanges through
//! `notify`) on every source path, debounced, so a burst of writes (a log growing line by
//! line) becomes one sync once it settles.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher as _};

use crate::error::{Error, Result};

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    _inner: notify::RecommendedWatcher,
}

/// Watch `paths` (folders recursively, files through their folder) and call `on_change` with
/// the changed paths once no change came for `quiet`.
pub fn start(
    paths: &[PathBuf],
    quiet: Duration,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<Watcher> {
    let (tx, rx) = mpsc::channel::<PathBuf>();
    let wanted: Vec<PathBuf> = paths.to_vec();
    let mut inner = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            if matches!(ev.kind, notify::EventKind::Access(_)) {
                return;
            }
            for p in ev.paths {
                let _ = tx.send(p);
            }
        }
    })
    .map_err(|e| Error::Internal(format!("could not watch sources: {e}")))?;
    for p in &wanted {
        let (target, mode) = if p.is_dir() {
            (p.as_path(), RecursiveMode::Recursive)
        } else {
            (
                p.parent().unwrap_or(Path::new(".")),
                RecursiveMode::NonRecursive,
            )
        };
        // A source that is gone cannot be watched; syncing it reports why.
        let _ = inner.watch(target, mode);
    }
    std::thread::Builder::new()
        .name("reverie-watch".into())
        .spawn(move || {
            let mut pending: Vec<PathBuf> = Vec::new();
            // When the oldest change still waiting came.
            let mut since: Option<Instant> = None;
            loop {
                match rx.recv_timeout(quiet) {
                    Ok(p) => {
                        if wanted.iter().any(|w| p.starts_with(w)) && !pending.contains(&p) {
                            pending.push(p);
                            since.get_or_insert_with(Instant::now);
                        }
                        // A file written without pause for long still syncs now and then.
                        if since.is_some_and(|t| t.elapsed() >= quiet * 10) {
                            since = None;
                            on_change(std::mem::take(&mut pending));
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if !pending.is_empty() {
                            since = None;
                            on_change(std::mem::take(&mut pending));
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
        })
        .map_err(|e| Error::io("could not start the source watcher", e))?;
    Ok(Watcher { _inner: inner })
}
