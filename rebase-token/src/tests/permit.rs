//! EIP-2612 permit, the EIP-712 domain (ERC-5267) and ERC-1271 wallets.

use alloy_primitives::{keccak256, FixedBytes, B256, U256};
use alloy_signer::SignerSync;
use alloy_sol_types::{sol, SolCall, SolEvent, SolStruct, SolValue};
use motsu::prelude::*;
use staking_common::{
    errors::{InvalidSignature, PermitExpired, ZeroAddress},
    events::Approval,
    permit::{erc1271_input, SECP256K1_HALF_ORDER},
};

use super::{
    erc20::{last_events, stop},
    mocks::{mode, WalletMock},
    *,
};

sol! {
    /// The EIP-2612 struct, hashed by alloy independently of the token.
    struct Permit {
        address owner;
        address spender;
        uint256 value;
        uint256 nonce;
        uint256 deadline;
    }
}

/// motsu's fixed block timestamp.
const NOW: u64 = 1_735_689_600;
/// motsu's default chain id (Arbitrum One).
const CHAIN_ID: u64 = 42_161;

/// The digest `owner` signs, computed with alloy's EIP-712 implementation.
fn digest(
    world: &World,
    owner: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
    chain_id: u64,
) -> B256 {
    let eip712 = domain(world, chain_id);
    Permit { owner, spender: SPENDER, value, nonce, deadline }.eip712_signing_hash(&eip712)
}

/// `(v, r, s)` of `account`'s signature of `digest`.
fn sign(account: &Account, digest: B256) -> (u8, B256, B256) {
    let signature = account.signer().sign_hash_sync(&digest).expect("signing should work");
    (27 + u8::from(signature.v()), signature.r().into(), signature.s().into())
}

/// Alice's (an `Account`) world: funded, with her signature of a permit for
/// `SPENDER` of `value` until `deadline` at nonce 0 on `chain_id`.
fn signed(
    alice: &Account,
    value: U256,
    deadline: U256,
    chain_id: u64,
) -> (World, (u8, B256, B256)) {
    let world = World::funded(0);
    let d = digest(&world, alice.address(), value, U256::ZERO, deadline, chain_id);
    (world, sign(alice, d))
}

#[motsu::test]
fn permit_sets_the_allowance_consumes_the_nonce_and_emits_approval(alice: Account) {
    // Given Alice's signature of a permit.
    let deadline = U256::from(NOW + 60);
    let (world, (v, r, s)) = signed(&alice, eth(3), deadline, CHAIN_ID);
    let owner = alice.address();
    // When anyone submits it.
    world.token.sender(CAROL).permit(owner, SPENDER, eth(3), deadline, v, r, s).motsu_unwrap();
    // Then the allowance is set, the nonce consumed, Approval logged.
    assert_eq!(world.token.sender(CAROL).allowance(owner, SPENDER), eth(3));
    assert_eq!(world.token.sender(CAROL).nonces(owner), U256::from(1));
    assert_eq!(
        last_events(&world, 1),
        vec![Approval { owner, spender: SPENDER, value: eth(3) }.encode_log_data()]
    );
}

#[motsu::test]
fn permit_accepts_a_deadline_equal_to_now(alice: Account) {
    // Given a permit expiring this very second.
    let deadline = U256::from(NOW);
    let (world, (v, r, s)) = signed(&alice, eth(1), deadline, CHAIN_ID);
    // When it is submitted.
    world
        .token
        .sender(CAROL)
        .permit(alice.address(), SPENDER, eth(1), deadline, v, r, s)
        .motsu_unwrap();
    // Then it applies.
    assert_eq!(world.token.sender(CAROL).allowance(alice.address(), SPENDER), eth(1));
}

#[motsu::test]
fn permit_reverts_when_expired(alice: Account) {
    // Given a permit that expired a second ago.
    let deadline = U256::from(NOW - 1);
    let (world, (v, r, s)) = signed(&alice, eth(1), deadline, CHAIN_ID);
    let before = world.snapshot();
    // When it is submitted.
    let err = world
        .token
        .sender(CAROL)
        .permit(alice.address(), SPENDER, eth(1), deadline, v, r, s)
        .motsu_unwrap_err();
    // Then it reverts PermitExpired(deadline).
    world.assert_reverted(err, PermitExpired { deadline }.into(), &before);
    assert_eq!(world.token.sender(CAROL).nonces(alice.address()), U256::ZERO);
}

#[motsu::test]
fn permit_reverts_when_replayed(alice: Account) {
    // Given a permit already used.
    let deadline = U256::from(NOW + 60);
    let (world, (v, r, s)) = signed(&alice, eth(1), deadline, CHAIN_ID);
    let owner = alice.address();
    world.token.sender(CAROL).permit(owner, SPENDER, eth(1), deadline, v, r, s).motsu_unwrap();
    world.token.sender(owner).approve(SPENDER, U256::ZERO).motsu_unwrap();
    let before = world.snapshot();
    // When it is submitted again.
    let err = world
        .token
        .sender(CAROL)
        .permit(owner, SPENDER, eth(1), deadline, v, r, s)
        .motsu_unwrap_err();
    // Then it reverts InvalidSignature (its nonce is spent).
    world.assert_reverted(err, InvalidSignature {}.into(), &before);
}

