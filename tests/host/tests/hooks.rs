//! Every host function and the call semantics, driven through small WAT programs.

mod support;

use stylus_host::{
    constructor_selector, Address, DeployError, Failure, Host, B256, STYLUS_DEPLOYER, U256,
};
use support::{interpreter, key, program, Script};

const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);

fn eth(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

/// A host with two interpreter programs and a funded ALICE.
fn setup() -> (Host, Address, Address) {
    let mut host = Host::new();
    host.fund(ALICE, eth(100));
    let wasm = interpreter();
    let a = host.deploy(&wasm, None, U256::ZERO, ALICE).expect("deploy a");
    let b = host.deploy(&wasm, None, U256::ZERO, ALICE).expect("deploy b");
    (host, a, b)
}

fn word(n: u64) -> B256 {
    B256::from(key(n))
}

fn run(host: &mut Host, to: Address, script: Script) -> stylus_host::Outcome {
    host.call(ALICE, to, &script.bytes(), U256::ZERO)
}

// --- storage cache ---------------------------------------------------------------------------

#[test]
fn storage_write_without_flush_is_not_persisted() {
    // Given a program, when it caches a write but never flushes,
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().sstore(1, 7));
    // then the call succeeds but the state is unchanged (Stylus drops an unflushed cache).
    out.expect_ok("sstore");
    assert_eq!(host.storage(a, U256::from(1)), B256::ZERO);
}

#[test]
fn storage_write_is_persisted_by_flush() {
    // Given a program, when it writes and flushes,
    let (mut host, a, _) = setup();
    run(&mut host, a, Script::new().sstore(1, 7).flush()).expect_ok("sstore+flush");
    // then the slot holds the value.
    assert_eq!(host.storage(a, U256::from(1)), word(7));
}

#[test]
fn storage_read_sees_the_cached_write_before_flush() {
    // Given a write in the cache, when the same frame reads the slot,
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().sstore(1, 9).sload(1));
    // then it reads the cached value while the state still holds zero.
    assert_eq!(out.expect_ok("read"), key(9).as_slice());
    assert_eq!(host.storage(a, U256::from(1)), B256::ZERO);
}

#[test]
fn callee_does_not_see_unflushed_writes_of_the_caller() {
    // Given A caches a write to B's... (its own) slot and calls B which delegate-reads it,
    // when A does not flush before calling, then the callee reads the old state; after a
    // flush it reads the new value (stylus-sdk flushes before every call for this reason).
    let (mut host, a, b) = setup();
    let read_own = Script::new().sload(1).stop();
    let script = Script::new()
        .sstore(1, 5)
        .delegate_call(b, &read_own.0)
        .return_data()
        .flush()
        .delegate_call(b, &read_own.0)
        .return_data();
    let out = run(&mut host, a, script);
    let data = out.expect_ok("delegate reads");
    assert_eq!(&data[1..33], key(0).as_slice());
    assert_eq!(&data[34..66], key(5).as_slice());
}

#[test]
fn flush_with_clear_drops_the_read_cache() {
    // Given a cached read of a slot, when the slot changes underneath (via a delegate call
    // that flushes) and the cache is cleared, then the next read sees the new value.
    let (mut host, a, b) = setup();
    let writer = Script::new().sstore(2, 3).flush();
    let script = Script::new().sload(2).delegate_call(b, &writer.0).sload(2).flush_clear().sload(2);
    let out = run(&mut host, a, script);
    let data = out.expect_ok("reads");
    assert_eq!(&data[0..32], key(0).as_slice(), "first read");
    assert_eq!(&data[33..65], key(0).as_slice(), "stale cached read");
    assert_eq!(&data[65..97], key(3).as_slice(), "read after clear");
}

// --- rollback --------------------------------------------------------------------------------

#[test]
fn revert_rolls_back_flushed_writes() {
    // Given a program that writes, flushes and then reverts,
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().sstore(1, 7).flush().out(b"why").revert());
    // then the call fails with its revert data and the slot is unchanged.
    assert!(!out.success);
    assert_eq!(out.failure, Some(Failure::Reverted));
    assert_eq!(out.return_data, b"why");
    assert_eq!(host.storage(a, U256::from(1)), B256::ZERO);
}

#[test]
fn nested_revert_rolls_back_the_callee_only() {
    // Given A writes, then calls B which writes and reverts,
    let (mut host, a, b) = setup();
    let callee = Script::new().sstore(1, 2).flush().revert();
    let out = run(&mut host, a, Script::new().sstore(1, 1).flush().call(b, U256::ZERO, &callee));
    // then A succeeds, sees status 1, keeps its write, and B's write is gone.
    assert_eq!(out.expect_ok("outer"), [1]);
    assert_eq!(host.storage(a, U256::from(1)), word(1));
    assert_eq!(host.storage(b, U256::from(1)), B256::ZERO);
}

