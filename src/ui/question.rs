//! One question of the condition questionnaire as a radio group: the
//! consumer's model page and the refurbisher's inspection ask the same ones.

use crate::domain::grading::Choice;
use crate::i18n::{Lang, Texts};
use crate::ui::radios::{radios_html, Radio};
use leptos::prelude::*;

/// One question as a radio group: a legend, then each answer with its
/// explanation tied to it for screen readers. With `texts`, the answers
/// are in that language (a consumer's page); without, in the domain's
/// English (the refurbisher's inspection).
#[component]
pub fn Question(
    name: &'static str,
    legend: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    choices: &'static [Choice],
    #[prop(optional)] texts: Option<Texts>,
) -> impl IntoView {
    // A refused form sent back keeps its answer; otherwise nothing is
    // ticked and the markup is the same every time.
    let answer = use_context::<crate::ui::form::FormState>().and_then(|s| s.value(name));
    let html = match answer {
        Some(answer) => Oco::from(radios_html(
            name,
            choices.iter().map(|c| {
                let (label, explanation) = words(texts, name, c);
                Radio {
                    value: c.code,
                    label,
                    description: Some(explanation),
                    checked: c.code == answer,
                }
            }),
        )),
        None => Oco::from(question_choices_html(name, choices, texts)),
    };
    view! {

        <fieldset class="question">
            <legend>{legend}</legend>
            {hint.map(|h| view! { <p class="hint">{h}</p> })}
            <div class="choices" inner_html=html/>
        </fieldset>
    }
}

/// An answer's label and explanation in the page's language, if any.
fn words(texts: Option<Texts>, name: &str, c: &Choice) -> (&'static str, &'static str) {
    texts
        .and_then(|t| t.choice(name, c.code))
        .unwrap_or((c.label, c.explanation))
}

/// A question's answers never change, so their markup is written once per
/// process and language (a handful of questions, each kept for good).
fn question_choices_html(
    name: &'static str,
    choices: &'static [Choice],
    texts: Option<Texts>,
) -> &'static str {
    type Written = (&'static str, usize, Option<Lang>, &'static str);
    static WRITTEN: std::sync::Mutex<Vec<Written>> = std::sync::Mutex::new(Vec::new());
    let key = choices.as_ptr() as usize;
    let lang = texts.map(Texts::lang);
    let mut written = WRITTEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((.., html)) = written
        .iter()
        .find(|(n, k, l, _)| *n == name && *k == key && *l == lang)
    {
        return html;
    }
    let radios = choices.iter().map(|c| {
        let (label, explanation) = words(texts, name, c);
        Radio {
            value: c.code,
            label,
            description: Some(explanation),
            checked: false,
        }
    });
    let html: &'static str = Box::leak(radios_html(name, radios).into_boxed_str());
    written.push((name, key, lang, html));
    html
}
