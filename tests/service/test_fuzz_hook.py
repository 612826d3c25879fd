"""Any JSON a client can send gives cards or a 400 (HookError), never another exception (a 500)."""

from __future__ import annotations

import copy
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.service.examples import hook_request, patients
from assistant.service.hook import HookError, answer_hook, parse_request

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
FIELDS = ["status", "code", "valueQuantity", "effectiveDateTime", "component", "gender", "birthDate",
          "clinicalStatus", "verificationStatus", "medicationCodeableConcept", "effectivePeriod", "authoredOn",
          "dosageInstruction", "resourceType", "entry", "value", "unit", "coding", "system"]


def answer(body: object) -> None:
    try:
        result = answer_hook(parse_request(body), "us", today=dt.date(2026, 6, 15))
    except HookError:
        return
    assert result["cards"] and all(len(c["summary"]) <= 140 for c in result["cards"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.sampled_from(["patient", "observations", "conditions", "medications"]), value=JSON)
def test_random_prefetch_values(key: str, value: object) -> None:
    answer(hook_request({key: value}))


def _paths(data: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(sorted(patients(dt.date(2026, 6, 15)))), data=st.data())
def test_mutated_synthetic_patients(case: str, data: st.DataObject) -> None:
    pre = copy.deepcopy(patients(dt.date(2026, 6, 15))[case]["prefetch"])
    paths = [p for p in _paths(pre) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        target = pre
        try:
            for step in path[:-1]:
                target = target[step]
            if data.draw(st.booleans()):
                target[path[-1]] = data.draw(JSON)
            elif isinstance(target, dict):
                target[data.draw(st.sampled_from(FIELDS))] = data.draw(JSON)
        except (KeyError, IndexError, TypeError):
            continue
    answer(hook_request(pre))
