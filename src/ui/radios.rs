//! Radio groups written as markup.
//!
//! A group of radio buttons holds nothing reactive: the form reads the
//! checked one when it is submitted. Built as a view, every button, label
//! and attribute is a boxed node the server allocates, renders and frees on
//! each page, with hydration markers between them: a quarter of the model
//! page's rendering work (callgrind, scripts/bench.sh). Written as text
//! once per page it is a few string appends. Hydration leaves an element's
//! server-rendered `inner_html` as it is, so a choice made before the app
//! starts stays made.

/// One radio button: `value` is what the form submits.
pub struct Radio<'a> {
    pub value: &'a str,
    pub label: &'a str,
    /// Read out with the button (`aria-describedby`).
    pub description: Option<&'a str>,
    pub checked: bool,
}

/// The inside of a `<div class="choices">`: for each radio a
/// `<div class="choice">` with the required button named `name`, its label
/// and description. Ids are `{name}-{value}` and `{name}-{value}-desc`.
pub fn radios_html<'a>(name: &str, radios: impl IntoIterator<Item = Radio<'a>>) -> String {
    let mut html = String::with_capacity(1024);
    for r in radios {
        let id = format!("{name}-{}", r.value);
        html.push_str(r#"<div class="choice"><input type="radio" id=""#);
        escape_into(&mut html, &id);
        html.push_str(r#"" name=""#);
        escape_into(&mut html, name);
        html.push_str(r#"" value=""#);
        escape_into(&mut html, r.value);
        html.push_str(r#"" required"#);
        if r.checked {
            html.push_str(" checked");
        }
        if r.description.is_some() {
            html.push_str(r#" aria-describedby=""#);
            escape_into(&mut html, &id);
            html.push_str(r#"-desc""#);
        }
        html.push_str(r#"><label for=""#);
        escape_into(&mut html, &id);
        html.push_str(r#""><span class="choice-label">"#);
        escape_into(&mut html, r.label);
        html.push_str("</span>");
        if let Some(description) = r.description {
            html.push_str(r#"<span class="choice-desc" id=""#);
            escape_into(&mut html, &id);
            html.push_str(r#"-desc">"#);
            escape_into(&mut html, description);
            html.push_str("</span>");
        }
        html.push_str("</label></div>");
    }
    html
}

/// Text and attribute values alike: the five characters HTML gives meaning.
/// Runs between them are copied whole (most text has none of them).
fn escape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_radio_is_labelled_described_and_required() {
        let html = radios_html(
            "screen",
            [
                Radio {
                    value: "flawless",
                    label: "Flawless",
                    description: Some("No marks at all."),
                    checked: false,
                },
                Radio {
                    value: "cracked",
                    label: "Cracked",
                    description: None,
                    checked: true,
                },
            ],
        );
        assert_eq!(
            html,
            concat!(
                r#"<div class="choice"><input type="radio" id="screen-flawless" name="screen" value="flawless" required aria-describedby="screen-flawless-desc">"#,
                r#"<label for="screen-flawless"><span class="choice-label">Flawless</span><span class="choice-desc" id="screen-flawless-desc">No marks at all.</span></label></div>"#,
                r#"<div class="choice"><input type="radio" id="screen-cracked" name="screen" value="cracked" required checked>"#,
                r#"<label for="screen-cracked"><span class="choice-label">Cracked</span></label></div>"#,
            )
        );
    }

    #[test]
    fn text_cannot_break_out_of_the_markup() {
        let html = radios_html(
            "v",
            [Radio {
                value: "a\"><script>",
                label: "<b>Tom & Jerry's</b>",
                description: None,
                checked: false,
            }],
        );
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(
            html.contains(r#"value="a&quot;&gt;&lt;script&gt;""#),
            "{html}"
        );
        assert!(
            html.contains("&lt;b&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;"),
            "{html}"
        );
    }
}
