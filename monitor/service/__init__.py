"""The long-running service: daemon, scheduling, check pool, reload, metrics, logs."""
