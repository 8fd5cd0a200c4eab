"""The long-running service: daemon, scheduler, check runner, reload,
metrics and logs."""
