//! Every activation rule of the gate, on small modules written inline as WAT.

use scripts::gate::{check_activation, check_sizes, Activation, Rule, MAX_FUNCTIONS};
use scripts::process::text_round_trip;

/// A minimal module that Stylus would activate: two hostio imports, one page of memory,
/// `memory` and `user_entrypoint: (i32) -> i32` exported.
const VALID: &str = r#"
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    i32.const 0
    call $read_args
    i32.const 0
    local.get $len
    call $write_result
    i32.const 0))
"#;

fn check(wat: &str) -> Activation {
    let wasm = wat::parse_str(wat).expect("test module is valid WAT");
    check_activation(&wasm)
}

fn rules(activation: &Activation) -> Vec<Rule> {
    activation.violations.iter().map(|v| v.rule).collect()
}

/// Asserts that `rule` is broken and is the only rule broken.
fn assert_only(activation: &Activation, rule: Rule) {
    assert_eq!(rules(activation), vec![rule], "violations: {:?}", activation.violations);
    let shown = activation.violations[0].to_string();
    assert!(shown.contains(rule.name()), "message `{shown}` does not name the rule");
}

#[test]
fn valid_module_passes_and_lists_its_imports() {
    // Given the minimal Stylus module
    // When it is checked
    let activation = check(VALID);
    // Then no rule is broken and its imports, memory and functions are reported
    assert!(activation.passes(), "{:?}", activation.violations);
    let imports: Vec<String> = activation.imports.iter().map(|i| i.to_string()).collect();
    assert_eq!(imports, ["vm_hooks::read_args", "vm_hooks::write_result"]);
    assert_eq!(activation.memory_pages, 1);
    assert_eq!(activation.functions, 1);
    assert!(activation.has_entrypoint());
}

#[test]
fn start_function_fails_no_start() {
    // Given a module with a start function
    let wat = VALID.replace(
        "(memory (export \"memory\") 1)",
        "(memory (export \"memory\") 1) (func $init) (start $init)",
    );
    // When it is checked, then only the start rule is broken
    assert_only(&check(&wat), Rule::NoStart);
}

#[test]
fn import_from_another_module_fails_vm_hooks_only() {
    // Given a module importing from `env`
    let wat = VALID.replace("(memory (export", "(import \"env\" \"abort\" (func)) (memory (export");
    // When it is checked, then the import-module rule is broken
    assert_only(&check(&wat), Rule::ImportModule);
}

#[test]
fn debug_console_import_fails_vm_hooks_only_with_a_hint() {
    // Given a module importing the debug-only console hostio
    let wat = VALID.replace(
        "(memory (export",
        "(import \"console\" \"log_txt\" (func (param i32 i32))) (memory (export",
    );
    // When it is checked
    let activation = check(&wat);
    // Then the import-module rule is broken and the message says why
    assert_only(&activation, Rule::ImportModule);
    assert!(activation.violations[0].detail.contains("debug"));
}

#[test]
fn unknown_vm_hooks_import_fails_known_hostio() {
    // Given a vm_hooks import that no Stylus node links
    let wat = VALID.replace(
        "(memory (export",
        "(import \"vm_hooks\" \"storage_store_bytes32\" (func (param i32 i32))) (memory (export",
    );
    // When it is checked, then the hostio rule is broken
    assert_only(&check(&wat), Rule::KnownHostio);
}

#[test]
fn imported_global_fails_imports_functions_only() {
    // Given a module importing a global from vm_hooks
    let wat = VALID.replace(
        "(memory (export",
        "(import \"vm_hooks\" \"msg_value\" (global i32)) (memory (export",
    );
    // When it is checked, then the import-kind rule is broken
    assert_only(&check(&wat), Rule::ImportKind);
}

#[test]
fn missing_user_entrypoint_fails_export_user_entrypoint() {
    // Given a module whose function is not exported as user_entrypoint
    let wat = VALID.replace("(export \"user_entrypoint\")", "(export \"main\")");
    // When it is checked
    let activation = check(&wat);
    // Then the entrypoint rule is broken
    assert_only(&activation, Rule::EntrypointExport);
    assert!(!activation.has_entrypoint());
}

#[test]
fn user_entrypoint_of_wrong_type_fails_export_user_entrypoint() {
    // Given a user_entrypoint that takes no argument
    let wat = r#"
    (module
      (memory (export "memory") 1)
      (func (export "user_entrypoint") (result i32) i32.const 0))
    "#;
    // When it is checked, then the entrypoint rule is broken
    assert_only(&check(wat), Rule::EntrypointExport);
}

