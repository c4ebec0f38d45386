//! ABI pin: calldata encoded by alloy `sol!` from stETH's Solidity
//! signatures (`lido-abi/steth.txt`, plus Lido V3's
//! `getPooledEthBySharesRoundUp`, ERC-5267, OpenZeppelin `IAccessControl`
//! and the protocol entries of `IRebaseToken`) is sent as raw bytes through
//! a probe contract, so it reaches the token's SDK router exactly as a dapp
//! call would; each answer is decoded with the Solidity return types and
//! compared with the direct call. A renamed function, a wrong selector
//! override or a changed argument type fails here.

use alloy_primitives::{keccak256, Bytes, FixedBytes, B256, U256};
use alloy_signer::SignerSync;
use alloy_sol_types::{sol, SolCall, SolEvent, SolStruct, SolValue};
use motsu::prelude::*;
use staking_common::{
    events::{Approval, Resumed, SharesBurnt, Stopped, TokenRebased, Transfer, TransferShares},
    roles::{DEFAULT_ADMIN_ROLE, PAUSE_ROLE, RESUME_ROLE},
};

use super::{mocks::AbiProbe, *};

sol! {
    /// stETH's external functions as `lido-abi/steth.txt` lists them (the
    /// ones this program implements) plus V3's round-up converter.
    #[allow(missing_docs)]
    interface IStETH {
        function allowance(address _owner, address _spender) external view returns (uint256);
        function approve(address _spender, uint256 _amount) external returns (bool);
        function balanceOf(address _account) external view returns (uint256);
        function decimals() external pure returns (uint8);
        function decreaseAllowance(address _spender, uint256 _subtractedValue) external returns (bool);
        function increaseAllowance(address _spender, uint256 _addedValue) external returns (bool);
        function name() external pure returns (string);
        function symbol() external pure returns (string);
        function totalSupply() external view returns (uint256);
        function transfer(address _recipient, uint256 _amount) external returns (bool);
        function transferFrom(address _sender, address _recipient, uint256 _amount) external returns (bool);
        function getPooledEthByShares(uint256 _sharesAmount) external view returns (uint256);
        function getPooledEthBySharesRoundUp(uint256 _sharesAmount) external view returns (uint256);
        function getSharesByPooledEth(uint256 _ethAmount) external view returns (uint256);
        function getTotalPooledEther() external view returns (uint256);
        function getTotalShares() external view returns (uint256);
        function sharesOf(address _account) external view returns (uint256);
        function transferShares(address _recipient, uint256 _sharesAmount) external returns (uint256);
        function transferSharesFrom(address _sender, address _recipient, uint256 _sharesAmount) external returns (uint256);
        function isStopped() external view returns (bool);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
        function getEIP712StETH() external view returns (address);
        function nonces(address owner) external view returns (uint256);
        function permit(address _owner, address _spender, uint256 _value, uint256 _deadline, uint8 _v, bytes32 _r, bytes32 _s) external;
        function PAUSE_ROLE() external view returns (bytes32);
        function RESUME_ROLE() external view returns (bytes32);
        function stop() external;
        function resume() external;
        function submit(address _referral) external payable returns (uint256);
        function getOracle() external view returns (address);
    }

    /// ERC-5267 (stETH returns a 4-tuple; see the module docs).
    #[allow(missing_docs)]
    interface IERC5267 {
        function eip712Domain() external view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions);
    }

    /// OpenZeppelin `IAccessControl` + the admin role getter.
    #[allow(missing_docs)]
    interface IAccessControl {
        function DEFAULT_ADMIN_ROLE() external view returns (bytes32);
        function hasRole(bytes32 role, address account) external view returns (bool);
        function getRoleAdmin(bytes32 role) external view returns (bytes32);
        function grantRole(bytes32 role, address account) external;
        function revokeRole(bytes32 role, address account) external;
        function renounceRole(bytes32 role, address callerConfirmation) external;
    }

    /// The protocol's own entries (`staking_common::interfaces::IRebaseToken`).
    #[allow(missing_docs)]
    interface IProtocol {
        function transferFromReturningShares(address from, address to, uint256 amount) external returns (uint256);
        function mintShares(address recipient, uint256 etherAmount) external returns (uint256);
        function rebase(uint256 reportTimestamp, uint256 timeElapsed, uint256 postTotalPooledEther, uint256 sharesToBurn, address treasury, uint256 treasuryShares, address operatorRecipient, uint256 operatorShares) external returns (uint256);
        function setProtocolContracts(address depositPool, address oracle, address withdrawalQueue) external;
        function getDepositPool() external view returns (address);
        function getWithdrawalQueue() external view returns (address);
    }

    /// EIP-2612's struct.
    struct Permit {
        address owner;
        address spender;
        uint256 value;
        uint256 nonce;
        uint256 deadline;
    }
}

