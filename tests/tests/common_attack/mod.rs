//! Shared set-up for the attack tests (`tests/attacks.rs`): one deployed
//! protocol for the whole file (restored to its base state by every test),
//! helpers that assert a call was refused with a named custom error and left
//! every program's storage and every known balance exactly as it was, and a
//! scriptable attacker program written in WAT ([`PUPPET_WAT`]).

#![allow(dead_code, unreachable_pub)]

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use scripts::abi::{decode_revert, IAccountingOracle, ReportData};
use scripts::invariants::engine::Engine;
use std::sync::{Mutex, MutexGuard, OnceLock};
use stylus_host::{Host, Outcome};

/// The protocol in the invariant engine's base state (module documentation
/// of `scripts::invariants::engine`): four users with keys who staked 40 ETH
/// and wrapped 10 ETH each, four validators deposited and seen by a first
/// report, requests 1–4 finalized and unclaimed (users 0, 0, 1, 2), request
/// 5 (user 3) unfinalized.
///
/// Tests share one deployment (deploying takes seconds) and run one at a
/// time; each starts from the base state.
pub fn engine() -> MutexGuard<'static, Engine> {
    static ENGINE: OnceLock<Mutex<Engine>> = OnceLock::new();
    let lock = ENGINE.get_or_init(|| Mutex::new(Engine::new().expect("the protocol deploys")));
    // A failed test poisons the lock; the next one resets the state anyway.
    let mut guard = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    guard.reset();
    guard
}

/// User `i`'s address (`0..4`).
pub fn user(e: &Engine, i: usize) -> Address {
    e.signers[i].address
}

/// The name of the custom error in a failed outcome.
pub fn error_of(out: &Outcome) -> Option<String> {
    decode_revert(&out.return_data).name().map(str::to_string)
}

/// Sends `call` and asserts that it is refused with the custom error
/// `error` and that no program's storage and no known balance changed.
pub fn refused<C: SolCall>(
    e: &mut Engine,
    from: Address,
    to: Address,
    call: &C,
    value: U256,
    error: &str,
) -> Outcome {
    refused_raw(e, from, to, &call.abi_encode(), value, Some(error))
}

/// [`refused`] for raw calldata; `error: None` expects empty revert data.
pub fn refused_raw(
    e: &mut Engine,
    from: Address,
    to: Address,
    data: &[u8],
    value: U256,
    error: Option<&str>,
) -> Outcome {
    let before = e.digest();
    let out = e.p.host.call(from, to, data, value);
    assert!(!out.success, "expected {error:?}, the call succeeded");
    match error {
        Some(name) => assert_eq!(
            error_of(&out).as_deref(),
            Some(name),
            "expected {name}, got {} ({:?})",
            decode_revert(&out.return_data),
            out.failure
        ),
        None => assert!(
            out.return_data.is_empty(),
            "expected empty revert data, got {}",
            decode_revert(&out.return_data)
        ),
    }
    let after = e.digest();
    assert!(after == before, "the refused call changed state: {:?}", before.diff(&after));
    out
}

/// Sends `call` and asserts success; returns the decoded return.
pub fn accepted<C: SolCall>(
    e: &mut Engine,
    from: Address,
    to: Address,
    call: &C,
    value: U256,
) -> C::Return {
    let out = e.p.send(from, to, call, value);
    assert!(
        out.success,
        "{} failed: {} ({:?})",
        C::SIGNATURE,
        decode_revert(&out.return_data),
        out.failure
    );
    C::abi_decode_returns(&out.return_data, true).expect("decodable return")
}

/// Moves to the next frame and builds the report the simulated chain
/// supports (changed by `adjust`); every member votes its hash. Returns the
/// data (not yet submitted).
pub fn agree_on(e: &mut Engine, adjust: impl FnOnce(&mut ReportData)) -> ReportData {
    let slot = e.p.advance_to_next_frame().expect("next frame");
    let mut data = e.p.report_data(slot).expect("report data");
    adjust(&mut data);
    e.p.vote(&data).expect("every member votes");
    data
}

/// `submitReportData(data, 1)` from the first member (not asserted).
pub fn submit(e: &mut Engine, data: &ReportData) -> Outcome {
    let (member, oracle) = (e.p.members[0], e.p.addrs.oracle);
    let call = IAccountingOracle::submitReportDataCall {
        data: data.clone(),
        contractVersion: U256::from(1),
    };
    e.p.send(member, oracle, &call, U256::ZERO)
}