#[test]
fn caller_revert_rolls_back_successful_callees() {
    // Given A calls B which writes successfully, when A then reverts,
    let (mut host, a, b) = setup();
    let callee = Script::new().sstore(1, 2).flush();
    let out = run(&mut host, a, Script::new().call(b, U256::ZERO, &callee).revert());
    // then B's write is rolled back with A's frame.
    assert!(!out.success);
    assert_eq!(host.storage(b, U256::from(1)), B256::ZERO);
}

#[test]
fn trap_reverts_without_data() {
    // Given a program that writes, flushes, outputs and then traps (a Rust panic),
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().sstore(1, 1).flush().out(b"x").trap());
    // then the call fails as a trap with no return data and no state change.
    assert!(matches!(out.failure, Some(Failure::Trap(_))));
    assert!(out.return_data.is_empty());
    assert_eq!(host.storage(a, U256::from(1)), B256::ZERO);
}

// --- static calls -----------------------------------------------------------------------------

#[test]
fn static_call_rejects_storage_writes() {
    // Given A static-calls B which writes and flushes,
    let (mut host, a, b) = setup();
    let writer = Script::new().sstore(1, 1).flush();
    let out = run(&mut host, a, Script::new().static_call(b, &writer.0));
    // then the inner call fails and nothing is written.
    assert_eq!(out.expect_ok("outer"), [1]);
    assert_eq!(host.storage(b, U256::from(1)), B256::ZERO);
}

#[test]
fn static_call_rejects_logs() {
    // Given A static-calls B which emits a log, then the inner call fails.
    let (mut host, a, b) = setup();
    let logger = Script::new().log(&[key(1)], b"data");
    let out = run(&mut host, a, Script::new().static_call(b, &logger.0));
    assert_eq!(out.expect_ok("outer"), [1]);
    assert!(out.logs.is_empty());
}

#[test]
fn static_call_rejects_value_transfers() {
    // Given A static-calls B which tries to send value to BOB, then B's call fails and the
    // ether stays.
    let (mut host, a, b) = setup();
    host.fund(b, U256::from(10));
    let sender = Script::new().call_raw(BOB, U256::from(5), &[]);
    let out = run(&mut host, a, Script::new().static_call(b, &sender.0).return_data());
    // B itself succeeded (0) but its value call failed (1), and no ether moved.
    assert_eq!(out.expect_ok("outer"), [0, 1]);
    assert_eq!(host.balance(BOB), U256::ZERO);
    assert_eq!(host.balance(b), U256::from(10));
}

#[test]
fn static_call_allows_reads() {
    // Given a stored value, when read through a static call, then it is returned.
    let (mut host, a, b) = setup();
    run(&mut host, b, Script::new().sstore(4, 44).flush()).expect_ok("seed");
    let reader = Script::new().sload(4);
    let out = run(&mut host, a, Script::new().static_call(b, &reader.0).return_data());
    let data = out.expect_ok("outer");
    assert_eq!(&data[1..], key(44).as_slice());
}

#[test]
fn host_static_call_fails_on_writes_and_persists_nothing() {
    // Given a writer script, when run through Host::static_call,
    let (mut host, a, _) = setup();
    let nonce = host.nonce(ALICE);
    let out = host.static_call(ALICE, a, &Script::new().sstore(1, 1).flush().bytes());
    // then it fails as a write-protection trap, and neither storage nor nonce changed.
    assert!(matches!(out.failure, Some(Failure::Trap(ref m)) if m.contains("write protection")));
    assert_eq!(host.storage(a, U256::from(1)), B256::ZERO);
    assert_eq!(host.nonce(ALICE), nonce);
}

// --- logs --------------------------------------------------------------------------------------

#[test]
fn logs_carry_address_topics_and_data() {
    // Given a program emitting a log with two topics, when called, then the log is returned.
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().log(&[key(1), key(2)], b"payload"));
    out.expect_ok("log");
    assert_eq!(out.logs.len(), 1);
    assert_eq!(out.logs[0].address, a);
    assert_eq!(out.logs[0].topics, vec![word(1), word(2)]);
    assert_eq!(out.logs[0].data, b"payload");
}

#[test]
fn logs_are_discarded_on_revert() {
    // Given a program that logs then reverts, then no log is returned.
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().log(&[key(1)], b"").revert());
    assert!(!out.success);
    assert!(out.logs.is_empty());
}

