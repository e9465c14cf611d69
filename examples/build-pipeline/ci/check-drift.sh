#!/usr/bin/env bash
# The CI step: fail the build when deploy/ is not exactly what deployment.yaml renders.
# `check` exits 0 when clean, 1 on drift (changed, missing or extra files) or an invalid spec,
# 2 on a usage or I/O error; --json prints one report for the CI log or a bot.
set -euo pipefail
cd "$(dirname "$0")/.."
npx messenger-stack validate deployment.yaml
npx messenger-stack check deployment.yaml --out deploy
