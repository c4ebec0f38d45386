//! ABI pin: calls encoded from wstETH's Solidity signatures (alloy `sol!`)
//! reach the intended functions through the program's router, and answers
//! decode as wstETH's return types. A renamed selector or a changed return
//! type fails here.

use alloy_primitives::{Address, FixedBytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError};
use motsu::prelude::*;
use staking_common::errors::InvalidSignature;
use stylus_sdk::abi::Bytes;

use super::{ether, Env, RawCaller, NAME, SYMBOL};

sol! {
    /// wstETH's ABI (`reference/lido-abi/wsteth.txt`) plus ERC-5267.
    interface IWstETH {
        function getStETHByWstETH(uint256) external view returns (uint256);
        function getWstETHByStETH(uint256) external view returns (uint256);
        function stETH() external view returns (address);
        function stEthPerToken() external view returns (uint256);
        function tokensPerStEth() external view returns (uint256);
        function unwrap(uint256) external returns (uint256);
        function wrap(uint256) external returns (uint256);
        function allowance(address, address) external view returns (uint256);
        function approve(address, uint256) external returns (bool);
        function balanceOf(address) external view returns (uint256);
        function decimals() external view returns (uint8);
        function decreaseAllowance(address, uint256) external returns (bool);
        function increaseAllowance(address, uint256) external returns (bool);
        function name() external view returns (string);
        function symbol() external view returns (string);
        function totalSupply() external view returns (uint256);
        function transfer(address, uint256) external returns (bool);
        function transferFrom(address, address, uint256) external returns (bool);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
        function nonces(address) external view returns (uint256);
        function permit(address, address, uint256, uint256, uint8, bytes32, bytes32) external;
        function eip712Domain() external view returns (bytes1, string, string, uint256, address, bytes32, uint256[]);
    }
}

use IWstETH::*;

/// Calls the share token through `caller` with `call`'s ABI encoding and
/// decodes the answer as `call`'s return type.
fn call<C: SolCall>(env: &Env, caller: &Contract<RawCaller>, call: &C) -> C::Return {
    let out = caller
        .sender(env.admin)
        .call_raw(env.share.address(), Bytes::from(call.abi_encode()))
        .motsu_unwrap();
    C::abi_decode_returns(&out, true).expect("the answer should decode as wstETH's")
}

/// An environment with `caller` holding 10 stETH approved to the share token.
fn funded(caller: &Contract<RawCaller>) -> Env {
    let env = Env::new();
    env.stake_and_approve(caller.address(), ether(10));
    env
}

#[test]
fn wsteth_selectors_are_lido_s() {
    // Given the Solidity signatures, then the selectors are the deployed
    // wstETH's (0x7f39…2Ca0)
    assert_eq!(wrapCall::SELECTOR, [0xea, 0x59, 0x8c, 0xb0]);
    assert_eq!(unwrapCall::SELECTOR, [0xde, 0x0e, 0x9a, 0x3e]);
    assert_eq!(getWstETHByStETHCall::SELECTOR, [0xb0, 0xe3, 0x89, 0x00]);
    assert_eq!(getStETHByWstETHCall::SELECTOR, [0xbb, 0x29, 0x52, 0xfc]);
    assert_eq!(stEthPerTokenCall::SELECTOR, [0x03, 0x5f, 0xaf, 0x82]);
    assert_eq!(tokensPerStEthCall::SELECTOR, [0x95, 0x76, 0xa0, 0xc8]);
    assert_eq!(stETHCall::SELECTOR, [0xc1, 0xfe, 0x3e, 0x48]);
    assert_eq!(DOMAIN_SEPARATORCall::SELECTOR, [0x36, 0x44, 0xe5, 0x15]);
    assert_eq!(permitCall::SELECTOR, [0xd5, 0x05, 0xac, 0xcf]);
}

