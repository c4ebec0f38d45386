//! Call frames: running a program (or a precompile, or a plain value transfer) for one call,
//! with the Stylus storage cache, return data, gas and the rollback of failed frames.
//!
//! One wasmi `Store` serves a whole transaction; every call into a program instantiates the
//! program afresh (its own linear memory, as on chain) and nested calls re-enter wasmi from a
//! host function through the `Caller`.

use crate::{
    activation::{INK_LEFT_EXPORT, INK_STATUS_EXPORT},
    gas::{
        memory_gas, Category, GasBreakdown, InkLedger, CALL_STIPEND, CALL_VALUE_GAS, INK_PER_GAS,
        MAX_CALL_DEPTH, NEW_ACCOUNT_GAS,
    },
    precompiles::{self, PrecompileResult},
    state::World,
    BlockEnv, Failure, ProgramInfo,
};
use alloy_primitives::{Address, B256, U256};
use std::{
    collections::{HashMap, HashSet},
    fmt,
    sync::Arc,
};
use wasmi::{AsContextMut, Global, Linker, Memory, Module, StoreLimits, Val};

/// A program ready to run: its activation record and compiled (metered) module.
pub(crate) struct Program {
    pub info: ProgramInfo,
    pub module: Module,
}

/// How a frame was entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CallKind {
    Call,
    Static,
    Delegate,
}

/// Everything needed to run one call frame.
#[derive(Clone, Debug)]
pub(crate) struct CallParams {
    pub kind: CallKind,
    /// `msg.sender` of the frame.
    pub caller: Address,
    /// Whose balance pays `value` (the caller, except for a deployment through the deployer).
    pub payer: Address,
    /// The acting address: whose storage, balance and logs the frame uses.
    pub address: Address,
    /// Whose code runs (differs from `address` for a delegate call).
    pub code_address: Address,
    pub value: U256,
    /// Whether `value` moves from `payer` to `address` (false for delegate calls).
    pub transfer: bool,
    pub input: Vec<u8>,
    pub gas: u64,
    pub is_static: bool,
}

/// How a frame ended.
#[derive(Clone, Debug)]
pub(crate) struct FrameResult {
    pub success: bool,
    pub failure: Option<Failure>,
    pub output: Vec<u8>,
    pub gas_used: u64,
    pub breakdown: GasBreakdown,
}

impl FrameResult {
    fn failed(failure: Failure, gas_used: u64, breakdown: GasBreakdown) -> Self {
        Self { success: false, failure: Some(failure), output: Vec::new(), gas_used, breakdown }
    }
}

/// An error that aborts the whole transaction (a limitation of this host, never a
/// behaviour of the chain).
#[derive(Debug)]
pub(crate) struct Fatal(pub String);

/// What a host function reports to wasmi to stop a program.
#[derive(Debug)]
pub(crate) enum HostStop {
    /// The frame ran out of ink/gas.
    OutOfGas,
    /// `exit_early(status)`.
    Exit(i32),
    /// The frame fails (reverts without data): bad memory access, write in a static frame…
    Failure(String),
    /// The whole transaction aborts: see [`Fatal`].
    Fatal(String),
}

impl fmt::Display for HostStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl wasmi::errors::HostError for HostStop {}

/// The Stylus storage cache of one frame (nitro `arbutil/src/evm/storage.rs` semantics):
/// reads are cached, writes stay in the cache until `storage_flush_cache`.
#[derive(Default)]
pub(crate) struct StorageCache {
    pub slots: HashMap<B256, CacheWord>,
    reads: u32,
    writes: u32,
}

/// A cached slot: its current value and the value last known to be in the state.
pub(crate) struct CacheWord {
    pub value: B256,
    pub known: Option<B256>,
}

impl StorageCache {
    /// Gas the cache charges per read: free for the first 32, then 2, then 10 from the 129th.
    pub(crate) fn read_gas(&mut self) -> u64 {
        self.reads += 1;
        match self.reads {
            0..=32 => 0,
            33..=128 => 2,
            _ => 10,
        }
    }

