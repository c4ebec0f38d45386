//! Deposit contract: staking entry, staking limit, buffered ether and 32-ETH validator deposits (not yet implemented).
