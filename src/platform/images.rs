//! Proof photos that refurbishers upload when they lower a price after
//! inspection. Consumers, the refurbisher and operations all see them, so an
//! upload must never carry along where it was taken or with which camera:
//! phones put GPS positions and serial numbers into EXIF/XMP, and editors put
//! names into comments and text chunks.
//!
//! Rather than trusting a decoder library to strip what it knows about, each
//! format is walked at the container level and only the parts needed to show
//! the picture are copied. The pixels are never re-encoded, so quality and
//! size stay what the refurbisher uploaded. The three formats accepted are
//! the ones every browser shows; everything else is refused, because these
//! files are served back to other people and must not become a way to host
//! HTML, SVG with scripts, PDFs or executables on our origin.
//!
//! Hand-written on purpose: the container crates looked at (img-parts)
//! rebuild a JPEG from the segments they parse and keep whatever follows
//! the image data, and none drops WebP's and PNG's metadata chunks by an
//! allow-list of what is needed to show the picture. The checksums are
//! `crc32fast`'s.

/// Larger than any phone photo of a device needs to be, small enough that a
/// handful of uploads cannot fill the disk.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
}

impl ImageKind {
    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::Webp => "image/webp",
        }
    }

    /// The kind a stored photo was saved as, from its content type.
    pub fn of_content_type(content_type: &str) -> Option<ImageKind> {
        [ImageKind::Jpeg, ImageKind::Png, ImageKind::Webp]
            .into_iter()
            .find(|k| k.content_type() == content_type)
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "jpg",
            ImageKind::Png => "png",
            ImageKind::Webp => "webp",
        }
    }
}

/// Shown to the refurbisher as is, so the wording avoids format jargon.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the photo file is empty")]
    Empty,
    #[error("photos are limited to {} MB; this one is {} MB", megabytes(&MAX_PHOTO_BYTES), megabytes(.bytes))]
    TooLarge { bytes: usize },
    #[error("this file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("this image file is damaged or incomplete ({0}); please export the photo again")]
    Malformed(&'static str),
}

/// Rounded up, so a file just over the limit never reads as "5.0 MB".
fn megabytes(bytes: &usize) -> String {
    const MIB: u128 = 1024 * 1024;
    let tenths = (*bytes as u128 * 10).div_ceil(MIB);
    if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanPhoto {
    pub kind: ImageKind,
    pub bytes: Vec<u8>,
}

/// Checks the type from the bytes themselves (never the file name or the
/// browser's content type) and returns a copy without metadata (EXIF with
/// GPS position and camera serial numbers, XMP, comments, text chunks).
pub fn sanitize(input: &[u8]) -> Result<CleanPhoto, PhotoError> {
    if input.is_empty() {
        return Err(PhotoError::Empty);
    }
    if input.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge { bytes: input.len() });
    }
    let kind = sniff(input).ok_or(PhotoError::NotAnImage)?;
    let bytes = match kind {
        ImageKind::Jpeg => clean_jpeg(input)?,
        ImageKind::Png => clean_png(input)?,
        ImageKind::Webp => clean_webp(input)?,
    };
    Ok(CleanPhoto { kind, bytes })
}

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

fn sniff(input: &[u8]) -> Option<ImageKind> {
    if input.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageKind::Jpeg)
    } else if input.starts_with(&PNG_SIGNATURE) {
        Some(ImageKind::Png)
    } else if input.starts_with(b"RIFF") && input.get(8..12) == Some(b"WEBP") {
        Some(ImageKind::Webp)
    } else {
        None
    }
}

const ENDS_EARLY: PhotoError = PhotoError::Malformed("it ends too early");

fn be_u16(bytes: &[u8], at: usize) -> Option<u16> {
    bytes
        .get(at..at.checked_add(2)?)?
        .try_into()
        .ok()
        .map(u16::from_be_bytes)
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at.checked_add(4)?)?
        .try_into()
        .ok()
        .map(u32::from_be_bytes)
}

fn le_u32(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at.checked_add(4)?)?
        .try_into()
        .ok()
        .map(u32::from_le_bytes)
}

// ---------------------------------------------------------------- JPEG

