//! Page data loaded by a server function, rendered on the server and handed
//! to the browser with the HTML.
//!
//! Leptos's default resource reads the hydration copy with
//! `serde_json::from_str`, while a server function's answer is read with
//! `serde_json::from_slice`. Each reader is its own instantiation of every
//! page type's `Deserialize`, so the browser bundle carried every page's
//! data reader twice. These resources read the hydration copy the way the
//! server function's answer is read, and share that code.

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// JSON in the page, read as bytes (see the module comment).
pub struct JsonBytes;

impl<T: Serialize> Encoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(json: &str) -> Result<T, serde_json::Error> {
        read_json(json)
    }
}

/// Reads JSON the browser already holds as text through the byte reader a
/// server function's answer goes through, so both share one copy of `T`'s
/// reading code.
pub fn read_json<T: DeserializeOwned>(json: &str) -> Result<T, serde_json::Error> {
    serde_json::from_slice(json.as_bytes())
}

/// A page's data: what `Resource::new` gives, with the shared reader.
pub type Data<T> = Resource<T, JsonBytes>;

/// Loads `fetcher(source())` again whenever `source` changes.
#[track_caller]
pub fn load<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Data<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_server_writes_the_browser_reads() {
        let value: Result<Vec<(String, i64)>, String> =
            Ok(vec![("iPhone 13 « 128 GB »".into(), 31_500)]);
        let json = <JsonBytes as Encoder<_>>::encode(&value).unwrap();
        let back: Result<Vec<(String, i64)>, String> =
            <JsonBytes as Decoder<_>>::decode(&json).unwrap();
        assert_eq!(back, value);
        assert!(<JsonBytes as Decoder<Vec<i64>>>::decode("{\"not\": \"a list\"}").is_err());
    }
}
