//! The public face of the host: world state, deployment and transactions.

use crate::{
    activation::{self, ActivationError, ProgramInfo},
    exec::{self, CallKind, CallParams, Ctx, Fatal, Program},
    gas::{self, GasBreakdown},
    hooks,
    state::{create_address, Code, Log, World},
};
use alloy_primitives::{address, keccak256, Address, B256, U256};
use std::{
    collections::{HashMap, HashSet},
    fmt,
    sync::Arc,
};
use wasmi::{Engine, Linker, Module, Store, StoreLimitsBuilder};

/// Stand-in for the StylusDeployer contract through which cargo-stylus deploys a program that
/// has a constructor (the address cargo-stylus uses on Arbitrum chains). In the constructor,
/// `msg.sender` is this address and `tx.origin` is the account that deployed.
pub const STYLUS_DEPLOYER: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

/// Native stack for running a transaction: nested program calls recurse on the native stack.
const TX_STACK_BYTES: usize = 256 * 1024 * 1024;

/// The selector stylus-sdk 0.9 routes to a program's `#[constructor]`:
/// the first four bytes of `keccak256("stylus_constructor()")` = `0x5585258d`
/// (`stylus_sdk::abi::CONSTRUCTOR_SELECTOR`). The SDK guards it with a storage flag at
/// `keccak256("stylus_constructor")`, so a second call reverts.
pub fn constructor_selector() -> [u8; 4] {
    let digest = keccak256(b"stylus_constructor()");
    [digest[0], digest[1], digest[2], digest[3]]
}

/// Block context seen by programs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockEnv {
    /// `block_number`: on Arbitrum an estimate of the L1 block number.
    pub number: u64,
    /// `block_timestamp`, in seconds.
    pub timestamp: u64,
    /// `chainid` (default 42161, Arbitrum One).
    pub chain_id: u64,
    /// `block_basefee`, also the transaction gas price on Arbitrum.
    pub basefee: U256,
    /// `block_coinbase` (on Arbitrum the batch poster / sequencer address).
    pub coinbase: Address,
    /// `block_gas_limit`.
    pub gas_limit: u64,
}

impl Default for BlockEnv {
    fn default() -> Self {
        Self {
            number: 20_000_000,
            timestamp: 1_700_000_000,
            chain_id: 42_161,
            basefee: U256::from(10_000_000u64), // 0.01 gwei, Arbitrum One's minimum
            coinbase: address!("A4b000000000000000000073657175656e636572"),
            gas_limit: 1_125_899_906_842_624, // what Arbitrum reports (2^50)
        }
    }
}

/// Why a call did not succeed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The program returned a non-zero status (`Err` from a `#[public]` function): its
    /// return data is the revert data.
    Reverted,
    /// The frame ran out of gas.
    OutOfGas,
    /// The program trapped or misused a host function (panic/`unreachable`, memory out of
    /// bounds, a state change in a static call, a malformed log): it reverts without data.
    Trap(String),
    /// The sender's balance is below the value sent.
    InsufficientBalance,
    /// The call stack is 1,024 frames deep.
    CallDepth,
    /// The gas limit does not cover the intrinsic gas.
    IntrinsicGas,
    /// The transaction needed something this host does not implement (see the message); the
    /// whole transaction is aborted.
    Unsupported(String),
}

/// The result of a transaction (or of a static call).
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Whether the top-level call succeeded.
    pub success: bool,
    /// Return data, or revert data when the program reverted.
    pub return_data: Vec<u8>,
    /// Logs emitted (empty when the call failed).
    pub logs: Vec<Log>,
    /// Gas charged (an ESTIMATE): `gas.net()`.
    pub gas_used: u64,
    /// Where the gas went.
    pub gas: GasBreakdown,
    /// Why the top-level call failed.
    pub failure: Option<Failure>,
    /// Lines printed through the `console` imports (debug builds).
    pub console: Vec<String>,
    /// One line per failed call frame, innermost first: for debugging.
    pub trace: Vec<String>,
}