    /// Gas the cache charges per write: free for the first 8, then 7, then 10 from the 65th.
    pub(crate) fn write_gas(&mut self) -> u64 {
        self.writes += 1;
        match self.writes {
            0..=8 => 0,
            9..=64 => 7,
            _ => 10,
        }
    }
}

/// An active program frame.
pub(crate) struct Frame {
    pub params: CallParams,
    pub reentrant: bool,
    pub memory: Memory,
    pub ink_left: Global,
    pub pages: u64,
    pub cache: StorageCache,
    pub return_data: Vec<u8>,
    pub output: Vec<u8>,
    pub ledger: InkLedger,
    /// Gas consumed by this frame's callees (charged to this frame, itemised by them).
    pub children_gas: u64,
    pub children: GasBreakdown,
    pub counters: GasBreakdown,
}

/// The transaction-wide context: the data of the wasmi store.
pub(crate) struct Ctx {
    pub world: World,
    pub programs: Arc<HashMap<B256, Arc<Program>>>,
    pub linker: Arc<Linker<Ctx>>,
    pub block: BlockEnv,
    pub origin: Address,
    pub frames: Vec<Frame>,
    pub pages_open: u16,
    pub pages_ever: u16,
    pub all_cached: bool,
    pub cached_programs: Arc<HashSet<B256>>,
    pub recent_wasms: HashSet<B256>,
    pub console: Vec<String>,
    pub trace: Vec<String>,
    pub limits: StoreLimits,
}

/// Access to the transaction context from either the store (top level) or a `Caller`
/// (inside a host function).
pub(crate) trait CtxAccess: AsContextMut<Data = Ctx> {
    fn ctx(&self) -> &Ctx;
    fn ctx_mut(&mut self) -> &mut Ctx;
}

impl CtxAccess for wasmi::Store<Ctx> {
    fn ctx(&self) -> &Ctx {
        self.data()
    }
    fn ctx_mut(&mut self) -> &mut Ctx {
        self.data_mut()
    }
}

impl CtxAccess for wasmi::Caller<'_, Ctx> {
    fn ctx(&self) -> &Ctx {
        self.data()
    }
    fn ctx_mut(&mut self) -> &mut Ctx {
        self.data_mut()
    }
}

/// Runs one call frame of any kind. Rolls back the frame's changes if it fails.
pub(crate) fn run_call(ctx: &mut impl CtxAccess, params: CallParams) -> Result<FrameResult, Fatal> {
    let depth = ctx.ctx().frames.len();
    if depth >= MAX_CALL_DEPTH {
        return Ok(FrameResult::failed(Failure::CallDepth, 0, GasBreakdown::default()));
    }
    let data = ctx.ctx_mut();
    let checkpoint = data.world.checkpoint();
    if params.transfer
        && !params.value.is_zero()
        && !data.world.transfer(params.payer, params.address, params.value)
    {
        return Ok(FrameResult::failed(Failure::InsufficientBalance, 0, GasBreakdown::default()));
    }

    let code = data.world.code(params.code_address).cloned();
    let result = match code {
        None => match precompiles::precompile_name(&params.code_address) {
            Some(_) => match precompiles::run(&params.code_address, &params.input) {
                PrecompileResult::Done { gas, output } if gas <= params.gas => FrameResult {
                    success: true,
                    failure: None,
                    output,
                    gas_used: gas,
                    breakdown: GasBreakdown { precompiles: gas, ..GasBreakdown::default() },
                },
                PrecompileResult::Done { .. } => FrameResult::failed(
                    Failure::OutOfGas,
                    params.gas,
                    GasBreakdown { burned: params.gas, ..GasBreakdown::default() },
                ),
                PrecompileResult::Unsupported(name) => {
                    return Err(Fatal(format!(
                        "call to the {name} precompile at {}: not implemented by this host",
                        params.code_address
                    )))
                }
            },
            None => FrameResult {
                success: true,
                failure: None,
                output: Vec::new(),
                gas_used: 0,
                breakdown: GasBreakdown::default(),
            },
        },
        Some(code) => {
            let program = data.programs.get(&code.hash).cloned();
            match program {
                Some(program) => run_program(ctx, &params, &program)?,
                None => {
                    return Err(Fatal(format!(
                        "{} has code that is not an activated Stylus program (EVM bytecode is \
                         not supported by this host)",
                        params.code_address
                    )))
                }
            }
        }
    };
    let data = ctx.ctx_mut();
    if !result.success {
        data.world.revert(checkpoint);
        data.trace.push(format!(
            "depth {depth}: call to {} failed: {:?}",
            params.address,
            result.failure.as_ref().unwrap_or(&Failure::Reverted)
        ));
    }
    Ok(result)
}