#[test]
fn logs_of_a_reverted_callee_are_discarded_but_the_callers_kept() {
    // Given A logs, calls B which logs and reverts, then only A's log remains.
    let (mut host, a, b) = setup();
    let callee = Script::new().log(&[key(2)], b"b").revert();
    let out = run(&mut host, a, Script::new().log(&[key(1)], b"a").call(b, U256::ZERO, &callee));
    out.expect_ok("outer");
    assert_eq!(out.logs.len(), 1);
    assert_eq!(out.logs[0].address, a);
}

#[test]
fn malformed_log_fails_the_frame() {
    // Given a log claiming 5 topics, then the frame fails (as on chain).
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().bad_log(5, 160));
    assert!(matches!(out.failure, Some(Failure::Trap(ref m)) if m.contains("topic")));
}

// --- value -------------------------------------------------------------------------------------

#[test]
fn top_level_value_to_a_plain_account_moves_ether() {
    // Given a funded sender, when it sends 3 ether to BOB (no code), then balances move.
    let mut host = Host::new();
    host.fund(ALICE, eth(5));
    let out = host.call(ALICE, BOB, &[], eth(3));
    out.expect_ok("transfer");
    assert_eq!(host.balance(BOB), eth(3));
    assert_eq!(host.balance(ALICE), eth(2));
    assert_eq!(out.gas_used, 21_000);
}

#[test]
fn value_into_a_program_is_its_msg_value() {
    // Given a program, when called with 2 wei, then it sees msg_value = 2 and holds it.
    let (mut host, a, _) = setup();
    let out = host.call(ALICE, a, &Script::new().value().bytes(), U256::from(2));
    assert_eq!(out.expect_ok("value"), key(2).as_slice());
    assert_eq!(host.balance(a), U256::from(2));
}

#[test]
fn insufficient_balance_fails_without_changes() {
    // Given BOB has nothing, when he sends value, then the call fails and nothing moves.
    let (mut host, a, _) = setup();
    let out = host.call(BOB, a, &[], U256::from(1));
    assert_eq!(out.failure, Some(Failure::InsufficientBalance));
    assert_eq!(host.balance(a), U256::ZERO);
}

#[test]
fn program_sends_value_to_a_plain_account_and_a_program() {
    // Given A holds 10 wei, when it sends 3 to BOB and 4 to B (which echoes msg_value),
    let (mut host, a, b) = setup();
    host.fund(a, U256::from(10));
    let out = run(
        &mut host,
        a,
        Script::new()
            .call_raw(BOB, U256::from(3), &[])
            .call(b, U256::from(4), &Script::new().value())
            .return_data(),
    );
    // then both succeed, B saw 4, and balances moved.
    let data = out.expect_ok("sends");
    assert_eq!(&data[..2], [0, 0]);
    assert_eq!(&data[2..], key(4).as_slice());
    assert_eq!(host.balance(BOB), U256::from(3));
    assert_eq!(host.balance(b), U256::from(4));
    assert_eq!(host.balance(a), U256::from(3));
}

#[test]
fn program_value_call_beyond_its_balance_fails() {
    // Given A holds 1 wei, when it tries to send 2, then its call fails and nothing moves.
    let (mut host, a, _) = setup();
    host.fund(a, U256::from(1));
    let out = run(&mut host, a, Script::new().call_raw(BOB, U256::from(2), &[]));
    assert_eq!(out.expect_ok("outer"), [1]);
    assert_eq!(host.balance(BOB), U256::ZERO);
}

#[test]
fn value_sent_by_a_reverted_callee_returns() {
    // Given B forwards value to BOB then reverts, then BOB gets nothing.
    let (mut host, a, b) = setup();
    host.fund(b, U256::from(9));
    let callee = Script::new().call_raw(BOB, U256::from(9), &[]).revert();
    run(&mut host, a, Script::new().call(b, U256::ZERO, &callee)).expect_ok("outer");
    assert_eq!(host.balance(BOB), U256::ZERO);
    assert_eq!(host.balance(b), U256::from(9));
}

// --- message context and reentrancy ---------------------------------------------------------

#[test]
fn sender_and_origin_follow_the_call_chain() {
    // Given ALICE calls A which calls B, then B sees sender A and origin ALICE.
    let (mut host, a, b) = setup();
    let out = run(
        &mut host,
        a,
        Script::new().sender().call(b, U256::ZERO, &Script::new().sender().origin()).return_data(),
    );
    let data = out.expect_ok("chain");
    assert_eq!(&data[..20], ALICE.as_slice());
    assert_eq!(&data[21..41], a.as_slice());
    assert_eq!(&data[41..61], ALICE.as_slice());
}

#[test]
fn reentrant_flag_is_false_on_first_entry() {
    // Given a direct call, then msg_reentrant is false.
    let (mut host, a, _) = setup();
    assert_eq!(run(&mut host, a, Script::new().reentrant()).expect_ok("r"), [0]);
}