#[test]
fn user_entrypoint_exported_as_a_global_fails_export_user_entrypoint() {
    // Given a global exported under the entry point's name
    let wat = r#"
    (module
      (memory (export "memory") 1)
      (global (export "user_entrypoint") i32 (i32.const 0)))
    "#;
    // When it is checked, then the entrypoint rule is broken
    assert_only(&check(wat), Rule::EntrypointExport);
}

#[test]
fn missing_memory_export_fails_export_memory() {
    // Given a module whose memory is not exported
    let wat = VALID.replace("(memory (export \"memory\") 1)", "(memory 1)");
    // When it is checked, then the memory-export rule is broken
    assert_only(&check(&wat), Rule::MemoryExport);
}

#[test]
fn memory_of_129_pages_fails_memory_pages() {
    // Given a module starting with 129 pages
    let wat = VALID.replace("(memory (export \"memory\") 1)", "(memory (export \"memory\") 129)");
    // When it is checked
    let activation = check(&wat);
    // Then the page rule is broken and the page count is reported
    assert_only(&activation, Rule::MemoryPages);
    assert_eq!(activation.memory_pages, 129);
}

#[test]
fn memory_of_128_pages_passes() {
    // Given a module starting with exactly the limit of 128 pages
    let wat = VALID.replace("(memory (export \"memory\") 1)", "(memory (export \"memory\") 128)");
    // When it is checked, then it passes
    let activation = check(&wat);
    assert!(activation.passes(), "{:?}", activation.violations);
}

#[test]
fn data_count_section_fails_no_data_count() {
    // Given a module using memory.init and data.drop (which makes wat emit a DataCount section)
    let wat = VALID.replace(
        "i32.const 0))\n",
        "i32.const 0 i32.const 0 i32.const 1 memory.init $seg data.drop $seg\n    i32.const 0)\n  (data $seg \"x\"))\n",
    );
    // When it is checked
    let activation = check(&wat);
    // Then the DataCount rule is broken (and the unpayable bulk-memory operators are reported)
    assert!(activation.breaks(Rule::NoDataCount), "{:?}", activation.violations);
    assert!(activation.breaks(Rule::UnpricedOpcode), "{:?}", activation.violations);
    assert_eq!(rules(&activation).len(), 2, "{:?}", activation.violations);
}

#[test]
fn reference_types_fail_wasm_features() {
    // Given a module using reference-types instructions
    let wat =
        VALID.replace("i32.const 0))\n", "ref.null func ref.is_null drop\n    i32.const 0))\n");
    // When it is checked, then the feature rule is broken
    assert_only(&check(&wat), Rule::WasmFeatures);
}

#[test]
fn externref_table_fails_wasm_features() {
    // Given a module declaring an externref table
    let wat = VALID.replace("(memory (export", "(table 1 externref) (memory (export");
    // When it is checked, then the feature rule is broken
    assert_only(&check(&wat), Rule::WasmFeatures);
}

#[test]
fn simd_fails_wasm_features() {
    // Given a module using a SIMD value
    let wat = VALID.replace("i32.const 0))\n", "v128.const i64x2 0 0 drop\n    i32.const 0))\n");
    // When it is checked, then the feature rule is broken
    assert_only(&check(&wat), Rule::WasmFeatures);
}

/// A module with a funcref table and one `call_indirect` whose table index is encoded as
/// the over-long LEB `0x80 0x00` (what rustc 1.95 emits), hand-assembled.
fn overlong_call_indirect_module() -> Vec<u8> {
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    wasm.extend([0x01, 0x04, 0x01, 0x60, 0x00, 0x00]); // type 0: () -> ()
    wasm.extend([0x03, 0x02, 0x01, 0x00]); // func 0: type 0
    wasm.extend([0x04, 0x04, 0x01, 0x70, 0x00, 0x01]); // table: funcref, min 1
    wasm.extend([0x05, 0x03, 0x01, 0x00, 0x01]); // memory: min 1
    wasm.extend([0x07, 0x0a, 0x01, 0x06, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 0x00]); // export "memory"
                                                                                           // code: i32.const 0; call_indirect type 0, table index 0x80 0x00; end
    wasm.extend([0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0x11, 0x00, 0x80, 0x00, 0x0b]);
    wasm
}

#[test]
fn overlong_call_indirect_fails_wasm_features() {
    // Given rustc 1.95's encoding of call_indirect (over-long table index)
    let wasm = overlong_call_indirect_module();
    // When it is checked
    let activation = check_activation(&wasm);
    // Then the feature rule is broken, with the message Stylus activation gives
    assert!(activation.breaks(Rule::WasmFeatures), "{:?}", activation.violations);
    let detail = &activation.violations[0].detail;
    assert!(detail.contains("zero byte expected"), "{detail}");
}

