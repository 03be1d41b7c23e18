#!/usr/bin/env bash
# Grading speed of an older commit and of this checkout, side by side, alternated twice:
#     scripts/bench_grading_ab.sh df9aea6
# The older commit is checked out in a temporary worktree and imported first (PYTHONPATH), with
# this checkout's virtual environment; both run scripts/bench_grading.py --copies 4.
set -euo pipefail
old=${1:?usage: scripts/bench_grading_ab.sh OLD_COMMIT}
here=$(cd "$(dirname "$0")/.." && pwd)
py="$here/.venv/bin/python"
tree=$(mktemp -d /tmp/igcourse-bench-old.XXXXXX)
git -C "$here" worktree add --detach -q "$tree" "$old"
trap 'git -C "$here" worktree remove --force "$tree"' EXIT
quiet() { grep -v "^[IWE]0000\|cuda\|oneDNN\|AVX\|rebuild TensorFlow" || true; }
for round in 1 2; do
  echo "=== round $round: $old"; uptime
  (cd "$tree" && PYTHONPATH="$tree" IGCOURSE_ROOT="$tree" "$py" scripts/bench_grading.py --copies 4 2>&1 | quiet | tail -8)
  echo "=== round $round: $(git -C "$here" rev-parse --short HEAD)"; uptime
  (cd "$here" && "$py" scripts/bench_grading.py --copies 4 2>&1 | quiet | tail -8)
done
