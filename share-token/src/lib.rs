//! wstETH-compatible wrapped, non-rebasing token holding rebase-token shares (not yet implemented).
