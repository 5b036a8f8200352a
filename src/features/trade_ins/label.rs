//! Shipping labels as PDF files.
//!
//! The page is A6 (105 × 148 mm), the size label printers take as it is; an
//! office printer prints it at actual size on a corner of A4 or, fitted to the
//! page, enlarged, which the barcode tolerates. Everything sits inside a frame
//! 5 mm from the edge, the margin most printers cannot print into anyway.
//!
//! Top to bottom: title and carrier, the recipient ("TO", the largest text),
//! the sender ("FROM"), the Code 128 barcode of the tracking number with its
//! digits underneath, the order reference, the packing instructions, and the
//! date the label was made. Over-long lines shrink, then are cut with an
//! ellipsis, so that nothing ever spills off the page.

use crate::platform::pdf::{self, text_width, Canvas, DocInfo, Font, MM};

/// What a label shows. Strings may hold any Unicode; the PDF fonts print
/// Latin-1 (plus a few WinAnsi extras such as ’ and œ) and '?' for the rest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelData {
    /// E.g. "TradeIn Post (local carrier)".
    pub carrier_name: String,
    /// E.g. "TI473124829LC"; printable ASCII, or the label has no barcode.
    pub tracking_number: String,
    /// Order reference, e.g. "TI-7K3M-9QPX".
    pub reference: String,
    /// Sender address lines: name, street, postcode and city, COUNTRY.
    pub from_lines: Vec<String>,
    /// Recipient (refurbisher warehouse) address lines.
    pub to_lines: Vec<String>,
    /// Packing instructions, one sentence per entry.
    pub instructions: Vec<String>,
    /// E.g. "Prepaid shipping label" or "Return label".
    pub title: String,
    /// E.g. "2026-11-21".
    pub created_on: String,
    /// The label's fixed words, in the sender's language.
    pub captions: Captions,
}

/// The words every label prints, in the language of the person who sticks
/// it on the parcel; English by default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Captions {
    pub to: &'static str,
    pub from: &'static str,
    pub reference: &'static str,
    pub packing: &'static str,
    pub no_tracking: &'static str,
    pub no_barcode: &'static str,
    /// With `{date}` where the creation date goes.
    pub created_on: &'static str,
}

impl Captions {
    pub fn of(t: crate::i18n::Texts) -> Captions {
        use crate::i18n::Msg;
        Captions {
            to: t.get(Msg::LabelTo),
            from: t.get(Msg::LabelFrom),
            reference: t.get(Msg::LabelReference),
            packing: t.get(Msg::LabelPacking),
            no_tracking: t.get(Msg::LabelNoTracking),
            no_barcode: t.get(Msg::LabelNoBarcode),
            created_on: t.get(Msg::LabelCreatedOn),
        }
    }
}

impl Default for Captions {
    fn default() -> Captions {
        Captions::of(crate::i18n::Texts::of(crate::domain::market::Market::EnGb))
    }
}

const PAGE_W: f64 = 105.0 * MM;
const PAGE_H: f64 = 148.0 * MM;
const MARGIN: f64 = 5.0 * MM;
const PAD: f64 = 8.0;
const BAR_HEIGHT: f64 = 15.0 * MM;
/// Code 128 asks for at least ten module widths of blank space either side.
const QUIET_MODULES: usize = 10;
/// About 0.44 mm: well above what phone and handheld scanners need, and
/// three to four dots wide even on a coarse 203 dpi label printer, so bar
/// width errors from dot rounding stay small.
const MAX_MODULE: f64 = 1.25;
const MAX_TO_LINES: usize = 6;
const MAX_FROM_LINES: usize = 5;

/// Renders `label` as a one-page PDF.
pub fn render_label_pdf(label: &LabelData) -> Vec<u8> {
    let mut sheet = Sheet::new();
    sheet.canvas.stroke_rect(
        MARGIN,
        MARGIN,
        PAGE_W - 2.0 * MARGIN,
        PAGE_H - 2.0 * MARGIN,
        1.0,
    );

    sheet.header(&label.title, &label.carrier_name);
    sheet.rule(1.0);
    sheet.address(
        label.captions.to,
        &label.to_lines,
        Font::HelveticaBold,
        11.5,
        8.0,
        MAX_TO_LINES,
    );
    sheet.rule(1.0);
    sheet.address(
        label.captions.from,
        &label.from_lines,
        Font::Helvetica,
        8.5,
        6.5,
        MAX_FROM_LINES,
    );
    sheet.rule(0.5);
    sheet.barcode(&label.tracking_number, &label.captions);
    sheet.rule(0.5);
    sheet.reference(&label.reference, label.captions.reference);
    sheet.rule(0.5);
    sheet.instructions_and_footer(&label.instructions, &label.created_on, &label.captions);

    let info = DocInfo {
        title: format!("{} {}", label.title.trim(), label.tracking_number.trim())
            .trim()
            .to_string(),
        created: parse_date(&label.created_on),
    };
    pdf::single_page(PAGE_W, PAGE_H, &sheet.canvas, &info)
}

