//! The certificate of sale of a paid trade-in: one A4 page saying who sold
//! what to whom, for how much and when. The refurbisher keeps it to resell
//! the device under the margin scheme for second-hand goods (VAT Directive
//! art. 312–325, the UK's margin scheme), which asks for proof that it was
//! bought from a private individual, without VAT. It is written in the
//! consumer's language, as the rest of their trade-in.

use crate::features::trade_ins::label::{clip, wrap};
use crate::i18n::{Msg, Texts};
use crate::platform::pdf::{self, text_width, Canvas, DocInfo, Font, MM};

/// What a certificate says.
#[derive(Clone, Debug)]
pub struct CertificateData {
    pub texts: Texts,
    pub reference: String,
    /// The consumer: name, then address lines.
    pub seller_lines: Vec<String>,
    /// The refurbisher's company: name, then its registered address.
    pub buyer_lines: Vec<String>,
    pub buyer_vat: String,
    /// "Apple iPhone 13, 128 GB".
    pub device: String,
    pub imei: Option<String>,
    pub serial_number: Option<String>,
    pub grade: crate::domain::grade::Grade,
    pub price: crate::domain::money::Money,
    /// The day the consumer was paid, as the market writes it.
    pub sold_on: String,
    /// `(year, month, day)` of that day, for the file's metadata.
    pub sold_on_ymd: Option<(u16, u8, u8)>,
}

const PAGE_W: f64 = 210.0 * MM;
const PAGE_H: f64 = 297.0 * MM;
const MARGIN: f64 = 20.0 * MM;

struct Page {
    canvas: Canvas,
    y: f64,
}

impl Page {
    fn width() -> f64 {
        PAGE_W - 2.0 * MARGIN
    }

    fn line(&mut self, font: Font, size: f64, text: &str) {
        self.y -= size * 1.35;
        let shown = clip(font, size, Page::width(), text);
        self.canvas.text(font, size, MARGIN, self.y, &shown);
    }

    fn caption(&mut self, text: &str) {
        self.y -= 10.0;
        self.line(Font::HelveticaBold, 8.5, text);
        self.y -= 2.0;
    }

    fn paragraph(&mut self, size: f64, text: &str) {
        for l in wrap(Font::Helvetica, size, Page::width(), text) {
            self.line(Font::Helvetica, size, &l);
        }
    }
}