/// Runs a Stylus program for one frame.
fn run_program(
    ctx: &mut impl CtxAccess,
    params: &CallParams,
    program: &Program,
) -> Result<FrameResult, Fatal> {
    let costs = program.info.costs;
    let hash = program.info.code_hash;
    let data = ctx.ctx_mut();

    // Program entry: memory footprint + (cached) init gas.
    let recent_hit = !data.recent_wasms.insert(hash);
    let cached = data.all_cached || data.cached_programs.contains(&hash) || recent_hit;
    let (open, ever) = (data.pages_open, data.pages_ever);
    let entry_gas = memory_gas(costs.footprint, open, ever).saturating_add(costs.entry_gas(cached));
    let mut counters = GasBreakdown::default();
    if cached {
        counters.entries_cached = 1;
    } else {
        counters.entries_uncached = 1;
    }
    if entry_gas > params.gas {
        let mut breakdown = GasBreakdown { burned: params.gas, ..GasBreakdown::default() };
        breakdown.add(&counters);
        return Ok(FrameResult::failed(Failure::OutOfGas, params.gas, breakdown));
    }
    data.pages_open = open.saturating_add(costs.footprint);
    data.pages_ever = ever.max(data.pages_open);
    let ink_budget = (params.gas - entry_gas).saturating_mul(INK_PER_GAS);

    let reentrant = {
        let same = data
            .frames
            .iter()
            .filter(|f| f.params.kind != CallKind::Delegate && f.params.address == params.address)
            .count()
            + usize::from(params.kind != CallKind::Delegate);
        same > 1
    };

    let linker = data.linker.clone();
    let instance = linker
        .instantiate_and_start(&mut *ctx, &program.module)
        .map_err(|e| Fatal(format!("instantiating {}: {e}", params.code_address)))?;
    let exports = (
        instance.get_memory(&*ctx, "memory"),
        instance.get_global(&*ctx, INK_LEFT_EXPORT),
        instance.get_global(&*ctx, INK_STATUS_EXPORT),
        instance.get_typed_func::<i32, i32>(&*ctx, "user_entrypoint").ok(),
    );
    let (Some(memory), Some(ink_left), Some(ink_status), Some(entrypoint)) = exports else {
        return Err(Fatal("activated program lacks its exports".into()));
    };
    ink_left.set(&mut *ctx, Val::I64(ink_budget as i64)).map_err(|e| Fatal(e.to_string()))?;
    let pages = memory.size(&*ctx);
    let mut ledger = InkLedger::default();
    ledger.add(Category::Entry, entry_gas * INK_PER_GAS);
    ctx.ctx_mut().frames.push(Frame {
        params: params.clone(),
        reentrant,
        memory,
        ink_left,
        pages,
        cache: StorageCache::default(),
        return_data: Vec::new(),
        output: Vec::new(),
        ledger,
        children_gas: 0,
        children: GasBreakdown::default(),
        counters,
    });

    let args_len = params.input.len() as i32;
    let mut outcome = entrypoint.call(&mut *ctx, args_len);
    if outcome.is_ok() {
        // Memory grown since the last host call is paid for at exit.
        if let Err(e) = settle_memory(ctx) {
            outcome = Err(e);
        }
    }
    let status_flag = ink_status.get(&*ctx).i32().unwrap_or(0);
    let ink_remaining = ink_left.get(&*ctx).i64().unwrap_or(0) as u64;
    let data = ctx.ctx_mut();
    let Some(frame) = data.frames.pop() else {
        return Err(Fatal("frame stack underflow".into()));
    };
    data.pages_open = open;

    enum End {
        Status(i32),
        OutOfGas,
        Failure(String),
    }
    let end = match outcome {
        Ok(status) => End::Status(status),
        Err(error) => match error.downcast_ref::<HostStop>() {
            Some(HostStop::OutOfGas) => End::OutOfGas,
            Some(HostStop::Exit(status)) => End::Status(*status),
            Some(HostStop::Failure(reason)) => End::Failure(reason.clone()),
            Some(HostStop::Fatal(reason)) => return Err(Fatal(reason.clone())),
            None if status_flag != 0 => End::OutOfGas,
            None => End::Failure(error.to_string()),
        },
    };

    let own_ledger = frame.ledger;
    let (success, failure, output, gas_used) = match end {
        End::OutOfGas => (false, Some(Failure::OutOfGas), Vec::new(), params.gas),
        End::Status(status) => {
            let used = params.gas - ink_remaining.min(ink_budget) / INK_PER_GAS;
            if status == 0 {
                (true, None, frame.output, used)
            } else {
                (false, Some(Failure::Reverted), frame.output, used)
            }
        }
        End::Failure(reason) => {
            let used = params.gas - ink_remaining.min(ink_budget) / INK_PER_GAS;
            (false, Some(Failure::Trap(reason)), Vec::new(), used)
        }
    };
    let out_of_gas = matches!(failure, Some(Failure::OutOfGas));
    let own_gas = gas_used.saturating_sub(frame.children_gas);
    let own_ink = (entry_gas * INK_PER_GAS)
        .saturating_add(ink_budget.saturating_sub(ink_remaining))
        .saturating_sub(frame.children_gas.saturating_mul(INK_PER_GAS));
    let mut breakdown = own_ledger.to_breakdown(own_ink, own_gas, out_of_gas);
    breakdown.add(&frame.children);
    breakdown.add(&frame.counters);
    Ok(FrameResult { success, failure, output, gas_used, breakdown })
}

