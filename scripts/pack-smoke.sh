#!/usr/bin/env bash
# CI smoke of the package as a user gets it: `npm pack` (prepack builds), install the tarball into a temporary
# prefix as `npm i -g` would, then from an empty directory with empty HOME/XDG dirs run `mcpsh --version`, `init`,
# `doctor` and an `ask` against the scripted model; then the built CLI on Node 22 from the npm registry. Also
# checks that the CLI still runs when the native better-sqlite3 is absent and that `serve sqlite` says what to
# install. Prints one PASS/FAIL line per check and exits non-zero when any failed. Network: the npm registry only.
set -uo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
tmp="$(mktemp -d)"
model_pid=""
cleanup() {
  if [ -n "$model_pid" ]; then kill "$model_pid" 2>/dev/null; wait "$model_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

failures=0
pass() { echo "PASS pack-smoke: $1"; }
fail() {
  echo "FAIL pack-smoke: $1"
  failures=$((failures + 1))
  # The command's output, indented, so a red CI log says why.
  if [ -f "$tmp/out" ]; then sed 's/^/    stdout: /' "$tmp/out" | head -20; fi
  if [ -f "$tmp/err" ]; then sed 's/^/    stderr: /' "$tmp/err" | head -20; fi
}
# check NAME EXPECTED_EXIT GREP_STDOUT -- COMMAND...: runs COMMAND with stdout/stderr captured in $tmp/out, $tmp/err.
check() {
  local name="$1" want="$2" pattern="$3"
  shift 4
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name (exit $rc, expected $want)"
  elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$tmp/out"; then
    fail "$name (stdout does not match /$pattern/)"
  else
    pass "$name"
  fi
}

start=$(date +%s)

# 1. Pack. prepack runs the build, so this also proves a clean checkout packs what runs.
mkdir -p "$tmp/pack"
if npm pack --pack-destination "$tmp/pack" >"$tmp/pack.log" 2>&1; then pass "npm pack ($(($(date +%s) - start)) s)"; else cat "$tmp/pack.log"; fail "npm pack"; fi
tgz="$(ls "$tmp"/pack/mcpsh-*.tgz 2>/dev/null | head -1)"
if [ -z "$tgz" ]; then
  echo "FAIL pack-smoke: no tarball; nothing else can run"
  exit 1
fi
tar -tzf "$tgz" >"$tmp/files"
if grep -qx 'package/dist/cli.js' "$tmp/files" && grep -qx 'package/bin/mcpsh.js' "$tmp/files" \
  && grep -qx 'package/LICENSE' "$tmp/files" && grep -qx 'package/schema/mcp.config.schema.json' "$tmp/files" \
  && ! grep -Eq '\.map$|^package/(test|src)/' "$tmp/files"; then
  pass "tarball holds dist, bin, schema, LICENSE and no tests, sources or source maps ($(wc -l <"$tmp/files") files)"
else
  fail "tarball contents"
  head -40 "$tmp/files"
fi

# 2. Install as `npm i -g` would, into a prefix of our own (dependencies from the registry or npm's cache).
prefix="$tmp/prefix"
if npm install -g --prefix "$prefix" "$tgz" --no-audit --no-fund --prefer-offline >"$tmp/install.log" 2>&1; then
  pass "npm install -g of the tarball ($(($(date +%s) - start)) s since the start)"
else
  cat "$tmp/install.log"
  fail "npm install -g of the tarball"
fi
mcpsh="$prefix/bin/mcpsh"

# 3. The scripted model, shared by both asks; it prints `listening <baseURL>` on stderr once it is ready.
answer='pack smoke answer 42'
printf '[{"text":"%s"},{"text":"%s"},{"text":"%s"},{"text":"%s"}]\n' "$answer" "$answer" "$answer" "$answer" >"$tmp/script.json"
# exec: MODEL_PID is then the model itself, which the cleanup kills (a subshell would die and leave it running).
coproc MODEL { exec node "$repo/test/fixtures/openai/cli.mjs" "$tmp/script.json" 2>&1 >/dev/null; }
model_pid="$MODEL_PID"
base_url=""
while IFS= read -r -t 60 -u "${MODEL[0]}" line; do
  case "$line" in listening\ *) base_url="${line#listening }"; break ;; esac
done
if [ -n "$base_url" ]; then pass "scripted model at $base_url"; else fail "scripted model did not start"; fi
# Keep draining its request log so it never blocks on a full pipe (a coproc's own fds do not reach subshells).
exec 3<&"${MODEL[0]}"
cat <&3 >/dev/null &
exec 3<&-

# A newcomer's machine: an empty project directory and empty home, XDG and mcpsh dirs; PATH finds the installed mcpsh.
home="$tmp/home"
work="$tmp/work"
mkdir -p "$home" "$work"
user_env=(env -i "PATH=$prefix/bin:$PATH" "HOME=$home" "LANG=C.UTF-8"
  "XDG_CONFIG_HOME=$home/.config" "XDG_STATE_HOME=$home/.local/state" "XDG_DATA_HOME=$home/.local/share" "XDG_CACHE_HOME=$home/.cache"
  "MCPSH_CONFIG_DIR=$home/mcpsh/config" "MCPSH_STATE_DIR=$home/mcpsh/state" "MCPSH_DATA_DIR=$home/mcpsh/data" "MCPSH_CACHE_DIR=$home/mcpsh/cache")
