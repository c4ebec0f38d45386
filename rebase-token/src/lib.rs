//! stETH-compatible rebasing token: balances are shares rescaled by total pooled ether (not yet implemented).