// --- helpers used by the host functions --------------------------------------------------------

type Caller<'a> = wasmi::Caller<'a, Ctx>;
type HostResult<T> = Result<T, wasmi::Error>;

fn stop(reason: HostStop) -> wasmi::Error {
    wasmi::Error::host(reason)
}

pub(crate) fn frame<'a>(caller: &'a Caller<'_>) -> &'a Frame {
    caller.data().frames.last().expect("a host function runs inside a frame")
}

pub(crate) fn frame_mut<'a>(caller: &'a mut Caller<'_>) -> &'a mut Frame {
    caller.data_mut().frames.last_mut().expect("a host function runs inside a frame")
}

/// Ink left in the current frame.
pub(crate) fn ink_left(caller: &Caller<'_>) -> u64 {
    let global = frame(caller).ink_left;
    global.get(caller).i64().unwrap_or(0) as u64
}

fn set_ink_left(caller: &mut Caller<'_>, ink: u64) -> HostResult<()> {
    let global = frame(caller).ink_left;
    global.set(&mut *caller, Val::I64(ink as i64)).map_err(|e| stop(HostStop::Fatal(e.to_string())))
}

/// Gas left in the current frame.
pub(crate) fn gas_left(caller: &Caller<'_>) -> u64 {
    ink_left(caller) / INK_PER_GAS
}

