"""Hand-written probe questions -> tests/probes/probes.jsonl (labels by hand; see the report)."""
import json, sys

SITE = {"fn": "femoral_neck", "th": "total_hip", "ls": "lumbar_spine", "fa": "forearm_33"}
out = []

def P(q, d=None, style="", **k):
    f = {}
    if "age" in k: f["age"] = k["age"]
    if "sex" in k: f["sex"] = {"F": "female", "M": "male"}[k["sex"]]
    if "meno" in k: f["menopause"] = k["meno"]
    if "fx" in k: f["prior_fragility_fracture"] = k["fx"]
    if "gc" in k: f["glucocorticoids"] = k["gc"]
    if "egfr" in k: f["egfr"] = k["egfr"]
    if "vd" in k: f["vitamin_d"] = k["vd"]
    t = {SITE[s]: k[s] for s in SITE if s in k}
    if t: f["t_scores"] = t
    z = {SITE[s[1:]]: k[s] for s in ("zfn", "zth", "zls", "zfa") if s in k}
    if z: f["z_scores"] = z
    fr = {}
    if "mof" in k: fr["major"] = k["mof"]
    if "hf" in k: fr["hip"] = k["hip"] if False else k["hf"]
    if fr: f["frax"] = fr
    if "bmi" in k: f["bmi"] = k["bmi"]
    out.append({"id": f"p{len(out)+1:03d}", "style": style, "question": q, "facts": f,
                "expected": {"pharmacologic_treatment": d}})

Y, N, C = "yes", "no", "conditional"

# --- telegraphic notes -------------------------------------------------------------------------
P("67F, FN -2.6, TH -1.9, L1-4 -2.2, FRAX 18/3.1", Y, "note", age=67, sex="F", fn=-2.6, th=-1.9, ls=-2.2, mof=18, hf=3.1)
P("72F FN -1.8 TH -1.4 LS -1.2, FRAX 11/1.6, no fx", N, "note", age=72, sex="F", fn=-1.8, th=-1.4, ls=-1.2, mof=11, hf=1.6, fx=False)
P("58 yo F, PMW, DEXA: LS T -1.8, FN T=-2,1; no prior fx. Tx?", C, "note", age=58, sex="F", meno="post", ls=-1.8, fn=-2.1, fx=False)
P("74M, LS -2.9, FN -2.1", Y, "note", age=74, sex="M", ls=-2.9, fn=-2.1)
P("61 y/o F. BMD: L1-L4 T -1.6, fem neck T -1.9. FRAX MOF 9.8%, HF 1.1%. Rx or not?", N, "note", age=61, sex="F", ls=-1.6, fn=-1.9, mof=9.8, hf=1.1)
P("80F, TH T -2.3, FN -2.4, FRAX major 24, hip 5.8", Y, "note", age=80, sex="F", th=-2.3, fn=-2.4, mof=24, hf=5.8)
P("66 F  osteopenia FN -1.7  FRAX 14% / 2.2%  tx?", N, "note", age=66, sex="F", fn=-1.7, mof=14, hf=2.2)
P("55F perimenopausal, LS -1.3, FN -1.1, no FRAX yet", C, "note", age=55, sex="F", meno="peri", ls=-1.3, fn=-1.1)
P("69M FN -1.9 TH -1.5, MOF 8, HF 3.4", Y, "note", age=69, sex="M", fn=-1.9, th=-1.5, mof=8, hf=3.4)
P("77F, hx vertebral compression fx, LS -2.0", Y, "note", age=77, sex="F", fx=True, ls=-2.0)
P("63F FN T -0.8, TH T -0.5, LS T -1.0", N, "note", age=63, sex="F", fn=-0.8, th=-0.5, ls=-1.0)
P("70 yo M, T-score L-spine -2.5, hip -1.2", Y, "note", age=70, sex="M", ls=-2.5, th=-1.2)
P("59F PMW LS -2.2 FN -1.5 FRAX 7.5/0.6", N, "note", age=59, sex="F", meno="post", ls=-2.2, fn=-1.5, mof=7.5, hf=0.6)
P("84F, falls x2 this yr, FN -2.2, FRAX 19/4.2", Y, "note", age=84, sex="F", fn=-2.2, mof=19, hf=4.2)
P("68 F, FN -1.4, prior distal radius fx after trip on curb 2021", Y, "note", age=68, sex="F", fn=-1.4, fx=True)
P("62F, no prior fx, FN -1.2, TH -0.9, FRAX 6/0.5 - start alendronate?", N, "note", age=62, sex="F", fx=False, fn=-1.2, th=-0.9, mof=6, hf=0.5)
P("75F hip fx 2022, DXA pending", Y, "note", age=75, sex="F", fx=True)
P("52 yo F, post-menopausal, L1-L4 T-score -2.7", Y, "note", age=52, sex="F", meno="post", ls=-2.7)
P("60M, FN -2.0, TH -1.7, LS -0.9. FRAX 5.2/1.0", N, "note", age=60, sex="M", fn=-2.0, th=-1.7, ls=-0.9, mof=5.2, hf=1.0)
P("73F. FN −2.4 TH −2.0 LS −1.6", C, "note", age=73, sex="F", fn=-2.4, th=-2.0, ls=-1.6)
P("71F FN -2.45, TH -2.1, FRAX 16/2.6", N, "note", age=71, sex="F", fn=-2.45, th=-2.1, mof=16, hf=2.6)
P("65F, T -2.6 SD at femoral neck", Y, "note", age=65, sex="F", fn=-2.6)
P("66F  FN T=-1.9  TH T=-1.6  FRAX 21/2.1", Y, "note", age=66, sex="F", fn=-1.9, th=-1.6, mof=21, hf=2.1)
P("79 yo woman; femoral neck minus 2.8; total hip minus 2.3", Y, "note", age=79, sex="F", fn=-2.8, th=-2.3)
P("57F, LS -1,4, FN -1,7, FRAX 8,5 / 0,9", N, "note", age=57, sex="F", ls=-1.4, fn=-1.7, mof=8.5, hf=0.9)
P("76M FN T-score: -2.2; TH: -1.8; MOF 13%; hip 3.2%", Y, "note", age=76, sex="M", fn=-2.2, th=-1.8, mof=13, hf=3.2)
P("OPN, 64F, FN -1.6, FRAX pending", C, "note", age=64, sex="F", fn=-1.6)
P("54F premenopausal, LS Z -2.3", C, "note", age=54, sex="F", meno="pre", zls=-2.3)
P("45M, Z-score FN -2.4, on no meds", C, "note", age=45, sex="M", zfn=-2.4)
P("70F, 1/3 radius T -2.7, hip and spine not measurable (hardware)", Y, "note", age=70, sex="F", fa=-2.7)

