//! One-page PDF files of vector drawing and text in the standard Helvetica
//! faces: what the shipping labels need.
//!
//! The file itself (objects, cross-reference table, trailer, string escaping,
//! the information dictionary) is written by the `pdf-writer` crate; this
//! module is the small drawing surface the label code uses on top of it.
//!
//! The standard Type1 fonts need no embedding, so a label stays a few
//! kilobytes and every viewer and printer has the glyphs. The price is the
//! WinAnsi character set: text is mapped to it here, and anything it lacks
//! prints as '?' rather than as a wrong glyph. Streams are left uncompressed
//! so that tests, `pdftotext` and a curious person with a text editor can read
//! what was drawn (pdf-writer writes ASCII text as literal strings, and text
//! with accents as hex strings of its WinAnsi bytes).
//!
//! Two things stay hand-written, because no maintained crate offers them for
//! the standard fonts short of a second PDF library:
//!
//! - [`winansi_byte`], the Unicode to WinAnsi mapping: pdf-writer writes the
//!   bytes it is given and leaves the font's encoding to the caller.
//! - The advance widths of Helvetica and Helvetica-Bold behind
//!   [`text_width`], which the layout needs to fit, centre and wrap text:
//!   Adobe's core-14 AFM values (unchanged since 1997), checked glyph by
//!   glyph against the AFM files.
//!
//! The crates looked at for those two tables (December 2026):
//! - printpdf 0.12 writes the standard fonts unembedded too, but has no
//!   width table: it measures them from TrueType look-alikes bundled in the
//!   crate, parsed with allsorts, and is a whole PDF library on lopdf (with
//!   the azul layout engine by default).
//! - pdf-canvas 0.7 has both tables, but is a PDF writer of its own, last
//!   released in February 2022, and its WinAnsi map lacks œ and ÿ and passes
//!   C1 control characters through as bytes.
//! - lopdf 0.47 has a WinAnsi table (`lopdf::Encoding`) but no metrics, and
//!   is a PDF reader and editor that brings encryption crates along.
//! - afm 0.1 only parses AFM files (it ships none for use), last released
//!   in 2018.
//! - pdf-interpret 0.6 keeps its metrics private; its public `char_width`
//!   reads codes as StandardEncoding, where é's code is Ø's.

use pdf_writer::{Content, Date, Name, Pdf, Rect, Ref, Str, TextStr};

/// PDF points per millimetre.
pub const MM: f64 = 72.0 / 25.4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Font {
    Helvetica,
    HelveticaBold,
}

impl Font {
    const ALL: [Font; 2] = [Font::Helvetica, Font::HelveticaBold];

    fn resource(self) -> Name<'static> {
        match self {
            Font::Helvetica => Name(b"F1"),
            Font::HelveticaBold => Name(b"F2"),
        }
    }

    fn base_font(self) -> Name<'static> {
        match self {
            Font::Helvetica => Name(b"Helvetica"),
            Font::HelveticaBold => Name(b"Helvetica-Bold"),
        }
    }

    fn widths(self) -> &'static [u16; 224] {
        match self {
            Font::Helvetica => &HELVETICA_WIDTHS,
            Font::HelveticaBold => &HELVETICA_BOLD_WIDTHS,
        }
    }
}

/// The characters of WinAnsi's 0x80-0x9F block (where it parts from
/// Latin-1) with their codes. Besides the symbols, the typographic
/// apostrophe, quotes, dashes, the euro sign and œ matter because people type
/// them into addresses ("Rue de l’Église", "Cœur") on phones that substitute
/// them automatically.
const WINANSI_EXTRAS: [(char, u8); 27] = [
    ('€', 0x80),
    ('‚', 0x82),
    ('ƒ', 0x83),
    ('„', 0x84),
    ('…', 0x85),
    ('†', 0x86),
    ('‡', 0x87),
    ('ˆ', 0x88),
    ('‰', 0x89),
    ('Š', 0x8A),
    ('‹', 0x8B),
    ('Œ', 0x8C),
    ('Ž', 0x8E),
    ('‘', 0x91),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('˜', 0x98),
    ('™', 0x99),
    ('š', 0x9A),
    ('›', 0x9B),
    ('œ', 0x9C),
    ('ž', 0x9E),
    ('Ÿ', 0x9F),
];