/// A whole honest frame (with `adjust`), asserted to be applied.
pub fn report(e: &mut Engine, adjust: impl FnOnce(&mut ReportData)) -> Outcome {
    e.p.run_oracle_frame(adjust).expect("the report is applied").processing
}

/// The attacker program: a Stylus program in WAT that does what it is
/// told. Commands (calldata starting with `fe ed c0` and a command byte,
/// a prefix no Solidity selector the protocol calls starts with):
///
/// - `feedc0 A1 ‖ mode ‖ target(20) ‖ value(32) ‖ data`: **arm** — remember
///   a call to make whenever the program is entered by anything else;
/// - `feedc0 A2 ‖ len ‖ word(32)`: **answer** — what to return when entered
///   by anything else (`len` bytes of `word`);
/// - `feedc0 A3 ‖ target(20) ‖ value(32) ‖ data`: **call** — call `target` now
///   (the program is `msg.sender`), reverting with the callee's revert data
///   if it fails.
///
/// Entered with any other calldata (plain ether, a callback such as
/// `isValidSignature` or `submit`), it makes the armed call (if any), then
/// returns the answer. `mode` bit 0: swallow a failing armed call (else
/// revert with its data); bit 1: record it (slot 20 = 1 + status of the
/// last armed call, 0 = success; slot 21 = number of armed calls made) —
/// recording writes storage, so it must be off when the program is entered
/// by a static call.
pub const PUPPET_WAT: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $sload (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $sstore (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $rrd (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0x0000 storage key | 0x0020 word scratch | 0x0040 return-data length | 0x0044 bytes read
  ;; 0x1000 calldata | 0x2000 armed call | 0x3000 answer | 0x8000 return data
  (func $key (param $k i32)
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 32))
    (i32.store8 (i32.const 31) (local.get $k)))
  (func $load (param $k i32) (param $dst i32)
    (call $key (local.get $k))
    (call $sload (i32.const 0) (local.get $dst)))
  (func $save (param $k i32) (param $src i32)
    (call $key (local.get $k))
    (call $sstore (i32.const 0) (local.get $src)))
  (func $do_call (param $t i32) (param $v i32) (param $d i32) (param $n i32) (result i32)
    (local $rc i32)
    (local.set $rc (call $call (local.get $t) (local.get $d) (local.get $n) (local.get $v) (i64.const -1) (i32.const 0x40)))
    (i32.store (i32.const 0x44) (call $rrd (i32.const 0x8000) (i32.const 0) (i32.load (i32.const 0x40))))
    (local.get $rc))
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $op i32) (local $i i32) (local $rc i32) (local $mode i32) (local $n i32)
    (call $read_args (i32.const 0x1000))
    ;; A command starts with fe ed c0 <command>.
    (local.set $op (if (result i32) (i32.ge_u (local.get $len) (i32.const 4)) (then (i32.load (i32.const 0x1000))) (else (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 0xA1C0EDFE))
      (then
        (memory.fill (i32.add (i32.const 0x1000) (local.get $len)) (i32.const 0) (i32.const 384))
        (memory.fill (i32.const 0x20) (i32.const 0) (i32.const 32))
        (i32.store (i32.const 0x20) (i32.sub (local.get $len) (i32.const 4)))
        (call $save (i32.const 0) (i32.const 0x20))
        (local.set $i (i32.const 0))
        (loop $copy
          (call $save (i32.add (local.get $i) (i32.const 1)) (i32.add (i32.const 0x1004) (i32.mul (local.get $i) (i32.const 32))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $copy (i32.lt_u (local.get $i) (i32.const 12))))
        (call $flush (i32.const 0))
        (return (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 0xA2C0EDFE))
      (then
        (call $save (i32.const 13) (i32.const 0x1005))
        (memory.fill (i32.const 0x20) (i32.const 0) (i32.const 32))
        (i32.store8 (i32.const 0x3f) (i32.load8_u (i32.const 0x1004)))
        (call $save (i32.const 14) (i32.const 0x20))
        (call $flush (i32.const 0))
        (return (i32.const 0))))
    (if (i32.eq (local.get $op) (i32.const 0xA3C0EDFE))
      (then
        (local.set $rc (call $do_call (i32.const 0x1004) (i32.const 0x1018) (i32.const 0x1038) (i32.sub (local.get $len) (i32.const 56))))
        (call $write_result (i32.const 0x8000) (i32.load (i32.const 0x44)))
        (return (i32.ne (local.get $rc) (i32.const 0)))))
    (call $load (i32.const 0) (i32.const 0x20))
    (local.set $n (i32.load (i32.const 0x20)))
    (if (local.get $n)
      (then
        (local.set $i (i32.const 0))
        (loop $fetch
          (call $load (i32.add (local.get $i) (i32.const 1)) (i32.add (i32.const 0x2000) (i32.mul (local.get $i) (i32.const 32))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $fetch (i32.lt_u (local.get $i) (i32.const 12))))
        (local.set $mode (i32.load8_u (i32.const 0x2000)))
        (local.set $rc (call $do_call (i32.const 0x2001) (i32.const 0x2015) (i32.const 0x2035) (i32.sub (local.get $n) (i32.const 53))))
        (if (i32.and (local.get $mode) (i32.const 2))
          (then
            (memory.fill (i32.const 0x20) (i32.const 0) (i32.const 32))
            (i32.store8 (i32.const 0x3f) (i32.add (local.get $rc) (i32.const 1)))
            (call $save (i32.const 20) (i32.const 0x20))
            (call $load (i32.const 21) (i32.const 0x20))
            (i32.store8 (i32.const 0x3f) (i32.add (i32.load8_u (i32.const 0x3f)) (i32.const 1)))
            (call $save (i32.const 21) (i32.const 0x20))
            (call $flush (i32.const 0))))
        (if (i32.and (i32.ne (local.get $rc) (i32.const 0)) (i32.eqz (i32.and (local.get $mode) (i32.const 1))))
          (then
            (call $write_result (i32.const 0x8000) (i32.load (i32.const 0x44)))
            (return (i32.const 1))))))
    (call $load (i32.const 13) (i32.const 0x3000))
    (call $load (i32.const 14) (i32.const 0x20))
    (call $write_result (i32.const 0x3000) (i32.load8_u (i32.const 0x3f)))
    (i32.const 0))
)"#;

/// Mode bit: a failing armed call is swallowed (the program carries on).
pub const SWALLOW: u8 = 1;
/// Mode bit: the armed call's outcome is recorded in storage.
pub const RECORD: u8 = 2;

/// A deployed [`PUPPET_WAT`].
#[derive(Clone, Copy, Debug)]
pub struct Puppet {
    /// Where it lives.
    pub address: Address,
}

/// What the puppet recorded about its armed calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    /// Armed calls made (that were not rolled back).
    pub calls: u8,
    /// Whether the last one succeeded.
    pub last_succeeded: bool,
}

impl Puppet {
    /// Deploys a new puppet (plain deployment by `deployer`).
    pub fn deploy(host: &mut Host, deployer: Address) -> Self {
        let wasm = scripts::invariants::compile_wat(PUPPET_WAT).expect("the puppet assembles");
        let address = host.deploy(&wasm, None, U256::ZERO, deployer).expect("the puppet deploys");
        Self { address }
    }

    fn command(&self, host: &mut Host, data: Vec<u8>) {
        let out = host.call(Address::repeat_byte(0x77), self.address, &data, U256::ZERO);
        assert!(out.success, "puppet command failed: {:?}", out.failure);
    }

    /// Arms a call made whenever the puppet is entered by a callback.
    pub fn arm(&self, host: &mut Host, mode: u8, target: Address, value: U256, data: &[u8]) {
        assert!(data.len() <= 384 - 53, "armed calldata too long");
        assert!(data.len() < 4 || data[..3] != [0xfe, 0xed, 0xc0], "not a puppet command");
        let mut bytes = vec![0xfe, 0xed, 0xc0, 0xA1, mode];
        bytes.extend_from_slice(target.as_slice());
        bytes.extend_from_slice(&value.to_be_bytes::<32>());
        bytes.extend_from_slice(data);
        self.command(host, bytes);
    }

    /// What the puppet returns to a callback: the first `len` bytes of `word`.
    pub fn answer(&self, host: &mut Host, word: B256, len: u8) {
        let mut bytes = vec![0xfe, 0xed, 0xc0, 0xA2, len];
        bytes.extend_from_slice(word.as_slice());
        self.command(host, bytes);
    }

    /// Calldata that makes the puppet call `target` with `data` and `value`.
    pub fn call_data(target: Address, value: U256, data: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0xfe, 0xed, 0xc0, 0xA3];
        bytes.extend_from_slice(target.as_slice());
        bytes.extend_from_slice(&value.to_be_bytes::<32>());
        bytes.extend_from_slice(data);
        bytes
    }

    /// What it recorded.
    pub fn record(&self, host: &Host) -> Record {
        let status = host.storage(self.address, U256::from(20))[31];
        let calls = host.storage(self.address, U256::from(21))[31];
        Record { calls, last_succeeded: status == 1 }
    }
}