# --- DXA report excerpts ------------------------------------------------------------------------
P("Left femoral neck BMD 0.612 g/cm2, T-score -2.3, Z-score -1.1. Total hip BMD 0.744 g/cm2, T-score -1.6. 70 y/o woman, FRAX MOF 12%, HF 2.4%.",
  N, "report", fn=-2.3, zfn=-1.1, th=-1.6, age=70, sex="F", mof=12, hf=2.4)
P("DXA 03/2024: Lumbar spine (L1-L4) BMD 0.845 g/cm2, T-score -2.8, Z-score -1.5. Femoral neck T-score -1.9. Patient is a 66-year-old postmenopausal woman.",
  Y, "report", ls=-2.8, zls=-1.5, fn=-1.9, age=66, sex="F", meno="post")
P("IMPRESSION: Osteopenia. Lowest T-score -2.1 at the right femoral neck. 10-year probability: major osteoporotic fracture 22%, hip fracture 2.8%. 71 yo F.",
  Y, "report", fn=-2.1, mof=22, hf=2.8, age=71, sex="F")
P("Region / BMD / T-score / Z-score\nL1-L4  0.901  -1.9  -0.8\nLeft FN  0.655  -1.8  -0.6\nLeft TH  0.790  -1.2  -0.2\n68F, FRAX 10.2/1.4",
  N, "report", ls=-1.9, zls=-0.8, fn=-1.8, zfn=-0.6, th=-1.2, zth=-0.2, age=68, sex="F", mof=10.2, hf=1.4)
P("Total hip: T-score -2.6 (osteoporosis). Femoral neck: T-score -2.4. Spine: T-score -1.7. Age 73, female.",
  Y, "report", th=-2.6, fn=-2.4, ls=-1.7, age=73, sex="F")
P("DEXA report: AP spine L1-L4 T score -1.2; left femur neck T score -2.0; total left femur T score -1.5. FRAX 10-yr MOF 17%, hip 2.9%. 64 year old female.",
  N, "report", ls=-1.2, fn=-2.0, th=-1.5, mof=17, hf=2.9, age=64, sex="F")
P("Right femoral neck: BMD 0.701 g/cm², T −1.5, Z −0.3. Right total hip: T −1.1. L1–L4: T −1.4. 62 yo M.",
  C, "report", fn=-1.5, zfn=-0.3, th=-1.1, ls=-1.4, age=62, sex="M")
P("Forearm (1/3 radius) T-score -2.9. Spine and hips excluded due to degenerative change and bilateral THR. 78F.",
  Y, "report", fa=-2.9, age=78, sex="F")
P("Results: L2-L4 T = -3.2; femoral neck T = -2.6; total hip T = -2.1. 81-year-old man.",
  Y, "report", ls=-3.2, fn=-2.6, th=-2.1, age=81, sex="M")
P("Femoral neck T-score: -1.4\nTotal hip T-score: -1.0\nLumbar spine T-score: -0.7\n58 year old woman, LMP 4 years ago",
  C, "report", fn=-1.4, th=-1.0, ls=-0.7, age=58, sex="F", meno="post")

# --- dictated letters -----------------------------------------------------------------------------
P("Dear colleague, thank you for seeing Mrs Patel, a 69 year old lady who had a DEXA scan last month showing a T-score of -2.2 at the femoral neck and -1.8 at the lumbar spine. Her FRAX score is 16% for major osteoporotic fracture and 2.1% for hip fracture. I would be grateful for your advice on whether she needs treatment.",
  N, "letter", age=69, sex="F", fn=-2.2, ls=-1.8, mof=16, hf=2.1)