/// Burns `ink` into `category`, or stops the frame as out of gas.
pub(crate) fn charge(caller: &mut Caller<'_>, category: Category, ink: u64) -> HostResult<()> {
    let left = ink_left(caller);
    if left < ink {
        set_ink_left(caller, 0)?;
        return Err(stop(HostStop::OutOfGas));
    }
    set_ink_left(caller, left - ink)?;
    frame_mut(caller).ledger.add(category, ink);
    Ok(())
}

/// Burns `gas` into `category`.
pub(crate) fn charge_gas(caller: &mut Caller<'_>, category: Category, gas: u64) -> HostResult<()> {
    charge(caller, category, gas.saturating_mul(INK_PER_GAS))
}

/// Stops the frame as out of gas unless at least `gas` is left (nothing is burned).
pub(crate) fn require_gas(caller: &Caller<'_>, gas: u64) -> HostResult<()> {
    if ink_left(caller) < gas.saturating_mul(INK_PER_GAS) {
        return Err(stop(HostStop::OutOfGas));
    }
    Ok(())
}

/// Charges for memory pages the program grew since the last check (nitro's memory model).
pub(crate) fn settle_memory(ctx: &mut impl CtxAccess) -> HostResult<()> {
    let Some(frame) = ctx.ctx().frames.last() else {
        return Ok(());
    };
    let (memory, known, ink_global) = (frame.memory, frame.pages, frame.ink_left);
    let now = memory.size(&*ctx);
    if now <= known {
        return Ok(());
    }
    let grown = u16::try_from(now - known).unwrap_or(u16::MAX);
    let data = ctx.ctx_mut();
    let gas = memory_gas(grown, data.pages_open, data.pages_ever);
    data.pages_open = data.pages_open.saturating_add(grown);
    data.pages_ever = data.pages_ever.max(data.pages_open);
    let frame = data.frames.last_mut().expect("checked above");
    frame.pages = now;
    let ink = gas.saturating_mul(INK_PER_GAS);
    let left = ink_global.get(&*ctx).i64().unwrap_or(0) as u64;
    let (left, result) =
        if left < ink { (0, Err(stop(HostStop::OutOfGas))) } else { (left - ink, Ok(())) };
    ink_global
        .set(&mut *ctx, Val::I64(left as i64))
        .map_err(|e| stop(HostStop::Fatal(e.to_string())))?;
    if result.is_ok() {
        let data = ctx.ctx_mut();
        if let Some(frame) = data.frames.last_mut() {
            frame.ledger.add(Category::Memory, ink);
        }
    }
    result
}

/// Reads `len` bytes of the program's memory at `ptr`.
pub(crate) fn read(caller: &Caller<'_>, ptr: i32, len: u32) -> HostResult<Vec<u8>> {
    let memory = frame(caller).memory;
    let start = ptr as u32 as usize;
    let end = start
        .checked_add(len as usize)
        .ok_or_else(|| stop(HostStop::Failure("memory access out of bounds".into())))?;
    memory
        .data(caller)
        .get(start..end)
        .map(<[u8]>::to_vec)
        .ok_or_else(|| stop(HostStop::Failure("memory access out of bounds".into())))
}

/// Reads a fixed-size value.
pub(crate) fn read_fixed<const N: usize>(caller: &Caller<'_>, ptr: i32) -> HostResult<[u8; N]> {
    let bytes = read(caller, ptr, N as u32)?;
    let mut out = [0u8; N];
    out.copy_from_slice(&bytes);
    Ok(out)
}

pub(crate) fn read_address(caller: &Caller<'_>, ptr: i32) -> HostResult<Address> {
    read_fixed::<20>(caller, ptr).map(Address::from)
}

pub(crate) fn read_b256(caller: &Caller<'_>, ptr: i32) -> HostResult<B256> {
    read_fixed::<32>(caller, ptr).map(B256::from)
}