/// The Code 128 modules (1 = bar, 0 = space) of `data` in character set B,
/// quiet zones excluded. `None` for data set B cannot carry as it is: a
/// barcode that scans as something other than the printed number would send
/// a parcel astray, so it is better to print none.
fn code128_modules(data: &str) -> Option<Vec<u8>> {
    if data.is_empty() || !data.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return None;
    }
    // 'Ɓ' is barcoders' marker for "start in set B", which covers all of
    // printable ASCII; set C would be shorter only for long digit runs.
    barcoders::sym::code128::Code128::new(format!("\u{0181}{data}"))
        .ok()
        .map(|c| c.encode())
}

/// Runs of bars as (first module, width in modules): one filled rectangle
/// per run, so adjacent bar modules never leave hairline seams when rasterised.
fn bar_runs(modules: &[u8]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, &m) in modules.iter().chain(std::iter::once(&0)).enumerate() {
        match (m != 0, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i - s));
                start = None;
            }
            _ => {}
        }
    }
    runs
}

fn parse_date(s: &str) -> Option<(u16, u8, u8)> {
    let mut parts = s.trim().splitn(3, '-');
    let y: u16 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    ((1000..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then_some((y, m, d))
}

/// The largest size, at most `preferred` and at least `min`, at which the
/// widest of `lines` fits in `width`. One size per block keeps it tidy.
fn fitting_size(font: Font, preferred: f64, min: f64, width: f64, lines: &[String]) -> f64 {
    let widest = lines
        .iter()
        .map(|l| text_width(font, 1.0, l))
        .fold(0.0, f64::max);
    if widest <= 0.0 {
        return preferred;
    }
    // Rounded down to a tenth so the written size never exceeds the fit.
    ((width / widest).min(preferred) * 10.0)
        .floor()
        .max(min * 10.0)
        / 10.0
}

/// `s`, cut and ended with an ellipsis if it is wider than `width`.
pub(super) fn clip(font: Font, size: f64, width: f64, s: &str) -> String {
    if text_width(font, size, s) <= width {
        return s.to_string();
    }
    let mut out: String = s.to_string();
    while !out.is_empty() && text_width(font, size, &format!("{out}…")) > width {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

/// Greedy word wrap; a word wider than the line is broken where it must be.
pub(super) fn wrap(font: Font, size: f64, width: f64, text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(font, size, &candidate) <= width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        for c in word.chars() {
            current.push(c);
            if text_width(font, size, &current) > width && current.chars().count() > 1 {
                current.pop();
                lines.push(std::mem::replace(&mut current, c.to_string()));
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Non-blank lines, at most `max`: the overflow joins the last line (and is
/// then shrunk or cut to fit) rather than silently disappearing.
fn at_most(lines: &[String], max: usize) -> Vec<String> {
    let mut kept: Vec<String> = lines
        .iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if kept.len() > max {
        let rest = kept.split_off(max - 1).join(", ");
        kept.push(rest);
    }
    kept
}

/// A cursor running down the frame; `y` is the top of the next free space.
struct Sheet {
    canvas: Canvas,
    left: f64,
    right: f64,
    y: f64,
}

impl Sheet {
    fn new() -> Self {
        Sheet {
            canvas: Canvas::new(),
            left: MARGIN + PAD,
            right: PAGE_W - MARGIN - PAD,
            y: PAGE_H - MARGIN,
        }
    }

    fn width(&self) -> f64 {
        self.right - self.left
    }

    /// One line of text in a line box `leading` high; the baseline sits low
    /// enough in the box to clear accents on capitals (É, Ü).
    fn line(&mut self, font: Font, size: f64, leading: f64, text: &str) {
        self.line_at(font, size, leading, self.left, text);
    }

    fn line_at(&mut self, font: Font, size: f64, leading: f64, x: f64, text: &str) {
        let baseline = self.y - leading * 0.8;
        self.canvas.text(font, size, x, baseline, text);
        self.y -= leading;
    }

    fn caption(&mut self, text: &str) {
        self.line(Font::HelveticaBold, 7.0, 8.5, text);
    }

    /// A separator across the whole frame; sections bring their own spacing.
    fn rule(&mut self, width: f64) {
        self.canvas
            .line(MARGIN, self.y, PAGE_W - MARGIN, self.y, width);
    }

    fn header(&mut self, title: &str, carrier: &str) {
        self.y -= 7.0;
        let w = self.width();
        let title = title.trim();
        let size = fitting_size(Font::HelveticaBold, 12.0, 9.0, w, &[title.to_string()]);
        self.line(
            Font::HelveticaBold,
            size,
            14.0,
            &clip(Font::HelveticaBold, size, w, title),
        );
        let carrier = carrier.trim();
        let size = fitting_size(Font::Helvetica, 8.5, 6.5, w, &[carrier.to_string()]);
        self.line(
            Font::Helvetica,
            size,
            10.5,
            &clip(Font::Helvetica, size, w, carrier),
        );
        self.y -= 5.0;
    }

    fn address(
        &mut self,
        caption: &str,
        lines: &[String],
        font: Font,
        preferred: f64,
        min: f64,
        max: usize,
    ) {
        self.y -= 5.0;
        self.caption(caption);
        let lines = at_most(lines, max);
        let w = self.width();
        let size = fitting_size(font, preferred, min, w, &lines);
        for l in &lines {
            self.line(font, size, preferred * 1.18, &clip(font, size, w, l));
        }
        self.y -= 5.0;
    }

    fn barcode(&mut self, tracking: &str, captions: &Captions) {
        let tracking = tracking.trim();
        self.y -= 8.0;
        match code128_modules(tracking) {
            Some(modules) => {
                // The frame's inner edges bound the quiet zones, so the
                // symbol may use more width than the text column.
                let room = PAGE_W - 2.0 * MARGIN - 2.0;
                let x_dim = (room / (modules.len() + 2 * QUIET_MODULES) as f64).min(MAX_MODULE);
                let x0 = (PAGE_W - modules.len() as f64 * x_dim) / 2.0;
                let bottom = self.y - BAR_HEIGHT;
                for (start, len) in bar_runs(&modules) {
                    self.canvas.fill_rect(
                        x0 + start as f64 * x_dim,
                        bottom,
                        len as f64 * x_dim,
                        BAR_HEIGHT,
                    );
                }
                self.y = bottom - 3.0;
            }
            None => {
                let note = if tracking.is_empty() {
                    captions.no_tracking
                } else {
                    captions.no_barcode
                };
                let w = self.width();
                self.line(
                    Font::HelveticaBold,
                    9.0,
                    12.0,
                    &clip(Font::HelveticaBold, 9.0, w, note),
                );
            }
        }
        let size = fitting_size(
            Font::HelveticaBold,
            11.0,
            7.0,
            self.width(),
            &[tracking.to_string()],
        );
        let shown = clip(Font::HelveticaBold, size, self.width(), tracking);
        let x = (PAGE_W - text_width(Font::HelveticaBold, size, &shown)) / 2.0;
        self.line_at(Font::HelveticaBold, size, 12.0, x, &shown);
        self.y -= 4.0;
    }

    fn reference(&mut self, reference: &str, caption: &str) {
        self.y -= 5.0;
        self.caption(caption);
        let reference = reference.trim();
        let w = self.width();
        let size = fitting_size(Font::HelveticaBold, 18.0, 10.0, w, &[reference.to_string()]);
        self.line(
            Font::HelveticaBold,
            size,
            20.0,
            &clip(Font::HelveticaBold, size, w, reference),
        );
        self.y -= 4.0;
    }

    /// Instructions take whatever height is left above the footer; they
    /// shrink to fit, and past the smallest legible size the last ones are
    /// cut, since the addresses and barcode above matter more.
    fn instructions_and_footer(
        &mut self,
        instructions: &[String],
        created_on: &str,
        captions: &Captions,
    ) {
        const FOOTER: f64 = 13.0;
        let bottom = MARGIN + FOOTER;
        self.y -= 5.0;
        let items: Vec<&str> = instructions
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if !items.is_empty() {
            self.caption(captions.packing);
            let available = self.y - bottom - 2.0;
            let mut chosen = None;
            for size in [7.5, 7.0, 6.5, 6.0] {
                let indent = text_width(Font::Helvetica, size, "•  ");
                let wrapped: Vec<Vec<String>> = items
                    .iter()
                    .map(|s| wrap(Font::Helvetica, size, self.width() - indent, s))
                    .collect();
                let leading = size * 1.25;
                let total = wrapped.iter().map(Vec::len).sum::<usize>() as f64 * leading;
                chosen = Some((size, indent, leading, wrapped));
                if total <= available {
                    break;
                }
            }
            let (size, indent, leading, wrapped) = chosen.expect("at least one size tried");
            let mut room = (available / leading).floor().max(0.0) as usize;
            let total_lines: usize = wrapped.iter().map(Vec::len).sum();
            let cut = total_lines > room;
            'items: for item in &wrapped {
                for (i, l) in item.iter().enumerate() {
                    if room == 0 {
                        break 'items;
                    }
                    room -= 1;
                    let text = if cut && room == 0 {
                        clip(
                            Font::Helvetica,
                            size,
                            self.width() - indent,
                            &format!("{l} …"),
                        )
                    } else {
                        l.clone()
                    };
                    if i == 0 {
                        let baseline = self.y - leading * 0.8;
                        self.canvas
                            .text(Font::Helvetica, size, self.left, baseline, "•");
                    }
                    self.line_at(Font::Helvetica, size, leading, self.left + indent, &text);
                }
            }
        }

        self.canvas
            .line(MARGIN, bottom, PAGE_W - MARGIN, bottom, 0.5);
        let created_on = created_on.trim();
        if !created_on.is_empty() {
            let text = clip(
                Font::Helvetica,
                7.0,
                self.width(),
                &captions.created_on.replace("{date}", created_on),
            );
            self.canvas
                .text(Font::Helvetica, 7.0, self.left, MARGIN + 4.5, &text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::pdf::inspect::{assert_xref_consistent, filled_rects, shown};

    fn sample() -> LabelData {
        LabelData {
            carrier_name: "TradeIn Post (local carrier)".into(),
            tracking_number: "TI473124829LC".into(),
            reference: "TI-7K3M-9QPX".into(),
            from_lines: vec![
                "Jürgen Weiß".into(),
                "Königstraße 12".into(),
                "70173 Stuttgart".into(),
                "GERMANY".into(),
            ],
            to_lines: vec![
                "Atelier Reconditionné".into(),
                "Entrepôt B, quai 4".into(),
                "14 rue de l’Industrie".into(),
                "69100 Villeurbanne".into(),
                "FRANCE".into(),
            ],
            instructions: vec![
                "Remove your SIM card and any memory card.".into(),
                "Sign out of iCloud or your Google account and turn off Find My (Activation Lock)."
                    .into(),
                "Wrap the device in bubble wrap and put it in a sturdy box; no envelopes.".into(),
                "Do not send chargers, cases or accessories: they cannot be returned.".into(),
                "Write the order reference on the box and stick this label flat on top.".into(),
                "Hand the parcel in at any TradeIn Post drop-off point within 14 days.".into(),
            ],
            title: "Prepaid shipping label".into(),
            created_on: "2026-11-21".into(),
            captions: Captions::default(),
        }
    }

    /// The texts drawn, decoded.
    fn texts(pdf: &[u8]) -> Vec<String> {
        shown(pdf).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn is_a_complete_pdf() {
        let pdf = render_label_pdf(&sample());
        assert!(pdf.starts_with(b"%PDF-1."));
        let trimmed = pdf.strip_suffix(b"\n").unwrap_or(&pdf);
        assert!(trimmed.ends_with(b"%%EOF"));
        assert_xref_consistent(&pdf);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/MediaBox [0 0 297.64 419.53]"), "A6 page");
    }

    #[test]
    fn content_carries_the_label_text() {
        let texts = texts(&render_label_pdf(&sample()));
        for expected in [
            "TI473124829LC",
            "TI-7K3M-9QPX",
            "Atelier Reconditionné",
            "Jürgen Weiß",
            "14 rue de l’Industrie",
            "TradeIn Post (local carrier)",
            "Label created on 2026-11-21",
            "TO",
            "FROM",
        ] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected:?} not in {texts:?}"
            );
        }
    }

    #[test]
    fn barcode_is_drawn_as_bars_matching_barcoders() {
        let label = sample();
        let rects = filled_rects(&render_label_pdf(&label));
        assert!(rects.len() >= 20, "only {} bars", rects.len());

        let modules = barcoders::sym::code128::Code128::new("ƁTI473124829LC")
            .unwrap()
            .encode();
        assert_eq!(
            code128_modules(&label.tracking_number).as_deref(),
            Some(&modules[..])
        );
        let runs = bar_runs(&modules);
        assert_eq!(rects.len(), runs.len());

        // Rebuild the module pattern from the drawn rectangles alone.
        let x_dim = rects[0][2] / runs[0].1 as f64;
        let x0 = rects[0][0];
        let mut drawn = vec![0u8; modules.len()];
        for r in &rects {
            let first = ((r[0] - x0) / x_dim).round() as usize;
            let len = (r[2] / x_dim).round() as usize;
            drawn[first..first + len].iter_mut().for_each(|m| *m = 1);
            assert!((r[3] - BAR_HEIGHT).abs() < 0.01, "bar height ≈ 15 mm");
        }
        assert_eq!(drawn, modules);

        // Quiet zones stay inside the frame.
        let x_end = x0 + modules.len() as f64 * x_dim;
        assert!(x0 - QUIET_MODULES as f64 * x_dim >= MARGIN);
        assert!(x_end + QUIET_MODULES as f64 * x_dim <= PAGE_W - MARGIN);
    }

    #[test]
    fn known_input_has_the_specified_pattern() {
        // Start B (104), 'A' (33), checksum (104 + 33) mod 103 = 34 ('B'), stop.
        let expected = "11010010000".to_string() + "10100011000" + "10001011000" + "1100011101011";
        let got: String = code128_modules("A")
            .unwrap()
            .iter()
            .map(|m| if *m == 1 { '1' } else { '0' })
            .collect();
        assert_eq!(got, expected);
        assert_eq!(
            bar_runs(&[1, 1, 0, 1, 0, 0, 1, 1, 1]),
            vec![(0, 2), (3, 1), (6, 3)]
        );
    }

    #[test]
    fn unencodable_tracking_number_prints_no_barcode() {
        assert_eq!(code128_modules(""), None);
        assert_eq!(code128_modules("TIÉ123"), None);
        let mut label = sample();
        label.tracking_number = "TIÉ123".into();
        let pdf = render_label_pdf(&label);
        assert!(filled_rects(&pdf).is_empty());
        assert!(texts(&pdf).iter().any(|t| t == "TIÉ123"));
    }

    /// Every text baseline and every drawing stays on the page, even when
    /// each field is far longer than anything real.
    #[test]
    fn oversized_input_stays_on_the_page() {
        let long = "Établissement de reconditionnement très très long numéro ".repeat(4);
        let label = LabelData {
            carrier_name: long.clone(),
            tracking_number: "TI473124829LC".repeat(3),
            reference: long.clone(),
            from_lines: vec![long.clone(); 12],
            to_lines: vec![long.clone(); 12],
            instructions: vec![long.clone(); 30],
            title: long.clone(),
            created_on: long,
            captions: Captions::default(),
        };
        let mut unencodable = sample();
        unencodable.tracking_number = "€".repeat(60);
        for label in [label, LabelData::default(), unencodable] {
            assert_on_page(&render_label_pdf(&label));
        }
    }

    fn assert_on_page(pdf: &[u8]) {
        let shown = shown(pdf);
        assert!(!shown.is_empty(), "the captions at least");
        for s in shown {
            let right = s.x + text_width(s.font, s.size, &s.text);
            assert!(
                s.x >= MARGIN && right <= PAGE_W - MARGIN + 0.01,
                "too wide: {s:?}"
            );
            assert!(
                s.y - 0.25 * s.size >= MARGIN && s.y + s.size <= PAGE_H - MARGIN,
                "off the frame: {s:?}"
            );
        }
        for r in filled_rects(pdf) {
            assert!(r[0] >= MARGIN && r[0] + r[2] <= PAGE_W - MARGIN && r[1] >= MARGIN);
        }
    }

    #[test]
    fn helpers() {
        assert_eq!(parse_date("2026-11-21"), Some((2026, 11, 21)));
        assert_eq!(parse_date("21/11/2026"), None);
        let lines: Vec<String> = ["a", " ", "b", "c", "d"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(at_most(&lines, 3), vec!["a", "b", "c, d"]);
        let wrapped = wrap(Font::Helvetica, 10.0, 60.0, "one two three four five six");
        assert!(
            wrapped.len() > 1
                && wrapped
                    .iter()
                    .all(|l| text_width(Font::Helvetica, 10.0, l) <= 60.0)
        );
        assert_eq!(wrapped.join(" "), "one two three four five six");
        assert!(
            text_width(
                Font::Helvetica,
                10.0,
                &clip(Font::Helvetica, 10.0, 40.0, "a long line of text")
            ) <= 40.0
        );
    }

    /// Writes /tmp/label-sample.pdf for a look with a viewer or pdftoppm.
    #[test]
    #[ignore]
    fn write_sample() {
        std::fs::write("/tmp/label-sample.pdf", render_label_pdf(&sample())).unwrap();
    }
}
