# The `incert` server and the `bankid-simulator` in one image, for docker-compose.yml.
# Build from the repository root: docker build -t incertonline .

FROM rust:1.95-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p incert-api --bin incert \
    && cargo build --release --locked -p incert-bankid --bin bankid-simulator

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/incert --create-home incert
COPY --from=build /src/target/release/incert /src/target/release/bankid-simulator /usr/local/bin/
USER incert
WORKDIR /var/lib/incert
ENV INCERT_DATA_DIR=/var/lib/incert \
    INCERT_LISTEN=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["incert"]
CMD ["serve"]
