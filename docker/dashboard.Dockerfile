# Klantmonitor dashboard: the built Angular app on nginx, which also proxies /api to the api.
#   docker build -f docker/dashboard.Dockerfile -t klantmonitor-dashboard .
FROM node:24-bookworm-slim AS build
WORKDIR /src
ENV NX_NO_CLOUD=true NX_DAEMON=false PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npx nx build dashboard --configuration=production

FROM nginx:1.29-alpine
COPY docker/nginx/default.conf /etc/nginx/conf.d/default.conf
COPY docker/nginx/security-headers.conf /etc/nginx/snippets/security-headers.conf
COPY --from=build /src/dist/apps/dashboard/browser /usr/share/nginx/html
EXPOSE 8080