impl Outcome {
    /// The return data, panicking with the failure, revert data and trace if the call failed.
    pub fn expect_ok(&self, what: &str) -> &[u8] {
        assert!(
            self.success,
            "{what} failed: {:?}, return data 0x{}, trace {:#?}",
            self.failure,
            hex(&self.return_data),
            self.trace
        );
        &self.return_data
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a deployment failed.
#[derive(Clone, Debug)]
pub enum DeployError {
    /// The bytes would not pass Stylus activation.
    Activation(ActivationError),
    /// The constructor reverted (the deployment is rolled back, as the StylusDeployer does).
    ConstructorFailed(Box<Outcome>),
    /// Value was sent to a program deployed without a constructor call.
    ValueWithoutConstructor,
    /// The chosen address already has code or a nonce.
    AddressInUse(Address),
}

impl fmt::Display for DeployError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Activation(e) => write!(f, "{e}"),
            Self::ConstructorFailed(outcome) => write!(
                f,
                "constructor failed: {:?}, return data 0x{}",
                outcome.failure,
                hex(&outcome.return_data)
            ),
            Self::ValueWithoutConstructor => write!(f, "value sent without a constructor call"),
            Self::AddressInUse(a) => write!(f, "address {a} already in use"),
        }
    }
}

impl std::error::Error for DeployError {}

impl From<ActivationError> for DeployError {
    fn from(e: ActivationError) -> Self {
        Self::Activation(e)
    }
}

/// A successful deployment.
#[derive(Clone, Debug)]
pub struct Deployment {
    /// Where the program lives.
    pub address: Address,
    /// The constructor call, if one was made.
    pub constructor: Option<Outcome>,
}

/// A snapshot of the world state, to return to with [`Host::restore`].
#[derive(Clone, Debug)]
pub struct Snapshot(World);

/// An embedded Stylus chain: accounts, programs, a block context, and transactions.
///
/// Deterministic: the same calls on the same state give the same results and gas.
pub struct Host {
    engine: Engine,
    linker: Arc<Linker<Ctx>>,
    programs: Arc<HashMap<B256, Arc<Program>>>,
    world: World,
    block: BlockEnv,
    tx_gas_limit: u64,
    all_cached: bool,
    cached_programs: Arc<HashSet<B256>>,
    recent_wasms: HashSet<B256>,
    new_block_per_tx: bool,
}

impl Default for Host {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Host")
            .field("block", &self.block)
            .field("programs", &self.programs.len())
            .finish_non_exhaustive()
    }
}

struct TxRequest {
    origin: Address,
    sender: Address,
    payer: Address,
    to: Address,
    data: Vec<u8>,
    value: U256,
    gas_limit: u64,
    is_static: bool,
}

impl Host {
    /// An empty chain with the default [`BlockEnv`] (chain id 42161), a 32M transaction gas
    /// limit, every transaction in a new block, and no program cached.
    pub fn new() -> Self {
        let engine = Engine::default();
        let linker = Arc::new(hooks::linker(&engine));
        Self {
            engine,
            linker,
            programs: Arc::new(HashMap::new()),
            world: World::default(),
            block: BlockEnv::default(),
            tx_gas_limit: 32_000_000,
            all_cached: false,
            cached_programs: Arc::new(HashSet::new()),
            recent_wasms: HashSet::new(),
            new_block_per_tx: true,
        }
    }

    // --- accounts -----------------------------------------------------------------------------

    /// Adds `amount` wei to `address`.
    pub fn fund(&mut self, address: Address, amount: U256) {
        let balance = self.world.balance(address);
        self.world.set_balance(address, balance.saturating_add(amount));
    }

    /// Sets the balance of `address`.
    pub fn set_balance(&mut self, address: Address, amount: U256) {
        self.world.set_balance(address, amount);
    }

    /// The balance of `address` in wei.
    pub fn balance(&self, address: Address) -> U256 {
        self.world.balance(address)
    }

    /// The nonce of `address`.
    pub fn nonce(&self, address: Address) -> u64 {
        self.world.nonce(address)
    }

    /// The code deployed at `address` (the bytes given to the deployment), if any.
    pub fn code(&self, address: Address) -> Option<&[u8]> {
        self.world.code(address).map(|c| &*c.bytes)
    }

    /// The storage word of `address` at `slot`.
    pub fn storage(&self, address: Address, slot: U256) -> B256 {
        self.world.storage(address, B256::from(slot))
    }

    /// Overwrites a storage word (test set-up; bypasses every program).
    pub fn set_storage(&mut self, address: Address, slot: U256, value: B256) {
        self.world.set_storage(address, B256::from(slot), value);
    }

