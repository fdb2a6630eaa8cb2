//! The text inside attachments. Reading runs in a child process (this
//! binary's `extract-text` command) with a cap on its address space and a
//! deadline, so a 500-page PDF or a zip bomb costs at most that child:
//! [`run`] starts it and waits, [`extract_file`] is what the child does.
//!
//! PDF: `pdf-extract` (pure Rust), page by page, and the author named in
//! its metadata (`lopdf`). DOCX and ODT: their XML, read with `quick-xml`
//! (a DOCX's page breaks split pages). Text and RTF: as they are. Pictures:
//! Tesseract OCR when it is installed.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use forum_core::domain::DocumentType;
use forum_core::features::attachments::ExtractionOutcome;
use serde::{Deserialize, Serialize};

/// What the child prints: pages of text and the document's author.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Extracted {
    pub pages: Vec<String>,
    pub author: Option<String>,
}

/// Decompressed XML read from one office document at most (a zip bomb
/// stops here).
const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;
/// Text kept from one file at most (a 2,000-page judgment is about half
/// of it); the rest is cut, so one file cannot swell the database or the
/// index.
const MAX_TEXT_BYTES: usize = 8 * 1024 * 1024;
/// Characters of plain text per "page" of a text file.
const TEXT_PAGE_CHARS: usize = 4_000;

/// How the worker runs the child.
#[derive(Debug, Clone)]
pub struct Extractor {
    /// The binary with the `extract-text` command.
    pub program: PathBuf,
    pub timeout: Duration,
    pub memory_mib: u64,
    /// Tesseract, when installed.
    pub tesseract: Option<PathBuf>,
}

impl Extractor {
    /// Reads the text of `path` (of type `kind`) in a child process.
    pub fn run(&self, path: &Path, kind: DocumentType) -> ExtractionOutcome {
        if matches!(kind, DocumentType::Xlsx | DocumentType::Ods) {
            return ExtractionOutcome::NoText;
        }
        if kind.is_image() && self.tesseract.is_none() {
            return ExtractionOutcome::NoText;
        }
        let mut command = Command::new(&self.program);
        command
            .arg("extract-text")
            .arg("--media-type")
            .arg(kind.as_str())
            .arg("--memory-mib")
            .arg(self.memory_mib.to_string())
            .arg(path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(tesseract) = &self.tesseract {
            command.arg("--tesseract").arg(tesseract);
        }
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(e) => {
                return ExtractionOutcome::Failed(format!("could not start the extractor: {e}"));
            }
        };
        let mut stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            let _ = stdout.read_to_end(&mut out);
            out
        });
        let errors = std::thread::spawn(move || {
            let mut out = Vec::new();
            let _ = (&mut stderr).take(4096).read_to_end(&mut out);
            out
        });
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(_) => break None,
            }
        };
        let out = reader.join().unwrap_or_default();
        let err = errors.join().unwrap_or_default();
        match status {
            None => ExtractionOutcome::Failed(format!(
                "reading the text took longer than {} s",
                self.timeout.as_secs()
            )),
            Some(_) if String::from_utf8_lossy(&err).contains("memory allocation of") => {
                ExtractionOutcome::Failed(format!(
                    "reading the text needed more than the {} MiB allowed",
                    self.memory_mib
                ))
            }
            Some(status) if !status.success() => {
                let why = String::from_utf8_lossy(&err)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned();
                ExtractionOutcome::Failed(if why.is_empty() {
                    format!("the extractor stopped ({status})")
                } else {
                    why
                })
            }
            Some(_) => match serde_json::from_slice::<Extracted>(&out) {
                Ok(extracted) if extracted.pages.iter().all(|p| p.trim().is_empty()) => {
                    ExtractionOutcome::NoText
                }
                Ok(extracted) => ExtractionOutcome::Text {
                    pages: extracted.pages,
                    document_author: extracted.author,
                },
                Err(e) => ExtractionOutcome::Failed(format!("unreadable extractor output: {e}")),
            },
        }
    }
}

