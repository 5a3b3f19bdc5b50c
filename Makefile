# The two commands of the README. Both install what they miss.
.PHONY: run test openapi

# Start the server on SQLite with mail written to ./var/mail; no configuration needed.
run:
	scripts/run.sh

# Run every check and test, with a throwaway PostgreSQL and a local SMTP server.
test:
	scripts/test.sh

# Regenerate openapi/openapi.json after changing the API.
openapi:
	cargo run --locked -q -p incert-api --bin incert -- openapi