P("Re: John Smith, 73. He sustained a low trauma fracture of the left neck of femur in January. His bone density shows a femoral neck T-score of minus 1.9. He is not on any bone protection. Should he be?",
  Y, "letter", age=73, sex="M", fx=True, fn=-1.9)
P("I saw this 64-year-old postmenopausal woman in clinic today. She has no history of fractures, does not smoke, and denies falls. Her DXA shows osteopenia with a lowest T-score of -1.8 at the total hip. FRAX was not calculated.",
  C, "letter", age=64, sex="F", meno="post", fx=False, th=-1.8)
P("Thank you for referring this 58 year old gentleman with a T-score of -2.7 at the lumbar spine. He has been on prednisolone 7.5 mg daily for two years for polymyalgia.",
  None, "letter", age=58, sex="M", ls=-2.7, gc=True)
P("This 82-year-old lady fractured her wrist last year when she slipped on ice. Her bone density is in the osteopenic range with a femoral neck T-score of -2.1.",
  Y, "letter", age=82, sex="F", fx=True, fn=-2.1)
P("Mr Brown is a 67 year old retired teacher. DXA: spine -1.1, hip -0.8. No fractures. Vitamin D 62 nmol/L. He asks whether he needs medication.",
  C, "letter", age=67, sex="M", ls=-1.1, th=-0.8, fx=False, vd=24.8)
P("Mrs. Lee (71) was found to have a vertebral fracture at T12 on a chest X-ray. Her T-scores are -1.6 at the spine and -1.3 at the hip.",
  Y, "letter", age=71, sex="F", fx=True, ls=-1.6, th=-1.3)
P("Thank you for seeing this 60-year-old woman who is now 8 years postmenopausal. Her mother broke her hip at 75. Her DXA shows T-scores of -1.7 (femoral neck) and -1.5 (total hip), and her FRAX with BMD is 9.1% and 1.3%.",
  N, "letter", age=60, sex="F", meno="post", fn=-1.7, th=-1.5, mof=9.1, hf=1.3)

# --- patient portal messages ------------------------------------------------------------------------
P("Hi doctor, my DEXA said my hip T score is -2.4 and my spine is -1.9. I'm 61 and went through menopause at 50. Do I need medication?",
  C, "portal", th=-2.4, ls=-1.9, age=61, sex="F", meno="post")
P("hello, I am a 66 year old woman. my bone scan came back and the doctor said osteopenia, t score -1.5. I have never broken a bone. should I take fosamax?",
  C, "portal", age=66, sex="F", fx=False)
P("My mom is 79 and her bone density test says -3.0 in her spine. She broke her wrist 2 yrs ago. What should she take?",
  Y, "portal", age=79, sex="F", ls=-3.0, fx=True)
P("I'm 57, female, my dexa t-score was -2.0 at my hip and my FRAX was 6% and 0.8%. Is it ok to just do calcium and exercise?",
  N, "portal", age=57, sex="F", th=-2.0, mof=6, hf=0.8)
P("Quick question - my husband is 72, his spine t score is -2.6. Does he need treatment?",
  Y, "portal", age=72, sex="M", ls=-2.6)
P("I had a DXA, results: neck of femur -1.3, spine -0.9. I'm 63 and postmenopausal. No fractures. Do I need anything?",
  C, "portal", fn=-1.3, ls=-0.9, age=63, sex="F", meno="post", fx=False)
P("im 70 F my vit d is 15 and my t score at the hip was -2.5, what do i do",
  Y, "portal", age=70, sex="F", vd=15, th=-2.5)
P("I'm a 54 year old man with Crohn's, been on steroids on and off for years. DEXA showed T score -1.9 in my spine. Worried.",
  None, "portal", age=54, sex="M", gc=True, ls=-1.9)

# --- lists and line breaks ---------------------------------------------------------------------------
P("Patient:\n- 68F\n- FN T -2.0\n- TH T -1.7\n- FRAX 12% MOF / 1.9% hip\n- no prior fractures\nTreat?",
  N, "list", age=68, sex="F", fn=-2.0, th=-1.7, mof=12, hf=1.9, fx=False)
P("• Age: 74\n• Sex: F\n• LS T-score: -2.3\n• FN T-score: -2.6\n• Prior fx: none",
  Y, "list", age=74, sex="F", ls=-2.3, fn=-2.6, fx=False)
P("Age 65 | Sex M | FN -1.5 | TH -1.2 | FRAX 7/1.1", N, "list", age=65, sex="M", fn=-1.5, th=-1.2, mof=7, hf=1.1)
P("1. 71 yo woman\n2. osteopenia, FN -2.2\n3. FRAX 20.5% major, 2.6% hip\n4. eGFR 55", Y, "list", age=71, sex="F", fn=-2.2, mof=20.5, hf=2.6, egfr=55)
P("Hx:\n* PMW, 62\n* Wrist fracture 2020 (fell from standing)\n* LS -1.8, FN -1.6\n* Vit D 28 ng/mL", Y, "list", meno="post", sex="F", age=62, fx=True, ls=-1.8, fn=-1.6, vd=28)
P("Facts: 77 year old female; T-scores: spine -1.4, femoral neck -2.1, total hip -1.9; FRAX (with BMD): 18% and 3.6%; creatinine 88 µmol/L.",
  Y, "list", age=77, sex="F", ls=-1.4, fn=-2.1, th=-1.9, mof=18, hf=3.6)