/// The child's work: caps its own address space, reads the file, prints
/// [`Extracted`] as JSON.
pub fn child_main(
    path: &Path,
    media_type: &str,
    memory_mib: u64,
    tesseract: Option<&Path>,
) -> anyhow::Result<()> {
    let limit = memory_mib.saturating_mul(1024 * 1024);
    rlimit::setrlimit(rlimit::Resource::AS, limit, limit)?;
    let kind = DocumentType::parse(media_type).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut extracted = extract_file(path, kind, tesseract)?;
    cap_text(&mut extracted.pages, MAX_TEXT_BYTES);
    serde_json::to_writer(std::io::stdout().lock(), &extracted)?;
    Ok(())
}

/// Reads the text of a file of type `kind`.
pub fn extract_file(
    path: &Path,
    kind: DocumentType,
    tesseract: Option<&Path>,
) -> anyhow::Result<Extracted> {
    match kind {
        DocumentType::Pdf => pdf(path, tesseract),
        DocumentType::Docx => office(path, "word/document.xml", Dialect::Docx),
        DocumentType::Odt => office(path, "content.xml", Dialect::Odt),
        DocumentType::Text => Ok(Extracted {
            pages: text_pages(&String::from_utf8_lossy(&std::fs::read(path)?)),
            author: None,
        }),
        DocumentType::Rtf => Ok(Extracted {
            pages: text_pages(&rtf_text(&String::from_utf8_lossy(&std::fs::read(path)?))),
            author: None,
        }),
        DocumentType::Png | DocumentType::Jpeg => match tesseract {
            Some(tesseract) => ocr(tesseract, path),
            None => Ok(Extracted::default()),
        },
        DocumentType::Xlsx | DocumentType::Ods => Ok(Extracted::default()),
    }
}

fn pdf(path: &Path, tesseract: Option<&Path>) -> anyhow::Result<Extracted> {
    let bytes = std::fs::read(path)?;
    let doc = lopdf::Document::load_mem(&bytes).ok();
    let author = doc.as_ref().and_then(pdf_author);
    let pages = match pdf_extract::extract_text_from_mem_by_pages(&bytes) {
        Ok(pages) => pages.into_iter().map(|p| tidy(&p)).collect(),
        // A PDF whose text cannot be read may still be a scan.
        Err(_) if tesseract.is_some() && doc.is_some() => Vec::new(),
        Err(e) => anyhow::bail!("the PDF could not be read: {e}"),
    };
    let (Some(tesseract), Some(doc)) = (tesseract, doc) else {
        return Ok(Extracted { pages, author });
    };
    // A scanned page has no text but a picture of it: read its JPEG
    // images with Tesseract.
    let mut pages = pages;
    let page_ids: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    pages.resize(page_ids.len().max(pages.len()), String::new());
    let scratch = tempfile::tempdir()?;
    for (n, page_id) in page_ids.iter().enumerate() {
        if pages[n].chars().filter(|c| c.is_alphanumeric()).count() >= 20 {
            continue;
        }
        let Ok(images) = doc.get_page_images(*page_id) else {
            continue;
        };
        let mut text = String::new();
        for (i, image) in images.iter().enumerate() {
            let jpeg = image
                .filters
                .as_ref()
                .is_some_and(|f| f.iter().any(|f| f == "DCTDecode"));
            if !jpeg {
                continue;
            }
            let file = scratch.path().join(format!("p{n}-{i}.jpg"));
            std::fs::write(&file, image.content)?;
            text.push_str(&ocr(tesseract, &file)?.pages.concat());
            text.push('\n');
        }
        if !text.trim().is_empty() {
            pages[n] = tidy(&text);
        }
    }
    Ok(Extracted { pages, author })
}

fn pdf_author(doc: &lopdf::Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = match info {
        lopdf::Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        lopdf::Object::Dictionary(d) => d,
        _ => return None,
    };
    let author = info.get(b"Author").ok()?;
    let text = match author {
        lopdf::Object::String(bytes, _) => decode_pdf_string(bytes),
        _ => return None,
    };
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// A PDF text string: UTF-16BE with a byte-order mark, else PDFDocEncoding
/// (read as Latin-1, which it equals for letters).
fn decode_pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|b| *b as char).collect()
    }
}