/// Copies SOI, the header segments worth keeping, every scan with its
/// entropy-coded data, and EOI. Anything after EOI is dropped: phones append
/// whole second images (with their own EXIF) or motion-photo videos there.
fn clean_jpeg(input: &[u8]) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::with_capacity(input.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut pos = 2;
    let mut seen_frame = false;
    let mut seen_scan = false;
    loop {
        match input.get(pos) {
            Some(0xFF) => {}
            Some(_) => {
                return Err(PhotoError::Malformed(
                    "a section is not where its length says",
                ))
            }
            None => return Err(ENDS_EARLY),
        }
        // Any number of 0xFF fill bytes may precede a marker code.
        let mut code_at = pos + 1;
        while input.get(code_at) == Some(&0xFF) {
            code_at += 1;
        }
        let code = *input.get(code_at).ok_or(ENDS_EARLY)?;
        let marker_at = code_at - 1;
        let after_code = code_at + 1;
        match code {
            0x00 => {
                return Err(PhotoError::Malformed(
                    "a section is not where its length says",
                ))
            }
            // TEM and RSTn carry no length; stray ones are harmless to keep.
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, code]);
                pos = after_code;
            }
            0xD8 => return Err(PhotoError::Malformed("it starts twice")),
            0xD9 => {
                if !seen_scan {
                    return Err(PhotoError::Malformed("it has no picture data"));
                }
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            _ => {
                let len = usize::from(be_u16(input, after_code).ok_or(ENDS_EARLY)?);
                if len < 2 {
                    return Err(PhotoError::Malformed("a section has an impossible length"));
                }
                let end = after_code + len;
                let segment = input.get(marker_at..end).ok_or(ENDS_EARLY)?;
                pos = end;
                match code {
                    // APP1..APP15 hold EXIF, XMP, ICC, maker notes, Photoshop
                    // IPTC and the like; COM is free text.
                    0xE1..=0xEF | 0xFE => {}
                    0xDA => {
                        if !seen_frame {
                            return Err(PhotoError::Malformed(
                                "picture data comes before its header",
                            ));
                        }
                        seen_scan = true;
                        out.extend_from_slice(segment);
                        pos = copy_entropy_coded(input, end, &mut out)?;
                    }
                    // SOFn; C4 (DHT), C8 (reserved) and CC (DAC) share the range.
                    0xC0..=0xCF if !matches!(code, 0xC4 | 0xC8 | 0xCC) => {
                        seen_frame = true;
                        out.extend_from_slice(segment);
                    }
                    _ => out.extend_from_slice(segment),
                }
            }
        }
    }
}

/// Copies a scan's entropy-coded bytes verbatim and returns where the next
/// marker starts. Inside a scan, 0xFF is followed by 0x00 (a stuffed data
/// byte), by RSTn, or by more 0xFF fill; any other code ends the scan. Walking
/// on afterwards, instead of copying to the end of the file, is what lets
/// progressive JPEGs (several scans) through while still dropping APPn
/// segments between scans and trailers after EOI.
fn copy_entropy_coded(input: &[u8], start: usize, out: &mut Vec<u8>) -> Result<usize, PhotoError> {
    const NO_END: PhotoError = PhotoError::Malformed("the picture data has no end marker");
    let mut at = start;
    loop {
        let ff = at
            + input
                .get(at..)
                .and_then(|rest| rest.iter().position(|&b| b == 0xFF))
                .ok_or(NO_END)?;
        let mut code_at = ff + 1;
        while input.get(code_at) == Some(&0xFF) {
            code_at += 1;
        }
        match input.get(code_at) {
            None => return Err(NO_END),
            Some(0x00 | 0xD0..=0xD7) => at = code_at + 1,
            Some(_) => {
                let marker_at = code_at - 1;
                out.extend_from_slice(input.get(start..marker_at).ok_or(ENDS_EARLY)?);
                return Ok(marker_at);
            }
        }
    }
}

// ---------------------------------------------------------------- PNG

/// CRC-32 as PNG uses it (IEEE), from `crc32fast`.
fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// Ancillary chunks that only affect how the pixels are shown. Everything
/// else ancillary (tEXt, zTXt, iTXt, eXIf, tIME, vendor chunks) is dropped.
const PNG_KEPT_ANCILLARY: [&[u8; 4]; 8] = [
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs", b"bKGD",
];