model_env=("OPENAI_BASE_URL=$base_url" "OPENAI_API_KEY=pack-smoke" "MCPSH_MODEL=scripted")
version="$(node -p 'require("./package.json").version')"

cd "$work" || exit 1
check "installed mcpsh --version" 0 "^${version//./\\.}\$" -- "${user_env[@]}" "$mcpsh" --version
check "installed mcpsh ask --help" 0 "docs/scripting\.md" -- "${user_env[@]}" "$mcpsh" ask --help
doc="$(grep -o '/[^ ]*/docs/scripting\.md' "$tmp/out" | head -1)"
if [ -n "$doc" ] && [ -f "$doc" ] && [ "${doc#"$prefix"/}" != "$doc" ]; then
  pass "installed --help names its docs by a path inside the installed package"
else
  fail "installed --help docs path ($doc) is not a file inside $prefix"
fi
check "installed mcpsh init" 0 "wrote .*mcp\.config\.json" -- "${user_env[@]}" "$mcpsh" init
# The starter config's one server is `mcpsh serve sqlite demo.db --demo`: doctor connects to it through PATH.
check "installed mcpsh doctor on the init config" 0 "db" -- "${user_env[@]}" "$mcpsh" doctor
check "installed mcpsh ask against the scripted model" 0 "^$answer\$" -- "${user_env[@]}" "${model_env[@]}" "$mcpsh" ask "say the answer"

# 4. Where the native addon could not be installed the CLI still runs, and the SQLite server names the fix.
addon="$(ls -d "$prefix"/lib/node_modules/mcpsh/node_modules/better-sqlite3 "$prefix"/lib/node_modules/better-sqlite3 2>/dev/null | head -1)"
if [ -n "$addon" ]; then
  mv "$addon" "$tmp/better-sqlite3.away"
  check "without better-sqlite3: mcpsh --version" 0 "^${version//./\\.}\$" -- "${user_env[@]}" "$mcpsh" --version
  check "without better-sqlite3: mcpsh ask" 0 "^$answer\$" -- "${user_env[@]}" "${model_env[@]}" "$mcpsh" ask "say the answer"
  check "without better-sqlite3: serve sqlite exits 3" 3 "" -- "${user_env[@]}" "$mcpsh" serve sqlite demo.db --demo
  if grep -q 'needs the native module better-sqlite3' "$tmp/err" && grep -q 'npm install -g better-sqlite3' "$tmp/err"; then
    pass "without better-sqlite3: serve sqlite says what to install"
  else
    fail "without better-sqlite3: serve sqlite message"
  fi
  mv "$tmp/better-sqlite3.away" "$addon"
else
  echo "SKIP pack-smoke: better-sqlite3 was not installed with the package (optional dependency that did not build)"
fi
cd "$repo" || exit 1

# 5. The built CLI of this checkout on Node 22 from the npm registry, beside the Node 20 of everything above.
# better-sqlite3 here is built for this Node, so on Node 22 the demo config's db server may fail to start: it
# must then name better-sqlite3 rather than crash mcpsh, and the other servers still list their tools.
node22=(env "MCPSH_CONFIG_DIR=$tmp/n22/config" "MCPSH_STATE_DIR=$tmp/n22/state" "MCPSH_DATA_DIR=$tmp/n22/data"
  "MCPSH_CACHE_DIR=$tmp/n22/cache" npx -y -p node@22 -c)
# A config with no servers: this ask is about the model path on Node 22, not about spawning servers.
echo '{ "mcpServers": {} }' >"$tmp/model-only.json"
check "node 22: mcpsh --version" 0 "^${version//./\\.}\$" -- "${node22[@]}" 'node --version >&2 && node bin/mcpsh.js --version'
if grep -q '^v22\.' "$tmp/err"; then pass "node 22: ran on $(head -1 "$tmp/err")"; else fail "node 22: not Node 22"; fi
check "node 22: mcpsh tools on the demo config" 0 "^files \([0-9]+ tools\)" -- "${node22[@]}" 'node bin/mcpsh.js tools --trust'
if grep -q '^db (' "$tmp/out" || grep -q 'better-sqlite3' "$tmp/err"; then
  pass "node 22: the db server lists its tools or names better-sqlite3"
else
  fail "node 22: the db server neither listed its tools nor named better-sqlite3"
fi
check "node 22: mcpsh ask against the scripted model" 0 "^$answer\$" -- \
  env "${model_env[@]}" "${node22[@]}" "node bin/mcpsh.js ask --trust -c '$tmp/model-only.json' 'say the answer'"

echo "pack-smoke: $failures failed, $(($(date +%s) - start)) s"
[ "$failures" -eq 0 ]
