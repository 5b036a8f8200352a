//! Where a wasm module's bytes go: each function body and data segment with
//! the name the linker gave it (the module's `name` section), and the other
//! sections whole. The module is read with wasmparser: its sections, the
//! imports (to number the functions as the name section does), the function
//! bodies and data segments with their exact sizes, and the name section's
//! function and data segment names. Nothing is validated, and no tool needs
//! installing for it (the benchmark used twiggy, whose install was a minute
//! and a half of every run from a clean machine).

use std::collections::HashMap;
use wasmparser::{Encoding, KnownCustom, Name, Parser, Payload, TypeRef};

/// One part of the module: a function body, a data segment or a section.
#[derive(Debug, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    pub bytes: u64,
    /// A function's code, as opposed to data, tables and the like.
    pub is_code: bool,
}

type Result<T> = std::result::Result<T, String>;

const SECTION_NAMES: [&str; 14] = [
    "custom",
    "type",
    "import",
    "function",
    "table",
    "memory",
    "global",
    "export",
    "start",
    "elem",
    "code",
    "data",
    "data count",
    "tag",
];

/// A name section's entries, by index.
fn names(map: wasmparser::NameMap<'_>) -> Result<HashMap<u32, String>> {
    map.into_iter()
        .map(|n| n.map(|n| (n.index, n.name.to_string())))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| e.to_string())
}

/// The module's functions, data segments and remaining sections, largest
/// first. Custom sections (names, producers) and the export section are
/// left out: neither ships as it is here. A function body and a data
/// segment count with their leading bytes (the body's length; the
/// segment's kind, memory and offset), as they sit in the module.
pub fn items(module: &[u8]) -> Result<Vec<Item>> {
    let mut imported_functions = 0u32;
    let mut bodies: Vec<u64> = Vec::new();
    let mut segments: Vec<u64> = Vec::new();
    let mut function_names = HashMap::new();
    let mut segment_names = HashMap::new();
    let mut out = Vec::new();
    // Where the next function body starts, length included.
    let mut body_start = 0u64;
    for payload in Parser::new(0).parse_all(module) {
        let payload = payload.map_err(|e| e.to_string())?;
        let section = payload.as_section();
        match payload {
            Payload::Version { encoding, .. } if encoding != Encoding::Module => {
                return Err("not a wasm module (a component)".into());
            }
            Payload::CustomSection(custom) => {
                if let KnownCustom::Name(section) = custom.as_known() {
                    for name in section {
                        match name.map_err(|e| e.to_string())? {
                            Name::Function(map) => function_names.extend(names(map)?),
                            Name::Data(map) => segment_names.extend(names(map)?),
                            _ => {}
                        }
                    }
                }
            }
            Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    let import = import.map_err(|e| e.to_string())?;
                    if matches!(import.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                        imported_functions += 1;
                    }
                }
            }
            Payload::CodeSectionStart {
                unchecked_range,
                size,
                ..
            } => body_start = unchecked_range.end - u64::from(size),
            Payload::CodeSectionEntry(body) => {
                let end = body.range().end;
                bodies.push(end - body_start);
                body_start = end;
            }
            Payload::DataSection(data) => {
                for segment in data {
                    let segment = segment.map_err(|e| e.to_string())?;
                    segments.push(segment.range.end - segment.range.start);
                }
            }
            _ => {}
        }
        match section {
            // The code and data sections are counted item by item; wasm-split
            // exports every function a chunk calls, under long names, which
            // wasm-bindgen replaces (34 exports ship), so they would only
            // mislead here.
            None | Some((0 | 7 | 10 | 11, _)) => {}
            Some((id, range)) => {
                let name = SECTION_NAMES
                    .get(usize::from(id))
                    .copied()
                    .unwrap_or("unknown");
                out.push(Item {
                    name: format!("{name} section"),
                    bytes: range.end - range.start,
                    is_code: false,
                });
            }
        }
    }
    for (i, bytes) in bodies.into_iter().enumerate() {
        let index = imported_functions + i as u32;
        // `{:#}` leaves out the hash suffix of legacy symbols.
        let name = function_names
            .remove(&index)
            .map(|n| format!("{:#}", rustc_demangle::demangle(&n)))
            .unwrap_or_else(|| format!("function[{index}]"));
        out.push(Item {
            name,
            bytes,
            is_code: true,
        });
    }
    for (i, bytes) in segments.into_iter().enumerate() {
        let name = segment_names
            .remove(&(i as u32))
            .map(|n| format!("data segment \"{n}\""))
            .unwrap_or_else(|| format!("data segment [{i}]"));
        out.push(Item {
            name,
            bytes,
            is_code: false,
        });
    }
    out.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![id, payload.len() as u8];
        out.extend_from_slice(payload);
        out
    }

    fn string(s: &str) -> Vec<u8> {
        let mut out = vec![s.len() as u8];
        out.extend_from_slice(s.as_bytes());
        out
    }

    /// A hand-written module: one imported function, two bodies, one
    /// active data segment, and a name section naming all three.
    #[test]
    fn reads_functions_and_data_with_their_names() {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend(section(1, &[1, 0x60, 0, 0]));
        let mut import = vec![1];
        import.extend(string("env"));
        import.extend(string("f"));
        import.extend([0x00, 0x00]);
        m.extend(section(2, &import));
        m.extend(section(3, &[2, 0, 0]));
        // Bodies of 2 and 5 bytes (plus their one-byte length).
        m.extend(section(10, &[2, 2, 0, 0x0b, 5, 0, 0x01, 0x01, 0x01, 0x0b]));
        // Active segment at i32.const 1024 (LEB 0x80 0x08), 3 bytes.
        m.extend(section(
            11,
            &[1, 0, 0x41, 0x80, 0x08, 0x0b, 3, b'a', b'b', b'c'],
        ));
        let mut names = string("name");
        let mut funcs = vec![2, 1];
        funcs.extend(string("small"));
        funcs.push(2);
        funcs.extend(string("tradein::big"));
        names.push(1);
        names.push(funcs.len() as u8);
        names.extend(funcs);
        let mut data = vec![1, 0];
        data.extend(string(".rodata"));
        names.push(9);
        names.push(data.len() as u8);
        names.extend(data);
        m.extend(section(0, &names));

        let items = items(&m).unwrap();
        let find = |n: &str| {
            items
                .iter()
                .find(|i| i.name == n)
                .unwrap_or_else(|| panic!("{n} in {items:?}"))
        };
        assert_eq!(find("tradein::big").bytes, 6);
        assert!(find("tradein::big").is_code);
        assert_eq!(find("small").bytes, 3);
        assert_eq!(find("data segment \".rodata\"").bytes, 9);
        assert!(!find("data segment \".rodata\"").is_code);
        assert_eq!(find("import section").bytes, import.len() as u64);
        assert!(
            items.iter().all(|i| !i.name.contains("custom")),
            "the name section itself ships nowhere"
        );
        assert!(
            items.windows(2).all(|w| w[0].bytes >= w[1].bytes),
            "largest first"
        );
    }

    #[test]
    fn refuses_what_is_not_a_module() {
        assert!(items(b"<html>").is_err());
        assert!(
            items(b"\0asm\x01\0\0\0\x0a\x05\x01").is_err(),
            "a section longer than the file"
        );
    }
}