#[motsu::test]
fn permit_reverts_with_a_high_s_signature(alice: Account) {
    // Given the malleated twin of a valid signature (s' = n - s, v flipped).
    let deadline = U256::from(NOW + 60);
    let (world, (v, r, s)) = signed(&alice, eth(1), deadline, CHAIN_ID);
    let n = SECP256K1_HALF_ORDER * U256::from(2) + U256::from(1);
    let high_s = B256::from(n - U256::from_be_bytes(s.0));
    let flipped_v = if v == 27 { 28 } else { 27 };
    let before = world.snapshot();
    // When it is submitted.
    let err = world
        .token
        .sender(CAROL)
        .permit(alice.address(), SPENDER, eth(1), deadline, flipped_v, r, high_s)
        .motsu_unwrap_err();
    // Then it reverts InvalidSignature.
    world.assert_reverted(err, InvalidSignature {}.into(), &before);
}

#[motsu::test]
fn permit_reverts_for_another_chain(alice: Account) {
    // Given a permit signed for chain 1.
    let deadline = U256::from(NOW + 60);
    let (world, (v, r, s)) = signed(&alice, eth(1), deadline, 1);
    let before = world.snapshot();
    // When it is submitted here (42161).
    let err = world
        .token
        .sender(CAROL)
        .permit(alice.address(), SPENDER, eth(1), deadline, v, r, s)
        .motsu_unwrap_err();
    // Then it reverts InvalidSignature.
    world.assert_reverted(err, InvalidSignature {}.into(), &before);
    // And after the chain id changes to 1 it is accepted (the domain follows the host).
    VM::context().set_chain_id(1);
    world
        .token
        .sender(CAROL)
        .permit(alice.address(), SPENDER, eth(1), deadline, v, r, s)
        .motsu_unwrap();
    VM::context().set_chain_id(CHAIN_ID);
}

#[motsu::test]
fn permit_reverts_with_a_bad_v_or_a_foreign_signer(alice: Account, mallory: Account) {
    // Given Alice's permit and Mallory's signature of the same digest.
    let deadline = U256::from(NOW + 60);
    let (world, (v, r, s)) = signed(&alice, eth(1), deadline, CHAIN_ID);
    let d = digest(&world, alice.address(), eth(1), U256::ZERO, deadline, CHAIN_ID);
    let (mv, mr, ms) = sign(&mallory, d);
    for (v, r, s) in [(v - 27, r, s), (29, r, s), (mv, mr, ms), (v, B256::ZERO, s)] {
        let before = world.snapshot();
        // When it is submitted for Alice.
        let err = world
            .token
            .sender(CAROL)
            .permit(alice.address(), SPENDER, eth(1), deadline, v, r, s)
            .motsu_unwrap_err();
        // Then it reverts InvalidSignature.
        world.assert_reverted(err, InvalidSignature {}.into(), &before);
    }
}

#[motsu::test]
fn permit_reverts_for_a_zero_spender(alice: Account) {
    // Given Alice's valid signature of a permit for the zero spender.
    let world = World::funded(0);
    let deadline = U256::from(NOW + 60);
    let eip712 = domain(&world, CHAIN_ID);
    let permit = Permit {
        owner: alice.address(),
        spender: Address::ZERO,
        value: eth(1),
        nonce: U256::ZERO,
        deadline,
    };
    let (v, r, s) = sign(&alice, permit.eip712_signing_hash(&eip712));
    let before = world.snapshot();
    // When it is submitted.
    let err = world
        .token
        .sender(CAROL)
        .permit(alice.address(), Address::ZERO, eth(1), deadline, v, r, s)
        .motsu_unwrap_err();
    // Then it reverts ZeroAddress and the nonce is not consumed.
    world.assert_reverted(err, ZeroAddress {}.into(), &before);
}

#[motsu::test]
fn permit_works_while_stopped(alice: Account) {
    // Given a stopped token and Alice's permit.
    let deadline = U256::from(NOW + 60);
    let (world, (v, r, s)) = signed(&alice, eth(2), deadline, CHAIN_ID);
    stop(&world);
    // When it is submitted.
    world
        .token
        .sender(CAROL)
        .permit(alice.address(), SPENDER, eth(2), deadline, v, r, s)
        .motsu_unwrap();
    // Then it applies.
    assert_eq!(world.token.sender(CAROL).allowance(alice.address(), SPENDER), eth(2));
}

