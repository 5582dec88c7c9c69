# Klantmonitor worker (BullMQ processors, no HTTP). Build from the repository root:
#   docker build -f docker/worker.Dockerfile -t klantmonitor-worker .
FROM node:24-bookworm-slim AS build
WORKDIR /src
ENV NX_NO_CLOUD=true NX_DAEMON=false PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npx nx build worker --configuration=production

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /src/dist/apps/worker/package.json /src/dist/apps/worker/package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist/apps/worker/ ./
USER node
# SIGTERM lets running jobs finish before the process exits.
STOPSIGNAL SIGTERM
CMD ["node", "main.js"]