#[derive(Clone, Copy)]
enum Dialect {
    Docx,
    Odt,
}

fn office(path: &Path, entry: &str, dialect: Dialect) -> anyhow::Result<Extracted> {
    use quick_xml::events::Event;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    let mut xml = Vec::new();
    archive
        .by_name(entry)?
        .take(MAX_XML_BYTES)
        .read_to_end(&mut xml)?;
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut pages = vec![String::new()];
    let mut buffer = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buffer)?;
        match &event {
            Event::Eof => break,
            Event::Text(text) => {
                let text = text.decode().map(|t| t.into_owned()).unwrap_or_default();
                let text = quick_xml::escape::unescape(&text)
                    .map(|t| t.into_owned())
                    .unwrap_or(text);
                pages.last_mut().expect("one page").push_str(&text);
            }
            Event::GeneralRef(name) => {
                let name = String::from_utf8_lossy(name.as_ref()).into_owned();
                let resolved = quick_xml::escape::unescape(&format!("&{name};"))
                    .map(|t| t.into_owned())
                    .unwrap_or_default();
                pages.last_mut().expect("one page").push_str(&resolved);
            }
            Event::Start(tag) | Event::Empty(tag) => {
                let name = tag.name();
                let local = name.as_ref();
                let page_break = match dialect {
                    Dialect::Docx => {
                        local == b"w:lastRenderedPageBreak"
                            || (local == b"w:br"
                                && tag.attributes().flatten().any(|a| {
                                    a.key.as_ref() == b"w:type" && a.value.as_ref() == b"page"
                                }))
                    }
                    Dialect::Odt => false,
                };
                let space = match dialect {
                    Dialect::Docx => matches!(local, b"w:tab" | b"w:br" | b"w:cr"),
                    Dialect::Odt => matches!(local, b"text:s" | b"text:tab" | b"text:line-break"),
                };
                if page_break && !pages.last().expect("one page").trim().is_empty() {
                    pages.push(String::new());
                } else if space {
                    pages.last_mut().expect("one page").push(' ');
                }
            }
            Event::End(tag) => {
                let name = tag.name();
                let ends_paragraph = match dialect {
                    Dialect::Docx => name.as_ref() == b"w:p",
                    Dialect::Odt => matches!(name.as_ref(), b"text:p" | b"text:h"),
                };
                if ends_paragraph {
                    pages.last_mut().expect("one page").push('\n');
                }
            }
            _ => {}
        }
        buffer.clear();
    }
    Ok(Extracted {
        pages: pages.iter().map(|p| tidy(p)).collect(),
        author: None,
    })
}

/// Plain text cut into pages of about [`TEXT_PAGE_CHARS`], at line ends.
fn text_pages(text: &str) -> Vec<String> {
    let mut pages = vec![String::new()];
    for line in text.lines() {
        let page = pages.last_mut().expect("one page");
        if page.chars().count() + line.chars().count() > TEXT_PAGE_CHARS && !page.is_empty() {
            pages.push(String::new());
        }
        let page = pages.last_mut().expect("one page");
        page.push_str(line);
        page.push('\n');
    }
    pages.iter().map(|p| tidy(p)).collect()
}

