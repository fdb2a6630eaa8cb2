-- Rate limits and login-failure counters shared by every process of one
-- forum on PostgreSQL (on SQLite, with one process, they stay in memory
-- and these tables stay empty). Times are microseconds since the epoch.
-- `tat`: the theoretical arrival time of the generic cell rate algorithm.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY NOT NULL,
    tat BIGINT NOT NULL
);

CREATE TABLE login_failures (
    account TEXT NOT NULL,
    ip TEXT NOT NULL,
    count BIGINT NOT NULL,
    until_us BIGINT NOT NULL,
    PRIMARY KEY (account, ip)
);
