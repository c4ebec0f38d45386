//! Oracle: reporter committee, hash consensus, sanity limits, report application and protocol fee (not yet implemented).
