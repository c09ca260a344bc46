# The connector proxy as a container image, serving every bundled connector on port 7004.
#   docker build -t connector-proxy .
#   docker run -p 7004:7004 -e CONNECTOR_PROXY_API_KEY=... connector-proxy
# The build stage's RUN steps are the commands test/production-install.test.ts runs on a copy of
# the checkout, and the runtime stage copies what that test serves from: test/dockerfile.test.ts
# keeps the two the same, since CI has no Docker engine to build this image.
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm run build
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    CONNECTOR_PROXY_HOST=0.0.0.0 \
    CONNECTOR_PROXY_PORT=7004
WORKDIR /app
# Owned by root and read-only to the user the proxy runs as.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
COPY --from=build /app/connectors ./connectors
USER node
EXPOSE 7004
# Slim images have no curl: node asks /liveness itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.CONNECTOR_PROXY_PORT || 7004) + '/liveness').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM itself; serve stops accepting and drains requests in flight.
CMD ["node", "packages/cli/dist/bin.js", "serve"]