/// Copies the signature and the chunks worth keeping, each with its CRC
/// (checked first), up to IEND. Bytes after IEND are dropped: that is where
/// polyglot files hide a second payload.
fn clean_png(input: &[u8]) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::with_capacity(input.len());
    out.extend_from_slice(&PNG_SIGNATURE);
    let mut pos = PNG_SIGNATURE.len();
    let mut first = true;
    let mut seen_idat = false;
    loop {
        let len = be_u32(input, pos).ok_or(ENDS_EARLY)?;
        if len > 0x7FFF_FFFF {
            return Err(PhotoError::Malformed("a section has an impossible length"));
        }
        let len = len as usize;
        let kind: [u8; 4] = input
            .get(pos + 4..pos + 8)
            .and_then(|k| k.try_into().ok())
            .ok_or(ENDS_EARLY)?;
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(PhotoError::Malformed("a section has an invalid name"));
        }
        let crc_at = (pos + 8).checked_add(len).ok_or(ENDS_EARLY)?;
        let chunk = input.get(pos..crc_at + 4).ok_or(ENDS_EARLY)?;
        let stored_crc = be_u32(input, crc_at).ok_or(ENDS_EARLY)?;
        let covered = input.get(pos + 4..crc_at).ok_or(ENDS_EARLY)?;
        if crc32(covered) != stored_crc {
            return Err(PhotoError::Malformed("a checksum does not match"));
        }
        pos = crc_at + 4;

        let is_header = &kind == b"IHDR";
        if first != is_header {
            return Err(PhotoError::Malformed("the header is missing or repeated"));
        }
        first = false;
        match &kind {
            b"IHDR" if len != 13 => {
                return Err(PhotoError::Malformed("the header has the wrong size"))
            }
            b"IEND" => {
                if !seen_idat {
                    return Err(PhotoError::Malformed("it has no picture data"));
                }
                if len != 0 {
                    return Err(PhotoError::Malformed("the end marker has the wrong size"));
                }
                out.extend_from_slice(chunk);
                return Ok(out);
            }
            b"IDAT" => {
                seen_idat = true;
                out.extend_from_slice(chunk);
            }
            b"IHDR" | b"PLTE" => out.extend_from_slice(chunk),
            k if PNG_KEPT_ANCILLARY.contains(&k) => out.extend_from_slice(chunk),
            // An unknown critical chunk means decoders must refuse the file;
            // dropping it would hand them a different picture than the
            // uploader's software meant.
            k if k[0].is_ascii_uppercase() => {
                return Err(PhotoError::Malformed(
                    "it uses a PNG feature we do not support",
                ));
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------- WebP

const VP8X_EXIF_FLAG: u8 = 0x08;
const VP8X_XMP_FLAG: u8 = 0x04;

/// Keeps the chunks that make up the picture (bitstreams, alpha, animation,
/// ICC profile) and drops EXIF, XMP and any unknown chunk, which decoders
/// ignore anyway. Bytes past the RIFF size are dropped.
fn clean_webp(input: &[u8]) -> Result<Vec<u8>, PhotoError> {
    let riff_size = le_u32(input, 4).ok_or(ENDS_EARLY)? as usize;
    if riff_size < 4 {
        return Err(PhotoError::Malformed(
            "the container has an impossible size",
        ));
    }
    let end = riff_size.checked_add(8).ok_or(ENDS_EARLY)?;
    if end > input.len() {
        return Err(ENDS_EARLY);
    }
    let mut out = Vec::with_capacity(end);
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let mut pos = 12;
    let mut first = true;
    let mut seen_bitstream = false;
    while pos < end {
        let fourcc: [u8; 4] = input
            .get(pos..pos + 4)
            .and_then(|k| k.try_into().ok())
            .ok_or(ENDS_EARLY)?;
        let size = le_u32(input, pos + 4).ok_or(ENDS_EARLY)? as usize;
        // Chunks are padded to an even size; the pad byte is not counted.
        let padded_end = (pos + 8)
            .checked_add(size)
            .and_then(|e| e.checked_add(size & 1))
            .ok_or(ENDS_EARLY)?;
        if padded_end > end {
            return Err(PhotoError::Malformed(
                "a section runs past the end of the file",
            ));
        }
        let chunk = input.get(pos..padded_end).ok_or(ENDS_EARLY)?;
        match &fourcc {
            b"VP8X" => {
                if !first {
                    return Err(PhotoError::Malformed("the extended header is not first"));
                }
                if size < 10 {
                    return Err(PhotoError::Malformed(
                        "the extended header has the wrong size",
                    ));
                }
                let flags_at = out.len() + 8;
                out.extend_from_slice(chunk);
                // Readers trust these flags to look for the chunks just dropped.
                if let Some(flags) = out.get_mut(flags_at) {
                    *flags &= !(VP8X_EXIF_FLAG | VP8X_XMP_FLAG);
                }
            }
            b"VP8 " | b"VP8L" | b"ANMF" => {
                seen_bitstream = true;
                out.extend_from_slice(chunk);
            }
            b"ALPH" | b"ANIM" | b"ICCP" => out.extend_from_slice(chunk),
            _ => {}
        }
        first = false;
        pos = padded_end;
    }
    if !seen_bitstream {
        return Err(PhotoError::Malformed("it has no picture data"));
    }
    let riff_size =
        u32::try_from(out.len() - 8).map_err(|_| PhotoError::TooLarge { bytes: out.len() })?;
    if let Some(size_field) = out.get_mut(4..8) {
        size_field.copy_from_slice(&riff_size.to_le_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn cleaned(input: &[u8]) -> CleanPhoto {
        sanitize(input).unwrap_or_else(|e| panic!("sanitize refused a valid image: {e}"))
    }

    // ------------------------------------------------ synthetic JPEG

    const JPEG_SECRET: &[u8] = b"GPS 48.8584 2.2945 SERIAL-ABC123";
    const JPEG_COMMENT: &[u8] = b"taken by J. Doe at home";

    fn segment(code: u8, payload: &[u8]) -> Vec<u8> {
        let len = u16::try_from(payload.len() + 2).unwrap();
        let mut s = vec![0xFF, code];
        s.extend_from_slice(&len.to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    struct JpegParts {
        app0: Vec<u8>,
        app1: Vec<u8>,
        com: Vec<u8>,
        dqt: Vec<u8>,
        sof0: Vec<u8>,
        dht: Vec<u8>,
        sos: Vec<u8>,
        entropy: Vec<u8>,
    }

    fn jpeg_parts() -> JpegParts {
        let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
        exif.extend_from_slice(JPEG_SECRET);
        let mut dqt = vec![0x00];
        dqt.extend(1..=64u8);
        let mut dht = vec![0x00, 1];
        dht.extend([0u8; 15]);
        dht.push(0x00);
        JpegParts {
            app0: segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"),
            app1: segment(0xE1, &exif),
            com: segment(0xFE, JPEG_COMMENT),
            dqt: segment(0xDB, &dqt),
            sof0: segment(0xC0, &[8, 0, 16, 0, 16, 1, 1, 0x11, 0]),
            dht: segment(0xC4, &dht),
            sos: segment(0xDA, &[1, 1, 0x00, 0, 63, 0]),
            // Stuffed 0xFF 0x00 bytes and a restart marker live inside scans.
            entropy: vec![
                0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0x9A, 0xFF, 0x00, 0xBC,
            ],
        }
    }

    fn synthetic_jpeg() -> Vec<u8> {
        let p = jpeg_parts();
        [
            &[0xFF, 0xD8][..],
            &p.app0,
            &p.app1,
            &p.com,
            &p.dqt,
            &p.sof0,
            &p.dht,
            &p.sos,
            &p.entropy,
            &[0xFF, 0xD9],
        ]
        .concat()
    }

    #[test]
    fn jpeg_loses_exif_and_comment_and_keeps_the_picture_byte_for_byte() {
        let input = synthetic_jpeg();
        assert!(contains(&input, JPEG_SECRET));
        let out = cleaned(&input);
        assert_eq!(out.kind, ImageKind::Jpeg);
        assert!(!contains(&out.bytes, JPEG_SECRET));
        assert!(!contains(&out.bytes, b"SERIAL-ABC123"));
        assert!(!contains(&out.bytes, b"Exif"));
        assert!(!contains(&out.bytes, JPEG_COMMENT));
        assert!(out.bytes.starts_with(&[0xFF, 0xD8]));
        assert!(out.bytes.ends_with(&[0xFF, 0xD9]));
        let p = jpeg_parts();
        let expected = [
            &[0xFF, 0xD8][..],
            &p.app0,
            &p.dqt,
            &p.sof0,
            &p.dht,
            &p.sos,
            &p.entropy,
            &[0xFF, 0xD9],
        ]
        .concat();
        assert_eq!(out.bytes, expected);
    }

    #[test]
    fn jpeg_handles_standalone_markers_and_fill_bytes() {
        let p = jpeg_parts();
        let input = [
            &[0xFF, 0xD8][..],
            &p.app0,
            &[0xFF, 0x01],
            &[0xFF, 0xFF, 0xFF],
            &p.app1,
            &[0xFF, 0xD3],
            &p.dqt,
            &p.sof0,
            &p.dht,
            &p.sos,
            &p.entropy,
            &[0xFF, 0xFF, 0xD9],
        ]
        .concat();
        let out = cleaned(&input).bytes;
        assert!(!contains(&out, JPEG_SECRET));
        let expected = [
            &[0xFF, 0xD8][..],
            &p.app0,
            &[0xFF, 0x01],
            &[0xFF, 0xD3],
            &p.dqt,
            &p.sof0,
            &p.dht,
            &p.sos,
            &p.entropy,
            &[0xFF, 0xFF, 0xD9],
        ]
        .concat();
        assert_eq!(out, expected);
    }

    #[test]
    fn jpeg_with_several_scans_drops_segments_between_them_and_after_eoi() {
        let p = jpeg_parts();
        let input = [
            &[0xFF, 0xD8][..],
            &p.app0,
            &p.dqt,
            &p.sof0,
            &p.dht,
            &p.sos,
            &p.entropy,
            &p.app1,
            &p.dht,
            &p.sos,
            &p.entropy,
            &p.com,
            &[0xFF, 0xD9],
            b"trailer: GPS 48.8584 2.2945 SERIAL-ABC123",
        ]
        .concat();
        let out = cleaned(&input).bytes;
        assert!(!contains(&out, b"SERIAL-ABC123"));
        assert!(!contains(&out, JPEG_COMMENT));
        let expected = [
            &[0xFF, 0xD8][..],
            &p.app0,
            &p.dqt,
            &p.sof0,
            &p.dht,
            &p.sos,
            &p.entropy,
            &p.dht,
            &p.sos,
            &p.entropy,
            &[0xFF, 0xD9],
        ]
        .concat();
        assert_eq!(out, expected);
    }

    #[test]
    fn broken_jpegs_are_malformed() {
        let p = jpeg_parts();
        let soi: &[u8] = &[0xFF, 0xD8];
        let eoi: &[u8] = &[0xFF, 0xD9];
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("no scan", [soi, &p.app0, &p.dqt, &p.sof0, eoi].concat()),
            (
                "scan before frame header",
                [soi, &p.app0, &p.dqt, &p.sos, &p.entropy, eoi].concat(),
            ),
            (
                "no end marker",
                [soi, &p.app0, &p.sof0, &p.sos, &p.entropy].concat(),
            ),
            (
                "length past the end",
                [soi, &p.app0, &[0xFF, 0xE1, 0x10, 0x00, b'E', b'x']].concat(),
            ),
            (
                "length below two",
                [
                    soi,
                    &p.app0,
                    &[0xFF, 0xDB, 0x00, 0x01],
                    &p.sof0,
                    &p.sos,
                    eoi,
                ]
                .concat(),
            ),
            (
                "junk between segments",
                [soi, &p.app0, &[0x00], &p.sof0, &p.sos, eoi].concat(),
            ),
            (
                "second SOI",
                [soi, &p.app0, soi, &p.sof0, &p.sos, eoi].concat(),
            ),
            ("just the magic", vec![0xFF, 0xD8, 0xFF]),
        ];
        for (what, input) in cases {
            assert!(
                matches!(sanitize(&input), Err(PhotoError::Malformed(_))),
                "{what}: {:?}",
                sanitize(&input)
            );
        }
    }

    // ------------------------------------------------ synthetic PNG

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        let crc = crc32(&c[4..]);
        c.extend_from_slice(&crc.to_be_bytes());
        c
    }

    /// 1x1 8-bit greyscale.
    fn ihdr() -> Vec<u8> {
        chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
    }

    /// One mid-grey pixel: zlib stored block of [filter 0, 0x80] with its Adler-32.
    fn idat() -> Vec<u8> {
        chunk(
            b"IDAT",
            &[
                0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF, 0x00, 0x80, 0x00, 0x82, 0x00, 0x81,
            ],
        )
    }

    fn iend() -> Vec<u8> {
        chunk(b"IEND", &[])
    }

    fn png(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut p = PNG_SIGNATURE.to_vec();
        for c in chunks {
            p.extend_from_slice(c);
        }
        p
    }

    /// Every chunk of a sanitized PNG, checking each CRC on the way.
    fn png_chunks(bytes: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
        assert!(bytes.starts_with(&PNG_SIGNATURE));
        let mut chunks = Vec::new();
        let mut pos = 8;
        while pos < bytes.len() {
            let len = be_u32(bytes, pos).unwrap() as usize;
            let kind: [u8; 4] = bytes[pos + 4..pos + 8].try_into().unwrap();
            let data = bytes[pos + 8..pos + 8 + len].to_vec();
            let crc = be_u32(bytes, pos + 8 + len).unwrap();
            assert_eq!(
                crc32(&bytes[pos + 4..pos + 8 + len]),
                crc,
                "CRC of {}",
                String::from_utf8_lossy(&kind)
            );
            chunks.push((kind, data));
            pos += 12 + len;
        }
        chunks
    }

    #[test]
    fn crc32_matches_the_standard_check_values() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn png_loses_text_and_exif_and_keeps_the_picture_byte_for_byte() {
        let text = chunk(b"tEXt", b"Author\0Jane Doe, 12 Rue Secret, Paris");
        let exif = chunk(b"eXIf", b"MM\0\x2a\0\0\0\x08SERIAL-PNG-42");
        let input = png(&[ihdr(), text, exif, idat(), iend()]);
        let out = cleaned(&input);
        assert_eq!(out.kind, ImageKind::Png);
        assert!(!contains(&out.bytes, b"Author"));
        assert!(!contains(&out.bytes, b"Jane Doe"));
        assert!(!contains(&out.bytes, b"SERIAL-PNG-42"));
        assert_eq!(out.bytes, png(&[ihdr(), idat(), iend()]));
        let kinds: Vec<[u8; 4]> = png_chunks(&out.bytes).into_iter().map(|(k, _)| k).collect();
        assert_eq!(kinds, [*b"IHDR", *b"IDAT", *b"IEND"]);
    }

    #[test]
    fn png_keeps_colour_chunks_and_drops_the_rest() {
        let gama = chunk(b"gAMA", &45455u32.to_be_bytes());
        let phys = chunk(b"pHYs", &[0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]);
        let input = png(&[
            ihdr(),
            gama.clone(),
            chunk(b"tIME", &[0x07, 0xE9, 1, 2, 3, 4, 5]),
            chunk(b"iTXt", b"Comment\0\0\0en\0\0secret"),
            chunk(b"zTXt", b"Software\0\0x"),
            chunk(b"prVt", b"vendor data"),
            phys.clone(),
            idat(),
            idat(),
            iend(),
        ]);
        let out = cleaned(&input).bytes;
        assert_eq!(out, png(&[ihdr(), gama, phys, idat(), idat(), iend()]));
        png_chunks(&out);
    }

    #[test]
    fn png_drops_bytes_after_iend() {
        let mut input = png(&[ihdr(), idat(), iend()]);
        input.extend_from_slice(b"<html><script>alert(1)</script>");
        assert_eq!(cleaned(&input).bytes, png(&[ihdr(), idat(), iend()]));
    }

    #[test]
    fn broken_pngs_are_malformed() {
        let mut bad_crc = idat();
        let last = bad_crc.len() - 1;
        bad_crc[last] ^= 1;
        let mut bad_data = idat();
        bad_data[10] ^= 0x40;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("bad CRC", png(&[ihdr(), bad_crc, iend()])),
            (
                "data changed under its CRC",
                png(&[ihdr(), bad_data, iend()]),
            ),
            ("no IEND", png(&[ihdr(), idat()])),
            (
                "IHDR not first",
                png(&[chunk(b"gAMA", &[0, 0, 0, 1]), ihdr(), idat(), iend()]),
            ),
            ("two IHDR", png(&[ihdr(), ihdr(), idat(), iend()])),
            ("no IDAT", png(&[ihdr(), iend()])),
            (
                "short IHDR",
                png(&[chunk(b"IHDR", &[0; 12]), idat(), iend()]),
            ),
            (
                "IEND with data",
                png(&[ihdr(), idat(), chunk(b"IEND", &[0])]),
            ),
            (
                "unknown critical chunk",
                png(&[ihdr(), chunk(b"CgBI", &[0, 0, 0, 0]), idat(), iend()]),
            ),
            (
                "bad chunk name",
                png(&[ihdr(), chunk(b"ID1T", &[0]), idat(), iend()]),
            ),
            (
                "huge length",
                png(&[ihdr(), vec![0xFF, 0xFF, 0xFF, 0xF0, b'I', b'D', b'A', b'T']]),
            ),
            ("signature only", PNG_SIGNATURE.to_vec()),
        ];
        for (what, input) in cases {
            assert!(
                matches!(sanitize(&input), Err(PhotoError::Malformed(_))),
                "{what}: {:?}",
                sanitize(&input)
            );
        }
    }

    // ------------------------------------------------ synthetic WebP

    fn riff_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = fourcc.to_vec();
        c.extend_from_slice(&(data.len() as u32).to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    fn webp(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut w = b"RIFF".to_vec();
        w.extend_from_slice(&(body.len() as u32 + 4).to_le_bytes());
        w.extend_from_slice(b"WEBP");
        w.extend_from_slice(&body);
        w
    }

    /// A 16x16 canvas with the given feature flags.
    fn vp8x(flags: u8) -> Vec<u8> {
        riff_chunk(b"VP8X", &[flags, 0, 0, 0, 15, 0, 0, 15, 0, 0])
    }

    fn vp8l() -> Vec<u8> {
        // Odd length, so the pad byte is exercised.
        riff_chunk(
            b"VP8L",
            &[0x2F, 0x0F, 0xC0, 0x03, 0x00, 0x07, 0x10, 0x11, 0xFD],
        )
    }

    #[test]
    fn webp_loses_exif_and_xmp_and_clears_their_flags() {
        let input = webp(&[
            vp8x(0x10 | VP8X_EXIF_FLAG | VP8X_XMP_FLAG),
            vp8l(),
            riff_chunk(
                b"EXIF",
                b"MM\0\x2a\0\0\0\x08GPS 48.8584 2.2945 SERIAL-WEBP-7",
            ),
            riff_chunk(b"XMP ", b"<x:xmpmeta>CreatorLocation Paris</x:xmpmeta>"),
        ]);
        let out = cleaned(&input);
        assert_eq!(out.kind, ImageKind::Webp);
        let b = &out.bytes;
        assert!(!contains(b, b"SERIAL-WEBP-7"));
        assert!(!contains(b, b"CreatorLocation"));
        assert_eq!(le_u32(b, 4).unwrap() as usize, b.len() - 8);
        assert_eq!(&b[12..16], b"VP8X");
        assert_eq!(b[20] & (VP8X_EXIF_FLAG | VP8X_XMP_FLAG), 0);
        assert_eq!(b[20], 0x10, "the alpha flag stays");
        assert!(contains(b, &vp8l()));
        assert_eq!(*b, webp(&[vp8x(0x10), vp8l()]));
    }

    #[test]
    fn webp_keeps_simple_files_and_drops_unknown_chunks_and_trailing_bytes() {
        let simple = webp(&[riff_chunk(
            b"VP8 ",
            &[0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A, 1, 0, 1, 0],
        )]);
        assert_eq!(cleaned(&simple).bytes, simple);
        let mut noisy = webp(&[
            vp8x(0),
            riff_chunk(b"ICCP", b"profile"),
            vp8l(),
            riff_chunk(b"ZZZZ", b"who knows"),
        ]);
        noisy.extend_from_slice(b"appended after the container");
        assert_eq!(
            cleaned(&noisy).bytes,
            webp(&[vp8x(0), riff_chunk(b"ICCP", b"profile"), vp8l()])
        );
    }

    #[test]
    fn broken_webps_are_malformed() {
        let mut overlong = webp(&[vp8l()]);
        overlong[16] = 0xFF; // VP8L size now past the end of the RIFF body
        let mut riff_too_big = webp(&[vp8l()]);
        riff_too_big[4] = riff_too_big[4].wrapping_add(2);
        let mut missing_pad = webp(&[vp8l()]);
        missing_pad.pop();
        let body_size = (missing_pad.len() - 8) as u32;
        missing_pad[4..8].copy_from_slice(&body_size.to_le_bytes());
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("chunk past the end", overlong),
            ("RIFF size past the end", riff_too_big),
            ("missing pad byte", missing_pad),
            ("no bitstream", webp(&[vp8x(0), riff_chunk(b"EXIF", b"MM")])),
            ("VP8X not first", webp(&[vp8l(), vp8x(0)])),
            ("short VP8X", webp(&[riff_chunk(b"VP8X", &[0; 4]), vp8l()])),
            ("header only", b"RIFF\x04\0\0\0WEBP".to_vec()),
            ("half a chunk header", b"RIFF\x08\0\0\0WEBPVP8L".to_vec()),
            ("impossible RIFF size", b"RIFF\x02\0\0\0WEBP".to_vec()),
        ];
        for (what, input) in cases {
            assert!(
                matches!(sanitize(&input), Err(PhotoError::Malformed(_))),
                "{what}: {:?}",
                sanitize(&input)
            );
        }
    }

    // ------------------------------------------------ refusals and errors

    #[test]
    fn other_files_are_not_images() {
        let cases: [&[u8]; 10] = [
            b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;",
            b"GIF87a",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"></svg>",
            b"<?xml version=\"1.0\"?><svg></svg>",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0",
            b"\x7fELF\x02\x01\x01\0",
            b"\0\0\0\x18ftypheic\0\0\0\0mif1heic",
            b"RIFF\x24\0\0\0WAVEfmt ",
        ];
        for input in cases {
            assert_eq!(
                sanitize(input),
                Err(PhotoError::NotAnImage),
                "{}",
                String::from_utf8_lossy(input)
            );
        }
        // The magic alone decides: almost-magic is not enough.
        assert_eq!(sanitize(&[0xFF, 0xD8]), Err(PhotoError::NotAnImage));
        assert_eq!(sanitize(&PNG_SIGNATURE[..7]), Err(PhotoError::NotAnImage));
        assert_eq!(sanitize(b"RIFF\0\0\0\0WEB"), Err(PhotoError::NotAnImage));
    }

    #[test]
    fn empty_and_oversized_files_are_refused_before_parsing() {
        assert_eq!(sanitize(&[]), Err(PhotoError::Empty));
        let mut big = vec![0u8; MAX_PHOTO_BYTES + 1];
        assert_eq!(
            sanitize(&big),
            Err(PhotoError::TooLarge {
                bytes: MAX_PHOTO_BYTES + 1
            })
        );
        big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
        assert_eq!(
            sanitize(&big),
            Err(PhotoError::TooLarge {
                bytes: MAX_PHOTO_BYTES + 1
            })
        );
        // Exactly at the limit is parsed (and here refused as not an image).
        assert_eq!(
            sanitize(&vec![0u8; MAX_PHOTO_BYTES]),
            Err(PhotoError::NotAnImage)
        );
    }

    #[test]
    fn error_messages_read_well() {
        let mb = |tenths: usize| tenths * 1024 * 1024 / 10;
        assert_eq!(
            PhotoError::TooLarge { bytes: mb(72) }.to_string(),
            "photos are limited to 5 MB; this one is 7.2 MB"
        );
        assert_eq!(
            PhotoError::TooLarge {
                bytes: MAX_PHOTO_BYTES + 1
            }
            .to_string(),
            "photos are limited to 5 MB; this one is 5.1 MB"
        );
        assert_eq!(
            PhotoError::TooLarge { bytes: mb(120) }.to_string(),
            "photos are limited to 5 MB; this one is 12 MB"
        );
        assert_eq!(
            PhotoError::NotAnImage.to_string(),
            "this file is not a JPEG, PNG or WebP image"
        );
        assert_eq!(PhotoError::Empty.to_string(), "the photo file is empty");
        assert_eq!(
            PhotoError::Malformed("it ends too early").to_string(),
            "this image file is damaged or incomplete (it ends too early); please export the photo again"
        );
    }

    #[test]
    fn kinds_name_their_content_type_and_extension() {
        assert_eq!(
            (ImageKind::Jpeg.content_type(), ImageKind::Jpeg.extension()),
            ("image/jpeg", "jpg")
        );
        assert_eq!(
            (ImageKind::Png.content_type(), ImageKind::Png.extension()),
            ("image/png", "png")
        );
        assert_eq!(
            (ImageKind::Webp.content_type(), ImageKind::Webp.extension()),
            ("image/webp", "webp")
        );
    }

    // ------------------------------------------------ real files made by Pillow
    // tests/fixtures/photos/generate.py made these, with GPS, serial number,
    // description, comment, XMP and PNG text chunks.

    const FIXTURES: [(&str, ImageKind, &[u8]); 5] = [
        (
            "exif.jpg",
            ImageKind::Jpeg,
            include_bytes!("../../tests/fixtures/photos/exif.jpg"),
        ),
        (
            "exif-progressive.jpg",
            ImageKind::Jpeg,
            include_bytes!("../../tests/fixtures/photos/exif-progressive.jpg"),
        ),
        (
            "text.png",
            ImageKind::Png,
            include_bytes!("../../tests/fixtures/photos/text.png"),
        ),
        (
            "exif.webp",
            ImageKind::Webp,
            include_bytes!("../../tests/fixtures/photos/exif.webp"),
        ),
        (
            "exif-lossless.webp",
            ImageKind::Webp,
            include_bytes!("../../tests/fixtures/photos/exif-lossless.webp"),
        ),
    ];

    const FIXTURE_SECRETS: [&[u8]; 9] = [
        b"SERIAL-PIL-998877",
        b"DESC-SECRET",
        b"COMMENT-SECRET",
        b"XMP-SECRET-LOCATION",
        b"TEXT-SECRET",
        b"ITXT-SECRET",
        b"PhoneModel",
        b"Exif\0\0",
        b"eXIf",
    ];

    #[test]
    fn real_photos_lose_their_metadata() {
        for (name, kind, input) in FIXTURES {
            assert!(
                contains(input, b"SERIAL-PIL-998877"),
                "{name} should carry a serial number to remove"
            );
            let out = sanitize(input).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(out.kind, kind, "{name}");
            for secret in FIXTURE_SECRETS {
                assert!(
                    !contains(&out.bytes, secret),
                    "{name} still holds {}",
                    String::from_utf8_lossy(secret)
                );
            }
            assert!(out.bytes.len() < input.len(), "{name}");
            assert_eq!(
                sanitize(&out.bytes).as_ref(),
                Ok(&out),
                "{name}: sanitizing twice changes nothing"
            );
        }
    }

    #[test]
    fn real_png_keeps_its_pixel_chunks() {
        let input = FIXTURES[2].2;
        let out = cleaned(input);
        let picture = |bytes: &[u8]| -> Vec<([u8; 4], Vec<u8>)> {
            png_chunks(bytes)
                .into_iter()
                .filter(|(k, _)| matches!(k, b"IHDR" | b"IDAT" | b"IEND"))
                .collect()
        };
        assert_eq!(picture(&out.bytes), picture(input));
    }

    /// Writes the sanitized fixtures to /tmp/tradein-photos so a person can
    /// check that a real decoder still opens them, e.g.:
    /// `python3 -c "from PIL import Image; im = Image.open(p); im.load()"`.
    #[test]
    #[ignore]
    fn write_sanitized_fixtures_for_manual_check() {
        let dir = std::env::temp_dir().join("tradein-photos");
        std::fs::create_dir_all(&dir).unwrap();
        for (name, _, input) in FIXTURES {
            std::fs::write(dir.join(format!("clean-{name}")), cleaned(input).bytes).unwrap();
        }
        println!("wrote {}", dir.display());
    }

    // ------------------------------------------------ robustness

    /// xorshift64: deterministic, so a failure reproduces.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }

        fn byte(&mut self) -> u8 {
            self.next() as u8
        }
    }

    fn seeds() -> Vec<Vec<u8>> {
        let p = jpeg_parts();
        let progressive = [
            &[0xFF, 0xD8][..],
            &p.app0,
            &p.sof0,
            &p.sos,
            &p.entropy,
            &p.app1,
            &p.sos,
            &p.entropy,
            &[0xFF, 0xD9],
        ]
        .concat();
        let mut all = vec![
            synthetic_jpeg(),
            progressive,
            png(&[ihdr(), chunk(b"tEXt", b"Author\0x"), idat(), iend()]),
            webp(&[
                vp8x(0x1C),
                vp8l(),
                riff_chunk(b"EXIF", b"MM\0*"),
                riff_chunk(b"XMP ", b"<x/>"),
            ]),
        ];
        all.extend(FIXTURES.iter().map(|(_, _, bytes)| bytes.to_vec()));
        all
    }

    /// Whatever is accepted must be accepted again unchanged, with the same
    /// kind: the output is itself a well-formed file of that kind.
    fn check(input: &[u8]) {
        if let Ok(out) = sanitize(input) {
            assert_eq!(
                sanitize(&out.bytes).as_ref(),
                Ok(&out),
                "not stable on {input:02x?}"
            );
        }
    }

    #[test]
    fn truncated_files_are_always_refused() {
        for seed in seeds() {
            for len in 1..seed.len() {
                assert!(
                    sanitize(&seed[..len]).is_err(),
                    "a {len}-byte prefix of a {}-byte file",
                    seed.len()
                );
            }
        }
    }

    #[test]
    fn random_and_mutated_input_never_panics() {
        let seeds = seeds();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let magics: [&[u8]; 3] = [&[0xFF, 0xD8, 0xFF], &PNG_SIGNATURE, b"RIFF\x40\0\0\0WEBP"];
        for _ in 0..2000 {
            let mut input = seeds[rng.below(seeds.len())].clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(input.len());
                match rng.below(6) {
                    0 => input[at] = rng.byte(),
                    1 => input[at] ^= 1 << rng.below(8),
                    2 => input.insert(at, rng.byte()),
                    3 => {
                        input.remove(at);
                    }
                    4 => input[at] = 0xFF,
                    _ => input.truncate(at),
                }
                if input.is_empty() {
                    break;
                }
            }
            check(&input);
        }
        for _ in 0..2000 {
            let mut input = magics[rng.below(magics.len())].to_vec();
            for _ in 0..rng.below(200) {
                // Lots of 0xFF and small numbers, the bytes parsers trip on.
                input.push(match rng.below(4) {
                    0 => 0xFF,
                    1 => rng.byte() % 4,
                    _ => rng.byte(),
                });
            }
            check(&input);
        }
    }
}
