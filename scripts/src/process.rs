//! Processing a rustc-emitted WASM exactly as cargo-stylus does before deploy.
//!
//! cargo-stylus 0.10 (`stylus-tools`, `process_wasm_file`), in order:
//! 1. text round-trip: print the module to WAT and parse it back to binary. This rewrites
//!    rustc 1.95's over-long `call_indirect` table index (`0x80 0x00`), which Stylus activation
//!    rejects with `reference-types not enabled: zero byte expected`, as the single MVP zero byte;
//! 2. (optional wasm-opt, only with a `[wasm-opt]` table in `Stylus.toml`: we have none);
//! 3. strip every custom (and unknown) section: names, producers, target features;
//! 4. append a `project_hash` custom section (32 bytes, see [`crate::hash`]);
//! 5. brotli, quality 11, window 22;
//! 6. prefix the compressed bytes with `EFF00000` (4 bytes: EOF-style magic, "no dictionary").
//!
//! The result of steps 1–4 is the module a Stylus node decompresses and executes; the result of
//! steps 5–6 is the contract code a deploy transaction stores.

use anyhow::{bail, Context, Result};
use std::io::Cursor;
use wasm_encoder::{CustomSection, Module, RawSection};
use wasmparser::{Parser, Payload};

/// The 4-byte prefix of Stylus contract code with no brotli dictionary (`0xEFF00000`).
pub const EOF_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];

/// Brotli quality cargo-stylus uses (`BROTLI_COMPRESSION_LEVEL`).
pub const BROTLI_QUALITY: i32 = 11;

/// Brotli window (log2 bytes): 22 is the default of both C brotli (cargo-stylus's `brotli2`)
/// and the `brotli` crate.
pub const BROTLI_LGWIN: i32 = 22;

/// Name of the custom section cargo-stylus appends to the processed module.
pub const PROJECT_HASH_SECTION: &str = "project_hash";

/// Prints `wasm` to the text format and parses it back (cargo-stylus's
/// `remove_dangling_references`). The output encodes every immediate canonically.
pub fn text_round_trip(wasm: &[u8]) -> Result<Vec<u8>> {
    let text = wasmprinter::print_bytes(wasm).context("printing the module to WAT")?;
    wat::parse_str(&text).context("parsing the printed WAT back to binary")
}

/// Removes every custom section (and any unknown section) and keeps all other sections
/// byte for byte, in order.
pub fn strip_custom_sections(wasm: &[u8]) -> Result<Vec<u8>> {
    let mut module = Module::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.context("parsing the module to strip custom sections")?;
        match payload {
            Payload::CustomSection(_) | Payload::UnknownSection { .. } => {}
            other => {
                if let Some((id, range)) = other.as_section() {
                    module.section(&RawSection { id, data: &wasm[range] });
                }
            }
        }
    }
    Ok(module.finish())
}

/// Appends a custom section `name` holding `data` at the end of the module.
pub fn append_custom_section(wasm: &[u8], name: &str, data: &[u8]) -> Vec<u8> {
    let mut section_only = Module::new();
    section_only.section(&CustomSection { name: name.into(), data: data.into() });
    let encoded = section_only.finish();
    // A module is its 8-byte header followed by sections, and a custom section may appear
    // anywhere: append the encoded section (id, size, name, data) without the header.
    let mut out = wasm.to_vec();
    out.extend_from_slice(&encoded[MODULE_HEADER_LEN..]);
    out
}

/// Length of the module header (`\0asm` and the version).
const MODULE_HEADER_LEN: usize = 8;

/// Steps 1–4: the module a Stylus node will execute. `project_hash` is appended as the
/// `project_hash` custom section when given (cargo-stylus always adds one).
pub fn process(raw: &[u8], project_hash: Option<[u8; 32]>) -> Result<Vec<u8>> {
    let round_tripped = text_round_trip(raw)?;
    let stripped = strip_custom_sections(&round_tripped)?;
    Ok(match project_hash {
        Some(hash) => append_custom_section(&stripped, PROJECT_HASH_SECTION, &hash),
        None => stripped,
    })
}

/// Brotli-compresses `data` at quality 11, window 22 (no prefix).
pub fn brotli_compress(data: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: BROTLI_LGWIN,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut Cursor::new(data), &mut out, &params)
        .context("brotli compression")?;
    Ok(out)
}

/// Steps 5–6: the contract code a deploy stores: `EFF00000` followed by brotli-11 of `processed`.
/// Its length is the deploy size the 24,576-byte limit applies to.
pub fn deploy_code(processed: &[u8]) -> Result<Vec<u8>> {
    let mut code = EOF_PREFIX.to_vec();
    code.extend(brotli_compress(processed)?);
    Ok(code)
}

/// Inverse of [`deploy_code`]: checks the prefix and decompresses, refusing output larger
/// than `max_len` bytes (a node refuses more than 128 KiB).
pub fn decode_deploy_code(code: &[u8], max_len: usize) -> Result<Vec<u8>> {
    let Some(compressed) = code.strip_prefix(&EOF_PREFIX) else {
        bail!("contract code does not start with the Stylus prefix EFF00000");
    };
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut Cursor::new(compressed), &mut out)
        .context("brotli decompression")?;
    if out.len() > max_len {
        bail!("decompressed module is {} bytes, over the {max_len}-byte limit", out.len());
    }
    Ok(out)
}