/// Sends `call` from the probe (with `value`) and decodes the answer.
fn via<C: SolCall>(probe: &Contract<AbiProbe>, world: &World, value: U256, call: C) -> C::Return {
    let caller = Address::from([0xca; 20]);
    caller.fund(value);
    let out = probe
        .sender_and_value(caller, value)
        .forward(world.token.address(), call.abi_encode().into())
        .motsu_expect("the router should reach the function");
    C::abi_decode_returns(&out, true).expect("the answer should decode as the Solidity type")
}

#[motsu::test]
fn steth_views_are_routed_by_their_solidity_signatures(probe: Contract<AbiProbe>) {
    // Given a funded token after a +5 % rebase; the probe holds 2 ETH and an allowance.
    let world = World::funded(5);
    let p = probe.address();
    world.mint(p, eth(2));
    world.token.sender(ALICE).approve(p, eth(1)).motsu_unwrap();
    let t = &world.token;
    let x = eth(1) + U256::from(3);
    // Then every view answers through its stETH selector as the direct call does.
    assert_eq!(via(&probe, &world, U256::ZERO, IStETH::nameCall {})._0, NAME);
    assert_eq!(via(&probe, &world, U256::ZERO, IStETH::symbolCall {})._0, SYMBOL);
    assert_eq!(via(&probe, &world, U256::ZERO, IStETH::decimalsCall {})._0, 18);
    assert_eq!(
        via(&probe, &world, U256::ZERO, IStETH::totalSupplyCall {})._0,
        t.sender(ALICE).total_supply()
    );
    assert_eq!(
        via(&probe, &world, U256::ZERO, IStETH::balanceOfCall { _account: p })._0,
        world.balance(p)
    );
    assert_eq!(
        via(&probe, &world, U256::ZERO, IStETH::allowanceCall { _owner: ALICE, _spender: p })._0,
        eth(1)
    );
    assert_eq!(
        via(&probe, &world, U256::ZERO, IStETH::getTotalPooledEtherCall {})._0,
        world.totals().1
    );
    assert_eq!(via(&probe, &world, U256::ZERO, IStETH::getTotalSharesCall {})._0, world.totals().0);
    assert_eq!(
        via(&probe, &world, U256::ZERO, IStETH::sharesOfCall { _account: p })._0,
        world.shares(p)
    );
    assert_eq!(
        via(&probe, &world, U256::ZERO, IStETH::getSharesByPooledEthCall { _ethAmount: x })._0,
        t.sender(ALICE).get_shares_by_pooled_eth(x).motsu_unwrap()
    );
    assert_eq!(
        via(&probe, &world, U256::ZERO, IStETH::getPooledEthBySharesCall { _sharesAmount: x })._0,
        t.sender(ALICE).get_pooled_eth_by_shares(x).motsu_unwrap()
    );
    assert_eq!(
        via(
            &probe,
            &world,
            U256::ZERO,
            IStETH::getPooledEthBySharesRoundUpCall { _sharesAmount: x }
        )
        ._0,
        t.sender(ALICE).get_pooled_eth_by_shares_round_up(x).motsu_unwrap()
    );
    assert!(!via(&probe, &world, U256::ZERO, IStETH::isStoppedCall {})._0);
    assert_eq!(
        via(&probe, &world, U256::ZERO, IStETH::DOMAIN_SEPARATORCall {})._0,
        t.sender(ALICE).domain_separator_abi()
    );
    assert_eq!(via(&probe, &world, U256::ZERO, IStETH::getEIP712StETHCall {})._0, t.address());
    assert_eq!(via(&probe, &world, U256::ZERO, IStETH::noncesCall { owner: p })._0, U256::ZERO);
    assert_eq!(via(&probe, &world, U256::ZERO, IStETH::PAUSE_ROLECall {})._0, PAUSE_ROLE);
    assert_eq!(via(&probe, &world, U256::ZERO, IStETH::RESUME_ROLECall {})._0, RESUME_ROLE);
    assert_eq!(via(&probe, &world, U256::ZERO, IStETH::getOracleCall {})._0, ORACLE);
    let domain = via(&probe, &world, U256::ZERO, IERC5267::eip712DomainCall {});
    assert_eq!(domain.fields, FixedBytes([0x0f]));
    assert_eq!((domain.name, domain.version), (NAME.to_string(), "2".to_string()));
    assert_eq!((domain.chainId, domain.verifyingContract), (U256::from(42_161), t.address()));
    assert_eq!((domain.salt, domain.extensions), (B256::ZERO, vec![]));
    assert_eq!(
        via(&probe, &world, U256::ZERO, IAccessControl::DEFAULT_ADMIN_ROLECall {})._0,
        DEFAULT_ADMIN_ROLE
    );
    assert!(
        via(
            &probe,
            &world,
            U256::ZERO,
            IAccessControl::hasRoleCall { role: DEFAULT_ADMIN_ROLE, account: ADMIN }
        )
        ._0
    );
    assert_eq!(
        via(&probe, &world, U256::ZERO, IAccessControl::getRoleAdminCall { role: PAUSE_ROLE })._0,
        DEFAULT_ADMIN_ROLE
    );
    assert_eq!(
        via(&probe, &world, U256::ZERO, IProtocol::getDepositPoolCall {})._0,
        world.pool.address()
    );
    assert_eq!(via(&probe, &world, U256::ZERO, IProtocol::getWithdrawalQueueCall {})._0, QUEUE);
}