#[test]
fn reentrant_flag_is_true_when_reentered() {
    // Given A calls B which calls back into A, then the inner A sees msg_reentrant = true.
    let (mut host, a, b) = setup();
    let inner_a = Script::new().reentrant();
    let b_script = Script::new().call(a, U256::ZERO, &inner_a).return_data();
    let out = run(&mut host, a, Script::new().call(b, U256::ZERO, &b_script).return_data());
    // A's output: status of B (0), then B's output: status of A (0), A's reentrant byte (1).
    assert_eq!(out.expect_ok("reenter"), [0, 0, 1]);
}

#[test]
fn reentrant_flag_ignores_delegate_frames() {
    // Given A delegate-calls B's code, then that frame (acting as A) is not reentrant.
    let (mut host, a, b) = setup();
    let out = run(
        &mut host,
        a,
        Script::new().delegate_call(b, &Script::new().reentrant().0).return_data(),
    );
    assert_eq!(out.expect_ok("delegate"), [0, 0]);
}

#[test]
fn delegate_call_uses_the_callers_storage_sender_and_value() {
    // Given A (called with 5 wei) delegate-calls B's code which writes and reports context,
    let (mut host, a, b) = setup();
    let code = Script::new().sstore(3, 33).flush().sender().value().address();
    let out = host.call(
        ALICE,
        a,
        &Script::new().delegate_call(b, &code.0).return_data().bytes(),
        U256::from(5),
    );
    let data = out.expect_ok("delegate");
    // then the write lands in A, and the context is A's: sender ALICE, value 5, address A.
    assert_eq!(host.storage(a, U256::from(3)), word(33));
    assert_eq!(host.storage(b, U256::from(3)), B256::ZERO);
    assert_eq!(&data[1..21], ALICE.as_slice());
    assert_eq!(&data[21..53], key(5).as_slice());
    assert_eq!(&data[53..73], a.as_slice());
}

// --- return data -------------------------------------------------------------------------------

#[test]
fn return_data_of_the_last_call_is_readable() {
    // Given B returns "hello", when A reads the return data, then size 5 and the bytes.
    let (mut host, a, b) = setup();
    let out = run(
        &mut host,
        a,
        Script::new()
            .call(b, U256::ZERO, &Script::new().out(b"hello"))
            .return_data_size()
            .return_data(),
    );
    let data = out.expect_ok("ret");
    assert_eq!(data[0], 0);
    assert_eq!(&data[1..5], 5u32.to_le_bytes());
    assert_eq!(&data[5..], b"hello");
}

#[test]
fn revert_data_of_a_failed_callee_is_readable() {
    // Given B reverts with "no", then A reads "no" as return data.
    let (mut host, a, b) = setup();
    let out = run(
        &mut host,
        a,
        Script::new().call(b, U256::ZERO, &Script::new().out(b"no").revert()).return_data(),
    );
    assert_eq!(out.expect_ok("ret"), [1, b'n', b'o']);
}

#[test]
fn exit_early_returns_its_status() {
    // Given a program that outputs then exits early with 1, then the call reverts with data.
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().out(b"z").exit(1));
    assert_eq!(out.failure, Some(Failure::Reverted));
    assert_eq!(out.return_data, b"z");
}

// --- block, tx and account context ------------------------------------------------------------

#[test]
fn block_context_is_what_the_host_sets() {
    // Given a set clock and block number, when a program reads the block context,
    let (mut host, a, _) = setup();
    host.set_timestamp(1_800_000_000);
    host.set_block_number(123);
    let out = run(
        &mut host,
        a,
        Script::new()
            .timestamp()
            .number()
            .chain_id()
            .gas_limit()
            .basefee()
            .coinbase()
            .gas_price()
            .ink_price()
            .address(),
    );
    let d = out.expect_ok("ctx");
    // then it sees exactly those values and the defaults.
    let u64_at = |i: usize| u64::from_le_bytes(d[i..i + 8].try_into().expect("8 bytes"));
    assert_eq!(u64_at(0), 1_800_000_000);
    assert_eq!(u64_at(8), 123);
    assert_eq!(u64_at(16), 42_161);
    assert_eq!(u64_at(24), host.block().gas_limit);
    assert_eq!(&d[32..64], host.block().basefee.to_be_bytes::<32>());
    assert_eq!(&d[64..84], host.block().coinbase.as_slice());
    assert_eq!(&d[84..116], host.block().basefee.to_be_bytes::<32>());
    assert_eq!(&d[116..120], 10_000u32.to_le_bytes());
    assert_eq!(&d[120..140], a.as_slice());
}

