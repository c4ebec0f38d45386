//! `receive()`: stake through the deposit pool and wrap in one call.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolError;
use motsu::prelude::*;
use staking_common::{
    errors::{ContractStopped, ZeroAmount},
    events::{Transfer, TransferShares},
};

use super::{encoded, ether, Env};

#[motsu::test]
fn receive_stakes_and_mints_the_shares_the_pool_reports(alice: Address) {
    // Given the rate rose 10 % (a stake of 11 ether is worth 10 shares)
    let env = Env::new();
    env.stake(Address::from([7u8; 20]), ether(9));
    env.rebase_bp(1_000);
    let expected = env.token.sender(alice).get_shares_by_pooled_eth(ether(11)).motsu_unwrap();
    // When alice sends 11 ether to the share token
    alice.fund(ether(11));
    env.share.sender_and_value(alice, ether(11)).receive().motsu_unwrap();
    // Then the pool holds the ether, the share token holds the new shares and
    // alice holds as many units
    assert_eq!(env.pool.balance(), ether(11) + super::SEED + ether(9));
    assert_eq!(env.wrapped_shares(), expected);
    assert_eq!(env.share.sender(alice).balance_of(alice), expected);
    assert_eq!(env.supply(), expected);
}

#[motsu::test]
fn receive_logs_the_mint_and_the_rebase_token_logs_the_new_shares(alice: Address) {
    // Given a fresh pool at rate 1
    let env = Env::new();
    // When alice sends 2 ether to the share token
    alice.fund(ether(2));
    env.share.sender_and_value(alice, ether(2)).receive().motsu_unwrap();
    // Then the shares were minted to the share token, and the units to alice
    let share = env.share.address();
    env.token.assert_emitted(&TransferShares {
        from: Address::ZERO,
        to: share,
        sharesValue: ether(2),
    });
    env.share.assert_emitted(&Transfer { from: Address::ZERO, to: alice, value: ether(2) });
}

#[motsu::test]
fn receive_reverts_when_no_value_is_sent(alice: Address) {
    // Given a fresh share token
    let env = Env::new();
    let before = env.snapshot(&[alice]);
    // When alice calls it without value
    let err = env.share.sender(alice).receive().motsu_unwrap_err();
    // Then it reverts ZeroAmount and nothing changed
    assert_eq!(err, encoded(ZeroAmount {}));
    assert_eq!(env.snapshot(&[alice]), before);
}

#[motsu::test]
fn receive_reverts_with_the_pool_error_and_refunds_when_staking_is_paused(alice: Address) {
    // Given the deposit pool is paused
    let env = Env::new();
    env.pool.sender(env.admin).set_paused(true);
    alice.fund(ether(1));
    let before = env.snapshot(&[alice]);
    // When alice sends ether to the share token
    let err = env.share.sender_and_value(alice, ether(1)).receive().motsu_unwrap_err();
    // Then the pool's own error reaches her, her ether is back and nothing
    // else changed
    assert_eq!(err, ContractStopped {}.abi_encode());
    assert_eq!(env.snapshot(&[alice]), before);
    assert_eq!(env.share.balance(), U256::ZERO);
}
