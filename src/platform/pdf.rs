//! A deliberately small PDF 1.4 writer: one page, vector drawing, and text in
//! the standard Helvetica faces.
//!
//! The standard Type1 fonts need no embedding, so a label stays a few
//! kilobytes and every viewer and printer has the glyphs. The price is the
//! WinAnsi character set: text is mapped to it here, and anything it lacks
//! prints as '?' rather than as a wrong glyph. Streams are left uncompressed
//! so that tests, `pdftotext` and a curious person with a text editor can read
//! what was drawn, and the whole file stays ASCII apart from the binary marker
//! comment on line two.

use std::fmt::Write as _;

/// PDF points per millimetre.
pub const MM: f64 = 72.0 / 25.4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Font {
    Helvetica,
    HelveticaBold,
}

impl Font {
    const ALL: [Font; 2] = [Font::Helvetica, Font::HelveticaBold];

    fn resource(self) -> &'static str {
        match self {
            Font::Helvetica => "F1",
            Font::HelveticaBold => "F2",
        }
    }

    fn base_font(self) -> &'static str {
        match self {
            Font::Helvetica => "Helvetica",
            Font::HelveticaBold => "Helvetica-Bold",
        }
    }

    fn widths(self) -> &'static [u16; 224] {
        match self {
            Font::Helvetica => &HELVETICA_WIDTHS,
            Font::HelveticaBold => &HELVETICA_BOLD_WIDTHS,
        }
    }
}

/// The WinAnsi byte that prints `c`, or `?` when the encoding has no such
/// glyph. Besides Latin-1, the typographic apostrophe, quotes, dashes, the
/// euro sign and œ are mapped because people type them into addresses
/// ("Rue de l’Église", "Cœur") on phones that substitute them automatically.
pub fn winansi_byte(c: char) -> u8 {
    match c {
        ' '..='~' | '\u{A0}'..='\u{FF}' => c as u32 as u8,
        // A stray control character from a pasted address must not end up
        // as an invisible byte that some printers choke on.
        '\t' | '\n' | '\r' => b' ',
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => b'?',
    }
}

pub fn winansi(s: &str) -> Vec<u8> {
    s.chars().map(winansi_byte).collect()
}

/// A PDF literal string, parentheses included. Bytes outside printable ASCII
/// are written as octal escapes so that the file never depends on how a
/// transport or an editor treats high bytes.
pub fn literal(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            b' '..=b'~' => out.push(b as char),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push(')');
    out
}

/// `s` as a literal string in the fonts' WinAnsi encoding.
pub fn text_literal(s: &str) -> String {
    literal(&winansi(s))
}

/// Width of `s` in points when set in `font` at `size`, from the fonts'
/// published metrics: layout needs it to centre, right-align and wrap.
pub fn text_width(font: Font, size: f64, s: &str) -> f64 {
    let widths = font.widths();
    let units: u32 = s
        .chars()
        .map(|c| u32::from(widths[usize::from(winansi_byte(c)).saturating_sub(32)]))
        .sum();
    f64::from(units) * size / 1000.0
}

/// Two decimals are well below a printer dot (1/100 pt = 0.0035 mm); the
/// trimming keeps the stream short and readable.
fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    match s {
        "-0" | "" => "0".to_string(),
        _ => s.to_string(),
    }
}

/// The drawing operators of one page, in PDF's coordinate system: points,
/// origin at the bottom-left corner, y growing upwards.
#[derive(Debug, Default)]
pub struct Canvas {
    ops: String,
}

impl Canvas {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn text(&mut self, font: Font, size: f64, x: f64, baseline: f64, s: &str) {
        let _ = writeln!(
            self.ops,
            "BT /{} {} Tf {} {} Td {} Tj ET",
            font.resource(),
            num(size),
            num(x),
            num(baseline),
            text_literal(s)
        );
    }

    pub fn fill_rect(&mut self, x: f64, y: f64, w: f64, h: f64) {
        let _ = writeln!(self.ops, "{} {} {} {} re f", num(x), num(y), num(w), num(h));
    }