#[test]
fn account_queries_report_balance_and_code() {
    // Given A, B and an empty BOB, when A queries them,
    let (mut host, a, b) = setup();
    host.fund(BOB, U256::from(77));
    let code = host.code(b).expect("code").to_vec();
    let out = run(
        &mut host,
        a,
        Script::new()
            .balance(BOB)
            .code_size(b)
            .code_hash(b)
            .code_hash(Address::repeat_byte(0x99))
            .code_hash(BOB)
            .code(b, 0, 8),
    );
    let d = out.expect_ok("queries");
    // then balance, code size, code hash (keccak of the code; zero for an empty account;
    // keccak("") for an account without code) and the code bytes are right.
    assert_eq!(&d[..32], U256::from(77).to_be_bytes::<32>());
    assert_eq!(&d[32..36], (code.len() as u32).to_le_bytes());
    assert_eq!(&d[36..68], stylus_host::B256::from(alloy_keccak(&code)).as_slice());
    assert_eq!(&d[68..100], [0u8; 32]);
    assert_eq!(&d[100..132], alloy_keccak(&[]).as_slice());
    assert_eq!(&d[132..], &code[..8]);
}

fn alloy_keccak(data: &[u8]) -> [u8; 32] {
    stylus_host::keccak256(data).0
}

#[test]
fn native_keccak_matches_the_known_digest() {
    // Given "abc", when hashed by the program, then 4e03657a…
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().keccak(b"abc"));
    assert_eq!(&out.expect_ok("keccak")[..4], [0x4e, 0x03, 0x65, 0x7a]);
}

#[test]
fn math_div_divides_and_returns_zero_for_zero_divisor() {
    // Given 100/7 and 5/0, then 14 and 0.
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().div(100, 7).div(5, 0));
    let d = out.expect_ok("div");
    assert_eq!(&d[..32], key(14).as_slice());
    assert_eq!(&d[32..], key(0).as_slice());
}

#[test]
fn transient_storage_lives_for_one_transaction() {
    // Given a transient store and load in one transaction, then the load sees it; the next
    // transaction sees zero.
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().tstore(1, 8).tload(1));
    assert_eq!(out.expect_ok("t"), key(8).as_slice());
    let out = run(&mut host, a, Script::new().tload(1));
    assert_eq!(out.expect_ok("t2"), key(0).as_slice());
}

#[test]
fn console_lines_are_collected() {
    // Given a debug print, then the outcome carries it.
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().log_text("hi there"));
    out.expect_ok("console");
    assert_eq!(out.console, vec!["hi there".to_string()]);
}

// --- precompiles --------------------------------------------------------------------------------

#[test]
fn sha256_precompile_answers_through_a_call() {
    // Given A calls 0x02 with "abc", then the digest ba7816bf… comes back.
    let (mut host, a, _) = setup();
    let out = run(
        &mut host,
        a,
        Script::new().call_raw(Address::with_last_byte(2), U256::ZERO, b"abc").return_data(),
    );
    let d = out.expect_ok("sha256");
    assert_eq!(&d[1..5], [0xba, 0x78, 0x16, 0xbf]);
    assert!(out.gas.precompiles >= 72);
}

#[test]
fn ecrecover_precompile_recovers_a_signer() {
    // Given a signature by a known key over a digest, when A calls 0x01, then the signer.
    use k256::ecdsa::SigningKey;
    let (mut host, a, _) = setup();
    let key = SigningKey::from_slice(&[5u8; 32]).expect("key");
    let digest = [0x42u8; 32];
    let (sig, recid) = key.sign_prehash_recoverable(&digest).expect("sign");
    let point = key.verifying_key().to_encoded_point(false);
    let signer = &stylus_host::keccak256(&point.as_bytes()[1..])[12..];
    let mut input = digest.to_vec();
    let mut v = [0u8; 32];
    v[31] = 27 + u8::from(recid.is_y_odd());
    input.extend_from_slice(&v);
    input.extend_from_slice(&sig.to_bytes());
    let out = run(
        &mut host,
        a,
        Script::new().call_raw(Address::with_last_byte(1), U256::ZERO, &input).return_data(),
    );
    let d = out.expect_ok("ecrecover");
    assert_eq!(&d[13..33], signer);
}

#[test]
fn unimplemented_precompile_aborts_loudly() {
    // Given a call to modexp (0x05), then the transaction aborts as unsupported.
    let (mut host, a, _) = setup();
    let out =
        run(&mut host, a, Script::new().call_raw(Address::with_last_byte(5), U256::ZERO, &[]));
    assert!(matches!(out.failure, Some(Failure::Unsupported(ref m)) if m.contains("modexp")));
}

#[test]
fn create_from_a_program_aborts_loudly() {
    // Given a program calling create1, then the transaction aborts as unsupported.
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().sstore(1, 1).flush().create1());
    assert!(matches!(out.failure, Some(Failure::Unsupported(ref m)) if m.contains("create1")));
    assert_eq!(host.storage(a, U256::from(1)), B256::ZERO);
}

