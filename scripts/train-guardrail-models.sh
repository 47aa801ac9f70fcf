#!/usr/bin/env bash
# Refit the packaged n-gram models of the guardrails (emergency escalate, denied-topic refuse,
# injection block) on every tuning file of tests/data/guardrails (the trainer refuses report halves).
# Needs the dev extra (scikit-learn). About a minute per model on a laptop CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
held_out=tests/data/guardrails/held_out.txt
files=()
for f in tests/data/guardrails/*.yaml; do
  case "$f" in *.report.yaml) continue ;; esac
  if [ -f "$held_out" ] && grep -qxF "$(basename "$f")" <(grep -v '^#' "$held_out"); then continue; fi
  files+=("$f")
done
out=src/medfoundry/guardrails/data/_model
python -m medfoundry.guardrails.ngram_train --target escalate --out "$out/emergency_ngram.json" "${files[@]}"
python -m medfoundry.guardrails.ngram_train --target refuse --out "$out/denied_ngram.json" "${files[@]}"
python -m medfoundry.guardrails.ngram_train --target block --out "$out/injection_ngram.json" "${files[@]}"
