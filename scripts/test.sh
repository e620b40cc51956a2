#!/usr/bin/env bash
# npm test: make sure the Debian `zookeeper` package is there (installing it when we are root),
# build, then run every test. The mocha global fixture starts a real ZooKeeper and always stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f /usr/share/java/zookeeper.jar ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing the Debian package 'zookeeper' (needed by the tests)..." >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends zookeeper >/dev/null
  else
    echo "npm test needs a real ZooKeeper: install the Debian package 'zookeeper' (apt-get install zookeeper) or run as root" >&2
    exit 1
  fi
fi
command -v java >/dev/null || { echo "npm test needs java (the zookeeper package depends on it)" >&2; exit 1; }

# Always rebuild: tests that spawn the CLI run dist/, which must match lib/. The type check covers
# the tests too (mocha runs them through tsx, which does not check types).
npm run build >/dev/null
npm run typecheck >/dev/null || { echo "npm test: the type check failed (npm run typecheck shows why)" >&2; exit 1; }
export HAD_TEST=1
if [ $# -eq 0 ]; then set -- "lib/**/*.test.ts" "test/**/*.test.ts"; fi
exec npx mocha "$@"