/// The WinAnsi byte that prints `c`, or `?` when the encoding has no such
/// glyph.
pub fn winansi_byte(c: char) -> u8 {
    match c {
        ' '..='~' | '\u{A0}'..='\u{FF}' => c as u32 as u8,
        // A stray control character from a pasted address must not end up
        // as an invisible byte that some printers choke on.
        '\t' | '\n' | '\r' => b' ',
        // French groups thousands with a narrow no-break space (CLDR), which
        // WinAnsi lacks: a no-break space keeps the number whole.
        '\u{202F}' | '\u{2009}' => 0xA0,
        _ => WINANSI_EXTRAS
            .iter()
            .find(|&&(extra, _)| extra == c)
            .map_or(b'?', |&(_, code)| code),
    }
}

pub fn winansi(s: &str) -> Vec<u8> {
    s.chars().map(winansi_byte).collect()
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

/// Coordinates are rounded to hundredths of a point, well below a printer
/// dot (1/100 pt = 0.0035 mm), to keep the stream short and readable;
/// pdf-writer writes the shortest form (`12.5`, `3`).
fn num(v: f64) -> f32 {
    ((v * 100.0).round() / 100.0) as f32
}

/// The drawing operators of one page, in PDF's coordinate system: points,
/// origin at the bottom-left corner, y growing upwards.
pub struct Canvas {
    content: Content,
}

impl Default for Canvas {
    fn default() -> Self {
        Self::new()
    }
}

impl Canvas {
    pub fn new() -> Self {
        Canvas {
            content: Content::new(),
        }
    }

    pub fn text(&mut self, font: Font, size: f64, x: f64, baseline: f64, s: &str) {
        self.content
            .begin_text()
            .set_font(font.resource(), num(size))
            .next_line(num(x), num(baseline))
            .show(Str(&winansi(s)))
            .end_text();
    }

    pub fn fill_rect(&mut self, x: f64, y: f64, w: f64, h: f64) {
        self.content
            .rect(num(x), num(y), num(w), num(h))
            .fill_nonzero();
    }

    pub fn stroke_rect(&mut self, x: f64, y: f64, w: f64, h: f64, line_width: f64) {
        self.content
            .set_line_width(num(line_width))
            .rect(num(x), num(y), num(w), num(h))
            .stroke();
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, line_width: f64) {
        self.content
            .set_line_width(num(line_width))
            .move_to(num(x1), num(y1))
            .line_to(num(x2), num(y2))
            .stroke();
    }

    /// The content stream so far.
    pub fn as_bytes(&self) -> &[u8] {
        self.content.as_bytes()
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

/// A complete one-page PDF of `width` × `height` points drawing `canvas`.
pub fn single_page(width: f64, height: f64, canvas: &Canvas, info: &DocInfo) -> Vec<u8> {
    let catalog = Ref::new(1);
    let pages = Ref::new(2);
    let page = Ref::new(3);
    let font_ref = |font: Font| match font {
        Font::Helvetica => Ref::new(4),
        Font::HelveticaBold => Ref::new(5),
    };
    let content = Ref::new(6);
    let info_ref = Ref::new(7);

    let mut pdf = Pdf::new();
    // Not pdf-writer's default 1.7: from 1.5 on, leaving the standard fonts'
    // widths and descriptor to the viewer, as these font dictionaries do, is
    // deprecated.
    pdf.set_version(1, 4);
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    {
        let mut p = pdf.page(page);
        p.parent(pages)
            .media_box(Rect::new(0.0, 0.0, num(width), num(height)))
            .contents(content);
        let mut resources = p.resources();
        let mut fonts = resources.fonts();
        for font in Font::ALL {
            fonts.pair(font.resource(), font_ref(font));
        }
    }
    for font in Font::ALL {
        pdf.type1_font(font_ref(font))
            .base_font(font.base_font())
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.stream(content, canvas.as_bytes());

    // A title beyond ASCII is written as UTF-16, so every character of it
    // survives (the page's text is limited to WinAnsi, the metadata is not).
    let mut doc_info = pdf.document_info(info_ref);
    doc_info
        .title(TextStr(&info.title))
        .producer(TextStr("tradein"));
    if let Some((y, m, d)) = info.created {
        doc_info.creation_date(Date::new(y).month(m).day(d));
    }
    drop(doc_info);

    pdf.finish()
}

// Advance widths (1/1000 em) for WinAnsi codes 32..=255, from Adobe's AFM
// files for Helvetica and Helvetica-Bold, by glyph name through the WinAnsi
// table of the PDF specification (annex D; 0xA0 is the space, 0xAD the
// hyphen). Codes WinAnsi leaves undefined are 0 and never produced by
// `winansi_byte`.
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

/// Test support: reading back what a PDF of [`single_page`] holds. A parser
/// just big enough for the files this module writes (one uncompressed
/// stream, a plain xref table) keeps a PDF library out of the dependencies,
/// and checks the bytes themselves rather than one reader's tolerance.
#[cfg(test)]
pub(crate) mod inspect {
    use super::Font;

    /// An operand of a content-stream operator.
    #[derive(Clone, Debug, PartialEq)]
    pub enum Operand {
        Number(f64),
        Name(String),
        /// A string's bytes, escapes and hex resolved.
        Str(Vec<u8>),
    }

    impl Operand {
        pub fn number(&self) -> f64 {
            match self {
                Operand::Number(n) => *n,
                other => panic!("not a number: {other:?}"),
            }
        }
    }

    /// One operation: its operands, then the operator.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Op {
        pub operands: Vec<Operand>,
        pub operator: String,
    }

    /// A piece of text drawn: font, size, start of the baseline, and the text
    /// decoded from WinAnsi.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Shown {
        pub font: Font,
        pub size: f64,
        pub x: f64,
        pub y: f64,
        pub text: String,
        pub bytes: Vec<u8>,
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    /// The number after `key` in `dict`.
    fn int_after(dict: &[u8], key: &[u8]) -> usize {
        let at = find(dict, key).unwrap_or_else(|| panic!("no {}", String::from_utf8_lossy(key)))
            + key.len();
        let digits: String = dict[at..]
            .iter()
            .skip_while(|b| b.is_ascii_whitespace())
            .take_while(|b| b.is_ascii_digit())
            .map(|&b| b as char)
            .collect();
        digits.parse().expect("a number")
    }

    /// The data of the (only) stream, by its /Length.
    pub fn content_stream(pdf: &[u8]) -> Vec<u8> {
        let start = find(pdf, b"stream\n").expect("a stream") + 7;
        let dict_start = pdf[..start].windows(2).rposition(|w| w == b"<<").unwrap();
        let len = int_after(&pdf[dict_start..start], b"/Length");
        assert!(
            pdf[start + len..].starts_with(b"\nendstream"),
            "/Length does not end at endstream"
        );
        pdf[start..start + len].to_vec()
    }

    /// The operations of a content stream.
    pub fn operations(content: &[u8]) -> Vec<Op> {
        let mut ops = Vec::new();
        let mut operands = Vec::new();
        let mut i = 0;
        let delimiter = |b: u8| b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b);
        while i < content.len() {
            let b = content[i];
            if b.is_ascii_whitespace() {
                i += 1;
            } else if b == b'(' {
                let (s, end) = literal(content, i);
                operands.push(Operand::Str(s));
                i = end;
            } else if b == b'<' {
                let end = i + content[i..].iter().position(|&b| b == b'>').unwrap();
                let hex: String = content[i + 1..end]
                    .iter()
                    .filter(|b| !b.is_ascii_whitespace())
                    .map(|&b| b as char)
                    .collect();
                // An odd last digit stands for itself followed by 0.
                let hex = if hex.len() % 2 == 1 { hex + "0" } else { hex };
                let bytes = (0..hex.len())
                    .step_by(2)
                    .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).expect("hex digits"))
                    .collect();
                operands.push(Operand::Str(bytes));
                i = end + 1;
            } else {
                let start = if b == b'/' { i + 1 } else { i };
                let mut end = start;
                while end < content.len() && !delimiter(content[end]) {
                    end += 1;
                }
                let token = std::str::from_utf8(&content[start..end])
                    .unwrap()
                    .to_string();
                if b == b'/' {
                    operands.push(Operand::Name(token));
                } else if let Ok(n) = token.parse::<f64>() {
                    operands.push(Operand::Number(n));
                } else {
                    assert!(!token.is_empty(), "unexpected byte {:?}", b as char);
                    ops.push(Op {
                        operands: std::mem::take(&mut operands),
                        operator: token,
                    });
                }
                i = end;
            }
        }
        assert!(operands.is_empty(), "operands without operator");
        ops
    }

    /// A literal string starting at `content[start]` (the parenthesis): its
    /// bytes and the index after it.
    fn literal(content: &[u8], start: usize) -> (Vec<u8>, usize) {
        let mut out = Vec::new();
        let mut depth = 0;
        let mut i = start;
        loop {
            let b = content[i];
            match b {
                b'(' => {
                    if depth > 0 {
                        out.push(b);
                    }
                    depth += 1;
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return (out, i + 1);
                    }
                    out.push(b);
                }
                b'\\' => {
                    i += 1;
                    let e = content[i];
                    if e.is_ascii_digit() {
                        let digits = content[i..]
                            .iter()
                            .take(3)
                            .take_while(|d| (b'0'..=b'7').contains(d))
                            .count();
                        let code = std::str::from_utf8(&content[i..i + digits]).unwrap();
                        out.push(u8::from_str_radix(code, 8).unwrap());
                        i += digits - 1;
                    } else {
                        out.push(match e {
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'b' => 0x08,
                            b'f' => 0x0C,
                            other => other,
                        });
                    }
                }
                _ => out.push(b),
            }
            i += 1;
        }
    }

    /// The character WinAnsi code `b` prints.
    pub fn winansi_char(b: u8) -> char {
        super::WINANSI_EXTRAS
            .iter()
            .find(|&&(_, code)| code == b)
            .map_or(char::from(b), |&(c, _)| c)
    }

    /// Every text shown on the page, in drawing order.
    pub fn shown(pdf: &[u8]) -> Vec<Shown> {
        let mut out = Vec::new();
        let (mut font, mut size, mut x, mut y) = (Font::Helvetica, 0.0, 0.0, 0.0);
        for op in operations(&content_stream(pdf)) {
            match (op.operator.as_str(), op.operands.as_slice()) {
                ("BT", []) => (x, y) = (0.0, 0.0),
                ("Tf", [Operand::Name(name), s]) => {
                    font = match name.as_str() {
                        "F1" => Font::Helvetica,
                        "F2" => Font::HelveticaBold,
                        other => panic!("unknown font resource {other}"),
                    };
                    size = s.number();
                }
                ("Td", [dx, dy]) => {
                    x += dx.number();
                    y += dy.number();
                }
                ("Tj", [Operand::Str(bytes)]) => out.push(Shown {
                    font,
                    size,
                    x,
                    y,
                    text: bytes.iter().map(|&b| winansi_char(b)).collect(),
                    bytes: bytes.clone(),
                }),
                _ => {}
            }
        }
        out
    }

    /// Rectangles `[x, y, w, h]` drawn with `re` and then filled.
    pub fn filled_rects(pdf: &[u8]) -> Vec<[f64; 4]> {
        let ops = operations(&content_stream(pdf));
        ops.windows(2)
            .filter(|w| w[0].operator == "re" && w[1].operator == "f")
            .map(|w| {
                let v: Vec<f64> = w[0].operands.iter().map(Operand::number).collect();
                [v[0], v[1], v[2], v[3]]
            })
            .collect()
    }

    /// Checks that every in-use xref entry points at the first byte of its
    /// "N 0 obj", that each object is defined once, and that the trailer's
    /// /Size and startxref agree with the table.
    pub fn assert_xref_consistent(pdf: &[u8]) {
        let sx = pdf
            .windows(10)
            .rposition(|w| w == b"startxref\n")
            .expect("startxref");
        let xref_at = int_after(&pdf[sx..], b"startxref");
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
        // Each entry is exactly 20 bytes, ending in one of the three
        // two-byte ends of line; a reader seeks to entry n by arithmetic.
        let entry = |n: usize| {
            let e = &entries[n * 20..n * 20 + 20];
            assert!(
                [&b" \n"[..], b" \r", b"\r\n"].contains(&&e[18..]),
                "entry {n} has no two-byte end of line: {:?}",
                String::from_utf8_lossy(e)
            );
            std::str::from_utf8(&e[..18]).unwrap().to_string()
        };
        assert_eq!(entry(0), "0000000000 65535 f");
        for n in 1..count {
            let e = entry(n);
            assert!(e.ends_with(" 00000 n"), "entry {n} is not in use: {e:?}");
            let offset: usize = e[..10].parse().unwrap();
            let expected = format!("{n} 0 obj\n");
            assert!(
                pdf[offset..].starts_with(expected.as_bytes()),
                "xref entry {n} points at {:?}",
                String::from_utf8_lossy(&pdf[offset..(offset + 12).min(pdf.len())])
            );
            assert_eq!(
                find(pdf, expected.as_bytes()),
                Some(offset),
                "object {n} defined twice"
            );
        }
        let trailer = &entries[count * 20..];
        assert!(trailer.starts_with(b"trailer\n"));
        assert_eq!(int_after(trailer, b"/Size"), count);
    }
}

