//! Certified exports: a thread packed for a court file and signed.
//!
//! A bundle is a zip of `thread.json` (what `Db::export_thread` gives:
//! the thread with its mark, every post the exporter may read with its
//! revisions, the analysis record, the files' SHA-256, the audit chain's
//! head, who exported it and when), `thread.pdf` (a printable copy, page
//! numbers and the mark on every page), the files themselves when asked
//! (`files/<id>-<name>`), `manifest.json` (each member's SHA-256, the
//! signing key) and `manifest.sig` (the Ed25519 signature of the manifest's
//! bytes, base64). The key is generated into the data directory on first
//! use (`export-key.ed25519`, the 32-byte seed, mode 0600); its public half
//! is served at `/.well-known/comity-export-key`. `forum-server export
//! verify FILE` and the `/verify` page check a bundle.

use std::io::{Read, Write};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use forum_core::features::export::ThreadExport;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The key file's name in the data directory.
pub const KEY_FILE: &str = "export-key.ed25519";

/// The server's signing key.
#[derive(Clone)]
pub struct ExportKey {
    signing: SigningKey,
}

impl std::fmt::Debug for ExportKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportKey")
            .field("key_id", &self.key_id())
            .finish()
    }
}

impl ExportKey {
    /// The key in `data_dir`, made there (readable by its owner only) if
    /// there is none yet.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<ExportKey> {
        let path = data_dir.join(KEY_FILE);
        let seed: [u8; 32] = match std::fs::read(&path) {
            Ok(bytes) => bytes
                .try_into()
                .map_err(|_| anyhow::anyhow!("{} is not a 32-byte key", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let seed: [u8; 32] = rand::random();
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                match options.open(&path) {
                    Ok(mut file) => {
                        file.write_all(&seed)?;
                        file.sync_all()?;
                        seed
                    }
                    // Another process made it meanwhile: use theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        std::fs::read(&path)?.try_into().map_err(|_| {
                            anyhow::anyhow!("{} is not a 32-byte key", path.display())
                        })?
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        };
        Ok(ExportKey {
            signing: SigningKey::from_bytes(&seed),
        })
    }

    pub fn verifying(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// The public key, base64.
    pub fn public_base64(&self) -> String {
        B64.encode(self.verifying().as_bytes())
    }

    /// A short name of the key: the first 16 hex digits of its SHA-256.
    pub fn key_id(&self) -> String {
        key_id(&self.verifying())
    }
}

fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

/// What the manifest says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub thread_id: forum_core::ThreadId,
    pub title: String,
    pub mark: String,
    pub exported_by: String,
    pub exported_at: String,
    pub audit_head: Option<String>,
    /// Member name → SHA-256 (hex).
    pub files: std::collections::BTreeMap<String, String>,
    pub key_id: String,
    /// The signing key, base64 (compare with the server's).
    pub public_key: String,
}

/// A file to put in the bundle.
pub struct BundledFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Packs and signs `export`.
pub fn bundle(
    export: &ThreadExport,
    key: &ExportKey,
    files: Vec<BundledFile>,
) -> anyhow::Result<Vec<u8>> {
    let json = serde_json::to_vec_pretty(export)?;
    let pdf = printable(export)?;
    let mut members: Vec<(String, Vec<u8>)> = vec![
        ("thread.json".to_owned(), json),
        ("thread.pdf".to_owned(), pdf),
    ];
    for f in files {
        members.push((format!("files/{}", f.name), f.bytes));
    }
    let manifest = Manifest {
        format: "comity-export/1".to_owned(),
        thread_id: export.thread.id,
        title: export.thread.title.clone(),
        mark: export.strictest_mark().as_str().to_owned(),
        exported_by: export.exported_by.username.clone(),
        exported_at: forum_core::rfc3339(export.exported_at),
        audit_head: export
            .audit_head
            .as_ref()
            .map(|h| format!("{}:{}", h.entry_id, h.hash)),
        files: members
            .iter()
            .map(|(name, bytes)| (name.clone(), hex::encode(Sha256::digest(bytes))))
            .collect(),
        key_id: key.key_id(),
        public_key: key.public_base64(),
    };
    let manifest_bytes = serde_json::to_vec_pretty(&manifest)?;
    let signature = key.signing.sign(&manifest_bytes);
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("manifest.json", options)?;
        zip.write_all(&manifest_bytes)?;
        zip.start_file("manifest.sig", options)?;
        zip.write_all(B64.encode(signature.to_bytes()).as_bytes())?;
        for (name, bytes) in &members {
            zip.start_file(name.as_str(), options)?;
            zip.write_all(bytes)?;
        }
        zip.finish()?;
    }
    Ok(out.into_inner())
}

