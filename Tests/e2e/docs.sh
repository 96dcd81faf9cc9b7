#!/usr/bin/env bash
# Checks that what a user reads stands on its own: no doc sends the reader to the project's issue tracker
# (`issues show N`) instead of stating the fact, and every Markdown file that Package.swift or the sources
# cite exists. With a build log (`swift build -c release 2>&1 | tee build.log`), also that the build of
# our own sources printed no warning. Usage: Tests/e2e/docs.sh [build.log] (from the repository root).
set -uo pipefail
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

if hits=$(grep -rn "issues show" README.md CHANGELOG.md docs demos --include=*.md); then
    fail "docs cite the issue tracker instead of the fact:"; echo "$hits" >&2
fi
for cited in $(grep -rhoE "[A-Za-z0-9_./-]+\.md\b" Package.swift Sources | sort -u); do
    found=$(find . -path ./.build\* -prune -o -name "$(basename "$cited")" -print | head -1)
    [ -n "$found" ] || fail "cited but not in the project: $cited"
done
if [ $# -ge 1 ]; then
    if hits=$(grep -E "^$PWD/(Sources|Tests|Package.swift).*warning:" "$1"); then
        fail "the build warns:"; echo "$hits" >&2
    fi
fi
if [ "$failures" -gt 0 ]; then echo "docs: $failures failure(s)" >&2; exit 1; fi
echo "docs: all checks passed"
