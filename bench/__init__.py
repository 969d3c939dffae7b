"""Benchmarks: a fake Telegram Bot API server and the throughput measurement."""