#[motsu::test]
fn wrap_unwrap_and_views_are_reached_by_wsteth_calldata(caller: Contract<RawCaller>) {
    // Given a dapp contract holding stETH approved to the share token
    let env = funded(&caller);
    let me = caller.address();
    // When it wraps 4 stETH through the Solidity ABI
    let units = call(&env, &caller, &wrapCall { _0: ether(4) })._0;
    // Then the ERC-20 and conversion views answer through the ABI too
    assert_eq!(units, ether(4));
    assert_eq!(call(&env, &caller, &balanceOfCall { _0: me })._0, ether(4));
    assert_eq!(call(&env, &caller, &totalSupplyCall {})._0, ether(4));
    assert_eq!(call(&env, &caller, &getWstETHByStETHCall { _0: ether(2) })._0, ether(2));
    assert_eq!(call(&env, &caller, &getStETHByWstETHCall { _0: ether(3) })._0, ether(3));
    assert_eq!(call(&env, &caller, &stEthPerTokenCall {})._0, ether(1));
    assert_eq!(call(&env, &caller, &tokensPerStEthCall {})._0, ether(1));
    assert_eq!(call(&env, &caller, &stETHCall {})._0, env.token.address());
    // And unwrap returns the stETH value
    assert_eq!(call(&env, &caller, &unwrapCall { _0: ether(1) })._0, ether(1));
    assert_eq!(call(&env, &caller, &balanceOfCall { _0: me })._0, ether(3));
}

#[motsu::test]
fn erc20_functions_are_reached_by_erc20_calldata(caller: Contract<RawCaller>, bob: Address) {
    // Given a dapp contract holding wrapped units
    let env = funded(&caller);
    let me = caller.address();
    call(&env, &caller, &wrapCall { _0: ether(5) });
    // Then metadata answers with wstETH's types
    assert_eq!(call(&env, &caller, &nameCall {})._0, NAME);
    assert_eq!(call(&env, &caller, &symbolCall {})._0, SYMBOL);
    assert_eq!(call(&env, &caller, &decimalsCall {})._0, 18);
    // And approvals, transfers and transferFrom work through the ABI
    assert!(call(&env, &caller, &approveCall { _0: bob, _1: ether(3) })._0);
    assert!(call(&env, &caller, &increaseAllowanceCall { _0: bob, _1: ether(2) })._0);
    assert!(call(&env, &caller, &decreaseAllowanceCall { _0: bob, _1: ether(1) })._0);
    assert_eq!(call(&env, &caller, &allowanceCall { _0: me, _1: bob })._0, ether(4));
    assert!(call(&env, &caller, &transferCall { _0: bob, _1: ether(1) })._0);
    assert_eq!(call(&env, &caller, &balanceOfCall { _0: bob })._0, ether(1));
    env.share.sender(me).approve(me, ether(1)).motsu_unwrap();
    assert!(call(&env, &caller, &transferFromCall { _0: me, _1: bob, _2: ether(1) })._0);
    assert_eq!(call(&env, &caller, &balanceOfCall { _0: bob })._0, ether(2));
}

#[motsu::test]
fn permit_functions_are_reached_by_eip2612_and_erc5267_calldata(caller: Contract<RawCaller>) {
    // Given a share token
    let env = Env::new();
    // Then DOMAIN_SEPARATOR, nonces and eip712Domain answer through the ABI
    let separator = env.share.sender(env.admin).domain_separator();
    assert_eq!(call(&env, &caller, &DOMAIN_SEPARATORCall {})._0, separator);
    assert_eq!(call(&env, &caller, &noncesCall { _0: env.admin })._0, U256::ZERO);
    let domain = call(&env, &caller, &eip712DomainCall {});
    assert_eq!(domain._0, FixedBytes([0x0f]));
    assert_eq!(domain._1, NAME);
    assert_eq!(domain._2, "1");
    assert_eq!(domain._4, env.share.address());
    // And permit is reached: a garbage signature reverts InvalidSignature()
    let permit = permitCall {
        _0: env.admin,
        _1: caller.address(),
        _2: ether(1),
        _3: U256::MAX,
        _4: 27,
        _5: B256::repeat_byte(1),
        _6: B256::repeat_byte(2),
    };
    let err = caller
        .sender(env.admin)
        .call_raw(env.share.address(), Bytes::from(permit.abi_encode()))
        .motsu_unwrap_err();
    assert_eq!(err, InvalidSignature {}.abi_encode());
}

