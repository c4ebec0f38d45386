//! Test programs in WAT, and a builder for the scripts the interpreter program runs.
//!
//! The interpreter is a Stylus program that treats its calldata as a list of commands, one
//! per host function, so each test can drive exactly the hooks it checks. It does **not**
//! flush the storage cache by itself (stylus-sdk programs do, at the end of every call):
//! scripts flush explicitly.

#![allow(dead_code, unreachable_pub)]

use stylus_host::{Address, B256, U256};

/// Scratch area for results.
const SCR: u32 = 0xC000;
/// Where `call_contract` and friends store the return-data length.
const RET_LEN: u32 = 0xBFF0;
/// Start of the output buffer.
const OUT: u32 = 0x8000;
/// Where calldata is copied.
const ARGS: u32 = 0x100;

/// The commands: (opcode, WAT body). Bodies may use the locals `$a $b $n` (i32) and `$g`
/// (i64) and the helpers `$take $u8 $u32 $u64 $emit $emit1 $emit4 $emit8`.
fn commands() -> Vec<(u8, String)> {
    let s = SCR;
    let r = RET_LEN;
    let out = OUT;
    vec![
        (Op::Sload as u8, format!("(call $storage_load_bytes32 (call $take (i32.const 32)) (i32.const {s})) (call $emit (i32.const {s}) (i32.const 32))")),
        (Op::Sstore as u8, "(local.set $a (call $take (i32.const 64))) (call $storage_cache_bytes32 (local.get $a) (i32.add (local.get $a) (i32.const 32)))".into()),
        (Op::Flush as u8, "(call $storage_flush_cache (call $u8))".into()),
        (Op::Call as u8, format!("(local.set $a (call $take (i32.const 20))) (local.set $b (call $take (i32.const 32))) (local.set $g (call $u64)) (local.set $n (call $u32)) (call $emit1 (call $call_contract (local.get $a) (call $take (local.get $n)) (local.get $n) (local.get $b) (local.get $g) (i32.const {r})))")),
        (Op::StaticCall as u8, format!("(local.set $a (call $take (i32.const 20))) (local.set $g (call $u64)) (local.set $n (call $u32)) (call $emit1 (call $static_call_contract (local.get $a) (call $take (local.get $n)) (local.get $n) (local.get $g) (i32.const {r})))")),
        (Op::DelegateCall as u8, format!("(local.set $a (call $take (i32.const 20))) (local.set $g (call $u64)) (local.set $n (call $u32)) (call $emit1 (call $delegate_call_contract (local.get $a) (call $take (local.get $n)) (local.get $n) (local.get $g) (i32.const {r})))")),
        (Op::ReturnData as u8, format!("(local.set $n (call $return_data_size)) (local.set $n (call $read_return_data (i32.const {s}) (i32.const 0) (local.get $n))) (call $emit (i32.const {s}) (local.get $n))")),
        (Op::Log as u8, "(local.set $a (call $u8)) (local.set $n (call $u32)) (call $emit_log (call $take (local.get $n)) (local.get $n) (local.get $a))".into()),
        (Op::Revert as u8, format!("(call $write_result (i32.const {out}) (i32.sub (global.get $out) (i32.const {out}))) (return (i32.const 1))")),
        (Op::Sender as u8, format!("(call $msg_sender (i32.const {s})) (call $emit (i32.const {s}) (i32.const 20))")),
        (Op::Value as u8, format!("(call $msg_value (i32.const {s})) (call $emit (i32.const {s}) (i32.const 32))")),
        (Op::Reentrant as u8, "(call $emit1 (call $msg_reentrant))".into()),
        (Op::Origin as u8, format!("(call $tx_origin (i32.const {s})) (call $emit (i32.const {s}) (i32.const 20))")),
        (Op::Balance as u8, format!("(call $account_balance (call $take (i32.const 20)) (i32.const {s})) (call $emit (i32.const {s}) (i32.const 32))")),
        (Op::Timestamp as u8, "(call $emit8 (call $block_timestamp))".into()),
        (Op::Number as u8, "(call $emit8 (call $block_number))".into()),
        (Op::ChainId as u8, "(call $emit8 (call $chainid))".into()),
        (Op::Address as u8, format!("(call $contract_address (i32.const {s})) (call $emit (i32.const {s}) (i32.const 20))")),
        (Op::Keccak as u8, format!("(local.set $n (call $u32)) (call $native_keccak256 (call $take (local.get $n)) (local.get $n) (i32.const {s})) (call $emit (i32.const {s}) (i32.const 32))")),
        (Op::Trap as u8, "(unreachable)".into()),
        (Op::Basefee as u8, format!("(call $block_basefee (i32.const {s})) (call $emit (i32.const {s}) (i32.const 32))")),
        (Op::Coinbase as u8, format!("(call $block_coinbase (i32.const {s})) (call $emit (i32.const {s}) (i32.const 20))")),
        (Op::GasLimit as u8, "(call $emit8 (call $block_gas_limit))".into()),
        (Op::GasLeft as u8, "(call $emit8 (call $evm_gas_left))".into()),
        (Op::InkLeft as u8, "(call $emit8 (call $evm_ink_left))".into()),
        (Op::CodeHash as u8, format!("(call $account_codehash (call $take (i32.const 20)) (i32.const {s})) (call $emit (i32.const {s}) (i32.const 32))")),
        (Op::CodeSize as u8, "(call $emit4 (call $account_code_size (call $take (i32.const 20))))".into()),
        (Op::Code as u8, format!("(local.set $a (call $take (i32.const 20))) (local.set $b (call $u32)) (local.set $n (call $u32)) (local.set $n (call $account_code (local.get $a) (local.get $b) (local.get $n) (i32.const {s}))) (call $emit (i32.const {s}) (local.get $n))")),
        (Op::GasPrice as u8, format!("(call $tx_gas_price (i32.const {s})) (call $emit (i32.const {s}) (i32.const 32))")),
        (Op::InkPrice as u8, "(call $emit4 (call $tx_ink_price))".into()),
        (Op::Spin as u8, "(loop $spin (br $spin))".into()),
        (Op::Grow as u8, "(drop (memory.grow (call $u32)))".into()),
        (Op::Stop as u8, format!("(call $write_result (i32.const {out}) (i32.sub (global.get $out) (i32.const {out}))) (return (i32.const 0))")),
        (Op::ReturnDataSize as u8, "(call $emit4 (call $return_data_size))".into()),
        (Op::PayForMemory as u8, "(call $pay_for_memory_grow (call $u32))".into()),
        (Op::Out as u8, "(local.set $n (call $u32)) (call $emit (call $take (local.get $n)) (local.get $n))".into()),
        (Op::Float as u8, "(drop (f64.sqrt (f64.const 2)))".into()),
        (Op::Tload as u8, format!("(call $transient_load_bytes32 (call $take (i32.const 32)) (i32.const {s})) (call $emit (i32.const {s}) (i32.const 32))")),
        (Op::Tstore as u8, "(local.set $a (call $take (i32.const 64))) (call $transient_store_bytes32 (local.get $a) (i32.add (local.get $a) (i32.const 32)))".into()),
        (Op::Div as u8, format!("(local.set $a (call $take (i32.const 64))) (memory.copy (i32.const {s}) (local.get $a) (i32.const 32)) (call $math_div (i32.const {s}) (i32.add (local.get $a) (i32.const 32))) (call $emit (i32.const {s}) (i32.const 32))")),
        (Op::LogText as u8, "(local.set $n (call $u32)) (call $log_txt (call $take (local.get $n)) (local.get $n))".into()),
        (Op::Exit as u8, format!("(call $write_result (i32.const {out}) (i32.sub (global.get $out) (i32.const {out}))) (call $exit_early (call $u32))")),
        (Op::Create1 as u8, format!("(call $create1 (i32.const {s}) (i32.const 0) (i32.const {s}) (i32.const {s}) (i32.const {r}))")),
    ]
}