    pub fn stroke_rect(&mut self, x: f64, y: f64, w: f64, h: f64, line_width: f64) {
        let _ = writeln!(
            self.ops,
            "{} w {} {} {} {} re S",
            num(line_width),
            num(x),
            num(y),
            num(w),
            num(h)
        );
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, line_width: f64) {
        let _ = writeln!(
            self.ops,
            "{} w {} {} m {} {} l S",
            num(line_width),
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }

    pub fn as_str(&self) -> &str {
        &self.ops
    }
}

/// Document information shown by viewers and kept by print spoolers.
#[derive(Debug, Default)]
pub struct DocInfo {
    pub title: String,
    /// `(year, month, day)`; left out rather than stamped with the wall
    /// clock, so that the same label always renders to the same bytes.
    pub created: Option<(u16, u8, u8)>,
}

/// Objects are numbered from 1 in the order given; the writer computes every
/// offset itself, so callers only ever deal in object numbers.
fn assemble(objects: &[Vec<u8>], root: usize, info: usize) -> Vec<u8> {
    // The comment of high bytes on line two tells transfer tools that guess
    // (FTP, some mail gateways) to treat the file as binary.
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref_at = out.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        // Each entry must be exactly 20 bytes, hence the space before the newline.
        let _ = writeln!(tail, "{offset:010} 00000 n ");
    }
    let _ = write!(
        tail,
        "trailer\n<< /Size {} /Root {root} 0 R /Info {info} 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(tail.as_bytes());
    out
}

fn stream_object(data: &[u8]) -> Vec<u8> {
    // Length counts the data only, not the end-of-line before "endstream".
    let mut body = format!("<< /Length {} >>\nstream\n", data.len()).into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(b"\nendstream");
    body
}

/// A complete one-page PDF of `width` × `height` points drawing `canvas`.
pub fn single_page(width: f64, height: f64, canvas: &Canvas, info: &DocInfo) -> Vec<u8> {
    // Fixed numbering: 1 catalog, 2 page tree, 3 page, 4-5 fonts, 6 content, 7 info.
    let fonts: String = Font::ALL
        .iter()
        .enumerate()
        .map(|(i, f)| format!("/{} {} 0 R ", f.resource(), 4 + i))
        .collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] /Resources << /Font << {}>> >> /Contents 6 0 R >>",
            num(width),
            num(height),
            fonts
        )
        .into_bytes(),
    ];
    for font in Font::ALL {
        objects.push(
            format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>",
                font.base_font()
            )
            .into_bytes(),
        );
    }
    objects.push(stream_object(canvas.as_str().as_bytes()));

    // Info strings are PDFDocEncoding, which agrees with Latin-1 but not with
    // WinAnsi's 0x80-0x9F block, so only Latin-1 passes through here.
    let title: Vec<u8> = info
        .title
        .chars()
        .map(|c| {
            if matches!(c, ' '..='~' | '\u{A0}'..='\u{FF}') {
                c as u32 as u8
            } else {
                b'?'
            }
        })
        .collect();
    let mut info_dict = format!("<< /Title {} /Producer (tradein)", literal(&title));
    if let Some((y, m, d)) = info.created {
        let _ = write!(info_dict, " /CreationDate (D:{y:04}{m:02}{d:02})");
    }
    info_dict.push_str(" >>");
    objects.push(info_dict.into_bytes());

    assemble(&objects, 1, 7)
}

// Advance widths (1/1000 em) for WinAnsi codes 32..=255, from the Helvetica
// metrics (identical in the metric-compatible Nimbus Sans AFM files); codes
// WinAnsi leaves undefined are 0 and never produced by `winansi_byte`.
#[rustfmt::skip]
const HELVETICA_WIDTHS: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

#[rustfmt::skip]
const HELVETICA_BOLD_WIDTHS: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

