//! Smoke test of the embedded host on a real artifact: the processed rebase-token program
//! (`target/stylus/rebase_token.wasm`, built and processed by the `scripts` pipeline) is
//! deployed through the StylusDeployer flow and called only through its Solidity ABI.

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use stylus_host::{Failure, Host, Outcome, STYLUS_DEPLOYER};

sol! {
    /// The slice of the rebase token's ABI this smoke test uses (Solidity signatures).
    interface IRebaseToken {
        function name() external view returns (string);
        function symbol() external view returns (string);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function sharesOf(address account) external view returns (uint256);
        function getTotalPooledEther() external view returns (uint256);
        function transfer(address to, uint256 amount) external returns (bool);
        function approve(address spender, uint256 amount) external returns (bool);
        function allowance(address owner, address spender) external view returns (uint256);
        function DEFAULT_ADMIN_ROLE() external view returns (bytes32);
        function hasRole(bytes32 role, address account) external view returns (bool);
        function setProtocolContracts(address depositPool, address oracle, address withdrawalQueue) external;
        function getDepositPool() external view returns (address);
        function mintShares(address recipient, uint256 etherAmount) external returns (uint256);

        event Transfer(address indexed from, address indexed to, uint256 value);
        event TransferShares(address indexed from, address indexed to, uint256 sharesValue);
        event Approval(address indexed owner, address indexed spender, uint256 value);

        error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
    }
}

use IRebaseToken::*;

const DEPLOYER: Address = address!("00000000000000000000000000000000000d3910");
const ADMIN: Address = address!("000000000000000000000000000000000000ad01");
const POOL: Address = address!("0000000000000000000000000000000000009001");
const ORACLE: Address = address!("0000000000000000000000000000000000009002");
const QUEUE: Address = address!("0000000000000000000000000000000000009003");
const ALICE: Address = address!("000000000000000000000000000000000000a11c");
const BOB: Address = address!("0000000000000000000000000000000000000b0b");
const DEAD: Address = address!("000000000000000000000000000000000000dEaD");

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

/// The processed rebase-token artifact, built if needed.
fn artifact() -> scripts::Artifact {
    scripts::ensure_artifacts(&["rebase-token"])
        .expect("the rebase token builds and would activate")
        .remove(0)
}

fn deploy(host: &mut Host, code: &[u8]) -> Address {
    let args =
        ("Liquid staked Ether 2.0".to_string(), "stETH".to_string(), ADMIN).abi_encode_params();
    host.deploy(code, Some(&args), U256::ZERO, DEPLOYER).unwrap_or_else(|e| panic!("deploy: {e}"))
}

fn view<C: SolCall>(host: &mut Host, token: Address, call: C) -> C::Return {
    let out = host.static_call(ALICE, token, &call.abi_encode());
    C::abi_decode_returns(out.expect_ok("view"), true).expect("decode")
}

fn send<C: SolCall>(host: &mut Host, from: Address, token: Address, call: C) -> Outcome {
    host.call(from, token, &call.abi_encode(), U256::ZERO)
}

#[test]
fn rebase_token_artifact_deploys_and_answers_through_its_abi() {
    // Given the processed artifact, when deployed with (name, symbol, admin),
    let wasm = std::fs::read(artifact().wasm_path).expect("read artifact");
    let mut host = Host::new();
    let token = deploy(&mut host, &wasm);

    // then its views answer as the constructor set them up.
    assert_eq!(view(&mut host, token, nameCall {})._0, "Liquid staked Ether 2.0");
    assert_eq!(view(&mut host, token, symbolCall {})._0, "stETH");
    assert_eq!(view(&mut host, token, decimalsCall {})._0, 18);
    assert_eq!(view(&mut host, token, totalSupplyCall {})._0, U256::ZERO);
    let admin_role = view(&mut host, token, DEFAULT_ADMIN_ROLECall {})._0;
    assert!(view(&mut host, token, hasRoleCall { role: admin_role, account: ADMIN })._0);
    assert!(!view(&mut host, token, hasRoleCall { role: admin_role, account: STYLUS_DEPLOYER })._0);
}