/// What checking a bundle found.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub intact: bool,
    /// Why not, when not.
    pub problem: Option<String>,
    pub manifest: Option<Manifest>,
    /// The bundle was signed by the key given as trusted (this server's).
    pub signed_by_trusted_key: bool,
}

impl Verification {
    fn broken(problem: impl Into<String>, manifest: Option<Manifest>) -> Verification {
        Verification {
            intact: false,
            problem: Some(problem.into()),
            manifest,
            signed_by_trusted_key: false,
        }
    }
}

/// Checks a bundle: every member as the manifest lists it (no more, no
/// fewer, each SHA-256 equal), the manifest's signature by the key it
/// names, and that key being `trusted` when one is given.
pub fn verify(bytes: &[u8], trusted: Option<&VerifyingKey>) -> Verification {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Verification::broken("not a zip archive", None);
    };
    let mut read = |name: &str| -> Option<Vec<u8>> {
        let mut file = zip.by_name(name).ok()?;
        let mut out = Vec::new();
        file.read_to_end(&mut out).ok()?;
        Some(out)
    };
    let Some(manifest_bytes) = read("manifest.json") else {
        return Verification::broken("no manifest.json", None);
    };
    let Ok(manifest) = serde_json::from_slice::<Manifest>(&manifest_bytes) else {
        return Verification::broken("manifest.json does not parse", None);
    };
    let Some(signature) = read("manifest.sig") else {
        return Verification::broken("no manifest.sig", Some(manifest));
    };
    let signature = B64
        .decode(String::from_utf8_lossy(&signature).trim())
        .ok()
        .and_then(|s| Signature::from_slice(&s).ok());
    let key = B64
        .decode(&manifest.public_key)
        .ok()
        .and_then(|k| <[u8; 32]>::try_from(k).ok())
        .and_then(|k| VerifyingKey::from_bytes(&k).ok());
    let (Some(signature), Some(key)) = (signature, key) else {
        return Verification::broken("the signature or key is malformed", Some(manifest));
    };
    if key.verify(&manifest_bytes, &signature).is_err() {
        return Verification::broken("the manifest's signature does not hold", Some(manifest));
    }
    for (name, expected) in &manifest.files {
        let Some(content) = read(name) else {
            return Verification::broken(format!("{name} is missing"), Some(manifest));
        };
        if hex::encode(Sha256::digest(&content)) != *expected {
            return Verification::broken(format!("{name} was changed"), Some(manifest));
        }
    }
    let names: Vec<String> = (0..zip.len())
        .filter_map(|i| zip.by_index(i).ok().map(|f| f.name().to_owned()))
        .collect();
    if let Some(extra) = names
        .iter()
        .find(|n| !manifest.files.contains_key(*n) && *n != "manifest.json" && *n != "manifest.sig")
    {
        return Verification::broken(format!("{extra} is not in the manifest"), Some(manifest));
    }
    let signed_by_trusted_key = trusted.is_some_and(|t| t == &key);
    if trusted.is_some() && !signed_by_trusted_key {
        return Verification::broken(
            format!("signed by key {}, not this server's", key_id(&key)),
            Some(manifest),
        );
    }
    Verification {
        intact: true,
        problem: None,
        manifest: Some(manifest),
        signed_by_trusted_key,
    }
}