/// Writes `bytes` into the program's memory at `ptr`.
pub(crate) fn write(caller: &mut Caller<'_>, ptr: i32, bytes: &[u8]) -> HostResult<()> {
    let memory = frame(caller).memory;
    let start = ptr as u32 as usize;
    let end = start
        .checked_add(bytes.len())
        .ok_or_else(|| stop(HostStop::Failure("memory access out of bounds".into())))?;
    let slot = memory
        .data_mut(&mut *caller)
        .get_mut(start..end)
        .ok_or_else(|| stop(HostStop::Failure("memory access out of bounds".into())))?;
    slot.copy_from_slice(bytes);
    Ok(())
}

pub(crate) fn fail(reason: impl Into<String>) -> wasmi::Error {
    stop(HostStop::Failure(reason.into()))
}

pub(crate) fn fatal(reason: impl Into<String>) -> wasmi::Error {
    stop(HostStop::Fatal(reason.into()))
}

pub(crate) fn exit(status: i32) -> wasmi::Error {
    stop(HostStop::Exit(status))
}

/// The gas rules of a call made by a program (EIP-150 63/64, EIP-2929 access, value and
/// new-account surcharges, stipend), then the call itself. Returns the callee's status
/// (0 success, 1 failure) after storing its output as the caller's return data.
pub(crate) fn program_call(
    caller: &mut Caller<'_>,
    kind: CallKind,
    target: Address,
    input: Vec<u8>,
    value: U256,
    gas_requested: u64,
) -> HostResult<u8> {
    let gas_left = gas_left(caller);
    let gas_requested = gas_requested.min(gas_left);
    let parent = &frame(caller).params;
    let parent_static = parent.is_static;
    let params = match kind {
        CallKind::Call => CallParams {
            kind,
            caller: parent.address,
            payer: parent.address,
            address: target,
            code_address: target,
            value,
            transfer: true,
            input,
            gas: 0,
            is_static: parent_static,
        },
        CallKind::Static => CallParams {
            kind,
            caller: parent.address,
            payer: parent.address,
            address: target,
            code_address: target,
            value: U256::ZERO,
            transfer: false,
            input,
            gas: 0,
            is_static: true,
        },
        CallKind::Delegate => CallParams {
            kind,
            caller: parent.caller,
            payer: parent.address,
            address: parent.address,
            code_address: target,
            value: parent.value,
            transfer: false,
            input,
            gas: 0,
            is_static: parent_static,
        },
    };
    frame_mut(caller).counters.calls += 1;
    let sends_value = kind == CallKind::Call && !value.is_zero();
    if sends_value && parent_static {
        // Write protection: a static frame cannot send value; the call fails.
        frame_mut(caller).return_data.clear();
        return Ok(1);
    }

    let world = &mut caller.data_mut().world;
    let access = world.access_account(target);
    let mut surcharge = 0;
    if sends_value {
        surcharge += CALL_VALUE_GAS;
        if world.is_empty(target) {
            surcharge += NEW_ACCOUNT_GAS;
        }
    }
    let base = access + surcharge;
    if base > gas_left {
        charge_gas(caller, Category::Account, base)?;
    }
    let available = gas_left - base;
    let mut child_gas = (available - available / 64).min(gas_requested);
    if sends_value {
        child_gas += CALL_STIPEND;
    }
    let params = CallParams { gas: child_gas, ..params };
    let result = run_call(caller, params).map_err(|Fatal(reason)| fatal(reason))?;

    charge_gas(caller, Category::Account, access)?;
    if sends_value {
        charge_gas(caller, Category::Value, surcharge - CALL_STIPEND)?;
    }
    let child_ink = result.gas_used.saturating_mul(INK_PER_GAS);
    let left = ink_left(caller);
    if left < child_ink {
        set_ink_left(caller, 0)?;
        return Err(stop(HostStop::OutOfGas));
    }
    set_ink_left(caller, left - child_ink)?;
    let parent = frame_mut(caller);
    parent.children_gas += result.gas_used;
    parent.children.add(&result.breakdown);
    parent.return_data = result.output;
    Ok(u8::from(!result.success))
}
