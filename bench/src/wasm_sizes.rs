//! Where a wasm module's bytes go: each function body and data segment with
//! the name the linker gave it (the module's `name` section), and the other
//! sections whole. Read straight from the binary format, so the benchmark
//! needs no tool installed for it (it used twiggy, whose install was a
//! minute and a half of every run from a clean machine).

/// One part of the module: a function body, a data segment or a section.
#[derive(Debug, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    pub bytes: u64,
    /// A function's code, as opposed to data, tables and the like.
    pub is_code: bool,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

type Result<T> = std::result::Result<T, String>;

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn byte(&mut self) -> Result<u8> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or("the module ends in the middle of an item")?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or("a length points past the end of the module")?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    /// Unsigned LEB128, as every count and length in the format is written.
    fn uleb(&mut self) -> Result<u64> {
        let (mut value, mut shift) = (0u64, 0);
        loop {
            let b = self.byte()?;
            if shift < 64 {
                value |= u64::from(b & 0x7f) << shift;
            }
            if b & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }

    fn len(&mut self) -> Result<usize> {
        usize::try_from(self.uleb()?).map_err(|_| "a length does not fit in memory".to_string())
    }

    fn name(&mut self) -> Result<String> {
        let n = self.len()?;
        Ok(String::from_utf8_lossy(self.take(n)?).into_owned())
    }

    /// A constant expression (a data segment's offset): opcodes up to `end`.
    fn const_expr(&mut self) -> Result<()> {
        loop {
            match self.byte()? {
                0x0b => return Ok(()),
                // i32.const, i64.const (signed LEB: same byte structure), global.get
                0x41 | 0x42 | 0x23 => {
                    self.uleb()?;
                }
                op => {
                    return Err(format!(
                        "unexpected opcode 0x{op:02x} in a data segment's offset"
                    ))
                }
            }
        }
    }

    /// Table and memory limits: a flag byte, the minimum, and a maximum
    /// when the flag's low bit says there is one.
    fn limits(&mut self) -> Result<()> {
        let flags = self.byte()?;
        self.uleb()?;
        if flags & 1 != 0 {
            self.uleb()?;
        }
        Ok(())
    }
}

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

/// The module's functions, data segments and remaining sections, largest
/// first. Custom sections (names, producers) and the export section are
/// left out: neither ships as it is here.
pub fn items(module: &[u8]) -> Result<Vec<Item>> {
    let mut r = Reader::new(module);
    if r.take(8).ok() != Some(&b"\0asm\x01\0\0\0"[..]) {
        return Err("not a wasm module (version 1)".into());
    }
    let mut imported_functions = 0u64;
    let mut bodies: Vec<u64> = Vec::new();
    let mut segments: Vec<u64> = Vec::new();
    let mut function_names = std::collections::HashMap::new();
    let mut segment_names = std::collections::HashMap::new();
    let mut out = Vec::new();
    while !r.done() {
        let id = r.byte()?;
        let size = r.len()?;
        let mut s = Reader::new(r.take(size)?);
        match id {
            0 => {
                if s.name()? == "name" {
                    while !s.done() {
                        let kind = s.byte()?;
                        let n = s.len()?;
                        let mut sub = Reader::new(s.take(n)?);
                        let target = match kind {
                            1 => &mut function_names,
                            9 => &mut segment_names,
                            _ => continue,
                        };
                        for _ in 0..sub.uleb()? {
                            let index = sub.uleb()?;
                            target.insert(index, sub.name()?);
                        }
                    }
                }
            }
            2 => {
                for _ in 0..s.uleb()? {
                    s.name()?;
                    s.name()?;
                    match s.byte()? {
                        0x00 => {
                            imported_functions += 1;
                            s.uleb()?;
                        }
                        0x01 => {
                            s.byte()?;
                            s.limits()?;
                        }
                        0x02 => s.limits()?,
                        0x03 => {
                            s.byte()?;
                            s.byte()?;
                        }
                        0x04 => {
                            s.byte()?;
                            s.uleb()?;
                        }
                        kind => return Err(format!("unknown import kind 0x{kind:02x}")),
                    }
                }
                out.push(Item {
                    name: "import section".into(),
                    bytes: size as u64,
                    is_code: false,
                });
            }
            10 => {
                for _ in 0..s.uleb()? {
                    let start = s.at;
                    let n = s.len()?;
                    s.take(n)?;
                    bodies.push((s.at - start) as u64);
                }
            }
            11 => {
                for _ in 0..s.uleb()? {
                    let start = s.at;
                    match s.uleb()? {
                        0 => s.const_expr()?,
                        1 => {}
                        2 => {
                            s.uleb()?;
                            s.const_expr()?;
                        }
                        flags => return Err(format!("unknown data segment kind {flags}")),
                    }
                    let n = s.len()?;
                    s.take(n)?;
                    segments.push((s.at - start) as u64);
                }
            }
            // wasm-split exports every function a chunk calls, under long
            // names; wasm-bindgen replaces them (34 exports ship), so they
            // would only mislead here.
            7 => {}
            _ => {
                let name = SECTION_NAMES
                    .get(usize::from(id))
                    .copied()
                    .unwrap_or("unknown");
                out.push(Item {
                    name: format!("{name} section"),
                    bytes: size as u64,
                    is_code: false,
                });
            }
        }
    }
    for (i, bytes) in bodies.into_iter().enumerate() {
        let index = imported_functions + i as u64;
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
            .remove(&(i as u64))
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