/// Lines of at most [`PDF_WIDTH`] characters, `text`'s paragraphs
/// wrapped at spaces.
fn wrap(lines: &mut Vec<String>, text: &str) {
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if line.chars().count() + word.chars().count() + 1 > PDF_WIDTH && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
}

/// Characters on a printed line.
const PDF_WIDTH: usize = 95;
/// Lines on a printed page.
const PDF_LINES: usize = 62;

/// A printable copy: A4 pages of text in Helvetica, the mark at the top of
/// every page and "page n of N" at its foot. Characters Helvetica's
/// encoding lacks (Arabic among them) print as `?`: the JSON beside it
/// holds the exact text.
pub fn printable(export: &ThreadExport) -> anyhow::Result<Vec<u8>> {
    let mut lines: Vec<String> = Vec::new();
    let mut push = |text: &str| wrap(&mut lines, text);
    let t = &export.thread;
    push(&format!("{} (thread {})", t.title, t.id));
    push(&format!(
        "Category: {} - jurisdictions: {} - kind: {}",
        t.category_name,
        t.jurisdictions.join(", "),
        t.kind
    ));
    push(&format!(
        "Exported by {} ({}) on {}",
        export.exported_by.display_name,
        export.exported_by.username,
        forum_core::rfc3339(export.exported_at)
    ));
    if let Some(head) = &export.audit_head {
        push(&format!(
            "Audit chain head: entry {} {}",
            head.entry_id, head.hash
        ));
    }
    if let Some(a) = &export.analysis {
        push("");
        push("ANALYSIS");
        push(&a.summary);
    }
    for p in &export.posts {
        push("");
        push(&format!(
            "#{} - {} ({}) - {}{}{}",
            p.post.id,
            p.post.author.display_name,
            p.post.author.username,
            forum_core::rfc3339(p.post.created_at),
            if p.post.hidden { " - hidden" } else { "" },
            match p.post.own_mark {
                Some(m) => format!(" - TLP:{m}"),
                None => String::new(),
            }
        ));
        push(&p.post.body);
        for file in &p.post.attachments {
            push(&format!("File: {} sha256 {}", file.name, file.sha256));
        }
        if p.revisions.len() > 1 {
            push(&format!("({} revisions in thread.json)", p.revisions.len()));
        }
    }
    let mark = format!("TLP:{}", export.strictest_mark().as_str());
    text_pdf(&[lines], &mark, None)
}

