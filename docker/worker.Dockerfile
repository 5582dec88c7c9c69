# Klantmonitor worker (BullMQ processors, no HTTP). Build from the repository root:
#   docker build -f docker/worker.Dockerfile -t klantmonitor-worker .
# Base images are pinned by digest (the tag is for the reader; update both together:
# `docker buildx imagetools inspect node:24-bookworm-slim`).
FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS build
WORKDIR /src
ENV NX_NO_CLOUD=true NX_DAEMON=false PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
# Exactly the lockfile's versions.
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx build worker --configuration=production

FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/dist/apps/worker/package.json /src/dist/apps/worker/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist/apps/worker/ ./
USER node
# SIGTERM lets running jobs finish before the process exits.
STOPSIGNAL SIGTERM
CMD ["node", "main.js"]
