"""Property tests (issue 15): a stated value never moves to another site or score kind; a risk, prevention,
question or topic phrase never creates a fact."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.parse import parse

SITES = {
    "femoral_neck": ["femoral neck", "FN", "fem neck", "left femoral neck", "neck of femur"],
    "total_hip": ["total hip", "TH", "right total hip", "total left hip"],
    "lumbar_spine": ["lumbar spine", "LS", "L1-L4", "spine", "L2-L4"],
    "forearm_33": ["33% radius", "1/3 radius", "forearm"],
}
# (template, kind): {s} the site's words, {v} the value's words
TEMPLATES = [
    ("{s} T-score {v}", "t"), ("T-score {v} at the {s}", "t"), ("{s} T {v}", "t"), ("{s}: {v}", "t"),
    ("T-score of {v} in the {s}", "t"), ("the {s} T-score is now {v}", "t"), ("{s} T-score: {v}", "t"),
    ("DXA showed a T-score of {v} at the {s}", "t"), ("{s} remains {v}", "t"), ("{s} measured {v} this time", "t"),
    ("{s} Z-score {v}", "z"), ("Z-score {v} at the {s}", "z"), ("{s} Z {v}", "z"), ("Z-score of {v} in the {s}", "z"),
]
PREAMBLES = ["", "67F, ", "a 72-year-old woman, ", "postmenopausal, FRAX 12/2.1, ", "on alendronate x 5 yrs; "]
MINUS = ["-", "\u2212", "\u2013", "minus ", "negative "]
values = st.integers(min_value=-45, max_value=-1).map(lambda k: k / 10)


def _words(value: float, minus: str) -> str:
    return f"{minus}{abs(value):.1f}"


@settings(max_examples=300, deadline=None)
@given(site=st.sampled_from(sorted(SITES)), data=st.data(), value=values, minus=st.sampled_from(MINUS),
       template=st.sampled_from(TEMPLATES), preamble=st.sampled_from(PREAMBLES))
def test_a_stated_value_never_moves_to_another_site_or_kind(site, data, value, minus, template, preamble):
    words = data.draw(st.sampled_from(SITES[site]))
    pattern, kind = template
    text = preamble + pattern.format(s=words, v=_words(value, minus))
    f = parse(text).facts
    same, other = (f.t_scores, f.z_scores) if kind == "t" else (f.z_scores, f.t_scores)
    assert {s.value: v for s, v in same.items()} == {site: value}, text
    assert not other and f.t_score_unsited is None and f.z_score_unsited is None, text


@settings(max_examples=200, deadline=None)
@given(site=st.sampled_from(sorted(SITES)), data=st.data(), t=values, z=values,
       pattern=st.sampled_from(["{s} T {t} Z {z}", "{s}: T-score {t}, Z-score {z}", "{s} T-score {t} with Z-score {z}",
                                "T-score {t} and Z-score {z} at the {s}", "{s} Z-score {z}, T-score {t}",
                                "{s} T {t} / Z {z}"]))
def test_a_t_and_a_z_score_side_by_side_never_swap(site, data, t, z, pattern):
    words = data.draw(st.sampled_from(SITES[site]))
    text = pattern.format(s=words, t=f"{t:.1f}", z=f"{z:.1f}")
    f = parse(text).facts
    assert {s.value: v for s, v in f.t_scores.items()} == {site: t}, text
    assert {s.value: v for s, v in f.z_scores.items()} == {site: z}, text


FRAMES = [
    "worried about {c}", "to prevent {c}", "does she have {c}?", "high risk of {c}", "prevention of {c}",
    "could this be {c}?", "is she at risk of {c}?", "how do we reduce the risk of {c}?", "risk factors for {c}",
    "what is her probability of {c}?", "concerned about {c}", "is it {c}?", "avoid {c}",
    "what would you do if she had {c}?",
]
# (a topic frame, "treatment of X", states no diagnosis; with a fracture it is read as the patient's fracture
# by design: "first-line treatment for lumbar compression fractures in an older adult")
CONCEPTS = ["a hip fracture", "fractures", "osteoporosis", "a vertebral fracture", "wrist fractures",
            "another fracture", "hip fractures"]
LEADS = ["", "67F, FN -1.8. ", "She is 70. ", "postmenopausal woman; "]


@settings(max_examples=300, deadline=None)
@given(frame=st.sampled_from(FRAMES), concept=st.sampled_from(CONCEPTS), lead=st.sampled_from(LEADS))
def test_a_risk_or_question_phrase_never_creates_a_fact(frame, concept, lead):
    text = lead + frame.format(c=concept)
    f = parse(text).facts
    assert f.prior_fragility_fracture is None, text
    assert not f.fracture_sites, text
    assert "osteoporosis_stated" not in f.conditions, text
    assert not f.medications, text


@settings(max_examples=50, deadline=None)
@given(frame=st.sampled_from(["treatment of {c} in men", "management of {c}", "guidelines for {c}",
                              "screening for {c}", "drugs for {c} in older women", "approach to {c}"]),
       c=st.sampled_from(["osteoporosis", "osteopenia", "low bone mass"]), lead=st.sampled_from(LEADS))
def test_a_topic_is_not_a_stated_diagnosis(frame, c, lead):
    text = lead + frame.format(c=c)
    f = parse(text).facts
    assert "osteoporosis_stated" not in f.conditions and "osteopenia_stated" not in f.conditions, text
