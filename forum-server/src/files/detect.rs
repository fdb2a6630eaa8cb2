//! What a file is, from its bytes: magic numbers (the `infer` crate) and,
//! for the zip-based office formats, the entries inside. The name a client
//! gives is never trusted. Also: whether bytes of an inline type carry
//! markup a browser could run (a polyglot), and stripping the metadata
//! pictures carry (EXIF: GPS position, camera serial).

use std::io::Read;

use forum_core::domain::DocumentType;

/// How many leading bytes the checks read.
pub const HEAD_BYTES: usize = 64 * 1024;

/// The attachable type of a file whose content starts with `head`, the
/// whole file being `file` (for zip-based formats); `None` when it is not
/// one members may attach.
pub fn document_type(head: &[u8], file: &std::path::Path) -> Option<DocumentType> {
    if let Some(kind) = infer::get(head) {
        return match kind.mime_type() {
            "application/pdf" => Some(DocumentType::Pdf),
            "image/png" => Some(DocumentType::Png),
            "image/jpeg" => Some(DocumentType::Jpeg),
            "application/rtf" => Some(DocumentType::Rtf),
            "application/zip"
            | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            | "application/vnd.oasis.opendocument.text"
            | "application/vnd.oasis.opendocument.spreadsheet" => office_type(file),
            _ => None,
        };
    }
    is_plain_text(head).then_some(DocumentType::Text)
}

/// DOCX, XLSX, ODT or ODS by the entries of the zip (and an ODF's
/// `mimetype` entry).
fn office_type(file: &std::path::Path) -> Option<DocumentType> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(file).ok()?).ok()?;
    if let Ok(mut entry) = archive.by_name("mimetype") {
        let mut mime = String::new();
        entry.by_ref().take(200).read_to_string(&mut mime).ok()?;
        return match mime.trim() {
            "application/vnd.oasis.opendocument.text" => Some(DocumentType::Odt),
            "application/vnd.oasis.opendocument.spreadsheet" => Some(DocumentType::Ods),
            _ => None,
        };
    }
    let has =
        |archive: &mut zip::ZipArchive<std::fs::File>, name: &str| archive.by_name(name).is_ok();
    if !has(&mut archive, "[Content_Types].xml") {
        return None;
    }
    if has(&mut archive, "word/document.xml") {
        Some(DocumentType::Docx)
    } else if has(&mut archive, "xl/workbook.xml") {
        Some(DocumentType::Xlsx)
    } else {
        None
    }
}

/// Text a browser would not take for markup: UTF-8 without NULs or other
/// control characters beyond whitespace, not starting like HTML, SVG or
/// XML.
fn is_plain_text(head: &[u8]) -> bool {
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // A multi-byte character cut at the end of the head.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    if text.is_empty()
        || text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
    {
        return false;
    }
    !carries_markup(head)
}

/// Whether `head` holds markup a browser sniffing the bytes could render
/// as a page: an HTML, SVG or XML start, or a script, frame or object tag
/// anywhere in it.
pub fn carries_markup(head: &[u8]) -> bool {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let start = lower
        .iter()
        .position(|b| !b.is_ascii_whitespace() && *b != 0xef && *b != 0xbb && *b != 0xbf)
        .map(|i| &lower[i..])
        .unwrap_or_default();
    if start.starts_with(b"<") {
        return true;
    }
    const TAGS: [&[u8]; 9] = [
        b"<script",
        b"<html",
        b"<svg",
        b"<iframe",
        b"<object",
        b"<embed",
        b"<body",
        b"<!doctype",
        b"javascript:",
    ];
    TAGS.iter()
        .any(|tag| lower.windows(tag.len()).any(|w| w == *tag))
}

/// The picture without its metadata: EXIF, XMP and IPTC segments of a
/// JPEG, text and EXIF chunks of a PNG. Other bytes are unchanged.
pub fn strip_metadata(kind: DocumentType, bytes: Vec<u8>) -> anyhow::Result<Vec<u8>> {
    use img_parts::jpeg::{Jpeg, markers};
    use img_parts::png::Png;
    match kind {
        DocumentType::Jpeg => {
            let mut jpeg = Jpeg::from_bytes(bytes.into())?;
            jpeg.segments_mut()
                .retain(|s| !matches!(s.marker(), markers::APP1 | markers::APP13 | markers::COM));
            let mut out = Vec::new();
            jpeg.encoder().write_to(&mut out)?;
            Ok(out)
        }
        DocumentType::Png => {
            let mut png = Png::from_bytes(bytes.into())?;
            png.chunks_mut()
                .retain(|c| !matches!(&c.kind(), b"eXIf" | b"tEXt" | b"iTXt" | b"zTXt" | b"tIME"));
            let mut out = Vec::new();
            png.encoder().write_to(&mut out)?;
            Ok(out)
        }
        _ => Ok(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(bytes: &[u8]) -> Option<DocumentType> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, bytes).unwrap();
        document_type(&bytes[..bytes.len().min(HEAD_BYTES)], &path)
    }

    #[test]
    fn types_come_from_content_not_names() {
        assert_eq!(
            kind_of(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj"),
            Some(DocumentType::Pdf)
        );
        assert_eq!(
            kind_of("Tribunal Supremo, sentencia 123/2024".as_bytes()),
            Some(DocumentType::Text)
        );
        assert_eq!(kind_of(b"<!DOCTYPE html><script>alert(1)</script>"), None);
        assert_eq!(kind_of(b"  <html><body>x</body></html>"), None);
        assert_eq!(
            kind_of(b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            None
        );
        assert_eq!(kind_of(b"MZ\x90\x00\x03\x00\x00\x00"), None);
        assert_eq!(kind_of(b"\x7fELF\x02\x01\x01"), None);
        assert_eq!(kind_of(b"plain words then a NUL\x00"), None);
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut cursor = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut cursor);
            for (name, bytes) in entries {
                zip.start_file(*name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                zip.write_all(bytes).unwrap();
            }
            zip.finish().unwrap();
        }
        cursor.into_inner()
    }

    #[test]
    fn office_files_are_told_apart_by_what_they_hold() {
        let xlsx = zip_of(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]);
        assert_eq!(kind_of(&xlsx), Some(DocumentType::Xlsx));
        let docx = zip_of(&[
            ("_rels/.rels", b"<Relationships/>"),
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<document/>"),
        ]);
        assert_eq!(kind_of(&docx), Some(DocumentType::Docx));
        let ods = zip_of(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", b"<x/>"),
        ]);
        assert_eq!(kind_of(&ods), Some(DocumentType::Ods));
        // Other zips: an e-book, a presentation, a plain archive.
        let epub = zip_of(&[("mimetype", b"application/epub+zip")]);
        assert_eq!(kind_of(&epub), None);
        let pptx = zip_of(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("ppt/presentation.xml", b"<p/>"),
        ]);
        assert_eq!(kind_of(&pptx), None);
        assert_eq!(kind_of(&zip_of(&[("payload.exe", b"MZ")])), None);
    }

    #[test]
    fn polyglots_are_noticed() {
        assert!(carries_markup(b"%PDF-1.4 ... <script>alert(1)</script>"));
        assert!(carries_markup(b"\xff\xd8\xff\xe0<HTML>"));
        assert!(!carries_markup(b"%PDF-1.4 1 0 obj << /Type /Catalog >>"));
    }
}