#[motsu::test]
fn plain_ether_is_staked_and_wrapped(caller: Contract<RawCaller>, alice: Address) {
    // Given a fresh share token at rate 1
    let env = Env::new();
    alice.fund(ether(3));
    // When a contract sends it 3 ether with empty calldata
    caller
        .sender_and_value(alice, ether(3))
        .call_raw(env.share.address(), Bytes::from(Vec::new()))
        .motsu_unwrap();
    // Then receive() staked them and the sender holds 3 units
    assert_eq!(env.share.sender(alice).balance_of(caller.address()), ether(3));
    assert_eq!(env.wrapped_shares(), ether(3));
}

#[motsu::test]
fn unknown_calldata_with_value_reverts(caller: Contract<RawCaller>, alice: Address) {
    // Given a share token (no fallback)
    let env = Env::new();
    alice.fund(ether(1));
    let before = env.snapshot(&[caller.address()]);
    // When a contract sends ether with a selector it does not have
    let unknown = Bytes::from(vec![0xde, 0xad, 0xbe, 0xef]);
    let result = caller.sender_and_value(alice, ether(1)).call_raw(env.share.address(), unknown);
    // Then the call reverts and nothing changed
    result.motsu_unwrap_err();
    assert_eq!(env.snapshot(&[caller.address()]), before);
}

#[motsu::test]
fn value_sent_to_a_non_payable_function_reverts(caller: Contract<RawCaller>, alice: Address) {
    // Given a share token
    let env = Env::new();
    alice.fund(ether(1));
    let before = env.snapshot(&[caller.address()]);
    // When a contract sends ether along with totalSupply()
    let data = Bytes::from(totalSupplyCall {}.abi_encode());
    let result = caller.sender_and_value(alice, ether(1)).call_raw(env.share.address(), data);
    // Then the call reverts and nothing changed
    result.motsu_unwrap_err();
    assert_eq!(env.snapshot(&[caller.address()]), before);
}

#[motsu::test]
fn the_constructor_cannot_run_twice(caller: Contract<RawCaller>) {
    // Given a share token constructed through its deployment entry point
    let env = Env::unconstructed();
    let args = alloy_sol_types::SolValue::abi_encode_params(&(
        NAME.to_string(),
        SYMBOL.to_string(),
        env.token.address(),
        env.pool.address(),
    ));
    let mut data = stylus_sdk::abi::CONSTRUCTOR_SELECTOR.to_be_bytes().to_vec();
    data.extend_from_slice(&args);
    caller
        .sender(env.admin)
        .call_raw(env.share.address(), Bytes::from(data.clone()))
        .motsu_unwrap();
    assert_eq!(env.share.sender(env.admin).st_eth(), env.token.address());
    // When the constructor is called again with another rebase token
    let other = Address::repeat_byte(9);
    let args = alloy_sol_types::SolValue::abi_encode_params(&(
        NAME.to_string(),
        SYMBOL.to_string(),
        other,
        env.pool.address(),
    ));
    data.truncate(4);
    data.extend_from_slice(&args);
    let result = caller.sender(env.admin).call_raw(env.share.address(), Bytes::from(data));
    // Then it reverts and the rebase token is unchanged
    result.motsu_unwrap_err();
    assert_eq!(env.share.sender(env.admin).st_eth(), env.token.address());
}

