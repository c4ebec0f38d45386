//! The cargo-stylus processing steps: round trip, strip, project hash, brotli, prefix.

use scripts::gate::check_activation;
use scripts::hash::{hex, keccak256};
use scripts::process::{
    brotli_compress, decode_deploy_code, deploy_code, process, strip_custom_sections,
    text_round_trip, EOF_PREFIX, PROJECT_HASH_SECTION,
};
use wasmparser::{Parser, Payload};

/// A Stylus-shaped module with a name section (from the `$` identifiers) and two custom
/// sections, as rustc leaves `producers` and `target_features`.
const WITH_CUSTOM_SECTIONS: &str = r#"
(module $program
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (memory (export "memory") 1)
  (func $entry (export "user_entrypoint") (param $len i32) (result i32)
    i32.const 0
    call $read_args
    local.get $len)
  (@custom "producers" "rustc")
  (@custom "target_features" "+bulk-memory"))
"#;

fn custom_sections(wasm: &[u8]) -> Vec<(String, Vec<u8>)> {
    Parser::new(0)
        .parse_all(wasm)
        .filter_map(|p| match p.expect("valid module") {
            Payload::CustomSection(c) => Some((c.name().to_string(), c.data().to_vec())),
            _ => None,
        })
        .collect()
}

fn module() -> Vec<u8> {
    wat::parse_str(WITH_CUSTOM_SECTIONS).expect("valid WAT")
}

#[test]
fn strip_removes_every_custom_section_and_keeps_the_code() {
    // Given a module with name, producers and target_features sections
    let wasm = module();
    assert_eq!(custom_sections(&wasm).len(), 3);
    // When its custom sections are stripped
    let stripped = strip_custom_sections(&wasm).expect("strip");
    // Then none is left, the module shrank, and it still passes the gate
    assert!(custom_sections(&stripped).is_empty());
    assert!(stripped.len() < wasm.len());
    assert!(check_activation(&stripped).passes());
}

#[test]
fn process_without_hash_leaves_no_custom_section() {
    // Given a module with custom sections
    // When it is processed without a project hash
    let processed = process(&module(), None).expect("process");
    // Then it has no custom section and passes the gate
    assert!(custom_sections(&processed).is_empty());
    assert!(check_activation(&processed).passes());
}

#[test]
fn process_appends_exactly_one_project_hash_section_last() {
    // Given a module with custom sections and a 32-byte hash
    let hash = keccak256(b"sources");
    // When it is processed with that hash
    let processed = process(&module(), Some(hash)).expect("process");
    // Then its only custom section is project_hash holding the hash, after every other section
    assert_eq!(
        custom_sections(&processed),
        vec![(PROJECT_HASH_SECTION.to_string(), hash.to_vec())]
    );
    let last_section = Parser::new(0)
        .parse_all(&processed)
        .map(|p| p.expect("valid"))
        .filter(|p| p.as_section().is_some())
        .last()
        .expect("has sections");
    assert!(matches!(last_section, Payload::CustomSection(_)));
    assert!(check_activation(&processed).passes());
}

#[test]
fn project_hash_section_costs_47_bytes() {
    // Given the same module processed with and without a hash
    let without = process(&module(), None).expect("process");
    let with = process(&module(), Some([7u8; 32])).expect("process");
    // When their sizes are compared
    // Then the section adds id (1) + size (1) + name length (1) + name (12) + hash (32) bytes
    assert_eq!(with.len() - without.len(), 47);
}

#[test]
fn processing_is_idempotent() {
    // Given a processed module
    let once = process(&module(), Some([1u8; 32])).expect("process");
    // When it is processed again (stripping its own hash, then adding it back)
    let twice = process(&once, Some([1u8; 32])).expect("process");
    // Then the bytes are unchanged
    assert_eq!(once, twice);
}

#[test]
fn text_round_trip_keeps_imports_and_exports() {
    // Given a module
    let wasm = module();
    // When it is round-tripped through the text format
    let round_tripped = text_round_trip(&wasm).expect("round trip");
    // Then what the gate sees is unchanged
    let before = check_activation(&wasm);
    let after = check_activation(&round_tripped);
    assert_eq!(before.imports, after.imports);
    assert_eq!(before.exports, after.exports);
    assert_eq!(before.memory_pages, after.memory_pages);
}

#[test]
fn deploy_code_is_prefix_plus_brotli_and_its_size_counts_the_prefix() {
    // Given a processed module
    let processed = process(&module(), Some([9u8; 32])).expect("process");
    // When its deploy code is made
    let code = deploy_code(&processed).expect("compress");
    let brotli = brotli_compress(&processed).expect("compress");
    // Then it is EFF00000 followed by the brotli stream, 4 bytes longer than the stream
    assert_eq!(&code[..4], &[0xEF, 0xF0, 0x00, 0x00]);
    assert_eq!(&code[..4], &EOF_PREFIX);
    assert_eq!(&code[4..], &brotli[..]);
    assert_eq!(code.len(), brotli.len() + 4);
}

#[test]
fn deploy_code_round_trips_to_the_processed_module() {
    // Given a processed module and its deploy code
    let processed = process(&module(), Some([3u8; 32])).expect("process");
    let code = deploy_code(&processed).expect("compress");
    // When the deploy code is decoded
    let decoded = decode_deploy_code(&code, 128 * 1024).expect("decode");
    // Then it is byte for byte the processed module
    assert_eq!(decoded, processed);
}

#[test]
fn brotli_round_trips_a_large_input() {
    // Given 100 KB of module-like bytes (the module repeated)
    let data: Vec<u8> = module().iter().copied().cycle().take(100_000).collect();
    // When they are compressed and decoded
    let mut code = EOF_PREFIX.to_vec();
    code.extend(brotli_compress(&data).expect("compress"));
    let decoded = decode_deploy_code(&code, 128 * 1024).expect("decode");
    // Then the bytes come back, much smaller in between
    assert_eq!(decoded, data);
    assert!(code.len() < data.len() / 10);
}

#[test]
fn decode_deploy_code_rejects_a_missing_prefix() {
    // Given brotli bytes without the Stylus prefix
    let code = brotli_compress(&module()).expect("compress");
    // When they are decoded, then the prefix is reported missing
    let err = decode_deploy_code(&code, 128 * 1024).unwrap_err();
    assert!(err.to_string().contains("EFF00000"), "{err}");
}

#[test]
fn decode_deploy_code_rejects_output_over_the_limit() {
    // Given deploy code of a module larger than the limit passed
    let processed = process(&module(), None).expect("process");
    let code = deploy_code(&processed).expect("compress");
    // When it is decoded with a smaller limit, then it is refused
    let err = decode_deploy_code(&code, processed.len() - 1).unwrap_err();
    assert!(err.to_string().contains("over the"), "{err}");
}

#[test]
fn keccak256_matches_the_known_empty_digest() {
    // Given the empty input
    // When it is hashed
    // Then the digest is keccak-256's well-known empty hash
    assert_eq!(
        hex(&keccak256(b"")),
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    );
}