#[test]
fn rebase_token_mints_and_transfers_with_events_and_gas() {
    // Given a deployed token wired to a deposit-pool address,
    let wasm = std::fs::read(artifact().wasm_path).expect("read artifact");
    let mut host = Host::new();
    let token = deploy(&mut host, &wasm);
    send(
        &mut host,
        ADMIN,
        token,
        setProtocolContractsCall { depositPool: POOL, oracle: ORACLE, withdrawalQueue: QUEUE },
    )
    .expect_ok("setProtocolContracts");
    assert_eq!(view(&mut host, token, getDepositPoolCall {})._0, POOL);

    // when the pool seeds 1 ether to 0x…dEaD and mints 2 ether for ALICE,
    send(&mut host, POOL, token, mintSharesCall { recipient: DEAD, etherAmount: ether(1) })
        .expect_ok("seed");
    let minted =
        send(&mut host, POOL, token, mintSharesCall { recipient: ALICE, etherAmount: ether(2) });
    let shares =
        mintSharesCall::abi_decode_returns(minted.expect_ok("mint"), true).expect("decode")._0;

    // then balances and totals follow, and the mint logged Transfer + TransferShares.
    assert_eq!(shares, ether(2));
    assert_eq!(view(&mut host, token, balanceOfCall { account: ALICE })._0, ether(2));
    assert_eq!(view(&mut host, token, getTotalPooledEtherCall {})._0, ether(3));
    let transfer =
        minted.logs.iter().find(|l| l.topics[0] == Transfer::SIGNATURE_HASH).expect("Transfer");
    let event = Transfer::decode_raw_log(transfer.topics.iter().copied(), &transfer.data, true)
        .expect("decode");
    assert_eq!((event.from, event.to, event.value), (Address::ZERO, ALICE, ether(2)));
    assert!(minted.logs.iter().any(|l| l.topics[0] == TransferShares::SIGNATURE_HASH));

    // when ALICE transfers 1 ether to BOB,
    let moved = send(&mut host, ALICE, token, transferCall { to: BOB, amount: ether(1) });
    assert!(
        transferCall::abi_decode_returns(moved.expect_ok("transfer"), true).expect("decode")._0
    );

    // then both balances moved, and the gas estimate adds up.
    assert_eq!(view(&mut host, token, balanceOfCall { account: ALICE })._0, ether(1));
    assert_eq!(view(&mut host, token, balanceOfCall { account: BOB })._0, ether(1));
    assert_eq!(moved.logs.len(), 2);
    assert_eq!(moved.gas.gross() - moved.gas.refund, moved.gas_used);
    assert!(moved.gas.storage_write > 0 && moved.gas.program_entry > 0 && moved.gas.compute > 0);
    eprintln!("transfer to a new holder: {}", moved.gas);
}

#[test]
fn rebase_token_reverts_with_decodable_errors() {
    // Given a deployed token,
    let wasm = std::fs::read(artifact().wasm_path).expect("read artifact");
    let mut host = Host::new();
    let token = deploy(&mut host, &wasm);
    let admin_role = view(&mut host, token, DEFAULT_ADMIN_ROLECall {})._0;

    // when a non-admin wires the protocol, then AccessControlUnauthorizedAccount(caller, role).
    let out = send(
        &mut host,
        BOB,
        token,
        setProtocolContractsCall { depositPool: POOL, oracle: ORACLE, withdrawalQueue: QUEUE },
    );
    assert_eq!(out.failure, Some(Failure::Reverted));
    let error =
        AccessControlUnauthorizedAccount::abi_decode(&out.return_data, true).expect("custom error");
    assert_eq!((error.account, error.neededRole), (BOB, admin_role));
    assert_eq!(view(&mut host, token, getDepositPoolCall {})._0, Address::ZERO);

    // when called with an unknown selector, then it reverts.
    assert!(!host.call(ALICE, token, &[0xde, 0xad, 0xbe, 0xef], U256::ZERO).success);

    // when value is sent to a non-payable function, then it reverts and the value stays.
    host.fund(ALICE, ether(1));
    let paid = host.call(
        ALICE,
        token,
        &approveCall { spender: BOB, amount: U256::from(1) }.abi_encode(),
        U256::from(1),
    );
    assert!(!paid.success);
    assert_eq!(host.balance(ALICE), ether(1));
    assert_eq!(view(&mut host, token, allowanceCall { owner: ALICE, spender: BOB })._0, U256::ZERO);

    // when the constructor is called a second time, then the SDK's guard reverts it.
    let mut again = stylus_host::constructor_selector().to_vec();
    again.extend(("x".to_string(), "y".to_string(), BOB).abi_encode_params());
    assert!(!host.call(ALICE, token, &again, U256::ZERO).success);
    assert_eq!(view(&mut host, token, symbolCall {})._0, "stETH");
}

#[test]
fn rebase_token_deploy_code_as_stored_on_chain_also_runs() {
    // Given the deploy code (0xEFF00000 + brotli), when deployed,
    let code = std::fs::read(artifact().deploy_path).expect("read deploy code");
    let mut host = Host::new();
    let token = deploy(&mut host, &code);
    // then it answers, and the account holds exactly those bytes.
    assert_eq!(view(&mut host, token, symbolCall {})._0, "stETH");
    assert_eq!(host.code(token), Some(&code[..]));
    let approve =
        send(&mut host, ALICE, token, approveCall { spender: BOB, amount: U256::from(5) });
    approve.expect_ok("approve");
    let log = &approve.logs[0];
    assert_eq!(log.topics[0], Approval::SIGNATURE_HASH);
    assert_eq!(log.topics[1], B256::from(ALICE.into_word()));
}