/// Script opcodes.
#[derive(Clone, Copy, Debug)]
#[repr(u8)]
pub enum Op {
    Sload,
    Sstore,
    Flush,
    Call,
    StaticCall,
    DelegateCall,
    ReturnData,
    Log,
    Revert,
    Sender,
    Value,
    Reentrant,
    Origin,
    Balance,
    Timestamp,
    Number,
    ChainId,
    Address,
    Keccak,
    Trap,
    Basefee,
    Coinbase,
    GasLimit,
    GasLeft,
    InkLeft,
    CodeHash,
    CodeSize,
    Code,
    GasPrice,
    InkPrice,
    Spin,
    Grow,
    Stop,
    ReturnDataSize,
    PayForMemory,
    Out,
    Float,
    Tload,
    Tstore,
    Div,
    LogText,
    Exit,
    Create1,
}

const IMPORTS: &str = r#"
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "exit_early" (func $exit_early (param i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $storage_load_bytes32 (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $storage_cache_bytes32 (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $storage_flush_cache (param i32)))
  (import "vm_hooks" "transient_load_bytes32" (func $transient_load_bytes32 (param i32 i32)))
  (import "vm_hooks" "transient_store_bytes32" (func $transient_store_bytes32 (param i32 i32)))
  (import "vm_hooks" "call_contract" (func $call_contract (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "static_call_contract" (func $static_call_contract (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "delegate_call_contract" (func $delegate_call_contract (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))
  (import "vm_hooks" "read_return_data" (func $read_return_data (param i32 i32 i32) (result i32)))
  (import "vm_hooks" "return_data_size" (func $return_data_size (result i32)))
  (import "vm_hooks" "emit_log" (func $emit_log (param i32 i32 i32)))
  (import "vm_hooks" "account_balance" (func $account_balance (param i32 i32)))
  (import "vm_hooks" "account_code" (func $account_code (param i32 i32 i32 i32) (result i32)))
  (import "vm_hooks" "account_code_size" (func $account_code_size (param i32) (result i32)))
  (import "vm_hooks" "account_codehash" (func $account_codehash (param i32 i32)))
  (import "vm_hooks" "block_basefee" (func $block_basefee (param i32)))
  (import "vm_hooks" "block_coinbase" (func $block_coinbase (param i32)))
  (import "vm_hooks" "block_gas_limit" (func $block_gas_limit (result i64)))
  (import "vm_hooks" "block_number" (func $block_number (result i64)))
  (import "vm_hooks" "block_timestamp" (func $block_timestamp (result i64)))
  (import "vm_hooks" "chainid" (func $chainid (result i64)))
  (import "vm_hooks" "contract_address" (func $contract_address (param i32)))
  (import "vm_hooks" "evm_gas_left" (func $evm_gas_left (result i64)))
  (import "vm_hooks" "evm_ink_left" (func $evm_ink_left (result i64)))
  (import "vm_hooks" "math_div" (func $math_div (param i32 i32)))
  (import "vm_hooks" "msg_reentrant" (func $msg_reentrant (result i32)))
  (import "vm_hooks" "msg_sender" (func $msg_sender (param i32)))
  (import "vm_hooks" "msg_value" (func $msg_value (param i32)))
  (import "vm_hooks" "native_keccak256" (func $native_keccak256 (param i32 i32 i32)))
  (import "vm_hooks" "tx_gas_price" (func $tx_gas_price (param i32)))
  (import "vm_hooks" "tx_ink_price" (func $tx_ink_price (result i32)))
  (import "vm_hooks" "tx_origin" (func $tx_origin (param i32)))
  (import "vm_hooks" "pay_for_memory_grow" (func $pay_for_memory_grow (param i32)))
  (import "console" "log_txt" (func $log_txt (param i32 i32)))
"#;

/// The interpreter program's WAT text.
pub fn interpreter_wat() -> String {
    let cmds = commands();
    let max = cmds.iter().map(|(op, _)| *op).max().unwrap_or(0) as usize;
    let mut bodies: Vec<Option<String>> = vec![None; max + 1];
    for (op, body) in cmds {
        bodies[op as usize] = Some(body);
    }
    // Nested blocks: the innermost is opcode 0; each body runs after its block ends.
    let mut dispatch = String::from("(block $unknown\n");
    for i in (0..=max).rev() {
        dispatch.push_str(&format!("(block $op{i}\n"));
    }
    let labels: Vec<String> = (0..=max).map(|i| format!("$op{i}")).collect();
    dispatch.push_str(&format!("(br_table {} $unknown (call $u8))\n", labels.join(" ")));
    for (i, body) in bodies.iter().enumerate() {
        dispatch.push_str(")\n");
        dispatch.push_str(body.as_deref().unwrap_or("(unreachable)"));
        let _ = i;
        dispatch.push_str("\n(br $next)\n");
    }
    dispatch.push_str(")\n(unreachable)\n");

    format!(
        r#"(module
{IMPORTS}
  (memory (export "memory") 1)
  (global $ip (mut i32) (i32.const 0))
  (global $end (mut i32) (i32.const 0))
  (global $out (mut i32) (i32.const {OUT}))
  (func $take (param $n i32) (result i32) (local $p i32)
    (local.set $p (global.get $ip))
    (global.set $ip (i32.add (global.get $ip) (local.get $n)))
    (local.get $p))
  (func $u8 (result i32) (i32.load8_u (call $take (i32.const 1))))
  (func $u32 (result i32) (i32.load (call $take (i32.const 4))))
  (func $u64 (result i64) (i64.load (call $take (i32.const 8))))
  (func $emit (param $p i32) (param $n i32)
    (memory.copy (global.get $out) (local.get $p) (local.get $n))
    (global.set $out (i32.add (global.get $out) (local.get $n))))
  (func $emit1 (param $v i32) (i32.store8 (i32.const {SCR}) (local.get $v)) (call $emit (i32.const {SCR}) (i32.const 1)))
  (func $emit4 (param $v i32) (i32.store (i32.const {SCR}) (local.get $v)) (call $emit (i32.const {SCR}) (i32.const 4)))
  (func $emit8 (param $v i64) (i64.store (i32.const {SCR}) (local.get $v)) (call $emit (i32.const {SCR}) (i32.const 8)))
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $a i32) (local $b i32) (local $n i32) (local $g i64)
    (call $read_args (i32.const {ARGS}))
    (global.set $ip (i32.const {ARGS}))
    (global.set $end (i32.add (i32.const {ARGS}) (local.get $len)))
    (global.set $out (i32.const {OUT}))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (global.get $ip) (global.get $end)))
        {dispatch}
      ))
    (call $write_result (i32.const {OUT}) (i32.sub (global.get $out) (i32.const {OUT})))
    (i32.const 0))
)"#
    )
}

