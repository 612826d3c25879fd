"""Who the patient is: age, sex, menopause; implausible values and contradictions."""

from __future__ import annotations

import pytest

from tests.parse.conftest import check

AGES = [
    ("67-year-old woman", {"age": 67, "sex": "female"}),
    ("a 67 year old", {"age": 67}),
    ("67 y/o", {"age": 67}),
    ("67yo F", {"age": 67, "sex": "female"}),
    ("67F", {"age": 67, "sex": "female"}),
    ("67 M with a wrist fracture", {"age": 67, "sex": "male"}),
    ("aged 67", {"age": 67}),
    ("age: 67", {"age": 67}),
    ("Age 81, female", {"age": 81, "sex": "female"}),
    ("she's 58", {"age": 58, "sex": "female"}),
    ("he is 72 years old", {"age": 72, "sex": "male"}),
    ("a 19-year-old's DXA", {"age": 19}),
    ("patient is 66 years of age", {"age": 66}),
    ("women over 65", {"age": None}),
    ("elderly patients", {"age": None}),
    ("men older than 50", {"age": None}),
    ("adults aged 50 and over", {"age": None}),
    ("age \u2265 65 years", {"age": None}),
    ("she is 5 years past menopause", {"age": None}),
    ("a 300-year-old woman", {"age": None, "questions": ["age"]}),
    ("a 0 year old", {"age": None, "questions": ["age"]}),
    ("72-year-old woman; she is 45", {"age": None, "contradictions": ["age"]}),
]

SEX = [
    ("an elderly lady", {"sex": "female"}),
    ("a gentleman with osteoporosis", {"sex": "male"}),
    ("his T-score", {"sex": "male"}),
    ("her FRAX", {"sex": "female"}),
    ("male patient", {"sex": "male"}),
    ("a postmenopausal woman or a man over 50", {"sex": None, "menopause": "post"}),
    ("postmenopausal women and older adults", {"sex": None, "menopause": "post"}),
    ("a woman or older adult with osteopenia", {"sex": None}),
    ("women age 65 and older and men age 70 and older", {"sex": None}),
    ("he has a postmenopausal woman's bone density", {"contradictions": ["sex"], "sex": None}),
    ("the patient", {"sex": None}),
]

MENOPAUSE = [
    ("postmenopausal", {"menopause": "post", "sex": "female"}),
    ("post-menopausal woman", {"menopause": "post", "sex": "female"}),
    ("post menopausal", {"menopause": "post"}),
    ("post\u2011menopausal", {"menopause": "post"}),
    ("a premenopausal woman", {"menopause": "pre", "sex": "female"}),
    ("perimenopausal", {"menopause": "peri"}),
    ("she is not postmenopausal", {"menopause": "pre"}),
    ("on hormone replacement therapy", {"menopause": "post", "cond.hrt": True}),
    ("stop HRT?", {"menopause": "post"}),
    ("she went through menopause at 48", {"menopause": "post", "age": None}),
]


@pytest.mark.parametrize(("text", "expect"), AGES, ids=[c[0][:50] for c in AGES])
def test_age(text: str, expect: dict) -> None:
    check(text, expect)


@pytest.mark.parametrize(("text", "expect"), SEX, ids=[c[0][:50] for c in SEX])
def test_sex(text: str, expect: dict) -> None:
    check(text, expect)


@pytest.mark.parametrize(("text", "expect"), MENOPAUSE, ids=[c[0][:50] for c in MENOPAUSE])
def test_menopause(text: str, expect: dict) -> None:
    check(text, expect)