/// The words of an RTF document: control words and groups of destinations
/// dropped, `\'xx` escapes read as Windows-1252 (Latin-1 for letters).
fn rtf_text(rtf: &str) -> String {
    let mut out = String::new();
    let mut chars = rtf.chars().peekable();
    let mut skip_depth: Option<usize> = None;
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '{' => depth += 1,
            '}' => {
                if skip_depth == Some(depth) {
                    skip_depth = None;
                }
                depth = depth.saturating_sub(1);
            }
            '\\' => {
                let mut word = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphabetic() {
                        word.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if word.is_empty() {
                    match chars.next() {
                        Some('\'') => {
                            let hex: String = chars.by_ref().take(2).collect();
                            if skip_depth.is_none()
                                && let Ok(b) = u8::from_str_radix(&hex, 16)
                            {
                                out.push(b as char);
                            }
                        }
                        Some('*') => skip_depth = skip_depth.or(Some(depth)),
                        Some(other) if skip_depth.is_none() && "\\{}".contains(other) => {
                            out.push(other)
                        }
                        _ => {}
                    }
                    continue;
                }
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_digit() || n == '-' {
                        chars.next();
                    } else {
                        break;
                    }
                }
                if chars.peek() == Some(&' ') {
                    chars.next();
                }
                if matches!(
                    word.as_str(),
                    "fonttbl" | "colortbl" | "stylesheet" | "info" | "pict" | "header" | "footer"
                ) {
                    skip_depth = skip_depth.or(Some(depth));
                }
                if skip_depth.is_none() && matches!(word.as_str(), "par" | "line" | "page") {
                    out.push('\n');
                }
            }
            '\r' | '\n' => {}
            c if skip_depth.is_none() => out.push(c),
            _ => {}
        }
    }
    out
}

fn ocr(tesseract: &Path, path: &Path) -> anyhow::Result<Extracted> {
    let output = Command::new(tesseract)
        .arg(path)
        .arg("stdout")
        .args(["-l", "eng+fra+spa+ara"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()?;
    if !output.status.success() {
        anyhow::bail!("OCR failed ({})", output.status);
    }
    Ok(Extracted {
        pages: vec![tidy(&String::from_utf8_lossy(&output.stdout))],
        author: None,
    })
}

/// Cuts `pages` to at most `max` bytes of text in all (at a character
/// boundary), dropping the pages after the cut.
fn cap_text(pages: &mut Vec<String>, max: usize) {
    let mut left = max;
    let mut keep = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        if page.len() <= left {
            left -= page.len();
            continue;
        }
        let mut end = left;
        while !page.is_char_boundary(end) {
            end -= 1;
        }
        page.truncate(end);
        keep = i + 1;
        break;
    }
    pages.truncate(keep);
}

/// Runs of blank lines and trailing spaces trimmed.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtf_keeps_the_words() {
        let rtf = r"{\rtf1\ansi{\fonttbl{\f0 Times;}}\f0 Sentencia del Tribunal Supremo\par contrabando de tabaco \'e9xito}";
        let text = rtf_text(rtf);
        assert!(
            text.contains("Sentencia del Tribunal Supremo\ncontrabando de tabaco éxito"),
            "{text:?}"
        );
        assert!(!text.contains("Times"));
    }

    #[test]
    fn odt_text_is_read_from_its_xml() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("note.odt");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("mimetype", options).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.text")
            .unwrap();
        zip.start_file("content.xml", options).unwrap();
        zip.write_all(
            br#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text><text:h>Arr&#234;t</text:h><text:p>La cour<text:s/>d&apos;appel a jug&#233; le <text:span>contrebandier</text:span>.</text:p></office:text></office:body></office:document-content>"#,
        )
        .unwrap();
        zip.finish().unwrap();
        let head = std::fs::read(&path).unwrap();
        assert_eq!(
            crate::files::detect::document_type(&head, &path),
            Some(DocumentType::Odt)
        );
        let text = extract_file(&path, DocumentType::Odt, None).unwrap();
        assert_eq!(
            text.pages,
            vec!["Arrêt\nLa cour d'appel a jugé le contrebandier.".to_owned()]
        );
    }

    #[test]
    fn text_is_capped_at_a_character_boundary() {
        let mut pages = vec!["ééé".to_owned(), "abc".to_owned(), "def".to_owned()];
        cap_text(&mut pages, 8);
        assert_eq!(pages, vec!["ééé".to_owned(), "ab".to_owned()]);
        let mut pages = vec!["éé".to_owned()];
        cap_text(&mut pages, 3);
        assert_eq!(pages, vec!["é".to_owned()]);
    }

    #[test]
    fn text_is_cut_into_pages() {
        let long = "palabra ".repeat(100) + "\n";
        let pages = text_pages(&long.repeat(20));
        assert!(pages.len() > 1);
        assert!(
            pages
                .iter()
                .all(|p| p.chars().count() <= TEXT_PAGE_CHARS + 900)
        );
    }
}