#[motsu::test]
fn steth_mutations_are_routed_by_their_solidity_signatures(
    probe: Contract<AbiProbe>,
    alice: Account,
) {
    // Given the probe holds 4 ETH of shares and Alice's infinite allowance.
    let world = World::funded(0);
    let p = probe.address();
    world.mint(p, eth(4));
    world.token.sender(ALICE).approve(p, U256::MAX).motsu_unwrap();
    // Then each state-changing stETH function does its job through its selector.
    assert!(
        via(&probe, &world, U256::ZERO, IStETH::approveCall { _spender: BOB, _amount: eth(1) })._0
    );
    assert!(
        via(
            &probe,
            &world,
            U256::ZERO,
            IStETH::increaseAllowanceCall { _spender: BOB, _addedValue: eth(2) }
        )
        ._0
    );
    assert!(
        via(
            &probe,
            &world,
            U256::ZERO,
            IStETH::decreaseAllowanceCall { _spender: BOB, _subtractedValue: eth(1) }
        )
        ._0
    );
    assert_eq!(world.token.sender(BOB).allowance(p, BOB), eth(2));
    assert!(
        via(
            &probe,
            &world,
            U256::ZERO,
            IStETH::transferCall { _recipient: CAROL, _amount: eth(1) }
        )
        ._0
    );
    assert_eq!(
        via(
            &probe,
            &world,
            U256::ZERO,
            IStETH::transferSharesCall { _recipient: CAROL, _sharesAmount: eth(1) }
        )
        ._0,
        eth(1)
    );
    assert!(
        via(
            &probe,
            &world,
            U256::ZERO,
            IStETH::transferFromCall { _sender: ALICE, _recipient: CAROL, _amount: eth(1) }
        )
        ._0
    );
    assert_eq!(
        via(
            &probe,
            &world,
            U256::ZERO,
            IStETH::transferSharesFromCall {
                _sender: ALICE,
                _recipient: CAROL,
                _sharesAmount: eth(1)
            }
        )
        ._0,
        eth(1)
    );
    assert_eq!(
        via(
            &probe,
            &world,
            U256::ZERO,
            IProtocol::transferFromReturningSharesCall { from: ALICE, to: CAROL, amount: eth(1) }
        )
        ._0,
        eth(1)
    );
    assert_eq!(world.shares(CAROL), eth(5));
    // And submit (payable) stakes the probe's ether.
    assert_eq!(via(&probe, &world, eth(1), IStETH::submitCall { _referral: BOB })._0, eth(1));
    assert_eq!(world.shares(p), eth(3));
    // And permit applies a real signature.
    let deadline = U256::from(1_735_689_600u64 + 60);
    let eip712 = domain(&world, 42_161);
    let digest =
        Permit { owner: alice.address(), spender: BOB, value: eth(7), nonce: U256::ZERO, deadline }
            .eip712_signing_hash(&eip712);
    let sig = alice.signer().sign_hash_sync(&digest).expect("signing should work");
    via(
        &probe,
        &world,
        U256::ZERO,
        IStETH::permitCall {
            _owner: alice.address(),
            _spender: BOB,
            _value: eth(7),
            _deadline: deadline,
            _v: 27 + u8::from(sig.v()),
            _r: sig.r().into(),
            _s: sig.s().into(),
        },
    );
    assert_eq!(world.token.sender(BOB).allowance(alice.address(), BOB), eth(7));
}

