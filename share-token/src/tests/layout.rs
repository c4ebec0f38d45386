//! The storage layout written in the module documentation, pinned slot by
//! slot (raw reads through the host, as a storage reader or an upgrade
//! review would see them).

use alloy_primitives::{keccak256, Address, B256, U256};
use motsu::prelude::*;
use stylus_sdk::{host::WasmVM, prelude::StorageAccess};

use super::{
    ether,
    permit::{current_digest, deadline, sign},
    Env, NAME, SYMBOL,
};

/// The raw word at `slot` of the share token.
fn word(env: &Env, slot: U256) -> B256 {
    // A harmless call leaves motsu's context pointed at the share token, so
    // the host's storage read below reads the share token's storage.
    let _ = env.share.sender(env.admin).decimals();
    WasmVM {}.storage_load_bytes32(slot)
}

/// The slot of `mapping[key]` for a mapping at `slot` (Solidity's rule).
fn mapping_slot(key: Address, slot: U256) -> U256 {
    let mut preimage = [0u8; 64];
    preimage[12..32].copy_from_slice(key.as_slice());
    preimage[32..].copy_from_slice(&slot.to_be_bytes::<32>());
    U256::from_be_bytes(keccak256(preimage).0)
}

#[motsu::test]
fn slot_0_packs_the_rebase_token_and_the_total_supply(alice: Address) {
    // Given alice wrapped 4 ether at rate 1
    let env = Env::new();
    env.stake_and_approve(alice, ether(4));
    env.share.sender(alice).wrap(ether(4)).motsu_unwrap();
    // Then slot 0 is supply << 160 | rebase token
    let expected = (ether(4) << 160usize) | U256::from_be_slice(env.token.address().as_slice());
    assert_eq!(U256::from_be_bytes(word(&env, U256::ZERO).0), expected);
}

#[motsu::test]
fn balances_allowances_and_nonces_are_mappings_at_slots_1_to_3(alice: Account, bob: Address) {
    // Given alice holds units, allows bob some and used a permit nonce
    let env = Env::new();
    let owner = alice.address();
    env.stake_and_approve(owner, ether(4));
    env.share.sender(owner).wrap(ether(4)).motsu_unwrap();
    let (v, r, s) = sign(&alice, current_digest(&env, owner, bob, ether(3), deadline()));
    env.share.sender(bob).permit(owner, bob, ether(3), deadline(), v, r, s).motsu_unwrap();
    // Then balances[alice] is at keccak(alice, 1), allowances[alice][bob]
    // at keccak(bob, keccak(alice, 2)) and nonces[alice] at keccak(alice, 3)
    let balance = word(&env, mapping_slot(owner, U256::from(1)));
    assert_eq!(U256::from_be_bytes(balance.0), ether(4));
    let allowance = word(&env, mapping_slot(bob, mapping_slot(owner, U256::from(2))));
    assert_eq!(U256::from_be_bytes(allowance.0), ether(3));
    let nonce = word(&env, mapping_slot(owner, U256::from(3)));
    assert_eq!(U256::from_be_bytes(nonce.0), U256::from(1));
}

#[motsu::test]
fn pool_name_hash_name_and_symbol_are_at_slots_4_to_7() {
    // Given a constructed share token
    let env = Env::new();
    // Then slot 4 is the deposit pool, slot 5 keccak256(name), and slots 6
    // and 7 hold name and symbol as Solidity short strings
    assert_eq!(word(&env, U256::from(4)), env.pool.address().into_word());
    assert_eq!(word(&env, U256::from(5)), keccak256(NAME));
    let name = word(&env, U256::from(6));
    assert_eq!(&name[..NAME.len()], NAME.as_bytes());
    assert_eq!(usize::from(name[31]), NAME.len() * 2);
    let symbol = word(&env, U256::from(7));
    assert_eq!(&symbol[..SYMBOL.len()], SYMBOL.as_bytes());
    assert_eq!(usize::from(symbol[31]), SYMBOL.len() * 2);
}