P("- 69 M\n- FRAX w/o BMD 25 / 4.0\n- no DXA yet", C, "list", age=69, sex="M", mof=25, hf=4.0)
P("- 64F\n- FRAX (no BMD) MOF 8.2, HF 0.9\n- never had DXA", N, "list", age=64, sex="F", mof=8.2, hf=0.9)

# --- units and symbols ---------------------------------------------------------------------------------
P("66F, T ≤ -2.5 at the spine (T = -2.7), FN -1.8", Y, "units", age=66, sex="F", ls=-2.7, fn=-1.8)
P("70F with FN T-score –2.2 and FRAX hip ≥ 3% (3.3%), MOF 14%", Y, "units", age=70, sex="F", fn=-2.2, hf=3.3, mof=14)
P("72-year-old woman, 25OHD 40 nmol/L, FN -1.6, FRAX 10/1.5", N, "units", age=72, sex="F", vd=16, fn=-1.6, mof=10, hf=1.5)
P("65 yo F, Vit D 75 nmol/L, Ca 2.35 mmol/L, eGFR 48, LS -2.6", Y, "units", age=65, sex="F", vd=30, egfr=48, ls=-2.6)
P("68M, eGFR 62 mL/min/1.73m2, 25-OH vitamin D 22 ng/mL, TH -2.0, FRAX 9/2.0", N, "units", age=68, sex="M", egfr=62, vd=22, th=-2.0, mof=9, hf=2.0)
P("73F creatinine 140 umol/L, FN T -2.8", Y, "units", age=73, sex="F", fn=-2.8)
P("67 y/o F, CrCl 35 mL/min, LS T -2.9", Y, "units", age=67, sex="F", egfr=35, ls=-2.9)
P("80F, T-score -3.1 SD (femoral neck), 25(OH)D 50 nmol/l", Y, "units", age=80, sex="F", fn=-3.1, vd=20)
P("Osteopenia, 62F: FN T=−1.9; FRAX = 13 % / 1.8 %", N, "units", age=62, sex="F", fn=-1.9, mof=13, hf=1.8)
P("70F, FN T -2.0, FRAX MOF 20%, hip 2%", Y, "units", age=70, sex="F", fn=-2.0, mof=20, hf=2)

# --- negations and history -------------------------------------------------------------------------------
P("65F, denies falls, no fractures, FN -1.9, FRAX 11/1.7", N, "negation", age=65, sex="F", fx=False, fn=-1.9, mof=11, hf=1.7)
P("69F, fx of radius 2019 after fall from standing height, TH -1.7", Y, "negation", age=69, sex="F", fx=True, th=-1.7)
P("71F, mother broke her hip, no personal fracture history, FN -1.8, FRAX 15/2.9", N, "negation", age=71, sex="F", fx=False, fn=-1.8, mof=15, hf=2.9)
P("63M, not on steroids, no prior fractures, LS -2.1, FRAX 6.1/0.9", N, "negation", age=63, sex="M", gc=False, fx=False, ls=-2.1, mof=6.1, hf=0.9)
P("70F, ankle fracture in a skiing accident age 40, FN -1.5, FRAX 9/1.2", N, "negation", age=70, sex="F", fn=-1.5, mof=9, hf=1.2)
P("74F osteopenia FN -2.3. Father had hip fracture. No fx herself. FRAX 17/3.4", Y, "negation", age=74, sex="F", fn=-2.3, fx=False, mof=17, hf=3.4)
P("66 yo F, no history of vertebral or hip fracture, T -1.7 TH, FRAX 12/1.4", N, "negation", age=66, sex="F", fx=False, th=-1.7, mof=12, hf=1.4)
P("78F, rib fractures after a minor fall last year, LS -1.9", Y, "negation", age=78, sex="F", fx=True, ls=-1.9)
P("60F, MVA with femur fracture 2015 (high energy), otherwise no fx; FN -1.4, FRAX 7/0.8", N, "negation", age=60, sex="F", fx=False, fn=-1.4, mof=7, hf=0.8)
P("69 yo woman, no glucocorticoid use, no prior fracture, no DXA, FRAX without BMD 14/1.9", N, "negation", age=69, sex="F", gc=False, fx=False, mof=14, hf=1.9)

# --- hedges and ranges ----------------------------------------------------------------------------------
P("About 70, female, T-score at the hip around -2.1, FRAX approx 12%/1.5%", N, "hedge", age=70, sex="F", th=-2.1, mof=12, hf=1.5)
P("68F, FN T-score maybe -2.4? report not to hand. FRAX roughly 22/3.5", Y, "hedge", age=68, sex="F", fn=-2.4, mof=22, hf=3.5)
P("early 60s woman, osteopenia, FN -1.6, FRAX unknown", C, "hedge", sex="F", fn=-1.6)
P("75F, I think her spine was -2.7 but the hips were fine (-0.9)", Y, "hedge", age=75, sex="F", ls=-2.7, th=-0.9)
P("Osteoporosis? 64F with FN -2.0 - not sure if treat", C, "hedge", age=64, sex="F", fn=-2.0)
P("70M, osteopenia? no DXA yet, FRAX 11/2.2 without BMD", N, "hedge", age=70, sex="M", mof=11, hf=2.2)

