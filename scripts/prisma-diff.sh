#!/usr/bin/env bash
# Writes the SQL that turns one Prisma schema into another, offline (used by `npm run db:diff`).
# Prisma 7's CLI needs a native schema engine that these machines cannot download; Prisma 6.19's
# CLI carries a WebAssembly schema engine that runs when its config names a driver adapter.
# Usage: prisma-diff.sh OLD.prisma NEW.prisma > migration.sql   (OLD may be /dev/null for "from empty")
# Both files may be Prisma 7 schemas (no url in the datasource); this adds the url Prisma 6 wants.
# The WASM engine opens a connection through the adapter (it changes nothing there): a running
# PostgreSQL at PRISMA_DIFF_DATABASE_URL, by default postgresql://postgres@127.0.0.1:5432/postgres.
set -euo pipefail
old=$1 new=$2
[[ $old == /dev/null ]] || old=$(realpath "$old")
new=$(realpath "$new")
work=${PRISMA_DIFF_HOME:-${TMPDIR:-/tmp}/prisma-diff-6.19}
if [[ ! -x $work/node_modules/.bin/prisma ]]; then
  mkdir -p "$work"
  (cd "$work" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund prisma@6.19.3 @prisma/adapter-pg@6.19.3 pg >/dev/null 2>&1)
  cat >"$work/prisma.config.ts" <<'TS'
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  async adapter() { return new PrismaPg({ connectionString: process.env.PRISMA_DIFF_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" }); },
});
TS
  : >"$work/no-engine"
fi
with_url() { sed 's/^\([[:space:]]*provider[[:space:]]*=[[:space:]]*"postgresql"\)/\1\n  url = "postgresql:\/\/unused@127.0.0.1:1\/unused"/' "$1"; }
with_url "$new" >"$work/new.prisma"
cd "$work"
export PRISMA_SCHEMA_ENGINE_BINARY=$work/no-engine PRISMA_QUERY_ENGINE_LIBRARY=$work/no-engine PRISMA_HIDE_UPDATE_MESSAGE=1
if [[ $old == /dev/null ]]; then
  ./node_modules/.bin/prisma migrate diff --from-empty --to-schema-datamodel new.prisma --script 2>/dev/null | grep -v '^Loaded Prisma config'
else
  with_url "$old" >"$work/old.prisma"
  ./node_modules/.bin/prisma migrate diff --from-schema-datamodel old.prisma --to-schema-datamodel new.prisma --script 2>/dev/null | grep -v '^Loaded Prisma config'
fi