#[cfg(test)]
mod tests {
    use super::inspect::*;
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

    fn shown_bytes(s: &str) -> Vec<u8> {
        let mut c = Canvas::new();
        c.text(Font::Helvetica, 10.0, 0.0, 0.0, s);
        let pdf = single_page(10.0, 10.0, &c, &DocInfo::default());
        let shown = super::inspect::shown(&pdf);
        assert_eq!(shown.len(), 1);
        shown[0].bytes.clone()
    }

    #[test]
    fn file_structure_is_valid() {
        let pdf = sample();
        assert!(pdf.starts_with(b"%PDF-1.4\n"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
        assert_xref_consistent(&pdf);
        let text = String::from_utf8_lossy(&pdf);
        for needed in [
            "/Type /Catalog",
            "/Type /Font",
            "/Subtype /Type1",
            "/BaseFont /Helvetica-Bold",
            "/BaseFont /Helvetica\n",
            "/Encoding /WinAnsiEncoding",
            "/MediaBox [0 0 100 50]",
            "/F1 4 0 R",
            "/F2 5 0 R",
            "/Contents 6 0 R",
            "/Info 7 0 R",
            "/Title (T)",
            "/Producer (tradein)",
            "/CreationDate (D:20261121)",
        ] {
            assert!(text.contains(needed), "{needed:?} missing from\n{text}");
        }
        // No font program is embedded: the file stays a few hundred bytes.
        assert!(pdf.len() < 2000, "{} bytes", pdf.len());
    }

    /// The checker itself: an object whose header moved away from its xref
    /// entry is caught.
    #[test]
    #[should_panic(expected = "xref entry 2 points at")]
    fn xref_check_catches_a_stray_offset() {
        let mut pdf = sample();
        let at = pdf.windows(8).position(|w| w == b"2 0 obj\n").unwrap();
        pdf[at..at + 8].copy_from_slice(b"\n2 0 obj");
        assert_xref_consistent(&pdf);
    }

    #[test]
    fn content_is_plain_operators() {
        let pdf = sample();
        let content = content_stream(&pdf);
        assert!(content.is_ascii(), "readable with a text editor");
        let ops = operations(&content);
        let names: Vec<&str> = ops.iter().map(|o| o.operator.as_str()).collect();
        assert_eq!(names, ["BT", "Tf", "Td", "Tj", "ET", "re", "f"]);
        assert_eq!(
            ops[1].operands,
            [Operand::Name("F2".into()), Operand::Number(12.0)]
        );
        assert_eq!(filled_rects(&pdf), [[1.0, 2.0, 3.0, 4.0]]);
        let shown = super::inspect::shown(&pdf);
        assert_eq!(shown.len(), 1);
        assert_eq!(
            (shown[0].font, shown[0].size, shown[0].x, shown[0].y),
            (Font::HelveticaBold, 12.0, 10.0, 20.0)
        );
        assert_eq!(shown[0].text, "Hello (world)");
    }

    #[test]
    fn delimiters_and_backslash_survive() {
        for s in [r"a(b)c\d", "()", ")(", r"\\", "(((", "x)"] {
            assert_eq!(shown_bytes(s), s.as_bytes(), "{s:?}");
        }
    }

    #[test]
    fn latin1_becomes_winansi() {
        assert_eq!(
            winansi("Atelier Reconditionné"),
            b"Atelier Reconditionn\xE9"
        );
        assert_eq!(winansi("Königstraße"), b"K\xF6nigstra\xDFe");
        assert_eq!(winansi("Façade à"), b"Fa\xE7ade \xE0");
        assert_eq!(winansi("l’Œuvre 5 €"), b"l\x92\x8Cuvre 5 \x80");
        assert_eq!(shown_bytes("Façade à ÿ"), b"Fa\xE7ade \xE0 \xFF");
        for (c, code) in WINANSI_EXTRAS {
            assert_eq!(winansi_char(code), c);
        }
    }

    #[test]
    fn other_characters_become_question_marks() {
        assert_eq!(winansi("Łódź 東京 😀"), b"?\xF3d? ?? ?");
        assert_eq!(winansi("a\tb\u{7}\u{85}"), b"a b??");
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
        let mut c = Canvas::new();
        c.fill_rect(1.0, 1.25, 2.5049, -0.001);
        c.fill_rect(0.0, 297.637_795, 419.527_559, 12.345_6);
        let ops = operations(c.as_bytes());
        let text = String::from_utf8_lossy(c.as_bytes()).into_owned();
        assert!(text.contains("1 1.25 2.5 0 re"), "{text}");
        assert!(text.contains("0 297.64 419.53 12.35 re"), "{text}");
        assert_eq!(ops.len(), 4);
    }
}