#[motsu::test]
fn unknown_calldata_without_value_reverts(caller: Contract<RawCaller>) {
    // Given a share token
    let env = Env::new();
    let before = env.snapshot(&[caller.address()]);
    // When a contract calls a selector it does not have
    let result = caller
        .sender(env.admin)
        .call_raw(env.share.address(), Bytes::from(vec![0xde, 0xad, 0xbe, 0xef, 0, 1]));
    // Then it reverts (the fallback answers only eip712Domain()) and nothing
    // changed. (motsu replaces empty revert data with a message and cannot
    // route calldata shorter than a selector; the embedded host covers both.)
    result.motsu_unwrap_err();
    assert_eq!(env.snapshot(&[caller.address()]), before);
}

#[motsu::test]
fn eip712_domain_refuses_value(caller: Contract<RawCaller>, alice: Address) {
    // Given a share token
    let env = Env::new();
    alice.fund(ether(1));
    let before = env.snapshot(&[caller.address()]);
    // When a contract sends ether with eip712Domain()
    let data = Bytes::from(eip712DomainCall {}.abi_encode());
    let result = caller.sender_and_value(alice, ether(1)).call_raw(env.share.address(), data);
    // Then the call reverts (it is a view) and nothing changed
    result.motsu_unwrap_err();
    assert_eq!(env.snapshot(&[caller.address()]), before);
}

#[test]
fn eip712_domain_selector_is_erc5267_s() {
    // Given ERC-5267's signature, then the constant routed by the fallback
    // is its selector (0x84b0196e)
    assert_eq!(crate::EIP712_DOMAIN_SELECTOR, eip712DomainCall::SELECTOR);
    assert_eq!(crate::EIP712_DOMAIN_SELECTOR, [0x84, 0xb0, 0x19, 0x6e]);
}

/// `name(type,…)` of every `function` line of the checked-in `abi.sol`.
fn abi_sol_signatures() -> Vec<String> {
    include_str!("../../abi.sol")
        .lines()
        .map(str::trim)
        .filter_map(|line| line.strip_prefix("function "))
        .map(|rest| {
            let (name, rest) = rest.split_once('(').expect("a function has parameters");
            let params = rest.split_once(')').expect("parameters close").0;
            let types: Vec<&str> = params
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| p.split_whitespace().next().expect("a parameter has a type"))
                .collect();
            format!("{name}({})", types.join(","))
        })
        .collect()
}

#[test]
fn abi_sol_lists_exactly_wsteth_s_functions_and_eip712_domain() {
    // Given the checked-in abi.sol and wstETH's signatures (plus ERC-5267)
    let mut listed: Vec<[u8; 4]> = abi_sol_signatures()
        .iter()
        .map(|s| alloy_primitives::keccak256(s.as_bytes())[..4].try_into().expect("4 bytes"))
        .collect();
    let mut expected = IWstETHCalls::SELECTORS.to_vec();
    listed.sort_unstable();
    expected.sort_unstable();
    // Then their selectors are the same set
    assert_eq!(listed, expected);
}

#[motsu::test]
fn every_abi_sol_function_reaches_a_function(caller: Contract<RawCaller>) {
    // Given a share token
    let env = Env::new();
    for signature in abi_sol_signatures() {
        // When each function is called with zero arguments (all are static)
        let arity = signature.matches(',').count() + usize::from(!signature.ends_with("()"));
        let mut data = alloy_primitives::keccak256(signature.as_bytes())[..4].to_vec();
        data.resize(4 + 32 * arity, 0);
        let result = caller.sender(env.admin).call_raw(env.share.address(), Bytes::from(data));
        // Then the router found it: it answered, or reverted with its own
        // error (motsu reports a selector it cannot route as a message)
        if let Err(err) = result.motsu_res() {
            let message = String::from_utf8_lossy(&err);
            assert!(!message.contains("function not found"), "{signature} is not routed");
        }
    }
}