#[motsu::test]
fn governance_and_protocol_entries_are_routed_by_their_solidity_signatures(
    probe: Contract<AbiProbe>,
) {
    // Given the probe is admin, deposit pool and oracle.
    let world = World::funded(0);
    let p = probe.address();
    world.token.sender(ADMIN).grant_role(DEFAULT_ADMIN_ROLE, p).motsu_unwrap();
    // Then the role functions work through their selectors.
    via(&probe, &world, U256::ZERO, IAccessControl::grantRoleCall { role: PAUSE_ROLE, account: p });
    via(
        &probe,
        &world,
        U256::ZERO,
        IAccessControl::grantRoleCall { role: RESUME_ROLE, account: p },
    );
    via(&probe, &world, U256::ZERO, IStETH::stopCall {});
    assert!(world.token.sender(ALICE).is_stopped());
    via(&probe, &world, U256::ZERO, IStETH::resumeCall {});
    assert!(!world.token.sender(ALICE).is_stopped());
    via(
        &probe,
        &world,
        U256::ZERO,
        IAccessControl::revokeRoleCall { role: RESUME_ROLE, account: p },
    );
    via(
        &probe,
        &world,
        U256::ZERO,
        IAccessControl::renounceRoleCall { role: PAUSE_ROLE, callerConfirmation: p },
    );
    assert!(!world.token.sender(ALICE).has_role(RESUME_ROLE, p));
    assert!(!world.token.sender(ALICE).has_role(PAUSE_ROLE, p));
    // And the protocol entries too.
    via(
        &probe,
        &world,
        U256::ZERO,
        IProtocol::setProtocolContractsCall { depositPool: p, oracle: p, withdrawalQueue: QUEUE },
    );
    assert_eq!(
        via(
            &probe,
            &world,
            U256::ZERO,
            IProtocol::mintSharesCall { recipient: CAROL, etherAmount: eth(4) }
        )
        ._0,
        eth(4)
    );
    let post = via(
        &probe,
        &world,
        U256::ZERO,
        IProtocol::rebaseCall {
            reportTimestamp: U256::from(1),
            timeElapsed: U256::from(2),
            postTotalPooledEther: eth(21),
            sharesToBurn: U256::ZERO,
            treasury: TREASURY,
            treasuryShares: U256::from(5),
            operatorRecipient: OPERATOR,
            operatorShares: U256::ZERO,
        },
    );
    assert_eq!(post._0, eth(20) + U256::from(5));
    assert_eq!(world.totals(), (eth(20) + U256::from(5), eth(21), false));
}

#[motsu::test]
fn the_constructor_runs_once_through_the_router(
    probe: Contract<AbiProbe>,
    token: Contract<RebaseToken>,
) {
    // Given an undeployed token and the SDK's constructor calldata.
    let mut data = stylus_sdk::abi::CONSTRUCTOR_SELECTOR.to_be_bytes().to_vec();
    data.extend((NAME.to_string(), SYMBOL.to_string(), ADMIN).abi_encode_params());
    let data: Bytes = data.into();
    // When it is sent twice.
    probe.sender(ALICE).forward(token.address(), data.clone().into()).motsu_unwrap();
    let second = probe.sender(ALICE).forward(token.address(), data.into()).motsu_unwrap_err();
    // Then the first constructs the token and the second is rejected by the SDK guard.
    assert_eq!(token.sender(ALICE).name(), NAME);
    assert!(token.sender(ALICE).has_role(DEFAULT_ADMIN_ROLE, ADMIN));
    assert!(!second.is_empty());
}