#[test]
fn text_round_trip_fixes_overlong_call_indirect() {
    // Given the over-long call_indirect module
    let wasm = overlong_call_indirect_module();
    // When it is printed to WAT and parsed back
    let fixed = text_round_trip(&wasm).expect("round trip");
    // Then the feature rule holds (it still lacks an entry point, which is all that is left)
    let activation = check_activation(&fixed);
    assert!(!activation.breaks(Rule::WasmFeatures), "{:?}", activation.violations);
    assert_eq!(rules(&activation), vec![Rule::EntrypointExport]);
}

#[test]
fn float_operator_fails_unpriced_opcode() {
    // Given a module doing floating-point arithmetic
    let wat = VALID
        .replace("i32.const 0))\n", "f64.const 1 f64.const 2 f64.add drop\n    i32.const 0))\n");
    // When it is checked, then the unpriced-opcode rule is broken
    assert_only(&check(&wat), Rule::UnpricedOpcode);
}

#[test]
fn table_copy_fails_unpriced_opcode() {
    // Given a module using table.copy (bulk memory, but priced u64::MAX by Stylus)
    let wat = VALID.replace(
        "i32.const 0))\n",
        "i32.const 0 i32.const 0 i32.const 0 table.copy\n    i32.const 0)\n  (table 1 funcref))\n",
    );
    // When it is checked, then the unpriced-opcode rule is broken
    assert_only(&check(&wat), Rule::UnpricedOpcode);
}

#[test]
fn more_than_4096_functions_fails_function_count() {
    // Given a module defining 4097 functions
    let extra: String = (0..MAX_FUNCTIONS).map(|_| "(func)").collect();
    let wat = VALID.replace("(memory (export", &format!("{extra} (memory (export"));
    // When it is checked, then the function-count rule is broken
    let activation = check(&wat);
    assert_eq!(activation.functions, MAX_FUNCTIONS + 1);
    assert_only(&activation, Rule::FunctionCount);
}

#[test]
fn exactly_4096_functions_passes() {
    // Given a module defining exactly 4096 functions
    let extra: String = (0..MAX_FUNCTIONS - 1).map(|_| "(func)").collect();
    let wat = VALID.replace("(memory (export", &format!("{extra} (memory (export"));
    // When it is checked, then it passes
    let activation = check(&wat);
    assert_eq!(activation.functions, MAX_FUNCTIONS);
    assert!(activation.passes(), "{:?}", activation.violations);
}

#[test]
fn export_named_stylus_fails_reserved_name() {
    // Given an export whose name starts with `stylus`
    let wat = VALID.replace(
        "(memory (export \"memory\") 1)",
        "(memory (export \"memory\") 1) (global (export \"stylus_ink_left\") i64 (i64.const 0))",
    );
    // When it is checked, then the reserved-name rule is broken
    assert_only(&check(&wat), Rule::ReservedName);
}

#[test]
fn export_named_like_an_import_fails_export_shadows_import() {
    // Given an export whose name (after `__`) is the name of an import
    let wat = VALID.replace(
        "(memory (export \"memory\") 1)",
        "(memory (export \"memory\") 1) (global (export \"x__read_args\") i32 (i32.const 0))",
    );
    // When it is checked, then the shadowing rule is broken
    assert_only(&check(&wat), Rule::ExportShadowsImport);
}

#[test]
fn garbage_fails_invalid_wasm() {
    // Given bytes that are not a module
    // When they are checked, then the invalid-wasm rule is broken
    let activation = check_activation(b"not wasm");
    assert_only(&activation, Rule::InvalidWasm);
}

#[test]
fn deploy_size_limit_is_inclusive() {
    // Given deploy code of exactly 24,576 bytes, then one byte more
    // When the size rules are checked
    // Then the first passes and the second fails the deploy-size rule
    assert!(check_sizes(1000, 24_576).is_empty());
    let over = check_sizes(1000, 24_577);
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].rule, Rule::DeploySize);
    assert!(over[0].to_string().contains("1 B over"));
}

#[test]
fn processed_size_limit_is_128_kib_inclusive() {
    // Given a processed module of exactly 128 KiB, then one byte more
    // When the size rules are checked
    // Then the first passes and the second fails the wasm-size rule
    assert!(check_sizes(131_072, 100).is_empty());
    let over = check_sizes(131_073, 100);
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].rule, Rule::WasmSize);
}