pub fn render_certificate_pdf(c: &CertificateData) -> Vec<u8> {
    let t = c.texts;
    let mut page = Page {
        canvas: Canvas::new(),
        y: PAGE_H - MARGIN,
    };
    page.line(Font::HelveticaBold, 22.0, t.get(Msg::CertTitle));
    page.line(
        Font::Helvetica,
        11.0,
        &t.fill(Msg::CertReference, &[("reference", &c.reference)]),
    );
    page.y -= 6.0;
    page.canvas
        .line(MARGIN, page.y, PAGE_W - MARGIN, page.y, 0.75);

    page.caption(t.get(Msg::CertSeller));
    for (i, l) in c.seller_lines.iter().enumerate() {
        let font = if i == 0 {
            Font::HelveticaBold
        } else {
            Font::Helvetica
        };
        page.line(font, 11.0, l);
    }
    page.line(Font::Helvetica, 9.5, t.get(Msg::CertPrivateIndividual));

    page.caption(t.get(Msg::CertBuyer));
    for (i, l) in c.buyer_lines.iter().enumerate() {
        let font = if i == 0 {
            Font::HelveticaBold
        } else {
            Font::Helvetica
        };
        page.line(font, 11.0, l);
    }
    page.line(
        Font::Helvetica,
        11.0,
        &t.fill(Msg::CertVat, &[("vat", &c.buyer_vat)]),
    );

    page.caption(t.get(Msg::CertDevice));
    page.line(Font::HelveticaBold, 11.0, &c.device);
    if let Some(imei) = &c.imei {
        page.line(
            Font::Helvetica,
            11.0,
            &t.fill(Msg::CertImei, &[("imei", imei)]),
        );
    }
    if let Some(serial) = &c.serial_number {
        page.line(
            Font::Helvetica,
            11.0,
            &t.fill(Msg::CertSerial, &[("serial", serial)]),
        );
    }
    page.line(
        Font::Helvetica,
        11.0,
        &t.fill(Msg::CertCondition, &[("grade", &t.grade(c.grade))]),
    );

    page.caption(t.get(Msg::CertPrice));
    page.line(Font::HelveticaBold, 16.0, &t.money(c.price));
    page.caption(t.get(Msg::CertDate));
    page.line(Font::Helvetica, 11.0, &c.sold_on);

    page.y -= 14.0;
    page.paragraph(9.5, t.get(Msg::CertStatement));

    let issued = t.fill(
        Msg::CertIssued,
        &[("date", &c.sold_on), ("reference", &c.reference)],
    );
    let footer = clip(Font::Helvetica, 8.0, Page::width(), &issued);
    page.canvas
        .line(MARGIN, MARGIN + 12.0, PAGE_W - MARGIN, MARGIN + 12.0, 0.5);
    page.canvas
        .text(Font::Helvetica, 8.0, MARGIN, MARGIN, &footer);
    debug_assert!(text_width(Font::Helvetica, 8.0, &footer) <= Page::width());

    let info = DocInfo {
        title: format!("{} {}", t.get(Msg::CertTitle), c.reference),
        created: c.sold_on_ymd,
    };
    pdf::single_page(PAGE_W, PAGE_H, &page.canvas, &info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::grade::Grade;
    use crate::domain::market::Market;
    use crate::domain::money::{Currency, Money};
    use crate::platform::pdf::inspect::{assert_xref_consistent, shown};

    fn sample(market: Market) -> CertificateData {
        CertificateData {
            texts: Texts::of(market),
            reference: "TI-7K3M-9QPX".into(),
            seller_lines: vec![
                "Jürgen Weiß".into(),
                "Königstraße 12".into(),
                "70173 Stuttgart".into(),
                "GERMANY".into(),
            ],
            buyer_lines: vec![
                "Second Life Devices GmbH".into(),
                "Hafenstraße 3".into(),
                "20457 Hamburg".into(),
                "GERMANY".into(),
            ],
            buyer_vat: "DE123456789".into(),
            device: "Apple iPhone 13, 128 GB".into(),
            imei: Some("356938035643809".into()),
            serial_number: None,
            grade: Grade::FunctionalGood,
            price: Money::new(1_234_500, Currency::Eur),
            sold_on: "Fr., 04.12.2026".into(),
            sold_on_ymd: Some((2026, 12, 4)),
        }
    }

    #[test]
    fn says_who_sold_what_to_whom_for_how_much_and_when() {
        let pdf = render_certificate_pdf(&sample(Market::DeDe));
        assert!(pdf.starts_with(b"%PDF-"));
        assert_xref_consistent(&pdf);
        let texts: Vec<String> = shown(&pdf).into_iter().map(|s| s.text).collect();
        let all = texts.join("\n");
        let de = Texts::of(Market::DeDe);
        for want in [
            de.get(Msg::CertTitle).to_string(),
            "Jürgen Weiß".to_string(),
            "Second Life Devices GmbH".to_string(),
            de.fill(Msg::CertVat, &[("vat", &"DE123456789")]),
            de.fill(Msg::CertImei, &[("imei", &"356938035643809")]),
            "12.345,00\u{a0}€".to_string(),
            "Fr., 04.12.2026".to_string(),
        ] {
            assert!(all.contains(&want), "{want:?} in {all}");
        }
    }

    #[test]
    fn french_amounts_print_with_their_narrow_space() {
        // The narrow no-break space of French grouping has no WinAnsi
        // glyph: it prints as a no-break space, never as '?'.
        let mut c = sample(Market::FrFr);
        c.price = Money::new(1_234_500, Currency::Eur);
        let pdf = render_certificate_pdf(&c);
        let all: String = shown(&pdf).into_iter().map(|s| s.text + "\n").collect();
        assert!(all.contains("12\u{a0}345,00\u{a0}€"), "{all}");
        assert!(!all.contains('?'), "{all}");
    }
}
