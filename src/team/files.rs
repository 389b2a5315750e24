//! The team's shared folder, as its file tools see it: paths relative to the folder, resolved
//! and checked to stay inside it (no absolute path, no `..`, no symbolic link anywhere on the
//! way), text files only, with size limits. A model's tool call is untrusted input.

use std::path::{Component, Path, PathBuf};

/// The largest file a tool reads or writes.
pub const MAX_FILE_BYTES: usize = 256 * 1024;
/// The most entries `list_files` answers with.
const MAX_LISTED: usize = 500;

pub struct Folder {
    root: PathBuf,
}

impl Folder {
    /// The folder at `path`, created if missing.
    pub fn open(path: &Path) -> Result<Folder, String> {
        std::fs::create_dir_all(path).map_err(|e| {
            format!(
                "the shared folder {} cannot be created ({e})",
                path.display()
            )
        })?;
        let root = path
            .canonicalize()
            .map_err(|e| format!("the shared folder {} cannot be read ({e})", path.display()))?;
        Ok(Folder { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `rel` inside the folder, or why not. Every existing part of the way must be a plain
    /// folder or file, never a link.
    pub fn resolve(&self, rel: &str) -> Result<PathBuf, String> {
        let rel = rel.trim();
        if rel.is_empty() {
            return Err("give a path inside the shared folder, such as notes/draft.md".into());
        }
        let p = Path::new(rel);
        let mut out = self.root.clone();
        for c in p.components() {
            match c {
                Component::Normal(part) => {
                    out.push(part);
                    if let Ok(meta) = std::fs::symlink_metadata(&out) {
                        if meta.file_type().is_symlink() {
                            return Err(format!(
                                "{rel} goes through a link, which could lead outside the shared folder; use plain files"
                            ));
                        }
                    }
                }
                Component::CurDir => {}
                Component::ParentDir => {
                    return Err(format!(
                        "{rel} climbs out with `..`; paths stay inside the shared folder"
                    ))
                }
                Component::RootDir | Component::Prefix(_) => {
                    return Err(format!(
                        "{rel} is an absolute path; give a path relative to the shared folder"
                    ))
                }
            }
        }
        if out == self.root {
            return Err("give a file inside the shared folder, not the folder itself".into());
        }
        Ok(out)
    }

    fn shown(&self, p: &Path) -> String {
        p.strip_prefix(&self.root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    }

    /// Every file under the folder (relative paths and sizes), folders first-level down too.
    pub fn list(&self) -> Result<String, String> {
        let mut files = Vec::new();
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            let entries =
                std::fs::read_dir(&dir).map_err(|e| format!("cannot list the folder ({e})"))?;
            for e in entries.flatten() {
                let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
                    continue;
                };
                if meta.is_dir() {
                    stack.push(e.path());
                } else if meta.is_file() {
                    files.push(format!("{} ({} bytes)", self.shown(&e.path()), meta.len()));
                }
                if files.len() >= MAX_LISTED {
                    break;
                }
            }
        }
        files.sort();
        if files.is_empty() {
            return Ok("The shared folder is empty.".into());
        }
        Ok(files.join("\n"))
    }

    pub fn read(&self, rel: &str) -> Result<String, String> {
        let p = self.resolve(rel)?;
        let meta = std::fs::metadata(&p)
            .map_err(|_| format!("{rel} does not exist; list_files shows what does"))?;
        if !meta.is_file() {
            return Err(format!("{rel} is not a file"));
        }
        if meta.len() as usize > MAX_FILE_BYTES {
            return Err(format!(
                "{rel} is {} bytes; files over {MAX_FILE_BYTES} bytes are not read",
                meta.len()
            ));
        }
        let bytes = std::fs::read(&p).map_err(|e| format!("{rel} cannot be read ({e})"))?;
        if bytes.contains(&0) {
            return Err(format!("{rel} is not a text file"));
        }
        String::from_utf8(bytes).map_err(|_| format!("{rel} is not UTF-8 text"))
    }

    /// Write `content` to `rel` (folders made as needed), atomically.
    pub fn write(&self, rel: &str, content: &str) -> Result<String, String> {
        if content.len() > MAX_FILE_BYTES {
            return Err(format!(
                "the text is {} bytes; files over {MAX_FILE_BYTES} bytes are not written",
                content.len()
            ));
        }
        if content.contains('\0') {
            return Err("only text can be written".into());
        }
        let p = self.resolve(rel)?;
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("{rel}: cannot make its folder ({e})"))?;
            // The folders just made must still be inside (nothing raced a link in).
            let real = parent.canonicalize().map_err(|e| format!("{rel}: {e}"))?;
            if !real.starts_with(&self.root) {
                return Err(format!("{rel} would land outside the shared folder"));
            }
        }
        let tmp = p.with_extension(format!("reverie-tmp-{}", std::process::id()));
        std::fs::write(&tmp, content).map_err(|e| format!("{rel} cannot be written ({e})"))?;
        std::fs::rename(&tmp, &p).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("{rel} cannot be written ({e})")
        })?;
        Ok(format!(
            "Wrote {} ({} bytes).",
            self.shown(&p),
            content.len()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let f = Folder::open(&dir.path().join("shared")).unwrap();
        assert!(f
            .write("notes/a.md", "hello")
            .unwrap()
            .contains("notes/a.md"));
        assert_eq!(f.read("notes/a.md").unwrap(), "hello");
        assert_eq!(f.read("./notes/a.md").unwrap(), "hello");
        for bad in ["../x", "notes/../../x", "/etc/passwd", ""] {
            assert!(f.read(bad).is_err(), "{bad}");
            assert!(f.write(bad, "x").is_err(), "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path(), f.root().join("out")).unwrap();
            let e = f.read("out/shared/notes/a.md").unwrap_err();
            assert!(e.contains("link"), "{e}");
            assert!(f.write("out/evil.md", "x").is_err());
            assert!(!dir.path().join("evil.md").exists());
        }
        assert!(f.write("big.md", &"x".repeat(MAX_FILE_BYTES + 1)).is_err());
        assert!(f.list().unwrap().contains("notes/a.md (5 bytes)"));
    }
}
