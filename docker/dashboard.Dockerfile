# Klantmonitor dashboard: the built Angular app on nginx, which also terminates TLS and proxies /api
# to the api.   docker build -f docker/dashboard.Dockerfile -t klantmonitor-dashboard .
# Base images are pinned by digest (the tag is for the reader; update both together:
# `docker buildx imagetools inspect nginx:1.29-alpine`).
FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS build
WORKDIR /src
ENV NX_NO_CLOUD=true NX_DAEMON=false PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
# Exactly the lockfile's versions.
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx build dashboard --configuration=production

FROM nginx:1.29-alpine@sha256:5616878291a2eed594aee8db4dade5878cf7edcb475e59193904b198d9b830de
# openssl: the self-signed certificate of a local try (docker/nginx/entrypoint/20-klantmonitor.sh).
RUN apk add --no-cache openssl && mkdir -p /etc/nginx/tls /etc/nginx/snippets
COPY docker/nginx/default.conf /etc/nginx/conf.d/default.conf
COPY docker/nginx/security-headers.conf /etc/nginx/snippets/security-headers.conf
COPY docker/nginx/entrypoint/20-klantmonitor.sh /docker-entrypoint.d/20-klantmonitor.sh
COPY --from=build /src/dist/apps/dashboard/browser /usr/share/nginx/html
EXPOSE 8080 8443