// --- gas --------------------------------------------------------------------------------------

#[test]
fn infinite_loop_runs_out_of_gas() {
    // Given a spinning program and a 1M gas limit, then out of gas, all gas used.
    let (mut host, a, _) = setup();
    let out = host.call_with_gas(ALICE, a, &Script::new().spin().bytes(), U256::ZERO, 1_000_000);
    assert_eq!(out.failure, Some(Failure::OutOfGas));
    assert_eq!(out.gas_used, 1_000_000);
    assert_eq!(out.gas.gross(), 1_000_000);
}

#[test]
fn float_instructions_are_unaffordable_as_on_stylus() {
    // Given a program reaching a floating-point instruction (priced "unsupported" by
    // Stylus), then the frame runs out of gas.
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().float());
    assert_eq!(out.failure, Some(Failure::OutOfGas));
}

#[test]
fn gas_breakdown_adds_up_and_prices_a_new_slot() {
    // Given a write of a fresh slot, when flushed, then storage_write ≥ 22,100 (cold + set),
    // the categories add up to the gas used, and the entry was priced uncached.
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().sstore(9, 1).flush());
    out.expect_ok("write");
    let g = out.gas;
    assert!(g.storage_write >= 22_100, "{g}");
    assert_eq!(g.gross() - g.refund, out.gas_used);
    assert_eq!(g.entries_uncached, 1);
    assert_eq!(g.sstores, 1);
    assert!(g.compute > 0 && g.hostio > 0 && g.intrinsic > 21_000);
}

#[test]
fn cached_programs_enter_cheaper() {
    // Given the same call with and without the program cached, then the cached entry costs
    // less, by the init gas.
    let (mut host, a, _) = setup();
    let script = Script::new().sload(1).bytes();
    let uncached = host.call(ALICE, a, &script, U256::ZERO);
    host.cache_program(a);
    let cached = host.call(ALICE, a, &script, U256::ZERO);
    let info = host.program_info(a).expect("info");
    assert_eq!(cached.gas.entries_cached, 1);
    assert_eq!(uncached.gas.program_entry - cached.gas.program_entry, info.costs.init_gas());
}

#[test]
fn reentry_in_the_same_transaction_is_priced_cached() {
    // Given A calls B calls A, then A's second entry is cached (ArbOS recent-program cache).
    let (mut host, a, b) = setup();
    let b_script = Script::new().call(a, U256::ZERO, &Script::new());
    let out = run(&mut host, a, Script::new().call(b, U256::ZERO, &b_script));
    out.expect_ok("nested");
    assert_eq!(out.gas.entries_uncached, 1);
    assert_eq!(out.gas.entries_cached, 2);
}

#[test]
fn storage_refund_is_granted_and_capped() {
    // Given a slot set in one transaction, when cleared in the next, then a refund is
    // granted, capped at a fifth of the gas.
    let (mut host, a, _) = setup();
    run(&mut host, a, Script::new().sstore(1, 1).flush()).expect_ok("set");
    let out = run(&mut host, a, Script::new().sstore(1, 0).flush());
    out.expect_ok("clear");
    assert!(out.gas.refund > 0);
    assert!(out.gas.refund <= out.gas.gross() / 5);
}

#[test]
fn gas_left_decreases_and_ink_is_gas_times_10000() {
    // Given two gas readings and an ink reading, then they decrease and ink ≈ gas·10⁴.
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().gas_left().gas_left().ink_left());
    let d = out.expect_ok("gas");
    let at = |i: usize| u64::from_le_bytes(d[i..i + 8].try_into().expect("8"));
    assert!(at(0) > at(8));
    assert!(at(16) / 10_000 <= at(8));
    assert!(at(16) / 10_000 + 10 >= at(8));
}

#[test]
fn memory_growth_is_charged() {
    // Given a program growing its memory by 5 pages (beyond the 2 free), then memory gas.
    let (mut host, a, _) = setup();
    let out = run(&mut host, a, Script::new().grow(5));
    out.expect_ok("grow");
    assert!(out.gas.memory_growth >= 4 * 1_000, "{}", out.gas);
}

#[test]
fn callee_gas_is_limited_by_the_requested_amount() {
    // Given A gives a spinning B only 50,000 gas, then B runs out but A continues.
    let (mut host, a, b) = setup();
    let out =
        run(&mut host, a, Script::new().call_gas(b, U256::ZERO, 50_000, &Script::new().spin().0));
    assert_eq!(out.expect_ok("outer"), [1]);
    assert!(out.gas.burned > 0);
    assert!(out.gas_used < 200_000);
}

