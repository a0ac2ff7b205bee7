# optin: build with Debian's -dev packages, run with only the runtime libraries, as a non-root user.
#   docker build -t optin .      (or: docker compose up --build, see docker-compose.yml)

FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake pkg-config \
      libcpp-httplib-dev libpqxx-dev libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libidn2-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake cmake
COPY sql sql
COPY service service
COPY storage storage
COPY integrations integrations
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DOPTIN_BUILD_TESTS=OFF \
 && cmake --build build -j "$(nproc)" \
 && strip build/optin

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpqxx-6.4 libpq5 libcurl4 libcpp-httplib0.11 \
      libidn2-0 libssl3 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/optin --create-home --shell /usr/sbin/nologin optin
COPY --from=build /src/build/optin /usr/local/bin/optin
USER optin
WORKDIR /var/lib/optin
ENV OPTIN_LISTEN=0.0.0.0:8080 \
    OPTIN_MAIL_DIR=/var/lib/optin/mail
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/optin"]
CMD ["serve"]
