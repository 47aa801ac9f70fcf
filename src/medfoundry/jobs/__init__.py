"""Jobs: queued work with states and heartbeats, run in the foreground or by workers."""