/// A world with an ERC-1271 wallet in the given mode, the wallet's expected
/// `isValidSignature` calldata for a permit of 1 ETH, and `(v, r, s)`.
fn wallet_world(wallet: &Contract<WalletMock>, answer: u8) -> (World, U256, (u8, B256, B256)) {
    let world = World::funded(0);
    let deadline = U256::from(NOW + 60);
    let d = digest(&world, wallet.address(), eth(1), U256::ZERO, deadline, CHAIN_ID);
    let (v, r, s) = (27, B256::repeat_byte(0x0a), B256::repeat_byte(0x0b));
    let expected = keccak256(erc1271_input(d, v, r, s));
    wallet.sender(ADMIN).set_mode(answer, expected);
    (world, deadline, (v, r, s))
}

#[motsu::test]
fn permit_accepts_an_erc1271_wallet_returning_the_magic_value(wallet: Contract<WalletMock>) {
    // Given a wallet that accepts exactly isValidSignature(digest, r‖s‖v).
    let (world, deadline, (v, r, s)) = wallet_world(&wallet, mode::MAGIC);
    let owner = wallet.address();
    // When its permit is submitted.
    world.token.sender(CAROL).permit(owner, SPENDER, eth(1), deadline, v, r, s).motsu_unwrap();
    // Then it applies and consumes the wallet's nonce.
    assert_eq!(world.token.sender(CAROL).allowance(owner, SPENDER), eth(1));
    assert_eq!(world.token.sender(CAROL).nonces(owner), U256::from(1));
    // And the same permit with another signature is rejected by the wallet.
    let err = world
        .token
        .sender(CAROL)
        .permit(owner, SPENDER, eth(1), deadline, v, r, B256::repeat_byte(1))
        .motsu_unwrap_err();
    assert_eq!(err, InvalidSignature {}.into());
}

#[motsu::test]
fn permit_rejects_erc1271_answers_that_are_not_exactly_the_magic_word(
    wallet: Contract<WalletMock>,
) {
    for answer in [mode::WRONG_MAGIC, mode::SHORT, mode::DIRTY, mode::LONG, mode::REVERT] {
        // Given a wallet answering wrong magic / short / dirty / long data / a revert.
        let (world, deadline, (v, r, s)) = wallet_world(&wallet, answer);
        let before = world.snapshot();
        // When its permit is submitted.
        let err = world
            .token
            .sender(CAROL)
            .permit(wallet.address(), SPENDER, eth(1), deadline, v, r, s)
            .motsu_unwrap_err();
        // Then it reverts InvalidSignature.
        world.assert_reverted(err, InvalidSignature {}.into(), &before);
    }
}

#[motsu::test]
fn nonces_start_at_zero() {
    // Given a token.
    let world = World::funded(0);
    // Then every nonce is zero.
    assert_eq!(world.token.sender(ALICE).nonces(ALICE), U256::ZERO);
}

#[motsu::test]
fn domain_separator_is_the_eip712_hash_of_the_domain() {
    // Given a token.
    let world = World::funded(0);
    let here = domain(&world, CHAIN_ID);
    // Then DOMAIN_SEPARATOR matches alloy's hash of the domain.
    assert_eq!(world.token.sender(ALICE).domain_separator_abi(), here.hash_struct());
    // And it follows the chain id.
    VM::context().set_chain_id(1);
    let other = domain(&world, 1);
    assert_eq!(world.token.sender(ALICE).domain_separator_abi(), other.hash_struct());
    VM::context().set_chain_id(CHAIN_ID);
}

#[motsu::test]
fn eip712_domain_is_the_erc5267_tuple() {
    // Given a token.
    let world = World::funded(0);
    // When eip712Domain()'s return data is decoded as ERC-5267's 7-tuple.
    let words = world.token.sender(ALICE).eip712_domain();
    let data: Vec<u8> = words.iter().flat_map(|w| w.0).collect();
    let domain = super::abi::IERC5267::eip712DomainCall::abi_decode_returns(&data, true)
        .expect("the return data should be the ERC-5267 tuple");
    // Then it is (0x0f, name, "2", chainId, this, 0, []), encoded canonically.
    assert_eq!(domain.fields, FixedBytes([0x0f]));
    assert_eq!(domain.name, NAME);
    assert_eq!(domain.version, "2");
    assert_eq!(domain.chainId, U256::from(CHAIN_ID));
    assert_eq!(domain.verifyingContract, world.token.address());
    assert_eq!(domain.salt, B256::ZERO);
    assert!(domain.extensions.is_empty());
    let canonical = (
        FixedBytes([0x0f]),
        NAME.to_string(),
        "2".to_string(),
        U256::from(CHAIN_ID),
        world.token.address(),
        B256::ZERO,
        Vec::<U256>::new(),
    )
        .abi_encode_params();
    assert_eq!(data, canonical);
    // And getEIP712StETH() is the token itself.
    assert_eq!(world.token.sender(ALICE).get_eip712_steth(), world.token.address());
}