# --- typos and abbreviations ----------------------------------------------------------------------------
P("67 yo femal, osteopenai, femural nek T -2.1, FRAX 15/2.0", N, "typo", age=67, sex="F", fn=-2.1, mof=15, hf=2.0)
P("72F OP, LS T -2.8, on AI (anastrozole) for breast ca", None, "abbrev", age=72, sex="F", ls=-2.8)
P("68M prostate ca on ADT, FN -2.0, FRAX 12/2.5", None, "abbrev", age=68, sex="M", fn=-2.0, mof=12, hf=2.5)
P("70F CKD3b (eGFR 38), FN -2.6", Y, "abbrev", age=70, sex="F", egfr=38, fn=-2.6)
P("66F on pred 5mg x 1 yr for PMR, FN -1.9, FRAX 16/2.4", None, "abbrev", age=66, sex="F", gc=True, fn=-1.9, mof=16, hf=2.4)
P("74 yo F w/ OP on DEXA (LS -2.6), GC naive, Vit D 32", Y, "abbrev", age=74, sex="F", ls=-2.6, gc=False, vd=32)
P("65 y.o. female, BMD FN -1.8 TH -1.3, 10y MOF risk 8.8 %, HF risk 1.0 %", N, "abbrev", age=65, sex="F", fn=-1.8, th=-1.3, mof=8.8, hf=1.0)
P("pt 71F hx T12 wedge fx, DXA nl (LS -0.8)", Y, "abbrev", age=71, sex="F", fx=True, ls=-0.8)
P("63F, t scor -2.6 at lumbar spin", Y, "typo", age=63, sex="F", ls=-2.6)
P("78 yo M: h/o hip fx (fall from standing), no DXA", Y, "abbrev", age=78, sex="M", fx=True)
P("69F OPN, FN -1.7, FRAX 10/1.3, 25OHD 18 ng/ml, eGFR 70", N, "abbrev", age=69, sex="F", fn=-1.7, mof=10, hf=1.3, vd=18, egfr=70)
P("F 66, FN T -2.2, FRAX 19.9 / 2.9", N, "abbrev", age=66, sex="F", fn=-2.2, mof=19.9, hf=2.9)

# --- BMI -------------------------------------------------------------------------------------------------
P("65yo woman, BMI 17, FN T -2.0, FRAX 15/2.5 (with BMD). Vit D 45 nmol/L.", N, "bmi", age=65, sex="F", bmi=17, fn=-2.0, mof=15, hf=2.5, vd=18)
P("70F, BMI 31.5, TH -1.4, FRAX 9/1.1", N, "bmi", age=70, sex="F", bmi=31.5, th=-1.4, mof=9, hf=1.1)
P("68 y/o F, wt 48 kg, ht 160 cm, FN -2.3, no FRAX", C, "bmi", age=68, sex="F", fn=-2.3)
P("72F, BMI 19 kg/m2, LS -2.9", Y, "bmi", age=72, sex="F", bmi=19, ls=-2.9)
P("61F, BMI: 24.3, FN -1.5, FRAX 6.5/0.7", N, "bmi", age=61, sex="F", bmi=24.3, fn=-1.5, mof=6.5, hf=0.7)

# --- corrections and follow-ups (each line alone) -----------------------------------------------------------
P("70F FN -2.1, sorry, it was TH -2.1 not FN; FRAX 14/2.0", N, "correction", age=70, sex="F", th=-2.1, mof=14, hf=2.0)
P("what if her FRAX were 25%?", None, "followup")
P("and if she were 80 instead?", None, "followup")
P("why?", None, "followup")
P("how often should DXA be repeated for osteopenia on no treatment?", None, "general")
P("What's the max duration for alendronate before a drug holiday?", None, "general")

# --- two patients -------------------------------------------------------------------------------------------
P("Patient A: 64F FN -2.7. Patient B: 71M LS -1.5, FRAX 9/1.2. Which needs treatment?", None, "two")