#[test]
fn identical_calls_cost_identical_gas() {
    // Given the same state twice, when the same call runs, then the same gas (determinism).
    let (mut host, a, _) = setup();
    let snapshot = host.snapshot();
    let script = Script::new().sstore(1, 1).flush().keccak(b"x").bytes();
    let first = host.call(ALICE, a, &script, U256::ZERO);
    host.restore(snapshot);
    let second = host.call(ALICE, a, &script, U256::ZERO);
    assert_eq!(first.gas, second.gas);
}

// --- activation and deployment --------------------------------------------------------------

#[test]
fn unknown_import_fails_at_deploy() {
    // Given a module importing a host function that does not exist, then deploy fails.
    let wasm = program(r#"(import "vm_hooks" "no_such_hook" (func (param i32)))"#, "(i32.const 0)");
    let err = Host::new().deploy(&wasm, None, U256::ZERO, ALICE).unwrap_err();
    assert!(matches!(err, DeployError::Activation(ref e) if e.0.contains("no_such_hook")));
}

#[test]
fn import_with_wrong_signature_fails_at_deploy() {
    // Given msg_sender imported as () -> i32, then deploy fails.
    let wasm = program(r#"(import "vm_hooks" "msg_sender" (func (result i32)))"#, "(i32.const 0)");
    let err = Host::new().deploy(&wasm, None, U256::ZERO, ALICE).unwrap_err();
    assert!(matches!(err, DeployError::Activation(ref e) if e.0.contains("msg_sender")));
}

#[test]
fn activation_rejects_a_start_function() {
    // Given a module with a start function, then deploy fails.
    let wasm = program("(func $s) (start $s)", "(i32.const 0)");
    let err = Host::new().deploy(&wasm, None, U256::ZERO, ALICE).unwrap_err();
    assert!(matches!(err, DeployError::Activation(ref e) if e.0.contains("start")));
}

#[test]
fn activation_rejects_reference_types() {
    // Given two tables (needs reference types), then deploy fails in validation.
    let wasm = program("(table 1 funcref) (table 1 funcref)", "(i32.const 0)");
    let err = Host::new().deploy(&wasm, None, U256::ZERO, ALICE).unwrap_err();
    assert!(matches!(err, DeployError::Activation(_)));
}

#[test]
fn activation_rejects_a_missing_entrypoint_or_memory() {
    // Given a module without user_entrypoint, and one without an exported memory, then both
    // fail.
    let no_entry = wat::parse_str(r#"(module (memory (export "memory") 1))"#).expect("wat");
    let no_memory = wat::parse_str(
        r#"(module (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#,
    )
    .expect("wat");
    let mut host = Host::new();
    assert!(host.deploy(&no_entry, None, U256::ZERO, ALICE).is_err());
    assert!(host.deploy(&no_memory, None, U256::ZERO, ALICE).is_err());
}

#[test]
fn activation_rejects_memory_init() {
    // Given a module using memory.init (bulk memory nitro does not support), then it fails.
    let wasm = program(
        r#"(data $d "abc")"#,
        "(memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (i32.const 0)",
    );
    let err = Host::new().deploy(&wasm, None, U256::ZERO, ALICE).unwrap_err();
    assert!(matches!(err, DeployError::Activation(_)));
}

#[test]
fn deploying_the_same_code_twice_gives_two_programs() {
    // Given the interpreter deployed twice, then two addresses share one activation.
    let (host, a, b) = setup();
    assert_ne!(a, b);
    assert_eq!(
        host.program_info(a).expect("a").code_hash,
        host.program_info(b).expect("b").code_hash
    );
    assert_eq!(host.nonce(a), 1);
}

/// A program whose "constructor" (any call) records msg.sender, tx.origin, msg.value and the
/// calldata length, and reverts when the fifth calldata byte is 0xff.
fn recorder() -> Vec<u8> {
    program(
        r#"
  (import "vm_hooks" "msg_sender" (func $msg_sender (param i32)))
  (import "vm_hooks" "tx_origin" (func $tx_origin (param i32)))
  (import "vm_hooks" "msg_value" (func $msg_value (param i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
"#,
        r#"
    (call $read_args (i32.const 0x1000))
    ;; slot keys 0..3 live at 0x100, 0x120, 0x140, 0x160 (memory starts zeroed)
    (i32.store8 (i32.const 0x13f) (i32.const 1))
    (i32.store8 (i32.const 0x15f) (i32.const 2))
    (i32.store8 (i32.const 0x17f) (i32.const 3))
    (call $msg_sender (i32.const 0x20c))
    (call $cache (i32.const 0x100) (i32.const 0x200))
    (call $tx_origin (i32.const 0x24c))
    (call $cache (i32.const 0x120) (i32.const 0x240))
    (call $msg_value (i32.const 0x280))
    (call $cache (i32.const 0x140) (i32.const 0x280))
    (i32.store8 (i32.const 0x2df) (local.get $len))
    (call $cache (i32.const 0x160) (i32.const 0x2c0))
    (call $flush (i32.const 0))
    (if (result i32) (i32.eq (i32.load8_u (i32.const 0x1004)) (i32.const 0xff))
      (then (i32.const 1))
      (else (i32.const 0)))
"#,
    )
}

#[test]
fn constructor_runs_through_the_stylus_deployer_with_value() {
    // Given constructor args and 7 wei, when deployed,
    let mut host = Host::new();
    host.fund(ALICE, U256::from(100));
    let d = host
        .deploy_detailed(&recorder(), Some(&[0xaa, 0xbb]), U256::from(7), ALICE)
        .expect("deploy");
    let at = |slot: u64| host.storage(d.address, U256::from(slot));
    // then the constructor saw msg.sender = StylusDeployer, tx.origin = ALICE, the value,
    // and selector ‖ args as calldata; the value moved from ALICE.
    assert_eq!(&at(0)[12..], STYLUS_DEPLOYER.as_slice());
    assert_eq!(&at(1)[12..], ALICE.as_slice());
    assert_eq!(at(2), word(7));
    assert_eq!(at(3), word(6));
    assert_eq!(host.balance(d.address), U256::from(7));
    assert_eq!(host.balance(ALICE), U256::from(93));
    assert!(d.constructor.expect("ran").gas_used > 21_000);
    assert_eq!(constructor_selector(), [0x55, 0x85, 0x25, 0x8d]);
}

#[test]
fn failing_constructor_rolls_the_deployment_back() {
    // Given constructor args that make it revert, when deployed with value,
    let mut host = Host::new();
    host.fund(ALICE, U256::from(100));
    let err = host.deploy(&recorder(), Some(&[0xff]), U256::from(7), ALICE).unwrap_err();
    // then deployment fails, no code remains, and the value stays with ALICE.
    let DeployError::ConstructorFailed(outcome) = err else {
        panic!("expected a constructor failure, got {err}");
    };
    assert_eq!(outcome.failure, Some(Failure::Reverted));
    let expected = stylus_host::create_address(STYLUS_DEPLOYER, 0);
    assert!(host.code(expected).is_none());
    assert_eq!(host.nonce(STYLUS_DEPLOYER), 0);
    assert_eq!(host.balance(ALICE), U256::from(100));
}

#[test]
fn value_without_constructor_is_refused() {
    // Given value but no constructor call, then the deployment is refused.
    let mut host = Host::new();
    host.fund(ALICE, U256::from(100));
    let err = host.deploy(&interpreter(), None, U256::from(1), ALICE).unwrap_err();
    assert!(matches!(err, DeployError::ValueWithoutConstructor));
}

#[test]
fn deploy_at_a_chosen_address() {
    // Given a chosen address, when deployed there, then the program answers there.
    let mut host = Host::new();
    let at = Address::repeat_byte(0x77);
    host.deploy_at(at, &interpreter(), None, U256::ZERO, ALICE).expect("deploy_at");
    let out = host.call(ALICE, at, &Script::new().address().bytes(), U256::ZERO);
    assert_eq!(out.expect_ok("address"), at.as_slice());
}

#[test]
fn every_hostio_of_stylus_sdk_0_9_is_provided() {
    // Given the 34 `vm_hooks` imports stylus-sdk 0.9 declares (src/hostio.rs), then the
    // host provides each of them.
    let sdk = [
        "account_balance",
        "account_code",
        "account_code_size",
        "account_codehash",
        "storage_load_bytes32",
        "storage_cache_bytes32",
        "storage_flush_cache",
        "block_basefee",
        "chainid",
        "block_coinbase",
        "block_gas_limit",
        "block_number",
        "block_timestamp",
        "call_contract",
        "contract_address",
        "create1",
        "create2",
        "delegate_call_contract",
        "emit_log",
        "evm_gas_left",
        "evm_ink_left",
        "pay_for_memory_grow",
        "msg_reentrant",
        "msg_sender",
        "msg_value",
        "native_keccak256",
        "read_args",
        "read_return_data",
        "write_result",
        "return_data_size",
        "static_call_contract",
        "tx_gas_price",
        "tx_ink_price",
        "tx_origin",
    ];
    let provided: Vec<_> = stylus_host::host_function_names().collect();
    for name in sdk {
        assert!(provided.contains(&("vm_hooks", name)), "{name} missing");
    }
    for name in ["log_txt", "log_i32", "log_i64", "log_f32", "log_f64"] {
        assert!(provided.contains(&("console", name)), "console {name} missing");
    }
}