/// A dialogue publication, printable: a title page, the contents, then
/// each chapter on a new page with its jurisdictions, summary, provisions,
/// cases and how to cite it; its mark (`CLEAR` or `GREEN`: nothing
/// stricter is ever in a dialogue) on every page.
pub fn dialogue_printable(
    d: &forum_core::features::network::Dialogue,
    base_url: &str,
) -> anyhow::Result<Vec<u8>> {
    let base = base_url.trim_end_matches('/');
    let date = d.updated_at.format("%-d %B %Y").to_string();
    let mut sections: Vec<Vec<String>> = Vec::new();
    let mut title_page = Vec::new();
    for _ in 0..12 {
        title_page.push(String::new());
    }
    wrap(&mut title_page, &d.title.to_uppercase());
    title_page.push(String::new());
    wrap(
        &mut title_page,
        &format!("Jurisdictions: {}", d.jurisdictions.join(", ")),
    );
    wrap(
        &mut title_page,
        &format!("Compiled by {} - {date}", d.compiled_by.display_name),
    );
    wrap(&mut title_page, &format!("{base}/dialogues/{}", d.id));
    title_page.push(String::new());
    wrap(&mut title_page, &d.intro);
    sections.push(title_page);
    let mut contents = vec!["CONTENTS".to_owned(), String::new()];
    for (n, c) in d.chapters.iter().enumerate() {
        wrap(
            &mut contents,
            &format!("{}. {} [{}]", n + 1, c.title, c.jurisdictions.join(", ")),
        );
    }
    sections.push(contents);
    for (n, c) in d.chapters.iter().enumerate() {
        let mut page = Vec::new();
        wrap(&mut page, &format!("{}. {}", n + 1, c.title.to_uppercase()));
        wrap(
            &mut page,
            &format!(
                "Jurisdictions: {} - {} - TLP:{}",
                c.jurisdictions.join(", "),
                c.author.display_name,
                c.mark
            ),
        );
        if let Some(a) = &c.analysis {
            page.push(String::new());
            wrap(&mut page, "SUMMARY");
            wrap(&mut page, &a.summary);
            if !a.legal_provisions.is_empty() {
                page.push(String::new());
                wrap(&mut page, "PROVISIONS");
                for p in &a.legal_provisions {
                    wrap(&mut page, &format!("- {}: {}", p.jurisdiction, p.text));
                }
            }
            if !a.case_citations.is_empty() {
                page.push(String::new());
                wrap(&mut page, "CASES");
                for k in &a.case_citations {
                    wrap(&mut page, &format!("- {}", k.cite()));
                }
            }
        }
        page.push(String::new());
        wrap(&mut page, &c.body);
        page.push(String::new());
        wrap(
            &mut page,
            &format!(
                "Cite as: {}, \"{}\", in {}, Comity, {date}, {base}/t/{}",
                c.author.display_name, c.title, d.title, c.thread_id
            ),
        );
        sections.push(page);
    }
    text_pdf(
        &sections,
        &format!("TLP:{}", d.mark().as_str()),
        Some(&d.title),
    )
}

/// A4 pages of `sections` (each starting on a new page), `header` at the
/// top of every page and "page n of N" at its foot.
fn text_pdf(
    sections: &[Vec<String>],
    header: &str,
    title: Option<&str>,
) -> anyhow::Result<Vec<u8>> {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};

    let pages: Vec<&[String]> = sections
        .iter()
        .flat_map(|lines| lines.chunks(PDF_LINES))
        .collect();
    let total = pages.len().max(1);
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mark = header;
    let mut kids = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 11.into()]),
            Operation::new("Td", vec![50.into(), 810.into()]),
            Operation::new("Tj", vec![Object::string_literal(win_ansi(mark))]),
            Operation::new("Tf", vec!["F1".into(), 9.into()]),
            Operation::new("TL", vec![12.into()]),
            Operation::new("T*", vec![]),
            Operation::new("T*", vec![]),
        ];
        for line in page.iter() {
            ops.push(Operation::new(
                "Tj",
                vec![Object::string_literal(win_ansi(line))],
            ));
            ops.push(Operation::new("T*", vec![]));
        }
        ops.push(Operation::new("ET", vec![]));
        ops.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 9.into()]),
            Operation::new("Td", vec![50.into(), 30.into()]),
            Operation::new(
                "Tj",
                vec![Object::string_literal(win_ansi(&format!(
                    "{mark} - page {} of {total}",
                    n + 1
                )))],
            ),
            Operation::new("ET", vec![]),
        ]);
        let content = Content { operations: ops };
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode()?));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => total as i64,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    if let Some(title) = title {
        let info_id = doc.add_object(dictionary! {
            "Title" => Object::string_literal(win_ansi(title)),
            "Producer" => Object::string_literal("Comity"),
        });
        doc.trailer.set("Info", info_id);
    }
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    Ok(out)
}

/// `text` in Windows-1252 (Helvetica's encoding here), `?` for the rest.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c as u32 {
            0x20..=0x7e | 0xa0..=0xff => c as u32 as u8,
            0x2019 | 0x2018 => b'\'',
            0x201c | 0x201d => b'"',
            0x2013 | 0x2014 => b'-',
            0x2026 => b'.',
            0x20ac => 0x80,
            _ => b'?',
        })
        .collect()
}
