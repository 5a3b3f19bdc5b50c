# The README's commands. Each installs what it misses.
.PHONY: run test openapi web bench

# Start the server on SQLite with mail written to ./var/mail; no configuration needed.
run:
	scripts/run.sh

# Run every check and test, with a throwaway PostgreSQL and a local SMTP server.
test:
	scripts/test.sh

# Regenerate openapi/openapi.json after changing the API.
openapi:
	cargo run --locked -q -p incert-api --bin incert -- openapi

# Build the web app in release mode into frontend/dist, which `make run` then serves.
web:
	scripts/build-web.sh

# Benchmark the release server on a throwaway PostgreSQL with 1,000,000 seeded accounts;
# results in target/bench/ and docs/benchmarks.md. Sizes: see scripts/bench.sh.
bench:
	scripts/bench.sh