# --- more free prose ------------------------------------------------------------------------------------------
P("What should I do for a 66-year-old man with a femoral neck T-score of -2.4 and a 10-year hip fracture risk of 3.5%?", Y, "prose", age=66, sex="M", fn=-2.4, hf=3.5)
P("Is treatment indicated in a 59 year old postmenopausal woman with lumbar spine T-score -1.9 and FRAX major 5%, hip 0.4%?", N, "prose", age=59, sex="F", meno="post", ls=-1.9, mof=5, hf=0.4)
P("How would you manage an 83 year old woman with a T-score of -2.1 at the total hip who had a humerus fracture after falling at home?", Y, "prose", age=83, sex="F", th=-2.1, fx=True)
P("A 76-year-old male with T score -3.4 at the hip and eGFR 25 - which drug?", None, "prose", age=76, sex="M", th=-3.4, egfr=25)
P("Does a 62 year old woman with normal bone density (T -0.6 spine, -0.4 hip) need a bisphosphonate?", N, "prose", age=62, sex="F", ls=-0.6, th=-0.4)
P("A 70-year-old woman with osteopenia at the femoral neck (T -1.9) asks about treatment; FRAX 10-year risk of major fracture 21%, hip 2.4%.", Y, "prose", age=70, sex="F", fn=-1.9, mof=21, hf=2.4)
P("My patient is 67, female, with a spine T-score of -1.6 and hip of -1.1, and she has never had a fracture. FRAX 8.9% / 1.0%.", N, "prose", age=67, sex="F", ls=-1.6, th=-1.1, fx=False, mof=8.9, hf=1.0)
P("Treat a 73 yo male with FN T -2.3, TH T -2.0, on prednisone 20 mg/d for 4 months?", None, "prose", age=73, sex="M", fn=-2.3, th=-2.0, gc=True)
P("Should an 85-year-old woman with prior vertebral fractures and T-score -3.5 start romosozumab?", Y, "prose", age=85, sex="F", fx=True)
P("58-year-old woman, menopause at 52, T-score −2.0 at the femoral neck, FRAX 7.8% major and 0.9% hip. Bisphosphonate?", N, "prose", age=58, sex="F", meno="post", fn=-2.0, mof=7.8, hf=0.9)
P("For a 69 year old lady with osteopenia (spine -2.3) and a previous low-trauma ankle fracture, is drug therapy warranted?", Y, "prose", age=69, sex="F", ls=-2.3, fx=True)
P("What's the plan for a 64M with TH -2.2 and no risk factors, no fractures, FRAX 6.8 / 1.9?", N, "prose", age=64, sex="M", th=-2.2, fx=False, mof=6.8, hf=1.9)
P("56 year old woman, still having periods, FN T-score -2.1", C, "prose", age=56, sex="F", meno="pre", fn=-2.1)
P("A 48-year-old man with recurrent fractures; Z-score -2.6 at the spine.", C, "prose", age=48, sex="M", zls=-2.6, fx=True)
P("Should I start something for my 71-year-old patient (she) with T -2.5 at the femoral neck?", Y, "prose", age=71, sex="F", fn=-2.5)
P("81F, osteoporosis on DXA, never treated, vit D 12 ng/mL, eGFR 45. Next steps?", Y, "prose", age=81, sex="F", vd=12, egfr=45)
P("Denosumab for 6 years in a 74-year-old woman, FN now -2.2. Can we stop?", None, "prose", age=74, sex="F", fn=-2.2)
P("70 year old woman on alendronate 5 years, TH T -2.1, no fractures on treatment. Holiday?", None, "prose", age=70, sex="F", th=-2.1, fx=False)

# --- more telegraphic variety -----------------------------------------------------------------------------------
P("F/67 FN-2.2 TH-1.8 LS-2.0 FRAX 13/2.3", N, "note", sex="F", age=67, fn=-2.2, th=-1.8, ls=-2.0, mof=13, hf=2.3)
P("M/72: FN -2.1; FRAX MOF 11, HF 3.0", Y, "note", sex="M", age=72, fn=-2.1, mof=11, hf=3.0)
P("63yoF FN -1.9 FRAX10/1", N, "note", age=63, sex="F", fn=-1.9, mof=10, hf=1)
P("74 yr old F. T scores FN -1.6 / TH -1.2. FRAX 14.5 & 3.8", Y, "note", age=74, sex="F", fn=-1.6, th=-1.2, mof=14.5, hf=3.8)
P("Age: 60; Gender: female; FN: -1.5; LS: -2.6", Y, "note", age=60, sex="F", fn=-1.5, ls=-2.6)
P("70-y-o woman, FN T-score of -2.0, total hip of -1.6, spine of -1.2, MOF 9.4%, hip 1.9%", N, "note", age=70, sex="F", fn=-2.0, th=-1.6, ls=-1.2, mof=9.4, hf=1.9)
P("66F - DXA: osteopenia (FN -1.8); FRAX: 23% / 2.2%; Vit D: 30", Y, "note", age=66, sex="F", fn=-1.8, mof=23, hf=2.2, vd=30)
P("59 F, PMW x 6y, LS -1.5, FN -1.1, FRAX 4.9/0.3, no fx, no GC", N, "note", age=59, sex="F", meno="post", ls=-1.5, fn=-1.1, mof=4.9, hf=0.3, fx=False, gc=False)
P("75 M, hip T -1.8, spine T -1.0, prior wrist fx from fall 2 yrs ago", Y, "note", age=75, sex="M", th=-1.8, ls=-1.0, fx=True)
P("62 yo F with low bone mass: LS -2.4 / FN -1.3 / TH -1.0. FRAX major 9.6, hip 0.8", N, "note", age=62, sex="F", ls=-2.4, fn=-1.3, th=-1.0, mof=9.6, hf=0.8)

# --- bad input: implausible values questioned, not used ------------------------------------------------------------
P("67F, T-score +9 at the femoral neck", None, "implausible", age=67, sex="F")
P("age 300, female, FN -2.0", None, "implausible", sex="F", fn=-2.0)
P("70F, FN -2.0, FRAX 140% major", None, "implausible", age=70, sex="F", fn=-2.0)
P("66F, BMI 90, LS -1.8", None, "implausible", age=66, sex="F", ls=-1.8)


