# Privacy Desk's production image, for Azure Container Apps, AKS or any container platform
# (docs/container.md; decision 0021). Two stages:
#   build    installs every dependency (the TypeScript compiler is a dev dependency) and compiles the
#            production tree into dist/ (npm run build: tsconfig.build.json, no tests or local tooling);
#   runtime  installs the runtime dependencies only (npm ci --omit=dev) and takes dist/ from the build.
# Nothing from the build stage but dist/ reaches the image: no compiler, no tests, no Azurite, no
# Agents Playground, no tsx. .dockerignore admits only what these COPY lines name, so a developer's
# .env or .data/ (which holds personal data) never enters the build.
#
#   docker build -t privacy-desk .
#   docker run --env-file production.env -p 3978:3978 privacy-desk

FROM node:24-bookworm-slim AS build
WORKDIR /build
# .npmrc answers "yes" for botbuilder-dialogs' install script, which fetches its helper with npx.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY app app
COPY adapters adapters
COPY bot bot
COPY cards cards
COPY dialogs dialogs
COPY domain domain
COPY tab/api tab/api
COPY tab/web tab/web
COPY tab/tabPage.ts tab/
COPY scripts/migrate.ts scripts/storeCopy.ts scripts/buildTab.ts scripts/
RUN npm run build

FROM node:24-bookworm-slim AS runtime
# MALLOC_ARENA_MAX and --max-semi-space-size (CMD) are what `npm run start:production` sets: the settings
# the export benchmark measures (decisions 0008, 0009).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund \
    && npm cache clean --force
COPY --from=build /build/dist dist
# Read at run time: the default sources and holiday files (start from them; point PRIVACY_DESK_SOURCES_FILE
# and PRIVACY_DESK_HOLIDAYS_FILE at your own), and the Teams manifest, for the app's id.
COPY config config
COPY appPackage/manifest.json appPackage/manifest.json
# The SQLite store's folder (PRIVACY_DESK_DATA_DIR, .data by default): mount a persistent disk here for one
# instance on SQLite, or set DATABASE_URL. The code and node_modules stay root's, read-only to the bot.
RUN install -d -o node -g node /app/.data
USER node
EXPOSE 3978
# Ready means the store and the packages container answer (/readyz, docs/production.md). There is no curl
# in the slim image: node asks. Container Apps and Kubernetes ignore HEALTHCHECK and use their own probes.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/readyz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1, without a shell between, so the platform's SIGTERM reaches the bot, which drains
# and exits 0 (docs/production.md, "Stopping"). It starts no child processes, so it needs no init to reap them.
CMD ["node", "--max-semi-space-size=4", "dist/app/main.js"]