/// Test support: checks that every xref entry points at the first byte of
/// its "N 0 obj" and that the trailer and startxref agree with the table.
#[cfg(test)]
pub(crate) fn assert_xref_consistent(pdf: &[u8]) {
    let find = |needle: &[u8]| pdf.windows(needle.len()).position(|w| w == needle);
    let sx = pdf
        .windows(10)
        .rposition(|w| w == b"startxref\n")
        .expect("startxref");
    let digits: String = pdf[sx + 10..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| b as char)
        .collect();
    let xref_at: usize = digits.parse().expect("startxref offset");
    assert!(
        pdf[xref_at..].starts_with(b"xref\n"),
        "startxref does not point at the xref table"
    );
    let table = &pdf[xref_at + 5..];
    let header_end = table.iter().position(|&b| b == b'\n').unwrap();
    let header = std::str::from_utf8(&table[..header_end]).unwrap();
    let (first, count) = header.split_once(' ').expect("subsection header");
    assert_eq!(first, "0");
    let count: usize = count.parse().unwrap();
    assert!(count > 1);
    let entries = &table[header_end + 1..];
    // Each entry is exactly 20 bytes; a reader seeks to entry n by arithmetic.
    assert_eq!(&entries[..20], b"0000000000 65535 f \n");
    for n in 1..count {
        let entry = std::str::from_utf8(&entries[n * 20..n * 20 + 20]).unwrap();
        assert!(
            entry.ends_with(" 00000 n \n"),
            "entry {n} malformed: {entry:?}"
        );
        let offset: usize = entry[..10].parse().unwrap();
        let expected = format!("{n} 0 obj\n");
        assert!(
            pdf[offset..].starts_with(expected.as_bytes()),
            "xref entry {n} points at {:?}",
            String::from_utf8_lossy(&pdf[offset..(offset + 12).min(pdf.len())])
        );
        assert_eq!(
            find(expected.as_bytes()),
            Some(offset),
            "object {n} defined twice"
        );
    }
    assert_eq!(&entries[count * 20..count * 20 + 8], b"trailer\n");
    let trailer = String::from_utf8_lossy(&entries[count * 20..]);
    assert!(trailer.contains(&format!("/Size {count} ")));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut c = Canvas::new();
        c.text(Font::HelveticaBold, 12.0, 10.0, 20.0, "Hello (world)");
        c.fill_rect(1.0, 2.0, 3.0, 4.0);
        single_page(
            100.0,
            50.0,
            &c,
            &DocInfo {
                title: "T".into(),
                created: Some((2026, 11, 21)),
            },
        )
    }

    #[test]
    fn file_structure_is_valid() {
        let pdf = sample();
        assert!(pdf.starts_with(b"%PDF-1.4\n"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        assert_xref_consistent(&pdf);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding"));
        assert!(text.contains("/CreationDate (D:20261121)"));
    }

    #[test]
    fn stream_length_matches_data() {
        let pdf = sample();
        let s = pdf.windows(7).position(|w| w == b"stream\n").unwrap() + 7;
        let e = pdf.windows(10).position(|w| w == b"\nendstream").unwrap();
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains(&format!("<< /Length {} >>", e - s)));
        assert!(std::str::from_utf8(&pdf[s..e])
            .unwrap()
            .contains("1 2 3 4 re f"));
    }

    #[test]
    fn escapes_delimiters_and_backslash() {
        assert_eq!(text_literal(r"a(b)c\d"), r"(a\(b\)c\\d)");
        assert_eq!(text_literal("()"), r"(\(\))");
        assert_eq!(text_literal(r"\\"), r"(\\\\)");
    }

    #[test]
    fn latin1_becomes_octal_winansi() {
        assert_eq!(
            text_literal("Atelier Reconditionné"),
            r"(Atelier Reconditionn\351)"
        );
        assert_eq!(text_literal("Königstraße"), r"(K\366nigstra\337e)");
        assert_eq!(text_literal("Façade à"), r"(Fa\347ade \340)");
        assert_eq!(text_literal("l’Œuvre 5 €"), r"(l\222\214uvre 5 \200)");
    }

    #[test]
    fn other_characters_become_question_marks() {
        assert_eq!(text_literal("Łódź 東京 😀"), "(?\\363d? ?? ?)");
        assert_eq!(text_literal("a\tb\u{7}"), "(a b?)");
    }

    #[test]
    fn widths_follow_metrics() {
        assert!((text_width(Font::Helvetica, 10.0, "A") - 6.67).abs() < 1e-9);
        assert!((text_width(Font::HelveticaBold, 1000.0, "é") - 556.0).abs() < 1e-9);
        // Where the two faces differ: the regular pilcrow is narrower.
        assert!((text_width(Font::Helvetica, 1000.0, "¶") - 537.0).abs() < 1e-9);
        assert!((text_width(Font::HelveticaBold, 1000.0, "¶") - 556.0).abs() < 1e-9);
        assert_eq!(text_width(Font::Helvetica, 10.0, ""), 0.0);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.25), "1.25");
        assert_eq!(num(2.5049), "2.5");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(0.0), "0");
    }
}