    /// Copies the world state.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot(self.world.clone())
    }

    /// Returns the world state to a snapshot (programs stay activated).
    pub fn restore(&mut self, snapshot: Snapshot) {
        self.world = snapshot.0;
    }

    // --- block context ------------------------------------------------------------------------

    /// The block context.
    pub fn block(&self) -> &BlockEnv {
        &self.block
    }

    /// The block context, to change any field.
    pub fn block_mut(&mut self) -> &mut BlockEnv {
        &mut self.block
    }

    /// The current timestamp.
    pub fn timestamp(&self) -> u64 {
        self.block.timestamp
    }

    /// Sets the clock.
    pub fn set_timestamp(&mut self, timestamp: u64) {
        self.block.timestamp = timestamp;
    }

    /// Moves the clock forward by `seconds`.
    pub fn advance_time(&mut self, seconds: u64) {
        self.block.timestamp += seconds;
    }

    /// Sets the block number programs see.
    pub fn set_block_number(&mut self, number: u64) {
        self.block.number = number;
    }

    /// Gas limit of each transaction (default 32,000,000).
    pub fn set_tx_gas_limit(&mut self, gas: u64) {
        self.tx_gas_limit = gas;
    }

    // --- program cache (prices program entry) -------------------------------------------------

    /// Treats every program as cached (in ArbWasmCache): entries pay only the cached-init gas.
    /// Off by default.
    pub fn set_all_programs_cached(&mut self, cached: bool) {
        self.all_cached = cached;
    }

    /// Caches the program deployed at `address`, as `ArbWasmCache.cacheProgram` would.
    pub fn cache_program(&mut self, address: Address) {
        if let Some(code) = self.world.code(address) {
            Arc::make_mut(&mut self.cached_programs).insert(code.hash);
        }
    }

    /// Whether each transaction runs in a new block (default true, as on an Arbitrum chain
    /// at low load). Within a block, ArbOS's recent-program cache prices every entry into a
    /// program after its first as cached; [`Host::new_block`] starts a block explicitly.
    pub fn set_new_block_per_tx(&mut self, on: bool) {
        self.new_block_per_tx = on;
    }

    /// Starts a new block (empties the recent-program cache).
    pub fn new_block(&mut self) {
        self.recent_wasms.clear();
    }

    // --- programs -----------------------------------------------------------------------------

    /// Activation information of the program at `address`.
    pub fn program_info(&self, address: Address) -> Option<ProgramInfo> {
        let code = self.world.code(address)?;
        self.programs.get(&code.hash).map(|p| p.info.clone())
    }

    /// Checks `wasm` as activation would and compiles it (once per code hash).
    pub fn activate(&mut self, wasm: &[u8]) -> Result<ProgramInfo, ActivationError> {
        let hash = keccak256(wasm);
        if let Some(program) = self.programs.get(&hash) {
            return Ok(program.info.clone());
        }
        let activated = activation::activate(wasm)?;
        let module = Module::new(&self.engine, &activated.metered[..])
            .map_err(|e| ActivationError(format!("compiling the metered module: {e}")))?;
        let info = activated.info;
        Arc::make_mut(&mut self.programs)
            .insert(hash, Arc::new(Program { info: info.clone(), module }));
        Ok(info)
    }

    /// Deploys a Stylus program as cargo-stylus would and returns its address. `wasm` is the
    /// processed module (`target/stylus/<name>.wasm`) or the deploy code as stored on chain
    /// (`0xEFF00000` + brotli, `target/stylus/<name>.wasm.br`); the bytes given become the
    /// account's code.
    ///
    /// - `constructor_args: None`: a plain deployment; the address is `CREATE(deployer,
    ///   nonce)`; `value` must be zero.
    /// - `constructor_args: Some(args)` (the ABI-encoded arguments, possibly empty): the
    ///   StylusDeployer flow — the program is created at `CREATE(STYLUS_DEPLOYER, nonce)` and,
    ///   in the same transaction, called with `CONSTRUCTOR_SELECTOR ‖ args` and `value` (paid
    ///   by `deployer`), with `msg.sender` = [`STYLUS_DEPLOYER`] and `tx.origin` = `deployer`.
    ///   If the constructor fails the deployment is rolled back.
    pub fn deploy(
        &mut self,
        wasm: &[u8],
        constructor_args: Option<&[u8]>,
        value: U256,
        deployer: Address,
    ) -> Result<Address, DeployError> {
        self.deploy_detailed(wasm, constructor_args, value, deployer).map(|d| d.address)
    }

    /// [`Host::deploy`], also returning the constructor's [`Outcome`] (gas, logs).
    pub fn deploy_detailed(
        &mut self,
        wasm: &[u8],
        constructor_args: Option<&[u8]>,
        value: U256,
        deployer: Address,
    ) -> Result<Deployment, DeployError> {
        self.activate(wasm)?;
        let creator = if constructor_args.is_some() { STYLUS_DEPLOYER } else { deployer };
        let nonce = self.world.nonce(creator);
        let address = create_address(creator, nonce);
        if constructor_args.is_none() && !value.is_zero() {
            return Err(DeployError::ValueWithoutConstructor);
        }
        if self.world.exists(address) {
            return Err(DeployError::AddressInUse(address));
        }
        self.world.set_nonce(creator, nonce + 1);
        let deployed = self.install(address, wasm, constructor_args, value, deployer);
        if deployed.is_err() {
            // The whole deployment transaction reverted: the StylusDeployer's CREATE with it.
            self.world.set_nonce(creator, nonce);
        }
        deployed
    }

    /// Deploys at a chosen address (see [`Host::deploy`] for the constructor flow).
    pub fn deploy_at(
        &mut self,
        address: Address,
        wasm: &[u8],
        constructor_args: Option<&[u8]>,
        value: U256,
        deployer: Address,
    ) -> Result<Deployment, DeployError> {
        self.activate(wasm)?;
        if constructor_args.is_none() && !value.is_zero() {
            return Err(DeployError::ValueWithoutConstructor);
        }
        if self.world.code(address).is_some() || self.world.nonce(address) != 0 {
            return Err(DeployError::AddressInUse(address));
        }
        self.install(address, wasm, constructor_args, value, deployer)
    }

    fn install(
        &mut self,
        address: Address,
        wasm: &[u8],
        constructor_args: Option<&[u8]>,
        value: U256,
        deployer: Address,
    ) -> Result<Deployment, DeployError> {
        let code = Code { bytes: Arc::from(wasm), hash: keccak256(wasm) };
        self.world.set_code(address, Some(code));
        self.world.set_nonce(address, 1);
        let Some(args) = constructor_args else {
            return Ok(Deployment { address, constructor: None });
        };
        let mut data = constructor_selector().to_vec();
        data.extend_from_slice(args);
        let outcome = self.transact(TxRequest {
            origin: deployer,
            sender: STYLUS_DEPLOYER,
            payer: deployer,
            to: address,
            data,
            value,
            gas_limit: self.tx_gas_limit,
            is_static: false,
        });
        if !outcome.success {
            self.world.set_code(address, None);
            self.world.set_nonce(address, 0);
            return Err(DeployError::ConstructorFailed(Box::new(outcome)));
        }
        Ok(Deployment { address, constructor: Some(outcome) })
    }

    // --- transactions -------------------------------------------------------------------------

    /// Sends a transaction from `from` (any address: impersonation is free) to `to` with
    /// `calldata` and `value` wei, with the default gas limit. State changes persist if the call
    /// succeeds; a value transfer to an account without code just moves the ether.
    pub fn call(&mut self, from: Address, to: Address, calldata: &[u8], value: U256) -> Outcome {
        self.call_with_gas(from, to, calldata, value, self.tx_gas_limit)
    }

    /// [`Host::call`] with an explicit gas limit.
    pub fn call_with_gas(
        &mut self,
        from: Address,
        to: Address,
        calldata: &[u8],
        value: U256,
        gas_limit: u64,
    ) -> Outcome {
        self.transact(TxRequest {
            origin: from,
            sender: from,
            payer: from,
            to,
            data: calldata.to_vec(),
            value,
            gas_limit,
            is_static: false,
        })
    }

    /// A read-only call (like `eth_call` of a view): any attempt to change state fails the
    /// frame, and nothing persists (not even the sender's nonce).
    pub fn static_call(&mut self, from: Address, to: Address, calldata: &[u8]) -> Outcome {
        self.transact(TxRequest {
            origin: from,
            sender: from,
            payer: from,
            to,
            data: calldata.to_vec(),
            value: U256::ZERO,
            gas_limit: self.tx_gas_limit,
            is_static: true,
        })
    }

    fn transact(&mut self, tx: TxRequest) -> Outcome {
        if self.new_block_per_tx {
            self.recent_wasms.clear();
        }
        let intrinsic = gas::intrinsic_gas(&tx.data);
        if tx.gas_limit < intrinsic {
            return Outcome {
                success: false,
                return_data: Vec::new(),
                logs: Vec::new(),
                gas_used: 0,
                gas: GasBreakdown::default(),
                failure: Some(Failure::IntrinsicGas),
                console: Vec::new(),
                trace: Vec::new(),
            };
        }
        let mut world = std::mem::take(&mut self.world);
        let precompiles = (1u8..=10).map(Address::with_last_byte);
        world.begin_tx(
            [tx.origin, tx.sender, tx.to, self.block.coinbase].into_iter().chain(precompiles),
        );
        if !tx.is_static {
            let nonce = world.nonce(tx.origin);
            world.set_nonce(tx.origin, nonce + 1);
        }
        let start = world.checkpoint();
        let ctx = Ctx {
            world,
            programs: self.programs.clone(),
            linker: self.linker.clone(),
            block: self.block.clone(),
            origin: tx.origin,
            frames: Vec::new(),
            pages_open: 0,
            pages_ever: 0,
            all_cached: self.all_cached,
            cached_programs: self.cached_programs.clone(),
            recent_wasms: std::mem::take(&mut self.recent_wasms),
            console: Vec::new(),
            trace: Vec::new(),
            limits: StoreLimitsBuilder::new()
                .memory_size(usize::from(gas::PAGE_LIMIT) * 65_536)
                .instances(usize::MAX)
                .memories(usize::MAX)
                .tables(usize::MAX)
                .build(),
        };
        let params = CallParams {
            kind: if tx.is_static { CallKind::Static } else { CallKind::Call },
            caller: tx.sender,
            payer: tx.payer,
            address: tx.to,
            code_address: tx.to,
            value: tx.value,
            transfer: true,
            input: tx.data,
            gas: tx.gas_limit - intrinsic,
            is_static: tx.is_static,
        };
        let engine = self.engine.clone();
        let joined = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("stylus-host-tx".into())
                .stack_size(TX_STACK_BYTES)
                .spawn_scoped(scope, move || {
                    let mut store = Store::new(&engine, ctx);
                    store.limiter(|ctx| &mut ctx.limits);
                    let result = exec::run_call(&mut store, params);
                    (store.into_data(), result)
                })
                .expect("spawning the transaction thread")
                .join()
        });
        let (ctx, result) = match joined {
            Ok(done) => done,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let Ctx { mut world, recent_wasms, console, mut trace, .. } = ctx;
        self.recent_wasms = recent_wasms;

        let outcome = match result {
            Err(Fatal(reason)) => {
                world.revert(start);
                trace.push(format!("aborted: {reason}"));
                Outcome {
                    success: false,
                    return_data: Vec::new(),
                    logs: Vec::new(),
                    gas_used: tx.gas_limit,
                    gas: GasBreakdown {
                        intrinsic,
                        burned: tx.gas_limit - intrinsic,
                        ..GasBreakdown::default()
                    },
                    failure: Some(Failure::Unsupported(reason)),
                    console,
                    trace,
                }
            }
            Ok(frame) => {
                let mut breakdown = frame.breakdown;
                breakdown.intrinsic = intrinsic;
                let gross = intrinsic + frame.gas_used;
                breakdown.refund = world.refund().min(gross / gas::MAX_REFUND_QUOTIENT);
                let logs = if frame.success { world.logs.clone() } else { Vec::new() };
                Outcome {
                    success: frame.success,
                    return_data: frame.output,
                    logs,
                    gas_used: gross - breakdown.refund,
                    gas: breakdown,
                    failure: frame.failure,
                    console,
                    trace,
                }
            }
        };
        if tx.is_static {
            // eth_call semantics: not even the nonce moves.
            world.revert(start);
        }
        world.end_tx();
        self.world = world;
        outcome
    }
}