/// The interpreter program as WASM bytes.
pub fn interpreter() -> Vec<u8> {
    wat::parse_str(interpreter_wat()).expect("interpreter WAT")
}

/// A script for the interpreter.
#[derive(Clone, Debug, Default)]
pub struct Script(pub Vec<u8>);

/// A storage key from a number.
pub fn key(n: u64) -> [u8; 32] {
    B256::from(U256::from(n)).0
}

impl Script {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn bytes(&self) -> Vec<u8> {
        self.0.clone()
    }
    fn op(mut self, op: Op) -> Self {
        self.0.push(op as u8);
        self
    }
    fn raw(mut self, bytes: &[u8]) -> Self {
        self.0.extend_from_slice(bytes);
        self
    }
    fn u32(self, v: u32) -> Self {
        self.raw(&v.to_le_bytes())
    }
    fn u64(self, v: u64) -> Self {
        self.raw(&v.to_le_bytes())
    }
    pub fn sload(self, slot: u64) -> Self {
        self.op(Op::Sload).raw(&key(slot))
    }
    pub fn sstore(self, slot: u64, value: u64) -> Self {
        self.op(Op::Sstore).raw(&key(slot)).raw(&key(value))
    }
    pub fn flush(self) -> Self {
        self.op(Op::Flush).raw(&[0])
    }
    pub fn flush_clear(self) -> Self {
        self.op(Op::Flush).raw(&[1])
    }
    /// Emits one status byte (0 = success).
    pub fn call(self, to: Address, value: U256, data: &Script) -> Self {
        self.call_gas(to, value, u64::MAX, &data.0)
    }
    pub fn call_gas(self, to: Address, value: U256, gas: u64, data: &[u8]) -> Self {
        self.op(Op::Call)
            .raw(to.as_slice())
            .raw(&value.to_be_bytes::<32>())
            .u64(gas)
            .u32(data.len() as u32)
            .raw(data)
    }
    pub fn call_raw(self, to: Address, value: U256, data: &[u8]) -> Self {
        self.call_gas(to, value, u64::MAX, data)
    }
    pub fn static_call(self, to: Address, data: &[u8]) -> Self {
        self.op(Op::StaticCall).raw(to.as_slice()).u64(u64::MAX).u32(data.len() as u32).raw(data)
    }
    pub fn delegate_call(self, to: Address, data: &[u8]) -> Self {
        self.op(Op::DelegateCall).raw(to.as_slice()).u64(u64::MAX).u32(data.len() as u32).raw(data)
    }
    pub fn return_data(self) -> Self {
        self.op(Op::ReturnData)
    }
    pub fn return_data_size(self) -> Self {
        self.op(Op::ReturnDataSize)
    }
    /// A log with `topics` (each 32 bytes) and `data`.
    pub fn log(self, topics: &[[u8; 32]], data: &[u8]) -> Self {
        let mut payload: Vec<u8> = topics.iter().flatten().copied().collect();
        payload.extend_from_slice(data);
        self.op(Op::Log).raw(&[topics.len() as u8]).u32(payload.len() as u32).raw(&payload)
    }
    /// A malformed log: claims `topics` topics over `len` bytes.
    pub fn bad_log(self, topics: u8, len: u32) -> Self {
        self.op(Op::Log).raw(&[topics]).u32(len).raw(&vec![0; len as usize])
    }
    pub fn revert(self) -> Self {
        self.op(Op::Revert)
    }
    pub fn stop(self) -> Self {
        self.op(Op::Stop)
    }
    pub fn exit(self, status: u32) -> Self {
        self.op(Op::Exit).u32(status)
    }
    pub fn sender(self) -> Self {
        self.op(Op::Sender)
    }
    pub fn value(self) -> Self {
        self.op(Op::Value)
    }
    pub fn reentrant(self) -> Self {
        self.op(Op::Reentrant)
    }
    pub fn origin(self) -> Self {
        self.op(Op::Origin)
    }
    pub fn balance(self, of: Address) -> Self {
        self.op(Op::Balance).raw(of.as_slice())
    }
    pub fn timestamp(self) -> Self {
        self.op(Op::Timestamp)
    }
    pub fn number(self) -> Self {
        self.op(Op::Number)
    }
    pub fn chain_id(self) -> Self {
        self.op(Op::ChainId)
    }
    pub fn address(self) -> Self {
        self.op(Op::Address)
    }
    pub fn keccak(self, data: &[u8]) -> Self {
        self.op(Op::Keccak).u32(data.len() as u32).raw(data)
    }
    pub fn trap(self) -> Self {
        self.op(Op::Trap)
    }
    pub fn basefee(self) -> Self {
        self.op(Op::Basefee)
    }
    pub fn coinbase(self) -> Self {
        self.op(Op::Coinbase)
    }
    pub fn gas_limit(self) -> Self {
        self.op(Op::GasLimit)
    }
    pub fn gas_left(self) -> Self {
        self.op(Op::GasLeft)
    }
    pub fn ink_left(self) -> Self {
        self.op(Op::InkLeft)
    }
    pub fn code_hash(self, of: Address) -> Self {
        self.op(Op::CodeHash).raw(of.as_slice())
    }
    pub fn code_size(self, of: Address) -> Self {
        self.op(Op::CodeSize).raw(of.as_slice())
    }
    pub fn code(self, of: Address, offset: u32, size: u32) -> Self {
        self.op(Op::Code).raw(of.as_slice()).u32(offset).u32(size)
    }
    pub fn gas_price(self) -> Self {
        self.op(Op::GasPrice)
    }
    pub fn ink_price(self) -> Self {
        self.op(Op::InkPrice)
    }
    pub fn spin(self) -> Self {
        self.op(Op::Spin)
    }
    pub fn grow(self, pages: u32) -> Self {
        self.op(Op::Grow).u32(pages)
    }
    pub fn pay_for_memory(self, pages: u32) -> Self {
        self.op(Op::PayForMemory).u32(pages)
    }
    pub fn out(self, data: &[u8]) -> Self {
        self.op(Op::Out).u32(data.len() as u32).raw(data)
    }
    pub fn float(self) -> Self {
        self.op(Op::Float)
    }
    pub fn tload(self, slot: u64) -> Self {
        self.op(Op::Tload).raw(&key(slot))
    }
    pub fn tstore(self, slot: u64, value: u64) -> Self {
        self.op(Op::Tstore).raw(&key(slot)).raw(&key(value))
    }
    pub fn div(self, a: u64, b: u64) -> Self {
        self.op(Op::Div).raw(&key(a)).raw(&key(b))
    }
    pub fn log_text(self, text: &str) -> Self {
        self.op(Op::LogText).u32(text.len() as u32).raw(text.as_bytes())
    }
    pub fn create1(self) -> Self {
        self.op(Op::Create1)
    }
}

/// A minimal valid program around `body` (the body of `user_entrypoint`, which must leave
/// an i32 status), with `extra` module fields.
pub fn program(extra: &str, body: &str) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  {extra}
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param $len i32) (result i32) {body}))"#
    ))
    .expect("test program WAT")
}
