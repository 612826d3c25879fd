#!/bin/bash
# Instructions per replayed turn for each layer alone and for the whole replay (valgrind's callgrind:
# counts, not seconds, so the machine's load does not change them). About 2 minutes per layer.
#   bash benchmarks/callgrind_layers.sh [parse engine render all]
# On the original 30 transcripts (01-30, 125 turns), or on every transcript with LAYER_TRANSCRIPTS=all.
cd "$(dirname "$0")/.." || exit 2
PY=.venv/bin/python
export PYTHONHASHSEED=0
# No on-disk YAML or template cache: other checkouts on this machine share it, and a cache written between
# the 1-round and the 3-round run would move the difference (the per-turn figure is the same without it).
export ASSISTANT_NO_CACHE=1
turns=$($PY benchmarks/layer_rounds.py turns)
for mode in "${@:-parse engine render all}"; do
  for mode1 in $mode; do
    one=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $PY benchmarks/layer_rounds.py "$mode1" 1 2>&1 | grep "I   refs" | tr -d ',' | awk '{print $NF}')
    three=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $PY benchmarks/layer_rounds.py "$mode1" 3 2>&1 | grep "I   refs" | tr -d ',' | awk '{print $NF}')
    python3 -c "print(f'$mode1: {($three - $one) / 2 / $turns / 1e6:.3f} M instructions per replayed turn')"
  done
done