# --- batch 2 (written after the first round of fixes, scored before any fix for it) ------------------------
P("A 74-year-old woman presents after a fall from standing with a distal radius fracture. Her DXA shows a femoral neck T-score of -2.0 and lumbar spine T-score of -1.5. What do you recommend?", Y, "vignette", age=74, sex="F", fx=True, fn=-2.0, ls=-1.5)
P("T-scores of -2.1 (FN), -1.8 (TH), and -2.4 (LS) in a 66 yo woman; FRAX 12/1.7", N, "phrasing", fn=-2.1, th=-1.8, ls=-2.4, age=66, sex="F", mof=12, hf=1.7)
P("FN/TH/LS: -2.1/-1.8/-2.4, 66F, FRAX 12/1.7", N, "phrasing", fn=-2.1, th=-1.8, ls=-2.4, age=66, sex="F", mof=12, hf=1.7)
P("68F with osteopenia at the hip (-1.9) and osteoporosis at the spine (-2.7)", Y, "phrasing", age=68, sex="F", th=-1.9, ls=-2.7)
P("Her lowest T-score is -2.6 at L2-L4. She is 63.", Y, "phrasing", ls=-2.6, age=63, sex="F")
P("63 year old woman, 10-year risk of major osteoporotic fracture of 18% and hip fracture of 2.1%, femoral neck T -2.2", N, "phrasing", age=63, sex="F", mof=18, hf=2.1, fn=-2.2)
P("FRAX: MOF 18, HF 2.1. Femoral neck -2.2. 63F.", N, "phrasing", mof=18, hf=2.1, fn=-2.2, age=63, sex="F")
P("FRAX score 25 (hip 3.9) in a 77-year-old woman with FN T-score -1.9", Y, "phrasing", mof=25, hf=3.9, age=77, sex="F", fn=-1.9)
P("The FRAX major is 18 percent and hip 2.5 percent for my 70 y/o female patient with FN -2.0", N, "phrasing", mof=18, hf=2.5, age=70, sex="F", fn=-2.0)
P("72 yo F with a history of vertebral compression fracture seen on chest CT, no DXA yet", Y, "phrasing", age=72, sex="F", fx=True)
P("76F s/p kyphoplasty for L1 fracture 2022, LS -2.1", Y, "phrasing", age=76, sex="F", fx=True, ls=-2.1)
P("69F, fracture-free, FN -1.8, FRAX 9.5/1.6", N, "phrasing", age=69, sex="F", fx=False, fn=-1.8, mof=9.5, hf=1.6)
P("71F, never had a fracture, T-score -1.6 at the hip, FRAX 10/2", N, "phrasing", age=71, sex="F", fx=False, th=-1.6, mof=10, hf=2)
P("64 yo woman on 5mg pred daily for 2 yrs, FN -1.7", None, "phrasing", age=64, sex="F", gc=True, fn=-1.7)
P("Post-menopausal since 2010, now 62, FN -1.4, FRAX 6/0.6", N, "phrasing", meno="post", age=62, sex="F", fn=-1.4, mof=6, hf=0.6)
P("Menopause 10 yrs ago; 60 years old; spine T -2.5", Y, "phrasing", meno="post", sex="F", age=60, ls=-2.5)
P("78M with ESRD on HD, FN -2.9 - what can we give?", None, "phrasing", age=78, sex="M", fn=-2.9)
P("70F, Cr 1.8 mg/dL, FN -2.7", Y, "phrasing", age=70, sex="F", fn=-2.7)
P("73F, vitamin D insufficiency (22 ng/mL), TH -2.2, FRAX 16/3.3", Y, "phrasing", age=73, sex="F", vd=22, th=-2.2, mof=16, hf=3.3)
P("66F, 25-OH D 18, LS -1.3, FN -1.0, FRAX 5.5/0.5", N, "phrasing", age=66, sex="F", vd=18, ls=-1.3, fn=-1.0, mof=5.5, hf=0.5)
P("Taking Fosamax for 3 yrs, 68F, latest FN -2.3. Continue?", None, "phrasing", age=68, sex="F", fn=-2.3)
P("58M with hypogonadism, Z-score -2.2 at the spine, T -2.3", None, "phrasing", age=58, sex="M", zls=-2.2, ls=-2.3)
P("Pt is a 67 y.o. Caucasian female w/ hx of RA on MTX, BMD: FN -2.0, TH -1.5. FRAX 19/2.4.", N, "vignette", age=67, sex="F", fn=-2.0, th=-1.5, mof=19, hf=2.4)
P("Pt is a 67 y.o. Caucasian female w/ hx of RA on MTX, BMD: FN -2.0, TH -1.5. FRAX 21/2.4.", Y, "vignette", age=67, sex="F", fn=-2.0, th=-1.5, mof=21, hf=2.4)
P("I am 59, post menopause 5 years, my spine score is minus 2.8 and hips minus 1.9. Should I take Prolia or Fosamax?", Y, "portal", age=59, meno="post", sex="F", ls=-2.8, th=-1.9)
P("My doctor says I have osteopenia. T score -2.3 at my femoral neck. I am 66 and female, FRAX 15 and 1.8. Do I need pills?", N, "portal", fn=-2.3, age=66, sex="F", mof=15, hf=1.8)
P("dexa: hip -2.2 spine -1.0, 70 yr old lady, had a wrist fracture falling off a chair", Y, "portal", th=-2.2, ls=-1.0, age=70, sex="F", fx=True)
P("55 yo perimenopausal F with LS Z-score -1.1 and T-score -1.6", C, "note", age=55, meno="peri", sex="F", zls=-1.1, ls=-1.6)
P("82 yo M, hx hip fx 2021 s/p ORIF, no DXA. Tx?", Y, "note", age=82, sex="M", fx=True)
P("61F: DXA L1-4 -1.7; L FN -1.5; L TH -1.1. FRAX MOF 7.9%, hip 0.9%", N, "note", age=61, sex="F", ls=-1.7, fn=-1.5, th=-1.1, mof=7.9, hf=0.9)
P("65F T-score (fem neck) -2.4, T-score (spine) -2.0, FRAX 17% / 3.0%", Y, "note", age=65, sex="F", fn=-2.4, ls=-2.0, mof=17, hf=3.0)
P("65F T-score (fem neck) -2.4, T-score (spine) -2.0, FRAX 17% / 2.9%", N, "note", age=65, sex="F", fn=-2.4, ls=-2.0, mof=17, hf=2.9)
P("woman aged 71 with femoral neck T −2.1 and previous humeral fracture", Y, "note", age=71, sex="F", fn=-2.1, fx=True)
P("woman aged 71 with femoral neck T −2.1 and no previous fractures, FRAX pending", C, "note", age=71, sex="F", fn=-2.1, fx=False)
P("74M. DEXA - L spine T -1.2, L hip T -2.0, L fem neck T -2.6.", Y, "note", age=74, sex="M", ls=-1.2, th=-2.0, fn=-2.6)
P("What treatment for 68F, FN T-score of negative 2.7?", Y, "phrasing", age=68, sex="F", fn=-2.7)
P("70 year-old woman, bone density of the hip: T -1.8; of the spine: T -2.2; FRAX 14% and 2.2%", N, "phrasing", age=70, sex="F", th=-1.8, ls=-2.2, mof=14, hf=2.2)
P("70 year-old woman with T scores -1.8 at hip and -2.2 at spine, 10-yr hip fx risk 3.2%", Y, "phrasing", age=70, sex="F", th=-1.8, ls=-2.2, hf=3.2)
P("Should this 79 y/o woman with a T-score of -1.5 and a 10 year probability of hip fracture of 4% be treated?", Y, "phrasing", age=79, sex="F", hf=4)
P("DXA in a 66 yo man: total hip −1.6, femoral neck −2.0; FRAX 8.1/2.1; no fractures; not on steroids", N, "phrasing", age=66, sex="M", th=-1.6, fn=-2.0, mof=8.1, hf=2.1, fx=False, gc=False)
P("62-year-old postmenopausal woman with hip T-score -1.2 and spine T-score -1.4, FRAX not done. Is alendronate indicated?", C, "phrasing", age=62, meno="post", sex="F", th=-1.2, ls=-1.4)
P("A 57-year-old woman (LMP 2 yrs ago) has FN T -2.6", Y, "phrasing", age=57, sex="F", meno="post", fn=-2.6)
P("74F, T-score at the left femoral neck -2.3 and at the right femoral neck -2.6", Y, "phrasing", age=74, sex="F", fn=-2.6)
P("Patient 66F. Prior scan 2020: FN -2.0. Current scan: FN -2.4. FRAX 13/2.1.", N, "phrasing", age=66, sex="F", fn=-2.4, mof=13, hf=2.1)
P("80 year old female with vitamin D of 9 ng/mL and FN T-score -2.9 and eGFR 33 mL/min", Y, "phrasing", age=80, sex="F", vd=9, fn=-2.9, egfr=33)
P("OP dx'd 2019 (LS -2.8), 71F, on nothing currently", Y, "phrasing", ls=-2.8, age=71, sex="F")
P("Recheck DXA: 69F, FN -1.9 (prev -1.7), TH -1.5, FRAX 11/1.8", N, "phrasing", age=69, sex="F", fn=-1.9, th=-1.5, mof=11, hf=1.8)
P("67F with hip fx risk 3.5% and MOF 15% (FRAX with BMD), FN T -2.0", Y, "phrasing", age=67, sex="F", hf=3.5, mof=15, fn=-2.0)
P("60 year old man with T score of -2.6 at lumbar spine on DEXA, what next?", Y, "phrasing", age=60, sex="M", ls=-2.6)
P("52F premenopausal on tamoxifen, LS T -1.2", None, "phrasing", age=52, sex="F", meno="pre", ls=-1.2)

with open(sys.argv[1], "w", encoding="utf-8") as fh:
    for item in out:
        fh.write(json.dumps(item, ensure_ascii=False) + "\n")
print(len(out), "probes;", sum(1 for i in out if i["expected"]["pharmacologic_treatment"]), "with a decision")