#[motsu::test]
fn calldata_matching_no_function_reverts(probe: Contract<AbiProbe>) {
    // Given a funded token.
    let world = World::funded(0);
    let before = world.snapshot();
    // When calldata with an unknown selector is sent (stETH's
    // `getBufferedEther()`, a deposit-pool function here; calldata shorter
    // than a selector takes the same no-fallback path in the SDK router, but
    // motsu itself panics formatting such a revert, so it is not sent here).
    for data in [keccak256("getBufferedEther()")[..4].to_vec(), vec![0xde, 0xad, 0xbe, 0xef, 0]] {
        let err =
            probe.sender(ALICE).forward(world.token.address(), data.into()).motsu_unwrap_err();
        // Then it reverts (motsu reports the router's empty revert as "function not found").
        assert!(err.starts_with(b"function not found"), "{}", String::from_utf8_lossy(&err));
    }
    assert_eq!(world.snapshot(), before);
}

#[test]
fn events_have_steth_s_signatures() {
    // Then the event topics are the hashes of stETH's event signatures.
    assert_eq!(Transfer::SIGNATURE_HASH, keccak256("Transfer(address,address,uint256)"));
    assert_eq!(Approval::SIGNATURE_HASH, keccak256("Approval(address,address,uint256)"));
    assert_eq!(
        TransferShares::SIGNATURE_HASH,
        keccak256("TransferShares(address,address,uint256)")
    );
    assert_eq!(
        SharesBurnt::SIGNATURE_HASH,
        keccak256("SharesBurnt(address,uint256,uint256,uint256)")
    );
    assert_eq!(
        TokenRebased::SIGNATURE_HASH,
        keccak256("TokenRebased(uint256,uint256,uint256,uint256,uint256,uint256,uint256)")
    );
    assert_eq!(Stopped::SIGNATURE_HASH, keccak256("Stopped()"));
    assert_eq!(Resumed::SIGNATURE_HASH, keccak256("Resumed()"));
}

#[test]
fn selectors_are_the_steth_selectors() {
    // Then the sol! selectors are the keccak of stETH's canonical signatures
    // (so the routed calls above used stETH's selectors).
    let pins: [(&str, [u8; 4]); 8] = [
        ("transfer(address,uint256)", IStETH::transferCall::SELECTOR),
        ("transferShares(address,uint256)", IStETH::transferSharesCall::SELECTOR),
        ("transferSharesFrom(address,address,uint256)", IStETH::transferSharesFromCall::SELECTOR),
        ("getPooledEthBySharesRoundUp(uint256)", IStETH::getPooledEthBySharesRoundUpCall::SELECTOR),
        (
            "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
            IStETH::permitCall::SELECTOR,
        ),
        ("DOMAIN_SEPARATOR()", IStETH::DOMAIN_SEPARATORCall::SELECTOR),
        ("getEIP712StETH()", IStETH::getEIP712StETHCall::SELECTOR),
        ("submit(address)", IStETH::submitCall::SELECTOR),
    ];
    for (signature, selector) in pins {
        assert_eq!(keccak256(signature)[..4], selector, "{signature}");
    }
    assert_eq!(IStETH::balanceOfCall::SELECTOR, [0x70, 0xa0, 0x82, 0x31]);
}

#[test]
fn receive_stake_selector_is_the_deposit_pool_s() {
    // Then the token calls receiveStake(address,address).
    assert_eq!(crate::RECEIVE_STAKE_SELECTOR, keccak256("receiveStake(address,address)")[..4]);
    assert_eq!(crate::HASHED_VERSION, keccak256("2"));
    assert_eq!(crate::MAX_TOTAL_ETHER, (U256::from(1) << 120) - U256::from(1));
}
